"""Issue 11: a pair's cosines do not follow which side comes first nor the order either side's keys came in.

A profile's keys are in the order its text (or, for a story's profile, its members) first met them, so two
profiles of the same keys can hold them in different orders, and the pair of two stories is met with
either story first depending on the input's order. 0.1 + 0.2 + 0.3 is 0.6000000000000001 in that order and
0.6 in the reverse one: a sum in one side's order gave a pair two scores. The cosines add the shared keys'
products in the keys' sorted order, as the clustering's sparse tables do: one number, theirs.
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from newsfold.cluster.features import (
    PairTable,
    component_features,
    global_features,
    names_cosine,
    pair_features,
    terms_cosine,
)
from newsfold.cluster.overlaps import packed_cosines
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import Profile, normalised
from newsfold.cluster.threads import StoryFacts, compared_pair
from newsfold.settings import ThreadSettings

PRODUCTS = {"quake": 0.1, "chile": 0.2, "tsunami": 0.3}  # added in some orders, these round apart
ORDERS = list(itertools.permutations(PRODUCTS))


def _profile(ident: str, weights: dict[str, float]) -> Profile:
    return Profile(ident, dict(weights), dict(weights), {2010: 1}, frozenset(), frozenset(), len(weights))


@pytest.mark.parametrize("order", ORDERS)
def test_cosines_do_not_follow_the_sides_nor_the_keys_order(order: tuple[str, ...]) -> None:
    ones = _profile("a", dict.fromkeys(PRODUCTS, 1.0))
    reordered = _profile("b", {key: PRODUCTS[key] for key in order})
    forward = _profile("c", PRODUCTS)
    for cosine in (terms_cosine, names_cosine):
        assert cosine(ones, reordered) == cosine(reordered, ones) == cosine(ones, forward)
    assert pair_features(ones, reordered) == pair_features(reordered, ones)


@pytest.mark.parametrize("order", ORDERS)
def test_a_thread_pair_scores_alike_whichever_story_comes_first(order: tuple[str, ...]) -> None:
    settings = ThreadSettings(names_cosine=0.0, terms_cosine=0.0, names_covered=0.0, related_score=0.0)
    ones = _profile("a", dict.fromkeys(PRODUCTS, 1.0))
    reordered = _profile("b", {key: PRODUCTS[key] for key in order})

    def facts(story: str, rank: int, profile: Profile) -> StoryFacts:
        return StoryFacts(story, rank, None, 2010, (), profile)

    first = compared_pair(facts("s-a", 0, ones), facts("s-b", 1, reordered), settings)
    later = compared_pair(facts("s-a", 1, ones), facts("s-b", 0, reordered), settings)
    assert first is not None and first == later


def _random_profile(rng: random.Random, n: int) -> Profile:
    """Keys drawn from a small vocabulary in a random order, so that pairs share many keys met in other
    orders on each side."""
    vocabulary = [f"{a}{b}" for a in "quake chile bern kim vote".split() for b in ("", "s", "ing", "é")]
    terms = normalised({k: rng.random() + 0.01 for k in rng.sample(vocabulary, rng.randint(1, 18))})
    names = normalised({k: rng.random() + 0.01 for k in rng.sample(vocabulary, rng.randint(1, 8))})
    return Profile(str(n), terms, names, {2010: 1}, frozenset(), frozenset(), len(terms))


def test_pair_features_are_the_tables_bit_for_bit() -> None:
    """The plain spec adds in the tables' order (gathered rows, a component's matrix products): the same
    numbers, not only close ones."""
    rng = random.Random(11)
    profiles = [_random_profile(rng, n) for n in range(40)]
    i, j = np.triu_indices(len(profiles), 1)
    table = global_features(PairTable(profiles), i, j)
    plain = np.array([pair_features(profiles[a], profiles[b]) for a, b in zip(i, j, strict=True)])
    # Most pairs share words and names: sums of several products are compared, not zeros.
    assert (table[:, 0] > 0).mean() > 0.75 and (table[:, 1] > 0).mean() > 0.4
    assert np.array_equal(plain, table)
    rows_i, rows_j, products = component_features(profiles, local=False)
    assert np.array_equal(rows_i, i) and np.array_equal(rows_j, j)
    assert np.array_equal(products, table)


def test_packed_cosines_are_the_plain_cosines_bit_for_bit() -> None:
    rng = random.Random(12)
    profiles = [_random_profile(rng, n) for n in range(30)]
    records = [PackedProfiles(profiles).record(n) for n in range(len(profiles))]
    i, j = np.triu_indices(len(profiles), 1)
    found = packed_cosines(records, i, j)
    if found is None:
        pytest.skip("cluster/_overlaps.pyx is not built")
    pairs = list(zip(i, j, strict=True))
    assert np.array_equal(found[0], [terms_cosine(profiles[a], profiles[b]) for a, b in pairs])
    assert np.array_equal(found[1], [names_cosine(profiles[a], profiles[b]) for a, b in pairs])
