"""Fixtures of the engine tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ECBPLUS = SHARED / "bench" / "ecbplus" / "dev.jsonl"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds and 24 ECB+ documents of 3 topics (several stories) as text dumps in one folder."""
    if not ECBPLUS.is_file():
        pytest.skip("../shared/bench/ecbplus is not beside the checkout")
    folder = tmp_path_factory.mktemp("corpus")
    for seed in seeds_dir.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    rows = [json.loads(line) for line in ECBPLUS.read_text(encoding="utf-8").splitlines()]
    topics = sorted({row["topic"] for row in rows})[:3]
    for row in [r for r in rows if r["topic"] in topics][:24]:
        (folder / f"ecb-{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    return folder
