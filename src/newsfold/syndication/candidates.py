"""Candidate pairs from exact sentence hashing: articles that print one substantive sentence word for word.

A republished page reuses whole sentences verbatim (the verification requires at least one), so hashing
every substantive sentence finds every pair that can pass, in one numpy sort instead of a similarity
search. Near-duplicate sentences (a changed number, a retyped quote) matter only inside a pair that
already shares verbatim text, where the aligner finds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsfold.models import Article
from newsfold.settings import SyndicationSettings
from newsfold.syndication.passages import passages_of

__all__ = ["CandidatePairs", "SentenceIndex", "sentence_index"]


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
    `max_sentence_fanout` articles.
    """

    hashes: np.ndarray
    starts: np.ndarray
    holders: np.ndarray
    weights: np.ndarray
    boilerplate: frozenset[int]
    pairs: CandidatePairs

    def holders_of(self, key_hash: int) -> np.ndarray:
        """Articles holding the sentence (empty when it is in none, or not substantive)."""
        at = int(np.searchsorted(self.hashes, key_hash))
        if at == len(self.hashes) or self.hashes[at] != key_hash:
            return self.holders[:0]
        return self.holders[self.starts[at] : self.starts[at + 1]]


def sentence_index(articles: Sequence[Article], settings: SyndicationSettings) -> SentenceIndex:
    """Hash every substantive sentence once, find boilerplate, and list candidate pairs with evidence.

    A sentence held by more than `max_sentence_fanout` articles is boilerplate or a mass-syndicated
    story: each holder pairs only with the first `max_sentence_fanout` holders (anchors), which keeps the
    work linear; true copies still meet those anchors in many sentences, boilerplate in one.
    """
    hash_rows: list[int] = []
    owner_rows: list[int] = []
    word_rows: list[int] = []
    for i, article in enumerate(articles):
        seen: set[int] = set()
        for p in passages_of(article):
            if p.substantive(settings.min_substantive_tokens):
                h = hash(p.key)
                if h not in seen:
                    seen.add(h)
                    hash_rows.append(h)
                    owner_rows.append(i)
                    word_rows.append(len(p.tokens))
    hashes = np.array(hash_rows, dtype=np.int64)
    owners = np.array(owner_rows, dtype=np.int64)
    words = np.array(word_rows, dtype=np.int64)
    del hash_rows, owner_rows, word_rows
    order = np.lexsort((owners, hashes))
    hashes, owners, words = hashes[order], owners[order], words[order]
    unique, starts, counts = np.unique(hashes, return_index=True, return_counts=True)
    starts = np.append(starts, len(hashes))
    fanout = settings.max_sentence_fanout
    boiler_row = np.repeat(counts > fanout, counts)
    n = len(articles)
    full = np.bincount(owners, weights=words, minlength=n)
    plain = np.bincount(owners, weights=words * ~boiler_row, minlength=n)
    all_boilerplate = plain == 0
    weights = np.where(all_boilerplate, full, plain).astype(np.int64)

    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    evidence: list[np.ndarray] = []
    shared = counts >= 2
    for c in np.unique(counts[shared]):
        group_starts = starts[:-1][counts == c]
        members = owners[group_starts[:, None] + np.arange(c)]  # one row per sentence, holders ascending
        row_words = words[group_starts]
        boiler = c > fanout
        for m in range(min(int(c) - 1, fanout)):
            left = np.repeat(members[:, m : m + 1], c - m - 1, axis=1).ravel()
            right = members[:, m + 1 :].ravel()
            w = np.repeat(row_words, c - m - 1)
            if boiler:  # boilerplate is evidence only between two articles that are nothing else
                w = np.where(all_boilerplate[left] & all_boilerplate[right], w, 0)
            firsts.append(left)
            seconds.append(right)
            evidence.append(w)
    if firsts:
        first, second, w = np.concatenate(firsts), np.concatenate(seconds), np.concatenate(evidence)
        pair_id, inverse = np.unique(first * n + second, return_inverse=True)
        pair_words = np.bincount(inverse, weights=w).astype(np.int64)
        pair_sentences = np.bincount(inverse, weights=w > 0).astype(np.int64)
        keep = pair_words > 0
        pairs = CandidatePairs(pair_id[keep] // n, pair_id[keep] % n, pair_sentences[keep], pair_words[keep])
    else:
        empty = np.zeros(0, dtype=np.int64)
        pairs = CandidatePairs(empty, empty, empty, empty)
    boilerplate = frozenset(int(h) for h in unique[counts > fanout])
    return SentenceIndex(unique, starts, owners, weights, boilerplate, pairs)
