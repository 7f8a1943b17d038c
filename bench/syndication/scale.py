"""Scale benchmark: find_origins on N synthetic articles (default 100,000); prints time and peak memory.

    python bench/syndication/scale.py [N]

Articles are random Zipf-distributed words in sentences of 8-30 words, 6-30 sentences in 3-12
paragraphs; 30% of the articles are copies, excerpts or versions of another (under its headline), and 10%
end with one of 20 shared boilerplate paragraphs (a sentence in thousands of articles: the worst case for
candidate pairs). Headlines are 4-10 random words; 5% of the articles carry one of 20 shared headlines
(a site name taken for a headline).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsfold.models import Article  # noqa: E402
from newsfold.syndication import find_origins  # noqa: E402


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(n: int, seed: int = 0) -> tuple[list[Article], int]:
    """N articles and the number of gold pairs sharing an origin."""
    rng = np.random.default_rng(seed)
    vocab = [
        "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), size=int(k)))
        for k in rng.integers(2, 11, 50_000)
    ]
    ranks = np.arange(1, len(vocab) + 1)
    p = 1.0 / ranks**1.1
    p /= p.sum()

    stream = rng.choice(len(vocab), size=n * 500, p=p)  # word indices, drawn at once (fast)
    cursor = [0]

    def sentence() -> str:
        k = int(rng.integers(8, 31))
        at = cursor[0] % (len(stream) - 31)
        cursor[0] += k
        return " ".join(vocab[i] for i in stream[at : at + k]).capitalize() + "."

    boilerplate = [" ".join(sentence() for _ in range(2)) for _ in range(20)]
    articles: list[Article] = []
    bases: list[list[str]] = []
    titles: list[str] = []
    site_names = [sentence().rstrip(".") for _ in range(20)]
    gold_pairs = 0
    group_sizes: dict[int, int] = {}
    while len(articles) < n:
        i = len(articles)
        if bases and rng.random() < 0.3:
            b = int(rng.integers(len(bases)))
            paragraphs = list(bases[b])
            title = titles[b]
            kind = rng.choice(["copy", "excerpt", "version"])
            if kind == "excerpt":
                paragraphs = paragraphs[: max(1, len(paragraphs) // 3)]
            elif kind == "version":
                paragraphs[int(rng.integers(len(paragraphs)))] = sentence()
                paragraphs.insert(int(rng.integers(len(paragraphs) + 1)), sentence() + " " + sentence())
            gold_pairs += group_sizes.get(b, 1)
            group_sizes[b] = group_sizes.get(b, 1) + 1
        else:
            sentences = [sentence() for _ in range(int(rng.integers(6, 31)))]
            cuts = sorted(
                rng.choice(range(1, len(sentences)), size=min(len(sentences) - 1, 11), replace=False)
            )
            k = int(rng.integers(3, 13))
            cuts = sorted(cuts[: k - 1])
            paragraphs = [
                " ".join(sentences[a:b]) for a, b in zip([0, *cuts], [*cuts, len(sentences)], strict=True)
            ]
            bases.append(paragraphs)
            title = " ".join(sentence().split()[: int(rng.integers(4, 11))])
            titles.append(title)
        if rng.random() < 0.05:
            title = site_names[int(rng.integers(20))]
        if rng.random() < 0.1:
            paragraphs = [*paragraphs, boilerplate[int(rng.integers(20))]]
        articles.append(Article(id=f"a{i}", title=title, paragraphs=tuple(paragraphs), published=None))
    return articles, gold_pairs


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t = time.perf_counter()
    articles, gold_pairs = synthetic(n)
    words = sum(len(p.split()) for a in articles for p in a.paragraphs)
    print(
        f"built {n} articles ({words / n:.0f} words each) in {time.perf_counter() - t:.0f}s; "
        f"peak RSS {rss_mb():.0f} MB with the articles in memory"
    )
    before = rss_mb()
    t, cpu = time.perf_counter(), time.process_time()
    groups = find_origins(articles)
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    found_pairs = sum(len(g.members) * (len(g.members) - 1) // 2 for g in groups)
    print(
        f"find_origins: {n} articles in {seconds:.0f}s wall, {cpu:.0f}s CPU ({n / seconds:.0f} articles/s), "
        f"peak RSS {rss_mb():.0f} MB (+{rss_mb() - before:.0f} MB over the articles); "
        f"{len(groups)} groups, {found_pairs} same-origin pairs found, {gold_pairs} in the gold"
    )


if __name__ == "__main__":
    main()
