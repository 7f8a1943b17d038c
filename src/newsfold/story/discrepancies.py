"""Discrepancies: statements of different articles that report the same thing with different facts.

Two detectors, both over the story's sentences:
- measured facts: a duration, distance or count ("three hours", "five-hour", "18-month-old",
  "12 people") that another article gives with another value in the same unit, where the words around
  the two mentions overlap (so "75 years since its founding" is not compared with "in four years");
- aligned statements: sentences aligned across articles (see `sentences.align_sentences`) where each
  side names someone or somewhere the other article never mentions (who said it, where it happened).

Only articles of different origins disagree: two versions of one wire story that differ are the wire
updating its account, which `story.changes` reports as a change of that origin.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsfold.entities import extract_entities, name_end_words
from newsfold.models import Discrepancy, SourcedText
from newsfold.story.sentences import STOP_WORDS, Alignment, lowered_in_place, stem_words, word_tokens

__all__ = ["Measure", "find_discrepancies", "measures", "names_missing_from"]

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "dozens": 24,
}  # fmt: skip
# Units reduced to one base per family, so "18-month-old" and "a year and a half" agree.
_UNITS = {
    "second": ("duration", 1), "minute": ("duration", 60), "hour": ("duration", 3600),
    "day": ("duration", 86400), "week": ("duration", 604800), "month": ("duration", 2629800),
    "year": ("duration", 31557600), "kilometer": ("distance", 1000), "kilometre": ("distance", 1000),
    "km": ("distance", 1000), "mile": ("distance", 1609.34), "meter": ("distance", 1),
    "metre": ("distance", 1),
}  # fmt: skip
# A number opens with a digit or the first letter of a number word: the lookahead turns away every other
# word at once, before the alternatives are tried one by one (`_measure_spans`: 0.19 -> 0.16 s over
# the 15,945 texts of bench/fold's stories, the same matches).
_NUM_OPENS = r"(?=[\d" + "".join(sorted({w[0] for w in _NUMBER_WORDS})) + "])"
_NUM = (
    _NUM_OPENS
    + r"(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")"
)
_MEASURE = re.compile(
    rf"\b{_NUM}[\s\-]+(?P<unit>{'|'.join(sorted(_UNITS, key=len, reverse=True))})s?\b"
    r"(?P<half>\s+and\s+a\s+half)?(?!\s+ago)",
    re.IGNORECASE,
)
_COUNT = re.compile(rf"\b{_NUM}\s+(?P<mods>(?:[\w\-]+\s+){{0,2}}?)(?P<noun>[a-z]+s)\b", re.IGNORECASE)
# What a measure or count needs (see `measures`): a digit, a number word other than "a"/"an" (which
# count only as "an hour" or "a ... and a half").
_MAY_MEASURE = re.compile(
    r"\d|\b(?:" + "|".join(w for w in _NUMBER_WORDS if w not in ("a", "an")) + r")\b|hour|half", re.IGNORECASE
)
_WINDOW = 6  # content words each side of a mention that say what it measures
# The three patterns without IGNORECASE, for a text lower-cased in place (`lowered_in_place`: the same
# matches at the same places; twice as fast as IGNORECASE on bench/fold's sentences).
_LOWER_PATTERNS = tuple(re.compile(p.pattern) for p in (_MAY_MEASURE, _MEASURE, _COUNT))
# `_MAY_MEASURE` in a lower-cased text, a part at a time (`_may_measure`): its alternation tried at every
# character was twice the time of these on bench/fold's sentences (0.066 -> 0.037 s; the same texts).
_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile(
    r"\b(?=[" + "".join(sorted({w[0] for w in _NUMBER_WORDS if w not in ("a", "an")})) + r"])(?:"
    + "|".join(w for w in _NUMBER_WORDS if w not in ("a", "an")) + r")\b"
)  # fmt: skip


def _may_measure(lowered: str) -> bool:
    """`_LOWER_PATTERNS[0].search(lowered)` found something."""
    return (
        "hour" in lowered
        or "half" in lowered
        or _DIGIT.search(lowered) is not None
        or _NUMBER_WORD.search(lowered) is not None
    )


# Two values within this share of the larger are one figure rounded differently ("3.1 million" and
# "3,104,000"), not a disagreement. Chosen, not fitted on data.
_SAME_VALUE = 0.01


@dataclass(frozen=True)
class Measure:
    """A measured fact in a sentence: its family ("duration", "distance" or a counted noun's stem)."""

    sentence: int
    family: str
    value: float
    text: str
    context: frozenset[str]


@dataclass(frozen=True)
class _Conflict:
    """Two prints (`first` < `second`) in conflict, what about, and where it is listed (`order`)."""

    order: tuple[int, ...]
    first: int
    second: int
    about: str


def _number(token: str) -> float | None:
    token = token.lower().replace(",", "")
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    try:
        return float(token)
    except ValueError:
        return None


def _context(text: str, start: int, end: int) -> frozenset[str]:
    before = [w for w in word_tokens(text[:start]) if w not in STOP_WORDS and _number(w) is None]
    after = [w for w in word_tokens(text[end:]) if w not in STOP_WORDS and _number(w) is None]
    return frozenset(stem_words(before[-_WINDOW:] + after[:_WINDOW]))


def measures(index: int, text: str) -> list[Measure]:
    """The durations, distances and counts a sentence states (calendar years are not counts)."""
    return [
        Measure(index, family, value, text[start:end], _context(text, start, end))
        for family, value, start, end in _measure_spans(text)
    ]


def _measure_spans(text: str) -> list[tuple[str, float, int, int]]:
    """`measures` without their context words: (family, value, start, end) of each."""
    lowered = lowered_in_place(text)
    if not (_MAY_MEASURE.search(text) if lowered is None else _may_measure(lowered)):
        return []  # no figure but "a" or "an", no hour, no half: nothing to measure (most sentences)
    _, measure, count = (_MAY_MEASURE, _MEASURE, _COUNT) if lowered is None else _LOWER_PATTERNS
    searched = text if lowered is None else lowered
    found: list[tuple[str, float, int, int]] = []
    for m in measure.finditer(searched):
        value = _number(m["num"])
        unit = text[m.start("unit") : m.end("unit")]  # as written: "a HOUR" is not "an hour"
        if value is None or (m["num"].lower() in ("a", "an") and not m["half"] and unit != "hour"):
            continue  # "a year" is rarely a measured fact; "an hour" often is
        family, scale = _UNITS[m["unit"].lower()]
        value = (value + (0.5 if m["half"] else 0.0)) * scale
        # Compared only within one unit: "three hours" vs "five-hour" is a conflict, "four years" vs
        # "30 minutes" measures different things. Agreement across units ("18-month" = "a year and a
        # half") is still seen because values are kept in base units.
        found.append((f"{family} in {m['unit'].lower()}s", value, m.start(), m.end()))
    taken = [(start, end) for _, _, start, end in found]
    for m in count.finditer(searched):
        if m["num"].lower() in ("a", "an") or any(a <= m.start() < b for a, b in taken):
            continue  # most counts found are "a" or "an": tested first
        value = _number(m["num"])
        if value is None or (1900 <= value <= 2100 and m["num"].isdigit()):
            continue
        noun = stem_words([m["noun"].lower()])[0]
        found.append((f"count of {noun}", value, m.start(), m.end()))
    return found


def _origin_sets(alignment: Alignment, origins: dict[str, str]) -> list[frozenset[str]]:
    """Each statement's origins: those of the articles printing it."""
    found: list[set[str]] = [set() for _ in range(alignment.similarity.shape[0])]
    for s, d in zip(alignment.sentences, alignment.statement_of.tolist(), strict=True):
        found[d].add(origins[s.article])
    return [frozenset(f) for f in found]


def _apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two statements are printed by different origins (one each at least)."""
    return not (len(a) == 1 and a == b)


def _prints_apart(alignment: Alignment, d: int, e: int, origins: dict[str, str]) -> tuple[int, int]:
    """The first pair of prints (i < j), one of statement `d` and one of `e`, of different origins."""
    sentences = alignment.sentences
    of_d, of_e = alignment.prints(d), alignment.prints(e)
    merged = sorted([(int(i), of_e) for i in of_d] + [(int(j), of_d) for j in of_e])
    for i, others in merged:
        origin = origins[sentences[i].article]
        later = [int(j) for j in others if j > i and origins[sentences[j].article] != origin]
        if later:
            return i, later[0]
    return min(int(of_d[0]), int(of_e[0])), max(int(of_d[0]), int(of_e[0]))


def _measure_spans_of(alignment: Alignment) -> list[tuple[int, str, float, int, int]]:
    """Every statement's measures: (statement, family, value, start, end)."""
    return [(d, *span) for d, s in enumerate(alignment.statements) for span in _measure_spans(s.text)]


def _measure_candidates(
    spans: Sequence[tuple[int, str, float, int, int]], rank: Mapping[int, int]
) -> Iterator[tuple[tuple[int, int], int, int]]:
    """Pairs of measures of one family in different statements, as (pair key, x, y) in ascending pair key
    (`_pair_key`), made as they are asked for: a story of many events has many measures of one family,
    and pairs of them are quadratic (39,331 discrepancies at 1,500 articles, bench/scale/story_memory.py)."""
    by_family: dict[str, list[int]] = {}  # only measures of one family are compared
    for x, (_, family, _, _, _) in enumerate(spans):
        by_family.setdefault(family, []).append(x)
    families = []
    for members in by_family.values():
        ordered = sorted(members, key=lambda x: (rank[spans[x][0]], x))
        families.append(_family_pairs(spans, ordered, rank))
    return heapq.merge(*families, key=lambda candidate: candidate[0])


def _family_pairs(
    spans: Sequence[tuple[int, str, float, int, int]], ordered: Sequence[int], rank: Mapping[int, int]
) -> Iterator[tuple[tuple[int, int], int, int]]:
    """Pairs of `ordered` (measures by their statement's rank) in ascending `_pair_key`: each measure with
    every one ranked before it."""
    for b, y in enumerate(ordered):
        for x in ordered[:b]:
            if spans[x][0] != spans[y][0]:
                yield (rank[spans[y][0]], rank[spans[x][0]]), min(x, y), max(x, y)


class _Measures:
    """A story's measures, their context words read only for a pair of different values."""

    def __init__(self, alignment: Alignment, spans: Sequence[tuple[int, str, float, int, int]]) -> None:
        self.alignment, self.spans = alignment, spans
        self.made: dict[int, Measure] = {}

    def measure(self, x: int) -> Measure:
        if x not in self.made:
            d, family, value, start, end = self.spans[x]
            text = self.alignment.statements[d].text
            self.made[x] = Measure(d, family, value, text[start:end], _context(text, start, end))
        return self.made[x]

    def conflict(
        self, x: int, y: int, origins: dict[str, str], origin_sets: Sequence[frozenset[str]]
    ) -> _Conflict | None:
        """Measures `x` < `y` as a conflict: one family and context, different values, different origins."""
        d, _, value, _, _ = self.spans[x]
        e, _, other, _, _ = self.spans[y]
        rounded_alike = abs(value - other) <= _SAME_VALUE * max(value, other)
        if not _apart(origin_sets[d], origin_sets[e]) or rounded_alike:
            return None
        a, b = self.measure(x), self.measure(y)
        if not (a.context & b.context):
            return None
        i, j = _prints_apart(self.alignment, a.sentence, b.sentence, origins)
        first, second = (a, b) if self.alignment.statement_of[i] == a.sentence else (b, a)
        # Listed before the names' conflicts, by prints, then in the order the measures are written.
        return _Conflict((0, i, j, x, y), i, j, f"{first.family}: {first.text} / {second.text}")


def _head(name: str) -> str:
    tokens = word_tokens(name)
    return tokens[-1] if tokens else ""


def names_missing_from(text: str, other_words: set[str]) -> list[str]:
    """The names `text` gives whose last word `other_words` (another article's word tokens) lacks."""
    # A name ends with one of `name_end_words`, and its last word token is that word's last (the name's
    # words are joined by spaces): when `other_words` holds each of theirs, no name is missing, and none is
    # read (1,630 of the 1,632 calls on the stories of bench_ingest_scale.py's 100 pages into 30,000).
    ends = map(word_tokens, name_end_words(text))
    if all(tokens and tokens[-1] in other_words for tokens in ends):
        return []
    return [n for n in extract_entities(text) if _head(n) and _head(n) not in other_words]


def _best_across(
    alignment: Alignment, origin_sets: Sequence[frozenset[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Each statement's best-aligned statement printed by another origin (itself, when other origins print
    it too; the first of equals; -1 when none) and their similarity (0 when none)."""
    n = len(origin_sets)
    sim = alignment.similarity
    counts = np.diff(sim.indptr)
    rows, cols = np.repeat(np.arange(n), counts), sim.indices
    codes = {o: k for k, o in enumerate(sorted({o for origins in origin_sets for o in origins}))}
    single = np.array([codes[next(iter(o))] if len(o) == 1 else -1 for o in origin_sets], dtype=np.int64)
    keep = (single[rows] == -1) | (single[rows] != single[cols])
    # Per row by reductions over the CSR's row segments (a sort of every pair by row, value and column cost
    # half of the names check on bench/fold's stories): the highest kept value, then the lowest column
    # holding it.
    best_of, best_value = np.full(n, -1, dtype=np.int64), np.zeros(n)
    filled = np.flatnonzero(counts)
    if not len(filled):
        return best_of, best_value
    starts = sim.indptr[filled]
    values = np.where(keep, sim.data, -np.inf)
    highest = np.full(n, -np.inf)
    highest[filled] = np.maximum.reduceat(values, starts)
    hit = keep & (values == highest[rows])
    lowest = np.full(n, n, dtype=np.int64)
    lowest[filled] = np.minimum.reduceat(np.where(hit, cols, n), starts)
    found = lowest < n
    best_of[found], best_value[found] = lowest[found], highest[found]
    return best_of, best_value


def _mutual_pairs(
    alignment: Alignment, origin_sets: Sequence[frozenset[str]], threshold: float
) -> list[tuple[int, int]]:
    """Statements (d < e) each the other's best alignment among other origins, at `threshold` or more,
    worded differently: the statements whose names may disagree."""
    statements = alignment.statements
    # Mutual best alignments between different origins: a statement's own copies are not its rivals.
    best_of, best_value = _best_across(alignment, origin_sets)
    pairs = []
    for d in range(len(statements)):
        e, value = int(best_of[d]), float(best_value[d])
        if value < threshold or best_of[e] != d or e <= d:
            continue  # only mutual best alignments of two statements, each pair once
        if statements[d].tokens != statements[e].tokens:
            pairs.append((d, e))
    return pairs


def _name_conflict(
    alignment: Alignment, d: int, e: int, article_words: Callable[[str], set[str]], origins: dict[str, str]
) -> _Conflict | None:
    """Statements `d` and `e` as a conflict: each side names someone or somewhere the other article lacks."""
    i, j = _prints_apart(alignment, d, e, origins)
    a, b = alignment.sentences[i], alignment.sentences[j]
    only_a = names_missing_from(a.text, article_words(b.article))
    if not only_a:
        return None  # one side's names all in the other article: no conflict, whatever the other side says
    only_b = names_missing_from(b.text, article_words(a.article))
    if not only_b:
        return None
    return _Conflict((1, i, j), i, j, f"names: {', '.join(only_a)} / {', '.join(only_b)}")


def _statement_ranks(
    alignment: Alignment,
    statements: Iterable[int],
    origins: dict[str, str],
    same_threshold: float,
    weights: Mapping[str, float],
) -> dict[int, int]:
    """Each of `statements`' rank (0 first): by the origins stating it, then the articles stating it (as
    its variant's sources are counted), then its summary concepts' weight (how central it is to the story)."""

    def importance(d: int) -> tuple[int, int, float, int]:
        articles = alignment.sources(int(alignment.prints(d)[0]), same_threshold)
        # fsum: exact whatever the order its set of concepts iterates in (the string hash seed's), so that
        # statements of equal weight tie and their number decides (issue 11).
        central = math.fsum(weights.get(c, 0.0) for c in alignment.statements[d].concepts)
        return -len({origins[a] for a in articles}), -len(articles), -central, d

    return {d: k for k, d in enumerate(sorted(set(statements), key=importance))}


def _conflicts(
    alignment: Alignment,
    article_words: Callable[[str], set[str]],
    origins: dict[str, str],
    thresholds: tuple[float, float],
    weights: Mapping[str, float],
    limit: int | None,
) -> list[_Conflict]:
    """The conflicts of the `limit` best-ranked pairs of statements that have any (all without a limit),
    in the order the story prints them. Candidate pairs are tried best first (`_pair_key`), so a story
    of many events reads the pairs it lists and a few more, not all of them."""
    align_threshold, same_threshold = thresholds
    origin_sets = _origin_sets(alignment, origins)
    spans = _measure_spans_of(alignment)
    mutual = _mutual_pairs(alignment, origin_sets, align_threshold)
    rank = _statement_ranks(
        alignment,
        [x[0] for x in spans] + [d for pair in mutual for d in pair],
        origins,
        same_threshold,
        weights,
    )
    measures = _Measures(alignment, spans)
    names = sorted(((_pair_key(rank, d, e), d, e) for d, e in mutual))
    candidates = heapq.merge(
        ((key, "measure", x, y) for key, x, y in _measure_candidates(spans, rank)),
        ((key, "names", d, e) for key, d, e in names),
        key=lambda candidate: candidate[0],
    )
    found: list[_Conflict] = []
    pairs: set[tuple[int, int]] = set()  # the pairs of statements found in conflict
    for key, kind, x, y in candidates:
        if limit is not None and len(pairs) >= limit and key not in pairs:
            break  # every conflict of the last pair listed is read: the same as without a limit
        if kind == "measure":
            conflict = measures.conflict(x, y, origins, origin_sets)
        else:
            conflict = _name_conflict(alignment, x, y, article_words, origins)
        if conflict is not None:
            found.append(conflict)
            pairs.add(key)
    return sorted(found, key=lambda c: c.order)


def _pair_key(rank: Mapping[int, int], d: int, e: int) -> tuple[int, int]:
    """A pair of statements' place in the ranking: by its weaker side's rank, then its stronger side's
    (a disagreement matters as much as the less stated of its two sides)."""
    return max(rank[d], rank[e]), min(rank[d], rank[e])


def find_discrepancies(
    alignment: Alignment,
    article_texts: dict[str, str],
    align_threshold: float = 0.3,
    same_threshold: float = 0.5,
    origins: dict[str, str] | None = None,
    limit: int | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[Discrepancy]:
    """Discrepancies between the story's origins, each variant with the articles that state it.

    `align_threshold`: similarity at which two sentences report the same thing (for the names check);
    `same_threshold`: similarity at which another article states a variant too (for its sources);
    `origins`: article id -> its origin (articles of one origin never disagree); by default each
    article is its own origin; `limit`: at most this many (None: all), those whose less stated side is
    stated by the most origins, then the most articles, then holds the most weight of `weights` (the
    summary's concept weights, `summary.concept_weights`: how central the statement is to the story);
    they are listed in the order the story prints them either way.
    """
    sentences = alignment.sentences
    words: dict[str, set[str]] = {}

    def words_of(article: str) -> set[str]:  # read only for the articles of a conflict
        if article not in words:
            words[article] = set(word_tokens(article_texts[article]))
        return words[article]

    origin_of = {s.article: s.article for s in sentences} | (origins or {})
    if len({origin_of[s.article] for s in sentences}) < 2 or limit == 0:
        return []  # one origin disagrees with no one (152 of bench/fold's 238 stories: 0.29 s of 1.16)
    conflicts = _conflicts(
        alignment, words_of, origin_of, (align_threshold, same_threshold), weights or {}, limit
    )
    out: list[Discrepancy] = []
    seen: set[frozenset[str]] = set()
    for conflict in conflicts:
        i, j = conflict.first, conflict.second
        key = frozenset((sentences[i].text, sentences[j].text))
        if key in seen:
            continue
        seen.add(key)
        first = alignment.sources(i, same_threshold)
        second = alignment.sources(j, same_threshold)
        # An article on both sides only repeats one of them (a copy): keep it with its own sentence.
        in_first, in_second = set(first), set(second)
        a_src = tuple(x for x in first if x not in in_second or x == sentences[i].article)
        b_src = tuple(x for x in second if x not in in_first or x == sentences[j].article)
        out.append(
            Discrepancy(
                conflict.about, (SourcedText(sentences[i].text, a_src), SourcedText(sentences[j].text, b_src))
            )
        )
    return out
