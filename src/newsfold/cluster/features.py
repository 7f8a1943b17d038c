"""Pair evidence (same event or not) and the two shipped models that weigh it.

Two articles of one topic (two Klitschko fights, two Turkmen elections) share most of their words; what
tells them apart is a different opponent, year, day or toll. Global features compare two articles with
fixed word weights. Local features re-weigh words by how few members of the candidate component use them
(an IDF over the component): inside a component about Klitschko his name is everywhere and weighs little,
while "Rahman" and "Thompson" decide. Both are deterministic functions of the articles compared (and of the
component), so a re-clustered component gives the same stories whenever its members are the same.

`pair_features` is the plain spec, one pair in Python (threads use it). The index scores pairs in bulk
(`global_features`, `table_features`): a batch's profiles become sparse rows over sorted vocabularies
(`PairTable`), and every dot product is summed from zero over the shared keys in key order, whether by
gathered rows or by a component's matrix product, so a pair's numbers never depend on its batch.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Collection, Iterator, Sequence
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

from newsfold._native import compiled_kernel
from newsfold.cluster.profile import Profile

__all__ = [
    "GLOBAL_FEATURES",
    "LOCAL_FEATURES",
    "PairModel",
    "PairTable",
    "component_features",
    "components_features",
    "global_features",
    "names_cosine",
    "names_covered_min",
    "pair_features",
    "stacked_table_features",
    "table_features",
    "terms_cosine",
]

GLOBAL_FEATURES = (
    "terms_cosine",
    "names_cosine",
    "terms_x_names",
    "years_jaccard",
    "years_conflict",
    "main_year_differs",
    "latest_year_gap",
    "days_shared",
    "days_conflict",
    "numbers_shared",
    "numbers_any",
    "names_covered_min",
    "names_covered_max",
    "terms_covered_min",
    "terms_covered_max",
)
# No article-length feature: ECB+ articles are long, and trees trained on them extrapolated short
# articles (a 21-word pair of two quakes) to "same event" whatever else they said; constrained to
# monotone, it lowered the cross-validated F1 (0.917 vs 0.929).
LOCAL_FEATURES = (
    "local_terms_cosine",
    "local_names_cosine",
    "sharp_terms_cosine",
    "sharp_names_cosine",
    "component_size_log",
)
# The latest year an article mentions is a lower bound of when it was written (news rarely names a
# future year), and articles about one event are written within days: a gap of years between two
# articles' latest years says two events. Capped: 5 years apart says no more than 4.
MAX_YEAR_GAP = 5


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """The shared keys' products added from zero in the keys' sorted order: the order `PairTable`'s sparse
    rows and `packed_cosines` add them in, so the plain spec gives their numbers bit for bit, and one that
    does not depend on which side comes first nor on the order either side's keys were inserted (a story
    profile's follow its members'; issue 11)."""
    return sum([a[k] * b[k] for k in sorted(a.keys() & b.keys())], 0.0)


def _covered(heaviest: list[str], other: dict[str, float]) -> float:
    """The share of one side's heaviest keys the other has at all: a missing main name means another event."""
    return sum(k in other for k in heaviest) / len(heaviest) if heaviest else 0.0


def _main_year(years: dict[int, int]) -> int:
    return max(sorted(years), key=years.__getitem__)


def pair_features(a: Profile, b: Profile) -> list[float]:
    """The global evidence that `a` and `b` report one event, in GLOBAL_FEATURES order (symmetric)."""
    terms = terms_cosine(a, b)
    names = names_cosine(a, b)
    ya, yb = a.years.keys(), b.years.keys()
    shared_years = len(ya & yb)
    both_years = bool(ya and yb)
    numbers = len(a.numbers & b.numbers)
    names_a = _covered(a.heaviest_names, b.names)
    names_b = _covered(b.heaviest_names, a.names)
    terms_a = _covered(a.heaviest_terms, b.terms)
    terms_b = _covered(b.heaviest_terms, a.terms)
    return [
        terms,
        names,
        terms * names,
        shared_years / len(ya | yb) if both_years else 0.0,
        float(both_years and not shared_years),
        float(both_years and _main_year(a.years) != _main_year(b.years)),
        float(min(MAX_YEAR_GAP, abs(max(ya) - max(yb)))) if both_years else 0.0,
        # A shared day counts only in years that agree: March 3 of 2009 is not March 3 of 2014.
        float(bool(a.days & b.days) and not (both_years and not shared_years)),
        float(bool(a.days and b.days and not a.days & b.days)),
        numbers / min(len(a.numbers), len(b.numbers)) if numbers else 0.0,
        float(numbers > 0),
        min(names_a, names_b),
        max(names_a, names_b),
        min(terms_a, terms_b),
        max(terms_a, terms_b),
    ]


def names_cosine(a: Profile, b: Profile) -> float:
    """The cosine of `a`'s and `b`'s name weights: `pair_features`' and threads' names cosine."""
    return _dot(a.names, b.names)


def terms_cosine(a: Profile, b: Profile) -> float:
    """The cosine of `a`'s and `b`'s word weights: `pair_features`' and threads' terms cosine."""
    return _dot(a.terms, b.terms)


def names_covered_min(a: Profile, b: Profile) -> float:
    """`pair_features`' names_covered_min of `a` and `b` alone (the same number)."""
    return min(_covered(a.heaviest_names, b.names), _covered(b.heaviest_names, a.names))


class PairTable:
    """The profiles of a batch as sparse rows, one sorted vocabulary per kind of key, for bulk pair features.

    Columns follow the keys' sorted order, so a pair's dot product adds the products of its shared keys
    in one order whatever else is in the batch (`_row_dots` and the matrix product add them alike: from
    zero, key by key): a pair scores the same in a batch fold and in a later ingest.
    """

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self.size = len(profiles)
        term_columns = _columns([p.terms for p in profiles])
        name_columns = _columns([p.names for p in profiles])
        self.terms = _matrix([p.terms for p in profiles], term_columns)
        self.names = _matrix([p.names for p in profiles], name_columns)
        self.term_present = _present(self.terms)
        self.name_present = _present(self.names)
        self.heaviest_terms = _matrix([p.heaviest_terms for p in profiles], term_columns, binary=True)
        self.heaviest_names = _matrix([p.heaviest_names for p in profiles], name_columns, binary=True)
        self.years = _matrix([p.years for p in profiles], _columns([p.years for p in profiles]), binary=True)
        self.days = _matrix([p.days for p in profiles], _columns([p.days for p in profiles]), binary=True)
        self.numbers = _matrix(
            [p.numbers for p in profiles], _columns([p.numbers for p in profiles]), binary=True
        )
        self.n_years = np.diff(self.years.indptr)
        self.n_days = np.diff(self.days.indptr)
        self.n_numbers = np.diff(self.numbers.indptr)
        self.n_heaviest_terms = np.diff(self.heaviest_terms.indptr)
        self.n_heaviest_names = np.diff(self.heaviest_names.indptr)
        self.main_year = np.array([_main_year(p.years) if p.years else -1 for p in profiles], dtype=np.int64)
        self.latest_year = np.array([max(p.years) if p.years else 0 for p in profiles], dtype=np.int64)


def _columns(rows: Sequence[Collection[Any]]) -> dict[Any, int]:
    """Each key of `rows` -> its rank among all their keys (one kind of key: all str or all int)."""
    return {key: n for n, key in enumerate(sorted(set().union(*rows)))}


def _matrix(rows: Sequence[Collection[Any]], columns: dict[Any, int], binary: bool = False) -> Any:
    """`rows` (dicts of weights, or key collections when `binary`) as a CSR matrix with sorted columns."""
    from scipy.sparse import csr_matrix

    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in rows], out=indptr[1:])
    keys = itertools.chain.from_iterable(rows)
    indices = np.fromiter(map(columns.__getitem__, keys), dtype=np.int64, count=indptr[-1])
    if binary:
        data = np.ones(len(indices))
    else:
        values: Iterator[float] = itertools.chain.from_iterable(map(dict.values, rows))  # type: ignore[arg-type]
        data = np.fromiter(values, dtype=float, count=indptr[-1])
    matrix = csr_matrix((data, indices, indptr), shape=(len(rows), max(1, len(columns))))
    matrix.sort_indices()
    return matrix


def _present(matrix: Any) -> Any:
    """`matrix` with every stored weight replaced by 1 (its keys' presence)."""
    present = matrix.copy()
    present.data = np.ones(len(present.data))
    return present


def _row_dots(left: Any, right: Any, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """left[i[k]] . right[j[k]] for every k, each a sum from zero over the shared columns in order."""
    products = left[i].multiply(right[j]).tocsr()
    products.sort_indices()
    rows = np.repeat(np.arange(len(i)), np.diff(products.indptr))
    return np.bincount(rows, weights=products.data, minlength=len(i))


def _products(left: Any, right: Any) -> np.ndarray:
    """left @ right.T as a dense matrix (each entry summed from zero over the shared columns in order)."""
    return (left @ right.T).toarray()


# A batch's pairs are scored this many at a time: bounds the memory of the gathered rows.
PAIR_CHUNK = 20_000


def global_features(
    table: PairTable, i: np.ndarray, j: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """GLOBAL_FEATURES of the pairs (i[k], j[k]) of `table`'s rows: `pair_features` for many pairs at once
    (written into `out`'s first columns when given, else into a new column-major array)."""
    if out is None:
        out = _columns_array(len(i), len(GLOBAL_FEATURES))
    if len(i) > PAIR_CHUNK:
        for k in range(0, len(i), PAIR_CHUNK):
            global_features(table, i[k : k + PAIR_CHUNK], j[k : k + PAIR_CHUNK], out[k : k + PAIR_CHUNK])
        return out
    if not len(i):
        return out

    def dots(left: Any, right: Any | None = None) -> np.ndarray:
        return _row_dots(left, left if right is None else right, i, j)

    def covered(heaviest: Any, present: Any, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = _row_dots(heaviest, present, i, j) / np.maximum(1, sizes[i])
        b = _row_dots(heaviest, present, j, i) / np.maximum(1, sizes[j])
        return np.minimum(a, b), np.maximum(a, b)

    columns = _columns_of(
        table,
        i,
        j,
        dots(table.terms),
        dots(table.names),
        dots(table.years),
        dots(table.days),
        dots(table.numbers),
        covered(table.heaviest_names, table.name_present, table.n_heaviest_names),
        covered(table.heaviest_terms, table.term_present, table.n_heaviest_terms),
    )
    return _written(out, columns)


def _columns_array(rows: int, width: int) -> np.ndarray:
    """An empty float64 array of pair features, column-major: each feature written in one contiguous pass.
    Stacking the mixed bool, int and float columns row-major (`np.column_stack`) cost 50 ms of CPU at
    263,184 pairs x 15 features (bench/fold's largest component), these writes 5 ms; the logistic reads
    rows by blocks, `PairModel.probability`."""
    return np.empty((rows, width), order="F")


def _written(out: np.ndarray, columns: Sequence[np.ndarray]) -> np.ndarray:
    """`out` with `columns` written into its first columns (flags become 1.0 and 0.0, counts floats, as
    stacking them did)."""
    for f, column in enumerate(columns):
        out[:, f] = column
    return out


def _columns_of(
    table: PairTable,
    i: np.ndarray,
    j: np.ndarray,
    terms: np.ndarray,
    names: np.ndarray,
    shared_years: np.ndarray,
    days: np.ndarray,
    numbers: np.ndarray,
    names_covered: tuple[np.ndarray, np.ndarray],
    terms_covered: tuple[np.ndarray, np.ndarray],
) -> list[np.ndarray]:
    """The GLOBAL_FEATURES columns from the pairs' dot products and overlaps (flags as bools: stacked with
    the float columns they become 1.0 and 0.0, without a float copy of each first)."""
    n_years = table.n_years
    year_gap = np.minimum(MAX_YEAR_GAP, np.abs(table.latest_year[i] - table.latest_year[j]))
    both_years = (n_years[i] > 0) & (n_years[j] > 0)
    conflict = both_years & (shared_years == 0)
    union = n_years[i] + n_years[j] - shared_years
    smaller = np.maximum(1, np.minimum(table.n_numbers[i], table.n_numbers[j]))
    return [
        terms,
        names,
        terms * names,
        np.where(both_years, shared_years / np.maximum(1, union), 0.0),
        conflict,
        both_years & (table.main_year[i] != table.main_year[j]),
        np.where(both_years, year_gap, 0),
        (days > 0) & ~conflict,
        (table.n_days[i] > 0) & (table.n_days[j] > 0) & (days == 0),
        np.where(numbers > 0, numbers / smaller, 0.0),
        numbers > 0,
        *names_covered,
        *terms_covered,
    ]


def _local_weighted(matrix: Any, group_of_row: np.ndarray, group_size: np.ndarray) -> tuple[Any, Any]:
    """`matrix`'s rows re-weighed by the IDF over their own group (one component) and scaled to unit
    length: smooth (scikit-learn's, +1) and sharp (words every member uses weigh about nothing), from one
    count of the groups' document frequencies."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    groups = group_of_row[rows]
    _, where, df = np.unique(
        groups * matrix.shape[1] + matrix.indices, return_inverse=True, return_counts=True
    )
    n, d = group_size[groups], df[where]
    # The IDF of each (group size, document frequency) met, by math.log (one rounding wherever it is used).
    width = int(group_size.max()) + 2
    codes, at = np.unique(n * width + d, return_inverse=True)
    met = [(int(c) // width, int(c) % width) for c in codes]

    def weighted(idf: np.ndarray) -> Any:
        out = matrix.copy()
        out.data = matrix.data * idf[at]
        norms = np.sqrt(np.bincount(rows, weights=out.data * out.data, minlength=matrix.shape[0]))
        out.data /= np.where(norms > 0, norms, 1.0)[rows]
        return out

    smooth = np.array([math.log((n + 1) / (d + 1)) + 1.0 for n, d in met])
    sharp = np.array([math.log((n + 1) / (d + 0.5)) for n, d in met])
    return weighted(smooth), weighted(sharp)


# Groups up to this size are scored together, pair by pair (gathered rows); larger ones by one matrix
# product each (fewer operations once most pairs share words). Both add a pair's products in the same
# order from zero, so the numbers do not depend on the path. Not tuned beyond bench/fold's corpus.
GATHERED_GROUP = 48


def components_features(
    groups: Sequence[Sequence[Profile]], local: bool = True
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`component_features` of each group of profiles, all from one table."""
    table = PairTable([p for group in groups for p in group])
    sizes = [len(group) for group in groups]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    rows = [np.arange(start, start + n) for start, n in zip(starts, sizes, strict=True)]
    return table_features(table, rows, local)


def table_features(
    table: PairTable, groups: Sequence[np.ndarray], local: bool = True
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`component_features` of each group of `table`'s rows (no row in two groups): (rows i, rows j,
    features) of every pair i < j of positions inside the group."""
    pairs, x, starts = stacked_table_features(table, groups, local)
    return [(i, j, x[start : start + len(i)]) for (i, j), start in zip(pairs, starts, strict=True)]


def stacked_table_features(
    table: PairTable,
    groups: Sequence[np.ndarray],
    local: bool = True,
    known: tuple[np.ndarray, Sequence[np.ndarray]] | None = None,
) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, list[int]]:
    """`table_features` as (rows i, rows j) of each group's pairs and all their features in one array (one
    model call scores them), group g's from row starts[g] on. `known`: (features, each group's pairs' rows
    in it, in the order of its pairs) where the pairs' GLOBAL_FEATURES were computed already, as this
    function computes them (the clustering's stories split its topics, whose pairs it scored:
    `StoryIndex._recluster_group`); they are copied, not computed again."""
    sizes = np.array([len(rows) for rows in groups] + [1], dtype=np.int64)  # the last: rows in no group
    group_of_row = np.full(table.size, len(groups), dtype=np.int64)
    for g, rows in enumerate(groups):
        group_of_row[rows] = g
    weighted = []  # local words, local names, sharp words, sharp names: LOCAL_FEATURES' order
    if local and table.size:
        terms, sharp_terms = _local_weighted(table.terms, group_of_row, sizes)
        names, sharp_names = _local_weighted(table.names, group_of_row, sizes)
        weighted = [terms, names, sharp_terms, sharp_names]
    pairs = [np.triu_indices(len(rows), 1) for rows in groups]
    gathered = [g for g, rows in enumerate(groups) if len(rows) <= GATHERED_GROUP]
    # The gathered groups' rows first (scored together), then each larger group's.
    starts = [0] * len(groups)
    end = 0
    for g in gathered + [g for g, rows in enumerate(groups) if len(rows) > GATHERED_GROUP]:
        starts[g], end = end, end + len(pairs[g][0])
    x = _columns_array(end, len(GLOBAL_FEATURES) + len(LOCAL_FEATURES) * local)
    if gathered:
        i = np.concatenate([groups[g][pairs[g][0]] for g in gathered]).astype(np.int64)
        j = np.concatenate([groups[g][pairs[g][1]] for g in gathered]).astype(np.int64)
        block = x[: len(i)]
        if known is None:
            global_features(table, i, j, block)
        else:
            _copied(block, known[0], np.concatenate([known[1][g] for g in gathered]))
        if local:
            counts = [len(pairs[g][0]) for g in gathered]
            sizes_log = np.repeat([math.log(sizes[g]) for g in gathered], counts)
            local_columns = [_row_dots(w, w, i, j) for w in weighted]
            _written(block[:, len(GLOBAL_FEATURES) :], [*local_columns, sizes_log])
    for g, rows in enumerate(groups):
        if len(rows) > GATHERED_GROUP:
            block = x[starts[g] : starts[g] + len(pairs[g][0])]
            if known is not None:
                _copied(block, known[0], known[1][g])
            _group_features(table, weighted, rows, *pairs[g], local, block, known is None)
    return [(rows_i, rows_j) for rows_i, rows_j in pairs], x, starts


def _copied(out: np.ndarray, features: np.ndarray, at: np.ndarray) -> None:
    """`features`' rows `at` written into `out`'s first columns, column by column (both column-major)."""
    for f in range(features.shape[1]):
        out[:, f] = features[:, f].take(at)


def _group_features(
    table: PairTable,
    weighted: list[Any],
    part: np.ndarray,
    rows_i: np.ndarray,
    rows_j: np.ndarray,
    local: bool,
    out: np.ndarray,
    with_global: bool = True,
) -> np.ndarray:
    """Features of the pairs (rows_i, rows_j) of the group of `table`'s rows `part`, by matrix products
    over the group, written into `out` (without its GLOBAL_FEATURES columns unless `with_global`)."""
    # Each pair's entry of a group's square matrix by its flat position: `take` reads them 3.5 times faster
    # than indexing by (rows_i, rows_j) (0.25 vs 0.89 ms at 263,184 pairs).
    upper = rows_i * len(part) + rows_j
    lower = rows_j * len(part) + rows_i

    def pairs(matrix: Any) -> np.ndarray:
        rows = matrix[part]  # gathered once for both sides of the product (scipy copies them)
        return _products(rows, rows).take(upper)

    def covered(heaviest: Any, present: Any, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        share = _products(heaviest[part], present[part]) / np.maximum(1, sizes[part])[:, None]
        a, b = share.take(upper), share.take(lower)
        return np.minimum(a, b), np.maximum(a, b)

    columns = []
    if with_global:
        i, j = part[rows_i], part[rows_j]
        columns = _columns_of(
            table,
            i,
            j,
            pairs(table.terms),
            pairs(table.names),
            pairs(table.years),
            pairs(table.days),
            pairs(table.numbers),
            covered(table.heaviest_names, table.name_present, table.n_heaviest_names),
            covered(table.heaviest_terms, table.term_present, table.n_heaviest_terms),
        )
    if local:
        columns += [pairs(w) for w in weighted]
        columns.append(np.full(len(rows_i), math.log(len(part))))
    first = 0 if with_global else len(GLOBAL_FEATURES)
    _written(out[:, first:], columns)
    return out


def component_features(
    profiles: Sequence[Profile], local: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows i, rows j, features) of every pair i < j of a component: GLOBAL_ then LOCAL_FEATURES (the
    numbers of `pair_features` up to rounding, as sparse matrix products over the whole component)."""
    return components_features([profiles], local)[0]


# The boosted trees' walk, compiled (`_trees.pyx`, built by setup.py); None where it is not built, and
# its plain spec `_tree_sums_plain` runs (the same sums; 0.32 s of CPU on bench/fold's 2,400 pages).
_compiled_tree_sums = compiled_kernel("newsfold.cluster._trees", "tree_sums")
# Rows a logistic model scores at once (4,096 x 15 features: 0.5 MB temporaries, in cache). 1,024 to
# 16,384 cost the same on bench/fold's largest batch (0.023-0.029 s of CPU); not tuned further.
_LOGISTIC_BLOCK = 4096


class PairModel:
    """A shipped pair classifier: logistic regression or boosted trees, read from its JSON spec.

    The spec is what bench/train_cluster.py writes; evaluating it needs numpy only, so no pickled
    scikit-learn object (tied to one scikit-learn version) ships in the package.
    """

    def __init__(self, spec: dict[str, Any], features: Sequence[str]) -> None:
        if tuple(spec["features"]) != tuple(features):
            raise ValueError(
                "trained/cluster_model.json was trained on other features; rerun bench/train_cluster.py"
            )
        self.spec = spec
        self.kind = spec["kind"]
        if self.kind == "logistic":
            self.mean = np.array(spec["mean"])
            self.scale = np.array(spec["scale"])
            self.coef = np.array(spec["coef"])
        elif self.kind == "boosted_trees":
            # Plain lists: the trees are walked node by node, reading one number at a time.
            self.trees = [
                (t["feature"], t["threshold"], t["left"], t["right"], t["value"]) for t in spec["trees"]
            ]
            self.forest = _Forest.of(self.trees, spec["learning_rate"])
        else:
            raise ValueError(f"unknown pair model kind {self.kind!r} in trained/cluster_model.json")

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(same event) of each row of `x`."""
        if self.kind == "logistic":
            # A row-wise sum, not a matrix product: BLAS may round a row differently with the number of
            # rows, and a row's probability must not depend on which rows it is scored with (a batch fold
            # scores all articles' candidates at once, an ingest only the new ones').
            # By blocks of rows: the whole batch's temporaries (356,599 pairs x 15 features, 43 MB each on
            # bench/fold's 2,400 pages) were fresh pages the kernel zeroes, 0.69 s of CPU for that call;
            # blocks of _LOGISTIC_BLOCK rows stay in cache, 0.02 s, the same sums (a row's own).
            # A block is read row-major whatever `x`'s order (the pair features are column-major): a row's sum
            # is then the one a row-major batch gives, term by term in the same order.
            # One row-major block, copied into and worked on in place (`x` is left as it is: the merge
            # step reads the topic step's features again): no temporary a step, ~25% less CPU than
            # `((block - mean) / scale * coef).sum(axis=1)`, the same operations in the same order.
            z = np.empty(len(x))
            buffer = np.empty((min(len(x), _LOGISTIC_BLOCK), x.shape[1]))
            for k in range(0, len(x), _LOGISTIC_BLOCK):
                block = buffer[: min(_LOGISTIC_BLOCK, len(x) - k)]
                block[...] = x[k : k + len(block)]
                np.subtract(block, self.mean, out=block)
                np.divide(block, self.scale, out=block)
                np.multiply(block, self.coef, out=block)
                block.sum(axis=1, out=z[k : k + len(block)])
            z += self.spec["intercept"]
        elif _compiled_tree_sums is not None:
            z = _compiled_tree_sums(
                np.ascontiguousarray(x, dtype=np.float64), *self.forest, float(self.spec["init"])
            )
        else:
            z = _tree_sums_plain(x, self.trees, self.spec["learning_rate"], float(self.spec["init"]))
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


class _Forest(NamedTuple):
    """Boosted trees as `_trees.tree_sums` reads them: every tree's nodes in one array, numbered on; each
    node's two children side by side (the right one numbered after the left) and each leaf its own left
    child, so that a row walks its tree's depth in steps without a branch."""

    roots: np.ndarray
    depth: np.ndarray  # steps from a tree's root to its deepest leaf
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray  # the left child (the right one is left + 1); a leaf's own number
    inner: np.ndarray  # 1 at an inner node, 0 at a leaf (whose comparison then moves nothing)
    scaled_value: np.ndarray  # learning rate x value, the product the plain spec adds

    @classmethod
    def of(cls, trees: Sequence[tuple[list[int], list[float], list[int], list[int], list[float]]],
           rate: float) -> _Forest:
        roots: list[int] = []
        depth: list[int] = []
        nodes: list[tuple[int, float, int, int, float]] = []  # (feature, threshold, left, inner, value)
        for tree_feature, tree_threshold, tree_left, tree_right, tree_value in trees:
            root = len(nodes)
            roots.append(root)
            # Breadth first, children appended in pairs: the spec's node `old` becomes `root + n`.
            order, level = [0], {0: 0}
            for old in order:
                if tree_left[old] >= 0:
                    order += [tree_left[old], tree_right[old]]
                    level[tree_left[old]] = level[tree_right[old]] = level[old] + 1
            number = {old: root + n for n, old in enumerate(order)}
            depth.append(max(level.values()))
            for old in order:
                split = tree_left[old] >= 0
                nodes.append((
                    max(0, tree_feature[old]),  # a leaf's (-2) is read, and moves nothing
                    tree_threshold[old],
                    number[tree_left[old]] if split else number[old],
                    int(split),
                    rate * tree_value[old],
                ))
        feature, threshold, left, inner, scaled = zip(*nodes, strict=True)
        return cls(
            roots=np.array(roots, dtype=np.int64),
            depth=np.array(depth, dtype=np.int64),
            feature=np.array(feature, dtype=np.int64),
            threshold=np.array(threshold, dtype=np.float64),
            left=np.array(left, dtype=np.int64),
            inner=np.array(inner, dtype=np.int64),
            scaled_value=np.array(scaled, dtype=np.float64),
        )


def _tree_sums_plain(
    x: np.ndarray,
    trees: Sequence[tuple[list[int], list[float], list[int], list[int], list[float]]],
    rate: float,
    start: float,
) -> np.ndarray:
    """`start` plus each row's leaf of each tree (times `rate`), in tree order: the spec of the compiled
    `_trees.tree_sums`, and what runs where it is not built."""
    z = np.full(len(x), start)
    columns = [np.ascontiguousarray(x[:, f]) for f in range(x.shape[1])]
    for feature, threshold, left, right, value in trees:
        # Each node splits the rows that reach it (left when <=), so a row costs one comparison per
        # level it descends; each row adds its leaf of each tree in tree order.
        stack = [(0, np.arange(len(x)))]
        while stack:
            node, rows = stack.pop()
            if left[node] < 0:
                z[rows] += rate * value[node]
                continue
            go_left = columns[feature[node]][rows] <= threshold[node]
            for child, reach in ((left[node], rows[go_left]), (right[node], rows[~go_left])):
                if len(reach):
                    stack.append((child, reach))
    return z


def shipped_models() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(edge, topic, merge) model specs from trained/cluster_model.json."""
    text = resources.files("newsfold").joinpath("trained/cluster_model.json").read_text("utf-8")
    spec = json.loads(text)
    return spec["edge"], spec["topic"], spec["merge"]
