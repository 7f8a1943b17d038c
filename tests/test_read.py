"""read: every input format becomes Pages; every bad input one problem naming the file, the rest read."""

from __future__ import annotations

import gzip
import importlib
import json
import os
from pathlib import Path

import pytest

from newsfold.errors import InputError
from newsfold.read import decode_bytes, read, read_many
from newsfold.settings import ReadSettings

HTML = b"<html><head><title>T</title></head><body><p>Hello world, this is a page.</p></body></html>"


def test_folder_ids_are_paths_relative_to_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("First line\nSecond line\n")
    (tmp_path / "two.html").write_bytes(HTML)
    (tmp_path / "notes.md").write_text("ignored: not a page format")
    pages = read(tmp_path)
    assert [(p.id, p.kind) for p in pages] == [("a/one.txt", "text"), ("two.html", "html")]


def test_a_single_file_id_is_its_name(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML))
    [page] = read(path)
    assert page.id == "page.html.gz" and "Hello world" in page.content


def test_seeds_read_in_order(seeds_dir: Path) -> None:
    pages = read(seeds_dir)
    assert [p.id[:3] for p in pages] == ["000", "001", "002", "003", "004"]
    assert all(p.kind == "text" for p in pages)


def test_jsonl_records_keep_their_ids_and_a_broken_line_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {"id": "r1", "text": "Body one.", "url": "https://x.test/1", "published": "2023-09-13T10:00"}
        ),
        '{"id": "r2", "text": "unterminated',
        json.dumps({"id": "r3", "html": "<p>Body three.</p>", "title": "Three", "source": "X"}),
        json.dumps({"text": "no id"}),
    ]
    path.write_text("\n".join(lines))
    pages, problems = read_many([path])
    assert [(p.id, p.kind) for p in pages] == [("r1", "text"), ("r3", "html")]
    assert pages[0].published == "2023-09-13" and pages[1].title == "Three"
    assert [p.path for p in problems] == [f"{path}:2", f"{path}:4"]
    assert "invalid JSON" in problems[0].reason


def test_warc_response_records_become_pages_with_capture_dates(tmp_path: Path, make_warc) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        make_warc(
            [
                ("https://a.test/story", "text/html; charset=utf-8", HTML),
                ("https://a.test/logo.png", "image/png", b"\x89PNG...."),
            ]
        )
    )
    pages, problems = read_many([path])
    assert problems == []
    assert [p.id for p in pages] == ["https://a.test/story"]
    assert pages[0].captured is not None and pages[0].url == "https://a.test/story"


def test_a_warc_record_with_an_absurd_content_length_is_one_problem(tmp_path: Path, make_warc) -> None:
    good = make_warc([("https://a.test/story", "text/html", HTML)], gzip=False)
    bad = good.replace(b"Content-Length: ", b"Content-Length: " + b"6" * 60, 1)
    path = tmp_path / "crawl.warc"
    path.write_bytes(bad)
    pages, problems = read_many([path])
    assert pages == []
    assert len(problems) == 1 and problems[0].path == str(path)
    assert "not a readable WARC" in problems[0].reason


def test_a_cut_warc_gz_keeps_its_complete_records_and_says_so(tmp_path: Path, make_warc) -> None:
    data = make_warc([(f"https://a.test/{i}", "text/html", HTML + b"x" * 3000) for i in range(3)])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: int(len(data) * 0.8)])
    pages, problems = read_many([path])
    assert [p.id for p in pages] == ["https://a.test/0", "https://a.test/1"]
    assert len(problems) == 1 and "truncated" in problems[0].reason and problems[0].path == str(path)


def test_a_cut_html_gz_is_one_problem_and_the_other_files_are_read(tmp_path: Path) -> None:
    data = gzip.compress(HTML * 200)
    (tmp_path / "cut.html.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "good.txt").write_text("A fine line of text.\n")
    pages, problems = read_many([tmp_path])
    assert [p.id for p in pages] == ["good.txt"]
    assert len(problems) == 1 and problems[0].path.endswith("cut.html.gz") and "gzip" in problems[0].reason


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.html", b"  \n\n ", "empty file"),
        ("noise.txt", bytes(range(256)) * 40, "binary"),
        ("noise.warc", os.urandom(4096), "WARC"),
        ("blank-line-noise.warc", b"\n" + bytes(range(256)) * 16, "WARC"),
        ("empty.warc.gz", b"", "empty file"),
    ],
)
def test_bad_files_are_problems_naming_the_file(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    pages, problems = read_many([path])
    assert pages == []
    assert len(problems) == 1 and problems[0].path == str(path) and reason in problems[0].reason
    assert "\n" not in str(problems[0])


def test_read_raises_one_line_input_error(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="x.txt: empty file"):
        read(path)


def test_missing_path_and_unsupported_type_are_problems(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b")
    pages, problems = read_many([tmp_path / "nope", tmp_path / "data.csv"])
    assert pages == []
    assert "no such file" in problems[0].reason and "unsupported" in problems[1].reason


def test_latin1_text_is_decoded_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "Der Bürgermeister sagte, die Straße sei gesperrt. Café, naïve, déjà vu.\n".encode("latin-1")
    )
    [page] = read(path)
    assert "Bürgermeister" in page.content and "Straße" in page.content


def test_declared_charset_is_honoured() -> None:
    html = '<meta charset="windows-1251"><p>Привет мир</p>'.encode("cp1251")
    assert "Привет мир" in decode_bytes(html)


def test_a_huge_single_line_is_cut_to_the_page_bound(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * (50 * 1024 * 1024 // 5))
    [page] = read(path, settings=ReadSettings(max_page_bytes=1_000_000))
    assert len(page.content) == 1_000_000


def test_a_page_is_binary_past_five_percent_control_bytes_in_its_first_4_kb() -> None:
    read_module = importlib.import_module("newsfold.read")
    text = b"Body line\tand\r\n\x0c" * 300  # tabs, line ends and form feeds are text
    at_bound = bytes([1]) * 204 + text[: 4096 - 204]  # 204 of 4,096 bytes: 4.98%
    past_bound = bytes([27]) * 205 + text[: 4096 - 205]
    assert not read_module._looks_binary(text)
    assert not read_module._looks_binary(at_bound)
    assert read_module._looks_binary(past_bound)
