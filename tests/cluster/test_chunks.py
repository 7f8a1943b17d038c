"""Clustering in bounded memory: placing articles by chunks, re-clustering components by groups and
holding the profiles packed change no story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfold.cluster import StoryIndex, index
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import profiles_of
from newsfold.models import Article, OriginGroup
from newsfold.settings import ClusterSettings

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _ecb_articles(topics: set[int]) -> list[Article]:
    path = SHARED / "bench" / "ecbplus" / "dev.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [
        Article(r["id"], None, tuple(p for p in r["text"].split("\n") if p.strip()))
        for r in records
        if r["topic"] in topics
    ]


def _groups(articles: list[Article]) -> list[OriginGroup]:
    """Origin groups whose members lie far apart in input order (in different chunks)."""
    ids = [a.id for a in articles]
    middle = ids[len(ids) // 2]
    return [OriginGroup(ids[0], (ids[0], ids[-1])), OriginGroup(ids[3], (ids[3], middle, ids[-5]))]


@pytest.mark.parametrize("chunk", [1, 4, 25])
def test_placing_by_chunks_equals_one_batch(chunk: int) -> None:
    articles = _ecb_articles({1, 7})
    profiles = profiles_of(articles, ClusterSettings())
    batch = StoryIndex()
    batch_placed = batch.add_profiles(profiles, _groups(articles), chunk=len(articles))
    chunked = StoryIndex()
    placed = chunked.add_profiles(iter(profiles), _groups(articles), chunk=chunk)
    assert len(articles) > 2 * 25
    assert any(len(members) > 2 for _, members in batch.stories())  # not all singletons
    assert placed == batch_placed
    assert chunked.to_state() == batch.to_state()


def test_reclustering_components_in_small_groups_equals_one_group(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _ecb_articles({1, 7})
    whole = StoryIndex()
    whole.add(articles, _groups(articles))
    monkeypatch.setattr(index, "RECLUSTER_ARTICLES", 1)  # each component re-clustered alone
    alone = StoryIndex()
    alone.add(articles, _groups(articles))
    assert len({first for first in whole.to_state()["stories"]}) > 1
    assert alone.to_state() == whole.to_state()


@pytest.mark.parametrize("hold_bytes", [None, 0])
def test_packed_profiles_read_back_equal_in_dict_order(hold_bytes: int | None) -> None:
    profiles = profiles_of(_ecb_articles({1}), ClusterSettings())
    packed = PackedProfiles(profiles, hold_bytes=hold_bytes)
    try:
        assert len(packed) == len(profiles)
        for original, read in zip(profiles, packed, strict=True):
            assert read == original
            assert list(read.terms.items()) == list(original.terms.items())
            assert list(read.names.items()) == list(original.names.items())
            assert (read.ranked_terms, read.ranked_names) == (original.ranked_terms, original.ranked_names)
        assert packed.by_id()[profiles[3].id] == profiles[3]
    finally:
        packed.close()


def test_profiles_held_unpacked_cluster_as_packed_ones() -> None:
    articles = _ecb_articles({1, 7})
    profiles = profiles_of(articles, ClusterSettings())
    held, packed = PackedProfiles(pack=False), PackedProfiles()
    held_index, packed_index = StoryIndex(store=held), StoryIndex(store=packed)
    held_index.add_profiles(profiles, _groups(articles))
    packed_index.add_profiles(profiles, _groups(articles))
    assert len(held) == len(packed) == len(profiles) and held.ids == packed.ids
    assert held[3] is profiles[3] and held.by_id()[profiles[5].id] is profiles[5]
    assert any(len(members) > 2 for _, members in held_index.stories())  # not all singletons
    assert held_index.to_state() == packed_index.to_state()


def test_profiles_held_unpacked_give_the_packed_records() -> None:
    profiles = profiles_of(_ecb_articles({1}), ClusterSettings())
    held, packed = PackedProfiles(profiles, pack=False), PackedProfiles(profiles)
    assert [held.record(n) for n in range(len(held))] == [packed.record(n) for n in range(len(packed))]
    resumed = PackedProfiles(pack=False)  # a recorded state read back into held profiles
    for n, ident in enumerate(packed.ids):
        resumed.append_packed(ident, packed.record(n))
    assert list(resumed) == list(packed) and resumed.record(2) == packed.record(2)


def test_packed_profiles_are_only_appended_to() -> None:
    packed = PackedProfiles(profiles_of(_ecb_articles({1})[:2], ClusterSettings()))
    with pytest.raises(TypeError):
        packed[0] = packed[1]


def test_packed_story_facts_read_back_equal() -> None:
    from newsfold.cluster.threads import PackedFacts, story_facts
    from newsfold.models import Story

    profiles = profiles_of(_ecb_articles({1}), ClusterSettings())
    stories = [
        Story(f"s-{k}", None, tuple(p.id for p in profiles[k : k + 3]), event_date=f"2011-03-0{k}")
        for k in range(1, 6)
    ]
    facts = [story_facts(s, n, profiles[n + 1 : n + 4]) for n, s in enumerate(stories)]
    packed = PackedFacts()
    for f in facts:
        packed.append(f)
    assert len(packed) == 5 and list(packed) == facts and packed[1:3] == facts[1:3]
    assert list(packed[2].profile.terms.items()) == list(facts[2].profile.terms.items())


def test_threads_read_profiles_by_id_as_from_a_list() -> None:
    from newsfold.cluster.threads import link_threads
    from newsfold.models import Story

    profiles = profiles_of(_ecb_articles({1, 7}), ClusterSettings())
    stories = [Story(f"s-{k}", None, tuple(p.id for p in profiles[k : k + 4])) for k in range(0, 40, 4)]
    packed = PackedProfiles(profiles)
    threads = link_threads(stories, [], profiles=profiles)
    assert any(len(t.stories) > 1 or any(t.related) for t in threads)
    assert link_threads(stories, [], profiles=packed.by_id()) == threads


def test_packed_profiles_keep_any_text_of_a_key() -> None:
    from newsfold.cluster.profile import Profile

    odd = Profile("p\x00", {"zürich": 0.6, "東京": 0.8}, {"a\x00b": 1.0, "\ud800x": 0.5}, {1999: 2, 2010: 1},
                  frozenset({"03-14"}), frozenset({"12.5", ""}), 7)
    packed = PackedProfiles([odd, odd], hold_bytes=0)
    try:
        assert packed[1] == odd and list(packed[0].names) == ["a\x00b", "\ud800x"]
    finally:
        packed.close()


def test_thread_pairs_of_packed_facts_with_few_kept_unpacked_equal_a_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsfold.cluster import threads
    from newsfold.models import Story

    profiles = profiles_of(_ecb_articles({1, 7}), ClusterSettings())
    stories = [Story(f"s-{k}", None, tuple(p.id for p in profiles[k : k + 4])) for k in range(0, 40, 4)]
    facts = [threads.story_facts(s, n, profiles[4 * n : 4 * n + 4]) for n, s in enumerate(stories)]
    packed = threads.PackedFacts()
    for f in facts:
        packed.append(f)
    monkeypatch.setattr(threads, "_RECENT_FACTS", 2)  # stories are read again after leaving the cache
    pairs = threads.thread_pairs(facts)
    assert len(pairs) > 2 and threads.thread_pairs(packed) == pairs
    assert threads.threads_of(packed, pairs) == threads.threads_of(facts, pairs)
