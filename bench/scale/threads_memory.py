"""What linking the threads holds of every article, by tracemalloc, from saved profiles.

    PYTHONPATH=src python bench/scale/threads_memory.py /tmp/scaling-100k-profiles.pkl

Clusters the profiles `stories_memory.py --save-profiles` wrote (profiles in a file, as a fold past
`hold_articles` keeps them; not traced), then links the threads of the stories as the engine does
(`with_threads` with the packed profiles by id) under tracemalloc: prints the traced peak, what is held
when the pairs have been scored (entering `threads_of`) and at the end, in bytes an article, and the
largest allocation sites held when the pairs have been scored. tracemalloc slows the threads several
times: time them with `stories_memory.py`.
"""

from __future__ import annotations

import argparse
import tracemalloc
from pathlib import Path
from typing import Any

from stories_memory import saved_profiles  # this folder's: the profiles `--save-profiles` wrote


def main() -> None:
    from newsfold.cluster import cluster_stories
    from newsfold.cluster import threads as threads_module
    from newsfold.cluster.packed import PackedProfiles
    from newsfold.engine import local
    from newsfold.models import Story
    from newsfold.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profiles", type=Path)
    parser.add_argument("--sites", type=int, default=12, help="allocation sites printed")
    args = parser.parse_args()
    settings = Settings()
    profiles = PackedProfiles(hold_bytes=0)
    members = cluster_stories((), (), settings.cluster, saved_profiles(args.profiles), profiles)
    n = len(profiles)
    outlines = [Story(local.story_id_for(m), None, m) for m in members]
    by_id = profiles.by_id()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    scored: dict[str, Any] = {}
    threads_of = threads_module.threads_of

    def spying(facts: Any, pairs: Any, thread_settings: Any = threads_module.ThreadSettings()) -> Any:
        pairs = list(pairs)
        scored["snapshot"] = tracemalloc.take_snapshot()
        scored["bytes"] = tracemalloc.get_traced_memory()[0]
        return threads_of(facts, pairs, thread_settings)

    threads_module.threads_of = spying  # type: ignore[assignment]
    threads_module.with_threads(outlines, (), settings, by_id)
    current, peak = tracemalloc.get_traced_memory()
    print(
        f"articles {n:,} stories {len(members):,}: bytes an article traced at the peak "
        f"{(peak - base) / n:,.0f}, when the pairs are scored {(scored['bytes'] - base) / n:,.0f}, "
        f"at the end {(current - base) / n:,.0f}"
    )
    for stat in scored["snapshot"].statistics("lineno")[: args.sites]:
        frame = stat.traceback[0]
        print(f"{stat.size / n:8,.0f} B an article  {stat.count:9,} blocks  {frame.filename}:{frame.lineno}")
    profiles.close()


if __name__ == "__main__":
    main()
