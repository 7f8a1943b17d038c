"""write_story on the five seed pages: the facts the issue asks for, none from rules naming the seeds."""

from __future__ import annotations

import re
from typing import Any

import pytest

from newsfold.models import Article, OriginGroup, Story
from newsfold.settings import StorySettings
from newsfold.story import write_story
from newsfold.story.sentences import word_tokens


@pytest.fixture(scope="module")
def story(seeds: list[Article], groups: list[OriginGroup]) -> Story:
    return write_story("seeds", seeds, groups)


def test_event_date_is_the_summit(story: Story) -> None:
    assert story.event_date == "2023-09-13"


def test_flags_are_exactly_the_evidenced_ones(story: Story) -> None:
    flags = {(f.article[:3], f.kind) for f in story.flags}
    assert flags == {("000", "misdated"), ("004", "misdated"), ("001", "truncated")}
    assert all(f.detail for f in story.flags)


def test_summit_length_discrepancy(story: Story) -> None:
    found = [
        d
        for d in story.discrepancies
        if any("three hours" in v.text for v in d.variants) and any("five-hour" in v.text for v in d.variants)
    ]
    assert found
    assert {v.sources[0][:3] for v in found[0].variants} == {"003", "004"}


def test_japan_account_is_a_change_of_the_ap_story(story: Story) -> None:
    names = [c for c in story.changes if c.kind == "name"]
    assert [(c.article[:3], c.of[:3]) for c in names] == [("002", "000")]
    assert "Coast Guard" in (names[0].before or "") and "Hirokazu Matsuno" in (names[0].after or "")


def test_discrepancies_are_only_between_origins(story: Story, groups: list[OriginGroup]) -> None:
    origin = {m: g.representative for g in groups for m in g.members}
    assert story.discrepancies
    for d in story.discrepancies:
        assert len({origin[v.sources[0]] for v in d.variants}) == len(d.variants)


def test_putin_quote_variants_grouped(story: Story) -> None:
    rush = [q for q in story.quotes if any("rush" in v.text for v in q.variants)]
    assert len(rush) == 1
    quote = rush[0]
    assert quote.speaker == "Vladimir Putin"
    assert {s[:3] for s in quote.sources} >= {"000", "003", "004"}
    assert any("haste" in v.text for v in quote.variants)


# Every quote of the seeds read by hand: (article, the quote's first words, who says it in that article).
# The gold (`quote_variants`) names only Putin's two remarks; the rest were read off each sentence.
SEED_SPEAKERS = [
    ("000", "that’s why we have come here", "Vladimir Putin"),
    ("000", "we will talk about all issues", "Vladimir Putin"),
    ("000", "very glad to see", "Vladimir Putin"),
    ("000", "prioritizing the strategic importance", "Kim Jong Un"),
    ("000", "No U.N. member state", "Lim Soo-suk"),
    ("001", "very glad to see", "Vladimir Putin"),
    ("002", "full and unconditional support", "Kim Jong Un"),
    ("002", "Russia is waging a sacred fight", "Kim Jong Un"),
    ("002", "I take this opportunity", "Kim Jong Un"),
    ("002", "that’s why we have come here", "Vladimir Putin"),
    ("002", "we will talk about all issues", "Vladimir Putin"),
    ("002", "an international pariah", "Matthew Miller"),
    ("002", "situation in the region", "Vladimir Putin"),  # "Putin ... and said ..., saying": not found
    ("003", "waging a sacred fight against", "Kim Jong Un"),
    ("003", "all issues without any rush", "Vladimir Putin"),
    ("003", "sensitive areas that cannot", "Kremlin"),
    ("003", "elevate and develop", "KCNA"),
    ("003", "would violate multiple", "Matthew Miller"),
    ("003", "It would be a sign", "Matthew Miller"),
    ("003", "will not hesitate to take action", "Matthew Miller"),
    ("004", "The leader of North Korea", "Vladimir Putin"),
    ("004", "We’ll talk about all the issues", "Vladimir Putin"),
    ("004", "Well, there are certain restrictions", "Vladimir Putin"),
    ("004", "I firmly believe", "Kim Jong Un"),
    ("004", "That’s why we came here", "Vladimir Putin"),
    ("004", "The glory to Russia", "Kim Jong Un"),
]


def test_seed_quote_speakers(story: Story) -> None:
    said = {(s[:3], v.text): q.speaker for q in story.quotes for v in q.variants for s in v.sources}
    right = [
        (article, start)
        for article, start, speaker in SEED_SPEAKERS
        if any(a == article and text.startswith(start) and who == speaker for (a, text), who in said.items())
    ]
    assert len(right) >= 0.9 * len(SEED_SPEAKERS)  # the bar: 18 of 20 (now 25 of 26)


def test_gold_quote_speakers(story: Story, gold_story: dict[str, Any]) -> None:
    for remark in gold_story["quote_variants"]:
        wordings = {tuple(word_tokens(text)) for text in remark["variants"].values()}
        (quote,) = [
            q for q in story.quotes if any(tuple(word_tokens(v.text)) in wordings for v in q.variants)
        ]
        assert quote.speaker == remark["speaker"]


def test_every_summary_sentence_has_its_sources(story: Story, seeds: list[Article]) -> None:
    texts = {a.id: a.text for a in seeds}
    assert story.summary
    for sentence in story.summary:
        assert sentence.sources
        assert any(sentence.text in texts[s] for s in sentence.sources)


def test_copied_sentences_list_every_copy(story: Story) -> None:
    multi = [s for s in story.summary + story.adds if len(s.sources) > 1]
    assert multi  # the AP copies state the same sentences


def test_summary_word_budget(seeds: list[Article], groups: list[OriginGroup]) -> None:
    for words in (60, 100):
        story = write_story("s", seeds, groups, StorySettings(summary_words=words))
        assert 0 < sum(len(s.text.split()) for s in story.summary) <= words


@pytest.mark.parametrize("words", [10, 15, 20, 30, 45, 120])
def test_summary_at_any_budget_leads_with_an_articles_first_sentence(
    seeds: list[Article], groups: list[OriginGroup], words: int
) -> None:
    story = write_story("s", seeds, groups, StorySettings(summary_words=words))
    assert story.summary and sum(len(s.text.split()) for s in story.summary) <= words
    lead = story.summary[0].text
    firsts = [a.paragraphs[0] for a in seeds]
    # Whole, its main clause (trailing modifiers left out, ended with a full stop) or, below every main
    # clause, the roles before its names left out and then cut and marked "…": its words, in order.
    assert any(_words_in_order(lead.removesuffix("…").removesuffix("."), first) for first in firsts)
    assert not lead.endswith("…") or all(len(first.split()) > words for first in firsts)


def _words_in_order(shorter: str, text: str) -> bool:
    """Whether `shorter`'s words are words of `text` in the same order (a subsequence: words left out)."""
    words = iter(w.strip(".,;:") for w in text.lower().split())
    return all(any(w.strip(".,;:") == v for v in words) for w in shorter.lower().split())


@pytest.mark.parametrize("words", [10, 20])
def test_short_summary_is_the_summit(seeds: list[Article], groups: list[OriginGroup], words: int) -> None:
    story = write_story("s", seeds, groups, StorySettings(summary_words=words))
    text = " ".join(s.text for s in story.summary)
    assert "Kim" in text and "Putin" in text and re.search(r"\b(?:met|summit)\b", text)


def test_no_flags_without_evidence_on_clean_articles(seeds: list[Article]) -> None:
    clean = [a for a in seeds if a.id[:3] in ("002", "003")]
    assert write_story("s", clean).flags == ()
