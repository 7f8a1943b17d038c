"""Articles + origin groups -> stories, one per real-world event; batch and incremental are one algorithm.

A story is an event, not a topic: two earthquakes in different years are two stories. Each article is
compared with the stories it could belong to (found through an inverted index of its rarest words and
names, so the work per article does not grow with the corpus) on five kinds of evidence: the words
(TF-IDF), the names (people, places, organisations), the years and days the text mentions, the numbers it
gives, and the story's size. A small logistic model, trained on ECB+ (bench/train_cluster.py), turns these
into the probability that the article reports the story's event; it joins the likeliest story when that
probability passes `ClusterSettings.join_probability`, else it starts a new one.

The batch fold *is* the incremental algorithm run over the articles in input order, so ingesting the same
articles in several chunks gives exactly the stories of one batch fold (`StoryIndex` state is plain JSON).
Word weights come from a fixed English frequency list (wordfreq) instead of corpus IDF for the same reason:
a corpus IDF would change every earlier decision as articles arrive. Members of one origin group always
share a story: a copy joins the story of its origin's first-placed member without being scored.

The publication time is not scored: ECB+ has none to learn its weight from, and the seeds show pages
misdated by years that still belong to their story; the dates the text mentions (and
`Article.dates_mentioned`) carry the time evidence instead.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from newsfold.entities import extract_entities
from newsfold.models import Article, OriginGroup
from newsfold.settings import ClusterSettings

__all__ = ["FEATURE_NAMES", "StoryIndex", "cluster_stories"]

STATE_VERSION = 1
FEATURE_NAMES = (
    "terms_cosine",
    "names_cosine",
    "terms_x_names",
    "years_shared",
    "years_conflict",
    "days_shared",
    "days_conflict",
    "numbers_shared",
    "story_size_log",
    "names_covered",
    "story_names_covered",
    "terms_covered",
    "best_member_cosine",
    "article_words_log",
)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<![\w.,$£€])(19[5-9]\d|20[0-4]\d)(?![\w,]|\.\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY_AFTER = re.compile(rf"\b{_MONTH}\s*(\d{{1,2}})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_DAY_BEFORE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b", re.IGNORECASE)
_SAMPLES = 8  # members kept whole (their heaviest words) per story, for the best-member similarity
_SAMPLE_TERMS = 40
_COVERED = 5  # heaviest names and words checked for presence on the other side
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class _Profile:
    """What the clustering compares of one article: weighted words and names, years, days, numbers."""

    id: str
    terms: dict[str, float]
    names: dict[str, float]
    years: Counter[int]
    days: frozenset[str]
    numbers: frozenset[str]
    words: int  # distinct weighted words: short articles have lower similarities to everything


class _Story:
    """A story's running summary: the sum of its members' vectors (truncated) and their date evidence."""

    __slots__ = ("days", "id", "members", "names", "numbers", "samples", "terms", "years")

    def __init__(self, story_id: str) -> None:
        self.id = story_id
        self.members: list[str] = []
        self.terms: dict[str, float] = {}
        self.names: dict[str, float] = {}
        self.years: Counter[int] = Counter()
        self.days: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()
        self.samples: list[dict[str, float]] = []  # the first members' heaviest words

    def absorb(self, profile: _Profile, keep_terms: int) -> None:
        self.members.append(profile.id)
        if len(self.samples) < _SAMPLES:
            self.samples.append(_top(profile.terms, _SAMPLE_TERMS))
        self.terms = _top(_add(self.terms, profile.terms), keep_terms)
        self.names = _top(_add(self.names, profile.names), keep_terms)
        self.years.update(profile.years)
        self.days.update(profile.days)
        self.numbers.update(profile.numbers)
        self.numbers = Counter(dict(self.numbers.most_common(keep_terms)))

    def merge(self, other: _Story, keep_terms: int) -> None:
        self.members.extend(other.members)
        self.samples = (self.samples + other.samples)[:_SAMPLES]
        self.terms = _top(_add(self.terms, other.terms), keep_terms)
        self.names = _top(_add(self.names, other.names), keep_terms)
        self.years.update(other.years)
        self.days.update(other.days)
        self.numbers = Counter(dict((self.numbers + other.numbers).most_common(keep_terms)))

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "members": self.members,
            "terms": self.terms,
            "names": self.names,
            "years": {str(k): v for k, v in self.years.items()},
            "days": dict(self.days),
            "numbers": dict(self.numbers),
            "samples": self.samples,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> _Story:
        story = cls(state["id"])
        story.members = list(state["members"])
        story.terms = dict(state["terms"])
        story.names = dict(state["names"])
        story.years = Counter({int(k): v for k, v in state["years"].items()})
        story.days = Counter(state["days"])
        story.numbers = Counter(state["numbers"])
        story.samples = [dict(sample) for sample in state["samples"]]
        return story


def _add(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    out = dict(a)
    for key, value in b.items():
        out[key] = out.get(key, 0.0) + value
    return out


def _top(weights: dict[str, float], k: int) -> dict[str, float]:
    """The k heaviest entries, ties broken by key so that the result never depends on insertion order."""
    if len(weights) <= k:
        return weights
    return dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


class _Model:
    """The shipped logistic model over FEATURE_NAMES (standardised), read from trained/cluster_model.json."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if tuple(spec["features"]) != FEATURE_NAMES:
            raise ValueError(
                "trained/cluster_model.json was trained on other features; rerun bench/train_cluster.py"
            )
        self.spec = spec
        self.mean = spec["mean"]
        self.scale = spec["scale"]
        self.coef = spec["coef"]
        self.intercept = spec["intercept"]

    @classmethod
    def shipped(cls) -> _Model:
        text = resources.files("newsfold").joinpath("trained/cluster_model.json").read_text("utf-8")
        return cls(json.loads(text))

    def probability(self, features: Sequence[float]) -> float:
        z = self.intercept + sum(
            c * (x - m) / s for c, x, m, s in zip(self.coef, features, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


class _Lexicon:
    """Word weights from a fixed English frequency list, and a stem cache (owned by one index)."""

    def __init__(self, settings: ClusterSettings) -> None:
        import snowballstemmer
        import wordfreq
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        self.settings = settings
        self.frequency = wordfreq.get_frequency_dict("en", wordlist="large")
        self.stemmer = snowballstemmer.stemmer("english")
        self.stop_words = ENGLISH_STOP_WORDS
        self.cache: dict[str, tuple[str, float] | None] = {}

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
        freqs = [self.frequency.get(w, 0.0) for w in name.split()]
        freq = max(min(freqs), self.settings.unknown_word_frequency)
        return max(0.5, math.log(self.settings.common_word_frequency / freq))


def _profile(article: Article, lexicon: _Lexicon, settings: ClusterSettings) -> _Profile:
    """Everything the clustering needs of one article, computed once."""
    title = article.title or ""
    body = article.text
    counts: dict[str, float] = {}
    weights: dict[str, float] = {}
    for text, boost in ((title, settings.title_boost), (body, 1.0)):
        for word in _WORD.findall(text.lower()):
            term = lexicon.term(word)
            if term is not None:
                counts[term[0]] = counts.get(term[0], 0.0) + boost
                weights[term[0]] = max(weights.get(term[0], 0.0), term[1])
    # Sublinear term frequency, as scikit-learn's TfidfVectorizer(sublinear_tf=True).
    tf_idf = {t: (1.0 + math.log(c) if c >= 1 else c) * weights[t] for t, c in counts.items()}
    terms = _top(_normalised(tf_idf), settings.terms_per_article)
    name_counts: Counter[str] = Counter()
    for text in (title, body):
        for name in extract_entities(text):
            key = name.lower()
            name_counts[key] += 1
            parts = key.split()
            if len(parts) > 1:  # "Kim Jong Un" and later "Kim": the last word links the two
                name_counts[parts[-1]] += 1
    names = _normalised({n: (1.0 + math.log(c)) * lexicon.name_weight(n) for n, c in name_counts.items()})
    full = f"{title}\n{body}"
    years: Counter[int] = Counter(int(y) for y in _YEAR.findall(full))
    days = {f"{_MONTHS.index(m.lower()[:3]) + 1:02d}-{int(d):02d}" for m, d in _DAY_AFTER.findall(full)}
    days |= {f"{_MONTHS.index(m.lower()[:3]) + 1:02d}-{int(d):02d}" for d, m in _DAY_BEFORE.findall(full)}
    for iso in article.dates_mentioned:
        match = _ISO.match(iso)
        if match:
            years[int(match.group(1))] += 1
            if match.group(3):
                days.add(f"{match.group(2)}-{match.group(3)}")
    numbers = {n.replace(",", "") for n in _NUMBER.findall(full)}
    numbers = {n for n in numbers if len(n) >= 2 and not _YEAR.fullmatch(n)}
    return _Profile(
        id=article.id,
        terms=terms,
        names=_top(names, settings.terms_per_article),
        years=years,
        days=frozenset(d for d in days if "00" not in d.split("-") and int(d[3:]) <= 31),
        numbers=frozenset(numbers),
        words=len(counts),
    )


def pair_features(profile: _Profile, story: _Story) -> list[float]:
    """The evidence that `profile` reports `story`'s event, in FEATURE_NAMES order."""
    terms = _cosine(profile.terms, story.terms)
    names = _cosine(profile.names, story.names)
    doc_years = set(profile.years)
    story_years = set(story.years)
    years_shared = len(doc_years & story_years) / len(doc_years) if doc_years else 0.0
    years_conflict = float(bool(doc_years and story_years and not doc_years & story_years))
    if doc_years and story_years and not years_conflict:
        # Both have a main year (the most mentioned): a different one is a different event.
        main_doc = max(sorted(profile.years), key=profile.years.__getitem__)
        main_story = max(sorted(story.years), key=story.years.__getitem__)
        years_conflict = 0.5 * float(main_doc != main_story)
    days_shared = float(bool(profile.days & story.days.keys()))
    days_conflict = float(bool(profile.days and story.days and not days_shared))
    numbers = profile.numbers & story.numbers.keys()
    numbers_shared = len(numbers) / min(len(profile.numbers), len(story.numbers)) if numbers else 0.0
    return [
        terms,
        names,
        terms * names,
        years_shared,
        years_conflict,
        days_shared,
        days_conflict,
        numbers_shared,
        math.log(len(story.members)),
        _covered(profile.names, story.names),
        _covered(story.names, profile.names),
        _covered(profile.terms, story.terms),
        max((_cosine(profile.terms, sample) for sample in story.samples), default=0.0),
        math.log1p(profile.words),
    ]


def _covered(a: dict[str, float], b: dict[str, float]) -> float:
    """The share of `a`'s heaviest keys that `b` has at all: a missing main name means another event."""
    heaviest = sorted(a.items(), key=lambda kv: (-kv[1], kv[0]))[:_COVERED]
    return sum(k in b for k, _ in heaviest) / len(heaviest) if heaviest else 0.0


class StoryIndex:
    """Stories built so far and the index to find them; `add` places new articles without refolding.

    Args:
        settings: the clustering defaults (`ClusterSettings()`).
        model: the join model's spec (the dict in trained/cluster_model.json); the shipped one by default.

    The state (`to_state()`) is plain JSON: the stories' summaries, their members and the inverted index,
    so that `StoryIndex.from_state(index.to_state())` continues exactly where `index` stopped.

    >>> index = StoryIndex()
    >>> placed = index.add([Article("a", "Quake hits Chile", ("A magnitude 8.8 quake hit Chile.",))])
    >>> placed
    {'a': 'story-000001'}
    """

    def __init__(self, settings: ClusterSettings = ClusterSettings(), model: dict[str, Any] | None = None):
        self.settings = settings
        self.model = _Model(model) if model is not None else _Model.shipped()
        self._lexicon: _Lexicon | None = None
        self._stories: dict[str, _Story] = {}
        self._story_of: dict[str, str] = {}
        self._postings: dict[str, list[str]] = {}
        self._merged_into: dict[str, str] = {}
        self._next = 1

    @property
    def lexicon(self) -> _Lexicon:
        if self._lexicon is None:
            self._lexicon = _Lexicon(self.settings)
        return self._lexicon

    def story_of(self, article_id: str) -> str | None:
        """The story an already-added article belongs to."""
        story_id = self._story_of.get(article_id)
        return self._resolve(story_id) if story_id is not None else None

    def stories(self) -> list[tuple[str, tuple[str, ...]]]:
        """(story id, member ids) of every story, in order of creation."""
        return [(sid, tuple(s.members)) for sid, s in self._stories.items()]

    def add(self, articles: Iterable[Article], groups: Sequence[OriginGroup] = ()) -> dict[str, str]:
        """Place each new article, in order, in its story; return {article id: story id}.

        Group members join the story of an already placed member of their group. When a group links
        two existing stories (a copy link found late), those stories merge, and the moved articles are
        in the returned mapping too. Articles already in the index are skipped.
        """
        group_of: dict[str, tuple[str, ...]] = {}
        for group in groups:
            for member in group.members:
                group_of[member] = group.members
        placed: dict[str, str] = {}
        for group in groups:  # a late copy link between two existing stories merges them
            known = [m for m in group.members if m in self._story_of]
            existing = sorted({self._resolve(self._story_of[m]) for m in known})
            if len(existing) > 1:
                placed.update(self._merge(existing))
        for article in articles:
            if article.id in self._story_of:
                continue
            profile = _profile(article, self.lexicon, self.settings)
            mates = [self.story_of(m) for m in group_of.get(article.id, ()) if m in self._story_of]
            story_id = next((s for s in mates if s is not None), None)
            if story_id is None:
                story_id = self._best_story(profile)
            placed[article.id] = self._place(profile, story_id)
        return {a: self._resolve(s) for a, s in placed.items()}

    def _resolve(self, story_id: str) -> str:
        while story_id in self._merged_into:
            story_id = self._merged_into[story_id]
        return story_id

    def _keys(self, profile: _Profile) -> list[str]:
        k = self.settings.index_keys_per_article
        terms = sorted(profile.terms.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        names = sorted(profile.names.items(), key=lambda kv: (-kv[1], kv[0]))[: k // 2]
        return [f"t:{t}" for t, _ in terms] + [f"n:{n}" for n, _ in names]

    def candidates(self, profile: _Profile) -> list[_Story]:
        """Stories sharing the most of the article's index keys (rare words and names), best first."""
        hits: Counter[str] = Counter()
        limit = self.settings.postings_scanned
        for key in self._keys(profile):
            for story_id in self._postings.get(key, ())[-limit:]:
                hits[self._resolve(story_id)] += 1
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: self.settings.candidates]
        return [self._stories[sid] for sid, _ in ranked]

    def _best_story(self, profile: _Profile) -> str | None:
        """The likeliest candidate story if it reaches the join probability, else None (a new story)."""
        best: tuple[float, str] | None = None
        for story in self.candidates(profile):
            p = self.model.probability(pair_features(profile, story))
            if p >= self.settings.join_probability and (best is None or p > best[0]):
                best = (p, story.id)
        return best[1] if best else None

    def _place(self, profile: _Profile, story_id: str | None) -> str:
        if story_id is None:
            story_id = f"story-{self._next:06d}"
            self._next += 1
            self._stories[story_id] = _Story(story_id)
        story = self._stories[story_id]
        story.absorb(profile, self.settings.terms_per_story)
        self._story_of[profile.id] = story_id
        for key in self._keys(profile):
            posting = self._postings.setdefault(key, [])
            if not posting or posting[-1] != story_id:
                posting.append(story_id)
        return story_id

    def _merge(self, story_ids: list[str]) -> dict[str, str]:
        """Fold later-created stories into the first-created one; returns the moved articles."""
        order = list(self._stories)
        keep, *others = sorted(story_ids, key=order.index)
        moved: dict[str, str] = {}
        for other in others:
            story = self._stories.pop(other)
            self._stories[keep].merge(story, self.settings.terms_per_story)
            self._merged_into[other] = keep
            moved.update(dict.fromkeys(story.members, keep))
        return moved

    def to_state(self) -> dict[str, Any]:
        """The whole index as JSON-serialisable data."""
        return {
            "version": STATE_VERSION,
            "next": self._next,
            "stories": [s.to_state() for s in self._stories.values()],
            "postings": self._postings,
            "merged_into": self._merged_into,
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], settings: ClusterSettings = ClusterSettings(),
        model: dict[str, Any] | None = None,
    ) -> StoryIndex:
        """An index that continues from `state` (as `to_state()` returned it)."""
        if state.get("version") != STATE_VERSION:
            version = state.get("version")
            raise ValueError(f"story index state version {version!r} is not {STATE_VERSION}: refold")
        index = cls(settings, model)
        index._next = int(state["next"])
        for story_state in state["stories"]:
            story = _Story.from_state(story_state)
            index._stories[story.id] = story
            index._story_of.update(dict.fromkeys(story.members, story.id))
        index._postings = {k: list(v) for k, v in state["postings"].items()}
        index._merged_into = dict(state["merged_into"])
        return index


def cluster_stories(
    articles: Sequence[Article],
    groups: Sequence[OriginGroup] = (),
    settings: ClusterSettings = ClusterSettings(),
) -> list[tuple[str, ...]]:
    """Article ids per story (one real-world event), stories ordered by their first member in input order.

    The batch fold is `StoryIndex.add` over the articles in input order, so it equals any chunked ingest
    of the same articles in the same order. Members of one `OriginGroup` always share a story.

    >>> cluster_stories([Article("a", None, ("Chile quake kills 700.",))])
    [('a',)]
    """
    index = StoryIndex(settings)
    index.add(articles, groups)
    position = {a.id: i for i, a in enumerate(articles)}
    stories = [tuple(sorted(members, key=position.__getitem__)) for _, members in index.stories()]
    return sorted(stories, key=lambda members: position[members[0]])
