"""The project's sentence splitter: its rules, and the compiled kernel against its plain spec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold import sentence_split
from newsfold.sentence_split import split_lines, split_lines_plain, split_sentences, split_sentences_plain

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

built = pytest.mark.skipif(sentence_split._compiled_sentences is None, reason="the kernel is not built")


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Gen. Smith met the U.S. envoy on Sept. 3. “We agreed. It is done,” he said. Talks end.",
            ["Gen. Smith met the U.S. envoy on Sept. 3.", "“We agreed. It is done,” he said.", "Talks end."],
        ),
        ("Stephen A. Smith said so. He left.", ["Stephen A. Smith said so.", "He left."]),
        ("Published 18 Sept. 2019. Updated.", ["Published 18 Sept. 2019.", "Updated."]),
        ("He said “no.” Then he left.", ["He said “no.”", "Then he left."]),
        ("Prices rose 3.5 percent. 12 banks fell.", ["Prices rose 3.5 percent.", "12 banks fell."]),
        ("It rose, etc. and fell. Done.", ["It rose, etc. and fell.", "Done."]),
        ("Das ist gut. Über alles.", ["Das ist gut.", "Über alles."]),
        ("Он ушёл. Она пришла.", ["Он ушёл.", "Она пришла."]),
        (
            "今日は晴れ。明日は雨？「はい。」そうです。",
            ["今日は晴れ。", "明日は雨？", "「はい。」", "そうです。"],
        ),
        (
            "Am 11. Mai 2024 trat er zurück. Es stieg auf 12. Mai kam.",
            ["Am 11. Mai 2024 trat er zurück.", "Es stieg auf 12. Mai kam."],
        ),
        ("The toll rose to 12. Rescuers left.", ["The toll rose to 12.", "Rescuers left."]),
        ("Wait... What happened?! Nothing.", ["Wait...", "What happened?!", "Nothing."]),
    ],
)
def test_the_rules_cut_where_a_sentence_ends(text: str, sentences: list[str]) -> None:
    assert split_sentences_plain(text) == sentences
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Its base is the U.S. The company said so.", ["Its base is the U.S.", "The company said so."]),
        ("He works for Apple Inc. “It grew,” he said.", ["He works for Apple Inc.", "“It grew,” he said."]),
        ("It was Plan B. Then he left.", ["It was Plan B.", "Then he left."]),
        ("It rose in the U.S. Then I left.", ["It rose in the U.S.", "Then I left."]),
        ("It ended in World War I. It was 1918.", ["It ended in World War I.", "It was 1918."]),
        ("Asked again, he said no. The crowd cheered.", ["Asked again, he said no.", "The crowd cheered."]),
        ("He said no. Biden left.", ["He said no.", "Biden left."]),
        ("Cayeron al mar. En Albania esperan.", ["Cayeron al mar.", "En Albania esperan."]),
    ],
)
def test_an_abbreviation_ends_a_sentence_before_a_function_word(text: str, sentences: list[str]) -> None:
    # A pronoun, article or conjunction is capitalised after "U.S." only because it starts a sentence;
    # "no." is the word no unless a number follows, and "mar." no month.
    assert split_sentences_plain(text) == sentences
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    "text",
    [
        "U.S. President Biden met Apple Inc. CEO Tim Cook at 9 a.m. Monday.",
        "He lives at No. 10 Downing St. and works on Nos. 3 and 4.",
        "Mr. And Mrs. Smith sued Jones vs. The State of Ohio.",  # titles and "vs." never end one
        "J. A. Smith and U.S. I-95 and the U.S. Theater and the U.S. Ithaca office.",  # no whole word
        "Stephen A. Smith met Sen. No. 1 and Gov. It.",
        "He fooled an L. A Superior Court judge.",  # "A" after an initial: the next one, its stop dropped
        "Convicted Arcade Comeaux Jr. On The Lam in Texas",  # two capitalised function words: title case
    ],
)
def test_an_abbreviation_holds_before_a_name_a_number_or_a_part_word(text: str) -> None:
    assert split_sentences_plain(text) == [text]
    assert split_sentences(text) == [text]


def test_a_quotation_left_open_or_german_holds_nothing() -> None:
    # News style leaves a quote open when it runs on into the next paragraph; German closes „ with “.
    assert split_sentences("“This is not easy. First of all, it is new.") == [
        "“This is not easy.",
        "First of all, it is new.",
    ]
    assert split_sentences("Er sagte „Wegovy“ sei gut. Es wirkt. „Ja.“") == [
        "Er sagte „Wegovy“ sei gut.",
        "Es wirkt.",
        "„Ja.“",
    ]


def test_a_copy_with_its_quotes_retyped_is_cut_as_its_origin() -> None:
    origin = '“It is late," she said. "Buy now. Prices rise." Others agreed.'
    copy = origin.replace("“", '"')
    assert split_sentences(origin) == split_sentences(copy.replace('"', "“", 1))
    assert [s.replace("“", '"') for s in split_sentences(origin)] == split_sentences(copy)
    assert split_sentences(copy) == ['"It is late," she said.', '"Buy now. Prices rise."', "Others agreed."]


def test_lines_give_their_sentences_with_their_index() -> None:
    assert split_lines(["One. Two.", "", "  Three.  "]) == (["One.", "Two.", "Three."], [0, 0, 2])


@built
def test_the_kernel_splits_the_seed_pages_as_the_plain_version(seed_lines: list[str]) -> None:
    lines = seed_lines
    texts, _ = split_lines(lines)
    assert len(texts) > 100
    assert split_lines(lines) == split_lines_plain(lines)


@built
def test_the_kernel_splits_the_gold_bodies_as_the_plain_version() -> None:
    # 9,515 paragraphs of Fundus' and zyte's gold bodies: rule 3's function-word evidence cuts some of
    # them ("in the U.S. He rejected"), a test on real text of both versions' newest rule.
    lines = [
        line
        for base in ("fundus-fixtures", "zyte")
        for record in json.loads((SHARED / "bench" / base / "ground-truth.json").read_text("utf-8")).values()
        for line in (record.get("articleBody") or "").split("\n")
    ]
    assert any("U.S. He " in line for line in lines)
    assert split_lines(lines) == split_lines_plain(lines)


# Text built of the characters the rules read (stops, closers, openers, spaces, capitals of several
# scripts, digits, the pieces of abbreviations, initials and months), so that generated lines meet them.
_PIECES = st.sampled_from(
    [".", "!", "?", "。", "！", "」", "\"", "'", "“", "”", "‘", "’", "(", ")", "[", "]", "„",
     " ", "  ", "\u00a0", "\n", "\t", "A", "a", "É", "é", "Ж", "ж", "ǅ", "1", "12", "_", "Sept", "Gov",
     "no", "U.S", "approx", "..", "Mai", "Oktober", "word", "Word", "東京", "…", "The", "Then", "I", "A",
     "No", "Inc", "B", "-", "Mr", "vs", "a.m", "Théâtre", "THE", "On"]
)  # fmt: skip
_LINES = st.lists(st.lists(_PIECES, max_size=30).map("".join), max_size=4)


@built
@settings(max_examples=3000, deadline=None)
@given(_LINES)
def test_the_kernel_splits_any_text_as_the_plain_version(lines: list[str]) -> None:
    assert split_lines(lines) == split_lines_plain(lines)
