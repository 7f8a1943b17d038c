"""cli: the commands, their JSON, exit statuses and one-line errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsfold import cli
from newsfold.cli import app
from newsfold.export import ARTICLE_KEYS, STORY_KEYS

runner = CliRunner()


def test_clean_json_prints_one_documented_record_per_page(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["clean", str(seeds_dir), "--json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"][:3] for r in records] == ["000", "001", "002", "003", "004"]
    assert all(tuple(r) == ARTICLE_KEYS for r in records)
    assert all(r["text"] and all({"line", "reason"} == set(x) for x in r["removed"]) for r in records)


def test_fold_json_has_articles_and_stories_with_origins(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["fold", str(seeds_dir), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1 and document["problems"] == []
    ids = {a["id"] for a in document["articles"]}
    for story in document["stories"]:
        assert tuple(story) == STORY_KEYS
        grouped = [i for group in story["origins"] for i in group]
        assert sorted(grouped) == sorted(story["articles"])  # every article in exactly one origin group
    assert {i for s in document["stories"] for i in s["articles"]} == ids


def test_fold_view_counts_and_flags(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["fold", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 articles, 1 story\n")
    assert "3 independent origins" in result.stdout and "misdated" in result.stdout


def test_story_json_treats_all_inputs_as_one_story(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["story", str(seeds_dir), "--json", "--summary-words", "60"])
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    assert len(story["articles"]) == 5
    words = sum(len(s["text"].split()) for s in story["summary"])
    assert 0 < words <= 60


def test_rejected_inputs_exit_1_with_one_line_each_and_the_rest_processed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.html").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "good.txt").write_text(
        "Menu\nThe mayor opened the new bridge on Monday, ending a decade of delays and arguments "
        "over its cost, which rose to 40 million dollars.\n"
    )
    result = runner.invoke(app, ["clean", str(tmp_path), "--json"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 2
    assert any("empty.txt: empty file" in e for e in errors) and any("noise.html" in e for e in errors)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good.txt"]


def test_html_report_is_written_and_escapes_scraped_text(tmp_path: Path) -> None:
    page = tmp_path / "evil.txt"
    page.write_text(
        "<script>alert(1)</script> The council voted on Tuesday to close the old harbour to cargo ships, "
        "a decision that port workers said would cost hundreds of jobs in the town.\n"
    )
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["fold", str(page), "--html", str(report), "--quiet"])
    assert result.exit_code == 0, result.output
    html = report.read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_ingest_twice_changes_nothing(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "news.db"
    first = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"])
    assert first.exit_code == 0, first.output
    listed = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    second = runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"])
    assert second.exit_code == 0 and "0 new articles, 5 already stored" in second.stderr
    assert runner.invoke(app, ["stories", "--db", str(db), "--json"]).stdout == listed.stdout


def test_search_finds_stored_articles(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "news.db"
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"])
    result = runner.invoke(app, ["search", "Vostochny", "--db", str(db)])
    assert result.exit_code == 0 and "003_" in result.stdout
    assert "Vostochny" in result.stdout
    assert "[Vostochny]" not in result.stdout and "\ue000" not in result.stdout


def test_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no such store" in result.stderr


def test_a_50_mb_single_line_page_is_bounded_not_fatal(tmp_path: Path) -> None:
    page = tmp_path / "huge.txt"
    with page.open("w") as out:
        out.write(
            ("The council met again today and said nothing new about the harbour. " * 20 + " ") * 37_000
        )
    assert page.stat().st_size > 50_000_000
    result = runner.invoke(app, ["clean", str(page), "--json"])
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(record["text"]) <= 100_000


def test_fold_json_is_the_same_whatever_the_string_hash_seed(tmp_path: Path) -> None:
    # Sets iterate in an order that follows Python's per-process string hashing; no output may follow it.
    ecb = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "ecbplus" / "dev.jsonl"
    records = [r for r in map(json.loads, ecb.read_text(encoding="utf-8").splitlines()) if r["topic"] == 25]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    outputs = set()
    for seed in ("1", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "newsfold", "fold", str(feed), "--json", "--quiet"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_story_view_tells_a_version_change_from_a_disagreement(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["story", str(seeds_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    disagree, changes = result.stdout.split("Sources disagree")[1].split("Changes between versions")
    assert "five-hour" in disagree and "Matsuno" not in disagree
    assert "Matsuno" in changes.split("Red flags")[0]


def test_story_json_at_ten_words_has_one_cut_sentence(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["story", str(seeds_dir), "--json", "--summary-words", "10"])
    assert result.exit_code == 0, result.output
    (sentence,) = json.loads(result.stdout)["summary"]
    assert len(sentence["text"].split()) == 10 and sentence["text"].endswith("…") and sentence["sources"]


def test_story_json_puts_the_ap_update_under_changes_not_discrepancies(seeds_dir: Path) -> None:
    result = runner.invoke(app, ["story", str(seeds_dir), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    (name,) = [c for c in story["changes"] if c["kind"] == "name"]
    assert "Coast Guard" in name["before"] and "Hirokazu Matsuno" in name["after"]
    assert not any("Matsuno" in v["text"] for d in story["discrepancies"] for v in d["variants"])


def test_export_atom_writes_a_feed_of_the_stored_stories(tmp_path: Path, seeds_dir: Path) -> None:
    import xml.etree.ElementTree as ET

    from newsfold.feed import ATOM_NS

    db, feed = tmp_path / "n.db", tmp_path / "feed.xml"
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"])
    result = runner.invoke(app, ["export", "--atom", str(feed), "--db", str(db), "--base-url", "http://h:1"])
    assert result.exit_code == 0
    entries = ET.parse(feed).getroot().findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) == 1 and entries[0].find(f"{{{ATOM_NS}}}link").get("href", "").startswith(
        "http://h:1/"
    )  # type: ignore[union-attr]


def test_serve_prints_its_address(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    import uvicorn

    db = tmp_path / "n.db"
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"])
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda web_app, **options: served.append(options))
    result = runner.invoke(app, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0 and "http://127.0.0.1:8123/" in result.stdout
    assert served and served[0]["port"] == 8123  # type: ignore[index]


def test_serve_with_workers_hands_uvicorn_the_app_factory(
    tmp_path: Path, seeds_dir: Path, monkeypatch
) -> None:
    import uvicorn

    from newsfold.web.served import DB_VARIABLE, app_from_environment

    db = tmp_path / "n.db"
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", str(db), "--quiet"])
    served: list[tuple[object, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: served.append((target, options)))
    monkeypatch.setenv(DB_VARIABLE, "unset")  # restored after the test, whatever serve sets
    result = runner.invoke(app, ["serve", "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0
    target, options = served[0]
    assert target == "newsfold.web.served:app_from_environment" and options["workers"] == 2
    assert app_from_environment().state.context.db == db.resolve()


def test_running_out_of_memory_is_one_line_not_a_traceback(seeds_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import newsfold.engine.local as local

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(local, "write_story", no_memory)
    result = runner.invoke(app, ["fold", str(seeds_dir), "--workers", "1", "--quiet"])
    assert result.exit_code == 2
    assert "ran out of memory" in result.output and "Traceback" not in result.output


def test_a_worker_that_dies_is_one_line_that_does_not_claim_memory(seeds_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures.process import BrokenProcessPool

    import newsfold.engine.local as local

    def died(*args: object, **kwargs: object) -> None:
        raise BrokenProcessPool("a child process terminated abruptly")

    monkeypatch.setattr(local, "write_story", died)
    result = runner.invoke(app, ["fold", str(seeds_dir), "--workers", "1", "--quiet"])
    assert result.exit_code == 2
    assert "worker process ended abruptly" in result.output and "ran out of memory" not in result.output
    assert "Traceback" not in result.output


def test_running_out_of_memory_names_the_stage(seeds_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import newsfold.engine.local as local

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(local, "cluster_stories", no_memory)
    result = runner.invoke(app, ["fold", str(seeds_dir), "--workers", "1", "--quiet"])
    assert result.exit_code == 2
    assert "ran out of memory clustering the articles into stories" in result.output
    assert "largest stories" not in result.output and "Traceback" not in result.output


# A command run in a fresh interpreter, then which of the packages watched it imported, on the last line.
_LOADED = """
import contextlib, io, sys
from newsfold import cli
from newsfold.cli import app
with contextlib.redirect_stdout(io.StringIO()):
    try:
        app(sys.argv[1:], standalone_mode=False)
    except SystemExit:
        pass
print(sorted(m for m in ("htmldate", "justext", "rich", "trafilatura") if m in sys.modules))
"""


def _loaded(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1].replace("'", '"'))


def test_a_fold_of_text_dumps_does_not_import_the_html_extractor(seeds_dir: Path) -> None:
    loaded = _loaded("fold", str(seeds_dir), "--json", "--quiet", "--workers", "1")
    assert not {"htmldate", "justext", "trafilatura"} & set(loaded)


def test_a_fold_with_an_html_page_imports_the_html_extractor(tmp_path: Path) -> None:
    body = "".join(f"<p>Paragraph {n} of the report says what the council decided.</p>" for n in range(6))
    (tmp_path / "page.html").write_text(f"<html><body><article>{body}</article></body></html>")
    loaded = _loaded("fold", str(tmp_path), "--json", "--quiet", "--workers", "1")
    assert {"htmldate", "justext", "trafilatura"} <= set(loaded)


def test_a_quiet_json_fold_does_not_import_rich_and_its_view_does(seeds_dir: Path) -> None:
    assert "rich" not in _loaded("fold", str(seeds_dir), "--json", "--quiet", "--workers", "1")
    assert "rich" in _loaded("fold", str(seeds_dir), "--quiet", "--workers", "1")


def test_fold_of_an_empty_folder_is_an_empty_result(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fold", str(tmp_path), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"schema_version": 1, "articles": [], "stories": [], "problems": []}


def test_an_unforeseen_error_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    # A bug planted in a subprocess (the engine raises what no command expects): the command's stderr is
    # one line naming the error, exit 70; NEWSFOLD_DEBUG=1 shows the traceback.
    code = (
        "import sys, newsfold.engine.local as local\n"
        "def broken(*args, **kwargs):\n"
        "    raise KeyError('planted')\n"
        "local.fold_paths = broken\n"
        "import newsfold.cli as cli\n"
        f"sys.argv = ['newsfold', 'fold', {str(tmp_path)!r}, '--json', '--quiet']\n"
        "cli.main()\n"
    )
    plain = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ | {"NEWSFOLD_DEBUG": ""}
    )
    assert plain.returncode == 70
    assert plain.stderr.splitlines() == [
        "newsfold: internal error (KeyError: 'planted'); "
        "run again with NEWSFOLD_DEBUG=1 for the traceback and report it"
    ]
    debug = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ | {"NEWSFOLD_DEBUG": "1"}
    )
    assert debug.returncode != 0 and "Traceback" in debug.stderr


# `newsfold fold` as the command line runs it (`cli.main`), its pools used even on a few pages.
_POOLED_FOLD = """
import dataclasses, sys
import newsfold.cli as cli

def pooled(summary_words, workers=0):
    settings = cli.Settings()
    engine = dataclasses.replace(settings.engine, workers=workers, min_stories_for_pool=1,
                                 profile_chunk_articles=2)
    return dataclasses.replace(settings, engine=engine)

if __name__ == "__main__":
    cli._settings = pooled
    sys.argv = ["newsfold", *sys.argv[1:]]
    cli.main()
"""


def test_a_fold_command_ends_with_its_whole_output_status_and_nothing_more(
    seeds_dir: Path, tmp_path: Path
) -> None:
    # The command ends without the interpreter's teardown (`cli._end_process`): its JSON must still be
    # whole through a pipe, its status kept, and nothing but its one problem line said on stderr (its
    # worker pools and the fork server left behind without a complaint).
    script = tmp_path / "pooled_fold.py"
    script.write_text(_POOLED_FOLD, encoding="utf-8")
    missing = tmp_path / "no-such-page.txt"
    arguments = ["fold", str(seeds_dir), str(missing), "--json", "--quiet"]
    done = subprocess.run(
        [sys.executable, str(script), *arguments, "--workers", "2"], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"newsfold: {missing}: no such file or folder"]
    in_process = runner.invoke(app, [*arguments, "--workers", "1"])
    assert done.stdout.endswith("}\n") and json.loads(done.stdout) == json.loads(in_process.stdout)


class _ShortWrites(io.RawIOBase):
    """A raw stream that takes at most 1,000 bytes a write, as a pipe interrupted by a signal may."""

    def __init__(self) -> None:
        self.received = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def, override]
        taken = bytes(data[:1000])
        self.received += taken
        return len(taken)


def test_a_document_is_written_whole_when_the_raw_stream_takes_part_of_a_write(monkeypatch) -> None:
    raw = _ShortWrites()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="utf-8", write_through=True))  # type: ignore[arg-type]
    text = "é, a story\n" * 5_000
    cli._write_whole(text)
    assert raw.received.decode("utf-8") == text
