# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Where a profile's years, days and numbers can start, and the patterns' matches from there, compiled:
`_kernels.digit_run_starts_plain`, `month_starts_plain` and `findall_from_plain` (their specs).

Why: the five date and number patterns each scanned the whole text, character by character (a fifth of
`profile_of`), for about 40 matches an article. Each of them opens with a digit that no digit precedes,
or a month's first three letters that no word character precedes (their lookbehinds), so trying the
pattern at those places only, in order, after the end of the last match, gives `findall`'s matches:
`match(text, pos)` sees the text before `pos` as a search does (lookbehinds, `\\b`).
"""

from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISDECIMAL,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
)


cdef inline bint _decimal(Py_UCS4 ch) noexcept:
    if ch < 128:
        return 48 <= ch <= 57
    return Py_UNICODE_ISDECIMAL(ch)


cdef inline bint _word(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (48 <= ch <= 57) or (65 <= ch <= 90) or (97 <= ch <= 122) or ch == 95
    return Py_UNICODE_ISALNUM(ch)


def digit_run_starts(str text):
    """`_kernels.digit_run_starts_plain`: where each run of decimal digits (`\\d`) starts."""
    cdef list starts = []
    cdef Py_ssize_t i = 0
    cdef bint previous = False, current
    cdef Py_UCS4 ch
    for ch in text:
        current = _decimal(ch)
        if current and not previous:
            starts.append(i)
        previous = current
        i += 1
    return starts


def month_starts(str text, tuple months):
    """`_kernels.month_starts_plain`: where one of `months` (three ASCII letters each) starts a word."""
    cdef list starts = []
    cdef Py_ssize_t i, k, n = len(text), n_months = len(months)
    cdef unsigned long codes[16]  # each month's three letters, one byte each
    cdef unsigned long code
    cdef bint previous = False
    cdef Py_UCS4 ch, second, third
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    if n_months > 16:
        raise ValueError("at most 16 months")
    for k in range(n_months):
        month = months[k]
        if len(month) != 3 or not month.isascii():
            raise ValueError(f"a month is three ASCII letters: {month!r}")
        codes[k] = ((<unsigned long> ord(month[0])) << 16) | ((<unsigned long> ord(month[1])) << 8) | ord(month[2])
    for i in range(n):
        ch = PyUnicode_READ(kind, data, i)
        if not previous and i + 3 <= n and ch < 128:
            second = PyUnicode_READ(kind, data, i + 1)
            third = PyUnicode_READ(kind, data, i + 2)
            code = ((<unsigned long> ch) << 16) | ((<unsigned long> second) << 8) | (<unsigned long> third)
            if second < 128 and third < 128:
                for k in range(n_months):
                    if codes[k] == code:
                        starts.append(i)
                        break
        previous = _word(ch)
    return starts


def findall_from(pattern, str text, list starts):
    """`_kernels.findall_from_plain`: `pattern.findall(text)` where each match starts at one of `starts`."""
    cdef list found = []
    cdef Py_ssize_t end = 0, p
    match = pattern.match
    groups = pattern.groups
    for start in starts:
        p = start
        if p < end:
            continue
        m = match(text, p)
        if m is not None:
            if groups <= 1:
                group = m.group(groups)
                found.append("" if group is None else group)
            else:
                found.append(m.groups(""))
            end = m.end()
    return found
