# Type stub of the compiled kernels in _concepts.pyx (see there for what they do).
from collections.abc import Mapping
from typing import Any

def printed_texts(
    sentences: list[Any], documents: Mapping[str, str], lead_sentences: int
) -> tuple[dict[str, list[Any]], int]: ...
def holding_at_least(entries: list[list[Any]], min_df: int) -> dict[str, int]: ...
def text_features(
    entries: list[list[Any]], index: dict[str, int], pairs: list[tuple[str, str]]
) -> tuple[list[int], list[int], list[float], list[float], list[int], list[int], set[int]]: ...
