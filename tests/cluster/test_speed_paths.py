"""The fast paths of the clustering give the plain versions' results (rule 11: the plain one is the spec)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from newsfold.cluster import features, index, profile
from newsfold.cluster.features import PairModel, PairTable, global_features, pair_features, shipped_models
from newsfold.cluster.profile import Lexicon, profile_of
from newsfold.entities import EntityReader, entity_mentions
from newsfold.models import Article
from newsfold.settings import ClusterSettings

TEXTS = [
    "Chile quake of March 3, 2010 kills 700 in Concepcion, President Michelle Bachelet says.",
    "Michelle Bachelet visits Concepcion after the 2010 quake; 700 dead, 2,000 homes lost on 3rd March.",
    "A 6.1 quake hit Papua on 4 January 2009; Jayapura hospitals treat 30 people. 2009-01-04 report.",
    "Wladimir Klitschko stops Tony Thompson in Bern on July 7, 2012 to keep his belts.",
    "Klitschko beat Thompson in Bern in 2008 too, on July 12, with 1,500 fans from Ukraine watching.",
]


def _profiles() -> list[profile.Profile]:
    settings = ClusterSettings()
    lexicon = Lexicon(settings)
    return [profile_of(Article(str(n), None, (t,)), lexicon, settings) for n, t in enumerate(TEXTS)]


def test_bulk_pair_features_are_pair_features_and_do_not_depend_on_the_batch() -> None:
    profiles = _profiles()
    whole = PairTable(profiles)
    i, j = np.array([0, 3, 0, 2]), np.array([1, 4, 3, 4])
    bulk = global_features(whole, i, j)
    plain = np.array([pair_features(profiles[a], profiles[b]) for a, b in zip(i, j, strict=True)])
    assert bulk[0, 0] > 0.1 and bulk[1, 1] > 0.1  # the Chile and the Klitschko pairs share words and names
    assert np.array_equal(bulk, plain)  # bit for bit: both add in the keys' order
    alone = global_features(PairTable([profiles[3], profiles[4]]), np.array([0]), np.array([1]))
    assert (alone[0] == bulk[1]).all()  # bit for bit: a pair scores the same in any batch


def _level_by_level(spec: dict, x: np.ndarray) -> np.ndarray:
    """The former evaluation of boosted trees: every row moves down one level per step."""
    z = np.full(len(x), float(spec["init"]))
    rows = np.arange(len(x))
    for tree in ({key: np.array(values) for key, values in t.items()} for t in spec["trees"]):
        node = np.zeros(len(x), dtype=np.int64)
        while (inner := tree["left"][node] >= 0).any():
            go_left = x[rows, tree["feature"][node]] <= tree["threshold"][node]
            node = np.where(inner, np.where(go_left, tree["left"][node], tree["right"][node]), node)
        z += spec["learning_rate"] * tree["value"][node]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


def test_trees_walked_node_by_node_give_the_level_by_level_probabilities() -> None:
    trees = [
        {"feature": [0, 1, -2, -2, -2], "threshold": [0.5, 0.2, 0, 0, 0], "left": [1, 3, -1, -1, -1],
         "right": [2, 4, -1, -1, -1], "value": [0, 0, 0.7, -1.2, 0.4]},
        {"feature": [1, -2, -2], "threshold": [0.6, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1],
         "value": [0, -0.3, 0.9]},
    ]
    spec = {"kind": "boosted_trees", "features": ["a", "b"], "init": 0.1, "learning_rate": 1.0}
    spec["trees"] = trees
    x = np.random.default_rng(0).random((500, 2))
    ours = PairModel(spec, ("a", "b")).probability(x)
    assert len(set(ours.round(6))) >= 4  # many leaves are reached: not a vacuous comparison
    assert (ours == _level_by_level(spec, x)).all()


def test_a_logistic_model_scores_a_row_the_same_in_any_batch() -> None:
    edge, _, _ = shipped_models()
    model = PairModel(edge, edge["features"])
    x = np.random.default_rng(2).random((features._LOGISTIC_BLOCK + 500, len(edge["features"])))
    bulk = model.probability(x)
    for k in (0, 17, features._LOGISTIC_BLOCK - 1, features._LOGISTIC_BLOCK, len(x) - 1):
        assert model.probability(x[k : k + 1])[0] == bulk[k]  # bit for bit, inside or across blocks


@pytest.mark.skipif(features._compiled_tree_sums is None, reason="cluster/_trees.pyx is not built")
def test_the_compiled_tree_walk_gives_the_plain_specs_sums() -> None:
    edge, topic, merge = shipped_models()
    model = PairModel(merge, merge["features"])
    x = np.random.default_rng(1).random((3001, len(merge["features"])))  # a last block of one row
    x[::7, :] = (x[::7, :] > 0.5)  # flags, as the stacked boolean features are
    x[5, ::2] = np.nan  # goes right at every node, as `not <=` sends it in the spec
    plain = features._tree_sums_plain(x, model.trees, merge["learning_rate"], float(merge["init"]))
    compiled = features._compiled_tree_sums(x, *model.forest, float(merge["init"]))
    assert len(set(plain.round(6))) > 100  # many paths through the trees: not a vacuous comparison
    assert (compiled == plain).all()


def test_reading_lines_once_gives_every_text_its_own_mentions() -> None:
    reader = EntityReader()
    first = "Turnout was high.\nKlitschko won in Bern. The referee stopped it as Klitschko landed."
    second = "Turnout was high.\nVoting began in Ashgabat. turnout was 88 percent."
    for text in (first, second, first):
        assert reader.mentions(text) == entity_mentions(text)
    assert [m.name for m in reader.mentions(second)] == ["Ashgabat"]  # "Turnout" is lower case there


PLAIN = {  # the patterns' plain forms: the engine tries every position
    "_NUMBER": r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?",
    "_YEAR": r"(?<![\w.,$£€])(19[5-9]\d|20[0-4]\d)(?!\w|[.,]\d)",
    "_DAY_BEFORE": r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                   r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b",
    "_ISO_IN_TEXT": r"(?<!\d)(19[5-9]\d|20[0-4]\d)\s?[-/]\s?(\d{1,2})\s?[-/]\s?(\d{1,2})(?!\d)",
}
TRICKY = ("a1,234 12 1,2345 x1.5 2003.5 $1999 1999, 2,003,000 March 4, 2003, at 2013 - 09 - 26 12th of "
          "March 3rd Jan 2014-1-2 19999 1950s 2049 2050 ,1999 .2001 a2002 7 May 17may 1 of june")


def test_patterns_opening_with_their_first_character_match_as_the_plain_ones() -> None:
    for name, plain in PLAIN.items():
        flags = re.IGNORECASE if name == "_DAY_BEFORE" else 0
        expected = re.compile(plain, flags).findall(TRICKY)
        assert expected  # each pattern finds something in the text
        assert getattr(profile, name).findall(TRICKY) == expected
    after = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(\d{1,2})"
                       r"(?:st|nd|rd|th)?\b", re.IGNORECASE)
    assert [(m.lower(), d) for m, d in after.findall(TRICKY)] == profile._DAY_AFTER.findall(TRICKY.lower())


def test_the_frequency_list_read_directly_is_wordfreqs() -> None:
    import wordfreq

    ours = profile.word_frequencies()
    assert len(ours) > 100_000
    assert ours == wordfreq.get_frequency_dict("en", wordlist="large")
    assert json.dumps(sorted(profile.STOP_WORDS)[:3]) == '["a", "about", "above"]'


def _average_link_plain(
    probability: np.ndarray, groups: list[list[int]], threshold: float
) -> list[list[int]]:
    """The spec: every merge recomputes every mean from the group sums (membership products)."""
    k = len(groups)
    clusters = [sorted(g) for g in groups]
    membership = np.zeros((k, len(probability)))
    for g, members in enumerate(clusters):
        membership[g, members] = 1.0
    sums = membership @ probability @ membership.T
    sizes = membership.sum(axis=1)
    active = np.ones(k, dtype=bool)
    while active.sum() > 1:
        mean = sums / np.outer(sizes, sizes)
        mean[~active, :] = -1.0
        mean[:, ~active] = -1.0
        np.fill_diagonal(mean, -1.0)
        a, b = divmod(int(np.argmax(mean)), k)
        if mean[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        active[b] = False
        clusters[a] = sorted(clusters[a] + clusters[b])
    return sorted((clusters[g] for g in range(k) if active[g]), key=lambda c: c[0])


def test_average_link_updating_the_merged_means_equals_recomputing_them() -> None:
    from newsfold.cluster.index import average_link

    rng = np.random.default_rng(5)
    for size, decimals in ((40, 2), (90, 1)):  # rounded: ties, which go to the lowest indices
        half = rng.random((size, size)).round(decimals)
        probability = np.triu(half, 1) + np.triu(half, 1).T
        singles = [[n] for n in rng.permutation(size).tolist()]
        pairs = [[n, n + 1] for n in range(0, size, 2)]
        for groups in (singles, pairs):
            for threshold in (0.3, 0.5, 0.7):
                fast = average_link(probability, groups, threshold)
                assert fast == _average_link_plain(probability, groups, threshold)
        assert 1 < len(average_link(probability, singles, 0.5)) < size


@pytest.mark.skipif(index._merges is index._merges_plain, reason="cluster/_linkage.pyx is not built")
def test_the_compiled_merges_are_the_plain_specs_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    counts = set()
    for size, decimals in ((60, 1), (150, 3), (2, 2)):  # ties at 1 decimal; a single pair
        half = rng.random((size, size)).round(decimals)
        probability = np.triu(half, 1) + np.triu(half, 1).T
        sizes = rng.integers(1, 4, size).astype(float)  # clusters of several rows, as origin groups make
        sums = probability * np.outer(sizes, sizes)
        for threshold in (0.2, 0.5, 0.9):
            mean = sums / np.outer(sizes, sizes)
            np.fill_diagonal(mean, -1.0)
            plain = [mean.copy(), sums.copy(), sizes.copy()]
            compiled = [mean.copy(), sums.copy(), sizes.copy()]
            merged = index._merges_plain(*plain, threshold)
            assert [tuple(m) for m in index._merges(*compiled, threshold)] == merged
            assert all((p == c).all() for p, c in zip(plain, compiled, strict=True))  # the same bits
            counts.add(len(merged))
    assert len(counts) > 4  # some merge a few, some many: not a vacuous comparison


def test_heaviest_first_breaks_ties_by_key_as_the_keyed_sort() -> None:
    weights = {"b": 0.5, "a": 0.5, "c": 1.0, "e": 0.25, "d": 0.5}
    expected = [k for k, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))]
    assert expected == ["c", "a", "b", "d", "e"]
    assert profile.heaviest_first(weights) == expected


def test_a_topics_global_features_read_from_its_components_pairs_are_the_ones_computed() -> None:
    settings = ClusterSettings()
    lexicon = Lexicon(settings)
    # 60 articles: the component is scored by matrix products (> GATHERED_GROUP rows), its topics by
    # gathered rows (30) and by matrix products (50).
    articles = [Article(f"{n}", None, (f"{TEXTS[n % 5]} Day {n}, {n * 7} votes.",)) for n in range(60)]
    table = PairTable([profile_of(a, lexicon, settings) for a in articles])
    component = np.arange(60)
    _, scored, _ = features.stacked_table_features(table, [component], local=False)
    topics = [np.arange(0, 60, 2), np.array(sorted(set(range(60)) - {3, 17, 41, 42, 59, 8, 9, 10, 11, 12}))]
    assert len(topics[0]) <= features.GATHERED_GROUP < len(topics[1])
    known = (scored, [index._pair_positions(topic.tolist(), 60) for topic in topics])
    pairs, computed, _ = features.stacked_table_features(table, topics, local=True)
    read_pairs, read, _ = features.stacked_table_features(table, topics, local=True, known=known)
    assert all((a == c).all() and (b == d).all() for (a, b), (c, d) in zip(pairs, read_pairs, strict=True))
    assert computed.shape == read.shape and np.array_equal(computed, read)  # bit for bit, local columns too
    assert computed[:, 0].max() > 0.1  # the pairs share words
