"""Train the page-dump line model on zyte text dumps and ship it to src/newsfold/trained/line_model.json.

Labels: a dump line is body when it is mostly contained in the gold articleBody (bench/zyte_data.py).
Model: two boosted-stump (additive) HistGradientBoostingClassifier stages, collapsed to lookup tables
(newsfold.clean.line_model): stage 1 over per-line + neighbourhood features, stage 2 over the stage-1
scores around each line, trained on out-of-fold stage-1 scores so it learns how stage 1 errs on unseen sites.
Scores are reported only cross-validated, grouped by site (the domain of the zyte URL).

usage: python bench/train_line_model.py [--cv-only] [--folds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the machine is shared; one core is plenty

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.clean.line_features import (
    STAGE1_NAMES,
    STAGE2_NAMES,
    PageArrays,
    page_arrays,
    stage2_features,
    word_hashes,
)
from newsfold.clean.line_model import AdditiveScorer, LineModel, stumps_to_tables
from newsfold.clean.line_rules import SHARE_WORDS
from newsfold.clean.lines import LineClassifier
from zyte_data import ZytePage, load_zyte, tools  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "newsfold" / "trained" / "line_model.json"

# Stopword lexicon: the most frequent words of the web's main space-separated languages, from jusText's
# Wikipedia-frequency stoplists (BSD); 120 per language keeps content words of one language out of another's.
STOP_LANGUAGES = (
    "English", "German", "French", "Spanish", "Portuguese", "Italian", "Dutch", "Russian", "Polish",
    "Swedish", "Indonesian", "Turkish", "Czech", "Ukrainian", "Danish", "Norwegian_Bokmal", "Romanian",
    "Hungarian", "Finnish", "Malay", "Vietnamese",
)  # fmt: skip
STOP_PER_LANGUAGE = 120
# Generic web-chrome vocabulary (menus, buttons, widgets), not any site's wording; words that are also
# common in prose ("sign", "more", "read", "back", "top", "home", "video") are left out on purpose.
BOILERPLATE = frozenset(
    """share print email tweet facebook twitter whatsapp linkedin pinterest reddit instagram youtube subscribe
    subscription subscribers newsletter login logout signup register menu navigation advertisement
    advertising advertise sponsored trending recommended comments reply cookies privacy copyright reserved
    sitemap rss loading toggle faq skip related""".split()
)
# Boosting settings: stumps (additive model), 400 rounds at 0.1; chosen by grouped CV on zyte (F1 flat
# from ~300 rounds on).
HGB = dict(max_depth=1, max_iter=400, learning_rate=0.1, l2_regularization=1.0, early_stopping=False)
# Body threshold on the stage-2 probability.
THRESHOLD = 0.5
# Weigh each page equally in training (the metric is a mean over pages); see PAGE_WEIGHTS in the report.
PAGE_WEIGHTS = os.environ.get("LINE_PAGE_WEIGHTS", "1") == "1"


def weigh(ys: list[np.ndarray]) -> np.ndarray | None:
    return page_weights(ys) if PAGE_WEIGHTS else None


def stopwords() -> frozenset[str]:
    import justext

    base = Path(justext.__file__).parent / "stoplists"
    words: set[str] = set()
    for lang in STOP_LANGUAGES:
        path = base / f"{lang}.txt"
        if path.exists():
            words.update(
                w.strip().lower() for w in path.read_text(encoding="utf-8").split("\n")[:STOP_PER_LANGUAGE]
            )
    return frozenset(w for w in words if w)


def page_xy(page: ZytePage, sw: frozenset[str]) -> tuple[PageArrays, np.ndarray]:
    """Measurements (stage-1 features in .x1) and labels of a page's non-empty lines."""
    keep = [i for i, line in enumerate(page.lines) if line.strip()]
    text = [page.lines[i].strip() for i in keep]
    pa = page_arrays([text], word_hashes(sw), word_hashes(BOILERPLATE), word_hashes(SHARE_WORDS))
    return pa, np.asarray([page.body_mask[i] for i in keep], dtype=bool)


def page_weights(ys: list[np.ndarray]) -> np.ndarray:
    """Line weights giving every page the same total: the metric averages over pages, not lines."""
    mean = np.mean([len(y) for y in ys])
    return np.concatenate([np.full(len(y), mean / max(len(y), 1)) for y in ys])


def fit_scorer(
    names: tuple[str, ...], x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None
) -> AdditiveScorer:
    """Boost stumps with scikit-learn and collapse them into per-feature lookup tables."""
    clf = HistGradientBoostingClassifier(**HGB, random_state=0).fit(x, y, sample_weight=w)
    stumps = []
    base = float(np.ravel(clf._baseline_prediction)[0])  # private but stable: the initial logit
    for (pred,) in clf._predictors:  # private: the fitted trees (depth 1), exported once here
        nodes = pred.nodes
        root = nodes[0]
        if root["is_leaf"]:
            base += float(root["value"])
            continue
        left, right = float(nodes[root["left"]]["value"]), float(nodes[root["right"]]["value"])
        stumps.append((int(root["feature_idx"]), float(root["num_threshold"]), left, right))
    scorer = stumps_to_tables(names, base, stumps)
    # The tables share one float64 threshold array (features offset by index), so a value within ~1e-8 of
    # a threshold may fall on the other side than in scikit-learn: allow that on a handful of rows only.
    off = np.abs(scorer.logit(x) - clf.decision_function(x)) > 1e-4
    assert off.mean() < 1e-3, f"exported tables disagree with scikit-learn on {off.mean():.2%} of rows"
    return scorer


def stage1_oof(xs: list[PageArrays], ys: list[np.ndarray], groups: list[str], folds: int) -> list[np.ndarray]:
    """Out-of-fold stage-1 probabilities of every page, folds grouped by site."""
    out: list[np.ndarray] = [np.zeros(0)] * len(xs)
    for tr, te in GroupKFold(n_splits=folds).split(xs, groups=groups):
        trs = [ys[i] for i in tr]
        s1 = fit_scorer(STAGE1_NAMES, np.vstack([xs[i].x1 for i in tr]), np.concatenate(trs), weigh(trs))
        for i in te:
            out[i] = s1.proba(xs[i].x1)
    return out


def train(
    xs: list[np.ndarray], ys: list[np.ndarray], groups: list[str], sw: frozenset[str], folds: int
) -> LineModel:
    """Fit both stages on the given pages."""
    s1 = fit_scorer(STAGE1_NAMES, np.vstack([x.x1 for x in xs]), np.concatenate(ys), weigh(ys))
    oof = stage1_oof(xs, ys, groups, folds)
    x2 = np.vstack([stage2_features(o, x) for o, x in zip(oof, xs, strict=True)])
    s2 = fit_scorer(STAGE2_NAMES, x2, np.concatenate(ys), weigh(ys))
    meta = {"trained_on": "zyte text dumps (textdump.py), labels by shingle containment >= 0.5",
            "pages": len(xs), "lines": int(sum(len(y) for y in ys)), "hgb": HGB}  # fmt: skip
    return LineModel(s1, s2, THRESHOLD, sw, BOILERPLATE, meta)


def cross_validate(pages: tuple[ZytePage, ...], xs, ys, groups, sw, folds: int) -> dict[str, str]:
    """Predicted articleBody of every page from a model that never saw its site."""
    preds: dict[str, str] = {}
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(xs, groups=groups)):
        t0 = time.perf_counter()
        model = train([xs[i] for i in tr], [ys[i] for i in tr], [groups[i] for i in tr], sw, folds - 1)
        clf = LineClassifier(model)
        run = [pages[i] for i in te]
        # Each test fold cleaned as one run, as clean_pages does (template lines by site, other headlines).
        labels_run = clf.classify_many([p.lines for p in run], sites=[p.site for p in run], run_context=True)
        for i, labels in zip(te, labels_run, strict=True):
            preds[pages[i].id] = "\n".join(
                line for line, lab in zip(pages[i].lines, labels, strict=True) if lab.kind == "body"
            )
        print(f"fold {k}: {len(te)} pages, {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return preds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cv-only", action="store_true", help="report the cross-validated score, write nothing")
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation, only fit and write")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--dump", type=Path, help="write the cross-validated bodies here (JSON, for error analysis)"
    )
    a = ap.parse_args()
    pages = load_zyte()
    sw = stopwords()
    xs, ys = zip(*(page_xy(p, sw) for p in pages), strict=True)
    xs, ys = list(xs), list(ys)
    groups = [p.site for p in pages]
    if not a.no_cv:
        _, shinglef1 = tools()
        preds = cross_validate(pages, xs, ys, groups, sw, a.folds)
        gold = {p.id: {"articleBody": p.gold_body} for p in pages}
        f1, prec, rec = shinglef1.score(gold, {k: {"articleBody": v} for k, v in preds.items()})  # type: ignore[attr-defined]
        print(f"zyte text dumps, {a.folds}-fold CV grouped by site: F1 {f1:.3f} P {prec:.3f} R {rec:.3f}")
        if a.dump:
            a.dump.write_text(json.dumps(preds, ensure_ascii=False))
    if not a.cv_only:
        model = train(xs, ys, groups, sw, a.folds)
        OUT.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
