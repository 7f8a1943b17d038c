"""The trained line model: two additive (boosted-stump) scorers evaluated with numpy alone.

Why additive stumps: boosting depth-1 trees gives one piecewise-constant function per feature, which
collapses into a sorted threshold table; scoring a batch of lines is then one `searchsorted` per feature,
far cheaper than walking hundreds of trees (depth-3 trees scored no better in grouped CV: 0.897), and
the model ships as a small JSON file with no pickle.
Trained by bench/train_line_model.py (scikit-learn HistGradientBoostingClassifier, max_depth=1).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from newsfold.clean.line_features import word_hashes

__all__ = ["AdditiveScorer", "LineModel", "load_line_model", "stumps_to_tables"]

MODEL_FILE = "line_model.json"
# Up to this many thresholds a feature's bin is found by comparisons rather than a binary search (both
# exact): on zyte's 31,000 lines a comparison pass takes ~3.5 us, a searchsorted 0.4 ms (8 thresholds)
# to 0.66 ms (24). The shipped model has at most 45 per feature; the counts are bytes (at most 255).
_FEW_THRESHOLDS = 64
# ... on this many rows or more: on one page (~170 lines) numpy's per-call cost dominates and one
# searchsorted per feature beats k comparison passes.
_MANY_ROWS = 2048


@dataclass(frozen=True)
class AdditiveScorer:
    """Sum over features of a piecewise-constant function: base + sum_f table_f[bin_f(x_f)] (a logit)."""

    names: tuple[str, ...]
    base: float
    thresholds: tuple[tuple[float, ...], ...]
    values: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        if not (len(self.names) == len(self.thresholds) == len(self.values)):
            raise ValueError("names, thresholds and values need one entry per feature")
        for th, va in zip(self.thresholds, self.values, strict=True):
            if len(va) != len(th) + 1:
                raise ValueError("each feature needs len(values) == len(thresholds) + 1")
        arrays = [
            (np.asarray(t, np.float64), np.asarray(v, np.float64))
            for t, v in zip(self.thresholds, self.values, strict=True)
        ]
        object.__setattr__(self, "_arrays", arrays)

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Raw scores of the rows of x (n x n_features): one binary search per feature column."""
        n, f = x.shape
        if f != len(self.names):
            raise ValueError(f"expected {len(self.names)} features, got {f}")
        return self.logit_columns(tuple(np.ascontiguousarray(x.T)), n)

    def logit_columns(self, columns: Sequence[np.ndarray], n: int | None = None) -> np.ndarray:
        """`logit` of features given as one column each (n rows; the columns' length by default)."""
        if len(columns) != len(self.names):
            raise ValueError(f"expected {len(self.names)} features, got {len(columns)}")
        n = len(columns[0]) if n is None else n
        total = np.full(n, self.base)
        at, above = np.empty(n, np.uint8), np.empty(n, bool)
        for col, (th, va) in zip(columns, self._arrays, strict=True):  # type: ignore[attr-defined]
            if th.size == 0:  # a feature the boosting never split on: the same value for every row
                total += va[0]
                continue
            if th.size > _FEW_THRESHOLDS or n < _MANY_ROWS:
                total += va.take(np.searchsorted(th, col, side="left"))
                continue
            # A few thresholds: counting those below each value (what searchsorted "left" returns, NaN
            # past them all) is a few comparison passes, far cheaper than a binary search per value;
            # counted in bytes (at most _FEW_THRESHOLDS), NaN set apart.
            # One comparison buffer and one count buffer serve every feature (no allocation per pass).
            at[:] = 0
            for t in th.tolist():
                np.greater(col, t, out=above)
                at += above.view(np.uint8)
            if np.isnan(col.min()):  # min is NaN exactly when some value is
                at[np.isnan(col)] = th.size
            # Taken with pointer-sized indices: `take` converts byte indices first, four times the cost.
            total += va.take(at.astype(np.intp))
        return total

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Body probabilities of the rows of x."""
        return 1.0 / (1.0 + np.exp(-self.logit(x)))

    def proba_columns(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        """Body probabilities of features given as one column each (`proba`'s arithmetic, in the logits'
        array: no fresh array for each step)."""
        p = self.logit_columns(columns)
        np.negative(p, out=p)
        np.exp(p, out=p)
        p += 1.0
        return np.divide(1.0, p, out=p)

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's share of one row's logit (why the model decided as it did)."""
        out = {}
        for f, (name, th, va) in enumerate(zip(self.names, self.thresholds, self.values, strict=True)):
            out[name] = va[int(np.searchsorted(np.asarray(th), float(row[f]), side="left"))]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "base": self.base,
                "thresholds": [list(t) for t in self.thresholds],
                "values": [list(v) for v in self.values]}  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AdditiveScorer:
        return cls(tuple(d["names"]), float(d["base"]), tuple(tuple(t) for t in d["thresholds"]),
                   tuple(tuple(v) for v in d["values"]))  # fmt: skip


def stumps_to_tables(
    names: Sequence[str], base: float, stumps: Sequence[tuple[int, float, float, float]]
) -> AdditiveScorer:
    """Collapse boosted stumps (feature, threshold, value if x <= threshold, value otherwise) into tables."""
    per_feature: list[list[tuple[float, float, float]]] = [[] for _ in names]
    for f, t, left, right in stumps:
        per_feature[f].append((float(t), float(left), float(right)))
    thresholds, values = [], []
    for stumps_f in per_feature:
        th = np.unique(np.asarray([s[0] for s in stumps_f], np.float64))
        va = np.zeros(th.size + 1)
        for t, left, right in stumps_f:
            mask = np.concatenate((th <= t, [False]))
            va += np.where(mask, left, right)
        thresholds.append(tuple(float(x) for x in th))
        values.append(tuple(round(float(x), 6) for x in va))
    return AdditiveScorer(tuple(names), float(base), tuple(thresholds), tuple(values))


@dataclass(frozen=True)
class LineModel:
    """Stage 1 (line + neighbourhood) and stage 2 (smoothing over stage-1 scores), with their lexicons."""

    stage1: AdditiveScorer
    stage2: AdditiveScorer
    threshold: float
    stopwords: frozenset[str]
    boilerplate: frozenset[str]
    meta: dict[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "stop_hashes", word_hashes(self.stopwords))
        object.__setattr__(self, "boiler_hashes", word_hashes(self.boilerplate))

    def to_json(self) -> str:
        return json.dumps({
            "meta": self.meta, "threshold": self.threshold, "stage1": self.stage1.to_dict(),
            "stage2": self.stage2.to_dict(), "stopwords": sorted(self.stopwords),
            "boilerplate": sorted(self.boilerplate),
        }, ensure_ascii=False, separators=(",", ":"))  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> LineModel:
        d = json.loads(text)
        return cls(AdditiveScorer.from_dict(d["stage1"]), AdditiveScorer.from_dict(d["stage2"]),
                   float(d["threshold"]), frozenset(d["stopwords"]), frozenset(d["boilerplate"]),
                   d.get("meta", {}))  # fmt: skip


def load_line_model(path: str | Path | None = None) -> LineModel:
    """The shipped model (newsfold/trained/line_model.json), or the one at path."""
    if path is not None:
        return LineModel.from_json(Path(path).read_text(encoding="utf-8"))
    text = resources.files("newsfold").joinpath("trained", MODEL_FILE).read_text(encoding="utf-8")
    return LineModel.from_json(text)
