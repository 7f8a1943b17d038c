"""clean: the orchestrator over text dumps and HTML, metadata sources, cross-page context, bad input."""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence

import pytest

from newsfold.clean import build_clean_context, clean, clean_pages
from newsfold.errors import InputError
from newsfold.models import Page

# `import newsfold.clean as ...` would give the function newsfold.clean (the public API), not the package
clean_module = importlib.import_module("newsfold.clean")
html_module = importlib.import_module("newsfold.clean.html")  # imported by `clean` with the first HTML page

PARAGRAPHS = [
    "SEOUL, South Korea (AP) — The leaders of Russia and North Korea met at a remote rocket launch "
    "facility for a summit that underscores how their interests are aligning in the face of separate "
    "confrontations.",
    "The two men began their meeting with a tour of a space rocket launch facility, at which the visiting "
    "leader peppered a space official with many questions about the rockets and about their engines.",
    "The meeting came hours after two ballistic missiles were fired toward the sea, extending a highly "
    "provocative run of weapons tests since Sept. 12, 2022, officials in the region said on Wednesday.",
]


def _html(extra: str = "", title: str = "Rocket summit ends", paragraphs: Sequence[str] = PARAGRAPHS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title><meta property='og:title' content='{title}'>"
        "<meta property='article:published_time' content='2023-09-13T10:00:00Z'></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
        f"<article><h1>{title}</h1>{body}{extra}</article>"
        "<footer><p>Share this story</p><p>© 2023 Example News</p></footer></body></html>"
    )


def _text(*header: str) -> str:
    return "\n".join([*header, *PARAGRAPHS, "Related stories", "Copyright The Associated Press"])


def test_text_dump_every_line_is_kept_or_removed_with_a_reason() -> None:
    article = clean(Page(id="a.txt", kind="text", content=_text("Home > World", "Date:2023-09-13 09:08:52")))
    accounted = set(article.body_lines) | set(article.caption_lines) | {r.line for r in article.removed}
    n_lines = len(_text("x", "y").splitlines())
    assert accounted <= set(range(1, n_lines + 1))
    assert all(r.reason for r in article.removed)
    assert article.paragraphs == tuple(_text("x", "y").splitlines()[i - 1] for i in article.body_lines)


def test_text_dump_date_line_dateline_and_credit() -> None:
    article = clean(Page(id="a.txt", kind="text", content=_text("Home > World", "Date:2023-09-13 09:08:52")))
    if not article.paragraphs:
        pytest.skip("the line classifier kept no body here")
    assert (article.published, article.published_from) == ("2023-09-13", "page")
    assert article.dateline == "SEOUL, South Korea"
    assert "AP" in article.credits


def test_html_article_and_metadata() -> None:
    article = clean(Page(id="p.html", kind="html", content=_html(), url="https://example.com/world/summit"))
    assert "peppered a space official" in article.text
    assert article.paragraphs[0].startswith("SEOUL, South Korea (AP) —"), "credits stay in the text"
    assert article.title == "Rocket summit ends"
    assert (article.published, article.published_from) == ("2023-09-13", "metadata")
    assert article.credits == ("AP",)
    assert article.dateline == "SEOUL, South Korea"
    assert article.lang == "en"
    assert "2022-09-12" in article.dates_mentioned
    assert article.body_lines and all(r.reason for r in article.removed)
    assert any(r.text == "Home" for r in article.removed)


def test_published_from_record_url_and_capture() -> None:
    text = "\n".join(PARAGRAPHS)
    record = clean(Page(id="r", kind="text", content=text, published="2023-09-14T08:00:00"))
    assert (record.published, record.published_from) == ("2023-09-14", "record")
    by_url = clean(Page(id="u", kind="text", content=text, url="https://example.com/2023/09/15/summit"))
    assert (by_url.published, by_url.published_from) == ("2023-09-15", "url")
    captured = clean(Page(id="c", kind="text", content=text, captured="2023-09-16"))
    assert (captured.published, captured.published_from) == ("2023-09-16", "capture")
    assert clean(Page(id="n", kind="text", content=text)).published is None


def test_site_template_inside_the_article_is_dropped_across_pages() -> None:
    promo = (
        "Support our independent newsroom today: every reader who gives keeps this reporting free for all."
    )
    # Two stories of one site (two copies of one story would share their text as well as the promo).
    other_story = [
        "The harbour council voted on Thursday to rebuild the old pier before the winter storms arrive.",
        "Fishermen who use the pier every morning said the vote came years later than it should have.",
        "Work on the new pier is to start in the spring and to cost the town about four million euros.",
    ]
    pages = [
        Page(
            id=f"{n}.html",
            kind="html",
            content=_html(f"<p>{promo}</p>", title=f"Story {n}", paragraphs=story),
            url=f"https://example.com/world/story-{n}",
        )
        for n, story in ((1, PARAGRAPHS), (2, other_story))
    ]
    alone = clean(pages[0])
    together = clean_pages(pages).articles
    if promo not in alone.text:
        pytest.skip("trafilatura already drops the promo on its own")
    assert promo not in together[0].text
    assert any(r.text == promo and "other pages of this site" in r.reason for r in together[0].removed)


def test_a_malformed_url_names_no_site_and_crashes_nothing() -> None:
    page = Page(id="bad-url.txt", kind="text", content=_text(), url="http://[not-an-ipv6/a")
    assert page.site is None
    assert clean_pages([page]).articles[0].paragraphs == tuple(PARAGRAPHS)


def test_pages_of_different_sites_share_no_template() -> None:
    promo = (
        "Support our independent newsroom today: every reader who gives keeps this reporting free for all."
    )
    pages = [
        Page(id=f"{n}.html", kind="html", content=_html(f"<p>{promo}</p>"), url=f"https://site{n}.example/a")
        for n in (1, 2)
    ]
    context = build_clean_context(pages)
    assert [clean(p, context).text for p in pages] == [clean(p).text for p in pages]


@pytest.mark.parametrize(
    "page",
    [
        Page(id="empty.txt", kind="text", content=""),
        Page(id="empty.html", kind="html", content=""),
        Page(id="noise.txt", kind="text", content=os.urandom(20_000).decode("latin-1")),
        Page(id="noise.html", kind="html", content=os.urandom(20_000).decode("utf-8", "replace")),
        Page(
            id="latin1.txt",
            kind="text",
            content=("Le président a réuni à Genève les délégués. " * 20).encode("latin-1").decode("latin-1"),
        ),
    ],
    ids=lambda p: p.id,
)
def test_bad_input_never_crashes(page: Page) -> None:
    article = clean(page)
    assert article.id == page.id


def test_markup_nested_past_the_bound_is_one_input_error_naming_the_page() -> None:
    page = Page(id="deep.html", kind="html", content="<div>" * 200_000 + "x" + "</div>" * 200_000)
    with pytest.raises(InputError, match=r"deep.html: HTML nested 255 elements deep"):
        clean(page)


def test_a_50_mb_single_line_is_bounded() -> None:
    page = Page(id="huge.txt", kind="text", content="word " * 10_000_000)
    article = clean(page)
    assert all(len(p) <= 100_000 for p in article.paragraphs)


def test_one_failing_page_is_a_problem_and_the_rest_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    real = html_module.extract_html

    def explode(html: str, url: str | None = None, settings=None, **options):  # noqa: ANN202
        if "BOOM" in html:
            raise RecursionError("maximum recursion depth exceeded")
        return real(html, url, settings, **options)

    monkeypatch.setattr(html_module, "extract_html", explode)
    pages = [
        Page(id="bad.html", kind="html", content="<p>BOOM</p>"),
        Page(id="ok.html", kind="html", content=_html()),
    ]
    articles, problems = clean_pages(pages)
    assert [a.id for a in articles] == ["ok.html"]
    assert [p.path for p in problems] == ["bad.html"] and "nested" in problems[0].reason


def test_seed_claimed_dates_credits_and_datelines(seeds_dir, seeds_gold) -> None:
    names = sorted(seeds_gold["articles"])
    pages = [Page(id=n, kind="text", content=(seeds_dir / n).read_text(encoding="utf-8")) for n in names]
    for article in clean_pages(pages).articles:
        gold = seeds_gold["articles"][article.id]
        assert article.published == gold["claimed_date"], article.id
        if gold["claimed_date"]:
            assert article.published_from == "page"
        assert list(article.credits) == gold["credits"], article.id
        assert article.dateline == gold["dateline"], article.id
        assert list(article.authors) == gold.get("authors", []), article.id


def test_html_site_name_from_metadata_is_the_outlet() -> None:
    html = _html().replace("</head>", "<meta property='og:site_name' content='Example  News'></head>")
    article = clean(Page(id="p.html", kind="html", content=html, url="https://www.example.com/world/summit"))
    assert (article.site_name, article.outlet) == ("Example News", "Example News")
    assert article.domain == "example.com"


def test_the_dump_line_the_title_is_taken_from_is_removed_as_the_headline() -> None:
    # a headline above a run of short lines reads as a link list to the line model; its slug names it
    head = ["Home > World", "Rocket summit: leaders tour launch site", "Summit news in brief",
            "More from the summit", "By Jane Doe"]  # fmt: skip
    url = "https://example.com/2023/09/13/rocket-summit-leaders-tour-launch-site"
    article = clean(Page(id="a.txt", kind="text", content=_text(*head), url=url))
    assert article.title == head[1]
    assert [r.reason for r in article.removed if r.text == head[1]] == ["headline"]
