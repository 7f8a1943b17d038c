# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""One compiled pass over the characters of a batch's lines (`line_features.scan_lines`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and the character work (a dozen numpy
passes over every code point of the batch: classes, tokens, sentence ends, words and their hashes) was a
fifth of its time; one C loop does it all while each character is in a register. The numpy version in
`line_features._scan_lines_numpy` stays the reference (and the fallback where no compiler built this); a
property test checks that both agree.
"""

import numpy as np

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
    cdef Py_UCS4 c
    cdef Py_ssize_t code, top = flags.shape[0] - 1
    cdef uint16_t f, prev_f, next_f
    cdef uint32_t h, member, line_hash
    cdef bint in_word
    cdef Py_ssize_t word_len, word_digits
    for k in range(n):
        line = lines[k]
        length = len(line)
        lens[k] = length
        if length == 0:
            continue
        line_hash = 0
        in_word = False
        h = 0
        word_len = 0
        word_digits = 0
        prev_f = SPACE  # the line starts after a newline (a space) or the text's start
        for j in range(length):
            c = line[j]
            code = <Py_ssize_t>c
            f = flags[code if code < top else top]
            if j == 0:
                first_flags[k] = f
                first_codes[k] = code
            if not (f & SPACE) and (prev_f & SPACE):
                tokens[k] += 1
            if f & (END | COMMA | SEP | DIGIT | AT | CJK | CJK_STOP):
                if f & END:
                    next_f = SPACE if j + 1 == length else flags[min(<Py_ssize_t>line[j + 1], top)]
                    if (next_f & SPACE) and not (prev_f & SPACE) and j > 0:
                        sentences[k] += 1
                if f & COMMA:
                    commas[k] += 1
                if f & SEP:
                    separators[k] += 1
                if f & DIGIT:
                    digits[k] += 1
                if f & AT:
                    has_at[k] = 1
                if f & CJK:
                    cjk[k] += 1
                if f & CJK_STOP:
                    cjk_stops[k] += 1
            if (prev_f & LOWER) and (f & UPPER) and j > 0:
                glued[k] += 1
            if f & WORD:
                if not in_word:
                    in_word = True
                    h = 0
                    word_len = 0
                    word_digits = 0
                    if f & UPPER:
                        title[k] += 1
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
                words[k] += 1
                line_hash += h
                word_chars[k] += word_len
                if word_digits == 0:
                    alpha[k] += 1
                if word_digits == word_len:
                    numeric[k] += 1
                if member & 1:
                    stops[k] += 1
                if member & 2:
                    boiler[k] += 1
                if member & 4:
                    share[k] += 1
            prev_f = f
        last_flags[k] = prev_f
        last_codes[k] = code
        hash_sum[k] = line_hash
    return (lens_a, tokens_a, cjk_a, cjk_stops_a, sentences_a, commas_a, separators_a, digits_a, glued_a,
            has_at_a, first_flags_a, last_flags_a, first_codes_a, last_codes_a, words_a, title_a, alpha_a,
            numeric_a, word_chars_a, stops_a, boiler_a, share_a, hash_sum_a, word_line_a[:w].copy(),
            word_hash_a[:w].copy(), content_a[:w].copy())
