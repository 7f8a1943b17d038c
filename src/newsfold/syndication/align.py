"""Sentence alignment between two bodies: verbatim first (a dict lookup), then the best near match.

Near matches are scored by rapidfuzz's Indel similarity over word tokens (2*matches/total, difflib's
ratio, in C++): retyping a quote or changing a number costs a token or two, a sentence that merely quotes
the same words costs most of it. Written here rather than taken from a library because no aligner we know
of matches sentences under containment (an excerpt's cut last sentence is verbatim text, not an edit).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from newsfold.settings import SyndicationSettings
from newsfold.syndication.passages import Body

__all__ = ["Alignment", "align_articles", "in_order"]


@dataclass(frozen=True)
class Alignment:
    """Where the sentences of `a` are found in `b` (-1: not found), and how well (1.0: identical)."""

    match: tuple[int, ...]
    score: tuple[float, ...]
    weights: tuple[int, ...]

    @property
    def shared(self) -> float:
        """Fraction of `a`'s weighed words that sit in sentences found in `b`."""
        total = sum(self.weights)
        return (
            sum(w for w, m in zip(self.weights, self.match, strict=True) if m >= 0) / total if total else 0.0
        )

    @property
    def matched(self) -> int:
        """Number of `a`'s weighed sentences found in `b`."""
        return sum(m >= 0 and w > 0 for m, w in zip(self.match, self.weights, strict=True))

    @property
    def verbatim(self) -> int:
        """Number of `a`'s weighed sentences found in `b` word for word."""
        return sum(s == 1.0 and w > 0 for s, w in zip(self.score, self.weights, strict=True))

    @property
    def changed(self) -> int:
        """Number of `a`'s weighed sentences found in `b` with different wording."""
        return sum(
            m >= 0 and s < 1.0 and w > 0 for m, s, w in zip(self.match, self.score, self.weights, strict=True)
        )


def align_articles(a: Body, b: Body, settings: SyndicationSettings = SyndicationSettings()) -> Alignment:
    """Find every sentence of `a` in `b`: an identical sentence first, else the best near match.

    Only weighed sentences of `a` (substantive, not boilerplate) are near-matched, and only against `b`'s
    sentences that no sentence of `a` matched verbatim.
    """
    match = [b.exact.get(p.key, -1) for p in a.passages]
    score = [1.0 if m >= 0 else 0.0 for m in match]
    pending = [i for i, m in enumerate(match) if m < 0 and a.weights[i] > 0]
    if pending:
        taken = set(match)
        # Token lists, not `Passage.tokens` tuples (one copy less a passage; rapidfuzz reads any sequence):
        # making them was a third of the alignments' time on fold-corpus-2400.
        choices = {
            k: q.key.split(" ") for k, q in enumerate(b.passages) if k not in taken and b.weights[k] > 0
        }
        for i in pending:
            if not choices:
                break
            tokens = a.passages[i].key.split(" ")
            best = process.extractOne(
                tokens,
                choices,
                scorer=Indel.normalized_similarity,
                processor=None,
                score_cutoff=settings.sentence_match,
            )
            if best is None:
                continue
            _, value, k = best
            match[i] = k
            # A sentence cut short (an excerpt's last line, "... with") is verbatim text, not an edit.
            cut = f" {a.passages[i].key} " in f" {b.passages[k].key} "
            score[i] = 1.0 if cut else min(float(value), 0.999)
    return Alignment(tuple(match), tuple(score), a.weights)


def in_order(alignment: Alignment) -> frozenset[int]:
    """Weighed sentences of `a` whose matches keep their order in `b` (a longest increasing subsequence).

    A copy prints the shared text in one order; a teaser of another story that a cleaner kept matches
    that story's first sentence from wherever the sidebar sat, out of order with everything else.
    """
    items = [
        (i, m)
        for i, (m, w) in enumerate(zip(alignment.match, alignment.weights, strict=True))
        if m >= 0 and w > 0
    ]
    tails: list[int] = []  # smallest last match of an increasing run of each length
    tail_at: list[int] = []  # item index ending that run
    back: list[int] = []
    for n, (_, m) in enumerate(items):
        at = bisect_left(tails, m)
        if at == len(tails):
            tails.append(m)
            tail_at.append(n)
        else:
            tails[at] = m
            tail_at[at] = n
        back.append(tail_at[at - 1] if at else -1)
    out: set[int] = set()
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        out.add(items[n][0])
        n = back[n]
    return frozenset(out)
