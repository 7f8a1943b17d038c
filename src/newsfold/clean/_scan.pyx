# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""One compiled pass over the characters of a batch's lines (`line_features.scan_lines`), and the fit
counts of the content words it finds (`content_fit_counts`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and the character work (a dozen numpy
passes over every code point of the batch: classes, tokens, sentence ends, words and their hashes) was a
fifth of its time; one C loop does it all while each character is in a register. Its plain Python spec (and fallback where
no compiler built this) is `_kernels.scan_lines_plain`; tests/clean/test_kernels.py checks both agree.
"""

import numpy as np

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND
from libc.stdint cimport uint8_t, uint16_t, uint32_t

# The class bits of line_features (ALPHA, UPPER, LOWER, DIGIT, SPACE, END, COMMA, SEP, QUOTE, AT, CJK,
# CJK_STOP; `_kernels.py`), repeated here as C constants; the property test of `scan_lines`
# (tests/clean/test_kernels.py) checks that they match.
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
    RARE = END | COMMA | SEP | DIGIT | AT | CJK | CJK_STOP
    LOWER_LETTER = ALPHA | LOWER  # the class of every letter a-z (a test checks it)
    SPAN_MASK = 31

# A str stores its characters in 1, 2 or 4 bytes each: the line loop is compiled once per width.
ctypedef fused text_unit:
    uint8_t
    uint16_t
    uint32_t


cdef struct Counts:
    # One line's counts (kept in registers while the line is read).
    Py_ssize_t tokens, cjk, cjk_stops, sentences, commas, separators, digits, glued
    Py_ssize_t words, title, alpha, numeric, word_chars, stops, boiler, share
    bint at_sign
    uint16_t first_flags, last_flags
    uint32_t hash_sum


cdef struct Tables:
    const uint16_t* flags
    const uint32_t* word_lower
    const uint32_t* powers
    const uint32_t* keys
    const uint8_t* bits
    uint32_t mask
    Py_ssize_t top  # the last code point the tables hold; those above read its entry
    # Content-word ids: an open-addressing table of (hash -> id) per page, slots stamped with the page
    # that filled them (so the table is never cleared between pages).
    Py_ssize_t* id_stamp
    uint32_t* id_key
    Py_ssize_t* id_value
    uint32_t id_mask
    Py_ssize_t page
    Py_ssize_t next_id


cdef inline Py_ssize_t scan_line(const text_unit* data, Py_ssize_t length, Py_ssize_t k, Tables* t,
                                 Counts* c, Py_ssize_t w, Py_ssize_t* word_line, uint32_t* word_hash,
                                 Py_ssize_t* content_line, Py_ssize_t* content_ids,
                                 Py_ssize_t* n_content) noexcept nogil:
    """Count one non-empty line's characters into c and append its words from index w (its content
    words from n_content[0]); returns the new w.

    The tables and counts are held in locals: through the pointers, the compiler would have to assume
    that every store to the word arrays may change them, and reload them for each character.
    """
    cdef const uint16_t* flags = t.flags
    cdef const uint32_t* word_lower = t.word_lower
    cdef const uint32_t* powers = t.powers
    cdef Py_ssize_t top = t.top
    cdef Py_ssize_t j, code, next_code, word_len = 0, word_digits = 0
    cdef Py_ssize_t tokens = 0, sentences = 0, commas = 0, separators = 0, digits = 0, cjk = 0
    cdef Py_ssize_t cjk_stops = 0, glued = 0, title = 0
    cdef bint at_sign = False, in_word = False
    cdef uint16_t f, prev_f = SPACE, next_f  # the line starts after a newline (a space) or the text's start
    cdef uint32_t h = 0
    code = data[0]
    c.first_flags = flags[code if code < top else top]
    # One step past the end: the newline that follows the line in the joined text ends its last word.
    j = 0
    while j <= length:
        if j < length:
            code = data[j]
            if text_unit is not uint8_t:  # one-byte text needs no clamp: the tables cover U+0000-U+FFFF
                code = code if code < top else top
            f = flags[code]
        else:
            f = SPACE
        if f & WORD:
            if not in_word:
                in_word = True
                h = 0
                word_len = 0
                word_digits = 0
                title += (f & UPPER) != 0
            h += word_lower[code] * powers[word_len & SPAN_MASK]
            word_len += 1
            word_digits += (f & DIGIT) != 0
        elif in_word:
            in_word = False
            w = end_word(t, c, h, word_len, word_digits, k, w, word_line, word_hash, content_line,
                         content_ids, n_content)
        if not (f & SPACE):
            tokens += (prev_f & SPACE) != 0
            glued += (prev_f & LOWER) != 0 and (f & UPPER) != 0
            if f & RARE:
                if f & END and not (prev_f & SPACE):
                    next_code = data[j + 1] if j + 1 < length else 10
                    next_f = flags[next_code if next_code < top else top]
                    sentences += (next_f & SPACE) != 0
                commas += (f & COMMA) != 0
                separators += (f & SEP) != 0
                digits += (f & DIGIT) != 0
                cjk += (f & CJK) != 0
                cjk_stops += (f & CJK_STOP) != 0
                at_sign |= (f & AT) != 0
        if j < length:
            prev_f = f
        j += 1
        if in_word and 97 <= code <= 122 and f == LOWER_LETTER:
            # Plain lower-case ASCII letters after one (most characters of a text): each only adds to
            # the word's hash (itself its lower case), as the steps above would with every count at +0.
            while j < length and 97 <= data[j] <= 122:
                h += <uint32_t>data[j] * powers[word_len & SPAN_MASK]
                word_len += 1
                j += 1
    c.last_flags = prev_f
    c.tokens = tokens
    c.sentences = sentences
    c.commas = commas
    c.separators = separators
    c.digits = digits
    c.cjk = cjk
    c.cjk_stops = cjk_stops
    c.glued = glued
    c.title = title
    c.at_sign = at_sign
    return w


cdef inline Py_ssize_t end_word(Tables* t, Counts* c, uint32_t h, Py_ssize_t word_len,
                                Py_ssize_t word_digits, Py_ssize_t k, Py_ssize_t w, Py_ssize_t* word_line,
                                uint32_t* word_hash, Py_ssize_t* content_line, Py_ssize_t* content_ids,
                                Py_ssize_t* n_content) noexcept nogil:
    """Record a word of line k that just ended: its hash, lexicons, content-word id and line counts."""
    cdef uint32_t member = 0, slot
    # Lexicon look-up: linear probing in a small table (a few pages of memory, always cached).
    slot = (h * 2654435761u) & t.mask
    while t.bits[slot]:
        if t.keys[slot] == h:
            member = t.bits[slot]
            break
        slot = (slot + 1) & t.mask
    word_line[w] = k
    word_hash[w] = h
    if word_digits == 0 and not (member & 1) and word_len >= 4:  # a content word: its page's id
        slot = (h * 2654435761u) & t.id_mask
        while t.id_stamp[slot] == t.page and t.id_key[slot] != h:
            slot = (slot + 1) & t.id_mask
        if t.id_stamp[slot] != t.page:
            t.id_stamp[slot] = t.page
            t.id_key[slot] = h
            t.id_value[slot] = t.next_id
            t.next_id += 1
        content_line[n_content[0]] = k
        content_ids[n_content[0]] = t.id_value[slot]
        n_content[0] += 1
    c.words += 1
    c.hash_sum += h
    c.word_chars += word_len
    c.alpha += word_digits == 0
    c.numeric += word_digits == word_len
    c.stops += member & 1
    c.boiler += (member >> 1) & 1
    c.share += (member >> 2) & 1
    return w + 1


def scan_lines(list lines, const Py_ssize_t[::1] line_page, const uint16_t[::1] flags,
               const uint32_t[::1] word_lower, const uint32_t[::1] powers, const uint32_t[::1] keys,
               const uint8_t[::1] bits):
    """Per-line counts and per-word facts of non-empty lines; see `line_features.LineScan`.

    `flags` and `word_lower` are indexed by code point (those above U+FFFF read the last entry, as
    numpy's clipped `take`); `keys`/`bits` are the lexicons' hash table (`line_features._probe_table`:
    a power-of-two size, linear probing from slot (hash * 2654435761) mod size, bits 0 where empty; bit 0
    stopword, 1 boilerplate, 2 share word).
    """
    cdef Py_ssize_t n = len(lines), k, length, total = 0, w = 0, n_content = 0, page_chars = 0, most = 0
    cdef str line
    # Each line's page's characters (and lines), for the content-word id table's size on that page.
    page_size_a = np.empty(n, np.intp)
    cdef Py_ssize_t[::1] page_size = page_size_a
    cdef Py_ssize_t first = 0
    for k in range(n):
        length = len(<str>lines[k])
        total += length
        if k and line_page[k] != line_page[k - 1]:
            page_size[first:k] = page_chars
            first = k
            page_chars = 0
        page_chars += length + 1
        most = max(most, page_chars)
    if n:
        page_size[first:n] = page_chars
    cdef Py_ssize_t max_words = (total + n) // 2 + 1
    # A content word holds >= 4 letters and is followed by a separator or its line's end: a page of c
    # characters and l lines holds at most (c + l) // 5 of them; the id table is kept under half full.
    cdef Py_ssize_t id_size = 64
    while id_size < 2 * (most // 5 + 1):
        id_size *= 2
    id_stamp_a = np.full(id_size, -1, np.intp)
    id_key_a = np.zeros(id_size, np.uint32)
    id_value_a = np.zeros(id_size, np.intp)
    content_line_a = np.empty(max_words, np.intp)
    content_ids_a = np.empty(max_words, np.intp)
    cdef Py_ssize_t[::1] id_stamp = id_stamp_a, id_value = id_value_a
    cdef uint32_t[::1] id_key = id_key_a
    cdef Py_ssize_t[::1] content_line = content_line_a, content_ids = content_ids_a
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
    cdef Py_ssize_t[::1] lens = lens_a, first_codes = first_codes_a, last_codes = last_codes_a
    cdef Py_ssize_t[::1] words = words_a, word_line = word_line_a
    cdef double[::1] tokens = tokens_a, cjk = cjk_a, cjk_stops = cjk_stops_a, sentences = sentences_a
    cdef double[::1] commas = commas_a, separators = separators_a, digits = digits_a, glued = glued_a
    cdef double[::1] title = title_a, alpha = alpha_a, numeric = numeric_a, word_chars = word_chars_a
    cdef double[::1] stops = stops_a, boiler = boiler_a, share = share_a
    cdef uint8_t[::1] has_at = has_at_a.view(np.uint8)
    cdef uint16_t[::1] first_flags = first_flags_a, last_flags = last_flags_a
    cdef uint32_t[::1] hash_sum = hash_sum_a, word_hash = word_hash_a
    cdef Tables t
    t.flags = &flags[0]
    t.word_lower = &word_lower[0]
    t.powers = &powers[0]
    t.keys = &keys[0]
    t.bits = &bits[0]
    t.mask = keys.shape[0] - 1
    t.id_stamp = &id_stamp[0]
    t.id_key = &id_key[0]
    t.id_value = &id_value[0]
    t.next_id = 0
    t.top = flags.shape[0] - 1
    cdef Counts c
    cdef int kind
    cdef void* data
    for k in range(n):
        line = lines[k]
        length = len(line)
        lens[k] = length
        if length == 0:
            continue
        if k == 0 or line_page[k] != t.page:
            # A new page: its ids in the first slots of the table, as many as its size needs (a small
            # page's table stays in the processor's cache).
            t.page = line_page[k]
            t.id_mask = 63
            while t.id_mask + 1 < 2 * (page_size[k] // 5 + 1):
                t.id_mask = 2 * t.id_mask + 1
        kind = PyUnicode_KIND(line)
        data = PyUnicode_DATA(line)
        c = Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, False, 0, 0, 0)
        if kind == 1:
            w = scan_line(<const uint8_t*>data, length, k, &t, &c, w, &word_line[0], &word_hash[0],
                          &content_line[0], &content_ids[0], &n_content)
            first_codes[k] = (<const uint8_t*>data)[0]
            last_codes[k] = (<const uint8_t*>data)[length - 1]
        elif kind == 2:
            w = scan_line(<const uint16_t*>data, length, k, &t, &c, w, &word_line[0], &word_hash[0],
                          &content_line[0], &content_ids[0], &n_content)
            first_codes[k] = (<const uint16_t*>data)[0]
            last_codes[k] = (<const uint16_t*>data)[length - 1]
        else:
            w = scan_line(<const uint32_t*>data, length, k, &t, &c, w, &word_line[0], &word_hash[0],
                          &content_line[0], &content_ids[0], &n_content)
            first_codes[k] = (<const uint32_t*>data)[0]
            last_codes[k] = (<const uint32_t*>data)[length - 1]
        tokens[k] = c.tokens
        cjk[k] = c.cjk
        cjk_stops[k] = c.cjk_stops
        sentences[k] = c.sentences
        commas[k] = c.commas
        separators[k] = c.separators
        digits[k] = c.digits
        glued[k] = c.glued
        has_at[k] = c.at_sign
        first_flags[k] = c.first_flags
        last_flags[k] = c.last_flags
        words[k] = c.words
        title[k] = c.title
        alpha[k] = c.alpha
        numeric[k] = c.numeric
        word_chars[k] = c.word_chars
        stops[k] = c.stops
        boiler[k] = c.boiler
        share[k] = c.share
        hash_sum[k] = c.hash_sum
    return (lens_a, tokens_a, cjk_a, cjk_stops_a, sentences_a, commas_a, separators_a, digits_a, glued_a,
            has_at_a, first_flags_a, last_flags_a, first_codes_a, last_codes_a, words_a, title_a, alpha_a,
            numeric_a, word_chars_a, stops_a, boiler_a, share_a, hash_sum_a, word_line_a[:w], word_hash_a[:w],
            content_line_a[:n_content], content_ids_a[:n_content], t.next_id)


def content_fit_counts(const Py_ssize_t[::1] line, const Py_ssize_t[::1] ids, Py_ssize_t n_ids,
                       const uint8_t[::1] core, Py_ssize_t n_lines):
    """Per line, how many of its content words occur again in a core line of its page; see
    `_kernels.content_fit_counts_plain`.

    Why compiled: the rules ask for it seven times a batch, and numpy's five passes over the content words
    (a gather, two counts, a comparison, the float weights) took 5 ms of zyte's 117 ms; two C loops here.
    """
    cdef Py_ssize_t w, n = line.shape[0]
    counts_a = np.zeros(n_ids, np.intp)
    out_a = np.zeros(n_lines, np.intp)
    cdef Py_ssize_t[::1] counts = counts_a, out = out_a
    with nogil:
        for w in range(n):
            counts[ids[w]] += core[line[w]]
        for w in range(n):
            out[line[w]] += counts[ids[w]] > core[line[w]]  # the word's own occurrence is no evidence
    return out_a
