# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A profile's word and name weights, compiled: `_kernels.term_weights_plain`, `name_weights_plain` and
`normalised_plain` (their specs).

Why compiled: tokenising by `[^\\W\\d_]{2,}`, counting the words and adding up their stems' counts was a
quarter of `profile_of` (the regex tests each character's Unicode category; the loop over the distinct
words ran ~190 dictionary look-ups an article in the interpreter). The same steps here, in the same order:
a letter is what the pattern's class is in `re` (`\\w` is `str.isalnum()` or "_", `\\d` is
`str.isdecimal()`), the words are counted in order of first use, the stems met in that order, the sums and
the logarithm are the plain version's, one operation at a time (bit for bit: tests/cluster/test_kernels.py).
The names' counts and weights and the unit vectors were another tenth, in dictionary comprehensions.
"""

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISDECIMAL, Py_UNICODE_ISSPACE
from libc.math cimport log, sqrt
from libc.stdlib cimport free, malloc


cdef inline bint _letter(Py_UCS4 ch) noexcept:
    """`[^\\W\\d_]` as `re` matches it in a str pattern."""
    if ch < 128:
        return (97 <= ch <= 122) or (65 <= ch <= 90)
    return Py_UNICODE_ISALNUM(ch) and not Py_UNICODE_ISDECIMAL(ch)


cdef dict _word_counts(str text):
    """Counter(re.findall(r"[^\\W\\d_]{2,}", text)) as a dict, in order of first use."""
    cdef dict counts = {}
    cdef Py_ssize_t i = 0, start = -1
    cdef Py_UCS4 ch
    for ch in text:
        if _letter(ch):
            if start < 0:
                start = i
        elif start >= 0:
            if i - start >= 2:
                word = text[start:i]
                counts[word] = counts.get(word, 0) + 1
            start = -1
        i += 1
    if start >= 0 and i - start >= 2:
        word = text[start:i]
        counts[word] = counts.get(word, 0) + 1
    return counts


cdef dict _list_counts(list words):
    """Counter(words) as a dict."""
    cdef dict counts = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    return counts


def term_weights(parts, boosts, dict known, term_of, unseen):
    """`_kernels.term_weights_plain`: ({stem: sublinear count times weight}, how many stems)."""
    cdef list counted = [_word_counts(p) if isinstance(p, str) else _list_counts(p) for p in parts]
    cdef Py_ssize_t most = sum(len(c) for c in counted)
    cdef double* sums = <double*> malloc((most + 1) * sizeof(double))
    cdef double* weights = <double*> malloc((most + 1) * sizeof(double))
    cdef dict position = {}  # stem -> its place in `sums` and `weights`, in order of first meeting
    cdef Py_ssize_t k, n = 0
    cdef double boost, weight, c
    if sums == NULL or weights == NULL:
        free(sums)
        free(weights)
        raise MemoryError()
    try:
        for counts, b in zip(counted, boosts):
            boost = b
            for word, count in (<dict> counts).items():
                term = known.get(word, unseen)
                if term is unseen:
                    term = term_of(word)
                if term is None:
                    continue
                stem, w = term
                weight = w
                found = position.get(stem)
                if found is None:
                    k = n
                    position[stem] = k
                    sums[k] = 0.0
                    weights[k] = 0.0
                    n += 1
                else:
                    k = found
                sums[k] = sums[k] + boost * <double> (<long> count)
                if weight > weights[k]:
                    weights[k] = weight
        out = {}
        k = 0
        for stem in position:
            c = sums[k]
            out[stem] = ((1.0 + log(c)) if c >= 1 else c) * weights[k]
            k += 1
        return out, n
    finally:
        free(sums)
        free(weights)


def normalised(dict weights):
    """`_kernels.normalised_plain`: `weights` scaled to unit length (the squares summed in order, from
    zero, as Python's `sum` adds floats); the plain function where a value is not a float."""
    cdef double total = 0.0, norm, w
    for value in weights.values():
        if type(value) is not float:
            return None
        w = value
        total += w * w
    norm = sqrt(total)
    if norm == 0.0:
        return {}
    return {key: <double> value / norm for key, value in weights.items()}


def name_weights(name_lists, dict known, name_weight):
    """`_kernels.name_weights_plain`: {name lower-cased: (1 + log count) times its weight}."""
    cdef dict counts = {}
    cdef str key
    cdef Py_ssize_t c
    for names in name_lists:
        for name in names:
            key = (<str> name).lower()
            counts[key] = counts.get(key, 0) + 1
            if _has_space(key):
                parts = key.split()
                if len(parts) > 1:  # "Kim Jong Un" and later "Kim": the last word links the two
                    last = parts[len(parts) - 1]
                    counts[last] = counts.get(last, 0) + 1
    out = {}
    for key, count in counts.items():
        weight = known.get(key)
        if weight is None:
            weight = name_weight(key)
        c = count
        out[key] = (1.0 + log(<double> c)) * <double> weight
    return out


cdef bint _has_space(str text):
    """Whether `text` holds a character `str.split()` splits at."""
    cdef Py_UCS4 ch
    for ch in text:
        if Py_UNICODE_ISSPACE(ch):
            return True
    return False
