"""The cleaner's compiled kernels, imported in one place; each is None where it is not built.

Kept: the four that carry the speed bar (cleaning text dumps at least 10x jusText's pages/s in the same
run, `bench/bench_text_dumps.py`); with any one blocked (`bench/bench_kernel_block.py`) clean_pages fell
to 8.1-10.5x jusText on 2026-12-06. Without them the plain Python/numpy versions next to each call run:
the same results, slower (the tests compare both).
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
