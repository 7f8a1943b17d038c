# Type stub of the compiled kernel in _cover.pyx (see there for what it does).
import numpy as np

def branch_and_bound(
    starts: np.ndarray,
    held: np.ndarray,
    lengths: np.ndarray,
    values: np.ndarray,
    weights: np.ndarray,
    budget: float,
    forced: int | None,
    node_limit: int,
    eps: float,
    rounds: int,
) -> list[int] | None: ...
