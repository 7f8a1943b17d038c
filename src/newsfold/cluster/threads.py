"""Stories -> threads: the stories of one saga (the train's departure, the arrival, the summit) linked.

A story is one event and stays one: threads never merge stories, they only link them. Two stories belong
to one thread when they share the same specific people and places *and* the same subject, close in time.
The evidence, per pair of stories:

- Each story's profile is the sum of its articles' clustering profiles (`newsfold.cluster.profile`):
  weighted names and words, years, days. The pair features are the clustering's own
  (`newsfold.cluster.features.pair_features`), so names and words weigh as they do for stories.
- Names decide. Two events of one topic (ECB+ puts two in each: two earthquakes, two Klitschko fights,
  two Turkmen elections) share the topic's words, but not their specific people, places and dates; the
  parts of one saga share them. A thread link needs the names cosine, the word cosine, and the share of
  each side's heaviest names found on the other side to pass their bars.
- Time: the stories of a thread are days or weeks apart; two stories whose event dates are further apart
  than `ThreadSettings.max_days` are not linked, however alike (the same summit a year later is another
  thread). Where a date is missing (ECB+ has none), the year each story was written stands in
  (`written_year`), and stories written two or more years apart are not linked: ECB+'s two events of a
  topic are mostly years apart.
  The pooled "years conflict" of the clustering is not used: halves of one ECB+ event often mention
  disjoint years (5 of 42 events), while the written year agrees.

Why a hand-set rule and not a trained model: there is no labelled thread data at hand (DUC 2004, whose
clusters are such threads, is held out), so nothing to fit a model on without fitting ECB+'s shape. The
bars are few and checked both ways on ECB+ dev (bench/bench_threads.py): the two events of a topic stay
apart, and an event split into two stories is linked back.

Which stories are compared is a property of the pair alone, so that an ingest can relink only what it
touched and still give what a batch fold gives (engine/incremental.py): two stories are compared when they
share an index key (one of each side's heaviest names and words, `ThreadSettings.index_keys` of each) that
at most `ThreadSettings.key_stories` stories hold. A key held by more stories than that relates nothing
(as a boilerplate sentence in copy detection): it keeps the work per story bounded, at most
`key_stories` stories per key, whatever the store's size. Time does not limit the comparison (related
stories may be years apart: the earlier quake in the same region), only the thread link (`max_days`).
A fold's stories (`PackedFacts`) first drop, unread, the compared pairs whose names and words cosines
(from name hashes and the packed profiles, within rounding) cannot reach the link or related bars
(`_plausible`): most pairs share a common word, not the saga's names, and `compared_pair` decides the rest.
Threads are the connected components of the thread links; a thread is named after its
first story in time order, so its id stays while that story stays first. Related stories are every
compared story scoring above a lower bar, best first, in or out of the thread.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import overload

import numpy as np

from newsfold._native import compiled_kernel
from newsfold.cluster.features import names_cosine, names_covered_min, terms_cosine
from newsfold.cluster.overlaps import packed_cosines
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import Lexicon, Profile, normalised, profile_of, top
from newsfold.models import Article, Related, Story, Thread
from newsfold.settings import ClusterSettings, Settings, ThreadSettings
from newsfold.unionfind import UnionFind

__all__ = [
    "PackedFacts",
    "StoryFacts",
    "ThreadPair",
    "compared_pair",
    "gap_days",
    "link_threads",
    "pair_score",
    "related_of",
    "stories_by_thread",
    "story_facts",
    "story_profile",
    "thread_id_of",
    "thread_pairs",
    "threaded_stories",
    "threads_of",
    "time_order",
    "usable_keys",
    "with_threads",
    "written_year",
]

# Words cosines are at most 1 (unit vectors) but for rounding: a pair whose names cosine times this
# bound stays under the related bar squared cannot be related (`compared_pair` skips the rest).
_COSINE_BOUND = 1.0 + 1e-9
_UNDATED = date.max.toordinal()
# Stories kept unpacked while the pairs are scored (`thread_pairs`): ~9 KB each as Python objects.
# A story's names against another's, compiled (`_overlaps.pyx`); None where not built.
_compiled_row_dots = compiled_kernel("newsfold.cluster._overlaps", "sparse_row_dots")
_RECENT_FACTS = 4096  # an undated story comes after every dated one in time order
# Stories whose compared pairs `_plausible` checks at once (~27 pairs a story at 100k pages: ~55,000
# pairs, a few MB of numpy temporaries). Not tuned.
_PLAUSIBLE_BLOCK = 2048
# The stories' packed profiles held in memory up to this many bytes, then in a file (`PackedProfiles`):
# ~950 bytes an article of a fold (bench/scale/scale-10k-max100, tracemalloc), ~1 GB at a million
# pages, and twice that for a moment when the held bytes grow. A fold of up to ~65,000 pages keeps them
# in memory (no file read). Not tuned.
_FACTS_HELD_BYTES = 64 << 20
# How far under the bar a pair's names dot must be to be dropped unread: far above the rounding apart of
# two orders of one sum (~1e-14 relative), far below any bar's meaning.
_NAMES_MARGIN = 1e-9


def story_profile(story_id: str, profiles: Sequence[Profile], settings: ClusterSettings) -> Profile:
    """One profile for a story: its articles' names and words summed (then unit), years and days pooled."""
    terms: dict[str, float] = {}
    names: dict[str, float] = {}
    years: Counter[int] = Counter()
    days: set[str] = set()
    numbers: set[str] = set()
    for profile in profiles:
        for key, weight in profile.terms.items():
            terms[key] = terms.get(key, 0.0) + weight
        for key, weight in profile.names.items():
            names[key] = names.get(key, 0.0) + weight
        years.update(profile.years)
        days |= profile.days
        numbers |= profile.numbers
    return Profile(
        id=story_id,
        terms=normalised(top(terms, settings.terms_per_article)),
        names=normalised(top(names, settings.names_per_article)),
        years=dict(sorted(years.items())),
        days=frozenset(days),
        numbers=frozenset(sorted(numbers, key=lambda n: (-len(n), n))[: settings.numbers_per_article]),
        words=max((p.words for p in profiles), default=0),
    )


@dataclass(frozen=True)
class StoryFacts:
    """What thread linking reads of one story (a store keeps it in a row, so an ingest relinks a story
    without reading its articles): its profile, index keys, event day, written year and input place."""

    story: str
    rank: int  # the story's place in input order (its first article's): ties of time go to the earlier
    day: int | None  # the event date as a day number (`date.toordinal`), None when unknown
    year: int | None  # `written_year`
    keys: tuple[str, ...]
    profile: Profile

    @property
    def order(self) -> tuple[int, int]:
        return time_order(self.day, self.rank)


def time_order(day: int | None, rank: int) -> tuple[int, int]:
    """A story's place in time order: event day (undated last), then input order."""
    return (_UNDATED if day is None else day, rank)


class PackedFacts(Sequence[StoryFacts]):
    """Many stories' `StoryFacts` with their profiles packed (`cluster.packed`): a story's profile is
    ~9 KB as Python objects, ~1.5 KB packed, and a fold links the threads of all its stories at once
    (~290,000 stories a million pages). `facts[n]` equals the facts appended."""

    def __init__(self) -> None:
        self._rest: list[tuple[str, int, int | None, int | None, tuple[str, ...]]] = []
        self._profiles = PackedProfiles(hold_bytes=_FACTS_HELD_BYTES)
        # Each story's names as (hash, weight), for `_plausible` (16 bytes a name, no vocabulary kept).
        self._name_hashes = array("q")
        self._name_weights = array("d")
        self._name_ends = array("q", [0])

    def append(self, facts: StoryFacts) -> None:
        self._rest.append((facts.story, facts.rank, facts.day, facts.year, facts.keys))
        self._profiles.append(facts.profile)
        self._name_hashes.extend(map(hash, facts.profile.names))
        self._name_weights.extend(facts.profile.names.values())
        self._name_ends.append(len(self._name_hashes))

    def __len__(self) -> int:
        return len(self._rest)

    @overload
    def __getitem__(self, n: int) -> StoryFacts: ...

    @overload
    def __getitem__(self, n: slice) -> list[StoryFacts]: ...

    def __getitem__(self, n: int | slice) -> StoryFacts | list[StoryFacts]:
        if isinstance(n, slice):
            return [self[k] for k in range(*n.indices(len(self)))]
        return StoryFacts(*self._rest[n], profile=self._profiles[n])

    def close(self) -> None:
        """Delete the profiles' file, if they went to one."""
        self._profiles.close()

    def light(self) -> list[tuple[str, int, int | None, int | None, tuple[str, ...]]]:
        """(story, rank, day, year, keys) of every story, without unpacking a profile."""
        return list(self._rest)

    def record(self, n: int) -> bytes:
        """Story n's profile as its packed bytes (`PackedProfiles.record`)."""
        return self._profiles.record(n)

    def names_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every story's names as a sparse row (indptr, columns, weights): a name's column is its hash's
        rank, columns ascending in each row. Two names may share a hash (and so a column): their product
        then counts in a dot product, never the other way round."""
        ends = np.frombuffer(self._name_ends, dtype=np.int64)
        hashes = np.frombuffer(self._name_hashes, dtype=np.int64)
        weights = np.frombuffer(self._name_weights, dtype=np.float64)
        _, columns = np.unique(hashes, return_inverse=True)
        rows = np.repeat(np.arange(len(ends) - 1), np.diff(ends))
        order = np.lexsort((columns, rows))
        return ends.copy(), columns.reshape(-1)[order], weights[order]


@dataclass(frozen=True)
class ThreadPair:
    """Two compared stories that are linked (one thread) or related (score at least the related bar)."""

    a: str
    b: str
    score: float
    linked: bool


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None


def _keys(profile: Profile, k: int) -> tuple[str, ...]:
    """The story's index keys: its heaviest names and words."""
    names = sorted(profile.names.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    terms = sorted(profile.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return tuple([f"n:{n}" for n, _ in names] + [f"t:{t}" for t, _ in terms])


def written_year(profiles: Sequence[Profile]) -> int | None:
    """When a story was written, as a year: the latest of the years that two of its articles name as
    their latest year (else the latest any names); None if none names a year.

    An article's latest year is a lower bound of when it was written (news rarely names a future year);
    one article's may be a background year ("in 1973") or a forward one ("by 2018"), two agreeing rarely
    are. ECB+ dev (in-sample): the commonest latest year kept 33 of 42 events' halves linkable, this 36,
    and both keep the two events of every topic apart but one (topic 35: the same month).
    """
    latest = Counter(max(p.years) for p in profiles if p.years)
    agreed = [year for year, count in latest.items() if count >= 2]
    return max(agreed or latest) if latest else None


def story_facts(
    story: Story, rank: int, profiles: Sequence[Profile], settings: Settings = Settings()
) -> StoryFacts:
    """A story's `StoryFacts` from its articles' clustering profiles (in the story's member order)."""
    profile = story_profile(story.id, profiles, settings.cluster)
    day = _day(story.event_date)
    return StoryFacts(
        story=story.id,
        rank=rank,
        day=day.toordinal() if day else None,
        year=written_year(profiles),
        keys=_keys(profile, settings.threads.index_keys),
        profile=profile,
    )


def pair_score(a: Profile, b: Profile, gap_days: int | None, settings: ThreadSettings) -> tuple[float, bool]:
    """(relatedness 0-1, same thread) of two story profiles `gap_days` apart (None: the time is unknown)."""
    return _scored(a, b, names_cosine(a, b), gap_days, settings)


def _scored(
    a: Profile, b: Profile, names: float, gap_days: int | None, settings: ThreadSettings
) -> tuple[float, bool]:
    """`pair_score` with the names cosine computed already (the clustering's pair features' numbers)."""
    terms = terms_cosine(a, b)
    score = math.sqrt(max(0.0, names) * max(0.0, terms))
    linked = (
        names >= settings.names_cosine
        and terms >= settings.terms_cosine
        and names_covered_min(a, b) >= settings.names_covered
        and (gap_days is None or gap_days <= settings.max_days)
    )
    return score, linked


def gap_days(day_a: int | None, day_b: int | None, year_a: int | None, year_b: int | None) -> int | None:
    """Days between two stories: their event days, else a lower bound from their written years (0 for
    neighbouring years: a saga may run from December into January), else None."""
    if day_a is not None and day_b is not None:
        return abs(day_a - day_b)
    if year_a is not None and year_b is not None:
        return 365 * max(0, abs(year_a - year_b) - 1)
    return None


def compared_pair(a: StoryFacts, b: StoryFacts, settings: ThreadSettings) -> ThreadPair | None:
    """The pair of two stories that share a usable key (the caller's part), when they are linked or
    related; else None. Symmetric (the cosines add their products in the keys' order, whichever side comes
    first), so a pair scores the same in a batch fold and in any ingest, whatever the stories' order."""
    names = names_cosine(a.profile, b.profile)
    # Most compared pairs share a word, not the names: neither linked (names under their bar) nor related
    # (the score's square is names x words, words at most 1), decided without the words cosine.
    if names < settings.names_cosine and names * _COSINE_BOUND < settings.related_score**2:
        return None
    gap = gap_days(a.day, b.day, a.year, b.year)
    score, linked = _scored(a.profile, b.profile, names, gap, settings)
    if not linked and score < settings.related_score:
        return None
    first, second = sorted((a.story, b.story))
    return ThreadPair(first, second, score, linked)


def usable_keys(facts: Iterable[StoryFacts], settings: ThreadSettings) -> dict[str, list[int]]:
    """Key -> the positions (in `facts`) of the stories holding it, for keys held by at most
    `settings.key_stories` of them."""
    return _usable([f.keys for f in facts], settings)


def _usable(keys_of: Sequence[tuple[str, ...]], settings: ThreadSettings) -> dict[str, list[int]]:
    """`usable_keys` from each story's keys."""
    postings: dict[str, list[int]] = {}
    for n, keys in enumerate(keys_of):
        for key in keys:
            postings.setdefault(key, []).append(n)
    return {k: v for k, v in postings.items() if len(v) <= settings.key_stories}


def _light(facts: Sequence[StoryFacts]) -> list[tuple[str, int, int | None, int | None, tuple[str, ...]]]:
    """(story, rank, day, year, keys) of each story: what the comparison plan reads, without the profiles
    (a `PackedFacts` unpacks a story's profile only when its pairs are scored)."""
    if isinstance(facts, PackedFacts):
        return facts.light()
    return [(f.story, f.rank, f.day, f.year, f.keys) for f in facts]


def related_of(story: str, pairs: Iterable[ThreadPair], settings: ThreadSettings) -> tuple[Related, ...]:
    """A story's related stories from the pairs it is in: best first (ties by id), at most
    `settings.related_per_story`."""
    scored = [(p.b if p.a == story else p.a, p.score) for p in pairs]
    best = sorted(scored, key=lambda kv: (-kv[1], kv[0]))[: settings.related_per_story]
    return tuple(Related(other, round(score, 4)) for other, score in best)


def thread_id_of(first_story: str) -> str:
    """A thread's id from its first story's: "s-0a1b..." -> "t-0a1b..."."""
    return "t-" + first_story.removeprefix("s-")


def thread_pairs(
    facts: Sequence[StoryFacts], settings: ThreadSettings = ThreadSettings()
) -> list[ThreadPair]:
    """Every linked or related pair among the stories (each pair once, in input order): the batch
    comparison."""
    light = _light(facts)
    postings = _usable([keys for *_, keys in light], settings)
    # The latest stories read, unpacked: a story is compared with the other holders of its keys, so the
    # same stories come back again and again (30,000 pages of bench/out/scale-100k-max100: 185,290 pairs
    # read 12,500 stories' profiles instead of 194,000; threads 15.4 -> 9.2 s CPU).
    recent: OrderedDict[int, StoryFacts] = OrderedDict()

    def read(m: int) -> StoryFacts:
        f = recent.get(m)
        if f is None:
            recent[m] = f = facts[m]
            if len(recent) > _RECENT_FACTS:
                recent.popitem(last=False)
        else:
            recent.move_to_end(m)
        return f

    def compared_of(n: int, keys: tuple[str, ...]) -> list[int]:
        shared = Counter(m for key in keys for m in postings.get(key, ()) if m > n)
        return sorted(m for m, count in shared.items() if count >= settings.shared_keys)

    plan: Iterable[tuple[int, list[int]]] = ((n, compared_of(n, keys)) for n, (*_, keys) in enumerate(light))
    if isinstance(facts, PackedFacts):
        plan = _plausible(facts, plan, settings)
    out = []
    for n, compared in plan:
        if not compared:
            continue
        f = read(n)
        for m in compared:
            pair = compared_pair(f, read(m), settings)
            if pair is not None:
                out.append(pair)
    return out


def _plausible(
    facts: PackedFacts, plan: Iterable[tuple[int, list[int]]], settings: ThreadSettings
) -> Iterator[tuple[int, list[int]]]:
    """`plan` (each story's compared stories) less the pairs whose names cosine keeps them from being
    linked or related, found by blocks of stories from the names' hashes, without unpacking a profile.

    Most compared pairs share a common word, not the names (bench/out/scale-100k-max100: 27 pairs a
    story, grown from 10 at 10k as common keys fill up to `key_stories`; 3 in 25 pass), and
    `compared_pair` drops them on the names cosine. The dot here is never below `names_cosine`'s but
    for rounding: each shared name's product counts (a hash shared by two names only adds one), summed
    in another order (sums of at most `names_per_article` positive products: ~1e-14 apart), so a pair is
    dropped only when it is under the bar by far more (`_NAMES_MARGIN`), and `compared_pair` decides all
    the others exactly as before: the same pairs."""
    bar = min(settings.names_cosine, settings.related_score**2 / _COSINE_BOUND)
    indptr, columns, weights = facts.names_rows()
    while block := list(itertools.islice(plan, _PLAUSIBLE_BLOCK)):
        i = np.array([n for n, compared in block for _ in compared], dtype=np.int64)
        j = np.array([m for _, compared in block for m in compared], dtype=np.int64)
        dots = _row_dots(indptr, columns, weights, i, j)
        plausible = dots * (1.0 + _NAMES_MARGIN) >= bar
        if plausible.any():  # those the names let through, checked on their words too
            plausible[plausible] = _words_plausible(facts, i[plausible], j[plausible], settings)
        plausible = plausible.tolist()
        at = 0
        for n, compared in block:
            yield n, [m for m, keep in zip(compared, plausible[at : at + len(compared)], strict=True) if keep]
            at += len(compared)


def _words_plausible(
    facts: PackedFacts, i: np.ndarray, j: np.ndarray, settings: ThreadSettings
) -> np.ndarray:
    """Which pairs (i[k], j[k]) of stories may be linked (names and words over their bars) or related
    (names times words over the related bar squared), from their packed profiles' cosines with the same
    margin as the names' (`_plausible`); all of them where the compiled kernel does not read the records.
    At 100,000 pages 94 of 100 pairs the names let through are neither (93,570 pairs, 5,803 kept)."""
    stories = np.unique(np.concatenate([i, j]))
    found = packed_cosines([facts.record(int(n)) for n in stories], np.searchsorted(stories, i),
                           np.searchsorted(stories, j))
    if found is None:
        return np.ones(len(i), dtype=bool)
    terms, names = (found[0] * (1.0 + _NAMES_MARGIN), found[1] * (1.0 + _NAMES_MARGIN))
    may_link = (names >= settings.names_cosine) & (terms >= settings.terms_cosine)
    may_relate = names * terms * _COSINE_BOUND >= settings.related_score**2 * (1.0 - _NAMES_MARGIN)
    return may_link | may_relate


def _row_dots(
    indptr: np.ndarray, columns: np.ndarray, weights: np.ndarray, i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    """The dot product of rows i[k] and j[k] of a sparse matrix (columns ascending in each row), each
    the shared columns' products added in column order from zero (the compiled `sparse_row_dots` where
    built: the same sums)."""
    if not len(i):
        return np.zeros(0)
    if _compiled_row_dots is not None:
        return _compiled_row_dots(indptr, columns, weights, i, j)  # type: ignore[no-any-return]
    return _row_dots_plain(indptr, columns, weights, i, j)


def _row_dots_plain(
    indptr: np.ndarray, columns: np.ndarray, weights: np.ndarray, i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    """`_row_dots` in numpy: the spec of the compiled kernel."""
    width = int(columns.max(initial=0)) + 1
    entries_i, pair_i = _entries(indptr, i)
    entries_j, pair_j = _entries(indptr, j)
    # Each entry as (pair, column) in one int: ascending within each side, so one side is searched for
    # the other's entries.
    code_i = pair_i * width + columns[entries_i]
    code_j = pair_j * width + columns[entries_j]
    at = np.minimum(np.searchsorted(code_j, code_i), max(0, len(code_j) - 1))
    shared = code_j[at] == code_i if len(code_j) else np.zeros(len(code_i), dtype=bool)
    products = weights[entries_i[shared]] * weights[entries_j[at[shared]]]
    return np.bincount(pair_i[shared], weights=products, minlength=len(i))


def _entries(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of each of `rows` in order, and the index in `rows` each belongs to."""
    lengths = indptr[rows + 1] - indptr[rows]
    owner = np.repeat(np.arange(len(rows)), lengths)
    starts = np.cumsum(lengths) - lengths
    return indptr[rows][owner] + np.arange(int(lengths.sum())) - starts[owner], owner


def threads_of(
    facts: Sequence[StoryFacts], pairs: Iterable[ThreadPair], settings: ThreadSettings = ThreadSettings()
) -> list[Thread]:
    """Every story in exactly one thread (a story alone is a thread of one: the connected components of
    the linked pairs), threads by their first story in time order, with each story's related stories."""
    light = _light(facts)  # no profile is read here
    story = [s for s, *_ in light]
    order = [time_order(day, rank) for _, rank, day, _, _ in light]
    position = {s: n for n, s in enumerate(story)}
    sets = UnionFind(len(light))
    pairs_of: list[list[ThreadPair]] = [[] for _ in light]
    for pair in pairs:
        a, b = position[pair.a], position[pair.b]
        if pair.linked:
            sets.union(a, b)
        pairs_of[a].append(pair)
        pairs_of[b].append(pair)
    members: dict[int, list[int]] = {}
    for n in sorted(range(len(light)), key=order.__getitem__):
        members.setdefault(sets.find(n), []).append(n)
    return [
        Thread(
            thread_id_of(story[group[0]]),
            tuple(story[n] for n in group),
            tuple(related_of(story[n], pairs_of[n], settings) for n in group),
        )
        for group in sorted(members.values(), key=lambda g: order[g[0]])
    ]


def link_threads(
    stories: Sequence[Story],
    articles: Sequence[Article],
    settings: ThreadSettings = ThreadSettings(),
    cluster: ClusterSettings = ClusterSettings(),
    profiles: Sequence[Profile] | Mapping[str, Profile] | None = None,
) -> list[Thread]:
    """Every story in exactly one thread (a story alone is a thread of one), threads by their first story.

    Args:
        stories: the stories in input order (their `articles` and `event_date` are read).
        articles: their articles (others are ignored).
        settings: the thread bars (`ThreadSettings()`).
        cluster: the clustering settings the profiles are made with.
        profiles: the articles' clustering profiles when made already (any order; matched by id), or a
            mapping {article id: profile}.

    >>> link_threads([Story("s-1", "Quake", ("a",))], [Article("a", "Quake", ("A quake hit Chile.",))])
    [Thread(id='t-1', stories=('s-1',), related=((),))]
    """
    # A mapping is read as is (the engine's packed profiles unpack one when it is looked up).
    known = profiles if isinstance(profiles, Mapping) else {p.id: p for p in profiles or ()}
    by_id: dict[str, Profile] = {}
    lexicon: Lexicon | None = None
    wanted = {i for s in stories for i in s.articles} if articles else set()  # (the engine passes none)
    for article in articles:
        if article.id in wanted and article.id not in known:
            lexicon = lexicon or Lexicon(cluster)
            by_id[article.id] = profile_of(article, lexicon, cluster)
    both = Settings(cluster=cluster, threads=settings)

    def profiles_of_story(story: Story) -> list[Profile]:
        return [by_id[i] if i in by_id else known[i] for i in story.articles if i in by_id or i in known]

    facts = PackedFacts()
    try:
        for n, s in enumerate(stories):
            facts.append(story_facts(s, n, profiles_of_story(s), both))
        return threads_of(facts, thread_pairs(facts, settings), settings)
    finally:
        facts.close()


def threaded_stories(stories: Sequence[Story], threads: Sequence[Thread]) -> list[Story]:
    """The stories (same order) with their `thread` and `related` filled from `threads`."""
    thread_of: dict[str, str] = {}
    related_of_story: dict[str, tuple[str, ...]] = {}
    for thread in threads:
        for story_id, related in zip(thread.stories, thread.related, strict=True):
            thread_of[story_id] = thread.id
            related_of_story[story_id] = tuple(r.story for r in related)
    return [replace(s, thread=thread_of.get(s.id), related=related_of_story.get(s.id, ())) for s in stories]


def with_threads(
    stories: Sequence[Story],
    articles: Sequence[Article],
    settings: Settings = Settings(),
    profiles: Sequence[Profile] | Mapping[str, Profile] | None = None,
) -> list[Story]:
    """The written stories with `thread` and `related` filled (the engine's one call after writing them).
    `profiles`: the articles' clustering profiles when the engine made them (else they are made here)."""
    threads = link_threads(stories, articles, settings.threads, settings.cluster, profiles)
    return threaded_stories(stories, threads)


def stories_by_thread(stories: Sequence[Story]) -> list[tuple[str, list[Story]]]:
    """(thread id, its stories in time order) for stories whose `thread` is filled, threads by their first
    story's time (a story without a thread is a thread of its own, named after it)."""
    order = sorted(range(len(stories)), key=lambda n: (_day(stories[n].event_date) or date.max, n))
    threads: dict[str, list[Story]] = {}
    for n in order:
        threads.setdefault(stories[n].thread or thread_id_of(stories[n].id), []).append(stories[n])
    return list(threads.items())

