"""Worker processes: started clean (not forked from the fold) and gone as soon as the fold is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# A process that starts the engine's pool, prints its workers' ids, then waits (as a fold writing
# stories does) while its workers are busy.
_SCRIPT = """
import os, sys, time
from newsfold.engine.local import _pool

if __name__ == "__main__":
    with _pool(2) as pool:
        workers = {pool.submit(os.getpid).result() for _ in range(8)}
        busy = [pool.submit(time.sleep, 120) for _ in range(2)]
        print(" ".join(map(str, sorted(workers))), flush=True)
        time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_killing_the_fold_ends_its_workers(tmp_path: Path) -> None:
    script = tmp_path / "fold_like.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env) as fold:
        assert fold.stdout is not None
        workers = [int(pid) for pid in fold.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
        fold.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


def test_workers_are_not_forked_from_the_fold() -> None:
    # Forked from the fold, a worker would hold (and count) the fold's corpus-wide state again.
    from newsfold.engine.local import _pool

    with _pool(1) as pool:
        assert pool.submit(os.getppid).result() != os.getpid()


def _collector() -> tuple[int, int]:
    import gc

    return gc.get_threshold()[0], gc.get_freeze_count()


def test_a_worker_collects_garbage_as_a_batch_run_does() -> None:
    from newsfold.engine.local import _pool
    from newsfold.engine.worker import YOUNG_COLLECTION

    with _pool(1) as pool:
        young, frozen = pool.submit(_collector).result()
    assert young == YOUNG_COLLECTION != 700 and frozen > 0  # what the fork server imported is frozen


def test_the_batch_collector_gives_the_collector_back() -> None:
    import gc

    from newsfold.engine.worker import YOUNG_COLLECTION, batch_collector

    before = gc.get_threshold(), gc.get_freeze_count()
    with batch_collector():
        assert gc.get_threshold()[0] == YOUNG_COLLECTION and gc.get_freeze_count() > before[1]
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


# A fold of the folder argv[1] with argv[2] workers (a pool for any number of stories), then how many
# stories it wrote and whether this process imported the story writer.
_WRITER_LOADED = """
import sys

if __name__ == "__main__":
    from dataclasses import replace

    from newsfold.engine.local import fold_paths
    from newsfold.settings import Settings

    engine = replace(Settings().engine, workers=int(sys.argv[2]), min_stories_for_pool=1)
    result = fold_paths([sys.argv[1]], settings=replace(Settings(), engine=engine))
    print(len(result.stories), "newsfold.story" in sys.modules)
"""


def _writer_loaded(tmp_path: Path, corpus: Path, workers: int) -> tuple[int, bool]:
    script = tmp_path / "fold_writer_loaded.py"
    script.write_text(_WRITER_LOADED, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run(
        [sys.executable, str(script), str(corpus), str(workers)], env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    stories, loaded = done.stdout.split()
    return int(stories), loaded == "True"


def test_a_fold_whose_workers_write_the_stories_does_not_import_the_writer(
    tmp_path: Path, corpus: Path
) -> None:
    stories, loaded = _writer_loaded(tmp_path, corpus, 2)
    assert stories > 1 and not loaded
    assert _writer_loaded(tmp_path, corpus, 1) == (stories, True)  # written in this process: imported
