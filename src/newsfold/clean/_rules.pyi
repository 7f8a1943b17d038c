# Type stub of the compiled kernels in _rules.pyx (see there for what each does).
import numpy as np

def needle_hits(
    lines: list[str],
    subset: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    needle_chars: np.ndarray,
    needle_at: np.ndarray,
    by_first: np.ndarray,
    first_at: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]: ...
