"""The profiles' compiled kernels give their plain specs' answers bit for bit (cluster/_kernels.py)."""

from __future__ import annotations

import random
import sys

import pytest

from newsfold.cluster import _kernels, profile

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


# Pieces of dates and numbers, and what may stand around them (other scripts' digits, currency signs,
# letters that match month letters case-blind: "ſ", "K", "İ").
PIECES = (
    "1 2 3 4 12 31 2003 1999 2049 2050 1949 19 20 05 ٣ ۴٣ 1,000 2,003,000 3.5 2003.5 .5 , . - / $ £ € "
    "jan january Jan. JANUARY feb mar March marchx apr may jun july aug sept sep oct nov dec Dec. decx "
    "st nd rd th of Of the a x xjan _ ſt K İ \n"
).split(" ")


def _texts(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(PIECES) + rng.choice(["", " ", "  ", "-"]) for _ in range(rng.randint(0, 40)))
            for _ in range(n)]  # fmt: skip


def test_the_starts_are_the_plain_ones() -> None:
    for text in _texts(random.Random(7), 3000):
        assert _kernels.digit_run_starts(text) == _kernels.digit_run_starts_plain(text)
        lowered = text.lower()
        assert _kernels.month_starts(lowered, profile._MONTHS) == _kernels.month_starts_plain(
            lowered, profile._MONTHS
        )


def test_patterns_tried_at_their_starts_find_what_findall_finds() -> None:
    starts_of = {
        "_NUMBER": _kernels.digit_run_starts, "_YEAR": _kernels.digit_run_starts,
        "_ISO_IN_TEXT": _kernels.digit_run_starts, "_DAY_BEFORE": _kernels.digit_run_starts,
        "_DAY_AFTER": lambda text: _kernels.month_starts(text, profile._MONTHS),
    }  # fmt: skip
    found = 0
    for text in _texts(random.Random(8), 3000):
        for name, starts in starts_of.items():
            pattern = getattr(profile, name)
            subject = text.lower() if name == "_DAY_AFTER" else text  # as profile_of reads them
            expected = pattern.findall(subject)
            found += len(expected)
            assert _kernels.findall_from(pattern, subject, starts(subject)) == expected, (name, subject)
            assert _kernels.findall_from_plain(pattern, subject, starts(subject)) == expected, (name, subject)
    assert found > 10_000


def test_name_weights_and_unit_vectors_are_the_plain_ones_bit_for_bit() -> None:
    rng = random.Random(9)
    names = ["Kim Jong Un", "Kim", "Vladimir Putin", "Putin", "Bank of England", "ÉLYSÉE", "İstanbul",
             "Σ Οδός", "a\u00a0b", "x\u2003y z", "US", "Nasa"]  # fmt: skip

    def name_weight_of(cache: dict[str, float]):  # type: ignore[no-untyped-def]
        def name_weight(name: str) -> float:  # caches as `Lexicon.name_weight` does
            cache[name] = 0.5 + (hash(name) % 1000) / 37.0
            return cache[name]

        return name_weight

    for _ in range(500):
        lists = [[rng.choice(names) for _ in range(rng.randint(0, 12))] for _ in range(2)]
        plain_known: dict[str, float] = {"kim": 2.5}
        fast_known = dict(plain_known)
        plain = _kernels.name_weights_plain(lists, plain_known, name_weight_of(plain_known))
        fast = _kernels.name_weights(lists, fast_known, name_weight_of(fast_known))
        assert [(k, repr(v)) for k, v in plain.items()] == [(k, repr(v)) for k, v in fast.items()]
        assert plain_known == fast_known
        units = (_kernels.normalised_plain(plain), _kernels.normalised(plain))
        assert [[(k, repr(v)) for k, v in unit.items()] for unit in units] == [
            [(k, repr(v)) for k, v in units[0].items()]
        ] * 2
    for odd in ({}, {"a": 0.0}, {"a": 3, "b": 4}, {"a": 1e-320, "b": 2e-320}, {"a": 1e300, "b": 1e300}):
        assert repr(_kernels.normalised(odd)) == repr(_kernels.normalised_plain(odd))  # type: ignore[arg-type]
