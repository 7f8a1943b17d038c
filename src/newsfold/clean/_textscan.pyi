# Type stub of the compiled kernels in _textscan.pyx (see there for what each does).
import numpy as np

def year_starts(text: str) -> list[int]: ...
def agency_flags(
    lines: list[str],
    code: np.ndarray,
    words: np.ndarray,
    last2: np.ndarray,
    unsure: int,
    max_letters: int,
    names: int,
    check: int,
) -> np.ndarray: ...
def language_counts(
    texts: list[str],
    code: np.ndarray,
    script: np.ndarray,
    stop_codes: np.ndarray,
    stop_langs: np.ndarray,
    first2: np.ndarray,
    first_marked: int,
    n_scripts: int,
    n_langs: int,
    max_letters: int,
    bits: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]: ...
