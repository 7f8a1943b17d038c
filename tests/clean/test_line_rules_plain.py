"""The line rules find what their plain reading finds, on awkward text too.

Each test holds the plain reading (a substring test on each lower-cased line, the regex on each line) as
the reference and compares on generated input: case-changing letters, letters the re module folds to
ASCII, characters beyond Latin-1 and beyond the Basic Multilingual Plane, lone surrogates, newlines
inside a line. The whole-stage check (every Article field on the zyte dumps and the seeds) is
bench/clean_fingerprint.py.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Callable

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
    lines: list[str], n_tokens: np.ndarray, end_bracket: np.ndarray, end_sentence: np.ndarray,
    subset: list[int],
) -> list[bool]:  # fmt: skip
    """`caption_mask` as the rules read, line by line: position words, or a credit candidate that
    `is_caption` accepts (a line ending in a bracket, or of 4 tokens or more not ending a sentence, is a
    candidate also when it holds a "/")."""
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
            unended = end_bracket[j] or (not end_sentence[j] and n_tokens[j] >= 4)
            if unended and not cand:
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
    assert got == _plain_caption_mask(pa.lines, pa.n_tokens, pa.end_bracket, pa.end_sentence, subset)


_FIT_WORDS = [
    "apple", "banana", "cherry", "the", "and", "mango", "river", "Menu", "Home", "said", "x1", "zebra",
    "quartz",
    "violin", "nebula", "walnut", "harbor", "engine", "der", "und", "les", "que", "y", "el", "la", "il", "di",
]  # fmt: skip
_FIT_ENDS = ["", ".", ":", "!", "”", " |"]
_words = st.lists(st.sampled_from(_FIT_WORDS), min_size=1, max_size=8)
_fit_line = st.one_of(  # long prose lines (the core) and short lines with any ending
    st.lists(st.sampled_from(_FIT_WORDS), min_size=14, max_size=22).map(lambda w: " ".join(w) + "."),
    st.tuples(_words, st.sampled_from(_FIT_ENDS)).map(lambda t: " ".join(t[0]) + t[1]),
)
_fit_pages = st.lists(st.lists(_fit_line, min_size=4, max_size=30), min_size=1, max_size=4)


_PHRASE_PIECES = [
    "In this ", "in this file ", "photo", "Photos ", "PHOTO", "image", "picture", "pictured", "graph", "s",
    " ", "provided", "by", " via ", "from", "file ", "Pool ", "handout", "staff ", "press ", "courtesy of",
    "(Photo", "(", "photo/", ":", "©", "/", "credit", "Credits", ": ", "x", ".", "!", "submitted ", "İ", "ı",
    "ſ", "K", "é", "—", "\n", "_",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PHRASE_PIECES), max_size=14).map("".join))
def test_caption_phrase_is_tried_where_it_can_start(line: str) -> None:
    assert line_rules._has_caption_phrase(line) == (line_rules._CAPTION_PHRASE.search(line) is not None)


def test_caption_phrase_forms_each_found_from_their_first_word() -> None:
    lines = ["Seen in this undated image", "Photos provided by X", "photographs via X", "a pool photo",
             "Photo: X", "She is pictured", "Courtesy of X", "Smith(Photo X)", "photo/X", "Images credit © X",
             "Jane submitted photo", "Credits: Jane Doe", "no such phrase", "Photoshop"]  # fmt: skip
    got = [line_rules._has_caption_phrase(line) for line in lines]
    assert got == [line_rules._CAPTION_PHRASE.search(line) is not None for line in lines]
    assert got == [True] * 12 + [False] * 2


_PROMO_PIECES = ["Read more:", "READ MORE :", "See also: ", "Don't miss:", "dont miss:", "Must read:",
                 "related", " stories", ":", "x", " ", "\n", "ſee also:", "K", "—", "More on this:",
                 "Watch: ", "Lesen Sie auch: ", "čtěte také »", "Ayrıca okuyun:", "» "]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PROMO_PIECES), max_size=6).map("".join), min_size=1, max_size=8))
def test_promo_mask_is_the_label_pattern_at_each_line_start(lines: list[str]) -> None:
    lines = [line.strip() or "x" for line in lines]
    pa = LineClassifier().measure([lines])
    scope = np.ones(len(lines), bool)
    cands = scope & (pa.n_tokens <= 25) & ~pa.end_sentence
    want = [bool(c) and line_rules._PROMO_LABEL.match(line.lower()) is not None
            for c, line in zip(cands, pa.lines, strict=True)]  # fmt: skip
    assert line_rules.promo_mask(pa, scope).tolist() == want
    label_at_start = re.compile(r"(?<=\n)(?:read|see|related)(?: (?:more|also|stories)){0,2} ?:")
    assert line_rules.JoinedLines(pa.lines).matching(label_at_start).tolist() == [
        label_at_start.search("\n" + line.lower()) is not None for line in pa.lines
    ]


def _is_caption_as_written(line: str) -> bool:
    """`line_rules.is_caption` before its cheap tests were moved first (the short credit line's test)."""
    r = line_rules
    if r._has_caption_phrase(line) or r._POSITION_WORDS.search(line) or r._TRAILING_CREDIT.search(line):
        return True
    if r._CLOSING_SLASH_CREDIT.search(line):
        return True
    words = r._words(line)
    return (
        2 <= len(words) <= 15
        and not line.rstrip().endswith(r.SENTENCE_END)
        and any(w in r.CREDIT_WORDS for w in words)
        and ("," in line or " via " in line.lower() or "/" in line or words[0] in ("by", "credit"))
    )


_CAPTION_WORDS = ["Photo", "pool", "by", "credit", "via", "AP", "the", "a,", "x/y", "Getty.", "\u3000", "!"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CAPTION_WORDS), max_size=20), st.sampled_from([" ", "  ", "\t", "\xa0"]))
def test_is_caption_is_the_rule_as_written(words: list[str], space: str) -> None:
    line = space.join(words)
    assert line_rules.is_caption(line) == _is_caption_as_written(line)


@settings(max_examples=100, deadline=None)
@given(_fit_pages, st.randoms(use_true_random=False))
def test_drop_reasons_of_some_rows_are_those_of_all_lines(pages, rnd) -> None:  # type: ignore[no-untyped-def]
    pa = LineClassifier().measure(pages)
    n = len(pa.lines)
    subset = np.flatnonzero([rnd.random() < 0.7 for _ in range(n)])
    rows = np.flatnonzero([rnd.random() < 0.5 for _ in range(n)])
    dates = np.array([rnd.random() < 0.2 for _ in range(n)], bool)
    first = np.full(n, rnd.randrange(n))
    last = first + rnd.randrange(n)
    every = line_rules.drop_reasons(pa, subset, dates, first, last)
    some = line_rules.drop_reasons(pa, subset, dates, first, last, rows)
    assert some[rows].tolist() == every[rows].tolist()


# The credit patterns as first written: the same language, but a long run without spaces could be split
# in exponentially many ways before failing (random bytes hung the cleaner). The rules must read alike.
_COPYRIGHT_AS_WRITTEN = re.compile(r"(?:(?<=\S )|(?<=\S))©\s*(?!\d{4})(?:[^\s©]+\s*){1,10}$", re.IGNORECASE)
_TRAILING_AS_WRITTEN = re.compile(
    r"[\[(](?:[A-Z][\w.&'-]*\s?){1,4}(?:/\s?(?:[A-Z][\w.&'-]*\s?){1,4})+[\])]\s*$"
)
_CREDIT_PIECES = ["©", " ", "  ", "a", "Ab", "B", "dpa", "2024", "/", "[", "]", "(", ")", ".", "é", "É", "\t"]


@given(st.lists(st.sampled_from(_CREDIT_PIECES), max_size=14).map("".join))
@settings(max_examples=400)
def test_credit_patterns_read_as_first_written(line: str) -> None:
    assert (re.search(line_rules._COPYRIGHT_CREDIT, line, re.IGNORECASE) is None) == (
        _COPYRIGHT_AS_WRITTEN.search(line) is None
    )
    assert (line_rules._TRAILING_CREDIT.search(line) is None) == (_TRAILING_AS_WRITTEN.search(line) is None)


def _decided_within(seconds: int, decide: Callable[[], object]) -> None:
    """Run `decide`, failing (not hanging) if it takes past `seconds`: a guard against backtracking."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"undecided after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        decide()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "line",
    [
        "text ©" + "x" * 5_000 + " y" * 20,  # a long word, then more than ten words: no closing credit
        "text ©" + "x" * 5_000 + " ©",  # a "©" closes no credit
        "(" + "A" * 3_000 + "/" + "B" * 3_000 + " x]",  # capitalised runs, then no closing bracket
        "[" + "Ab" * 2_000 + "/" + "Cd" * 2_000 + "/" + "e",
    ],
    ids=["copyright-long-word", "copyright-twice", "bracket-capitals", "bracket-mixed"],
)
def test_credit_rules_decide_long_runs_without_backtracking(line: str) -> None:
    _decided_within(20, lambda: line_rules.is_caption(line))
