"""A monitoring corpus's records: clean news text keeps its sentences, whatever other records print;
its URL and date lines become the article's metadata; a page gives one body as HTML or as a text dump."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from newsfold.clean import clean, clean_pages
from newsfold.clean.html import dump_html
from newsfold.clean.lines import RULE_REASONS, classify_run
from newsfold.models import Article, Page

# Clean news text of the ECB+ kind: an address line, a headline, a date line, then sentences, short
# quotes and a weak closing line among them.
RECORD = [
    "http: / / www. example. com / 2008 / 12 / 15 / climber - rescued - on - mount - cook. html",
    "Climber rescued after two nights on Mount Cook",
    "December 15th, 2008, 7: 35 am",
    "A climber who spent two nights stuck on Mount Cook was flown to safety on Monday, police said.",
    "The 34-year-old had been caught by a storm on the summit ridge on Saturday afternoon.",
    "Rescuers reached him as soon as the wind dropped below the helicopter's limit on Monday morning.",
    "He was cold and tired but otherwise well, a spokesman for the rescue centre said.",
    "`` I was lucky.",
    "I knew they would come. ''",
    "His companion had turned back before the storm and raised the alarm in the village.",
    "The mountain claims several climbers every year.",
    "Its weather changes fast.",
]


def _other_record(n: int) -> list[str]:
    """Another report of the same event: it prints two of RECORD's sentences as well."""
    return [
        f"Storm strands climber on New Zealand peak, report {n}",
        f"Report {n}: a climber spent two nights in a snow cave high on the mountain before he was found.",
        "The mountain claims several climbers every year.",
        f"Weather forecasters in report {n} had warned of the storm for days before it struck the range.",
        "Its weather changes fast.",
        f"Police in report {n} said the rescue had gone as well as such a rescue could be expected to go.",
    ]


def test_clean_text_keeps_its_short_and_closing_sentences() -> None:
    labels = classify_run([RECORD])[0]
    kept = {RECORD[i] for i, lab in enumerate(labels) if lab.kind in ("body", "title")}
    assert set(RECORD[3:]) <= kept


def test_a_sentence_other_records_also_print_stays_in_the_text() -> None:
    pages = [RECORD] + [_other_record(n) for n in range(4)]
    labels = classify_run(pages)[0]
    body = [RECORD[i] for i, lab in enumerate(labels) if lab.kind == "body"]
    assert "The mountain claims several climbers every year." in body
    assert "Its weather changes fast." in body


def test_a_block_of_other_pages_headlines_is_still_dropped() -> None:
    headlines = [f"Storm strands climber on New Zealand peak, report {n}" for n in range(3)]
    page = [*RECORD[1:], "More stories", *headlines]
    labels = classify_run([page] + [_other_record(n) for n in range(3)])[0]
    assert all(lab.kind == "drop" for lab in labels[-3:])


def test_the_url_and_date_lines_are_the_articles_metadata() -> None:
    article = clean(Page(id="r1", kind="text", content="\n".join(RECORD)))
    assert article.url == "http://www.example.com/2008/12/15/climber-rescued-on-mount-cook.html"
    assert (article.published, article.published_from) == ("2008-12-15", "page")
    removed = {r.text: r.reason for r in article.removed}
    assert removed[RECORD[0]] == "URL line"
    assert removed[RECORD[2]] == "date line"


def _as_html(text: str) -> str:
    """A page dump as HTML: each line a <p> inside <article>, the chrome lines inside too."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><head><title>t</title></head><body><article>{paragraphs}</article></body></html>"


def test_the_seeds_as_html_give_their_text_dump_bodies(seeds_dir: Path) -> None:
    files = sorted(seeds_dir.iterdir())
    texts = [f.read_text(encoding="utf-8") for f in files]
    named = list(zip([f.name for f in files], texts, strict=True))
    as_text = clean_pages([Page(id=name, kind="text", content=text) for name, text in named]).articles
    html_pages = [Page(id=name, kind="html", content=_as_html(text)) for name, text in named]
    as_html = clean_pages(html_pages).articles
    for dump, page in zip(as_text, as_html, strict=True):
        assert page.paragraphs == dump.paragraphs, page.id


def test_a_seed_between_a_menu_and_a_footer_drops_the_rules_lines_trafilatura_keeps(seeds_dir: Path) -> None:
    # The menu and footer outside <article> make trafilatura decide the body (not the line labels), so
    # the text-dump rules must hold on the lines it keeps. Seed 001 carries a related list and
    # "read more" teasers inside its article (issue 12).
    text = sorted(seeds_dir.iterdir())[1].read_text(encoding="utf-8")
    menu = "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(15))
    page = _as_html(text).replace("<article>", f"<nav><ul>{menu}</ul></nav><article>")
    page = page.replace("</article>", "</article><footer><p>Contact us</p></footer>")
    dump = clean(Page(id="t", kind="text", content=text))
    as_html = clean(Page(id="h", kind="html", content=page))
    ruled = {r.text.strip(): r.reason for r in dump.removed if r.reason in RULE_REASONS}
    assert ruled  # the seed has lines the rules drop, else this test checks nothing
    assert as_html.paragraphs == dump.paragraphs
    removed = {r.text.strip(): r.reason for r in as_html.removed}
    assert {line: removed.get(line) for line in ruled} == ruled


_MENU = "<nav><ul>" + "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(15)) + "</ul></nav>"
_SIDEBAR_HEADLINES = [
    "Storm closes schools across the northern valley for a second day",
    "City council approves budget after a long night of debate",
    "Local team wins regional final in extra time",
    "New bridge opens to traffic three months ahead of schedule",
    "Museum returns stolen painting to its owners after forty years",
    "Farmers warn of a poor harvest after the dry summer",
]


def _in_article_frame(text: str) -> str:
    """A page dump as a site prints it: a menu, each line a <p> inside <article>, a footer."""
    page = _as_html(text).replace("<article>", f"{_MENU}<article>")
    return page.replace("</article>", "</article><footer><p>Contact us</p></footer>")


def _in_content_frame(text: str) -> str:
    """A page dump in a site frame without <article>: a header menu, <div class=content>, a sidebar of
    other stories' headlines, a footer."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    sidebar = "".join(f"<li><a href='/n{n}'>{h}</a></li>" for n, h in enumerate(_SIDEBAR_HEADLINES))
    return (
        f"<html><head><title>t</title></head><body><header>{_MENU}</header>"
        f"<div class='content'>{paragraphs}</div><aside class='sidebar'><h3>Most read</h3><ul>{sidebar}</ul>"
        "</aside><footer><p>Contact us</p><p>About</p></footer></body></html>"
    )


def _html_and_dump_bodies(seeds_dir: Path, frame: Callable[[str], str]) -> list[tuple[Article, Article]]:
    """(HTML article, text-dump article) of each seed in `frame`: one page saved in both forms, each form
    cleaned as one batch."""
    named = [(f.name, frame(f.read_text(encoding="utf-8"))) for f in sorted(seeds_dir.iterdir())]
    as_html = clean_pages([Page(id=name, kind="html", content=page) for name, page in named])
    dumps = [(name, "\n".join(dump_html(page))) for name, page in named]
    as_text = clean_pages([Page(id=name, kind="text", content=dump) for name, dump in dumps])
    return list(zip(as_html.articles, as_text.articles, strict=True))


def test_the_seeds_in_an_article_frame_give_their_text_dump_bodies(seeds_dir: Path) -> None:
    # trafilatura takes the whole <article>, headline, captions and other stories' headlines with it; the
    # line labels decide there, as on the page's text dump.
    for page, dump in _html_and_dump_bodies(seeds_dir, _in_article_frame):
        assert dump.paragraphs
        assert page.paragraphs == dump.paragraphs, page.id


def test_the_seeds_in_a_content_div_beside_a_sidebar_give_their_text_dump_bodies(seeds_dir: Path) -> None:
    # No <article>: trafilatura finds the content <div> itself; the sidebar's headlines stay out of both.
    for page, dump in _html_and_dump_bodies(seeds_dir, _in_content_frame):
        assert dump.paragraphs
        assert page.paragraphs == dump.paragraphs, page.id


def test_html_drops_read_more_teasers_inside_the_article() -> None:
    story = [
        f"Paragraph {n} of the story tells how the council voted on the new harbour plan and what it costs."
        for n in range(8)
    ]
    teasers = "".join(
        f"<p>Another story {n} about a different town and its own council meeting last week</p>"
        "<p>Read more »</p>"
        for n in range(3)
    )
    nav = "".join(f"<li><a href='/s{n}'>Section {n}</a></li>" for n in range(12))
    page = (
        f"<html><body><nav><ul>{nav}</ul></nav><article><h1>Council backs harbour plan</h1>"
        + "".join(f"<p>{p}</p>" for p in story) + teasers
        + "</article><footer><p>Contact us</p><p>About</p></footer></body></html>"
    )
    article = clean(Page(id="h", kind="html", content=page))
    assert any("harbour plan" in p for p in article.paragraphs)
    assert not any("Read more" in p or "Another story" in p for p in article.paragraphs)
