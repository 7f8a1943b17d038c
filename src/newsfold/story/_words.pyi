# Type stub of the compiled kernel in _words.pyx (see there for what it does).
from collections.abc import Callable

def analyse(
    texts: list[str], stop_words: frozenset[str], stem_words: Callable[[list[str]], list[str]]
) -> list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], frozenset[str], tuple[int, ...]]]: ...
