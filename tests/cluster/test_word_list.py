"""The word list read for some words only answers as the whole list does, for those words and any other."""

from __future__ import annotations

from newsfold.cluster.profile import Lexicon, WordFrequencies, profile_of, word_frequencies, words_of
from newsfold.models import Article
from newsfold.settings import ClusterSettings


def test_a_list_read_for_some_words_gives_their_frequencies_and_then_any_other() -> None:
    whole = word_frequencies()
    part = WordFrequencies(["quake", "chile", "zzzqqq"])
    assert part.get("quake") == whole["quake"] > 0 and part.get("zzzqqq") == 0.0
    assert part.get("the") == whole["the"]  # not among the words: the list is read whole


def test_a_profile_made_with_the_articles_words_only_is_the_same() -> None:
    article = Article(
        "a",
        "U.S. envoy O'Neal's talks in Dec.14 summit",
        ("P.J. Carlesimo told people.com that the U.S. and Chile's envoys met on Dec. 14, 2023.",),
        url="https://example.com/world/us-envoy-talks-chile-summit",
    )
    settings = ClusterSettings()
    lexicon = Lexicon(settings, words_of([article]))
    assert profile_of(article, lexicon, settings) == profile_of(article, Lexicon(settings), settings)
