"""Removed lines kept as columns (`RemovedLines`) read as the tuple of `RemovedLine`s they stand for."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import clean
from newsfold.models import Article, Page, RemovedLine, RemovedLines, article_record

_REASONS = ("navigation", "copyright", "blank line", "")


def _columns(triples: list[tuple[int, str, str]]) -> RemovedLines:
    reasons = list(dict.fromkeys(r for _, _, r in triples))
    return RemovedLines([n for n, _, _ in triples], [t for _, t, _ in triples],
                        bytes(reasons.index(r) for _, _, r in triples), reasons)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**6), st.text(max_size=8), st.sampled_from(_REASONS)),
                max_size=12))  # fmt: skip
def test_removed_lines_read_as_their_tuple(triples: list[tuple[int, str, str]]) -> None:
    made = _columns(triples)
    want = tuple(RemovedLine(*t) for t in triples)
    assert made == want and want == made and tuple(made) == want
    assert hash(made) == hash(want) and repr(made) == repr(want)
    assert made[1:3] == want[1:3] and len(made) == len(want)
    assert pickle.loads(pickle.dumps(made)) == want


def test_removed_lines_refuse_columns_of_other_lengths() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        RemovedLines([1, 2], ["a"], bytes(2), ["x"])
    with pytest.raises(ValueError, match="without its reason"):
        RemovedLines([1], ["a"], bytes([1]), ["x"])


def test_an_article_record_holds_its_removed_lines_as_dicts() -> None:
    article = Article("a", "T", ("Body.",), removed=_columns([(2, "Menu", "navigation")]))
    record = json.loads(json.dumps(article_record(article)))
    assert record["removed"] == [{"line": 2, "text": "Menu", "reason": "navigation"}]


def test_a_cleaned_page_removes_lines_as_columns() -> None:
    sentence = "The council voted on Tuesday to approve the new budget for schools. "
    text = "Home | News | Sport\n\n" + sentence * 3
    article = clean(Page(id="p.txt", kind="text", content=text))
    assert isinstance(article.removed, RemovedLines)
    assert [(r.line, r.text) for r in article.removed][:1] == [(1, "Home | News | Sport")]
