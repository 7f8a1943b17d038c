"""store: SQLite round trips, idempotent ingest, atomic writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsfold.errors import StoreError
from newsfold.models import Article, Page, RemovedLine
from newsfold.store import Store, article_from_dict


def _page(i: int, text: str = "Body text.") -> Page:
    return Page(id=f"p{i}.txt", kind="text", content=text, source_path=f"/x/p{i}.txt")


def test_article_round_trips_through_its_stored_json(tmp_path: Path) -> None:
    article = Article(
        id="p1.txt",
        title="T",
        paragraphs=("One.",),
        body_lines=(2,),
        removed=(RemovedLine(1, "Menu", "navigation"),),
    )
    with Store(tmp_path / "db") as store:
        store.write([_page(1)], [article], {"p1.txt": "s-1"}, [], [], {})
        assert store.article("p1.txt") == article
        assert store.articles() == [article]


def test_pages_already_stored_are_unchanged_and_conflicts_are_problems(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        store.write([_page(1)], [Article("p1.txt", None, ("Body text.",))], {}, [], [], {})
        new, unchanged, problems = store.new_pages([_page(1), _page(1, "Other text."), _page(2)])
    assert [p.id for p in new] == ["p2.txt"] and unchanged == ["p1.txt"]
    assert len(problems) == 1 and "already stored with other content" in problems[0].reason


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        store.write([_page(1)], [Article("p1.txt", None, ("Body.",))], {}, [], [], {})
        with pytest.raises(StoreError, match="nothing was changed"):
            # p1 again violates the primary key halfway through the transaction
            store.write([_page(2), _page(1)], [], {}, [], [], {})
        assert store.article_ids() == ["p1.txt"]


def test_search_quotes_user_text(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        store.write(
            [_page(1)], [Article("p1.txt", "Quake", ("A quake hit Chile AND Peru.",))], {}, [], [], {}
        )
        assert [hit[0] for hit in store.search("chile AND")] == ["p1.txt"]  # AND is a word here
        assert store.search('"OR NEAR(') == []


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(path)


def test_article_from_dict_ignores_unknown_keys() -> None:
    assert article_from_dict({"id": "a", "title": None, "paragraphs": ["x"], "future": 1}).paragraphs == (
        "x",
    )


def test_store_file_is_plain_sqlite(tmp_path: Path) -> None:
    Store(tmp_path / "db").close()
    tables = {r[0] for r in sqlite3.connect(tmp_path / "db").execute("SELECT name FROM sqlite_master")}
    assert {"pages", "articles", "articles_fts", "stories", "story_members"} <= tables
