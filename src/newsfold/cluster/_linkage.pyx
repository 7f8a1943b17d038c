# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Average-link merges, compiled (`index.average_link`; its plain spec is `index._merges_plain`).

Why compiled: a merge is a dozen numpy calls on rows of k entries (k: a component's clusters, 163 at most
on bench/fold's 2,400 pages), so the calls' overhead, not the arithmetic, made most of the 0.13 s of CPU
the 264 splits of that fold took. Here each entry is computed with the spec's operations in the spec's
order (a sum, then a product of two sizes, then a division), so the means are its bits, and the pair merged
is the one the spec's `np.argmax` over the whole matrix finds: the first row holding the largest mean, at
its first column holding it. Each row's best column is kept and only the rows whose best was one of the
two merged are read again, so a merge costs O(k), not the spec's O(k^2) argmax
(tests/cluster/test_speed_paths.py checks both agree).
"""

import numpy as np


cdef void _read_row(const double[:, ::1] mean, Py_ssize_t r, long[::1] best, double[::1] best_mean):
    """Row r's first largest mean and its column."""
    cdef Py_ssize_t c, k = mean.shape[1], at = 0
    cdef double top = mean[r, 0]
    for c in range(1, k):
        if mean[r, c] > top:
            top = mean[r, c]
            at = c
    best[r] = at
    best_mean[r] = top


def merges(double[:, ::1] mean, double[:, ::1] sums, double[::1] sizes, double threshold):
    """The (kept, retired) clusters of each merge, in order, updating `mean`, `sums` and `sizes` as the
    spec does: merge the pair of largest mean while it reaches `threshold`."""
    cdef Py_ssize_t k = mean.shape[0], r, c, a, b, step
    cdef double value
    best_of = np.zeros(k, dtype=np.int64)
    best_mean_of = np.zeros(k)
    active_of = np.ones(k, dtype=np.uint8)
    cdef long[::1] best = best_of
    cdef double[::1] best_mean = best_mean_of
    cdef unsigned char[::1] active = active_of
    found = []
    for r in range(k):
        _read_row(mean, r, best, best_mean)
    for step in range(k - 1):
        a = 0
        for r in range(1, k):
            if best_mean[r] > best_mean[a]:
                a = r
        b = best[a]
        if mean[a, b] < threshold:
            break
        if b < a:
            a, b = b, a
        for c in range(k):
            sums[a, c] += sums[b, c]
        for r in range(k):
            sums[r, a] += sums[r, b]
        sizes[a] += sizes[b]
        active[b] = 0
        for c in range(k):
            mean[a, c] = sums[a, c] / (sizes[a] * sizes[c]) if active[c] and c != a else -1.0
        for r in range(k):
            mean[r, a] = sums[r, a] / (sizes[r] * sizes[a]) if active[r] and r != a else -1.0
        for c in range(k):
            mean[b, c] = -1.0
            mean[c, b] = -1.0
        for r in range(k):
            if r == a or r == b or best[r] == a or best[r] == b:
                _read_row(mean, r, best, best_mean)
            else:
                value = mean[r, a]
                if value > best_mean[r] or (value == best_mean[r] and a < best[r]):
                    best[r] = a
                    best_mean[r] = value
        found.append((a, b))
    return found
