"""How a worker process of the local engine starts: it ends with the process that made its pool, and its
garbage collector is set for a batch run (`batch_collector`, which the CLI's fold also runs in).

Its own small module because a pool's initializer is pickled by reference: a worker imports the module
that defines it. Defined in `engine/local.py`, every worker imported the cleaner, the reader and the
exporter with it (trafilatura and its dependencies: ~0.25 s of CPU a worker, four workers a fold); this
module imports nothing of newsfold, and the stage modules a worker runs are preloaded by the fork server.
"""

from __future__ import annotations

import gc
import importlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = ["YOUNG_COLLECTION", "StageCall", "batch_collector", "exit_with_parent", "start_worker"]

# A young collection every 10,000 new container objects, not Python's 700: a fold makes millions of objects
# that live until their stage ends (articles, sentences, profiles) and almost no reference cycles, so most
# collections free nothing. The collector's CPU in a one-worker fold of fold-corpus-2400 (gc.callbacks,
# bench/fold/stage_cpu.py's run): 0.95 s with Python's settings, 0.63-0.69 s with what the imports made
# frozen, 0.27-0.28 s frozen and at 10,000 (0.19 s at 50,000: not taken, the gain is made).
YOUNG_COLLECTION = 10_000


def _set_collector() -> tuple[int, int, int]:
    """Freeze what exists (gc.freeze: the imported modules, which live as long as the process) and collect
    the young generation every `YOUNG_COLLECTION` objects; the thresholds before."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, *threshold[1:])
    return threshold


@contextmanager
def batch_collector() -> Iterator[None]:
    """For the length of a batch run (a fold), the collector leaves alone what existed at its start and runs
    less often (`_set_collector`); Python's settings and the frozen objects are given back after."""
    threshold = _set_collector()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@dataclass(frozen=True)
class StageCall:
    """A stage function named by its module and name, imported where it is called: a task that names
    `StageCall("newsfold.story", "write_story")` is pickled without the process that hands it out
    importing the story writer (a fold whose stories its workers write: ~0.05 s of CPU, its modules and
    PyStemmer); the worker finds the module its fork server preloaded."""

    module: str
    name: str

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.name)(*args)


def start_worker(main: int) -> None:
    """Pool initializer: `exit_with_parent(main)`, the collector set as in `batch_collector` for the
    worker's life (what it was forked with, the stage modules the fork server imported, frozen)."""
    _set_collector()
    exit_with_parent(main)


def exit_with_parent(main: int) -> None:
    """This worker ends as soon as this process (`main`) does, even when it is killed
    (kill -9, tests/test_crash.py), so no worker is left writing a story for no one: a thread waits on
    `main`'s pidfd (Linux; elsewhere it polls). The fork server, the worker's parent, ends once its
    workers have; PR_SET_PDEATHSIG kills the worker should the fork server die first."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if not _running(main):  # it died before the watch below starts
        os._exit(1)
    threading.Thread(target=_exit_when_gone, args=(main,), daemon=True).start()


def _exit_when_gone(main: int) -> None:
    try:
        watched = os.pidfd_open(main)
    except (AttributeError, OSError):  # no pidfd (not Linux 5.3+): look twice a second
        while _running(main):
            time.sleep(0.5)
    else:
        select.select([watched], [], [])  # readable once the process has ended
    os._exit(1)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process took the number: ours is gone
        return False
    return True
