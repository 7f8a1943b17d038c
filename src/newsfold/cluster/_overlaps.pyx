# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Pair overlaps read straight from packed profiles (`cluster/packed.py` records), compiled.

What `features.global_features` needs of a pair, without a `Profile` or a sparse table: the dot products
of the words' and names' weights, the years, days and numbers both name, and how many of each side's
heaviest names and words the other side has. Why compiled: building a `PairTable` unpacks every profile
into dicts and sorts a batch vocabulary; at 100,000 pages an edge chunk of 2,000 articles reads ~8,000
candidate profiles for ~40,000 pairs, and that was half of the clustering's CPU (bench/scale/README.md).

The numbers are the table's bit for bit: a dot product adds the products of the shared keys in the keys'
sorted order (UTF-8 bytes compared as `memcmp` sort as Python sorts the strings: by code point), from
zero, one addition at a time, as `features._row_dots` sums a row; counts are exact. x86-64's baseline
instruction set has no fused multiply-add, so `s += a * b` rounds the product first, as numpy does.
tests/cluster/test_overlaps.py compares both on random profiles.
"""

from libc.stdlib cimport free, malloc, qsort
from libc.string cimport memcmp, memcpy

import numpy as np

cdef struct Key:
    const unsigned char* text
    int size  # bytes
    double weight
    unsigned long long prefix  # the first 8 bytes, big-endian, zero-padded: most comparisons end here


cdef struct Record:
    Py_ssize_t terms, names, days, numbers, heavy_terms, heavy_names  # first Key of each, in `keys`
    int n_terms, n_names, n_days, n_numbers, n_heavy_terms, n_heavy_names
    Py_ssize_t years  # first year, in `years`
    int n_years
    long main_year, latest_year


cdef inline int _compare(const Key* a, const Key* b) noexcept nogil:
    """memcmp order, shorter first on a common start: the prefixes decide unless they are equal (no key
    holds a zero byte, so a zero-padded prefix sorts as the shorter key does)."""
    if a.prefix != b.prefix:
        return -1 if a.prefix < b.prefix else 1
    cdef int shorter = a.size if a.size < b.size else b.size
    cdef int c = 0
    if shorter > 8:
        c = memcmp(a.text + 8, b.text + 8, shorter - 8)
    if c != 0:
        return c
    return (a.size > b.size) - (a.size < b.size)


cdef unsigned long long _prefix(const unsigned char* text, int size) noexcept nogil:
    cdef unsigned long long prefix = 0
    cdef int k
    for k in range(8):
        prefix = (prefix << 8) | (text[k] if k < size else 0)
    return prefix


cdef int _compare_keys(const void* a, const void* b) noexcept nogil:
    return _compare(<const Key*> a, <const Key*> b)


cdef double _dot(const Key* a, int na, const Key* b, int nb) noexcept nogil:
    """The products of the shared keys of two sorted runs, added in key order from zero."""
    cdef int x = 0, y = 0, c
    cdef double s = 0.0
    while x < na and y < nb:
        if a[x].prefix != b[y].prefix:  # most steps: no call, no memory beyond the runs
            if a[x].prefix < b[y].prefix:
                x += 1
            else:
                y += 1
            continue
        c = _compare(&a[x], &b[y])
        if c == 0:
            s += a[x].weight * b[y].weight
            x += 1
            y += 1
        elif c < 0:
            x += 1
        else:
            y += 1
    return s


cdef int _shared(const Key* a, int na, const Key* b, int nb) noexcept nogil:
    """How many keys two sorted runs share."""
    cdef int x = 0, y = 0, c, n = 0
    while x < na and y < nb:
        if a[x].prefix != b[y].prefix:
            if a[x].prefix < b[y].prefix:
                x += 1
            else:
                y += 1
            continue
        c = _compare(&a[x], &b[y])
        if c == 0:
            n += 1
            x += 1
            y += 1
        elif c < 0:
            x += 1
        else:
            y += 1
    return n


cdef int _found(const Key* keys, int n, const Key* sorted_run, int m) noexcept nogil:
    """How many of `keys` are in the sorted run (binary search)."""
    cdef int k, lo, hi, mid, c, found = 0
    for k in range(n):
        lo, hi = 0, m
        while lo < hi:
            mid = (lo + hi) // 2
            c = _compare(&sorted_run[mid], &keys[k])
            if c < 0:
                lo = mid + 1
            elif c > 0:
                hi = mid
            else:
                found += 1
                break
    return found


cdef int _read_int(const unsigned char* at) noexcept nogil:
    cdef int value
    memcpy(&value, at, 4)
    return value


cdef double _read_double(const unsigned char* at) noexcept nogil:
    cdef double value
    memcpy(&value, at, 8)
    return value


def pair_overlaps(const unsigned char[::1] data, const long[::1] offsets, const long[::1] i,
                  const long[::1] j, int heaviest):
    """The overlaps of the pairs (i[k], j[k]) of the records data[offsets[r]:offsets[r + 1]]: a float64
    array (pairs x 9: words dot, names dot, years, days and numbers shared, i's heaviest names j has, j's
    that i has, i's heaviest words j has, j's that i has) and an int64 array (records x 7: years, days,
    numbers, heaviest words, heaviest names, main year or -1, latest year or 0); None when a record's keys
    cannot be cut at their separators (a key holds one: the caller reads the profiles instead)."""
    cdef Py_ssize_t n_records = offsets.shape[0] - 1, n_pairs = i.shape[0]
    cdef Py_ssize_t r, k, total_keys = 0, total_years = 0, at, start, end, text_start, q, key_at
    cdef const unsigned char* record
    cdef int nt, nn, ny, nd, nm, n_text, n_keys, size, piece, best_count, count, year, place
    cdef Key* keys = NULL
    cdef long* years = NULL
    cdef Record* records = NULL
    cdef Record* a
    cdef Record* b
    # Sizes first, to allocate once: every key twice at most (heaviest copies are a few more).
    for r in range(n_records):
        record = &data[offsets[r]]
        total_keys += _read_int(record + 4) + _read_int(record + 8) + _read_int(record + 16) \
            + _read_int(record + 20) + 2 * heaviest
        total_years += _read_int(record + 12)
    keys = <Key*> malloc(max(1, total_keys) * sizeof(Key))
    years = <long*> malloc(max(1, total_years) * sizeof(long))
    records = <Record*> malloc(max(1, n_records) * sizeof(Record))
    if keys == NULL or years == NULL or records == NULL:
        free(keys)
        free(years)
        free(records)
        raise MemoryError()
    pairs = np.zeros((n_pairs, 9))
    rows = np.zeros((n_records, 7), dtype=np.int64)
    cdef double[:, ::1] out = pairs
    cdef long[:, ::1] row_out = rows
    key_at = 0
    cdef Py_ssize_t year_at = 0
    try:
        for r in range(n_records):
            start, end = offsets[r], offsets[r + 1]
            record = &data[start]
            nt, nn, ny = _read_int(record + 4), _read_int(record + 8), _read_int(record + 12)
            nd, nm, n_text = _read_int(record + 16), _read_int(record + 20), _read_int(record + 24)
            n_keys = nt + nn + nd + nm
            at = 28  # the ints: key lengths, (year, count) pairs, ranked words' and names' places
            text_start = end - start - n_text
            # Cut the text at the separators: as many pieces as keys, else the slow path.
            q = 0
            piece = 0
            if n_keys:
                size = 0
                for k in range(text_start, end - start):
                    if record[k] == 0:
                        if piece >= n_keys:
                            return None
                        keys[key_at + piece].text = record + k - size
                        keys[key_at + piece].size = size
                        piece += 1
                        size = 0
                    else:
                        size += 1
                if piece != n_keys - 1:
                    return None
                keys[key_at + piece].text = record + (end - start) - size
                keys[key_at + piece].size = size
                for q in range(n_keys):
                    keys[key_at + q].prefix = _prefix(keys[key_at + q].text, keys[key_at + q].size)
            for q in range(nt + nn):
                keys[key_at + q].weight = _read_double(record + at + 4 * (n_keys + 2 * ny + nt + nn) + 8 * q)
            for q in range(nt + nn, n_keys):
                keys[key_at + q].weight = 1.0
            a = &records[r]
            a.terms, a.n_terms = key_at, nt
            a.names, a.n_names = key_at + nt, nn
            a.days, a.n_days = key_at + nt + nn, nd
            a.numbers, a.n_numbers = key_at + nt + nn + nd, nm
            # The heaviest words and names (the first places of their ranked orders), copied before the
            # runs are sorted.
            a.heavy_terms = key_at + n_keys
            a.n_heavy_terms = nt if nt < heaviest else heaviest
            for q in range(a.n_heavy_terms):
                place = _read_int(record + at + 4 * (n_keys + 2 * ny + q))
                keys[a.heavy_terms + q] = keys[a.terms + place]
            a.heavy_names = a.heavy_terms + a.n_heavy_terms
            a.n_heavy_names = nn if nn < heaviest else heaviest
            for q in range(a.n_heavy_names):
                place = _read_int(record + at + 4 * (n_keys + 2 * ny + nt + q))
                keys[a.heavy_names + q] = keys[a.names + place]
            key_at = a.heavy_names + a.n_heavy_names
            qsort(&keys[a.terms], nt, sizeof(Key), _compare_keys)
            qsort(&keys[a.names], nn, sizeof(Key), _compare_keys)
            qsort(&keys[a.days], nd, sizeof(Key), _compare_keys)
            qsort(&keys[a.numbers], nm, sizeof(Key), _compare_keys)
            # Years: the main one is the most counted (ties: the earliest), the latest the largest.
            a.years, a.n_years = year_at, ny
            a.main_year, a.latest_year = -1, 0
            best_count = -1
            for q in range(ny):
                year = _read_int(record + at + 4 * (n_keys + 2 * q))
                count = _read_int(record + at + 4 * (n_keys + 2 * q + 1))
                years[year_at + q] = year
                if count > best_count or (count == best_count and year < a.main_year):
                    best_count, a.main_year = count, year
                if q == 0 or year > a.latest_year:
                    a.latest_year = year
            year_at += ny
            row_out[r, 0], row_out[r, 1], row_out[r, 2] = ny, nd, nm
            row_out[r, 3], row_out[r, 4] = a.n_heavy_terms, a.n_heavy_names
            row_out[r, 5], row_out[r, 6] = a.main_year, a.latest_year
        for k in range(n_pairs):
            a, b = &records[i[k]], &records[j[k]]
            out[k, 0] = _dot(&keys[a.terms], a.n_terms, &keys[b.terms], b.n_terms)
            out[k, 1] = _dot(&keys[a.names], a.n_names, &keys[b.names], b.n_names)
            count = 0
            for q in range(a.n_years):
                for piece in range(b.n_years):
                    if years[a.years + q] == years[b.years + piece]:
                        count += 1
            out[k, 2] = count
            out[k, 3] = _shared(&keys[a.days], a.n_days, &keys[b.days], b.n_days)
            out[k, 4] = _shared(&keys[a.numbers], a.n_numbers, &keys[b.numbers], b.n_numbers)
            out[k, 5] = _found(&keys[a.heavy_names], a.n_heavy_names, &keys[b.names], b.n_names)
            out[k, 6] = _found(&keys[b.heavy_names], b.n_heavy_names, &keys[a.names], a.n_names)
            out[k, 7] = _found(&keys[a.heavy_terms], a.n_heavy_terms, &keys[b.terms], b.n_terms)
            out[k, 8] = _found(&keys[b.heavy_terms], b.n_heavy_terms, &keys[a.terms], a.n_terms)
    finally:
        free(keys)
        free(years)
        free(records)
    return pairs, rows


def sparse_row_dots(const long[::1] indptr, const long[::1] columns, const double[::1] weights,
                    const long[::1] i, const long[::1] j):
    """The dot product of rows i[k] and j[k] of a sparse matrix whose columns ascend in each row: the
    shared columns' products added in column order from zero (`threads._row_dots`, its numpy spec)."""
    cdef Py_ssize_t n = i.shape[0], k, x, y, x_end, y_end
    cdef double s
    dots = np.zeros(n)
    cdef double[::1] out = dots
    for k in range(n):
        x, x_end = indptr[i[k]], indptr[i[k] + 1]
        y, y_end = indptr[j[k]], indptr[j[k] + 1]
        s = 0.0
        while x < x_end and y < y_end:
            if columns[x] == columns[y]:
                s += weights[x] * weights[y]
                x += 1
                y += 1
            elif columns[x] < columns[y]:
                x += 1
            else:
                y += 1
        out[k] = s
    return dots


cdef int _descending(const void* a, const void* b) noexcept nogil:
    cdef long long x = (<const long long*> a)[0], y = (<const long long*> b)[0]
    return (x < y) - (x > y)


def top_candidates(list postings, Py_ssize_t scanned, Py_ssize_t k, int position_bits):
    """The `k` positions held by the most of `postings` (each list's last `scanned` entries counted), ties
    to the latest: `StoryIndex.candidates`' ranking (each hit as count << position_bits | position, the
    largest first), or None when a posting is not a list of ints (the caller counts them)."""
    cdef Py_ssize_t total = 0, n, start, at = 0, r, w
    cdef long long mask
    cdef object posting
    for posting in postings:
        if type(posting) is not list:
            return None
        n = len(<list> posting)
        total += n if n < scanned else scanned
    cdef long long* hits = <long long*> malloc(max(1, total) * sizeof(long long))
    if hits == NULL:
        raise MemoryError()
    try:
        for posting in postings:
            n = len(<list> posting)
            start = n - scanned if n > scanned else 0
            for r in range(start, n):
                hits[at] = (<list> posting)[r]  # an int (a position): else TypeError or OverflowError
                at += 1
        qsort(hits, total, sizeof(long long), _descending)
        # Runs of one position become its code; the codes are written over the front of the array.
        r, w = 0, 0
        while r < total:
            n = r
            while n < total and hits[n] == hits[r]:
                n += 1
            hits[w] = ((<long long> (n - r)) << position_bits) | hits[r]
            w += 1
            r = n
        qsort(hits, w, sizeof(long long), _descending)
        mask = ((<long long> 1) << position_bits) - 1
        return [hits[r] & mask for r in range(min(k, w))]
    finally:
        free(hits)
