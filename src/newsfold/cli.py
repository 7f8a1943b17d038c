"""The `newsfold` command line: a thin layer over the Python API.

Every command reads files or folders (text dumps, HTML, JSONL, WARC). Exit status 0 when every input
was read, 1 when some were rejected (one stderr line each, naming the file and the reason), 2 on a
usage error or a store that cannot be used (missing, damaged, locked, read-only, newer: one line).
"""

from __future__ import annotations

import atexit
import io
import json
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from newsfold.settings import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from newsfold.engine.local import ProgressFn
    from newsfold.models import FoldResult, InputProblem, Story

# The stages (and what they import: trafilatura, numpy, scipy, scikit-learn) are imported inside the
# commands that run them, so `newsfold --help` and the store commands do not pay for them (1.4 s before);
# Rich only by a command that draws (`_console`, `_progress`): not by `fold --json --quiet`, nor by the fork
# server, which imports this module for its workers (engine/local.py), ~0.02 s of CPU each.

# numpy advises the kernel to back each large array with huge pages (madvise MADV_HUGEPAGE); where the
# kernel then compacts memory to find them (THP defrag "madvise", the usual default), a fold's pair tables
# of tens of MB stalled in the kernel for up to 0.5 s each: bench/fold/stage_cpu.py, fold-corpus-2400, one
# worker, three turns each, alternating: 0.80-1.36 s of system CPU with the advice, 0.48-0.56 s without
# (user CPU the same). Set before numpy is imported (the commands import it), and inherited by workers; a
# user's own NUMPY_MADVISE_HUGEPAGE wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

app = typer.Typer(
    help="Fold scraped news into stories people can trust.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

PathsArg = Annotated[
    list[Path], typer.Argument(help="Files or folders: .txt dumps, .html[.gz], .jsonl, .warc[.gz].")
]
# Strings, not Paths: a Path would fold the "//" of a URI (hdfs://nn/crawl) that --engine spark reads.
FoldPathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files or folders: .txt dumps, .html[.gz], .jsonl, .warc[.gz], .parquet; with --engine spark "
        "also URIs of the cluster's Hadoop filesystem (hdfs://, s3a://, file://)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine output (the documented JSON schema).")]
HtmlOpt = Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML report here.")]
WordsOpt = Annotated[int, typer.Option("--summary-words", min=10, max=2000, help="Summary length in words.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]
WorkersOpt = Annotated[
    int, typer.Option("--workers", min=0, help="Worker processes (0: every core); the output is the same.")
]
TimingsOpt = Annotated[bool, typer.Option("--timings", help="Print each stage's seconds on stderr.")]


def _console() -> Console:
    """A Rich console on stdout, for a command's view."""
    from rich.console import Console

    return Console()


@app.command()
def clean(paths: PathsArg, as_json: JsonOpt = False, quiet: QuietOpt = False) -> None:
    """Keep each page's article and metadata; show what was removed and why.

    With --json: JSON Lines, one article a line.
    """
    from newsfold import view
    from newsfold.engine.local import clean_all
    from newsfold.export import article_to_dict
    from newsfold.read import read_many

    settings = Settings()
    read = read_many(paths, settings=settings.read)
    with _progress(quiet or as_json) as progress:
        cleaned = clean_all(read.pages, settings=settings, progress=progress)
    if as_json:
        for article in cleaned.articles:
            sys.stdout.write(json.dumps(article_to_dict(article), ensure_ascii=False) + "\n")
    else:
        view.print_articles(_console(), cleaned.articles)
    _finish(read.problems + cleaned.problems)


OutOpt = Annotated[
    str | None,
    typer.Option(
        "--out",
        metavar="DIR",
        help="Write articles.jsonl, stories.jsonl, problems.jsonl (and .parquet with pyarrow) into DIR "
        "as they are made, for corpora too big for one JSON document (with --engine spark: Parquet, "
        "DIR a local path or a Hadoop-style URI). The fold's progress is kept in DIR/.newsfold-run.db "
        "until it ends (a new fold replaces a state left there; see --resume).",
    ),
]
ResumeOpt = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Continue the fold stopped in --out DIR (killed, Ctrl-C, a reboot) from its last recorded "
        "step: the files come out byte for byte as from one run; refused when the inputs, settings or "
        "newsfold changed. A fold of at most 2,500 articles is held in memory and records nothing: "
        "it starts again.",
    ),
]
KeepStateOpt = Annotated[
    bool,
    typer.Option("--keep-state", help="Keep DIR/.newsfold-run.db when the fold ends (it is deleted)."),
]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        metavar="local|spark",
        help="local: this machine (--workers processes); spark: every stage on Apache Spark (needs the "
        "spark extra and Java; with --out, Parquet written by the executors).",
    ),
]
SparkMasterOpt = Annotated[
    str, typer.Option("--spark-master", metavar="URL", help="The Spark master for --engine spark.")
]
SparkOpt = Annotated[
    str | None,
    typer.Option("--spark", metavar="MASTER", help="Same as --engine spark --spark-master MASTER."),
]


@app.command()
def fold(
    paths: FoldPathsArg,
    as_json: JsonOpt = False,
    html: HtmlOpt = None,
    summary_words: WordsOpt = 120,
    quiet: QuietOpt = False,
    workers: WorkersOpt = 0,
    timings: TimingsOpt = False,
    out: OutOpt = None,
    resume: ResumeOpt = False,
    keep_state: KeepStateOpt = False,
    engine: EngineOpt = "local",
    spark_master: SparkMasterOpt = "local[*]",
    spark: SparkOpt = None,
) -> None:
    """Clean, find who copied whom, group articles into stories and write each story."""
    settings = _settings(summary_words, workers)
    if spark:
        engine, spark_master = "spark", spark
    if engine not in ("local", "spark"):
        typer.echo(f"newsfold: --engine {engine}: unknown engine; use local or spark", err=True)
        raise typer.Exit(2)
    if (resume or keep_state) and (out is None or engine == "spark"):
        typer.echo("newsfold: --resume and --keep-state need --out DIR and the local engine", err=True)
        raise typer.Exit(2)
    to_folder = out is not None and not as_json and html is None  # the folder holds the result
    if engine == "spark":
        if to_folder:
            _fold_spark_to(paths, str(out), settings, spark_master, timings)
            return
        from newsfold.engine.spark import fold_spark

        with _spark_errors(spark_master):
            result = fold_spark(paths, settings=settings, master=spark_master)
    else:
        # With --out alone, the folder holds the result: articles and stories are streamed there, not kept.
        result = _fold_here(paths, settings, out, not to_folder, resume, keep_state, quiet or as_json)
    started = time.perf_counter()
    shown = result.timings if timings else None
    if to_folder:  # print a line
        counts = f"{result.article_count} articles, {result.story_count} stories"
        typer.echo(f"newsfold: {counts} -> {out}", err=True)
        _report_timings(shown, started)
        _finish(result.problems)
        return
    _emit(result, as_json, html, shown, started)


def _fold_spark_to(paths: list[str], out: str, settings: Settings, master: str, timings: bool) -> None:
    """`fold --engine spark --out DIR`: the executors write the Parquet; one line says what."""
    from newsfold.engine.spark import fold_spark_to

    with _spark_errors(master):
        summary = fold_spark_to(paths, out, settings=settings, master=master)
        counts = f"{summary.articles} articles, {summary.stories} stories"
        typer.echo(f"newsfold: {counts} -> {out}", err=True)
        written = time.perf_counter() - summary.timings.get("output", 0.0)  # the Parquet's seconds
        _report_timings(summary.timings if timings else None, written)
        _finish(summary.problems)


def _fold_here(
    paths: list[str],
    settings: Settings,
    out: str | None,
    keep: bool,
    resume: bool,
    keep_state: bool,
    quiet: bool,
) -> FoldResult:
    """`fold` on this machine (`keep`: hold the articles and stories, not only stream them to `out`)."""
    from newsfold.engine.local import fold_paths
    from newsfold.engine.spill import STATE_FILE
    from newsfold.engine.worker import batch_collector
    from newsfold.errors import InputError

    if resume and out is not None and not (Path(out) / STATE_FILE).exists():
        typer.echo(f"newsfold: {out}: no stopped fold to resume there; folding from the start", err=True)
    with _progress(quiet) as progress, _memory_bounded(), batch_collector():
        try:
            return fold_paths(
                paths,
                settings=settings,
                progress=progress,
                out=None if out is None else Path(out),
                keep=keep,
                resume=resume,
                keep_state=keep_state,
            )
        except InputError as exc:
            typer.echo(f"newsfold: {exc}", err=True)
            raise typer.Exit(2) from None


@app.command()
def story(
    paths: PathsArg,
    as_json: JsonOpt = False,
    html: HtmlOpt = None,
    summary_words: WordsOpt = 120,
    quiet: QuietOpt = False,
    workers: WorkersOpt = 0,
) -> None:
    """Treat all given articles as one story (no clustering) and write it.

    With --json: the story object.
    """
    from newsfold.engine.local import clean_all, stories_for
    from newsfold.export import json_text, story_to_dict
    from newsfold.models import FoldResult
    from newsfold.read import read_many
    from newsfold.syndication import find_origins

    settings = _settings(summary_words, workers)
    read = read_many(paths, settings=settings.read)
    with _progress(quiet or as_json) as progress:
        cleaned = clean_all(read.pages, settings=settings, progress=progress)
    articles = cleaned.articles
    groups = find_origins(articles, settings.syndication)
    members = [tuple(a.id for a in articles)] if articles else []
    stories = stories_for(members, articles, groups, settings=settings)
    result = FoldResult(articles=articles, stories=stories, problems=read.problems + cleaned.problems)
    if as_json:
        if stories:
            sys.stdout.write(json_text(story_to_dict(stories[0])) + "\n")
        else:
            sys.stdout.write("null\n")
        _write_html(result, html)
        _finish(result.problems)
        return
    _emit(result, False, html)


@app.command()
def threads(
    paths: PathsArg, as_json: JsonOpt = False, quiet: QuietOpt = False, workers: WorkersOpt = 0
) -> None:
    """Fold the inputs and list the threads: stories of one saga (the same people, places and subject,
    weeks apart at most), each thread's stories in time order with their event date and headline.

    With --json: {"schema_version", "threads": [{"id", "stories": [{"id", "headline", "event_date",
    "related"}]}]}.
    """
    from newsfold import view
    from newsfold.cluster.threads import stories_by_thread
    from newsfold.engine.local import fold_paths
    from newsfold.export import SCHEMA_VERSION

    with _progress(quiet or as_json) as progress:
        result = fold_paths(paths, settings=_settings(120, workers), progress=progress)
    found = stories_by_thread(result.stories)
    if as_json:
        document = {
            "schema_version": SCHEMA_VERSION,
            "threads": [
                {"id": thread_id, "stories": [_thread_story(s) for s in members]}
                for thread_id, members in found
            ],
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        view.print_threads(_console(), found)
    _finish(result.problems)


def _thread_story(story: Story) -> dict[str, object]:
    return {
        "id": story.id,
        "headline": story.headline,
        "event_date": story.event_date,
        "related": list(story.related),
    }


@app.command()
def ingest(
    paths: PathsArg,
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("newsfold.db"),
    quiet: QuietOpt = False,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for another ingest into the store.")
    ] = Settings().store.busy_timeout_s,
    batch: Annotated[
        int, typer.Option("--batch", min=1, help="Pages per transaction (a kill loses at most one batch).")
    ] = Settings().store.ingest_batch_pages,
    workers: WorkersOpt = 0,
) -> None:
    """Add articles to a store; each joins the story it belongs to or starts one.

    Ingesting the same input twice changes nothing.
    """
    from newsfold.engine.incremental import ingest_paths

    settings = _settings(120, workers)
    settings = replace(settings, store=replace(settings.store, busy_timeout_s=wait, ingest_batch_pages=batch))
    with _store_errors(db), _progress(quiet) as progress:
        report = ingest_paths(db, paths, settings=settings, progress=progress)
    typer.echo(
        f"{db}: {len(report.added)} new articles, {len(report.unchanged)} already stored, "
        f"{len(report.stories_touched)} stories updated",
        err=True,
    )
    _finish(report.problems)


@app.command()
def load(
    folder: Annotated[Path, typer.Argument(help="The folder `newsfold fold --engine spark --out` wrote.")],
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("newsfold.db"),
    batch: Annotated[
        int, typer.Option("--batch", min=1, help="Articles per transaction (a kill loses at most one batch).")
    ] = Settings().store.ingest_batch_pages,
) -> None:
    """Put a Spark fold's Parquet folder into a store (its articles, then their stories, as ingest does).

    Loading the same folder twice stores nothing new.
    """
    from newsfold.engine.spark_load import load_folder
    from newsfold.errors import InputError

    settings = _settings(120)
    settings = replace(settings, store=replace(settings.store, ingest_batch_pages=batch))
    try:
        with _store_errors(db):
            report = load_folder(folder, db, settings=settings)
    except InputError as exc:
        typer.echo(f"newsfold: {exc.path}: {exc.reason}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"{db}: {len(report.added)} new articles, {len(report.unchanged)} already stored, "
        f"{len(report.stories_touched)} stories updated",
        err=True,
    )


@app.command()
def stories(
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("newsfold.db"),
    as_json: JsonOpt = False,
) -> None:
    """List the stories in a store."""
    from newsfold import view
    from newsfold.store import Store

    with _store_errors(db), Store(db, create=False) as store:
        found = store.stories()
    if as_json:
        sys.stdout.write(json.dumps({"stories": found}, ensure_ascii=False, indent=2) + "\n")
    else:
        view.print_story_list(_console(), found)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles and bodies.")],
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("newsfold.db"),
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Full-text search over stored articles."""
    from newsfold import view
    from newsfold.store import Store

    with _store_errors(db), Store(db, create=False) as store:
        hits = store.search(query, limit=limit, marks=view.SNIPPET_MARKS)
    view.print_search(_console(), hits)


@app.command()
def serve(
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("newsfold.db"),
    host: Annotated[str, typer.Option(help="Address to listen on (local only by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (one per core).")] = 1,
) -> None:
    """Browse the stored stories in a local web app (needs the web extra).

    Prints the address to open, then one line per request on stderr.
    """
    import os

    import uvicorn

    from newsfold.web import create_app
    from newsfold.web.served import DB_VARIABLE

    _require_db(db)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"newsfold: serving {db} at http://{shown}:{port}/ (Ctrl+C to stop)")
    if workers > 1:  # each worker process imports the app by name
        os.environ[DB_VARIABLE] = str(db.resolve())
        uvicorn.run(
            "newsfold.web.served:app_from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
        )
        return
    app_ = create_app(db, log=lambda line: typer.echo(line, err=True))
    uvicorn.run(app_, host=host, port=port, log_level="warning", access_log=False)


@app.command()
def export(
    atom: Annotated[Path, typer.Option("--atom", help="Write an Atom feed of the stories here.")],
    db: Annotated[Path, typer.Option("--db", help="The SQLite store.")] = Path("newsfold.db"),
    base_url: Annotated[
        str, typer.Option("--base-url", help="Where `newsfold serve` runs: the entries link there.")
    ] = "http://127.0.0.1:8000",
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="The newest stories to include.")] = 50,
) -> None:
    """Export the stored stories: an Atom feed, newest first (as the web app's /feed.xml)."""
    from newsfold.feed import atom_feed, newest_first
    from newsfold.store import Store

    with _store_errors(db), Store(db, create=False) as store:
        stories = newest_first(store.stories())[:limit]
    try:
        atom.write_text(atom_feed(stories, base_url), encoding="utf-8")
    except OSError as exc:
        typer.echo(f"newsfold: {atom}: cannot write the feed ({exc.strerror})", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{atom}: {len(stories)} stories", err=True)


def _write_whole(text: str) -> None:
    """Write `text` to stdout, all of it. Under PYTHONUNBUFFERED (or `python -u`) stdout's binary layer is
    the raw file, whose one write may take only part of a large document (a pipe's write interrupted by a
    signal), and the text layer does not write the rest: it would be lost without an error."""
    raw = getattr(sys.stdout, "buffer", None)
    if not isinstance(raw, io.RawIOBase):
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    data = memoryview(text.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"))
    while data:
        data = data[raw.write(data) or 0 :]


def _emit(
    result: FoldResult,
    as_json: bool,
    html: Path | None,
    timings: dict[str, float] | None = None,
    started: float = 0.0,
) -> None:
    if as_json:
        from newsfold.engine.worker import batch_collector
        from newsfold.export import fold_json_text

        with batch_collector():  # the result's millions of objects frozen, not walked by each collection
            text = fold_json_text(result)
        _write_whole(text)  # not `text + "\n"`: a copy of the whole document (21 MB at 2,400 pages)
        sys.stdout.write("\n")
    else:
        from newsfold import view  # Rich: only for the view

        view.print_fold(_console(), result)
    _write_html(result, html)
    _report_timings(timings, started)
    _finish(result.problems)


def _report_timings(timings: dict[str, float] | None, output_started: float) -> None:
    """One stderr line: each stage's seconds and the output's, as JSON (bench/fold reads it)."""
    if timings:
        shown = {**timings, "output": time.perf_counter() - output_started}
        typer.echo("newsfold: seconds " + json.dumps({k: round(v, 3) for k, v in shown.items()}), err=True)


def _write_html(result: FoldResult, html: Path | None) -> None:
    if html is None:
        return
    from newsfold.report import render_report

    try:
        html.write_text(render_report(result), encoding="utf-8")
    except OSError as exc:
        typer.echo(f"newsfold: {html}: cannot write the report ({exc.strerror})", err=True)
        raise typer.Exit(2) from exc


def _finish(problems: Sequence[InputProblem]) -> None:
    for problem in problems:
        typer.echo(f"newsfold: {problem}", err=True)
    if problems:
        raise typer.Exit(1)


def _settings(summary_words: int, workers: int = 0) -> Settings:
    base = Settings()
    return replace(
        base,
        story=replace(base.story, summary_words=summary_words),
        engine=replace(base.engine, workers=workers),
    )


def _require_db(db: Path) -> None:
    """Exit 2 with one line unless `db` opens as a newsfold store (checked by `Store`)."""
    from newsfold.store import Store

    with _store_errors(db), Store(db, create=False):
        pass


@contextmanager
def _store_errors(db: Path) -> Iterator[None]:
    """A store that cannot be opened, read or written: one line naming it and what to do, exit 2."""
    import sqlite3

    from newsfold.errors import StoreError
    from newsfold.store import store_error

    try:
        yield
    except StoreError as exc:
        typer.echo(f"newsfold: {exc}", err=True)
        raise typer.Exit(2) from exc
    except sqlite3.Error as exc:
        typer.echo(f"newsfold: {store_error(str(db), exc)}", err=True)
        raise typer.Exit(2) from exc


@contextmanager
def _spark_errors(master: str) -> Iterator[None]:
    """No pyspark, no Java, or a master that cannot be reached: one line saying what to do, exit 2."""
    try:
        yield
    except ImportError as exc:
        typer.echo("newsfold: --engine spark needs pyspark: pip install 'newsfold[spark]'", err=True)
        raise typer.Exit(2) from exc
    except Exception as exc:
        if exc.__class__.__module__.split(".")[0] not in ("pyspark", "py4j"):
            raise
        reason = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0][:200]
        typer.echo(
            f"newsfold: Spark ({master}) failed: {reason}; check Java 17+ and the master URL", err=True
        )
        raise typer.Exit(2) from exc


# What each stage of a fold (engine.local's timings) does, for the line that says where memory ran out.
_STAGE_WORDS = {
    "read": "reading the pages",
    "clean": "cleaning the pages",
    "spill": "keeping the cleaned articles",
    "copies": "finding the copies (origin groups)",
    "stories": "clustering the articles into stories",
    "write": "writing the stories",
    "threads": "linking the stories' threads",
    "out": "writing the output files",
}


@contextmanager
def _memory_bounded() -> Iterator[None]:
    """Running out of memory in this process, or a worker process dying, ends the run with one line, not a
    traceback. A worker's death says no more than that it ended (the kernel's OOM killer is the usual cause,
    but not the only one), so the line says what is known."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        yield
    except (MemoryError, BrokenProcessPool) as exc:
        stage = getattr(exc, "newsfold_stage", None)  # engine.local.STAGE_ATTRIBUTE
        where = f" {_STAGE_WORDS.get(stage, stage)}" if stage else " folding these inputs"
        if isinstance(exc, MemoryError):
            what = f"ran out of memory{where}"
            if stage in (None, "write"):
                what += " (the largest stories need the most: a story of several hundred copies of one "
                what += "report)"
        else:
            what = f"a worker process ended abruptly{where} (killed, often by the system when memory "
            what += "runs out)"
        typer.echo(f"newsfold: {what}; fold fewer pages at a time or use --workers 1", err=True)
        raise typer.Exit(2) from exc


@contextmanager
def _progress(quiet: bool) -> Iterator[ProgressFn | None]:
    """Rich progress bars on stderr, one per stage, or nothing when quiet or not a terminal."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    err_console = Console(stderr=True)
    if not err_console.is_terminal:
        yield None
        return

    bars = Progress(
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield update


def main() -> None:
    """The `newsfold` command: the CLI with a last line of defence. Every error a user can cause is one
    line from its command; an error newsfold did not foresee (a bug) is one line too, naming it, exit 70
    (EX_SOFTWARE), not a traceback; `NEWSFOLD_DEBUG=1` shows the traceback, for a report."""
    try:
        app()
    except SystemExit as stop:
        _end_process(stop)
    except Exception as exc:
        if os.environ.get("NEWSFOLD_DEBUG"):
            raise
        reason = (str(exc).strip().splitlines() or [""])[0][:200]
        typer.echo(
            f"newsfold: internal error ({exc.__class__.__name__}: {reason}); "
            "run again with NEWSFOLD_DEBUG=1 for the traceback and report it",
            err=True,
        )
        sys.exit(70)


def _end_process(stop: SystemExit) -> NoReturn:
    """End the process with `stop`'s status, its output flushed and its exit handlers run, but without the
    interpreter's teardown, which frees every object left one by one and collects them all once more: after
    a fold, millions of them (bench/fold's 2,400 pages: ~0.1 s of CPU, the command's last step). Whatever
    this cannot settle (a message as status, output that cannot be flushed, a thread still running) is
    left to Python's own exit."""
    status = stop.code
    if (status is not None and not isinstance(status, int)) or threading.active_count() > 1:
        raise stop
    try:
        sys.stdout.flush()
        atexit._run_exitfuncs()  # what an exit runs first: finalizers (temporary folders), multiprocessing
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: Python's exit reports it as usual
        raise stop from None
    os._exit(status or 0)
