"""Stories printed by more pages than `max_sentence_fanout`, and the one-pass sentence splitting."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsfold.models import Article
from newsfold.settings import SyndicationSettings
from newsfold.syndication import find_origins
from newsfold.syndication.passages import LineCache, normalised_tokens, page_text, passages_of

FANOUT = SyndicationSettings().max_sentence_fanout
SITES = FANOUT + 10  # a wire story on more sites than the fanout


def _story(name: str, count: int = 6) -> list[str]:
    """Paragraphs of one story: distinct sentence-shaped lines, each long enough to be evidence."""
    return [
        f"The {name} report says that on day {k} the council of {name} met again to weigh plan number {k}."
        for k in range(count)
    ]


HEADLINE = "Council approves the new harbour plan today"


def _wire(title: str = HEADLINE) -> list[Article]:
    body = tuple(_story("harbour"))
    return [Article(id=f"copy{k:02d}", title=title, paragraphs=body) for k in range(SITES)]


def test_a_wire_story_on_more_sites_than_the_fanout_is_one_origin_with_its_version() -> None:
    edited = [line.replace("plan number 3.", "plan number 33.") for line in _story("harbour")]
    version = Article(id="version", title=HEADLINE, paragraphs=tuple(edited))
    groups = find_origins([*_wire(), version])
    assert len(groups) == 1
    relations = {link.article: link.relation for link in groups[0].copies}
    assert relations["version"] == "version"
    assert relations["copy01"] == "copy"


def test_a_footer_paragraph_on_more_pages_than_the_fanout_joins_no_stories() -> None:
    footer = (
        "Sign up for our newsletter to get the latest news from the city every morning. "
        "Our reporters cover the council, the courts and the schools of the whole county."
    )
    pages = [
        Article(id=f"page{k:02d}", title=None, paragraphs=(*_story(f"town{k}", 2), footer))
        for k in range(SITES)
    ]
    assert len(find_origins(pages)) == SITES


def test_a_one_sentence_excerpt_of_a_wire_story_joins_under_a_byline_taken_for_its_title() -> None:
    lede = _story("harbour")[0]
    cut = " ".join(lede.split()[:12]) + " ..."
    excerpt = Article(id="excerpt", title="By Jane Doe", paragraphs=(cut,))
    groups = find_origins([*_wire(), excerpt])
    assert len(groups) == 1
    assert {link.article: link.relation for link in groups[0].copies}["excerpt"] == "excerpt"


def test_a_one_sentence_page_under_another_headline_stays_apart() -> None:
    lede = _story("harbour")[0]
    other = Article(id="other", title="Storm closes the northern ferry route for a week", paragraphs=(lede,))
    groups = find_origins([*_wire(), other])
    assert [g.members for g in groups if "other" in g.members] == [("other",)]


def test_sentences_split_in_one_pass_get_the_tokens_of_each_sentence_alone() -> None:
    paragraphs = (
        "The \ufb01nance chief\u00a0said \u201cno rush\u201d \u2014 twice. Caf\u0065\u0301 owners agreed.",
        "A line holding\na newline keeps its words apart, and \uff21\uff22\uff23 rose 5%.",
    )
    article = Article(id="a", title=None, paragraphs=paragraphs)
    split = page_text(article).passages
    assert [p.key for p in split] == [" ".join(normalised_tokens(p.text)) for p in split]
    assert [p.words for p in split] == [len(normalised_tokens(p.text)) for p in split]
    assert len(split) == 3


def test_a_line_cache_past_its_limit_still_splits_every_line() -> None:
    shared = _story("shared", 1)  # a line every article prints: known when the cache is emptied
    articles = [Article(id=str(k), title=None, paragraphs=(*shared, *_story(f"s{k}", 2))) for k in range(4)]
    cache = LineCache(limit=2)
    assert [page_text(a, cache=cache).passages for a in articles] == [passages_of(a) for a in articles]


def test_a_version_whose_only_edit_is_a_number_in_a_line_that_is_not_a_sentence() -> None:
    story = _story("harbour")
    original = Article(
        id="a", title=None, paragraphs=(*story[:3], "Tickets 25 dollars at the door", *story[3:])
    )
    edited = Article(
        id="b", title=None, paragraphs=(*story[:3], "Tickets 30 dollars at the door", *story[3:])
    )
    (group,) = find_origins([original, edited])
    assert [link.relation for link in group.copies] == ["version"]


def test_a_line_that_is_not_a_sentence_printed_alike_leaves_a_copy_a_copy() -> None:
    story = _story("harbour")
    page = (*story[:3], "Tickets 25 dollars at the door", *story[3:])
    (group,) = find_origins(
        [Article(id="a", title=None, paragraphs=page), Article(id="b", title=None, paragraphs=page)]
    )
    assert [link.relation for link in group.copies] == ["copy"]


@given(st.text(alphabet=st.sampled_from(list("ab1_ \n\t.,-’\u00a0\u2028")), max_size=40))
def test_the_separators_between_tokens_are_replaced_as_the_plain_pattern_replaces_them(text: str) -> None:
    from newsfold.syndication.passages import _BETWEEN_TOKENS

    assert _BETWEEN_TOKENS.sub(" ", text) == re.sub(r"[^\w\n]+", " ", text)


def test_the_separators_written_out_are_one_space_each() -> None:
    from newsfold.syndication.passages import _BETWEEN_TOKENS

    assert _BETWEEN_TOKENS.sub(" ", "a  b, c\n - d e") == "a b c\n d e"
