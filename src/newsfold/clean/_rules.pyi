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
def outside_main_text(
    weight: np.ndarray, body: np.ndarray, firsts: np.ndarray, gap: int, min_share: float
) -> np.ndarray: ...
def comment_sections(
    body: np.ndarray, core: np.ndarray, heads: np.ndarray, firsts: np.ndarray, min_headers: int, max_gap: int
) -> np.ndarray: ...
def off_topic_runs(
    short: np.ndarray,
    core: np.ndarray,
    ended: np.ndarray,
    colon: np.ndarray,
    fits: np.ndarray,
    contents: np.ndarray,
    firsts: np.ndarray,
    min_words: float,
    max_fit: float,
) -> np.ndarray: ...
def language_counts(
    word_line: np.ndarray,
    word_hash: np.ndarray,
    body: np.ndarray,
    keys: np.ndarray,
    bits: np.ndarray,
    firsts: np.ndarray,
    n_langs: int,
) -> tuple[np.ndarray, np.ndarray]: ...
def content_groups(kid: np.ndarray, page: np.ndarray, long: np.ndarray, n_pages: int) -> np.ndarray: ...
def ends_with(lines: list[str], subset: np.ndarray, suffixes: tuple[str, ...]) -> np.ndarray: ...
def date_lines(lines: list[str], subset: np.ndarray) -> np.ndarray: ...
def key_ids(keys: np.ndarray) -> np.ndarray: ...
def distinct_units(
    kid: np.ndarray, firsts: np.ndarray, unit: np.ndarray, scope: np.ndarray
) -> np.ndarray: ...
def strip_lines(lines: list[str]) -> tuple[list[str], bool]: ...
def occurs_elsewhere(lines: list[str], p0: int, p1: int, j: int) -> bool: ...
