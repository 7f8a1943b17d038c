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


def _local_vectors(vectors: Sequence[dict[str, float]], sharp: bool) -> list[dict[str, float]]:
    """Vectors re-weighed by an IDF over the component: smooth (sklearn's +1) or sharp (shared words ~0)."""
    df: dict[str, int] = {}
    for vector in vectors:
        for key in vector:
            df[key] = df.get(key, 0) + 1
    n = len(vectors)
    if sharp:
        idf = {k: math.log((n + 1) / (d + 0.5)) for k, d in df.items()}
    else:
        idf = {k: math.log((n + 1) / (d + 1)) + 1.0 for k, d in df.items()}
    return [normalised({k: w * idf[k] for k, w in vector.items()}) for vector in vectors]


def component_features(
    profiles: Sequence[Profile], local: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows i, rows j, features) of every pair i < j of a component: GLOBAL_ then LOCAL_FEATURES."""
    n = len(profiles)
    rows_i, rows_j = np.triu_indices(n, 1)
    width = len(GLOBAL_FEATURES) + len(LOCAL_FEATURES) if local else len(GLOBAL_FEATURES)
    if not local or not len(rows_i):
        out = np.zeros((len(rows_i), width))
        for row, (i, j) in enumerate(zip(rows_i.tolist(), rows_j.tolist(), strict=True)):
            out[row] = pair_features(profiles[i], profiles[j])
        return rows_i, rows_j, out
    terms = [p.terms for p in profiles]
    names = [p.names for p in profiles]
    local = [_local_vectors(terms, False), _local_vectors(names, False),
             _local_vectors(terms, True), _local_vectors(names, True)]
    size = math.log(n)
    out = np.empty((len(rows_i), len(GLOBAL_FEATURES) + len(LOCAL_FEATURES)))
    for row, (i, j) in enumerate(zip(rows_i.tolist(), rows_j.tolist(), strict=True)):
        out[row] = pair_features(profiles[i], profiles[j]) + [
            _dot(vectors[i], vectors[j]) for vectors in local
        ] + [size]
    return rows_i, rows_j, out


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
            z = self.spec["intercept"] + ((x - self.mean) / self.scale) @ self.coef
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
