# Type stub of the compiled kernel in _trees.pyx (see there for what it does).
import numpy as np

def tree_sums(
    x: np.ndarray,
    roots: np.ndarray,
    depth: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    left: np.ndarray,
    inner: np.ndarray,
    scaled_value: np.ndarray,
    start: float,
) -> np.ndarray: ...
