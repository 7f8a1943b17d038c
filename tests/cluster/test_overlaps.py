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
STEMS = ["a", "ab", "abc", "b", "ba", "z", "zé", "ze", "é", "ß", "中国", "中", "😀x", "quake", "quak", "Kim"]


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
    assert (table[:, 0] > 0).sum() > 500 and (table[:, 1] > 0).sum() > 100  # keys are shared: not vacuous
    assert np.array_equal(ours, table)


def test_a_key_holding_the_separator_sends_the_caller_to_the_table() -> None:
    odd = Profile("x", {"a\x00b": 1.0}, {}, {}, frozenset(), frozenset(), 1)
    plain = Profile("y", {"a": 1.0}, {}, {}, frozenset(), frozenset(), 1)
    packed = PackedProfiles([odd, plain])
    records = [packed.record(0), packed.record(1)]
    assert overlaps.packed_global_features(records, np.array([0]), np.array([1])) is None
    assert overlaps.packed_global_features(records[1:], np.array([0]), np.array([0])) is not None


def test_names_dots_are_the_names_cosines_up_to_rounding() -> None:
    rng = random.Random(8)
    profiles = [_profile(rng, n) for n in range(60)]
    packed = PackedProfiles(profiles)
    i, j = np.triu_indices(60, 1)
    dots = overlaps.names_dots([packed.record(n) for n in range(60)], i, j)
    plain = global_features(PairTable(profiles), i, j)[:, 1]
    assert dots is not None and (plain > 0).sum() > 10
    assert np.array_equal(dots, plain)
