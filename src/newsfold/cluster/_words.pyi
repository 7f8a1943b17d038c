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
