# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The merge model's boosted trees, compiled (`features.PairModel.probability`).

Why compiled: the plain spec `features._tree_sums_plain` sends the rows down each node by numpy
gathers and masks (~30 numpy calls a tree, 200 trees): 0.31 s of CPU for the 64,205 pairs of bench/fold's
2,400 pages, 0.12 s here, where a row walks each tree in a loop. The same leaves, added to the same start
in tree order (each leaf's value scaled by the learning rate first, the product the spec adds), so the
sums are the spec's bit for bit (tests/cluster/test_speed_paths.py checks both agree).
"""

import numpy as np


def tree_sums(
    const double[:, ::1] x,
    const long[::1] roots,
    const long[::1] feature,
    const double[::1] threshold,
    const long[::1] left,
    const long[::1] right,
    const double[::1] scaled_value,
    double start,
):
    """For each row of `x`: `start` plus the scaled value of the leaf it reaches in each tree, in tree
    order (tree t opens at node roots[t]; a node with left < 0 is a leaf; a row goes left when
    x[row, feature] <= threshold)."""
    cdef Py_ssize_t n = x.shape[0], trees = roots.shape[0], r, t
    cdef long node
    cdef double z
    sums = np.empty(n)
    cdef double[::1] out = sums
    # Row by row, all trees each (by blocks of 64 rows, tree by tree over a block: the same time).
    for r in range(n):
        z = start
        for t in range(trees):
            node = roots[t]
            while left[node] >= 0:
                if x[r, feature[node]] <= threshold[node]:
                    node = left[node]
                else:
                    node = right[node]
            z += scaled_value[node]
        out[r] = z
    return sums
