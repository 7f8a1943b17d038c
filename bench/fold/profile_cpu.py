"""CPU seconds of the clustering profiles (`profiles_of`) of two checkouts, alternating, and whether every
profile is the same bit for bit.

    python bench/fold/profile_cpu.py --old /work/main/src --new src [--pairs 3] [DIR]

The articles are made once, in this process, with the `--new` checkout: the pages of DIR (default
bench/out/fold-corpus-2400) read and cleaned as the fold does, and the texts of ../shared/bench (zyte and
Fundus gold bodies and titles, their HTML pages cleaned, ECB+ dev documents). Each round then profiles all
of them in a fresh process of each checkout (`PYTHONPATH=<src>`), old and new alternating, with the garbage
collector set as the fold sets it (`batch_collector`), and reports the CPU seconds of making the lexicon
(`Lexicon`: the word list read whole, once a `profiles_of` call), of `profile_of` over the corpus's articles
with that one lexicon (as the fold's `profiles_of` does), and of `profiles_of` over the shared texts (its
lexicon included); the profiles of each run (`Profile.to_state`, floats written by `repr`) are compared
with the first run's.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").is_dir() else Path("/work/shared")


def shared_articles() -> list:
    """The zyte and Fundus gold bodies (with their titles) and ECB+ dev documents as articles, and the
    zyte and Fundus HTML pages cleaned."""
    from newsfold.engine.local import clean_all
    from newsfold.models import Article
    from newsfold.read import read_many
    from newsfold.settings import Settings

    out = []
    for name in ("zyte", "fundus-fixtures"):
        gold = json.loads((SHARED / "bench" / name / "ground-truth.json").read_text(encoding="utf-8"))
        for key, page in sorted(gold.items()):
            lines = tuple(p for p in (page.get("articleBody") or "").split("\n") if p.strip())
            out.append(Article(f"{name}:{key}", page.get("title"), lines))
        pages = read_many([SHARED / "bench" / name / "html"]).pages
        out += clean_all(pages, settings=Settings()).articles
    for line in (SHARED / "bench" / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        out.append(Article(f"ecb:{record['id']}", None, tuple(record["text"].splitlines())))
    return out


PARTS = {
    "lexicon": "Lexicon(settings) CPU s (the word list read)",
    "corpus": "profile_of CPU s, fold corpus ({0} articles, one lexicon)",
    "shared": "profiles_of CPU s, zyte + Fundus + ECB+ ({1} articles, lexicon included)",
}


def make_articles(folder: Path, path: Path) -> None:
    """Pickle (corpus articles, shared articles) to `path`."""
    from newsfold.engine.local import clean_all
    from newsfold.read import read_many
    from newsfold.settings import Settings

    corpus = clean_all(read_many([folder]).pages, settings=Settings()).articles
    with open(path, "wb") as f:
        pickle.dump((corpus, shared_articles()), f)


def run(path: Path, out: Path) -> None:
    """Profile the pickled articles; print the CPU seconds as JSON; write the profiles to `out`."""
    from newsfold.cluster.profile import Lexicon, profile_of, profiles_of
    from newsfold.engine.worker import batch_collector
    from newsfold.settings import ClusterSettings

    with open(path, "rb") as f:
        corpus, shared = pickle.load(f)
    settings = ClusterSettings()
    profiles_of(corpus[:20], settings)  # imports and first calls, outside the timing
    with batch_collector():  # the garbage collector as the fold sets it
        before = time.process_time()
        lexicon = Lexicon(settings)  # `profiles_of`: one lexicon (the word list read whole) for the chunk
        lexicon_cpu = time.process_time() - before
        before = time.process_time()
        profiles = [profile_of(article, lexicon, settings) for article in corpus]
        corpus_cpu = time.process_time() - before
        before = time.process_time()
        profiles += profiles_of(shared, settings)
        shared_cpu = time.process_time() - before
    with gzip.open(out, "wt", encoding="utf-8") as f:
        for profile in profiles:
            f.write(json.dumps(profile.to_state(), ensure_ascii=False) + "\n")
    seconds = {"lexicon": lexicon_cpu, "corpus": corpus_cpu, "shared": shared_cpu}
    print(json.dumps({**seconds, "n": [len(corpus), len(shared)]}))


def digest(path: Path) -> str:
    with gzip.open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def first_difference(a: Path, b: Path) -> str:
    with gzip.open(a, "rt", encoding="utf-8") as fa, gzip.open(b, "rt", encoding="utf-8") as fb:
        for k, (x, y) in enumerate(zip(fa, fb, strict=False)):
            if x != y:
                return f"line {k}: {x[:300]} != {y[:300]}"
    return "lengths differ"


def compare(args: argparse.Namespace) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="profile_cpu_"))
    pickled = args.articles or tmp / "articles.pkl"
    env = {**os.environ, "PYTHONPATH": str(Path(args.new).resolve())}
    here = str(Path(__file__).resolve())
    if not pickled.exists():
        subprocess.run([sys.executable, here, "--make", str(pickled), str(args.folder)], env=env, check=True)
    print(f"load average {os.getloadavg()}")
    cpu: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    reference: Path | None = None
    same = True
    for k in range(args.pairs):
        for name in ("old", "new") if k % 2 == 0 else ("new", "old"):
            env = {**os.environ, "PYTHONPATH": str(Path(getattr(args, name)).resolve())}
            out = tmp / f"{name}{k}.jsonl.gz"
            done = subprocess.run(
                [sys.executable, here, "--run", str(pickled), str(out)],
                env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            cpu[name].append(json.loads(done.stdout.splitlines()[-1]))
            reference = reference or out
            if digest(out) != digest(reference):
                same = False
                print(f"{name} round {k} differs: {first_difference(reference, out)}")
            seconds = {part: round(cpu[name][-1][part], 3) for part in ("lexicon", "corpus", "shared")}
            print(f"round {k} {name}: {json.dumps(seconds)}")
    n = cpu["old"][0]["n"]
    for part, what in PARTS.items():
        old = [c[part] for c in cpu["old"]]
        new = [c[part] for c in cpu["new"]]
        print(
            f"{what.format(*n)}: old median "
            f"{statistics.median(old):.3f} min {min(old):.3f}; new median {statistics.median(new):.3f} min "
            f"{min(new):.3f}; new/old (medians) {statistics.median(new) / statistics.median(old):.2f}"
        )
    print(f"load average {os.getloadavg()}")
    print("every profile identical:", same)
    return 0 if same else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "bench" / "out" / "fold-corpus-2400")
    parser.add_argument("--old", help="the src folder of the checkout to compare with")
    parser.add_argument("--new", default=str(ROOT / "src"))
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument(
        "--articles", type=Path, help="the articles pickled by an earlier run (made if missing)"
    )
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make_articles(args.folder, args.make)
        return 0
    if args.run:
        run(*args.run)
        return 0
    if not args.old:
        parser.error("--old SRC is required (e.g. --old /work/main/src)")
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
