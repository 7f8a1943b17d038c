# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The alignment's neighbour support and its statements' pairs, compiled (`sentences._neighbour_support`,
`sentences._base_pairs_plain`).

Why compiled: for every pair of aligned statements the plain spec lists every pair of their neighbours
and looks each up in the sorted pairs (numpy's searchsorted over arrays as long as the degrees' products):
0.19 of the alignment's 0.5 s of CPU on bench/fold's 2,400 pages. Here each neighbour pair is looked up in
its row by binary search, without the temporaries. Only maxima of given values are taken: the results are
exactly the spec's (tests/story/test_parts.py checks both agree).

The pairs: the spec multiplies the TF-IDF rows by their transpose with scipy, a block of rows at a time,
then sorts each row's pairs and filters them; its matrices' construction and checks cost more than the
products on a story's few hundred statements (0.14 s of the alignment's ~0.35 on bench/fold's stories).
Here each row's dot products are added in the order scipy's product adds them (the row's terms ascending,
each term's statements ascending), so bit for bit its values, into one row of sums, and only the pairs
kept are stored. Above a floor (the writer's), a story of many independent reports has millions of pairs
sharing only common words, none near the floor: those are not touched (`_filtered_pairs`, prefix
filtering, exact); the pairs kept are the same, bit for bit.
"""

import numpy as np
from libc.math cimport sqrt
from libc.stdlib cimport free, malloc, qsort, realloc


def neighbour_support(
    const long[::1] rows,
    const long[::1] cols,
    const long[::1] pair_starts,
    const long[::1] pair_cols,
    const double[::1] base,
    const long[::1] link_starts,
    const long[::1] links,
):
    """For each asked pair k, (rows[k], cols[k]): the highest `base` of a pair (p, q), p linked to rows[k]
    and q to cols[k] (`link_starts`/`links`: CSR), found among the pairs (row p's pairs are
    pair_cols[pair_starts[p]:pair_starts[p + 1]], ascending, with their `base`); 0 when there is none."""
    cdef Py_ssize_t n = rows.shape[0], k, a, b, low, high, middle
    cdef long p, q
    cdef double best
    support = np.zeros(n)
    cdef double[::1] out = support
    for k in range(n):
        best = 0.0
        for a in range(link_starts[rows[k]], link_starts[rows[k] + 1]):
            p = links[a]
            if pair_starts[p] == pair_starts[p + 1]:
                continue
            for b in range(link_starts[cols[k]], link_starts[cols[k] + 1]):
                q = links[b]
                low, high = pair_starts[p], pair_starts[p + 1]
                while low < high:
                    middle = (low + high) >> 1
                    if pair_cols[middle] < q:
                        low = middle + 1
                    else:
                        high = middle
                if low < pair_starts[p + 1] and pair_cols[low] == q and base[low] > best:
                    best = base[low]
        out[k] = best
    return support


cdef int _ascending(const void* a, const void* b) noexcept nogil:
    cdef long x = (<const long*>a)[0], y = (<const long*>b)[0]
    return (x > y) - (x < y)


cdef int _grow(long** rows, long** cols, double** base, Py_ssize_t room) except -1:
    """The three buffers of pairs made `room` long (their pairs kept); MemoryError when there is no room."""
    cdef void* grown = realloc(rows[0], room * sizeof(long))
    if grown == NULL:
        raise MemoryError()
    rows[0] = <long*>grown
    grown = realloc(cols[0], room * sizeof(long))
    if grown == NULL:
        raise MemoryError()
    cols[0] = <long*>grown
    grown = realloc(base[0], room * sizeof(double))
    if grown == NULL:
        raise MemoryError()
    base[0] = <double*>grown
    return 0


cdef tuple _kept_pairs(long* rows, long* cols, double* base, Py_ssize_t kept):
    """The first `kept` pairs of the three buffers as numpy arrays (copies: the buffers are freed after)."""
    if not kept:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    return (
        np.asarray(<long[:kept]>rows).copy(),
        np.asarray(<long[:kept]>cols).copy(),
        np.asarray(<double[:kept]>base).copy(),
    )


def _transposed(const long[::1] indptr, const long[::1] indices, const double[::1] data, Py_ssize_t width):
    """The CSR matrix's transpose as (starts, rows, values): each term's rows ascending, by counting."""
    cdef Py_ssize_t d, a, t
    starts_array = np.zeros(width + 1, dtype=np.int64)
    cdef long[::1] starts = starts_array
    rows_array = np.empty(max(indices.shape[0], 1), dtype=np.int64)
    values_array = np.empty(max(indices.shape[0], 1), dtype=np.float64)
    cdef long[::1] rows = rows_array
    cdef double[::1] values = values_array
    for a in range(indices.shape[0]):
        starts[indices[a] + 1] += 1
    for t in range(width):
        starts[t + 1] += starts[t]
    fill_array = np.array(starts_array[:width], dtype=np.int64)
    cdef long[::1] fill = fill_array
    for d in range(indptr.shape[0] - 1):
        for a in range(indptr[d], indptr[d + 1]):
            t = indices[a]
            rows[fill[t]] = d
            values[fill[t]] = data[a]
            fill[t] += 1
    return starts_array, rows_array, values_array


def statement_pairs(
    const long[::1] indptr, const long[::1] indices, const double[::1] data, Py_ssize_t width, double low
):
    """(rows, cols, base) of every pair of rows of the CSR matrix (sorted columns) whose dot product is
    positive and at least `low`, by row then column: `sentences._base_pairs_plain`. Above a floor, only
    the pairs sharing a rare enough term are computed (`_filtered_pairs`)."""
    if low > 0.0:
        return _filtered_pairs(indptr, indices, data, width, low)
    return _all_pairs(indptr, indices, data, width, low)


def _all_pairs(
    const long[::1] indptr, const long[::1] indices, const double[::1] data, Py_ssize_t width, double low
):
    """`statement_pairs` from every pair sharing a term: each row's products added up term by term."""
    cdef Py_ssize_t size = indptr.shape[0] - 1, d, e, t, a, b, touched, kept = 0, room = 1024
    term_starts_array, term_rows_array, term_values_array = _transposed(indptr, indices, data, width)
    cdef const long[::1] term_starts = term_starts_array
    cdef const long[::1] term_rows = term_rows_array
    cdef const double[::1] term_values = term_values_array
    sums_array = np.zeros(max(size, 1))
    cdef double[::1] sums = sums_array
    cdef long* seen = <long*>malloc(max(size, 1) * sizeof(long))
    cdef long* rows = <long*>malloc(room * sizeof(long))
    cdef long* cols = <long*>malloc(room * sizeof(long))
    cdef double* base = <double*>malloc(room * sizeof(double))
    cdef double value
    try:
        if seen == NULL or rows == NULL or cols == NULL or base == NULL:
            raise MemoryError()
        for d in range(size):
            touched = 0
            for a in range(indptr[d], indptr[d + 1]):
                t = indices[a]
                value = data[a]
                for b in range(term_starts[t], term_starts[t + 1]):
                    e = term_rows[b]
                    if sums[e] == 0.0:
                        seen[touched] = e
                        touched += 1
                    sums[e] += value * term_values[b]
            qsort(seen, touched, sizeof(long), _ascending)
            for b in range(touched):
                e = seen[b]
                value = sums[e]
                sums[e] = 0.0
                if not (value > 0.0 and value >= low):
                    continue
                if kept == room:
                    room *= 2
                    _grow(&rows, &cols, &base, room)
                rows[kept] = d
                cols[kept] = e
                base[kept] = value
                kept += 1
        return _kept_pairs(rows, cols, base, kept)
    finally:
        free(seen)
        free(rows)
        free(cols)
        free(base)


# Room for rounding in `_indexed`: a row's prefix is kept a little under the bound it must stay under, so
# that pairs a rounding off the floor are computed, not left out.
cdef double _PREFIX_ROOM = 1e-9
# The prefixes' bound, a share of the floor: the longer the prefixes, the fewer pairs share an indexed term,
# but the more of those must be computed whole (their prefixes might add up to the floor). On a story of
# 4,346 statements at a floor of 0.2, pairs touched / computed whole: 1 (the floor): 2.1 M / 1.8 M, 1/2:
# 5.2 M / 95,000, 1/4: 8.1 M / 49,000 (13.4 million pairs share a term).
cdef double _PREFIX_SHARE = 0.5


def _indexed(const long[::1] indptr, const long[::1] indices, const double[::1] data, Py_ssize_t width,
             double low):
    """Which stored entries are indexed, and a bound on what each row's prefix adds to any product: the
    row's terms left out (its prefix) are its most common ones (ranked by how many rows hold them, most
    first, ties by term) while that bound stays under `low`. The bound is the least of two: the prefix's
    length (Cauchy-Schwarz: the other row has unit length), and the sum of its weights each times the
    term's highest weight in any row (AllPairs' bound; the tighter one for common words, whose weights
    are low everywhere: on a story of 4,346 statements it leaves 140,000 of 5 million pairs to compute).

    Why this loses no pair (all-pairs prefix filtering, Bayardo, Ma and Srikant, WWW 2007): take rows x and
    y, y's prefix ending at a rank no earlier than x's. Their shared terms ranked after y's prefix are
    indexed in both; those inside it add at most y's bound < low. So a pair of `low` or more shares a term
    indexed in both rows, and the terms indexed in both add up to at least low - (the larger bound)."""
    cdef Py_ssize_t size = indptr.shape[0] - 1, d, k, a
    cdef double under = low * (1.0 - _PREFIX_ROOM) - _PREFIX_ROOM, squares = 0.0, weighted = 0.0, bound
    terms = np.asarray(indices)
    owners = np.repeat(np.arange(size, dtype=np.int64), np.diff(np.asarray(indptr)))
    highest_array = np.zeros(max(width, 1))
    np.maximum.at(highest_array, terms, np.asarray(data))
    cdef const double[::1] highest = highest_array
    # Every entry, by row, then most common term first, then term.
    order_array = np.lexsort((terms, -np.bincount(terms, minlength=width)[terms], owners)).astype(np.int64)
    cdef const long[::1] order = order_array
    cdef const long[::1] owner = owners
    indexed_array = np.ones(indices.shape[0], dtype=np.uint8)
    cdef unsigned char[::1] indexed = indexed_array
    prefix_array = np.zeros(max(size, 1))
    cdef double[::1] prefix = prefix_array
    d = -1
    for k in range(order.shape[0]):
        a = order[k]
        if owner[a] != d:
            d, squares, weighted = owner[a], 0.0, 0.0
        squares += data[a] * data[a]
        weighted += data[a] * highest[indices[a]]
        bound = min(sqrt(squares), weighted)
        if bound < under:
            indexed[a] = 0
            prefix[d] = bound
    return indexed_array, prefix_array


cdef double _dot(const long[::1] indptr, const long[::1] indices, const double[::1] data, long d, long e):
    """Row d . row e, the products of their shared terms added in ascending term order from 0, as
    `_all_pairs` (and scipy's product) adds them: bit for bit their value."""
    cdef Py_ssize_t a = indptr[d], b = indptr[e], a_end = indptr[d + 1], b_end = indptr[e + 1]
    cdef double total = 0.0
    while a < a_end and b < b_end:
        if indices[a] < indices[b]:
            a += 1
        elif indices[a] > indices[b]:
            b += 1
        else:
            total += data[a] * data[b]
            a += 1
            b += 1
    return total


def _filtered_pairs(
    const long[::1] indptr, const long[::1] indices, const double[::1] data, Py_ssize_t width, double low
):
    """`statement_pairs` for `low` > 0: the products of the terms indexed in both rows (`_indexed`) added
    up per pair, and only the pairs whose sum is within the larger prefix bound of `low` computed whole. The
    pairs sharing only common words ("said", a story's main name) grow with the square of a story's
    independent reports, and none of them reaches `low`."""
    cdef Py_ssize_t size = indptr.shape[0] - 1, d, e, t, a, b, touched, found, kept = 0, room = 1024
    indexed_array, prefix_array = _indexed(indptr, indices, data, width, low * _PREFIX_SHARE)
    cdef const unsigned char[::1] indexed = indexed_array
    cdef const double[::1] prefix = prefix_array  # each row's prefix's bound
    keep = indexed_array.view(bool)
    owners = np.repeat(np.arange(size, dtype=np.int64), np.diff(np.asarray(indptr)))
    term_starts_array, term_rows_array, term_values_array = _transposed(
        np.concatenate([[0], np.cumsum(np.bincount(owners[keep], minlength=size))]).astype(np.int64),
        np.ascontiguousarray(np.asarray(indices)[keep]),
        np.ascontiguousarray(np.asarray(data)[keep]),
        width,
    )
    cdef const long[::1] term_starts = term_starts_array
    cdef const long[::1] term_rows = term_rows_array
    cdef const double[::1] term_values = term_values_array
    sums_array = np.zeros(max(size, 1))
    cdef double[::1] sums = sums_array
    stamp_array = np.full(max(size, 1), -1, dtype=np.int64)
    cdef long[::1] stamp = stamp_array
    cdef long* seen = <long*>malloc(max(size, 1) * sizeof(long))
    cdef long* rows = <long*>malloc(room * sizeof(long))
    cdef long* cols = <long*>malloc(room * sizeof(long))
    cdef double* base = <double*>malloc(room * sizeof(double))
    cdef double value, reach = low * (1.0 - _PREFIX_ROOM) - _PREFIX_ROOM
    try:
        if seen == NULL or rows == NULL or cols == NULL or base == NULL:
            raise MemoryError()
        for d in range(size):
            touched = 0
            for a in range(indptr[d], indptr[d + 1]):
                if not indexed[a]:
                    continue
                t = indices[a]
                for b in range(term_starts[t], term_starts[t + 1]):
                    e = term_rows[b]
                    if stamp[e] != d:
                        stamp[e] = d
                        sums[e] = 0.0
                        seen[touched] = e
                        touched += 1
                    sums[e] += data[a] * term_values[b]
            # The few pairs kept are sorted, not the many touched (sorting those was most of the time).
            found = 0
            for b in range(touched):
                e = seen[b]
                if sums[e] + max(prefix[d], prefix[e]) < reach:
                    continue  # its shared terms in either prefix cannot bring it to `low`
                value = _dot(indptr, indices, data, d, e)
                if value > 0.0 and value >= low:
                    sums[e] = value
                    seen[found] = e
                    found += 1
            qsort(seen, found, sizeof(long), _ascending)
            if kept + found > room:
                room = max(2 * room, kept + found)
                _grow(&rows, &cols, &base, room)
            for b in range(found):
                rows[kept] = d
                cols[kept] = seen[b]
                base[kept] = sums[seen[b]]
                kept += 1
        return _kept_pairs(rows, cols, base, kept)
    finally:
        free(seen)
        free(rows)
        free(cols)
        free(base)
