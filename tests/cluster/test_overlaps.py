"""Pair features read from packed profiles are the table's, bit for bit (the table is the spec)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from newsfold.cluster import overlaps
from newsfold.cluster.features import PairTable, global_features
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import Profile, normalised

pytestmark = pytest.mark.skipif(
    overlaps._compiled_pair_overlaps is None, reason="cluster/_overlaps.pyx is not built"
)

# Keys that sort differently by bytes, code points and length: prefixes, accents, CJK, an astral emoji.
STEMS = [
    "international", "internationale", "a", "ab", "abc", "b", "ba", "z", "zé", "ze", "é", "ß",
    "中国", "中", "😀x", "quake", "quak", "Kim",
]


def _keys(rng: random.Random, k: int) -> list[str]:
    return [rng.choice(STEMS) + rng.choice(["", "s", "ing", "é", "1"]) + rng.choice(STEMS) for _ in range(k)]


def _profile(rng: random.Random, n: int) -> Profile:
    terms = normalised({key: rng.random() + 0.01 for key in _keys(rng, rng.randint(0, 40))})
    names = normalised({key: rng.random() + 0.01 for key in _keys(rng, rng.randint(0, 12))})
    years = {rng.randint(2000, 2012): rng.randint(1, 3) for _ in range(rng.randint(0, 4))}
    days = frozenset(f"{rng.randint(1, 3):02d}-{rng.randint(1, 4):02d}" for _ in range(rng.randint(0, 3)))
    numbers = frozenset(str(rng.randint(10, 40)) for _ in range(rng.randint(0, 5)))
    return Profile(str(n), terms, names, dict(sorted(years.items())), days, numbers, len(terms))


def test_packed_pair_features_are_the_tables_bit_for_bit() -> None:
    rng = random.Random(5)
    profiles = [_profile(rng, n) for n in range(120)]
    packed = PackedProfiles(profiles)
    pairs = np.array([(rng.randrange(120), rng.randrange(120)) for _ in range(3000)])
    i, j = pairs[:, 0], pairs[:, 1]
    ours = overlaps.packed_global_features([packed.record(n) for n in range(120)], i, j)
    table = global_features(PairTable(profiles), i, j)
    assert ours is not None
    assert (table[:, 0] > 0).sum() > 500 and (table[:, 1] > 0).sum() > 50  # keys are shared: not vacuous
    assert np.array_equal(ours, table)


def test_a_key_holding_the_separator_sends_the_caller_to_the_table() -> None:
    odd = Profile("x", {"a\x00b": 1.0}, {}, {}, frozenset(), frozenset(), 1)
    plain = Profile("y", {"a": 1.0}, {}, {}, frozenset(), frozenset(), 1)
    packed = PackedProfiles([odd, plain])
    records = [packed.record(0), packed.record(1)]
    assert overlaps.packed_global_features(records, np.array([0]), np.array([1])) is None
    assert overlaps.packed_global_features(records[1:], np.array([0]), np.array([0])) is not None


def test_threads_names_rows_give_the_names_cosines_up_to_rounding() -> None:
    from newsfold.cluster import threads
    from newsfold.cluster.features import names_cosine
    from newsfold.models import Story

    rng = random.Random(8)
    profiles = [_profile(rng, n) for n in range(60)]
    packed = threads.PackedFacts()
    for n, p in enumerate(profiles):
        packed.append(threads.story_facts(Story(f"s-{n}", None, (p.id,)), n, [p]))
    i, j = np.triu_indices(60, 1)
    dots = threads._row_dots(*packed.names_rows(), i, j)
    assert np.array_equal(threads._row_dots_plain(*packed.names_rows(), i, j), dots)  # kernel and spec
    plain = np.array([names_cosine(packed[a].profile, packed[b].profile) for a, b in zip(i, j, strict=True)])
    assert (plain > 0).sum() > 30
    assert np.allclose(dots, plain, rtol=1e-12, atol=0)


def test_empty_keys_lone_surrogates_and_empty_profiles_read_as_the_table_does() -> None:
    odd = Profile("p", {"zürich": 0.6, "東京": 0.8}, {"\ud800x": 0.5, "zz": 0.5}, {1999: 2, 2010: 2},
                  frozenset({"03-14"}), frozenset({"12.5", ""}), 7)
    other = Profile("q", {"東京": 1.0}, {"\ud800x": 1.0}, {2010: 1}, frozenset({"03-14"}), frozenset({""}), 1)
    empty = Profile("e", {}, {}, {}, frozenset(), frozenset(), 0)
    profiles = [odd, other, empty]
    packed = PackedProfiles(profiles)
    i, j = np.array([0, 1, 2, 0, 2]), np.array([1, 0, 0, 0, 2])
    ours = overlaps.packed_global_features([packed.record(n) for n in range(3)], i, j)
    assert ours is not None and ours[0, 1] > 0  # the surrogate name is shared
    assert np.array_equal(ours, global_features(PairTable(profiles), i, j))


def test_threads_drop_by_names_only_pairs_compared_pair_drops(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfold.cluster import threads
    from newsfold.models import Story

    rng = random.Random(3)
    stories, facts = [], []
    for n in range(40):
        # Every story shares the topic's words; only stories of one saga (n % 4) share their names.
        terms = normalised({"quake": 1.0, "chile": 0.8, f"w{n}": rng.random() + 0.1})
        names = normalised({f"saga{n % 4}": 1.0, f"person{n}": rng.random() + 0.1})
        profile = Profile(str(n), terms, names, {2010: 1}, frozenset(), frozenset(), 3)
        stories.append(Story(f"s-{n}", None, (str(n),)))
        facts.append(threads.story_facts(stories[-1], n, [profile]))
    packed = threads.PackedFacts()
    for f in facts:
        packed.append(f)
    compared: list[int] = []
    plain_pair = threads.compared_pair

    def counted(a: threads.StoryFacts, b: threads.StoryFacts, settings: object) -> object:
        compared.append(1)
        return plain_pair(a, b, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(threads, "compared_pair", counted)
    monkeypatch.setattr(threads, "_PLAUSIBLE_BLOCK", 3)  # several blocks
    pairs = threads.thread_pairs(facts)  # a list: every pair sharing a key is compared
    everyone = len(compared)
    compared.clear()
    assert threads.thread_pairs(packed) == pairs and len(pairs) > 20
    assert everyone == 40 * 39 // 2 and len(compared) < everyone / 2  # the other sagas' pairs: unread


def test_compiled_candidates_rank_as_the_counter_does(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfold.cluster import index
    from newsfold.settings import ClusterSettings

    rng = random.Random(11)
    story_index = index.StoryIndex(ClusterSettings(postings_scanned=30, candidates=7))
    keys = [f"t:{n}" for n in range(8)]
    for key in keys:  # unsorted, repeated, longer than postings_scanned (as a store may keep them)
        story_index._postings[key] = [rng.randrange(200) for _ in range(rng.randrange(60))]
    profile = Profile("x", {}, {}, {}, frozenset(), frozenset(), 0)
    for chosen in ([], keys[:1], keys[:3], keys, ["t:absent", *keys]):
        compiled = story_index.candidates(profile, chosen)
        monkeypatch.setattr(index, "_compiled_top_candidates", None)
        plain = story_index.candidates(profile, chosen)
        monkeypatch.undo()
        assert compiled == plain and (len(plain) == 7 or len(chosen) < 3)


def test_a_record_reads_the_same_bytes_from_memory_and_from_the_file() -> None:
    rng = random.Random(4)
    profiles = [_profile(rng, n) for n in range(5)]
    held, on_disk = PackedProfiles(profiles), PackedProfiles(profiles, hold_bytes=0)
    try:
        assert [held.record(n) for n in range(5)] == [on_disk.record(n) for n in range(5)]
        assert len(held.record(4)) > 28  # more than the header
    finally:
        on_disk.close()
