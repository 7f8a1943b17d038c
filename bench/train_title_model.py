"""Train the text-dump headline ranker (newsfold.clean.titles.TITLE_WEIGHTS) on the Fundus fixtures.

A text dump has no metadata, so its headline is one of the lines above its body. Every line in the
window above the first body line (`titles.title_candidates_of_dump`) is a candidate, described by
`titles.title_features` (shape, place, what the body and the URL's slug say); a logistic regression
scores them and the best-scoring candidate of a page is its headline. The body and the line model's own
title come from the line model of bench/train_line_model.py's cross-validation that never saw the page's
site (--fold-cache, as bench_fundus.py --cv), each fold's Fundus pages classified as one run.

Scored by exact title (bench_fundus.py's comparison) over all 235 pages, 5-fold cross-validated by
publisher (the ranker never saw the page's publisher), beside the rule it replaces (the slug's line, else
the line model's title). Pages whose gold headline is on no candidate line count as misses for both.
Writes nothing: prints the weights to paste into titles.py (standardisation folded in).

usage: python bench/train_title_model.py [--fold-cache bench/out/folds-base.json] [--c 1.0]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_line_model as tlm  # noqa: E402
from bench_fundus import fold  # noqa: E402
from fundus_data import load_fundus  # noqa: E402
from newsfold.clean.lines import LineClassifier  # noqa: E402
from newsfold.clean.titles import (  # noqa: E402
    TITLE_FEATURES,
    title_candidates_of_dump,
    title_features,
    title_from_slug,
)


def page_rows(fold_cache: Path) -> list[dict]:
    """Per Fundus page: its candidates, their features and labels, and the old rule's title."""
    pages = {p.id: p for p in load_fundus()}
    out = []
    for test_ids, model in tlm.load_fold_models(fold_cache):
        run = [pages[i] for i in test_ids if i in pages]
        labels = LineClassifier(model).classify_many(
            [p.lines for p in run], sites=[p.site for p in run], run_context=True
        )
        for p, labs in zip(run, labels, strict=True):
            kinds = [lab.kind for lab in labs]
            body = [i for i, k in enumerate(kinds) if k == "body"]
            first = body[0] if body else len(p.lines)
            model_title = next((i for i, k in enumerate(kinds) if k == "title"), None)
            text = "\n".join(p.lines[i].strip() for i in body)
            cands = title_candidates_of_dump(p.lines, first)
            gold = fold(p.gold.get("title"))
            old = title_from_slug(p.lines[: first + 1], p.url) or (
                p.lines[model_title].strip() if model_title is not None else None
            )
            out.append({
                "id": p.id, "group": p.publisher, "gold": gold, "old": old, "cands": cands,
                "lines": [p.lines[i] for i in cands],
                "x": np.asarray(title_features(p.lines, first, cands, text, p.url, model_title), float),
                "y": np.asarray([fold(p.lines[i]) == gold for i in cands], bool),
            })  # fmt: skip
    return sorted(out, key=lambda r: r["id"])


def fit(rows: list[dict], c: float) -> np.ndarray:
    """Weights over TITLE_FEATURES (standardisation folded in; the intercept does not change a ranking)."""
    x = np.vstack([r["x"] for r in rows if len(r["x"])])
    y = np.concatenate([r["y"] for r in rows if len(r["x"])])
    mean, std = x.mean(0), x.std(0) + 1e-9
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit((x - mean) / std, y)
    return clf.coef_[0] / std


def pick(row: dict, w: np.ndarray) -> str | None:
    if not len(row["x"]):
        return None
    return row["lines"][int(np.argmax(row["x"] @ w))].strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fold-cache", type=Path, default=Path("bench/out/folds-base.json"))
    ap.add_argument("--c", type=float, default=0.1, help="inverse regularisation strength")
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    rows = page_rows(a.fold_cache)
    n = len(rows)
    reachable = sum(r["y"].any() for r in rows)
    old = sum(fold(r["old"]) == r["gold"] for r in rows)
    groups = [r["group"] for r in rows]
    hit = 0
    for tr, te in GroupKFold(n_splits=a.folds).split(rows, groups=groups):
        w = fit([rows[i] for i in tr], a.c)
        hit += sum(fold(pick(rows[i], w)) == rows[i]["gold"] for i in te)
    print(f"Fundus text dumps, {n} pages: gold headline on a candidate line {reachable}; exact title: "
          f"old rule {old / n:.3f}, ranker ({a.folds}-fold CV by publisher, C={a.c}) "
          f"{hit / n:.3f}")  # fmt: skip
    w = fit(rows, a.c)
    print("TITLE_WEIGHTS = (")
    for name, v in zip(TITLE_FEATURES, w, strict=True):
        print(f"    {v:.4f},  # {name}")
    print(")")


if __name__ == "__main__":
    main()
