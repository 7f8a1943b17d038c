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


@settings(max_examples=150, deadline=None)
@given(
    _fit_pages,
    st.randoms(use_true_random=False),
    st.integers(0, 6),
    st.sampled_from([0.0, 0.2, 0.5, 1.0]),
    st.integers(1, 4),
    st.integers(0, 4),
    st.integers(0, 4),
)
def test_compiled_page_loops_are_the_numpy_ones(  # type: ignore[no-untyped-def]
    pages, rnd, gap, share, min_headers, max_gap, min_words
) -> None:
    """The compiled per-page steps of the fit (and its language counts) mark the lines the numpy loops
    mark, on random settings."""
    import dataclasses

    from newsfold.clean import line_fit
    from newsfold.settings import LineSettings

    if line_fit._compiled is None:
        pytest.skip("the compiled extension is not built")
    pa = LineClassifier().measure(pages)
    n = len(pa.lines)
    body = np.array([rnd.random() < 0.8 for _ in range(n)], bool)
    scores = np.array([rnd.choice([0.0, 0.25, 0.5, 0.75, 1.0, rnd.random()]) for _ in range(n)])
    dates = np.array([rnd.random() < 0.3 for _ in range(n)], bool)
    cfg = dataclasses.replace(
        LineSettings(), main_text_gap=gap, main_text_min_share=share, comment_min_headers=min_headers,
        comment_max_gap=max_gap, off_topic_min_words=min_words, off_topic_max_fit=share,
        language_min_words=min_words, language_min_stops=max_gap,
    )  # fmt: skip
    compiled = line_fit._compiled
    results = []
    for kernels in (compiled, None):
        line_fit._compiled = kernels
        try:
            results.append([
                line_fit.outside_main_text(pa, body, scores, cfg).tolist(),
                line_fit.comment_sections(pa, body, dates, cfg).tolist(),
                line_fit.off_topic_runs(pa, body, cfg).tolist(),
                line_fit.language_misfits(pa, body, cfg).tolist(),
            ])  # fmt: skip
        finally:
            line_fit._compiled = compiled
    assert results[0] == results[1]


def _canonical(labels: list[int]) -> list[int]:
    """Group ids renumbered in order of first appearance (only the grouping is compared)."""
    ids: dict[int, int] = {}
    return [ids.setdefault(label, len(ids)) for label in labels]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 8), st.lists(st.tuples(st.integers(0, 7), st.integers(0, 9), st.booleans()), max_size=60)
)
def test_compiled_content_groups_are_the_graph_components(
    n_pages: int, rows: list[tuple[int, int, bool]]
) -> None:
    from newsfold.clean import lines

    if lines._compiled is None:
        pytest.skip("the compiled extension is not built")
    rows = sorted((p % n_pages, k, flag) for p, k, flag in rows)  # lines in page order, as in a batch
    page = np.asarray([p for p, _, _ in rows], np.intp)
    kid = np.asarray([k for _, k, _ in rows], np.intp)
    long = np.asarray([flag for _, _, flag in rows], bool)
    got = lines._compiled.content_groups(kid, page, long.view(np.uint8), n_pages).tolist()
    compiled = lines._compiled
    lines._compiled = None
    try:
        want = lines._content_groups(kid, page, long, n_pages).tolist()
    finally:
        lines._compiled = compiled
    assert _canonical(got) == _canonical(want)


@settings(max_examples=300, deadline=None)
@given(
    _lines,
    st.lists(st.sampled_from(["»", "...", ">", "…", "⟶", "a", "😀", "x»", "é", ""]), min_size=1, max_size=4),
)
def test_compiled_ends_with_is_str_endswith(lines: list[str], suffixes: list[str]) -> None:
    from newsfold.clean import lines as lines_module

    if lines_module._compiled is None:
        pytest.skip("the compiled extension is not built")
    subset = np.arange(0, len(lines), 2)
    got = lines_module._compiled.ends_with(lines, subset, tuple(suffixes)).tolist()
    assert got == [j % 2 == 0 and line.endswith(tuple(suffixes)) for j, line in enumerate(lines)]


_DATE_PIECES = [
    "1", "12", "123", "2024", "20245", "٣", "²", "-", "/", ".", ":", ",", " ", "\u00a0", "\t", "\u2003",
    "Jan", "JANUARY", "sept", "Sept.", "sepember", "june", "Jun", "Mar", "march", "MAY", "dec", "st", "ND",
    "th", "rd", "a", "_", "é", "x1", "İ", "ı", "ſ", "K", "\ud83d", "😀",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_DATE_PIECES), max_size=12).map("".join), min_size=1, max_size=6))
def test_compiled_date_matcher_is_the_date_pattern(lines: list[str]) -> None:
    """Where the C matcher answers, it answers as `_DATE.search`; it leaves only fold letters to it."""
    if line_rules._compiled_date_lines is None:
        pytest.skip("the compiled extension is not built")
    got = line_rules._compiled_date_lines(lines, np.arange(len(lines))).tolist()
    for line, answer in zip(lines, got, strict=True):
        if answer < 0:
            assert any(ch in line for ch in line_rules._FOLDS_TO_ASCII)
        else:
            assert answer == (line_rules._DATE.search(line) is not None), line


def test_compiled_date_matcher_on_each_form() -> None:
    if line_rules._compiled_date_lines is None:
        pytest.skip("the compiled extension is not built")
    lines = ["2024-1-31", "on 2024-01-311", "3/4/24", "12.10.2024 x", "Sept. 13, 2023", "13 March, 2023",
             "at 12:30", "12:300", "Jan 1st 2020", "a2024-01-01", "_12:30", "12:30_", "June 5 2020x",
             "May 32, 2020"]  # fmt: skip
    want = [line_rules._DATE.search(line) is not None for line in lines]
    assert line_rules._compiled_date_lines(lines, np.arange(len(lines))).tolist() == want
    assert sum(want) == 8


_EDGE = ["", "a", "_", " ", "x1", "²", "é", "."]
_RUN = ["1", "12", "123", "2024", "20245", "٣", "1²", "0"]
_SEP = ["-", "/", ".", ":", " ", ", ", ". ", "\u00a0", "", "  "]
_WORD = _RUN + ["Jan", "JANUARY", "sept", "Sept", "sepember", "june", "Jun", "march", "MAY", "dec", "Dex"]
_ORD = ["", "st", "ND", "th", "rd", "s"]
_date_shaped = st.tuples(
    *(
        st.sampled_from(options)
        for options in (_EDGE, _WORD, _SEP, _WORD, _ORD, _SEP, _RUN, _SEP, _RUN, _EDGE)
    )
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_date_shaped)
def test_compiled_date_matcher_on_date_shaped_lines(line: str) -> None:
    if line_rules._compiled_date_lines is None:
        pytest.skip("the compiled extension is not built")
    got = line_rules._compiled_date_lines([line], np.arange(1)).tolist()[0]
    assert got == (line_rules._DATE.search(line) is not None), line


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
                 "Watch: "]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PROMO_PIECES), max_size=6).map("".join), min_size=1, max_size=8))
def test_promo_mask_is_the_label_pattern_at_each_line_start(lines: list[str]) -> None:
    lines = [line.strip() or "x" for line in lines]
    pa = LineClassifier().measure([lines])
    scope = np.ones(len(lines), bool)
    cands = scope & (pa.n_tokens <= 25) & ~pa.end_sentence
    want = [bool(c) and line_rules._PROMO_LABEL.search("\n" + line.lower()) is not None
            for c, line in zip(cands, pa.lines, strict=True)]  # fmt: skip
    assert line_rules.promo_mask(pa, scope).tolist() == want
    assert line_rules.JoinedLines(pa.lines).matching(line_rules._PROMO_LABEL).tolist() == [
        line_rules._PROMO_LABEL.search("\n" + line.lower()) is not None for line in pa.lines
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 5), max_size=80))
def test_compiled_key_ids_group_keys_as_the_sort(keys: list[int]) -> None:
    from newsfold.clean import lines
    from newsfold.clean.line_features import unique_inverse

    if lines._compiled is None:
        pytest.skip("the compiled extension is not built")
    arr = np.asarray(keys, np.uint64)
    got = lines._compiled.key_ids(arr).tolist()
    assert _canonical(got) == _canonical(unique_inverse(arr).tolist())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=8), min_size=1, max_size=8),
    st.randoms(use_true_random=False),
)
def test_compiled_distinct_units_are_the_sorted_triples(pages: list[list[int]], rnd) -> None:  # type: ignore[no-untyped-def]
    from newsfold.clean import lines
    from newsfold.clean.line_features import Segments

    if lines._compiled is None:
        pytest.skip("the compiled extension is not built")
    seg = Segments.of(np.asarray([len(p) for p in pages]))
    kid = np.asarray([k for p in pages for k in p], np.intp)
    unit = np.asarray([rnd.randrange(3) for _ in pages], np.intp)
    scope = np.asarray([rnd.randrange(2) for _ in pages], np.intp)
    got = lines._distinct_units(kid, seg, unit, scope).tolist()
    compiled = lines._compiled
    lines._compiled = None
    try:
        want = lines._distinct_units(kid, seg, unit, scope).tolist()
    finally:
        lines._compiled = compiled
    assert got == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=10), min_size=1, max_size=6), st.data())
def test_compiled_later_copies_are_the_sorted_ones(pages: list[list[int]], data) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from newsfold.clean import lines
    from newsfold.clean.line_features import Segments

    if lines._compiled is None:
        pytest.skip("the compiled extension is not built")
    seg = Segments.of(np.asarray([len(p) for p in pages]))
    keys = np.asarray([k for p in pages for k in p], np.uint64)
    repeats = np.asarray([p.count(k) for p in pages for k in p], np.intp)
    pa = SimpleNamespace(line_key=keys, repeats=repeats, seg=seg)
    among = np.asarray(data.draw(st.lists(st.booleans(), min_size=keys.size, max_size=keys.size)), bool)
    got = lines._later_copies(pa, among)  # type: ignore[arg-type]
    compiled = lines._compiled
    lines._compiled = None
    try:
        want = lines._later_copies(pa, among)  # type: ignore[arg-type]
    finally:
        lines._compiled = compiled
    assert got == want
    # The ids number keys in order of first occurrence (what the compiled `_later_copies` relies on).
    ids = compiled.key_ids(keys).tolist()
    assert ids == _canonical(ids)


# Spaces as str.strip has them (ASCII, Latin-1, wide and ideographic; not the zero-width space) and others.
_STRIP_CHARS = list(" \t\r\x0b\x1c\xa0\u2003\u3000\u200bab\xe9\u4e00\U0001f600")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_STRIP_CHARS)), max_size=30))
def test_compiled_strip_lines_is_str_strip(page: list[str]) -> None:
    from newsfold.clean import lines

    if lines._compiled is None:
        pytest.skip("the compiled extension is not built")
    want = list(map(str.strip, page))
    assert lines._compiled.strip_lines(page) == (want, all(want))


def _is_caption_as_written(line: str) -> bool:
    """`line_rules.is_caption` before its cheap tests were moved first (the short credit line's test)."""
    r = line_rules
    if r._has_caption_phrase(line) or r._POSITION_WORDS.search(line) or r._TRAILING_CREDIT.search(line):
        return True
    words = r._words(line)
    return (
        2 <= len(words) <= 15
        and not line.rstrip().endswith(r._SENTENCE_END)
        and any(w in r.CREDIT_WORDS for w in words)
        and ("," in line or " via " in line.lower() or "/" in line or words[0] in ("by", "credit"))
    )


_CAPTION_WORDS = ["Photo", "pool", "by", "credit", "via", "AP", "the", "a,", "x/y", "Getty.", "\u3000", "!"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CAPTION_WORDS), max_size=20), st.sampled_from([" ", "  ", "\t", "\xa0"]))
def test_is_caption_is_the_rule_as_written(words: list[str], space: str) -> None:
    line = space.join(words)
    assert line_rules.is_caption(line) == _is_caption_as_written(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab é\u4e00", min_size=1, max_size=6), min_size=1, max_size=12), st.data())
def test_compiled_occurs_elsewhere_is_a_second_occurrence_in_the_joined_page(page: list[str], data) -> None:  # type: ignore[no-untyped-def]
    from newsfold.clean import lines

    if lines._compiled is None:
        pytest.skip("the compiled extension is not built")
    batch = ["ab", *page, "ab a"]  # lines of other pages around it, never searched
    p0, p1 = 1, 1 + len(page)
    j = data.draw(st.integers(p0, p1 - 1))
    want = lines._occurs_twice("\n".join(batch[p0:p1]), batch[j])
    assert lines._compiled.occurs_elsewhere(batch, p0, p1, j) == want


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
