"""The public API: every name in `newsfold.__all__` resolves, and the whole fold runs from Python."""

from __future__ import annotations

import subprocess
import sys
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


def test_stage_functions_are_functions_whichever_module_is_imported_first() -> None:
    # A fresh interpreter that imports the submodules before (and after) the package's names are used.
    code = (
        "import newsfold.read, newsfold.clean, newsfold\n"
        "assert newsfold.read.__module__ == 'newsfold.read' and callable(newsfold.read)\n"
        "assert newsfold.clean.__module__ == 'newsfold.clean' and callable(newsfold.clean)\n"
        "from newsfold import clean, read\n"
        "import newsfold.engine.local\n"
        "assert callable(newsfold.read) and callable(newsfold.clean) and callable(read) and callable(clean)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_every_batch_call_returns_its_problems_in_its_result(seeds_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "table.csv"
    bad.write_text("a,b\n", encoding="utf-8")
    read = newsfold.read_many([seeds_dir, bad])
    cleaned = newsfold.clean_pages(read.pages)
    folded = newsfold.fold([seeds_dir, bad])
    ingested = newsfold.ingest([seeds_dir, bad], tmp_path / "db")
    for result in (read, folded, ingested):
        assert [p.path for p in result.problems] == [str(bad)]
    assert cleaned.problems == [] and [a.id for a in cleaned.articles] == [p.id for p in read.pages]
