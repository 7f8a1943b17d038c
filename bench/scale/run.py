"""`newsfold fold` at 10k, 100k and 1M pages of recombined real text, whole process, the peers beside it.

    python bench/scale/run.py 10k 100k 1M [--format txt|jsonl] [--cap 3600] [--workers N] [--no-peer]
                              [--largest-story N] [--memory GB] [--resume]

For each size, the corpus is bench/out/scale-SIZE[-jsonl][-maxN]/ (made by generate.py, seed 7, if
missing; `--largest-story N` cuts stories to N pages). Outputs go to bench/out/run-CORPUS/.
Each system runs once as a fresh process (imports included) under a time cap, killed (its own process
group) when the cap is reached:

- newsfold: `python -m newsfold fold DIR --out OUT --quiet --timings` (the options the installed CLI
  offers: without `--out`, `--json > OUT/fold.json`; `--workers N` and `--timings` only when `--help`
  lists them);
- the peers' pipeline, bench/fold/peer_pipeline.py (jusText + datasketch MinHashLSH + scikit-learn
  TF-IDF average link), where it is in the checkout and the corpus is `.txt` dumps, under the same cap.

Each process's address space is capped (`--memory`, `--peer-memory`): past it the run fails with a
MemoryError instead of the kernel's OOM killer choosing a process on a shared machine.

Measured: wall and CPU seconds (the process and its workers: from wait4, and sampled from /proc for
workers that are not the command's children, as a fork server's are), pages/s and MB/s of input, peak RSS
of the largest process (wait4 and sampled) and of the whole process tree (sampled from /proc every
0.2 s), each stage's share when the command prints its timings on stderr. Scored against the
generator's gold when the output is there: pair F1 of origins (pages sharing an origin) and BCubed F1 of
stories (../shared/tools/bcubed.py). One JSON line a run is appended to bench/out/scale-results.jsonl.

A fold longer than a session (or stopped by the cap, a kill, a reboot) continues with `--resume`: newsfold
runs `fold ... --out OUT --resume` in the same output folder and continues from its recorded state
(`fold --help` must list `--resume`); each newsfold run's measurements are kept in
OUT/newsfold-runs.jsonl until one finishes, and the line recorded then gives wall and CPU seconds summed
over the runs, peak RSS as the largest of any run, and `runs`, how many it took (the stages' seconds are
newsfold's own `--timings`, which sum the runs that made each stage's recorded results).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out"
PEER = ROOT / "bench" / "fold" / "peer_pipeline.py"
sys.path.insert(0, str(ROOT.parent / "shared" / "tools"))
from bcubed import bcubed  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.2


@dataclass
class Run:
    """One command's measurements and scores."""

    system: str
    pages: int
    megabytes: float
    status: str = "ok"  # ok | failed (code) | capped | no output
    wall: float = 0.0
    cpu: float = 0.0
    peak_rss_mb: float = 0.0  # the largest single process
    tree_rss_mb: float = 0.0  # the whole process tree, sampled
    stages: dict[str, float] = field(default_factory=dict)
    runs: int = 1  # the processes it took: a fold stopped and resumed (`--resume`) takes several
    origin_pair: tuple[float, float, float] | None = None  # P, R, F1
    story_bcubed: tuple[float, float, float] | None = None  # P, R, F1

    def line(self) -> str:
        rate = (
            f"{self.pages / self.wall:8.0f} pages/s {self.megabytes / self.wall:6.2f} MB/s"
            if self.wall
            else ""
        )
        text = (
            f"{self.system:9s} {self.pages:>9,} pages  {self.status:10s} {self.wall:8.1f} s wall "
            f"{self.cpu:8.1f} s cpu {rate}  RSS {self.peak_rss_mb:,.0f} MB (tree {self.tree_rss_mb:,.0f} MB)"
        )
        if self.runs > 1:
            text += f"  in {self.runs} runs"
        if self.stages:
            total = sum(self.stages.values()) or 1.0
            text += "\n          stages: " + ", ".join(
                f"{k} {v:.1f} s ({100 * v / total:.0f}%)" for k, v in self.stages.items()
            )
        if self.origin_pair:
            text += "\n          origins pair P/R/F1 {:.3f}/{:.3f}/{:.3f}".format(*self.origin_pair)
        if self.story_bcubed:
            text += "\n          stories BCubed P/R/F1 {:.3f}/{:.3f}/{:.3f}".format(*self.story_bcubed)
        return text


def size_of(label: str) -> int:
    """'10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", label)
    if not m:
        raise SystemExit(f"run.py: {label}: not a size (e.g. 10k, 100k, 1M)")
    return int(float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()])


def corpus(label: str, fmt: str, seed: int, largest: int | None) -> Path:
    """bench/out/scale-LABEL[-jsonl][-maxN]/, generated when missing or made with other arguments."""
    name = f"scale-{label}" + ("" if fmt == "txt" else f"-{fmt}") + (f"-max{largest}" if largest else "")
    folder = OUT / name
    manifest = folder / "manifest.json"
    want: dict[str, object] = {"pages": size_of(label), "seed": seed, "format": fmt}
    if largest:
        want["largest_story"] = largest
    if manifest.is_file():
        have = json.loads(manifest.read_text(encoding="utf-8"))
        if all(have.get(k) == v for k, v in want.items()):
            return folder
    command = [sys.executable, str(HERE / "generate.py"), str(folder), "--pages", str(want["pages"])]
    command += ["--format", fmt, "--seed", str(seed), "--force"]
    if largest:
        command += ["--largest-story", str(largest)]
    print("generating:", " ".join(command[1:]), flush=True)
    subprocess.run(command, check=True)
    return folder


def _tree_rss(group: int, ticks: dict[int, int] | None = None) -> tuple[int, int]:
    """Resident bytes of every process in one process group (read from /proc), and of the largest one.

    `ticks` gets each process's CPU clock ticks so far (utime + stime): worker processes that are not the
    command's children (forked by a fork server) are not in its rusage, so their CPU is sampled here.
    """
    total = largest = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) == group:  # fields[2] is the pgrp (after state, ppid)
                with open(f"/proc/{entry.name}/statm", "rb") as handle:
                    resident = int(handle.read().split()[1]) * PAGE_SIZE
                total += resident
                largest = max(largest, resident)
                if ticks is not None:  # fields[11], [12]: utime, stime (stat's 14th and 15th)
                    ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total, largest


def measure(run: Run, command: list[str], stdout: Path, stderr: Path, cap: float, mem_cap: int = 0) -> str:
    """Run `command` in its own process group, fill `run`'s times and memory; returns its stderr."""

    def limit() -> None:
        if mem_cap:
            resource.setrlimit(resource.RLIMIT_AS, (mem_cap, mem_cap))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with stdout.open("wb") as out, stderr.open("wb") as err:
        child = subprocess.Popen(  # this checkout's newsfold, as `newsfold_command` asked it for its options
            command, cwd=ROOT, stdout=out, stderr=err, start_new_session=True, preexec_fn=limit, env=_env()
        )
        tree = largest = 0
        ticks: dict[int, int] = {}
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            sampled = _tree_rss(child.pid, ticks)
            tree, largest = max(tree, sampled[0]), max(largest, sampled[1])
            if time.perf_counter() - started > cap:
                os.killpg(child.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                run.status = "capped"
                break
            time.sleep(SAMPLE_SECONDS)
    child.returncode = os.waitstatus_to_exitcode(status)
    run.wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Sampled (every 0.2 s): the CPU of every process of the group, fork-server workers included.
    run.cpu = max(run.cpu, sum(ticks.values()) / os.sysconf("SC_CLK_TCK"))
    run.peak_rss_mb = max(usage.ru_maxrss * 1024, largest) / 2**20
    run.tree_rss_mb = tree / 2**20
    text = stderr.read_text(encoding="utf-8", errors="replace")
    # newsfold exits 1 when some input was rejected (the rest is folded): still a run.
    crashed = "Traceback" in text or "MemoryError" in text  # exit 1 is also "some input was rejected"
    if run.status == "ok" and (child.returncode not in (0, 1) or crashed):
        run.status = f"failed ({child.returncode})"
        print(f"          {command[:4]} failed: {text.strip()[-400:]}", flush=True)
    return text


def stages_of(stderr: str) -> dict[str, float]:
    """Each stage's seconds from the last timings line on stderr: a JSON object or `name 1.2 s` pairs."""
    for line in reversed(stderr.strip().splitlines()):
        start = line.find("{")
        if start >= 0:
            try:
                found = json.loads(line[start:])
            except ValueError:
                found = None
            if isinstance(found, dict) and found and all(isinstance(v, int | float) for v in found.values()):
                return {str(k): float(v) for k, v in found.items()}
        pairs = re.findall(r"([A-Za-z_][\w-]*)\s*[=:]?\s*(\d+(?:\.\d+)?)\s*s\b", line)
        if len(pairs) >= 2:
            return {k: float(v) for k, v in pairs}
    return {}


def _options(help_text: str) -> set[str]:
    return set(re.findall(r"--[a-z][a-z-]+", help_text))


def newsfold_command(
    folder: Path, out: Path, workers: int, resume: bool = False
) -> tuple[list[str], Path | None]:
    """The fold command the CLI in this checkout supports; the JSON file it writes to stdout, if any."""
    base = [sys.executable, "-m", "newsfold", "fold"]
    found = subprocess.run(base + ["--help"], cwd=ROOT, capture_output=True, text=True, env=_env())
    options = _options(found.stdout)
    command = base + [str(folder), "--quiet"]
    json_file = None
    if "--out" in options:
        command += ["--out", str(out)]
    else:
        command += ["--json"]
        json_file = out / "fold.json"
    if "--timings" in options:
        command += ["--timings"]
    if workers and "--workers" in options:
        command += ["--workers", str(workers)]
    if resume:
        if "--resume" not in options or json_file is not None:
            raise SystemExit("run.py: --resume: this checkout's `newsfold fold` cannot resume a fold")
        command += ["--resume"]
    return command, json_file


def summed(run: Run, runs_file: Path, resume: bool) -> Run:
    """`run` with the runs before it that `runs_file` kept (with `resume`): wall and CPU summed, peak RSS
    the largest; the file keeps this run too while the fold is unfinished, and is removed once it is."""
    earlier = []
    if resume and runs_file.is_file():
        earlier = [json.loads(line) for line in runs_file.read_text(encoding="utf-8").splitlines() if line]
    elif runs_file.is_file():
        runs_file.unlink()
    total = Run(**{**asdict(run), "runs": 1 + len(earlier)})
    for before in earlier:
        total.wall += before["wall"]
        total.cpu += before["cpu"]
        total.peak_rss_mb = max(total.peak_rss_mb, before["peak_rss_mb"])
        total.tree_rss_mb = max(total.tree_rss_mb, before["tree_rss_mb"])
    if run.status == "ok":
        runs_file.unlink(missing_ok=True)
    else:
        with runs_file.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(run)) + "\n")
    return total


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(ROOT / "src"))
    return env


def read_gold(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    origins, stories = {}, {}
    with (folder / "gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            origins[row["id"]] = row["origin"]
            stories[row["id"]] = row["story"]
    return origins, stories


def _newsfold_stories(out: Path, json_file: Path | None) -> Iterator[dict]:
    if json_file is not None:
        if json_file.is_file() and json_file.stat().st_size:
            yield from json.loads(json_file.read_text(encoding="utf-8")).get("stories", [])
        return
    path = out / "stories.jsonl"
    if path.is_file():
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def pair_scores(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    """P, R and F1 over unordered pairs sharing a label, counted from label sizes (no pair is listed)."""

    def pairs(counts: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    both = pairs(Counter((gold[i], predicted[i]) for i in gold).values())
    p_all, g_all = pairs(Counter(predicted[i] for i in gold).values()), pairs(Counter(gold.values()).values())
    p = both / p_all if p_all else 1.0
    r = both / g_all if g_all else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_newsfold(run: Run, folder: Path, out: Path, json_file: Path | None) -> None:
    gold_origin, gold_story = read_gold(folder)
    story_of: dict[str, str] = {}
    origin_of: dict[str, str] = {}
    for story in _newsfold_stories(out, json_file):
        for article in story.get("articles", []):
            story_of[article] = str(story["id"])
        for k, group in enumerate(story.get("origins", [])):
            for article in group:
                origin_of[article] = f"{story['id']}/{k}"
    if not story_of:
        run.status = "no output" if run.status == "ok" else run.status
        return
    missing = sum(i not in story_of for i in gold_story)
    if missing:
        print(f"          {missing} gold pages are in no story (scored as singletons)", flush=True)
    run.origin_pair = pair_scores(gold_origin, {i: origin_of.get(i, f"~{i}") for i in gold_origin})
    f, p, r = bcubed(gold_story, {i: story_of.get(i, f"~{i}") for i in gold_story})
    run.story_bcubed = (p, r, f)


def score_peer(run: Run, folder: Path, stories_file: Path) -> None:
    if not stories_file.is_file():
        run.status = "no output" if run.status == "ok" else run.status
        return
    _, gold_story = read_gold(folder)
    label = {
        page: str(k) for k, members in enumerate(json.loads(stories_file.read_text())) for page in members
    }
    f, p, r = bcubed(gold_story, {i: label.get(i, f"~{i}") for i in gold_story})
    run.story_bcubed = (p, r, f)


def record(run: Run, label: str, command: list[str]) -> None:
    print(run.line(), flush=True)
    row = {
        "size": label,
        "command": " ".join(command[1:]),
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with (OUT / "scale-results.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row | asdict(run)) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["10k", "100k", "1M"])
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--largest-story", type=int, help="corpora with at most N pages a story")
    parser.add_argument("--cap", type=float, default=3600.0, help="seconds per run before it is killed")
    parser.add_argument("--peer-cap", type=float, help="seconds for the peers (default: --cap)")
    # Caps on each process's address space: the machine is shared, and a run the kernel's OOM killer ends
    # may take another user's process with it (newsfold of Dec 6 reached 17.7 GB in a worker at 10k).
    parser.add_argument("--memory", type=float, default=6.0, help="GB of address space per newsfold process")
    parser.add_argument("--peer-memory", type=float, default=12.0, help="GB of address space for the peers")
    parser.add_argument("--workers", type=int, default=0, help="newsfold --workers (0: its default)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument(
        "--resume", action="store_true", help="continue a stopped newsfold fold in its output folder"
    )
    parser.add_argument("--no-score", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    finished: list[Run] = []
    for label in args.sizes:
        folder = corpus(label, args.format, args.seed, args.largest_story)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        pages, megabytes = manifest["pages"], manifest["megabytes"]
        print(
            f"\n{label}: {pages:,} pages, {megabytes} MB, {manifest['stories']:,} stories, "
            f"{manifest['origins']:,} origins ({folder.relative_to(ROOT)}); cores {os.cpu_count()}, "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        out = OUT / f"run-{folder.name}"
        out.mkdir(exist_ok=True)
        command, json_file = newsfold_command(folder / "pages", out / "newsfold", args.workers, args.resume)
        (out / "newsfold").mkdir(exist_ok=True)
        run = Run("newsfold", pages, megabytes)
        stdout, stderr_file = json_file or out / "newsfold.stdout", out / "newsfold.stderr"
        stderr = measure(run, command, stdout, stderr_file, args.cap, int(args.memory * 2**30))
        run.stages = stages_of(stderr)
        run = summed(run, out / "newsfold-runs.jsonl", args.resume)
        if not args.no_score and run.status == "ok":
            score_newsfold(run, folder, out / "newsfold", json_file)
        record(run, label, command)
        finished.append(run)
        if args.no_peer or not PEER.is_file() or args.format != "txt":
            print(
                "          peers: skipped"
                + ("" if PEER.is_file() else f" ({PEER.relative_to(ROOT)} not here)")
            )
            continue
        stories_file = out / "peer-stories.json"
        stories_file.unlink(missing_ok=True)
        peer = [sys.executable, str(PEER), str(folder / "pages"), "--out", str(stories_file)]
        run = Run("peers", pages, megabytes)
        stderr = measure(
            run,
            peer,
            out / "peer.stdout",
            out / "peer.stderr",
            args.peer_cap or args.cap,
            int(args.peer_memory * 2**30),
        )
        run.stages = stages_of(stderr)
        if not args.no_score and run.status == "ok":
            score_peer(run, folder, stories_file)
        record(run, label, peer)
    growth(finished)
    return 0


def growth(runs: list[Run]) -> None:
    """How newsfold's time grows with the pages, between sizes that both finished."""
    done = sorted((r for r in runs if r.status == "ok"), key=lambda r: r.pages)
    for small, big in zip(done, done[1:], strict=False):
        print(
            f"newsfold {small.pages:,} -> {big.pages:,} pages: {big.pages / small.pages:.1f}x the pages, "
            f"{big.wall / small.wall:.1f}x the wall time, {big.cpu / small.cpu:.1f}x the CPU time"
        )


if __name__ == "__main__":
    raise SystemExit(main())
