"""The line rules' compiled kernels find what their plain versions find, on awkward text too.

Each test holds the plain version (a substring test on each lower-cased line, the regex on each line) as
the reference and compares on generated input: case-changing letters, letters the re module folds to
ASCII, characters beyond Latin-1 and beyond the Basic Multilingual Plane, lone surrogates, newlines
inside a line. The whole-stage check (every Article field on the zyte dumps and the seeds) is
bench/clean_fingerprint.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import line_rules
from newsfold.clean.lines import LineClassifier

_PIECES = [
    "Photo", "PHOTO", "photo", "image", "Picture", "by ", "BY ", "By", "©", "copyright", "Credit:", "credit",
    "pool", ", left", ", Left,", ", second from right)", ", center", "(AP Photo/Jane Doe)", "[A/B]", "/250",
    "Log in", "reply", "İ", "ı", "ſ", "K", "Ÿ", "É", "é", "ß", "Σ", "—", "’", "😀", "\ud83d", "\n", " ", ",",
    ".", "/", "?", "x", "a", "p", "ph", "\x00", "\xff",
]  # fmt: skip
_lines = st.lists(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join), min_size=1, max_size=12)
_NEEDLES = [
    "photo", "image", "pictur", "credit:", "pool", "©", "comment", "log in", "/250", ", left", ", second ",
    "\nby ", "\nvon ", "é", "ÿ", "p", "\np", "ph",
]  # fmt: skip


def _plain_hits(lines: list[str], subset: list[int], needles: tuple[str, ...]) -> list[int]:
    """Bit k where needle k occurs in a newline + the lower-cased line, for the chosen lines."""
    chosen = set(subset)
    return [
        sum(1 << k for k, needle in enumerate(needles) if needle in "\n" + line.lower()) if j in chosen else 0
        for j, line in enumerate(lines)
    ]


@settings(max_examples=300, deadline=None)
@given(_lines, st.lists(st.sampled_from(_NEEDLES), min_size=1, max_size=12, unique=True), st.randoms())
def test_needle_hits_are_a_search_of_each_lower_cased_line(lines, needles, rnd) -> None:  # type: ignore[no-untyped-def]
    subset = sorted(rnd.sample(range(len(lines)), rnd.randint(0, len(lines))))
    found = tuple(needles)
    want = _plain_hits(lines, subset, found)
    want_slow = [j in subset and any(ch in line for ch in line_rules._SLOW_CHARS)
                 for j, line in enumerate(lines)]  # fmt: skip
    hits, slow = line_rules.needle_hits(lines, np.asarray(subset, np.intp), found)
    assert hits.tolist() == want
    assert slow.tolist() == want_slow
    assert line_rules._needle_hits_joined(lines, np.asarray(subset, np.intp), found).tolist() == want


def test_needle_hits_without_the_compiled_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["By AP Photo", "İmage credit: x", "nothing here", "a, ſecond from left)"]
    needles = ("photo", "image", "\nby ", ", second ")
    compiled = line_rules.needle_hits(lines, np.arange(4), needles)
    monkeypatch.setattr(line_rules, "_compiled_needle_hits", None)
    fallback = line_rules.needle_hits(lines, np.arange(4), needles)
    assert [a.tolist() for a in compiled] == [b.tolist() for b in fallback]
    assert compiled[0].tolist() == _plain_hits(lines, [0, 1, 2, 3], needles)
    assert compiled[1].tolist() == [False, True, False, True]


def test_no_character_beyond_the_basic_plane_lowers_into_latin_1() -> None:
    """Why the needle table stops at U+FFFF: characters above it can never match a Latin-1 needle."""
    codes = np.arange(0x10000, 0x110000, dtype=np.uint32)
    text = codes.tobytes().decode("utf-32-le")
    lowered = np.frombuffer(text.lower().encode("utf-32-le"), np.uint32)
    assert lowered.size == codes.size
    assert int(lowered.min()) > 0xFF


def test_bad_needles_are_refused() -> None:
    for needles in (("a\nb",), ("\x00",), ("—",), ("",)):
        with pytest.raises(ValueError):
            line_rules._needle_index(needles)


def _plain_caption_mask(
    lines: list[str], n_tokens: np.ndarray, end_bracket: np.ndarray, subset: list[int]
) -> list[bool]:
    """`caption_mask` as the rules read, line by line: position words, or a credit candidate that
    `is_caption` accepts (a line ending in a bracket is a candidate when it holds a "/")."""
    out = []
    for j, line in enumerate(lines):
        low = line.lower()
        if j not in subset:
            out.append(False)
        elif line_rules._POSITION_WORDS.search(low):
            out.append(True)
        else:
            cand = any(n in low for n in line_rules._CREDIT_NEEDLES) or (
                any(n in low for n in line_rules._SHORT_CREDIT_NEEDLES) and n_tokens[j] <= 15
            )
            if end_bracket[j]:
                cand = "/" in line
            out.append(cand and line_rules.is_caption(line))
    return out


@settings(max_examples=200, deadline=None)
@given(
    _lines.map(lambda lines: [s for line in lines if (s := line.replace("\n", " ").strip())] or ["x"]),
    st.randoms(),
)
def test_caption_mask_is_the_rules_on_each_line(lines: list[str], rnd) -> None:  # type: ignore[no-untyped-def]
    pa = LineClassifier().measure([lines])
    subset = sorted(rnd.sample(range(len(lines)), rnd.randint(0, len(lines))))
    got = line_rules.caption_mask(pa, np.asarray(subset, np.intp)).tolist()
    assert got == _plain_caption_mask(pa.lines, pa.n_tokens, pa.end_bracket, subset)
