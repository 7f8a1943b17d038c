"""html: the text dump (textdump.py's semantics), trafilatura's main text, edge trimming, bad markup."""

from __future__ import annotations

import gzip
import importlib.util
import json
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from newsfold.clean import clean
from newsfold.clean.html import HtmlExtraction, dump_html, extract_html, html_body, match_lines, trim_edges
from newsfold.clean.lines import LineLabel
from newsfold.models import Page
from newsfold.settings import CleanSettings

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ZYTE = SHARED / "bench" / "zyte"

ARTICLE = """<html><head><title>Rocket summit ends | Example News</title>
<meta property="og:title" content="Rocket summit ends">
<meta property="article:published_time" content="2023-09-13T10:00:00Z"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Rocket summit ends</h1>
<p>SEOUL, South Korea (AP) — The leaders of Russia and North Korea met at a remote rocket launch facility
for a summit that underscores how their interests are aligning in the face of separate confrontations.</p>
<figure><img src="a.jpg"><figcaption>The two leaders shake hands. (Pool Photo via AP)</figcaption></figure>
<p>The two men began their meeting with a tour of a space rocket launch facility, at which the visiting
leader peppered a space official with many questions about the rockets and their engines.</p>
<p>The meeting came hours after two ballistic missiles were fired toward the sea, extending a highly
provocative run of weapons tests since the start of last year, officials in the region said on Wednesday.</p>
</article><footer><p>Share this story on social media</p><p>© 2023 Example News</p></footer></body></html>"""


def _textdump():
    spec = importlib.util.spec_from_file_location("textdump", SHARED / "tools" / "textdump.py")
    if spec is None or spec.loader is None:
        pytest.skip("../shared/tools/textdump.py is not beside the checkout")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dump_puts_one_block_per_line() -> None:
    lines = dump_html("<html><body><div>One <b>bold</b> line</div><p>Two</p>tail<br>three</body></html>")
    assert lines == ["One bold line", "Two", "tail", "three"]


def test_dump_skips_scripts_but_keeps_their_tail() -> None:
    assert dump_html("<html><body><p>a<script>var x;</script>b</p></body></html>") == ["a b"]


@pytest.mark.skipif(not ZYTE.is_dir(), reason="../shared/bench/zyte is not beside the checkout")
def test_dump_matches_the_shared_textdump_tool() -> None:
    textdump = _textdump()
    for path in sorted((ZYTE / "html").iterdir())[:5]:
        raw = gzip.decompress(path.read_bytes())
        assert dump_html(textdump.decode(raw)) == textdump.dump(raw).splitlines(), path.name


def test_extract_keeps_the_article_and_reads_metadata() -> None:
    found = extract_html(ARTICLE, url="https://example.com/world/rocket-summit")
    text = "\n".join(found.paragraphs)
    assert "peppered a space official" in text and "(AP) —" in text
    assert "Home" not in text and "Share this story" not in text
    assert found.title == "Rocket summit ends"
    assert found.published == "2023-09-13"


def test_extract_lines_up_with_the_dump() -> None:
    found = extract_html(ARTICLE)
    body = [found.dump_lines[i] for i in match_lines(found.paragraphs, found.dump_lines)]
    assert any(line.startswith("SEOUL, South Korea (AP)") for line in body)
    assert "Home" not in body


def test_a_ruby_reading_is_read_inline_in_its_sentence() -> None:
    ruby = "<ruby><rb>尹錫悦</rb><rp>（</rp><rt>ユンソンニョル</rt><rp>）</rp></ruby>"
    said = "大統領は３日夜、緊急談話を出し、野党が国政をまひさせているとして非常戒厳を宣言した。"
    sentence = f"韓国の\n{ruby}\n{said}"
    page = "".join(f"<p>{text}</p>" for text in [sentence, *_STORY])
    found = extract_html(f"<html><body><article>{page}</article></body></html>")
    assert any("尹錫悦（ユンソンニョル）" in paragraph for paragraph in found.paragraphs)
    assert not any(paragraph in {"尹錫悦", "ユンソンニョル"} for paragraph in found.paragraphs)


def test_trim_edges_drops_headline_and_furniture_but_not_body() -> None:
    paragraphs = ["Rocket summit ends", "The leaders met on Wednesday at the base.", "Share this story"]
    kept, trimmed = trim_edges(paragraphs, "Rocket summit ends", CleanSettings())
    assert kept == ["The leaders met on Wednesday at the base."]
    assert [reason for _, reason in trimmed] == ["headline", "page furniture at the edge of the text"]


def test_a_paragraph_holding_the_title_and_more_is_not_the_headline() -> None:
    long = "Rocket summit ends as the leaders tour the base, talk for hours and agree on many things."
    kept, _ = trim_edges([long, "More text."], "Rocket summit ends", CleanSettings())
    assert kept[0] == long


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "\x00\x01\x02 not markup at all \xff"])
def test_empty_or_junk_markup_gives_an_empty_extraction(html: str) -> None:
    found = extract_html(html)
    assert found.paragraphs == () or all(isinstance(p, str) for p in found.paragraphs)


def test_markup_nested_200000_deep_does_not_crash() -> None:
    deep = "<html><body>" + "<div>" * 200_000 + "deep text" + "</div>" * 200_000 + "</body></html>"
    found = extract_html(deep)
    assert isinstance(found.paragraphs, tuple)
    assert isinstance(dump_html(deep), list)


def test_a_huge_single_text_run_is_bounded() -> None:
    big = "<html><body><p>" + "word " * 2_000_000 + "</p></body></html>"  # 10 MB in one line
    found = extract_html(big)
    assert all(len(line) <= CleanSettings().max_text_node_chars for line in found.dump_lines)


@pytest.mark.slow
@pytest.mark.skipif(not ZYTE.is_dir(), reason="../shared/bench/zyte is not beside the checkout")
def test_extraction_beats_plain_trafilatura_on_a_zyte_sample() -> None:
    """A quick guard on 20 zyte pages (the full figure is bench/bench_html.py)."""
    import sys

    import trafilatura

    sys.path.insert(0, str(SHARED / "tools"))
    import shinglef1  # type: ignore[import-not-found]

    gold = json.loads((ZYTE / "ground-truth.json").read_text())
    ids = sorted(gold)[::9]
    ours, plain = {}, {}
    for pid in ids:
        html = gzip.decompress((ZYTE / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
        ours[pid] = {"articleBody": "\n".join(extract_html(html, gold[pid].get("url")).paragraphs)}
        plain[pid] = {"articleBody": trafilatura.extract(html) or ""}
    sample = {pid: gold[pid] for pid in ids}
    assert shinglef1.score(sample, ours)[0] >= shinglef1.score(sample, plain)[0]


def test_a_page_drawn_by_script_still_gives_its_title_and_date() -> None:
    html = (
        '<html><head><meta property="og:title" content="Mayor resigns | Example News">'
        '<meta property="article:published_time" content="2024-05-02T08:00:00Z"></head>'
        '<body><div id="root"></div><script>render()</script></body></html>'
    )
    found = extract_html(html, "https://www.example-news.com/a/1")
    assert (found.paragraphs, found.title, found.published) == ((), "Mayor resigns", "2024-05-02")


def test_the_authors_the_markup_states_are_kept() -> None:
    ld = '{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ana Ruiz"}]}'
    html = ARTICLE.replace("</head>", f'<script type="application/ld+json">{ld}</script></head>')
    assert extract_html(html).authors == ("Ana Ruiz",)


# --- html_body: trafilatura's text, the site's template and the text-dump rules ---------------------------

_MENU = [f"Section {n}" for n in range(12)]  # lines trafilatura leaves out, so its text decides the body
_STORY = [
    f"Paragraph {n} of the story tells how the council voted on the new harbour plan and what it costs."
    for n in range(5)
]


def _body(paragraphs: list[str], dump: list[str], labels: list, template: Counter[str] | None = None):
    extraction = HtmlExtraction(paragraphs=tuple(paragraphs), dump_lines=tuple(dump))
    return html_body(extraction, dump, labels, template or Counter(), CleanSettings())


def test_the_dump_measures_each_lines_link_text() -> None:
    page = "<p>Read <a href='/a'>this</a> now</p><p><a href='/b'>Other story</a></p><p>Plain text</p>"
    found = extract_html(f"<html><body>{page}</body></html>")
    assert found.dump_lines == ("Read this now", "Other story", "Plain text")
    assert found.dump_links[0] == pytest.approx(4 / 11) and found.dump_links[1:] == (1.0, 0.0)


def _linked_body(closing: list[str], shares: list[float]) -> list[str] | None:
    text = [*_STORY, *closing]
    dump = _MENU + text
    extraction = HtmlExtraction(
        paragraphs=tuple(text),
        dump_lines=tuple(dump),
        dump_links=(1.0,) * len(_MENU) + (0.0,) * 5 + tuple(shares),
    )
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    return html_body(extraction, dump, labels, Counter(), CleanSettings())


def test_links_closing_the_text_go() -> None:
    related = ["Council approves the budget for the new school year after long debate",
               "Harbour festival returns this summer with boats from across the region"]  # fmt: skip
    assert _linked_body(related, [1.0, 1.0]) == _STORY


def test_a_closing_sentence_with_a_link_in_it_stays() -> None:
    closing = "The full plan, with its costs and the council's vote, is on the city's website to read."
    assert _linked_body([closing], [0.6]) == [*_STORY, closing]


def test_a_line_a_language_rule_drops_inside_the_text_stays() -> None:
    quote = "Wir schaffen das, sagte die Kanzlerin damals vor der Presse in Berlin."
    text = [*_STORY[:2], quote, *_STORY[2:]]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    labels[len(_MENU) + 2] = LineLabel("drop", "another language than the article")
    assert quote in _body(text, _MENU + text, labels)


def test_a_line_a_language_rule_drops_closing_the_text_goes() -> None:
    other = "Vous pouvez également lire des articles d'actualité similaires à celui-ci."
    text = [*_STORY, other]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    labels[-1] = LineLabel("drop", "another language than the article")
    body = _body(text, _MENU + text, labels)
    assert other not in body
    assert body == _STORY


def test_a_closing_run_holding_most_of_the_text_is_the_articles() -> None:
    # the comment rule's date-line chains also match inline teaser boxes: it then claims the article's end
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * 2
    labels += [LineLabel("drop", "comment section")] * 3
    assert _body(_STORY, _MENU + _STORY, labels) == _STORY


def test_a_short_closing_comment_run_goes() -> None:
    comment = "Great article, thanks for sharing this with all of us here today."
    text = [*_STORY, comment]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(_STORY)
    labels += [LineLabel("drop", "comment section")]
    assert _body(text, _MENU + text, labels) == _STORY


def test_paragraphs_the_sites_other_pages_print_are_template() -> None:
    promo = "Sign up to our daily newsletter for the news that matters to you each morning."
    text = [*_STORY, promo]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    body = _body(text, _MENU + text, labels, Counter({" ".join(promo.lower().rstrip(".").split()): 2}))
    assert body == _STORY


def test_a_second_copy_of_an_article_keeps_its_text() -> None:
    # the site printed the article twice: its paragraphs repeat, but they are the text, not template
    repeated = Counter({" ".join(p.lower().rstrip(".").split()): 2 for p in _STORY})
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(_STORY)
    assert _body(_STORY, _MENU + _STORY, labels, repeated) == _STORY


def _with_default(text: list[str], default: list[str], labels: list) -> list[str] | None:
    dump = _MENU + default
    extraction = HtmlExtraction(tuple(text), tuple(dump), default_pass=tuple(default))
    return html_body(extraction, dump, labels, Counter(), CleanSettings())


_ADDED = "The council will meet again next month to decide how the harbour works are paid for."


def test_the_default_pass_is_taken_when_the_lines_it_adds_read_as_body() -> None:
    default = [*_STORY, _ADDED]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(default)
    assert _with_default(_STORY, default, labels) == default


def test_the_precision_pass_stays_when_the_lines_the_default_adds_are_dropped() -> None:
    default = [*_STORY, _ADDED]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(_STORY)
    labels += [LineLabel("drop", "teaser of another story")]
    assert _with_default(_STORY, default, labels) == _STORY


def test_a_copyright_line_closing_the_text_goes() -> None:
    notice = "Copyright: Example Syndicate, all rights reserved, 2025"
    text = [*_STORY, notice]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(_STORY)
    labels += [LineLabel("drop", "copyright")]
    assert _body(text, _MENU + text, labels) == _STORY


def test_a_line_the_promo_rule_names_inside_the_text_goes() -> None:
    teaser = "Read also: Harbour towns across the coast vote on their own plans"
    text = [*_STORY[:2], teaser, *_STORY[2:]]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    labels[len(_MENU) + 2] = LineLabel("drop", "link to another story")
    assert _body(text, _MENU + text, labels) == _STORY


def test_a_promo_label_of_another_language_inside_the_article_goes() -> None:
    teaser = "Lesen Sie auch: Eltern fordern Geld für die Reparatur von drei alten Schulgebäuden"
    paragraphs = ARTICLE.split("<p>")
    page = "<p>".join([*paragraphs[:2], f"<a href='/x'>{teaser}</a></p>\n", *paragraphs[2:]])
    article = clean(Page(id="p.html", kind="html", content=page, url="https://example.com/world/summit"))
    assert "peppered a space official" in article.text
    assert teaser not in article.text
    assert any(r.text == teaser and r.reason == "link to another story" for r in article.removed)


def _count_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The trafilatura passes `html._extract` runs from now on (True: precision pass)."""
    from newsfold.clean import html

    runs: list[bool] = []
    real = html._extract

    def counted(tree, url, precision):  # type: ignore[no-untyped-def]
        runs.append(precision)
        return real(tree, url, precision)

    monkeypatch.setattr(html, "_extract", counted)
    return runs


def _labels_of(extraction: HtmlExtraction, body: set[int]) -> list[LineLabel]:
    return [
        LineLabel("body") if i in body else LineLabel("drop", "navigation")
        for i in range(len(extraction.dump_lines))
    ]


def test_the_default_pass_is_not_run_where_the_precision_pass_holds_every_body_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = _count_passes(monkeypatch)
    found = extract_html(ARTICLE, defer_default=True)
    assert runs == [True] and found.default_pass is None
    kept = set(match_lines(found.paragraphs, found.dump_lines))
    lines = list(found.dump_lines)
    assert html_body(found, lines, _labels_of(found, kept), Counter(), CleanSettings())
    assert runs == [True]


def test_the_default_pass_runs_where_body_lies_outside_the_precision_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = _count_passes(monkeypatch)
    found = extract_html(ARTICLE, defer_default=True)
    outside = next(i for i, line in enumerate(found.dump_lines) if line.startswith("Share this story"))
    kept = set(match_lines(found.paragraphs, found.dump_lines))
    lines = list(found.dump_lines)
    html_body(found, lines, _labels_of(found, kept | {outside}), Counter(), CleanSettings())
    assert runs == [True, False]


_RENDERED_STORY = "".join(f"<p>{line}</p>" for line in _STORY)


def test_a_page_a_script_renders_gives_the_markup_its_script_holds() -> None:
    payload = json.dumps(json.dumps({"html": _RENDERED_STORY}))  # markup in a JSON string in a JS string
    script = f"<script>push({payload})</script>"
    page = f"<html><head><title>Harbour plan</title></head><body><div id=root></div>{script}</body></html>"
    assert list(extract_html(page).paragraphs) == _STORY


def test_script_markup_is_not_read_where_the_page_shows_its_text() -> None:
    script = "<p>" + "A sentence the script holds for a widget, not the page's article text. " * 4 + "</p>"
    page = f"<html><body><article>{_RENDERED_STORY}</article><script>x = {json.dumps(script)}</script>"
    assert list(extract_html(page).paragraphs) == _STORY


def test_a_script_string_with_a_broken_tag_adds_nothing() -> None:
    script = json.dumps("text " * 60 + "<p")
    page = f"<html><head><title>Empty</title></head><body><div></div><script>x = {script}</script></body>"
    assert extract_html(page).paragraphs == ()


def test_the_dump_numbers_sibling_blocks_alike() -> None:
    page = "<div><p>One a</p><p>Two b</p><h2>Head</h2></div><div><p>Three c</p></div>"
    found = extract_html(f"<html><body>{page}</body></html>")
    assert found.dump_lines == ("One a", "Two b", "Head", "Three c")
    first, second, head, other = found.dump_blocks
    assert first == second and len({first, head, other}) == 3


def test_the_dump_numbers_blocks_of_one_tag_and_class_alike() -> None:
    page = (
        "<div><p class='x y'>One a</p><p>Two b</p></div><aside><p class='y  x'>Three c</p><p class=z>Four</p>"
    )
    found = extract_html(f"<html><body>{page}</body></html>")
    first, classless, third, other = found.dump_kinds
    assert first == third and classless == -1 and other not in (-1, first)


_PROSE = [
    "The council met on Monday to vote on the new harbour plan after months of talks.",
    "Fishermen had asked for a longer quay, and the plan now gives them one at the north end.",
    "Work starts in spring, paid for by the port's own fees and a loan from the region.",
    "Critics say the cost of the loan will fall on the town for thirty years to come.",
    "A second vote on the marina is set for the autumn, when the budget is known.",
]


def _sibling_body(
    skipped: str,
    blocks: tuple[int, ...],
    links: float = 0.0,
    prose: list[str] = _PROSE,
    kept: str = "",
    rest: int = 1,
    kinds: tuple[int, ...] = (),
) -> list[str] | None:
    """The body where trafilatura's text is `prose` (with `kept` after its first line) and the dump holds
    `skipped` after the first line; `blocks` numbers the first three lines' blocks, `rest` the others'."""
    text = [prose[0], skipped, *prose[1:]]
    dump = _MENU + text
    extraction = HtmlExtraction(
        paragraphs=(prose[0], *filter(None, [kept]), *prose[1:]),
        dump_lines=tuple(dump),
        dump_links=(1.0,) * len(_MENU) + (0.0, links) + (0.0,) * 4,
        dump_blocks=(0,) * len(_MENU) + blocks + (rest,) * 3,
        dump_kinds=(-1,) * len(_MENU) + kinds + (-1,) * 3 if kinds else (),
    )
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    return html_body(extraction, dump, labels, Counter(), CleanSettings())


_SKIPPED = "The mayor said the vote, with all its links to the plans, was the end of a long debate."


def test_a_paragraph_trafilatura_skips_between_its_siblings_is_put_back() -> None:
    assert _sibling_body(_SKIPPED, (1, 1, 1)) == [_PROSE[0], _SKIPPED, *_PROSE[1:]]


def test_a_paragraph_opening_the_next_container_of_the_text_is_put_back() -> None:
    # an inline box between two containers of the article: the skipped line opens the second one
    assert _sibling_body(_SKIPPED, (1, 2, 2), rest=2) == [_PROSE[0], _SKIPPED, *_PROSE[1:]]


def test_a_paragraph_of_the_texts_tag_and_class_in_another_container_is_put_back() -> None:
    # the article's paragraphs (one class) split into containers by inline boxes: the skipped one is alone
    # in its container, between two containers of the text
    assert _sibling_body(_SKIPPED, (1, 2, 3), kinds=(7, 7, 7)) == [_PROSE[0], _SKIPPED, *_PROSE[1:]]
    assert _sibling_body(_SKIPPED, (1, 2, 3), kinds=(7, 8, 7)) == _PROSE  # another class: a box
    assert _sibling_body(_SKIPPED, (1, 2, 3), kinds=(-1, -1, -1)) == _PROSE  # classless: no evidence


def test_a_skipped_line_beside_a_lone_line_of_the_text_stays_out() -> None:
    # a container holding one line of the text (a carousel repeating the lead) is not the article's
    assert _sibling_body(_SKIPPED, (1, 2, 2), rest=3) == _PROSE


def test_a_skipped_line_in_another_container_or_mostly_links_stays_out() -> None:
    assert _sibling_body(_SKIPPED, (1, 2, 1)) == _PROSE
    assert _sibling_body(_SKIPPED, (1, 1, 1), links=0.8) == _PROSE
    assert _sibling_body("READ MORE ABOUT THE HARBOUR PLAN HERE", (1, 1, 1)) == _PROSE


_PROSE_JA = [
    "市議会は月曜日、数か月の協議を経て新しい港湾計画を採決した。",
    "漁業者は長い岸壁を求めており、計画では北側にそれが設けられる。",
    "工事は春に始まり、費用は港の使用料と県からの融資で賄われる。",
    "批判する人は、融資の負担が三十年にわたり町にかかると指摘する。",
    "マリーナについての二度目の採決は、予算が分かる秋に予定されている。",
]
_SKIPPED_JA = "市長は、長い議論がようやく終わったと記者団に語った。"


def test_a_japanese_sentence_trafilatura_skips_is_put_back() -> None:
    # two "words" between punctuation, 24 characters: a sentence of 4+ words read by its characters
    body = _sibling_body(_SKIPPED_JA, (1, 1, 1), prose=_PROSE_JA)
    assert body == [_PROSE_JA[0], _SKIPPED_JA, *_PROSE_JA[1:]]


def test_a_japanese_line_the_dump_spaces_matches_the_text_and_is_not_put_back_twice() -> None:
    # the dump puts a space between inline elements ("<a>議論</a>") where trafilatura's text has none
    spaced = _SKIPPED_JA.replace("議論", " 議論 ")
    assert match_lines([_SKIPPED_JA], [spaced, "議論"]) == [0]  # a short line still matches only whole
    # menu labels of 2-3 words, inside prose
    assert match_lines(_PROSE_JA, ["港湾計画", "新しい港湾計画"]) == []
    body = _sibling_body(spaced, (1, 1, 1), prose=_PROSE_JA, kept=_SKIPPED_JA)
    assert body == [_PROSE_JA[0], _SKIPPED_JA, *_PROSE_JA[1:]]


_PROSE_DE = [
    "Der Stadtrat hat am Montag nach langer Debatte über den neuen Hafenplan abgestimmt.",
    "Die Fischer wünschten sich eine längere Kaimauer, und der Plan sieht sie im Norden vor.",
    "Die Arbeiten beginnen im Frühjahr und werden über Gebühren und ein Darlehen bezahlt.",
    "Kritiker sagen, das Darlehen belaste die Gemeinde über dreißig Jahre hinweg schwer.",
]


def test_a_line_the_page_prints_decomposed_matches_the_text_once_in_the_pages_form() -> None:
    # the page prints "u" + a combining diaeresis where trafilatura's text has "ü"
    decomposed = unicodedata.normalize("NFD", _PROSE_DE[1])
    assert decomposed != _PROSE_DE[1]
    assert match_lines(_PROSE_DE, [decomposed]) == [0]
    dump = [_PROSE_DE[0], decomposed, *_PROSE_DE[2:]]
    extraction = HtmlExtraction(
        paragraphs=tuple(_PROSE_DE), dump_lines=tuple(dump), dump_links=(0.0,) * 4, dump_blocks=(1,) * 4
    )
    labels = [LineLabel("body")] * 4
    body = html_body(extraction, dump, labels, Counter(), CleanSettings())
    assert body is None or body == dump  # not put back a second time, and as the page prints it
    menu = ["Home", "Politics", "Sport", "Weather"]
    extraction = replace(
        extraction, dump_lines=tuple(menu + dump), dump_links=(1.0,) * 4 + (0.0,) * 4,
        dump_blocks=(0,) * 4 + (1,) * 4,
    )  # fmt: skip
    labels = [LineLabel("drop", "navigation")] * 4 + labels
    assert html_body(extraction, menu + dump, labels, Counter(), CleanSettings()) == dump


_PROMO = "Follow our newsroom on your phone: get the day's news in one short letter each morning."


def _closing_body(kinds: tuple[int, ...], closing: str = _PROMO) -> list[str] | None:
    """The body where trafilatura's text is `_PROSE` and then `closing`, `kinds` their kinds of block."""
    text = [*_PROSE, closing]
    extraction = HtmlExtraction(
        paragraphs=tuple(text),
        dump_lines=tuple(_MENU + text),
        dump_links=(1.0,) * len(_MENU) + (0.0,) * len(text),
        dump_blocks=(0,) * len(_MENU) + (1,) * len(text),
        dump_kinds=(-1,) * len(_MENU) + kinds,
    )
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    return html_body(extraction, _MENU + text, labels, Counter(), CleanSettings())


def test_a_box_of_another_kind_after_the_articles_last_paragraph_goes() -> None:
    assert _closing_body((3, 3, 3, 3, 3, 8)) == _PROSE
    assert _closing_body((3, 3, 3, 3, 3, -1)) == _PROSE  # a classless box too


def test_lines_after_paragraphs_without_a_class_or_of_mixed_kinds_stay() -> None:
    assert _closing_body((-1, -1, -1, -1, -1, 8)) == [*_PROSE, _PROMO]  # no class: no evidence
    assert _closing_body((3, 4, 5, 6, 3, 8)) == [*_PROSE, _PROMO]  # no kind holds half the words
    assert _closing_body((3, 3, 3, 3, 3, 3)) == [*_PROSE, _PROMO]  # a paragraph of the article's kind


def test_a_closing_list_repeating_headings_of_the_text_leaves_the_headings_in_it() -> None:
    heading = "Council backs the harbour plan after long debate"
    related = [heading, "Harbour festival returns this summer with boats from across the region"]
    text = [_PROSE[0], heading, *_PROSE[1:], *related]
    dump = _MENU + text
    extraction = HtmlExtraction(
        paragraphs=tuple(text),
        dump_lines=tuple(dump),
        dump_links=(1.0,) * len(_MENU) + (0.0,) * 6 + (1.0, 1.0),
    )
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    assert html_body(extraction, dump, labels, Counter(), CleanSettings()) == [
        _PROSE[0],
        heading,
        *_PROSE[1:],
    ]


def test_the_default_pass_is_taken_when_it_only_leaves_out_lines_read_as_chrome() -> None:
    box = "Follow this topic to read its stories on your own page after you sign in to the site."
    text = [*_PROSE[:2], box, *_PROSE[2:]]
    dump = _MENU + text
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(text)
    labels[len(_MENU) + 2] = LineLabel("drop", "outside the article text")
    extraction = HtmlExtraction(paragraphs=tuple(text), dump_lines=tuple(dump), default_pass=tuple(_PROSE))
    assert html_body(extraction, dump, labels, Counter(), CleanSettings()) == _PROSE
    labels[len(_MENU) + 2] = LineLabel("body")
    assert box in (html_body(extraction, dump, labels, Counter(), CleanSettings()) or [])


def test_a_copyright_line_the_default_pass_adds_does_not_keep_it_out() -> None:
    notice = "Copyright 2019 The Harbour Gazette and its owners, all rights reserved, no copies allowed."
    dump = _MENU + [*_PROSE, notice]
    labels = [LineLabel("drop", "navigation")] * len(_MENU) + [LineLabel("body")] * len(_PROSE)
    labels.append(LineLabel("drop", "copyright"))
    extraction = HtmlExtraction(
        paragraphs=(*_PROSE[:2], *_PROSE[3:]), dump_lines=tuple(dump), default_pass=(*_PROSE, notice)
    )
    assert html_body(extraction, dump, labels, Counter(), CleanSettings()) == _PROSE
