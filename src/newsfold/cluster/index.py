"""StoryIndex: a sparse candidate graph whose components are re-clustered, batch and incremental alike.

Each new article is compared with its likeliest earlier neighbours (found through an inverted index of its
rarest words and names, so the work per article does not grow with the corpus); a neighbour whose edge
probability passes a low bar links the two articles' components (union-find). Members of one origin group
are linked (up to `max_linked_component` articles a component). A component is then split into stories
by average-link agglomeration over the pair probabilities of the merge model, with origin groups merged
first. The stories of a component are a pure
function of its members (in input order), so re-clustering only the components an ingest touched gives
exactly the stories of one batch fold of the same articles in the same order.
"""

from __future__ import annotations

import itertools
from collections import Counter, OrderedDict
from collections.abc import Iterable, MutableMapping, MutableSequence, Sequence
from typing import Any

import numpy as np

from newsfold._native import compiled_kernel
from newsfold.cluster.features import (
    GLOBAL_FEATURES,
    LOCAL_FEATURES,
    PairModel,
    PairTable,
    global_features,
    shipped_models,
    stacked_table_features,
)
from newsfold.cluster.overlaps import packed_global_features
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import Lexicon, Profile, profile_of
from newsfold.errors import StoreError
from newsfold.models import Article, OriginGroup
from newsfold.settings import ClusterSettings

__all__ = ["StoryIndex", "average_link", "cluster_component", "cluster_stories", "index_keys"]

# 3: years before a comma count, each article links its 3 strongest candidates (older states would
# continue with other profiles and another graph, so incremental would no longer equal batch).
# 4: edge bar 0.3 -> 0.4 (another graph).
# 5: topic and merge models retrained (other stories: a stored component would keep the old split).
# 6: the edge model's logistic scored by a row-wise sum (batch-size independent; 1-ulp apart from 5's).
# 7: a profile counts the article's own date (its `published`, unless the capture day) as a date mention.
# 8: pair features as sparse products over sorted vocabularies, the component IDF by math.log (a stored
# component re-clustered by 7's code could differ by an ulp from a fresh fold's).
# 9: profiles count the words of the page address's slug (other terms: a stored profile would lack them).
STATE_VERSION = 9

# Articles placed per edge-model call (`StoryIndex.add_profiles`) and articles of components re-clustered
# together (one pair table and one model call per step). Clustering bench/out/scale-10k-max100 (10,000
# articles; peak RSS over what the index holds, CPU s, loaded machine: +-20%), placed/re-clustered:
# 5,000/5,000 +332 MB 12.9 s | 1,000/5,000 +280 MB 15.2 s | 5,000/1,000 +120 MB 10.5 s | 2,000/2,000
# +135 MB 13.2 s | 1,000/1,000 +60 MB 15.0 s: the re-clustered groups set the peak (their pairs' features
# grow with the square of a component), the placed chunks little (20 candidate pairs an article); a batch
# of all 100,000 articles of bench/out/scale-100k-max100 held 6.8 GB. A component larger than this is
# re-clustered alone.
CHUNK_ARTICLES = 2_000
# A candidate's position in the low bits of its rank code (`StoryIndex.candidates`): 2^40 articles.
_POSITION_BITS = 40
_POSITION_MASK = (1 << _POSITION_BITS) - 1
RECLUSTER_ARTICLES = 1_000
# `candidates`' ranking compiled (`_overlaps.pyx`): the same positions; None where not built. At 100k
# pages an article counts ~450 hits (10k: ~210, as postings fill up to `postings_scanned`).
_compiled_top_candidates = compiled_kernel("newsfold.cluster._overlaps", "top_candidates")
# Profiles last scored for edges on the plain path, kept unpacked (~9 KB each as Python objects; the
# compiled path reads a `PackedProfiles` store's records instead and keeps none: cluster/overlaps.py,
# edges at 100k 63.5 -> ~9 s CPU, bench/scale/README.md eleventh session). The candidates are the
# latest holders of an article's keys, so the same recent articles come back chunk after chunk, and a
# profile read from the packed store costs about what scoring its pair does. Not tuned: the threads'
# window (`threads._RECENT_FACTS`). It helps corpora in time order more than the scattered
# bench/out/scale-* (a story's pages anywhere in the input): there, the distinct profiles an edge chunk
# reads per article grew 2.1 -> 4.1 from 10k to 100k pages (stories_memory.py --count), and an edge chunk
# reads ~6,000, so 4,096 keep little from one chunk to the next. Clustering CPU, quiet machine, kept 0 /
# 4,096 / 32,768: scale-10k-max100 7.4 / 7.1 / 6.5 s; scale-100k-max100 4,096 122.6 s (661 MB peak),
# 32,768 104.5 s (978 MB peak): a third of a GB for a seventh of the CPU, left to the memory budget.
RECENT_PROFILES = 4_096


def average_link(
    probability: np.ndarray, groups: Sequence[Sequence[int]], threshold: float
) -> list[list[int]]:
    """Merge `groups` (of rows of the symmetric `probability` matrix) while two clusters' mean pair
    probability reaches `threshold`, best pair first; ties go to the lowest indices (deterministic)."""
    k = len(groups)
    clusters = [sorted(g) for g in groups]
    if k < 2:
        return clusters
    if k == len(probability) and all(len(members) == 1 for members in clusters):
        # Every group one row (no origin group): the sums are the probabilities themselves, the numbers
        # the products below give (a 1 times p plus zeros), without two k x k matrix products.
        rows = np.array([members[0] for members in clusters])
        sums = probability[np.ix_(rows, rows)]
        sizes = np.ones(k)
    else:
        # Each cluster's rows added up, then each cluster's columns of those sums, row by row in order
        # (`np.add.reduceat` along the first axis of a row-major array). Two k x n x n matrix products by
        # 0/1 memberships made the same sums up to rounding, in the order BLAS blocks them (0.10 of the
        # 0.13 s of CPU average-link took on bench/fold's 2,400 pages; these 0.03 s).
        order = np.array([row for members in clusters for row in members])
        starts = np.cumsum([0] + [len(members) for members in clusters[:-1]])
        by_rows = np.add.reduceat(probability[order], starts, axis=0)
        sums = np.ascontiguousarray(np.add.reduceat(np.ascontiguousarray(by_rows.T[order]), starts, axis=0).T)
        sizes = np.array([len(members) for members in clusters], dtype=float)
    # The mean pair probability of every two clusters (-1 on the diagonal and, once merged, elsewhere).
    mean = sums / np.outer(sizes, sizes)
    np.fill_diagonal(mean, -1.0)
    retired = set()
    for a, b in _merges(mean, np.ascontiguousarray(sums), sizes, threshold):
        clusters[a] = sorted(clusters[a] + clusters[b])
        retired.add(b)
    return sorted((clusters[g] for g in range(k) if g not in retired), key=lambda c: c[0])


def _merges_plain(
    mean: np.ndarray, sums: np.ndarray, sizes: np.ndarray, threshold: float
) -> list[tuple[int, int]]:
    """The (kept, retired) clusters of each of `average_link`'s merges, in order (`mean`, `sums` and
    `sizes` updated in place): the spec of the compiled `_linkage.merges`, and what runs where it is not
    built."""
    k = len(mean)
    active = np.ones(k, dtype=bool)
    found = []
    for _ in range(k - 1):
        a, b = divmod(int(np.argmax(mean)), k)
        if mean[a, b] < threshold:
            break
        a, b = min(a, b), max(a, b)
        sums[a, :] += sums[b, :]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        active[b] = False
        # Only the row and column of the cluster kept change (each entry computed as a whole-matrix
        # division would: the same bits), and the other's are retired: O(k) a merge besides the argmax.
        row = np.where(active, sums[a, :] / (sizes[a] * sizes), -1.0)
        row[a] = -1.0
        column = np.where(active, sums[:, a] / (sizes * sizes[a]), -1.0)
        column[a] = -1.0
        mean[a, :] = row
        mean[:, a] = column
        mean[b, :] = -1.0
        mean[:, b] = -1.0
        found.append((a, b))
    return found


# `_merges_plain` compiled (`_linkage.pyx`): the same merges; the plain one where it is not built.
_merges = compiled_kernel("newsfold.cluster._linkage", "merges") or _merges_plain


class StoryIndex:
    """Articles placed so far, their candidate graph and stories; `add` re-clusters only what it touched.

    Args:
        settings: the clustering defaults (`ClusterSettings()`).
        models: (edge model spec, merge model spec) as in trained/cluster_model.json; the shipped ones by
            default (bench/train_cluster.py passes others for cross-validation).
        store: where the articles' profiles are kept (an empty `PackedProfiles` by default; the engine
            passes one that goes to disk past a size, and reads it again for the threads).

    A story is named after its first member in input order (`story-000001` for the first article added),
    so its id stays while that member stays first. The state (`to_state()`) is plain JSON, and
    `StoryIndex.from_state(index.to_state())` continues exactly where `index` stopped.

    >>> index = StoryIndex()
    >>> index.add([Article("a", "Quake hits Chile", ("A magnitude 8.8 quake hit Chile.",))])
    {'a': 'story-000001'}
    """

    def __init__(
        self,
        settings: ClusterSettings = ClusterSettings(),
        models: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None = None,
        store: MutableSequence[Profile] | None = None,
    ) -> None:
        self.settings = settings
        edge, topic, merge = models if models is not None else shipped_models()
        self.edge_model = PairModel(edge, GLOBAL_FEATURES)
        self.topic_model = PairModel(topic, GLOBAL_FEATURES)
        self.merge_model = PairModel(merge, GLOBAL_FEATURES + LOCAL_FEATURES)
        self._lexicon: Lexicon | None = None
        # The articles' profiles, packed (~9 KB an article as Python objects), or a lazy sequence a store
        # passes to `from_state`.
        self._profiles: MutableSequence[Profile] = PackedProfiles() if store is None else store
        self._ids: list[str] = []  # each article's id, by position
        self._position: dict[str, int] = {}
        self._root: list[int] = []  # union-find parent of each article
        self._members: dict[int, list[int]] = {}  # component root -> its articles
        self._linked: dict[int, list[int]] = {}  # must-links (origin groups), both directions
        self._postings: MutableMapping[str, list[int]] = {}
        self._story: list[int] = []  # each article's story, as the position of the story's first member
        self._recent: OrderedDict[int, Profile] = OrderedDict()  # position -> profile last scored

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = Lexicon(self.settings)
        return self._lexicon

    def story_of(self, article_id: str) -> str | None:
        """The story an already-added article belongs to."""
        position = self._position.get(article_id)
        return None if position is None else _story_id(self._story[position])

    def stories(self) -> list[tuple[str, tuple[str, ...]]]:
        """(story id, member ids in input order) of every story, ordered by first member."""
        members: dict[int, list[str]] = {}
        for position, first in enumerate(self._story):
            members.setdefault(first, []).append(self._ids[position])
        return [(_story_id(first), tuple(ids)) for first, ids in sorted(members.items())]

    def story_starts(self) -> list[int]:
        """Each article's story as the position of its first member, by position (a copy: what
        `changed_stories` compares with after an `add`)."""
        return list(self._story)

    def changed_stories(
        self, starts: Sequence[int]
    ) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """The stories that gained or lost an article since `starts` (from `story_starts()`; an article
        added since counts as gained): (story id -> members then, story id -> members now), a story
        absent where it had no members. Without listing the stories no article of which moved."""
        moved = [p for p in range(len(self._story)) if p >= len(starts) or starts[p] != self._story[p]]
        firsts = {starts[p] for p in moved if p < len(starts)} | {self._story[p] for p in moved}
        return self._gathered(starts, firsts), self._gathered(self._story, firsts)

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Story id -> members (in input order) of the stories holding these articles (those added)."""
        firsts = {self._story[self._position[a]] for a in article_ids if a in self._position}
        return self._gathered(self._story, firsts)

    def _gathered(self, starts: Sequence[int], firsts: set[int]) -> dict[str, tuple[str, ...]]:
        members: dict[int, list[str]] = {}
        if firsts:
            for position, first in enumerate(starts):
                if first in firsts:
                    members.setdefault(first, []).append(self._ids[position])
        return {_story_id(first): tuple(ids) for first, ids in sorted(members.items())}

    def add(self, articles: Iterable[Article], groups: Sequence[OriginGroup] = ()) -> dict[str, str]:
        """Add new articles in order; return {article id: story id} of the new articles and of every
        earlier article whose story changed (a late copy link or a new article can regroup a component).
        Articles already in the index are skipped."""
        fresh = (profile_of(a, self.lexicon, self.settings) for a in articles if a.id not in self._position)
        return self.add_profiles(fresh, groups)

    def add_profiles(
        self,
        profiles: Iterable[Profile],
        groups: Sequence[OriginGroup] = (),
        chunk: int | None = None,
        changes: bool = True,
    ) -> dict[str, str]:
        """`add` for articles already profiled (the training script profiles ECB+ once for all folds; the
        engine streams them from its workers). `chunk`: articles placed per model call (`CHUNK_ARTICLES`
        by default); any chunk size gives the same stories. `changes=False` returns {} (a batch fold reads
        `stories()`: every article's story id as a new string, ~200 bytes an article at its peak)."""
        touched: set[int] = set()
        group_of: dict[str, tuple[str, ...]] = {}
        for group in groups:
            if len(group.members) < 2:  # links nothing (most articles of a corpus are alone)
                continue
            for member in group.members:
                group_of[member] = group.members
            known = [self._position[m] for m in group.members if m in self._position]
            for a, b in zip(known, known[1:], strict=False):
                touched.update(self._link(a, b))
        # Each new article's candidates and their edge probabilities depend only on the profiles and the
        # postings of the articles before it, never on the links made so far: they are found for a chunk
        # of new articles first and scored in one model call, then the links are made in input order,
        # exactly as one article at a time would make them. A chunk bounds what the scoring holds (the
        # candidates' profiles and pair features), so memory does not grow with the batch.
        added: list[int] = []
        fresh = (profile for profile in profiles if profile.id not in self._position)
        while batch := list(itertools.islice(fresh, chunk or CHUNK_ARTICLES)):
            added += self._place(batch, group_of, touched)
        if not changes:  # what the placing held of every article goes before the re-clustering peak
            roots = {self._find(t) for t in touched}
            touched.clear()
            group_of.clear()
            self._recluster(roots)
            return {}
        before = list(self._story)
        self._recluster({self._find(t) for t in touched})
        changed = {p for p in range(len(before)) if before[p] != self._story[p]}
        return {self._ids[p]: _story_id(self._story[p]) for p in sorted(changed | set(added))}

    def _place(
        self, batch: list[Profile], group_of: dict[str, tuple[str, ...]], touched: set[int]
    ) -> list[int]:
        """Append a chunk of new articles, link each to its strongest candidates and its origin group's
        earlier mate (the components they join go into `touched`); their positions."""
        added: list[int] = []
        candidates_of: list[list[int]] = []
        placed: list[Profile] = []
        for profile in batch:
            if profile.id in self._position:  # twice in one batch: the first is kept
                continue
            keys = self._keys(profile)  # ranked once: its candidates and its postings
            candidates_of.append(self.candidates(profile, keys))
            added.append(self._append(profile, keys))
            placed.append(profile)
        pairs = [(position, c) for position, found in zip(added, candidates_of, strict=True) for c in found]
        # The chunk's own profiles as they came (the store would unpack them again).
        fresh = {position: profile for position, profile in zip(added, placed, strict=True)}
        scores = self._edge_probabilities(pairs, fresh)
        cursor = 0
        for position, found in zip(added, candidates_of, strict=True):
            scored = zip(scores[cursor : cursor + len(found)], found, strict=True)
            cursor += len(found)
            strongest = sorted(scored, key=lambda pc: (-pc[0], pc[1]))[: self.settings.edges_per_article]
            for probability, c in strongest:
                if probability >= self.settings.edge_probability:
                    self._union(position, c, self.settings.max_component)
            touched.add(position)
            for mate in group_of.get(self._ids[position], ()):  # its first mate placed before it
                if self._position.get(mate, position) < position:
                    touched.update(self._link(self._position[mate], position))
                    break
        return added

    def _append(self, profile: Profile, keys: Sequence[str]) -> int:
        """Append an article as a component and a story of its own, and post its index keys (`keys`); its
        position."""
        position = len(self._profiles)
        self._profiles.append(profile)
        self._ids.append(profile.id)
        self._position[profile.id] = position
        self._root.append(position)
        self._members[position] = [position]
        self._story.append(position)
        scanned = self.settings.postings_scanned
        for key in keys:
            posting = self._postings.setdefault(key, [])
            posting.append(position)
            if len(posting) > scanned:  # only the latest are ever scanned: bounded memory
                del posting[:-scanned]
        return position

    def _edge_probabilities(
        self, pairs: Sequence[tuple[int, int]], fresh: dict[int, Profile] | None = None
    ) -> list[float]:
        """The edge model's probability of each (article, candidate) pair of positions (`fresh`: profiles
        at hand by position, equal to the stored ones)."""
        if not pairs:
            return []
        positions = sorted({p for pair in pairs for p in pair})
        row = {position: n for n, position in enumerate(positions)}
        i = np.array([row[a] for a, _ in pairs])
        j = np.array([row[b] for _, b in pairs])
        x = None
        if isinstance(self._profiles, PackedProfiles):  # read from the records: no Profile made
            x = packed_global_features([self._profiles.record(p) for p in positions], i, j)
        if x is None:  # the plain path (the spec): the profiles unpacked into a table
            fresh = fresh or {}
            x = global_features(PairTable([self._profile(p, fresh) for p in positions]), i, j)
        return self.edge_model.probability(x).tolist()

    def _profile(self, position: int, fresh: dict[int, Profile]) -> Profile:
        """The profile at `position`: from `fresh`, the recent ones, or the store (then kept as recent)."""
        recent = self._recent
        profile = fresh.get(position)
        if profile is None:
            profile = recent.get(position)
            if profile is None:
                profile = self._profiles[position]
            else:
                recent.move_to_end(position)
                return profile
        recent[position] = profile
        if len(recent) > RECENT_PROFILES:
            recent.popitem(last=False)
        return profile

    def _keys(self, profile: Profile) -> list[str]:
        return index_keys(profile, self.settings)

    def candidates(self, profile: Profile, keys: Sequence[str] | None = None) -> list[int]:
        """Positions of the earlier articles sharing the most of this one's index keys (`keys`, when given,
        are its `index_keys`), best first."""
        scanned = self.settings.postings_scanned
        postings = [self._postings.get(key, []) for key in (self._keys(profile) if keys is None else keys)]
        if _compiled_top_candidates is not None:
            found = _compiled_top_candidates(postings, scanned, self.settings.candidates, _POSITION_BITS)
            if found is not None:
                return found  # type: ignore[no-any-return]
        hits: Counter[int] = Counter()
        for posting in postings:
            # A store may keep more than the latest `scanned`; this index never does (no copy then).
            hits.update(posting if len(posting) <= scanned else posting[-scanned:])
        # Most keys first, then the latest: each hit as one int (keys shared, then position) sorted as
        # ints, the order of sorting (-keys, -position) pairs at a third of its cost (up to
        # postings_scanned hits a key once the postings are full).
        ranked = sorted([count << _POSITION_BITS | position for position, count in hits.items()],
                        reverse=True)[: self.settings.candidates]
        return [code & _POSITION_MASK for code in ranked]

    def _find(self, position: int) -> int:
        root = position
        while self._root[root] != root:
            root = self._root[root]
        while self._root[position] != root:  # path compression
            self._root[position], position = root, self._root[position]
        return root

    def _union(self, a: int, b: int, cap: int | None) -> int | None:
        """Join the components of a and b (the older root stays root) unless the join passes `cap`."""
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return ra
        if cap is not None and len(self._members[ra]) + len(self._members[rb]) > cap:
            return None
        keep, gone = min(ra, rb), max(ra, rb)
        self._root[gone] = keep
        self._members[keep].extend(self._members.pop(gone))
        return keep

    def _link(self, a: int, b: int) -> set[int]:
        """Must-link two articles (one origin group): one component (unless the join passes
        `max_linked_component`), merged before clustering."""
        if b not in self._linked.get(a, ()):
            self._linked.setdefault(a, []).append(b)
            self._linked.setdefault(b, []).append(a)
        root = self._union(a, b, self.settings.max_linked_component)
        return {root} if root is not None else set()

    def _recluster(self, roots: set[int]) -> None:
        """Split each component into topics, then each topic into stories, a few thousand articles of
        components at a time (what one group's pair tables hold; a component's stories depend only on its
        own members, so the grouping changes no story).

        A component may chain several topics; the component-local word weights only tell two events
        apart within one topic, so the topic model (global features) splits the component first.
        """
        group: list[int] = []
        size = 0
        for root in sorted(roots):
            if group and size + len(self._members[root]) > RECLUSTER_ARTICLES:
                self._recluster_group(group)
                group, size = [], 0
            group.append(root)
            size += len(self._members[root])
        if group:
            self._recluster_group(group)

    def _recluster_group(self, roots: list[int]) -> None:
        """`_recluster` of these components together (one pair table, one model call per step)."""
        components = [sorted(self._members[root]) for root in roots]
        everyone = [m for members in components for m in members]
        table = PairTable([self._profiles[m] for m in everyone])  # topics are parts of the components
        row_of = {m: row for row, m in enumerate(everyone)}
        topics: list[tuple[list[int], list[list[int]]]] = []  # (articles, their origin groups as rows)
        matrices, scored, starts = self._pair_matrices(components, None, table, row_of)
        # Each topic's pairs among its component's (their global features, scored by the topic model, are
        # the merge model's first columns: a pair's global features do not depend on its group). Holding
        # them through the merge step costs up to 15 of its 20 columns a pair again (a 1,500-article
        # component of one topic: ~135 MB); computing them again cost bench/fold ~0.07 s of 0.30.
        scored_rows: list[np.ndarray] = []
        for members, probability, start in zip(components, matrices, starts, strict=True):
            origin = self._origin_groups(members)
            for cluster in average_link(probability, origin, self.settings.topic_probability):
                articles = [members[row] for row in cluster]
                topics.append((articles, self._origin_groups(articles)))
                scored_rows.append(start + _pair_positions(cluster, len(members)))
        groups = [articles for articles, _ in topics]
        matrices, _, _ = self._pair_matrices(groups, True, table, row_of, (scored, scored_rows))
        for (articles, origin), probability in zip(topics, matrices, strict=True):
            for cluster in average_link(probability, origin, self.settings.merge_probability):
                first = articles[cluster[0]]
                for row in cluster:
                    self._story[articles[row]] = first

    def _pair_matrices(
        self,
        groups: list[list[int]],
        local: bool | None,
        table: PairTable,
        row_of: dict[int, int],
        known: tuple[np.ndarray, list[np.ndarray]] | None = None,
    ) -> tuple[list[np.ndarray], np.ndarray, list[int]]:
        """Pair probability matrices of each group of articles (their rows in `table`): topic model (local
        None) or merge model (one model call for all groups); with the pairs' features and each group's
        first row in them (`stacked_table_features`, which takes `known`)."""
        rows = [np.array([row_of[m] for m in members], dtype=np.int64) for members in groups]
        pairs, x, starts = stacked_table_features(table, rows, bool(local), known)
        model = self.merge_model if local else self.topic_model
        probabilities = model.probability(x) if len(x) else np.zeros(0)
        out = []
        for members, (rows_i, rows_j), start in zip(groups, pairs, starts, strict=True):
            matrix = np.zeros((len(members), len(members)))
            matrix[rows_i, rows_j] = matrix[rows_j, rows_i] = probabilities[start : start + len(rows_i)]
            out.append(matrix)
        return out, x, starts

    def _origin_groups(self, members: list[int]) -> list[list[int]]:
        """Rows of `members` grouped by must-links (connected through origin groups)."""
        row_of = {m: r for r, m in enumerate(members)}
        seen: set[int] = set()
        groups = []
        for start in members:
            if start in seen:
                continue
            seen.add(start)
            group, stack = [], [start]
            while stack:
                m = stack.pop()
                group.append(row_of[m])
                for mate in self._linked.get(m, ()):
                    if mate not in seen and mate in row_of:
                        seen.add(mate)
                        stack.append(mate)
            groups.append(sorted(group))
        return groups

    def profiles_from(self, start: int) -> list[Profile]:
        """The profiles of the articles added at positions `start` and after (a store appends them)."""
        return [self._profiles[n] for n in range(start, len(self._ids))]

    @property
    def postings(self) -> MutableMapping[str, list[int]]:
        """Index key -> positions of the latest articles holding it (a store keeps them a row a key)."""
        return self._postings

    def to_state(self, profiles: bool = True, postings: bool = True) -> dict[str, Any]:
        """The whole index as JSON-serialisable data; without the articles' profiles when `profiles` is
        False, without the postings when `postings` is False (a store keeping them one per row passes them
        back to `from_state`)."""
        return {
            "version": STATE_VERSION,
            **({"articles": [p.to_state() for p in self._profiles]} if profiles else {}),
            "components": [sorted(members) for _, members in sorted(self._members.items())],
            "links": [[a, b] for a, mates in sorted(self._linked.items()) for b in sorted(mates) if a < b],
            **({"postings": dict(self._postings)} if postings else {}),
            "stories": self._story,
        }

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        settings: ClusterSettings = ClusterSettings(),
        models: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None = None,
        profiles: tuple[MutableSequence[Profile], Sequence[str]] | None = None,
        postings: MutableMapping[str, list[int]] | None = None,
    ) -> StoryIndex:
        """An index that continues from `state` (as `to_state()` returned it). `profiles`: the articles'
        profiles and ids when the state was saved without them (a lazy sequence: only the profiles an
        `add` compares are read); `postings` likewise (a lazy mapping: only the keys looked up are read)."""
        if state.get("version") != STATE_VERSION:
            version = state.get("version")
            raise StoreError(f"the store's story index has state version {version!r}, this newsfold reads "
                             f"{STATE_VERSION}: refold, ingesting the same input into a new store (--db)")
        index = cls(settings, models)
        if profiles is None:
            index._profiles = PackedProfiles(Profile.from_state(p) for p in state["articles"])
            index._ids = [p.id for p in index._profiles]
        else:
            index._profiles, index._ids = profiles[0], list(profiles[1])
        index._position = {article_id: n for n, article_id in enumerate(index._ids)}
        index._root = list(range(len(index._ids)))
        for members in state["components"]:
            root = min(members)
            index._members[root] = list(members)
            for m in members:
                index._root[m] = root
        for a, b in state["links"]:
            index._linked.setdefault(a, []).append(b)
            index._linked.setdefault(b, []).append(a)
        index._postings = (
            postings if postings is not None else {k: list(v) for k, v in state["postings"].items()}
        )
        index._story = list(state["stories"])
        return index


def index_keys(profile: Profile, settings: ClusterSettings) -> list[str]:
    """The inverted-index keys of one article: its heaviest words (`t:`) and names (`n:`)."""
    k = settings.index_keys_per_article
    terms, names = profile.ranked_terms[:k], profile.ranked_names[: k // 2]
    return [f"t:{t}" for t in terms] + [f"n:{n}" for n in names]


def cluster_component(
    profiles: Sequence[Profile],
    links: Iterable[tuple[int, int]],
    settings: ClusterSettings = ClusterSettings(),
    models: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None = None,
) -> list[list[int]]:
    """The stories of one candidate component (a seam for the Spark engine, which finds the components
    itself): `profiles` in input order, `links` the must-links (origin groups) as pairs of their indices;
    each story as its indices, stories by first member. The same split `StoryIndex` makes of a component.
    `models`: as for `StoryIndex` (a caller splitting many components loads `shipped_models()` once)."""
    index = StoryIndex(settings, models)
    index._profiles = list(profiles)
    index._ids = [p.id for p in profiles]
    index._story = list(range(len(profiles)))
    index._members = {0: list(range(len(profiles)))}
    for a, b in links:
        index._linked.setdefault(a, []).append(b)
        index._linked.setdefault(b, []).append(a)
    if profiles:
        index._recluster({0})
    stories: dict[int, list[int]] = {}
    for position, first in enumerate(index._story):
        stories.setdefault(first, []).append(position)
    return [members for _, members in sorted(stories.items())]


def _pair_positions(rows: Sequence[int], n: int) -> np.ndarray:
    """Where each pair (rows[a], rows[b]), a < b in `np.triu_indices(len(rows), 1)`'s order, stands among
    the pairs of `np.triu_indices(n, 1)` (`rows` ascending, below n): row r's pairs start at
    r(2n - r - 1)/2."""
    r = np.asarray(rows, dtype=np.int64)
    a, b = np.triu_indices(len(r), 1)
    first, second = r[a], r[b]
    return first * (2 * n - first - 1) // 2 + (second - first - 1)


def _story_id(first: int) -> str:
    return f"story-{first + 1:06d}"


def cluster_stories(
    articles: Sequence[Article],
    groups: Sequence[OriginGroup] = (),
    settings: ClusterSettings = ClusterSettings(),
    profiles: Iterable[Profile] | None = None,
    store: MutableSequence[Profile] | None = None,
) -> list[tuple[str, ...]]:
    """Article ids per story (one real-world event), stories ordered by their first member in input order.

    The batch fold is `StoryIndex.add` over the articles in input order, so it equals any chunked ingest
    of the same articles in the same order. Members of one `OriginGroup` share a story (unless joining
    their components passes `max_linked_component` articles). `profiles`:
    the articles' `profile_of`, in the same order, when they were made already (any iterable: the engine
    streams them from its workers, and they are placed by chunks as they come). `store`: where the index
    keeps the profiles (`StoryIndex`'s `store`; the engine reads them again for the threads).

    >>> cluster_stories([Article("a", None, ("Chile quake kills 700.",))])
    [('a',)]
    """
    index = StoryIndex(settings, store=store)
    if profiles is None:
        index.add(articles, groups)
    else:  # profiled already (the engine profiles chunks of articles in worker processes)
        index.add_profiles(profiles, groups, changes=False)
    return [members for _, members in index.stories()]
