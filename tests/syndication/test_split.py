"""The compiled sentence splitter (`_split.pyx`) against its spec, `passages._split_plain`."""

from __future__ import annotations

import pytest

from newsfold.syndication import passages
from newsfold.syndication.passages import _split, _split_plain

built = pytest.mark.skipif(passages._compiled_rows is None, reason="the _split kernel is not built")


@built
def test_the_kernel_splits_the_seed_pages_as_the_plain_version(seed_lines: list[str]) -> None:
    lines = seed_lines
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
        "Am 11. Mai kam er. Am 3.  Oktober 1990. Bis 12.\u00a0Juni. 5. Mai.",
        "Es waren 123. Mai kam. x5. M\u00e4rz. 1.5. Juli. Nr. 7.) April. 8.\u201d Mai. 9. Maier. 9. Mai",
        "2. Versuch. 10. Januar9. 31. Dezember_ 7. J\u00e4nner",
    ],
)
def test_the_kernel_splits_edge_cases_as_the_plain_version(line: str) -> None:
    assert _split([line, line.upper(), "Two lines. " + line]) == _split_plain(
        [line, line.upper(), "Two lines. " + line]
    )


def test_a_day_before_a_month_ends_no_sentence() -> None:
    rows = _split_plain(
        ["Am 11. Mai 2024 trat er zur\u00fcck. Der Rest kam am 3. Oktober.", "Es waren 12. Mai kam."]
    )
    assert [text for _, text, _, _, _ in rows] == [
        "Am 11. Mai 2024 trat er zur\u00fcck.",
        "Der Rest kam am 3. Oktober.",
        "Es waren 12. Mai kam.",
    ]
    # Any other word after a number's stop still opens a sentence.
    assert len(_split_plain(["The toll rose to 12. Rescuers left."])) == 2
