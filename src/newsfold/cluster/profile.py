"""What the clustering keeps of one article: weighted words and names, years, days and numbers.

Word weights come from a fixed English frequency list (wordfreq) rather than a corpus IDF: a corpus IDF
would change every earlier decision as articles arrive, and incremental ingest must equal a batch fold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from newsfold.cluster._kernels import WORD as _WORD
from newsfold.cluster._kernels import (
    digit_run_starts,
    findall_from,
    month_starts,
    name_weights,
    normalised,
    term_weights,
)
from newsfold.entities import EntityReader
from newsfold.models import Article
from newsfold.settings import ClusterSettings

__all__ = ["Lexicon", "Profile", "profile_of", "profiles_of"]

# Each pattern opens with a digit or a month (its boundary checked by a lookbehind after that first
# character), so the regex engine skips to candidates instead of trying every position: the same matches
# as the plain forms noted beside them, about four times faster (bench/fold corpus).
# (?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?
_NUMBER = re.compile(r"\d(?<![\w.,]\d)(?:\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d*(?:\.\d+)?)")
# A year, not part of a larger number: "2,003,000" and "2003.5" are not years, "March 4, 2003, at" is.
# (?<![\w.,$£€])(19[5-9]\d|20[0-4]\d)(?!\w|[.,]\d)
_YEAR = re.compile(r"(1(?<![\w.,$£€]1)9[5-9]\d|2(?<![\w.,$£€]2)0[0-4]\d)(?!\w|[.,]\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# \b{_MONTH}\s*(\d{1,2})(?:st|nd|rd|th)?\b case-blind, here over the lower-cased text.
_DAY_AFTER = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?<!\w...)[a-z]*\.?\s*(\d{1,2})"
    r"(?:st|nd|rd|th)?\b"
)
# \b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b
_DAY_BEFORE = re.compile(rf"(\d(?<!\w\d)\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b", re.IGNORECASE)
# Numeric dates written in the text: 2013-09-26 (also "2013 - 09 - 26" as some dumps tokenise it).
# (?<!\d)(19[5-9]\d|20[0-4]\d)\s?[-/]\s?(\d{1,2})\s?[-/]\s?(\d{1,2})(?!\d)
_ISO_IN_TEXT = re.compile(
    r"(1(?<!\d1)9[5-9]\d|2(?<!\d2)0[0-4]\d)\s?[-/]\s?(\d{1,2})\s?[-/]\s?(\d{1,2})"
    r"(?!\d)"
)
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# A path segment of an address, less a file extension (".html", ".php"), and its parts ("-", "_", "+").
_SEGMENT_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}$")
_SLUG_PART = re.compile(r"[-_+.,]+")
_ALNUM = re.compile(r"[\w'’]+")
_DOTTED = re.compile(r"\w[\w'’.-]*\w")  # "dec.14", "people.com", "d-w.va"
_PUNCTUATION = "\"'()[]{}<>.,;:!?“”‘’«»"
# A slug joins at least this many words ("historic-mat-maid-warehouse-burns"); a segment of one or two
# ("news", "world-news") names a section of the site, which many events share. Not tuned.
SLUG_WORDS = 3
MAX_SLUG_WORDS = 30  # bounds what an address adds (scraped text is untrusted): real slugs run 5-15 words
HEAVIEST = 5  # heaviest names and words checked for presence on the other side of a pair
_UNSEEN: Any = object()  # a word the lexicon's cache does not hold yet


@dataclass(frozen=True)
class Profile:
    """One article as the clustering compares it; `terms` and `names` are unit vectors."""

    id: str
    terms: dict[str, float]
    names: dict[str, float]
    years: dict[int, int]
    days: frozenset[str]
    numbers: frozenset[str]
    words: int  # distinct weighted words: short articles have lower similarities to everything

    @cached_property
    def ranked_terms(self) -> list[str]:
        """The words, heaviest first (ties by word): the index keys and the heaviest words come from here."""
        return heaviest_first(self.terms)

    @cached_property
    def ranked_names(self) -> list[str]:
        """The names, heaviest first (ties by name)."""
        return heaviest_first(self.names)

    @property
    def heaviest_terms(self) -> list[str]:
        """The words that weigh most: a missing main word suggests another event."""
        return self.ranked_terms[:HEAVIEST]

    @property
    def heaviest_names(self) -> list[str]:
        """The names that weigh most."""
        return self.ranked_names[:HEAVIEST]

    def to_state(self) -> list[Any]:
        """Plain JSON (a list keeps the store's state small at 100,000 articles)."""
        return [
            self.id,
            self.terms,
            self.names,
            {str(y): c for y, c in self.years.items()},
            sorted(self.days),
            sorted(self.numbers),
            self.words,
        ]

    @classmethod
    def from_state(cls, state: list[Any]) -> Profile:
        ident, terms, names, years, days, numbers, words = state
        return cls(
            ident,
            dict(terms),
            dict(names),
            {int(y): c for y, c in years.items()},
            frozenset(days),
            frozenset(numbers),
            int(words),
        )


# scikit-learn's English stop words (sklearn.feature_extraction.text.ENGLISH_STOP_WORDS, 318 words, BSD),
# written out: importing scikit-learn for them cost every command 0.7 s.
STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also although always
    am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as
    at back be became because become becomes becoming been before beforehand behind being below beside
    besides between beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe
    detail do done down due during each eg eight either eleven else elsewhere empty enough etc even ever
    every everyone everything everywhere except few fifteen fifty fill find fire first five for former
    formerly forty found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in inc indeed
    interest into is it its itself keep last latter latterly least less ltd made many may me meanwhile might
    mill mine more moreover most mostly move much must my myself name namely neither never nevertheless next
    nine no nobody none noone nor not nothing now nowhere of off often on once one only onto or other others
    otherwise our ours ourselves out over own part per perhaps please put rather re same see seem seemed
    seeming seems serious several she should show side since sincere six sixty so some somehow someone
    something sometime sometimes somewhere still such system take ten than that the their them themselves
    then thence there thereafter thereby therefore therein thereupon these they thick thin third this those
    though three through throughout thru thus to together too top toward towards twelve twenty two un under
    until up upon us very via was we well were what whatever when whence whenever where whereafter whereas
    whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will
    with within without would yet you your yours yourself yourselves
    """.split()
)


def word_frequencies(words: Collection[str] | None = None) -> dict[str, float]:
    """wordfreq's large English list as {word: frequency}, read from its data file directly; with `words`,
    only their entries (the others are left out, as words the list lacks are).

    wordfreq.get_frequency_dict gives the same dictionary, but importing wordfreq (regex, ftfy, langcodes)
    and its conversion cost 0.7 s a process; the file is wordfreq's documented cBpack (a gzipped msgpack
    list: a header, then the words of each centibel of frequency). Any other layout falls back to wordfreq.
    Building the dictionary of all 321,180 words is most of the cost (0.09 of 0.13 s CPU); looking up a
    few thousand words in the list costs 0.01 s (an ingest of a few pages needs no more).
    """
    import gzip
    from importlib.util import find_spec

    import msgpack

    spec = find_spec("wordfreq")
    folders = list(spec.submodule_search_locations or []) if spec else []
    wanted = None if words is None else frozenset(words)
    for folder in folders:
        try:
            with gzip.open(f"{folder}/data/large_en.msgpack.gz", "rb") as f:
                pack = msgpack.unpackb(f.read(), raw=False)
        except OSError:
            continue
        if pack and pack[0] == {"format": "cB", "version": 1}:
            frequency: dict[str, float] = {}
            for index, bucket in enumerate(pack[1:]):
                found = bucket if wanted is None else wanted.intersection(bucket)
                frequency.update(dict.fromkeys(found, 10 ** (-index / 100)))  # wordfreq.cB_to_freq
            return frequency
    import wordfreq

    every: dict[str, float] = wordfreq.get_frequency_dict("en", wordlist="large")
    return every if wanted is None else {w: f for w, f in every.items() if w in wanted}


def word_list_source() -> str:
    """Which word list `word_frequencies` reads, as a string that changes when the list does (its file's
    path, size and modification time): a copy of the list kept elsewhere (`Store.word_frequencies`) is
    taken again when it differs."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("wordfreq")
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / "large_en.msgpack.gz"
        if path.is_file():
            found = path.stat()
            return f"{path}:{found.st_size}:{found.st_mtime_ns}"
    return "wordfreq"


class WordFrequencies:
    """`word_frequencies` read for `words` only, and read whole the first time another word is asked: the
    same answers as the whole list for any word, at a fraction of the cost when the words are known.
    `table`: the entries of `words` when the caller has them (`word_frequencies(words)`, e.g. from a copy
    of the list in a store), so that the list is not read for them."""

    def __init__(
        self, words: Collection[str] | None = None, table: Mapping[str, float] | None = None
    ) -> None:
        self._words = None if words is None else frozenset(words)
        if table is not None and words is not None:
            self._table = dict(table)
        else:
            self._table = word_frequencies(self._words)

    def get(self, word: str, default: float = 0.0) -> float:
        if self._words is not None and word not in self._words:
            self._table, self._words = word_frequencies(), None
        return self._table.get(word, default)


def words_of(articles: Iterable[Article]) -> set[str]:
    """Every word a `Lexicon` can be asked about while profiling these articles (a superset: each token
    of the title, text and address as written and lower-cased, split by `_WORD` and by white space)."""
    words: set[str] = set()
    for article in articles:
        for text in (article.title or "", article.text, article.url or ""):
            for form in (text, text.lower()):
                tokens = form.split()
                stripped = [t.replace(".", "").strip(_PUNCTUATION) for t in tokens]  # "U.S." -> "US"
                words.update(tokens, stripped, _WORD.findall(form))
                words.update(_ALNUM.findall(form), _DOTTED.findall(form))
                words.update(t[:-2] for t in stripped if t[-2:] in ("'s", "’s"))  # "O'Neal's"
        words.update(slug_words(article.url))
    return words


class Lexicon:
    """Word weights from a fixed English frequency list, a stem cache and an entity reader (owned by one
    index or one batch of profiles). `words`: the words it will be asked about, when known (the list is
    then read for them only; another word reads it whole, so any answer is the same); `frequency`: the
    list as the caller has read it (`WordFrequencies`), instead."""

    def __init__(
        self,
        settings: ClusterSettings,
        words: Collection[str] | None = None,
        frequency: WordFrequencies | None = None,
    ) -> None:
        import Stemmer

        self.settings = settings
        self.frequency = frequency if frequency is not None else WordFrequencies(words)
        self.stemmer = Stemmer.Stemmer("english")  # compiled Snowball (PyStemmer)
        self.stop_words = STOP_WORDS
        self.cache: dict[str, tuple[str, float] | None] = {}
        self.name_cache: dict[str, float] = {}
        self.entities = EntityReader()

    def term(self, word: str) -> tuple[str, float] | None:
        """(stem, weight) of a lower-case word, None for stop words and words too common to tell events."""
        hit = self.cache.get(word, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        result: tuple[str, float] | None = None
        if word not in self.stop_words:
            freq = max(self.frequency.get(word, 0.0), self.settings.unknown_word_frequency)
            weight = math.log(self.settings.common_word_frequency / freq)
            if weight > 0:
                result = (self.stemmer.stemWord(word), weight)
        if len(self.cache) > 500_000:  # bounds memory on endless streams of new words
            self.cache.clear()
        self.cache[word] = result
        return result

    def name_weight(self, name: str) -> float:
        """A name is as telling as its rarest word: "Kim" tells less than "Vostochny"."""
        weight = self.name_cache.get(name)
        if weight is None:
            freqs = [self.frequency.get(w, 0.0) for w in name.split()]
            freq = max(min(freqs), self.settings.unknown_word_frequency)
            weight = max(0.5, math.log(self.settings.common_word_frequency / freq))
            if len(self.name_cache) > 500_000:  # bounded as the words' cache
                self.name_cache.clear()
            self.name_cache[name] = weight
        return weight


def heaviest_first(weights: dict[str, float]) -> list[str]:
    """The keys by weight, heaviest first, ties by key: `sorted(weights.items(), key=lambda kv: (-kv[1],
    kv[0]))`'s keys, by two sorts without a Python key function (a reverse sort keeps ties in the order
    it found them: the keys' order). Each profile ranks its words in the clustering's every batch table:
    190,006 key calls on bench/fold's 2,400 pages. Weights are positive numbers, never NaN."""
    return sorted(sorted(weights), key=weights.__getitem__, reverse=True)


def top(weights: dict[str, float], k: int) -> dict[str, float]:
    """The k heaviest entries, ties broken by key so that the result never depends on insertion order."""
    if len(weights) <= k:
        return weights
    return {key: weights[key] for key in heaviest_first(weights)[:k]}


def slug_words(url: str | None) -> list[str]:
    """The words of an address's slugs, lower-cased: the headline as the site filed it.

    Only path segments of at least SLUG_WORDS parts count, and only their alphabetic parts: the host (a
    site is not an event), section names, ids ("2194453", "e84396ea") and the query are left out.

    >>> slug_words("https://example.com/news/2012/08/08/historic-mat-maid-warehouse-burns/article_e843.html")
    ['historic', 'mat', 'maid', 'warehouse', 'burns']
    """
    if not url:
        return []
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[1] if "://" in path else path
    words: list[str] = []
    for segment in path.lower().split("/")[1:]:
        parts = [p for p in _SLUG_PART.split(_SEGMENT_EXTENSION.sub("", segment)) if p]
        if len(parts) >= SLUG_WORDS:
            words += [p for p in parts if p.isalpha() and len(p) >= 2]
    return words[:MAX_SLUG_WORDS]


def _day(month: int, day: int) -> str | None:
    return f"{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def profile_of(article: Article, lexicon: Lexicon, settings: ClusterSettings) -> Profile:
    """Everything the clustering needs of one article, computed once."""
    title = article.title or ""
    body = article.text
    lowered = (title.lower(), body.lower())
    sources: tuple[str | list[str], ...] = lowered
    if settings.slug_weight:
        sources += (slug_words(article.url),)
    boosts = (settings.title_boost, 1.0, settings.slug_weight)[: len(sources)]
    tf_idf, n_stems = term_weights(sources, boosts, lexicon.cache, lexicon.term, _UNSEEN)
    terms = normalised(top(tf_idf, settings.terms_per_article))
    entities = lexicon.entities
    names = name_weights(
        (entities.names(title), entities.names(body)), lexicon.name_cache, lexicon.name_weight
    )  # fmt: skip
    names = normalised(top(names, settings.names_per_article))
    full = f"{title}\n{body}"
    # The patterns' `findall`s, tried only where a match can start (a digit run's first digit, a month's
    # first letter: each pattern's lookbehind says so), which the compiled kernels find in one pass.
    digits = digit_run_starts(full)
    years: Counter[int] = Counter(int(y) for y in findall_from(_YEAR, full, digits))
    lowered_full = "\n".join(lowered)
    after = findall_from(_DAY_AFTER, lowered_full, month_starts(lowered_full, _MONTHS))
    days = {_day(_MONTHS.index(m[:3]) + 1, int(d)) for m, d in after}
    before = findall_from(_DAY_BEFORE, full, digits)
    days |= {_day(_MONTHS.index(m.lower()[:3]) + 1, int(d)) for d, m in before}
    days |= {_day(int(m), int(d)) for _, m, d in findall_from(_ISO_IN_TEXT, full, digits)}
    # The page's own date (its date line, metadata or address; not the day it was captured) counts as a
    # mention: the text said it before cleaning took its date line out.
    own_date = (article.published,) if article.published and article.published_from != "capture" else ()
    for iso in (*article.dates_mentioned, *own_date):
        match = _ISO.match(iso)
        if match:
            years[int(match.group(1))] += 1
            if match.group(3):
                days.add(_day(int(match.group(2)), int(match.group(3))))
    numbers = {n.replace(",", "") for n in findall_from(_NUMBER, full, digits)}
    numbers = {n for n in numbers if len(n) >= 2 and not _YEAR.fullmatch(n)}
    return Profile(
        id=article.id,
        terms=terms,
        names=names,
        years=dict(sorted(years.items())),
        days=frozenset(d for d in days if d is not None),
        numbers=frozenset(sorted(numbers, key=lambda n: (-len(n), n))[: settings.numbers_per_article]),
        words=n_stems,
    )


def profiles_of(
    articles: Sequence[Article], settings: ClusterSettings, frequency: WordFrequencies | None = None
) -> list[Profile]:
    """`profile_of` each article with one lexicon (a worker process profiles a chunk with this);
    `frequency`: the word list as the caller has read it (a fork server's, `engine.wordlist`)."""
    lexicon = Lexicon(settings, frequency=frequency)
    return [profile_of(article, lexicon, settings) for article in articles]
