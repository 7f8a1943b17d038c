# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""One compiled pass over the characters of a batch's lines (`line_features.scan_lines`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and the character work (a dozen numpy
passes over every code point of the batch: classes, tokens, sentence ends, words and their hashes) was a
fifth of its time; one C loop does it all while each character is in a register. The numpy version in
`line_features._scan_lines_numpy` stays the reference (and the fallback where no compiler built this); a
property test checks that both agree.
"""

import numpy as np

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ
from libc.stdint cimport uint8_t, uint16_t, uint32_t

# The class bits of line_features (ALPHA, UPPER, LOWER, DIGIT, SPACE, END, COMMA, SEP, QUOTE, AT, CJK,
# CJK_STOP), repeated here as C constants; the property test of `scan_lines` (tests/clean/test_clean_speed.py) checks that they match.
cdef enum:
    ALPHA = 1
    UPPER = 2
    LOWER = 4
    DIGIT = 8
    SPACE = 16
    END = 32
    COMMA = 64
    SEP = 128
    AT = 512
    CJK = 1024
    CJK_STOP = 2048
    WORD = ALPHA | DIGIT
    SLOT_MASK = (1 << 20) - 1
    SPAN_MASK = 31


def scan_lines(list lines, const uint16_t[::1] flags, const uint32_t[::1] word_lower,
               const uint32_t[::1] powers, const uint32_t[::1] keys, const uint8_t[::1] bits):
    """Per-line counts and per-word facts of non-empty lines; see `line_features.LineScan`.

    `flags` and `word_lower` are indexed by code point (those above U+FFFF read the last entry, as
    numpy's clipped `take`); `keys`/`bits` are the lexicons' direct-address table (bit 0 stopword,
    1 boilerplate, 2 share word).
    """
    cdef Py_ssize_t n = len(lines), k, j, length, total = 0, w = 0, wstart = 0
    cdef str line
    for line in lines:
        total += len(line)
    cdef Py_ssize_t max_words = (total + n) // 2 + 1
    lens_a = np.empty(n, np.intp)
    tokens_a = np.zeros(n, np.float64)
    cjk_a = np.zeros(n, np.float64)
    cjk_stops_a = np.zeros(n, np.float64)
    sentences_a = np.zeros(n, np.float64)
    commas_a = np.zeros(n, np.float64)
    separators_a = np.zeros(n, np.float64)
    digits_a = np.zeros(n, np.float64)
    glued_a = np.zeros(n, np.float64)
    has_at_a = np.zeros(n, np.bool_)
    first_flags_a = np.zeros(n, np.uint16)
    last_flags_a = np.zeros(n, np.uint16)
    first_codes_a = np.zeros(n, np.intp)
    last_codes_a = np.zeros(n, np.intp)
    words_a = np.zeros(n, np.intp)
    title_a = np.zeros(n, np.float64)
    alpha_a = np.zeros(n, np.float64)
    numeric_a = np.zeros(n, np.float64)
    word_chars_a = np.zeros(n, np.float64)
    stops_a = np.zeros(n, np.float64)
    boiler_a = np.zeros(n, np.float64)
    share_a = np.zeros(n, np.float64)
    hash_sum_a = np.zeros(n, np.uint32)
    word_line_a = np.empty(max_words, np.intp)
    word_hash_a = np.empty(max_words, np.uint32)
    content_a = np.empty(max_words, np.bool_)
    cdef Py_ssize_t[::1] lens = lens_a, first_codes = first_codes_a, last_codes = last_codes_a
    cdef Py_ssize_t[::1] words = words_a, word_line = word_line_a
    cdef double[::1] tokens = tokens_a, cjk = cjk_a, cjk_stops = cjk_stops_a, sentences = sentences_a
    cdef double[::1] commas = commas_a, separators = separators_a, digits = digits_a, glued = glued_a
    cdef double[::1] title = title_a, alpha = alpha_a, numeric = numeric_a, word_chars = word_chars_a
    cdef double[::1] stops = stops_a, boiler = boiler_a, share = share_a
    cdef uint8_t[::1] has_at = has_at_a.view(np.uint8), content = content_a.view(np.uint8)
    cdef uint16_t[::1] first_flags = first_flags_a, last_flags = last_flags_a
    cdef uint32_t[::1] hash_sum = hash_sum_a, word_hash = word_hash_a
    cdef Py_ssize_t code, next_code, top = flags.shape[0] - 1
    cdef uint16_t f, prev_f, next_f
    cdef uint32_t h = 0, member, line_hash
    cdef bint in_word
    cdef Py_ssize_t word_len = 0, word_digits = 0
    # Per-line counts, kept in registers while the line is read.
    cdef Py_ssize_t n_tokens, n_cjk, n_cjk_stops, n_sentences, n_commas, n_separators, n_digits, n_glued
    cdef Py_ssize_t n_words, n_title, n_alpha, n_numeric, n_word_chars, n_stops, n_boiler, n_share
    cdef bint at_sign
    cdef int kind
    cdef void* data
    for k in range(n):
        line = lines[k]
        length = len(line)
        lens[k] = length
        if length == 0:
            continue
        kind = PyUnicode_KIND(line)
        data = PyUnicode_DATA(line)
        n_tokens = n_cjk = n_cjk_stops = n_sentences = n_commas = n_separators = n_digits = n_glued = 0
        n_words = n_title = n_alpha = n_numeric = n_word_chars = n_stops = n_boiler = n_share = 0
        at_sign = False
        line_hash = 0
        in_word = False
        prev_f = SPACE  # the line starts after a newline (a space) or the text's start
        code = PyUnicode_READ(kind, data, 0)
        first_codes[k] = code
        first_flags[k] = flags[code if code < top else top]
        for j in range(length):
            f = flags[code if code < top else top]
            next_code = PyUnicode_READ(kind, data, j + 1) if j + 1 < length else 10
            if not (f & SPACE) and (prev_f & SPACE):
                n_tokens += 1
            if f & (END | COMMA | SEP | DIGIT | AT | CJK | CJK_STOP):
                if f & END:
                    next_f = flags[next_code if next_code < top else top]
                    if (next_f & SPACE) and not (prev_f & SPACE):
                        n_sentences += 1
                if f & COMMA:
                    n_commas += 1
                if f & SEP:
                    n_separators += 1
                if f & DIGIT:
                    n_digits += 1
                if f & AT:
                    at_sign = True
                if f & CJK:
                    n_cjk += 1
                if f & CJK_STOP:
                    n_cjk_stops += 1
            if (prev_f & LOWER) and (f & UPPER):
                n_glued += 1
            if f & WORD:
                if not in_word:
                    in_word = True
                    h = 0
                    word_len = 0
                    word_digits = 0
                    if f & UPPER:
                        n_title += 1
                h += word_lower[code if code < top else top] * powers[word_len & SPAN_MASK]
                word_len += 1
                if f & DIGIT:
                    word_digits += 1
            if in_word and (not (f & WORD) or j + 1 == length):
                in_word = False
                member = bits[h & SLOT_MASK] if keys[h & SLOT_MASK] == h else 0
                word_line[w] = k
                word_hash[w] = h
                content[w] = word_digits == 0 and not (member & 1) and word_len >= 4
                w += 1
                n_words += 1
                line_hash += h
                n_word_chars += word_len
                n_alpha += word_digits == 0
                n_numeric += word_digits == word_len
                n_stops += member & 1
                n_boiler += (member >> 1) & 1
                n_share += (member >> 2) & 1
            prev_f = f
            code = next_code
        last_flags[k] = prev_f
        last_codes[k] = PyUnicode_READ(kind, data, length - 1)
        hash_sum[k] = line_hash
        tokens[k] = n_tokens
        cjk[k] = n_cjk
        cjk_stops[k] = n_cjk_stops
        sentences[k] = n_sentences
        commas[k] = n_commas
        separators[k] = n_separators
        digits[k] = n_digits
        glued[k] = n_glued
        has_at[k] = at_sign
        words[k] = n_words
        title[k] = n_title
        alpha[k] = n_alpha
        numeric[k] = n_numeric
        word_chars[k] = n_word_chars
        stops[k] = n_stops
        boiler[k] = n_boiler
        share[k] = n_share
    return (lens_a, tokens_a, cjk_a, cjk_stops_a, sentences_a, commas_a, separators_a, digits_a, glued_a,
            has_at_a, first_flags_a, last_flags_a, first_codes_a, last_codes_a, words_a, title_a, alpha_a,
            numeric_a, word_chars_a, stops_a, boiler_a, share_a, hash_sum_a, word_line_a[:w].copy(),
            word_hash_a[:w].copy(), content_a[:w].copy())
