# cython: language_level=3
"""Character classes the compiled splitters share (`sentence_split`'s constants; inline, so each kernel
compiles them in): `from newsfold._chars cimport closer`."""


cdef inline bint stop(Py_UCS4 c) noexcept:
    """A sentence's stop in a spaced script: ".", "!" or "?"."""
    return c == u"." or c == u"!" or c == u"?"


cdef inline bint closer(Py_UCS4 c) noexcept:
    """`sentence_split.CLOSERS` (what may follow a sentence's stop)."""
    return (
        c == u'"' or c == u"'" or c == 0x201D or c == 0x2019 or c == 0x201C or c == 0xBB or c == 0xAB
        or c == u")" or c == u"]"
    )


cdef inline bint word(Py_UCS4 c) noexcept:
    """`\\w` of `re` for `str` patterns: `Py_UNICODE_ISALNUM` or "_"."""
    return c.isalnum() or c == u"_"
