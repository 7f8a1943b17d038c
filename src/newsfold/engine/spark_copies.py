"""Copy detection on Spark: evidence keys grouped by key, components of related articles, `find_origins`
on each.

`find_origins` relates two articles only through a key both hold (a substantive sentence, a headline, a
page-lead sentence by its lede bucket). A key held by more than `max_sentence_fanout` articles relates
nothing but its count when it is boilerplate (`syndication.evidence`; engine/incremental.py gives the
argument); when it is a syndicated story's (a wire story printed by more sites than the fanout: its
holders share most of their text with its first holders, `sentence_index`), it relates its holders. So:

1. each article's keys (stable hashes) are grouped by key; every key held by at most
   `max_sentence_fanout` articles links its holders (a star of at most 20 ids), a lede bucket links the
   holders of its rare page-lead keys;
2. which sentences held more often are syndicated is decided as `sentence_index` decides it over the
   whole corpus: every holder paired with the sentence's first `max_sentence_fanout` holders, the words
   each pair shares summed over all its sentences (grouped by pair), a pair covered when it shares
   `min_containment` of the smaller one's words in `min_shared_sentences`, a sentence syndicated when
   `syndicated_share` of its pairs are covered; a syndicated sentence links its holders (and its
   page-lead key their lede buckets);
3. a boilerplate sentence (held more often, not syndicated) relates only articles whose every sentence
   is boilerplate, each with the sentence's first `max_sentence_fanout` such holders
   (`sentence_index`): it links its all-boilerplate holders (a star), so a component holds every
   all-boilerplate holder of its boilerplate sentences (`EvidenceCounts.boilerplate_closed`);
4. the links' connected components (`spark_graph`) are closed under that relation, so `find_origins` of
   one component, given the corpus-wide key counts and syndicated sentences (`EvidenceCounts`), is what
   a run over the whole corpus gives its articles: each component is verified, grouped and linked in
   one executor task;
5. an article on no link is an origin group of its own (no pair could be verified).

Not covered by the argument, so one task runs `find_origins` over the whole corpus instead (as
engine/incremental.py does over the whole store): MinHash near candidates (`near_candidates`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from newsfold.engine.spark_graph import connected_components
from newsfold.models import Article, OriginGroup
from newsfold.settings import SyndicationSettings
from newsfold.syndication import find_origins
from newsfold.syndication.evidence import EvidenceCounts, evidence_keys, lede_bucket, stable_hash
from newsfold.syndication.passages import LineCache, page_text

__all__ = ["origin_groups"]

# (kind, stable hash): "s" sentence, "h" headline, "l" page-lead sentence (one string can be two kinds).
Key = tuple[str, int]


def origin_groups(articles: Any, settings: SyndicationSettings, partitions: int) -> Any:
    """The origin groups of `articles` (an RDD of (position, Article), positions in input order), as an
    RDD of (member positions, OriginGroup): `find_origins` of the whole corpus, computed by component."""
    from pyspark import StorageLevel

    keep = StorageLevel.MEMORY_AND_DISK
    fanout = settings.max_sentence_fanout
    by_key = (
        articles.mapPartitions(lambda rows: _key_rows(rows, settings))  # (key, (position, words or bucket))
        .groupByKey(partitions)
        .flatMap(lambda item: _holders(item[0], sorted(item[1]), fanout))
        .persist(keep)
    )
    frequent = _frequent(by_key, settings, partitions).persist(keep)
    counts = _rows_of(by_key, "count").union(
        frequent.flatMap(lambda row: [(p, (row[0][0], len(row[0][1]), row[1])) for p, _ in row[0][1]])
    )  # (position, (key, holders, syndicated))
    labels = connected_components(_links(by_key, frequent, counts, fanout, partitions), partitions)
    # One row per article: (its component's label, (position, article, its keys' corpus-wide counts)).
    placed = (
        articles.cogroup(counts, partitions)
        .cogroup(labels, partitions)
        .flatMap(lambda item: _placed(item[0], item[1]))
        .persist(keep)
    )
    by_key.unpersist()
    frequent.unpersist()
    if settings.near_candidates:
        return whole_corpus_origins(placed, settings)
    components = placed.map(lambda row: (row[0], row[1])).groupByKey(partitions)
    return components.flatMap(lambda item: _component_origins(list(item[1]), settings))


def _rows_of(by_key: Any, kind: str) -> Any:
    """The rows `_holders` made of one kind, without the kind."""
    return by_key.filter(lambda row: row[0] == kind).map(lambda row: row[1])


def _frequent(by_key: Any, settings: SyndicationSettings, partitions: int) -> Any:
    """Keys held more than `fanout` times, with whether their sentence is syndicated (a page-lead key by
    its sentence's hash: `lead_pairs` asks the sentence index about the same text): ((key, holders),
    syndicated)."""
    words = _rows_of(by_key, "words").reduceByKey(int.__add__)
    syndicated = _syndicated(_rows_of(by_key, "anchor"), words, settings, partitions)
    return (
        _rows_of(by_key, "frequent")
        .map(lambda row: (row[0][1], row))
        .leftOuterJoin(syndicated.map(lambda h: (h, True)), partitions)
        .map(lambda item: (item[1][0], item[1][1] is not None and item[1][0][0][0] != "h"))
    )


def _links(by_key: Any, frequent: Any, counts: Any, fanout: int, partitions: int) -> Any:
    """The links between articles that make the components: the candidate pairs', a syndicated sentence's
    holders, a lede bucket's holders, and the all-boilerplate holders of a boilerplate sentence."""
    widely = frequent.filter(lambda row: row[1]).map(lambda row: row[0])  # (key, holders): syndicated
    buckets = _rows_of(by_key, "bucket").union(
        widely.filter(lambda kh: kh[0][0] == "l").flatMap(lambda kh: [(b, p) for p, b in kh[1]])
    )
    # The articles whose every sentence is boilerplate, as `sentence_index` finds them.
    bare = (
        counts.filter(lambda row: row[1][0][0] == "s")
        .map(lambda row: (row[0], row[1][1] > fanout and not row[1][2]))
        .reduceByKey(lambda a, b: a and b, partitions)
        .filter(lambda row: row[1])
    )
    # Each boilerplate sentence links its all-boilerplate holders: (sentence key, those holders).
    boilerplate_holders = (
        frequent.filter(lambda row: row[0][0][0] == "s" and not row[1])
        .flatMap(lambda row: [(p, row[0][0]) for p, _ in row[0][1]])
        .join(bare, partitions)
        .map(lambda row: (row[1][0], row[0]))
        .groupByKey(partitions)
    )
    return (
        _rows_of(by_key, "link")
        .union(
            widely.filter(lambda kh: kh[0][0] == "s").flatMap(lambda kh: _star((None, [p for p, _ in kh[1]])))
        )
        .union(buckets.groupByKey(partitions).flatMap(_star))
        .union(boilerplate_holders.flatMap(_star))
    )


def whole_corpus_origins(placed: Any, settings: SyndicationSettings) -> Any:
    """`find_origins` over the whole corpus in one task: MinHash near candidates relate sentences
    anywhere, which no component bounds."""
    every = placed.map(lambda row: (0, row[1][:2])).groupByKey(1)
    return every.flatMap(lambda item: _origins(list(item[1]), None, settings))


def _holders(key: Key, rows: list[tuple[int, int]], fanout: int) -> Iterator[tuple[str, tuple[Any, Any]]]:
    """Executor side, one key and its holders in input order, each with its sentence's words (or lede
    bucket): a rare key (at most `fanout` holders) gives ("count", (holder, (key, holders, False))) for
    each, the links that relate them ("link", (first, other)) and, a page-lead key, ("bucket", (lede
    bucket, holder)); a frequent one ("frequent", (key, rows)). A sentence gives each holder's words
    ("words", (holder, words)) and its anchor pairs ("anchor", ((anchor, holder), (the first holder's
    words, the key when frequent))), as `sentence_index` pairs them."""
    if key[0] == "s":
        for position, words in rows:
            yield "words", (position, words)
        frequent_key = key if len(rows) > fanout else None
        for m in range(min(len(rows) - 1, fanout)):
            for other, _ in rows[m + 1 :]:
                yield "anchor", ((rows[m][0], other), (rows[0][1], frequent_key))
    if len(rows) > fanout:
        yield "frequent", (key, rows)
        return
    for position, _ in rows:
        yield "count", (position, (key, len(rows), False))
    first = rows[0][0]
    for position, bucket in rows:
        if position != first:
            yield "link", (first, position)
        if key[0] == "l":
            yield "bucket", (bucket, position)


def _syndicated(anchors: Any, words: Any, settings: SyndicationSettings, partitions: int) -> Any:
    """The hashes of the sentences held more than `max_sentence_fanout` times that are a syndicated
    story's (`sentence_index`'s rule): at least `syndicated_share` of their anchor pairs are covered."""
    by_pair = anchors.groupByKey(partitions).mapValues(list).filter(lambda row: any(k for _, k in row[1]))
    with_words = (
        by_pair.map(lambda row: (row[0][0], (row[0][1], row[1])))
        .join(words, partitions)
        .map(lambda row: (row[1][0][0], (row[1][0][1], row[1][1])))
        .join(words, partitions)  # (second, ((its pair's rows, first's words), second's words))
    )
    shares = with_words.flatMap(lambda row: _covered(row[1][0][0], min(row[1][0][1], row[1][1]), settings))
    return (
        shares.reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1]), partitions)
        .filter(lambda row: row[1][0] / row[1][1] >= settings.syndicated_share)
        .map(lambda row: row[0][1])
    )


def _covered(
    rows: list[tuple[int, Key | None]], smaller: int, settings: SyndicationSettings
) -> Iterator[tuple[Key, tuple[int, int]]]:
    """Executor side, one anchor pair: (frequent sentence, (1 if the pair is covered else 0, 1))."""
    shared_words = sum(words for words, _ in rows)
    covered = int(
        shared_words >= settings.min_containment * smaller and len(rows) >= settings.min_shared_sentences
    )
    for _, key in rows:
        if key is not None:
            yield key, (covered, 1)


def _placed(
    position: int, found: tuple[Iterable[Any], Iterable[int]]
) -> Iterator[tuple[int, tuple[int, Article, list[tuple[Key, int, bool]]]]]:
    """Executor side: an article with its keys' counts, keyed by its component's label (its own position
    when it is on no link)."""
    (articles_and_counts,), labels = found
    articles, counts = articles_and_counts
    label = min(labels, default=position)
    held = list(counts)
    for article in articles:
        yield label, (position, article, held)


def _key_rows(
    rows: Iterable[tuple[int, Article]], settings: SyndicationSettings
) -> Iterator[tuple[Key, tuple[int, int]]]:
    """Each article's evidence keys, each with the article's position and its sentence's words (the
    first passage holding it, as `sentence_index` counts it) or, a page-lead key, its lede bucket; one
    `LineCache` a partition, so a site's chrome lines are split once, not once a page."""
    cache = LineCache()
    scan = settings.lead_sentences + settings.lead_scan_extra
    for position, article in rows:
        keys = evidence_keys(article, settings, cache)
        words: dict[str, int] = {}
        for passage in page_text(article, settings.min_substantive_tokens, scan, cache).passages:
            if passage.substantive(settings.min_substantive_tokens):
                words.setdefault(passage.key, passage.words)
        for key in keys.sentences:
            yield ("s", stable_hash(key)), (position, words[key])
        if keys.headline:
            yield ("h", stable_hash(keys.headline)), (position, 0)
        for key in keys.leads:
            yield ("l", stable_hash(key)), (position, stable_hash(lede_bucket(key, settings)))


def _star(item: tuple[Any, Iterable[int]]) -> Iterator[tuple[int, int]]:
    """Links from the first holder of a key to every other one (enough for the components)."""
    holders = sorted(set(item[1]))
    for other in holders[1:]:
        yield holders[0], other


def _component_origins(
    rows: list[tuple[int, Article, Iterable[tuple[Key, int, bool]]]], settings: SyndicationSettings
) -> list[tuple[tuple[int, ...], OriginGroup]]:
    """Executor side: the origin groups of one component, with the corpus-wide counts of its keys."""
    if len(rows) == 1:  # on no link: an origin of its own
        only = rows[0][1].id
        return [((rows[0][0],), OriginGroup(representative=only, members=(only,)))]
    counts: dict[Key, int] = {}
    syndicated: set[int] = set()
    for _, _, held in rows:
        for key, n, widely in held:
            counts[key] = n
            if widely and key[0] == "s":
                syndicated.add(key[1])
    evidence = EvidenceCounts(
        _ByHash(counts, "s"),
        _ByHash(counts, "h"),
        _ByHash(counts, "l"),
        _HashedSet(syndicated),
        boilerplate_closed=True,  # the boilerplate sentences' all-boilerplate holders are linked
    )
    return _origins([(position, article) for position, article, _ in rows], evidence, settings)


def _origins(
    rows: list[tuple[int, Article]], evidence: EvidenceCounts | None, settings: SyndicationSettings
) -> list[tuple[tuple[int, ...], OriginGroup]]:
    """`find_origins` of these articles in input order; with `evidence`, given the counts (and syndicated
    sentences) of the whole corpus."""
    rows = sorted(rows, key=lambda row: row[0])
    articles = [article for _, article in rows]
    position_of = {article.id: position for position, article in rows}
    groups = find_origins(articles, settings, evidence)
    return [(tuple(position_of[m] for m in group.members), group) for group in groups]


class _ByHash(Mapping[str, int]):
    """Corpus-wide counts of one kind of key, looked up by the key's stable hash: the counts travel as
    hashes, so `find_origins` reads them without the articles' keys being computed again. Only lookups
    (`find_origins` makes no other use of `EvidenceCounts`): the keys' text is not here to iterate."""

    def __init__(self, counts: dict[Key, int], kind: str) -> None:
        self._counts = counts
        self._kind = kind

    def __getitem__(self, key: str) -> int:
        return self._counts[self._kind, stable_hash(key)]

    def __iter__(self) -> Iterator[str]:
        raise TypeError("counts by hash hold no key text to iterate")

    def __len__(self) -> int:
        return sum(1 for kind, _ in self._counts if kind == self._kind)


class _HashedSet:
    """Sentences by stable hash, asked whether they hold a sentence's text."""

    def __init__(self, hashes: set[int]) -> None:
        self._hashes = hashes

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and stable_hash(key) in self._hashes
