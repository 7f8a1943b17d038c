"""find_origins alone on a folder of page dumps: its time, and its accuracy where the folder has a gold.

    PYTHONPATH=src python bench/syndication/origins.py bench/out/scale-2500 [--repeat 3] [--profile]

Pages are read and cleaned as `newsfold fold` does (`read_many`, `clean_pages`); the cleaned articles
are pickled under `bench/out/cache/` (keyed by the corpus's path, file list and sizes, and the
cleaner's source files) so that repeated runs time copy detection only. With `gold.jsonl`
(`bench/scale/generate.py`: each page's origin and relation) it prints pair P/R/F1 of origins, recall
by origin size (pages), and relation accuracy on the links whose target is the origin's original page
or a verbatim copy of it (the gold relation of any other link is not known).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import itertools
import json
import pickle
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

import newsfold
from newsfold.clean import clean_pages
from newsfold.models import Article, OriginGroup
from newsfold.read import read_many
from newsfold.syndication import find_origins

CACHE = Path(__file__).resolve().parents[1] / "out" / "cache"


def _fingerprint(folder: Path) -> str:
    """What the cached articles depend on: the corpus's file list and sizes, and newsfold's sources."""
    digest = hashlib.blake2b(str(folder.resolve()).encode(), digest_size=12)
    for path in sorted(folder.rglob("*.txt")):
        digest.update(f"{path.relative_to(folder)}:{path.stat().st_size}".encode())
    for path in sorted(Path(newsfold.__file__).parent.glob("clean/*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cleaned(folder: Path) -> list[Article]:
    """The folder's pages read and cleaned, from the cache when it is current."""
    key = _fingerprint(folder)
    cache = CACHE / f"{folder.resolve().name}-{key}.pickle"
    if cache.exists():
        with cache.open("rb") as f:
            stored_key, articles = pickle.load(f)
        if stored_key == key:
            return articles
    source = folder / "pages" if (folder / "pages").is_dir() else folder
    pages, _ = read_many([source])
    articles = clean_pages(pages).articles
    CACHE.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as f:
        pickle.dump((key, articles), f)
    return articles


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {(a, b) if a < b else (b, a) for g in groups.values() for a, b in itertools.combinations(g, 2)}


def score(groups: list[OriginGroup], gold: dict[str, dict], prefix: str) -> None:
    """Pair P/R/F1 of origins, recall by origin size, and relation accuracy."""
    strip = len(prefix)
    gold_groups: dict[str, list[str]] = {}
    for page_id, row in gold.items():
        gold_groups.setdefault(row["origin"], []).append(page_id)
    found_groups = {g.representative: [m[strip:] for m in g.members] for g in groups}
    gold_pairs, found_pairs = _pairs(gold_groups), _pairs(found_groups)
    tp = len(gold_pairs & found_pairs)
    p = tp / len(found_pairs) if found_pairs else 1.0
    r = tp / len(gold_pairs) if gold_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"origins pair P/R/F1 {p:.3f}/{r:.3f}/{f:.3f} "
        f"({tp} of {len(gold_pairs)} gold, {len(found_pairs)} found)"
    )
    bands = [(2, 9), (10, 29), (30, 10**9)]
    cells = []
    for low, high in bands:
        pairs = {pair for g in gold_groups.values() if low <= len(g) <= high for pair in _pairs({"": g})}
        if pairs:
            cells.append(
                f"{low}-{high if high < 10**9 else ''} pages {len(pairs & found_pairs) / len(pairs):.3f}"
            )
    print("recall by origin size:", ", ".join(cells))
    right = total = 0
    confusion: Counter[str] = Counter()
    for g in groups:
        for link in g.copies:
            a, of = gold[link.article[strip:]], gold[link.of[strip:]]
            if a["origin"] != of["origin"] or of["relation"] not in ("original", "copy"):
                continue
            expected = a["relation"] if a["relation"] != "original" else "copy"
            total += 1
            right += expected == link.relation
            confusion[f"{expected}->{link.relation}"] += 1
    print(
        f"relation accuracy {right / total if total else 1.0:.3f} over {total} links:",
        dict(sorted(confusion.items())),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="time find_origins this many times (best kept)")
    parser.add_argument("--profile", action="store_true", help="print find_origins' cProfile (top 25)")
    args = parser.parse_args()
    t = time.perf_counter()
    articles = cleaned(args.folder)
    print(f"{len(articles)} articles ready in {time.perf_counter() - t:.1f} s")
    best_wall = best_cpu = float("inf")
    groups: list[OriginGroup] = []
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        groups = find_origins(articles)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print(
        f"find_origins: {best_wall:.2f} s wall, {best_cpu:.2f} s CPU "
        f"(best of {args.repeat}); {len(groups)} groups"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(find_origins, articles)
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    gold_file = args.folder / "gold.jsonl"
    if gold_file.exists():
        with gold_file.open() as f:
            gold = {row["id"]: row for row in map(json.loads, f)}
        ids = [a.id for a in articles]
        prefix = next((i[: len(i) - len(g)] for i in ids for g in gold if i.endswith(g)), "")
        score(groups, gold, prefix)


if __name__ == "__main__":
    main()
