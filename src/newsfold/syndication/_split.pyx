# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""`passages._split_plain`'s keys compiled: each sentence's key, words and shape in one pass of C.

The plain version substitutes the runs between tokens (`passages._BETWEEN_TOKENS`) and builds each row in
Python: with every distinct line of bench/out/fold-corpus-2400 split once, that and the splitting (now
`newsfold._sentence_split`) were ~0.16 s of copy detection's ~0.9 s of CPU. Here the same grammar is read
character by character, with the character classes `re` uses for `str` patterns (`\\w`:
`Py_UNICODE_ISALNUM` or "_"), and `str.strip`'s whitespace. NFKC and case folding stay Python's, on the
joined text, as in the plain version. tests/syndication/test_split.py compares both on real pages and on
the edge cases of the grammar.
"""

from cpython.unicode cimport PyUnicode_FromKindAndData, PyUnicode_4BYTE_KIND
from libc.stdlib cimport free, malloc

from newsfold._chars cimport closer as _closer, stop as _terminal, word as _word


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
