# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Compiled kernels of the line rules and the document-level fit (`line_rules`, `line_fit`, `lines`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and after the line model the rules were
a third of its time, spent in Python and numpy per-call costs, not in work:
- `needle_hits`: which of a few dozen short needles (credit words, copyright marks, comment-box words,
  byline prefixes) each chosen line holds, lower-cased. In Python that meant joining and lower-casing
  the lines, a one-byte copy of the text and a `str.find` per needle; here one C pass per line lowers
  each character through a table and tries only the needles whose first two characters are there.
- `outside_main_text`, `comment_sections`, `off_topic_runs`, `language_counts`, `content_groups`: loops
  over each page's lines that numpy ran as a dozen calls on slices per page.
- `date_lines`: `line_rules._DATE` as a C matcher (the regex tries a dozen forms at every character).
- `ends_with`: `str.endswith` over the batch's short lines.
- `key_ids`, `distinct_units`: the run's context (how many pages or contents hold each line) by a hash
  table and a pass over the pages, where numpy needed several sorts of the batch's line keys.
- `strip_lines`: `str.strip` only where a line has a space at either end (most have none).
- `occurs_elsewhere`: the title's repeat test without joining each page's text.
Each keeps its Python/numpy version (the reference, and the fallback where no compiler built this
module); tests/clean/test_line_rules_kernels.py checks that both agree on generated input.
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


# The per-page steps of the document-level fit (`line_fit`): in numpy each page costs a dozen calls on
# slices of a few hundred lines, more than the work; here one loop over the batch's lines does each.

def outside_main_text(const double[::1] weight, const uint8_t[::1] body, const Py_ssize_t[::1] firsts,
                      Py_ssize_t gap, double min_share):
    """`line_fit.outside_main_text` of finite weights (see there): per page, the heaviest stretch of
    weights (maximum subarray) is the main text; other stretches of body lines lighter than min_share of
    it are marked."""
    cdef Py_ssize_t n = weight.shape[0], n_pages = firsts.shape[0], p, p0, p1, m, k, end, start, count
    cdef Py_ssize_t lo, prev, j
    out_a = np.zeros(n, np.bool_)
    cdef uint8_t[::1] out = out_a.view(np.uint8)
    cdef double* c = <double*> malloc((n + 1) * sizeof(double))
    cdef double* low = <double*> malloc((n + 1) * sizeof(double))
    if c == NULL or low == NULL:
        free(c)
        free(low)
        raise MemoryError()
    cdef double best, gain, bar
    try:
        for p in range(n_pages):
            p0 = firsts[p]
            p1 = firsts[p + 1] if p + 1 < n_pages else n
            m = p1 - p0
            count = 0
            for k in range(p0, p1):
                count += body[k]
            if count < 2:
                continue
            # c: prefix sums of the page's weights; low: their running minimum (numpy's accumulations).
            c[0] = 0.0
            low[0] = 0.0
            for k in range(m):
                c[k + 1] = c[k] + weight[p0 + k]
                low[k + 1] = c[k + 1] if c[k + 1] < low[k] else low[k]
            end = 0
            best = c[1] - low[0]
            for k in range(1, m):
                gain = c[k + 1] - low[k]
                if gain > best:
                    best = gain
                    end = k
            start = end
            while c[start] != low[end]:
                start -= 1
            if best <= 0:
                continue
            # Runs of body lines outside [start, end], broken by gaps longer than `gap`, each weighed alone.
            bar = min_share * best
            lo = -1
            prev = -1
            for k in range(m + 1):
                if k < m and not (body[p0 + k] and (k < start or k > end)):
                    continue
                if lo >= 0 and (k == m or k - prev > gap):
                    if c[prev + 1] - c[lo] < bar:
                        for j in range(lo, prev + 1):
                            if body[p0 + j] and (j < start or j > end):
                                out[p0 + j] = True
                    lo = -1
                if k < m:
                    if lo < 0:
                        lo = k
                    prev = k
    finally:
        free(c)
        free(low)
    return out_a


def comment_sections(const uint8_t[::1] body, const uint8_t[::1] core, const uint8_t[::1] heads,
                     const Py_ssize_t[::1] firsts, Py_ssize_t min_headers, Py_ssize_t max_gap):
    """`line_fit.comment_sections` (see there): per page, body lines from the first header of the first
    chain of >= min_headers headers (each within max_gap lines of the next) after the first core line."""
    cdef Py_ssize_t n = body.shape[0], n_pages = firsts.shape[0], p, p0, p1, k, first_core, chain_start
    cdef Py_ssize_t chain_len, prev, j
    out_a = np.zeros(n, np.bool_)
    cdef uint8_t[::1] out = out_a.view(np.uint8)
    for p in range(n_pages):
        p0 = firsts[p]
        p1 = firsts[p + 1] if p + 1 < n_pages else n
        first_core = -1
        for k in range(p0, p1):
            if core[k]:
                first_core = k
                break
        if first_core < 0:
            continue
        chain_start = -1
        chain_len = 0
        prev = -1
        for k in range(first_core + 1, p1):
            if not heads[k]:
                continue
            if chain_len and k - prev > max_gap:
                if chain_len >= min_headers:
                    break
                chain_len = 0
            if chain_len == 0:
                chain_start = k
            chain_len += 1
            prev = k
        if chain_len >= min_headers:
            for j in range(chain_start, p1):
                out[j] = body[j]
    return out_a


def off_topic_runs(const uint8_t[::1] short, const uint8_t[::1] core, const uint8_t[::1] ended,
                   const uint8_t[::1] colon, const Py_ssize_t[::1] fits, const double[::1] contents,
                   const Py_ssize_t[::1] firsts, double min_words, double max_fit):
    """`line_fit.off_topic_runs` after its fit counts (see there): each run of short lines of a page, with
    core lines before it, marked when mostly headline-shaped, not after a colon, and off the core's words
    (`contents` holds whole numbers, so its sums do not depend on their order)."""
    cdef Py_ssize_t n = short.shape[0], n_pages = firsts.shape[0], p, p0, p1, k, first, last, j
    cdef Py_ssize_t core_total, core_seen, core_before_run, open_lines, fit_sum
    cdef double content
    cdef bint after, colon_before
    out_a = np.zeros(n, np.bool_)
    cdef uint8_t[::1] out = out_a.view(np.uint8)
    for p in range(n_pages):
        p0 = firsts[p]
        p1 = firsts[p + 1] if p + 1 < n_pages else n
        core_total = 0
        for k in range(p0, p1):
            core_total += core[k]
        core_seen = 0
        k = p0
        while k < p1:
            if not short[k]:
                core_seen += core[k]
                k += 1
                continue
            first = k
            core_before_run = core_seen
            while k < p1 and short[k]:
                core_seen += core[k]
                k += 1
            last = k - 1
            if core_before_run == 0:
                continue
            after = core_total - core_seen > 0
            if after and last == first:
                continue
            open_lines = 0
            content = 0.0
            fit_sum = 0
            for j in range(first, last + 1):
                open_lines += not ended[j]
                content += contents[j]
                fit_sum += fits[j]
            if 2 * open_lines <= last - first + 1:
                continue
            colon_before = False
            for j in range(first - 1 if first > 0 else 0, last):
                if colon[j]:
                    colon_before = True
                    break
            if colon_before or not (content >= min_words) or not (<double> fit_sum <= max_fit * content):
                continue
            for j in range(first, last + 1):
                out[j] = True
    return out_a


def language_counts(const Py_ssize_t[::1] word_line, const uint32_t[::1] word_hash, const uint8_t[::1] body,
                    const uint32_t[::1] keys, const uint16_t[::1] bits, const Py_ssize_t[::1] firsts,
                    Py_ssize_t n_langs):
    """Per line: its stopwords of its page's language, and the most of any other language (body lines
    only; see `line_fit.language_misfits`). A page's language has the most stopwords in its body lines
    (the first such language on a tie). `keys`/`bits`: `line_fit._language_table`."""
    cdef Py_ssize_t n = body.shape[0], n_pages = firsts.shape[0], n_words = word_line.shape[0]
    cdef Py_ssize_t w, j, k, p, p0, p1, lang, best
    cdef uint32_t h, slot_mask = keys.shape[0] - 1
    cdef uint16_t found
    counts_a = np.zeros((n, n_langs), np.intp)
    cdef Py_ssize_t[:, ::1] counts = counts_a
    for w in range(n_words):
        j = word_line[w]
        if not body[j]:
            continue
        h = word_hash[w]
        found = bits[h & slot_mask]
        if found and keys[h & slot_mask] == h:
            for k in range(n_langs):
                if found & (1 << k):
                    counts[j, k] += 1
    own_a = np.zeros(n, np.intp)
    others_a = np.zeros(n, np.intp)
    cdef Py_ssize_t[::1] own = own_a, others = others_a
    cdef Py_ssize_t[::1] totals = np.zeros(max(n_langs, 1), np.intp)
    for p in range(n_pages):
        p0 = firsts[p]
        p1 = firsts[p + 1] if p + 1 < n_pages else n
        for k in range(n_langs):
            totals[k] = 0
        for j in range(p0, p1):
            for k in range(n_langs):
                totals[k] += counts[j, k]
        lang = 0
        for k in range(1, n_langs):
            if totals[k] > totals[lang]:
                lang = k
        for j in range(p0, p1):
            own[j] = counts[j, lang]
            best = 0
            for k in range(n_langs):
                if k != lang and counts[j, k] > best:
                    best = counts[j, k]
            others[j] = best
    return own_a, others_a


def content_groups(const Py_ssize_t[::1] kid, const Py_ssize_t[::1] page, const uint8_t[::1] long,
                   Py_ssize_t n_pages):
    """A content id per page (0, 1, ... in order of first page): pages sharing a long line's key are in
    one group (`lines._content_groups`, there by a sparse graph's connected components; union-find here)."""
    cdef Py_ssize_t n = kid.shape[0], j, k, a, b, n_keys = 0, next_id = 0, p
    for j in range(n):
        if kid[j] + 1 > n_keys:
            n_keys = kid[j] + 1
    first_page_a = np.full(n_keys, -1, np.intp)
    parent_a = np.arange(n_pages, dtype=np.intp)
    label_a = np.full(n_pages, -1, np.intp)
    cdef Py_ssize_t[::1] first_page = first_page_a, parent = parent_a, label = label_a
    for j in range(n):
        if not long[j]:
            continue
        k = kid[j]
        if first_page[k] < 0:
            first_page[k] = page[j]
            continue
        a = page[j]
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        b = first_page[k]
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a != b:
            if a < b:
                parent[b] = a
            else:
                parent[a] = b
    for p in range(n_pages):
        a = p
        while parent[a] != a:
            a = parent[a]
        if label[a] < 0:
            label[a] = next_id
            next_id += 1
        label[p] = label[a]
    return label_a


def ends_with(list lines, const Py_ssize_t[::1] subset, tuple suffixes):
    """Per line, `line.endswith(suffixes)` for the lines at the indices in subset (False elsewhere)."""
    cdef Py_ssize_t n = len(lines), s, j, k, m, length, slen, n_suffixes = len(suffixes)
    cdef str line, suffix
    cdef int kind, skind
    cdef void* data
    cdef void* sdata
    cdef bint same
    cdef uint32_t last
    out_a = np.zeros(n, np.bool_)
    cdef uint8_t[::1] out = out_a.view(np.uint8)
    # Each suffix's last character, read once: most lines end in none of them and need no other test.
    lasts_a = np.asarray([ord(sfx[-1]) if sfx else -1 for sfx in suffixes], np.int64)
    cdef const int64_t[::1] lasts = lasts_a
    cdef bint empty_suffix = any(not sfx for sfx in suffixes)
    for s in range(subset.shape[0]):
        j = subset[s]
        line = lines[j]
        length = len(line)
        if empty_suffix:
            out[j] = True
            continue
        if length == 0:
            continue
        kind = PyUnicode_KIND(line)
        data = PyUnicode_DATA(line)
        last = PyUnicode_READ(kind, data, length - 1)
        for k in range(n_suffixes):
            if lasts[k] != last:
                continue
            suffix = suffixes[k]
            slen = len(suffix)
            if slen > length:
                continue
            skind = PyUnicode_KIND(suffix)
            sdata = PyUnicode_DATA(suffix)
            same = True
            for m in range(slen):
                if PyUnicode_READ(kind, data, length - slen + m) != PyUnicode_READ(skind, sdata, m):
                    same = False
                    break
            if same:
                out[j] = True
                break
    return out_a


# --- `line_rules._DATE` as a C matcher -------------------------------------------------------------
# The pattern's five forms, each wrapped in \b...\b (re.IGNORECASE):
#   \d{4}-\d{1,2}-\d{1,2} | \d{1,2}[/.]\d{1,2}[/.]\d{2,4} | MONTH\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}
#   | \d{1,2}\s+MONTH\.?,?\s+\d{4} | \d{1,2}:\d{2}
# With \d a decimal digit, \s a space and a word character a letter, digit or "_" as the re module has
# them (Py_UNICODE_ISDECIMAL, _ISSPACE, _ISALNUM). Every optional part is followed by something it cannot
# start with, so each form matches in one way at most, but for the month's spelling (all are tried).
# Letters the re module folds to ASCII letters ("İ", "ı", "ſ", "K") are not handled: a line holding one
# is answered -1 and left to the regex.

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISDECIMAL, Py_UNICODE_ISSPACE

# Every spelling MONTH matches ("sept?(?:ember)?": sep, sept, sepember, september), one after another.
_MONTH_SPELLINGS = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept sepember "
    "september oct october nov november dec december"
).split()
cdef bytes _MONTH_BYTES = "".join(_MONTH_SPELLINGS).encode("ascii")
cdef const unsigned char* _MONTH_CHARS = _MONTH_BYTES
cdef Py_ssize_t _N_MONTHS = len(_MONTH_SPELLINGS)
assert _N_MONTHS < 32
cdef Py_ssize_t _MONTH_AT[32]  # room for every spelling (25) and one end
_MONTH_AT[0] = 0
for _k, _spelling in enumerate(_MONTH_SPELLINGS):
    _MONTH_AT[_k + 1] = _MONTH_AT[_k] + len(_spelling)


cdef inline uint32_t _at(int kind, void* data, Py_ssize_t length, Py_ssize_t i) noexcept:
    return PyUnicode_READ(kind, data, i) if i < length else 0


cdef inline bint _is_word(uint32_t c) noexcept:
    return c == 95 or Py_UNICODE_ISALNUM(c)


cdef inline Py_ssize_t _digits(int kind, void* data, Py_ssize_t length, Py_ssize_t i) noexcept:
    """Length of the run of decimal digits at i."""
    cdef Py_ssize_t k = i
    while k < length and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, k)):
        k += 1
    return k - i


cdef inline Py_ssize_t _spaces(int kind, void* data, Py_ssize_t length, Py_ssize_t i) noexcept:
    cdef Py_ssize_t k = i
    while k < length and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, k)):
        k += 1
    return k - i


cdef inline bint _ends_word(int kind, void* data, Py_ssize_t length, Py_ssize_t i) noexcept:
    """\\b after a word character ending at i: the next character is no word character."""
    return i >= length or not _is_word(PyUnicode_READ(kind, data, i))


cdef inline uint32_t _lower_ascii(uint32_t c) noexcept:
    return c + 32 if 65 <= c <= 90 else c


cdef bint _year_after_month(int kind, void* data, Py_ssize_t length, Py_ssize_t i) noexcept:
    """From i (just after a month's name, in the day-first form): \\.?,?\\s+\\d{4}\\b."""
    cdef Py_ssize_t s, r
    if _at(kind, data, length, i) == 46:  # "."
        i += 1
    if _at(kind, data, length, i) == 44:  # ","
        i += 1
    s = _spaces(kind, data, length, i)
    if s == 0:
        return False
    i += s
    r = _digits(kind, data, length, i)
    return r == 4 and _ends_word(kind, data, length, i + 4)


cdef bint _day_year_after_month(int kind, void* data, Py_ssize_t length, Py_ssize_t i) noexcept:
    """From i (just after a month's name): \\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b."""
    cdef Py_ssize_t s, r
    cdef uint32_t a, b
    if _at(kind, data, length, i) == 46:
        i += 1
    s = _spaces(kind, data, length, i)
    if s == 0:
        return False
    i += s
    r = _digits(kind, data, length, i)
    if r < 1 or r > 2:
        return False
    i += r
    a = _lower_ascii(_at(kind, data, length, i))
    b = _lower_ascii(_at(kind, data, length, i + 1))
    if (a == 115 and b == 116) or (a == 110 and b == 100) or (a == 114 and b == 100) or (a == 116 and b == 104):
        i += 2
    if _at(kind, data, length, i) == 44:
        i += 1
    s = _spaces(kind, data, length, i)
    if s == 0:
        return False
    i += s
    r = _digits(kind, data, length, i)
    return r == 4 and _ends_word(kind, data, length, i + 4)


cdef Py_ssize_t _month_at(int kind, void* data, Py_ssize_t length, Py_ssize_t i, Py_ssize_t k) noexcept:
    """Length of month spelling k when it is at i (case-insensitively), else 0."""
    cdef Py_ssize_t m, start = _MONTH_AT[k], mlen = _MONTH_AT[k + 1] - _MONTH_AT[k]
    if i + mlen > length:
        return 0
    for m in range(mlen):
        if _lower_ascii(PyUnicode_READ(kind, data, i + m)) != _MONTH_CHARS[start + m]:
            return 0
    return mlen


cdef bint _date_at(int kind, void* data, Py_ssize_t length, Py_ssize_t p) noexcept:
    """Does one of the forms match at p (where a word starts)?"""
    cdef uint32_t c = PyUnicode_READ(kind, data, p), sep, sep2
    cdef Py_ssize_t r, r2, r3, i, s, k, mlen
    if Py_UNICODE_ISDECIMAL(c):
        r = _digits(kind, data, length, p)
        if r == 4 and _at(kind, data, length, p + 4) == 45:  # yyyy-m-d
            i = p + 5
            r2 = _digits(kind, data, length, i)
            if 1 <= r2 <= 2 and _at(kind, data, length, i + r2) == 45:
                i += r2 + 1
                r3 = _digits(kind, data, length, i)
                if 1 <= r3 <= 2 and _ends_word(kind, data, length, i + r3):
                    return True
        if r > 2:
            return False
        i = p + r
        sep = _at(kind, data, length, i)
        if sep == 47 or sep == 46:  # d/m/y or d.m.y
            r2 = _digits(kind, data, length, i + 1)
            if 1 <= r2 <= 2:
                sep2 = _at(kind, data, length, i + 1 + r2)
                if sep2 == 47 or sep2 == 46:
                    r3 = _digits(kind, data, length, i + 2 + r2)
                    if 2 <= r3 <= 4 and _ends_word(kind, data, length, i + 2 + r2 + r3):
                        return True
        if sep == 58:  # h:mm
            r2 = _digits(kind, data, length, i + 1)
            if r2 == 2 and _ends_word(kind, data, length, i + 3):
                return True
        s = _spaces(kind, data, length, i)  # d month yyyy
        if s:
            i += s
            for k in range(_N_MONTHS):
                mlen = _month_at(kind, data, length, i, k)
                if mlen and _year_after_month(kind, data, length, i + mlen):
                    return True
        return False
    for k in range(_N_MONTHS):  # month d, yyyy
        mlen = _month_at(kind, data, length, p, k)
        if mlen and _day_year_after_month(kind, data, length, p + mlen):
            return True
    return False


def date_lines(list lines, const Py_ssize_t[::1] subset):
    """Per line at the indices in subset: 1 where `line_rules._DATE` finds a match, 0 where it does
    not, -1 where the line holds a letter the re module folds to an ASCII letter (left to the regex)."""
    cdef Py_ssize_t s, j, p, length
    cdef str line
    cdef int kind
    cdef void* data
    cdef uint32_t c
    cdef bint prev_word, found
    out_a = np.zeros(subset.shape[0], np.int8)
    cdef signed char[::1] out = out_a
    for s in range(subset.shape[0]):
        j = subset[s]
        line = lines[j]
        length = len(line)
        kind = PyUnicode_KIND(line)
        data = PyUnicode_DATA(line)
        found = False
        for p in range(length):
            c = PyUnicode_READ(kind, data, p)
            if c == 0x130 or c == 0x131 or c == 0x17F or c == 0x212A:
                out[s] = -1
                break
        if out[s] < 0:
            continue
        prev_word = False
        for p in range(length):
            c = PyUnicode_READ(kind, data, p)
            if not prev_word and _is_word(c) and _date_at(kind, data, length, p):
                found = True
                break
            prev_word = _is_word(c)
        out[s] = found
    return out_a


def key_ids(const uint64_t[::1] keys):
    """A dense id per key (0, 1, ... in order of first occurrence: `lines._later_copies` relies on it).

    `line_features.unique_inverse` (the reference) numbers keys by rank after a sort of the batch's keys;
    an open-addressing hash table finds the same partition in one pass (only which lines share an id is
    used: `lines._run_context` counts and masks by id).
    """
    cdef Py_ssize_t n = keys.shape[0], size = 16, mask, j, slot, next_id = 0
    while size < 2 * n:
        size *= 2
    mask = size - 1
    slot_key_a = np.empty(size, np.uint64)
    slot_id_a = np.full(size, -1, np.intp)
    ids_a = np.empty(n, np.intp)
    cdef uint64_t[::1] slot_key = slot_key_a
    cdef Py_ssize_t[::1] slot_id = slot_id_a, ids = ids_a
    cdef uint64_t key, h
    for j in range(n):
        key = keys[j]
        h = key * <uint64_t>0x9E3779B97F4A7C15
        slot = <Py_ssize_t>(h >> 32) & mask
        while slot_id[slot] >= 0 and slot_key[slot] != key:
            slot = (slot + 1) & mask
        if slot_id[slot] < 0:
            slot_key[slot] = key
            slot_id[slot] = next_id
            next_id += 1
        ids[j] = slot_id[slot]
    return ids_a


def distinct_units(const Py_ssize_t[::1] kid, const Py_ssize_t[::1] firsts, const Py_ssize_t[::1] unit,
                   const Py_ssize_t[::1] scope):
    """Per line, how many distinct units (`unit[p]` of each page p) hold a line of its id within its page's
    scope (`scope[p]`): pages by content across the batch, or pages within one site.

    `lines._distinct_units` (the reference) sorts (id, scope, unit) triples; here the pages are taken in
    (scope, unit) order and a per-id stamp counts each new unit once, two passes per scope.
    """
    cdef Py_ssize_t n = kid.shape[0], n_pages = firsts.shape[0], n_keys = 0, j, k, p, q, g, g_end
    cdef Py_ssize_t u, s, p1
    for j in range(n):
        if kid[j] + 1 > n_keys:
            n_keys = kid[j] + 1
    order_a = np.lexsort((np.asarray(unit), np.asarray(scope))).astype(np.intp)
    count_a = np.zeros(n_keys, np.intp)
    seen_a = np.full(n_keys, -1, np.intp)  # the last unit that counted, per id (-1: none in this scope)
    stamp_a = np.full(n_keys, -1, np.intp)  # the scope of that count, per id
    out_a = np.empty(n, np.intp)
    cdef Py_ssize_t[::1] order = order_a, count = count_a, seen = seen_a, stamp = stamp_a, out = out_a
    g = 0
    while g < n_pages:
        s = scope[order[g]]
        g_end = g
        while g_end < n_pages and scope[order[g_end]] == s:
            g_end += 1
        for q in range(g, g_end):
            p = order[q]
            u = unit[p]
            p1 = firsts[p + 1] if p + 1 < n_pages else n
            for j in range(firsts[p], p1):
                k = kid[j]
                if stamp[k] != s:
                    stamp[k] = s
                    count[k] = 0
                    seen[k] = -1
                if seen[k] != u:
                    seen[k] = u
                    count[k] += 1
        for q in range(g, g_end):
            p = order[q]
            p1 = firsts[p + 1] if p + 1 < n_pages else n
            for j in range(firsts[p], p1):
                out[j] = count[kid[j]]
        g = g_end
    return out_a


def strip_lines(list lines):
    """`list(map(str.strip, lines))` and whether every stripped line is non-empty.

    Most lines have no space at either end: `str.strip` returns them unchanged, but a method call per line
    costs more than the test; here only lines starting or ending with a space (Py_UNICODE_ISSPACE, as
    `str.strip` has it) or not exactly of type str are stripped by `str.strip`.
    """
    cdef Py_ssize_t n = len(lines), j, length
    cdef object line
    cdef int kind
    cdef void* data
    cdef bint all_kept = True
    cdef list out = [None] * n
    for j in range(n):
        line = lines[j]
        if type(line) is str:
            length = len(<str> line)
            if length:
                kind = PyUnicode_KIND(line)
                data = PyUnicode_DATA(line)
                if not (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, 0))
                        or Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, length - 1))):
                    out[j] = line
                    continue
        line = line.strip()
        if not line:
            all_kept = False
        out[j] = line
    return out, all_kept


from cpython.unicode cimport PyUnicode_Contains


def occurs_elsewhere(list lines, Py_ssize_t p0, Py_ssize_t p1, Py_ssize_t j):
    """Whether lines[j] occurs in another line of lines[p0:p1] (a str.__contains__ per line as long).

    `lines._titles` asks whether a line occurs twice in its page's joined text: for a line without a
    newline, that is whether another line holds it (an occurrence cannot span two lines, and the line
    itself holds it once). This spares joining each page's text (a copy, widened to the page's widest
    character) and scanning the lines too short to hold it.
    """
    cdef str part = lines[j]
    cdef Py_ssize_t k, length = len(part)
    cdef object line
    for k in range(p0, p1):
        if k == j:
            continue
        line = lines[k]
        if len(<str> line) >= length and PyUnicode_Contains(line, part):
            return True
    return False
