"""Texts lower-cased once (`sentences.lowered_in_place`) give what the case-blind reading gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.story import dates, discrepancies
from newsfold.story.sentences import _WORD, lowered_in_place, word_tokens

# Words the date, measure and token patterns read, in several cases, and characters whose lower case is
# longer ("İ"), outside ASCII ("K" Kelvin sign, long "ſ", Greek capital sigma) or caseless punctuation.
_PIECES = [
    "Sept.", "sept", "MAY", "May", "may", "12", "3rd", "2023", "2023-09-13", "Monday", "MONDAY", "monday",
    "last", "Next", "on", "three", "Three", "hours", "HOUR", "five-hour", "miles", "KM", "a", "an", "half",
    "and", "people", "Putin’s", "Kim's", "İstanbul", "\u212a", "\u017f", "ΟΔΟΣ", "é", "“", "”", "’",
    ",", ".", "-", "\u00a0", "—", "ago", "day",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=14).map(" ".join)


def test_only_a_text_whose_case_changes_nothing_but_ascii_is_lowered_in_place() -> None:
    assert lowered_in_place("Kim’s “Sept.” visit") == "kim’s “sept.” visit"
    assert lowered_in_place("İstanbul") is None  # lower-cased, "İ" becomes two characters


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_word_tokens_are_each_word_lowered(text: str) -> None:
    assert word_tokens(text) == [w.lower().replace("’", "'") for w in _WORD.findall(text)]


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_dates_read_in_a_lowered_text_are_the_case_blind_ones(text: str) -> None:
    fast = dates._written_dates(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "lowered_in_place", lambda _: None)
        assert fast == dates._written_dates(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_measures_read_in_a_lowered_text_are_the_case_blind_ones(text: str) -> None:
    fast = discrepancies._measure_spans(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(discrepancies, "lowered_in_place", lambda _: None)
        assert fast == discrepancies._measure_spans(text)
