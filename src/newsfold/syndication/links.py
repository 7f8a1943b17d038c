"""The verified links between articles, as sorted arrays: what copy detection holds of every linked article.

Each link joins two articles with the verbatim words they share (what `find_origins` uses to pick the
partner a copy links to, and the side a bridging page keeps). A dict of dicts held ~1.2 KB an article of
bench/out/scale-10k-max100 (copies of a wire story link to up to `max_sentence_fanout` anchors each,
every entry a dict slot and two int objects); here each link is two rows of two int32 (partner, words)
in arrays sorted by article (CSR), ~0.1 KB an article.

Links are written into a log (`add`, `cut`) and merged into the arrays by `freeze`; a later write of
the same pair replaces an earlier one. Reads (`of`, `has`, `linked`) see the frozen arrays, except
`linked`, which also sees the articles linked since the last freeze.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import numpy as np

__all__ = ["Links"]

_CUT = -1  # the words of a logged cut: no link has negative words


class Links:
    """Symmetric links between articles 0..n-1, each with the words its pair shares.

    >>> links = Links(3); links.add(0, 2, 40); links.freeze(); links.of(2)
    {0: 40}
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.starts = np.zeros(n + 1, dtype=np.int64)
        self.partners = np.zeros(0, dtype=np.int32)
        self.words = np.zeros(0, dtype=np.int32)
        self._first = array("q")
        self._second = array("q")
        self._words = array("q")
        self._touched: set[int] = set()  # articles linked since the last freeze

    def add(self, i: int, j: int, words: int) -> None:
        """Link i and j (replacing their link, if any, at the next freeze)."""
        self._first.append(i)
        self._second.append(j)
        self._words.append(words)
        self._touched.add(i)
        self._touched.add(j)

    def cut(self, i: int, j: int) -> None:
        """Remove the link of i and j at the next freeze."""
        self._first.append(i)
        self._second.append(j)
        self._words.append(_CUT)

    def freeze(self) -> None:
        """Merge the logged writes into the arrays, the last write of a pair winning."""
        if not self._first:
            return
        first = np.frombuffer(self._first, dtype=np.int64)
        second = np.frombuffer(self._second, dtype=np.int64)
        logged = np.frombuffer(self._words, dtype=np.int64)
        degree = np.diff(self.starts)
        old_source = np.repeat(np.arange(self.n, dtype=np.int64), degree)
        source = np.concatenate((old_source, first, second))
        target = np.concatenate((self.partners.astype(np.int64), second, first))
        words = np.concatenate((self.words.astype(np.int64), logged, logged))
        written = np.arange(len(first), dtype=np.int64) + 1  # 0: already frozen
        when = np.concatenate((np.zeros(len(old_source), dtype=np.int64), written, written))
        del old_source, first, second, logged
        order = np.lexsort((when, target, source))
        source, target, words = source[order], target[order], words[order]
        last = np.ones(len(order), dtype=bool)
        last[:-1] = (source[1:] != source[:-1]) | (target[1:] != target[:-1])
        keep = last & (words != _CUT)
        source, target, words = source[keep], target[keep], words[keep]
        self.starts = np.searchsorted(source, np.arange(self.n + 1, dtype=np.int64)).astype(np.int64)
        self.partners = target.astype(np.int32)
        self.words = words.astype(np.int32)
        self._first, self._second, self._words = array("q"), array("q"), array("q")
        self._touched = set()

    def partners_of(self, i: int) -> np.ndarray:
        """The articles linked to i (frozen links), ascending."""
        return self.partners[self.starts[i] : self.starts[i + 1]]

    def of(self, i: int) -> dict[int, int]:
        """The articles linked to i (frozen links), ascending, each with the words the pair shares."""
        start, stop = int(self.starts[i]), int(self.starts[i + 1])
        return dict(zip(self.partners[start:stop].tolist(), self.words[start:stop].tolist(), strict=True))

    def has(self, i: int, j: int) -> bool:
        """Whether i and j are linked (frozen links)."""
        theirs = self.partners_of(i)
        at = int(np.searchsorted(theirs, j))
        return at < len(theirs) and int(theirs[at]) == j

    def linked(self, i: int) -> bool:
        """Whether i has a link, frozen or logged since."""
        return self.starts[i + 1] > self.starts[i] or i in self._touched

    def degrees(self) -> np.ndarray:
        """How many frozen links each article has."""
        return np.diff(self.starts)

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Every frozen link once, as (i, j) with i < j, by i then j."""
        degree = np.diff(self.starts)
        for start in range(0, self.n, _ROWS):
            stop = min(self.n, start + _ROWS)
            low, high = int(self.starts[start]), int(self.starts[stop])
            source = np.repeat(np.arange(start, stop, dtype=np.int64), degree[start:stop])
            target = self.partners[low:high].astype(np.int64)
            upper = source < target
            yield from zip(source[upper].tolist(), target[upper].tolist(), strict=True)


# Articles whose links are turned into Python ints at a time (`Links.pairs`).
_ROWS = 65_536
