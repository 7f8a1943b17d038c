# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The summary program's branch and bound, compiled (`coverage.best_cover`).

Why compiled: the depth-first search opens ~17,000 nodes over the 263 programs of bench/fold's 2,400
pages, each a dozen small numpy calls (~25 us a node): the largest single part of writing the stories
(0.45 of 4.4 s of CPU). Here a node costs well under a microsecond. The same search as its plain spec
`coverage._branch_and_bound_plain` (same node order, same pruning); only the sums are added in the order
the concepts are numbered, where numpy's matrix product may add them otherwise (a last-bit difference,
below `eps`). tests/story/test_coverage.py checks that both agree.
"""

from libc.stdlib cimport free, malloc, qsort


cdef struct Keyed:
    double key
    int position


cdef int _by_key(const void* a, const void* b) noexcept nogil:
    """Ascending key, then position: numpy's stable argsort."""
    cdef const Keyed* x = <const Keyed*>a
    cdef const Keyed* y = <const Keyed*>b
    if x.key < y.key:
        return -1
    if x.key > y.key:
        return 1
    return x.position - y.position


def branch_and_bound(
    const unsigned char[:, ::1] holds,
    const double[::1] lengths,
    const double[::1] values,
    const double[::1] weights,
    double budget,
    forced,
    long node_limit,
    double eps,
):
    """The best choice (in the order chosen), or None past `node_limit` nodes; see the plain spec."""
    cdef Py_ssize_t n = holds.shape[0], m = holds.shape[1]
    cdef Py_ssize_t i, j, c, k, whole, first, pick
    cdef long nodes = 0
    cdef double room, used, value, gain, filled, bound, best_value
    cdef const unsigned char[::1] seen
    cdef int* ids = <int*>malloc(max(n, 1) * sizeof(int))
    cdef double* gains = <double*>malloc(max(n, 1) * sizeof(double))
    cdef Keyed* keyed = <Keyed*>malloc(max(n, 1) * sizeof(Keyed))
    if ids == NULL or gains == NULL or keyed == NULL:
        free(ids)
        free(gains)
        free(keyed)
        raise MemoryError()
    try:
        covered = bytearray(m)
        chosen = []
        used, value = 0.0, 0.0
        open_ids = list(range(n))
        if forced is not None:
            f = int(forced)
            chosen, used = [f], lengths[f]
            value = values[f]
            gain = 0.0
            for c in range(m):
                if holds[f, c]:
                    covered[c] = 1
                    gain += weights[c]
            value = value + gain
            open_ids.remove(f)
        best_value, best = value, list(chosen)
        # A node: (sentences still open, covered concepts, words used, value, chosen).
        stack = [(open_ids, covered, used, value, chosen)]
        while stack:
            nodes += 1
            if nodes > node_limit:
                return None
            open_ids, covered, used, value, chosen = stack.pop()
            if value > best_value + eps:
                best_value, best = value, chosen
            room = budget - used
            seen = covered
            k = 0
            for i in open_ids:
                if lengths[i] > room:
                    continue
                gain = 0.0
                for c in range(m):
                    if holds[i, c] and not seen[c]:
                        gain += weights[c]
                gain += values[i]
                if gain > eps:
                    ids[k] = <int>i
                    gains[k] = gain
                    k += 1
            if k == 0:
                continue
            for j in range(k):
                keyed[j].key = -gains[j] / lengths[ids[j]]
                keyed[j].position = <int>j
            qsort(keyed, k, sizeof(Keyed), _by_key)
            filled = 0.0
            bound = 0.0
            whole = 0
            while whole < k and filled + lengths[ids[keyed[whole].position]] <= room:
                filled += lengths[ids[keyed[whole].position]]
                bound += gains[keyed[whole].position]
                whole += 1
            if whole < k:
                j = keyed[whole].position
                bound += gains[j] * (1.0 - (filled + lengths[ids[j]] - room) / lengths[ids[j]])
            if value + bound <= best_value + eps:
                continue
            first = keyed[0].position
            pick = ids[first]
            rest = [ids[j] for j in range(k) if j != first]
            stack.append((rest, covered, used, value, chosen))
            taken = bytearray(covered)
            for c in range(m):
                if holds[pick, c]:
                    taken[c] = 1
            stack.append((rest, taken, used + lengths[pick], value + gains[first], [*chosen, pick]))
        return best
    finally:
        free(ids)
        free(gains)
        free(keyed)
