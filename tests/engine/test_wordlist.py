"""The word list a fork server reads once (`engine.wordlist`) profiles as each task's own reading does."""

from __future__ import annotations

from pathlib import Path

from newsfold.cluster.profile import profiles_of
from newsfold.engine.local import clean_all
from newsfold.engine.wordlist import profiles_with_list
from newsfold.read import read_many
from newsfold.settings import Settings


def test_profiles_with_the_preloaded_list_are_each_tasks_own(corpus: Path) -> None:
    settings = Settings()
    articles = clean_all(read_many([corpus]).pages, settings=settings).articles
    assert profiles_with_list(articles, settings.cluster) == profiles_of(articles, settings.cluster)
