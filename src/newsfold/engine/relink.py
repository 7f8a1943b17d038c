"""Threads relinked where an ingest reaches, as a batch fold of the same articles links them.

Which stories are compared is a property of the pair (`newsfold.cluster.threads`): both hold an index key
that at most `ThreadSettings.key_stories` stories hold. So an ingest that
rewrites some stories and drops others changes only
- the pairs of those stories, and of the stories holding a key whose count crossed `key_stories` (it
  starts or stops relating its holders: they are compared again, "repaired");
- the related stories of every story in a pair that came or went;
- the threads (connected components of the linked pairs) that hold any of them, before or after.
Everything else is read from the store's thread tables (each story's `StoryFacts`, thread and related
ids; the index keys; the linked or related pairs), never recomputed: an
ingest reads the facts of the stories sharing a usable key with what it rewrote, at most
2 * index_keys * key_stories a story, not the store. With no thread tables derived with these settings
(an older store, other settings) the tables are derived from every story: a whole-store run, once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from newsfold.cluster.profile import Profile
from newsfold.cluster.threads import (
    StoryFacts,
    ThreadPair,
    compared_pair,
    related_of,
    story_facts,
    thread_id_of,
    thread_pairs,
    threads_of,
    time_order,
)
from newsfold.models import Story
from newsfold.settings import Settings
from newsfold.store import Store, ThreadsUpdate

__all__ = ["Relinked", "relink"]

ProfileOf = Callable[[str], Profile]


@dataclass
class Relinked:
    """What relinking gives: the rewritten stories with their thread and related filled, the other stored
    stories whose thread or related changed (with their updated JSON), and the rows to write."""

    stories: list[Story]
    patched: list[tuple[Story, dict[str, Any]]]
    update: ThreadsUpdate


def relink(
    store: Store,
    stories: Sequence[Story],
    ranks: dict[str, int],
    gone: Iterable[str],
    profile_of: ProfileOf,
    settings: Settings,
    every_story: Callable[[], list[tuple[Story, int]]],
) -> Relinked:
    """Relink threads after an ingest rewrote `stories` (each with its input rank in `ranks`: its first
    article's place) and dropped the stored stories `gone`. `profile_of`: an article's clustering
    profile; `every_story`: every story after the ingest with its rank (read only for a whole-store run)."""
    fingerprint = json.dumps(
        {"threads": asdict(settings.threads), "cluster": asdict(settings.cluster)}, sort_keys=True
    )
    facts = {s.id: _facts(s, ranks[s.id], profile_of, settings) for s in stories}
    if store.get_state("threads_settings") != json.loads(fingerprint):
        return _whole(store, stories, facts, every_story(), profile_of, settings, fingerprint)
    return _Relinking(store, facts, set(gone), settings).run(stories)


def _facts(story: Story, rank: int, profile_of: ProfileOf, settings: Settings) -> StoryFacts:
    return story_facts(story, rank, [profile_of(a) for a in story.articles], settings)


def _whole(
    store: Store,
    stories: Sequence[Story],
    facts: dict[str, StoryFacts],
    every: list[tuple[Story, int]],
    profile_of: ProfileOf,
    settings: Settings,
    fingerprint: str,
) -> Relinked:
    """Every story's facts and pairs derived again (the thread tables rebuilt from scratch)."""
    ordered = sorted(every, key=lambda sr: sr[1])
    all_facts = [facts.get(s.id) or _facts(s, rank, profile_of, settings) for s, rank in ordered]
    pairs = thread_pairs(all_facts, settings.threads)
    threads = threads_of(all_facts, pairs, settings.threads)
    new = {
        story: (thread.id, [r.story for r in related])
        for thread in threads
        for story, related in zip(thread.stories, thread.related, strict=True)
    }
    stored = store.story_threads()
    patched = []
    for story, _ in ordered:
        if story.id in facts or story.id not in stored:
            continue
        thread, related = new[story.id]
        if (stored[story.id][2], stored[story.id][3]) != (thread, related):
            patched.append(_patch(store, story.id, thread, related))
    update = ThreadsUpdate(facts=all_facts, pairs=pairs, threads=new, rebuild=True, settings=fingerprint)
    return Relinked(_filled(stories, new), patched, update)


def _filled(stories: Sequence[Story], new: dict[str, tuple[str, list[str]]]) -> list[Story]:
    return [replace(s, thread=new[s.id][0], related=tuple(new[s.id][1])) for s in stories]


def _patch(store: Store, story_id: str, thread: str, related: list[str]) -> tuple[Story, dict[str, Any]]:
    """A stored story's JSON with its thread and related replaced (and the bare Story the store writes)."""
    data = {**(store.story(story_id) or {}), "thread": thread, "related": related}
    story = Story(story_id, data.get("headline"), tuple(data.get("articles", ())),
                  event_date=data.get("event_date"))
    return story, data


class _Relinking:
    """One ingest's relinking: the stories it rewrote (`facts`) and dropped (`gone`), against the store."""

    def __init__(
        self, store: Store, facts: dict[str, StoryFacts], gone: set[str], settings: Settings
    ) -> None:
        self.store = store
        self.facts = facts
        self.settings = settings.threads
        self.gone = gone - set(facts)  # dropped for good
        self.changed = set(facts) | gone  # stored rows that go (a rewritten story is stored again)
        self.counts: dict[str, int] = {}
        self.holders: dict[str, list[str]] = {}
        self.fresh: dict[str, list[str]] = {}  # key -> the rewritten stories holding it, in `facts` order
        for f in facts.values():
            for key in dict.fromkeys(f.keys):
                self.fresh.setdefault(key, []).append(f.story)

    def run(self, stories: Sequence[Story]) -> Relinked:
        store, limit = self.store, self.settings.key_stories
        old_keys = store.thread_keys_of(self.changed)
        touched = {k for keys in old_keys.values() for k in keys}
        touched |= {k for f in self.facts.values() for k in f.keys}
        before = store.thread_key_counts(touched)
        count = Counter(before)
        for keys in old_keys.values():
            count.subtract(keys)
        for f in self.facts.values():
            count.update(f.keys)
        self.counts = {k: count[k] for k in touched}
        flipped = sorted(k for k in touched if (before[k] > limit) != (self.counts[k] > limit))
        repaired = {s for found in store.thread_key_holders(flipped).values() for s in found} - self.changed
        work = {**self.facts, **store.thread_facts(repaired)}  # the stories compared anew
        new_pairs = self._pairs(work)
        redone = self.changed | repaired  # their stored pairs go
        deleted = store.thread_pairs_of(redone)
        in_changed_pairs = {x for p in deleted + new_pairs for x in (p.a, p.b)}
        related = self._related(set(work) | in_changed_pairs, redone, new_pairs)
        threads = self._threads(work, redone, new_pairs)
        stored = store.thread_rows((set(related) | set(threads)) - set(self.facts))
        new: dict[str, tuple[str, list[str]]] = {}
        patched = []
        for story in sorted(set(related) | set(threads)):
            row = stored.get(story)
            if story not in self.facts and row is None:
                continue  # not stored (cannot happen in a consistent store)
            thread = threads.get(story) or (row[2] if row else thread_id_of(story))
            ids = related[story] if story in related else (row[3] if row else [])
            if story in self.facts:
                new[story] = (thread, ids)
            elif row is not None and (row[2], row[3]) != (thread, ids):
                new[story] = (thread, ids)
                patched.append(_patch(store, story, thread, ids))
        update = ThreadsUpdate(
            dropped=self.changed,
            repaired=repaired,
            facts=list(self.facts.values()),
            pairs=new_pairs,
            threads=new,
        )
        return Relinked(_filled(stories, new), patched, update)

    def _pairs(self, work: dict[str, StoryFacts]) -> list[ThreadPair]:
        """The linked or related pairs of the stories in `work` (each pair once)."""
        known = dict(work)
        self._read_keys({k for f in work.values() for k in f.keys})
        near = {story: self._near(f) for story, f in work.items()}
        known.update(self.store.thread_facts({s for found in near.values() for s in found} - known.keys()))
        pairs: dict[tuple[str, str], ThreadPair | None] = {}
        for story, found in near.items():
            for other in found:
                key = (story, other) if story < other else (other, story)
                if key not in pairs:
                    pairs[key] = compared_pair(known[story], known[other], self.settings)
        return [p for p in pairs.values() if p is not None]

    def _read_keys(self, keys: set[str]) -> None:
        """Read the counts and holders of these keys that `_near` will ask for, in a few queries."""
        self.counts.update(self.store.thread_key_counts(keys - self.counts.keys()))
        wanted = [k for k in keys if k not in self.holders and self._usable(k)]
        stored = self.store.thread_key_holders(wanted)
        for key in wanted:
            self._hold(key, stored.get(key, []))

    def _hold(self, key: str, stored: list[str]) -> None:
        """The holders of a key after this ingest: the stored ones not rewritten or dropped, the fresh."""
        self.holders[key] = [h for h in stored if h not in self.changed] + self.fresh.get(key, [])

    def _usable(self, key: str) -> bool:
        """Whether a key relates its holders after this ingest (held by at most `key_stories` stories)."""
        if key not in self.counts:  # not a key of a story this ingest rewrote or dropped: unchanged
            self.counts[key] = self.store.thread_key_counts([key])[key]
        return self.counts[key] <= self.settings.key_stories

    def _near(self, f: StoryFacts) -> set[str]:
        """The stories (after this ingest) sharing at least `shared_keys` usable keys with `f`."""
        shared: Counter[str] = Counter()
        for key in f.keys:
            if not self._usable(key):
                continue
            if key not in self.holders:
                self._hold(key, self.store.thread_key_holders([key]).get(key, []))
            shared.update(self.holders[key])
        shared.pop(f.story, None)
        return {story for story, count in shared.items() if count >= self.settings.shared_keys}

    def _related(
        self, stories: set[str], redone: set[str], new_pairs: list[ThreadPair]
    ) -> dict[str, list[str]]:
        """The related ids (after this ingest) of each of `stories` still in the store."""
        mine: dict[str, list[ThreadPair]] = {}
        for p in new_pairs:
            mine.setdefault(p.a, []).append(p)
            mine.setdefault(p.b, []).append(p)
        out = {}
        for story in stories - self.gone:
            kept = [] if story in redone else [
                p for p in self.store.thread_pairs_of([story]) if p.a not in redone and p.b not in redone
            ]
            out[story] = [r.story for r in related_of(story, kept + mine.get(story, []), self.settings)]
        return out

    def _threads(
        self, work: dict[str, StoryFacts], redone: set[str], new_pairs: list[ThreadPair]
    ) -> dict[str, str]:
        """Thread id (after this ingest) of every story of a thread that changed: the components of the
        linked pairs reached from the stories compared anew and from the threads they were in."""
        store = self.store
        old = {row[2] for row in store.thread_rows(redone).values()}
        seeds = (set(work) | set(store.thread_members(old))) - self.gone
        linked: dict[str, list[str]] = {}
        for p in new_pairs:
            if p.linked:
                linked.setdefault(p.a, []).append(p.b)
                linked.setdefault(p.b, []).append(p.a)
        out: dict[str, str] = {}
        for seed in sorted(seeds):
            if seed in out:
                continue
            component, stack = {seed}, [seed]
            while stack:
                story = stack.pop()
                mates = list(linked.get(story, ()))
                if story not in redone:
                    mates += [
                        p.b if p.a == story else p.a
                        for p in store.thread_pairs_of([story], linked_only=True)
                        if p.a not in redone and p.b not in redone
                    ]
                for mate in mates:
                    if mate not in component:
                        component.add(mate)
                        stack.append(mate)
            orders = {s: f.order for s, f in work.items() if s in component}
            rows = store.thread_rows(component - orders.keys())
            orders.update({s: time_order(day, rank) for s, (rank, day, _, _) in rows.items()})
            first = min(component, key=lambda s: orders[s])
            for story in component:
                out[story] = thread_id_of(first)
        return out

