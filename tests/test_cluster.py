"""Story clustering: seeds fold into one story, copies share a story, chunked ingest equals batch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsfold.cluster import StoryIndex, cluster_stories
from newsfold.cluster.index import average_link
from newsfold.errors import StoreError
from newsfold.models import Article, OriginGroup

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _seed_articles() -> list[Article]:
    """The five seed pages as the cleaner should give them: gold body lines, gold titles, claimed dates."""
    gold = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
    articles = []
    for name, page in sorted(gold.items()):
        lines = (SHARED / "corpus" / "seeds" / name).read_text(encoding="utf-8").splitlines()
        body = tuple(lines[n - 1] for n in page["body_lines"])
        articles.append(Article(name, page["title"], body, published=page.get("claimed_date")))
    return articles


def _ecb_articles(topics: set[int]) -> list[tuple[Article, str]]:
    path = SHARED / "bench" / "ecbplus" / "dev.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [
        (Article(r["id"], None, tuple(p for p in r["text"].split("\n") if p.strip())), r["event"])
        for r in records
        if r["topic"] in topics
    ]


def test_seeds_fold_into_one_story_despite_misdated_pages() -> None:
    articles = _seed_articles()
    assert cluster_stories(articles) == [tuple(a.id for a in articles)]


def _quake(article_id: str, year: int, place: str, magnitude: str, killed: int, variant: int) -> Article:
    openings = ("A powerful earthquake struck", "An earthquake shook", "A strong quake hit")
    text = (
        f"{openings[variant]} {place} on March 3, {year}, with a magnitude of {magnitude}, "
        f"killing at least {killed} people, the seismological agency said.",
        f"Rescue teams searched collapsed buildings in {place} overnight, and the governor of {place} "
        f"asked for help. The {year} quake was felt across the region.",
    )
    return Article(article_id, None, text)


def test_same_kind_of_event_in_another_year_and_place_is_another_story() -> None:
    articles = [
        _quake("a1", 2009, "Sumatra", "7.6", 1100, 0),
        _quake("b1", 2014, "Kermanshah", "6.1", 31, 0),
        _quake("a2", 2009, "Sumatra", "7.6", 1100, 1),
        _quake("b2", 2014, "Kermanshah", "6.1", 31, 2),
    ]
    assert cluster_stories(articles) == [("a1", "a2"), ("b1", "b2")]


def test_origin_group_members_always_share_a_story() -> None:
    seeds = _seed_articles()
    quake = _quake("q", 2009, "Sumatra", "7.6", 1100, 0)
    group = OriginGroup(representative=seeds[0].id, members=(seeds[0].id, "q"))
    stories = cluster_stories([seeds[0], quake], groups=[group])
    assert stories == [(seeds[0].id, "q")]
    assert len(cluster_stories([seeds[0], quake])) == 2


def test_late_copy_link_merges_two_existing_stories() -> None:
    seeds = _seed_articles()
    quake = _quake("q", 2009, "Sumatra", "7.6", 1100, 0)
    index = StoryIndex()
    first = index.add([seeds[0], quake])
    assert first[seeds[0].id] != first["q"]
    moved = index.add([], groups=[OriginGroup(seeds[0].id, (seeds[0].id, "q"))])
    assert index.story_of("q") == index.story_of(seeds[0].id) == first[seeds[0].id]
    assert moved == {"q": first[seeds[0].id]}


@pytest.mark.parametrize("chunk", [1, 7, 30])
def test_chunked_ingest_through_saved_state_equals_batch(chunk: int) -> None:
    articles = [a for a, _ in _ecb_articles({1, 7})]
    batch = StoryIndex()
    batch_placed = batch.add(articles)
    index = StoryIndex()
    placed: dict[str, str] = {}
    for start in range(0, len(articles), chunk):
        state = json.loads(json.dumps(index.to_state()))  # what the store persists between ingests
        index = StoryIndex.from_state(state)
        placed.update(index.add(articles[start : start + chunk]))
    assert placed == batch_placed
    assert index.to_state() == batch.to_state()


def test_two_events_of_one_topic_are_told_apart() -> None:
    labelled = _ecb_articles({1})  # Tara Reid's rehab (2008) and Lindsay Lohan's (2013)
    stories = cluster_stories([a for a, _ in labelled])
    event = dict((a.id, e) for a, e in labelled)
    pure = sum(max(sum(event[i] == e for i in s) for e in set(event.values())) for s in stories)
    assert pure / len(labelled) >= 0.9
    assert len(stories) < len(labelled) / 3


def test_stories_are_ordered_by_first_member_and_readded_articles_are_skipped() -> None:
    seeds = _seed_articles()
    quake = _quake("q", 2009, "Sumatra", "7.6", 1100, 0)
    assert cluster_stories([quake, *seeds])[0] == ("q",)
    index = StoryIndex()
    index.add(seeds)
    assert index.add(seeds) == {}


def test_state_of_another_version_is_refused() -> None:
    with pytest.raises(StoreError, match="refold"):
        StoryIndex.from_state({"version": 0})


def test_average_link_merges_must_linked_groups_first_and_stops_at_the_bar() -> None:
    probability = np.array([
        [0.0, 0.9, 0.1, 0.0],
        [0.9, 0.0, 0.2, 0.0],
        [0.1, 0.2, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ])
    assert average_link(probability, [[0], [1], [2], [3]], 0.5) == [[0, 1], [2], [3]]
    # 3 is must-linked to 2: the pair stays together however low its probability.
    assert average_link(probability, [[0], [1], [2, 3]], 0.5) == [[0, 1], [2, 3]]


def test_unrelated_article_leaves_other_story_ids_alone() -> None:
    articles = [a for a, _ in _ecb_articles({1})]
    index = StoryIndex()
    index.add(articles)
    before = dict(index.stories())
    moved = index.add([_quake("q", 2009, "Sumatra", "7.6", 1100, 0)])
    assert moved == {"q": index.story_of("q")}
    assert {k: v for k, v in index.stories() if k in before} == before


def test_component_features_are_the_pair_by_pair_features() -> None:
    """The sparse matrix products of a component give `pair_features`' numbers, pair by pair."""
    from newsfold.cluster.features import component_features, pair_features
    from newsfold.cluster.profile import Lexicon, profile_of
    from newsfold.settings import ClusterSettings

    settings = ClusterSettings()
    lexicon = Lexicon(settings)
    texts = [
        "Chile quake of March 3, 2010 kills 700 in Concepcion, President Michelle Bachelet says.",
        "Michelle Bachelet visits Concepcion after the 2010 quake; 700 dead, 2,000 homes lost.",
        "A 6.1 quake hit Papua on 4 January 2009; Jayapura hospitals treat 30 people.",
        "Wladimir Klitschko stops Tony Thompson in Bern on July 7, 2012 to keep his belts.",
    ]
    profiles = [profile_of(Article(str(n), None, (t,)), lexicon, settings) for n, t in enumerate(texts)]
    rows_i, rows_j, features = component_features(profiles, local=False)
    pairwise = [pair_features(profiles[i], profiles[j]) for i, j in zip(rows_i, rows_j, strict=True)]
    assert features.shape == (6, len(pairwise[0]))
    assert features[:, 0].max() > 0.1  # the two Chile reports share words: not a vacuous comparison
    assert np.array_equal(features, np.array(pairwise))  # bit for bit: both add in the keys' order


def test_a_stored_posting_longer_than_postings_scanned_gives_only_its_latest_holders() -> None:
    """A store may keep more of a key's holders than `postings_scanned` (one made with a larger bound):
    candidates come from the latest `postings_scanned` of each posting all the same."""
    from dataclasses import replace

    from newsfold.cluster.profile import profiles_of
    from newsfold.settings import ClusterSettings

    wide = ClusterSettings()
    articles = [Article(f"q{n}", "Quake hits Chile", ("A magnitude 8.8 quake hit Chile near Concepcion.",))
                for n in range(6)]
    profiles = profiles_of(articles, wide)
    index = StoryIndex(wide)
    index.add_profiles(profiles[:5])
    narrow = StoryIndex.from_state(index.to_state(), replace(wide, postings_scanned=2))
    assert max(len(v) for v in narrow.postings.values()) == 5  # the stored postings as they were
    assert sorted(narrow.candidates(profiles[5])) == [3, 4]
