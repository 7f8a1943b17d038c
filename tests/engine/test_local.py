"""The local engine: the same output for any number of workers, any file order, and with --out."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from newsfold.engine.local import fold_paths
from newsfold.export import fold_to_dict
from newsfold.models import FoldResult
from newsfold.settings import EngineSettings, Settings


def _settings(workers: int) -> Settings:
    # Pools even for a few stories and articles, so that the test exercises them.
    return replace(
        Settings(), engine=EngineSettings(workers=workers, min_stories_for_pool=1, profile_chunk_articles=5)
    )


def _json(result: FoldResult) -> str:
    return json.dumps(fold_to_dict(result), ensure_ascii=False)


def test_any_number_of_workers_gives_the_same_output(corpus: Path) -> None:
    one = fold_paths([corpus], settings=_settings(1))
    two = fold_paths([corpus], settings=_settings(2))
    assert len(one.stories) > 3
    assert _json(one) == _json(two)


def test_articles_held_in_memory_or_spilled_to_disk_give_the_same_output(corpus: Path) -> None:
    on_disk = replace(Settings(), engine=EngineSettings(workers=1, hold_articles=0))
    held = replace(Settings(), engine=EngineSettings(workers=1, hold_articles=10**6))
    assert _json(fold_paths([corpus], settings=on_disk)) == _json(fold_paths([corpus], settings=held))


def test_file_order_within_a_folder_does_not_matter(corpus: Path, tmp_path: Path) -> None:
    # The same files written in the reverse order: the directory lists them in another order.
    reverse = tmp_path / "reverse"
    reverse.mkdir()
    for path in sorted(corpus.iterdir(), reverse=True):
        shutil.copy(path, reverse / path.name)
    assert _json(fold_paths([corpus], settings=_settings(1))) == _json(
        fold_paths([reverse], settings=_settings(1))
    )


def test_out_folder_holds_what_json_prints(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = fold_paths([corpus], settings=_settings(1), out=out)
    document = fold_to_dict(result)
    articles = [json.loads(line) for line in (out / "articles.jsonl").read_text().splitlines()]
    stories = [json.loads(line) for line in (out / "stories.jsonl").read_text().splitlines()]
    assert articles == document["articles"] and stories == document["stories"]


def test_chunked_cleaning_keeps_every_article(corpus: Path) -> None:
    small_chunks = replace(Settings(), engine=EngineSettings(workers=1, clean_chunk_pages=7))
    result = fold_paths([corpus], settings=small_chunks)
    assert len(result.articles) == len(list(corpus.iterdir()))
    assert sorted(i for s in result.stories for i in s.articles) == sorted(a.id for a in result.articles)


def test_stage_timings_are_reported(corpus: Path) -> None:
    result = fold_paths([corpus], settings=_settings(1))
    assert set(result.timings) == {"read", "clean", "spill", "copies", "stories", "write", "threads", "out"}


def test_a_fold_streamed_to_a_folder_writes_what_a_kept_fold_returns(corpus: Path, tmp_path: Path) -> None:
    kept = fold_paths([corpus], settings=_settings(2))
    streamed = fold_paths([corpus], settings=_settings(2), out=tmp_path / "out", keep=False)
    assert streamed.articles == [] and streamed.stories == []
    assert (streamed.article_count, streamed.story_count) == (len(kept.articles), len(kept.stories))
    stories = [json.loads(line) for line in (tmp_path / "out" / "stories.jsonl").read_text().splitlines()]
    assert stories == fold_to_dict(kept)["stories"]


def test_not_keeping_needs_a_folder(corpus: Path) -> None:
    with pytest.raises(ValueError, match="needs `out`"):
        fold_paths([corpus], keep=False)


def test_the_parquet_files_hold_the_json_lines_records(corpus: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out"
    fold_paths([corpus], settings=_settings(1), out=out, keep=False)
    for name in ("articles", "stories"):
        records = [json.loads(line) for line in (out / f"{name}.jsonl").read_text().splitlines()]
        assert pq.read_table(out / f"{name}.parquet").to_pylist() == records


def test_profile_tasks_hold_the_articles_opening_alike_together_each_once() -> None:
    from newsfold.engine.local import _by_first_line
    from newsfold.models import Article

    openings = ["Quake hits Chile.", "Rates rise.", "Quake hits Chile.", "Storm nears.", "Rates rise.", "x"]
    articles = [Article(f"a{k}", None, (line, f"Paragraph {k}.")) for k, line in enumerate(openings)]
    tasks = _by_first_line(articles, 2)
    assert sorted(k for task in tasks for k in task) == list(range(len(articles)))
    assert len(tasks) == 2 and all(task == sorted(task) for task in tasks)
    task_of = {k: t for t, task in enumerate(tasks) for k in task}
    assert task_of[0] == task_of[2] and task_of[1] == task_of[4]
