# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""`sentence_split.split_lines_plain` compiled: the project's sentence splitter, one pass of C a line.

Copy detection splits every distinct line of a run (bench/out/fold-corpus-2400: ~16,000), where the plain
version's regex and per-cut Python were ~0.1 s of CPU. The same rules (`sentence_split`'s docstring) read
character by character, with the classes `re` uses for `str` patterns (`\\s`: `Py_UNICODE_ISSPACE`, `\\w`:
`Py_UNICODE_ISALNUM` or "_") and `str.isupper` of one character (`Py_UNICODE_ISUPPER`); the rare checks at
a candidate cut (abbreviations, quotation marks) use Python's own `str` methods on the line.
tests/test_sentence_split.py compares both on real pages, on the rules' edge cases and on generated text.
"""

from newsfold._chars cimport closer as _closer, stop as _stop, word as _word


cdef inline bint _cjk_stop(Py_UCS4 c) noexcept:
    return c == 0x3002 or c == 0xFF01 or c == 0xFF1F


cdef inline bint _cjk_closer(Py_UCS4 c) noexcept:
    return c == 0x300D or c == 0x300F or c == 0x201D or c == 0x2019 or c == 0xFF09


cdef inline bint _opener(Py_UCS4 c) noexcept:
    """`sentence_split.OPENERS`."""
    return (
        c == u'"' or c == u"'" or c == 0x201C or c == 0x2018 or c == 0x201E or c == 0xAB or c == 0xBB
        or c == u"(" or c == u"["
    )


cdef inline bint _digit(Py_UCS4 c) noexcept:
    return u"0" <= c <= u"9"


cdef inline bint _ascii_letter(Py_UCS4 c) noexcept:
    return (u"a" <= c <= u"z") or (u"A" <= c <= u"Z")


cdef bint _starts(str s, Py_ssize_t k, Py_ssize_t n):
    """Rule 1's start at `k`: a capital of any script or an ASCII digit, maybe after one opener."""
    cdef Py_UCS4 c = s[k]
    if _opener(c) and k + 1 < n:
        c = s[k + 1]
    return c.isupper() or _digit(c)


cdef bint _day_before_month(str s, Py_ssize_t i, Py_ssize_t k, tuple months):
    """Whether the stop before `i` ends a one- or two-digit day (a word boundary before it) and the
    whitespace from `i` to `k` leads to one of `months` as a whole word."""
    cdef Py_ssize_t n = len(s), m, end
    cdef str month
    if i < 2 or s[i - 1] != u"." or not _digit(s[i - 2]):
        return False
    if not (i == 2 or not _word(s[i - 3])):  # not a day of one digit: one of two?
        if not (_digit(s[i - 3]) and (i == 3 or not _word(s[i - 4]))):
            return False
    for month in months:
        m = len(month)
        end = k + m
        if end <= n and s[k:end] == month and (end == n or not _word(s[end])):
            return True
    return False


cdef bint _initials(str s, Py_ssize_t a, Py_ssize_t b):
    """`_INITIALS.fullmatch(s[a:b])`: ASCII letters, each one long, separated by dots."""
    cdef Py_ssize_t x
    if (b - a) % 2 == 0:
        return False
    for x in range(a, b):
        if (x - a) % 2 == 0 and not _ascii_letter(s[x]):
            return False
        if (x - a) % 2 == 1 and s[x] != u".":
            return False
    return True


cdef str _abbreviation(str s, Py_ssize_t i, frozenset abbreviations, Py_ssize_t longest):
    """`sentence_split._abbreviation` of `s[:i]`: the abbreviation, initial or dotted letters that the
    full stop before `i` ends, in lower case without its stops, or None (rule 3)."""
    cdef Py_ssize_t w = i - 1, a, b, x
    cdef Py_UCS4 c
    cdef str key
    if s[i - 1] != u".":
        return None
    while w > 0 and not s[w - 1].isspace():
        w -= 1
    if i - w < 2:
        return None
    a = w  # the word without its opening quotes or bracket (`.lstrip("\"'“‘(")`)
    while a < i - 1 and (s[a] == u'"' or s[a] == u"'" or s[a] == 0x201C or s[a] == 0x2018 or s[a] == u"("):
        a += 1
    for x in range(a, i - 1):  # both are ASCII letters and dots: most words ending a sentence are not
        c = s[x]
        if not (_ascii_letter(c) or c == u"."):
            return None
    b = i - 1
    while b > a and s[b - 1] == u".":
        b -= 1
    if b - a > longest:  # longer than any abbreviation (`.rstrip(".")`'d): initials or nothing
        return s[a:b].lower() if _initials(s, a, i - 1) else None
    key = s[a:b].lower()
    if key in abbreviations or _initials(s, a, i - 1):
        return key
    return None


cdef (Py_ssize_t, Py_ssize_t) _function_word_span(str s, Py_ssize_t k, Py_ssize_t n, frozenset words):
    """`sentence_split._function_word_span`: (start, end) of the capitalised function word, whole, at
    `k` (maybe after one opener); start == end where there is none."""
    cdef Py_ssize_t end, x
    if _opener(s[k]) and k + 1 < n:
        k += 1
    end = k
    while end < n and _ascii_letter(s[end]):
        end += 1
    if end == k:
        return k, k
    if end < n and (s[end].isalnum() or s[end] == u"." or s[end] == u"-" or s[end] == u"_"):
        return k, k
    if not (u"A" <= s[k] <= u"Z"):
        return k, k
    for x in range(k + 1, end):
        if not (u"a" <= s[x] <= u"z"):
            return k, k
    return (k, end) if s[k:end].lower() in words else (k, k)


cdef bint _abbreviation_holds(
    str s, Py_ssize_t i, Py_ssize_t k, Py_ssize_t n, tuple words, Py_ssize_t longest
):
    """`sentence_split._abbreviation_holds`: the full stop before `i` (whitespace to `k`) ends an
    abbreviation that does not end the sentence there; `words`: (ABBREVIATIONS, TITLES, BEFORE_NUMBERS,
    FUNCTION_WORDS)."""
    cdef Py_ssize_t start, end, following
    cdef str key = _abbreviation(s, i, words[0], longest)
    if key is None:
        return False
    if key in words[1]:
        return True
    if key in words[2]:
        return _digit(s[k])
    start, end = _function_word_span(s, k, n, words[3])
    if start == end or (len(key) == 1 and end - start == 1):  # none, or an initial after an initial
        return True
    following = end
    while following < n and s[following].isspace():
        following += 1
    if following == end or following == n:
        return False
    start, end = _function_word_span(s, following, n, words[3])  # a second one: title case
    return end - start > 1


cdef inline bint _quotation_mark(Py_UCS4 c) noexcept:
    """`sentence_split.QUOTATION_MARKS`."""
    return c == u'"' or c == 0x201C or c == 0x201D or c == 0x201E or c == 0xAB or c == 0xBB


cdef bint _quoted(str s, Py_ssize_t start, Py_ssize_t end):
    """Whether `s[start:end]` holds an odd number of double quotation marks, and one follows `end`."""
    cdef Py_ssize_t x, n = len(s), marks = 0
    for x in range(start, end):
        marks += _quotation_mark(s[x])
    if marks % 2 == 0:
        return False
    for x in range(end, n):
        if _quotation_mark(s[x]):
            return True
    return False


def sentences(list lines, tuple months, tuple words, Py_ssize_t longest):
    """(texts, line_of): each line stripped and cut as `split_lines_plain` cuts it, with the index of the
    line of each sentence; `months`: `DAY_DOT_MONTHS`, `words`: (`ABBREVIATIONS`, `TITLES`,
    `BEFORE_NUMBERS`, `FUNCTION_WORDS`), `longest`: the length of the longest abbreviation."""
    cdef list texts = []
    cdef list line_of = []
    cdef str line, s
    cdef Py_ssize_t p, n, i, j, k, start
    cdef Py_UCS4 c
    for p in range(len(lines)):
        line = lines[p]
        s = line.strip()  # str.strip's whitespace is str.isspace's
        n = len(s)
        start = 0
        i = 1
        while i < n:
            c = s[i - 1]
            j = i
            if _stop(c):
                while j < n and _closer(s[j]):
                    j += 1
                k = j
                while k < n and s[k].isspace():
                    k += 1
                if k == j or k == n or not _starts(s, k, n):
                    i += 1
                    continue
                if j == i and (
                    _day_before_month(s, i, k, months) or _abbreviation_holds(s, i, k, n, words, longest)
                ):
                    i += 1
                    continue
            elif _cjk_stop(c):
                while j < n and _cjk_closer(s[j]):
                    j += 1
                k = j
                while k < n and s[k].isspace():
                    k += 1
                if k == n:
                    i += 1
                    continue
            else:
                i += 1
                continue
            if _quoted(s, start, j):
                i += 1
                continue
            texts.append(s[start:j])
            line_of.append(p)
            start = k
            i = k + 1
        if start < n:
            texts.append(s[start:n])
            line_of.append(p)
    return texts, line_of
