"""Coverage-guided fuzz targets (atheris, libFuzzer): one per reader, and the cleaner.

usage: python tests/fuzz/fuzz_read.py TARGET [libFuzzer options, corpus folders]
TARGET: text, html, html-gz, jsonl, jsonl-gz, warc, warc-gz, clean-text, clean-html
e.g.   python tests/fuzz/fuzz_read.py warc-gz -max_total_time=600 corpus/warc-gz

A reader target writes the input to a file of that kind (for .gz, mostly gzipped by the target:
`_packed`) and reads it with `read_many`: it must never
raise, ids must be unique, every problem one line naming the file. A cleaner target cleans the input
decoded as a page: only `InputError` may come out. Any other exception is a finding (atheris stops and
saves the input). tests/test_fuzz.py runs each target for a few seconds in CI.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["newsfold", "warcio"]):
    from newsfold.clean import clean
    from newsfold.errors import InputError
    from newsfold.models import Page
    from newsfold.read import read_many
    from newsfold.settings import ReadSettings

SUFFIXES = {
    "text": ".txt",
    "html": ".html",
    "html-gz": ".html.gz",
    "jsonl": ".jsonl",
    "jsonl-gz": ".jsonl.gz",
    "warc": ".warc",
    "warc-gz": ".warc.gz",
}
# Small bounds, so the fuzzer reaches them with small inputs.
SMALL = ReadSettings(
    max_page_bytes=50_000,
    max_decompressed_bytes=200_000,
    max_warc_record_bytes=100_000,
    max_jsonl_line_bytes=10_000,
    max_warc_records=50,
    max_line_chars=5_000,
)


def reader_target(suffix: str, folder: Path):  # noqa: ANN201
    path = folder / f"input{suffix}"

    def test_one_input(data: bytes) -> None:
        path.write_bytes(_packed(data) if suffix.endswith(".gz") else data)
        pages, problems = read_many([path], settings=SMALL)
        if len({p.id for p in pages}) != len(pages):
            raise AssertionError("ids are not unique")
        for problem in problems:
            if "\n" in str(problem) or not problem.path.startswith(str(path)):
                raise AssertionError(f"problem is not one line naming the file: {problem!r}")

    return test_one_input


def _packed(data: bytes) -> bytes:
    """For a .gz target: the fuzzer's bytes as they are (a malformed stream) when the first byte is odd,
    else gzipped (a WARC one member per record, as crawlers write them), maybe cut: gzip itself is not
    instrumented, so without this the fuzzer would rarely get past the gzip header to the reader."""
    if not data or data[0] % 2:
        return data
    body, cut = data[1:], data[0] % 7
    members = (
        [b"WARC/" + part for part in body.split(b"WARC/") if part] if body.startswith(b"WARC/") else [body]
    )
    packed = b"".join(gzip.compress(member) for member in members)
    return packed[: len(packed) - cut * 3] if cut else packed


def cleaner_target(kind: str):  # noqa: ANN201
    def test_one_input(data: bytes) -> None:
        page = Page(id="fuzz", kind=kind, content=data.decode("utf-8", errors="surrogateescape"))  # type: ignore[arg-type]
        try:
            article = clean(page)
        except InputError:
            return
        if article.id != "fuzz":
            raise AssertionError("the article lost its page's id")

    return test_one_input


def main() -> None:
    target = sys.argv[1]
    argv = [sys.argv[0], *sys.argv[2:]]
    with tempfile.TemporaryDirectory() as tmp:
        if target in SUFFIXES:
            function = reader_target(SUFFIXES[target], Path(tmp))
        elif target in ("clean-text", "clean-html"):
            function = cleaner_target(target.removeprefix("clean-"))
        else:
            raise SystemExit(
                f"unknown target {target!r}; one of {', '.join([*SUFFIXES, 'clean-text', 'clean-html'])}"
            )
        atheris.Setup(argv, function)
        atheris.Fuzz()


if __name__ == "__main__":
    main()
