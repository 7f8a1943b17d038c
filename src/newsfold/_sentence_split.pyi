# Type stub of the compiled kernel in _sentence_split.pyx (see there for what it does).
def sentences(
    lines: list[str],
    months: tuple[str, ...],
    words: tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]],
    longest: int,
) -> tuple[list[str], list[int]]: ...
