"""Thread linking (newsfold.cluster.threads) on ECB+ dev, a synthetic thread check, the seeds and zyte.

usage: python bench/bench_threads.py [N]      (N: synthetic articles for the scale check, default 10000)

What can be measured here, and what cannot:
- ECB+ dev (each topic: two similar but different events, e.g. two Chargers players' DUI arrests). The
  stories come from `cluster_stories` on the raw texts (shipped models, in-sample); threads never change
  them, so the story BCubed is printed as a check. Each thread join of two stories is counted by the
  stories' gold events (majority): the same event (a story split that the thread links back: wanted), two
  events of one topic (unwanted, unless the events are linked), two topics (unwanted). ECB+ holds no true
  threads, so this measures precision of the linking, not its recall.
- Synthetic threads: each ECB+ event's documents split into two stories (first half, second half). A
  thread should link the halves and nothing else. Halves of one event share more than the parts of a real
  saga do (the same people and places, the same day), so this recall is an upper bound of real recall.
- The seeds (one event, five pages): one thread. The zyte pages (181 news and blog pages of November
  2019): no gold threads; the joined stories are printed for reading.
- Scale: bench/bench_cluster_scale.py's synthetic stream (10 articles an event, 160,000 possible names),
  each event split into two stories a day apart: seconds of `link_threads`, halves linked, and joins of
  different events (all wrong: the synthetic events share no people).
DUC 2004 (real threads: a story followed for weeks) is held out and was not used.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cluster_scale import synthetic  # noqa: E402
from bench_ecbplus import seed_articles, zyte_articles  # noqa: E402
from newsfold.cluster import cluster_stories  # noqa: E402
from newsfold.cluster.profile import profiles_of  # noqa: E402
from newsfold.cluster.threads import link_threads  # noqa: E402
from newsfold.engine.local import story_id_for  # noqa: E402
from newsfold.models import Article, Story, Thread  # noqa: E402
from newsfold.settings import ClusterSettings  # noqa: E402
from train_cluster import bcubed, ecb_article, ecb_records  # noqa: E402


def stories_of(members: list[tuple[str, ...]]) -> list[Story]:
    """Bare stories (no headline, no date: ECB+ has neither) named as the engine names them."""
    return [Story(story_id_for(ids), None, ids) for ids in members]


def joins(threads: list[Thread], event_of_story: dict[str, Any], topic_of: dict[Any, int]) -> Counter[str]:
    """Pairs of stories sharing a thread, by their gold events: same event, same topic, other topics."""
    out: Counter[str] = Counter()
    for thread in threads:
        for i, a in enumerate(thread.stories):
            for b in thread.stories[i + 1 :]:
                ea, eb = event_of_story[a], event_of_story[b]
                same_topic = ea in topic_of and topic_of[ea] == topic_of.get(eb)
                out["same event" if ea == eb else "same topic" if same_topic else "other topic"] += 1
    return out


def majority(ids: tuple[str, ...], event: dict[str, str]) -> str:
    return Counter(event[i] for i in ids).most_common(1)[0][0]


def main() -> None:
    records = ecb_records()
    event = {r["id"]: r["event"] for r in records}
    topic_of = {r["event"]: r["topic"] for r in records}
    articles = [ecb_article(r) for r in records]
    stories = stories_of(cluster_stories(articles))
    threads = link_threads(stories, articles)
    label = {i: s.id for s in stories for i in s.articles}
    f1, p, r = bcubed(event, label)
    print(f"ECB+ dev: {len(records)} documents, {len(set(event.values()))} events, {len(stories)} stories")
    print(f"  stories BCubed F1 {f1:.3f} P {p:.3f} R {r:.3f} (threads leave stories as they are)")
    thread_of = {s: t.id for t in threads for s in t.stories}
    f1, p, r = bcubed(event, {i: thread_of[s.id] for s in stories for i in s.articles})
    print(f"  threads as clusters of articles vs gold events: BCubed F1 {f1:.3f} P {p:.3f} R {r:.3f}")
    story_event = {s.id: majority(s.articles, event) for s in stories}
    counts = joins(threads, story_event, topic_of)
    print(f"  {len(threads)} threads; story pairs joined: same event {counts['same event']}, "
          f"two events of one topic {counts['same topic']}, two topics {counts['other topic']}")
    for thread in threads:
        found = sorted({story_event[s] for s in thread.stories})
        if len(found) > 1:
            print(f"    thread joins events {found}")
    related = [len(rel) for t in threads for rel in t.related]
    print(f"  related stories per story: mean {sum(related) / len(related):.2f}, none {related.count(0)}")

    halves = []
    for ev in sorted(set(event.values())):
        ids = tuple(r["id"] for r in records if r["event"] == ev)
        half = len(ids) // 2
        halves += [ids[:half], ids[half:]]
    half_stories = stories_of(halves)
    half_event = {s.id: event[s.articles[0]] for s in half_stories}
    threads = link_threads(half_stories, articles)
    counts = joins(threads, half_event, topic_of)
    linked = sum(1 for t in threads for ev in {half_event[s] for s in t.stories}
                 if sum(half_event[s] == ev for s in t.stories) == 2)
    print(f"synthetic threads (each ECB+ event split into two stories): halves linked {linked}/"
          f"{len(halves) // 2}; joins across events of one topic {counts['same topic']}, "
          f"across topics {counts['other topic']}")
    for thread in threads:
        found = sorted({half_event[s] for s in thread.stories})
        if len(found) > 1:
            print(f"    thread joins events {found}")

    seeds = seed_articles()
    seed_stories = stories_of(cluster_stories(seeds))
    print(f"seeds (one event): {len(seed_stories)} stories, "
          f"{len(link_threads(seed_stories, seeds))} threads")

    zyte = zyte_articles()
    by_id: dict[str, Article] = {a.id: a for a in zyte}
    zyte_stories = stories_of(cluster_stories(zyte))
    threads = link_threads(zyte_stories, zyte)
    story_of = {s.id: s for s in zyte_stories}
    joined = [t for t in threads if len(t.stories) > 1]
    print(f"zyte ({len(zyte)} pages): {len(zyte_stories)} stories, {len(threads)} threads, "
          f"{len(joined)} of more than one story:")
    for thread in joined:
        print(f"  {thread.id}")
        for s in thread.stories:
            print(f"    {by_id[story_of[s].articles[0]].text[:100]!r}")

    scale(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)


def scale(n: int) -> None:
    """Seconds, halves linked and wrong joins of `link_threads` on n synthetic articles."""
    articles: list[Article] = []
    events: dict[int, list[Article]] = {}
    for article, ev in synthetic(n):
        articles.append(article)
        events.setdefault(ev, []).append(article)
    stories: list[Story] = []
    event_of: dict[str, int] = {}
    for ev, members in sorted(events.items()):
        half = len(members) // 2
        day = members[0].published or "2000-03-01"
        for part, date in ((members[:half], day), (members[half:], day[:-2] + f"{int(day[-2:]) + 1:02d}")):
            story = Story(f"s-{part[0].id}", None, tuple(a.id for a in part), event_date=date)
            stories.append(story)
            event_of[story.id] = ev
    start = time.perf_counter()
    profiles = profiles_of(articles, ClusterSettings())
    profiled = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    threads = link_threads(stories, articles, profiles=profiles)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    counts = joins(threads, event_of, {})
    linked = sum(1 for t in threads for ev in {event_of[s] for s in t.stories}
                 if sum(event_of[s] == ev for s in t.stories) == 2)
    print(f"scale: {n} synthetic articles, {len(stories)} stories (each event in two): profiles "
          f"{profiled:.1f}s (the clustering's, made once), link_threads {seconds:.1f}s ({cpu:.2f}s CPU); "
          f"halves linked {linked}/{len(events)}; "
          f"joins of different events {sum(counts.values()) - counts['same event']}")


if __name__ == "__main__":
    main()
