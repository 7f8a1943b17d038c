"""Property tests (hypothesis): untrusted input never crashes a stage, and the stages' partitions hold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.clean import clean_pages
from newsfold.cluster import cluster_stories
from newsfold.models import Article, Page
from newsfold.read import decode_bytes
from newsfold.syndication import find_origins

WORDS = st.sampled_from(
    "the mayor said on Monday that a quake hit Chile and Peru killing 12 people while rescue teams "
    "searched the rubble of homes in Santiago , . — “ ” ( AP ) Reuters".split()
)
PARAGRAPH = st.lists(WORDS, min_size=3, max_size=40).map(" ".join)


@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "cp1252", "no-such-codec", "utf-16"]))
def test_decoding_never_raises(data: bytes, declared: str | None) -> None:
    assert isinstance(decode_bytes(data, declared), str)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=300), min_size=1, max_size=4), st.booleans())
def test_cleaning_any_text_or_markup_gives_an_article_or_a_problem(texts: list[str], html: bool) -> None:
    pages = [Page(id=f"p{i}", kind="html" if html else "text", content=t) for i, t in enumerate(texts)]
    articles, problems = clean_pages(pages)
    assert len(articles) + len(problems) == len(pages)
    assert all(all(line.strip() for line in a.paragraphs) for a in articles)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(PARAGRAPH, min_size=1, max_size=5), min_size=1, max_size=8))
def test_every_article_lands_in_exactly_one_origin_group_and_one_story(bodies: list[list[str]]) -> None:
    articles = [Article(id=f"a{i}", title=None, paragraphs=tuple(b)) for i, b in enumerate(bodies)]
    groups = find_origins(articles)
    members = [m for g in groups for m in g.members]
    assert sorted(members) == sorted(a.id for a in articles)
    assert all(g.representative in g.members for g in groups)
    stories = cluster_stories(articles, groups)
    assert sorted(i for s in stories for i in s) == sorted(a.id for a in articles)
    story_of = {i: n for n, s in enumerate(stories) for i in s}
    assert all(len({story_of[m] for m in g.members}) == 1 for g in groups)
