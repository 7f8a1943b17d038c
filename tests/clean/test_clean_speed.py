"""The clean stage's fast paths give what the plain versions they replaced give, on awkward text too.

Each test holds the plain version (a regex scan, a per-word Counter, np.unique, a binary search) as the
reference and compares on generated input: letters of many scripts, digits, underscores, case-changing
letters, lone surrogates. The whole-stage check (every Article field on the zyte dumps and the seeds)
is bench/clean_fingerprint.py.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import dates, line_features, line_fit, line_rules, metadata
from newsfold.clean.dates import parse_date_line
from newsfold.clean.line_features import _CJK_RANGES as CJK_RANGES
from newsfold.clean.line_features import STAGE1_NAMES, page_arrays, sorted_unique, unique_inverse, word_hashes
from newsfold.clean.line_model import AdditiveScorer, load_line_model
from newsfold.clean.line_rules import SHARE_WORDS
from newsfold.models import Page

# `import newsfold.clean as ...` would give the function newsfold.clean (the public API), not the package
clean_module = importlib.import_module("newsfold.clean")

_PIECES = [
    "AP", "ap", "Reuters", "press", "Press", "United", "pa", "PA", "aa", "_ap", "ap_", "ap1", "2ap", "İ", "ǅ",
    "ß", "ﬁ", "K", "Σ", "ſ", "é", "の", "한", "и", "ا", "½", "²", "٣", " ", "\n", ",", "(", ")", "—", "’",
    "\ud83d", "😀", "the", "und", "der", "les", "que", "y", "2023", "Sept. 13, 2023", "12:30",
]  # fmt: skip
_text = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _naming_reference(texts: list[str]) -> list[int]:
    return [i for i, t in enumerate(texts) if metadata._AGENCY_WORD.search(t.lower())]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["19", "20", "1", "2", "0", "9", "٣", "²", " ", "x", "\n", "-"]), max_size=40)
)
def test_year_starts_are_the_regex_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert dates.year_starts(text) == [m.start() for m in dates._YEAR_HIT.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_text, max_size=8))
def test_naming_agency_matches_the_regex(texts: list[str]) -> None:
    assert metadata._naming_agency(texts) == _naming_reference(texts)


_LANG_WORDS = sorted(set().union(*metadata.STOPWORDS.values())) + ["Der", "LES", "word", "zzz"]
_AGENCY_PIECES = _PIECES + ["Kyodo", "KYODO", "Bloomberg", "associated", "xinhua", "dpa", "ANI", "Anadolu"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_AGENCY_PIECES), max_size=30).map("".join), min_size=1, max_size=8))
def test_agency_line_flags_are_the_regex_scan(lines: list[str]) -> None:
    lines = [line.replace("\n", " ") for line in lines]  # lines, as a page is split into them
    flagged = metadata.lines_naming_agency(lines)
    assert flagged.shape == (len(lines),)
    naming = set(_naming_reference(lines))
    for i, line in enumerate(lines):
        if flagged[i] != metadata.CHECK_AGENCY:
            assert (flagged[i] == metadata.NAMES_AGENCY) == (i in naming), line
        else:
            assert "\u0130" in line


@settings(max_examples=200, deadline=None)
@given(st.lists(_text, max_size=6), st.lists(_text, max_size=6))
def test_credits_from_flagged_lines_are_find_credits(texts: list[str], furniture: list[str]) -> None:
    texts = [t.replace("\n", " ") for t in texts]
    furniture = [t.replace("\n", " ") for t in furniture]
    flags = metadata.lines_naming_agency(texts + furniture).tolist()
    text_flags = {i: f for i, f in enumerate(flags[: len(texts)]) if f}
    furniture_flags = {i: f for i, f in enumerate(flags[len(texts) :]) if f}
    got = metadata.credits_flagged(texts, furniture, text_flags, furniture_flags)
    assert got == metadata.find_credits(texts, furniture)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_LANG_WORDS) | st.integers(0, 2**32 - 1), max_size=200), st.randoms())
def test_language_counts_match_isin_per_language(words: list, rnd) -> None:  # type: ignore[no-untyped-def]
    hashes = np.array([w if isinstance(w, int) else int(word_hashes([w])[0]) for w in words], np.uint32)
    lines_of = np.array(sorted(rnd.randrange(7) for _ in words), np.intp)
    want = np.stack(
        [np.bincount(lines_of[np.isin(hashes, lang)], minlength=7) for lang in line_fit._language_hashes()]
    )
    assert (line_fit._language_counts(hashes, lines_of, 7) == want).all()


def _lang_reference(text: str) -> str | None:
    """detect_lang as first written: regex letter runs and a Counter over all words."""
    sample = text[:20_000]
    words = re.findall(r"[^\W\d_]+", sample.lower())
    letters = sum(map(len, words))
    if letters < 20:
        return None
    for lang, script in metadata._SCRIPTS:
        if script.search(sample) and len(script.findall(sample)) > letters * (0.05 if lang == "ja" else 0.3):
            return lang
    if len(words) < 5:
        return None
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in stops) for lang, stops in metadata.STOPWORDS.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= max(2, 0.05 * len(words)) else None


_LANG_PIECES = _PIECES + [" la ", " de ", " og ", " het ", " é "]
_BATCH_PIECES = [*_LANG_PIECES, *_LANG_WORDS, "Σ", "ΣΑ", "Ω", "한국어", "日本の", "中文", "русский", "ελ",
                 "ไทย", "हिन्दी", "עברית", "عربي", "FÜR", "MÁS", "NÃO", "É"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_BATCH_PIECES), max_size=150).map(" ".join), max_size=6))
def test_detect_langs_is_detect_lang_of_each(texts: list[str]) -> None:
    assert metadata.detect_langs(texts) == [metadata.detect_lang(t) for t in texts]


def test_detect_langs_reads_only_the_first_20000_characters() -> None:
    texts = ["x " * 9_990 + "the of and to in is that for on with " * 50, "der die das und ist " * 10]
    assert metadata.detect_langs(texts) == [metadata.detect_lang(t) for t in texts] == [None, "de"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LANG_PIECES), max_size=120).map(" ".join))
def test_detect_lang_matches_the_plain_version(text: str) -> None:
    assert metadata.detect_lang(text) == _lang_reference(text)


@pytest.mark.parametrize("size", [0, 1, 2, 50, 5000])
def test_unique_inverse_is_numpys(size: int) -> None:
    rng = np.random.default_rng(size)
    small = rng.integers(0, 40, size, dtype=np.uint64)
    wide = small | (rng.integers(0, 2**60, size, dtype=np.uint64) << np.uint64(3))  # too wide to pack
    for keys in (small, wide, small << np.uint64(32)):
        assert np.array_equal(unique_inverse(keys), np.unique(keys, return_inverse=True)[1].ravel())


@pytest.mark.parametrize("size", [0, 1, 2, 50, 5000])
def test_sorted_unique_is_numpys(size: int) -> None:
    rng = np.random.default_rng(size)
    for keys in (rng.integers(-20, 20, size), rng.integers(0, 2**63, size, dtype=np.uint64)):
        values, counts = sorted_unique(keys, return_counts=True)
        want_values, want_counts = np.unique(keys, return_counts=True)
        assert values.dtype == want_values.dtype and np.array_equal(values, want_values)
        assert np.array_equal(counts, want_counts) and np.array_equal(sorted_unique(keys), want_values)


@pytest.mark.parametrize("rows", [5, 3000])  # few rows: binary searches; many: comparison passes
def test_scorer_bins_match_a_binary_search(rows: int) -> None:
    rng = np.random.default_rng(0)
    # 70 thresholds: more than comparison passes are made for (binary searches on any number of rows)
    thresholds = (
        tuple(sorted(rng.normal(size=3))), (), (0.0,), tuple(sorted(rng.normal(size=20))),
        tuple(sorted(rng.normal(size=70))),
    )  # fmt: skip
    values = tuple(tuple(rng.normal(size=len(t) + 1)) for t in thresholds)
    scorer = AdditiveScorer(("a", "b", "c", "d", "e"), 0.3, thresholds, values)
    x = rng.normal(size=(rows, 5))
    x[::7, 0] = thresholds[0][1]  # values on a threshold
    x[::11, 2] = -0.0
    x[::17, 4] = thresholds[4][30]
    x[::13] = np.nan
    want = np.full(rows, 0.3)
    for f, (th, va) in enumerate(zip(thresholds, values, strict=True)):
        want += np.asarray(va).take(np.searchsorted(np.asarray(th, float), x[:, f], side="left"))
    assert np.array_equal(scorer.logit(x), want)


def _published_reference(lines: list[str]) -> str | None:
    for m in re.finditer(r"^(?=[^\n]*\d)[^\n]{1,80}$", "\n".join(lines), re.M):
        day = parse_date_line(m.group(0))
        if day is not None:
            return day.isoformat()
    return None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "Home", "5 comments", "Posted 12:30", "Date: 2023-09-13 09:08", "Wednesday, July 3, 2024",
    "Sept. 13, 2023 and more words than a date line", "x" * 79 + " 2023", "2019", "Updated 13/09/2023",
    "© 2023 Example", "March 4, 2021 at 3 p.m. ET", "", "1999-12-31",
]), max_size=8))  # fmt: skip
def test_date_line_search_matches_the_line_scan(lines: list[str]) -> None:
    page = Page(id="p", kind="text", content="")
    got, _ = clean_module._published(page, None, lines[:3], lines[3:])
    assert got == _published_reference(lines)


def _parse_date_line_reference(line: str) -> object:
    """parse_date_line without its quick month/separator test."""
    if len(line) > 80:
        return None
    mentions = dates.find_full_dates(line)
    if len(mentions) != 1:
        return None
    m = mentions[0]
    rest = line[: m.start] + " " + line[m.end :]
    rest = dates._TIME.sub(" ", dates._LABEL.sub("", rest.strip()))
    rest = re.sub(r"\b(?:" + "|".join(dates._WEEKDAYS) + r")\b", " ", rest, flags=re.I)
    return m.date if not dates._FILLER.sub("", rest) else None


_MONTHS = ["Sept.", "SEPT", "ſept", "March", "may", "May", "Dec", "dec.", "Jun", "Octo"]
_date = st.one_of(
    st.builds("{} {}, {}".format, st.sampled_from(_MONTHS), st.integers(0, 40), st.integers(1890, 2031)),
    st.builds("{} of {} {}".format, st.integers(0, 40), st.sampled_from(_MONTHS), st.integers(1990, 2030)),
    st.builds("{}{}{}{}{}".format, st.integers(1990, 2030), st.sampled_from("-/."), st.integers(0, 13),
              st.sampled_from("-/."), st.integers(0, 32)),
    st.builds("{}{}{}{}{}".format, st.integers(0, 32), st.sampled_from("/.-"), st.integers(0, 32),
              st.sampled_from("/.-"), st.integers(1990, 2030)),
)  # fmt: skip
_around = st.sampled_from(["", "Date: ", "Posted ", "Wednesday, ", "© ", "x ", "2019 "])
_after = st.sampled_from(["", " 12:30 p.m. ET", " at 9:08", " and more", " 2020", "."])


@settings(max_examples=400, deadline=None)
@given(st.builds("{}{}{}".format, _around, _date, _after))
def test_parse_date_line_quick_test_changes_nothing(line: str) -> None:
    assert dates.parse_date_line(line) == _parse_date_line_reference(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_date, st.sampled_from(["in 2019", "© 2023", "word", ", ", " ", "May", "12"])),
                max_size=10).map(" ".join))  # fmt: skip
def test_full_dates_are_the_day_mentions(text: str) -> None:
    want = [m for m in dates.find_date_mentions(text) if m.precision == "day" and not m.relative]
    assert dates.find_full_dates(text) == want


def _words_by_hand(line: str) -> list[str]:
    """Maximal runs of letters and digits, as page_arrays defines words (BMP characters)."""
    words, word = [], ""
    for ch in line:
        if ord(ch) < 0x10000 and (ch.isalpha() or ch.isdigit()):
            word += ch
        elif word:
            words.append(word)
            word = ""
    return words + ([word] if word else [])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_text.map(str.strip).filter(bool), min_size=1, max_size=6), min_size=1, max_size=4))
def test_page_arrays_word_counts_match_a_plain_count(pages: list[list[str]]) -> None:
    model = load_line_model()
    pa = page_arrays(pages, model.stop_hashes, model.boiler_hashes, word_hashes(SHARE_WORDS))
    lines = [line for page in pages for line in page]
    col = STAGE1_NAMES.index
    for j, line in enumerate(lines):
        words = _words_by_hand(line)
        # A Han or kana character also counts as half a word (CJK text has no spaces between words).
        cjk_half = sum(any(lo <= ord(c) <= hi for lo, hi in CJK_RANGES) for c in line) / 2
        assert pa.n_words[j] == len(words) + cjk_half
        n = max(len(words) + cjk_half, 1)
        alpha = sum(all(c.isalpha() for c in w) for w in words) / n
        numeric = sum(all(c.isdigit() for c in w) for w in words) / n
        mean_len = sum(map(len, words)) / n
        assert pa.x1[j, col("alpha_ratio")] == np.round(alpha, 6)
        assert pa.x1[j, col("numeric_ratio")] == np.round(numeric, 6)
        assert pa.x1[j, col("mean_word_len")] == np.round(mean_len, 6)
        assert pa.digits[j] == sum(c.isdigit() and ord(c) < 0x10000 for c in line)


_PUNCT_PIECES = [".", "!", "?", "…", "。", "»", "|", "•", ",", "，", "、", " . ", "aB", "xY.", "\u00a0", "\t"]


def _bmp(ch: str) -> str:
    """The character page_arrays classifies (characters beyond the BMP read as U+FFFF: no class)."""
    return ch if ord(ch) < 0x10000 else "\uffff"


def _pages_of(pieces: list[str]) -> st.SearchStrategy[list[list[str]]]:
    """Batches of 1-4 pages of 1-6 non-empty lines glued from `pieces`."""
    line = st.lists(st.sampled_from(pieces), max_size=12).map("".join).map(str.strip).filter(bool)
    return st.lists(st.lists(line, min_size=1, max_size=6), min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(_pages_of(_PIECES + _PUNCT_PIECES))
def test_page_arrays_character_counts_match_a_plain_count(pages: list[list[str]]) -> None:
    """Tokens, sentence ends, commas, separators and glued blocks of each line, counted character by
    character (page_arrays counts the rarer classes from their positions)."""
    model = load_line_model()
    pa = page_arrays(pages, model.stop_hashes, model.boiler_hashes, word_hashes(SHARE_WORDS))
    lines = [line for page in pages for line in page]
    col = STAGE1_NAMES.index
    for j, line in enumerate(lines):
        chars = [_bmp(ch) for ch in line]
        space = [ch.isspace() for ch in chars]
        prev_space = [True, *space[:-1]]
        next_space = [*space[1:], True]
        cjk_half = sum(any(lo <= ord(c) <= hi for lo, hi in CJK_RANGES) for c in chars) / 2
        tokens = sum(not s and p for s, p in zip(space, prev_space, strict=True)) + cjk_half
        sentences = sum(
            c in ".!?。！？…" and n and not p for c, n, p in zip(chars, next_space, prev_space, strict=True)
        )
        commas = sum(c in ",，、" for c in chars)
        glued = sum(a.islower() and b.isupper() for a, b in pairwise(chars))
        assert pa.n_tokens[j] == tokens
        assert pa.separators[j] == sum(c in "|»›•·>▪►" for c in chars)
        assert pa.x1[j, col("log_sentences")] == np.round(np.log1p(sentences), 6)
        assert pa.x1[j, col("comma_rate")] == np.round(commas / max(tokens, 1), 6)
        assert pa.x1[j, col("glued")] == glued


_LONG_WORDS = ["x" * 31, "y" * 32, "Z" * 33, "ab1" * 30, "Straße" * 12]


@settings(max_examples=150, deadline=None)
@given(_pages_of(_PIECES + _LONG_WORDS))
def test_page_arrays_word_hashes_are_word_hashes(pages: list[list[str]]) -> None:
    """Each word's hash (weighed by its place in the text, see `_hash_words`) is `word_hashes`' of the
    word, words longer than the 32-place cycle included; a line's key: its words' hash sum and its length."""
    model = load_line_model()
    pa = page_arrays(pages, model.stop_hashes, model.boiler_hashes, word_hashes(SHARE_WORDS))
    lines = [line for page in pages for line in page]
    words = [w for line in lines for w in _words_by_hand(line)]
    assert pa.word_hash.tolist() == [int(word_hashes([w])[0]) for w in words]
    for j, line in enumerate(lines):
        hash_sum = sum(int(word_hashes([w])[0]) for w in _words_by_hand(line)) % (1 << 32)
        assert int(pa.line_key[j]) == hash_sum | (len(line) << 32)


_DATE_PIECES = [
    "1",
    "12",
    "2023",
    "𝟐𝟎𝟐𝟑",
    "٢٠٢٣",
    "²",
    "/",
    ".",
    ":",
    "-",
    " ",
    "Sept",
    "May",
    "x",
    "3 comments",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_DATE_PIECES), min_size=1, max_size=12).map("".join).map(str.strip)
                .filter(bool), min_size=1, max_size=12))  # fmt: skip
def test_date_mask_is_the_pattern_on_every_short_line_with_a_digit(lines: list[str]) -> None:
    _check_date_mask(lines)


@pytest.mark.parametrize("line", ["May 1 𝟐𝟎𝟐𝟑", "12 Sept 𝟐𝟎𝟐𝟑 x", "3 comments", "1 May 2023", "12:30"])
def test_date_mask_on_lines_the_digit_count_misjudges(line: str) -> None:
    _check_date_mask([line])


def _check_date_mask(lines: list[str]) -> None:
    model = load_line_model()
    pa = page_arrays([lines], model.stop_hashes, model.boiler_hashes, word_hashes(SHARE_WORDS))
    want = [
        bool(pa.n_tokens[j] <= 10 and pa.digits[j] > 0 and line_rules._DATE.search(line))
        for j, line in enumerate(lines)
    ]
    assert line_rules.date_mask(pa, np.ones(len(lines), bool)).tolist() == want


_NEEDLES = ("photo", "by ", "©", "ap", "é", "—", "?", "a?")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_PIECES + ["Photo", "©", "by ", "?", "É"]), max_size=12).map("".join)
             .map(lambda s: s.replace("\n", " ")), min_size=1, max_size=10),
    st.sets(st.sampled_from(_NEEDLES), min_size=1),
)  # fmt: skip
def test_joined_lines_find_what_each_lower_cased_line_holds(lines: list[str], needles: set[str]) -> None:
    """Needles are found in the one-byte copy of the text (`_latin1_text`) where they are in the text."""
    joined = line_rules.JoinedLines(lines)
    found = tuple(sorted(needles))
    assert joined.containing(found).tolist() == [any(n in line.lower() for n in found) for line in lines]
    assert joined.starting(found).tolist() == [line.lower().startswith(found) for line in lines]


def _title_by_page(pa, p0: int, p1: int, body: np.ndarray, titleish: np.ndarray, window: int) -> int | None:  # type: ignore[no-untyped-def]
    """The headline as one page's own slices find it (the plain version of `lines._titles`)."""
    hits = np.flatnonzero(body[p0:p1])
    if not hits.size:
        return None
    first = p0 + int(hits[0])
    lo = max(p0, first - window)
    cands = (np.flatnonzero(titleish[lo:first] & ~body[lo:first]) + lo).tolist()
    if not cands:
        return None
    page = "\n".join(pa.lines[p0:p1])
    repeated = [j for j in cands if page.count(pa.lines[j]) > 1]
    return repeated[-1] if repeated else cands[-1]


_TITLE_LINES = ["Big news today", "Big news", "news", "Menu", "A long line of prose text here.", "x"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_TITLE_LINES), min_size=1, max_size=25), min_size=1, max_size=5),
    st.randoms(use_true_random=False),
)
def test_titles_and_repeats_of_all_pages_are_those_found_page_by_page(pages: list[list[str]], rnd) -> None:  # type: ignore[no-untyped-def]
    from newsfold.clean.line_batch import LineBatch
    from newsfold.clean.lines import LineClassifier, _later_copies, _titles

    clf = LineClassifier()
    pa = clf.measure(pages)
    n = len(pa.lines)
    body = np.array([rnd.random() < 0.4 for _ in range(n)], bool)
    titleish = np.array([rnd.random() < 0.5 for _ in range(n)], bool)
    bounds = list(zip(pa.seg.firsts.tolist(), (pa.seg.firsts[1:].tolist() + [n]), strict=True))
    want = [_title_by_page(pa, p0, p1, body, titleish, clf.settings.title_window) for p0, p1 in bounds]
    batch = LineBatch.of(pa, np.zeros(n), 1.0, clf.settings)
    batch.body, batch.titleish = body, titleish
    assert _titles(batch) == want
    among = body & (pa.repeats > 1)
    later = [j for p0, p1 in bounds for j in (np.flatnonzero(among[p0:p1]) + p0).tolist()
             if (pa.line_key[p0:j] == pa.line_key[j]).any()]  # fmt: skip
    assert _later_copies(pa, among) == later


_LITERAL_PIECES = [", left,", ", Right)", "read more:", "See also :", "ſ", "K", ", ſecond from left)",
                   "—", "é", "😀", "?", "x", " "]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_LITERAL_PIECES), max_size=10).map("".join).map(str.strip), min_size=1,
             max_size=8)
)  # fmt: skip
def test_literal_patterns_match_the_same_lines_in_the_one_byte_text(lines: list[str]) -> None:
    joined = line_rules.JoinedLines(lines)
    for pattern in (line_rules._POSITION_WORDS, line_rules._PROMO_LABEL):
        assert joined.matching(pattern, ascii_literals=True).tolist() == joined.matching(pattern).tolist()


def _first_seen_numbers(ids: np.ndarray) -> np.ndarray:
    """Ids renumbered in order of first appearance (two numberings of one grouping become equal)."""
    first: dict[int, int] = {}
    return np.asarray([first.setdefault(i, len(first)) for i in ids.tolist()], ids.dtype)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=1, max_size=6), st.integers(-5, 5), st.randoms())
def test_segment_shift_is_a_shift_within_each_page(sizes: list[int], k: int, rnd) -> None:  # type: ignore[no-untyped-def]
    """`Segments.shift` moves values k lines within their page, filling where the page has none."""
    seg = line_features.Segments.of(np.asarray(sizes, np.intp))
    values = np.asarray([rnd.random() for _ in range(sum(sizes))])
    want, start = [], 0
    for size in sizes:
        page = values[start : start + size].tolist()
        want += [page[i - k] if 0 <= i - k < size else -1.0 for i in range(size)]
        start += size
    assert seg.shift(values, k, fill=-1.0).tolist() == want
    assert seg.shift(values, k, fill=-1.0).tolist() == want  # again, from the cached page edges


def test_ascii_lower_case_letters_share_one_class() -> None:
    """The compiled pass reads runs of a-z in a fast loop that assumes each is a plain lower-case letter
    (class ALPHA | LOWER, its own lower case): true of every one."""
    flags, lower, _ = line_features._tables()
    for code in range(ord("a"), ord("z") + 1):
        assert flags[code] == line_features.ALPHA | line_features.LOWER
        assert lower[code] == code


_TOPIC_WORDS = ["harbour", "strike", "council", "weather", "the", "and", "2024", "Harbour", "über", "ﬁnal"]
_topic_line = st.lists(st.sampled_from(_TOPIC_WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_topic_line, min_size=1, max_size=8), min_size=1, max_size=4), st.randoms())
def test_fit_counts_match_a_plain_count(pages: list[list[str]], rnd) -> None:  # type: ignore[no-untyped-def]
    """Per line, its content words found again elsewhere in its page's core lines, counted word by word;
    for chosen rows (the rules' reads), the same counts as for every line."""
    model = load_line_model()
    pa = page_arrays(pages, model.stop_hashes, model.boiler_hashes, word_hashes(SHARE_WORDS))
    words = pa.content_words
    core = np.array([rnd.random() < 0.5 for _ in pa.lines])
    want = np.zeros(len(pa.lines), int)
    for w, (line, word_id) in enumerate(zip(words.line.tolist(), words.ids.tolist(), strict=True)):
        others = [v for v, i in enumerate(words.ids.tolist()) if i == word_id and v != w]
        want[line] += any(core[words.line[v]] for v in others)
    assert np.array_equal(words.fit_counts(core), want)
    rows = np.array(sorted(rnd.sample(range(len(pa.lines)), rnd.randint(0, len(pa.lines)))), np.intp)
    assert np.array_equal(words.fit_counts(core, rows), want[rows])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.booleans(), min_size=1, max_size=12), min_size=1, max_size=5))
def test_distance_to_is_the_nearest_flagged_line_of_the_page(pages: list[list[bool]]) -> None:
    seg = line_features.Segments.of(np.array([len(page) for page in pages]))
    got = seg.distance_to(np.array([flag for page in pages for flag in page]))
    want = [
        min([abs(i - j) for j, flag in enumerate(page) if flag], default=len(page))
        for page in pages for i in range(len(page))
    ]  # fmt: skip
    assert got.tolist() == want
