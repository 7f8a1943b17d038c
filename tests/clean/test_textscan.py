"""The metadata readers' fast paths read awkward text as their plain definitions do: letters of many
scripts, case-changing letters ("İ", "Σ", "ẞ", the Kelvin sign), digits of other scripts, lone
surrogates, characters beyond U+FFFF. (The compiled kernels against their specs: test_kernels.py.)
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold import models
from newsfold.clean import metadata

_PIECES = [
    "AP", "ap", "Reuters", "press", "Press", "United", "pa", "PA", "aa", "_ap", "ap_", "ap1", "2ap", "İ", "ǅ",
    "ß", "ﬁ", "K", "Σ", "ſ", "é", "の", "한", "и", "ا", "½", "²", "٣", " ", ",", "(", ")", "—", "’", "\ud83d",
    "😀", "the", "und", "der", "les", "que", "y", "2023", "Sept. 13, 2023", "12:30", "Kyodo", "KYODO",
    "Bloomberg", "associated", "xinhua", "dpa", "ANI", "Anadolu", "Ω", "ẞ", "ǈ", "Ａ", "ς", "\u212a", "ΣΑ",
    "한국어", "日本の", "中文", "русский", "ελ", "ไทย", "हिन्दी", "עברית", "عربي", "FÜR", "MÁS", "NÃO", "É",
    "1919", "20", "19", "٢٠٢٣", "2O19", "\x00", "\n",
]  # fmt: skip
_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_text, st.integers(1, 200))
def test_lower_text_is_str_lower(text: str, times: int) -> None:
    """Short and long texts (the table only reads long ones), with and without the characters left to
    str.lower."""
    for sample in (text, text * times, text.replace("İ", "I").replace("Σ", "S") * times):
        got = metadata.lower_text(sample)
        assert got == sample.lower()
        assert got.isascii() == sample.lower().isascii()  # the same width: equal strs are stored alike


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
