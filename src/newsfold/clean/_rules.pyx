# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The compiled needle scan of the line rules (`line_rules.needle_hits`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and which of a few dozen short needles
(credit words, copyright marks, comment-box words, byline prefixes) each chosen line holds, lower-cased,
took joining and lower-casing the lines, a one-byte copy of the text and a `str.find` per needle; here
one C pass per line lowers each character through a table and tries only the needles whose first two
characters are there. Its plain Python spec (and fallback where no compiler built this) is
`_kernels.needle_hits_plain`; tests/clean/test_kernels.py checks both agree.
"""

import numpy as np

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcmp

cdef enum:
    SLOW = 257  # table value: the line is left to the caller's exact test


def needle_hits(list lines, const Py_ssize_t[::1] subset, const uint16_t[::1] table,
                const uint8_t[::1] pairs, const uint8_t[::1] needle_chars, const Py_ssize_t[::1] needle_at,
                const Py_ssize_t[::1] by_first, const Py_ssize_t[::1] first_at):
    """Per line, bit k set when needle k occurs in a newline + the lower-cased line; and the slow lines.

    `table[c]`: the lower case of code point c when that is one Latin-1 character, 0 when it cannot
    match a needle, SLOW when the line must be tested exactly (code points above U+FFFF match nothing).
    `pairs[a * 256 + b]`: some needle starts with characters a, b (every b for a one-character needle).
    Needle k is `needle_chars[needle_at[k]:needle_at[k + 1]]`; the needles starting with character a are
    `by_first[first_at[a]:first_at[a + 1]]`. Lines outside `subset` get 0.
    """
    cdef Py_ssize_t n = len(lines), s, k, j, at, length, longest = 0, m, nlen
    cdef str line
    for s in range(subset.shape[0]):
        line = lines[subset[s]]
        if len(line) > longest:
            longest = len(line)
    hits_a = np.zeros(n, np.uint64)
    slow_a = np.zeros(n, np.bool_)
    cdef uint64_t[::1] hits = hits_a
    cdef uint8_t[::1] slow = slow_a.view(np.uint8)
    cdef uint8_t* buf = <uint8_t*> malloc(longest + 2)
    if buf == NULL:
        raise MemoryError()
    cdef int kind
    cdef void* data
    cdef Py_ssize_t code
    cdef uint16_t low
    cdef uint64_t found
    cdef uint8_t a
    cdef bint is_slow
    try:
        for s in range(subset.shape[0]):
            k = subset[s]
            line = lines[k]
            length = len(line)
            kind = PyUnicode_KIND(line)
            data = PyUnicode_DATA(line)
            # "\n" + the lower-cased line + a 0 that starts no needle (the two-character filter reads it).
            buf[0] = 10
            is_slow = False
            for j in range(length):
                code = PyUnicode_READ(kind, data, j)
                low = table[code] if code <= 0xFFFF else 0
                if low == SLOW:
                    is_slow = True
                    break
                buf[j + 1] = <uint8_t> low
            if is_slow:
                slow[k] = True
                continue
            buf[length + 1] = 0
            found = 0
            for at in range(length + 1):
                a = buf[at]
                if not pairs[a * 256 + buf[at + 1]]:
                    continue
                for j in range(first_at[a], first_at[a + 1]):
                    m = by_first[j]
                    nlen = needle_at[m + 1] - needle_at[m]
                    if at + nlen <= length + 1 and memcmp(buf + at, &needle_chars[needle_at[m]], nlen) == 0:
                        found |= (<uint64_t> 1) << m
            hits[k] = found
    finally:
        free(buf)
    return hits_a, slow_a
