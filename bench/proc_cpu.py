"""Readings from Linux /proc for the benchmarks: CPU seconds of live processes they started, and this
process's resident memory and its peak (which `peak_mb_then_reset` sets back to the current size)."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (field 3 on); None once the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process has used so far; 0 once it is gone."""
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and all its descendants so far: each live one's own user + system time
    plus that of its children it has waited for (utime, stime, cutime, cstime), so a worker forked by a
    fork server (a grandchild, never waited for by `pid`: not in its RUSAGE_CHILDREN) counts whether it
    is still running or already reaped by the server. A descendant that ended unwaited by a live process
    is lost: measure once the work is done but before its processes' parents end."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    own = sum(int(fields[k]) for k in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")
    children: list[str] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):  # a child's parent is the thread that started it
        try:
            children += (task / "children").read_text().split()
        except OSError:
            continue
    return own + sum(tree_cpu_seconds(int(child)) for child in children)


def status_kb(field: str) -> int:
    """A field of this process's /proc/self/status in kB (VmRSS, VmHWM...); 0 when absent."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def peak_mb_then_reset() -> float:
    """This process's peak resident memory since the last reset (MB, one decimal), then reset (Linux:
    writing 5 to clear_refs sets VmHWM back to the current VmRSS)."""
    peak = round(status_kb("VmHWM") / 1024, 1)
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")
    return peak
