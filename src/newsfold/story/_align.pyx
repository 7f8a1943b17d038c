# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The alignment's neighbour support, compiled (`sentences._neighbour_support`).

Why compiled: for every pair of aligned statements the plain spec lists every pair of their neighbours
and looks each up in the sorted pairs (numpy's searchsorted over arrays as long as the degrees' products):
0.19 of the alignment's 0.5 s of CPU on bench/fold's 2,400 pages. Here each neighbour pair is looked up in
its row by binary search, without the temporaries. Only maxima of given values are taken: the results are
exactly the spec's (tests/story/test_parts.py checks both agree).
"""

import numpy as np


def neighbour_support(
    const long[::1] rows,
    const long[::1] cols,
    const long[::1] pair_starts,
    const double[::1] base,
    const long[::1] link_starts,
    const long[::1] links,
):
    """For each pair k, (rows[k], cols[k]): the highest `base` of a pair (p, q), p linked to rows[k] and q
    to cols[k] (`link_starts`/`links`: CSR), found among the pairs (row p's pairs are
    cols[pair_starts[p]:pair_starts[p + 1]], ascending); 0 when there is none."""
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
                    if cols[middle] < q:
                        low = middle + 1
                    else:
                        high = middle
                if low < pair_starts[p + 1] and cols[low] == q and base[low] > best:
                    best = base[low]
        out[k] = best
    return support
