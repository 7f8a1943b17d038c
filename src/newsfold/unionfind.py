"""Disjoint sets over indices 0..n-1: the one union-find that copy detection, threads and quote grouping
share (the story index keeps its own, which also caps component sizes and tracks members)."""

from __future__ import annotations

__all__ = ["UnionFind"]


class UnionFind:
    """Disjoint sets over `n` indices; the smallest index of a set is its root (deterministic).

    >>> sets = UnionFind(3); sets.union(2, 1); sets.find(2)
    1
    """

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]  # path halving
            x = self.parent[x]
        return x

    def union(self, x: int, y: int) -> bool:
        """Join the sets of x and y; whether they were apart."""
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)
            return True
        return False
