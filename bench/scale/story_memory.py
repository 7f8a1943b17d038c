"""What writing one story of N articles costs in memory: is anything quadratic in a story's size?

    python bench/scale/story_memory.py CORPUS --sizes 300 1000 2000 5000 [--mix diverse|gold]

Cleans the corpus's pages once (pickled beside the results in bench/out/, reused), then, for each N, in
a fresh process (so each peak is its own): takes N articles (`diverse`: in corpus order, which the scale
corpora scatter over many events; `gold`: whole gold stories, biggest first, as a clustered story of
copies would be), finds their origin groups, and writes them as one story with `write_story`, as a
worker of the fold does. Printed per N: the process's peak RSS over its RSS before writing (VmHWM reset
by /proc/self/clear_refs), the sentences and distinct statements, the statement pairs the alignment
keeps (at or above the story readers' lowest threshold), CPU seconds. A story's working memory should
grow with its articles (and its statements), not with their square.

One JSON line per N is appended to bench/out/story-memory.jsonl.
"""

from __future__ import annotations

import argparse
import inspect
import json
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))
from proc_cpu import peak_mb_then_reset, status_kb  # noqa: E402


def cleaned(corpus: Path) -> Path:
    """The corpus's articles, cleaned once and pickled (bench/out/story-memory-NAME.pkl)."""
    cache = OUT / f"story-memory-{corpus.name}.pkl"
    if cache.exists():
        return cache
    from newsfold.engine.local import clean_all
    from newsfold.read import stream_pages

    pages = corpus / "pages" if (corpus / "pages").is_dir() else corpus
    articles = clean_all(list(stream_pages([pages]).pages)).articles
    OUT.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as handle:
        pickle.dump(articles, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return cache


def chosen(articles: list[Any], n: int, mix: str, corpus: Path) -> list[Any]:
    """N articles: in corpus order (`diverse`), or whole gold stories, biggest first (`gold`)."""
    if mix == "diverse":
        return articles[:n]
    story_of: dict[str, str] = {}
    with (corpus / "gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            story_of[row["id"]] = row["story"]
    by_story: dict[str, list[Any]] = {}
    for a in articles:
        by_story.setdefault(story_of.get(a.id, a.id), []).append(a)
    ordered = sorted(by_story.values(), key=lambda members: -len(members))
    return [a for members in ordered for a in members][:n]


def one(cache: Path, n: int, mix: str, corpus: Path) -> dict[str, Any]:
    """Write one story of `n` articles in this process; its peak memory and sizes."""
    from newsfold.settings import StorySettings
    from newsfold.story import write_story
    from newsfold.story.sentences import align_sentences, paragraph_sentences, story_sentences
    from newsfold.syndication import find_origins

    with cache.open("rb") as handle:
        articles = chosen(pickle.load(handle), n, mix, corpus)
    groups = find_origins(articles)
    before = status_kb("VmRSS") / 1024
    peak_mb_then_reset()
    started = time.process_time()
    story = write_story("s", articles, groups)
    seconds = time.process_time() - started
    peak = peak_mb_then_reset()
    sentences = story_sentences(articles, paragraph_sentences(articles))
    floor = min(StorySettings().aligned_statement, StorySettings().same_statement)
    # The pairs write_story keeps (a checkout before the floor keeps them all: not counted again).
    floored = "floor" in inspect.signature(align_sentences).parameters
    alignment = align_sentences(sentences, floor=floor) if floored else None
    return {
        "corpus": corpus.name,
        "mix": mix,
        "articles": len(articles),
        "origins": len(story.origins),
        "sentences": len(sentences),
        "statements": len({x.text for x in sentences}),
        "statement_pairs_kept": int(alignment.similarity.nnz) if alignment is not None else None,
        "rss_before_mb": round(before, 1),
        "write_peak_over_mb": round(peak - before, 1),
        "write_cpu_s": round(seconds, 2),
        # What the story says grows with it too: a story of many events has many "disagreements".
        "summary_adds_quotes_discrepancies_changes": [
            len(x) for x in (story.summary, story.adds, story.quotes, story.discrepancies, story.changes)
        ],
    }


def _capped(gigabytes: float) -> Any:
    """A preexec_fn capping the child's address space (RLIMIT_AS), as bench/scale/run.py caps a fold's:
    a story past it stops with a MemoryError rather than the machine's OOM killer picking a process."""

    def cap() -> None:
        limit = int(gigabytes * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return cap


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 2000, 5000])
    parser.add_argument("--mix", choices=["diverse", "gold"], default="diverse")
    parser.add_argument("--memory", type=float, default=8.0, help="address-space cap a child, GB")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process's size
    args = parser.parse_args()
    cache = cleaned(args.corpus)
    if args.one is not None:
        print(json.dumps(one(cache, args.one, args.mix, args.corpus)), flush=True)
        return 0
    for n in args.sizes:
        command = [sys.executable, __file__, str(args.corpus), "--mix", args.mix, "--one", str(n)]
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, preexec_fn=_capped(args.memory)
        )
        line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        if done.returncode != 0 or not line:
            print(f"{n}: failed ({done.returncode}) {done.stderr.strip()[-300:]}", flush=True)
            continue
        print(line, flush=True)
        with (OUT / "story-memory.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
