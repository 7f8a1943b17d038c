"""The cleaner's compiled kernels behind one facade: each name here is the compiled function where it is
built, else the plain Python function below it, its spec (the same answers, far slower; one property
test a kernel checks that both agree, tests/clean/test_kernels.py).

This is the only module that imports compiled code. Kept: the kernels that carry the speed bar (text
dumps at least 10x jusText's pages/s in the same run, `bench/bench_text_dumps.py`; 13.5x before this
cut). Measured 2026-12-06 as CPU seconds of `clean_pages` on the 181 zyte dumps (best of 3, shared
machine), each old kernel replaced by its numpy version: 0.13 with all of them; 0.14 without `_segments`;
0.15-0.16 with only these five; 0.17 with `scan_lines` and `needle_hits` alone; 0.27 with none.
- `scan_lines` (`_scan.pyx`): every character of a batch's lines, once: classes, tokens, words, hashes;
  beside it `content_fit_counts`, the topical fit of those words (back on 2026-12-07: 5 of zyte's 117 ms
  in numpy, with the bar at ~107 ms).
- `needle_hits` (`_rules.pyx`): which of a few dozen short needles each line holds, lower-cased.
- `year_starts`, `agency_flags`, `language_counts` (`_textscan.pyx`): the metadata readers' scans.
Deleted, their numpy versions now the only ones: `_segments` (window means and runs), `content_fit_counts`,
the document-level fit loops, `date_lines`, `key_ids`, `distinct_units`, `year_lines`, `date_windows`;
`lower_by_table` with its only caller; `ends_with`, `strip_lines`, `occurs_elsewhere` (no caller left);
before, `_labels` and `_records`. After the cut, `bench_text_dumps.py`: 10.7-13.8x wall, 10.3-11.2x CPU
over seven runs on the loaded machine (before it, 9.5-14.4x and 10.8-12.4x in the same runs). Re-measure
with `bench/bench_kernel_block.py --block NAME`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from newsfold._native import compiled_kernel

__all__ = [
    "agency_flags", "compiled", "content_fit_counts", "language_counts", "needle_hits", "scan_lines",
    "year_starts",
]  # fmt: skip

# The character classes of `scan_lines` (bit flags in its `flags` table; `line_features` builds the
# table and reads the flags back). `_scan.pyx` repeats them as C constants (test_kernels.py would fail).
ALPHA, UPPER, LOWER, DIGIT, SPACE, END, COMMA, SEP, QUOTE, AT, CJK, CJK_STOP = (1 << k for k in range(12))
_WORD = ALPHA | DIGIT
_SLOW = 257  # `needle_hits`' table value of a character whose line the caller tests exactly
_U32 = 0xFFFFFFFF


def scan_lines_plain(
    lines: list[str],
    line_page: np.ndarray,
    flags: np.ndarray,
    word_lower: np.ndarray,
    powers: np.ndarray,
    keys: np.ndarray,
    bits: np.ndarray,
) -> tuple[Any, ...]:
    """Per-line counts and per-word facts of a batch's non-empty lines, in `line_features.LineScan` order.

    A word is a run of letters or digits (`ALPHA | DIGIT`); its hash is the sum, mod 2**32, of each
    character's `word_lower` code times `powers[position % 32]`. `keys`/`bits` hold the lexicons (bit 0
    stopword, 1 boilerplate, 2 share word). A content word (letters only, no stopword, >= 4 characters)
    gets an id per (page, hash), numbered as first met. Code points above the tables read their last entry.
    """
    n = len(lines)
    lexicon = {int(k): int(b) for k, b in zip(keys.tolist(), bits.tolist(), strict=True) if b}
    per_line = [_scan_line(line, flags, word_lower, powers, lexicon) for line in lines]
    counts = np.array([row[0] for row in per_line], np.float64).reshape(n, 15)
    first_last = np.array([row[1] for row in per_line], np.intp).reshape(n, 4)
    word_line, word_hash, content_line, content_ids = [], [], [], []
    page_ids: dict[int, int] = {}
    page, next_id = None, 0
    for k, (_, _, words) in enumerate(per_line):
        if words and line_page[k] != page:
            page, page_ids = line_page[k], {}
        for h, content in words:
            word_line.append(k)
            word_hash.append(h)
            if content:
                if h not in page_ids:
                    page_ids[h], next_id = next_id, next_id + 1
                content_line.append(k)
                content_ids.append(page_ids[h])
    c = dict(zip(_LINE_COUNTS, counts.T, strict=True))
    ends = dict(zip(("first_flags", "last_flags", "first_codes", "last_codes"), first_last.T, strict=True))
    hash_sum = np.zeros(n, np.uint32)
    for k, h in zip(word_line, word_hash, strict=True):
        hash_sum[k] = (int(hash_sum[k]) + h) & _U32
    return (
        np.fromiter(map(len, lines), np.intp, n), c["tokens"], c["cjk"], c["cjk_stops"], c["sentences"],
        c["commas"], c["separators"], c["digits"], c["glued"], c["has_at"] > 0,
        ends["first_flags"].astype(np.uint16), ends["last_flags"].astype(np.uint16), ends["first_codes"],
        ends["last_codes"], c["words"].astype(np.intp), c["title_words"], c["alpha_words"],
        c["numeric_words"], c["word_chars"], c["stop_words"],
        _lexicon_counts(word_line, word_hash, lexicon, n, 2),
        _lexicon_counts(word_line, word_hash, lexicon, n, 4), hash_sum,
        np.array(word_line, np.intp), np.array(word_hash, np.uint32),
        np.array(content_line, np.intp), np.array(content_ids, np.intp), next_id,
    )  # fmt: skip


def content_fit_counts_plain(
    line: np.ndarray, ids: np.ndarray, n_ids: int, core: np.ndarray, n_lines: int
) -> np.ndarray:
    """Per line (of `n_lines`), how many of its content words occur again in a core line of its page.

    Content word w stands on line `line[w]` with id `ids[w]` (< `n_ids`; one id per word and page);
    `core` (uint8, per line) is 1 for the page's core lines. A word counts when its id occurs on core
    lines more often than on its own line's (once if that line is core): the word's own occurrence is
    no evidence.
    """
    in_core = core[line].astype(np.intp)
    core_count = np.bincount(ids, weights=in_core, minlength=n_ids).astype(np.intp)
    return np.bincount(line[core_count[ids] > in_core], minlength=n_lines).astype(np.intp)


# What `_scan_line` counts per line, in its order (the names of `line_features.LineScan`).
_LINE_COUNTS = (
    "tokens", "cjk", "cjk_stops", "sentences", "commas", "separators", "digits", "glued", "has_at", "words",
    "title_words", "alpha_words", "numeric_words", "word_chars", "stop_words",
)  # fmt: skip


def _scan_line(
    line: str, flags: np.ndarray, word_lower: np.ndarray, powers: np.ndarray, lexicon: dict[int, int]
) -> tuple[list[int], list[int], list[tuple[int, bool]]]:
    """One line: its counts (tokens, cjk, cjk stops, sentences, commas, separators, digits, glued, "@",
    then `_word_counts`), its first and last class and code point, and its words as (hash, is content)."""
    if not line:
        return [0] * 15, [0] * 4, []
    top = flags.size - 1
    codes = [min(ord(ch), top) for ch in line]
    classes = [int(flags[c]) for c in codes] + [int(flags[10])]  # the newline after the line ends it
    tokens = cjk = cjk_stops = sentences = commas = separators = digits = glued = at_sign = 0
    prev = SPACE  # the line starts after a newline
    for j, f in enumerate(classes[:-1]):
        if not f & SPACE:
            tokens += bool(prev & SPACE)
            glued += bool(prev & LOWER and f & UPPER)
            sentences += bool(f & END and not prev & SPACE and classes[j + 1] & SPACE)
            commas += bool(f & COMMA)
            separators += bool(f & SEP)
            digits += bool(f & DIGIT)
            cjk += bool(f & CJK)
            cjk_stops += bool(f & CJK_STOP)
            at_sign |= bool(f & AT)
        prev = f
    counts, words = _word_counts(codes, classes, word_lower, powers, lexicon)
    line_counts = [tokens, cjk, cjk_stops, sentences, commas, separators, digits, glued, at_sign, *counts]
    return line_counts, [classes[0], classes[-2], ord(line[0]), ord(line[-1])], words


def _word_counts(
    codes: list[int], classes: list[int], word_lower: np.ndarray, powers: np.ndarray, lexicon: dict[int, int]
) -> tuple[list[int], list[tuple[int, bool]]]:
    """A line's words (runs of `ALPHA | DIGIT` characters): how many, how many start upper-case, are all
    letters, all digits, their characters, how many are stopwords; and each as (hash, is content)."""
    n_words = title = alpha = numeric = chars = stops = 0
    words: list[tuple[int, bool]] = []
    j = 0
    while j < len(codes):
        if not classes[j] & _WORD:
            j += 1
            continue
        start = j
        while classes[j] & _WORD:  # the class after the line has no word bit
            j += 1
        h = sum(int(word_lower[codes[i]]) * int(powers[(i - start) % 32]) for i in range(start, j)) & _U32
        n_digits = sum(bool(classes[i] & DIGIT) for i in range(start, j))
        stop = lexicon.get(h, 0) & 1
        words.append((h, n_digits == 0 and not stop and j - start >= 4))
        n_words += 1
        title += bool(classes[start] & UPPER)
        alpha += n_digits == 0
        numeric += n_digits == j - start
        chars += j - start
        stops += stop
    return [n_words, title, alpha, numeric, chars, stops], words


def _lexicon_counts(
    word_line: list[int], word_hash: list[int], lexicon: dict[int, int], n: int, bit: int
) -> np.ndarray:
    """Per line, how many of its words have the lexicon bit `bit`."""
    out = np.zeros(n, np.float64)
    for k, h in zip(word_line, word_hash, strict=True):
        out[k] += bool(lexicon.get(h, 0) & bit)
    return out


def needle_hits_plain(
    lines: list[str],
    subset: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    needle_chars: np.ndarray,
    needle_at: np.ndarray,
    by_first: np.ndarray,
    first_at: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per line of `subset`, bit k set when needle k occurs in a newline + the line lowered through
    `table` (0 for the others); and the lines holding a character whose `table` entry is `_SLOW` (hits 0:
    the caller tests them exactly). Needle k is `needle_chars[needle_at[k]:needle_at[k + 1]]` (Latin-1);
    `pairs`, `by_first` and `first_at` only speed the compiled search. Code points above U+FFFF match nothing.
    """
    chars = needle_chars.tobytes().decode("latin-1")
    needles = [chars[a:b] for a, b in zip(needle_at[:-1].tolist(), needle_at[1:].tolist(), strict=True)]
    hits = np.zeros(len(lines), np.uint64)
    slow = np.zeros(len(lines), bool)
    for k in subset.tolist():
        lowered = [int(table[ord(ch)]) if ord(ch) <= 0xFFFF else 0 for ch in lines[k]]
        if _SLOW in lowered:
            slow[k] = True
            continue
        text = "\n" + "".join(map(chr, lowered))
        hits[k] = sum(1 << m for m, needle in enumerate(needles) if needle in text)
    return hits, slow


def year_starts_plain(text: str) -> list[int]:
    """Where the matches of `(?:19|20)\\d\\d` start, leftmost first and not overlapping (as `finditer`);
    `\\d` is any Unicode decimal digit, as in the pattern."""
    out: list[int] = []
    i = 0
    while i + 4 <= len(text):
        if text[i : i + 2] in ("19", "20") and text[i + 2 : i + 4].isdecimal():
            out.append(i)
            i += 4
        else:
            i += 1
    return out


def _word_codes(text: str, code: np.ndarray) -> list[list[int]]:
    """The words of text: runs of characters whose `code` is not 0, each as its list of codes."""
    words: list[list[int]] = []
    current: list[int] = []
    for ch in text:
        c = int(code[ord(ch)])
        if c:
            current.append(c)
        elif current:
            words.append(current)
            current = []
    return [*words, current] if current else words


def agency_flags_plain(
    lines: list[str],
    code: np.ndarray,
    words: np.ndarray,
    last2: np.ndarray,
    unsure: int,
    max_letters: int,
    names: int,
    check: int,
) -> np.ndarray:
    """Per line: `check` where a character's code is `unsure`, else `names` where a word (run of non-zero
    codes) of at most `max_letters` codes, read as one number (5 bits a code, first highest), is among
    `words`, else 0. (`last2` only speeds the compiled search.)"""
    wanted = set(words.tolist())
    out = np.zeros(len(lines), np.uint8)
    for k, line in enumerate(lines):
        found = _word_codes(line, code)
        if any(unsure in word for word in found):
            out[k] = check
        elif any(len(word) <= max_letters and _number(word, 5, first_high=True) in wanted for word in found):
            out[k] = names
    return out


def _number(word: list[int], bits: int, first_high: bool) -> int:
    """The codes of a word as one number, `bits` a code, the first code highest or lowest."""
    return sum(c << (bits * (len(word) - 1 - k if first_high else k)) for k, c in enumerate(word))


def language_counts_plain(
    texts: list[str],
    code: np.ndarray,
    script: np.ndarray,
    stop_codes: np.ndarray,
    stop_langs: np.ndarray,
    first2: np.ndarray,
    first_marked: int,
    n_scripts: int,
    n_langs: int,
    max_letters: int,
    bits: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per text: letters (characters of non-zero code), words (runs of them), characters of each script
    (code points at or above `first_marked` whose `script` is not 0), and words of each language's
    stopwords (a word of at most `max_letters` codes, read as one number, `bits` a code, first lowest,
    found in `stop_codes`; `stop_langs` has a bit per language). (`first2` only speeds the compiled search.)
    """
    langs_of = dict(zip(stop_codes.tolist(), stop_langs.tolist(), strict=True))
    letters = np.zeros(len(texts), np.int64)
    n_words = np.zeros(len(texts), np.int64)
    scripts = np.zeros((len(texts), n_scripts), np.int64)
    per_lang = np.zeros((len(texts), n_langs), np.int64)
    for k, text in enumerate(texts):
        found = _word_codes(text, code)
        letters[k] = sum(map(len, found))
        n_words[k] = len(found)
        for ch in text:
            if ord(ch) >= first_marked and script[ord(ch)]:
                scripts[k, script[ord(ch)]] += 1
        for word in found:
            langs = langs_of.get(_number(word, bits, first_high=False), 0) if len(word) <= max_letters else 0
            for lang in range(n_langs):
                per_lang[k, lang] += (langs >> lang) & 1
    return letters, n_words, scripts, per_lang


def _compiled(module: str, name: str, plain: Callable[..., Any]) -> Callable[..., Any]:
    """`newsfold.clean.<module>.<name>` where that extension is built (and not blocked), else `plain`."""
    return compiled_kernel(f"newsfold.clean.{module}", name) or plain


scan_lines = _compiled("_scan", "scan_lines", scan_lines_plain)
content_fit_counts = _compiled("_scan", "content_fit_counts", content_fit_counts_plain)
needle_hits = _compiled("_rules", "needle_hits", needle_hits_plain)
year_starts = _compiled("_textscan", "year_starts", year_starts_plain)
agency_flags = _compiled("_textscan", "agency_flags", agency_flags_plain)
language_counts = _compiled("_textscan", "language_counts", language_counts_plain)


def compiled() -> Sequence[str]:
    """The names of the kernels that run compiled (the benchmarks print it)."""
    plain = {
        "scan_lines": scan_lines_plain, "content_fit_counts": content_fit_counts_plain,
        "needle_hits": needle_hits_plain, "year_starts": year_starts_plain,
        "agency_flags": agency_flags_plain, "language_counts": language_counts_plain,
    }  # fmt: skip
    return [name for name, function in plain.items() if globals()[name] is not function]
