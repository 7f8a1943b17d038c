# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The entity reader's per-line pass, compiled: `entities._read_line` (its spec) step by step.

Why compiled: reading the lines' capitalised phrases was two fifths of a clustering profile's CPU
(`profile_of`, bench/fold/profile_cpu.py), most of it splitting each line into tokens with a regex and
looking at the text around each token. Here one pass over the characters finds the tokens (`_TOKEN`: a
letter, then letters, digits, "_", apostrophes, dots and hyphens, back to the last letter, digit or "_")
and what stands between them; the phrase rules then read the gaps through their indices. Characters are
classed as `re` and `str` class them (`\\w` is `str.isalnum()` or "_", `\\d` `str.isdecimal()`, white
space `str.isspace()`, a capital `str.isupper()`); case mappings, set look-ups and the normalisation of
names with dots, apostrophes or other than ASCII letters are Python's own (the spec's `_normalise` is
called for those). tests/test_entities_kernel.py compares the readings of both on real and random lines.
"""

from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISALPHA,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISLOWER,
    Py_UNICODE_ISSPACE,
    Py_UNICODE_ISUPPER,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
)
from libc.stdlib cimport free, malloc

cdef struct Token:
    Py_ssize_t start, end  # the token is line[start:end]; its gap is line[previous end:start]
    bint upper, lower  # its first character's case
    bint opening  # the first character before it that is not white space is a sentence mark, or none is
    bint dot_gap  # its gap stripped of white space is "."
    bint one_space  # its gap is " "
    bint only_space_hyphen  # its gap holds nothing but " " and "-"
    bint newline  # its gap holds "\n"
    bint possessive  # it ends with "'s" or "’s"


# ASCII characters' classes in a table (the Unicode database's answers for them, without a call).
cdef enum:
    LETTER = 1
    WORD = 2
    UPPER = 4
    LOWER = 8
    SPACE = 16
cdef unsigned char ASCII[128]
for _code in range(128):
    _ch = chr(_code)
    ASCII[_code] = (
        LETTER * (_ch.isalnum() and not _ch.isdecimal() and _ch != "_") + WORD * (_ch.isalnum() or _ch == "_")
        + UPPER * _ch.isupper() + LOWER * _ch.islower() + SPACE * _ch.isspace()
    )


cdef inline bint _word(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (ASCII[ch] & WORD) != 0
    return Py_UNICODE_ISALNUM(ch)


cdef inline bint _letter(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (ASCII[ch] & LETTER) != 0
    return Py_UNICODE_ISALNUM(ch) and not Py_UNICODE_ISDECIMAL(ch)


cdef inline bint _upper(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (ASCII[ch] & UPPER) != 0
    return Py_UNICODE_ISUPPER(ch)


cdef inline bint _lower(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (ASCII[ch] & LOWER) != 0
    return Py_UNICODE_ISLOWER(ch)


cdef inline bint _space(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (ASCII[ch] & SPACE) != 0
    return Py_UNICODE_ISSPACE(ch)


cdef inline bint _alpha(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (ASCII[ch] & LETTER) != 0  # the ASCII letters are str.isalpha()'s ASCII characters
    return Py_UNICODE_ISALPHA(ch)


cdef inline bint _in_token(Py_UCS4 ch) noexcept:
    return _word(ch) or ch == 39 or ch == 0x2019 or ch == 46 or ch == 45  # ' ’ . -


cdef inline bint _sentence_mark(Py_UCS4 ch) noexcept:
    return ch in ".!?:;\"“”‘'"


cdef Py_ssize_t _tokens(str line, Token* tokens) except -1:
    """Fill `tokens` with `_TOKEN`'s matches in `line` and what each one's gap holds; return how many."""
    cdef int kind = PyUnicode_KIND(line)
    cdef void* data = PyUnicode_DATA(line)
    cdef Py_ssize_t n = len(line), p = 0, q, last, g, k = 0, solid, previous_end = 0
    cdef Py_UCS4 ch, mark
    cdef Token* t
    while p < n:
        if not _letter(PyUnicode_READ(kind, data, p)):
            p += 1
            continue
        q = p + 1
        last = p
        while q < n and _in_token(PyUnicode_READ(kind, data, q)):
            if _word(PyUnicode_READ(kind, data, q)):
                last = q
            q += 1
        ch = PyUnicode_READ(kind, data, p)
        t = &tokens[k]
        t.start, t.end = p, last + 1
        t.upper, t.lower = _upper(ch), _lower(ch)
        t.possessive = (
            last - p >= 1
            and PyUnicode_READ(kind, data, last) == 115  # "s"
            and PyUnicode_READ(kind, data, last - 1) in (39, 0x2019)
        )
        solid = 0  # characters of the gap that are not white space
        mark = 0  # the last of them
        t.one_space = p - previous_end == 1 and PyUnicode_READ(kind, data, previous_end) == 32
        t.only_space_hyphen = True
        t.newline = False
        for g in range(previous_end, p):
            ch = PyUnicode_READ(kind, data, g)
            if ch != 32 and ch != 45:
                t.only_space_hyphen = False
            if ch == 10:
                t.newline = True
            if not _space(ch):
                solid += 1
                mark = ch
        t.dot_gap = solid == 1 and mark == 46
        t.opening = _sentence_mark(mark) if solid else k == 0
        previous_end = last + 1
        p = last + 1
        k += 1
    return k


cdef class _Line:
    """One line's tokens as `_read_line` reads them (`words`: their text, made once)."""

    cdef Token* tokens
    cdef Py_ssize_t n
    cdef list words
    cdef list lowered  # each word's str.lower()
    # `entities._KernelRules`, unpacked
    cdef frozenset not_names, honorifics, abbreviations, connectors, not_a_whole_name, title_lower
    cdef object normalise, Phrase, LineReading

    def __dealloc__(self):
        free(self.tokens)

    cdef str lower_word(self, Py_ssize_t k):
        return <str> self.lowered[k]

    cdef bint abbreviation_before(self, Py_ssize_t k):
        """`entities._abbreviation_before`."""
        if k == 0 or not self.tokens[k].dot_gap:
            return False
        previous = <str> self.words[k - 1]
        if len(previous) == 1 and self.tokens[k - 1].upper:  # a one-character str.isupper()
            return True
        return previous.lower() in self.abbreviations

    cdef Py_ssize_t phrase_end(self, Py_ssize_t i):
        """`entities._phrase_end`."""
        cdef Py_ssize_t j = i + 1, n = self.n
        cdef Token* t = self.tokens
        while j < n and not t[j - 1].possessive:
            if not t[j].one_space and (not t[j].only_space_hyphen or t[j].newline):
                if not self.abbreviation_before(j):
                    break
            if t[j].upper:
                j += 1
            elif j + 1 < n and t[j + 1].upper and t[j + 1].only_space_hyphen and self.connector(j):
                j += 2
            else:
                break
        return j

    cdef bint connector(self, Py_ssize_t k):
        return self.lower_word(k) in self.connectors

    cdef bint common(self, str key, Py_ssize_t first, Py_ssize_t end):
        """A function word, or a title before more words."""
        return key in self.not_names or (key in self.honorifics and first + 1 < end)

    cdef Py_ssize_t first_name_word(self, Py_ssize_t first, Py_ssize_t end):
        """`entities._first_name_word`."""
        while first < end:
            if not self.common(self.lower_word(first), first, end):  # nothing to strip (read_line)
                break
            first += 1
        return first

    cdef object span(self, Py_ssize_t first, Py_ssize_t end):
        """`entities._span`."""
        if first >= end:
            return None  # `_normalise([])` is ""
        cdef list words = self.words[first:end]
        cdef str name
        cdef bint plain = True
        for word in words:
            if not (<str> word).isascii() or "'" in <str> word or "." in <str> word:
                plain = False
                break
        name = _plain_name(words, self.honorifics) if plain else self.normalise(words)
        dotted = "." in <str> self.words[first]
        if len(name) > 1 and (dotted or name.lower() not in self.not_a_whole_name):
            return name, self.tokens[first].start, self.tokens[end - 1].end
        return None


cdef str _plain_name(list words, frozenset honorifics):
    """`entities._normalise` of ASCII words without apostrophes or dots."""
    cdef Py_ssize_t k, title = -1
    for k in range(len(words) - 1):
        if (<str> words[k]).lower() in honorifics:
            title = k
    if title >= 0:
        words = words[title + 1 :]
    while len(words) > 1 and (<str> words[0]).lower() == "the":
        words = words[1:]
    return " ".join(words)


cdef bint _case_blind(str line, _Line read):
    """`entities._case_blind`: a line in capitals or in Title Case (a headline)."""
    cdef int kind = PyUnicode_KIND(line)
    cdef void* data = PyUnicode_DATA(line)
    cdef Py_ssize_t g, k, letters = 0, upper = 0, kept = 0, kept_upper = 0
    cdef Py_UCS4 ch
    for g in range(len(line)):
        ch = PyUnicode_READ(kind, data, g)
        if _alpha(ch):
            letters += 1
        if _upper(ch):
            upper += 1
    if letters >= 12 and upper > 0.6 * letters:
        return True
    for k in range(read.n):
        # No lower case form is shorter than its word: a word over 4 characters is no _TITLE_LOWER word.
        if len(<str> read.words[k]) <= 4 and read.lower_word(k) in read.title_lower:
            continue
        kept += 1
        if read.tokens[k].upper:
            kept_upper += 1
    return kept >= 4 and kept_upper > 0.9 * kept


def read_line(str line, rules):
    """`entities._read_line(line)`; `rules`: `entities.KERNEL_RULES`."""
    cdef Py_ssize_t n = len(line), k, i, end = 0
    cdef _Line read = _Line()
    cdef Token* t
    (read.not_names, read.honorifics, read.abbreviations, read.connectors, read.not_a_whole_name,
     read.title_lower, read.normalise, read.Phrase, read.LineReading) = rules
    read.tokens = <Token*> malloc((n // 2 + 2) * sizeof(Token))  # a token and its gap: 2 characters
    if read.tokens == NULL:
        raise MemoryError()
    read.n = _tokens(line, read.tokens)
    t = read.tokens
    read.words = [line[t[k].start : t[k].end] for k in range(read.n)]
    if line.isascii():  # lower case keeps every ASCII character in its place: the line is lowered once
        low = line.lower()
        read.lowered = [low[t[k].start : t[k].end] for k in range(read.n)]
    else:  # elsewhere a word's lower case may depend on what follows it (a final sigma)
        read.lowered = [(<str> word).lower() for word in read.words]
    if read.n == 0 or _case_blind(line, read):
        return tuple.__new__(read.LineReading, (n, frozenset(), frozenset(), ()))
    words = read.words
    lowercase = frozenset([read.lowered[k] for k in range(read.n) if t[k].lower])
    inside = frozenset([words[k] for k in range(read.n) if t[k].upper and not t[k].opening])
    phrases = []
    for i in range(read.n):
        if not t[i].upper or i < end:
            continue
        opens = t[i].opening and not read.abbreviation_before(i)
        end = read.phrase_end(i)
        word = words[i]
        key = read.lower_word(i)  # `.rstrip(".")` in the spec: a token ends with a letter, digit or "_"
        common = read.common(key, i, end)
        grammar = end - i == 1 or key.endswith(("ing", "ly"))
        kept = None if common else read.span(i, end)
        dropped = read.span(read.first_name_word(i + 1, end), end) if common or opens else None
        # tuple.__new__: the named tuple made without its Python-level __new__
        phrases.append(tuple.__new__(read.Phrase, (kept, dropped, word, key, common, opens, grammar)))
    return tuple.__new__(read.LineReading, (n, lowercase, inside, tuple(phrases)))
