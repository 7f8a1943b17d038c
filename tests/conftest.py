"""Tiny fixtures shared by the tests: paths into ../shared and small pages made on the fly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not beside the checkout")
    return SEEDS


@pytest.fixture(scope="session")
def seed_lines(seeds_dir: Path) -> list[str]:
    """Every line of the seed pages, in file order (the splitters' kernels are compared on them)."""
    pages = [path.read_text(encoding="utf-8") for path in sorted(seeds_dir.glob("*.txt"))]
    return [line for page in pages for line in page.splitlines()]


@pytest.fixture(scope="session")
def seeds_gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def make_warc():
    """Returns a function building WARC bytes from (uri, content type, body) records."""
    return _make_warc


def _make_warc(records: list[tuple], gzip: bool = True) -> bytes:
    """Records are (uri, content type, body) or (uri, content type, body, WARC-Date)."""
    # Written by hand (the format is simple): warcio's writer leaks a temporary file, which pytest's
    # warnings-as-errors turns into a failure.
    import gzip as gz
    import uuid

    out = bytearray()
    for uri, content_type, body, *date in records:
        http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode() + body
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: {date[0] if date else '2023-09-14T08:00:00Z'}\r\n"
            f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n"
        ).encode()
        record = head + http + b"\r\n\r\n"
        out += gz.compress(record) if gzip else record
    return bytes(out)


@pytest.fixture(scope="session")
def kill_harness():
    """bench/bench_kill_ingest.py as a module: the generated feed, the kill loop and the store checks."""
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "bench" / "bench_kill_ingest.py"
    spec = importlib.util.spec_from_file_location("bench_kill_ingest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
