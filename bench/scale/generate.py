"""Republish real article text at any size (10k to 1M+ pages) as page dumps, with gold origins and stories.

    python bench/scale/generate.py OUTDIR --pages 100000 [--format txt|jsonl] [--seed 7]
    python bench/scale/generate.py --check            # determinism, gold and distinctness self-check

Real text: the zyte gold bodies, the ECB+ documents and the Fundus fixtures' gold bodies (English and
German: the other languages have too few bodies to recombine without repeating passages; Japanese and
Chinese are not split into words by spaces). There are ~900 of them and a million pages need ~250,000
distinct events, so events are *recombined* real text, never a real body as is:

- A story (one event) takes two real bodies of one language as its topic (T1, T2) and its own entities:
  every name in the text (a capitalised word whose lower-case form the language's text never holds) is
  replaced, consistently within the story, by a real name of the pool or a blend of two (half of one,
  half of another: 'Ashgabat' + 'Klitschko' -> 'Ashgschko'); every number by another of the same digits,
  years shifted by the story's own offset. Independent reports of the event share these names and figures,
  as real reports do; another event on the same topic has other names.
- Each independent report (an origin) has T1's paragraph layout, and every sentence is spliced: a run of
  3-8 words of a real sentence, cut before a function word (one of the language's 60 most frequent
  words), continued from the same word inside another real sentence (of T1 25%, T2 15%, any body of the
  language 60%), and so on until the sentence is 12-30 words long and ends with a real sentence's last
  words. Every word pair at a splice is real and every sentence is new; a run is short, so two origins
  share at most a few runs: `--check` measures the 5-word shingles that origins with different gold share
  (same story and different stories apart) and the verbatim sentences they share.
- Headlines are the opening words of a fresh spliced sentence. Versions add fresh spliced paragraphs.

Sizes: stories hold a Zipf number of independent reports (P(k) ~ k^-2.2, at most 50: 67% one report),
each report a Zipf number of pages (P(k) ~ k^-2.1, at most 500: 64% published once, a long tail of wire
copies); ~7 pages a story on average, 43% of stories a single page.
Republications are copies (typography swapped half the time), excerpts (first paragraphs, "Read more")
and versions (numbers or quotes edited, paragraphs dropped or added), built by bench/syndication/build.py's
functions, each on another site. A site has its own chrome (menu, date line, related headlines, share
blocks, footer, in the site's language), kept across its pages, as real sites do; site popularity is Zipf.

Pages are scattered over the output (page i of the stream gets id (i * 1000000007 + seed) mod N), under
OUTDIR/pages/ (the folder to fold), in folders of 1,000 `.txt` dumps (`0042/0042137.txt`, the id newsfold
prints) or JSONL shards of 10,000 records (`pages-0004.jsonl`, ids `0042137`, with url, source and title
fields). Beside pages/: `gold.jsonl`, one
{"id", "origin", "story", "event" (= story, for shared/tools/bcubed.py), "relation", "lang"} a page;
`manifest.json` gives the counts. Deterministic by seed (a story draws from its own Random(seed, story));
streaming (memory is the pools, a ring of recent headlines and the sites' templates).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import multiprocessing
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "syndication"))

from build import ECBPLUS, FOOTER, MENU, SHARED, ZYTE_GOLD, Base, _excerpt, _typography, _version  # noqa: E402  # noqa: E402

FUNDUS_GOLD = SHARED / "bench" / "fundus-fixtures" / "ground-truth.json"

STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "was", "for", "with"},
    "de": {"der", "die", "und", "das", "nicht", "ist", "mit", "den", "von", "zu"},
}
# A language needs a stopword share this high to be called (English news text: ~0.25, German ~0.2; a
# Norwegian or Turkish body scores < 0.03 on both lists).
MIN_STOPWORD_SHARE = 0.08
PIVOTS_PER_LANGUAGE = 60  # the most frequent lower-case words: function words in both languages
# Source mix and run lengths from `--check --pages 20000`: with T1 35%, T2 25% and runs of up to 10 words,
# 77 pairs of origins of different stories shared >= 15% of their shingles and 219 sentences were printed
# twice; with T1 25%, T2 15% and runs of up to 8, 33 and 71 (same-story median share 0.053 -> 0.024).
SOURCE_MIX = (0.25, 0.40)  # cumulative: T1 25%, T2 15%, any body of the language 60%
# A spliced sentence: runs of MIN_RUN..MAX_RUN words, then the end of the last sentence reached; about as
# long as a news sentence (the ECB+ and zyte bodies: median ~22 words).
SENTENCE_WORDS = (12, 30)
MIN_RUN, MAX_RUN = 3, 8
# Zipf (exponent, largest): read off no real crawl; chosen so that most stories are one report and most
# reports one page, with wire stories on hundreds of sites in the tail.
STORY_ZIPF = (2.2, 50)  # reports per story: P(1) 0.67, mean 2.2
ORIGIN_ZIPF = (2.1, 500)  # pages per report: P(1) 0.64, mean 3.3
LARGEST_STORY = STORY_ZIPF[1] * ORIGIN_ZIPF[1]  # no cut
CHUNK_STORIES = 500  # stories a worker makes at a time (~3,500 pages)
SITE_ZIPF = 1.1  # site popularity
RELATIONS = (("copy", 0.4), ("excerpt", 0.3), ("version", 0.3))
TXT_FOLDER = 1_000
JSONL_SHARD = 10_000
PERMUTE = 1_000_000_007  # a prime larger than any N: i -> (i * PERMUTE + seed) mod N is a bijection

SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+(?=[\"\u201c\u201e(]?[A-Z\u00c4\u00d6\u00dc0-9])|(?<=[.!?][\"\u201d\u201c])\s+"
)
TOKEN_PARTS = re.compile(r"^([\W_]*)(.*?)((?:['\u2019]s)?[\W_]*)$")
NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
VOWELS = set("aeiouyäöü")

CHROME = {
    "en": {
        "menu": MENU,
        "footer": FOOTER,
        "blocks": [
            "Advertisement",
            "Story continues below advertisement",
            "Share this article",
            "Sign up for our newsletter",
            "Follow us on Facebook and Twitter",
            "Most read",
            "Trending now",
            "Photo: File",
        ],
        "related": ["Related", "More stories", "You may also like", "Recommended", "Read next"],
        "more": ["Read more", "Read more \u00bb", "Continue reading", "Full story"],
        "nouns": [
            "Herald",
            "Gazette",
            "Times",
            "Post",
            "Courier",
            "Tribune",
            "Observer",
            "Chronicle",
            "News",
            "Journal",
            "Record",
            "Star",
            "Express",
            "Review",
            "Register",
            "Dispatch",
        ],
        "published": ["Published {d}", "Updated {d}", "{d}", "Posted on {d}"],
        "rights": "\u00a9 {y} {site}. All rights reserved.",
        "by": "By {name}",
    },
    "de": {
        "menu": [
            "Startseite",
            "Politik",
            "Wirtschaft",
            "Sport",
            "Kultur",
            "Panorama",
            "Wissen",
            "Meinung",
            "Regional",
            "Reise",
            "Digital",
            "Abo",
            "Anmelden",
            "Suche",
            "Video",
            "Wetter",
        ],
        "footer": [
            "Impressum",
            "Datenschutz",
            "Kontakt",
            "AGB",
            "Cookie-Einstellungen",
            "Newsletter",
            "Werben",
            "Karriere",
            "RSS",
            "Barrierefreiheit",
        ],
        "blocks": [
            "Anzeige",
            "Artikel teilen",
            "Mehr zum Thema",
            "Foto: dpa",
            "Jetzt abonnieren",
            "Meistgelesen",
        ],
        "related": ["Das k\u00f6nnte Sie auch interessieren", "Weitere Artikel", "Mehr zum Thema"],
        "more": ["Weiterlesen", "Mehr lesen \u00bb", "Zum Artikel"],
        "nouns": [
            "Zeitung",
            "Anzeiger",
            "Bote",
            "Rundschau",
            "Kurier",
            "Nachrichten",
            "Blatt",
            "Post",
            "Tagblatt",
            "Echo",
            "Morgen",
            "Presse",
        ],
        "published": ["Ver\u00f6ffentlicht am {d}", "Aktualisiert: {d}", "{d}", "Stand: {d}"],
        "rights": "\u00a9 {site} {y}. Alle Rechte vorbehalten.",
        "by": "Von {name}",
    },
}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "M\u00e4rz",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
}


@dataclass(frozen=True)
class Sentence:
    """A real sentence: its tokens, the body it comes from and where a splice may cut it."""

    tokens: tuple[str, ...]
    body: int
    cuts: tuple[int, ...]  # positions of pivot words with >= 3 tokens either side


@dataclass
class Pool:
    """One language's real text, indexed for splicing and entity swaps."""

    lang: str
    layouts: list[tuple[int, ...]] = field(default_factory=list)  # sentences per paragraph, per body
    by_body: list[list[int]] = field(default_factory=list)  # sentence indexes of each body
    sentences: list[Sentence] = field(default_factory=list)
    spliceable: list[int] = field(default_factory=list)  # sentences with a cut
    pivots: frozenset[str] = frozenset()
    starts: dict[tuple[int, str], list[tuple[int, int]]] = field(default_factory=dict)  # (body, word) -> cuts
    anywhere: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # word -> (sentence, position)
    names: list[str] = field(default_factory=list)
    kinds: dict[str, tuple[str, str, str, str]] = field(
        default_factory=dict
    )  # token -> prefix, core, suffix, kind


def _language(text: str) -> str | None:
    words = re.findall(r"\w+", text.lower())
    if not words:
        return None
    shares = {lang: sum(w in stop for w in words) / len(words) for lang, stop in STOPWORDS.items()}
    best = max(shares, key=shares.__getitem__)
    return best if shares[best] >= MIN_STOPWORD_SHARE else None


def load_bodies() -> list[tuple[str, str, list[str]]]:
    """(id, language, paragraphs) of every usable real body, in a fixed order."""
    raw: list[tuple[str, str]] = []
    for key, row in sorted(json.loads(ZYTE_GOLD.read_text(encoding="utf-8")).items()):
        raw.append((f"zyte-{key[:12]}", row.get("articleBody") or ""))
    for line in ECBPLUS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        raw.append((f"ecb-{row['id']}", row["text"]))
    for key, row in sorted(json.loads(FUNDUS_GOLD.read_text(encoding="utf-8")).items()):
        raw.append((f"fundus-{key}", row.get("articleBody") or ""))
    out = []
    for body_id, text in raw:
        lang = _language(text)
        # ECB+ opens some documents with the source URL, spaced out ("http: / / www. ...").
        paragraphs = [
            p.strip() for p in text.split("\n") if p.strip() and "http" not in p and "www." not in p
        ]
        if lang and len(paragraphs) >= 3 and sum(len(p.split()) for p in paragraphs) >= 80:
            out.append((body_id, lang, paragraphs))
    return out


def _kind(token: str, lower_vocab: set[str]) -> tuple[str, str, str, str]:
    m = TOKEN_PARTS.match(token)
    prefix, core, suffix = (m.group(1), m.group(2), m.group(3)) if m else ("", token, "")
    if NUMBER.match(core):
        return prefix, core, suffix, "number"
    if len(core) >= 3 and core.isalpha() and core[0].isupper() and not core.isupper():
        if core.lower() not in lower_vocab:
            return prefix, core, suffix, "name"
    return prefix, core, suffix, "word"


def build_pools() -> dict[str, Pool]:
    """One Pool per language from the real bodies."""
    pools: dict[str, Pool] = {}
    staged: dict[str, list[list[list[tuple[str, ...]]]]] = {}
    for _, lang, paragraphs in load_bodies():
        split = [
            [tuple(s.split()) for s in SENTENCE_END.split(p) if 4 <= len(s.split()) <= 70] for p in paragraphs
        ]
        split = [p for p in split if p]
        if len(split) >= 3:
            staged.setdefault(lang, []).append(split)
    for lang, bodies in staged.items():
        pool = Pool(lang)
        counts: Counter[str] = Counter()
        lower_vocab: set[str] = set()
        for body in bodies:
            for paragraph in body:
                for tokens in paragraph:
                    for t in tokens:
                        if t.isalpha() and t.islower():
                            counts[t] += 1
                            lower_vocab.add(t)
        lower_vocab |= {t.lower() for t in counts}
        pool.pivots = frozenset(w for w, _ in counts.most_common(PIVOTS_PER_LANGUAGE))
        names: set[str] = set()
        for b, body in enumerate(bodies):
            pool.layouts.append(tuple(len(p) for p in body))
            mine = []
            for paragraph in body:
                for tokens in paragraph:
                    for k, t in enumerate(tokens):
                        if t not in pool.kinds:
                            pool.kinds[t] = _kind(t, lower_vocab)
                        if k and pool.kinds[t][3] == "name":
                            names.add(pool.kinds[t][1])
                    cuts = tuple(i for i in range(3, len(tokens) - 4) if tokens[i] in pool.pivots)
                    s = len(pool.sentences)
                    pool.sentences.append(Sentence(tokens, b, cuts))
                    mine.append(s)
                    if cuts:
                        pool.spliceable.append(s)
                    for j in range(2, len(tokens) - 4):
                        if tokens[j] in pool.pivots:
                            pool.starts.setdefault((b, tokens[j]), []).append((s, j))
                            pool.anywhere.setdefault(tokens[j], []).append((s, j))
            pool.by_body.append(mine)
        # A sentence-initial capital is no evidence of a name; names seen only there are not swapped.
        for t, (p, core, suf, kind) in pool.kinds.items():
            if kind == "name" and core not in names:
                pool.kinds[t] = (p, core, suf, "word")
        pool.names = sorted(names)
        pools[lang] = pool
    return pools


def _zipf_table(exponent: float, largest: int) -> list[float]:
    weights = list(itertools.accumulate(k**-exponent for k in range(1, largest + 1)))
    return [w / weights[-1] for w in weights]


def _draw(table: list[float], rng: random.Random) -> int:
    return bisect.bisect_left(table, rng.random()) + 1


STORY_TABLE, ORIGIN_TABLE = _zipf_table(*STORY_ZIPF), _zipf_table(*ORIGIN_ZIPF)


class Story:
    """One event: its topic bodies, its entity and number maps, and its own Random."""

    def __init__(self, pool: Pool, number: int, seed: int) -> None:
        self.pool = pool
        self.id = f"s{number:07d}"
        self.rng = random.Random(f"{seed}:{number}")
        n = len(pool.by_body)
        self.topic = (self.rng.randrange(n), self.rng.randrange(n))
        self.year_shift = self.rng.randint(-9, 2)
        self.entities: dict[str, str] = {}
        self.opened: set[int] = set()  # sentences the current report's sentences start with

    def _body(self) -> int:
        x = self.rng.random()
        if x < SOURCE_MIX[0]:
            return self.topic[0]
        return self.topic[1] if x < SOURCE_MIX[1] else self.rng.randrange(len(self.pool.by_body))

    def _name(self, core: str) -> str:
        rng, names = self.rng, self.pool.names
        new = rng.choice(names)
        if rng.random() < 0.5:
            other = rng.choice(names)
            a = next((i for i in range(2, len(new)) if new[i].lower() in VOWELS), len(new))
            b = next((i for i in range(1, len(other) - 1) if other[i].lower() in VOWELS), 1)
            new = new[:a] + other[b:]
        return new

    def _number(self, core: str) -> str:
        digits = core.replace(",", "")
        value = int(digits)
        if 1900 <= value <= 2100:
            return str(value + self.year_shift)
        if len(digits) == 1:
            return str(self.rng.randint(2, 9))
        new = str(self.rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))
        return f"{int(new):,}" if "," in core else new

    def _swap(self, tokens: list[str]) -> str:
        out = []
        kinds = self.pool.kinds
        for t in tokens:
            prefix, core, suffix, kind = kinds.get(t) or ("", t, "", "word")
            if kind != "word":
                key = kind + core
                new = self.entities.get(key)
                if new is None:
                    new = self._name(core) if kind == "name" else self._number(core)
                    self.entities[key] = new
                t = prefix + new + suffix
            out.append(t)
        return _balance(" ".join(out))

    def splice(self) -> list[str]:
        """A new sentence: runs of 3-8 words of real sentences, each continued at a shared function word."""
        pool, rng = self.pool, self.rng
        for _ in range(6):  # a report opens each sentence with another real sentence's start
            start = rng.choice(pool.by_body[self._body()])
            if start not in self.opened:
                break
        while not pool.sentences[start].cuts:
            start = rng.choice(pool.spliceable)
        self.opened.add(start)
        a = pool.sentences[start]
        target = rng.randint(*SENTENCE_WORDS)
        tokens: list[str] = []
        pos = 0
        for jumps in range(12):
            rest = len(a.tokens) - pos
            if jumps >= 2 and ((len(tokens) >= target and rest <= MAX_RUN + 4) or len(tokens) > 2 * target):
                break
            ahead = [c for c in a.cuts if pos + MIN_RUN <= c <= pos + MAX_RUN]
            if not ahead:  # a longer run, to the next cut
                ahead = [c for c in a.cuts if c >= pos + MIN_RUN][:1]
                if not ahead:
                    break
            cut = rng.choice(ahead)
            tokens += a.tokens[pos:cut]
            word = a.tokens[cut]
            for _ in range(4):  # not the sentence it leaves: that would print it verbatim
                s, pos = rng.choice(pool.starts.get((self._body(), word)) or pool.anywhere[word])
                if pool.sentences[s] is not a:
                    break
            a = pool.sentences[s]
        return tokens + list(a.tokens[pos:])

    def sentence(self) -> str:
        return self._swap(self.splice())

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def report(self) -> tuple[str, list[str]]:
        """An independent report: a headline and paragraphs laid out like T1."""
        self.opened = set()
        layout = list(self.pool.layouts[self.topic[0]])
        keep = max(3, round(len(layout) * self.rng.uniform(0.6, 1.0)))
        words = self.splice()[: self.rng.randint(6, 11)]
        while len(words) > 4 and words[-1].lower().strip(",;:") in self.pool.pivots:
            words.pop()
        headline = self._swap(words).rstrip(",;:.")
        return headline, [self.paragraph(n) for n in layout[:keep]]


def _balance(text: str) -> str:
    """Drop quote marks a splice left unpaired."""
    if text.count('"') % 2:
        i = text.rfind('"')
        text = text[:i] + text[i + 1 :]
    if text.count("\u201c") != text.count("\u201d") or text.count("\u201e") > text.count("\u201c"):
        text = text.replace("\u201c", "").replace("\u201d", "").replace("\u201e", "")
    return text.replace("  ", " ").strip()


@dataclass(frozen=True)
class Site:
    """A site's template: name, domain, menu, footer, blocks and how it prints dates."""

    lang: str
    name: str
    domain: str
    menu: tuple[str, ...]
    footer: tuple[str, ...]
    blocks: tuple[str, ...]
    related: str
    more: str
    published: str
    byline: bool


def make_site(number: int, lang: str, pool: Pool, seed: int) -> Site:
    rng = random.Random(f"site:{seed}:{lang}:{number}")
    chrome = CHROME[lang]
    place = rng.choice(pool.names)
    name = f"{rng.choice(['The ', '', ''])}{place} {rng.choice(chrome['nouns'])}"
    return Site(
        lang=lang,
        name=name,
        domain=re.sub(r"[^a-z0-9]+", "", name.lower())
        + rng.choice([".com", ".net", ".co.uk", ".de", ".org"]),
        menu=tuple(rng.sample(chrome["menu"], rng.randint(4, 10))),
        footer=tuple(rng.sample(chrome["footer"], rng.randint(3, 7))),
        blocks=tuple(rng.sample(chrome["blocks"], 3)),
        related=rng.choice(chrome["related"]),
        more=rng.choice(chrome["more"]),
        published=rng.choice(chrome["published"]),
        byline=rng.random() < 0.5,
    )


def page_dump(
    site: Site,
    headline: str,
    body: list[str],
    related: list[str],
    rng: random.Random,
    read_more: bool,
    pool: Pool,
) -> str:
    """A body inside its site's chrome, one visible block a line (like a text dump)."""
    chrome = CHROME[site.lang]
    lines = [site.name, *site.menu, headline]
    day = f"{rng.randint(1, 28)} {rng.choice(MONTHS[site.lang])} {rng.randint(2012, 2025)}"
    lines.append(site.published.format(d=day))
    if site.byline:
        lines.append(chrome["by"].format(name=f"{rng.choice(pool.names)} {rng.choice(pool.names)}"))
    for i, p in enumerate(body):
        lines.append(p)
        if i and rng.random() < 0.12:
            lines.append(rng.choice(site.blocks))
    if read_more:
        lines.append(site.more)
    lines.append(site.related)
    lines.extend(related)
    lines.extend(site.footer)
    lines.append(chrome["rights"].format(y=rng.randint(2012, 2025), site=site.name))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class GenPage:
    """One generated page in stream order, with its gold."""

    index: int
    story: str
    origin: str
    relation: str
    lang: str
    site: Site
    headline: str
    dump: str


@dataclass(frozen=True)
class Chunk:
    """CHUNK_STORIES consecutive stories and the stream index of their first page."""

    number: int
    first_story: int
    stories: int
    first_index: int


def sizes_of(story: int, seed: int, largest: int = LARGEST_STORY) -> list[int]:
    """Pages per independent report of one story (drawn apart from the text, so chunks can be planned)."""
    rng = random.Random(f"sizes:{seed}:{story}")
    sizes = [_draw(ORIGIN_TABLE, rng) for _ in range(_draw(STORY_TABLE, rng))]
    out = []
    for size in sizes:  # cut to at most `largest` pages a story
        if largest <= 0:
            break
        out.append(min(size, largest))
        largest -= out[-1]
    return out


def plan(n_pages: int, seed: int, largest: int = LARGEST_STORY) -> list[Chunk]:
    """The chunks that make N pages (the last story is cut short)."""
    chunks: list[Chunk] = []
    index, story = 0, 0
    while index < n_pages:
        first = index
        for k in range(CHUNK_STORIES):
            index += sum(sizes_of(story + k, seed, largest))
            if index >= n_pages:
                chunks.append(Chunk(len(chunks), story, k + 1, first))
                return chunks
        chunks.append(Chunk(len(chunks), story, CHUNK_STORIES, first))
        story += CHUNK_STORIES
    return chunks


def generate_chunk(
    pools: dict[str, Pool],
    chunk: Chunk,
    n_pages: int,
    seed: int,
    on_origin: Callable[[str, str, str, list[str]], None] | None = None,
    largest: int = LARGEST_STORY,
) -> Iterator[GenPage]:
    """The pages of one chunk's stories: each report, then its republications."""
    langs = sorted(pools)
    weights = list(itertools.accumulate(len(pools[lang].by_body) for lang in langs))
    site_table = _zipf_table(SITE_ZIPF, max(50, n_pages // 200))
    sites: dict[tuple[str, int], Site] = {}
    recent: dict[str, deque[str]] = {lang: deque(maxlen=400) for lang in langs}
    index = chunk.first_index
    for number in range(chunk.first_story, chunk.first_story + chunk.stories):
        pick = random.Random(f"lang:{seed}:{number}").random() * weights[-1]
        lang = langs[bisect.bisect_right(weights, pick)]
        pool = pools[lang]
        story = Story(pool, number, seed)
        rng = story.rng
        for r, n_copies in enumerate(sizes_of(number, seed, largest)):
            if index >= n_pages:
                return
            origin = f"{story.id}-r{r}"
            headline, paragraphs = story.report()
            if on_origin:
                on_origin(origin, story.id, lang, paragraphs)
            base = Base(origin, origin, headline, tuple(paragraphs))
            for k in range(n_copies):
                if index >= n_pages:
                    return
                relation = "original"
                body, read_more = paragraphs, False
                if k:
                    x, relation = rng.random(), "version"
                    for name, share in RELATIONS:
                        if x < share:
                            relation = name
                            break
                        x -= share
                    if relation == "excerpt":
                        body, _ = _excerpt(base, rng)
                        read_more = True
                    elif relation == "version":
                        filler = [story.paragraph(rng.randint(1, 3)) for _ in range(3)]
                        body, _ = _version(base, filler, rng)
                    if rng.random() < 0.5:
                        body = [_typography(p, rng) for p in body]
                number_of_site = _draw(site_table, rng) - 1
                site = sites.get((lang, number_of_site))
                if site is None:
                    site = sites[(lang, number_of_site)] = make_site(number_of_site, lang, pool, seed)
                # a retitled republication: 1 in 20 (copies mostly keep the headline)
                title = headline if not k or rng.random() >= 0.05 else story.sentence()[:90]
                ring = recent[lang]
                related = rng.sample(list(ring), min(len(ring), rng.randint(3, 8))) if ring else []
                dump = page_dump(site, title, list(body), related, rng, read_more, pool)
                yield GenPage(index, story.id, origin, relation, lang, site, title, dump)
                index += 1
            recent[lang].append(headline)


def generate(
    n_pages: int, seed: int = 7, on_origin: Callable[[str, str, str, list[str]], None] | None = None
) -> Iterator[GenPage]:
    """Stream N pages in order, one process (the same pages `write_corpus` writes with any --jobs)."""
    pools = build_pools()
    for chunk in plan(n_pages, seed):
        yield from generate_chunk(pools, chunk, n_pages, seed, on_origin)


def page_id(index: int, n_pages: int, seed: int) -> int:
    return (index * PERMUTE + seed) % n_pages


@dataclass(frozen=True)
class Job:
    """What a worker needs besides the pools: where and what to write."""

    pages_dir: Path
    n_pages: int
    seed: int
    fmt: str
    largest: int = LARGEST_STORY


@dataclass
class Written:
    """One chunk's output for the parent: gold lines, JSONL records by shard, and counts."""

    gold: list[str]
    records: dict[int, list[str]]
    relations: Counter[str]
    languages: Counter[str]
    stories: int
    origins: int
    size: int


_POOLS: dict[str, Pool] = {}  # a worker's pools, set once before the fork (read-only)


def _set_pools(pools: dict[str, Pool]) -> None:
    _POOLS.update(pools)


def write_chunk(job: Job, chunk: Chunk) -> Written:
    """Write a chunk's `.txt` dumps (or return its JSONL records) and its gold lines."""
    width = max(7, len(str(job.n_pages - 1)))
    done = Written([], {}, Counter(), Counter(), 0, 0, 0)
    stories: set[str] = set()
    origins: set[str] = set()
    for page in generate_chunk(_POOLS, chunk, job.n_pages, job.seed, largest=job.largest):
        number = page_id(page.index, job.n_pages, job.seed)
        data = page.dump.encode("utf-8")
        done.size += len(data)
        if job.fmt == "txt":
            name = f"{number // TXT_FOLDER:04d}/{number:0{width}d}.txt"
            with open(job.pages_dir / name, "wb") as handle:
                handle.write(data)
        else:
            name = f"{number:0{width}d}"
            record = {
                "id": name,
                "text": page.dump,
                "url": f"https://{page.site.domain}/news/{name}",
                "source": page.site.name,
                "title": page.headline,
            }
            done.records.setdefault(number // JSONL_SHARD, []).append(json.dumps(record, ensure_ascii=False))
        row = {"id": name, "origin": page.origin, "story": page.story, "event": page.story}
        done.gold.append(json.dumps(row | {"relation": page.relation, "lang": page.lang}))
        done.relations[page.relation] += 1
        done.languages[page.lang] += 1
        stories.add(page.story)
        origins.add(page.origin)
    done.stories, done.origins = len(stories), len(origins)
    return done


def write_corpus(
    out: Path, n_pages: int, seed: int, fmt: str, jobs: int = 1, largest: int = LARGEST_STORY
) -> dict[str, object]:
    """Write N pages under `out`/pages, and gold.jsonl and manifest.json beside; returns the manifest.

    Chunks are written by `jobs` processes and collected in order: the bytes do not depend on `jobs`.
    """
    started = time.perf_counter()
    job = Job(out / "pages", n_pages, seed, fmt, largest)
    job.pages_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "txt":
        for folder in range((n_pages + TXT_FOLDER - 1) // TXT_FOLDER):
            (job.pages_dir / f"{folder:04d}").mkdir(exist_ok=True)
    chunks = plan(n_pages, seed, largest)
    _set_pools(build_pools())
    total = Written([], {}, Counter(), Counter(), 0, 0, 0)
    shards: dict[int, TextIO] = {}
    with ExitStack() as stack:
        if jobs > 1:
            executor = stack.enter_context(
                ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
            )
            results: Iterator[Written] = executor.map(partial(write_chunk, job), chunks)
        else:
            results = map(partial(write_chunk, job), chunks)
        gold = stack.enter_context((out / "gold.jsonl").open("w", encoding="utf-8"))
        for done in results:
            gold.write("".join(line + "\n" for line in done.gold))
            for shard, lines in done.records.items():
                if shard not in shards:
                    path = job.pages_dir / f"pages-{shard:04d}.jsonl"
                    shards[shard] = stack.enter_context(path.open("w", encoding="utf-8"))
                shards[shard].write("".join(line + "\n" for line in lines))
            total.relations.update(done.relations)
            total.languages.update(done.languages)
            total.stories += done.stories
            total.origins += done.origins
            total.size += done.size
    manifest = {
        "pages": n_pages,
        "seed": seed,
        "format": fmt,
        "stories": total.stories,
        "origins": total.origins,
        "relations": dict(sorted(total.relations.items())),
        "languages": dict(sorted(total.languages.items())),
        "megabytes": round(total.size / 1e6, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "jobs": jobs,
        "largest_story": largest,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _shingles(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(" ".join(words[i : i + 5])) for i in range(len(words) - 4)}


def _require(holds: bool, problem: str) -> None:
    if not holds:
        raise SystemExit(f"generate.py --check: {problem}")


def check(n_pages: int, seed: int) -> int:
    """Self-check: determinism, gold consistency, and how much text origins of different gold share."""
    with tempfile.TemporaryDirectory() as tmp:
        digests = []
        for turn in range(2):
            folder = Path(tmp) / f"run{turn}"
            fmt, jobs = ("txt", 1) if turn == 0 else ("jsonl", 2)
            manifest = write_corpus(folder, n_pages, seed, fmt, jobs)
            gold = [json.loads(line) for line in (folder / "gold.jsonl").open(encoding="utf-8")]
            if turn == 0:
                files = {p.relative_to(folder / "pages").as_posix() for p in folder.glob("pages/*/*.txt")}
                _require(files == {g["id"] for g in gold}, "gold ids differ from the files written")
                texts = {p: (folder / "pages" / p).read_text(encoding="utf-8") for p in sorted(files)}
            else:
                records = {}
                for shard in sorted(folder.glob("pages/pages-*.jsonl")):
                    for line in shard.open(encoding="utf-8"):
                        row = json.loads(line)
                        records[row["id"]] = row["text"]
                _require(set(records) == {g["id"] for g in gold}, "gold ids differ from the records written")
                texts = {f"{int(k) // TXT_FOLDER:04d}/{k}.txt": v for k, v in records.items()}
            _require(len(gold) == n_pages, f"{len(gold)} gold rows for {n_pages} pages")
            digests.append(hashlib.sha256("".join(texts[k] for k in sorted(texts)).encode()).hexdigest())
        _require(digests[0] == digests[1], "the two runs (txt by one process, jsonl by two) differ")
        print(f"deterministic: txt (1 job), jsonl (2 jobs): the same {n_pages} dumps: {json.dumps(manifest)}")
    report: dict[str, tuple[str, str]] = {}
    langs: dict[str, str] = {}

    def keep(origin: str, story: str, lang: str, paragraphs: list[str]) -> None:
        report[origin] = (story, "\n".join(paragraphs))
        langs[origin] = lang

    list(generate(n_pages, seed, on_origin=keep))
    index: dict[int, list[str]] = {}
    sizes = {}
    sentences: dict[str, set[str]] = {}
    for origin, (_, text) in report.items():
        mine = _shingles(text)
        sizes[origin] = len(mine)
        for h in mine:
            index.setdefault(h, []).append(origin)
        for s in SENTENCE_END.split(text.replace("\n", " ")):
            if len(s.split()) >= 8:
                sentences.setdefault(s, set()).add(origin)
    shared: Counter[tuple[str, str]] = Counter()
    for owners in index.values():
        if 1 < len(owners) <= 200:
            for a, b in itertools.combinations(sorted(owners), 2):
                shared[(a, b)] += 1
    common = sum(1 for owners in index.values() if len(owners) > 200)
    heavy: Counter[tuple[str, str]] = Counter()
    buckets: dict[str, list[float]] = {"same story": [], "other story": []}
    for (a, b), n in shared.items():
        kind = "same story" if report[a][0] == report[b][0] else "other story"
        buckets[kind].append(n / max(1, min(sizes[a], sizes[b])))
        if buckets[kind][-1] >= 0.15:
            heavy[(kind, langs[a])] += 1
    n_origins = len(report)
    print(
        f"{n_origins} origins, {len({s for s, _ in report.values()})} stories; "
        f"{common} shingles in > 200 origins left out"
    )
    for kind, values in buckets.items():
        values.sort()
        over = sum(v >= 0.15 for v in values)
        top = values[-1] if values else 0.0
        median = values[len(values) // 2] if values else 0.0
        print(
            f"{kind}: {len(values)} origin pairs share any 5-word shingle; median share {median:.3f}, "
            f"max {top:.3f}, >= 0.15 (build.py's independence bar): {over}"
        )
    by_language = ", ".join(f"{k} {lang}: {n}" for (k, lang), n in sorted(heavy.items()))
    print("pairs >= 0.15 by language:", by_language)
    shared_sentences = [s for s, owners in sentences.items() if len(owners) > 1]
    within = sum(len({report[o][0] for o in sentences[s]}) == 1 for s in shared_sentences)
    print(
        f"verbatim sentences (>= 8 words) in two origins: {len(shared_sentences)} of {len(sentences)} "
        f"({within} only within one story)"
    )
    for s in shared_sentences[:3]:
        print("   ", s[:120])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (the output does not change)")
    parser.add_argument(
        "--largest-story",
        type=int,
        default=LARGEST_STORY,
        help="cut the tail: at most this many pages a story (the texts drawn do not change)",
    )
    parser.add_argument("--force", action="store_true", help="replace OUTDIR if it exists")
    parser.add_argument("--check", action="store_true", help="self-check at --pages (default 3000)")
    args = parser.parse_args()
    if args.check:
        return check(args.pages if args.pages != 10_000 else 3_000, args.seed)
    if args.out is None:
        parser.error("OUTDIR is required (or --check)")
    if args.out.exists():
        if not args.force:
            print(f"generate.py: {args.out}: exists (use --force to replace it)", file=sys.stderr)
            return 2
        shutil.rmtree(args.out)
    manifest = write_corpus(args.out, args.pages, args.seed, args.format, args.jobs, args.largest_story)
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
