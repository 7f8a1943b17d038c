"""engine.spark: the same fold as the local engine, with reading and cleaning on Spark executors."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from newsfold.engine.local import fold_paths
from newsfold.export import fold_to_dict

pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers need the interpreter with newsfold
    session = (
        SparkSession.builder.master("local[2]")
        .appName("newsfold-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_fold_equals_the_local_fold(spark, seeds_dir: Path, tmp_path: Path) -> None:
    from newsfold.engine.spark import fold_spark

    (tmp_path / "empty.txt").write_bytes(b"")
    local = fold_paths([seeds_dir, tmp_path / "empty.txt"])
    distributed = fold_spark([seeds_dir, tmp_path / "empty.txt"], spark=spark, partitions=3)
    assert fold_to_dict(distributed) == fold_to_dict(local)
    assert [p.reason for p in distributed.problems] == ["empty file"]


def test_spark_gives_repeated_ids_the_names_a_local_read_gives(spark, tmp_path: Path, make_warc) -> None:
    from newsfold.engine.spark import fold_spark

    page = b"<html><body><p>The harbour bridge closes on Monday for two years of repairs, the council said."
    for name in ("a", "b"):
        (tmp_path / f"{name}.warc.gz").write_bytes(
            make_warc([("https://x.test/1", "text/html", page + name.encode(), f"2023-09-1{len(name)}")])
        )
    local = fold_paths([tmp_path])
    distributed = fold_spark([tmp_path], spark=spark, partitions=2)
    assert [a.id for a in distributed.articles] == [a.id for a in local.articles] == [
        "https://x.test/1",
        "https://x.test/1@2023-09-11",
    ]
