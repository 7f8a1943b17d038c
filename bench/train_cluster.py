"""Train newsfold.cluster's story-join model on ECB+ dev; writes src/newsfold/trained/cluster_model.json.

usage: python bench/train_cluster.py [--sweep]

Training pairs come from the clustering itself, run with the gold stories (teacher forcing): each
article, in input order, is compared with the candidate stories the index finds for it, and the pair
is labelled by whether that story is the article's gold event. The model thus learns exactly the
decision it makes at run time. Scores printed here are cross-validated by topic (GroupKFold over the
21 topics: the topics scored were never trained on); --sweep also sweeps the tuned settings that way.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from newsfold.cluster import FEATURE_NAMES, StoryIndex, _profile, pair_features
from newsfold.models import Article
from newsfold.settings import ClusterSettings

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "bench" / "ecbplus" / "dev.jsonl"
MODEL_PATH = ROOT / "src" / "newsfold" / "trained" / "cluster_model.json"
sys.path.insert(0, str(ROOT.parent / "shared" / "tools"))
from bcubed import bcubed  # noqa: E402

FOLDS = 5
_BLANK_MODEL = {
    "features": list(FEATURE_NAMES),
    "mean": [0.0] * len(FEATURE_NAMES),
    "scale": [1.0] * len(FEATURE_NAMES),
    "coef": [0.0] * len(FEATURE_NAMES),
    "intercept": 0.0,
}


def ecb_records(path: Path = ECB) -> list[dict[str, Any]]:
    """The ECB+ dev documents in file order."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def ecb_article(record: dict[str, Any]) -> Article:
    """An ECB+ document as newsfold's Article: no title, no dates, one paragraph a line."""
    return Article(record["id"], None, tuple(p for p in record["text"].split("\n") if p.strip()))


def teacher_pairs(records: list[dict[str, Any]], settings: ClusterSettings) -> tuple[np.ndarray, ...]:
    """(features, labels, topic of the article) of every (article, candidate story) pair met in a gold run."""
    index = StoryIndex(settings, model=_BLANK_MODEL)
    story_of_event: dict[str, str | None] = {}
    event_of_story: dict[str, str] = {}
    xs, ys, topics = [], [], []
    for record in records:
        profile = _profile(ecb_article(record), index.lexicon, settings)
        for story in index.candidates(profile):
            xs.append(pair_features(profile, story))
            ys.append(int(event_of_story[story.id] == record["event"]))
            topics.append(record["topic"])
        story_id = index._place(profile, story_of_event.get(record["event"]))
        story_of_event[record["event"]] = story_id
        event_of_story[story_id] = record["event"]
    return np.array(xs), np.array(ys), np.array(topics)


def fit(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """A standardised logistic regression, as the JSON spec newsfold.cluster reads."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=1000).fit((x - mean) / scale, y)
    return {
        "features": list(FEATURE_NAMES),
        "mean": mean.round(6).tolist(),
        "scale": scale.round(6).tolist(),
        "coef": model.coef_[0].round(6).tolist(),
        "intercept": round(float(model.intercept_[0]), 6),
        "trained_on": "ECB+ dev (shared/bench/ecbplus/dev.jsonl), teacher-forced pairs (train_cluster.py)",
        "pairs": int(len(y)),
    }


def predict(
    records: list[dict[str, Any]], settings: ClusterSettings, model: dict[str, Any]
) -> dict[str, str]:
    """{document id: story id} of a newsfold fold of all `records` in file order."""
    index = StoryIndex(settings, model=model)
    return index.add([ecb_article(r) for r in records])


def cross_validated(records: list[dict[str, Any]], settings: ClusterSettings) -> dict[str, str]:
    """Each document's story from a model that never saw its topic (GroupKFold by topic).

    Every fold clusters all documents (so cross-topic mistakes still count) with the model trained on
    the other folds' topics, and keeps the labels of its held-out documents.
    """
    x, y, pair_topics = teacher_pairs(records, settings)
    topics = np.array([r["topic"] for r in records])
    labels: dict[str, str] = {}
    for fold, (_, test) in enumerate(GroupKFold(FOLDS).split(topics, groups=topics)):
        held_out = set(topics[test].tolist())
        train = ~np.isin(pair_topics, list(held_out))
        placed = predict(records, settings, fit(x[train], y[train]))
        for i in test:
            labels[records[i]["id"]] = f"{fold}:{placed[records[i]['id']]}"
    return labels


def score(records: list[dict[str, Any]], labels: dict[str, str]) -> tuple[float, float, float]:
    """BCubed (F1, precision, recall) against the gold events."""
    gold = {r["id"]: r["event"] for r in records}
    return bcubed(gold, {i: labels[i] for i in gold})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", action="store_true", help="sweep the tuned settings, cross-validated")
    args = parser.parse_args()
    records = ecb_records()
    settings = ClusterSettings()
    if args.sweep:
        for name, values in (
            ("common_word_frequency", (3e-4, 1e-3, 3e-3)),
            ("join_probability", (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)),
        ):
            for value in values:
                f1, p, r = score(records, cross_validated(records, replace(settings, **{name: value})))
                print(f"{name}={value}: BCubed F1 {f1:.3f} P {p:.3f} R {r:.3f} (cross-validated by topic)")
    f1, p, r = score(records, cross_validated(records, settings))
    print(f"defaults: BCubed F1 {f1:.3f} P {p:.3f} R {r:.3f} (cross-validated by topic, {FOLDS} folds)")
    x, y, _ = teacher_pairs(records, settings)
    spec = fit(x, y)
    MODEL_PATH.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    in_sample, _, _ = score(records, predict(records, settings, spec))
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}: {len(y)} pairs, {int(y.sum())} positive")
    print(f"in-sample (trained and scored on all of ECB+ dev): BCubed F1 {in_sample:.3f}")
    for name, coef in zip(FEATURE_NAMES, spec["coef"], strict=True):
        print(f"  {name:16s} {coef:+.3f}")


if __name__ == "__main__":
    main()
