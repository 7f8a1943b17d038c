"""The public API: every name in `newsfold.__all__` resolves, and the whole fold runs from Python."""

from __future__ import annotations

from pathlib import Path

import newsfold


def test_every_public_name_resolves() -> None:
    assert newsfold.__all__ == sorted(newsfold.__all__)
    for name in newsfold.__all__:
        assert getattr(newsfold, name) is not None


def test_fold_from_python(seeds_dir: Path) -> None:
    result = newsfold.fold(seeds_dir)
    assert result.problems == [] and len(result.articles) == 5
    assert sorted(i for s in result.stories for i in s.articles) == sorted(a.id for a in result.articles)
