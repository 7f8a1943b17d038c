"""What the clustering index holds of every article, structure by structure, from saved profiles.

    PYTHONPATH=src python bench/scale/index_memory.py /tmp/scaling-100k-profiles.pkl \
        [--gold bench/out/scale-100k-max100/gold.jsonl] [--copies 3] [--dump FILE]

Places the profiles `stories_memory.py --save-profiles` wrote into a `StoryIndex` (as `cluster_stories`
does, in a packed store in a file, as a fold past `hold_articles` keeps it), with the gold's origins as
origin groups when `--gold` is given (what copy detection finds, pair F1 ~0.997 on these corpora: the
must-links a fold makes). Just before the components are re-clustered (the placement done: what the index
holds at its largest) it measures the deep size of each structure of the index in bytes an article, and
the sizes of the largest components; then prints the peak RSS, CPU seconds and the stories' md5 (members in
story order). `--copies N` folds N copies of the profiles, each copy's ids, words and names made distinct
(a corpus N times the size, its stories N times the same ones: the memory of a bigger corpus, not the
denser components a real one makes). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import resource
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from proc_cpu import peak_mb_then_reset, status_kb  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def deep_size(value: Any, seen: set[int] | None = None) -> int:
    """Bytes of `value` and of what it holds (containers of strings, ints, tuples, arrays), each object
    counted once (`seen` shared across calls counts an object two structures share once)."""
    seen = set() if seen is None else seen
    stack, total = [value], 0
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif hasattr(item, "__dict__") and not isinstance(item, type):
            stack.extend(vars(item).values())
    return total


def profiles_from(saved: Path, copies: int) -> Iterator[Any]:
    """The saved profiles in order, `copies` times, copy k's ids prefixed with `k:` (k > 0)."""
    for k in range(copies):
        with open(saved, "rb") as handle:
            while True:
                try:
                    batch = pickle.load(handle)  # noqa: S301 (this benchmark's own file)
                except EOFError:
                    break
                yield from (p if k == 0 else _copy(p, k) for p in batch)


def _copy(profile: Any, k: int) -> Any:
    """The profile of copy k: its id, words and names prefixed with `k:` (no index key, so no candidate,
    shared with another copy: the same stories k times over, in k times the articles)."""
    return replace(profile, id=f"{k}:{profile.id}",
                   terms={f"{k}:{t}": w for t, w in profile.terms.items()},
                   names={f"{k}:{n}": w for n, w in profile.names.items()})


def gold_groups(gold: Path, ids: list[str], copies: int) -> list[Any]:
    """The gold's origins of at least two pages, as origin groups (members in input order)."""
    from newsfold.models import OriginGroup

    origin_of = {}
    with open(gold, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            origin_of[record["id"]] = record["origin"]
    members: dict[tuple[int, str], list[str]] = defaultdict(list)
    for k in range(copies):
        for ident in ids:
            if ident in origin_of:
                members[k, origin_of[ident]].append(ident if k == 0 else f"{k}:{ident}")
    return [OriginGroup(m[0], tuple(m)) for m in members.values() if len(m) > 1]


def main() -> None:
    from newsfold.cluster import index as index_module
    from newsfold.cluster.index import cluster_stories
    from newsfold.cluster.packed import PackedProfiles

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profiles", type=Path)
    parser.add_argument("--gold", type=Path, help="the corpus's gold.jsonl: its origins as origin groups")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--dump", type=Path, help="write each story's members here, one JSON line a story")
    args = parser.parse_args()
    row: dict[str, object] = {"profiles": str(args.profiles), "copies": args.copies}
    groups: list[Any] = []
    if args.gold is not None:
        ids = [p.id for p in profiles_from(args.profiles, 1)]
        groups = gold_groups(args.gold, ids, args.copies)
        del ids
        row["groups"] = len(groups)
        row["grouped_articles"] = sum(len(g.members) for g in groups)
    start_mb = status_kb("VmRSS") / 1024
    row["rss_start_mb"] = round(start_mb, 1)
    peak_mb_then_reset()
    measured: dict[str, Any] = {}
    recluster = index_module.StoryIndex._recluster

    def measuring(self: Any, roots: set[int]) -> None:
        n = max(len(self._ids), 1)
        seen: set[int] = set()
        measured["rss_placed_mb"] = round(status_kb("VmRSS") / 1024, 1)
        for name in ("_ids", "_position", "_root", "_story", "_members", "_linked", "_postings", "_recent"):
            measured[f"{name}_b"] = round(deep_size(getattr(self, name), seen) / n)
        store = self._profiles
        measured["profiles_b"] = round(
            (deep_size(store.ids, seen) + store._offsets.buffer_info()[1] * store._offsets.itemsize
             + len(store._held or b"")) / n)
        measured["roots_b"] = round(deep_size(roots, seen) / n)
        sizes = sorted((len(m) for m in self._members.values()), reverse=True)
        measured["components"] = len(sizes)
        measured["largest_components"] = sizes[:5]
        measured["articles_in_components_over_300"] = sum(s for s in sizes if s > 300)
        recluster(self, roots)

    index_module.StoryIndex._recluster = measuring  # type: ignore[method-assign]
    c = cpu()
    members = cluster_stories((), groups, profiles=profiles_from(args.profiles, args.copies),
                              store=PackedProfiles(hold_bytes=0))
    row["cpu_s"] = round(cpu() - c, 1)
    row["peak_mb"] = peak_mb_then_reset()
    row["peak_over_start_b_per_article"] = round(
        (float(row["peak_mb"]) - start_mb) * 2**20 / max(sum(map(len, members)), 1))
    row.update(measured)
    row["stories"] = len(members)
    row["rss_end_mb"] = round(status_kb("VmRSS") / 1024, 1)
    digest = hashlib.md5()  # noqa: S324 (a checksum, not security)
    for story in members:
        digest.update((json.dumps(list(story)) + "\n").encode())
    row["members_md5"] = digest.hexdigest()
    if args.dump is not None:
        with open(args.dump, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(list(story)) + "\n" for story in members)
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
