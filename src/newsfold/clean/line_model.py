"""The trained line model: two additive (boosted-stump) scorers evaluated with numpy alone.

Why additive stumps: boosting depth-1 trees gives one piecewise-constant function per feature, which
collapses into a sorted threshold table; scoring a whole page is then one `searchsorted` and one sum, far
cheaper than walking hundreds of trees, and the model ships as a small JSON file with no pickle.
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
# Features are clipped to +-_CLIP and shifted by feature_index * _OFFSET so all features share one sorted
# threshold array; _OFFSET must exceed 2 * _CLIP.
_CLIP = 1e5
_OFFSET = 1e6


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
        shifted = [np.asarray(th, np.float64) + f * _OFFSET for f, th in enumerate(self.thresholds)]
        object.__setattr__(self, "_all_thresholds", np.concatenate(shifted) if shifted else np.zeros(0))
        object.__setattr__(
            self, "_all_values", np.concatenate([np.asarray(v, np.float64) for v in self.values])
        )
        object.__setattr__(self, "_offsets", np.arange(len(self.names), dtype=np.float64) * _OFFSET)

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Raw scores of the rows of x (n x n_features), one vectorised look-up for the whole matrix."""
        n, f = x.shape
        if f != len(self.names):
            raise ValueError(f"expected {len(self.names)} features, got {f}")
        shifted = np.clip(x, -_CLIP, _CLIP) + self._offsets  # type: ignore[attr-defined]
        g = np.searchsorted(self._all_thresholds, shifted.ravel(), side="left")  # type: ignore[attr-defined]
        g += np.tile(np.arange(f), n)
        return self._all_values[g].reshape(n, f).sum(axis=1) + self.base  # type: ignore[attr-defined]

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Body probabilities of the rows of x."""
        return 1.0 / (1.0 + np.exp(-self.logit(x)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's share of one row's logit (why the model decided as it did)."""
        out = {}
        for f, (name, th, va) in enumerate(zip(self.names, self.thresholds, self.values, strict=True)):
            v = float(np.clip(row[f], -_CLIP, _CLIP))
            out[name] = va[int(np.searchsorted(np.asarray(th), v, side="left"))]
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
