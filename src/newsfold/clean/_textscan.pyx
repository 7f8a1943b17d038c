# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled character scans of the metadata readers: years (`dates.year_starts`), lower case
(`metadata.lower_text`), agency words (`metadata.lines_naming_agency`) and the language counts
(`metadata.detect_langs`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and these scans read every character of
a batch (1.5M on the zyte dumps) in numpy passes of a dozen temporary arrays each, or in Python loops
over candidates; one C loop per scan reads each character once. Each module keeps its numpy or Python
version as the reference (and the fallback where no compiler built this), and a property test
(tests/clean/test_clean_speed.py) checks that both agree.
"""

import numpy as np

from cpython.unicode cimport (
    Py_UNICODE_ISDECIMAL,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_New,
    PyUnicode_READ,
    PyUnicode_WRITE,
)
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t

cdef Py_ssize_t CODE_POINTS = 0x110000  # the tables by code point cover them all (read unchecked)


def year_starts(str text):
    """Where the matches of `(?:19|20)\\d\\d` start, leftmost first and not overlapping (as `finditer`);
    `\\d` is any Unicode decimal digit, as in the pattern."""
    cdef Py_ssize_t n = len(text), i = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 c0, c1
    out = []
    while i + 4 <= n:
        c0 = PyUnicode_READ(kind, data, i)
        if c0 == 49 or c0 == 50:  # "1", "2"
            c1 = PyUnicode_READ(kind, data, i + 1)
            if ((c0 == 49 and c1 == 57) or (c0 == 50 and c1 == 48)) \
                    and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i + 2)) \
                    and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i + 3)):
                out.append(i)
                i += 4
                continue
        i += 1
    return out


def lower_by_table(str text, const uint32_t[::1] lowered):
    """`text` with each character replaced by `lowered[character]`, or None when the text holds "İ"
    (U+0130, two characters in lower case) or "Σ" (U+03A3, whose lower case depends on its neighbours).

    Two passes: the first finds the widest lower-case character, so the result is made at its canonical
    width (a str of the same characters at another width would not compare equal).
    """
    cdef Py_ssize_t n = len(text), i
    cdef int kind = PyUnicode_KIND(text), out_kind
    cdef void* data = PyUnicode_DATA(text)
    cdef void* out_data
    cdef Py_UCS4 c, widest = 0
    if lowered.shape[0] < CODE_POINTS:
        raise ValueError("a table of every code point is needed")
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == 0x130 or c == 0x3A3:
            return None
        if lowered[c] > widest:
            widest = lowered[c]
    out = PyUnicode_New(n, widest)
    out_kind = PyUnicode_KIND(out)
    out_data = PyUnicode_DATA(out)
    for i in range(n):
        PyUnicode_WRITE(out_kind, out_data, i, lowered[PyUnicode_READ(kind, data, i)])
    return out


cdef inline bint _among(const uint64_t[::1] sorted_codes, uint64_t value, Py_ssize_t* at) noexcept nogil:
    """Binary search: is value in sorted_codes (its index in *at)?"""
    cdef Py_ssize_t lo = 0, hi = sorted_codes.shape[0], mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if sorted_codes[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    at[0] = lo
    return lo < sorted_codes.shape[0] and sorted_codes[lo] == value


def agency_flags(list lines, const uint8_t[::1] code, const uint64_t[::1] words, const uint8_t[::1] first2,
                 int unsure, int max_letters, uint8_t names, uint8_t check):
    """Per line: `check` where a character's code is `unsure`, else `names` where a word (run of non-zero
    codes) of at most `max_letters` codes (5 bits each, first lowest) is among `words`, else 0.

    `first2` (by length, second and first code) tells the words worth coding; see `_agency_tables`.
    """
    cdef Py_ssize_t n = len(lines), k, j, length, wlen, at
    cdef int kind
    cdef void* data
    cdef uint8_t c, first = 0, second = 0
    cdef uint64_t value
    cdef bint named, doubt
    cdef str line
    if code.shape[0] < CODE_POINTS or first2.shape[0] < (16 << 10) or max_letters > 12:
        raise ValueError("tables of every code point and of 4-bit lengths, words of <= 12 codes")
    flags_a = np.zeros(n, np.uint8)
    cdef uint8_t[::1] flags = flags_a
    for k in range(n):
        line = lines[k]
        length = len(line)
        kind = PyUnicode_KIND(line)
        data = PyUnicode_DATA(line)
        named = doubt = False
        wlen = 0
        value = 0
        for j in range(length + 1):  # one step past the end closes the last word
            c = code[PyUnicode_READ(kind, data, j)] if j < length else 0
            if c:
                if c == unsure:
                    doubt = True
                if wlen < max_letters:
                    value |= (<uint64_t>c) << (5 * wlen)
                wlen += 1
            elif wlen:
                if not named and 2 <= wlen <= max_letters and wlen < 16:
                    first = value & 31
                    second = (value >> 5) & 31
                    if first2[(wlen << 10) | (second << 5) | first] and _among(words, value, &at):
                        named = True
                wlen = 0
                value = 0
        flags[k] = check if doubt else (names if named else 0)
    return flags_a


def language_counts(list texts, const uint8_t[::1] code, const uint8_t[::1] script,
                    const uint64_t[::1] stop_codes, const uint16_t[::1] stop_langs, const uint8_t[::1] first2,
                    Py_UCS4 first_marked, int n_scripts, int n_langs, int max_letters, int bits):
    """Per text: letters (non-zero codes), words (runs of them), characters of each script (at or above
    `first_marked`, `script` non-zero) and words of each language's stopwords (a word of at most
    `max_letters` codes, `bits` each, first lowest, found in `stop_codes`; `stop_langs` has a bit per
    language). `first2` (by length, second and first code) tells the words worth coding."""
    cdef Py_ssize_t n = len(texts), k, j, length, wlen, at
    cdef int kind, lang
    cdef void* data
    cdef Py_UCS4 cp
    cdef uint8_t c, s
    cdef uint64_t value
    cdef uint16_t langs
    cdef int64_t n_letters, n_words
    cdef str text
    letters_a = np.zeros(n, np.int64)
    words_a = np.zeros(n, np.int64)
    scripts_a = np.zeros((n, n_scripts), np.int64)
    per_lang_a = np.zeros((n, n_langs), np.int64)
    cdef int64_t[::1] letters = letters_a, words = words_a
    cdef int64_t[:, ::1] scripts = scripts_a, per_lang = per_lang_a
    cdef Py_ssize_t key_shift = 2 * bits, mask = (1 << bits) - 1
    if code.shape[0] < CODE_POINTS or script.shape[0] < CODE_POINTS \
            or first2.shape[0] < ((max_letters + 1) << key_shift) or max_letters * bits > 64:
        raise ValueError("tables of every code point and of every word length")
    for k in range(n):
        text = texts[k]
        length = len(text)
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        n_letters = n_words = 0
        wlen = 0
        value = 0
        for j in range(length + 1):  # one step past the end closes the last word
            if j < length:
                cp = PyUnicode_READ(kind, data, j)
                c = code[cp]
                if cp >= first_marked:
                    s = script[cp]
                    if s:
                        scripts[k, s] += 1
            else:
                c = 0
            if c:
                n_letters += 1
                if wlen < max_letters:
                    value |= (<uint64_t>c) << (bits * wlen)
                wlen += 1
            elif wlen:
                n_words += 1
                if wlen <= max_letters \
                        and first2[(wlen << key_shift) | (((value >> bits) & mask) << bits) | (value & mask)] \
                        and _among(stop_codes, value, &at):
                    langs = stop_langs[at]
                    for lang in range(n_langs):
                        if (langs >> lang) & 1:
                            per_lang[k, lang] += 1
                wlen = 0
                value = 0
        letters[k] = n_letters
        words[k] = n_words
    return letters_a, words_a, scripts_a, per_lang_a
