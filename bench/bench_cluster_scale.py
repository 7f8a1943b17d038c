"""Scale of the story clustering: N synthetic articles (default 100,000), time and peak memory.

usage: python bench/bench_cluster_scale.py [N]

Synthetic news: events with their own people, places, rare words, year, day and figures; each article
tells one event in its own mix of event words and everyday English. Articles are made on the fly and fed
to one StoryIndex in chunks of 5,000 (as `newsfold ingest` would), so what grows is the index alone.
Also prints BCubed F1 against the synthetic events, a sanity check, not a quality figure.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from newsfold.cluster import StoryIndex
from newsfold.models import Article

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared" / "tools"))
from bcubed import bcubed  # noqa: E402

ARTICLES_PER_EVENT = 10
CHUNK = 5_000
EVERYDAY = (
    "the officials said on that in a was for with police government people city report after year "
    "week state public local news told where more would could home hospital family court minister "
    "support plan team result water power night morning area country group members statement"
).split()
FIRST_NAMES = (
    "John Maria David Anna Michael Sarah James Laura Robert Elena Peter Fatima Ahmed Wei Carlos Olga "
    "Ivan Yuki Kenji Amara"
).split()
SYLLABLES = "ka lo mi ren tor vas qui zel bram dor fen gul hask ith jor kev lum nar op pral".split()


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def synthetic(n: int, seed: int = 7) -> Iterator[tuple[Article, int]]:
    """(article, event number) pairs, events interleaved as a news stream interleaves them."""
    rng = random.Random(seed)
    events = n // ARTICLES_PER_EVENT
    for i in range(n):
        event = (i * 7919) % events  # spreads each event's articles through the stream
        erng = random.Random(event)
        # 160,000 possible surnames and places: real names are that varied, and a smaller pool makes
        # unrelated events share their main people by chance.
        names = [f"{erng.choice(FIRST_NAMES)} {_word(erng, 4).title()}" for _ in range(2)]
        place = _word(erng, 4).title()
        words = [_word(erng, 4) for _ in range(12)]
        year, day, figure = erng.randint(1990, 2024), erng.randint(1, 28), erng.randint(10, 999)
        sentences = []
        for _ in range(8):
            chosen = rng.sample(words, 3) + rng.sample(EVERYDAY, 8)
            rng.shuffle(chosen)
            sentences.append(f"{rng.choice(names)} {' '.join(chosen)} in {place}.")
        sentences.append(f"It happened on March {day}, {year}, and {figure} people were there.")
        yield Article(f"a{i}", None, (" ".join(sentences),), published=f"{year}-03-{day:02d}"), event


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    index = StoryIndex()
    gold: dict[str, int] = {}
    chunk: list[Article] = []
    start = time.perf_counter()
    cpu_start = time.process_time()
    for article, event in synthetic(n):
        gold[article.id] = event
        chunk.append(article)
        if len(chunk) == CHUNK:
            index.add(chunk)
            chunk = []
            done = len(gold)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            print(f"  {done:>7,} articles  {wall:7.1f}s wall  {cpu:7.1f}s CPU", flush=True)
    index.add(chunk)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pred = {a: index.story_of(a) or "" for a in gold}
    f1, p, r = bcubed(gold, pred)
    print(f"newsfold StoryIndex: {n:,} articles, {len(index.stories()):,} stories in {seconds:.1f}s wall, "
          f"{cpu:.1f}s CPU ({n / cpu:,.0f} articles per CPU second, one core), peak RSS {peak_mb:,.0f} MB; "
          f"BCubed F1 vs synthetic events {f1:.3f} (P {p:.3f} R {r:.3f})")


if __name__ == "__main__":
    main()
