"""crash safety: `newsfold ingest` killed with SIGKILL at 20 random moments and rerun loses nothing.

The loop and the checks live in bench/bench_kill_ingest.py (which does 200 kills in rounds).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_ingest_killed_20_times_and_rerun_stores_each_page_once_and_the_batch_stories(
    tmp_path: Path, kill_harness
) -> None:
    feed, db = tmp_path / "feed.jsonl", tmp_path / "news.db"
    pages = 1000
    kill_harness.write_feed(feed, pages)
    # Kill moments uniform over 3 CPU seconds of a run: start-up, then a commit per batch of 10 pages;
    # each killed run stores some batches, so the feed is long enough (1,000 pages) that the store is not
    # whole before the 20th kill (with 300, a faster ingest had stored everything after 11 kills; with
    # 600, a faster story writer after 9).
    run = kill_harness.kill_loop(feed, db, 20, random.Random(15), batch=10, window=3.0)
    assert run.last_status == 0, run.last_stderr
    assert len(run.killed_at) >= 12  # the kills landed inside runs, not after them
    assert any(0 < n < pages for n in run.stored_after)  # some landed mid-ingest, after commits
    assert kill_harness.check_store(db, feed) == []
    assert _left_running(feed) == []  # no worker process outlives its killed ingest


def _left_running(feed: Path) -> list[int]:
    """Processes still running whose command line names the feed (an ingest or one of its workers)."""
    deadline = time.monotonic() + 10
    while True:
        alive = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and str(feed).encode() in (proc / "cmdline").read_bytes():
                    alive.append(int(proc.name))
            except OSError:
                continue
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)
