"""The profiles' compiled kernels give their plain specs' answers bit for bit (cluster/_kernels.py)."""

from __future__ import annotations

import random
import sys

import pytest

from newsfold.cluster import _kernels

pytestmark = pytest.mark.skipif(
    _kernels.term_weights is _kernels.term_weights_plain, reason="cluster/_words.pyx is not built"
)

# Letters, and characters `[^\W\d_]` tells apart: digits of other scripts, numerals that are not
# decimal ("²", "Ⅻ", "½"), the underscore, marks, apostrophes, an astral letter, white space.
ALPHABET = list("abcdeqxyzAÉéßıİçø中文٣۴²Ⅻ½_0123456789'’-. \n\t") + ["\u0301", "\U0001d400", "\u00a0"]


def _both(parts: list[str | list[str]], boosts: list[float], known: dict, term_of) -> tuple:  # type: ignore[no-untyped-def]
    unseen = object()
    plain_known, compiled_known = dict(known), dict(known)
    plain = _kernels.term_weights_plain(parts, boosts, plain_known, lambda w: term_of(w, plain_known), unseen)
    fast = _kernels.term_weights(parts, boosts, compiled_known, lambda w: term_of(w, compiled_known), unseen)
    return plain, fast, plain_known, compiled_known


def _stemmer(rng: random.Random):  # type: ignore[no-untyped-def]
    """A term function that caches as `Lexicon.term` does: some words None, stems shared by words."""

    def term_of(word: str, cache: dict) -> tuple[str, float] | None:
        found = None if hash(word) % 5 == 0 else (word[:3], 0.1 + (hash(word) % 997) / 97.0)
        cache[word] = found
        return found

    return term_of


def test_every_code_point_is_a_letter_or_not_as_the_pattern_says() -> None:
    text = " ".join(f"a{chr(c)}a" for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    plain, fast, _, _ = _both([text], [1.0], {}, lambda w, cache: (w, 1.0))
    assert plain == fast
    assert list(plain[0]) == list(fast[0])
    assert plain[1] > 100_000  # most code points are letters: the comparison reads them all


def test_random_texts_give_the_same_weights_in_the_same_order() -> None:
    rng = random.Random(11)
    term_of = _stemmer(rng)
    for _ in range(400):
        parts: list[str | list[str]] = [
            "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300))) for _ in range(2)
        ]
        if rng.random() < 0.5:
            parts.append(
                [rng.choice(["quake", "chile", "a", "bern", "quakes"]) for _ in range(rng.randint(0, 6))]
            )
        boosts = [rng.choice([2.0, 1.0, 0.5, 1.3, 0.0]) for _ in parts]
        known = {"ab": None, "qu": ("q", 3.0), "xy": ("x", 0.25)}
        plain, fast, plain_known, fast_known = _both(parts, boosts, known, term_of)
        assert plain[1] == fast[1]
        assert [(k, repr(v)) for k, v in plain[0].items()] == [(k, repr(v)) for k, v in fast[0].items()]
        assert plain_known == fast_known  # the same words weighed, the cache read the same way
