"""crash safety: `newsfold ingest` killed with SIGKILL at 20 random moments and rerun loses nothing.

The loop and the checks live in bench/bench_kill_ingest.py (which does 200 kills on a larger feed).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_kill_ingest.py"


def _harness():
    spec = importlib.util.spec_from_file_location("bench_kill_ingest", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_ingest_killed_20_times_and_rerun_stores_each_page_once_and_the_batch_stories(tmp_path: Path) -> None:
    harness = _harness()
    feed, db = tmp_path / "feed.jsonl", tmp_path / "news.db"
    pages = 300
    harness.write_feed(feed, pages)
    # Kill moments uniform over 3 CPU seconds of a run: ~1.3 s start-up (imports), then ~0.3 s per batch
    # of 10 pages; 300 pages are ~10 s of work, so most kills land before the ingest is whole.
    run = harness.kill_loop(feed, db, 20, random.Random(15), batch=10, window=3.0)
    assert run.last_status == 0, run.last_stderr
    assert len(run.killed_at) >= 12  # the kills landed inside runs, not after them
    assert any(0 < n < pages for n in run.stored_after)  # some landed mid-ingest, after commits
    assert harness.check_store(db, feed) == []
