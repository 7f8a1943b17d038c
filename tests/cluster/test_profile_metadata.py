"""What a profile reads of a page's address: the words of its slug."""

from __future__ import annotations

from newsfold.cluster.profile import Lexicon, Profile, profile_of, slug_words
from newsfold.models import Article
from newsfold.settings import ClusterSettings

BODY = ("Firefighters fought the blaze through the night, the chief said.",)


def _profile(url: str | None, settings: ClusterSettings = ClusterSettings()) -> Profile:
    return profile_of(Article("a", None, BODY, url=url), Lexicon(settings), settings)


def test_slug_words_are_the_slugs_words_not_the_host_sections_or_ids() -> None:
    url = "https://www.dairynews.example/news/2012/08/08/historic-mat-maid-warehouse-burns/story_e84396ea.html?x=1"
    assert slug_words(url) == ["historic", "mat", "maid", "warehouse", "burns"]


def test_an_address_without_a_slug_gives_no_words() -> None:
    assert slug_words("http://en.trend.az/regions/casia/turkmenistan/2194453.html") == []
    assert slug_words(None) == []


def test_the_slugs_words_weigh_in_the_profile() -> None:
    url = "https://example.com/2012/08/08/historic-warehouse-burns-in-palmer"
    assert "palmer" in _profile(url).terms and "palmer" not in _profile(None).terms


def test_a_slug_weight_of_zero_leaves_the_address_unread() -> None:
    url = "https://example.com/2012/08/08/historic-warehouse-burns-in-palmer"
    assert "palmer" not in _profile(url, ClusterSettings(slug_weight=0.0)).terms
