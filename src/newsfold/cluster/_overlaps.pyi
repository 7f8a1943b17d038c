# Type stub of the compiled kernels in _overlaps.pyx (see there for what they do).
import numpy as np

def pair_overlaps(
    data: np.ndarray, offsets: np.ndarray, i: np.ndarray, j: np.ndarray, heaviest: int
) -> tuple[np.ndarray, np.ndarray] | None: ...
def sparse_row_dots(
    indptr: np.ndarray, columns: np.ndarray, weights: np.ndarray, i: np.ndarray, j: np.ndarray
) -> np.ndarray: ...
def top_candidates(
    postings: list[list[int]], scanned: int, k: int, position_bits: int
) -> list[int] | None: ...
