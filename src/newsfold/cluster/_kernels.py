"""The clustering profiles' compiled kernels behind one facade: each name here is the compiled function
where it is built, else the plain Python function below it, its spec (the same answers bit for bit,
slower; tests/cluster/test_kernels.py checks that both agree).

- `term_weights` (`_words.pyx`): a profile's words: tokenised, counted, weighed by their stems. Measured
  on bench/fold's 2,400 articles (`bench/fold/profile_cpu.py`): see the README of bench/fold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from newsfold._native import compiled_kernel

__all__ = ["WORD", "compiled", "term_weights"]

WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)  # a word of a profile: two letters or more

Term = tuple[str, float] | None


def term_weights_plain(
    parts: Sequence[str | list[str]],
    boosts: Sequence[float],
    known: dict[str, Term],
    term_of: Callable[[str], Term],
    unseen: Any,
) -> tuple[dict[str, float], int]:
    """({stem: sublinear count times weight}, how many stems) of the words of `parts` (a lower-cased text,
    tokenised by `WORD`, or a list of words), each word's count times its part's boost added to its stem.

    `known`: the lexicon's cache of `term_of` (word -> (stem, weight) or None), read directly (`unseen`
    where it lacks a word: then `term_of`); a stem weighs as its heaviest word. Stems are in order of
    first meeting; words are counted by word first (each distinct word weighed once).
    """
    counts: dict[str, float] = {}
    weights: dict[str, float] = {}
    for part, boost in zip(parts, boosts, strict=True):
        for word, count in Counter(WORD.findall(part) if isinstance(part, str) else part).items():
            term = known.get(word, unseen)
            if term is unseen:
                term = term_of(word)
            if term is not None:
                stem, weight = term
                counts[stem] = counts.get(stem, 0.0) + boost * count
                if weight > weights.get(stem, 0.0):  # a term's weight is positive
                    weights[stem] = weight
    # Sublinear term frequency, as scikit-learn's TfidfVectorizer(sublinear_tf=True).
    tf_idf = {t: (1.0 + math.log(c) if c >= 1 else c) * weights[t] for t, c in counts.items()}
    return tf_idf, len(counts)


term_weights = compiled_kernel("newsfold.cluster._words", "term_weights") or term_weights_plain


def compiled() -> Sequence[str]:
    """The names of the kernels that run compiled (the benchmarks print it)."""
    return [
        name for name, plain in {"term_weights": term_weights_plain}.items() if globals()[name] is not plain
    ]
