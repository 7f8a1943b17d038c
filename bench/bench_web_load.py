"""Load on the web app: concurrent clients on loopback against a store of N stories.

usage: python bench/bench_web_load.py [--stories 10000] [--clients 50] [--requests 60] [--think-ms 0]

The store: N synthetic stories (1-6 articles of 3-6 sentences each, copies among them, summaries, quotes,
flags), written straight through `Store.write` in one transaction (no cleaning or clustering: the app
reads stories, it does not care how they were made). Cached under /tmp by N.

The server: `newsfold serve`'s app under uvicorn (one process, as `serve` runs it) in a child process on
127.0.0.1. The clients: `--clients` asyncio tasks in this process, each with its own keep-alive
connection, each sending `--requests` GETs in turn (story page of a random story, home page with a random
page and sometimes a filter, search of random words), waiting a random think time of mean `--think-ms`
between them (exponential, as independent people; 0: a closed loop, the worst case: every client always
has a request in flight, so latency is queueing behind the other 49). Prints p50/p95/max per route and the
requests per second, and the server's CPU time per request (what the machine's load does not change
much). Only 127.0.0.1; the request count is bounded (clients x requests).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from newsfold.export import story_to_dict
from newsfold.models import (
    Article,
    CopyLink,
    Flag,
    Page,
    Quote,
    SourcedText,
    Story,
)
from newsfold.outlets import article_sources
from newsfold.store import Store

CACHE = Path("/tmp/newsfold-bench-web")
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def build_store(path: Path, n_stories: int, seed: int = 14) -> list[str]:
    """Write `n_stories` synthetic stories into a new store at `path`; the vocabulary searched later."""
    rng = random.Random(seed)
    vocabulary = [_word(rng) for _ in range(3000)]
    outlets = [
        (_word(rng).title() + " News", f"{_word(rng)}.{rng.choice(['com', 'co.uk', 'de', 'fr'])}")
        for _ in range(300)
    ]
    pages: list[Page] = []
    articles: list[Article] = []
    memberships: dict[str, str] = {}
    stories: list[tuple[Story, dict]] = []
    for s in range(n_stories):
        story_id = f"s-{s:06d}"
        topic = rng.sample(vocabulary, 12)
        day = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        sentences = [
            " ".join(
                [rng.choice(topic), *rng.sample(vocabulary, rng.randint(10, 18)), rng.choice(topic)]
            ).capitalize()
            + "."
            for _ in range(8)
        ]
        members = []
        for a in range(rng.choice([1, 1, 2, 3, 4, 6])):
            article_id = f"{s:06d}/{a}.txt"
            outlet, domain = rng.choice(outlets)
            body = rng.sample(sentences, rng.randint(3, 6))
            paragraphs = tuple(" ".join(body[i : i + 2]) for i in range(0, len(body), 2))
            url = f"https://www.{domain}/{article_id}"
            pages.append(
                Page(id=article_id, kind="text", content="\n".join(paragraphs), url=url, source=outlet)
            )
            articles.append(
                Article(
                    id=article_id,
                    title=" ".join(topic[:6]).capitalize(),
                    paragraphs=paragraphs,
                    published=day,
                    published_from="record",
                    lang="en",
                    url=url,
                    source=outlet,
                )
            )
            members.append(articles[-1])
            memberships[article_id] = story_id
        ids = tuple(a.id for a in members)
        copies = tuple(
            CopyLink(
                a, ids[0], "copy", 0.9, adds=(members[k].paragraphs[0],), lacks=(members[0].paragraphs[-1],)
            )
            for k, a in enumerate(ids[1:], start=1)
            if k % 2
        )
        copied = {c.article for c in copies}
        story = Story(
            id=story_id,
            headline=members[0].title,
            articles=ids,
            origins=(tuple([ids[0], *sorted(copied)]), *((i,) for i in ids[1:] if i not in copied)),
            copies=copies,
            event_date=day,
            sources=article_sources(members),
            summary=tuple(SourcedText(t, ids[:2]) for t in sentences[:3]),
            adds=(SourcedText(sentences[4], ids[-1:]),),
            quotes=(Quote(sentences[5], topic[0].title(), ids[:1]),),
            flags=(Flag(ids[-1], "truncated", "stops mid-sentence"),) if s % 7 == 0 else (),
        )
        stories.append((story, story_to_dict(story)))
    with Store(path) as store:
        store.write(pages, articles, memberships, stories, [], {})
    return vocabulary


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One keep-alive GET; the status."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(
        int(v) for k, _, v in (line.partition(":") for line in lines[1:]) if k.lower() == "content-length"
    )
    await reader.readexactly(length)
    return status


async def _client(
    port: int, paths: list[tuple[str, str]], think: float, out: dict[str, list[float]], seed: int = 0
) -> None:
    rng = random.Random(seed)
    if think:  # clients start spread over one think time, not in one burst
        await asyncio.sleep(rng.uniform(0, think))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for route, path in paths:
            start = time.perf_counter()
            try:
                status = await _get(reader, writer, path)
            except (asyncio.IncompleteReadError, ConnectionError):  # the server closed an idle connection
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                status = await _get(reader, writer, path)
            took = (time.perf_counter() - start) * 1000
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            out[route].append(took)
            if think:  # exponential think times: requests arrive as from independent people
                await asyncio.sleep(rng.expovariate(1 / think))
    finally:
        writer.close()


def _paths(rng: random.Random, n: int, n_stories: int, vocabulary: list[str]) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        kind = ("story", "home", "search")[i % 3]
        if kind == "story":
            out.append((kind, f"/stories/s-{rng.randrange(n_stories):06d}"))
        elif kind == "home":
            extra = rng.choice(["", "", "&flag=any", "&lang=en", "&sort=biggest", "&from=2023-01-01"])
            out.append((kind, f"/?page={rng.randint(1, 5)}{extra}"))
        else:
            words = "+".join(rng.sample(vocabulary, rng.choice([1, 1, 2])))
            out.append((kind, f"/search?q={words}"))
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process and its live descendants have used (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_cpu_seconds(int(child)) for child in children)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=60, help="per client")
    parser.add_argument("--think-ms", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    args = parser.parse_args()

    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"stories-{args.stories}.db"
    vocab_file = db.with_suffix(".vocabulary.json")
    if not db.exists() or not vocab_file.exists():
        db.unlink(missing_ok=True)
        start = time.perf_counter()
        vocabulary = build_store(db, args.stories)
        vocab_file.write_text(json.dumps(vocabulary))
        print(f"built {db} ({args.stories} stories) in {time.perf_counter() - start:.1f} s", flush=True)
    vocabulary = json.loads(vocab_file.read_text())

    port = _free_port()
    code = (
        "import uvicorn; "
        "uvicorn.run('newsfold.web.served:app_from_environment', factory=True, host='127.0.0.1', "
        f"port={port}, workers={args.workers}, log_level='warning')"
    )
    env = {**os.environ, "NEWSFOLD_SERVE_DB": str(db)}
    server = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        rng = random.Random(7)
        warm: dict[str, list[float]] = {"story": [], "home": [], "search": []}
        asyncio.run(_client(port, _paths(rng, 30, args.stories, vocabulary), 0, warm))  # first build, caches
        results: dict[str, list[float]] = {"story": [], "home": [], "search": []}
        plans = [_paths(rng, args.requests, args.stories, vocabulary) for _ in range(args.clients)]

        async def run_all() -> None:
            think = args.think_ms / 1000
            await asyncio.gather(*(_client(port, p, think, results, n) for n, p in enumerate(plans)))

        start, cpu = time.perf_counter(), _cpu_seconds(server.pid)
        asyncio.run(run_all())
        wall, cpu = time.perf_counter() - start, _cpu_seconds(server.pid) - cpu
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = sum(len(v) for v in results.values())
    print(
        f"{args.workers} server process{'es' if args.workers > 1 else ''}, "
        f"{args.stories} stories, {args.clients} clients x {args.requests} requests, "
        f"think {args.think_ms:g} ms: "
        f"{total} requests in {wall:.1f} s ({total / wall:.0f}/s); "
        f"server CPU {cpu / total * 1000:.1f} ms a request"
    )
    for route, times in results.items():
        times.sort()
        p50 = statistics.median(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"  {route:>6}: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  (n={len(times)})"
        )


if __name__ == "__main__":
    main()
