"""Who copied whom: articles that share one origin, and how each copy differs from what it copies.

Work happens on the cleaned body (`Article.paragraphs`) at passage level: every paragraph is split into
sentences, and sentences are normalised (NFKC, curly quotes and apostrophes folded, case folded) so that
typography never separates a copy from its origin. Three steps:

1. Candidates: one MinHash per sentence (word 3-gram shingles) in a MinHash LSH index. Sentence-level
   sketches find excerpts (a few sentences inside a long article) that an article-level Jaccard cannot.
2. Verification: the two articles' sentences are aligned (exact match, then the best near match by
   shingle overlap); the pair shares an origin when most of the smaller article is found in the larger
   one (containment, not Jaccard) in at least two sentences. Independent reports of one event share a
   quote or two, never most of their text.
3. Groups: verified pairs are joined (union-find); the representative is the fullest member, then the
   earliest; every other member links to the fuller member it matches best, as a copy, excerpt or version.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import rensa

from newsfold.models import Article, CopyLink, Flag, OriginGroup, Relation
from newsfold.settings import SyndicationSettings

__all__ = ["Body", "align_articles", "find_origins", "passages_of", "uncredited_copy_flags"]

# Typographic variants a republisher's CMS swaps freely; folded before any comparison.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_TOKEN = re.compile(r"\w+")
# A sentence ends at . ! or ? (optionally closed by a quote or bracket) before a space and a capital, digit
# or opening quote. Abbreviations ("Sept. 12") split wrongly, but identically on both sides of a copy.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])"
)


@dataclass(frozen=True)
class Passage:
    """One sentence of a body: its paragraph, its text as printed, and its normalised tokens."""

    paragraph: int
    text: str
    tokens: tuple[str, ...]

    @property
    def key(self) -> str:
        """The normalised sentence, equal for copies that differ only in typography."""
        return " ".join(self.tokens)


@dataclass(frozen=True)
class Alignment:
    """Where the sentences of `a` are found in `b` (-1: not found), and how well (1.0: identical)."""

    match: tuple[int, ...]
    score: tuple[float, ...]
    weights: tuple[int, ...]

    @property
    def shared(self) -> float:
        """Fraction of `a`'s words that sit in sentences found in `b`."""
        total = sum(self.weights)
        return (
            sum(w for w, m in zip(self.weights, self.match, strict=True) if m >= 0) / total if total else 0.0
        )

    @property
    def matched(self) -> int:
        """Number of `a`'s sentences (boilerplate aside) found in `b`."""
        return sum(m >= 0 and w > 0 for m, w in zip(self.match, self.weights, strict=True))

    @property
    def changed(self) -> int:
        """Number of `a`'s sentences found in `b` with different wording."""
        return sum(m >= 0 and s < 1.0 for m, s in zip(self.match, self.score, strict=True))


def passages_of(article: Article) -> tuple[Passage, ...]:
    """The sentences of an article's body, with normalised tokens (empty sentences dropped)."""
    out: list[Passage] = []
    for p, paragraph in enumerate(article.paragraphs):
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            tokens = tuple(
                _TOKEN.findall(unicodedata.normalize("NFKC", sentence).translate(_FOLD).casefold())
            )
            if tokens:
                out.append(Passage(p, sentence.strip(), tokens))
    return tuple(out)


def _shingles(tokens: tuple[str, ...], n: int) -> set[str]:
    """Word n-grams of a sentence (the whole sentence when it is shorter than n)."""
    if len(tokens) <= n:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def _pairs(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Word 2-grams of a sentence (the word itself for a one-word sentence)."""
    return set(zip(tokens, tokens[1:], strict=False)) if len(tokens) > 1 else {tokens}


class Body:
    """An article's sentences, ready to align: verbatim lookup and a word-pair index, each built once."""

    __slots__ = ("passages", "weights", "weight", "_exact", "_index")

    def __init__(self, passages: Sequence[Passage], boilerplate: frozenset[str] = frozenset()) -> None:
        self.passages = tuple(passages)
        # A sentence word count is its weight; boilerplate (a sentence in very many articles) weighs
        # nothing, unless the article is nearly all boilerplate (then it is a mass-syndicated story).
        weights = [0 if p.key in boilerplate else len(p.tokens) for p in self.passages]
        if not any(weights):
            weights = [len(p.tokens) for p in self.passages]
        self.weights = tuple(weights)
        self.weight = sum(weights)
        self._exact: dict[str, int] | None = None
        self._index: dict[tuple[str, ...], list[int]] | None = None

    @classmethod
    def of(cls, article: Article, boilerplate: frozenset[str] = frozenset()) -> Body:
        """The body of an article, split into normalised sentences."""
        return cls(passages_of(article), boilerplate)

    @property
    def exact(self) -> dict[str, int]:
        """Normalised sentence -> its first position."""
        if self._exact is None:
            self._exact = {}
            for j, q in enumerate(self.passages):
                self._exact.setdefault(q.key, j)
        return self._exact

    @property
    def index(self) -> dict[tuple[str, ...], list[int]]:
        """Word pair -> the sentences holding it (built only when some sentence is not found verbatim)."""
        if self._index is None:
            self._index = {}
            for k, q in enumerate(self.passages):
                for pair in _pairs(q.tokens):
                    self._index.setdefault(pair, []).append(k)
        return self._index


def align_articles(a: Body, b: Body, settings: SyndicationSettings = SyndicationSettings()) -> Alignment:
    """Find every sentence of `a` in `b`: an identical sentence first, else the best near match.

    Near matches are the sentences sharing most word pairs, scored by token alignment (difflib's
    2*matches/total): retyping a quote or changing a number costs a token or two, a sentence that merely
    quotes the same words costs most of it.
    """
    match: list[int] = []
    score: list[float] = []
    for p in a.passages:
        j = b.exact.get(p.key, -1)
        if j >= 0:
            match.append(j)
            score.append(1.0)
            continue
        index = b.index
        hits: Counter[int] = Counter(k for pair in _pairs(p.tokens) for k in index.get(pair, ()))
        best, best_score = -1, settings.sentence_match
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(p.tokens)  # difflib caches the second sequence: the one compared many times
        for k, _common in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.near_candidates]:
            matcher.set_seq1(b.passages[k].tokens)
            if matcher.real_quick_ratio() < best_score or matcher.quick_ratio() < best_score:
                continue  # upper bounds already below the best: skip the full alignment
            value = matcher.ratio()
            if value >= best_score and (best < 0 or value > best_score):
                best, best_score = k, value
        if best >= 0:
            match.append(best)
            # A sentence cut short (an excerpt's last line, "... with") is verbatim text, not an edit.
            cut = f" {p.key} " in f" {b.passages[best].key} "
            score.append(1.0 if cut else min(best_score, 0.999))
        else:
            match.append(-1)
            score.append(0.0)
    return Alignment(tuple(match), tuple(score), a.weights)


def _candidate_pairs(
    articles: Sequence[Article], settings: SyndicationSettings
) -> tuple[Counter[tuple[int, int]], frozenset[str]]:
    """Article pairs with at least one pair of similar sentences, and the boilerplate sentences.

    rensa rather than datasketch: its Rust index holds millions of sentence sketches in about a third of
    the memory and builds them ~30x faster, which is what makes sentence-level candidates affordable at
    100,000 articles. Sketches are inserted and queried chunk by chunk, so each sentence pair is seen once
    (from its later sentence) and no sketch outlives its chunk. A sentence similar to sentences of more
    than `max_sentence_fanout` other articles is boilerplate (a footer, a standard disclaimer).
    """
    lsh = rensa.RMinHashLSH(settings.lsh_threshold, settings.num_perm, settings.num_bands)
    owner = array("i")  # sentence key -> article index
    hits: Counter[tuple[int, int]] = Counter()
    boilerplate: set[str] = set()
    n = settings.shingle_words
    for start in range(0, len(articles), settings.chunk_articles):
        shingle_sets: list[list[str]] = []
        owners: list[int] = []
        keys_of: list[str] = []
        for i in range(start, min(start + settings.chunk_articles, len(articles))):
            for p in passages_of(articles[i]):
                if len(p.tokens) >= settings.min_index_tokens:
                    shingle_sets.append(sorted(_shingles(p.tokens, n)))
                    owners.append(i)
                    keys_of.append(p.key)
        if not shingle_sets:
            continue
        first_key = len(owner)
        sketches = rensa.RMinHash.from_token_sets(shingle_sets, settings.num_perm, settings.seed)
        lsh.insert_many(sketches, first_key)
        owner.extend(owners)
        for offset, keys in enumerate(lsh.query_all(sketches)):
            me, key = owners[offset], first_key + offset
            if len(keys) > settings.max_sentence_fanout:
                everywhere = {owner[k] for k in keys}
                if len(everywhere) > settings.max_sentence_fanout:
                    boilerplate.add(keys_of[offset])
            others = sorted({owner[k] for k in keys if k < key and owner[k] != me})
            # A sentence in very many articles is boilerplate or a mass-syndicated story: link it only to
            # the first few, which keeps the work linear; true copies still meet those anchors in many
            # of their sentences, boilerplate in one.
            for other in others[: settings.max_sentence_fanout]:
                hits[(other, me)] += 1
    return hits, frozenset(boilerplate)


def _same_origin(small: Alignment, settings: SyndicationSettings) -> bool:
    """Whether most of the smaller article is found in the larger one, in enough sentences, one verbatim."""
    enough = small.matched >= min(settings.min_shared_sentences, sum(w > 0 for w in small.weights))
    # A republished page reuses some sentence verbatim; rewrites of one headline by two outlets do not.
    verbatim = any(s == 1.0 and w > 0 for s, w in zip(small.score, small.weights, strict=True))
    return enough and verbatim and small.shared >= settings.min_containment


def _relation(forward: Alignment, backward: Alignment, settings: SyndicationSettings) -> Relation:
    """Copy: same sentences both ways; excerpt: a part of `of`, unchanged; version: edited or added to.

    Added sentences shorter than `min_added_tokens` words ("Read more", "Advertisement") are page chrome
    a cleaner let through, not an edit.
    """
    added = sum(
        m < 0 and w >= settings.min_added_tokens for m, w in zip(forward.match, forward.weights, strict=True)
    )
    if forward.changed == 0 and added == 0:
        return "copy" if backward.shared >= settings.copy_min_cover else "excerpt"
    return "version"


def _differences(a: Sequence[Passage], forward: Alignment) -> tuple[str, ...]:
    """Passages of `a` not found verbatim (boilerplate aside): whole paragraphs when none were found."""
    missing = [forward.score[i] < 1.0 and forward.weights[i] > 0 for i in range(len(a))]
    out: list[str] = []
    by_paragraph: OrderedDict[int, list[int]] = OrderedDict()
    for i, p in enumerate(a):
        by_paragraph.setdefault(p.paragraph, []).append(i)
    for members in by_paragraph.values():
        if all(missing[i] for i in members) and len(members) > 1:
            out.append(" ".join(a[i].text for i in members))
        else:
            out.extend(a[i].text for i in members if missing[i])
    return tuple(out)


class _UnionFind:
    """Disjoint sets over article indices, smallest index as the root (deterministic)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


class _PassageCache:
    """Passages of recently used articles, bounded so 100,000 articles never sit in memory as sentences."""

    def __init__(self, articles: Sequence[Article], size: int, boilerplate: frozenset[str]) -> None:
        self.articles = articles
        self.size = size
        self.boilerplate = boilerplate
        self.cache: OrderedDict[int, Body] = OrderedDict()

    def get(self, i: int) -> Body:
        if i in self.cache:
            self.cache.move_to_end(i)
            return self.cache[i]
        value = Body.of(self.articles[i], self.boilerplate)
        self.cache[i] = value
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return value


def find_origins(
    articles: Sequence[Article], settings: SyndicationSettings = SyndicationSettings()
) -> list[OriginGroup]:
    """Group articles that share one origin; every article lands in exactly one group.

    Groups come in the order of their first member in `articles`, members in input order. The
    representative is the fullest member (most words), then the earliest `published`, then the first
    given; every other member has a CopyLink to the fuller member it matches best.

    >>> groups = find_origins(articles)            # doctest: +SKIP
    >>> [g.members for g in groups if len(g.members) > 1]
    [('ap.txt', 'excerpt.txt', 'update.txt')]
    """
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise ValueError("find_origins needs unique Article.id values; rename the duplicated inputs")
    hits, boilerplate = _candidate_pairs(articles, settings)
    cache = _PassageCache(articles, settings.passage_cache, boilerplate)
    union = _UnionFind(len(articles))
    neighbours: dict[int, list[int]] = {}
    for i, j in sorted(hits):
        pi, pj = cache.get(i), cache.get(j)
        small, large = (pi, pj) if pi.weight <= pj.weight else (pj, pi)
        if _same_origin(align_articles(small, large, settings), settings):
            union.union(i, j)
            neighbours.setdefault(i, []).append(j)
            neighbours.setdefault(j, []).append(i)
    members_of: dict[int, list[int]] = {}
    for i in range(len(articles)):
        members_of.setdefault(union.find(i), []).append(i)
    return [_group(members, neighbours, articles, cache, settings) for members in members_of.values()]


def _group(
    members: list[int],
    neighbours: dict[int, list[int]],
    articles: Sequence[Article],
    cache: _PassageCache,
    settings: SyndicationSettings,
) -> OriginGroup:
    """One origin group: representative, members, and each other member's link to what it copies."""
    if len(members) == 1:
        only = articles[members[0]].id
        return OriginGroup(representative=only, members=(only,))
    # Fullest first, then earliest (undated last), then input order.
    order = sorted(
        members,
        key=lambda i: (-cache.get(i).weight, articles[i].published is None, articles[i].published or "", i),
    )
    rank = {i: r for r, i in enumerate(order)}
    links: dict[int, CopyLink] = {}
    for i in order[1:]:
        fuller = [k for k in neighbours.get(i, []) if rank[k] < rank[i]] or [order[0]]
        mine = cache.get(i)
        best: tuple[tuple[float, float, int], int, Alignment] | None = None
        for k in fuller:
            forward = align_articles(mine, cache.get(k), settings)
            key = (forward.shared, -forward.changed, -rank[k])
            if best is None or key > best[0]:
                best = (key, k, forward)
        assert best is not None
        _, k, forward = best
        theirs = cache.get(k)
        backward = align_articles(theirs, mine, settings)
        links[i] = CopyLink(
            article=articles[i].id,
            of=articles[k].id,
            relation=_relation(forward, backward, settings),
            shared=round(forward.shared, 3),
            adds=_differences(mine.passages, forward),
            lacks=_differences(theirs.passages, backward),
        )
    ordered = sorted(members)
    return OriginGroup(
        representative=articles[order[0]].id,
        members=tuple(articles[i].id for i in ordered),
        copies=tuple(links[i] for i in ordered if i in links),
    )


def uncredited_copy_flags(groups: Sequence[OriginGroup], articles: Sequence[Article]) -> list[Flag]:
    """Flag members that drop the wire credit carried by what they copy (up the chain of links).

    A credit counts as kept when the member lists it in `credits` or names it anywhere in its byline,
    source or body (a cleaner may leave "(AP) —" in the first paragraph without extracting it).
    """
    by_id = {a.id: a for a in articles}
    flags: list[Flag] = []
    for group in groups:
        link_of = {link.article: link for link in group.copies}
        for link in group.copies:
            origin_credits: list[str] = []
            seen = {link.article}
            at = link.of
            while at not in seen:  # walk up to the representative, gathering credits
                seen.add(at)
                origin_credits.extend(c for c in by_id[at].credits if c not in origin_credits)
                if at not in link_of:
                    break
                at = link_of[at].of
            article = by_id[link.article]
            own = " ".join((*article.credits, *article.authors, article.source or "", *article.paragraphs))
            dropped = [c for c in origin_credits if not re.search(rf"\b{re.escape(c)}\b", own)]
            if origin_credits and len(dropped) == len(origin_credits):
                flags.append(
                    Flag(
                        article=link.article,
                        kind="uncredited-copy",
                        detail=(
                            f"{link.relation} of {link.of} ({link.shared:.0%} of its text found there), "
                            f"which credits {', '.join(origin_credits)}; this article names no such credit"
                        ),
                    )
                )
    return flags
