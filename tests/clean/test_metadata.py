"""metadata: wire credits (structural only), datelines, bylines, language; seeds against their gold."""

from __future__ import annotations

import pytest

from newsfold.clean.metadata import detect_lang, find_authors, find_credits, find_dateline


@pytest.mark.parametrize(
    ("text", "credits"),
    [
        ("SEOUL, South Korea (AP) — The leaders met.", ("AP",)),
        ("WASHINGTON (Reuters) - The Fed held rates.", ("Reuters",)),
        ("SEOUL, Sept. 13 (Yonhap) -- North Korea fired.", ("Yonhap",)),
        ("The photo was released via AP.", ("AP",)),
        ("[AP/YONHAP]", ("AP", "Yonhap")),
        ("Associated Press journalists in Tokyo contributed to this report.", ("AP",)),
        ("Copyright 2023 The Associated Press. All rights reserved.", ("AP",)),
        ("Agence France-Presse", ("AFP",)),
    ],
)
def test_credit_forms(text: str, credits: tuple[str, ...]) -> None:
    assert find_credits([text]) == credits


@pytest.mark.parametrize(
    "text",
    [
        "The talks were first reported according to Reuters and other outlets.",
        "He took AP classes in high school.",
        "The KCNA said the visit was historic.",
        # a link list's teaser with another story's dateline credit, run into a headline
        "Residents await the leader's train in the port cityVLADIVOSTOK, Russia (Reuters) - In the port...",
    ],
)
def test_mentions_are_not_credits(text: str) -> None:
    assert find_credits([text]) == ()


def test_photo_credit_closing_a_caption_is_not_an_article_credit() -> None:
    caption = (
        "Leaders tour the cosmodrome in Russia's far eastern Amur region on Wednesday afternoon. [AP/YONHAP]"
    )
    assert find_credits([caption]) == ()


def test_furniture_counts_only_as_whole_credit_lines() -> None:
    furniture = ["Copyright The Associated Press", "NEW YORK (Reuters) - Stocks fell on Monday as traders..."]
    assert find_credits([], furniture) == ("AP",)


def test_credits_are_in_order_of_appearance() -> None:
    assert find_credits(["BEIJING (Xinhua) — A.", "Reuters contributed to this report."]) == (
        "Xinhua",
        "Reuters",
    )


@pytest.mark.parametrize(
    ("first", "dateline"),
    [
        ("SEOUL, South Korea (AP) — The leaders of Russia and North Korea met.", "SEOUL, South Korea"),
        ("ST. JOSEPH, Mich. (AP) — Michigan health authorities said.", "ST. JOSEPH, Mich."),
        ("WASHINGTON — The Senate voted on Tuesday.", "WASHINGTON"),
        ("North Korean leader Kim Jong Un vowed support.", None),
        ("Putin said (in Russian) - we will talk.", None),
    ],
)
def test_dateline(first: str, dateline: str | None) -> None:
    assert find_dateline([first]) == dateline


def test_bylines() -> None:
    assert find_authors(["By Jane Doe and John Smith"]) == ("Jane Doe", "John Smith")
    assert find_authors(["BY JOHN SMITH [jsmith@example.com]"]) == ("John Smith",)
    assert find_authors(["SARAH KIM"]) == ("Sarah Kim",)


def test_section_labels_and_agencies_are_not_authors() -> None:
    assert find_authors(["MUST READ", "LATEST NEWS", "By Reuters Staff"]) == ()


def test_metadata_author_wins() -> None:
    assert find_authors(["By Someone Else"], meta_author="Jane Doe; John Smith") == ("Jane Doe", "John Smith")


def test_a_byline_word_before_a_name_in_the_metadata_author_is_left_out() -> None:
    meta = "Anna Trechsel; Autor Monika Bolliger"
    assert find_authors([], meta_author=meta) == ("Anna Trechsel", "Monika Bolliger")


def test_a_surname_beginning_with_di_in_the_metadata_author_is_kept() -> None:
    assert find_authors([], meta_author="Di Maria Rossi") == ("Di Maria Rossi",)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The leaders of Russia and North Korea met at a remote rocket launch facility for a summit.", "en"),
        ("Les dirigeants de la Russie et de la Corée du Nord se sont rencontrés dans un cosmodrome.", "fr"),
        ("Die Staatschefs von Russland und Nordkorea haben sich auf dem Weltraumbahnhof getroffen.", "de"),
        ("러시아와 북한의 정상이 시베리아의 로켓 발사장에서 만났다고 밝혔다.", "ko"),
        ("ロシアと北朝鮮の首脳が宇宙基地で会談しました。", "ja"),
        ("Лидеры России и Северной Кореи встретились на космодроме.", "ru"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_too_little_text_has_no_language() -> None:
    assert detect_lang("OK 42") is None


def test_seed_credits_and_datelines_from_gold_body_lines(seeds_dir, seeds_gold) -> None:
    for name, gold in seeds_gold["articles"].items():
        lines = (seeds_dir / name).read_text(encoding="utf-8").splitlines()
        body = [lines[i - 1] for i in gold["body_lines"] if i not in gold["caption_lines"]]
        assert list(find_credits(body)) == gold["credits"], name
        assert find_dateline(body[:2]) == gold["dateline"], name


def test_bylines_in_other_languages() -> None:
    byline = "Von Felix Schröder und Jörg Soldwisch, dpa"
    assert find_authors([byline]) == ("Felix Schröder", "Jörg Soldwisch")
    assert find_authors(["Par Marie Dupont et Jean Martin"]) == ("Marie Dupont", "Jean Martin")


def test_a_byline_wins_over_a_name_only_line_above_it() -> None:
    assert find_authors(["Jane Doe", "By John Smith"]) == ("John Smith",)


def test_the_name_only_line_nearest_the_body_is_the_author() -> None:
    assert find_authors(["Real Estate", "Joseph Brean"]) == ("Joseph Brean",)
