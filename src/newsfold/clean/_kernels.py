"""The cleaner's compiled kernels, imported in one place; each is None where it is not built.

Kept: the four whose blocking (`bench/bench_kernel_block.py`, 2026-12-06, shared 2-core machine, runs
vary by +-2x) put clean_pages nearest the speed bar (text dumps at least 10x jusText's pages/s in the same
run, `bench/bench_text_dumps.py`; 11.2-14.8x with all four): `_rules` 9.9x (its `needle_hits` alone
8.3x), `_scan` 9.6x, `_textscan` 9.7-10.5x, `_segments` 8.2-12.0x (unclear: measure it again). Deleted:
`_labels` (21.0x blocked) and `newsfold._records` (10.9-12.2x blocked). Without a kernel the plain
Python/numpy version next to each call runs: the same results, slower (the tests compare both).
"""

from __future__ import annotations

from types import ModuleType


def _optional(name: str) -> ModuleType | None:
    """The compiled module `newsfold.clean.<name>`, or None where it is not built (or blocked)."""
    import importlib

    try:
        return importlib.import_module(f"newsfold.clean.{name}")
    except ImportError:  # pragma: no cover - depends on the build
        return None


rules = _optional("_rules")  # needle scan, date matcher, per-page rule loops (`_rules.pyx`)
scan = _optional("_scan")  # the per-line feature scan (`_scan.pyx`)
segments = _optional("_segments")  # window means and runs over each page's lines (`_segments.pyx`)
textscan = _optional("_textscan")  # the metadata readers' character scans (`_textscan.pyx`)
