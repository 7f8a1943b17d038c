# Type stub of the compiled kernel in _linkage.pyx (see there for what it does).
import numpy as np

def merges(
    mean: np.ndarray, sums: np.ndarray, sizes: np.ndarray, threshold: float
) -> list[tuple[int, int]]: ...
