"""Connected components of an edge list on Spark: min-label propagation with pointer jumping.

No GraphFrames (a JVM package Spark would download at start-up): each round gives every vertex the
smallest label among itself and its neighbours, then the label of that label (pointer jumping: a chain
of length n takes about log2(n) rounds, not n). Labels only decrease, so a round that leaves their sum
unchanged changed none: the driver holds that one number a round, nothing else. Only integer ids travel.
"""

from __future__ import annotations

from typing import Any

__all__ = ["connected_components"]


def connected_components(edges: Any, partitions: int, max_rounds: int = 100) -> Any:
    """(vertex, the smallest vertex of its component) for every vertex on an edge of `edges` (an RDD of
    (int, int)); vertices on no edge are not listed. `max_rounds` is a guard only: pointer jumping
    halves every chain a round, so 100 rounds cover any graph that fits a cluster."""
    adjacency = (
        edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])])
        .groupByKey(partitions)
        .mapValues(lambda found: sorted(set(found)))
    )
    adjacency.localCheckpoint()
    labels = adjacency.map(lambda row: (row[0], min(row[0], row[1][0])))
    labels.localCheckpoint()
    total = labels.values().sum()
    for _ in range(max_rounds):
        spread = adjacency.join(labels, partitions).flatMap(
            lambda row: [(row[0], row[1][1])] + [(u, row[1][1]) for u in row[1][0]]
        )
        smaller = spread.reduceByKey(min, partitions)
        # Pointer jumping: a vertex takes its label's label (that label is a vertex of the same component).
        jumped = (
            smaller.map(lambda row: (row[1], row[0]))
            .join(smaller, partitions)
            .map(lambda row: (row[1][0], min(row[0], row[1][1])))
        )
        jumped.localCheckpoint()  # cached and cut from its lineage, which would otherwise grow each round
        now = jumped.values().sum()
        labels = jumped
        if now == total:
            break
        total = now
    return labels
