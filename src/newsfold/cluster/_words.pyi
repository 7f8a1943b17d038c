# Type stub of the compiled kernel in _words.pyx (see there for what it does).
from collections.abc import Callable, Sequence
from typing import Any

def term_weights(
    parts: Sequence[str | list[str]],
    boosts: Sequence[float],
    known: dict[str, tuple[str, float] | None],
    term_of: Callable[[str], tuple[str, float] | None],
    unseen: Any,
) -> tuple[dict[str, float], int]: ...
def name_weights(
    name_lists: Sequence[Sequence[str]], known: dict[str, float], name_weight: Callable[[str], float]
) -> dict[str, float]: ...
def normalised(weights: dict[str, float]) -> dict[str, float] | None: ...
