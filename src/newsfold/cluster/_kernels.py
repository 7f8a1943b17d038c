"""The clustering profiles' compiled kernels behind one facade: each name here is the compiled function
where it is built, else the plain Python function below it, its spec (the same answers bit for bit,
slower; tests/cluster/test_kernels.py checks that both agree).

- `term_weights` (`_words.pyx`): a profile's words: tokenised, counted, weighed by their stems.
- `name_weights` (`_words.pyx`): a profile's names: counted (a name of several words for its last word
  too) and weighed.
- `normalised` (`_words.pyx`): a profile's words or names scaled to a unit vector.
- `digit_run_starts`, `month_starts`, `findall_from` (`_mentions.pyx`): a profile's years, days and
  numbers, its patterns tried where they can match only.
Measured with `bench/fold/profile_cpu.py` (profile_of over bench/fold's 2,400 articles, the checkout
before them alternating, 3 pairs, load ~10): 1.78 -> 0.94 s CPU with these and the entity reader's
compiled line pass (`_entities.pyx`). Step by step (an earlier form of the benchmark, the word list's read
inside the timing): the words' kernel 2.08 -> 1.74 s, the line pass -> 1.42 s; the names' weights and
unit vectors within the noise (~0.02 s); the patterns tried at their starts: the dates' and numbers'
searches 0.24 -> 0.08 s over the corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from newsfold._native import compiled_kernel

__all__ = [
    "WORD",
    "compiled",
    "digit_run_starts",
    "findall_from",
    "month_starts",
    "name_weights",
    "normalised",
    "term_weights",
]

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


def name_weights_plain(
    name_lists: Sequence[Sequence[str]], known: dict[str, float], name_weight: Callable[[str], float]
) -> dict[str, float]:
    """{name lower-cased: (1 + log count) times its weight} of the names of `name_lists` (each mention
    counted; a name of several words counts for its last word too). `known`: the lexicon's cache of
    `name_weight`, read directly (then `name_weight` where it lacks a name)."""
    name_counts: Counter[str] = Counter()
    for names in name_lists:
        for name in names:
            key = name.lower()
            name_counts[key] += 1
            parts = key.split()
            if len(parts) > 1:  # "Kim Jong Un" and later "Kim": the last word links the two
                name_counts[parts[-1]] += 1
    weights: dict[str, float] = {}
    for name, count in name_counts.items():
        weight = known.get(name)
        weights[name] = (1.0 + math.log(count)) * (name_weight(name) if weight is None else weight)
    return weights


def normalised_plain(weights: dict[str, float]) -> dict[str, float]:
    """`weights` scaled to unit length."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


_DIGIT_RUN = re.compile(r"(?<!\d)\d")


def digit_run_starts_plain(text: str) -> list[int]:
    r"""Where each run of decimal digits (`\d`) of `text` starts."""
    return [m.start() for m in _DIGIT_RUN.finditer(text)]


def month_starts_plain(text: str, months: tuple[str, ...]) -> list[int]:
    """Where one of `months` (three lower-case ASCII letters each) starts a word of `text` (no word
    character before it)."""
    return [m.start() for m in re.finditer(rf"(?<!\w)(?:{'|'.join(months)})", text)]


def findall_from_plain(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[Any]:
    """`pattern.findall(text)` for a pattern whose every match starts at one of `starts` (ascending) and
    holds a character at least: the pattern tried at those places only, from the end of the last match
    on (`match(text, pos)` sees what precedes `pos`, as a search does: lookbehinds, `\b`)."""
    found: list[Any] = []
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m is not None:
                group = m.group(pattern.groups) if pattern.groups <= 1 else None
                found.append(m.groups("") if pattern.groups > 1 else "" if group is None else group)
                end = m.end()
    return found


term_weights = compiled_kernel("newsfold.cluster._words", "term_weights") or term_weights_plain
name_weights = compiled_kernel("newsfold.cluster._words", "name_weights") or name_weights_plain
_compiled_normalised = compiled_kernel("newsfold.cluster._words", "normalised")
digit_run_starts = compiled_kernel("newsfold.cluster._mentions", "digit_run_starts") or digit_run_starts_plain
month_starts = compiled_kernel("newsfold.cluster._mentions", "month_starts") or month_starts_plain
findall_from = compiled_kernel("newsfold.cluster._mentions", "findall_from") or findall_from_plain


def normalised(weights: dict[str, float]) -> dict[str, float]:
    """`normalised_plain(weights)`, compiled where built (where a value is not a float: the plain one)."""
    found = None if _compiled_normalised is None else _compiled_normalised(weights)
    return normalised_plain(weights) if found is None else found


def compiled() -> Sequence[str]:
    """The names of the kernels that run compiled (the benchmarks print it)."""
    plain = {
        "term_weights": term_weights_plain, "name_weights": name_weights_plain,
        "digit_run_starts": digit_run_starts_plain, "month_starts": month_starts_plain,
        "findall_from": findall_from_plain,
    }  # fmt: skip
    found = [name for name, function in plain.items() if globals()[name] is not function]
    return found + ["normalised"] * (_compiled_normalised is not None)
