"""Issue 11: a story's choices do not follow the order a set of concepts iterates in.

A frozenset of strings iterates in an order set by the process's string hash seed (PYTHONHASHSEED), so
two runs of one fold could add a title's, a statement's or a filler's concept weights in different
orders. Here the concepts come in every order, in one process: 0.1 + 0.2 + 0.3 is 0.6000000000000001 in
that order and 0.6 in the reverse one, so a plain sum made the choice between two sides of equal weight
(0.6) depend on it.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest

import newsfold.story
import newsfold.story.summary
from newsfold.models import Article
from newsfold.settings import StorySettings
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


class _Seeded(str):
    """A concept whose hash is chosen: a set of them iterates in the order a string hash seed could give."""

    seeded: int

    def __new__(cls, text: str, seeded: int) -> _Seeded:
        made = super().__new__(cls, text)
        made.seeded = seeded
        return made

    def __hash__(self) -> int:
        return self.seeded


@pytest.mark.parametrize("order", ORDERS)
def test_cut_filler_does_not_follow_concept_order(
    monkeypatch: pytest.MonkeyPatch, order: tuple[str, ...]
) -> None:
    # A set of small-int hashes iterates by hash: the three concepts come out in `order`.
    concepts = {c: _Seeded(c, 1 + order.index(c)) for c in "abc"} | {"d": _Seeded("d", 9)}
    weights = {concepts[c]: w for c, w in WEIGHTS.items()}
    heads = {
        "One concept here.": frozenset([concepts["d"]]),
        "Three concepts here.": frozenset(concepts[c] for c in "abc"),
    }
    assert [str(c) for c in heads["Three concepts here."] - frozenset()] == list(order)  # not vacuous
    monkeypatch.setattr(newsfold.story.summary, "sentence_concepts", heads.__getitem__)
    pool = [
        SimpleNamespace(article="x0", index=0, text="One concept here.", position=0.1),
        SimpleNamespace(article="x1", index=0, text="Three concepts here.", position=0.5),
    ]
    settings = StorySettings(summary_words=10, fill_min_words=1)
    filler = newsfold.story.summary._cut_filler(pool, [], weights, settings)  # type: ignore[arg-type]
    assert filler == [pool[0]]  # equal gain (0.6): the earlier sentence
