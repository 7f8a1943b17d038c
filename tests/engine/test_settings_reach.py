"""A user's Settings reach the cleaner: the read bounds and the line classifier's bars."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from newsfold.engine.local import clean_all
from newsfold.read import read_many
from newsfold.settings import CleanSettings, LineSettings, ReadSettings, Settings


def test_the_read_bounds_reach_the_cleaner(seeds_dir: Path) -> None:
    pages = read_many([seeds_dir]).pages
    default = clean_all(pages).articles
    assert max(len(p) for a in default for p in a.paragraphs) > 40
    bounded = clean_all(pages, settings=replace(Settings(), read=ReadSettings(max_line_chars=40))).articles
    assert max(len(p) for a in bounded for p in a.paragraphs) <= 40


def test_the_line_settings_reach_the_classifier(seeds_dir: Path) -> None:
    # Without read-more links (no line is that short), the lines they drop stay in the body.
    pages = read_many([seeds_dir]).pages
    default = clean_all(pages).articles
    lines = LineSettings(read_more_words=0)
    changed = clean_all(pages, settings=replace(Settings(), clean=CleanSettings(lines=lines))).articles
    assert sum(len(a.paragraphs) for a in changed) > sum(len(a.paragraphs) for a in default)


def test_problems_and_results_come_in_one_dataclass(seeds_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "table.csv").write_text("a,b\n", encoding="utf-8")
    read = read_many([seeds_dir, tmp_path / "table.csv"])
    cleaned = clean_all(read.pages)
    assert [p.path for p in read.problems] == [str(tmp_path / "table.csv")]
    assert len(cleaned.articles) == len(read.pages) and cleaned.problems == []
