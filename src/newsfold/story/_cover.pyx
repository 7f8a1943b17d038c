# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The summary program's branch and bound, compiled (`coverage.best_cover`).

Why compiled: the depth-first search opens ~17,000 nodes over the 263 programs of bench/fold's 2,400
pages, each a dozen small numpy calls (~25 us a node): the largest single part of writing the stories
(0.45 of 4.4 s of CPU). Here a node costs about a microsecond, reading each open sentence's own concepts
(not a dense row of all: the 2,400-page fold's programs 0.19 -> 0.15 s, the ingest batch's 0.14 ->
0.12 s). The same search as its plain spec `coverage._branch_and_bound_plain` (same node order, same
pruning, the Lagrangian bound's `rounds` included); only the sums are added in the order the concepts
are numbered, where numpy's matrix product may add them otherwise (a last-bit difference, below `eps`).
tests/story/test_coverage.py checks that both agree.
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


# Sentences the knapsack takes in order by picking the next best from the rest, before it sorts the rest:
# a summary's budget holds a handful of sentences, so picking (a pass over the open sentences each) does
# with a few passes what a sort of them all did, and the sort, through a comparison function, was most of
# the search's time (bench/fold's programs: 0.12 -> 0.05 s). Not tuned.
cdef enum:
    _PICKED = 8


cdef inline bint _before(const Keyed* x, const Keyed* y) noexcept:
    """`_by_key(x, y) < 0`."""
    return x.key < y.key or (x.key == y.key and x.position < y.position)


cdef double _knapsack(
    const double* gains,
    const int* ids,
    Py_ssize_t k,
    const double[::1] lengths,
    double room,
    double eps,
    Keyed* keyed,
    double* taken,
) noexcept:
    """`coverage._knapsack_bound` of the `k` open sentences `ids` (their `gains`): its value; the share of
    each taken in `taken`; the sentences of positive gain by gain per word in `keyed`, in that order as far
    as the knapsack reads them (its first is the best)."""
    cdef Py_ssize_t j, t, best, count = 0, whole = 0
    cdef double filled = 0.0, bound = 0.0, part
    cdef Keyed swap
    for j in range(k):
        taken[j] = 0.0
        if gains[j] > eps:
            keyed[count].key = -gains[j] / lengths[ids[j]]
            keyed[count].position = <int>j
            count += 1
    while whole < count:
        if whole < _PICKED:  # the next in order: the best of the rest, moved to its place
            best = whole
            for t in range(whole + 1, count):
                if _before(&keyed[t], &keyed[best]):
                    best = t
            swap = keyed[whole]
            keyed[whole] = keyed[best]
            keyed[best] = swap
        elif whole == _PICKED:  # many taken: the rest sorted at once
            qsort(keyed + whole, count - whole, sizeof(Keyed), _by_key)
        j = keyed[whole].position
        if filled + lengths[ids[j]] > room:
            break
        filled += lengths[ids[j]]
        bound += gains[j]
        taken[j] = 1.0
        whole += 1
    if whole < count:
        j = keyed[whole].position
        part = 1.0 - (filled + lengths[ids[j]] - room) / lengths[ids[j]]
        taken[j] = part
        bound += gains[j] * part
    return bound


def branch_and_bound(
    const long[::1] starts,
    const int[::1] held,
    const double[::1] lengths,
    const double[::1] values,
    const double[::1] weights,
    double budget,
    forced,
    long node_limit,
    double eps,
    long rounds,
):
    """The best choice (in the order chosen), or None past `node_limit` nodes; see the plain spec. Sentence
    i holds the concepts `held[starts[i]:starts[i + 1]]`, ascending (a sparse row: a dense sentences x
    concepts table grew with the square of a story, 5,000 articles did not fit in 8 GB)."""
    cdef Py_ssize_t n = lengths.shape[0], m = weights.shape[0]
    cdef Py_ssize_t i, j, c, k, t, first, pick, dropped
    cdef long nodes = 0, r
    cdef double room, used, value, gain, bound, relaxed, best_value, kept
    cdef const unsigned char[::1] seen
    cdef int* ids = <int*>malloc(max(n, 1) * sizeof(int))
    cdef double* gains = <double*>malloc(max(n, 1) * sizeof(double))
    cdef double* relaxed_gains = <double*>malloc(max(n, 1) * sizeof(double))
    cdef double* taken = <double*>malloc(max(n, 1) * sizeof(double))
    cdef Keyed* keyed = <Keyed*>malloc(max(n, 1) * sizeof(Keyed))
    cdef double* mu = <double*>malloc(max(m, 1) * sizeof(double))
    cdef double* share = <double*>malloc(max(m, 1) * sizeof(double))
    cdef int* zeroed = <int*>malloc(max(m, 1) * sizeof(int))
    cdef unsigned char* dropping = <unsigned char*>malloc(max(m, 1) * sizeof(unsigned char))
    if (
        ids == NULL or gains == NULL or relaxed_gains == NULL or taken == NULL or keyed == NULL
        or mu == NULL or share == NULL or zeroed == NULL or dropping == NULL
    ):
        free(ids)
        free(gains)
        free(relaxed_gains)
        free(taken)
        free(keyed)
        free(mu)
        free(share)
        free(zeroed)
        free(dropping)
        raise MemoryError()
    try:
        for c in range(m):
            dropping[c] = 0
        covered = bytearray(m)
        chosen = []
        used, value = 0.0, 0.0
        open_ids = list(range(n))
        if forced is not None:
            f = int(forced)
            chosen, used = [f], lengths[f]
            value = values[f]
            gain = 0.0
            for t in range(starts[f], starts[f + 1]):
                covered[held[t]] = 1
                gain += weights[held[t]]
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
                for t in range(starts[i], starts[i + 1]):
                    if not seen[held[t]]:
                        gain += weights[held[t]]
                gain += values[i]
                if gain > eps:
                    ids[k] = <int>i
                    gains[k] = gain
                    k += 1
            if k == 0:
                continue
            bound = _knapsack(gains, ids, k, lengths, room, eps, keyed, taken)
            first = keyed[0].position  # every open sentence has a positive gain: the branch's pick
            if value + bound > best_value + eps and rounds > 0:  # `coverage._tightest_bound`
                kept = 0.0  # the sum of free - mu, mu starting at free (the plain bound's)
                for c in range(m):
                    mu[c] = 0.0 if seen[c] else weights[c]
                for j in range(k):
                    relaxed_gains[j] = gains[j]
                for r in range(rounds):
                    if value + bound <= best_value + eps:
                        break
                    for c in range(m):
                        share[c] = 0.0
                    for j in range(k):
                        if taken[j] != 0.0:
                            for t in range(starts[ids[j]], starts[ids[j] + 1]):
                                share[held[t]] += taken[j]
                    dropped = 0
                    for c in range(m):
                        if share[c] > 1.0 + eps and mu[c] > 0.0:
                            zeroed[dropped] = <int>c
                            dropped += 1
                    if dropped == 0:  # the same mu: the same bound
                        break
                    # Each sentence's gain loses the weights of the concepts it holds that left mu (the
                    # plain spec sums the gains afresh: the same up to the last bits).
                    # (per sentence, its dropped concepts in ascending order, as a pass per concept
                    # subtracted them)
                    for t in range(dropped):
                        dropping[zeroed[t]] = 1
                    for j in range(k):
                        for i in range(starts[ids[j]], starts[ids[j] + 1]):
                            if dropping[held[i]]:
                                relaxed_gains[j] -= mu[held[i]]
                    for t in range(dropped):
                        c = zeroed[t]
                        kept += mu[c]
                        mu[c] = 0.0
                        dropping[c] = 0
                    relaxed = _knapsack(relaxed_gains, ids, k, lengths, room, eps, keyed, taken) + kept
                    if relaxed < bound:
                        bound = relaxed
            if value + bound <= best_value + eps:
                continue
            pick = ids[first]
            rest = [ids[j] for j in range(k) if j != first]
            stack.append((rest, covered, used, value, chosen))
            after = bytearray(covered)
            for t in range(starts[pick], starts[pick + 1]):
                after[held[t]] = 1
            stack.append((rest, after, used + lengths[pick], value + gains[first], [*chosen, pick]))
        return best
    finally:
        free(ids)
        free(gains)
        free(relaxed_gains)
        free(taken)
        free(keyed)
        free(mu)
        free(share)
        free(zeroed)
        free(dropping)
