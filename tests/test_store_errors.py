"""store errors: every command on a missing, damaged, foreign, locked, read-only or newer store prints one
line naming the file and what to do, and exits 2; search takes any text."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.errors import StoreError
from newsfold.models import Article, Page
from newsfold.store import Store

runner = CliRunner()
PAGE_TEXT = "The harbour bridge closes on Monday for two years of repairs, the city council said. " * 20


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "good.db"
    pages = [Page(id=f"p{n}", kind="text", content=f"{n} {PAGE_TEXT}") for n in range(300)]
    articles = [Article(f"p{n}", f"Bridge {n}", (f"{n} {PAGE_TEXT}",)) for n in range(300)]
    with Store(path) as store:
        store.write(pages, articles, {}, [], [], {})
    return path


def _junk(path: Path, good: Path) -> None:
    path.write_bytes(b"this is not an SQLite file at all\n" * 200)


def _damaged(path: Path, good: Path) -> None:
    """A real store whose pages after the header were overwritten (a bad disk, a copy cut short)."""
    data = bytearray(good.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))


def _truncated(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 3])


def _foreign(path: Path, good: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    db.commit()
    db.close()


def _newer(path: Path, good: Path) -> None:
    shutil.copy(good, path)
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()


def _empty(path: Path, good: Path) -> None:
    path.write_bytes(b"")


def _folder(path: Path, good: Path) -> None:
    path.mkdir()


BAD_STORES: dict[str, Callable[[Path, Path], None]] = {
    "junk": _junk,
    "damaged": _damaged,
    "truncated": _truncated,
    "foreign": _foreign,
    "newer": _newer,
    "folder": _folder,
}
READERS = {
    "stories": ["stories"],
    "stories --json": ["stories", "--json"],
    "search": ["search", "bridge"],
    "serve": ["serve", "--port", "1"],  # refused before it listens: the port is never opened
    "export": ["export", "--atom", "/nonexistent-folder/feed.xml"],  # refused before it writes
}


def _one_line_exit_2(args: list[str], path: Path, *, needle: str = "") -> str:
    result = runner.invoke(app, [*args, "--db", str(path)])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in result.output, lines
    assert needle.lower() in lines[0].lower(), lines[0]
    return lines[0]


@pytest.mark.parametrize("state", sorted(BAD_STORES))
@pytest.mark.parametrize("command", sorted(READERS))
def test_readers_on_a_bad_store_print_one_line_and_exit_2(
    tmp_path: Path, good_store: Path, state: str, command: str
) -> None:
    path = tmp_path / "bad.db"
    BAD_STORES[state](path, good_store)
    before = path.read_bytes() if path.is_file() else None
    _one_line_exit_2(READERS[command], path)
    assert (path.read_bytes() if path.is_file() else None) == before  # a reader changed nothing


@pytest.mark.parametrize("state", sorted(set(BAD_STORES) - {"truncated"}))
def test_ingest_into_a_bad_store_prints_one_line_and_exit_2(
    tmp_path: Path, good_store: Path, seeds_dir: Path, state: str
) -> None:
    path = tmp_path / "bad.db"
    BAD_STORES[state](path, good_store)
    before = path.read_bytes() if path.is_file() else None
    _one_line_exit_2(["ingest", str(seeds_dir), "--quiet"], path)
    assert (path.read_bytes() if path.is_file() else None) == before


def test_ingest_into_a_truncated_store_prints_one_line_and_exit_2(
    tmp_path: Path, good_store: Path, seeds_dir: Path
) -> None:
    path = tmp_path / "bad.db"
    _truncated(path, good_store)
    _one_line_exit_2(["ingest", str(seeds_dir), "--quiet"], path)


@pytest.mark.parametrize("command", sorted(READERS))
def test_readers_on_a_missing_store_say_how_to_make_one(tmp_path: Path, command: str) -> None:
    path = tmp_path / "none.db"
    _one_line_exit_2(READERS[command], path, needle="newsfold ingest")
    assert not path.exists()


@pytest.mark.parametrize("command", sorted(READERS))
def test_readers_on_an_empty_file_say_it_is_no_store(tmp_path: Path, command: str) -> None:
    path = tmp_path / "empty.db"
    _empty(path, path)
    _one_line_exit_2(READERS[command], path, needle="not a newsfold store")
    assert path.read_bytes() == b""


def test_a_newer_store_says_to_upgrade_newsfold(tmp_path: Path, good_store: Path) -> None:
    path = tmp_path / "new.db"
    _newer(path, good_store)
    _one_line_exit_2(["stories"], path, needle="upgrade newsfold")


def test_ingest_into_a_missing_folder_is_one_line(tmp_path: Path, seeds_dir: Path) -> None:
    _one_line_exit_2(["ingest", str(seeds_dir), "--quiet"], tmp_path / "no" / "such" / "x.db")


def test_ingest_into_a_locked_store_waits_then_says_another_newsfold_writes(
    tmp_path: Path, good_store: Path, seeds_dir: Path
) -> None:
    path = tmp_path / "busy.db"
    shutil.copy(good_store, path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer mid-transaction
    try:
        _one_line_exit_2(["ingest", str(seeds_dir), "--quiet", "--wait", "0.2"], path, needle="try again")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert runner.invoke(app, ["stories", "--db", str(path)]).exit_code == 0


def test_readers_of_a_store_being_written_are_not_blocked(tmp_path: Path, good_store: Path) -> None:
    path = tmp_path / "busy.db"
    shutil.copy(good_store, path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM articles_fts")  # uncommitted: readers still see every article
    try:
        result = runner.invoke(app, ["search", "bridge", "--db", str(path)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 0 and "p1" in result.stdout


def test_a_write_to_a_read_only_store_is_one_line(tmp_path: Path, good_store: Path) -> None:
    path = tmp_path / "ro.db"
    shutil.copy(good_store, path)
    store = Store(path)
    store._db.close()
    store._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # as a file the user may not write
    with pytest.raises(StoreError, match="read-only") as caught:
        store.write([Page(id="new", kind="text", content="x")], [], {}, [], [], {})
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    store.close()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_search_takes_any_text(good_store: Path, query: str) -> None:
    with Store(good_store, create=False) as store:
        hits = store.search(query)
    assert all(hit[0].startswith("p") for hit in hits)


@pytest.mark.parametrize(
    "query", ['"', "AND(", "*", "NEAR", "NEAR(a b)", '"""', "OR", "bridge OR", "a\x00b", "^-:"]
)
def test_search_of_fts5_syntax_finds_words_or_nothing_and_never_fails(good_store: Path, query: str) -> None:
    result = runner.invoke(app, ["search", query, "--db", str(good_store)])
    assert result.exit_code == 0, result.output


def test_search_quotes_but_keeps_each_word(good_store: Path) -> None:
    with Store(good_store, create=False) as store:
        assert len(store.search('"bridge', limit=5)) == 5
        assert store.search("bridge NEAR(") == []  # every word must occur; "near" does not
        assert store.search("'; DROP TABLE articles; --") == []
        assert len(store.search("bridge", limit=1000)) == 300
