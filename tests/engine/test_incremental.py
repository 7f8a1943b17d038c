"""engine.incremental: ingesting in chunks gives what a batch fold of the same articles gives."""

from __future__ import annotations

from pathlib import Path

from newsfold.engine.incremental import ingest_pages
from newsfold.engine.local import fold_pages
from newsfold.export import story_to_dict
from newsfold.read import read
from newsfold.store import Store


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
