"""fuzz: each coverage-guided target of tests/fuzz/fuzz_read.py runs for a bounded time and finds nothing."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")
pytestmark = pytest.mark.fuzz

FUZZ = Path(__file__).resolve().parent / "fuzz" / "fuzz_read.py"
SECONDS = int(os.environ.get("NEWSFOLD_FUZZ_SECONDS", "10"))
HTML = b"<html><head><title>T</title></head><body><div><p>The council said on Monday.</p></div></body></html>"
TEXT = b"Menu\nThe council said on Monday that the bridge would close.\nShare this\n"


def _seeds(make_warc) -> dict[str, list[bytes]]:  # noqa: ANN001
    record = json.dumps({"id": "r1", "text": "Body.", "url": "https://a.test/1", "published": "2023-09-14"})
    warc = [("https://a.test/1", "text/html; charset=utf-8", HTML), ("https://a.test/1", "text/html", HTML)]
    return {
        "text": [TEXT],
        "html": [HTML],
        "html-gz": [gzip.compress(HTML), b"\x00" + HTML],  # raw gzip, and HTML the target gzips
        "jsonl": [(record + "\n").encode()],
        "jsonl-gz": [gzip.compress((record + "\n").encode()), b"\x00" + (record + "\n").encode()],
        "warc": [make_warc(warc, gzip=False)],
        "warc-gz": [make_warc(warc), b"\x00" + make_warc(warc, gzip=False)],
        "clean-text": [TEXT],
        "clean-html": [HTML],
    }


TARGETS = ["text", "html", "html-gz", "jsonl", "jsonl-gz", "warc", "warc-gz", "clean-text", "clean-html"]


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_target_finds_nothing_in_its_time(target: str, tmp_path: Path, make_warc) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, seed in enumerate(_seeds(make_warc)[target]):
        (corpus / f"seed{n}").write_bytes(seed)
    command = [
        sys.executable,
        str(FUZZ),
        target,
        f"-max_total_time={SECONDS}",
        "-rss_limit_mb=2048",
        "-timeout=20",
        f"-artifact_prefix={tmp_path}/",
        str(corpus),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS * 6 + 60)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = [line for line in done.stderr.splitlines() if line.startswith("Done ")]
    assert runs and int(runs[-1].split()[1]) > 10, done.stderr[-500:]  # it ran inputs, not just started
