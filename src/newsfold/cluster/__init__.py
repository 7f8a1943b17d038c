"""Articles + origin groups -> stories, one per real-world event; batch and incremental are one algorithm.

A story is an event, not a topic: two earthquakes in different years are two stories. The clustering
builds a sparse candidate graph (each article against its likeliest earlier neighbours, found through an
inverted index of rare words and names: sub-quadratic) and splits each connected component into stories
by average-link agglomeration over the probabilities of a pair classifier trained on ECB+
(bench/train_cluster.py). Because a component's stories are a pure function of its members, ingesting
articles in chunks re-clusters only the touched components and gives the batch fold's stories.

Modules: `profile` (what is kept of an article), `features` (pair evidence and the shipped models),
`index` (the graph, the components and `StoryIndex`).

The publication time is not scored: ECB+ has none to learn its weight from, and the seeds show pages
misdated by years that still belong to their story; the dates the text mentions (and
`Article.dates_mentioned`) carry the time evidence instead.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsfold.cluster.features import GLOBAL_FEATURES, LOCAL_FEATURES
    from newsfold.cluster.index import StoryIndex, cluster_stories

__all__ = ["GLOBAL_FEATURES", "LOCAL_FEATURES", "StoryIndex", "cluster_stories"]

# name -> module that defines it, imported on first use: a worker process imports `cluster.profile` alone
# (engine/local.py's fork server), not the clustering (index, features, their kernels: ~0.03 s of CPU).
_EXPORTS = {
    "GLOBAL_FEATURES": "newsfold.cluster.features",
    "LOCAL_FEATURES": "newsfold.cluster.features",
    "StoryIndex": "newsfold.cluster.index",
    "cluster_stories": "newsfold.cluster.index",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'newsfold.cluster' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
