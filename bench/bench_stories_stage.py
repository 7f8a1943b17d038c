"""The "stories" stage of `newsfold fold` alone (profiles + cluster_stories), CPU seconds, beside the peer's.

usage: python bench/bench_stories_stage.py [FOLDER] [--repeat 3] [--out stories.json]

FOLDER (default bench/out/fold-corpus-2400, built by bench/fold/bench_fold.py) is read and cleaned as
`newsfold fold` does, and its copies found, once; then, in this one process, each turn times:
- newsfold: `profiles_of` (one process, no worker pool) and `cluster_stories` with the engine's packed
  store, CPU seconds each, and the threads of those stories (`with_threads` on the stories' members,
  without the event dates that writing them would give: the comparisons are the same);
- the peer's stories stage: scikit-learn TF-IDF + average-link agglomerative clustering at cosine
  distance 0.8 over the same cleaned texts (bench/fold/peer_pipeline.py's clustering).
The best turn of each is printed; --out writes newsfold's stories (to compare two versions' partitions).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from newsfold.cluster import cluster_stories
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import profiles_of
from newsfold.cluster.threads import with_threads
from newsfold.engine.local import clean_all, story_id_for
from newsfold.models import Article, Story
from newsfold.read import iter_pages
from newsfold.settings import Settings
from newsfold.syndication import find_origins

ROOT = Path(__file__).resolve().parents[1]


def peer_stories(articles: list[Article]) -> int:
    """The peer's stories stage over the cleaned texts; the number of stories."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform([a.text for a in articles])
    keep = matrix.getnnz(axis=1) > 0
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.8
    ).fit_predict(matrix[keep].toarray())
    return len(set(labels.tolist())) + int((~keep).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "bench" / "out" / "fold-corpus-2400")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    settings = Settings()
    pages = iter_pages([args.folder], on_problem=lambda error: None, settings=settings.read)
    articles: list[Article] = []
    while chunk := list(itertools.islice(pages, settings.engine.clean_chunk_pages)):
        articles += clean_all(chunk, settings=settings).articles
    groups = find_origins(articles, settings.syndication)
    print(f"{args.folder.name}: {len(articles)} articles, {len(groups)} origin groups", flush=True)
    ours: list[tuple[float, float]] = []
    theirs: list[float] = []
    for _ in range(args.repeat):
        started = time.process_time()
        profiles = profiles_of(articles, settings.cluster)
        profiled = time.process_time()
        store = PackedProfiles()
        stories = cluster_stories(articles, groups, settings.cluster, profiles, store)
        clustered = time.process_time()
        outlines = [Story(story_id_for(members), None, members) for members in stories]
        with_threads(outlines, (), settings, store.by_id())
        ours.append((profiled - started, clustered - profiled, time.process_time() - clustered))
        started = time.process_time()
        peer_count = peer_stories(articles)
        theirs.append(time.process_time() - started)
    profile_s, cluster_s, threads_s = min(ours, key=sum)
    print(f"newsfold stories stage: {profile_s + cluster_s:.2f} s CPU (profiles {profile_s:.2f}, "
          f"cluster_stories {cluster_s:.2f}); {len(stories)} stories; threads {threads_s:.2f} s CPU")
    print(f"peer stories stage (TF-IDF + average link): {min(theirs):.2f} s CPU; {peer_count} stories")
    if args.out:
        args.out.write_text(json.dumps(stories), encoding="utf-8")


if __name__ == "__main__":
    main()
