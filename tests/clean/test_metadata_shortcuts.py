"""The metadata readers' shortcuts find what their plain definitions find, on awkward text: the credit
patterns run only where an agency is named, sites read off plain URLs without urlsplit.
(The compiled kernels against their specs: test_kernels.py.)
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold import models
from newsfold.clean import metadata


def _credits_without_needs(texts: list[str]) -> tuple[str, ...]:
    """`find_credits` of body texts without the needles: every pattern tried on every text that names an
    agency (the scan that `find_credits` makes first)."""
    seen: dict[str, int] = {}
    for index in metadata._naming_agency(texts):
        text = texts[index]
        hits = []
        line_match = metadata._CREDIT_LINE.match(text.strip()) if len(text) < 80 else None
        if line_match:
            hits.append((line_match.start("w"), metadata._canon(line_match.group("w"))))
        for pattern in metadata._CREDIT_PATTERNS:
            hits.extend(
                (m.start("w"), metadata._canon(m.group("w")))
                for m in pattern.finditer(text)
                if not metadata._photo_credit(text, m)
            )
        for pos, canon in sorted(hits):
            seen.setdefault(canon, index * 1_000_000 + pos)
    return tuple(sorted(seen, key=seen.__getitem__))


_CREDIT_PIECES = ["Copyright ", "COPYRIGHT ", "copyrıght ", "(c) ", "(C) ", "© ", "2023 ", "the ", "The ",
                  "Associated Press", "ASSOCIATED PRESS", "Aſſociated Preſs", "Kyodo News", "\u212ayodo News",
                  "Reuters", ", ", " — ", " -- ", "–", "via ", "AP", "İ", "word ", "(AP) — ",
                  "writers"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_CREDIT_PIECES), max_size=12).map("".join), max_size=4))
def test_credit_patterns_are_spared_only_texts_they_cannot_match(texts: list[str]) -> None:
    assert metadata.find_credits(texts) == _credits_without_needs(texts)


_URL_PIECES = ["http", "https://", "HTTP://", "h2+x.y-://", "1http://", ":", "//", "/", "?", "#", "@",
               ":8080", "[", "]", "[::1]", "www.", "Example", "example.com", "EXAMPLE.COM.", "-", ".", "%41",
               " ", "\t", "\n", "\x00", "\x7f", "é", "ｅ", "a", "x_y", "user:pw@"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_URL_PIECES), max_size=10).map("".join))
def test_hostname_is_urlsplits(url: str) -> None:
    """A page's site is read off plain URLs without urlsplit; every URL gets urlsplit's host, or its
    ValueError."""
    try:
        want: object = models.urlsplit(url).hostname
    except ValueError:
        want = ValueError
    try:
        got: object = models._hostname(url)
    except ValueError:
        got = ValueError
    assert got == want
