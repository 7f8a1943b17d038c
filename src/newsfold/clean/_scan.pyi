# Type stub of the compiled kernels in _scan.pyx (see there for what each does).
from typing import Any

import numpy as np

def scan_lines(
    lines: list[str],
    line_page: np.ndarray,
    flags: np.ndarray,
    word_lower: np.ndarray,
    powers: np.ndarray,
    keys: np.ndarray,
    bits: np.ndarray,
) -> tuple[Any, ...]: ...
def content_fit_counts(
    line: np.ndarray, ids: np.ndarray, n_ids: int, core: np.ndarray, n_lines: int
) -> np.ndarray: ...
