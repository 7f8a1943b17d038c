# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""`passages._split_plain` compiled: the sentences of lines, and each sentence's key, in one pass of C.

The plain version splits each line with a regex (`passages._SENTENCE_END`), substitutes the runs between
tokens (`passages._BETWEEN_TOKENS`) and builds each row in Python: with every distinct line of
bench/out/fold-corpus-2400 split once, that was ~0.16 s of copy detection's ~0.9 s of CPU. Here the same
grammar is read character by character, with the character classes `re` uses for `str` patterns (`\\s`:
`Py_UNICODE_ISSPACE`, `\\w`: `Py_UNICODE_ISALNUM` or "_"), and `str.strip`'s whitespace. NFKC and case
folding stay Python's, on the joined text, as in the plain version. tests/syndication/test_split.py
compares both on real pages and on the edge cases of the grammar.
"""

from cpython.unicode cimport PyUnicode_FromKindAndData, PyUnicode_4BYTE_KIND
from libc.stdlib cimport free, malloc


cdef inline bint _terminal(Py_UCS4 c) noexcept:
    return c == u"." or c == u"!" or c == u"?"


cdef inline bint _closer(Py_UCS4 c) noexcept:
    """`passages._CLOSERS` (what may follow a sentence's terminal)."""
    return c == u'"' or c == u"'" or c == 0x201D or c == 0x2019 or c == u")" or c == u"]"


cdef inline bint _opener(Py_UCS4 c) noexcept:
    return c == u'"' or c == u"'" or c == 0x201C or c == 0x2018 or c == u"(" or c == u"["


cdef inline bint _starts(Py_UCS4 c) noexcept:
    """What a sentence after a split starts with: [A-Z0-9\\u00c0-\\u024f]."""
    return (u"A" <= c <= u"Z") or (u"0" <= c <= u"9") or (0xC0 <= c <= 0x24F)


cdef inline bint _word(Py_UCS4 c) noexcept:
    return c.isalnum() or c == u"_"


cdef inline bint _digit(Py_UCS4 c) noexcept:
    return u"0" <= c <= u"9"


cdef bint _day_before_month(str s, Py_ssize_t i, Py_ssize_t k, tuple months):
    """Whether the stop before `i` ends a one- or two-digit day (a word boundary before it) and the
    whitespace from `i` to `k` leads to one of `months` as a whole word: `passages._SENTENCE_END`'s two
    lookaheads."""
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


def sentences(list lines, tuple months):
    """(texts, line_of): each line stripped and split at `_SENTENCE_END`, as `re.split` splits it, with
    the index of the line of each sentence; `months`: `passages.DAY_DOT_MONTHS`."""
    cdef list texts = []
    cdef list line_of = []
    cdef str line, s
    cdef Py_ssize_t p, n, i, j, k, start
    for p in range(len(lines)):
        line = lines[p]
        s = line.strip()  # str.strip's whitespace is str.isspace's
        n = len(s)
        start = 0
        i = 1
        while i < n:
            if not _terminal(s[i - 1]):
                i += 1
                continue
            j = i
            while j < n and _closer(s[j]):
                j += 1
            k = j
            while k < n and s[k].isspace():
                k += 1
            if k == j or k == n or not (
                _starts(s[k]) or (_opener(s[k]) and k + 1 < n and _starts(s[k + 1]))
            ):
                i += 1
                continue
            if j == i and _day_before_month(s, i, k, months):  # "am 11. Mai": no closer, then a month
                i += 1
                continue
            texts.append(s[start:i])
            line_of.append(p)
            start = k
            i = k + 1
        texts.append(s[start:n])
        line_of.append(p)
    return texts, line_of


def rows(list texts, list line_of, str folded):
    """The rows (line, text, key, words, closed) of the sentences `texts`, whose NFKC-normalised,
    case-folded text joined by newlines is `folded` (one line of it a sentence); sentences without a
    token dropped."""
    cdef Py_ssize_t n = len(folded)
    cdef Py_UCS4* buffer = <Py_UCS4*> malloc((n + 1) * sizeof(Py_UCS4))
    if buffer == NULL:
        raise MemoryError()
    cdef list out = []
    cdef Py_ssize_t at = 0, x = 0, size, words, b, index = 0
    cdef bint gap
    cdef Py_UCS4 c
    cdef str text
    try:
        while index < len(texts):
            size = 0
            words = 0
            gap = False
            while at < n:
                c = folded[at]
                at += 1
                if c == u"\n":
                    break
                if _word(c):
                    if gap and size:
                        buffer[size] = u" "
                        size += 1
                    if gap or not size:
                        words += 1
                    gap = False
                    buffer[size] = c
                    size += 1
                else:
                    gap = True
            if size:
                text = texts[index].strip()
                b = len(text)
                while b and _closer(text[b - 1]):
                    b -= 1
                out.append(
                    (
                        line_of[index],
                        text,
                        PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buffer, size),
                        words,
                        b > 0 and (_terminal(text[b - 1]) or text[b - 1] == 0x2026),
                    )
                )
            index += 1
    finally:
        free(buffer)
    return out
