"""The compiled sentence splitter (`_split.pyx`) against its spec, `passages._split_plain`."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.syndication import passages
from newsfold.syndication.passages import _split, _split_plain

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

built = pytest.mark.skipif(passages._compiled_rows is None, reason="the _split kernel is not built")


@built
def test_the_kernel_splits_the_seed_pages_as_the_plain_version() -> None:
    lines = [
        line
        for path in sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    rows = _split(lines)
    assert len(rows) > 100
    assert rows == _split_plain(lines)


@built
@pytest.mark.parametrize(
    "line",
    [
        'He said "no." Then he left. (The end.) [Note.] Done!',
        "U.S. officials met on Sept. 12. Who came? \u201cNobody.\u201d \u2018Fine\u2019 she said.",
        "Prices rose.\u00a0\u00a0Markets fell\u2026 \u00c9mile won.\u2028Next line.\tTabbed.",
        "Cut short ... with",
        "snake_case and \u2460 and \u0661\u0662 and \ufb01ne \uff21\uff22 and \u0130stanbul and Stra\u00dfe.",
        "e\u0301 and combining marks.  \u0301Starts with one.",
        " --- * --- ",
        "",
        "   padded line.   ",
        "A line\nholding a newline. And more.",
        "Ends with a closer.\u201d Next one.) And [another.] One more.'",
        "Kein Satz.(Klammer) Ja.[x] Nein.\u00bb Hier.",
    ],
)
def test_the_kernel_splits_edge_cases_as_the_plain_version(line: str) -> None:
    assert _split([line, line.upper(), "Two lines. " + line]) == _split_plain(
        [line, line.upper(), "Two lines. " + line]
    )
