"""Story clustering on ECB+ dev: newsfold beside the peer, BCubed F1 (shared/tools/bcubed.py).

usage: python bench/bench_ecbplus.py

Peer: TF-IDF (scikit-learn) + average-link agglomerative clustering, cosine distance threshold swept
0.5-0.9 (its best threshold is picked in-sample, which flatters it). newsfold is scored twice: with join
models that never saw the topics they score (GroupKFold by topic, the honest figure), and with the shipped
model, which was trained on all of ECB+ dev (in-sample, for reference).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.settings import ClusterSettings  # noqa: E402
from train_cluster import MODEL_PATH, cross_validated, ecb_records, predict, score  # noqa: E402


def peer(records: list[dict], threshold: float) -> dict[str, str]:
    """TF-IDF + average-link agglomerative clustering at one cosine distance threshold."""
    x = TfidfVectorizer().fit_transform([r["text"] for r in records]).toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(x)
    return {r["id"]: str(label) for r, label in zip(records, labels, strict=True)}


def main() -> None:
    records = ecb_records()
    print(f"ECB+ dev: {len(records)} documents, {len({r['event'] for r in records})} events")
    print("system                                              BCubed F1   P      R")
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        f1, p, r = score(records, peer(records, threshold))
        print(f"peer TF-IDF + average-link, cosine dist {threshold:.1f}         {f1:.3f}   {p:.3f}  {r:.3f}")
    settings = ClusterSettings()
    start = time.perf_counter()
    f1, p, r = score(records, cross_validated(records, settings))
    print(f"newsfold, cross-validated by topic (5 folds)          {f1:.3f}   {p:.3f}  {r:.3f}")
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    start = time.perf_counter()
    f1, p, r = score(records, predict(records, settings, model))
    seconds = time.perf_counter() - start
    print(f"newsfold, shipped model (in-sample: trained on dev)  {f1:.3f}   {p:.3f}  {r:.3f}", end="")
    print(f"  ({seconds:.1f}s)")


if __name__ == "__main__":
    main()
