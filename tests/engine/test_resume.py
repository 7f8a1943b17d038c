"""A fold with --out stopped in any stage and resumed gives the files of an uninterrupted fold."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfold.cli import app
from newsfold.engine.local import fold_paths
from newsfold.engine.spill import STATE_FILE
from newsfold.errors import InputError
from newsfold.settings import EngineSettings, Settings

OUTPUTS = ("articles.jsonl", "stories.jsonl", "problems.jsonl", "articles.parquet", "stories.parquet")


class _Stop(Exception):
    """Raised from the progress hook: the fold stops there, as if killed."""


@pytest.fixture(scope="module")
def corpus(corpus: Path) -> Path:
    """The engine tests' corpus (conftest.py) and one bad input, a problem recorded like the articles."""
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    return corpus


def _settings(workers: int = 1) -> Settings:
    # Every article on disk (the state records nothing for a fold held in memory), pages cleaned 8 at a
    # time (several chunks), pools even for a few stories.
    engine = EngineSettings(workers=workers, hold_articles=0, clean_chunk_pages=8, min_stories_for_pool=1)
    return replace(Settings(), engine=engine)


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS if (out / name).exists()}


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("whole")
    fold_paths([corpus], settings=_settings(), out=out, keep=False)
    files = _files(out)
    assert {"articles.jsonl", "stories.jsonl"} <= set(files) and files["stories.jsonl"].count(b"\n") > 3
    return files


def _stopper(stage: str, when: int):
    """A progress hook that raises `_Stop` the `when`-th time `stage` reports being done with a part."""
    seen = {"count": 0}

    def progress(name: str, done: int, total: int) -> None:
        if name == stage and done == total if stage != "write" else name == stage and done > 0:
            seen["count"] += 1
            if seen["count"] == when:
                raise _Stop(stage)

    return progress


def _stopped(corpus: Path, out: Path, stage: str, when: int = 1, workers: int = 1) -> None:
    with pytest.raises(_Stop):
        fold_paths([corpus], settings=_settings(workers), out=out, keep=False, progress=_stopper(stage, when))
    assert (out / STATE_FILE).exists()


@pytest.mark.parametrize(
    ("stage", "when"),
    [("clean", 2), ("copies", 1), ("stories", 1), ("write", 3), ("threads", 1)],
)
def test_a_fold_stopped_in_a_stage_resumes_to_the_same_files(
    corpus: Path, tmp_path: Path, uninterrupted: dict[str, bytes], stage: str, when: int
) -> None:
    _stopped(corpus, tmp_path, stage, when)
    fold_paths([corpus], settings=_settings(), out=tmp_path, keep=False, resume=True)
    assert _files(tmp_path) == uninterrupted
    assert not (tmp_path / STATE_FILE).exists()  # deleted when the fold ends


def test_a_fold_stopped_while_writing_resumes_with_workers(
    corpus: Path, tmp_path: Path, uninterrupted: dict[str, bytes]
) -> None:
    _stopped(corpus, tmp_path, "write", 2, workers=2)
    fold_paths([corpus], settings=_settings(2), out=tmp_path, keep=False, resume=True)
    assert _files(tmp_path) == uninterrupted


def test_a_fold_stopped_while_writing_its_files_resumes(
    corpus: Path, tmp_path: Path, uninterrupted: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfold.export import FoldWriter

    def stop(self: FoldWriter, stories: object) -> None:
        raise _Stop("out")

    with monkeypatch.context() as patched:
        patched.setattr(FoldWriter, "add_stories", stop)
        with pytest.raises(_Stop):
            fold_paths([corpus], settings=_settings(), out=tmp_path, keep=False)
    fold_paths([corpus], settings=_settings(), out=tmp_path, keep=False, resume=True)
    assert _files(tmp_path) == uninterrupted


def test_a_resumed_fold_does_not_redo_what_was_recorded(corpus: Path, tmp_path: Path) -> None:
    _stopped(corpus, tmp_path, "stories")
    stages: set[str] = set()
    result = fold_paths(
        [corpus],
        settings=_settings(),
        out=tmp_path,
        keep=False,
        resume=True,
        progress=lambda stage, done, total: stages.add(stage),
    )
    assert "clean" not in stages and "write" in stages
    assert result.timings["clean"] > 0  # the first run's seconds, summed in


def test_a_fold_killed_by_sigkill_resumes(
    corpus: Path, tmp_path: Path, uninterrupted: dict[str, bytes]
) -> None:
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from dataclasses import replace\n"
        "from newsfold.engine.local import fold_paths\n"
        "from newsfold.settings import EngineSettings, Settings\n"
        "engine = EngineSettings(workers=1, hold_articles=0, clean_chunk_pages=8, min_stories_for_pool=1)\n"
        "def kill(stage, done, total):\n"
        "    if stage == 'write' and done == 2:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "fold_paths([sys.argv[1]], settings=replace(Settings(), engine=engine), out=Path(sys.argv[2]),\n"
        "           keep=False, progress=kill)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run([sys.executable, "-c", script, str(corpus), str(tmp_path)], env=env, timeout=300)
    assert done.returncode == -signal.SIGKILL
    fold_paths([corpus], settings=_settings(), out=tmp_path, keep=False, resume=True)
    assert _files(tmp_path) == uninterrupted


def test_a_fold_without_resume_replaces_a_stopped_one(
    corpus: Path, tmp_path: Path, uninterrupted: dict[str, bytes]
) -> None:
    _stopped(corpus, tmp_path, "copies")
    stages: set[str] = set()
    fold_paths(
        [corpus], settings=_settings(), out=tmp_path, keep=False, progress=lambda s, d, t: stages.add(s)
    )
    assert "clean" in stages and _files(tmp_path) == uninterrupted


def test_changed_inputs_are_refused(corpus: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(corpus, inputs)
    out = tmp_path / "out"
    _stopped(inputs, out, "copies")
    (inputs / "late.txt").write_text("A page that came after the fold stopped.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot resume: input .* changed") as refused:
        fold_paths([inputs], settings=_settings(), out=out, keep=False, resume=True)
    assert str(out) in str(refused.value) and "\n" not in str(refused.value)


def test_changed_settings_are_refused_but_not_the_worker_count(corpus: Path, tmp_path: Path) -> None:
    _stopped(corpus, tmp_path, "copies")
    other = replace(_settings(), story=replace(Settings().story, summary_words=30))
    with pytest.raises(InputError, match=r"settings differ: story.summary_words"):
        fold_paths([corpus], settings=other, out=tmp_path, keep=False, resume=True)
    fold_paths([corpus], settings=_settings(2), out=tmp_path, keep=False, resume=True)


def test_a_corrupt_state_is_one_line_from_the_command(corpus: Path, tmp_path: Path) -> None:
    _stopped(corpus, tmp_path, "copies")
    for name in (STATE_FILE + "-wal", STATE_FILE + "-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    (tmp_path / STATE_FILE).write_bytes(b"not a database, " * 400)
    done = CliRunner().invoke(app, ["fold", str(corpus), "--out", str(tmp_path), "--resume", "--quiet"])
    assert done.exit_code == 2 and done.exception is not None and isinstance(done.exception, SystemExit)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and STATE_FILE in lines[0] and "without --resume" in lines[0]


def test_keep_state_keeps_the_state_of_a_finished_fold(corpus: Path, tmp_path: Path) -> None:
    fold_paths([corpus], settings=_settings(), out=tmp_path, keep=False, keep_state=True)
    assert (tmp_path / STATE_FILE).exists()


def test_resume_needs_an_out_folder(corpus: Path) -> None:
    done = CliRunner().invoke(app, ["fold", str(corpus), "--resume", "--quiet"])
    assert done.exit_code == 2 and "--out" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_packed_profiles_carry_over_record_for_record() -> None:
    from newsfold.cluster.packed import PackedProfiles
    from newsfold.cluster.profile import Profile

    made = PackedProfiles(hold_bytes=0)  # on disk, as a big fold's are
    made.append(
        Profile("a", {"quake": 1.5, "chile": 0.5}, {"Bachelet": 2.0}, {2010: 3}, frozenset(), frozenset(), 9)
    )
    made.append(Profile("b", {"vote": 1.0}, {}, {}, frozenset({"2010-02-27"}), frozenset({"700"}), 4))
    copied = PackedProfiles()
    for n, ident in enumerate(made.ids):
        copied.append_packed(ident, made.record(n))
    assert list(copied) == list(made) and copied.ids == ["a", "b"]
    made.close()


_KILLED_FOLD = """
import sys
from dataclasses import replace
from pathlib import Path
from newsfold.engine.local import fold_paths
from newsfold.settings import EngineSettings, Settings
engine = EngineSettings(workers=1, hold_articles=0, clean_chunk_pages=8, min_stories_for_pool=1)
fold_paths([sys.argv[1]], settings=replace(Settings(), engine=engine), out=Path(sys.argv[2]), keep=False,
           resume=True)
"""


@pytest.mark.slow
def test_a_fold_killed_at_any_moment_resumes_to_the_same_files(
    corpus: Path, tmp_path: Path, uninterrupted: dict[str, bytes]
) -> None:
    # Each run resumes the one before and is killed (SIGKILL) wherever it is (a commit, a file half
    # written), until one finishes: its files are an uninterrupted fold's. The kills are spread between
    # the time a process takes to start and the time a whole fold takes, both measured here.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    command = [sys.executable, "-c", _KILLED_FOLD, str(corpus)]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import newsfold.engine.local"], env=env, check=True)
    start = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([*command, str(tmp_path / "whole")], env=env, check=True)
    whole = time.perf_counter() - started
    out = tmp_path / "killed"
    recorded = 0
    for delay in [start + (whole - start) * k / 8 for k in range(1, 8)] + [None]:
        with subprocess.Popen([*command, str(out)], env=env, stderr=subprocess.PIPE, text=True) as fold:
            try:
                _, errors = fold.communicate(timeout=delay)
            except subprocess.TimeoutExpired:
                fold.kill()
                fold.communicate()
                recorded += (out / STATE_FILE).exists()
                continue
        assert fold.returncode == 0 and "Traceback" not in errors, errors
        break
    assert recorded > 0  # some kill came after the state began
    assert _files(out) == uninterrupted and not (out / STATE_FILE).exists()
