"""line_features.word_count and word_tokens: a line's length in words, fair to languages without spaces."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfold.clean.line_features import word_count, word_tokens


def test_a_line_of_a_spaced_language_counts_its_tokens() -> None:
    line = "The council — after a long debate — passed the 2024 harbour plan."
    assert word_count(line.split()) == len(line.split())
    assert word_count("Grüße aus Köln, sagte sie.".split()) == 5


def test_han_and_kana_count_half_a_word_a_character() -> None:
    assert word_count(["おすすめ情報"]) == 3  # a six-character menu label: not a "4+ words" line
    assert word_count(["東京都の", "2024年"]) == 3.5  # the digits a word, the rest by characters
    assert word_count(["市議会は予算案を賛成多数で可決した"]) >= 8


def test_hangul_is_written_with_spaces_and_counts_by_them() -> None:
    assert word_count("시의회는 예산안을 가결했다".split()) == 3


@given(st.text(alphabet="市議会は予算案を可決したおすすめ情報ニュース2024ab", max_size=40), st.data())
def test_where_spaces_fall_in_han_and_kana_text_changes_nothing(text: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(text)))
    spaced = text[:cut] + " " + text[cut:]
    if text[cut - 1 : cut + 1].isascii():  # a space inside a Latin word or number makes two words
        return
    assert word_count(word_tokens(spaced)) == word_count(word_tokens(text))
    assert word_count(spaced.split()) == word_count(text.split()) or not text.strip()


def test_word_tokens_split_han_and_kana_into_characters_and_keep_other_words_whole() -> None:
    tokens = ["ゴ", "ル", "フ", "界", "も", "golf", "s", "2024", "年"]
    assert word_tokens("ゴルフ 界も, golf's 2024年") == tokens
