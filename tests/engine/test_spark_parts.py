"""The Spark engine's pure parts, without a Spark session: Parquet input, the clustering's candidate
windows and the capped component replay, each against what the local code does."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from newsfold.cluster.index import StoryIndex, index_keys
from newsfold.cluster.profile import profiles_of
from newsfold.engine import spark_stories
from newsfold.engine.local import fold_paths
from newsfold.engine.spark_stories import _best, _capped_components, _edges, _windows
from newsfold.read import FetchedFile, InputFile, read_input, read_many
from newsfold.settings import ClusterSettings

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

QUAKE = "Quake hits the coast\nA strong quake hit the coast on Monday, officials said."
BRIDGE = "<html><body><p>The bridge reopens on Friday after two years of repairs.</p>"
RECORDS = [
    {
        "id": "a",
        "text": QUAKE,
        "html": None,
        "url": None,
        "title": "Quake hits the coast",
        "published": "2024-03-04",
        "source": "Coast News",
    },
    {
        "id": "b",
        "text": None,
        "html": BRIDGE,
        "url": "https://x.test/b",
        "title": None,
        "published": None,
        "source": None,
    },
]


def test_parquet_rows_read_as_the_same_jsonl_records_do(tmp_path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(RECORDS), tmp_path / "pages.parquet")
    (tmp_path / "pages.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    from_parquet, problems = read_many([tmp_path / "pages.parquet"])
    from_jsonl, _ = read_many([tmp_path / "pages.jsonl"])
    assert problems == []
    unplaced = [[replace(p, source_path="") for p in pages] for pages in (from_parquet, from_jsonl)]
    assert unplaced[0] == unplaced[1]
    assert [p.kind for p in from_parquet] == ["text", "html"]


def test_a_parquet_row_without_text_is_one_problem_naming_the_row(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": "A strong quake hit the coast on Monday."}, {"id": "b", "text": " "}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "pages.parquet")
    pages, problems = read_many([tmp_path / "pages.parquet"])
    assert [p.id for p in pages] == ["a"]
    assert [(p.path.endswith("pages.parquet:row 2"), p.reason) for p in problems] == [
        (True, 'record has neither "text" nor "html"')
    ]


def test_a_parquet_file_without_an_id_column_is_rejected(tmp_path: Path) -> None:
    pq.write_table(pa.Table.from_pylist([{"text": "A strong quake hit the coast."}]), tmp_path / "x.parquet")
    pages, problems = read_many([tmp_path / "x.parquet"])
    assert pages == [] and [p.reason for p in problems] == ['Parquet file has no "id" column']


def test_load_names_a_local_folds_folder_and_says_to_ingest_instead(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsfold.cli import app

    (tmp_path / "articles.jsonl").write_text("", encoding="utf-8")  # what `fold --out` writes locally
    result = CliRunner().invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    advice = "a local fold's folder (no pages to store): `newsfold ingest` its inputs instead"
    assert result.exit_code == 2 and result.stderr.strip().splitlines() == [f"newsfold: {tmp_path}: {advice}"]
    assert not (tmp_path / "x.db").exists()


def test_candidate_windows_give_the_story_index_candidates(seeds_dir: Path) -> None:
    # Two postings scanned a key and three candidates kept: the windows and ties are exercised.
    settings = ClusterSettings(postings_scanned=2, candidates=3)
    profiles = profiles_of(fold_paths([seeds_dir]).articles * 3, settings)
    profiles = [replace(p, id=f"{p.id}#{n}") for n, p in enumerate(profiles)]
    index = StoryIndex(settings)
    expected = []
    for profile in profiles:
        expected.append(sorted(index.candidates(profile)))
        index.add_profiles([profile])
    windows: dict[int, list[list[int]]] = {n: [] for n in range(len(profiles))}
    postings: dict[str, list[int]] = {}
    for n, profile in enumerate(profiles):
        for key in index_keys(profile, settings):
            postings.setdefault(key, []).append(n)
    for holders in postings.values():
        for position, window in _windows(holders, settings.postings_scanned):
            windows[position].append(window)
    assert any(expected)
    assert [sorted(_best(windows[n], settings.candidates)) for n in range(len(profiles))] == expected


def test_edges_scored_in_small_batches_equal_one_batch(seeds_dir: Path, monkeypatch) -> None:
    # A partition's candidate pairs are scored a batch at a time (never all held): batches of 3 rows,
    # which split an article's candidates across batches, give the edges of one batch.
    settings = ClusterSettings(edge_probability=0.0)
    profiles = profiles_of(fold_paths([seeds_dir]).articles, settings)
    rows = [(a, ((b, profiles[b]), profiles[a])) for a in range(len(profiles)) for b in range(a)]
    whole = list(_edges(rows, settings))
    monkeypatch.setattr(spark_stories, "_SCORED_BATCH", 3)
    assert len(rows) > 3 and whole
    assert list(_edges(rows, settings)) == whole


@pytest.mark.parametrize("shared_keys", [1, 2])
def test_key_buckets_score_each_pair_of_thread_pairs_once(shared_keys: int) -> None:
    """Every story's facts in the bucket of each usable key: the pairs found are `thread_pairs`'s, a pair
    sharing several keys scored in one bucket only."""
    from collections import Counter

    from newsfold.cluster.threads import story_facts, thread_pairs
    from newsfold.engine.spark_threads import _bucket_pairs, _usable
    from newsfold.models import Story
    from newsfold.settings import Settings, ThreadSettings

    from ..test_threads import ARTICLES

    # Every article twice as its own story, low bars and four stories a key: pairs share one key or
    # several, and some keys are held past the cap.
    articles = ARTICLES + [replace(a, id=f"{a.id}-again") for a in ARTICLES]
    threads = ThreadSettings(names_cosine=0.0, terms_cosine=0.0, names_covered=0.0, related_score=0.0)
    settings = Settings(threads=replace(threads, key_stories=4, shared_keys=shared_keys))
    profiles = profiles_of(articles, settings.cluster)
    facts = [story_facts(Story(f"s-{p.id}", None, (p.id,)), n, [p], settings) for n, p in enumerate(profiles)]
    holders: dict[str, list[int]] = {}
    for f in facts:
        for key in f.keys:
            holders.setdefault(key, []).append(f.rank)
    usable: dict[int, set[str]] = {f.rank: set() for f in facts}
    for key, ranks in holders.items():
        for rank, usable_key in _usable(key, ranks, settings.threads.key_stories):
            usable[rank].add(usable_key)
    found = [
        pair
        for key in holders
        for _, _, pair in _bucket_pairs(
            key, [(f, frozenset(usable[f.rank])) for f in facts if key in usable[f.rank]], settings.threads
        )
    ]
    assert max(len(ranks) for ranks in holders.values()) > settings.threads.key_stories
    shared = Counter(len(usable[a.rank] & usable[b.rank]) for a in facts for b in facts if a.rank < b.rank)
    assert shared[1] and max(shared) > 1
    assert found and sorted(found, key=lambda p: (p.a, p.b)) == sorted(
        thread_pairs(facts, settings.threads), key=lambda p: (p.a, p.b)
    )


def test_capped_components_refuse_a_join_past_the_cap_but_never_a_must_link() -> None:
    chain = [(1, 0, 0), (2, 0, 1), (3, 0, 2), (4, 0, 3)]  # (position, rank, earlier article)
    assert sorted(_capped_components([0, 1, 2, 3, 4], chain, [], cap=3)) == [[0, 1, 2], [3, 4]]
    # Article 3's must-link to 0 (one origin group) joins after its refused edge, whatever the size.
    assert sorted(_capped_components([0, 1, 2, 3, 4], chain, [(3, 0)], cap=3)) == [[0, 1, 2, 3], [4]]
    assert _capped_components([0, 1, 2], chain[:2], [], cap=3) == [[0, 1, 2]]


def test_only_pages_a_rename_can_reach_leave_the_executors_and_they_get_the_local_names() -> None:
    from collections import Counter
    from random import Random

    from newsfold.engine.spark import _named_after, _renames, clashing
    from newsfold.models import Page
    from newsfold.read import unique_ids

    rng = Random(1)
    for _ in range(300):  # ids that repeat, and ids a rename takes ("a#2", "a@x"), in any order
        names = ["a", "b", "a#2", "a@x", "a#2#2", "c", "a#3", "b#2"]
        ids = [rng.choice(names) for _ in range(rng.randint(1, 9))]
        captured = [rng.choice([None, "x"]) for _ in ids]
        listed = [((k, 0), i, c) for k, (i, c) in enumerate(zip(ids, captured, strict=True))]
        chosen = clashing(
            {i for i, n in Counter(ids).items() if n > 1},
            lambda prefixes, listed=listed: [row for row in listed if _named_after(row[1], prefixes)],
        )
        renames = _renames(chosen)
        pages = (Page(i, "text", "", captured=c) for i, c in zip(ids, captured, strict=True))
        assert [renames.get(order, i) for order, i, _ in listed] == [p.id for p in unique_ids(pages)]
        assert all(i in {row[1] for row in chosen} for i in ids if ids.count(i) > 1)


def test_a_fetched_file_reads_as_the_local_file_of_the_same_bytes(tmp_path: Path, make_warc) -> None:
    """What Spark fetches from a URI goes through the same readers: every format, the same pages."""
    import gzip

    pq.write_table(pa.Table.from_pylist(RECORDS), tmp_path / "pages.parquet")
    jsonl = "".join(json.dumps(r) + "\n" for r in RECORDS)
    (tmp_path / "pages.jsonl.gz").write_bytes(gzip.compress(jsonl.encode()))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(BRIDGE.encode()))
    (tmp_path / "page.txt").write_text(QUAKE, encoding="utf-8")
    (tmp_path / "crawl.warc.gz").write_bytes(make_warc([("https://x.test/b", "text/html", BRIDGE.encode())]))
    (tmp_path / "empty.txt").write_bytes(b"")
    for path in sorted(tmp_path.iterdir()):
        fetched = FetchedFile(f"hdfs://nn/crawl/{path.name}", path.read_bytes())
        assert _read_back(fetched) == _read_back(path) != [], path.name


def _read_back(file: InputFile) -> list[object]:
    """The pages (without their source path) and problem reasons of one input, in order."""
    out: list[object] = []
    for page in read_input(file, file.name, on_problem=lambda e: out.append(e.reason)):
        out.append(replace(page, source_path=""))
    return out


def test_capped_components_refuse_a_must_link_past_the_linked_cap() -> None:
    chain = [(1, 0, 0), (2, 0, 1), (3, 0, 2), (4, 0, 3)]  # (position, rank, earlier article)
    found = _capped_components([0, 1, 2, 3, 4], chain, [(3, 0)], cap=3, linked_cap=3)
    assert sorted(found) == [[0, 1, 2], [3, 4]]
