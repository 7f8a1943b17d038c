"""engine.relink: threads relinked where an ingest reaches equal the threads of a batch fold."""

from __future__ import annotations

import functools
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.cluster.profile import profiles_of
from newsfold.cluster.threads import link_threads, story_facts
from newsfold.engine.incremental import ingest_articles
from newsfold.engine.local import fold_articles
from newsfold.engine.relink import relink
from newsfold.export import story_to_dict
from newsfold.models import Article, Page, Story
from newsfold.settings import EngineSettings, Settings, SyndicationSettings, ThreadSettings
from newsfold.store import Store

from ..test_threads import ARRIVAL, DEPARTURE, ELECTION, SUMMIT
from .test_incremental import CORPUS

# Loose bars, so the corpus's five stories make a thread of two, threads of one and related lists, and
# few stories per key, so keys cross `key_stories` as chunks arrive (they stop relating their holders).
LOOSE = Settings(
    engine=EngineSettings(workers=1),
    syndication=SyndicationSettings(max_sentence_fanout=3),
    threads=ThreadSettings(
        names_cosine=0.0, terms_cosine=0.15, names_covered=0.0, related_score=0.0, key_stories=2
    ),
)


@functools.cache
def _batch() -> dict[str, Any]:
    return {s.id: story_to_dict(s) for s in fold_articles(CORPUS, settings=LOOSE)}


def _ingest(path: Path, cuts: list[int], settings: Settings = LOOSE) -> dict[str, Any]:
    with Store(path, settings) as store:
        for start, end in zip([0, *cuts], [*cuts, len(CORPUS)], strict=True):
            chunk = CORPUS[start:end]
            if chunk:
                pages = [Page(id=a.id, kind="text", content="\n".join(a.paragraphs)) for a in chunk]
                ingest_articles(store, pages, chunk, settings=settings)
        return {s["id"]: s for s in store.stories()}


def test_the_corpus_makes_threads_related_stories_and_common_keys() -> None:
    stories = _batch()
    threads = Counter(s["thread"] for s in stories.values())
    assert max(threads.values()) >= 2 and len(threads) >= 3  # a thread of several stories, and others
    assert any(s["related"] for s in stories.values())
    folded = fold_articles(CORPUS, settings=LOOSE)
    profiles = {p.id: p for p in profiles_of(CORPUS, LOOSE.cluster)}
    held = Counter(
        key
        for n, s in enumerate(folded)
        for key in story_facts(s, n, [profiles[a] for a in s.articles], LOOSE).keys
    )
    assert max(held.values()) > LOOSE.threads.key_stories  # some key ends up relating nothing


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=len(CORPUS) - 1), max_size=6).map(sorted))
def test_any_chunking_of_an_ingest_gives_the_batch_threads(cuts: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stored = _ingest(Path(tmp) / "db", cuts)
    assert stored == _batch()


def test_one_article_at_a_time_gives_the_batch_threads(tmp_path: Path) -> None:
    assert _ingest(tmp_path / "db", list(range(1, len(CORPUS)))) == _batch()


def test_a_store_with_other_thread_settings_is_relinked_whole(tmp_path: Path) -> None:
    strict = Settings(
        engine=LOOSE.engine, syndication=LOOSE.syndication, threads=ThreadSettings(key_stories=2)
    )
    path = tmp_path / "db"
    _ingest(path, [], strict)  # everything, under other thread settings
    with Store(path, LOOSE) as store:  # one more article under the loose ones: every story relinked
        extra = CORPUS[-1]
        renamed = type(extra)("extra", extra.title, extra.paragraphs, published=extra.published)
        ingest_articles(store, [Page(id="extra", kind="text", content="-")], [renamed], settings=LOOSE)
        stored = {s["id"]: s for s in store.stories()}
    batch = {s.id: story_to_dict(s) for s in fold_articles([*CORPUS, renamed], settings=LOOSE)}
    assert stored == batch


def test_link_threads_compares_only_stories_sharing_a_key_few_stories_hold() -> None:
    folded = fold_articles(CORPUS, settings=LOOSE)
    none_usable = ThreadSettings(
        names_cosine=0.0, terms_cosine=0.0, names_covered=0.0, related_score=0.0, key_stories=0
    )
    threads = link_threads(folded, CORPUS, none_usable, LOOSE.cluster)
    assert len(threads) == len(folded) and not any(r for t in threads for r in t.related)


# -- relink on its own: stories added, then two merged, one ingest at a time ---------------------------

def _saga_stories() -> tuple[list[Story], list[Article]]:
    """The saga of tests/test_threads.py (three stories days apart), an election, and two stories of each
    article's copy under another date (so keys are shared by more stories than `key_stories`)."""
    articles = [DEPARTURE, ARRIVAL, SUMMIT, ELECTION]
    copies = [replace(a, id=f"{a.id}-later") for a in articles]
    dates = ["2023-09-11", "2023-09-12", "2023-09-13", "2023-09-12"]
    later = ["2023-10-01", "2023-10-02", "2023-10-03", "2023-09-20"]
    everything = articles + copies
    return [
        Story(f"s-{a.id}", a.title, (a.id,), event_date=d)
        for a, d in zip(everything, dates + later, strict=True)
    ], everything


RELINK = Settings(threads=ThreadSettings(related_score=0.0, key_stories=3))


def _stored_threads(store: Store, ids: list[str]) -> dict[str, tuple[str, list[str]]]:
    return {s: (thread, related) for s, (_, _, thread, related) in store.thread_rows(ids).items()}


def _batch_threads(stories: list[Story], articles: list[Article]) -> dict[str, tuple[str, list[str]]]:
    threads = link_threads(stories, articles, RELINK.threads, RELINK.cluster)
    return {
        s: (t.id, [r.story for r in related])
        for t in threads
        for s, related in zip(t.stories, t.related, strict=True)
    }


def test_relinking_story_by_story_then_a_merge_gives_the_batch_threads(tmp_path: Path) -> None:
    stories, articles = _saga_stories()
    profiles = {p.id: p for p in profiles_of(articles, RELINK.cluster)}
    rank = {s.id: n for n, s in enumerate(stories)}
    with Store(tmp_path / "db", RELINK) as store, store.transaction():
        for n, story in enumerate(stories):
            done = relink(store, [story], rank, [], profiles.__getitem__, RELINK,
                          lambda n=n: [(s, rank[s.id]) for s in stories[: n + 1]])
            store.write_threads(done.update)
            assert _stored_threads(store, [s.id for s in stories[: n + 1]]) == _batch_threads(
                stories[: n + 1], articles
            )
        # The departure and its later copy become one story (as a late copy link would make them).
        merged = Story("s-merged", None, ("departure", "departure-later"), event_date="2023-09-11")
        now = [merged] + [s for s in stories if s.articles[0] not in merged.articles]
        rank["s-merged"] = 0
        done = relink(store, [merged], rank, ["s-departure", "s-departure-later"], profiles.__getitem__,
                      RELINK, lambda: [(s, rank[s.id]) for s in now])
        store.write_threads(done.update)
        assert _stored_threads(store, [s.id for s in now]) == _batch_threads(now, articles)
        assert store.thread_rows(["s-departure"]) == {}


def test_stories_sharing_fewer_keys_than_shared_keys_are_not_compared() -> None:
    stories, articles = _saga_stories()
    linked = link_threads(stories, articles, RELINK.threads, RELINK.cluster)
    assert any(len(t.stories) > 1 for t in linked)  # compared on one shared key, the saga is linked
    apart = ThreadSettings(related_score=0.0, key_stories=3, shared_keys=2 * ThreadSettings().index_keys + 1)
    threads = link_threads(stories, articles, apart, RELINK.cluster)
    assert len(threads) == len(stories) and not any(r for t in threads for r in t.related)
