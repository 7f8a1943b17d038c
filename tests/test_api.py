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


def test_stage_functions_stay_functions_after_a_fold(seeds_dir: Path) -> None:
    # A fold imports the submodules newsfold.read and newsfold.clean; the package's names must still be
    # the functions of the same names.
    newsfold.fold(seeds_dir)
    pages = newsfold.read(seeds_dir)
    assert callable(newsfold.clean) and newsfold.clean(pages[0]).id == pages[0].id
