"""read limits: each bound of ReadSettings turns hostile input into one clear problem, the rest read."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

from newsfold.read import read_many
from newsfold.settings import ReadSettings

HTML = b"<html><body><p>The harbour bridge closes on Monday for two years of repairs, the council said.</p>"


def test_a_file_over_the_size_bound_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"word " * 1000)
    (tmp_path / "small.txt").write_bytes(b"word")
    pages, problems = read_many([tmp_path], settings=ReadSettings(max_file_bytes=100))
    assert [p.id for p in pages] == ["small.txt"]
    assert len(problems) == 1 and "max_file_bytes" in problems[0].reason
    assert problems[0].path.endswith("big.txt")


def test_a_jsonl_gz_bomb_stops_at_the_decompressed_bound_without_holding_it(tmp_path: Path) -> None:
    record = json.dumps({"id": "r1", "text": "The bridge closes on Monday."}) + "\n"
    bomb = record.encode() + b" " * 200_000_000  # 200 MB of spaces: one line, gzipped to ~200 KB
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(bomb, compresslevel=9))
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    pages, problems = read_many([path], settings=ReadSettings(max_decompressed_bytes=20_000_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.id for p in pages] == ["r1"]
    assert len(problems) == 1 and "max_decompressed_bytes" in problems[0].reason
    assert peak < 60_000_000  # streamed: never the 200 MB


def test_a_jsonl_line_over_the_bound_is_one_problem_and_the_next_records_are_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "r1", "text": "short"}),
        json.dumps({"id": "r2", "text": "x" * 5000}),
        json.dumps({"id": "r3", "text": "short again"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    pages, problems = read_many([path], settings=ReadSettings(max_jsonl_line_bytes=1000))
    assert [p.id for p in pages] == ["r1", "r3"]
    assert [p.path for p in problems] == [f"{path}:2"] and "max_jsonl_line_bytes" in problems[0].reason


def test_an_html_gz_bomb_is_cut_at_the_page_bound(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(HTML + b"<p>" + b"a" * 100_000_000, compresslevel=9))
    [page], problems = read_many([path], settings=ReadSettings(max_page_bytes=1_000_000))
    assert problems == [] and len(page.content) == 1_000_000


def test_a_warc_record_bomb_is_skipped_and_the_next_record_read(tmp_path: Path, make_warc) -> None:
    records = [
        ("https://a.test/1", "text/html", HTML),
        ("https://a.test/bomb", "text/html", HTML + b" " * 50_000_000),
        ("https://a.test/2", "text/html", HTML),
    ]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(make_warc(records))
    pages, problems = read_many([path], settings=ReadSettings(max_warc_record_bytes=5_000_000))
    assert [p.id for p in pages] == ["https://a.test/1", "https://a.test/2"]
    assert (
        len(problems) == 1
        and "1 records" in problems[0].reason
        and "max_warc_record_bytes" in problems[0].reason
    )


def test_a_warc_past_the_decompressed_bound_keeps_the_pages_before(tmp_path: Path, make_warc) -> None:
    records = [(f"https://a.test/{n}", "text/html", HTML + b" " * 3_000_000) for n in range(5)]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(make_warc(records))
    pages, problems = read_many([path], settings=ReadSettings(max_decompressed_bytes=7_000_000))
    assert [p.id for p in pages] == ["https://a.test/0", "https://a.test/1"]
    assert len(problems) == 1 and "max_decompressed_bytes" in problems[0].reason


def test_a_warc_past_the_record_bound_keeps_the_pages_before(tmp_path: Path, make_warc) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(make_warc([(f"https://a.test/{n}", "text/html", HTML) for n in range(5)], gzip=False))
    pages, problems = read_many([path], settings=ReadSettings(max_warc_records=3))
    assert len(pages) == 3
    assert len(problems) == 1 and "max_warc_records" in problems[0].reason


def test_every_limit_is_a_field_of_read_settings() -> None:
    names = set(ReadSettings.__dataclass_fields__)
    assert {
        "max_file_bytes",
        "max_page_bytes",
        "max_decompressed_bytes",
        "max_warc_record_bytes",
        "max_line_chars",
        "max_html_depth",
        "max_warc_records",
        "max_jsonl_line_bytes",
    } <= names
