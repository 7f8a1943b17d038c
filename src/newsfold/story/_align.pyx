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
kept are stored.
"""

import numpy as np
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
    positive and at least `low`, by row then column: `sentences._base_pairs_plain`."""
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
        return (
            np.asarray(<long[:kept]>rows).copy() if kept else np.zeros(0, dtype=np.int64),
            np.asarray(<long[:kept]>cols).copy() if kept else np.zeros(0, dtype=np.int64),
            np.asarray(<double[:kept]>base).copy() if kept else np.zeros(0),
        )
    finally:
        free(seen)
        free(rows)
        free(cols)
        free(base)
