"""Pair evidence (same event or not) and the two shipped models that weigh it.

Two articles of one topic (two Klitschko fights, two Turkmen elections) share most of their words; what
tells them apart is a different opponent, year, day or toll. Global features compare two articles with
fixed word weights. Local features re-weigh words by how few members of the candidate component use them
(an IDF over the component): inside a component about Klitschko his name is everywhere and weighs little,
while "Rahman" and "Thompson" decide. Both are deterministic functions of the articles compared (and of the
component), so a re-clustered component gives the same stories whenever its members are the same.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from newsfold.cluster.profile import Profile, normalised

__all__ = ["GLOBAL_FEATURES", "LOCAL_FEATURES", "PairModel", "component_features", "pair_features"]

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
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())


def _covered(heaviest: list[str], other: dict[str, float]) -> float:
    """The share of one side's heaviest keys the other has at all: a missing main name means another event."""
    return sum(k in other for k in heaviest) / len(heaviest) if heaviest else 0.0


def _main_year(years: dict[int, int]) -> int:
    return max(sorted(years), key=years.__getitem__)


def pair_features(a: Profile, b: Profile) -> list[float]:
    """The global evidence that `a` and `b` report one event, in GLOBAL_FEATURES order (symmetric)."""
    terms = _dot(a.terms, b.terms)
    names = _dot(a.names, b.names)
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


def _sparse(rows: Sequence[dict[str, float]], idf: dict[str, float] | None = None) -> Any:
    """Rows as a CSR matrix (unit rows when `idf` re-weighs them), over the rows' own vocabulary."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for row in rows:
        weights = row if idf is None else normalised({k: w * idf[k] for k, w in row.items()})
        for key, weight in weights.items():
            indices.append(vocabulary.setdefault(key, len(vocabulary)))
            data.append(weight)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), max(1, len(vocabulary))))


def _overlap(sets: Sequence[Any], pool: Sequence[Any] | None = None) -> np.ndarray:
    """|a & b| for every pair of rows (a from `sets`, b from `pool` or `sets`), as a dense matrix."""
    left = _sparse([dict.fromkeys(map(str, s), 1.0) for s in sets])
    if pool is None:
        return (left @ left.T).toarray()
    both = _sparse([dict.fromkeys(map(str, s), 1.0) for s in list(sets) + list(pool)])
    n = len(sets)
    return (both[:n] @ both[n:].T).toarray()


def _idf(vectors: Sequence[dict[str, float]], sharp: bool) -> dict[str, float]:
    """IDF over the component: smooth (scikit-learn's, +1) or sharp (words every member uses ~0)."""
    df: dict[str, int] = {}
    for vector in vectors:
        for key in vector:
            df[key] = df.get(key, 0) + 1
    n = len(vectors)
    if sharp:
        return {k: math.log((n + 1) / (d + 0.5)) for k, d in df.items()}
    return {k: math.log((n + 1) / (d + 1)) + 1.0 for k, d in df.items()}


# Components this small are scored pair by pair in Python: building a dozen sparse matrices costs more
# than the few pairs (most components of a news stream are this small; bench/bench_cluster_scale.py).
SMALL_COMPONENT = 16


def _small_component_features(
    profiles: Sequence[Profile], rows_i: np.ndarray, rows_j: np.ndarray, local: bool
) -> np.ndarray:
    """`component_features` of a small component: the same numbers, computed one pair at a time."""
    columns = [pair_features(profiles[i], profiles[j]) for i, j in zip(rows_i, rows_j, strict=True)]
    if local:
        weighted = []
        for vectors, sharp in (([p.terms for p in profiles], False), ([p.names for p in profiles], False),
                               ([p.terms for p in profiles], True), ([p.names for p in profiles], True)):
            idf = _idf(vectors, sharp)
            weighted.append([normalised({k: w * idf[k] for k, w in v.items()}) for v in vectors])
        size = math.log(len(profiles))
        for row, i, j in zip(columns, rows_i, rows_j, strict=True):
            row.extend(_dot(vectors[i], vectors[j]) for vectors in weighted)
            row.append(size)
    return np.array(columns, dtype=float)


def component_features(
    profiles: Sequence[Profile], local: bool = True, small: int = SMALL_COMPONENT
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows i, rows j, features) of every pair i < j of a component: GLOBAL_ then LOCAL_FEATURES
    (vectorised: the same numbers as `pair_features`, for hundreds of articles at once; components of
    at most `small` articles pair by pair)."""
    n = len(profiles)
    rows_i, rows_j = np.triu_indices(n, 1)
    width = len(GLOBAL_FEATURES) + (len(LOCAL_FEATURES) if local else 0)
    if not len(rows_i):
        return rows_i, rows_j, np.zeros((0, width))
    if n <= small:
        return rows_i, rows_j, _small_component_features(profiles, rows_i, rows_j, local)
    terms = [p.terms for p in profiles]
    names = [p.names for p in profiles]
    t, m = _sparse(terms), _sparse(names)
    terms_cos = (t @ t.T).toarray()[rows_i, rows_j]
    names_cos = (m @ m.T).toarray()[rows_i, rows_j]
    years = [set(p.years) for p in profiles]
    n_years = np.array([len(y) for y in years])
    shared_years = _overlap(years)[rows_i, rows_j]
    both_years = (n_years[rows_i] > 0) & (n_years[rows_j] > 0)
    union = n_years[rows_i] + n_years[rows_j] - shared_years
    main = np.array([_main_year(p.years) if p.years else -1 for p in profiles])
    latest = np.array([max(p.years) if p.years else 0 for p in profiles])
    days = _overlap([p.days for p in profiles])[rows_i, rows_j]
    n_days = np.array([len(p.days) for p in profiles])
    years_agree = ~(both_years & (shared_years == 0))
    numbers = _overlap([p.numbers for p in profiles])[rows_i, rows_j]
    n_numbers = np.array([len(p.numbers) for p in profiles])
    smaller = np.maximum(1, np.minimum(n_numbers[rows_i], n_numbers[rows_j]))

    def covered(heaviest: list[list[str]], present: list[dict[str, float]]) -> np.ndarray:
        counts = _overlap(heaviest, present)
        sizes = np.array([max(1, len(h)) for h in heaviest])[:, None]
        share = counts / sizes
        return np.where(np.array([len(h) > 0 for h in heaviest])[:, None], share, 0.0)

    names_cov = covered([p.heaviest_names for p in profiles], names)
    terms_cov = covered([p.heaviest_terms for p in profiles], terms)
    columns = [
        terms_cos,
        names_cos,
        terms_cos * names_cos,
        np.where(both_years, shared_years / np.maximum(1, union), 0.0),
        (both_years & (shared_years == 0)).astype(float),
        (both_years & (main[rows_i] != main[rows_j])).astype(float),
        np.where(both_years, np.minimum(MAX_YEAR_GAP, np.abs(latest[rows_i] - latest[rows_j])), 0.0),
        ((days > 0) & years_agree).astype(float),
        ((n_days[rows_i] > 0) & (n_days[rows_j] > 0) & (days == 0)).astype(float),
        np.where(numbers > 0, numbers / smaller, 0.0),
        (numbers > 0).astype(float),
        np.minimum(names_cov[rows_i, rows_j], names_cov[rows_j, rows_i]),
        np.maximum(names_cov[rows_i, rows_j], names_cov[rows_j, rows_i]),
        np.minimum(terms_cov[rows_i, rows_j], terms_cov[rows_j, rows_i]),
        np.maximum(terms_cov[rows_i, rows_j], terms_cov[rows_j, rows_i]),
    ]
    if local:
        for vectors, sharp in ((terms, False), (names, False), (terms, True), (names, True)):
            weighted = _sparse(vectors, _idf(vectors, sharp))
            columns.append((weighted @ weighted.T).toarray()[rows_i, rows_j])
        columns.append(np.full(len(rows_i), math.log(n)))
    return rows_i, rows_j, np.column_stack(columns)


class PairModel:
    """A shipped pair classifier: logistic regression or boosted trees, read from its JSON spec.

    The spec is what bench/train_cluster.py writes; evaluating it needs numpy only, so no pickled
    scikit-learn object (tied to one scikit-learn version) ships in the package.
    """

    def __init__(self, spec: dict[str, Any], features: Sequence[str]) -> None:
        if tuple(spec["features"]) != tuple(features):
            raise ValueError("trained/cluster_model.json was trained on other features; "
                             "rerun bench/train_cluster.py")
        self.spec = spec
        self.kind = spec["kind"]
        if self.kind == "logistic":
            self.mean = np.array(spec["mean"])
            self.scale = np.array(spec["scale"])
            self.coef = np.array(spec["coef"])
        elif self.kind == "boosted_trees":
            self.trees = [{key: np.array(values) for key, values in tree.items()} for tree in spec["trees"]]
        else:
            raise ValueError(f"unknown pair model kind {self.kind!r} in trained/cluster_model.json")

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(same event) of each row of `x`."""
        if self.kind == "logistic":
            # A row-wise sum, not a matrix product: BLAS may round a row differently with the number of
            # rows, and a row's probability must not depend on which rows it is scored with (a batch fold
            # scores all articles' candidates at once, an ingest only the new ones').
            z = self.spec["intercept"] + (((x - self.mean) / self.scale) * self.coef).sum(axis=1)
        else:
            z = np.full(len(x), float(self.spec["init"]))
            rows = np.arange(len(x))
            for tree in self.trees:
                node = np.zeros(len(x), dtype=np.int64)
                while True:
                    inner = tree["left"][node] >= 0
                    if not inner.any():
                        break
                    go_left = x[rows, tree["feature"][node]] <= tree["threshold"][node]  # left when <=
                    step = np.where(go_left, tree["left"][node], tree["right"][node])
                    node = np.where(inner, step, node)
                z += self.spec["learning_rate"] * tree["value"][node]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


def shipped_models() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(edge, topic, merge) model specs from trained/cluster_model.json."""
    text = resources.files("newsfold").joinpath("trained/cluster_model.json").read_text("utf-8")
    spec = json.loads(text)
    return spec["edge"], spec["topic"], spec["merge"]
