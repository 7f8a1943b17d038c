"""What the fold process holds per page, stage by stage: does memory grow with the corpus, and by what?

    python bench/scale/memory.py CORPUS [--workers 2] [--until write|end] [--hold-articles N]

Folds the corpus (a bench/scale corpus folder, or any folder of pages) in this process (one corpus a
process: the peak is the process's) with
`fold_paths(..., out=TMP, keep=False)`, as `newsfold fold --out` does, and records this process's resident
memory (VmRSS) when each stage reports progress for the first time, the peak (VmHWM) of the stage before
it (the peak is reset at each stage: `echo 5 > /proc/self/clear_refs`), and the whole run's peak. By
the first story written, everything the fold keeps of the whole corpus is built (ids, origin groups,
clustering profiles, story members); what follows adds one story's articles a task. `--until write`
stops there (writing is ~80% of a fold's time, and its memory is that of the largest story, not of the
corpus). Also printed: the deep size of the clustering profiles per article (`profiles_of` on the first
2,000 articles) as Python objects, and packed as the fold holds them (`cluster.packed.PackedProfiles`:
bytes of the records and offsets, the vocabulary apart).

With `--until end`: the RSS when a quarter, half, three quarters and all of the stories are written
(does the fold process grow per story written?) and the five largest stories' article counts.
`--hold-articles 0` spills every article, as a fold past `EngineSettings.hold_articles` (10,000) does.

One JSON line a corpus is appended to bench/out/scale-memory.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))
from proc_cpu import peak_mb_then_reset, status_kb  # noqa: E402


class _Stop(Exception):
    """Raised from the progress callback to end a fold at `--until write`."""


def deep_size(obj: Any, seen: set[int] | None = None) -> int:
    """Bytes of `obj` and everything it refers to (containers, instance dicts and slots), each object once."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    elif isinstance(obj, list | tuple | set | frozenset):
        size += sum(deep_size(x, seen) for x in obj)
    elif hasattr(obj, "__dict__"):
        size += deep_size(vars(obj), seen)
    elif hasattr(obj, "__slots__"):
        size += sum(deep_size(getattr(obj, k), seen) for k in obj.__slots__ if hasattr(obj, k))
    return size


def measure(folder: Path, workers: int, until: str, hold: int | None = None) -> dict[str, Any]:
    from newsfold.cluster.packed import PackedProfiles
    from newsfold.cluster.profile import profiles_of
    from newsfold.engine.local import fold_paths
    from newsfold.read import stream_pages
    from newsfold.settings import EngineSettings, Settings

    engine = replace(EngineSettings(), workers=workers)
    if hold is not None:  # `--hold-articles`: the spilled path of a big corpus on a small one
        engine = replace(engine, hold_articles=hold)
    settings = replace(Settings(), engine=engine)
    rss_mb: dict[str, float] = {"start": round(status_kb("VmRSS") / 1024, 1)}
    peak_mb: dict[str, float] = {}  # the peak of each stage, from its start to the next stage's
    writing_mb: dict[str, float] = {}  # RSS with a quarter, half... of the stories written
    stages = ["start"]
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in rss_mb:
            rss_mb[stage] = round(status_kb("VmRSS") / 1024, 1)
            peak_mb[stages[-1]] = peak_mb_then_reset()
            stages.append(stage)
            seconds = time.perf_counter() - started
            print(
                f"  {seconds:7.1f} s  {stage:<8} RSS {rss_mb[stage]:8.1f} MB"
                f"  (peak of {stages[-2]}: {peak_mb[stages[-2]]:.1f} MB)",
                flush=True,
            )
        if until == "write" and stage == "write":
            raise _Stop
        if stage == "write" and total and done in {total // 4, total // 2, 3 * total // 4, total}:
            # Does the fold process grow with the stories written (outlines, the state, the pool)?
            writing_mb[f"{100 * done // total}%"] = round(status_kb("VmRSS") / 1024, 1)

    pages = folder / "pages" if (folder / "pages").is_dir() else folder
    sizes: list[int] = []
    with tempfile.TemporaryDirectory() as out:
        try:
            result = fold_paths([pages], settings=settings, progress=progress, out=Path(out), keep=False)
            count = result.article_count
            sizes = _story_sizes(Path(out) / "stories.jsonl")
        except _Stop:
            with (Path(out) / "articles.jsonl").open(encoding="utf-8") as handle:
                count = sum(1 for _ in handle)
    peak_mb[stages[-1]] = peak_mb_then_reset()
    sample = _first_articles(stream_pages([pages]).pages, 2000, settings)
    profiles = profiles_of(sample, settings.cluster)
    packed = PackedProfiles(profiles)
    row = {
        "corpus": str(folder),
        "articles": count,
        "workers": workers,
        "until": until,
        "hold_articles": hold,
        "seconds": round(time.perf_counter() - started, 1),
        "rss_mb_at_stage": rss_mb,
        "peak_mb_of_stage": peak_mb,
        "peak_rss_mb": max(peak_mb.values()),
        "rss_mb_writing": writing_mb,
        "largest_stories": sizes[:5],  # articles of the five largest stories written (`--until end`)
        "profile_bytes_per_article": round(deep_size(profiles) / max(1, len(profiles))),
        "packed_profile_bytes_per_article": round(packed.nbytes() / max(1, len(profiles))),
    }
    return row


def _story_sizes(stories: Path) -> list[int]:
    """The stories' article counts, largest first (`fold --out`'s stories.jsonl)."""
    with stories.open(encoding="utf-8") as handle:
        return sorted((len(json.loads(line)["articles"]) for line in handle), reverse=True)


def _first_articles(pages: Iterable[Any], n: int, settings: Any) -> list[Any]:
    import itertools

    from newsfold.engine.local import clean_all

    return clean_all(list(itertools.islice(pages, n)), settings=settings).articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--until", choices=["write", "end"], default="end")
    parser.add_argument(
        "--hold-articles", type=int, help="EngineSettings.hold_articles (0: every article spilled)"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{args.corpus}:", flush=True)
    row = measure(args.corpus, args.workers, args.until, args.hold_articles)
    print(json.dumps(row), flush=True)
    with (OUT / "scale-memory.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
