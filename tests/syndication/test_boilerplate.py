"""Boilerplate (a sentence on more pages than `max_sentence_fanout`, not a syndicated story's): evidence
only between pages that are nothing but boilerplate, anchored among those pages."""

from __future__ import annotations

from collections import Counter

import pytest

from newsfold.models import Article
from newsfold.settings import SyndicationSettings
from newsfold.syndication.candidates import sentence_index
from newsfold.syndication.evidence import EvidenceCounts, evidence_keys

SETTINGS = SyndicationSettings()
FOOTER = (
    "Sign up for our newsletter to get the latest news from the city every morning. "
    "Our reporters cover the council, the courts and the schools of the whole county."
)


def _pages() -> list[Article]:
    """More ordinary pages printing the footer than the fanout, then two pages of nothing but it."""
    ordinary = [
        Article(
            id=f"page{k:02d}",
            title=None,
            paragraphs=(
                *(
                    f"The town{k} council met on day {d} to weigh plan number {d} for the harbour of town{k}."
                    for d in range(4)
                ),
                FOOTER,
            ),
        )
        for k in range(SETTINGS.max_sentence_fanout + 5)
    ]
    return [*ordinary, *(Article(id=f"bare{k}", title=None, paragraphs=(FOOTER,)) for k in range(2))]


def _pairs(articles: list[Article], corpus: EvidenceCounts | None = None) -> dict[tuple[int, int], int]:
    pairs = sentence_index(articles, SETTINGS, corpus).pairs
    rows = zip(pairs.first.tolist(), pairs.second.tolist(), pairs.sentences.tolist(), strict=True)
    return {(i, j): sentences for i, j, sentences in rows}


def _counts(articles: list[Article], closed: bool) -> EvidenceCounts:
    held = Counter(k for a in articles for k in evidence_keys(a, SETTINGS).sentences)
    return EvidenceCounts(held, Counter(), Counter(), boilerplate_closed=closed)


def test_two_pages_of_nothing_but_a_footer_pair_behind_its_first_ordinary_holders() -> None:
    pages = _pages()
    pairs = _pairs(pages)
    bare = len(pages) - 2
    assert pairs == {(bare, bare + 1): 2}  # the footer's two sentences; no ordinary page pairs through it


def test_with_corpus_counts_a_page_of_nothing_but_boilerplate_is_refused_unless_closed() -> None:
    pages = _pages()
    bare = pages[-2:]
    with pytest.raises(ValueError, match="nothing but boilerplate"):
        _pairs(bare, _counts(pages, closed=False))
    assert _pairs(bare, _counts(pages, closed=True)) == {(0, 1): 2}
