"""The two whole-pipeline calls of the public API: `fold` (batch) and `ingest` (into a store)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newsfold.models import FoldResult
from newsfold.settings import Settings
from newsfold.store import IngestReport

__all__ = ["fold", "ingest"]


def fold(paths: str | Path | Iterable[str | Path], *, settings: Settings = Settings()) -> FoldResult:
    """Read, clean and fold files or folders into stories; rejected inputs are in `result.problems`.

    >>> result = fold("../shared/corpus/seeds")             # doctest: +SKIP
    >>> [len(s.origins) for s in result.stories]
    [3]
    """
    from newsfold.engine.local import fold_paths

    return fold_paths(_paths(paths), settings=settings)


def ingest(
    paths: str | Path | Iterable[str | Path],
    db: str | Path = "newsfold.db",
    *,
    settings: Settings = Settings(),
) -> IngestReport:
    """Add files or folders to the store at `db`; each new article joins its story or starts one."""
    from newsfold.engine.incremental import ingest_paths

    return ingest_paths(db, _paths(paths), settings=settings)


def _paths(paths: str | Path | Iterable[str | Path]) -> list[str | Path]:
    return [paths] if isinstance(paths, str | Path) else list(paths)
