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
