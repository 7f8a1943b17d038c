"""Issue 11: a story's choices do not follow the order a set of concepts iterates in.

A frozenset of strings iterates in an order set by the process's string hash seed (PYTHONHASHSEED), so
two runs of one fold could add a title's or a statement's concept weights in different orders. Here the
concepts come in every order, in one process: 0.1 + 0.2 + 0.3 is 0.6000000000000001 in that order and 0.6
in the reverse one, so a plain sum made the choice between two sides of equal weight (0.6) depend on it.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest

import newsfold.story
from newsfold.models import Article
from newsfold.story.discrepancies import _statement_ranks

WEIGHTS = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.6}
ORDERS = list(itertools.permutations("abc"))


@pytest.mark.parametrize("order", ORDERS)
def test_headline_does_not_follow_concept_order(
    monkeypatch: pytest.MonkeyPatch, order: tuple[str, ...]
) -> None:
    concepts = {"Equal weight, one concept": ("d",), "Equal weight, three concepts": order}
    monkeypatch.setattr(newsfold.story, "sentence_concepts", concepts.__getitem__)
    articles = [Article(id=f"x{k}", title=title, paragraphs=("Text.",)) for k, title in enumerate(concepts)]
    # A tie: the first title in order of use wins, whatever order the other's concepts are added in.
    assert newsfold.story._headline(articles, [], WEIGHTS) == "Equal weight, one concept"


@pytest.mark.parametrize("order", ORDERS)
def test_statement_ranks_do_not_follow_concept_order(order: tuple[str, ...]) -> None:
    statements = [SimpleNamespace(concepts=("d",)), SimpleNamespace(concepts=order)]
    alignment = SimpleNamespace(
        statements=statements,
        prints=lambda d: np.array([d]),
        sources=lambda i, threshold: ("x0", "x1"),  # both stated by the same articles
    )
    ranks = _statement_ranks(alignment, [0, 1], {"x0": "o0", "x1": "o1"}, 0.9, WEIGHTS)  # type: ignore[arg-type]
    assert ranks == {0: 0, 1: 1}  # equal weight: the statement's number decides
