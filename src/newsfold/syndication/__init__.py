"""Who copied whom: articles that share one origin, and how each copy differs from what it copies.

Work happens on the cleaned body (`Article.paragraphs`) at passage level: every paragraph is split into
sentences, normalised (NFKC, case folded, word tokens) so that typography never separates a copy from its
origin, and only substantive sentences (sentence-shaped, long enough) weigh as evidence, so that what a
cleaner leaves at a page's edges is noise, not an edit. Each page is split once per run
(`passages.page_text`, each distinct line once: `passages.LineCache`). Three steps:

1. Candidates: every substantive sentence hashed once (`candidates`); articles printing one sentence word
   for word are a candidate pair, with the words they share verbatim. A sentence printed by more than
   `max_sentence_fanout` pages is boilerplate, unless the pages it pairs share most of their text (a
   syndicated story: `SyndicationSettings.syndicated_share`).
2. Verification: most of the smaller article must be found in the larger one (containment, not Jaccard),
   in at least two sentences, one of them verbatim. Pairs whose verbatim sentences already reach the
   containment pass without alignment; pairs far below it are dropped; the rest are aligned (`align`).
3. Short pages: a page opening with another's first sentence (verbatim or cut) and holding nothing else
   of its own is a lede excerpt; pages whose first two substantive sentences, read over every line of
   the page (what the cleaner removed too: a lede it took for a standfirst), are the same share an
   origin (`candidates.lead_pairs`); a long headline that few pages print joins the same first sentence,
   one verbatim sentence, or a page with no sentence of its own to the pages printing it. Evidence of
   one sentence or a headline is deferred: it joins only when everything it points to is one group.
4. Groups: verified pairs are joined (union-find), after cutting the links that would make one page the
   bridge between two stories (`_bridges`); the representative is the fullest member, then the
   earliest; every other member links to the fuller neighbour it shares most with, as a copy, excerpt or
   version (`_relation`).

Memory: what is held of every article is arrays (the sentence index, the candidate pairs, the verified
links: `links.Links`, one int a headline) and an offset into a temporary file holding each page's lead and
headline (`leads.LeadLog`); the split pages are in two bounded caches (`passage_cache` bodies,
`line_cache` lines). bench/syndication/copies_memory.py measures it in a fold.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from newsfold.models import Article, CopyLink, Flag, OriginGroup, Relation
from newsfold.settings import SyndicationSettings
from newsfold.syndication.align import Alignment, align_articles, in_order
from newsfold.syndication.candidates import (
    SentenceIndex,
    groups_by_key,
    lead_pairs,
    near_pairs,
    sentence_index,
)
from newsfold.syndication.evidence import EvidenceCounts
from newsfold.syndication.leads import LeadLog
from newsfold.syndication.links import Links
from newsfold.syndication.passages import (
    Body,
    LineCache,
    PageText,
    Passage,
    differing_headlines,
    page_text,
    passages_of,
    retitled,
)
from newsfold.unionfind import UnionFind

__all__ = [
    "Alignment",
    "Body",
    "align_articles",
    "find_origins",
    "passages_of",
    "stream_origins",
    "uncredited_copy_flags",
]


class _BodyCache:
    """Each article's text split once (`page_text`), then its `Body`; bounded so that 100,000 articles
    never sit in memory as sentences (past `passage_cache` articles, the least recent is split again
    when needed).

    `split(i)` is the first pass (before boilerplate is known); `get(i)` the Body once `boilerplate` is
    set.
    """

    def __init__(
        self,
        articles: Sequence[Article],
        settings: SyndicationSettings,
        texts: Mapping[str, PageText] | None = None,
    ):
        self.articles = articles
        self.settings = settings
        self.texts: Mapping[str, PageText] = texts or {}
        self.boilerplate: frozenset[int] = frozenset()
        self.index: SentenceIndex | None = None
        self.cache: OrderedDict[int, PageText | Body] = OrderedDict()
        self.lead = settings.lead_sentences + settings.lead_scan_extra
        self.lines = LineCache(settings.line_cache)

    def _keep(self, i: int, value: PageText | Body) -> None:
        self.cache[i] = value
        if len(self.cache) > self.settings.passage_cache:
            self.cache.popitem(last=False)

    def split(self, i: int, article: Article | None = None) -> PageText:
        """Article i's text split (`article`: article i, when the caller has read it)."""
        article = article if article is not None else self.articles[i]
        text = self.texts.get(article.id)
        if text is None:
            text = page_text(article, self.settings.min_substantive_tokens, self.lead, self.lines)
        self._keep(i, text)
        return text

    def get(self, i: int) -> Body:
        value = self.cache.get(i)
        if isinstance(value, Body):
            self.cache.move_to_end(i)
            return value
        text = value if value is not None else self.split(i)
        body = Body.of_text(text, self.settings.min_substantive_tokens, self.boilerplate)
        if self.index is not None:
            body.held = tuple(self.index.holder_counts(np.array(body.hashes, dtype=np.int64)).tolist())
        self._keep(i, body)
        self.cache.move_to_end(i)
        return body


def _same_origin(
    a: Body,
    b: Body,
    forward: Alignment,
    index: SentenceIndex,
    settings: SyndicationSettings,
    pair: tuple[int, int] = (-1, -1),
    printed_by: Callable[[int], frozenset[int]] | None = None,
) -> bool:
    """Whether most of `a` is found in `b`, in order, in enough sentences, one of them verbatim.

    Sentences of `a` found in neither article but held verbatim by some third article (a teaser of
    another story the cleaner kept, a line the other page's cleaner dropped) leave the denominator.
    Shared sentences that look like teasers leave both sides (`_teasers`).
    """
    ordered = set(in_order(forward)) - _teasers(a, forward, index, pair, printed_by)
    verbatim = any(forward.score[i] >= settings.anchor_match for i in ordered)
    if len(ordered) < settings.min_shared_sentences or not verbatim:
        return False
    found = total = 0
    for i, (p, w) in enumerate(zip(a.passages, forward.weights, strict=True)):
        if w == 0:
            continue
        if i in ordered:
            found += w
            total += w
        elif p.key not in a.page_keys and len(index.holders_of(hash(p.key))) < 2:
            total += w
    return total > 0 and found >= settings.min_containment * total


def _teasers(
    a: Body,
    forward: Alignment,
    index: SentenceIndex,
    pair: tuple[int, int],
    printed_by: Callable[[int], frozenset[int]] | None = None,
) -> set[int]:
    """Verbatim shared sentences that third articles print, but none of them with another shared one.

    Two pages whose cleaners kept the same sidebar share its teasers: each teaser is the lede of its own
    story, whose pages print it together with nothing else these two pages share. True copies share
    sentences that their group's other members print together, or that nobody else prints (then
    nothing is discounted).

    `printed_by(k)`: the substantive sentence hashes of article k. With it, a sentence whose first third
    printer prints another shared sentence is settled without comparing holder sets, which a wire story
    on hundreds of pages makes long.
    """
    shared = [
        i
        for i, (m, s, w) in enumerate(zip(forward.match, forward.score, forward.weights, strict=True))
        if m >= 0 and s == 1.0 and w > 0
    ]
    holders = {i: index.holders_of(a.hashes[i]) for i in shared}
    first_third: dict[int, int] = {}
    for i, printers in holders.items():
        # Holders are sorted and unique, so the first three hold at most two of the pair.
        third = next((int(k) for k in printers[:3] if k not in pair), -1)
        if third < 0:
            return set()  # a sentence only these two print: whatever else they share is not a sidebar
        first_third[i] = third
    hashes = {a.hashes[i] for i in shared}
    unsettled = [i for i in shared if printed_by is None or len(hashes & printed_by(first_third[i])) < 2]
    if not unsettled:
        return set()
    others = {i: set(printers.tolist()) - set(pair) for i, printers in holders.items()}
    return {i for i in unsettled if not any(others[i] & theirs for k, theirs in others.items() if k != i)}


def _single(body: Body) -> bool:
    """Whether a body has exactly one substantive sentence."""
    return sum(w > 0 for w in body.weights) == 1


def _lede_excerpt(
    a: Body,
    b: Body,
    forward: Alignment,
    index: SentenceIndex,
    pair: tuple[int, int],
    settings: SyndicationSettings,
) -> bool:
    """Whether `a` opens with `b`'s first sentence and holds nothing else of its own: a short excerpt.

    `a`'s first substantive sentence must be `b`'s first one, verbatim (or cut short, "... with"); each
    of its other substantive sentences is found in `b` in order, or printed verbatim by a third article
    (a teaser of another story the cleaner kept beside the excerpt). A lede is the most distinctive
    sentence of a story, but one sentence is not enough to bridge stories, so such pairs are deferred
    (`find_origins` joins them only when everything the excerpt opens is one group).
    """
    headline = bool(a.title) and (a.title == b.title or (settings.retitles and _retitled(a, b, settings)))
    neutral = settings.retitles and _lede_titled(a)  # not `b`: a title of its own on `a` still vetoes
    if settings.lede_title_veto == "any" and (a.title or b.title) and not headline and not neutral:
        return False  # titles that differ: a kept teaser of another story, not an excerpt
    if not neutral and differing_headlines(a.title, b.title, settings.headline_min_tokens, settings.retitles):
        return False  # headlines that differ: a kept teaser of another story, not an excerpt
    headline = headline or (settings.lede_title_veto == "teasers" and bool(a.title or b.title))
    weighed = [i for i, w in enumerate(forward.weights) if w > 0]
    lede = next((k for k, w in enumerate(b.weights) if w > 0), -1)
    if not weighed or lede < 0 or forward.match[weighed[0]] != lede or forward.score[weighed[0]] < 1.0:
        return False
    ordered = in_order(forward)
    for i in weighed[1:]:
        if forward.match[i] >= 0 and i in ordered:
            continue
        if not headline:
            return False  # without the same headline, only a one-sentence excerpt
        holders = index.holders_of(hash(a.passages[i].key)).tolist()
        if not any(h not in pair for h in holders):
            return False  # a sentence of its own that `b` lacks: not an excerpt of `b`
    return True


def _retitled(a: Body, b: Body, settings: SyndicationSettings) -> bool:
    """Whether one title holds the other whole (`passages.retitled`): one headline, retitled."""
    return retitled(a.title, b.title, settings.headline_min_tokens)


def _lede_titled(body: Body) -> bool:
    """Whether the page's title is the opening words of its own first sentence: a title made from the
    lede (as feeds and aggregators do), which says nothing about which story the page tells. Its
    paragraph's short sentences before it count too: a dateline ("Berlin.") opens the lede."""
    words = body.title.split(" ")
    first = next((k for k, w in enumerate(body.weights) if w > 0), -1)
    if not body.title or len(words) < 3 or first < 0:
        return False
    lede = body.passages[first]
    opening = [p.key for p in body.passages[:first] if p.paragraph == lede.paragraph]
    return any(
        " ".join([*opening[k:], lede.key]).split(" ")[: len(words)] == words for k in range(len(opening) + 1)
    )


def _excused(a: Body, b: Body, printed: Mapping[int, int]) -> list[bool]:
    """For each sentence of `a`: weighed, and neither on `b`'s page (among its removed lines) nor printed
    verbatim by an article outside the group (page chrome, a teaser: not an edit).

    `printed`: how many members of the group print each substantive sentence; a sentence more articles
    print is printed outside it.
    """
    return [
        w > 0 and p.key not in b.page_keys and held <= printed.get(h, 0)
        for p, w, h, held in zip(a.passages, a.weights, a.hashes, a.held, strict=True)
    ]


def _relation(
    a: Body,
    b: Body,
    forward: Alignment,
    printed: Mapping[int, int],
    settings: SyndicationSettings,
) -> tuple[Relation, list[bool], list[bool]]:
    """The relation of `a` to the fuller `b`, and which sentences of each the other one lacks.

    Version: a sentence reworded (a number, a quote) or `min_added_words` of new substantive text (one
    sentence at either edge of what `a` shares is cleaner noise).
    Excerpt: `b` goes on for at least `excerpt_min_tail` of its words after the last sentence `a` has,
    in text that is not on `a`'s page. Version again: `b` has `min_dropped_words` substantive words
    missing from `a`'s page before that point (paragraphs dropped), or after it when too few for an
    excerpt (paragraphs added). Otherwise copy.

    Noise counts on neither side: sentences a cleaner dropped on one page but kept on the other (found
    among that page's removed lines), sentences other stories print too (teasers), and one line
    (paragraph) at either edge, missing or added, which is what cleaners get wrong (a caption, a "similar
    news" blurb kept; a lede taken for a standfirst dropped). Without the removed lines of `a`'s page,
    a missing last line is also noise.
    """
    counts_a = _excused(a, b, printed)
    counts_b = _excused(b, a, printed)
    verbatim = {a.passages[i].key for i, s in enumerate(forward.score) if s == 1.0 and forward.match[i] >= 0}
    covered = {m for m, s in zip(forward.match, forward.score, strict=True) if m >= 0 and s == 1.0}
    covered.update(k for k, q in enumerate(b.passages) if q.key in verbatim)  # repeated sentences
    adds = [c and s < 1.0 for c, s in zip(counts_a, forward.score, strict=True)]
    lacks = [c and k not in covered for k, c in enumerate(counts_b)]

    def words(body: Body, marked: Sequence[bool], span: range, edge: bool) -> int:
        return _marked_words(body, marked, span, settings.edge_noise_lines if edge else None)

    new = [x and m < 0 for x, m in zip(adds, forward.match, strict=True)]
    changed = sum(1 for x, m in zip(adds, forward.match, strict=True) if x and m >= 0)
    found = [i for i, m in enumerate(forward.match) if m >= 0 and a.weights[i] > 0]
    first_a, last_a = (found[0], found[-1] + 1) if found else (0, 0)
    added = (
        words(a, new, range(first_a, last_a), edge=False)
        + words(a, new, range(first_a), edge=True)
        + words(a, new, range(last_a, len(new)), edge=True)
    )
    if (
        changed
        or added >= settings.min_added_words
        or (settings.line_numbers and _line_edited(a, b, settings.line_words))
    ):
        return "version", adds, lacks
    near = [m for m in forward.match if m >= 0]
    first_b, last_b = (min(near), max(near) + 1) if near else (0, 0)
    tail = words(b, lacks, range(last_b, len(lacks)), edge=not a.page_keys)
    if tail and tail >= settings.excerpt_min_tail * b.weight:
        return "excerpt", adds, lacks
    dropped = words(b, lacks, range(first_b, last_b), edge=False) + words(b, lacks, range(first_b), edge=True)
    if dropped + tail >= settings.min_dropped_words:
        return "version", adds, lacks
    return "copy", adds, lacks


def _marked_words(body: Body, marked: Sequence[bool], span: range, edge_lines: int | None) -> int:
    """Weighed words marked in `span`; at an edge (`edge_lines` given), only when they fill more than
    `edge_lines` lines."""
    chosen = [k for k in span if marked[k]]
    if edge_lines is not None and len({body.passages[k].paragraph for k in chosen}) <= edge_lines:
        return 0
    return sum(body.weights[k] for k in chosen)


def _shape(key: str) -> str:
    """A passage key with every token holding a digit replaced by "#"."""
    if key.isascii():  # str.isdigit is [0-9] there: one substitution (most keys; a generator a character)
        return _ASCII_DIGIT_TOKEN.sub("#", key)
    return " ".join("#" if any(c.isdigit() for c in token) else token for token in key.split(" "))


# A token (a run between the single spaces of a key) holding an ASCII digit.
_ASCII_DIGIT_TOKEN = re.compile(r"[^ ]*[0-9][^ ]*")


def _one_word_apart(x: Sequence[str], y: Sequence[str]) -> bool:
    """Whether two token sequences differ by one token inserted, dropped or replaced."""
    if len(x) < len(y):
        x, y = y, x
    if len(x) - len(y) > 1:
        return False
    head = 0
    while head < len(y) and x[head] == y[head]:
        head += 1
    if len(x) == len(y):
        return x[head + 1 :] == y[head + 1 :]
    return x[head + 1 :] == y[head:]


def _line_edited(a: Body, b: Body, words: bool) -> bool:
    """Whether a line that is not a sentence (a price, a URL, a list entry, a subheading) prints other
    numbers in `a` than in `b`, its words the same, or (`words`) one word inserted, dropped or replaced:
    an edit outside the sentences, which alone weigh as evidence. A line one word apart from another line
    of its own page is a list of one template ("See it now: Apple", "See it now: Amazon"): a cleaner that
    keeps other entries of it on each page made no edit."""
    mine = [
        p.key
        for p, w in zip(a.passages, a.weights, strict=True)
        if not w and p.words >= 3 and p.key not in b.exact
    ]
    if not mine:
        return False
    shapes = {_shape(key) for key in mine}
    by_length: dict[int, list[list[str]]] = {}
    if words:
        for key in mine:
            tokens = key.split(" ")
            by_length.setdefault(len(tokens), []).append(tokens)
    for q, w in zip(b.passages, b.weights, strict=True):
        if w or q.words < 3 or q.key in a.exact:
            continue
        shape = _shape(q.key)
        if shape in shapes and "#" in shape.split(" ") and len(shape.replace("#", "").split()) >= 2:
            return True
        if words:
            tokens = q.key.split(" ")
            n = len(tokens)
            near = (x for k in (n - 1, n, n + 1) for x in by_length.get(k, ()))
            edited = next((x for x in near if min(n, len(x)) >= 3 and _one_word_apart(tokens, x)), None)
            if edited is not None and not _templated(b, tokens) and not _templated(a, edited):
                return True
    return False


def _templated(body: Body, tokens: list[str]) -> bool:
    """Whether another line of `body` that is not a sentence is one word apart from `tokens`."""
    return any(
        not w
        and p.words >= 3
        and abs(p.words - len(tokens)) <= 1
        and _one_word_apart(p.key.split(" "), tokens)
        for p, w in zip(body.passages, body.weights, strict=True)
        if p.key != " ".join(tokens)
    )


def _differences(body: Body, missing: Sequence[bool]) -> tuple[str, ...]:
    """The passages marked missing: whole paragraphs when none of their weighed sentences is there."""
    if not any(missing):
        return ()
    passages, weights = body.passages, body.weights
    out: list[str] = []
    by_paragraph: dict[int, list[int]] = {}
    for i, p in enumerate(passages):
        by_paragraph.setdefault(p.paragraph, []).append(i)
    for members in by_paragraph.values():
        if len(members) == 1:  # most paragraphs: one sentence
            if missing[members[0]]:
                out.append(passages[members[0]].text)
            continue
        weighed = [i for i in members if weights[i] > 0]
        if weighed and all(missing[i] for i in weighed):
            out.append(" ".join(passages[i].text for i in members))
        else:
            out.extend(passages[i].text for i in members if missing[i])
    return tuple(out)


# Candidate pairs turned into Python ints this many at a time: all of them at once cost ~1.4 KB an article
# (~10 pairs an article, four ints each; bench/out/scale-2500-max100), for a million pages 1.4 GB.
_PAIR_ROWS = 65_536


def _pair_rows(*columns: np.ndarray) -> Iterator[tuple[int, ...]]:
    """The rows of equal-length arrays as tuples of Python ints, a slice of `_PAIR_ROWS` at a time."""
    for start in range(0, len(columns[0]), _PAIR_ROWS):
        yield from zip(*(column[start : start + _PAIR_ROWS].tolist() for column in columns), strict=True)


def find_origins(
    articles: Sequence[Article],
    settings: SyndicationSettings = SyndicationSettings(),
    corpus: EvidenceCounts | None = None,
    texts: Mapping[str, PageText] | None = None,
) -> list[OriginGroup]:
    """Group articles that share one origin; every article lands in exactly one group.

    Groups come in the order of their first member in `articles`, members in input order. The
    representative is the fullest member (most substantive words), then the earliest `published`, then
    the smallest id; every other member has a CopyLink to the fuller member it shares most with.

    `corpus`: key counts over a larger corpus when `articles` are only the part of it an ingest touched
    (engine/incremental.py says which part gives what the whole would give those articles).
    `texts`: article id -> its text split as `evidence.split_for_evidence` splits it, for the articles
    the caller has split already (a store keeps them: engine/incremental.py); the others are split here.
    Of an article given with its text only the id and `published` are read (it may come without a body).

    >>> groups = find_origins(articles)            # doctest: +SKIP
    >>> [g.members for g in groups if len(g.members) > 1]
    [('ap.txt', 'excerpt.txt', 'update.txt')]
    """
    return list(stream_origins(articles, settings, corpus, texts))


def stream_origins(
    articles: Sequence[Article],
    settings: SyndicationSettings = SyndicationSettings(),
    corpus: EvidenceCounts | None = None,
    texts: Mapping[str, PageText] | None = None,
) -> Iterator[OriginGroup]:
    """`find_origins`, each group yielded as it is made (its copy links carry the passages each copy adds
    and lacks: ~1.9 KB an article of bench/out/scale-2500-max100, which a caller that keeps the groups on
    disk need not hold all at once). The input is checked at the first group asked for."""
    if corpus is not None and settings.near_candidates:
        raise ValueError("near candidates (MinHash LSH) need the whole corpus")
    cache = _BodyCache(articles, settings, texts)
    leads = LeadLog()
    try:
        yield from _origins(articles, settings, corpus, cache, leads)
    finally:
        leads.close()


def _origins(
    articles: Sequence[Article],
    settings: SyndicationSettings,
    corpus: EvidenceCounts | None,
    cache: _BodyCache,
    leads: LeadLog,
) -> Iterator[OriginGroup]:
    """`stream_origins` over a fresh body cache and lead log (which the caller closes)."""

    id_hashes = array("q")  # each article's hash(id): one int an article, where a set of ids held ~0.1 KB

    def passages(i: int) -> tuple[Passage, ...]:
        article = articles[i]
        id_hashes.append(hash(article.id))
        text = cache.split(i, article)
        leads.append(tuple((s.passage.key, s.in_body) for s in text.lead), text.title)
        return text.passages

    index = sentence_index(articles, settings, corpus, passages)
    _check_unique(articles, np.frombuffer(id_hashes, dtype=np.int64))
    cache.boilerplate, cache.index = index.boilerplate, index
    # Weights as Python ints: read once per candidate pair.
    run = _Linking(index, index.weights.tolist(), _headlines(leads.titles, settings, corpus), cache, settings)
    links = Links(len(articles))
    ledes: dict[int, list[int]] = {}  # one-sentence articles -> the articles they are the lede of
    _link_candidates(run, links, ledes)
    links.freeze()
    if settings.near_candidates:
        _link_near(articles, run, links)
        links.freeze()
    if settings.page_leads:
        _link_page_leads(articles, run, corpus, leads, links, ledes)
    _link_headlines(run, links, ledes)
    links.freeze()
    for i, j in _bridges(links, cache):
        links.cut(i, j)
    links.freeze()
    union = UnionFind(len(articles))
    for i, j in links.pairs():
        union.union(i, j)
    _join_ledes(run, union, links, ledes)
    links.freeze()
    del ledes, run
    for members in _components(union):
        yield _group(members, links, articles, index, cache, settings)


@dataclass(frozen=True)
class _Linking:
    """What the linking steps of `_origins` read: the sentence index, each article's weight (Python
    ints), each article's headline hash (0 when not evidence), the body cache and the settings."""

    index: SentenceIndex
    weights: list[int]
    headlines: np.ndarray
    cache: _BodyCache
    settings: SyndicationSettings

    def printed_by(self, k: int) -> frozenset[int]:
        """The substantive sentences article k prints, by hash."""
        return self.cache.get(k).substantive

    def by_weight(self, i: int, j: int) -> tuple[int, int]:
        """The pair as (smaller, larger) by weight (the first given when equal)."""
        return (i, j) if self.weights[i] <= self.weights[j] else (j, i)


def _link_candidates(run: _Linking, links: Links, ledes: dict[int, list[int]]) -> None:
    """Verify the candidate pairs: link those of one origin; defer one-sentence excerpts and same-headline
    versions to `ledes` (joined only when everything they point to is one group)."""
    index, weights, headlines, cache, settings = (
        run.index,
        run.weights,
        run.headlines,
        run.cache,
        run.settings,
    )
    pairs = index.pairs
    for i, j, sentences, words in _pair_rows(pairs.first, pairs.second, pairs.sentences, pairs.words):
        small, large = (i, j) if weights[i] <= weights[j] else (j, i)
        floor = weights[small]
        if sentences >= settings.exact_min_sentences and words >= settings.min_containment * floor:
            same = True  # verbatim sentences alone reach the containment
        elif words < settings.align_min_verbatim * floor:
            same = False  # too little verbatim text for near matches to close the gap
        else:
            body, other = cache.get(small), cache.get(large)
            forward = align_articles(body, other, settings)
            same = _same_origin(body, other, forward, index, settings, (small, large), run.printed_by)
            if not same and settings.lede_excerpts:
                if _lede_excerpt(body, other, forward, index, (small, large), settings):
                    ledes.setdefault(small, []).append(large)
                    continue
        if (
            not same
            and headlines[small]
            and headlines[small] == headlines[large]
            and words >= settings.headline_min_verbatim * floor
        ):
            # The same long headline and verbatim text (not one boilerplate line in a long page): a version
            # that kept little of its origin's text (paragraphs dropped, others added). Deferred like a lede.
            ledes.setdefault(small, []).append(large)
            continue
        if same:
            links.add(i, j, words)


def _link_near(articles: Sequence[Article], run: _Linking, links: Links) -> None:
    """Link the near-duplicate candidates (MinHash LSH) not linked yet that align as one origin."""
    for i, j in sorted(near_pairs(articles, run.index, run.settings)):
        if links.has(i, j):
            continue
        small, large = run.by_weight(i, j)
        body, other = run.cache.get(small), run.cache.get(large)
        forward = align_articles(body, other, run.settings)
        if _same_origin(body, other, forward, run.index, run.settings, (small, large), run.printed_by):
            links.add(i, j, 0)


def _link_page_leads(
    articles: Sequence[Article],
    run: _Linking,
    corpus: EvidenceCounts | None,
    leads: LeadLog,
    links: Links,
    ledes: dict[int, list[int]],
) -> None:
    """Link pages opening with the same two sentences; defer the ones sharing one (to `ledes`)."""
    for lead in lead_pairs(
        articles,
        run.headlines,
        run.settings,
        corpus,
        leads,
        syndicated=lambda key: run.index.syndicated(hash(key)),
        titles=leads.titles if run.settings.short_ledes else None,
    ):
        i, j = lead.first, lead.second
        if links.has(i, j):
            continue
        if lead.both:
            links.add(i, j, lead.words)
        else:
            small, large = run.by_weight(i, j)
            ledes.setdefault(small, []).append(large)


def _link_headlines(run: _Linking, links: Links, ledes: dict[int, list[int]]) -> None:
    """Pages under one long headline: those with no text of their own defer to the others (`ledes`);
    when none has text (a list, a headline and a link), they are one origin."""
    for holders in groups_by_key(run.headlines, run.headlines != 0):
        # A page already linked has text of its own; only the others are read.
        bodied = [
            k for k in holders if links.linked(k) or not _bodiless(run.cache.get(k), run.index, holders)
        ]
        for k in holders:
            if k not in bodied and bodied:
                ledes.setdefault(k, []).extend(bodied)
        if not bodied:
            for k in holders[1:]:
                links.add(holders[0], k, 0)


def _join_ledes(run: _Linking, union: UnionFind, links: Links, ledes: Mapping[int, list[int]]) -> None:
    """Join each deferred page to the fuller pages it points to, when they are all in one group.

    A one-sentence excerpt joins its story only when every fuller article it opens is in one group: a page
    the cleaner reduced to a kept teaser (another story's lede) must not bridge two stories.
    """
    for small, partners in ledes.items():
        fuller = [k for k in partners if not _single(run.cache.get(k))]
        joined = {union.find(k) for k in fuller}
        if links.linked(small):  # already linked (a page lead): its partners must be in that group
            joined.add(union.find(small))
        if fuller and len(joined) == 1:
            for k in fuller:
                union.union(small, k)
                links.add(small, k, int(run.weights[small]))


def _components(union: UnionFind) -> Iterator[list[int]]:
    """The sets of a union-find, each ascending, in the order of their smallest member (its root)."""
    roots = np.fromiter((union.find(i) for i in range(len(union.parent))), np.int64, len(union.parent))
    order = np.argsort(roots, kind="stable")  # by root, then ascending within a set
    _, starts = np.unique(roots[order], return_index=True)
    ends = [*starts[1:].tolist(), len(order)] if len(order) else []  # no article: no set
    for start, end in zip(starts.tolist(), ends, strict=True):
        yield order[start:end].tolist()


def _check_unique(articles: Sequence[Article], id_hashes: np.ndarray) -> None:
    """Refuse articles sharing an id (only those whose ids' hashes collide are read again)."""
    hashes, counts = np.unique(id_hashes, return_counts=True)
    suspects = np.flatnonzero(np.isin(id_hashes, hashes[counts > 1])).tolist()
    ids = [articles[i].id for i in suspects]
    if len(set(ids)) != len(ids):
        raise ValueError("find_origins needs unique Article.id values; rename the duplicated inputs")


def _bodiless(body: Body, index: SentenceIndex, same_headline: Collection[int]) -> bool:
    """Whether every substantive sentence of a body is printed by a page with another headline too:
    nothing of its own but teasers of other stories (or nothing at all)."""
    return all(
        any(int(h) not in same_headline for h in index.holders_of(hash(p.key)))
        for p, w in zip(body.passages, body.weights, strict=True)
        if w > 0
    )


def _headlines(
    keys: Sequence[str], settings: SyndicationSettings, corpus: EvidenceCounts | None = None
) -> np.ndarray:
    """The hash of each article's normalised headline (`keys`) where it is evidence, else 0: one int an
    article (the strings are in the lead log).

    Evidence: at least `headline_min_tokens` words, printed by no more than `max_sentence_fanout` articles
    (a site name or a newsletter banner taken for a headline is neither).
    """
    count = len(keys)
    hashes = np.zeros(count, dtype=np.int64)
    shaped = np.zeros(count, dtype=bool)
    for i, key in enumerate(keys):
        hashes[i] = hash(key)
        shaped[i] = bool(settings.headline_min_tokens) and len(key.split()) >= settings.headline_min_tokens
    if corpus is not None:
        held = np.array([corpus.headlines[key] if shaped[i] else 0 for i, key in enumerate(keys)], np.int64)
    else:
        _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
        held = counts[inverse]
    evidence = shaped & (held <= settings.max_sentence_fanout) & (hashes != 0)
    return np.where(evidence, hashes, 0)


def _bridges(links: Links, cache: _BodyCache) -> set[tuple[int, int]]:
    """Links that would make an article the bridge between two stories; each such article keeps one.

    An article whose verified partners fall into sets that share none of its sentences with each other
    (and are not linked to each other) holds two stories' text: a page whose cleaner kept another
    story's teaser beside its own body, or a digest of two wire stories. It stays with the partners it
    shares most words with; the links to the others are cut, so one page never merges two stories.
    """
    cut: set[tuple[int, int]] = set()
    for i in np.nonzero(links.degrees() >= 2)[0].tolist():
        linked = links.of(i)
        mine = cache.get(i).weighed_hashes
        partners = list(linked)  # ascending
        at = {k: x for x, k in enumerate(partners)}
        # Partners sharing the same sentences of i are one side from the start (a wire story's copies
        # share all of them): one class each; a partner sharing none is a class of its own.
        classes: dict[frozenset[int], int] = {}
        class_of: list[int] = []
        for k in partners:
            shared = mine & cache.get(k).weighed_hashes
            class_of.append(classes.setdefault(shared, len(class_of)) if shared else len(class_of))
        sets = UnionFind(len(partners))
        apart = len(set(class_of))  # sides so far; at one, nothing is cut
        # Classes sharing one of i's sentences are one side: chained through the first one holding it
        # (each distinct first holder joined once: a wire story's classes share dozens of sentences).
        first_holder: dict[int, int] = {}
        for shared, x in classes.items():
            if apart == 1:
                break
            for y in {first_holder.setdefault(h, x) for h in shared}:
                if y != x:
                    apart -= sets.union(x, y)
        # Linked partners are one side too (from the smaller of the two lists: a wire story's anchors
        # have hundreds of links).
        for x, k in enumerate(partners):
            if apart == 1:
                break
            theirs = links.partners_of(k).tolist()
            if len(theirs) < len(partners):
                linked_to = [at[b] for b in theirs if b in at]
            else:
                mutual = set(theirs)
                linked_to = [y for y, b in enumerate(partners) if b in mutual]
            for y in linked_to:
                if class_of[x] != class_of[y]:
                    apart -= sets.union(class_of[x], class_of[y])
        if apart == 1:
            continue
        sides: dict[int, list[int]] = {}
        for x, k in enumerate(partners):
            sides.setdefault(sets.find(class_of[x]), []).append(k)
        if len(sides) > 1:
            keep = max(sides.values(), key=lambda side: (sum(linked[k] for k in side), -min(side)))
            cut.update((min(i, k), max(i, k)) for k in partners if k not in keep)
    return cut


def _same_text(a: Body, b: Body) -> bool:
    """Whether two bodies hold the same sentences in the same order (what `_relation` calls a copy with
    nothing added or lacking)."""
    return a.hashes == b.hashes and all(p.key == q.key for p, q in zip(a.passages, b.passages, strict=True))


def _group(
    members: list[int],
    links: Links,
    articles: Sequence[Article],
    index: SentenceIndex,
    cache: _BodyCache,
    settings: SyndicationSettings,
) -> OriginGroup:
    """One origin group: representative, members, and each other member's link to what it copies."""
    if len(members) == 1:
        only = articles[members[0]].id
        return OriginGroup(representative=only, members=(only,))
    # Each member read once (a spill reads an article from disk at each index).
    ids, published = {}, {}
    for i in members:
        article = articles[i]
        ids[i], published[i] = article.id, article.published
    # Fullest first, then earliest (undated last), then by id: the same representative in any input order.
    order = sorted(
        members,
        key=lambda i: (-int(index.weights[i]), published[i] is None, published[i] or "", ids[i]),
    )
    rank = {i: r for r, i in enumerate(order)}
    printed = Counter(chain.from_iterable([cache.get(i).substantive for i in members]))
    copy_links: dict[int, CopyLink] = {}
    for i in order[1:]:
        fuller = [(words, -rank[k], k) for k, words in links.of(i).items() if rank[k] < rank[i]]
        k = max(fuller)[2] if fuller else order[0]
        mine, theirs = cache.get(i), cache.get(k)
        if _same_text(mine, theirs):  # a verbatim copy (a third of links): nothing to align
            copy_links[i] = CopyLink(
                article=ids[i], of=ids[k], relation="copy", shared=1.0 if mine.weight else 0.0
            )
            continue
        forward = align_articles(mine, theirs, settings)
        relation, adds, lacks = _relation(mine, theirs, forward, printed, settings)
        copy_links[i] = CopyLink(
            article=ids[i],
            of=ids[k],
            relation=relation,
            shared=round(forward.shared, 3),
            adds=_differences(mine, adds),
            lacks=_differences(theirs, lacks),
        )
    ordered = sorted(members)
    return OriginGroup(
        representative=ids[order[0]],
        members=tuple(ids[i] for i in ordered),
        copies=tuple(copy_links[i] for i in ordered if i in copy_links),
    )


def uncredited_copy_flags(groups: Sequence[OriginGroup], articles: Sequence[Article]) -> list[Flag]:
    """Flag members that drop the wire credit carried by what they copy (up the chain of links).

    A credit counts as kept when the member lists it in `credits` or names it anywhere in its byline,
    source or body (a cleaner may leave "(AP) —" in the first paragraph without extracting it).
    """
    by_id = {a.id: a for a in articles}
    flags: list[Flag] = []
    for group in groups:
        link_of = {link.article: link for link in group.copies}
        for link in group.copies:
            origin_credits: list[str] = []
            seen = {link.article}
            at = link.of
            while at not in seen:  # walk up to the representative, gathering credits
                seen.add(at)
                origin_credits.extend(c for c in by_id[at].credits if c not in origin_credits)
                if at not in link_of:
                    break
                at = link_of[at].of
            article = by_id[link.article]
            own = " ".join((*article.credits, *article.authors, article.source or "", *article.paragraphs))
            dropped = [c for c in origin_credits if not re.search(rf"\b{re.escape(c)}\b", own)]
            if origin_credits and len(dropped) == len(origin_credits):
                flags.append(
                    Flag(
                        article=link.article,
                        kind="uncredited-copy",
                        detail=(
                            f"{link.relation} of {link.of} ({link.shared:.0%} of its text found there), "
                            f"which credits {', '.join(origin_credits)}; this article names no such credit"
                        ),
                    )
                )
    return flags
