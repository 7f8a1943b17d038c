"""Candidate pairs: exact sentence hashing first, then MinHash LSH over the sentences nobody shares.

A republished page reuses whole sentences verbatim, so hashing every substantive sentence finds nearly
every pair, with the words it shares, in one numpy sort. What it cannot find is a copy whose every
sentence was touched (a house style applied: "per cent", "U.S.", retyped quotes); for those, sentences
no other article prints verbatim go through rensa's MinHash LSH (`near_pairs`), which sketches them in
chunks so memory stays bounded. rensa rather than datasketch: its Rust index holds millions of sentence
sketches in about a third of the memory and builds them ~30x faster.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import rensa

from newsfold.models import Article
from newsfold.settings import SyndicationSettings
from newsfold.syndication.evidence import EvidenceCounts
from newsfold.syndication.passages import Passage, differing_headlines, page_lead, passages_of, retitled

__all__ = [
    "CandidatePairs",
    "LeadPair",
    "SentenceIndex",
    "groups_by_key",
    "lead_pairs",
    "near_pairs",
    "sentence_index",
]


@dataclass(frozen=True)
class CandidatePairs:
    """Article pairs (first < second) with the substantive sentences and words they share verbatim."""

    first: np.ndarray
    second: np.ndarray
    sentences: np.ndarray
    words: np.ndarray


@dataclass(frozen=True)
class SentenceIndex:
    """Every substantive sentence (by `hash` of its key) and the articles holding it, as sorted arrays.

    `weights` is each article's substantive word count with boilerplate left out (all of it when the
    article is nothing but boilerplate); `boilerplate` the hashes held by more than
    `max_sentence_fanout` articles that are not a syndicated story's; `anchors` how many first holders
    of a sentence every other holder is paired with (`max_sentence_fanout`).
    """

    hashes: np.ndarray
    starts: np.ndarray
    holders: np.ndarray
    weights: np.ndarray
    boilerplate: frozenset[int]
    pairs: CandidatePairs
    anchors: int = 20

    def holder_counts(self, key_hashes: np.ndarray) -> np.ndarray:
        """How many articles hold each sentence (0 for a hash not indexed)."""
        at = np.searchsorted(self.hashes, key_hashes)
        inside = at < len(self.hashes)
        found = np.zeros(len(key_hashes), dtype=bool)
        found[inside] = self.hashes[at[inside]] == key_hashes[inside]
        return np.where(
            found,
            self.starts[np.minimum(at + 1, len(self.hashes))]
            - self.starts[np.minimum(at, len(self.hashes) - 1)],
            0,
        )

    def syndicated(self, key_hash: int) -> bool:
        """Whether a sentence is held by more than `anchors` articles and is not boilerplate: a
        syndicated story's."""
        return key_hash not in self.boilerplate and len(self.holders_of(key_hash)) > self.anchors

    def holders_of(self, key_hash: int) -> np.ndarray:
        """Articles holding the sentence (empty when it is in none, or not substantive)."""
        at = int(np.searchsorted(self.hashes, key_hash))
        if at == len(self.hashes) or self.hashes[at] != key_hash:
            return self.holders[:0]
        return self.holders[self.starts[at] : self.starts[at + 1]]


def sentence_index(
    articles: Sequence[Article],
    settings: SyndicationSettings,
    corpus: EvidenceCounts | None = None,
    passages: Callable[[int], Sequence[Passage]] | None = None,
) -> SentenceIndex:
    """Hash every substantive sentence once, find boilerplate, and list candidate pairs with evidence.

    A sentence held by more than `max_sentence_fanout` articles is boilerplate or a mass-syndicated
    story: each holder pairs only with the first `max_sentence_fanout` holders (anchors), which keeps the
    work linear; true copies still meet those anchors in many sentences, boilerplate in one.

    Boilerplate is evidence only between two articles that are nothing but boilerplate, and such an
    article pairs through a boilerplate sentence with that sentence's first `max_sentence_fanout`
    holders that are nothing but boilerplate too (not its first holders of any kind): two such pages
    sharing a footer pair even when the footer's first holders are ordinary pages (before, they never
    did), and which pages pair depends only on the all-boilerplate holders, so a part of the corpus
    holding all of them gives what the whole corpus gives.

    With `corpus` (counts over a larger corpus that `articles` are part of), boilerplate is what the
    corpus holds more than `max_sentence_fanout` times, less its `syndicated` sentences. An article that
    is nothing but boilerplate is refused (ValueError: its partners may lie outside `articles`; the
    caller runs over the whole corpus instead) unless `corpus.boilerplate_closed` says `articles` hold
    every all-boilerplate holder of their boilerplate sentences.

    `passages(i)` gives article i's body passages when the caller has split them already.
    """
    body = passages if passages is not None else (lambda i: passages_of(articles[i]))
    n = len(articles)
    fanout = settings.max_sentence_fanout
    rows = _sentence_rows(n, body, settings, corpus)
    anchors = _Anchors(rows.counts, rows.starts, rows.owners, fanout)
    sentence_words = rows.words[rows.starts[:-1]]  # the words of each distinct sentence
    full = np.bincount(rows.owners, weights=rows.words, minlength=n)
    boiler_key = rows.held > fanout
    if rows.syndicated:
        boiler_key &= ~np.isin(
            rows.unique, np.fromiter(rows.syndicated, dtype=np.int64, count=len(rows.syndicated))
        )
    if corpus is None and boiler_key.any():
        share = _covered_share(anchors, full, sentence_words, len(rows.unique), settings)
        boiler_key &= share < settings.syndicated_share
    plain = np.bincount(rows.owners, weights=rows.words * ~np.repeat(boiler_key, rows.counts), minlength=n)
    unique, starts, counts, owners = rows.unique, rows.starts, rows.counts, rows.owners
    del rows  # and with it the words of every row, before the pairs are made
    all_boilerplate = plain == 0
    if corpus is not None and not corpus.boilerplate_closed and np.any(all_boilerplate & (full > 0)):
        raise ValueError("an article holding nothing but boilerplate needs the whole corpus")
    weights = np.where(all_boilerplate, full, plain).astype(np.int64)
    pairs = _candidate_pairs(anchors, counts, owners, boiler_key, all_boilerplate, sentence_words, fanout)
    boilerplate = frozenset(int(h) for h in unique[boiler_key])
    return SentenceIndex(unique, starts.astype(np.int32), owners, weights, boilerplate, pairs, fanout)


@dataclass(frozen=True)
class _SentenceRows:
    """One row per (substantive sentence, article holding it), sorted by sentence hash then article.

    `unique` the distinct hashes, `starts` where each one's rows start (and the end), `counts` its rows;
    `held` how many articles hold it (over `corpus` when given); `syndicated` the hashes `corpus` says are
    a syndicated story's (not boilerplate).
    """

    unique: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    owners: np.ndarray
    words: np.ndarray
    held: np.ndarray
    syndicated: set[int]


def _sentence_rows(
    n: int,
    body: Callable[[int], Sequence[Passage]],
    settings: SyndicationSettings,
    corpus: EvidenceCounts | None,
) -> _SentenceRows:
    """Each article's distinct substantive sentences, hashed once, as sorted rows (one sort in numpy)."""
    corpus_count: dict[int, int] = {}
    syndicated: set[int] = set()  # with `corpus`: its syndicated sentences (not boilerplate), by hash
    # One row per (sentence, article) in machine ints: Python lists of int objects held ~90 bytes a row
    # while the index was built (~0.8 KB an article of bench/out/scale-10k-max100).
    hash_rows = array("q")
    owner_rows = array("q")
    word_rows = array("q")
    min_tokens = settings.min_substantive_tokens
    for i in range(n):
        seen: set[int] = set()
        for _, _, key, key_words, closed in body(i):  # `Passage.substantive` unpacked (every passage)
            if closed and key_words >= min_tokens:
                h = hash(key)
                if h not in seen:
                    seen.add(h)
                    if corpus is not None:
                        corpus_count[h] = held_by = corpus.sentences[key]
                        if held_by > settings.max_sentence_fanout and key in corpus.syndicated:
                            syndicated.add(h)
                    hash_rows.append(h)
                    owner_rows.append(i)
                    word_rows.append(key_words)
    hashes = np.frombuffer(hash_rows, dtype=np.int64)
    owners = np.frombuffer(owner_rows, dtype=np.int64)
    words = np.frombuffer(word_rows, dtype=np.int64)
    del hash_rows, owner_rows, word_rows
    order = np.lexsort((owners, hashes))
    # One column at a time, each old one freed as its sorted copy is made; positions as int32 (a run's
    # articles and rows are far below 2**31).
    hashes = hashes[order]
    owners = owners[order].astype(np.int32)
    words = words[order]
    del order
    unique, starts, counts = np.unique(hashes, return_index=True, return_counts=True)
    starts = np.append(starts, len(hashes))
    del hashes
    held = counts if corpus is None else np.array([corpus_count[h] for h in unique.tolist()], dtype=np.int64)
    return _SentenceRows(unique, starts, counts, owners, words, held, syndicated)


def _covered_share(
    anchors: _Anchors,
    full: np.ndarray,
    sentence_words: np.ndarray,
    sentences: int,
    settings: SyndicationSettings,
) -> np.ndarray:
    """For each sentence, the share of its anchor pairs that share most of the smaller page's text.

    A sentence many pages print is a mass-syndicated story's, not boilerplate, when the pages it pairs
    share most of the smaller one's text, in more than one sentence: copies of one wire story share most
    of theirs, pages of other stories that share a site's footer (even a paragraph of it) share a little,
    and a one-sentence footer on pages of two sentences is one sentence (bench/scale/README.md: stories
    on 30+ sites were split).
    """
    n = len(full)
    rows = np.zeros(sentences)
    covered_rows = np.zeros(sentences)
    for first, second, row_sentence in anchors.chunks():
        pair_id, inverse = np.unique(first * n + second, return_inverse=True)
        shared_words = np.bincount(inverse, weights=sentence_words[row_sentence], minlength=len(pair_id))
        shared_sentences = np.bincount(inverse, minlength=len(pair_id))
        smaller = np.minimum(full[pair_id // n], full[pair_id % n])
        covered = (shared_words >= settings.min_containment * smaller) & (
            shared_sentences >= settings.min_shared_sentences
        )
        rows += np.bincount(row_sentence, minlength=sentences)
        covered_rows += np.bincount(row_sentence, weights=covered[inverse], minlength=sentences)
    return covered_rows / np.maximum(rows, 1)


def _candidate_pairs(
    anchors: _Anchors,
    counts: np.ndarray,
    owners: np.ndarray,
    boiler_key: np.ndarray,
    all_boilerplate: np.ndarray,
    sentence_words: np.ndarray,
    fanout: int,
) -> CandidatePairs:
    """The anchor pairs summed, boilerplate no evidence, plus the pairs of all-boilerplate pages."""
    n = len(all_boilerplate)
    # Kept as int32 (positions, counts and word counts of one run: far below 2**31): ~0.25 KB an article
    # of bench/out/scale-10k-max100 less than int64 for as long as copy detection runs.
    columns: list[list[np.ndarray]] = [[np.zeros(0, dtype=np.int32)] for _ in range(4)]
    for first, second, row_sentence in anchors.chunks():  # boilerplate is no evidence here
        plain_words = np.where(boiler_key[row_sentence], 0, sentence_words[row_sentence])
        _add_pairs(columns, first, second, plain_words, n)
    # Boilerplate between pages that are nothing but boilerplate: anchored among those pages only. These
    # pairs share no other sentence (neither page holds one), so no pair is in both lists.
    boiler_row = np.repeat(boiler_key, counts) & all_boilerplate[owners]
    if boiler_row.any():
        boiler_counts = np.bincount(
            np.repeat(np.arange(len(counts)), counts)[boiler_row], minlength=len(counts)
        )
        boiler_starts = np.append(0, np.cumsum(boiler_counts))
        boiler_anchors = _Anchors(boiler_counts, boiler_starts, owners[boiler_row], fanout)
        for first, second, row_sentence in boiler_anchors.chunks():
            _add_pairs(columns, first, second, sentence_words[row_sentence], n)
    first, second, shared_sentences, shared_words = (np.concatenate(column) for column in columns)
    order = np.lexsort((second, first))  # by (first, second), as `find_origins` reads them
    return CandidatePairs(first[order], second[order], shared_sentences[order], shared_words[order])


def _add_pairs(
    columns: list[list[np.ndarray]], first: np.ndarray, second: np.ndarray, row_words: np.ndarray, n: int
) -> None:
    """Sum anchor rows (first, second, the words each row's sentence counts) by pair and append the
    pairs sharing any words to `columns` (first, second, sentences, words)."""
    pair_id, inverse = np.unique(first * n + second, return_inverse=True)
    pair_words = np.bincount(inverse, weights=row_words, minlength=len(pair_id)).astype(np.int64)
    pair_sentences = np.bincount(inverse, weights=row_words > 0, minlength=len(pair_id)).astype(np.int64)
    keep = pair_words > 0
    for column, values in zip(
        columns,
        (pair_id[keep] // n, pair_id[keep] % n, pair_sentences[keep], pair_words[keep]),
        strict=True,
    ):
        column.append(values.astype(np.int32))


# Anchor rows (article pair, shared sentence) made at a time: ~80 bytes each while a chunk's pairs are
# summed, so ~16 MB; all at once they were ~96 an article of bench/out/scale-10k-max100 (~8 KB an article
# at the peak of `sentence_index`, 8 GB for a million pages).
_CHUNK_ROWS = 200_000


class _Anchors:
    """Article pairs (first < second) printing one sentence, with the sentence's position: every holder
    pairs with the sentence's first `fanout` holders (anchors), which keeps the work linear; true copies
    still meet those anchors in many sentences, boilerplate in one.

    The rows are made by chunks of whole `first` articles (`chunks`), in ascending order of `first`: every
    row of a pair is in one chunk, so a chunk's pairs are complete, and the chunks' pairs in order are
    all pairs in order.
    """

    def __init__(self, counts: np.ndarray, starts: np.ndarray, owners: np.ndarray, fanout: int) -> None:
        self.owners = owners
        shared = np.flatnonzero(counts >= 2)
        per = np.minimum(counts[shared] - 1, fanout)  # anchors of each shared sentence
        sentence = np.repeat(shared, per)
        position = np.arange(len(sentence), dtype=np.int64) - np.repeat(np.cumsum(per) - per, per)
        row = starts[sentence] + position  # where the anchor is in `owners`
        first = owners[row]
        order = np.argsort(first, kind="stable")
        self.sentence = sentence[order].astype(np.int32)
        self.first = first[order].astype(np.int32)
        self.next_row = row[order] + 1  # the anchor's first partner in `owners`
        self.length = (counts[sentence] - position - 1)[order].astype(np.int32)  # the holders after it

    def chunks(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(first, second, sentence) rows, about `_CHUNK_ROWS` at a time, by whole `first` articles."""
        ends = np.cumsum(self.length, dtype=np.int64)
        start = 0
        while start < len(self.first):
            before = int(ends[start - 1]) if start else 0
            stop = max(int(np.searchsorted(ends, before + _CHUNK_ROWS, side="right")), start + 1)
            stop = int(np.searchsorted(self.first, self.first[stop - 1], side="right"))  # whole articles
            length = self.length[start:stop].astype(np.int64)
            offsets = np.cumsum(length) - length
            at = np.repeat(self.next_row[start:stop] - offsets, length) + np.arange(
                int(length.sum()), dtype=np.int64
            )
            yield (
                np.repeat(self.first[start:stop].astype(np.int64), length),
                self.owners[at].astype(np.int64),
                np.repeat(self.sentence[start:stop], length),
            )
            start = stop


def _shingles(tokens: tuple[str, ...], n: int) -> list[str]:
    """Word n-grams of a sentence (the whole sentence when it is shorter than n)."""
    if len(tokens) <= n:
        return [" ".join(tokens)]
    return sorted({" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)})


def near_pairs(
    articles: Sequence[Article], index: SentenceIndex, settings: SyndicationSettings
) -> set[tuple[int, int]]:
    """Article pairs holding near-duplicate (not identical) substantive sentences, by MinHash LSH.

    Every distinct sentence is sketched once (at its first holder), chunk by chunk, and queried against
    the sketches before it, so each sentence pair is seen once; the holders of both sentences pair up,
    at most `max_sentence_fanout` on each side.
    """
    lsh = rensa.RMinHashLSH(settings.lsh_threshold, settings.num_perm, settings.num_bands)
    sentence_of = array("q")  # sketch key -> position of its sentence in `index.hashes`
    out: set[tuple[int, int]] = set()
    fanout = settings.max_sentence_fanout
    for start in range(0, len(articles), settings.chunk_articles):
        chunk: list[tuple[int, tuple[str, ...], int]] = []
        for i in range(start, min(start + settings.chunk_articles, len(articles))):
            chunk.extend(
                (i, p.tokens, hash(p.key))
                for p in passages_of(articles[i])
                if p.substantive(settings.min_substantive_tokens)
            )
        if not chunk:
            continue
        at = np.searchsorted(index.hashes, np.fromiter((h for _, _, h in chunk), np.int64, len(chunk)))
        first_holder = index.holders[index.starts[at]]
        shingle_sets: list[list[str]] = []
        positions: list[int] = []
        for (i, tokens, _), position, first in zip(chunk, at.tolist(), first_holder.tolist(), strict=True):
            if first == i and (not positions or positions[-1] != position):
                shingle_sets.append(_shingles(tokens, settings.shingle_words))
                positions.append(position)
        if not shingle_sets:
            continue
        first_key = len(sentence_of)
        sketches = rensa.RMinHash.from_token_sets(shingle_sets, settings.num_perm, settings.seed)
        lsh.insert_many(sketches, first_key)
        sentence_of.extend(positions)
        for offset, keys in enumerate(lsh.query_all(sketches)):
            mine = index.holders[index.starts[positions[offset]] : index.starts[positions[offset] + 1]]
            for k in keys:
                if k >= first_key + offset:
                    continue
                other = sentence_of[k]
                theirs = index.holders[index.starts[other] : index.starts[other + 1]]
                out.update(
                    (min(a, b), max(a, b))
                    for a in mine[:fanout].tolist()
                    for b in theirs[:fanout].tolist()
                    if a != b
                )
    return out


@dataclass(frozen=True)
class LeadPair:
    """Two articles whose pages open alike: the same first two sentences (`both`), or the same first
    sentence under the same headline; `words` is the length of what they share."""

    first: int
    second: int
    both: bool
    words: int


def _opens(x: str, y: str) -> bool:
    """Whether two sentence keys are the same sentence, one maybe cut short ("... with" in an excerpt)."""
    return x == y or y.startswith(x + " ") or x.startswith(y + " ")


def lead_pairs(
    articles: Sequence[Article],
    headlines: Sequence[int] | np.ndarray,
    settings: SyndicationSettings,
    corpus: EvidenceCounts | None = None,
    page_leads: Sequence[tuple[tuple[str, bool], ...]] | None = None,
    syndicated: Callable[[str], bool] | None = None,
    titles: Sequence[str] | None = None,
) -> Iterator[LeadPair]:
    """Pairs of articles whose pages open with the same substantive sentences, whatever the cleaner kept,
    yielded bucket by bucket (a list of them held ~0.7 KB an article of bench/out/scale-10k-max100).

    A page's lead is read from all its lines (body, captions, removed lines) in page order, so a lede the
    cleaner dropped as a standfirst on one copy and kept on another still matches (it must have kept it
    on one of the two: what it removed on both is chrome); a lede cut short matches the whole one.
    Sentences printed by more than `max_sentence_fanout` pages (a cookie notice) are skipped.
    `headlines` are the hashes of the articles' headline keys (0 when not evidence). Ledes are bucketed
    by their first `min_substantive_tokens` words; each bucket pairs its holders with its first
    `max_sentence_fanout`.
    With `corpus`, how many pages print a sentence is counted over that larger corpus. `page_leads`:
    each article's first `lead_sentences + lead_scan_extra` lead keys and body flags, when the caller
    has them already. `syndicated(key)`: whether a sentence printed by more pages than that is a
    syndicated story's (`sentence_index`), which stays a lede.

    With `titles` (every article's normalised title), a page whose lead is one sentence, the lede of a
    syndicated story (a short excerpt of a wire story: "first paragraph ... Read more"), pairs with it
    unless both titles are headlines (`headline_min_tokens` words) that differ: a cleaner often takes a
    byline or the site's name for the title, and a page whose cleaner kept only another story's teaser
    still has its own headline. Only syndicated ledes: on bench/out/fold-corpus-2400, pages of other
    stories whose one lead sentence is a teaser of a story on a few pages were joined to it.
    """
    scan = settings.lead_sentences + settings.lead_scan_extra
    # Keys and body flags only (not whole passages): 100,000 pages' leads stay small.
    leads = page_leads
    if leads is None:
        leads = [
            tuple((s.passage.key, s.in_body) for s in page_lead(a, settings.min_substantive_tokens, scan))
            for a in articles
        ]
    rules = _LeadRules(
        settings, _crowded_leads(leads, settings.max_sentence_fanout, corpus), headlines, syndicated, titles
    )
    bucket_of, has_bucket = _lead_buckets(leads, rules)
    for holders in groups_by_key(bucket_of, has_bucket):
        yield from rules.pairs({k: rules.kept_of(leads[k]) for k in holders}, holders)


def _crowded_leads(
    leads: Sequence[tuple[tuple[str, bool], ...]], fanout: int, corpus: EvidenceCounts | None
) -> set[int]:
    """The lead sentences more than `fanout` pages print, by hash (a few: banners, syndicated ledes)."""
    if corpus is not None:
        return {hash(key) for lead in leads for key, _ in lead if corpus.leads[key] > fanout}
    rows = array("q")
    for lead in leads:
        rows.extend({hash(key) for key, _ in lead})
    distinct, counts = np.unique(np.frombuffer(rows, dtype=np.int64), return_counts=True)
    return set(distinct[counts > fanout].tolist())


@dataclass(frozen=True)
class _LeadRules:
    """What `lead_pairs` reads to decide whether two pages open alike (its arguments, and the crowded
    lead sentences by hash)."""

    settings: SyndicationSettings
    crowded: set[int]
    headlines: Sequence[int] | np.ndarray
    syndicated: Callable[[str], bool] | None
    titles: Sequence[str] | None

    def kept_of(self, lead: Sequence[tuple[str, bool]]) -> tuple[tuple[str, ...], bool]:
        """The lead's first `lead_sentences` keys few pages print (or a syndicated story's), and whether
        the cleaner kept them all in the body."""
        syndicated = self.syndicated
        rare = [
            (key, body)
            for key, body in lead
            if hash(key) not in self.crowded or (syndicated is not None and syndicated(key))
        ][: self.settings.lead_sentences]
        return tuple(key for key, _ in rare), all(body for _, body in rare)

    def lede_of(self, a: tuple[str, ...], b: tuple[str, ...], i: int, j: int) -> bool:
        """A one-sentence lead opening the other page, a syndicated lede, under titles that do not veto
        it."""
        titles, syndicated, settings = self.titles, self.syndicated, self.settings
        if titles is None or syndicated is None or (len(a) != 1 and len(b) != 1):
            return False
        if not (syndicated(a[0]) or syndicated(b[0])):
            return False
        return not differing_headlines(titles[i], titles[j], settings.headline_min_tokens, settings.retitles)

    def same_headline(self, i: int, j: int) -> bool:
        """Both headlines evidence, and the same one (or, with `retitles`, one holding the other whole)."""
        headlines, titles = self.headlines, self.titles
        if not (headlines[i] and headlines[j]):
            return False
        if headlines[i] == headlines[j]:
            return True
        return (
            self.settings.retitles
            and titles is not None
            and retitled(titles[i], titles[j], self.settings.headline_min_tokens)
        )

    def pairs(
        self, kept: Mapping[int, tuple[tuple[str, ...], bool]], holders: list[int]
    ) -> Iterator[LeadPair]:
        """The pairs of one bucket's holders that open alike: each pairs with the first
        `max_sentence_fanout`."""
        lead_sentences = self.settings.lead_sentences
        for x, i in enumerate(holders[: self.settings.max_sentence_fanout]):
            for j in holders[x + 1 :]:
                (a, a_body), (b, b_body) = kept[i], kept[j]
                if not _opens(a[0], b[0]) or not (a_body or b_body):
                    continue  # a lead no cleaner kept on either page is page chrome (a banner), not a lede
                both = len(a) >= lead_sentences and len(b) == len(a)
                both = both and all(_opens(p, q) for p, q in zip(a, b, strict=True))
                if both or self.same_headline(i, j) or self.lede_of(a, b, i, j):
                    shared = zip(a, b, strict=False) if both else [(a[0], b[0])]
                    words = sum(min(len(p.split()), len(q.split())) for p, q in shared)
                    yield LeadPair(i, j, both, words)


def _lead_buckets(
    leads: Sequence[tuple[tuple[str, bool], ...]], rules: _LeadRules
) -> tuple[np.ndarray, np.ndarray]:
    """Each article's bucket (the hash of its first kept key's first words) and whether it has one.

    One int an article, where a dict of bucket strings to lists held ~0.2 KB (bench/out/scale-10k-max100).
    """
    tokens = rules.settings.min_substantive_tokens
    bucket_of = np.zeros(len(leads), dtype=np.int64)
    has_bucket = np.zeros(len(leads), dtype=bool)
    for i, lead in enumerate(leads):
        keys, _ = rules.kept_of(lead)
        if keys:
            bucket_of[i] = hash(" ".join(keys[0].split()[:tokens]))
            has_bucket[i] = True
    return bucket_of, has_bucket


def groups_by_key(keys: np.ndarray, used: np.ndarray) -> Iterator[list[int]]:
    """The positions sharing a key (`used` ones only), ascending, for keys held more than once, in the
    order of each key's first holder."""
    positions = np.nonzero(used)[0]
    order = np.lexsort((positions, keys[positions]))
    positions, sorted_keys = positions[order], keys[positions][order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    ends = np.r_[starts[1:], len(positions)]
    shared = ends - starts > 1
    starts, ends = starts[shared], ends[shared]
    for k in np.argsort(positions[starts], kind="stable").tolist():
        yield positions[starts[k] : ends[k]].tolist()
