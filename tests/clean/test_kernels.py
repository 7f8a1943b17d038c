"""Each compiled kernel answers as its plain spec in `clean/_kernels.py`, on awkward text: letters of many
scripts, case-changing letters ("İ", "Σ", the Kelvin sign), digits of other scripts, lone surrogates,
characters beyond U+FFFF, empty lines. One test a kernel; skipped where the extension is not built.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import _kernels, line_features, line_rules, metadata
from newsfold.clean.line_features import word_hashes

_PIECES = [
    "AP", "ap", "Reuters", "press", "Photo", "by ", "the", "and", "der", "les", "que", "y", "İ", "ǅ", "ß",
    "ﬁ", "K", "Σ", "ſ", "é", "の", "中文", "한", "и", "ا", "½", "²", "٣", "٢٠٢٣", " ", "  ", ",", ".", "!",
    "?", "…", "|", "»", "(", ")", "[", "]", "—", "’", "”", ":", "@", "\ud83d", "😀", "2023", "1919", "19",
    "20", "x1", "aB", "Kyodo", "©", "credit:", "\u3000", "\t", "\x00", "\xff", "longerwordhere", "a" * 40,
]  # fmt: skip
_text = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
_lines = st.lists(_text, min_size=1, max_size=12)


def _compiled(module: str) -> ModuleType:
    """The compiled module, or skip the test where it is not built."""
    try:
        return importlib.import_module(f"newsfold.clean.{module}")
    except ImportError:  # pragma: no cover - depends on the build
        pytest.skip(f"newsfold.clean.{module} is not built")


def _same(got: object, want: object) -> None:
    """Equal answers: arrays of the same dtype and values, anything else equal."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            _same(g, w)
    elif isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype and got.shape == want.shape
        assert got.tolist() == want.tolist()
    else:
        assert got == want


@settings(max_examples=200, deadline=None)
@given(st.lists(_lines, min_size=1, max_size=4))
def test_scan_lines_is_its_spec(pages: list[list[str]]) -> None:
    kernel = _compiled("_scan")
    lines = [line.replace("\n", " ") for page in pages for line in page]
    line_page = np.repeat(np.arange(len(pages)), [len(p) for p in pages]).astype(np.intp)
    lexicons = (word_hashes(["the", "and", "der"]), word_hashes(["photo", "credit"]), word_hashes(["share"]))
    flags, _, powers = line_features._tables()
    keys, bits = line_features._probe_table(tuple(h.tobytes() for h in lexicons))
    args = (lines, line_page, flags, line_features._word_lower(), powers, keys, bits)
    _same(kernel.scan_lines(*args), _kernels.scan_lines_plain(*args))


@settings(max_examples=300, deadline=None)
@given(_lines, st.lists(st.sampled_from(["photo", "\nby ", "credit:", "©", "é", "p", "ph"]), min_size=1,
                        max_size=7, unique=True), st.randoms())  # fmt: skip
def test_needle_hits_is_its_spec(lines: list[str], needles: list[str], rnd) -> None:  # type: ignore[no-untyped-def]
    kernel = _compiled("_rules")
    subset = np.asarray(sorted(rnd.sample(range(len(lines)), rnd.randint(0, len(lines)))), np.intp)
    args = (lines, subset, line_rules._needle_table(), *line_rules._needle_index(tuple(needles)))
    _same(kernel.needle_hits(*args), _kernels.needle_hits_plain(*args))


@settings(max_examples=300, deadline=None)
@given(_text)
def test_year_starts_is_its_spec(text: str) -> None:
    _same(_compiled("_textscan").year_starts(text), _kernels.year_starts_plain(text))


@settings(max_examples=300, deadline=None)
@given(_lines)
def test_agency_flags_is_its_spec(lines: list[str]) -> None:
    kernel = _compiled("_textscan")
    agency, last2 = metadata._agency_kernel_tables()
    args = (lines, metadata._agency_code(), agency, last2, metadata._UNSURE, metadata._CODE_LETTERS,
            metadata.NAMES_AGENCY, metadata.CHECK_AGENCY)  # fmt: skip
    _same(kernel.agency_flags(*args), _kernels.agency_flags_plain(*args))


_words = st.sampled_from(_PIECES + sorted(metadata._ANY_STOPWORD))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_words, max_size=60).map(" ".join), max_size=5))
def test_language_counts_is_its_spec(texts: list[str]) -> None:
    kernel = _compiled("_textscan")
    code, script, stop_codes, stop_langs, first2 = metadata._stop_tables()
    m = metadata
    args = (texts, code, script, stop_codes, stop_langs, first2.view(np.uint8), m._FIRST_MARKED,
            m._NOT_ONE + 1, len(m.STOPWORDS), m._STOP_LETTERS, m._STOP_BITS)  # fmt: skip
    _same(kernel.language_counts(*args), _kernels.language_counts_plain(*args))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9)), max_size=40), st.randoms())
def test_content_fit_counts_is_its_spec(words: list[tuple[int, int]], rnd) -> None:  # type: ignore[no-untyped-def]
    kernel = _compiled("_scan")
    words.sort()  # content words come in line order; a word id repeats within a line and across lines
    line = np.asarray([k for k, _ in words], np.intp)
    ids = np.asarray([i for _, i in words], np.intp)
    n_lines = 7 + rnd.randint(0, 2)
    core = np.asarray([rnd.random() < 0.5 for _ in range(n_lines)], np.uint8)
    args = (line, ids, 10, core, n_lines)
    _same(kernel.content_fit_counts(*args), _kernels.content_fit_counts_plain(*args))
