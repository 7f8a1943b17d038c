"""Story clustering on ECB+ dev, beside the peer, and two checks on data the models never saw.

usage: python bench/bench_ecbplus.py

ECB+ dev (BCubed F1, shared/tools/bcubed.py). Peer: TF-IDF (scikit-learn) + average-link agglomerative
clustering, cosine distance threshold swept 0.5-0.9 (its best threshold is picked in-sample, which flatters
it). newsfold is scored with models that never saw the topics they score (GroupKFold by topic, the honest
figure; also each held-out event clustered alone: is it kept whole?) and with the shipped models, trained
on all of ECB+ dev (in-sample, for reference).

Unseen checks with the shipped models: the zyte gold bodies (181 news and blog pages of November 2019,
scored as if each were its own story: they are not all unrelated, several outlets report one event, e.g.
the Doobie Brothers reunion or the Chinese bubonic plague cases, so precision below 1.0 mixes true and false
merges; the peer is shown beside) and the five seed pages (one event: one story).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.cluster import cluster_stories  # noqa: E402
from newsfold.models import Article  # noqa: E402
from newsfold.settings import ClusterSettings  # noqa: E402
from train_cluster import FOLDS, MODEL_PATH, bcubed, cross_validated, ecb_records, fold, score  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"


def peer(texts: list[str], threshold: float) -> list[int]:
    """TF-IDF + average-link agglomerative clustering at one cosine distance threshold."""
    x = TfidfVectorizer().fit_transform(texts).toarray()
    return AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(x).tolist()


def zyte_articles() -> list[Article]:
    """The zyte gold bodies as articles (no titles: the gold has none)."""
    gold = json.loads((SHARED / "bench" / "zyte" / "ground-truth.json").read_text(encoding="utf-8"))
    return [Article(key, None, tuple(p for p in page["articleBody"].split("\n") if p.strip()))
            for key, page in sorted(gold.items())]


def seed_articles() -> list[Article]:
    """The five seed pages: gold body lines and titles."""
    gold = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
    out = []
    for name, page in sorted(gold.items()):
        lines = (SHARED / "corpus" / "seeds" / name).read_text(encoding="utf-8").splitlines()
        out.append(Article(name, page["title"], tuple(lines[n - 1] for n in page["body_lines"])))
    return out


def main() -> None:
    records = ecb_records()
    print(f"ECB+ dev: {len(records)} documents, {len({r['event'] for r in records})} events")
    print("system                                              BCubed F1   P      R")
    texts = [r["text"] for r in records]
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        labels = peer(texts, threshold)
        f1, p, r = score(records, {rec["id"]: str(label) for rec, label in zip(records, labels, strict=True)})
        print(f"peer TF-IDF + average-link, cosine dist {threshold:.1f}         {f1:.3f}   {p:.3f}  {r:.3f}")
    settings = ClusterSettings()
    (labels, whole), = cross_validated(records, [settings], single=True)
    f1, p, r = score(records, labels)
    print(f"newsfold, cross-validated by topic ({FOLDS} folds)          {f1:.3f}   {p:.3f}  {r:.3f}")
    print(f"  held-out events clustered alone, kept whole: {sum(whole)}/{len(whole)}")
    spec = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    start = time.perf_counter()
    f1, p, r = score(records, fold(records, settings, (spec["edge"], spec["topic"], spec["merge"])))
    seconds = time.perf_counter() - start
    print(f"newsfold, shipped models (in-sample: trained on dev) {f1:.3f}   {p:.3f}  {r:.3f}", end="")
    print(f"  ({seconds:.1f}s)")

    zyte = zyte_articles()
    gold = {a.id: a.id for a in zyte}
    stories = cluster_stories(zyte)
    f1, p, r = bcubed(gold, {i: s[0] for s in stories for i in s})
    peer_labels = peer([a.text for a in zyte], 0.7)
    pf1, pp, pr = bcubed(gold, {a.id: str(label) for a, label in zip(zyte, peer_labels, strict=True)})
    print(f"zyte gold bodies ({len(zyte)} unrelated pages): newsfold {len(stories)} stories, "
          f"BCubed P {p:.3f} F1 {f1:.3f}; peer at 0.7: {len(set(peer_labels))} stories, "
          f"P {pp:.3f} F1 {pf1:.3f}")
    seeds = seed_articles()
    stories = cluster_stories(seeds)
    print(f"seeds (one event, {len(seeds)} pages): newsfold {len(stories)} stories; "
          f"peer at 0.7: {len(set(peer([a.text for a in seeds], 0.7)))}")


if __name__ == "__main__":
    main()
