"""Per-line features of a plain-text page dump, computed for a whole page in a few numpy passes.

Why numpy over characters: the cleaner must run at >= 10x jusText's pages/s, so the page is joined
once, turned into an array of code points, and every count (tokens, stopwords, title-case words,
punctuation, separators, glued blocks) is a vectorised pass with per-line sums; words are hashed in
numpy so stopword and topical-fit look-ups never loop in Python. Stage 1 features describe a line and its
neighbourhood; stage 2 features describe the stage-1 scores around a line (sequence smoothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain
from typing import Any, NamedTuple

import numpy as np

from newsfold.clean import _kernels
from newsfold.clean._kernels import (
    ALPHA,
    AT,
    CJK,
    CJK_STOP,
    COMMA,
    DIGIT,
    END,
    LOWER,
    QUOTE,
    SEP,
    SPACE,
    UPPER,
)

__all__ = [
    "STAGE1_NAMES",
    "STAGE2_NAMES",
    "ContentWords",
    "LineScan",
    "PageArrays",
    "Segments",
    "page_arrays",
    "scan_lines",
    "sorted_unique",
    "stage2_columns",
    "stage2_features",
    "unique_inverse",
    "word_count",
    "word_hashes",
    "word_tokens",
]

# Character classes (bit flags, `_kernels.ALPHA`...), looked up for every code point of the page.
_END_CHARS = ".!?。！？…"
_COMMA_CHARS = ",，、"
_SEP_CHARS = "|»›•·>▪►"
_QUOTE_CHARS = "\"”’»'“"
_BULLET_CHARS = "-–—•·*»›>|▪►●◦+"
# Scripts written without spaces between words (Han, kana): a character there carries about half a word.
# Hangul is left out: Korean puts spaces between words.
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_CJK_SPAN = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES)
_CJK_CHAR = re.compile(f"[{_CJK_SPAN}]")
_OTHER_WORD = re.compile(rf"[^\W{_CJK_SPAN}]+")  # a run of letters and digits of the other scripts
_WORD_TOKEN = re.compile(rf"[{_CJK_SPAN}]|[^\W{_CJK_SPAN}]+")
# A Han or kana character counts as half a word (2 characters a word): Chinese words average about 1.5-1.7
# characters and Japanese ones run longer with their kana endings, so 2 lies between; and it is the weight
# the line model's features were trained with (`n_tokens`, `n_words`: half a word a character).
CJK_WORD_WEIGHT = 0.5
# Their most frequent function characters (Japanese particles, Chinese grammatical words), counted as
# stopwords: they play the part of "the", "of", "is" in a prose line.
_CJK_STOP_CHARS = "のはをにがでともへやかなだ的了是在和有不这我也就都而及与"
_HASH_BASE = 1_000_003  # odd multiplier of the polynomial word hash (mod 2**32)
_HASH_SPAN = 32  # character positions cycle every 32 (longer words still hash, just less uniquely)

STAGE1_NAMES: tuple[str, ...] = (
    "log_chars", "log_tokens", "end_sentence", "end_quote", "end_colon", "end_other", "stop_ratio",
    "log_stops", "title_ratio", "alpha_ratio", "numeric_ratio", "mean_word_len", "log_sentences",
    "comma_rate", "separators", "bullet_start", "boiler_ratio", "log_repeats", "rel_pos", "first_upper",
    "has_at", "bracketed", "topic_fit", "prose", "glued",
    "prev1_chars", "prev1_end", "prev1_stop", "next1_chars", "next1_end", "next1_stop",
    "prev2_chars", "prev2_end", "next2_chars", "next2_end", "prev1_repeat", "next1_repeat",
    "prose_w5", "prose_w11", "prose_w25", "chars_w5", "chars_w11", "repeat_w5", "fit_w5",
    "prose_before", "prose_after", "log_dist_prose", "log_dist_core", "short_run", "list_run",
    "page_log_lines", "page_prose_share", "block_share", "block_share_near", "short_w11",
)  # fmt: skip

STAGE2_NAMES: tuple[str, ...] = (
    "s1", "s1_prev1", "s1_next1", "s1_prev2", "s1_next2", "s1_prev3", "s1_next3",
    "s1_mean5", "s1_mean11", "s1_max_before3", "s1_max_after3", "s1_rel_max", "s1_body_before",
    "s1_body_after", "s1_inside_span", "log_chars", "end_sentence", "short_run", "list_run", "log_repeats",
    "topic_fit", "boiler_ratio", "body_fit", "body_fit_w3", "s1_block_share", "s1_block_share_near",
    "main_before", "main_after", "main_fit",
)  # fmt: skip


@cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class flags and lower-case code of every BMP code point, and the word-hash position powers."""
    flags = np.zeros(0x10000, np.uint16)
    lower = np.arange(0x10000, dtype=np.uint32)
    for c in range(0x10000):
        ch = chr(c)
        f = 0
        if ch.isalpha():
            f |= ALPHA
            low = ch.lower()
            if len(low) == 1:
                lower[c] = ord(low)
        f |= UPPER if ch.isupper() else 0
        f |= LOWER if ch.islower() else 0
        f |= DIGIT if ch.isdigit() else 0
        f |= SPACE if ch.isspace() else 0
        flags[c] = f
    for chars, bit in ((_END_CHARS, END), (_COMMA_CHARS, COMMA), (_SEP_CHARS, SEP), (_QUOTE_CHARS, QUOTE),
                       ("@", AT)):  # fmt: skip
        for ch in chars:
            flags[ord(ch)] |= bit
    for lo, hi in _CJK_RANGES:
        flags[lo : hi + 1] |= CJK
    for ch in _CJK_STOP_CHARS:
        flags[ord(ch)] |= CJK_STOP
    powers = np.ones(_HASH_SPAN, np.uint32)
    for k in range(1, _HASH_SPAN):
        powers[k] = (int(powers[k - 1]) * _HASH_BASE) % (1 << 32)
    for a in (flags, lower, powers):
        a.setflags(write=False)
    return flags, lower, powers


@cache
def _bullet_table() -> np.ndarray:
    """Whether each BMP code point is a bullet (`_BULLET_CHARS`): a look-up, cheaper than `np.isin`."""
    table = np.zeros(0x10000, bool)
    table[[ord(c) for c in _BULLET_CHARS]] = True
    table.setflags(write=False)
    return table


@cache
def _word_lower() -> np.ndarray:
    """The lower-case table with 0 for every character outside words: their word-hash term is 0."""
    flags, lower, _ = _tables()
    out = np.where((flags & (ALPHA | DIGIT)) != 0, lower, 0).astype(np.uint32)
    out.setflags(write=False)
    return out


def word_count(tokens: Sequence[str]) -> float:
    """How many words a line split into `tokens` holds, fair to languages written without spaces: a token
    without Han or kana counts one (as `len(tokens)`); in one with them, each such character counts
    `CJK_WORD_WEIGHT` and each run of other letters or digits one ("2024年" 1.5). Where the spaces fall in
    Han or kana text (none, or a dump's between inline elements) changes nothing.

    Why not `page_arrays`'s `n_tokens` (tokens between spaces, plus half a word a Han or kana character):
    it counts a spaceless run one more, so a six-character menu label ("おすすめ情報") reads as four words;
    the model learnt its weights with that feature, the rules' thresholds are in words.

    >>> word_count("the 2024 plan".split()), word_count(["東京都の", "2024年"])
    (3.0, 3.5)
    """
    joined = "".join(tokens)
    if joined.isascii() or not _CJK_CHAR.search(joined):
        return float(len(tokens))
    count = 0.0
    for token in tokens:
        cjk = len(_CJK_CHAR.findall(token))
        count += CJK_WORD_WEIGHT * cjk + len(_OTHER_WORD.findall(token)) if cjk else 1
    return count


def word_tokens(text: str) -> list[str]:
    """The runs of letters and digits of `text`, each Han or kana character a token of its own: their words'
    bounds are not written, and a dump's spaces between inline elements fall inside words ("ゴルフ 界も")."""
    return _WORD_TOKEN.findall(text)


def word_hashes(words: Iterable[str]) -> np.ndarray:
    """Sorted hashes of words, as page_arrays hashes them (words made only of letters and digits)."""
    flags, lower, powers = _tables()
    out = set()
    for w in words:
        if w and all(ch.isalnum() for ch in w) and all(ord(ch) < 0x10000 for ch in w):
            h = sum(int(lower[ord(ch)]) * int(powers[i % _HASH_SPAN]) for i, ch in enumerate(w))
            out.add(h % (1 << 32))
    return np.asarray(sorted(out), dtype=np.uint32)


# The lexicons' words by the low 20 bits of their hash: a few thousand words, where two share a slot only
# the first is kept (as the direct-address table the numpy scan read; the kernels keep that answer).
_SLOT_BITS = 20


@cache
def _merged(sets: tuple[bytes, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Direct-address table over several lexicons: slot -> stored hash and one bit per lexicon.

    Why: a table look-up is two `take`s per word, several times cheaper than a binary search; a slot
    shared by two different lexicon words (rare) keeps the first one.
    """
    keys = np.zeros(1 << _SLOT_BITS, np.uint32)
    bits = np.zeros(1 << _SLOT_BITS, np.uint8)
    for k, b in enumerate(sets):
        for h in np.frombuffer(b, np.uint32).tolist():
            slot = h & ((1 << _SLOT_BITS) - 1)
            if bits[slot] == 0 or keys[slot] == h:
                keys[slot] = h
                bits[slot] |= 1 << k
    keys.setflags(write=False)
    bits.setflags(write=False)
    return keys, bits


@dataclass(frozen=True)
class Segments:
    """Where each page of a batch sits in the concatenated lines (every page has >= 1 line)."""

    page: np.ndarray  # page number of each line
    pstart: np.ndarray  # first line of each line's page
    pend: np.ndarray  # one past the last line of each line's page
    firsts: np.ndarray  # first line of each page
    idx: np.ndarray  # 0..n-1

    @classmethod
    def of(cls, page_sizes: np.ndarray) -> Segments:
        firsts = np.concatenate(([0], np.cumsum(page_sizes)[:-1])).astype(np.intp)
        page = np.repeat(np.arange(page_sizes.size), page_sizes)
        pstart = firsts[page]
        return cls(page, pstart, pstart + page_sizes[page], firsts, np.arange(page.size))

    def shift(self, a: np.ndarray, k: int, fill: float = 0.0) -> np.ndarray:
        """a moved k lines within each page (k > 0: the value k lines before), padded with fill."""
        n = a.size
        if k == 0:
            return np.array(a, np.float64)
        if abs(k) >= n:
            return np.full(n, fill)
        out = np.empty(n)
        if k > 0:
            out[k:] = a[:-k]
            out[:k] = fill
        else:
            out[:k] = a[-k:]
            out[k:] = fill
        out[self._edges(k)] = fill
        return out

    def _edges(self, k: int) -> np.ndarray:
        """The lines a shift by k fills: the first k lines of each page (k > 0), or its last -k.

        Found from the pages' bounds (a few per page), not by comparing every line's place in its page.
        """
        edges = self.__dict__.setdefault("_edge_cache", {})
        if k not in edges:
            sizes = np.diff(np.append(self.firsts, self.idx.size))
            steps = np.arange(abs(k))
            inside = steps[None, :] < sizes[:, None]
            if k > 0:
                at = self.firsts[:, None] + steps[None, :]
            else:
                at = (self.firsts + sizes - 1)[:, None] - steps[None, :]
            edges[k] = at[inside]
        return edges[k]

    def window_mean(self, a: np.ndarray, width: int) -> np.ndarray:
        """Centred moving average within each page (edges averaged over the part inside the page)."""
        return self.window_means(a, width)[0]

    def window_means(self, a: np.ndarray, *widths: int) -> tuple[np.ndarray, ...]:
        """`window_mean` of a for each of `widths`, from one running sum (a batch's sum takes as long as
        its differences)."""
        c = np.concatenate(([0.0], np.cumsum(a, dtype=np.float64)))
        return tuple((c[hi] - c[lo]) / count for lo, hi, count in map(self._window, widths))

    def _window(self, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each line's centred window of `width` lines cut to its page: first line, one past the last, and
        how many lines (as floats, the divisor), found once per width (a batch takes 12 window means)."""
        windows = self.__dict__.setdefault("_window_cache", {})
        if width not in windows:
            half = width // 2
            lo = np.maximum(self.idx - half, self.pstart)
            hi = np.minimum(self.idx + half + 1, self.pend)
            windows[width] = lo, hi, (hi - lo).astype(np.float64)
        return windows[width]

    def page_sum(self, a: np.ndarray) -> np.ndarray:
        """Per-line total of a over the line's page."""
        return np.add.reduceat(np.asarray(a, np.float64), self.firsts)[self.page]

    def page_max(self, a: np.ndarray) -> np.ndarray:
        """Per-line maximum of a over the line's page."""
        return np.maximum.reduceat(np.asarray(a, np.float64), self.firsts)[self.page]

    def cum_before(self, a: np.ndarray) -> np.ndarray:
        """Sum of a over the earlier lines of the same page."""
        c = np.cumsum(a, dtype=np.float64)
        return c - a - (c - a)[self.firsts][self.page]

    def run_lengths(self, flag: np.ndarray) -> np.ndarray:
        """Length of the run of consecutive True flags (within a page) each line sits in; 0 when False."""
        prev = self.shift(flag.astype(np.float64), 1) > 0
        run_id = np.cumsum(flag & ~prev) - 1
        if not flag.any():
            return np.zeros(flag.size)
        lengths = np.bincount(run_id[flag])
        return np.where(flag, lengths[np.maximum(run_id, 0)], 0).astype(np.float64)

    def distance_to(self, flag: np.ndarray) -> np.ndarray:
        """Lines to the nearest flagged line of the same page (the page's length when it has none)."""
        far = (self.pend - self.pstart).astype(np.float64)
        if not flag.any():
            return far
        n = flag.size
        # the nearest flagged line before each line, and at or after it (-1 and n where there is none):
        # running maxima and minima, cheaper than a binary search per line
        left = np.empty(n, np.intp)
        left[0] = -1
        np.maximum.accumulate(np.where(flag[:-1], self.idx[:-1], -1), out=left[1:])
        right = np.minimum.accumulate(np.where(flag, self.idx, n)[::-1])[::-1]
        dl = np.where(left >= self.pstart, self.idx - left, far)
        dr = np.where(right < self.pend, right - self.idx, far)
        return np.minimum(np.minimum(dl, dr), far)

    def run_share(self, flag: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """Weight of the run of flagged lines each line sits in, over the page's heaviest run (0 outside)."""
        if not flag.any():
            return np.zeros(flag.size)
        prev = self.shift(flag.astype(np.float64), 1) > 0
        run_id = np.cumsum(flag & ~prev) - 1
        mass = np.bincount(run_id[flag], weights=weight[flag])
        own = np.where(flag, mass[np.maximum(run_id, 0)], 0.0)
        return own / np.maximum(self.page_max(own), 1e-9)

    def first_max(self, a: np.ndarray) -> np.ndarray:
        """Per-line index of the first line of its page where a reaches the page's maximum."""
        at = np.flatnonzero(a >= self.page_max(a))
        _, first = np.unique(self.page[at], return_index=True)
        return at[first][self.page]


@dataclass(frozen=True)
class ContentWords:
    """The content words of a batch (letters only, not a stopword, >= 4 letters): topical-fit evidence.

    Kept apart from the other words: every fit count (four a batch) reads only these, half the words.
    """

    line: np.ndarray  # each content word's line
    ids: np.ndarray  # an id per content word, unique within the batch (same word on the same page, same id)
    n_ids: int  # how many ids
    per_line: np.ndarray  # how many content words each line holds (float)

    def fit_counts(self, core: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Per line: how many of its content words occur in its page's other core lines; with `rows`
        (line indices), per line of `rows` only (`_kernels.content_fit_counts`: one pass over the batch's
        words costs less than picking the rows' words out)."""
        core_u8 = np.ascontiguousarray(core, np.bool_).view(np.uint8)
        counts = _kernels.content_fit_counts(self.line, self.ids, self.n_ids, core_u8, self.per_line.size)
        return counts if rows is None else counts[rows]

    def fit(self, core: np.ndarray) -> np.ndarray:
        """Per line, the share of its content words found in the page's other core lines (-1: none)."""
        return np.where(self.per_line > 0, self.fit_counts(core) / np.maximum(self.per_line, 1), -1.0)


@dataclass(frozen=True)
class PageArrays:
    """A batch of pages' stripped lines (concatenated), per-line measurements and stage-1 features."""

    seg: Segments
    lines: list[str]
    line_key: np.ndarray  # per line: a hash of its lower-cased words (equal lines, equal keys)
    n_tokens: np.ndarray
    n_words: np.ndarray
    end_sentence: np.ndarray
    prose: np.ndarray
    repeats: np.ndarray
    separators: np.ndarray
    share_words: np.ndarray
    digits: np.ndarray
    list_run: np.ndarray
    end_period: np.ndarray
    end_bracket: np.ndarray
    bullet: np.ndarray
    x1_columns: tuple[np.ndarray, ...]  # the stage-1 features, one contiguous column each (STAGE1_NAMES)
    content_words: ContentWords
    word_line: np.ndarray  # per word: its line
    word_hash: np.ndarray  # per word: its hash (as `word_hashes` makes them)
    last_codes: np.ndarray  # per line: the code point of its last character

    @cached_property
    def x1(self) -> np.ndarray:
        """The stage-1 feature matrix (lines x STAGE1_NAMES), made only when asked for (training)."""
        return np.column_stack(self.x1_columns)

    def column(self, name: str) -> np.ndarray:
        """One stage-1 feature of every line."""
        return self.x1_columns[STAGE1_NAMES.index(name)]


@dataclass(frozen=True)
class LineScan:
    """What one pass over the characters of a batch's lines finds: per-line counts, per-word facts.

    Words are maximal runs of letters and digits (no word spans two lines), hashed as `word_hashes`
    hashes them. Made by `_kernels.scan_lines` (compiled, or its plain spec).
    """

    lens: np.ndarray  # characters per line
    tokens: np.ndarray  # space-separated tokens (Han/kana characters not counted apart)
    cjk: np.ndarray  # Han and kana characters
    cjk_stops: np.ndarray  # CJK function characters (`_CJK_STOP_CHARS`)
    sentences: np.ndarray  # sentence ends: an end mark after a non-space, before a space or the line's end
    commas: np.ndarray
    separators: np.ndarray
    digits: np.ndarray
    glued: np.ndarray  # a lower-case letter followed by an upper-case one (blocks glued without a space)
    has_at: np.ndarray  # bool
    first_flags: np.ndarray  # class flags of the first and last character
    last_flags: np.ndarray
    first_codes: np.ndarray  # code points of the first and last character
    last_codes: np.ndarray
    words: np.ndarray  # words per line (int)
    title_words: np.ndarray  # words starting with an upper-case letter
    alpha_words: np.ndarray  # words of letters only
    numeric_words: np.ndarray  # words of digits only
    word_chars: np.ndarray  # characters in words
    stop_words: np.ndarray  # words in the stopword, boilerplate and share-word lexicons
    boiler_words: np.ndarray
    share_words: np.ndarray
    hash_sum: np.ndarray  # uint32 sum of the line's word hashes
    word_line: np.ndarray  # per word: its line
    word_hash: np.ndarray  # per word: its hash
    content_line: np.ndarray  # per content word (letters only, not a stopword, >= 4 characters): its line
    content_ids: np.ndarray  # per content word: an id, equal exactly for the same word on the same page
    n_content_ids: int


def scan_lines(
    lines: list[str],
    line_page: np.ndarray,
    stop_hashes: np.ndarray,
    boiler_hashes: np.ndarray,
    share_hashes: np.ndarray,
) -> LineScan:
    """The `LineScan` of non-empty lines (`line_page`: each line's page, in order): `_kernels.scan_lines`."""
    flags, _, powers = _tables()
    keys, bits = _probe_table((stop_hashes.tobytes(), boiler_hashes.tobytes(), share_hashes.tobytes()))
    line_page = np.ascontiguousarray(line_page, np.intp)
    return LineScan(*_kernels.scan_lines(lines, line_page, flags, _word_lower(), powers, keys, bits))


@cache
def _probe_table(sets: tuple[bytes, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The entries of `_merged`'s direct-address table in a small linear-probing table (compiled scan).

    Why: the direct table spans 5 MB, and in the compiled pass a word's look-up there was a cache miss
    that cost more than reading its characters; the same (hash, lexicon bits) entries in a table a
    quarter full fit in the processor's cache. Same entries, same answers.
    """
    keys, bits = _merged(sets)
    slots = np.flatnonzero(bits)
    size = 64
    while size < 4 * slots.size:
        size *= 2
    table_keys = np.zeros(size, np.uint32)
    table_bits = np.zeros(size, np.uint8)
    for h, b in zip(keys[slots].tolist(), bits[slots].tolist(), strict=True):
        slot = (h * 2654435761) % (1 << 32) % size
        while table_bits[slot]:
            slot = (slot + 1) % size
        table_keys[slot], table_bits[slot] = h, b
    return table_keys, table_bits


def page_arrays(
    pages: Sequence[list[str]], stop_hashes: np.ndarray, boiler_hashes: np.ndarray, share_hashes: np.ndarray
) -> PageArrays:
    """Measure every line of a batch of pages (stripped, non-empty lines; no empty page) in one pass.

    Why a batch: numpy's per-call cost dominates on one page of ~170 lines, so pages are concatenated
    and every per-page quantity (windows, shifts, positions, page totals) respects page boundaries.
    """
    seg = Segments.of(np.fromiter(map(len, pages), np.intp, len(pages)))
    lines = list(chain.from_iterable(pages))
    scan = scan_lines(lines, seg.page, stop_hashes, boiler_hashes, share_hashes)
    shape = _LineShape.of(scan, seg)
    list_run = seg.run_lengths(shape.n_tokens <= 15)
    return PageArrays(seg, lines, shape.line_key, shape.n_tokens, shape.n_words, shape.end_sentence,
                      shape.prose, shape.repeats, scan.separators, scan.share_words, scan.digits, list_run,
                      scan.last_codes == ord("."), shape.end_bracket, shape.bullet,
                      _stage1_columns(seg, scan, shape, list_run), shape.content_words, scan.word_line,
                      scan.word_hash, scan.last_codes)  # fmt: skip


@dataclass(frozen=True)
class _LineShape:
    """What the stage-1 features of a batch's lines are made from, besides the scan's own counts."""

    n_tokens: np.ndarray  # tokens, a Han/kana character counting half
    n_words: np.ndarray  # words, likewise
    n_stops: np.ndarray  # stopwords and CJK function characters
    n_chars: np.ndarray  # characters, a Han/kana character counting two
    end_sentence: np.ndarray
    end_quote: np.ndarray
    end_colon: np.ndarray
    end_other: np.ndarray  # ends in neither of those, nor a letter or digit
    end_bracket: np.ndarray
    bracketed: np.ndarray  # starts or ends with a bracket
    bullet: np.ndarray  # starts with a bullet character (`_BULLET_CHARS`)
    line_key: np.ndarray  # a hash of the line's lower-cased words and its length (equal lines, equal keys)
    repeats: np.ndarray  # lines of the page with the same key
    prose: np.ndarray  # a sentence of >= 60 characters
    content_words: ContentWords
    topic_fit: np.ndarray  # share of its content words in the page's other prose lines (-1: none)

    @classmethod
    def of(cls, scan: LineScan, seg: Segments) -> _LineShape:
        cjk_half = scan.cjk * CJK_WORD_WEIGHT  # a run of Han/kana holds no spaces: words by its characters
        last, first_codes, last_codes = scan.last_flags, scan.first_codes, scan.last_codes
        end_sentence, end_quote, end_colon = (last & END) != 0, (last & QUOTE) != 0, last_codes == ord(":")
        end_bracket = (last_codes == 41) | (last_codes == 93)
        # Line identity without building lower-cased strings: the sum of its word hashes and its length.
        line_key = scan.hash_sum.astype(np.uint64) | (scan.lens.astype(np.uint64) << np.uint64(32))
        inverse = unique_inverse(line_key ^ (seg.page.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)))
        n_chars = (scan.lens + scan.cjk).astype(np.float64)  # a CJK character weighs two letters
        prose = (end_sentence | end_quote) & (n_chars >= 60)
        per_line = np.bincount(scan.content_line, minlength=scan.lens.size) * 1.0
        content_words = ContentWords(scan.content_line, scan.content_ids, scan.n_content_ids, per_line)
        return cls(
            n_tokens=scan.tokens + cjk_half, n_words=scan.words.astype(np.float64) + cjk_half,
            n_stops=scan.stop_words + scan.cjk_stops, n_chars=n_chars, end_sentence=end_sentence,
            end_quote=end_quote, end_colon=end_colon,
            end_other=~(end_sentence | end_quote | end_colon) & ((last & (ALPHA | DIGIT)) == 0),
            end_bracket=end_bracket, bracketed=(first_codes == 40) | (first_codes == 91) | end_bracket,
            bullet=_bullet_table().take(np.minimum(first_codes, 0xFFFF)), line_key=line_key,
            repeats=np.bincount(inverse)[inverse].astype(np.float64), prose=prose,
            content_words=content_words, topic_fit=content_words.fit(prose),
        )  # fmt: skip


def _stage1_columns(
    seg: Segments, scan: LineScan, shape: _LineShape, list_run: np.ndarray
) -> tuple[np.ndarray, ...]:
    """The stage-1 features (`STAGE1_NAMES`), a rounded column each."""
    f64 = np.float64
    n_tokens, n_chars, prose, words = shape.n_tokens, shape.n_chars, shape.prose, np.maximum(shape.n_words, 1)
    log_chars = np.log1p(n_chars)
    endf = (shape.end_sentence | shape.end_quote).astype(f64)
    short_run = seg.run_lengths((n_tokens <= 12) & ~shape.end_sentence)
    prose_f = prose.astype(f64)
    prose_chars = n_chars * prose_f
    total_prose = seg.page_sum(prose_chars)
    safe_total = np.maximum(total_prose, 1.0)
    before = seg.cum_before(prose_chars) / safe_total
    after = (total_prose - before * safe_total - prose_chars) / safe_total
    core = seg.first_max(seg.window_mean(prose_chars, 11))
    page_lines = (seg.pend - seg.pstart).astype(f64)
    rep = (shape.repeats > 1).astype(f64)
    # The article is usually the page's heaviest run of text lines: each line's run against the heaviest.
    block = seg.run_share(n_tokens >= 6, n_chars)
    wm, topic_fit = seg.window_mean, shape.topic_fit

    def sh(a: np.ndarray, k: int) -> _Exact:
        # A shift of a rounded (or whole-number) column: its values are already what rounding makes.
        return _Exact(seg.shift(a, k))

    # Columns whose shifts are features too are rounded once (a shift moves values, pads with 0.0).
    log_chars_r, stop_ratio_r, block_r = _round6(log_chars), _round6(shape.n_stops / words), _round6(block)
    cols = (
        _Exact(log_chars_r), np.log1p(n_tokens), shape.end_sentence, shape.end_quote, shape.end_colon,
        shape.end_other, _Exact(stop_ratio_r), np.log1p(shape.n_stops), scan.title_words / words,
        scan.alpha_words / words, scan.numeric_words / words, scan.word_chars / words,
        np.log1p(scan.sentences), scan.commas / np.maximum(n_tokens, 1), _Exact(scan.separators),
        shape.bullet, scan.boiler_words / words, np.log(shape.repeats),
        (seg.idx - seg.pstart) / np.maximum(page_lines - 1, 1), (scan.first_flags & UPPER) != 0,
        scan.has_at, shape.bracketed, topic_fit, _Exact(prose_f), _Exact(scan.glued),
        sh(log_chars_r, 1), sh(endf, 1), sh(stop_ratio_r, 1), sh(log_chars_r, -1), sh(endf, -1),
        sh(stop_ratio_r, -1), sh(log_chars_r, 2), sh(endf, 2), sh(log_chars_r, -2), sh(endf, -2), sh(rep, 1),
        sh(rep, -1), *seg.window_means(prose_f, 5, 11, 25), *seg.window_means(log_chars, 5, 11),
        wm(rep, 5), wm(topic_fit, 5), before, after, np.log1p(seg.distance_to(prose)),
        np.log1p(np.abs(seg.idx - core).astype(f64)), _Exact(short_run), _Exact(list_run),
        np.log1p(page_lines), seg.page_sum(prose_f) / page_lines, _Exact(block_r),
        _Exact(np.maximum(np.maximum(seg.shift(block_r, 1), seg.shift(block_r, -1)), block_r)),
        # The density of short lines around a line (menus, link lists, a list page's items): short as
        # `short_run` counts it, over the 11-line window the other neighbourhood means use; not tuned (the
        # feature: 5-fold CV by site zyte 0.9294 -> 0.9305, Fundus 0.9286 -> 0.9298 with main_*).
        wm((n_tokens <= 12).astype(f64), 11),
    )  # fmt: skip
    # Kept as columns: the scorer reads one feature at a time, and a matrix would be 55 more copies
    # written into fresh memory.
    return _rounded_columns(cols)


class _Exact(NamedTuple):
    """A feature column that rounding would not change (already rounded, or whole numbers): copied as is."""

    values: np.ndarray


def _round6(a: np.ndarray) -> np.ndarray:
    """a rounded as `_rounded_columns` rounds its columns."""
    return np.round(a, 6)


def _rounded_columns(cols: Sequence[np.ndarray | _Exact]) -> tuple[np.ndarray, ...]:
    """The columns as float columns, rounded to 6 decimals.

    Rounded so that values differing only by float noise are equal: the model's thresholds then never
    fall within noise of a value, and the numpy scorer agrees with scikit-learn line for line. Boolean
    and integer columns, and `_Exact` ones (shifts of a rounded column, counts), need no rounding.
    A float column not marked `_Exact` is the caller's own temporary and is rounded in place: a batch's
    80 columns in fresh memory were a few thousand page faults a batch (zyte: ~2 ms of ~110).
    """
    out = []
    for col in cols:
        if isinstance(col, _Exact):
            out.append(np.ascontiguousarray(col.values, np.float64))
        elif col.dtype.kind == "f":
            out.append(np.round(col, 6, out=col))
        else:
            out.append(col.astype(np.float64))
    return tuple(out)


def sorted_unique(a: np.ndarray, return_counts: bool = False) -> Any:
    """`np.unique(a)` (and, with `return_counts`, `np.unique(a, return_counts=True)`) of a 1-d integer array.

    Why: numpy 2's `np.unique` finds the distinct values by hashing and then sorts them, several times
    slower on the batch's arrays (tens of thousands of integers) than one sort and a comparison of
    neighbours. The sort need not be stable (equal integers are alike): numpy's default sort of 31,000
    integers takes a tenth of the stable one's time.
    """
    ranked = np.sort(a)
    new = np.empty(ranked.size, bool)
    if ranked.size:
        new[0] = True
        np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    values = ranked[new]
    if not return_counts:
        return values
    return values, np.diff(np.append(np.flatnonzero(new), ranked.size))


def unique_inverse(keys: np.ndarray) -> np.ndarray:
    """`np.unique(keys, return_inverse=True)[1]` of unsigned keys, two to three times as fast.

    When each key and its index fit in 64 bits together, one plain sort of (key, index) pairs packed
    into integers replaces the argsort (sorting is twice as fast as argsorting).
    """
    key_bits = int(keys.max()).bit_length() if keys.size else 0
    index_bits = max(keys.size - 1, 1).bit_length()
    if key_bits + index_bits <= 64:
        packed = (keys.astype(np.uint64) << np.uint64(index_bits)) | np.arange(keys.size, dtype=np.uint64)
        packed.sort()
        order = (packed & np.uint64((1 << index_bits) - 1)).astype(np.intp)
        ranked = packed >> np.uint64(index_bits)
    else:
        order = np.argsort(keys)
        ranked = keys[order]
    new = np.empty(keys.size, np.intp)
    if keys.size:
        new[0] = 0
        np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    inverse = np.empty(keys.size, np.intp)
    inverse[order] = np.cumsum(new)
    return inverse


def stage2_features(s1: np.ndarray, pa: PageArrays) -> np.ndarray:
    """Stage-2 matrix (lines x STAGE2_NAMES), as training reads it."""
    return np.column_stack(stage2_columns(s1, pa))


def stage2_columns(s1: np.ndarray, pa: PageArrays) -> tuple[np.ndarray, ...]:
    """Stage-2 features, a column each: stage-1 body probabilities around each line, a few stage-1
    features."""
    seg = pa.seg
    n = s1.size
    # Topical fit with the article as stage 1 sees it (its likely body lines), not just with all prose.
    body_fit = pa.content_words.fit(s1 >= 0.5)
    # Runs of likely body lines (one unlikely line may sit inside a run, e.g. a subheading).
    likely = s1 >= 0.5
    bridged = likely | (
        seg.shift(likely.astype(np.float64), 1) * seg.shift(likely.astype(np.float64), -1) > 0
    )
    s1_block = seg.run_share(bridged, pa.column("log_chars") * s1)
    hit = (s1 >= 0.5).astype(np.float64)
    total = np.maximum(seg.page_sum(hit), 1.0)
    before = seg.cum_before(hit)
    first_hit = np.minimum.reduceat(np.where(hit > 0, seg.idx, n), seg.firsts)[seg.page]
    last_hit = np.maximum.reduceat(np.where(hit > 0, seg.idx, -1), seg.firsts)[seg.page]
    inside = (seg.idx >= first_hit) & (seg.idx <= last_hit)
    # The main text as stage 1 sees it: the page's heaviest run of likely body lines. A line's distance
    # before or after it, and its words' fit with it alone (teasers and list items stand apart from it).
    # With short_w11, 5-fold CV by site (bench/train_line_model.py, split 0, the rules of 59620d2): zyte
    # 0.9294 -> 0.9305, Fundus 0.9286 -> 0.9298.
    main = s1_block >= 1.0 - 1e-9
    first_main = np.minimum.reduceat(np.where(main, seg.idx, n), seg.firsts)[seg.page]
    last_main = np.maximum.reduceat(np.where(main, seg.idx, -1), seg.firsts)[seg.page]
    has_main = last_main >= 0
    main_before = np.where(has_main, np.log1p(np.maximum(first_main - seg.idx, 0)), 0.0)
    main_after = np.where(has_main, np.log1p(np.maximum(seg.idx - last_main, 0)), 0.0)
    main_fit = pa.content_words.fit(main)
    sh = seg.shift
    # Shifts (and their maxima) of the rounded scores are what rounding the shifted scores makes.
    s1_r, s1_block_r = _round6(s1), _round6(s1_block)
    p1, p2, p3, n1, n2, n3 = sh(s1_r, 1), sh(s1_r, 2), sh(s1_r, 3), sh(s1_r, -1), sh(s1_r, -2), sh(s1_r, -3)

    def stage1(feature: str) -> _Exact:
        return _Exact(pa.column(feature))  # the stage-1 columns are rounded already

    cols = (
        _Exact(s1_r), _Exact(p1), _Exact(n1), _Exact(p2), _Exact(n2), _Exact(p3), _Exact(n3),
        *seg.window_means(s1, 5, 11),
        _Exact(np.maximum(np.maximum(p1, p2), p3)), _Exact(np.maximum(np.maximum(n1, n2), n3)),
        s1 / np.maximum(seg.page_max(s1), 1e-9), before / total, (total - before - hit) / total, inside,
        stage1("log_chars"), stage1("end_sentence"), stage1("short_run"), stage1("list_run"),
        stage1("log_repeats"), stage1("topic_fit"), stage1("boiler_ratio"), body_fit,
        seg.window_mean(body_fit, 3), _Exact(s1_block_r),
        _Exact(np.maximum(np.maximum(sh(s1_block_r, 1), sh(s1_block_r, -1)), s1_block_r)),
        main_before, main_after, main_fit,
    )  # fmt: skip
    return _rounded_columns(cols)
