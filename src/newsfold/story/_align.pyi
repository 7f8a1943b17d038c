# Type stub of the compiled kernels in _align.pyx (see there for what it does).
import numpy as np

def neighbour_support(
    rows: np.ndarray,
    cols: np.ndarray,
    pair_starts: np.ndarray,
    pair_cols: np.ndarray,
    base: np.ndarray,
    link_starts: np.ndarray,
    links: np.ndarray,
) -> np.ndarray: ...
def statement_pairs(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, width: int, low: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
