"""Connected components of an edge list on Spark: min-label propagation with pointer jumping.

No GraphFrames (a JVM package Spark would download at start-up): each round gives every vertex the
smallest label among itself and its neighbours, then the label of that label (pointer jumping, so a long
chain takes about log2(length) rounds instead of its length). Only integer ids travel; the driver holds
the number of labels that changed in a round, nothing else.
"""

from __future__ import annotations

from typing import Any

__all__ = ["connected_components"]


def connected_components(edges: Any, partitions: int, max_rounds: int = 200) -> Any:
    """(vertex, the smallest vertex of its component) for every vertex on an edge of `edges` (an RDD of
    (int, int)); vertices on no edge are not listed. `max_rounds` only stops a graph that would never
    converge (it always does: labels only decrease)."""
    from pyspark import StorageLevel

    neighbours = (
        edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])] if e[0] != e[1] else [(e[0], e[0])])
        .distinct(partitions)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    labels = neighbours.map(lambda e: (e[0], min(e))).reduceByKey(min, partitions)
    labels.localCheckpoint()
    for _ in range(max_rounds):
        # Each vertex takes the smallest label among its neighbours' (and its own).
        spread = neighbours.join(labels).map(lambda row: (row[1][0], row[1][1]))
        smaller = labels.union(spread).reduceByKey(min, partitions)
        # Pointer jumping: a vertex takes its label's label (the label is a vertex of the same component).
        jumped = (
            smaller.map(lambda row: (row[1], row[0]))
            .join(smaller)
            .map(lambda row: (row[1][0], min(row[0], row[1][1])))
        )
        fresh = jumped
        fresh.localCheckpoint()  # cached and cut from its lineage, which would otherwise grow each round
        changed = fresh.join(labels).filter(lambda row: row[1][0] != row[1][1]).count()
        labels.unpersist()
        labels = fresh
        if not changed:
            break
    neighbours.unpersist()
    return labels
