"""FoldWriter: Parquet written a batch at a time, one schema for every batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfold import export
from newsfold.export import FoldWriter
from newsfold.models import Article


def test_batches_whose_fields_are_all_null_share_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(export, "PARQUET_BATCH_RECORDS", 2)
    untitled = [Article(f"a{k}", None, ("Body.",)) for k in range(4)]  # two batches of null titles
    titled = [Article("b", "A title", ("Body.",), authors=("Ann Lee",))]
    with FoldWriter(tmp_path) as writer:
        writer.add_articles(untitled)
        writer.add_articles(titled)
    records = [json.loads(line) for line in (tmp_path / "articles.jsonl").read_text().splitlines()]
    assert len(records) == 5 and pq.read_table(tmp_path / "articles.parquet").to_pylist() == records
