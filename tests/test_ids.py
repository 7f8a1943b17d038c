"""ids: a recrawl, two folders with one file name, a repeated record: each input is its own article."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.engine.incremental import ingest_pages
from newsfold.models import Page
from newsfold.read import read, read_many, unique_ids
from newsfold.store import Store

runner = CliRunner()

BODY = (
    "The city council voted on Tuesday to close the old harbour bridge for repairs that engineers say will "
    "take two years. Commuters will be sent across the river on temporary ferries, the mayor said."
)
LATER = BODY + " On Wednesday the ferry operator said fares would be waived until the spring."


def _html(title: str, body: str) -> bytes:
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"
    return page.encode()


def _recrawl(tmp_path: Path, make_warc) -> Path:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        make_warc(
            [
                ("https://a.test/bridge", "text/html", _html("Bridge closes", BODY), "2023-09-14T08:00:00Z"),
                ("https://a.test/bridge", "text/html", _html("Bridge closes", LATER), "2023-09-15T09:30:00Z"),
            ]
        )
    )
    return path


def _two_folders(tmp_path: Path) -> list[Path]:
    folders = [tmp_path / "monday", tmp_path / "tuesday"]
    for folder, text in zip(folders, (BODY, LATER), strict=True):
        folder.mkdir()
        (folder / "page.txt").write_text("Menu\n" + text + "\n")
    return folders


def test_two_captures_of_one_url_are_two_pages_the_later_named_by_its_capture_time(
    tmp_path: Path, make_warc
) -> None:
    pages = read(_recrawl(tmp_path, make_warc))
    assert [p.id for p in pages] == ["https://a.test/bridge", "https://a.test/bridge@2023-09-15T09:30:00Z"]
    assert pages[1].url == "https://a.test/bridge" and pages[1].captured == "2023-09-15T09:30:00Z"


def test_the_same_file_name_under_two_folders_takes_the_later_folders_name(tmp_path: Path) -> None:
    pages, problems = read_many(_two_folders(tmp_path))
    assert problems == [] and [p.id for p in pages] == ["page.txt", "tuesday/page.txt"]


def test_two_single_files_of_one_name_are_told_apart_by_their_folder(tmp_path: Path) -> None:
    folders = _two_folders(tmp_path)
    pages, _ = read_many([f / "page.txt" for f in folders])
    assert [p.id for p in pages] == ["page.txt", "tuesday/page.txt"]


def test_a_repeated_jsonl_record_id_is_kept_under_a_suffix(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": "r1", "text": t}) + "\n" for t in (BODY, LATER)))
    pages, problems = read_many([feed])
    assert problems == [] and [(p.id, p.content) for p in pages] == [("r1", BODY), ("r1#2", LATER)]


def test_fold_and_story_of_a_recrawl_and_two_folders_finish_with_every_article(
    tmp_path: Path, make_warc
) -> None:
    inputs = [str(_recrawl(tmp_path, make_warc)), *map(str, _two_folders(tmp_path))]
    folded = runner.invoke(app, ["fold", *inputs, "--json", "--quiet"])
    assert folded.exit_code == 0, folded.output
    assert len(json.loads(folded.stdout)["articles"]) == 4
    story = runner.invoke(app, ["story", *inputs, "--json", "--quiet"])
    assert story.exit_code == 0, story.output
    assert len(json.loads(story.stdout)["articles"]) == 4


def test_a_later_capture_is_a_version_of_the_earlier_in_its_story(tmp_path: Path, make_warc) -> None:
    result = runner.invoke(app, ["story", str(_recrawl(tmp_path, make_warc)), "--json", "--quiet"])
    copies = json.loads(result.stdout)["copies"]
    assert {(c["article"], c["of"]) for c in copies} == {
        ("https://a.test/bridge@2023-09-15T09:30:00Z", "https://a.test/bridge")
    } or {(c["of"], c["article"]) for c in copies} == {
        ("https://a.test/bridge@2023-09-15T09:30:00Z", "https://a.test/bridge")
    }


def test_a_new_capture_of_a_stored_id_is_stored_beside_it_and_found_again(tmp_path: Path) -> None:
    first = Page(id="page.txt", kind="text", content="Menu\n" + BODY + "\n")
    second = Page(id="page.txt", kind="text", content="Menu\n" + LATER + "\n")
    recrawl = Page(id="https://a.test/b", kind="text", content=BODY, captured="2023-09-15T09:30:00Z")
    with Store(tmp_path / "db") as store:
        ingest_pages(store, [first, Page(id="https://a.test/b", kind="text", content=LATER)])
        report = ingest_pages(store, [second, recrawl])
        assert report.added == ["page.txt#2", "https://a.test/b@2023-09-15T09:30:00Z"]
        assert report.problems == []
        again = ingest_pages(store, [second, first, recrawl])
        assert again.added == [] and again.unchanged == [
            "page.txt#2",
            "page.txt",
            "https://a.test/b@2023-09-15T09:30:00Z",
        ]
        assert store.article("page.txt") is not None and store.article("page.txt#2") is not None


def test_ingest_of_a_recrawl_in_two_runs_gives_the_ids_of_one_run(tmp_path: Path, make_warc) -> None:
    whole = [p.id for p in read(_recrawl(tmp_path, make_warc))]
    with Store(tmp_path / "db") as store:
        pages = read(_recrawl(tmp_path, make_warc))
        ingest_pages(store, pages[:1])
        ingest_pages(store, [Page(**{**pages[1].__dict__, "id": pages[0].id})])  # read alone: its URL
        assert store.article_ids() == whole


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "a#2", "a@t"]), st.sampled_from([None, "t"]))))
def test_unique_ids_are_unique_and_each_keeps_its_id_or_a_suffixed_one(
    items: list[tuple[str, str | None]],
) -> None:
    pages = [Page(id=i, kind="text", content="x", captured=c) for i, c in items]
    ids = [p.id for p in unique_ids(pages)]
    assert len(set(ids)) == len(ids)
    for n, ((original, _), new) in enumerate(zip(items, ids, strict=True)):
        assert new == original or new.startswith((original + "@", original + "#"))
        assert (new == original) == (original not in ids[:n])
