# Type stub of the compiled kernel in _align.pyx (see there for what it does).
import numpy as np

def neighbour_support(
    rows: np.ndarray,
    cols: np.ndarray,
    pair_starts: np.ndarray,
    base: np.ndarray,
    link_starts: np.ndarray,
    links: np.ndarray,
) -> np.ndarray: ...
