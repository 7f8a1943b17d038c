"""Budgeted maximum coverage, the summary's integer program: exact branch and bound, HiGHS as the spec.

The problem (Gillick and Favre's ICSISumm ILP): choose sentences, each with a length, a set of concepts
and a value of its own, to maximise the weight of the concepts covered (each once) plus the chosen
sentences' own values, within a length budget; one sentence may be forced in.

Two solvers, one answer. `highs_cover` states the program for HiGHS (`scipy.optimize.milp`): it is the
specification, and what the tests compare against. HiGHS costs ~5 ms a call however small the program
(presolve, probing and cuts are set up each time) and ~27 ms on the summary's typical program, which
made the solver the largest part of writing a story (bench/bench_write.py, 2,400-page fold: 11.5 s of
28 s CPU in 372 solves). `best_cover` first shrinks the program without changing its optimum, then
solves it by depth-first branch and bound, and hands it to HiGHS only when the search passes
`node_limit` nodes:
- a sentence without weighted concepts and without value of its own is never worth its words;
- a concept only one sentence holds is that sentence's own value (it is covered exactly when that
  sentence is chosen), and concepts held by the same sentences are one concept of their summed weight;
- the search branches on the sentence of the best marginal weight per word (so its first dive is the
  greedy summary, a good incumbent at once), and prunes with the fractional-knapsack bound of the
  remaining sentences' marginal weights, an upper bound because coverage is submodular; where that
  bound does not prune, a Lagrangian one that counts a concept shared by the knapsack's sentences once
  (`_tightest_bound`) often does.
The search is compiled (`_cover.pyx`; its plain spec `_branch_and_bound_plain` runs where it is not
built): on bench/fold's 2,400 pages its 263 programs took 0.41 s of numpy calls, 0.11 s compiled, with the
same choices.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from newsfold._native import compiled_kernel

__all__ = ["CoverProblem", "best_cover", "highs_cover"]


# The compiled search (`_cover.pyx`, built by setup.py); None where it is not built, and its plain spec
# `_branch_and_bound_plain` runs (the same answers, ~4x slower on bench/fold's programs).
_compiled_search = compiled_kernel("newsfold.story._cover", "branch_and_bound")


# Nodes the branch and bound may open before the program goes to HiGHS. On the 2,400-page fold's 372
# programs the search closed every one within 2,000 nodes (median 11; with the learned concept weights,
# 263 programs, all within 2,000): the limit bounds the worst case, where HiGHS, polynomial per node in
# C, is the better tool.
_NODE_LIMIT = 20_000
# Rounds of the Lagrangian bound (`_tightest_bound`) past the plain knapsack bound. On the 100-page ingest
# into 30,000 articles (bench/bench_ingest_scale.py's batch, 111 programs), the plain bound's search passed
# 20,000 nodes on 5 programs (which went to HiGHS: its import alone is ~0.4 s CPU); its four hardest took
# 1.6 M nodes to close; 1, 3, 5 and 10 rounds 73,592, 6,704, 5,748, 5,562 nodes. 3: little more to gain.
_BOUND_ROUNDS = 3
# Values closer than this are equal: the objective holds weights (document counts, or the probabilities of
# `summary.ConceptModel`: 0.004 and more on the 2,400-page fold) plus 1e-4 times a position, so two
# different choices differ by far more, unless they are ties.
_EPS = 1e-9


@dataclass(frozen=True)
class CoverProblem:
    """Sentence j: `lengths[j]` words, concept ids `concepts[j]`, `values[j]` of its own; concept c weighs
    `weights[c]`; at most `budget` words; `forced` (a sentence index) must be chosen, when given."""

    concepts: Sequence[Sequence[int]]
    weights: np.ndarray
    values: np.ndarray
    lengths: np.ndarray
    budget: float
    forced: int | None = None

    def objective(self, chosen: Sequence[int]) -> float:
        """The total weight of the concepts `chosen` covers plus their own values."""
        covered = {c for j in chosen for c in self.concepts[j]}
        return float(sum(self.weights[c] for c in covered) + sum(self.values[j] for j in chosen))


def highs_cover(problem: CoverProblem, time_limit: float = 20.0) -> list[int]:
    """The optimal choice by HiGHS, as the ILP is written (indices ascending); [] when HiGHS finds none.

    c_i - sum_j occ_ij s_j <= 0: a concept counts only when a chosen sentence holds it. Gillick and
    Favre's second family (s_j <= c_i for each occurrence) is left out and the c_i are continuous: both
    are implied at the optimum (a covered concept only raises the objective, and c_i <= 1 with integral
    s_j makes the best c_i integral).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, hstack, identity

    n_s, n_c = len(problem.lengths), len(problem.weights)
    rows = [c for j in range(n_s) for c in problem.concepts[j]]
    cols = [j for j in range(n_s) for _ in problem.concepts[j]]
    occ = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_c, n_s)).tocsr()
    cost = -np.concatenate([problem.values, problem.weights])
    lengths = np.concatenate([np.asarray(problem.lengths, dtype=float), np.zeros(n_c)])[None, :]
    constraints = [LinearConstraint(lengths, 0.0, float(problem.budget))]
    if n_c:
        constraints.append(LinearConstraint(hstack([-occ, identity(n_c)]), -np.inf, 0.0))
    lower = np.zeros(n_s + n_c)
    if problem.forced is not None:
        lower[problem.forced] = 1.0
    result = milp(
        cost,
        constraints=constraints,
        integrality=np.concatenate([np.ones(n_s), np.zeros(n_c)]),
        bounds=Bounds(lower, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 0.0},
    )
    if result.x is None:
        return []
    return [j for j in range(n_s) if result.x[j] > 0.5]


def best_cover(problem: CoverProblem, node_limit: int = _NODE_LIMIT) -> list[int]:
    """The optimal choice (indices ascending): `highs_cover`'s optimum, found by branch and bound on the
    reduced program (see the module's docstring); HiGHS when the search passes `node_limit` nodes.

    >>> p = CoverProblem([[0], [0, 1], [1]], np.array([2.0, 1.0]), np.zeros(3), np.array([5, 9, 4]), 9)
    >>> best_cover(p)
    [0, 2]
    """
    reduced, kept = _reduce(problem)
    found = _branch_and_bound(reduced, node_limit)
    if found is None:
        return highs_cover(problem)
    return sorted(kept[j] for j in found)


def _reduce(problem: CoverProblem) -> tuple[CoverProblem, list[int]]:
    """The same optimum in fewer variables (module docstring), and the kept sentences' original indices."""
    # Read as Python floats (the same doubles): numpy's scalars, one an element, cost most of this pass.
    lengths, own, weights = problem.lengths.tolist(), problem.values.tolist(), problem.weights.tolist()
    kept = [
        j
        for j, (length, held) in enumerate(zip(lengths, problem.concepts, strict=True))
        if j == problem.forced or (length <= problem.budget and (len(held) or own[j] > 0))
    ]
    holders: dict[int, list[int]] = {}
    for k, j in enumerate(kept):
        for c in problem.concepts[j]:
            holders.setdefault(c, []).append(k)
    values = [float(own[j]) for j in kept]
    merged: dict[tuple[int, ...], float] = {}
    for c in sorted(holders):
        by = tuple(holders[c])
        if len(by) == 1:
            values[by[0]] += weights[c]
        else:
            merged[by] = merged.get(by, 0.0) + weights[c]
    concepts: list[list[int]] = [[] for _ in kept]
    for c, by in enumerate(merged):
        for k in by:
            concepts[k].append(c)
    forced = kept.index(problem.forced) if problem.forced is not None else None
    return (
        CoverProblem(
            concepts,
            np.fromiter(merged.values(), dtype=float, count=len(merged)),
            np.array(values, dtype=float),
            np.array([lengths[j] for j in kept], dtype=float),
            problem.budget,
            forced,
        ),
        kept,
    )


def _branch_and_bound(problem: CoverProblem, node_limit: int) -> list[int] | None:
    """`_branch_and_bound_plain`, by the compiled search (`_cover.pyx`) where it is built."""
    if _compiled_search is None:
        return _branch_and_bound_plain(problem, node_limit)
    starts, held = _rows(problem)  # each sentence's concepts once, ascending
    return _compiled_search(
        starts,
        held.astype(np.intc),
        np.ascontiguousarray(problem.lengths, dtype=np.float64),
        np.ascontiguousarray(problem.values, dtype=np.float64),
        np.ascontiguousarray(problem.weights, dtype=np.float64),
        float(problem.budget),
        problem.forced,
        node_limit,
        _EPS,
        _BOUND_ROUNDS,
    )


def _knapsack_bound(gains: np.ndarray, lengths: np.ndarray, room: float) -> tuple[float, np.ndarray]:
    """The fractional knapsack of the sentences of positive gain within `room` words: its value (the
    best-gain-per-word sentences whole, the next one in part) and the share of each sentence it takes."""
    taken = np.zeros(len(gains))
    positive = np.flatnonzero(gains > _EPS)
    order = positive[np.argsort(-gains[positive] / lengths[positive], kind="stable")]
    filled = np.cumsum(lengths[order])
    whole = int(np.searchsorted(filled, room, side="right"))
    taken[order[:whole]] = 1.0
    bound = float(gains[order[:whole]].sum())
    if whole < len(order):
        part = 1.0 - (filled[whole] - room) / lengths[order[whole]]
        taken[order[whole]] = part
        bound += float(gains[order[whole]]) * part
    return bound, taken


def _tightest_bound(
    holds: csr_matrix,
    gains: np.ndarray,
    free: np.ndarray,
    values: np.ndarray,
    lengths: np.ndarray,
    room: float,
    value: float,
    best_value: float,
) -> float:
    """An upper bound on what the open sentences (`holds` rows, their marginal `gains` over the uncovered
    concepts' weights `free`) add within `room` words: the least of `_BOUND_ROUNDS` + 1 Lagrangian bounds,
    or the first that prunes the node (at `value`, the best choice found `best_value`).

    For any mu (0 <= mu_c <= free_c), sum_c (free_c - mu_c) plus the fractional knapsack of the gains
    values_j + sum_{c in j} mu_c bounds the program (the coverage constraints relaxed with multipliers
    mu; mu = free is the plain knapsack bound, which counts a concept once per sentence holding it). Each
    round sets mu_c to 0 for the concepts the last knapsack took more than once, where the bound falls.
    """
    bound, taken = _knapsack_bound(gains, lengths, room)
    mu = free
    for _ in range(_BOUND_ROUNDS):
        if value + bound <= best_value + _EPS:
            break
        shared = (holds.T @ taken > 1.0 + _EPS) & (mu > 0.0)
        if not shared.any():  # the same mu: the same bound
            break
        mu = np.where(shared, 0.0, mu)
        relaxed, taken = _knapsack_bound(holds @ mu + values, lengths, room)
        bound = min(bound, relaxed + float((free - mu).sum()))
    return bound


def _branch_and_bound_plain(problem: CoverProblem, node_limit: int) -> list[int] | None:
    """Depth-first search for the best choice; None when it opens more than `node_limit` nodes.

    A sentence that no longer fits, or adds nothing, at a node is dropped from the node's whole subtree:
    below it, the room only shrinks and the covered concepts only grow.
    """
    n, m = len(problem.lengths), len(problem.weights)
    holds = _holds(problem)
    lengths, values, weights, budget = problem.lengths, problem.values, problem.weights, float(problem.budget)
    open_ids = np.arange(n)
    covered = np.zeros(m, dtype=bool)
    chosen: list[int] = []
    used, value = 0.0, 0.0
    if problem.forced is not None:
        f = problem.forced
        chosen, used = [f], float(lengths[f])
        value = float(values[f] + weights[_row(holds, f)].sum())
        covered[_row(holds, f)] = True
        open_ids = open_ids[open_ids != f]
    best_value, best = value, list(chosen)
    # A node: (sentences still open, covered concepts, words used, value, chosen).
    stack = [(open_ids, covered, used, value, chosen)]
    nodes = 0
    while stack:
        nodes += 1
        if nodes > node_limit:
            return None
        open_ids, covered, used, value, chosen = stack.pop()
        if value > best_value + _EPS:
            best_value, best = value, chosen
        room = budget - used
        ids = open_ids[lengths[open_ids] <= room]
        if not len(ids):
            continue
        free = np.where(covered, 0.0, weights)
        gains = holds[ids] @ free + values[ids]
        useful = gains > _EPS
        ids, gains = ids[useful], gains[useful]
        if not len(ids):
            continue
        order = np.argsort(-gains / lengths[ids], kind="stable")
        bound = _tightest_bound(holds[ids], gains, free, values[ids], lengths[ids], room, value, best_value)
        if value + bound <= best_value + _EPS:
            continue
        first = int(order[0])
        pick = int(ids[first])
        rest = np.delete(ids, first)
        # Pushed last, popped first: with the pick (the greedy dive), then without it.
        stack.append((rest, covered, used, value, chosen))
        after = covered.copy()
        after[_row(holds, pick)] = True
        stack.append((rest, after, used + lengths[pick], value + float(gains[first]), [*chosen, pick]))
    return best


def _holds(problem: CoverProblem) -> csr_matrix:
    """Sentences x concepts, 1 where the sentence holds the concept: sparse, as a dense table grows with the
    square of a story (a sentence holds a few of its concepts)."""
    sizes = [len(concepts) for concepts in problem.concepts]
    held = np.fromiter(itertools.chain.from_iterable(problem.concepts), dtype=np.int64, count=sum(sizes))
    rows = np.repeat(np.arange(len(sizes)), sizes)
    holds = csr_matrix((np.ones(len(held)), (rows, held)), shape=(len(problem.lengths), len(problem.weights)))
    holds.sum_duplicates()
    holds.data[:] = 1.0
    return holds


def _rows(problem: CoverProblem) -> tuple[np.ndarray, np.ndarray]:
    """`_holds(problem)`'s indptr and indices: each sentence's concepts once, ascending. Read directly where
    the sentences list them so (`_reduce`'s rows: ascending, once each), without a scipy matrix (its checks
    cost ~0.2 ms a program, a third of the compiled search's time on bench/fold's 267 programs)."""
    sizes = np.fromiter(map(len, problem.concepts), dtype=np.int64, count=len(problem.concepts))
    held = np.fromiter(
        itertools.chain.from_iterable(problem.concepts), dtype=np.int64, count=int(sizes.sum())
    )
    starts = np.concatenate([[0], np.cumsum(sizes)])
    within = np.ones(max(len(held) - 1, 0), dtype=bool)  # the steps from a concept to the next of its row
    ends = starts[1:-1]
    within[ends[(ends > 0) & (ends < len(held))] - 1] = False
    if (np.diff(held)[within] > 0).all():
        return starts, held
    holds = _holds(problem)
    return holds.indptr.astype(np.int64), holds.indices.astype(np.int64)


def _row(holds: csr_matrix, j: int) -> np.ndarray:
    """The concepts sentence `j` holds, ascending."""
    return holds.indices[holds.indptr[j] : holds.indptr[j + 1]]
