# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled character scans of the metadata readers: years (`dates.year_starts`), agency words
(`metadata.lines_naming_agency`) and the language counts (`metadata.detect_langs`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and these scans read every character of
a batch (1.5M on the zyte dumps) in numpy passes of a dozen temporary arrays each, or in Python loops
over candidates; one C loop per scan reads each character once. Each has its plain Python spec (and
fallback where no compiler built this) in `_kernels.py`; tests/clean/test_kernels.py checks both agree.
"""

import numpy as np

from cpython.unicode cimport (
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISSPACE,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_New,
    PyUnicode_READ,
    PyUnicode_WRITE,
)
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memchr

cdef Py_ssize_t CODE_POINTS = 0x110000  # the tables by code point cover them all (read unchecked)


def year_starts(str text):
    """Where the matches of `(?:19|20)\\d\\d` start, leftmost first and not overlapping (as `finditer`);
    `\\d` is any Unicode decimal digit, as in the pattern."""
    cdef Py_ssize_t n = len(text), i = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 c0, c1
    if kind == 1:
        return _year_starts_1byte(<const uint8_t*>data, n)
    if kind == 2:
        return _year_starts_wide(<const uint16_t*>data, n)
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


cdef list _year_starts_1byte(const uint8_t* data, Py_ssize_t n):
    """`year_starts` of a one-byte str: memchr (vectorised) jumps to each "1" and "2", the candidates are
    taken in order, each at or past the end of the last year found."""
    cdef const uint8_t* end = data + n - 3  # a year starts before the last 3 characters
    cdef const uint8_t* ones = _next(data, end, 49)
    cdef const uint8_t* twos = _next(data, end, 50)
    cdef const uint8_t* at
    cdef const uint8_t* free = data  # where the next year may start
    out = []
    while ones != NULL or twos != NULL:
        if twos == NULL or (ones != NULL and ones < twos):
            at = ones
            ones = _next(at + 1, end, 49)
            if at >= free and at[1] == 57 and Py_UNICODE_ISDECIMAL(at[2]) and Py_UNICODE_ISDECIMAL(at[3]):
                out.append(at - data)
                free = at + 4
        else:
            at = twos
            twos = _next(at + 1, end, 50)
            if at >= free and at[1] == 48 and Py_UNICODE_ISDECIMAL(at[2]) and Py_UNICODE_ISDECIMAL(at[3]):
                out.append(at - data)
                free = at + 4
    return out


cdef list _year_starts_wide(const uint16_t* data, Py_ssize_t n):
    """`year_starts` of a two-byte str: a plain loop over its units (no kind switch per character), most
    of them not "1" or "2" (one unsigned comparison)."""
    cdef Py_ssize_t i = 0
    cdef uint16_t c0
    out = []
    while i + 4 <= n:
        c0 = data[i]
        if <uint16_t>(c0 - 49) <= 1:  # "1" or "2"
            if data[i + 1] == (57 if c0 == 49 else 48) and Py_UNICODE_ISDECIMAL(data[i + 2]) \
                    and Py_UNICODE_ISDECIMAL(data[i + 3]):
                out.append(i)
                i += 4
                continue
        i += 1
    return out


cdef inline const uint8_t* _next(const uint8_t* at, const uint8_t* end, uint8_t byte) noexcept:
    """The first `byte` in [at, end), or NULL."""
    return <const uint8_t*>memchr(at, byte, end - at) if at < end else NULL


ctypedef fused char_t:  # a str's characters as stored: 1, 2 or 4 bytes each (PyUnicode_KIND)
    uint8_t
    uint16_t
    uint32_t


cdef enum:
    SLOTS = 1024  # the hash tables of word codes below (at most half full)


cdef inline Py_ssize_t _slot(uint64_t value) noexcept nogil:
    return <Py_ssize_t>((value * <uint64_t>0x9E3779B97F4A7C15) >> 54)  # 10 bits of a Fibonacci hash


cdef void _fill(uint64_t* keys, int32_t* index, const uint64_t[::1] codes) except *:
    """An open-addressing hash table of `codes` (non-zero, distinct): `_lookup` gives each one's index.

    Why not a binary search: stopwords make a third of a text's words, and a search's branches are
    mispredicted at each of its steps."""
    cdef Py_ssize_t i, s
    if codes.shape[0] > SLOTS // 2:
        raise ValueError("too many codes for the hash table")
    for s in range(SLOTS):
        keys[s] = 0
        index[s] = -1
    for i in range(codes.shape[0]):
        if codes[i] == 0:
            raise ValueError("a word's code is never 0")
        s = _slot(codes[i])
        while keys[s] != 0:
            s = (s + 1) & (SLOTS - 1)
        keys[s] = codes[i]
        index[s] = <int32_t>i


cdef inline Py_ssize_t _lookup(const uint64_t* keys, const int32_t* index, uint64_t value) noexcept nogil:
    """The index of value among the codes of the table, or -1."""
    cdef Py_ssize_t s = _slot(value)
    while keys[s] != 0:
        if keys[s] == value:
            return index[s]
        s = (s + 1) & (SLOTS - 1)
    return -1


cdef uint8_t _agency_line(const char_t* chars, Py_ssize_t length, const uint8_t* code, const uint64_t* keys,
                          const int32_t* index, const uint8_t* last2, uint8_t unsure, uint8_t names,
                          uint8_t check) noexcept nogil:
    """`agency_flags` of one line (words of at most 12 codes).

    Branch-free but for the rare word that `last2` lets through: a word ends at every fifth character or
    so, and a branch there would be mispredicted at each. Each letter shifts the word's code by 5 bits
    (first letter highest): one shift and one "or" a character, where placing a letter at its own
    position took a multiply and a clamp (15% slower on the zyte dumps). The code of a word longer than
    12 characters loses its first letters (the length, clipped to 15, rules it out in `last2`).
    """
    cdef Py_ssize_t j, wlen = 0
    cdef uint64_t value = 0, letter
    cdef uint8_t c
    cdef bint named = False, doubt = False
    for j in range(length + 1):  # one step past the end closes the last word
        c = code[chars[j]] if j < length else 0
        if (c == 0) & last2[((wlen if wlen < 15 else 15) << 10) | (value & 1023)]:  # "&": one branch
            named |= _lookup(keys, index, value) >= 0
        doubt |= c == unsure
        letter = -(<uint64_t>(c != 0))  # all ones in a word, else 0
        value = ((value << 5) | c) & letter
        wlen = (wlen + 1) & <Py_ssize_t>letter
    return check if doubt else (names if named else 0)


def agency_flags(list lines, const uint8_t[::1] code, const uint64_t[::1] words, const uint8_t[::1] last2,
                 uint8_t unsure, int max_letters, uint8_t names, uint8_t check):
    """Per line: `check` where a character's code is `unsure`, else `names` where a word (run of non-zero
    codes) of at most `max_letters` codes (5 bits each, first highest) is among `words`, else 0.

    `last2` (by length, next-to-last and last code) tells the words worth looking up; see
    `metadata._agency_kernel_tables`.
    """
    cdef Py_ssize_t n = len(lines), k, length
    cdef int kind
    cdef void* data
    cdef str line
    if code.shape[0] < CODE_POINTS or last2.shape[0] < (16 << 10) or max_letters != 12 or words.shape[0] == 0:
        raise ValueError("tables of every code point and of 4-bit lengths, words of <= 12 codes")
    flags_a = np.zeros(n, np.uint8)
    cdef uint8_t[::1] flags = flags_a
    cdef uint64_t[SLOTS] keys
    cdef int32_t[SLOTS] index
    _fill(keys, index, words)
    for k in range(n):
        line = lines[k]
        length = len(line)
        kind = PyUnicode_KIND(line)
        data = PyUnicode_DATA(line)
        if kind == 1:
            flags[k] = _agency_line(<const uint8_t*>data, length, &code[0], keys, index, &last2[0], unsure,
                                    names, check)
        elif kind == 2:
            flags[k] = _agency_line(<const uint16_t*>data, length, &code[0], keys, index, &last2[0], unsure,
                                    names, check)
        else:
            flags[k] = _agency_line(<const uint32_t*>data, length, &code[0], keys, index, &last2[0], unsure,
                                    names, check)
    return flags_a


cdef void _count_text(const char_t* chars, Py_ssize_t length, const uint8_t* code, const uint8_t* script,
                      const uint64_t* keys, const int32_t* index, const uint16_t* stop_langs,
                      const uint8_t* first2, uint32_t first_marked, int n_langs, Py_ssize_t max_letters,
                      int bits, int64_t* counts, int64_t* scripts, int64_t* per_lang) noexcept nogil:
    """`language_counts` of one text: counts[0] letters, counts[1] words; scripts and per_lang by index.

    Branch-free at word ends but for the rare word that `first2` lets through (see `_agency_line`); the
    code of a word longer than `max_letters` takes garbage past them, and its length is read as 0 (no
    stopword is that short) in `first2`.
    """
    cdef Py_ssize_t j, wlen = 0, at, key_shift = 2 * bits, two = (1 << key_shift) - 1
    cdef uint64_t value = 0, letter
    cdef uint32_t cp
    cdef uint8_t c, s
    cdef uint16_t langs
    cdef int lang
    cdef int64_t n_letters = 0, n_words = 0
    for j in range(length + 1):  # one step past the end closes the last word
        if j < length:
            cp = chars[j]
            c = code[cp]
            if cp >= first_marked:
                s = script[cp]
                if s:
                    scripts[s] += 1
        else:
            c = 0
        n_letters += c != 0
        n_words += (c == 0) & (wlen != 0)
        if (c == 0) & first2[((wlen if wlen <= max_letters else 0) << key_shift) | (value & two)]:
            at = _lookup(keys, index, value)
            if at >= 0:
                langs = stop_langs[at]
                for lang in range(n_langs):
                    per_lang[lang] += (langs >> lang) & 1
        letter = -(<uint64_t>(c != 0))  # all ones in a word, else 0
        value = (value | (<uint64_t>c << (bits * (wlen if wlen < max_letters else max_letters)))) & letter
        wlen = (wlen + 1) & <Py_ssize_t>letter
    counts[0] = n_letters
    counts[1] = n_words


def language_counts(list texts, const uint8_t[::1] code, const uint8_t[::1] script,
                    const uint64_t[::1] stop_codes, const uint16_t[::1] stop_langs, const uint8_t[::1] first2,
                    uint32_t first_marked, int n_scripts, int n_langs, int max_letters, int bits):
    """Per text: letters (non-zero codes), words (runs of them), characters of each script (at or above
    `first_marked`, `script` non-zero) and words of each language's stopwords (a word of at most
    `max_letters` codes, `bits` each, first lowest, found in `stop_codes`; `stop_langs` has a bit per
    language). `first2` (by length, second and first code) tells the words worth coding."""
    cdef Py_ssize_t n = len(texts), k, length
    cdef int kind
    cdef void* data
    cdef str text
    cdef int64_t[2] counts
    letters_a = np.zeros(n, np.int64)
    words_a = np.zeros(n, np.int64)
    scripts_a = np.zeros((n, n_scripts), np.int64)
    per_lang_a = np.zeros((n, n_langs), np.int64)
    cdef int64_t[::1] letters = letters_a, words = words_a
    cdef int64_t[:, ::1] scripts = scripts_a, per_lang = per_lang_a
    cdef uint64_t[SLOTS] keys
    cdef int32_t[SLOTS] index
    if code.shape[0] < CODE_POINTS or script.shape[0] < CODE_POINTS or stop_codes.shape[0] == 0 \
            or first2.shape[0] < ((max_letters + 1) << (2 * bits)) or (max_letters + 1) * bits > 64 \
            or n_langs > 16:
        raise ValueError("tables of every code point and of every word length")
    _fill(keys, index, stop_codes)
    for k in range(n):
        text = texts[k]
        length = len(text)
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        if kind == 1:
            _count_text(<const uint8_t*>data, length, &code[0], &script[0], keys, index, &stop_langs[0],
                        &first2[0], first_marked, n_langs, max_letters, bits, counts, &scripts[k, 0],
                        &per_lang[k, 0])
        elif kind == 2:
            _count_text(<const uint16_t*>data, length, &code[0], &script[0], keys, index, &stop_langs[0],
                        &first2[0], first_marked, n_langs, max_letters, bits, counts, &scripts[k, 0],
                        &per_lang[k, 0])
        else:
            _count_text(<const uint32_t*>data, length, &code[0], &script[0], keys, index, &stop_langs[0],
                        &first2[0], first_marked, n_langs, max_letters, bits, counts, &scripts[k, 0],
                        &per_lang[k, 0])
        letters[k] = counts[0]
        words[k] = counts[1]
    return letters_a, words_a, scripts_a, per_lang_a
