"""The summary's coverage program: the branch and bound finds HiGHS's optimum (its spec)."""

from __future__ import annotations

import numpy as np
import pytest

from newsfold.story.coverage import (
    CoverProblem,
    _branch_and_bound,
    _branch_and_bound_plain,
    _compiled_search,
    _holds,
    _knapsack_bound,
    _reduce,
    _rows,
    _tightest_bound,
    best_cover,
    highs_cover,
)


def _random_problem(seed: int, forced: bool) -> CoverProblem:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 40)), int(rng.integers(1, 60))
    concepts = [sorted(set(rng.integers(0, m, size=int(rng.integers(0, 8))).tolist())) for _ in range(n)]
    lengths = rng.integers(5, 35, size=n).astype(float)
    lead = int(rng.integers(0, n)) if forced else None
    budget = float(rng.integers(20, 120))
    return CoverProblem(
        concepts=concepts,
        weights=rng.integers(1, 6, size=m).astype(float),
        values=-1e-4 * rng.random(n),
        lengths=lengths,
        budget=max(budget, lengths[lead]) if lead is not None else budget,  # a forced sentence fits
        forced=lead,
    )


@pytest.mark.parametrize("seed", range(40))
def test_branch_and_bound_reaches_the_highs_optimum(seed: int) -> None:
    problem = _random_problem(seed, forced=seed % 3 == 0)
    chosen = best_cover(problem)
    assert sum(problem.lengths[j] for j in chosen) <= problem.budget
    assert problem.forced is None or problem.forced in chosen
    assert problem.objective(chosen) == pytest.approx(problem.objective(highs_cover(problem)), abs=1e-9)


def test_a_search_over_its_node_limit_is_left_to_highs() -> None:
    problem = _random_problem(7, forced=False)
    assert best_cover(problem, node_limit=1) == highs_cover(problem)


def test_concepts_shared_by_the_same_sentences_count_once_each() -> None:
    # Sentence 1 alone covers both shared concepts; 0 and 2 together cover them too but cost more words.
    problem = CoverProblem([[0, 1], [0, 1], [0]], np.array([3.0, 3.0]), np.zeros(3), np.array([9, 5, 4]), 9)
    assert best_cover(problem) == [1]


@pytest.mark.skipif(_compiled_search is None, reason="the compiled search (story/_cover.pyx) is not built")
@pytest.mark.parametrize("seed", range(60))
def test_the_compiled_search_chooses_what_its_plain_spec_chooses(seed: int) -> None:
    problem, _ = _reduce(_random_problem(seed, forced=seed % 3 == 0))
    if seed % 2:  # weights as the concept model gives them: probabilities, not counts
        problem = CoverProblem(
            problem.concepts,
            np.random.default_rng(seed).random(len(problem.weights)),
            problem.values,
            problem.lengths,
            problem.budget,
            problem.forced,
        )
    assert _branch_and_bound(problem, 20_000) == _branch_and_bound_plain(problem, 20_000)


@pytest.mark.skipif(_compiled_search is None, reason="the compiled search (story/_cover.pyx) is not built")
@pytest.mark.parametrize("seed", range(40))
def test_the_compiled_search_agrees_when_its_knapsacks_take_many_sentences(seed: int) -> None:
    # Short sentences and a wide budget: each knapsack takes more sentences than it picks one by one
    # before sorting the rest (`_cover.pyx`'s `_PICKED`), and equal gains per word are frequent.
    problem = _random_problem(seed, forced=seed % 2 == 0)
    rng = np.random.default_rng(seed)
    short = CoverProblem(
        problem.concepts,
        problem.weights,
        problem.values,
        rng.integers(1, 4, size=len(problem.lengths)).astype(float),
        float(rng.integers(12, 30)),
        problem.forced,
    )
    reduced, _ = _reduce(short)
    assert _branch_and_bound(reduced, 20_000) == _branch_and_bound_plain(reduced, 20_000)


@pytest.mark.skipif(_compiled_search is None, reason="the compiled search (story/_cover.pyx) is not built")
def test_the_compiled_search_gives_up_past_its_node_limit() -> None:
    problem, _ = _reduce(_random_problem(7, forced=False))
    assert _branch_and_bound_plain(problem, 1) is None
    assert _branch_and_bound(problem, 1) is None


def _root_bounds(problem: CoverProblem) -> tuple[float, float]:
    """(the plain knapsack bound, the Lagrangian bound) at the search's root of an unforced program."""
    holds = np.zeros((len(problem.lengths), len(problem.weights)))
    for j, concepts in enumerate(problem.concepts):
        holds[j, list(concepts)] = 1.0
    gains = holds @ problem.weights + problem.values
    useful = gains > 1e-9
    args = (holds[useful], gains[useful], problem.weights, problem.values[useful], problem.lengths[useful])
    plain, _ = _knapsack_bound(gains[useful], problem.lengths[useful], float(problem.budget))
    return plain, _tightest_bound(*args, float(problem.budget), 0.0, -np.inf)


@pytest.mark.parametrize("seed", range(30))
def test_the_lagrangian_bound_is_never_below_the_optimum(seed: int) -> None:
    problem = _random_problem(seed, forced=False)
    plain, tight = _root_bounds(problem)
    assert problem.objective(highs_cover(problem)) <= tight + 1e-9
    assert tight <= plain + 1e-12


def test_the_lagrangian_bound_counts_a_shared_concept_once() -> None:
    # Two 5-word sentences hold the same concept of weight 4: the plain bound takes it twice (8).
    problem = CoverProblem([[0], [0]], np.array([4.0]), np.zeros(2), np.array([5.0, 5.0]), 10)
    plain, tight = _root_bounds(problem)
    assert (plain, tight) == (pytest.approx(8.0), pytest.approx(4.0))


@pytest.mark.parametrize(
    "concepts",
    [[[0, 2], [], [1, 2]], [[2, 0], [1]], [[0, 0, 1], [1]], [[], []], [[1], [], [], [0, 1, 3]]],
)
def test_the_compiled_search_reads_each_sentences_concepts_once_ascending(concepts: list[list[int]]) -> None:
    # Read directly when listed so, through the sparse table otherwise (unsorted, repeated): the same rows.
    problem = CoverProblem(concepts, np.ones(4), np.zeros(len(concepts)), np.ones(len(concepts)), 5)
    starts, held = _rows(problem)
    holds = _holds(problem)
    assert starts.tolist() == holds.indptr.tolist() and held.tolist() == holds.indices.tolist()
