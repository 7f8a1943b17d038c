"""Threads on Spark: `link_threads` of the whole corpus, decomposed by index key and thread component.

`link_threads` reads each story's facts (`story_facts`: its profile summed from its articles', index keys,
event day, written year), compares the stories sharing a usable key (`usable_keys`: held by at most
`key_stories` stories), links or relates each compared pair (`compared_pair`) and takes the connected
components of the links as threads (`threads_of`). Every step reads a story, a key's holders, a pair or a
component, so each runs on the executors:

1. Facts: each story's articles' profiles meet in one task (in the story's member order, as
   `link_threads` sums them) and make its `StoryFacts`; a story's rank is its first article's position,
   which orders stories as their place in the fold does.
2. Usable keys: each key's holders (ranks only) grouped by key; a key held by at most `key_stories`
   stories is usable, and each story learns its usable keys.
3. Pairs: each story's facts go to the bucket of each of its usable keys (at most `key_stories` a
   bucket); a bucket compares its stories pairwise with `compared_pair`, each pair in one bucket only
   (the smallest key the two share), and only when they share `shared_keys` usable keys (as
   `thread_pairs`).
4. Threads: the linked pairs' components (`spark_graph`; a story on no link is a thread of its own);
   a thread is named after its first story in time order (`thread_id_of`); a story's related stories are
   the best of the pairs it is in (`related_of`).

The driver holds one number a label-propagation round; profiles travel between executors only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from newsfold.cluster.profile import Profile
from newsfold.cluster.threads import (
    StoryFacts,
    ThreadPair,
    compared_pair,
    related_of,
    story_facts,
    thread_id_of,
)
from newsfold.engine.spark_graph import connected_components
from newsfold.models import Story
from newsfold.settings import Settings, ThreadSettings

__all__ = ["story_facts_of", "thread_pairs_of", "threaded"]


def threaded(stories: Any, members: Any, profiles: Any, settings: Settings, partitions: int) -> Any:
    """(first member's position, Story) with `thread` and `related` filled, as `with_threads` fills them
    over the whole corpus.

    Args:
        stories: (first member's position, Story), the written stories.
        members: (first member's position, (story id, member ids, member positions)), as `story_members`.
        profiles: (position, Profile) of every article.
        settings: the fold's settings (`threads` and `cluster` are read).
        partitions: how many partitions each shuffle uses.
    """
    from pyspark import StorageLevel

    keep = StorageLevel.MEMORY_AND_DISK
    facts = story_facts_of(stories, members, profiles, settings, partitions).persist(keep)
    pairs = thread_pairs_of(facts, settings.threads, partitions).persist(keep)
    links = pairs.filter(lambda row: row[2].linked).map(lambda row: (row[0][0], row[1][0]))
    labels = connected_components(links, partitions)  # (rank, smallest rank of its thread)
    # Each story's thread: the first story of its component in time order names it.
    component = facts.mapValues(lambda f: (f.order, f.story)).leftOuterJoin(labels, partitions)
    by_label = component.map(lambda row: (row[0] if row[1][1] is None else row[1][1], (row[0], row[1][0])))
    first = by_label.mapValues(lambda rf: rf[1]).reduceByKey(min, partitions)
    thread_of = by_label.join(first, partitions).map(lambda row: (row[1][0][0], thread_id_of(row[1][1][1])))
    # Each story's related stories: the pairs it is in (a story in none has none).
    sides = pairs.flatMap(lambda row: [(row[0][0], (row[0][1], row[2])), (row[1][0], (row[1][1], row[2]))])
    related = sides.groupByKey(partitions).mapValues(lambda found: _related(found, settings.threads))
    return (
        stories.join(thread_of, partitions)
        .leftOuterJoin(related, partitions)
        .mapValues(lambda row: replace(row[0][0], thread=row[0][1], related=row[1] or ()))
    )


def story_facts_of(stories: Any, members: Any, profiles: Any, settings: Settings, partitions: int) -> Any:
    """(rank, StoryFacts) of every story, its rank its first member's position: each story's articles'
    profiles meet in one task, in the story's member order."""
    story_of = members.flatMap(lambda row: [(p, row[0]) for p in row[1][2]])  # position -> story
    outlines = stories.mapValues(lambda s: Story(s.id, None, s.articles, event_date=s.event_date))
    gathered = (
        profiles.join(story_of, partitions)
        .map(lambda row: (row[1][1], ("p", row[1][0])))
        .union(outlines.mapValues(lambda s: ("s", s)))
        .groupByKey(partitions)
    )
    return gathered.map(lambda item: (item[0], _facts(item[0], item[1], settings)))


def _facts(rank: int, rows: Iterable[tuple[str, Any]], settings: Settings) -> StoryFacts:
    """Executor side: one story's facts from its outline and its articles' profiles."""
    outline = Story("", None, ())
    by_id: dict[str, Profile] = {}
    for kind, value in rows:
        if kind == "s":
            outline = value
        else:
            by_id[value.id] = value
    return story_facts(outline, rank, [by_id[i] for i in outline.articles if i in by_id], settings)


def thread_pairs_of(facts: Any, settings: ThreadSettings, partitions: int) -> Any:
    """((rank, story id), (rank, story id), ThreadPair) of every linked or related pair of stories
    (`thread_pairs` of the whole corpus), the earlier story first."""
    cap = settings.key_stories
    usable = (
        facts.flatMap(lambda row: [(key, row[0]) for key in row[1].keys])
        .groupByKey(partitions)
        .flatMap(lambda item: _usable(item[0], item[1], cap))  # (rank, key) for keys within the cap
        .groupByKey(partitions)
    )
    buckets = (
        facts.join(usable, partitions)
        .flatMap(lambda row: [(key, (row[1][0], frozenset(row[1][1]))) for key in row[1][1]])
        .groupByKey(partitions)
    )
    return buckets.flatMap(lambda item: _bucket_pairs(item[0], item[1], settings))


def _usable(key: str, holders: Iterable[int], cap: int) -> list[tuple[int, str]]:
    """(holder, key) for each holder of a key held by at most `cap` stories (`usable_keys`)."""
    ranks = list(holders)
    return [(rank, key) for rank in ranks] if len(ranks) <= cap else []


def _bucket_pairs(
    key: str, holders: Iterable[tuple[StoryFacts, frozenset[str]]], settings: ThreadSettings
) -> Iterator[tuple[tuple[int, str], tuple[int, str], ThreadPair]]:
    """Executor side: the linked or related pairs of one key's holders that this key is the first shared
    usable key of (so each pair is scored in one bucket), sharing at least `shared_keys` usable keys."""
    ordered = sorted(holders, key=lambda fk: fk[0].rank)
    for n, (a, a_keys) in enumerate(ordered):
        for b, b_keys in ordered[n + 1 :]:
            shared = a_keys & b_keys
            if min(shared) != key or len(shared) < settings.shared_keys:
                continue
            pair = compared_pair(a, b, settings)
            if pair is not None:
                yield (a.rank, a.story), (b.rank, b.story), pair


def _related(found: Iterable[tuple[str, ThreadPair]], settings: ThreadSettings) -> tuple[str, ...]:
    """Executor side: one story's related story ids from the pairs it is in (`related_of`)."""
    rows = list(found)
    return tuple(r.story for r in related_of(rows[0][0], [pair for _, pair in rows], settings))
