"""How much the fold's origin groups and stories follow the order its inputs are given in.

    python bench/fold/input_order.py [DIR] [--shuffles 2] [--set max_component=3000 ...]

The files of a folder are read in sorted order, so a folder always folds alike (tests/engine/test_local.py);
but the same files given in another order (named one by one on the command line, a crawl's arrival order,
JSONL records) are another input: copy detection and clustering run in input order. This cleans DIR once
(default bench/out/fold-corpus-2400), then runs copy detection and clustering on its articles in sorted
order, reversed, and `--shuffles` shuffled orders, and prints per order: origin groups, stories, origin
groups split over two stories or more, a digest of the groups (members and representative) and of the
stories (each as its sorted ids: equal digests, the same partition in both orders), and stories' BCubed F1
against a gold read from the file names
(`d7-ecb-25_10ecb_0.txt` -> ECB+ topic 25's `ecb` event, `d7-zyte-<hash>_0.txt` -> that zyte article;
any other name is its own story). `--set FIELD=VALUE` overrides a `ClusterSettings` field.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from newsfold.cluster.index import cluster_stories
from newsfold.engine.local import clean_all
from newsfold.models import Article
from newsfold.read import read_many
from newsfold.settings import ClusterSettings
from newsfold.syndication import find_origins

ROOT = Path(__file__).resolve().parents[2]


def gold_story(article_id: str) -> str:
    """The gold story of a fold-corpus page from its name (module docstring)."""
    ecb = re.match(r"d\d+-ecb-(\d+)_\d+(ecbplus|ecb)_", article_id)
    if ecb:
        return f"ecb-{ecb.group(1)}-{ecb.group(2)}"
    zyte = re.match(r"d\d+-zyte-([0-9a-f]+)_", article_id)
    return f"zyte-{zyte.group(1)}" if zyte else f"alone-{article_id}"


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    """(F1, precision, recall), BCubed over the items of `gold`."""
    gold_sizes, predicted_sizes = Counter(gold.values()), Counter(predicted[i] for i in gold)
    both = Counter((gold[i], predicted[i]) for i in gold)
    precision = sum(both[gold[i], predicted[i]] / predicted_sizes[predicted[i]] for i in gold) / len(gold)
    recall = sum(both[gold[i], predicted[i]] / gold_sizes[gold[i]] for i in gold) / len(gold)
    return 2 * precision * recall / (precision + recall), precision, recall


def digest(parts: Sequence[Sequence[str]]) -> str:
    """A short digest of a partition that does not depend on the order of its parts or their members."""
    return hashlib.md5(repr(sorted(tuple(sorted(p)) for p in parts)).encode()).hexdigest()[:8]


def one_order(name: str, articles: Sequence[Article], settings: ClusterSettings) -> None:
    """Copy detection and clustering of `articles` in the order given; one line of figures."""
    started = time.process_time()
    groups = find_origins(articles)
    stories = cluster_stories(articles, groups, settings)
    story_of = {a: n for n, members in enumerate(stories) for a in members}
    split = sum(len({story_of[m] for m in g.members}) > 1 for g in groups)
    f1, precision, recall = bcubed({a.id: gold_story(a.id) for a in articles}, story_of)
    cpu = time.process_time() - started
    groups_digest = digest([(*g.members, f"representative {g.representative}") for g in groups])
    print(
        f"{name:>10}: origin groups {len(groups)} ({groups_digest}), stories {len(stories)} "
        f"({digest(stories)}), groups split over stories {split}, BCubed F1 {f1:.4f} "
        f"(P {precision:.4f}, R {recall:.4f}); {cpu:.1f} s CPU",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "bench" / "out" / "fold-corpus-2400")
    parser.add_argument("--shuffles", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], help="a ClusterSettings field: NAME=VALUE")
    args = parser.parse_args()
    overrides = {k: ast.literal_eval(v) for k, v in (item.split("=", 1) for item in args.set)}
    settings = replace(ClusterSettings(), **overrides)
    articles = list(clean_all(read_many([args.folder]).pages).articles)
    print(f"{len(articles)} articles of {args.folder}; cluster settings changed: {overrides or 'none'}")
    one_order("sorted", articles, settings)
    one_order("reversed", articles[::-1], settings)
    for seed in range(1, args.shuffles + 1):
        shuffled = list(articles)
        random.Random(seed).shuffle(shuffled)
        one_order(f"shuffle {seed}", shuffled, settings)


if __name__ == "__main__":
    main()
