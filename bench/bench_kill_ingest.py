"""Crash safety: `newsfold ingest` killed with SIGKILL at random moments, rerun each time, loses nothing.

usage: python bench/bench_kill_ingest.py [KILLS] [PAGES]      (default: 200 kills, 600 pages a round)

In rounds: a JSONL feed of PAGES generated articles (the event stream of bench/bench_ingest_scale.py:
reports, copy families, boilerplate endings) is ingested into a new store by `python -m newsfold ingest`,
which is killed (SIGKILL, no chance to clean up) at a random moment, run again and killed again, until a
run ends before its kill; that run, and one more, finish the ingest. The store must then pass
`PRAGMA integrity_check` (and FTS5's), hold every page exactly once, have every article in exactly one
story whose members are stored, and hold the stories a clean batch `newsfold fold` of the same feed gives.
Rounds go on until KILLS kills have landed. Prints each round's checks, the kill moments' spread and the
wall time. tests/test_crash.py runs `kill_loop` with 20 kills on one smaller feed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_ingest_scale import synthetic  # noqa: E402
from proc_cpu import cpu_seconds  # noqa: E402

# Kill moments spread over this many CPU seconds of a run: start-up (imports) takes ~1.3 s here, each batch
# of 25 generated pages ~0.5-1 s, so a run is killed anywhere from start-up to its 5th-10th batch.
WINDOW = 6.0


def write_feed(path: Path, pages: int, seed: int = 5) -> None:
    """A JSONL feed of `pages` generated articles (text records, one paragraph a line)."""
    with path.open("w", encoding="utf-8") as out:
        for article in synthetic(pages, seed=seed):
            record = {
                "id": article.id,
                "text": "\n".join(article.paragraphs),
                "title": article.title,
                "published": article.published,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


@dataclass
class KillRun:
    """What a kill loop did: kill moments (CPU seconds the run had used) of the runs killed before their
    end, runs that ended before their kill, and the exit status of the last, unkilled run."""

    killed_at: list[float] = field(default_factory=list)
    stored_after: list[int] = field(default_factory=list)  # pages stored after each kill
    finished_early: int = 0
    last_status: int = -1
    last_stderr: str = ""


def ingest_command(feed: Path, db: Path, batch: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsfold",
        "ingest",
        str(feed),
        "--db",
        str(db),
        "--quiet",
        "--batch",
        str(batch),
    ]


def kill_loop(
    feed: Path, db: Path, kills: int, rng: random.Random, *, batch: int, window: float, finish: bool = True
) -> KillRun:
    """Start the ingest and SIGKILL it once it has used a CPU time uniform in [0, window) s, `kills` times;
    then run it to the end. CPU time, not wall time: on a loaded machine the moments still spread over
    start-up, reading, cleaning and writing rather than all landing in start-up."""
    run = KillRun()
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    for _ in range(kills):
        moment = rng.uniform(0.0, window)
        process = subprocess.Popen(
            ingest_command(feed, db, batch), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        used = 0.0
        while process.poll() is None and (used := cpu_seconds(process.pid)) < moment:
            time.sleep(0.005)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            run.killed_at.append(used)
            run.stored_after.append(_stored_pages(db))
        else:
            run.finished_early += 1
    if finish:
        done = subprocess.run(ingest_command(feed, db, batch), env=env, capture_output=True, text=True)
        run.last_status, run.last_stderr = done.returncode, done.stderr
    return run


def _stored_pages(db: Path) -> int:
    """Pages committed to the store so far (0 when it does not exist yet)."""
    if not db.is_file():
        return 0
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
    except sqlite3.OperationalError:  # killed before it made its tables
        return 0
    finally:
        con.close()


def check_store(db: Path, feed: Path) -> list[str]:
    """What is wrong with the store after the kills (empty: nothing): integrity, each page once, whole
    stories, and the stories of a clean batch fold of the same feed."""
    wrong: list[str] = []
    con = sqlite3.connect(db)
    integrity = con.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        wrong.append(f"integrity_check: {integrity[:3]}")
    fts = con.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    del fts  # raises on a damaged index
    ids = [row[0] for row in con.execute("SELECT id FROM pages")]
    articles = [row[0] for row in con.execute("SELECT id FROM articles")]
    expected = [json.loads(line)["id"] for line in feed.read_text(encoding="utf-8").splitlines()]
    if sorted(ids) != sorted(expected) or sorted(articles) != sorted(expected):
        wrong.append(f"pages {len(ids)}, articles {len(articles)}, expected each of {len(expected)} once")
    members: dict[str, list[str]] = {}
    for article_id, story_id in con.execute("SELECT article_id, story_id FROM story_members"):
        members.setdefault(story_id, []).append(article_id)
    stories = {row[0]: json.loads(row[1]) for row in con.execute("SELECT id, data FROM stories")}
    if set(members) != set(stories):
        wrong.append(f"{len(set(members) ^ set(stories))} stories without members or members without story")
    if sorted(m for ms in members.values() for m in ms) != sorted(articles):
        wrong.append("not every article is in exactly one story")
    half = [s for s, data in stories.items() if sorted(data["articles"]) != sorted(members.get(s, []))]
    if half:
        wrong.append(f"{len(half)} stories whose stored members differ from their text")
    con.close()
    batch = _batch_stories(feed)
    if stories != batch:
        differ = sum(stories.get(k) != v for k, v in batch.items()) + len(set(stories) - set(batch))
        wrong.append(f"{differ} stories differ from a clean batch fold ({len(stories)} vs {len(batch)})")
    return wrong


def _batch_stories(feed: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    command = [sys.executable, "-m", "newsfold", "fold", str(feed), "--json", "--quiet"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the batch fold failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return {s["id"]: s for s in json.loads(done.stdout)["stories"]}


def main(argv: list[str]) -> int:
    kills = int(argv[0]) if argv else 200
    pages = int(argv[1]) if len(argv) > 1 else 600
    rng = random.Random(2026)
    landed: list[float] = []
    partial = early = rounds = failed = 0
    started = time.perf_counter()
    while len(landed) < kills:
        # One round: a new store, killed until a run ends on its own; its checks; then the next round.
        rounds += 1
        with tempfile.TemporaryDirectory() as tmp:
            feed, db = Path(tmp) / "feed.jsonl", Path(tmp) / "news.db"
            write_feed(feed, pages, seed=rounds)
            run = _round(feed, db, kills - len(landed), rng)
            wrong = check_store(db, feed)
        landed += run.killed_at
        partial += sum(0 < n < pages for n in run.stored_after)
        early += run.finished_early
        failed += bool(wrong) or run.last_status != 0
        print(
            f"round {rounds}: {len(run.killed_at)} kills, last run exit {run.last_status}, "
            + ("checks held" if not wrong else "; ".join(wrong)),
            flush=True,
        )
    moments = sorted(landed)
    print(f"ingest of {pages} pages a round (batches of 25), SIGKILL at a CPU time in [0, {WINDOW}) s")
    median = moments[len(moments) // 2]
    print(
        f"{len(moments)} kills in {rounds} rounds ({early} runs ended before their kill); {partial} left "
        f"a partly ingested store; kill moments (CPU s) min {moments[0]:.2f}, median {median:.2f}, "
        f"max {moments[-1]:.2f}"
    )
    print(f"rounds failing a check: {failed} of {rounds}; wall {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


def _round(feed: Path, db: Path, most: int, rng: random.Random) -> KillRun:
    """Kill the ingest of `feed` until a run ends before its kill (at most `most` kills); then finish it."""
    total = KillRun()
    while len(total.killed_at) < most:
        run = kill_loop(feed, db, 1, rng, batch=25, window=WINDOW, finish=False)
        total.killed_at += run.killed_at
        total.stored_after += run.stored_after
        total.finished_early += run.finished_early
        if run.finished_early:
            break
    last = kill_loop(feed, db, 0, rng, batch=25, window=WINDOW)
    total.last_status, total.last_stderr = last.last_status, last.last_stderr
    return total


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
