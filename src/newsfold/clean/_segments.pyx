# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Per-page window and run measures of `line_features.Segments`, each in one compiled pass.

Why compiled: in numpy each of these takes a cumulative sum, several gathers, masks and a bincount over
every line of the batch (0.3 to 0.8 ms each on 31,000 lines), and the line features call them about
twenty times a batch; a loop over the lines does each in a few tens of microseconds. Every result is the
numpy version's to the last bit (same sums in the same order); `Segments` keeps the numpy code as the
reference and the fallback, and a property test compares them.
"""

import numpy as np


def window_mean(const double[::1] a, const Py_ssize_t[::1] pstart, const Py_ssize_t[::1] pend,
                Py_ssize_t half):
    """Centred moving average within each page, from the batch's running sum as numpy takes it."""
    cdef Py_ssize_t n = a.shape[0], i, lo, hi
    c_a = np.empty(n + 1)
    out_a = np.empty(n)
    cdef double[::1] c = c_a, out = out_a
    c[0] = 0.0
    if n:
        c[1] = a[0]
    for i in range(1, n):
        c[i + 1] = c[i] + a[i]
    for i in range(n):
        lo = max(i - half, pstart[i])
        hi = min(i + half + 1, pend[i])
        out[i] = (c[hi] - c[lo]) / <double>(hi - lo)
    return out_a


def run_lengths(const unsigned char[::1] flag, const Py_ssize_t[::1] firsts, Py_ssize_t n):
    """Length of the run of flagged lines (within a page) each line sits in; 0 when not flagged."""
    cdef Py_ssize_t n_pages = firsts.shape[0], p, i, j, start, end
    out_a = np.zeros(n)
    cdef double[::1] out = out_a
    for p in range(n_pages):
        end = firsts[p + 1] if p + 1 < n_pages else n
        i = firsts[p]
        while i < end:
            if not flag[i]:
                i += 1
                continue
            start = i
            while i < end and flag[i]:
                i += 1
            for j in range(start, i):
                out[j] = i - start
    return out_a


def run_share(const unsigned char[::1] flag, const double[::1] weight, const Py_ssize_t[::1] firsts,
              Py_ssize_t n):
    """Weight of the run of flagged lines each line sits in over its page's heaviest run (0 outside)."""
    cdef Py_ssize_t n_pages = firsts.shape[0], p, i, j, start, end, first
    cdef double mass, heaviest
    out_a = np.zeros(n)
    cdef double[::1] out = out_a
    for p in range(n_pages):
        first = firsts[p]
        end = firsts[p + 1] if p + 1 < n_pages else n
        heaviest = 0.0
        i = first
        while i < end:
            if not flag[i]:
                i += 1
                continue
            start = i
            mass = 0.0
            while i < end and flag[i]:
                mass = mass + weight[i]
                i += 1
            for j in range(start, i):
                out[j] = mass
        heaviest = out[first]
        for j in range(first + 1, end):
            if out[j] > heaviest:
                heaviest = out[j]
        if not heaviest > 1e-9:
            heaviest = 1e-9
        for j in range(first, end):
            out[j] = out[j] / heaviest
    return out_a


def distance_to(const unsigned char[::1] flag, const Py_ssize_t[::1] firsts, Py_ssize_t n):
    """Lines to the nearest flagged line of the same page (the page's length when it has none)."""
    cdef Py_ssize_t n_pages = firsts.shape[0], p, i, first, end, last_seen
    cdef double far
    out_a = np.empty(n)
    cdef double[::1] out = out_a
    for p in range(n_pages):
        first = firsts[p]
        end = firsts[p + 1] if p + 1 < n_pages else n
        far = end - first
        last_seen = -1
        for i in range(first, end):
            if flag[i]:
                last_seen = i
            out[i] = i - last_seen if last_seen >= 0 else far
        last_seen = -1
        for i in range(end - 1, first - 1, -1):
            if flag[i]:
                last_seen = i
            if last_seen >= 0 and last_seen - i < out[i]:
                out[i] = last_seen - i
            if out[i] > far:
                out[i] = far
    return out_a
