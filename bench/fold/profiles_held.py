"""CPU seconds of clustering and threads with the profiles packed (`PackedProfiles()`) and held as they are
(`PackedProfiles(pack=False)`, what a fold held in memory uses), alternating in one process.

    python bench/fold/profiles_held.py [DIR] [--rounds 6]

The articles are read, cleaned, their copies found and profiled once; then each round clusters them
(`cluster_stories`, the profiles streamed in as the engine does) and links the threads from the store,
once packed and once held. Prints each round's CPU seconds and whether the stories and threads agree.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

from newsfold.cluster.index import cluster_stories
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import profiles_of
from newsfold.cluster.threads import with_threads
from newsfold.engine.local import clean_all
from newsfold.engine.worker import YOUNG_COLLECTION
from newsfold.models import Story
from newsfold.read import read_many
from newsfold.settings import Settings
from newsfold.syndication import stream_origins

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "bench" / "out" / "fold-corpus-2400")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    settings = Settings()
    articles = clean_all(read_many([args.folder]).pages, settings=settings).articles
    groups = list(stream_origins(articles, settings.syndication))
    profiles = profiles_of(articles, settings.cluster)
    gc.freeze()  # as the fold's batch_collector sets the collector
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])
    seconds: dict[str, list[float]] = {"packed": [], "held": []}
    threads: dict[str, list[float]] = {"packed": [], "held": []}
    found: dict[str, object] = {}
    for _ in range(args.rounds):
        for name in ("packed", "held"):
            store = PackedProfiles(pack=name == "packed")
            before = time.process_time()
            members = cluster_stories(articles, groups, settings.cluster, iter(profiles), store)
            seconds[name].append(time.process_time() - before)
            outlines = [Story(f"s{k}", None, m) for k, m in enumerate(members)]
            before = time.process_time()
            threaded = with_threads(outlines, (), settings, store.by_id())
            threads[name].append(time.process_time() - before)
            found[name] = (members, [(s.thread, s.related) for s in threaded])
    for name in ("packed", "held"):
        clustering, linking = seconds[name], threads[name]
        print(f"{name}: clustering CPU s min {min(clustering):.2f} median {statistics.median(clustering):.2f}"
              f" {[round(s, 2) for s in clustering]}; threads min {min(linking):.2f} median"
              f" {statistics.median(linking):.2f}")
    print("same stories and threads:", found["packed"] == found["held"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
