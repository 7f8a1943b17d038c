"""The clustering's word list, read once by the fork server before it forks the workers.

Each profiling task's `Lexicon` read and unpacked the whole list again (`cluster.profile.word_frequencies`:
0.10-0.24 s of CPU a task, one task a worker, while the fold finds the copies on the same cores). Imported
by the fork server (`engine.local._WORKER_MODULES`), the list is read while the fold reads and cleans,
when a core is otherwise idle, and every worker forked after shares it. The fold's own process never
imports this module (its tasks name the function: `StageCall`), so it never reads the list for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfold.cluster.profile import Profile, WordFrequencies, profiles_of
from newsfold.models import Article
from newsfold.settings import ClusterSettings

__all__ = ["profiles_with_list"]

# The whole list (no `words`: it never reads again, so it is never written after this import).
_WORD_LIST = WordFrequencies()


def profiles_with_list(articles: Sequence[Article], settings: ClusterSettings) -> list[Profile]:
    """`profiles_of` with the list this process read once (the same profiles: any word, the same
    frequency as a lexicon's own reading gives)."""
    return profiles_of(articles, settings, frequency=_WORD_LIST)
