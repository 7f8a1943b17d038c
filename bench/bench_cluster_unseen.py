"""Story clustering on data other than ECB+ (the merge models' training set), beside the TF-IDF peer.

usage: python bench/bench_cluster_unseen.py [--skip-pages]

BCubed F1 (P, R) of newsfold's stories and of the peer's, on:

- fold-corpus-2400 (bench/fold/bench_fold.py builds it: zyte and ECB+ bodies republished inside page chrome
  as copies, excerpts and versions). Gold: a page's base article is its story, except that ECB+ bases of
  one gold event are one story. newsfold: the real cleaner, `find_origins` and `cluster_stories`, as `fold`
  runs them; the peer: bench/fold/peer_pipeline.py whole (jusText, MinHashLSH copies, TF-IDF average link).
- scale-2500 (bench/scale/generate.py --pages 2500 --seed 7: recombined real text, gold `story`); same two
  pipelines.
- the zyte and Fundus gold bodies (clean text given directly; 181 + 235 pages of different publishers and
  days, scored as if each were its own story: some zyte pages do report one event, so precision below 1.0
  mixes true and false merges). Peer: TF-IDF + average link at cosine distance 0.8 over the same texts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "tools"))
sys.path.insert(0, str(ROOT / "bench"))
from bcubed import bcubed  # noqa: E402

from newsfold.cluster import cluster_stories  # noqa: E402
from newsfold.engine.local import clean_all  # noqa: E402
from newsfold.models import Article  # noqa: E402
from newsfold.read import iter_pages  # noqa: E402
from newsfold.settings import Settings  # noqa: E402
from newsfold.syndication import find_origins  # noqa: E402

PEER_DISTANCE = 0.8  # the peer's cosine distance threshold (bench/fold/peer_pipeline.py, the ECB+ peer)


def _labels(stories: Sequence[Sequence[str]]) -> dict[str, str]:
    return {member: f"s{n}" for n, story in enumerate(stories) for member in story}


def _line(name: str, gold: dict[str, str], ours: dict[str, str], peer: dict[str, str]) -> None:
    f1, p, r = bcubed(gold, {k: ours[k] for k in gold})
    g1, q, s = bcubed(gold, {k: peer[k] for k in gold})
    print(f"{name:<28} newsfold BCubed F1 {f1:.3f} (P {p:.3f} R {r:.3f})"
          f" | peer {g1:.3f} (P {q:.3f} R {s:.3f})"
          f" | {len(gold)} pages, {len(set(gold.values()))} gold stories", flush=True)


def newsfold_pages(folder: Path) -> dict[str, str]:
    """{page path relative to `folder`: story} as `newsfold fold` makes them (clean, copies, stories)."""
    settings = Settings()
    pages = iter_pages([folder], on_problem=lambda error: None, settings=settings.read)
    articles: list[Article] = []
    while chunk := list(itertools.islice(pages, settings.engine.clean_chunk_pages)):
        articles += clean_all(chunk, settings=settings).articles
    started = time.process_time()
    groups = find_origins(articles, settings.syndication)
    stories = cluster_stories(articles, groups, settings.cluster)
    print(f"  newsfold: {len(articles)} articles, {len(stories)} stories "
          f"(copies + stories {time.process_time() - started:.1f} s CPU)", flush=True)
    return _labels(stories)  # an article's id is its page's path inside `folder`


def peer_pages(folder: Path) -> dict[str, str]:
    """{page path relative to `folder`: story} of the peers' pipeline (bench/fold/peer_pipeline.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stories.json"
        subprocess.run([sys.executable, str(ROOT / "bench" / "fold" / "peer_pipeline.py"), str(folder),
                        "--out", str(out)], check=True, capture_output=True)
        return _labels(json.loads(out.read_text(encoding="utf-8")))


def fold_corpus_gold(folder: Path) -> dict[str, str]:
    """{page file: gold story} of a bench/fold corpus: the page's base, ECB+ bases by their gold event."""
    events = {}
    for line in (SHARED / "bench" / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        events[f"ecb-{row['id']}".replace("~", "_")] = f"event-{row['event']}"
    gold = {}
    for path in sorted(folder.glob("*.txt")):
        base = path.stem.split("-", 1)[1].rsplit("_", 1)[0]  # d7-ecb-11_10ecb_0 -> ecb-11_10ecb
        gold[path.name] = events.get(base, base)
    return gold


def peer_texts(texts: Sequence[str]) -> list[int]:
    """The peer's clustering of clean texts: TF-IDF + average link at cosine distance 0.8."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform(texts).toarray()
    return AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=PEER_DISTANCE
    ).fit_predict(matrix).tolist()


def gold_bodies() -> list[Article]:
    """The zyte and Fundus gold bodies as articles (body only: the zyte gold has no titles)."""
    out = []
    for prefix, folder in (("zyte", "zyte"), ("fundus", "fundus-fixtures")):
        path = SHARED / "bench" / folder / "ground-truth.json"
        for key, page in sorted(json.loads(path.read_text(encoding="utf-8")).items()):
            lines = tuple(p for p in (page.get("articleBody") or "").split("\n") if p.strip())
            if lines:
                out.append(Article(f"{prefix}-{key}", None, lines))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-pages", action="store_true", help="only the gold bodies (fast)")
    args = parser.parse_args()
    articles = gold_bodies()
    gold = {a.id: a.id for a in articles}
    ours = _labels(cluster_stories(articles))
    labels = peer_texts([a.text for a in articles])
    peer = {a.id: f"p{label}" for a, label in zip(articles, labels, strict=True)}
    _line("zyte + Fundus gold bodies", gold, ours, peer)
    if args.skip_pages:
        return
    folder = ROOT / "bench" / "out" / "fold-corpus-2400"
    if not folder.is_dir():
        folder = ROOT.parent / "main" / "bench" / "out" / "fold-corpus-2400"
    if folder.is_dir():
        _line("fold-corpus-2400", fold_corpus_gold(folder), newsfold_pages(folder), peer_pages(folder))
    scale = ROOT / "bench" / "out" / "scale-2500"
    if not (scale / "gold.jsonl").is_file():
        subprocess.run([sys.executable, str(ROOT / "bench" / "scale" / "generate.py"), str(scale),
                        "--pages", "2500", "--seed", "7"], check=True, capture_output=True)
    rows = [json.loads(line) for line in (scale / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    pages = scale / "pages"
    _line("scale-2500", {r["id"]: r["story"] for r in rows}, newsfold_pages(pages), peer_pages(pages))


if __name__ == "__main__":
    main()
