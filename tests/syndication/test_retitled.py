"""Issue 13's misses on unseen republications: retitled pages, lede excerpts, edits outside sentences."""

from __future__ import annotations

from dataclasses import replace

from newsfold.models import Article
from newsfold.settings import SyndicationSettings
from newsfold.syndication import find_origins
from newsfold.syndication.passages import retitled

HEADLINE = "Harbour council approves the new ferry plan"
STORY = tuple(
    f"The harbour report says that on day {k} the council met again to weigh ferry plan number {k}."
    for k in range(6)
)


def _relation(a: tuple[str, ...], b: tuple[str, ...], settings: SyndicationSettings | None = None) -> str:
    """The one link's relation between two pages with the given paragraphs."""
    pages = [Article(id="a", title=None, paragraphs=a), Article(id="b", title=None, paragraphs=b)]
    (group,) = find_origins(pages, settings) if settings else find_origins(pages)
    (link,) = group.copies
    return link.relation


def _members_with(page: Article, settings: SyndicationSettings | None = None) -> list[tuple[str, ...]]:
    """The members of the group holding `page`, beside the original and a copy of the story."""
    story = [Article(id=f"site{k}", title=HEADLINE, paragraphs=STORY) for k in range(2)]
    groups = find_origins([*story, page], settings) if settings else find_origins([*story, page])
    return [g.members for g in groups if page.id in g.members]


def test_a_subheading_with_one_word_dropped_makes_a_version() -> None:
    before = (*STORY[:3], "What the council decided on Monday", *STORY[3:])
    after = (*STORY[:3], "What the council decided Monday", *STORY[3:])
    assert _relation(before, after) == "version"


def test_without_line_words_the_same_pages_are_copies() -> None:
    before = (*STORY[:3], "What the council decided on Monday", *STORY[3:])
    after = (*STORY[:3], "What the council decided Monday", *STORY[3:])
    assert _relation(before, after, replace(SyndicationSettings(), line_words=False)) == "copy"


def test_list_entries_of_one_template_kept_differently_leave_a_copy_a_copy() -> None:
    before = (*STORY[:3], "See it now: Amazon", "See it now: Apple", *STORY[3:])
    after = (*STORY[:3], "See it now: Amazon", "See it now: Samsung", *STORY[3:])
    assert _relation(before, after) == "copy"


def test_a_title_holding_the_other_whole_is_the_same_headline_retitled() -> None:
    assert retitled(
        "update harbour council approves the new ferry plan", "harbour council approves the new ferry plan", 5
    )


def test_two_different_headlines_are_not_retitled() -> None:
    assert not retitled(
        "storm closes the northern ferry route", "harbour council approves the new ferry plan", 5
    )


def test_a_lede_excerpt_under_a_kicker_title_joins_its_story() -> None:
    excerpt = Article(id="excerpt", title=f"Exclusive: {HEADLINE}", paragraphs=(STORY[0],))
    assert _members_with(excerpt) == [("site0", "site1", "excerpt")]


def test_a_lede_excerpt_titled_by_its_own_opening_words_joins_its_story() -> None:
    excerpt = Article(id="excerpt", title=" ".join(STORY[0].split()[:8]), paragraphs=(STORY[0],))
    assert _members_with(excerpt) == [("site0", "site1", "excerpt")]


def test_without_retitles_a_kicker_title_keeps_the_lede_excerpt_apart() -> None:
    excerpt = Article(id="excerpt", title=f"Exclusive: {HEADLINE}", paragraphs=(STORY[0],))
    assert _members_with(excerpt, replace(SyndicationSettings(), retitles=False)) == [("excerpt",)]


def test_a_lede_under_another_story_headline_stays_apart() -> None:
    other = Article(
        id="other", title="Storm closes the northern ferry route for a week", paragraphs=(STORY[0],)
    )
    assert _members_with(other) == [("other",)]


def test_a_lede_excerpt_titled_by_its_dateline_and_opening_words_joins_its_story() -> None:
    story = tuple(f"Harbour. {p}" if k == 0 else p for k, p in enumerate(STORY))
    pages = [Article(id=f"site{k}", title=HEADLINE, paragraphs=story) for k in range(2)]
    excerpt = Article(id="excerpt", title=" ".join(story[0].split()[:8]), paragraphs=(story[0],))
    groups = find_origins([*pages, excerpt])
    assert [g.members for g in groups if "excerpt" in g.members] == [("site0", "site1", "excerpt")]
