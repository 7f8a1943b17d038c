"""engine.incremental: ingesting in chunks gives what a batch fold of the same articles gives."""

from __future__ import annotations

import functools
import json
import random
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.cluster import StoryIndex
from newsfold.engine.incremental import ingest_articles, ingest_pages
from newsfold.engine.local import fold_articles, fold_pages
from newsfold.export import story_to_dict
from newsfold.models import Article, Page
from newsfold.read import read
from newsfold.settings import Settings, SyndicationSettings
from newsfold.store import SCHEMA_VERSION, Store
from newsfold.syndication import find_origins


def test_chunked_ingest_matches_the_batch_fold(tmp_path: Path, seeds_dir: Path) -> None:
    pages = read(seeds_dir)
    batch = fold_pages(pages)
    with Store(tmp_path / "db") as store:
        for chunk in (pages[:2], pages[2:3], pages[3:]):
            ingest_pages(store, chunk)
        stored = {s["id"]: s for s in store.stories()}
    assert stored == {s.id: story_to_dict(s) for s in batch.stories}


def test_a_new_article_only_touches_its_own_story(tmp_path: Path, seeds_dir: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "quake.txt").write_text(
        "A magnitude 6.1 earthquake struck off the coast of Chile on Friday, shaking buildings in Santiago "
        "and cutting power to thousands of homes, the national seismological office said.\n"
        "No deaths were reported, and the navy said there was no risk of a tsunami along the coast.\n"
    )
    with Store(tmp_path / "db") as store:
        ingest_pages(store, read(seeds_dir))
        before = {s["id"]: s for s in store.stories()}
        report = ingest_pages(store, read(other))
        after = {s["id"]: s for s in store.stories()}
    assert report.added == ["quake.txt"] and len(report.stories_touched) == 1
    assert {k: v for k, v in after.items() if k in before} == before


PROMO = (
    "Support our independent newsroom today: every reader who gives keeps this reporting free for all of us."
)
STORIES = [
    [
        "The city council voted on Tuesday to close the old harbour bridge for repairs that engineers say "
        "will take two years.",
        "Commuters will be sent across the river on temporary ferries, the mayor said, and fares will be "
        "waived until spring.",
    ],
    [
        "A farmer in the northern valley found a hoard of Roman coins while ploughing a field after last "
        "week's heavy rain.",
        "Archaeologists from the regional museum said the coins were buried around the year 270 and had "
        "been kept in a clay jar.",
    ],
    [
        "The national football team named a new coach on Friday, ending a search that began after the World "
        "Cup exit in June.",
        "The coach, who led the under-21 side to a European title, signed a contract that runs until the "
        "next tournament.",
    ],
]


def test_pages_ingested_one_by_one_are_cleaned_with_the_stored_pages_of_their_site(tmp_path: Path) -> None:
    pages = [
        Page(
            id=f"s{n}.txt",
            kind="text",
            content="\n".join([first, PROMO, *rest]),
            url=f"https://news.example/{n}",
        )
        for n, (first, *rest) in enumerate(STORIES)
    ]
    batch = {a.id: a for a in fold_pages(pages).articles}
    assert not any(PROMO in a.text for a in batch.values())  # the site's boilerplate, seen on 3 pages
    with Store(tmp_path / "db") as store:
        for page in pages:
            ingest_pages(store, [page])
        stored = {a.id: a for a in store.articles()}
    # The first page had no other page to compare with; the later ones are cleaned as in the batch.
    assert PROMO in stored["s0.txt"].text
    assert stored["s1.txt"] == batch["s1.txt"] and stored["s2.txt"] == batch["s2.txt"]


# -- incremental copy detection equals the batch fold ------------------------------------------------------

TOPICS = [
    ("harbour bridge council ferry repairs engineers commuters river mayor fares", "Harbourtown"),
    ("roman coins hoard farmer field museum archaeologists jar ploughing valley", "Northvale"),
    ("football coach team contract tournament squad federation search title", "Westport"),
    ("wildfire evacuation firefighters hills winds residents homes smoke crews", "Dry Creek"),
    ("election ballots turnout candidates polling stations count results parties", "Lakeside"),
]
# Few articles per sentence make boilerplate here: a sentence printed by a 4th article stops relating them,
# so chunkings cross that line at different times (the case where incremental work could go stale).
SMALL_FANOUT = Settings(syndication=SyndicationSettings(max_sentence_fanout=3))


def _corpus() -> list[Article]:
    """Reports of five events, each some copies, excerpts and versions of another, a shared footer sentence
    (boilerplate once a 4th article prints it), a shared site-name headline, and a page of nothing but
    that footer."""
    rng = random.Random(11)
    footer = "Follow our newsroom on every channel for the latest updates from the whole region today."
    articles: list[Article] = []
    bases: list[Article] = []
    for n in range(24):
        words, place = TOPICS[n % len(TOPICS)]
        vocabulary = words.split()
        if bases and rng.random() < 0.45:
            base = rng.choice(bases)
            paragraphs = list(base.paragraphs)
            kind = rng.choice(["copy", "excerpt", "version"])
            if kind == "excerpt":
                paragraphs = paragraphs[:1]
            elif kind == "version":
                paragraphs[-1] = paragraphs[-1].replace("said", "added")
                paragraphs.append(
                    f"Officials in {place} said the {' '.join(vocabulary[:4])} review would go on."
                )
            title = base.title
        else:
            paragraphs = [
                f"In {place} the {' '.join(rng.sample(vocabulary, 5))} story {n} went on, officials said."
                for _ in range(3)
            ]
            title = f"{place} {' '.join(rng.sample(vocabulary, 5))} {n}"
        if rng.random() < 0.3:
            paragraphs.append(footer)
        if rng.random() < 0.15:
            title = "Daily Regional Newsroom Morning Briefing Edition"
        article = Article(f"a{n:02d}", title, tuple(paragraphs), published=f"2024-05-{1 + n % 9:02d}")
        articles.append(article)
        if title and not title.startswith("Daily"):
            bases.append(article)
    articles.insert(20, Article("footer-only", None, (footer,)))
    return articles


CORPUS = _corpus()


@functools.cache
def _batch() -> tuple[dict[str, Any], list[tuple[str, ...]], tuple[Any, ...]]:
    groups = find_origins(CORPUS, SMALL_FANOUT.syndication)
    index = StoryIndex(SMALL_FANOUT.cluster)
    index.add(CORPUS, groups)
    stories = {s.id: story_to_dict(s) for s in fold_articles(CORPUS, settings=SMALL_FANOUT)}
    return stories, sorted({g.members for g in groups}), _index_view(index.to_state())


def _ingest_in_chunks(
    path: Path, cuts: list[int]
) -> tuple[dict[str, Any], list[tuple[str, ...]], tuple[Any, ...]]:
    with Store(path, SMALL_FANOUT) as store:
        for start, end in zip([0, *cuts], [*cuts, len(CORPUS)], strict=True):
            chunk = CORPUS[start:end]
            if chunk:
                pages = [Page(id=a.id, kind="text", content="\n".join(a.paragraphs)) for a in chunk]
                ingest_articles(store, pages, chunk, settings=SMALL_FANOUT)
        stories = {s["id"]: s for s in store.stories()}
        groups = store.origin_groups_of(store.article_ids())
        state = store.get_state("cluster_state")
    return stories, sorted({g.members for g in groups.values()}), _index_view(state)


def test_the_corpus_has_what_the_chunked_test_needs() -> None:
    groups = find_origins(CORPUS, SMALL_FANOUT.syndication)
    assert sum(len(g.members) > 1 for g in groups) >= 4  # copy families
    assert any(len(g.members) == 1 for g in groups)  # articles copying nothing
    footer = sum(any(p.startswith("Follow our newsroom") for p in a.paragraphs) for a in CORPUS)
    assert footer > SMALL_FANOUT.syndication.max_sentence_fanout  # boilerplate in the end, not at first


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=len(CORPUS) - 1), max_size=6).map(sorted))
def test_any_chunking_of_an_ingest_gives_the_batch_fold(cuts: list[int]) -> None:
    batch_stories, batch_groups, batch_index = _batch()
    with tempfile.TemporaryDirectory() as tmp:
        stories, groups, index = _ingest_in_chunks(Path(tmp) / "db", cuts)
    assert groups == batch_groups
    assert stories == batch_stories
    assert index == batch_index


def _sentence(topic: str) -> str:
    return f"The {topic} was reported by several local witnesses early on Tuesday morning."


def _articles(spec: dict[str, list[str]]) -> list[Article]:
    return [Article(name, None, tuple(_sentence(t) for t in topics)) for name, topics in spec.items()]


def _index_view(state: dict[str, Any]) -> tuple[Any, ...]:
    """What a clustering state decides: components, stories, and the articles its must-links join."""
    root = list(range(len(state["stories"])))

    def find(x: int) -> int:
        while root[x] != x:
            x = root[x]
        return x

    for a, b in state["links"]:
        root[max(find(a), find(b))] = min(find(a), find(b))
    joined: dict[int, list[int]] = {}
    for x in range(len(root)):
        joined.setdefault(find(x), []).append(x)
    return state["components"], state["stories"], sorted(joined.values())


def _ingest_then_compare(first: list[Article], then: list[Article], settings: Settings = Settings()) -> None:
    groups = find_origins(first + then, settings.syndication)
    batch_index = StoryIndex(settings.cluster)
    batch_index.add(first + then, groups)
    batch = {s.id: story_to_dict(s) for s in fold_articles(first + then, settings=settings)}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "db", settings) as store:
        for chunk in (first, then):
            pages = [Page(id=a.id, kind="text", content="\n".join(a.paragraphs)) for a in chunk]
            ingest_articles(store, pages, chunk, settings=settings)
        stored_groups = {g.members for g in store.origin_groups_of(store.article_ids()).values()}
        assert sorted(stored_groups) == sorted({g.members for g in groups})
        assert {s["id"]: s for s in store.stories()} == batch
        assert _index_view(store.get_state("cluster_state")) == _index_view(batch_index.to_state())
        assert list(store.cluster_profiles()) == batch_index.profiles_from(0)  # one row per article
        assert dict(store.cluster_postings()) == batch_index.postings  # one row per key


def test_a_late_story_page_turns_two_shared_sentences_into_teasers() -> None:
    # x and y share two sentences and look like copies, until the pages whose ledes they are arrive: then
    # both are teasers (held by third pages, not together). The page of the second one was stored before,
    # and reaches the new page only through x and y: the affected set must follow keys transitively.
    first = _articles(
        {
            "x": ["x city budget vote", "harbour bridge closure", "museum coin hoard"],
            "y": ["y football coach", "harbour bridge closure", "museum coin hoard"],
            "z": ["museum coin hoard", "z hoard jar", "z hoard field"],
            # A copy pair the new page does not reach: its must-link outlives the rebuild after the split.
            "u1": ["chess olympiad opening", "chess olympiad final"],
            "u2": ["chess olympiad opening", "chess olympiad final"],
        }
    )
    then = _articles({"n": ["harbour bridge closure", "n ferry fares", "n repair engineers"]})
    _ingest_then_compare(first, then)


def test_boilerplate_is_counted_over_the_whole_store() -> None:
    # The footer is boilerplate (5 pages print it, more than 3), so it weighs nothing: the new copy,
    # with one more sentence of its own, is the fuller member and represents the group. Counted over
    # the copy and its original alone, the footer would weigh and make the original the fuller one.
    small = Settings(syndication=SyndicationSettings(max_sentence_fanout=3))
    first = _articles(
        {
            **{f"other{k}": [f"unrelated event {k}", "newsroom footer notice"] for k in range(4)},
            "x": ["wildfire evacuation order", "wildfire crews arrive", "newsroom footer notice"],
        }
    )
    then = [
        Article(
            "n",
            None,
            (
                _sentence("wildfire evacuation order"),
                _sentence("wildfire crews arrive"),
                "Roads north of the town were closed by police overnight.",
            ),
        )
    ]
    _ingest_then_compare(first, then, small)


def test_a_story_is_rewritten_when_a_sentence_of_its_copies_becomes_boilerplate() -> None:
    # The 4th page printing the footer makes it boilerplate (more than 3): it stops weighing in x, so x2
    # becomes the fuller copy and represents the group, though the story gains no article.
    small = Settings(syndication=SyndicationSettings(max_sentence_fanout=3))
    wildfire = [_sentence("wildfire evacuation order"), _sentence("wildfire crews arrive")]
    footer = _sentence("newsroom footer notice")
    chess = [
        Article(
            f"chess{k}",
            None,
            (f"Grandmaster {name} won the chess olympiad in Oslo after {k + 9} rounds.", footer),
        )
        for k, name in enumerate(("Carlsen", "Nakamura", "Firouzja"))
    ]
    first = [
        Article("x", None, (*wildfire, footer)),
        Article("x2", None, (*wildfire, "Roads north of the town were closed by police overnight.")),
        *chess[:2],
    ]
    _ingest_then_compare(first, chess[2:], small)


def test_a_version_2_store_is_upgraded_and_ingests_as_a_batch_would(tmp_path: Path) -> None:
    first, then = CORPUS[:12], CORPUS[12:]
    path = tmp_path / "db"
    with Store(path, SMALL_FANOUT) as store:
        ingest_articles(
            store, [Page(id=a.id, kind="text", content="-") for a in first], first, settings=SMALL_FANOUT
        )
    db = sqlite3.connect(path)  # back to what version 2 had: no copy-detection tables
    for table in ("evidence", "boilerplate_only", "origin_members", "origin_groups"):
        db.execute(f"DROP TABLE {table}")
    db.execute("DELETE FROM meta WHERE key = 'origins_settings'")
    db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with Store(path, SMALL_FANOUT) as store:
        assert store.all_origin_groups() == []  # upgraded: the tables are there, derived at the next ingest
        ingest_articles(
            store, [Page(id=a.id, kind="text", content="-") for a in then], then, settings=SMALL_FANOUT
        )
        stories = {s["id"]: s for s in store.stories()}
        groups = sorted({g.members for g in store.origin_groups_of(store.article_ids()).values()})
        assert store.get_state("schema_version") == int(SCHEMA_VERSION)
    batch_stories, batch_groups, _ = _batch()
    assert groups == batch_groups and stories == batch_stories


def test_a_version_3_store_moves_its_postings_out_of_the_state(tmp_path: Path) -> None:
    first, then = CORPUS[:12], CORPUS[12:]
    path = tmp_path / "db"
    with Store(path, SMALL_FANOUT) as store:
        ingest_articles(store, _pages(first), first, settings=SMALL_FANOUT)
        postings = dict(store.cluster_postings())
    db = sqlite3.connect(path)  # back to what version 3 had: the postings inside the clustering state
    state = json.loads(db.execute("SELECT value FROM meta WHERE key = 'cluster_state'").fetchone()[0])
    state["postings"] = postings
    db.execute("UPDATE meta SET value = ? WHERE key = 'cluster_state'", (json.dumps(state),))
    db.execute("DROP TABLE cluster_postings")
    db.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with Store(path, SMALL_FANOUT) as store:
        ingest_articles(store, _pages(then), then, settings=SMALL_FANOUT)
        assert "postings" not in store.get_state("cluster_state")
        stored = dict(store.cluster_postings())
        stories = {s["id"]: s for s in store.stories()}
    batch = StoryIndex(SMALL_FANOUT.cluster)
    batch.add(CORPUS, find_origins(CORPUS, SMALL_FANOUT.syndication))
    assert stored == batch.postings and stories == _batch()[0]


def test_a_version_4_store_splits_its_articles_at_the_upgrade_and_ingests_as_a_batch_would(
    tmp_path: Path,
) -> None:
    from newsfold.syndication.evidence import split_for_evidence

    first, then = CORPUS[:12], CORPUS[12:]
    path = tmp_path / "db"
    with Store(path, SMALL_FANOUT) as store:
        ingest_articles(store, _pages(first), first, settings=SMALL_FANOUT)
        profiles = list(store.cluster_profiles())
    db = sqlite3.connect(path)  # back to what version 4 had: no split texts, profiles as JSON
    db.execute("DROP TABLE article_texts")
    db.executemany(
        "UPDATE cluster_profiles SET data = ? WHERE position = ?",
        [(json.dumps(p.to_state()), n) for n, p in enumerate(profiles)],
    )
    db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with Store(path, SMALL_FANOUT) as store:
        assert store.get_state("schema_version") == int(SCHEMA_VERSION)
        assert list(store.cluster_profiles()) == profiles
        kinds = store._db.execute("SELECT DISTINCT typeof(data) FROM cluster_profiles").fetchall()
        assert kinds == [("blob",)]  # packed at the upgrade
        texts = store.article_texts(a.id for a in first)
        # Split with the settings the store's evidence was derived with (the fanout of 3), not the defaults.
        assert texts == {a.id: split_for_evidence(a, SMALL_FANOUT.syndication) for a in first}
        ingest_articles(store, _pages(then), then, settings=SMALL_FANOUT)
        stories = {s["id"]: s for s in store.stories()}
        groups = sorted({g.members for g in store.origin_groups_of(store.article_ids()).values()})
    batch_stories, batch_groups, _ = _batch()
    assert groups == batch_groups and stories == batch_stories


@pytest.mark.parametrize("version", ["5", "6"])
def test_a_version_5_or_6_store_derives_its_copies_again_at_its_next_ingest(
    tmp_path: Path, version: str
) -> None:
    # Versions 5 and 6 split copy detection's sentences with former splitters: their split texts and
    # evidence are not what this newsfold derives, so the upgrade forgets the settings they came from.
    first, then = CORPUS[:12], CORPUS[12:]
    path = tmp_path / "db"
    with Store(path, SMALL_FANOUT) as store:
        ingest_articles(store, _pages(first), first, settings=SMALL_FANOUT)
        assert store.get_state("origins_settings") is not None
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    db.commit()
    db.close()
    with Store(path, SMALL_FANOUT) as store:
        assert store.get_state("schema_version") == int(SCHEMA_VERSION)
        assert store.get_state("origins_settings") is None
        ingest_articles(store, _pages(then), then, settings=SMALL_FANOUT)
        assert store.get_state("origins_settings") is not None
        stories = {s["id"]: s for s in store.stories()}
    assert stories == _batch()[0]


def test_a_stored_text_missing_or_unreadable_is_split_again_and_stored() -> None:
    from newsfold.syndication.evidence import split_for_evidence

    first, then, last = CORPUS[:12], CORPUS[12:20], CORPUS[20:]  # `then` reaches stored articles, no footer
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "db"
        with Store(path, SMALL_FANOUT) as store:
            ingest_articles(store, _pages(first), first, settings=SMALL_FANOUT)  # a whole-store run
            written = store.article_texts(a.id for a in first)
        assert written == {a.id: split_for_evidence(a, SMALL_FANOUT.syndication) for a in first}
        db = sqlite3.connect(path)
        first_rows = "SELECT rowid FROM article_texts ORDER BY rowid LIMIT 4"
        db.execute(f"DELETE FROM article_texts WHERE rowid IN ({first_rows})")
        db.execute(f"UPDATE article_texts SET data = x'00' WHERE rowid IN ({first_rows})")
        db.commit()
        db.close()
        with Store(path, SMALL_FANOUT) as store:
            assert len(store.article_texts(a.id for a in first)) == len(first) - 8
            ingest_articles(store, _pages(then), then, settings=SMALL_FANOUT)
            restored = store.article_texts(a.id for a in first)
            ingest_articles(store, _pages(last), last, settings=SMALL_FANOUT)
            stories = {s["id"]: s for s in store.stories()}
    assert len(restored) > len(first) - 8  # those the ingest reached are stored again
    assert stories == _batch()[0]


def test_ingests_reading_the_stored_word_list_match_the_batch_fold(tmp_path: Path) -> None:
    from dataclasses import replace

    from newsfold.settings import StoreSettings

    copying = replace(SMALL_FANOUT, store=StoreSettings(word_list_min_articles=0))  # no result changes
    with Store(tmp_path / "db", copying) as store:
        for chunk in (CORPUS[:12], CORPUS[12:16], CORPUS[16:]):
            ingest_articles(store, _pages(chunk), chunk, settings=copying)
        assert store.get_state("word_list_source")  # the copy was taken, and read by the later ingests
        stories = {s["id"]: s for s in store.stories()}
        state = store.get_state("cluster_state")
    batch_stories, _, batch_state = _batch()
    assert stories == batch_stories and _index_view(state) == batch_state


def _pages(articles: list[Article]) -> list[Page]:
    return [Page(id=a.id, kind="text", content="\n".join(a.paragraphs)) for a in articles]


def test_a_small_rewrite_is_written_in_this_process_and_a_large_one_by_the_workers() -> None:
    from newsfold.engine.incremental import _writing

    settings = Settings()
    limit = settings.store.ingest_pool_min_articles
    small = [["a"] * (limit // 2), ["b"] * (limit // 2 - 1)]
    large = [["a"] * (limit // 2), ["b"] * (limit - limit // 2)]
    assert _writing(settings, small).engine.workers == 1
    assert _writing(settings, large) == settings


def test_the_affected_set_is_what_the_new_page_reaches_through_rare_keys_and_no_more() -> None:
    # n shares a sentence with x alone; x shares another with y, which n does not print (reached through
    # x); u1 and u2 are copies of each other that share nothing with them. The batch-equality tests above
    # would pass with the whole store as the affected set: this one says it stays where n reaches.
    from collections import Counter

    from newsfold.engine.incremental import _affected, _Counts, _rows
    from newsfold.syndication.evidence import evidence_keys

    first = _articles(
        {
            "x": ["harbour bridge closure", "x city budget vote"],
            "y": ["y football coach", "x city budget vote", "y stadium roof"],
            "u1": ["chess olympiad opening", "chess olympiad final"],
            "u2": ["chess olympiad opening", "chess olympiad final"],
        }
    )
    new = _articles({"n": ["harbour bridge closure", "n ferry fares"]})
    settings = Settings().syndication
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "db") as store:
        ingest_articles(store, [Page(a.id, "text", "\n".join(a.paragraphs)) for a in first], first)
        rows = {a.id: _rows(evidence_keys(a, settings), settings) for a in new}
        fresh = Counter((kind, key) for r in rows.values() for kind, key, _ in r)
        reached = _affected(store, rows, _Counts(store, fresh), settings.max_sentence_fanout)
        assert sorted(reached) == ["x", "y"]
        assert reached["y"] == store.evidence_of(["y"])["y"]  # with the rows it holds
