# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The merge model's boosted trees, compiled (`features.PairModel.probability`).

Why compiled: the plain spec `features._tree_sums_plain` sends the rows down each node by numpy
gathers and masks (~30 numpy calls a tree, 200 trees): 0.31 s of CPU for the 64,205 pairs of bench/fold's
2,400 pages, 0.12 s (quiet machine) once a row walked each tree by branches. The same leaves, added to the
same start in tree order (each leaf's value scaled by the learning rate first, the product the spec adds),
so the sums are the spec's bit for bit (tests/cluster/test_speed_paths.py checks both agree).

Without a branch (`features._Forest`): a node's two children are numbered side by side, so a step down is
the left child's number plus the comparison's outcome, and a leaf steps to itself, so every row takes its
tree's depth in steps. Which way a row goes is a coin toss to the processor (a mispredicted branch a
level), and a step waits for the one before it: so LANES rows walk one tree side by side, their steps
independent. The 64,114 merge pairs of bench/fold's 2,400 pages (loaded machine, the same run): 0.165 ->
0.080 s CPU (children side by side with the branchy walk alone: 0.13 s; fixed depth one row at a time:
0.16 s).
"""

import numpy as np

DEF BLOCK = 64
DEF LANES = 8  # 4: 0.12 s, 8: 0.08 s, 16: 0.09 s (the 64,114 pairs below)


def tree_sums(
    const double[:, ::1] x,
    const long[::1] roots,
    const long[::1] depth,
    const long[::1] feature,
    const double[::1] threshold,
    const long[::1] left,
    const long[::1] inner,
    const double[::1] scaled_value,
    double start,
):
    """For each row of `x`: `start` plus the scaled value of the leaf it reaches in each tree, in tree
    order. Tree t opens at node roots[t] and is depth[t] steps deep; from an inner node (inner = 1) a row
    goes to left[node] when x[row, feature] <= threshold, else to left[node] + 1; a leaf (inner = 0) is its
    own left child."""
    cdef Py_ssize_t n = x.shape[0], trees = roots.shape[0], r, t, b, s, k, end
    cdef long steps
    cdef long node[LANES]
    cdef const double* row[LANES]
    cdef double sums_of_block[BLOCK]
    sums = np.empty(n)
    cdef double[::1] out = sums
    cdef double[:, ::1] padded = np.zeros((1, x.shape[1]))  # lanes past the last row read this row
    for b in range(0, n, BLOCK):
        end = min(n, b + BLOCK)
        for r in range(b, end):
            sums_of_block[r - b] = start
        for t in range(trees):
            steps = depth[t]
            for r in range(b, end, LANES):
                # LANES rows step down the tree together: their steps do not wait for each other.
                for k in range(LANES):
                    node[k] = roots[t]
                    row[k] = &x[r + k, 0] if r + k < end else &padded[0, 0]
                for s in range(steps):
                    for k in range(LANES):
                        # `not <=`, as the spec compares: a NaN goes right there too.
                        node[k] = left[node[k]] + (
                            inner[node[k]] & <long>(not (row[k][feature[node[k]]] <= threshold[node[k]]))
                        )
                for k in range(LANES):
                    if r + k < end:
                        sums_of_block[r + k - b] += scaled_value[node[k]]
        for r in range(b, end):
            out[r] = sums_of_block[r - b]
    return sums
