"""The views say what the JSON says: every source marker of the terminal view, the HTML report and the
web story page, read back from the rendered text, against the story's JSON."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from newsfold.api import fold
from newsfold.export import story_to_dict
from newsfold.models import Article, FoldResult, Story
from newsfold.report import render_report
from newsfold.view import print_fold, print_story

TERMINAL_HEADINGS = {
    "summary": "Summary",
    "adds": "Only one origin reports",
    "quotes": "Quotes",
    "discrepancies": "Sources disagree",
    "changes": "Changes between versions of one origin",
    "flags": "Red flags",
}
HTML_HEADINGS = {
    "summary": "Summary",
    "adds": "What only one origin reports",
    "quotes": "Quotes",
    "discrepancies": "Where sources disagree",
    "changes": "Changes between versions of one origin",
    "flags": "Red flags",
    "end": "Sources side by side",
}
WEB_HEADINGS = {
    "summary": "Summary",
    "table": "Sources",
    "tree": "Who copied whom",
    "timeline": "Timeline",
    "flags": "Red flags",
    "discrepancies": "Where sources disagree",
    "changes": "Changes between versions of one origin",
    "quotes": "Quotes",
    "adds": "What only one origin reports",
    "related": "Related stories",
    "end": "Sources side by side",
}
_SOURCED = re.compile(r"(?P<text>.*?)(?P<markers>(?:\[\d+\])+)", re.DOTALL)


@pytest.fixture(scope="module")
def folded(seeds_dir: Path) -> FoldResult:
    result = fold(seeds_dir)
    assert len(result.stories) == 1
    return result


def _sections(plain: str, headings: dict[str, str]) -> dict[str, str]:
    """Each section's text, from its heading line to the next heading line."""
    starts = {}
    for key, heading in headings.items():
        m = re.search(rf"^{re.escape(heading)}$", plain, flags=re.MULTILINE)
        if m:
            starts[key] = (m.start(), m.end())
    ordered = sorted(starts.items(), key=lambda item: item[1][0])
    ends = [start for _, (start, _) in ordered[1:]] + [len(plain)]
    return {key: plain[end:stop] for (key, (_, end)), stop in zip(ordered, ends, strict=True)}


def _markers(sources: list[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[s]}]" for s in sources)


def _expected(story: dict[str, Any]) -> dict[str, list[tuple[str, list[str]]]]:
    """What each section must show, in order: every text with the sources the JSON gives it."""
    quotes = []
    for quote in story["quotes"]:
        main = [v for v in quote["variants"] if v["text"] == quote["text"]]
        quotes.append(("“" + quote["text"] + "”", main[0]["sources"] if main else quote["sources"]))
        quotes.extend(
            ("“" + v["text"] + "”", v["sources"]) for v in quote["variants"] if v["text"] != quote["text"]
        )
    return {
        "summary": [(s["text"], s["sources"]) for s in story["summary"]],
        "adds": [(s["text"], s["sources"]) for s in story["adds"]],
        "quotes": quotes,
        "discrepancies": [(v["text"], v["sources"]) for d in story["discrepancies"] for v in d["variants"]],
    }


def _check_view(plain: str, headings: dict[str, str], story: dict[str, Any], per_change: bool) -> None:
    numbers = {article: n for n, article in enumerate(story["articles"], start=1)}
    sections = _sections(plain, headings)
    for key, items in _expected(story).items():
        shown = [(m["text"].rstrip(), m["markers"]) for m in _SOURCED.finditer(sections.get(key, ""))]
        assert len(shown) == len(items), key
        for (text, markers), (expected_text, sources) in zip(shown, items, strict=True):
            assert text.endswith(expected_text), (key, expected_text)
            assert markers == _markers(sources, numbers), (key, expected_text)
    pairs = [(numbers[c["article"]], numbers[c["of"]]) for c in story["changes"]]
    if not per_change:  # the terminal names each version pair once, above its changes
        pairs = [p for k, p in enumerate(pairs) if k == 0 or pairs[k - 1] != p]
    changes = sections.get("changes", "")
    assert [(int(a), int(b)) for a, b in re.findall(r"\[(\d+)\] changes \[(\d+)\]", changes)] == pairs
    assert all((c["before"] or "") in changes and (c["after"] or "") in changes for c in story["changes"])
    flags = re.findall(r"\[(\d+)\] (misdated|truncated|uncredited-copy)", sections.get("flags", ""))
    assert [(int(n), kind) for n, kind in flags] == [
        (numbers[f["article"]], f["kind"]) for f in story["flags"]
    ]


def _html_text(html: str) -> str:
    """The page as lines of text, each source marker kept as "[n]"."""
    html = re.sub(r'<sup class="src">(\[\d+\])</sup>', r"\1", html)
    html = re.sub(r"<(?:li|p|blockquote|h\d|tr|div|ul|ol|section|article)\b[^>]*>", "\n", html)
    html = re.sub(r"</h\d>", "\n", html)
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_the_seeds_story_has_what_the_view_checks_need(folded: FoldResult) -> None:
    story = story_to_dict(folded.stories[0])
    assert all(story[key] for key in ("summary", "adds", "discrepancies", "changes", "flags"))
    assert any(len(q["variants"]) > 1 for q in story["quotes"])  # wordings with sources of their own


def test_terminal_view_markers_match_the_json(folded: FoldResult) -> None:
    out = io.StringIO()
    console = Console(file=out, width=100_000, color_system=None)
    print_story(console, folded.stories[0], {a.id: a for a in folded.articles})
    _check_view(out.getvalue(), TERMINAL_HEADINGS, story_to_dict(folded.stories[0]), per_change=False)


def test_html_report_markers_match_the_json(folded: FoldResult) -> None:
    plain = _html_text(render_report(folded))
    _check_view(plain, HTML_HEADINGS, story_to_dict(folded.stories[0]), per_change=True)


def test_web_story_page_markers_match_its_json(seeds_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from newsfold.api import ingest
    from newsfold.web import create_app

    db = tmp_path / "news.db"
    ingest(seeds_dir, db)
    client = TestClient(create_app(db))
    (listed,) = client.get("/api/stories").json()["stories"]
    story = client.get(f"/api/stories/{listed['id']}").json()
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200
    _check_view(_html_text(page.text), WEB_HEADINGS, story, per_change=True)


def _linked_fold() -> FoldResult:
    """Two stories of one thread, each the other's related story, and one unrelated."""
    articles = [Article(name, f"Headline {name}", (f"Text of {name}.",)) for name in ("a", "b", "c")]
    stories = [
        Story("s-a", "Headline a", ("a",), thread="t-a", related=("s-b",)),
        Story("s-b", None, ("b",), thread="t-a", related=("s-a",)),
        Story("s-c", "Headline c", ("c",), thread="t-c"),
    ]
    return FoldResult(articles=articles, stories=stories)


def test_terminal_and_html_views_show_each_storys_thread_and_related_stories() -> None:
    result = _linked_fold()
    out = io.StringIO()
    print_fold(Console(file=out, width=100_000, color_system=None), result)
    terminal = out.getvalue()
    html = render_report(result)
    for story in result.stories:
        assert f"thread {story.thread}" in terminal and f"thread {story.thread}" in _html_text(html)
    # Related stories as the JSON lists them: s-a's is s-b (untitled: its id), s-b's is s-a (its headline)
    assert terminal.count("Related stories") == 2
    assert "• s-b\n" in terminal and "• Headline a (s-a)\n" in terminal
    assert html.count("<h3>Related stories</h3>") == 2
    assert '<a href="#s-b">(untitled story)</a>' in html and '<a href="#s-a">Headline a</a>' in html
