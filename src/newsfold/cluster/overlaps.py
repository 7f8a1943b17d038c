"""Global pair features read straight from packed profiles, without making a `Profile` or a `PairTable`.

The clustering scores each new article's candidates with the edge model (`StoryIndex._place`), and at
100,000 pages of bench/out/scale-100k-max100 an edge chunk of 2,000 articles reads ~8,000 candidate
profiles: unpacking them into dicts and building the sparse table cost more than half of the clustering,
and grew with the corpus (the candidates scatter, so fewer were unpacked already). The compiled kernel
(`_overlaps.pyx`) reads the packed records (`PackedProfiles.record`) and gives `global_features`'
numbers bit for bit; where it is not built, or a record's keys hold the packing's separator, the caller
takes the plain path (`features.global_features` over a `PairTable`), which is the spec
(tests/cluster/test_overlaps.py compares both).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from newsfold._native import compiled_kernel
from newsfold.cluster.features import GLOBAL_FEATURES, _columns_array, _columns_of, _written
from newsfold.cluster.profile import HEAVIEST

__all__ = ["packed_cosines", "packed_global_features"]

_compiled_pair_overlaps = compiled_kernel("newsfold.cluster._overlaps", "pair_overlaps")


class _RowCounts(NamedTuple):
    """What `features._columns_of` reads of each row besides the pairs' overlaps (a `PairTable`'s)."""

    n_years: np.ndarray
    n_days: np.ndarray
    n_numbers: np.ndarray
    main_year: np.ndarray
    latest_year: np.ndarray


def _overlaps(records: Sequence[bytes], i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The kernel's (pair overlaps, row counts) of the pairs (i[k], j[k]) of `records`, or None."""
    if _compiled_pair_overlaps is None:
        return None
    offsets = np.zeros(len(records) + 1, dtype=np.int64)
    np.cumsum([len(record) for record in records], out=offsets[1:])
    data = np.frombuffer(b"".join(records), dtype=np.uint8)
    if not len(data):
        data = np.zeros(1, dtype=np.uint8)
    i, j = np.ascontiguousarray(i, dtype=np.int64), np.ascontiguousarray(j, dtype=np.int64)
    found = _compiled_pair_overlaps(data, offsets, i, j, HEAVIEST)
    return None if found is None else (found[0], found[1])


def packed_global_features(records: Sequence[bytes], i: np.ndarray, j: np.ndarray) -> np.ndarray | None:
    """GLOBAL_FEATURES of the pairs (i[k], j[k]) of `records` (`PackedProfiles.record`s): the numbers
    `global_features(PairTable(profiles), i, j)` gives for the unpacked profiles; None where the compiled
    kernel is not built or a record needs unpacking (then the caller builds the table)."""
    if not len(i):
        return np.zeros((0, len(GLOBAL_FEATURES)))
    found = _overlaps(records, i, j)
    if found is None:
        return None
    pairs, rows = found
    counts = _RowCounts(rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 5], rows[:, 6])
    n_heaviest_terms, n_heaviest_names = rows[:, 3], rows[:, 4]

    def covered(a: np.ndarray, b: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        share_a = a / np.maximum(1, sizes[i])  # as `global_features` divides its summed presences
        share_b = b / np.maximum(1, sizes[j])
        return np.minimum(share_a, share_b), np.maximum(share_a, share_b)

    columns = _columns_of(
        counts,  # type: ignore[arg-type]  # the row counts `_columns_of` reads of a PairTable
        i,
        j,
        pairs[:, 0],
        pairs[:, 1],
        pairs[:, 2],
        pairs[:, 3],
        pairs[:, 4],
        covered(pairs[:, 5], pairs[:, 6], n_heaviest_names),
        covered(pairs[:, 7], pairs[:, 8], n_heaviest_terms),
    )
    return _written(_columns_array(len(i), len(GLOBAL_FEATURES)), columns)


def packed_cosines(
    records: Sequence[bytes], i: np.ndarray, j: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """(words dots, names dots) of the pairs (i[k], j[k]) of `records`, each summed in the keys' sorted
    order (as `terms_cosine` and `names_cosine` add them); None where the kernel is not built or a
    record needs unpacking."""
    if not len(i):
        return np.zeros(0), np.zeros(0)
    found = _overlaps(records, i, j)
    return None if found is None else (found[0][:, 0], found[0][:, 1])
