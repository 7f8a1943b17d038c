"""engine.incremental: ingesting in chunks gives what a batch fold of the same articles gives."""

from __future__ import annotations

from pathlib import Path

from newsfold.engine.incremental import ingest_pages
from newsfold.engine.local import fold_pages
from newsfold.export import story_to_dict
from newsfold.models import Page
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
