"""Where newsfold's compiled kernels are loaded: one loader for every package's `.pyx` extensions.

The kernels are optional (setup.py builds them where Cython and a C compiler exist); each has a plain
Python/numpy spec beside its caller that runs where the extension is not built and that a property test
compares it with. The cleaner's are behind `clean/_kernels.py`; the story writer's three
(`story/_cover.pyx`, the summary's search; `story/_align.pyx`, the alignment's neighbour support and
statement pairs; `story/_words.pyx`, the story's texts read into words) are loaded by `story/coverage.py`
and `story/sentences.py`; the clustering's (`cluster/_trees.pyx`, the merge model's trees,
`cluster/_overlaps.pyx`, pair overlaps from packed profiles, and `cluster/_linkage.pyx`, the average-link
merges) by `cluster/features.py`, `cluster/overlaps.py`, `cluster/threads.py` and `cluster/index.py`; the
clustering profiles' (`cluster/_words.pyx`) behind
`cluster/_kernels.py`; the entity reader's line pass (`_entities.pyx`) by `entities.py`; the sentence
splitter (`_sentence_split.pyx`) by `sentence_split.py`, and copy detection's sentence keys
(`syndication/_split.pyx`) by `syndication/passages.py`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["compiled_kernel"]


def compiled_kernel(module: str, name: str) -> Callable[..., Any] | None:
    """`module.name` where that extension is built (and importable), else None."""
    try:
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]
    except ImportError:  # pragma: no cover - depends on the build
        return None
