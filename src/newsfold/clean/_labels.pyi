# Type stub of the compiled loops in _labels.pyx (see there for what each does).
from collections.abc import Callable
from typing import Any

def split_labels(labels: list[Any]) -> tuple[list[int], list[int], list[int], list[int]]: ...
def removed_columns(
    lines: list[str],
    labels: list[Any],
    at: list[int],
    kept: set[int] | None,
    default_reason: Callable[[Any], str],
) -> tuple[list[int], list[str], list[str]]: ...
def removed_records(
    cls: type[Any],
    offsets: tuple[int, ...],
    lines: list[str],
    labels: list[Any],
    at: list[int],
    kept: set[int] | None,
    default_reason: Callable[[Any], str],
) -> tuple[Any, ...]: ...
