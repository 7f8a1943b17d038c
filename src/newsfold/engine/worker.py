"""How a worker process of the local engine starts: it ends with the process that made its pool.

Its own small module because a pool's initializer is pickled by reference: a worker imports the module
that defines it. Defined in `engine/local.py`, every worker imported the cleaner, the reader and the
exporter with it (trafilatura and its dependencies: ~0.25 s of CPU a worker, four workers a fold); this
module imports nothing of newsfold, and the stage modules a worker runs are preloaded by the fork server.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time

__all__ = ["exit_with_parent"]


def exit_with_parent(main: int) -> None:
    """Pool initializer: this worker ends as soon as this process (`main`) does, even when it is killed
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
