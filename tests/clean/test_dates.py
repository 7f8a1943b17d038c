"""dates: mentions with spans and precision, relative mentions, page date lines, URL dates."""

from __future__ import annotations

import datetime as dt
import re

from newsfold.clean.dates import (
    date_from_url,
    date_line_day,
    find_date_mentions,
    markup_day,
    parse_date_line,
    refine_day,
)


def test_absolute_mentions_in_several_forms() -> None:
    text = "Talks began Sept. 12, 2023, resumed 2023-09-14 and ended 15 September 2023."
    assert [m.iso for m in find_date_mentions(text)] == ["2023-09-12", "2023-09-14", "2023-09-15"]


def test_mention_keeps_its_span() -> None:
    text = "They met on March 3, 2021 in Hanoi."
    (m,) = find_date_mentions(text)
    assert text[m.start : m.end] == "March 3, 2021" and m.precision == "day" and not m.relative


def test_month_and_year_precision() -> None:
    found = {(m.iso, m.precision) for m in find_date_mentions("It began in March 2020 and grew in 2019.")}
    assert found == {("2020-03", "month"), ("2019", "year")}


def test_relative_mentions_need_a_reference() -> None:
    text = "Kim arrived on Wednesday; yesterday Putin spoke."
    assert find_date_mentions(text) == []
    found = find_date_mentions(text, dt.date(2023, 9, 14))  # a Thursday
    assert [(m.text, m.iso, m.relative) for m in found] == [
        ("on Wednesday", "2023-09-13", True),
        ("yesterday", "2023-09-13", True),
    ]


def test_day_without_year_takes_the_nearest_year() -> None:
    (m,) = find_date_mentions("The deal closes Jan. 5.", dt.date(2023, 12, 20))
    assert m.iso == "2024-01-05" and m.relative


def test_ambiguous_numeric_date_is_not_guessed() -> None:
    assert find_date_mentions("on 03/04/2023") == []
    assert [m.iso for m in find_date_mentions("on 13/04/2023")] == ["2023-04-13"]


def test_impossible_date_is_skipped() -> None:
    assert find_date_mentions("February 30, 2023") == []


def test_date_lines() -> None:
    assert parse_date_line("Date:2025-04-12 09:08:52") == dt.date(2025, 4, 12)
    assert parse_date_line("Wednesday, July 3, 2024") == dt.date(2024, 7, 3)
    assert parse_date_line("Updated 10:28 AM EDT, Sept. 13, 2023") == dt.date(2023, 9, 13)


def test_a_sentence_with_a_date_is_not_a_date_line() -> None:
    assert parse_date_line("Kim met Putin on Sept. 13, 2023, in Russia.") is None
    assert parse_date_line("From Sept. 13, 2023 to Sept. 14, 2023") is None


def test_url_dates() -> None:
    assert date_from_url("https://example.com/2019/11/19/story-slug/") == "2019-11-19"
    assert date_from_url("https://example.com/news/20191119-story") == "2019-11-19"
    assert date_from_url("https://example.com/2019/story") is None
    assert date_from_url(None) is None


def test_letters_that_match_month_names_only_under_ignorecase_do_not_crash() -> None:
    # re.I lets "ſ" match s and "ı"/"İ" match i: the matched names must still find their month.
    assert parse_date_line("Auguſt 3, 2020") == dt.date(2020, 8, 3)
    assert parse_date_line("APRİL 3, 2020") == dt.date(2020, 4, 3)
    assert [m.iso for m in find_date_mentions("yeſterday", dt.date(2023, 9, 13))] == ["2023-09-12"]


def test_a_dotted_date_is_day_month_year() -> None:
    assert parse_date_line("03.05.2024, 16:24 Uhr") == dt.date(2024, 5, 3)


def test_a_german_date_line_with_its_label_and_time() -> None:
    assert parse_date_line("Stand: 08.07.2026 05:00 Uhr") == dt.date(2026, 7, 8)


def test_a_slashed_date_that_could_be_either_order_is_not_guessed() -> None:
    assert parse_date_line("03/05/2024") is None


def test_a_markup_day_on_the_1st_is_refined_by_a_day_of_the_same_month() -> None:
    assert refine_day("2023-09-01", [None, "2023-09-14"]) == "2023-09-14"


def test_a_copyright_year_read_as_january_1st_is_refined_within_its_year() -> None:
    assert refine_day("2023-01-01", ["2023-07-04", "2023-07-05"]) == "2023-07-04"


def test_a_markup_day_is_never_overruled_by_another_month_or_a_full_day() -> None:
    assert refine_day("2023-09-01", ["2023-08-31"]) == "2023-09-01"
    assert refine_day("2023-09-13", ["2023-09-14"]) == "2023-09-13"


def test_markup_day_is_the_first_publication_not_the_update() -> None:
    html = (
        "<html><head><meta property='article:published_time' content='2023-09-13T10:00:00Z'>"
        "<meta property='article:modified_time' content='2023-10-02T08:00:00Z'></head>"
        "<body><p>Text.</p></body></html>"
    )
    assert markup_day(html) == "2023-09-13"


def test_a_date_line_may_hold_a_label_or_a_byline() -> None:
    assert date_line_day("Publiziert: 01.07.2023, 11:16") == dt.date(2023, 7, 1)
    assert date_line_day("Von dpa 30.04.2024, 18:58") == dt.date(2024, 4, 30)


def test_a_date_line_in_another_language_reads_its_month_name() -> None:
    assert date_line_day("Veröffentlicht am 13. Mai 2026 um 15:44") == dt.date(2026, 5, 13)
    assert date_line_day("2 de mayo de 2024") == dt.date(2024, 5, 2)


def test_a_line_with_two_days_or_many_words_is_no_date_line() -> None:
    assert date_line_day("Ukraine aktuell: Viele Tote nach russischer Angriffswelle 28.04.2023") is None
    assert date_line_day("Published 12 May 2024, updated 14 May 2024") is None
    assert date_line_day("Published 12 May 2024, updated 12 May 2024") == dt.date(2024, 5, 12)


def test_the_month_name_hint_in_lower_case_finds_what_ignorecase_finds() -> None:
    """`_date_hint` lower-cases the text instead of matching with re.IGNORECASE: every character that
    re.IGNORECASE reads as a letter of a month name must be found (the Latin-1 and Latin Extended-A
    letters, and the letters Unicode folds specially: long s, dotless i, Kelvin sign)."""
    from newsfold.clean import dates

    ignorecase = re.compile(r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
    odd = [chr(c) for c in range(0x41, 0x180)] + ["\u0131", "\u0130", "\u212a", "\u017f", "\u1e9e"]
    for name in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"):
        for k in range(3):
            for ch in odd:
                text = f"x {name[:k]}{ch}{name[k + 1 :]} 2019"
                assert dates._date_hint(text) == (ignorecase.search(text) is not None), text
