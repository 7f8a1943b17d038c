"""Tests of line features and rules: scripts without spaces, promo labels, captions, site boilerplate."""

from __future__ import annotations

import numpy as np

from newsfold.clean.line_features import STAGE1_NAMES, page_arrays, word_hashes
from newsfold.clean.line_rules import JoinedLines, is_caption, promo_mask
from newsfold.clean.lines import LineLabel, build_line_context, classify_lines, classify_pages, classify_run

STOP = word_hashes(["the", "a", "of", "and", "on", "would", "to", "in", "for", "after"])
NONE = word_hashes([])


def measure(lines: list[str]):  # type: ignore[no-untyped-def]
    return page_arrays([lines], STOP, NONE, NONE)


def column(lines: list[str], name: str) -> np.ndarray:
    return measure(lines).x1[:, STAGE1_NAMES.index(name)]


def test_cjk_characters_count_as_half_words() -> None:
    # 46 Han/kana characters and no space: about 23 words (plus the run itself as one token), not 1.
    line = "書籍を読む場合は一般的にスマホやタブレットなどのモバイル端末で読むことが多いと思いますが作業"
    pa = measure([line, "Home"])
    assert pa.n_tokens[0] == 1 + len(line) / 2
    assert pa.prose[0] == 0  # no final punctuation
    assert measure([line + "。"]).prose[0]  # a sentence of 46 CJK characters is prose


def test_cjk_function_characters_count_as_stopwords() -> None:
    prose = "これは非常に重要なことであり、パスワードの管理にはソフトの存在が不可欠です。"
    menu = "プライバシーポリシー"
    ratios = column([prose, menu], "stop_ratio")
    assert ratios[0] > 0.1
    assert ratios[1] == 0


def test_korean_keeps_its_spaces() -> None:
    # Hangul is written with spaces between words: its tokens are the space-separated ones.
    assert measure(["정동극장 전통 공연 시리즈 안내"]).n_tokens[0] == 5


def test_promo_labels_are_found_only_on_headline_shaped_lines() -> None:
    lines = [
        "READ MORE: Plague outbreak confirmed in two cities",
        "Related: Possible water plumes on a distant moon",
        "Read the full report on the ministry's website.",
        "More than 100 people: the toll rose on Tuesday",
        "See also: the mayor said the vote would come later.",
    ]
    pa = measure(lines)
    assert promo_mask(pa, np.ones(len(lines), bool)).tolist() == [True, True, False, False, False]


def test_promo_labels_of_other_languages_are_found() -> None:
    lines = [
        "Lesen Sie auch: Hochwasser erreicht die Altstadt",
        "» Přečtěte si: Vláda schválila nový rozpočet",
        "Ayrıca okuyun: Meclis yeni bütçeyi onayladı",
        "Lire aussi › Le maire présente son budget",
        "Lesen Sie hier: die ganze Geschichte des Hafens",
    ]
    pa = measure(lines)
    assert promo_mask(pa, np.ones(len(lines), bool)).tolist() == [True, True, True, True, False]


def test_promo_label_line_inside_the_body_is_dropped() -> None:
    body = [
        "The city council approved a new budget for the public schools on Tuesday, after a debate that "
        "lasted more than four hours and drew hundreds of parents to the town hall.",
        # Long enough to pass for a paragraph of the story without its label.
        "Read more: Parents ask the council to spend the new school budget on repairs to three old "
        "buildings first",
        "The budget adds money for teachers and for the repair of three old school buildings, the mayor "
        "said, and it will be paid for with a small rise in the property tax.",
    ]
    labels = classify_lines(body)
    assert labels[1].kind == "drop"
    assert labels[1].reason == "link to another story"


def test_a_promo_label_of_another_language_in_a_dump_is_a_link_to_another_story() -> None:
    story = [
        "Der Stadtrat hat am Dienstag nach einer langen Debatte einen neuen Haushalt für die Schulen "
        "beschlossen, und Hunderte Eltern kamen dafür ins Rathaus.",
        "Der Haushalt sieht mehr Geld für Lehrer und für die Reparatur von drei alten Schulgebäuden vor, "
        "sagte der Bürgermeister, bezahlt mit einer kleinen Erhöhung der Grundsteuer.",
        "Die Opposition kritisierte den Plan als zu teuer und forderte, dass die Stadt zuerst ihre Schulden "
        "abbaut, bevor sie neue Ausgaben beschließt.",
        "Die Eltern begrüßten die Entscheidung und kündigten an, die Umsetzung der Reparaturen in den "
        "kommenden Monaten genau zu verfolgen.",
    ]
    promo = "Lesen Sie auch: Eltern fordern Geld für die Reparatur von drei alten Schulgebäuden"
    labels = classify_lines([*story[:2], promo, *story[2:]])
    assert labels[2] == LineLabel("drop", "link to another story")
    assert [label.kind for label in labels] == ["body", "body", "drop", "body", "body"]


def test_line_starts_are_found_on_their_own_line() -> None:
    joined = JoinedLines(["By John Smith", "hello", "by Mary Jones", "x"])
    assert joined.starting(("by ",)).tolist() == [True, False, True, False]


def test_more_caption_credits() -> None:
    assert is_caption("The plague wiped out half of Europe in the 14th century (Image: AGENCY)")
    assert is_caption("(Image credit: Some Magazine)")
    assert is_caption("Jane A. Doe Submitted photo")
    assert is_caption("A habitation module for a crewed mission to Mars. Credit: Space Agency")
    assert not is_caption("The credit crunch hit the banks hard in the spring.")
    assert not is_caption("He said the credit: was good for all.")


def test_closing_copyright_credit_and_credit_labels_of_other_languages_are_captions() -> None:
    assert is_caption("Die Polizei steht vor dem beschädigten Mast in Berlin. © AGENCY | Jane Doe")
    assert is_caption("Legende: Der Minister vor dem Parlament in der Hauptstadt. SENDER")
    assert is_caption("Protester på gatorna i fredags kväll. Foto: Jane Doe/AGENCY")
    assert not is_caption("© 2019 Example, LLC. All rights reserved.")  # a footer, not a caption's credit
    assert is_caption("Der Trainer möchte noch viele Punkte sammeln. AGENCY/Jane Doe")
    assert not is_caption("They may impose duties on steel and/or other imports.")  # prose ends its sentence
    assert not is_caption("The committee met for three hours and agreed on a plan for the year.")


def test_a_bracketed_credit_without_a_slash_still_makes_a_caption_line() -> None:
    # A line ending in a bracket is a caption candidate by its credit word, not only by an "AGENCY/NAME".
    sentence = "The committee met for {} hours on Tuesday and agreed on a plan for the city."
    prose = [sentence.format(k) for k in range(8)]
    caption = "The English version of the new city plan on a table in the hall (Picture: AGENCY)"
    labels = classify_lines(["Plan for the city agreed", *prose[:4], caption, *prose[4:]])
    assert labels[5].kind == "caption"


def _story(topic: str, n: int) -> list[str]:
    return [
        f"The {topic} report number {k} says that the committee met for {k + 2} hours on Tuesday and agreed "
        f"on a plan for the {topic} that the members will present to the public next month."
        for k in range(n)
    ]


BIO = (
    "Jane Doe has written about science and the environment for this magazine since 2009, and lives "
    "in a small town by the sea with her two dogs."
)


def test_a_long_line_on_two_pages_of_one_site_is_boilerplate() -> None:
    pages = [["Rivers"] + _story("river", 6) + [BIO], ["Forests"] + _story("forest", 6) + [BIO]]
    sites = ["example.org", "example.org"]
    run = classify_run(pages, sites)
    assert run[0][-1] == LineLabel("drop", "template line repeated across pages")
    assert run[1][-1].reason == "template line repeated across pages"
    assert run[0][1].kind == "body"
    # Pages of different sites sharing the line: syndicated text, left to the model.
    assert classify_run(pages, ["a.org", "b.org"])[0][-1].kind == "body"
    # The built context says the same as the run.
    assert classify_pages(pages, build_line_context(pages, sites=sites)) == run


def test_one_story_captured_twice_beside_other_long_lines_keeps_its_text() -> None:
    story = _story("river", 6)
    # Each capture beside two long lines of its own (teasers, comments): 6 of 8 long lines shared, under
    # the share that marks a version, yet the shared lines are the article.
    first = ["Rivers", *story, *_story("forest", 2)]
    second = ["Rivers", *story, *_story("harbour", 2)]
    pages, sites = [first, second], ["example.org", "example.org"]
    run = classify_run(pages, sites)
    assert [lab.kind for lab in run[0][1:7]] == ["body"] * 6
    assert [lab.kind for lab in run[1][1:7]] == ["body"] * 6
    built = classify_pages(pages, build_line_context(pages, sites=sites))
    assert [[lab.kind for lab in page] for page in built] == [[lab.kind for lab in page] for page in run]


STRIKES = [
    "Officials said the strikes hit nine sites overnight, and the army said it had shown restraint.",
    "The ministry told the council it reserves the right to respond at a time of its choosing.",
    "A local doctor said a woman was killed and a girl was wounded when the shells landed nearby.",
    "Schools in the region were closed on Wednesday, and flights were diverted to other airports.",
    "The prime minister convened the national security committee on Wednesday morning, his office said.",
    "Both countries were urged to show restraint by the United Nations secretary general.",
]


def test_a_short_line_between_every_two_paragraphs_is_set_apart() -> None:
    # Read as the paragraphs' neighbours, "Article content" made the model drop the last paragraph.
    lines = ["Strikes hit nine sites"]
    for paragraph in STRIKES:
        lines += [paragraph, "Article content"]
    labels = classify_lines(lines)
    assert [labels[i].kind for i in range(1, len(lines), 2)] == ["body"] * 6
    assert {labels[i] for i in range(2, len(lines), 2)} == {LineLabel("drop", "repeated line")}


def test_two_versions_of_one_story_on_a_site_keep_their_text() -> None:
    story = _story("river", 6)
    update = ["Rivers"] + story[:5] + ["An update: the plan was approved."] + [BIO]
    pages = [["Rivers"] + story + [BIO], update]
    sites = ["example.org", "example.org"]
    run = classify_run(pages, sites)
    assert [lab.kind for lab in run[1][1:6]] == ["body"] * 5
    built = classify_pages(pages, build_line_context(pages, sites=sites))
    assert [[lab.kind for lab in page] for page in built] == [[lab.kind for lab in page] for page in run]
