# Type stub of the compiled kernels in _scan.pyx (see there for what each does).
import numpy as np

def scan_lines(
    lines: list[str],
    flags: np.ndarray,
    word_lower: np.ndarray,
    powers: np.ndarray,
    keys: np.ndarray,
    bits: np.ndarray,
) -> tuple[np.ndarray, ...]: ...
def round6_into(values: np.ndarray, out: np.ndarray) -> None: ...
def page_word_ids(hashes: np.ndarray, pages: np.ndarray) -> np.ndarray: ...
