"""Proper-noun phrase extraction: names kept, grammar capitals dropped, names normalised."""

import re

from newsfold.entities import (
    _word_before,
    entity_mentions,
    extract_entities,
    name_end_words,
    role_mentions,
    role_spans,
)


def test_names_of_people_places_and_organisations() -> None:
    text = "North Korean leader Kim Jong Un met Vladimir Putin at the Vostochny Cosmodrome on Wednesday."
    assert extract_entities(text) == ["North Korean", "Kim Jong Un", "Vladimir Putin", "Vostochny Cosmodrome"]


def test_sentence_initial_common_word_is_not_a_name() -> None:
    text = "Voting began in Ashgabat. Officials said turnout was high. Turnout was 88 percent."
    assert extract_entities(text) == ["Ashgabat"]


def test_sentence_initial_name_used_elsewhere_is_kept() -> None:
    text = "Klitschko won in the seventh round. The referee stopped the bout as Klitschko landed a left."
    assert extract_entities(text) == ["Klitschko"]


def test_honorifics_possessives_and_initials_are_normalised() -> None:
    text = "Russian President Vladimir Putin's guest met Mr. Bailey. George W. Bush was in the U.S. then."
    assert extract_entities(text) == ["Vladimir Putin", "Bailey", "George W Bush", "US"]


def test_connectors_inside_names() -> None:
    assert extract_entities("He joined the Bank of England and then Osama bin Laden fled.") == [
        "Bank of England",
        "Osama bin Laden",
    ]


def test_headline_lines_in_title_case_or_capitals_give_nothing() -> None:
    text = "Lohan Checks Out Of Rehab And Into Another\nSTARS GATHER FOR THE GALA TONIGHT IN TOWN\n"
    assert extract_entities(text) == []


def test_mentions_carry_spans_into_the_text() -> None:
    text = "Aid reached Gaza as Christopher Gunness spoke."
    spans = [(m.name, text[m.start : m.end]) for m in entity_mentions(text)]
    assert spans == [("Gaza", "Gaza"), ("Christopher Gunness", "Christopher Gunness")]


def test_what_stands_between_words_joins_or_ends_a_phrase() -> None:
    # Spaces and hyphens join capitalised words, an initial's dot too; a quotation mark, a full stop or a
    # line end opens a new phrase at a sentence start (a lone sentence-initial word: dropped).
    text = "“Merkel spoke.” Then Smith - Jones met George W. Bush in the U.S. Capitol.\nParis\nLondon fell"
    spans = [(m.name, m.start, text[m.start : m.end]) for m in entity_mentions(text)]
    assert spans == [
        ("Smith Jones", 21, "Smith - Jones"),
        ("George W Bush", 39, "George W. Bush"),
        ("US", 61, "U.S"),
    ]


def test_roles_from_both_appositions_and_not_from_verbs() -> None:
    text = (
        "North Korean leader Kim Jong Un met Putin. Dmitry Peskov, the Kremlin's spokesman, said talks went "
        "well, and analysts say Seoul watched."
    )
    assert [(r.name, r.role) for r in role_mentions(text)] == [
        ("Kim Jong Un", ("north", "korean", "leader")),
        ("Dmitry Peskov", ("kremlin", "spokesperson")),
    ]


def test_the_word_before_a_name_is_the_plain_search_over_the_whole_head() -> None:
    plain = re.compile(r"([^\W\d_][\w'’\-]*) $")
    long_word = "x" * 70 + "7" * 10
    texts = [
        "A long paragraph about the summit, " * 5 + "Kremlin spokesman Dmitry Peskov said.",
        "see " + long_word + " Peskov",  # a word longer than the window looked at first
        "7" * 100 + " Peskov",  # a run of no letter: no word
        "Kremlin spokesman \nPeskov",  # "$" before a final newline
    ]
    for text in texts:
        for end in range(len(text) + 1):
            expected = plain.search(text[:end])
            found = _word_before(text, end)
            assert (expected and expected.span()) == (found and found.span()), (text, end)


def test_every_name_ends_with_one_of_the_name_end_words() -> None:
    text = "Russian President Vladimir Putin's aides met the U.S. envoy and the Bank of England in İstanbul."
    ends = name_end_words(text)
    assert [name.split()[-1] for name in extract_entities(text)] == ["Putin", "US", "England", "İstanbul"]
    assert all(name.split()[-1] in ends for name in extract_entities(text))


def test_role_spans_cover_the_role_before_a_name_and_its_determiner() -> None:
    text = "The Kremlin spokesperson Dmitry Peskov and Russian President Vladimir Putin met."
    assert [text[a:b] for a, b in role_spans(text)] == ["The Kremlin spokesperson ", "Russian President "]


def test_role_spans_leave_a_role_after_a_lower_case_word() -> None:
    # "police" is part of the role, "met" is not: neither is told without parsing, so both roles stay
    assert role_spans("A police officer John Smith shot a man.") == []
    assert role_spans("Putin met North Korean leader Kim Jong Un.") == []
