"""Incremental folding into a store: new articles join their story or start one, nothing is refolded.

Each ingest does work in proportion to the new articles and what they reach, not to the store:

Copy detection. `find_origins` relates two articles only through a key both hold (a substantive sentence,
a headline, a page-lead sentence by its lede bucket; `syndication.evidence`), and a key held by more than
`max_sentence_fanout` articles relates nothing (it only weighs nothing). The store keeps every article's
keys (stable hashes) and the origin groups. An ingest re-runs `find_origins` on the affected set S only:
the new articles, closed under "holds a key that the store held at most `max_sentence_fanout` times before
this ingest" (for a page-lead key: the other rare page-lead keys of its lede bucket), plus every member of
a stored group of an article in S; it is given the corpus-wide key counts (`EvidenceCounts`).

Why S gets exactly what a batch fold of everything would give. (a) Links by rare keys after the ingest are
links by keys rare before it too (counts only grow), so S is a union of connected components of the
link graph after the ingest, and `find_origins` decides every pair, holder count, teaser, bridge and
lede deferral of a component from that component and the key counts alone; so the run on S, with the
corpus counts, is the batch result on S. (b) An article outside S holds no key of the new articles that
was rare before, so none of its keys changed status and its component (which is outside S, S being
closed) is the same before and after: its stored group, the batch result before, is still the batch
result. Not covered, so run over the whole store (as before this module): an article that is nothing
but boilerplate (its boilerplate sentences then weigh, and relate it to anchors outside any component)
among the new articles, in S, or holding a new article's sentence; MinHash near candidates
(`near_candidates`, off by default); a store whose keys were derived with other settings (or none: an
upgraded store). A group that splits (a sentence that becomes boilerplate can cut a copy link, a new
partner can change which link `_bridges` cuts) leaves must-links in the clustering state that a batch fold
would not make, so the story index is then rebuilt from all stored articles (whole-store work again).

Clustering. The clustering state (`cluster.StoryIndex`) lives in the store: one profile per article in its
own row (read only when a new article is compared with it or its component is reclustered; written once)
and the graph in meta. Each ingest places the new articles with the origin groups of S, reclusters only
the components touched, and saves the graph and the new profiles. Only the origin groups whose members
changed are passed to it (a stored group is must-linked already). Stories are rewritten where membership
changed or a member's origin group changed, reading only their members.

Threads. Relinked where the rewritten and dropped stories reach (`engine/relink.py`): their pairs, the
pairs of stories holding a key that crossed `ThreadSettings.key_stories`, the related stories of every
story in a pair that changed, the threads holding any of them; the rest is read from the store's thread
tables. One transaction writes it all.

What is stored once per article so that no ingest computes it again (schema version 5): its text as copy
detection splits it (`Store.article_texts`: `find_origins` is given the stored articles' splits, and reads
those articles as outlines, id and date, without their bodies), its evidence rows packed beside it
(`Store.evidence_of`: one row an article, not ~30) and its clustering profile packed (strings as JSON,
weights as float64). A text the store lacks or cannot decode is split again and stored. A store of 1,000
articles or more also keeps a copy of the clustering's word list (`Store.word_frequencies`).

Cost (bench/bench_ingest_scale.py --measure, a store of 30,000 articles, CPU of the whole process tree,
loaded machine (load 3-6 on 2 cores), 8 runs alternating with main 10f409c on copies of one store, this
branch's upgraded to version 5 once: 7.7 s of CPU, 287 -> 323 MB; medians, then ranges): one new page
0.12 s, 0.12-0.13 (main 0.17-0.18: the word list is looked up in the store, 0.05 -> ~0.01 s; the
clustering state's read and write ~0.04 s, writing its story 0.01 s). 100 new pages 1.97 s, 1.93-2.30
(main 2.23 s, 2.17-2.43; paired, 0.25 s less): their 100 stories (1,041 articles, written in this process
below `StoreSettings.ingest_pool_min_articles`, where a pool's start costs more than it shortens; reading
the ~940 stored ones 0.03 s) 0.86 s (main 0.90), copy detection 0.55 s (main 0.68: `find_origins` over the
affected set of ~2,400 stored articles 0.21 s against 0.37 s, reading their split texts 0.07 s of it, the
affected set with its keys' counts 0.19 s), clustering 0.33 s (main 0.41: the ~2,000 profiles compared
read 0.083 -> 0.052 s, the word list 0.05 -> ~0.01 s), threads 0.05 s, writing 0.10 s.
The bar of issue 11 (2 s) holds in most runs here, the 1.7 s target does not: what is left is the story
writer (~45%; keeping each article's sentence splits, dates and names would save at most 0.22 s of its
0.93 s, measured by memoising them across the batch's 100 stories), and `find_origins` and the clustering
over what the new pages reach, each a cost of its own stage rather than of the store. Within one ingest no
article is analysed twice by the writer (twelfth session, the same 100 pages): each of the 1,041 articles
is in one rewritten story only, and 2,351 of the 2,434 paragraphs the stories read (6,179 of 6,345
sentence texts) are one story's alone; a story reads each distinct paragraph and sentence text once already
(`paragraph_sentences`, `Wording`), so a cache owned by the run would spare at most ~3% of the writer and
is not kept. What was cut instead (the names check reads no names when every capitalised word is in the
other article; `_is_prose`): stories 0.98 -> 0.89 s, the whole ingest 2.32 -> 2.14 s of CPU (medians of 9
runs alternating with main 5606632, load ~3 on 2 cores; ranges 0.81-1.07 both, 1.93-2.48 and 1.96-2.52).
What an ingest no longer reads or recomputes beyond what the new pages reach: the affected set is read a
wave at a time (ten waves here), a few queries a wave (`Store.evidence_holders`, `evidence_of`,
`bucket_holders`, `origin_groups_of` take many keys or ids; ~46,000 queries before), its keys' counts in
one query a kind, and a key a stored article holds alone is not looked up again; the clustering
postings are a row a key (`StoredPostings`: read for the new articles' keys, written where changed; they
were 89% of a state read and written whole); the word list is read for the new articles' words only
(`cluster.profile.WordFrequencies`, 0.13 -> ~0.05 s); only the stories an article joined or left are
listed (`StoryIndex.changed_stories`); the profiles' ids come from a covering index; an origin group
found again unchanged keeps its rows. Still read and written whole: the state's components, links and
each article's story (~0.5 MB of JSON at 30,000 articles, ~0.03 s) and the profiles' ids (~0.01 s).
Twelfth session (main 6717ce6, the same store and pages): the modules an ingest imports on first need (the
story writer, scipy.sparse; ~0.15 s once a process) are measured apart by the benchmark, one page is then
0.11-0.14 s. Tried and not kept: reading the store through a memory map (SQLite's mmap_size, 256 MB or
1 GB) cut the system CPU (0.30-0.72 -> 0.19-0.51 s, 4 pairs) but not the whole (medians 2.80 -> 2.75 s,
its user CPU higher in 3 of 4 pairs; whole-ingest medians against main 2.28 -> 2.03 s in one run of 4
pairs, 2.47 -> 2.57 s in one of 6) and doubled the peak RSS (170 -> 367 MB, the mapped pages). Left: the
story writer (~0.8 s), the clustering (~0.4 s), copy detection (~0.5 s), each its own stage's cost.
"""

from __future__ import annotations

import gc
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from itertools import islice
from pathlib import Path

from newsfold.cluster import StoryIndex
from newsfold.cluster.profile import Lexicon, Profile, WordFrequencies, profile_of, words_of
from newsfold.engine.local import ProgressFn, clean_all, stories_for, story_id_for
from newsfold.engine.relink import relink
from newsfold.export import story_to_dict
from newsfold.models import Article, OriginGroup, Page, Story
from newsfold.read import stream_pages
from newsfold.settings import Settings, SyndicationSettings
from newsfold.store import IngestReport, OriginsUpdate, Store, StoredProfiles, text_record
from newsfold.syndication import find_origins
from newsfold.syndication.evidence import (
    EvidenceCounts,
    EvidenceKeys,
    keys_of_text,
    lede_bucket,
    split_for_evidence,
    stable_hash,
)
from newsfold.syndication.passages import LineCache, PageText

__all__ = ["ingest_articles", "ingest_pages", "ingest_paths"]


def ingest_paths(
    db: str | Path,
    paths: Iterable[str | Path],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Read `paths` and ingest them into the store at `db` (created when missing), in transactions of
    `settings.store.ingest_batch_pages` pages: a crash or a kill keeps every batch committed before it
    and none of the batch it interrupted, and the same command run again ingests the rest."""
    report = IngestReport()
    stream = stream_pages(paths, settings=settings.read)
    size = max(1, settings.store.ingest_batch_pages)
    read_problems = 0  # of stream.problems, those in the report: in the order met, read before cleaned
    with Store(db, settings) as store:
        while True:
            batch = list(islice(stream.pages, size))  # read as it is ingested: one batch in memory
            report.problems += stream.problems[read_problems:]
            read_problems = len(stream.problems)
            if not batch:
                break
            part = ingest_pages(store, batch, settings=settings, progress=progress)
            report.added += part.added
            report.unchanged += part.unchanged
            report.stories_touched = list(dict.fromkeys(report.stories_touched + part.stories_touched))
            report.problems += part.problems
    return report


def ingest_pages(
    store: Store,
    pages: Sequence[Page],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Clean the pages the store lacks, place them in stories and store the changed stories: one
    transaction (`Store.transaction`), from reading what is stored to writing what changed."""
    with store.transaction():
        return _ingest_pages(store, pages, settings=settings, progress=progress)


def _ingest_pages(
    store: Store, pages: Sequence[Page], *, settings: Settings, progress: ProgressFn | None
) -> IngestReport:
    new_pages, unchanged = store.new_pages(pages)
    # The store's latest pages (of the new pages' sites, and of any) stand in for the rest of a batch, so
    # template lines and link lists are found as a batch fold of everything would find them.
    context = (
        store.recent_pages(
            {site for page in new_pages if (site := page.site)},
            settings.clean.context_pages_per_site,
            settings.clean.context_pages_recent,
        )
        if new_pages
        else []
    )
    articles, clean_problems = clean_all(new_pages, settings=settings, progress=progress, context=context)
    report = IngestReport(unchanged=unchanged, problems=clean_problems)
    if not articles:
        return report
    cleaned = {a.id for a in articles}
    new_pages = [p for p in new_pages if p.id in cleaned]
    return _ingest_articles(store, new_pages, articles, settings=settings, report=report, stages=None)


def ingest_articles(
    store: Store,
    pages: Sequence[Page],
    articles: Sequence[Article],
    *,
    settings: Settings = Settings(),
    report: IngestReport | None = None,
    stages: dict[str, float] | None = None,
) -> IngestReport:
    """Store `pages` with their cleaned `articles` (one per page, same ids), place the articles in stories
    and rewrite the stories that changed, in one transaction. `stages` (when given) gathers CPU seconds
    per stage (bench/)."""
    with store.transaction():
        return _ingest_articles(store, pages, articles, settings=settings, report=report, stages=stages)


def _ingest_articles(
    store: Store,
    pages: Sequence[Page],
    articles: Sequence[Article],
    *,
    settings: Settings,
    report: IngestReport | None,
    stages: dict[str, float] | None,
) -> IngestReport:
    with _collector(running=False):
        report = report if report is not None else IngestReport()
        return _ingest_stages(store, pages, articles, settings, report, stages)


def _ingest_stages(
    store: Store,
    pages: Sequence[Page],
    articles: Sequence[Article],
    settings: Settings,
    report: IngestReport,
    stages: dict[str, float] | None,
) -> IngestReport:
    timer = _Timer(stages)
    with timer("origins"):
        origins = _Origins.of(store, articles, settings.syndication, timer)
    with timer("cluster state load"):
        loaded = _load_index(store, settings)
    with timer("cluster"):
        placed = _place(store, articles, origins, loaded, settings, timer)
    index, before, after = placed.index, placed.before, placed.after
    changed = {key for key, members in after.items() if before.get(key) != members}
    regrouped = set(origins.regrouped())
    # The stories of articles whose origin group changed are rewritten too, though their members stayed.
    kept = {key: members for key, members in index.stories_of(regrouped).items() if key not in changed}
    after.update(kept)
    rewrite = sorted(changed | set(kept))
    gone = [story_id_for(members) for key, members in before.items() if after.get(key) != members]
    with timer("stories"):
        stories = _rewritten_stories(store, origins, [after[key] for key in rewrite], settings, timer)
    with timer("threads"):
        ranks = {story_id_for(after[key]): _rank(key) for key in rewrite}
        relinked = relink(
            store,
            stories,
            ranks,
            gone,
            _profile_lookup(index, loaded.stored, placed.saved),
            settings,
            lambda: _every_story(store, dict(index.stories()), stories),
        )
        stories = relinked.stories
    memberships = {article_id: story_id_for(after[key]) for key in rewrite for article_id in after[key]}
    with timer("cluster state save"):
        new_state = index.to_state(profiles=False, postings=False)
        new_profiles = index.profiles_from(placed.saved)
    with timer("write"):
        store.write(
            pages,
            articles,
            memberships,
            [(story, story_to_dict(story)) for story in stories] + relinked.patched,
            gone,
            new_state,
            origins.update,
            (placed.saved, new_profiles),
            index.postings,
        )
        with timer("write threads"):
            store.write_threads(relinked.update)
    report.added = [a.id for a in articles]
    report.stories_touched = [story.id for story in stories]
    return report


@dataclass(frozen=True)
class _LoadedIndex:
    """The stored clustering index, its stored profiles, and how many of them are in their rows (none in
    a state saved whole, by version 2)."""

    index: StoryIndex
    stored: StoredProfiles
    saved: int


def _load_index(store: Store, settings: Settings) -> _LoadedIndex:
    """The clustering index as the store saved it (an empty one in a new store)."""
    state = store.get_state("cluster_state")
    stored = store.cluster_profiles()
    if not state:
        return _LoadedIndex(StoryIndex(settings.cluster), stored, len(stored))
    if "articles" in state:
        return _LoadedIndex(StoryIndex.from_state(state, settings.cluster), stored, 0)
    # Postings a row a key (a state of schema version 3 still holds them: moved out at the save).
    postings = None if "postings" in state else store.cluster_postings()
    index = StoryIndex.from_state(state, settings.cluster, profiles=(stored, stored.ids), postings=postings)
    return _LoadedIndex(index, stored, len(stored))


@dataclass(frozen=True)
class _Placed:
    """The index with the new articles placed, the stories before and after (those that may have
    changed), and how many stored profile rows stay in use."""

    index: StoryIndex
    before: dict[str, tuple[str, ...]]
    after: dict[str, tuple[str, ...]]
    saved: int


def _place(
    store: Store,
    articles: Sequence[Article],
    origins: _Origins,
    loaded: _LoadedIndex,
    settings: Settings,
    timer: _Timer,
) -> _Placed:
    """Cluster the new articles into the stored index, or everything again when a stored group split."""
    index = loaded.index
    if origins.split:  # must-links a batch fold would not make: place everything again
        with timer("cluster rebuilt (a group split)"):
            before = dict(index.stories())
            index = StoryIndex(settings.cluster)
            index.add(store.articles() + list(articles), origins.all_groups(store))
            return _Placed(index, before, dict(index.stories()), 0)
    starts = index.story_starts()
    # The word list read for the new articles' words only (`Lexicon`): 0.13 -> 0.05 s of CPU a process,
    # most of a one-page ingest's clustering (bench/bench_ingest_scale.py); from the store's copy of it,
    # ~0.01 s.
    words = words_of(articles)
    lexicon = Lexicon(settings.cluster, words, WordFrequencies(words, store.word_frequencies(words)))
    profiles = [profile_of(a, lexicon, settings.cluster) for a in articles]
    index.add_profiles(profiles, origins.new_links())
    before, after = index.changed_stories(starts)  # only the stories that gained or lost articles
    return _Placed(index, before, after, loaded.saved)


def _rewritten_stories(
    store: Store, origins: _Origins, members: list[tuple[str, ...]], settings: Settings, timer: _Timer
) -> list[Story]:
    """The stories of these member lists written again (their articles read from the store when the
    ingest did not have them at hand)."""
    wanted = [m for story_members in members for m in story_members]
    known = origins.articles_by_id()
    missing = [m for m in wanted if m not in known]
    with timer("load articles"):
        known.update({a.id: a for _, a in store.articles_by_id(missing)})
    groups = origins.groups_of(store, wanted)
    with _collector(running=True):
        return stories_for(members, list(known.values()), groups, settings=_writing(settings, members))


def _writing(settings: Settings, members: Sequence[Sequence[str]]) -> Settings:
    """The settings to write these stories with: in this process (one worker) when they hold fewer than
    `StoreSettings.ingest_pool_min_articles` articles, where a pool would cost more than it shortens."""
    if sum(len(m) for m in members) >= settings.store.ingest_pool_min_articles:
        return settings
    return replace(settings, engine=replace(settings.engine, workers=1))


def _rank(story_key: str) -> int:
    """A story's input rank: the index names it after its first article's place ("story-000042")."""
    return int(story_key.rsplit("-", 1)[1])


def _profile_lookup(index: StoryIndex, stored: StoredProfiles, saved: int) -> Callable[[str], Profile]:
    """An article's clustering profile: a new one from the index, a stored one read from its row (the
    index continues the stored rows when `saved` of them are in use)."""
    fresh = {p.id: p for p in index.profiles_from(saved)}
    position = {article_id: n for n, article_id in enumerate(stored.ids)} if saved else {}
    return lambda article_id: fresh[article_id] if article_id in fresh else stored[position[article_id]]


def _every_story(
    store: Store, after: dict[str, tuple[str, ...]], rewritten: list[Story]
) -> list[tuple[Story, int]]:
    """Every story after the ingest with its rank: the rewritten ones, the others as stored (members and
    event date: what thread linking reads). Whole-store work, for a whole-store relinking only."""
    written = {s.id: s for s in rewritten}
    stored = store.story_threads()
    out = []
    for key, members in after.items():
        story_id = story_id_for(members)
        story = written.get(story_id)
        if story is None:
            headline, event_date, _, _ = stored[story_id]
            story = Story(story_id, headline, tuple(members), event_date=event_date)
        out.append((story, _rank(key)))
    return out


def _changed_groups(
    rows: dict[str, list[tuple[str, int, int | None]]],
    texts: Sequence[tuple[str, PageText]],
    old_groups: dict[str, OriginGroup],
    groups: list[OriginGroup],
) -> OriginsUpdate:
    """The rows an ingest's copy detection writes: the new articles' evidence and texts, and the groups
    that changed.

    A stored group found again as it is stays in its rows: only the groups that changed are written (100
    new pages into 30,000 reach ~2,500 articles in ~600 groups, most unchanged).
    """
    kept = {g.members[0] for g in groups if len(g.members) > 1 and old_groups.get(g.members[0]) == g}
    return OriginsUpdate(
        evidence=[(a, kind, key, bucket) for a, r in rows.items() for kind, key, bucket in r],
        texts=[(a, text_record(text)) for a, text in texts],
        dropped_groups={
            g.members[0] for g in old_groups.values() if len(g.members) > 1 and g.members[0] not in kept
        },
        # No article becomes (or stops being) nothing but boilerplate here: see `_Origins.of`.
        groups=[g for g in groups if g.members[0] not in kept],
    )


@dataclass
class _Origins:
    """Copy detection re-run where an ingest reaches: the affected articles (stored ones first, in ingestion
    order, then the new ones), their new groups, their stored groups, and the rows to write."""

    articles: list[Article]  # stored ones as outlines (`Store.article_outlines`) where their texts were read
    bodies: dict[str, Article]  # the articles read whole, by id
    groups: list[OriginGroup]
    old_groups: dict[str, OriginGroup]
    update: OriginsUpdate
    whole: bool  # the affected set is the whole store
    split: bool  # a stored group of several articles is no longer one group

    @classmethod
    def of(
        cls, store: Store, new: Sequence[Article], settings: SyndicationSettings, timer: _Timer
    ) -> _Origins:
        fingerprint = json.dumps(asdict(settings), sort_keys=True)
        texts = {a.id: split_for_evidence(a, settings) for a in new}  # split once: keys, find_origins, store
        rows = {a.id: _rows(keys_of_text(texts[a.id], settings), settings) for a in new}
        fresh: Counter[tuple[str, int]] = Counter(
            (kind, key) for article_rows in rows.values() for kind, key, _ in article_rows
        )
        counts = _Counts(store, fresh)
        fanout = settings.max_sentence_fanout
        whole = store.get_state("origins_settings") != json.loads(fingerprint) or settings.near_candidates
        if not whole:
            counts.read(r for article_rows in rows.values() for r in article_rows)
            new_sentences = {key for r in rows.values() for kind, key, _ in r if kind == "s"}
            whole = any(counts.boilerplate_only(r, fanout) for r in rows.values()) or (
                store.boilerplate_only_holder(k for k in new_sentences if counts.before("s", k) > fanout)
            )
        affected: dict[str, list[tuple[str, int, int | None]]] = {}
        if not whole:
            with timer("affected set"):
                affected = _affected(store, rows, counts, fanout)
                # Every key of the affected articles is asked about next (here, and by find_origins).
                counts.read(r for article_rows in affected.values() for r in article_rows)
            whole = any(counts.boilerplate_only(r, fanout) for r in affected.values())
        if whole:
            return cls._whole(store, new, settings, fingerprint)
        with timer("load articles"):
            # Their texts as split when they were stored (100 pages into 30,000 reach ~2,400 articles:
            # splitting them again was ~0.13 s of find_origins' CPU, reading them back ~0.07 s). One a
            # store lacks (see `Store.article_texts`) is read whole, split here and stored with this ingest.
            split = store.article_texts(affected)
            # find_origins reads an article given with its text for its id and date only: the others are
            # read as outlines, no body decoded (the stories read the ~940 they rewrite; 2,400 articles
            # decoded 0.047 s of CPU).
            outlines = store.article_outlines(affected)
            bodies = {a.id: a for _, a in store.articles_by_id(a.id for a in outlines if a.id not in split)}
            lacking = {i: split_for_evidence(a, settings) for i, a in bodies.items()}
            split.update(lacking)
            split.update(texts)
            stored = [bodies.get(a.id, a) for a in outlines]
            bodies.update((a.id, a) for a in new)
        old_groups = store.origin_groups_of(affected)
        everything = stored + list(new)
        # Corpus-wide counts (after this ingest) of the keys find_origins asks about, looked up by their
        # stable hash: the stored articles' keys are never derived again from their text here.
        corpus = EvidenceCounts(_Held(counts, "s"), _Held(counts, "h"), _Held(counts, "l"))
        with timer("find origins"):
            groups = find_origins(everything, settings, corpus, split)
        update = _changed_groups(rows, [*texts.items(), *lacking.items()], old_groups, groups)
        return cls(everything, bodies, groups, old_groups, update, False, _split(old_groups, groups))

    @classmethod
    def _whole(
        cls, store: Store, new: Sequence[Article], settings: SyndicationSettings, fingerprint: str
    ) -> _Origins:
        """The whole store (plus the new articles) at once; the derived tables rebuilt from scratch."""
        everything = store.articles() + list(new)
        old_groups = {m: g for g in store.all_origin_groups() for m in g.members}
        groups = find_origins(everything, settings)
        # Each article split once more here, for its keys and its stored text (kept encoded: ~0.6 KB an
        # article, where the split text itself is ~10 KB of Python objects).
        lines = LineCache(settings.line_cache)
        rows: dict[str, list[tuple[str, int, int | None]]] = {}
        records: list[tuple[str, bytes]] = []
        for article in everything:
            text = split_for_evidence(article, settings, lines)
            rows[article.id] = _rows(keys_of_text(text, settings), settings)
            records.append((article.id, text_record(text)))
        held = Counter(key for r in rows.values() for kind, key, _ in r if kind == "s")
        fanout = settings.max_sentence_fanout
        update = OriginsUpdate(
            evidence=[(a, kind, key, bucket) for a, r in rows.items() for kind, key, bucket in r],
            texts=records,
            groups=groups,
            boilerplate_only={
                a: bool(sentences) and all(held[k] > fanout for k in sentences)
                for a, sentences in ((a, [k for kind, k, _ in r if kind == "s"]) for a, r in rows.items())
            },
            rebuild=True,
            settings=fingerprint,
        )
        bodies = {a.id: a for a in everything}
        return cls(everything, bodies, groups, old_groups, update, True, _split(old_groups, groups))

    def articles_by_id(self) -> dict[str, Article]:
        """The articles read whole (the new ones, and the stored ones this ingest split again)."""
        return dict(self.bodies)

    def all_groups(self, store: Store) -> list[OriginGroup]:
        """Every group of several articles, as it is after this ingest."""
        if self.whole:
            return [g for g in self.groups if len(g.members) > 1]
        mine = {a.id for a in self.articles}
        kept = [g for g in store.all_origin_groups() if not mine & set(g.members)]
        return kept + [g for g in self.groups if len(g.members) > 1]

    def new_links(self) -> list[OriginGroup]:
        """The groups of several articles whose members changed: a stored group with the same members is
        must-linked in the clustering state already (re-passing it only reclusters its component, to the
        same stories: a component's stories are a pure function of its members)."""
        return [
            g
            for g in self.groups
            if len(g.members) > 1
            and (g.members[0] not in self.old_groups or self.old_groups[g.members[0]].members != g.members)
        ]

    def regrouped(self) -> list[str]:
        """Stored articles whose origin group (members, representative or copy links) changed."""
        new_of = {m: g for g in self.groups for m in g.members}
        return [m for m, g in self.old_groups.items() if new_of.get(m) != g]

    def groups_of(self, store: Store, article_ids: Sequence[str]) -> list[OriginGroup]:
        """The groups (as they are after this ingest) of the given articles."""
        new_of = {m: g for g in self.groups for m in g.members}
        outside = [a for a in article_ids if a not in new_of]
        stored = store.origin_groups_of(outside) if outside and not self.whole else {}
        out = {id(g): g for a in article_ids if (g := new_of.get(a) or stored.get(a)) is not None}
        return list(out.values())


class _Counts:
    """How many stored articles held each key before this ingest (read in batches by `read`, else one at a
    time when asked) and how many after it."""

    def __init__(self, store: Store, fresh: Counter[tuple[str, int]]) -> None:
        self.store = store
        self.fresh = fresh
        self.stored: dict[tuple[str, int], int] = {}

    def read(self, rows: Iterable[tuple[str, int, int | None]]) -> None:
        """Read the counts before this ingest of these evidence rows' keys not known yet (a query a kind)."""
        wanted: dict[str, set[int]] = {}
        for kind, key, _ in rows:
            if (kind, key) not in self.stored:
                wanted.setdefault(kind, set()).add(key)
        for kind, keys in wanted.items():
            self.stored.update(((kind, key), n) for key, n in self.store.evidence_counts(kind, keys).items())

    def before(self, kind: str, key: int) -> int:
        if (kind, key) not in self.stored:
            self.read([(kind, key, None)])
        return self.stored[kind, key]

    def after(self, kind: str, key: int) -> int:
        held = self.stored.get((kind, key))
        return (self.before(kind, key) if held is None else held) + self.fresh.get((kind, key), 0)

    def boilerplate_only(self, rows: Sequence[tuple[str, int, int | None]], fanout: int) -> bool:
        """Whether an article with these evidence rows holds sentences, all of them boilerplate now."""
        sentences = [key for kind, key, _ in rows if kind == "s"]
        return bool(sentences) and all(self.after("s", key) > fanout for key in sentences)


def _rows(keys: EvidenceKeys, settings: SyndicationSettings) -> list[tuple[str, int, int | None]]:
    """An article's evidence rows: (kind, stable hash of the key, stable hash of the lede bucket)."""
    rows: list[tuple[str, int, int | None]] = [("s", stable_hash(k), None) for k in keys.sentences]
    if keys.headline:
        rows.append(("h", stable_hash(keys.headline), None))
    rows.extend(("l", stable_hash(k), stable_hash(lede_bucket(k, settings))) for k in keys.leads)
    return rows


def _affected(
    store: Store, rows: dict[str, list[tuple[str, int, int | None]]], counts: _Counts, fanout: int
) -> dict[str, list[tuple[str, int, int | None]]]:
    """Stored articles the new ones reach, with their evidence rows: through keys held at most `fanout`
    times before this ingest, transitively, with the members of their stored groups.

    Read a wave at a time (the articles one step further than the last wave), a few queries a wave: the
    closure is the same in any order, and a 100-page ingest into 30,000 articles reaches ~2,400 in some
    tens of waves, where a query a key or an article made ~33,000 round trips."""
    seen: set[str] = set(rows)
    affected: dict[str, list[tuple[str, int, int | None]]] = {}
    frontier = [r for article_rows in rows.values() for r in article_rows]
    done_keys: set[tuple[str, int]] = set()
    done_buckets: set[int] = set()
    known = 0  # holders of a frontier key known already: none for the new articles, then the one read
    while frontier:
        rare: dict[str, set[int]] = {}
        buckets: set[int] = set()
        counts.read(frontier)
        for kind, key, bucket in frontier:
            if (kind, key) in done_keys:
                continue
            done_keys.add((kind, key))
            held = counts.stored[kind, key]
            if held > fanout:
                continue  # common: relates nothing, and its lede bucket is not reached through it
            if held > known:  # most keys of a stored article are its own alone (~2/3 of them here)
                rare.setdefault(kind, set()).add(key)
            if bucket is not None and bucket not in done_buckets:
                done_buckets.add(bucket)
                buckets.add(bucket)
        reached: list[str] = []
        for kind, keys in rare.items():
            reached.extend(a for holders in store.evidence_holders(kind, keys).values() for a in holders)
        if buckets:
            # The leads' counts read in one batch, not one a row (copies share a lead: 9,356 rows, 6,031
            # distinct keys in 100 pages into 30,000; 0.05 -> 0.03 s, bench/bench_ingest_scale.py).
            found_leads = store.bucket_holders(buckets)
            counts.read(("l", lead, None) for _, lead in found_leads)
            reached.extend(a for a, lead in found_leads if counts.stored["l", lead] <= fanout)
        wave = [a for a in dict.fromkeys(reached) if a not in seen]
        seen.update(wave)
        members = [
            m for group in store.origin_groups_of(wave).values() for m in group.members if m not in seen
        ]
        seen.update(members)
        wave.extend(dict.fromkeys(members))
        evidence = store.evidence_of(wave)
        frontier, known = [], 1
        for article_id in wave:
            affected[article_id] = evidence.get(article_id, [])
            frontier.extend(affected[article_id])
    return affected


class _Held(Mapping[str, int]):
    """How many articles (after this ingest) hold each key of one kind, looked up by the key's stable hash
    (as the store keeps it) when asked."""

    def __init__(self, counts: _Counts, kind: str) -> None:
        self.counts = counts
        self.kind = kind
        self.asked: dict[str, int] = {}

    def __getitem__(self, key: str) -> int:
        # find_origins asks ~33,000 times for ~21,000 keys in 100 pages into 30,000 articles: one lookup
        # for a key asked again, the count read for one asked first (bench/bench_ingest_scale.py).
        found = self.asked.get(key)
        if found is None:
            found = self.asked[key] = self.counts.after(self.kind, stable_hash(key))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.asked)

    def __len__(self) -> int:
        return len(self.asked)


def _split(old_groups: dict[str, OriginGroup], groups: Sequence[OriginGroup]) -> bool:
    """Whether a stored group of several articles is no longer within one group."""
    new_of = {m: g.members[0] for g in groups for m in g.members}
    return any(len({new_of.get(m) for m in g.members}) > 1 for g in old_groups.values() if len(g.members) > 1)


@contextmanager
def _collector(running: bool) -> Iterator[None]:
    """Python's cyclic garbage collector paused (or running again) for the block, then as it was.

    An ingest holds the clustering state read whole (at 30,000 articles some 100,000 lists and dicts,
    none of them in a reference cycle) and each full collection walks all of it: one new page into a store
    of 30,000 (bench/bench_ingest_scale.py) cost 0.96 s of CPU with the collector running (0.36 s reading
    the state), 0.60 s with it paused for the batch (0.14 s), peak RSS 286 MB either way: what an ingest
    frees is freed by reference counts. It runs again while stories are written, so the worker processes
    forked then collect as usual; the objects alive then are frozen first (`gc.freeze`, as the gc docs
    advise before a fork), so neither a collection there nor one in a worker walks the state."""
    was = gc.isenabled()
    if running:
        gc.freeze()
    (gc.enable if running else gc.disable)()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()
        if running:
            gc.unfreeze()


class _Timer:
    """Adds the CPU seconds of each `with timer(stage):` block to `stages` (nothing when None): CPU, as
    benchmarks here share their cores."""

    def __init__(self, stages: dict[str, float] | None) -> None:
        self.stages = stages

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.process_time()
        try:
            yield
        finally:
            if self.stages is not None:
                self.stages[stage] = self.stages.get(stage, 0.0) + time.process_time() - start
