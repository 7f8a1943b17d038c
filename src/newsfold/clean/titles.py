"""The headline of an HTML page, without the site's name.

A page states its headline in several places: `og:title`, `twitter:title`, the JSON-LD article's
`headline`, its first `<h1>` and its `<title>`. Titles meant for sharing and for the browser tab carry the
site's name ("Headline | Site", "Headline - Site", "Site: Headline", "Headline – Site – 28.04.2023"),
sometimes a section ("Headline | Sport"). A separator-delimited part at either edge is cut when it names
the site (its `og:site_name`, `application-name`, the JSON-LD publisher, a label of its host), is a date, or
when what is left is what another of the page's own headlines says.

Which place holds the headline is each publisher's convention. On the Fundus fixtures (235 pages, 165
publishers; `bench/bench_fundus.py`) the cut `og:title` matched the gold title on 197 pages, the JSON-LD
headline on 173, the first `<h1>` on 167, the cut `<title>` on 156 (trafilatura's title: 157); one of
them on 230. `choose_title` ranks the distinct options by evidence that holds on any site (which places
agree on one, whether the page prints it as a line, a cut, its length), learned by publisher folds.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass
from operator import mul
from urllib.parse import unquote, urlsplit

import lxml.html

from newsfold.clean.dates import parse_date_line
from newsfold.clean.markup import ARTICLE_TYPES, fold_text, json_ld_objects, meta_content

__all__ = [
    "HTML_TITLE_FEATURES",
    "HTML_TITLE_WEIGHTS",
    "TitleCandidates",
    "choose_title",
    "dump_title",
    "dump_headline_line",
    "dump_title_line",
    "site_name_parts",
    "slug_line",
    "slug_words",
    "title_candidates",
    "title_from_slug",
    "title_options",
]

# Separators that set a site's name, a section or a date apart from a headline: spaced pipes, dashes,
# slashes, bullets and guillemets, and unspaced full-width/Korean pipes and colons.
_SEPARATOR = re.compile(r"(\s+[|\-–—·•»/:]\s+|\s*[|｜ㅣ]\s*|\s*：\s*|-(?=[^\s|ㅣ｜-]{1,12}\s*[|ㅣ｜]))")
_DATE_PART = re.compile(r"[\d\s./-]{6,}")
_KEY = re.compile(r"\W+")
# A site's name is short ("The Times of India", "Neue Zürcher Zeitung"): longer ones are not names.
MAX_SITE_NAME_CHARS = 40


@dataclass(frozen=True)
class TitleCandidates:
    """What a page says its headline is, from each place (whitespace folded, entities decoded)."""

    og_title: str | None = None
    twitter_title: str | None = None
    json_ld: str | None = None
    h1: str | None = None
    html_title: str | None = None
    site_names: tuple[str, ...] = ()


def title_candidates(tree: lxml.html.HtmlElement) -> TitleCandidates:
    """The headlines a page states (see the module's docstring), and the names it gives itself."""
    json_ld, names = None, []
    for obj in json_ld_objects(tree):
        if json_ld is None and ARTICLE_TYPES.search(str(obj.get("@type", ""))):
            json_ld = fold_text(obj.get("headline"))
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and (name := fold_text(publisher.get("name"))):
            names.append(name)
    for meta in ("og:site_name", "application-name", "apple-mobile-web-app-title"):
        if name := meta_content(tree, meta):
            names.append(name)
    h1 = next((t for el in tree.xpath("//h1") if (t := fold_text(el.text_content()))), None)
    html_title = next((t for raw in tree.xpath("//title/text()") if (t := fold_text(raw))), None)
    return TitleCandidates(
        og_title=meta_content(tree, "og:title"),
        twitter_title=meta_content(tree, "twitter:title"),
        json_ld=json_ld,
        h1=h1,
        html_title=html_title,
        site_names=tuple(dict.fromkeys(names)),
    )


def _key(text: str) -> str:
    return _KEY.sub("", text.casefold())


def site_name_parts(host: str | None, names: Sequence[str]) -> tuple[str, ...]:
    """The keys (`_key`) a title part naming the site may have: its given names and its host's labels."""
    # A "name" of many words is a headline that a page put in the name's place, not a name.
    keys = [_key(n) for n in names if len(n) <= MAX_SITE_NAME_CHARS]
    if host:
        host = host.lower().removeprefix("www.")
        keys.append(_key(host))
        keys.extend(_key(label) for label in host.split(".")[:-1] if len(label) > 2)
    return tuple(k for k in dict.fromkeys(keys) if k)


def _names_site(part: str, site_keys: Sequence[str]) -> bool:
    """Does a title part name the site (one of its names, a host label, or the name within a longer one)?"""
    key = _key(part)
    if not key:
        return False
    return any(key == k or (len(key) >= 4 and key in k) or (len(k) >= 4 and k in key) for k in site_keys)


def _shorter_cut(part: str, rest: str, other_keys: set[str]) -> bool:
    """Is `rest` (the title without `part`) another of the page's headlines, and `part` the smaller?"""
    return _key(rest) in other_keys and len(_key(part)) < len(_key(rest))


def strip_site(title: str, site_keys: Sequence[str], others: Sequence[str]) -> str:
    """The title without the separator-delimited parts at its edges that name the site, are a date, or
    whose removal leaves another of the page's headlines (`others`)."""
    other_keys = {_key(o) for o in others if o}
    while True:
        pieces = _SEPARATOR.split(title)
        if len(pieces) < 3:
            return title
        head, tail = "".join(pieces[2:]).strip(), "".join(pieces[:-2]).strip()
        last, first = pieces[-1].strip(), pieces[0].strip()
        if _names_site(last, site_keys):
            # "Headline - Section | Site": a one- or two-word part before the site's name is its section.
            section = pieces[-3].strip() if len(pieces) >= 5 else ""
            shorter = "".join(pieces[:-4]).strip()
            cut = section and len(section.split()) <= 2 and len(_key(section)) < len(_key(shorter))
            title = shorter if cut else tail
        elif _DATE_PART.fullmatch(last):
            title = tail
        elif _shorter_cut(last, tail, other_keys):
            title = tail
        elif (_names_site(first, site_keys) or _shorter_cut(first, head, other_keys)) and len(
            _key(head)
        ) > len(_key(first)):
            title = head
        else:
            return title


# --- the headline of an HTML page -----------------------------------------------------------------------
# Each place's headline, the site's name cut (`strip_site`), is an option; places that give the same
# option vote for it. The options are ranked by a linear scorer over general evidence (which places give
# it, how many, whether a cut made it, whether the page prints it as a line of its own, its length beside
# the longest option's, whether it is a part of another option, a separator or the site's name left in
# it), trained by bench/train_title_model.py --html; the best-scoring option is the headline.
TITLE_SOURCES = ("og_title", "twitter_title", "json_ld", "h1", "html_title")
HTML_TITLE_FEATURES = (
    *TITLE_SOURCES, "sources", "cut", "printed", "length_share", "inside_other", "separator", "names_site",
)  # fmt: skip
# Pairwise logistic regression (bench/train_title_model.py --html: the gold option against each other
# option of a page, C=100, standardisation folded in). Fundus fixtures, 235 pages, exact title, 5-fold CV by
# publisher, beside the fixed order (the first of the cut og:title, twitter, JSON-LD, h1, <title>: 0.838):
# the benchmark's folds (bench_fundus.py --cv) 0.864, five shuffled publisher splits 0.855-0.877 (mean
# 0.867), GroupKFold by publisher 0.855. Before (Dec 6, wt-titles, same data): with the option's log length
# beside its share of the longest and C=1, 0.826 / 0.830-0.855 (mean 0.841) / 0.868. Which place holds a
# publisher's headline is its convention: of the 32 misses left on the benchmark's folds, 19 are pages
# whose places state different headlines (og:title a social variant, JSON-LD an edited one), 5 a kicker
# or section kept or not, 3 the same headline in other quotes; 5 golds are no option (a site part kept).
HTML_TITLE_WEIGHTS = (
    2.9724,  # og_title
    -0.8375,  # twitter_title
    2.7449,  # json_ld
    -5.0410,  # h1
    0.5457,  # html_title
    0.5974,  # sources
    -1.1484,  # cut
    5.0904,  # printed
    1.5516,  # length_share
    0.9024,  # inside_other
    1.0323,  # separator
    -7.9799,  # names_site
)
_SITE_SEPARATOR = re.compile(r"\s[|]\s|\s[-–—]\s")
# The separators after which a <title> names its site ("Headline | Site", "Headline - Site"): not a colon,
# which more often sets a kicker apart.
_SUFFIX_SEPARATOR = re.compile(r"\s+[|\-–—·•»/]\s+|\s*[|｜ㅣ]\s*")


def title_suffix_keys(candidates: TitleCandidates) -> tuple[str, ...]:
    """The keys (`_key`) of the parts the page's <title> adds after a headline another place states
    ("Headline | Section | Site" beside an h1 "Headline"): the page's own names for its site, to cut from
    its other places ("Other headline | Site")."""
    title = candidates.html_title
    others = {_key(t) for t in (candidates.og_title, candidates.twitter_title, candidates.json_ld,
                                candidates.h1) if t}  # fmt: skip
    if not title or not others:
        return ()
    pieces = _SUFFIX_SEPARATOR.split(title)
    for end in range(len(pieces) - 1, 0, -1):
        if _key(" ".join(pieces[:end])) in others:
            suffix = [_key(p) for p in pieces[end:] if len(p) <= MAX_SITE_NAME_CHARS]
            return tuple(k for k in suffix if len(k) >= 3)  # 1-2 letters ("en", "de") name no site; not tuned
    return ()


def title_options(
    candidates: TitleCandidates, site_keys: Sequence[str], page_lines: Sequence[str] = ()
) -> list[tuple[str, list[float]]]:
    """Each distinct headline the page states, the site's name cut, with its row of `HTML_TITLE_FEATURES`.

    `site_keys`: `site_name_parts` of the page; `page_lines`: the page's visible text, one block a line
    (its text dump), where the headline it shows its readers stands on a line of its own.
    """
    plain = [t for t in (candidates.json_ld, candidates.h1) if t]
    site_keys = (*site_keys, *title_suffix_keys(candidates))
    found: dict[str, tuple[set[str], bool]] = {}
    for source in TITLE_SOURCES:
        title = getattr(candidates, source)
        if title and (cut := strip_site(title, site_keys, plain)):
            sources, was_cut = found.setdefault(cut, (set(), False))
            sources.add(source)
            found[cut] = (sources, was_cut or cut != title)
    if not found:
        return []
    printed = {" ".join(line.split()) for line in page_lines if len(line) <= 2 * MAX_TITLE_CHARS}
    keys = {option: _key(option) for option in found}
    names = [k for n in candidates.site_names if len(k := _key(n)) >= 4]
    longest = max(map(len, found))
    rows = []
    for option, (sources, was_cut) in found.items():
        key = keys[option]
        rows.append((option, [
            *(float(s in sources) for s in TITLE_SOURCES),
            len(sources) / len(TITLE_SOURCES),
            float(was_cut),
            float(option in printed),
            len(option) / longest,
            float(any(key != k and key in k for k in keys.values())),
            float(_SITE_SEPARATOR.search(option) is not None),
            float(any(n in key for n in names)),
        ]))  # fmt: skip
    return rows


def choose_title(
    candidates: TitleCandidates,
    host: str | None = None,
    extra_names: Sequence[str] = (),
    page_lines: Sequence[str] = (),
) -> str | None:
    """The page's headline: the option (`title_options`) that `HTML_TITLE_WEIGHTS` score highest; None
    when the page states none. `page_lines`: its visible text, one block a line (see `title_options`)."""
    site_keys = site_name_parts(host, [*candidates.site_names, *extra_names])
    options = title_options(candidates, site_keys, page_lines)
    if not options:
        return None
    scores = [sum(w * x for w, x in zip(HTML_TITLE_WEIGHTS, row, strict=True)) for _, row in options]
    return options[scores.index(max(scores))][0]


# A path segment of at least this many words is a slug: the headline written into the address
# ("/2024/05/03/mayor-resigns-after-vote"); ids and sections ("/news/article-123") have fewer.
MIN_SLUG_WORDS = 3
# How well a line must say what the slug says: (slug words it holds / slug words) x (its words in the slug
# / its words). Fundus text dumps (235 pages, 208 with a slug): at 0.25 the exact title went from 65 to 124
# pages; a subheading or a caption repeating a few slug words scores far lower.
MIN_SLUG_FIT = 0.25
# Longer lines are paragraphs, not headlines (and scraped text is untrusted: bound the work).
MAX_TITLE_CHARS = 300
_SLUG_SPLIT = re.compile(r"[-_.+~,]")
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _plain(text: str) -> str:
    """Lower case without accents: slugs drop them ("Zürich" -> "zurich")."""
    if text.isascii():  # most lines and addresses: no accent to drop
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def slug_words(url: str | None) -> frozenset[str]:
    """The words of a URL's slugs (path segments of `MIN_SLUG_WORDS` words or more), plain lower case."""
    try:
        path = urlsplit(url[:2000]).path if url else ""
    except ValueError:  # a malformed address ("http://[not-an-ipv6/a") has no slug
        return frozenset()
    words: set[str] = set()
    for segment in unquote(path).split("/"):
        parts = [w for w in _SLUG_SPLIT.split(_plain(segment)) if len(w) > 1 and w.isalpha()]
        if len(parts) >= MIN_SLUG_WORDS:
            words.update(parts)
    return frozenset(words)


def slug_line(lines: Sequence[str], url: str | None) -> int | None:
    """The index of the line among `lines` (a text dump's lines above its body) that says what the URL's
    slug says: the headline, where the dump's own title line is often a byline, a caption or a share bar.
    None without a slug or a line that fits it (`MIN_SLUG_FIT`)."""
    return _slug_line(lines, slug_words(url))


def _slug_line(lines: Sequence[str], slug: frozenset[str]) -> int | None:
    """`slug_line` with the URL's slug words (`slug_words`) given."""
    if len(slug) < MIN_SLUG_WORDS:
        return None
    best, best_fit = None, MIN_SLUG_FIT
    for i, line in enumerate(lines):
        if len(line) > MAX_TITLE_CHARS or not (words := _WORDS.findall(_plain(line))):
            continue
        hits = sum([w in slug for w in words])
        fit = (hits / len(slug)) * (hits / len(words))
        if fit >= best_fit and (best is None or fit > best_fit):
            best, best_fit = i, fit
    return best


def title_from_slug(lines: Sequence[str], url: str | None) -> str | None:
    """The text of `slug_line` (stripped), None without one."""
    at = slug_line(lines, url)
    return None if at is None else lines[at].strip()


# --- the headline of a text dump ------------------------------------------------------------------------
# A text dump has no metadata: its headline is one of the lines just above the body, among bylines, date
# lines, share bars, captions, kickers and menus. Each such line is scored by a linear ranker over
# general evidence of its shape, its place, its neighbours and the URL's slug (`title_features`),
# trained by bench/train_title_model.py; the best-scoring line is the headline. Cost: 0.047 of
# clean_pages' CPU time on the zyte text dumps (6.5 candidates a page, ~55 us a page in plain Python; Dec 7,
# wt-title15, same run: 0.097 before the date lines came from the line labels and six features went;
# 0.18 while two features read the body's words).

# Lines above the first body line that may be the headline. Fundus text dumps (235 pages): the gold
# headline stood within 15 lines above the body on 147 of the 185 pages that print it on a line of their
# own, within 20 on 160.
TITLE_WINDOW = 20
# Shorter lines are menu items, section names and buttons, not headlines (Fundus: the shortest gold headline
# printed on a dump line has 15 characters; CJK headlines run 20 and more).
MIN_TITLE_CHARS = 12
# The first body line is a headline candidate only up to this many words: longer, it is the lead sentence
# of a record without a headline (ECB+ dev: 180 of 496 records have none; their leads run 20-60 words).
MAX_LEAD_TITLE_WORDS = 20
# An address line (tokenised corpora print "http: / / www. ..."), never a headline.
_URL_STARTS = ("http:", "https:", "www.")
_CREDIT_MARKS = ("©", "foto:", "photo:", "bild:", "image:", "credit:", "quelle:", "fotó:", "zdjęcie:")
# The ranker's features. Dropped Dec 7 (wt-title15), each adding nothing out of fold on the Fundus dumps
# (exact title 0.613 with them, 0.617 without) while reading every candidate: few_words, log_distance,
# byline, share_words (a regex over the share words: 0.13 of the ranker's time), breadcrumb, next_dated.
TITLE_FEATURES = (
    "log_chars", "words", "end_mark", "colon", "digit_share", "slug_fit", "has_slug", "capital_share",
    "credit", "model_title", "spaced_colon", "end_bracket", "prev_short",
)  # fmt: skip
_CREDIT = re.compile("|".join(map(re.escape, _CREDIT_MARKS)))
_DIGIT = re.compile(r"\d")


def _slug_fit(line: str, slug: frozenset[str]) -> float:
    """(slug words the line holds / slug words) x (its words in the slug / its words): see MIN_SLUG_FIT."""
    if len(slug) < MIN_SLUG_WORDS:
        return 0.0
    words = _WORDS.findall(_plain(line))
    if not words:
        return 0.0
    hits = sum([w in slug for w in words])
    return (hits / len(slug)) * (hits / len(words))


def _may_be_headline(text: str) -> bool:
    """Not a sentence (a final period) nor, in a spaced script, one or two words (a menu item, a button):
    of the Fundus dumps' 2,248 window lines, 724 such, none the headline. `text`: a line, stripped."""
    if text.endswith((".", "。")) and not text.endswith("..."):
        return False
    return not text.isascii() or len(text.split(None, 2)) >= 3  # (3 parts: 3 words or more)


def title_candidates_of_dump(
    lines: Sequence[str], first_body: int, date_lines: Container[int] | None = None
) -> list[int]:
    """Indices of the lines that may be a dump's headline: neither short nor long, not an address, a date
    line, a sentence or a menu item (`_may_be_headline`), in the window above the first body line, and
    that line itself when it is short (a clean record keeps its headline as its first line of text).

    `date_lines`: the indices of the page's date lines when the caller knows them (the line labels name
    them); else each line holding a digit is parsed (`parse_date_line`: half of the candidates' time).
    """
    out = []
    for i in range(max(0, first_body - TITLE_WINDOW), min(first_body + 1, len(lines))):
        if len(lines[i]) < MIN_TITLE_CHARS:  # most window lines: menu items, labels, blanks
            continue
        text = lines[i].strip()
        if (
            MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS
            and _may_be_headline(text)
            and not text[:6].lower().startswith(_URL_STARTS)
            and not _is_date_line(lines, i, date_lines)
        ):
            out.append(i)
    lead = lines[first_body].split() if out and out[-1] == first_body else []
    if len(lead) > MAX_LEAD_TITLE_WORDS:
        out.pop()  # the body's first sentence, not a headline (a record without one has no title)
    return out


def _is_date_line(lines: Sequence[str], i: int, date_lines: Container[int] | None) -> bool:
    if date_lines is not None:
        return i in date_lines
    return _DIGIT.search(lines[i]) is not None and parse_date_line(lines[i]) is not None


def title_features(
    lines: Sequence[str], first_body: int, candidates: Sequence[int], url: str | None, model_title: int | None
) -> list[list[float]]:
    """One row of `TITLE_FEATURES` per candidate line (see `dump_title`)."""
    return _feature_rows(lines, candidates, slug_words(url), model_title)


def _feature_rows(
    lines: Sequence[str], candidates: Sequence[int], slug: frozenset[str], model_title: int | None
) -> list[list[float]]:
    """`title_features` with the URL's slug words (`slug_words`) given. (Conditional floats, not `float()`
    calls: a page has half a dozen candidates, and the calls were a seventh of the ranker's time.)"""
    has_slug = 1.0 if len(slug) >= MIN_SLUG_WORDS else 0.0  # a page-level term: it sets the slug fit's scale
    rows = []
    for i in candidates:
        words = lines[i].split()
        line = " ".join(words)
        n_words = len(words)
        last = line[-1]
        # credit marks are "©" or end in a colon: most lines hold neither, and skip the regex
        credit = ("©" in line or ":" in line) and _CREDIT.search(line.casefold()) is not None
        rows.append([
            math.log1p(len(line)),
            min(n_words, 40) / 40,
            1.0 if last in "?!\"'»”“’…" else 0.0,
            1.0 if ":" in line else 0.0,
            len(_DIGIT.findall(line)) / len(line),
            _slug_fit(line, slug) if has_slug else 0.0,
            has_slug,
            sum([w[0].isupper() for w in words]) / (n_words or 1),
            1.0 if credit else 0.0,
            1.0 if i == model_title else 0.0,
            1.0 if " : " in line else 0.0,
            1.0 if last in ")]）】" else 0.0,
            # (at most 3 words: a split into at most 4 parts tells)
            1.0 if i > 0 and len(lines[i - 1].split(None, 3)) <= 3 else 0.0,
        ])  # fmt: skip
    return rows


# The ranker's weights over TITLE_FEATURES (bench/train_title_model.py: logistic regression, C=0.1 of
# 0.03/0.1/1, standardisation folded in). Fundus text dumps, 235 pages, 5-fold CV by publisher: exact title
# 0.528 (the slug's line, else the line model's title) -> 0.617; the gold headline stands on a candidate
# line of 166 pages (0.706 at best). Window 12 / 15 lines: 0.583 / 0.596. The line's words found in the
# body's first 1,000 characters (two features, a third of the ranker's cost) gave 0.617 too: left out.
# Dec 7 (wt-title15, fold models of html14, same run): the 13 features here, date lines from the line
# labels, GroupKFold by publisher 0.617 -> 0.630, the benchmark's folds (bench_fundus.py --cv) 0.613 ->
# 0.617; C=0.03/0.3 0.617, C=1 0.626 on the benchmark's folds (0.1 kept). A line repeated elsewhere on its
# page (share text, a footer), its label's kind or reason, its place among the candidates: +0 or +1 page.
TITLE_WEIGHTS = (
    1.7185,  # log_chars
    -3.9629,  # words
    0.4718,  # end_mark
    0.7485,  # colon
    -7.2817,  # digit_share
    4.3757,  # slug_fit
    -1.1891,  # has_slug
    -2.2533,  # capital_share
    -1.7256,  # credit
    1.1083,  # model_title
    -2.3257,  # spaced_colon
    -1.8847,  # end_bracket
    0.8296,  # prev_short
)


def dump_title(
    lines: Sequence[str], first_body: int, url: str | None, model_title: int | None = None
) -> str | None:
    """The headline of a text dump: the line above its body (`title_candidates_of_dump`) that the ranker
    (`TITLE_WEIGHTS` over `title_features`) scores highest; None without a candidate.

    `first_body`: the index of the first body line; `url`: the page's address (its slug); `model_title`:
    the line the line model called the title, if any.
    """
    at = dump_title_line(lines, first_body, url, model_title)
    return None if at is None else " ".join(lines[at].split())


def dump_title_line(
    lines: Sequence[str],
    first_body: int,
    url: str | None,
    model_title: int | None = None,
    date_lines: Container[int] | None = None,
) -> int | None:
    """The index of `dump_title`'s line (None without a candidate), for a caller that keeps it out of the
    removed lines; `date_lines` as `title_candidates_of_dump` reads them."""
    return _ranked_line(lines, first_body, slug_words(url), model_title, date_lines)


def _ranked_line(
    lines: Sequence[str],
    first_body: int,
    slug: frozenset[str],
    model_title: int | None,
    date_lines: Container[int] | None,
) -> int | None:
    """`dump_title_line` with the URL's slug words (`slug_words`) given."""
    candidates = title_candidates_of_dump(lines, first_body, date_lines)
    if len(candidates) <= 1:  # none, or one that needs no score to win
        return candidates[0] if candidates else None
    rows = _feature_rows(lines, candidates, slug, model_title)
    scores = [sum(map(mul, TITLE_WEIGHTS, row)) for row in rows]
    return candidates[scores.index(max(scores))]


def dump_headline_line(
    lines: Sequence[str],
    first_body: int,
    url: str | None,
    model_title: int | None = None,
    date_lines: Container[int] | None = None,
    rank: bool = True,
) -> int | None:
    """The index of a text dump's headline line: the line its URL's slug names (`slug_line`, among the
    lines down to the first body line, all of them on a page without body), else, with `rank` and a body,
    `dump_title_line`'s, else `model_title` (the line model's title; None without any).

    The slug first: Fundus dumps, exact title CV by publisher 0.617 with the ranker first, 0.647 with the
    slug's line first (Dec 7, wt-title15). The slug's words are read from the URL once for both.
    """
    slug = slug_words(url)
    has_body = first_body < len(lines)
    at = _slug_line(lines[: first_body + 1] if has_body else lines, slug)
    if at is None and has_body and rank:
        at = _ranked_line(lines, first_body, slug, model_title, date_lines)
    at = model_title if at is None else at
    return None if at is None else _bare_headline(lines, at, first_body)


# A line holding another line of the page whole, and more, is that headline with chrome around it (the
# page's <title> printed as "Section > Headline - Site", "Headline | Site"): the bare line is the headline
# (the "titles without the site's name"). The held line must be a headline by itself, not a name
# or a tag the headline mentions: at least this many words and this share of the holding line's characters.
# Chosen, not fitted: a person's or place's name is 1-3 words, and a site's name and breadcrumbs add less
# than the headline itself. Fundus text dumps (publisher folds, Dec 7): exact title 0.647 -> 0.651 (one
# page), no page lost; fold-corpus-2400's titles unchanged.
MIN_BARE_WORDS = 4
MIN_BARE_SHARE = 0.5


def _bare_headline(lines: Sequence[str], at: int, first_body: int) -> int:
    """`at`, or the longest line above the body (within `TITLE_WINDOW`) that line `at` holds whole with
    more around it (`MIN_BARE_WORDS`, `MIN_BARE_SHARE`, `_holds_whole`)."""
    chosen = " ".join(lines[at].split())
    best, best_len = at, 0
    for i in range(max(0, first_body - TITLE_WINDOW), min(first_body + 1, len(lines))):
        if len(lines[i]) < MIN_BARE_SHARE * len(chosen):  # most lines: short (menus, labels, blanks)
            continue
        text = " ".join(lines[i].split())
        if (
            best_len < len(text) < len(chosen)
            and len(text) >= MIN_BARE_SHARE * len(chosen)
            and len(text.split()) >= MIN_BARE_WORDS
            and _holds_whole(chosen, text)
        ):
            best, best_len = i, len(text)
    return best


def _holds_whole(line: str, text: str) -> bool:
    """Whether `line` holds `text` as a whole with chrome after it, not as a teaser's cut: what follows
    `text` in `line` is nothing, or neither the rest of a word nor a lower-case word going on."""
    at = line.find(text)
    if at < 0:
        return False
    rest = line[at + len(text) :]
    return not rest or (not rest[0].isalnum() and not rest.lstrip()[:1].islower())
