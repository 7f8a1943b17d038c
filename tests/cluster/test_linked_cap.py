"""Origin groups' must-links join components up to `ClusterSettings.max_linked_component` articles (what
re-clustering one component holds grows with its square)."""

from __future__ import annotations

from newsfold.cluster import StoryIndex
from newsfold.cluster.profile import profiles_of
from newsfold.models import Article, OriginGroup
from newsfold.settings import ClusterSettings

TEXTS = (
    "A magnitude 8.8 earthquake struck off the coast of Chile on Saturday, killing hundreds.",
    "The central bank of Norway raised its interest rate to 4.5 percent on Thursday.",
    "Heavy snowfall closed the Brenner motorway between Austria and Italy for two days.",
)


def _articles() -> list[Article]:
    return [Article(f"a{n}", None, (text,)) for n, text in enumerate(TEXTS)]


def _stories(settings: ClusterSettings) -> list[tuple[str, ...]]:
    index = StoryIndex(settings)
    index.add(_articles(), [OriginGroup("a0", ("a0", "a1", "a2"))])
    return [members for _, members in index.stories()]


def test_a_must_link_joins_unrelated_articles_within_the_cap() -> None:
    assert _stories(ClusterSettings()) == [("a0", "a1", "a2")]


def test_a_must_link_past_the_cap_is_refused() -> None:
    assert _stories(ClusterSettings(max_linked_component=2)) == [("a0", "a1"), ("a2",)]


def test_placing_without_the_changes_gives_the_same_stories() -> None:
    reported, quiet = StoryIndex(), StoryIndex()
    group = [OriginGroup("a0", ("a0", "a2"))]
    assert reported.add(_articles(), group)  # every new article's story
    assert quiet.add_profiles(profiles_of(_articles(), ClusterSettings()), group, changes=False) == {}
    assert quiet.stories() == reported.stories()
