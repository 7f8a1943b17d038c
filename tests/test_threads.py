"""cluster.threads: stories of one saga linked into threads, never merged; related stories; the CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.cluster.threads import link_threads, stories_by_thread, threaded_stories
from newsfold.export import story_to_dict
from newsfold.models import Article, Story
from newsfold.settings import ClusterSettings, ThreadSettings

# Three parts of one saga (the departure, the arrival, the summit), days apart, told with the same people
# and places; an election elsewhere.
DEPARTURE = Article("departure", "Kim Jong Un's armoured train leaves Pyongyang for Russia", (
    "North Korean leader Kim Jong Un left Pyongyang on his armoured train bound for Russia, where he is "
    "expected to meet President Vladimir Putin, state media KCNA said on Monday, September 11, 2023.",
    "Kim Jong Un was accompanied by Foreign Minister Choe Son Hui and senior military officials, KCNA said, "
    "and the Kremlin confirmed the visit to Russia's Far East at Putin's invitation.",
    "Officials in Seoul and Washington warned that Kim Jong Un and Vladimir Putin could discuss arms "
    "deals, with Russia seeking artillery shells for the war in Ukraine.",
))
ARRIVAL = Article("arrival", "Kim Jong Un arrives in Russia's Far East to meet Putin", (
    "Kim Jong Un's armoured train crossed into Russia at Khasan on Tuesday, September 12, 2023, where he "
    "was greeted with bread and salt before travelling on to meet Vladimir Putin, KCNA said.",
    "The Kremlin said Putin and Kim Jong Un would hold talks in Russia's Far East, and Foreign Minister "
    "Choe Son Hui travelled with the North Korean leader.",
    "Seoul and Washington have warned that Russia wants artillery shells from Pyongyang for the war in "
    "Ukraine, and that Kim Jong Un seeks satellite and missile technology.",
))
SUMMIT = Article("summit", "Putin and Kim Jong Un meet at the Vostochny Cosmodrome", (
    "Vladimir Putin welcomed Kim Jong Un at the Vostochny Cosmodrome in Russia's Far East on Wednesday, "
    "September 13, 2023, after the North Korean leader's armoured train journey from Pyongyang.",
    "Kim Jong Un pledged full support for Russia, and Putin said Moscow would help Pyongyang build "
    "satellites, the Kremlin and KCNA said.",
    "Seoul and Washington warned that Kim Jong Un could supply artillery shells to Russia for the war "
    "in Ukraine, with Foreign Minister Choe Son Hui at the talks.",
))
ELECTION = Article("election", "Turkmenistan votes in parliamentary election", (
    "Voters in Turkmenistan cast their ballots on Sunday in a parliamentary election in Ashgabat and the "
    "provinces, with 288 candidates for 125 seats of the Mejlis.",
    "Observers from the OSCE and the CIS monitored the election, the central election commission said.",
))


def _story(article: Article, event_date: str | None) -> Story:
    return Story(f"s-{article.id}", article.title, (article.id,), event_date=event_date)


SAGA = [_story(SUMMIT, "2023-09-13"), _story(DEPARTURE, "2023-09-11"), _story(ARRIVAL, "2023-09-12")]
ARTICLES = [DEPARTURE, ARRIVAL, SUMMIT, ELECTION]


def test_stories_of_one_saga_form_one_thread_in_time_order() -> None:
    threads = link_threads(SAGA, ARTICLES)
    assert [t.stories for t in threads] == [("s-departure", "s-arrival", "s-summit")]


def test_a_thread_is_named_after_its_first_story_in_time() -> None:
    (thread,) = link_threads(SAGA, ARTICLES)
    assert thread.id == "t-departure"


def test_an_unrelated_story_is_a_thread_of_its_own() -> None:
    threads = link_threads([*SAGA, _story(ELECTION, "2023-09-12")], ARTICLES)
    assert ("s-election",) in [t.stories for t in threads] and len(threads) == 2


def test_stories_further_apart_than_max_days_are_not_one_thread() -> None:
    far = [_story(DEPARTURE, "2023-09-11"), _story(SUMMIT, "2024-09-13")]
    assert len(link_threads(far, ARTICLES)) == 2


def test_related_stories_come_best_first_and_are_bounded() -> None:
    (thread,) = link_threads(SAGA, ARTICLES, ThreadSettings(related_per_story=1))
    assert all(len(related) == 1 for related in thread.related)
    departure = dict(zip(thread.stories, thread.related, strict=True))["s-departure"]
    full = link_threads(SAGA, ARTICLES)[0]
    scores = [r.score for r in dict(zip(full.stories, full.related, strict=True))["s-departure"]]
    assert scores == sorted(scores, reverse=True) and departure[0].score == scores[0]


def test_threads_never_change_a_story_membership() -> None:
    stories = threaded_stories(SAGA, link_threads(SAGA, ARTICLES))
    assert [replace(s, thread=None, related=()) for s in stories] == SAGA
    assert {s.thread for s in stories} == {"t-departure"}


def test_the_json_carries_thread_and_related_last() -> None:
    (story, *_) = threaded_stories(SAGA, link_threads(SAGA, ARTICLES))
    data = story_to_dict(story)
    assert list(data)[-2:] == ["thread", "related"]
    assert data["thread"] == "t-departure" and set(data["related"]) == {"s-departure", "s-arrival"}


def test_stories_by_thread_groups_filled_stories_in_time_order() -> None:
    stories = threaded_stories(SAGA, link_threads(SAGA, ARTICLES))
    assert [(t, [s.id for s in members]) for t, members in stories_by_thread(stories)] == [
        ("t-departure", ["s-departure", "s-arrival", "s-summit"])
    ]


def test_threads_command_lists_the_seeds_as_one_thread(seeds_dir: Path) -> None:
    result = CliRunner().invoke(app, ["threads", str(seeds_dir), "--json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (thread,) = document["threads"]
    assert len(thread["stories"]) == 1 and thread["stories"][0]["event_date"] == "2023-09-13"


def test_a_pair_skipped_on_its_names_is_neither_linked_nor_related() -> None:
    """`compared_pair` decides most pairs on the names cosine alone: every pair it drops scores under the
    related bar and is not linked by the full rule (`pair_score`), and every pair it keeps is the rule's."""
    from itertools import combinations

    from newsfold.cluster.profile import profiles_of
    from newsfold.cluster.threads import compared_pair, pair_score, story_facts

    settings = ThreadSettings(related_score=0.5)  # a bar the election's pairs miss and the saga's reach
    profiles = profiles_of(ARTICLES, ClusterSettings())
    stories = [_story(a, None) for a in ARTICLES]
    facts = [story_facts(s, n, [p]) for n, (s, p) in enumerate(zip(stories, profiles, strict=True))]
    dropped = 0
    for a, b in combinations(facts, 2):
        score, linked = pair_score(a.profile, b.profile, None, settings)
        pair = compared_pair(a, b, settings)
        if pair is None:
            dropped += 1
            assert score < settings.related_score and not linked
        else:
            assert (pair.score, pair.linked) == (score, linked)
    assert 0 < dropped < len(facts) * (len(facts) - 1) // 2


def test_stories_profiles_kept_in_a_file_give_the_same_threads(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsfold.cluster import threads

    stories = [*SAGA, _story(ELECTION, "2023-09-12")]
    held = link_threads(stories, ARTICLES)
    monkeypatch.setattr(threads, "_FACTS_HELD_BYTES", 0)  # every story's packed profile in the file
    assert link_threads(stories, ARTICLES) == held
    assert any(related for thread in held for related in thread.related)  # pairs were scored
