"""web, in a real browser: Playwright drives Debian's chromium through the app served by uvicorn.

What the Starlette test client cannot show: the pages render and navigate in a browser (source markers,
highlighted passages, search with filters, paging, the add form), the feed is valid Atom, and scraped
markup is shown as text, never run (no dialog opens, the CSP blocks what escaping would miss). Screenshots
of the home, story, article and search pages are written to tests/artifacts/ (ignored by git). Skipped
only where chromium is not installed and CI is not set; `make test` installs it.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Page as Tab

from newsfold.engine.incremental import ingest_pages
from newsfold.feed import ATOM_NS
from newsfold.models import Page
from newsfold.read import read_many
from newsfold.store import Store
from newsfold.web import create_app

pytestmark = pytest.mark.browser

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "seeds"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FILLER_STORIES = 30  # more than a page of stories (25), so the home page has a second page
EVIL = (
    "<img src=x onerror=alert('img')><script>alert('x')</script> The city council voted on Tuesday to "
    "close the old harbour to cargo ships, a decision that port workers said would cost hundreds of jobs."
)


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make test installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return path


def _filler_pages(count: int) -> list[Page]:
    """`count` short pages on unrelated made-up events (invented words), one story each."""
    rng = random.Random(14)
    pages = []
    for n in range(count):
        town, river, firm = (
            "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(3)
        )
        text = (
            f"{town.title()} council approved a new bridge over the {river.title()} river on Monday. "
            f"The {firm.title()} company will build it for {rng.randint(2, 90)} million over "
            f"{rng.randint(2, 9)} years, officials in {town.title()} said.\n"
            f"Residents of {town.title()} have waited decades for a crossing, and the {firm.title()} plan "
            f"was chosen from {rng.randint(3, 12)} bids."
        )
        page_id = f"filler/{n:02d}.txt"
        pages.append(
            Page(
                id=page_id,
                kind="text",
                content=text + "\n",
                source_path=page_id,
                url=f"https://{firm}.example.com/{n}",
                published=f"2021-01-{n % 28 + 1:02d}",
            )
        )
    return pages


def _shot(tab: Tab, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    db = tmp_path_factory.mktemp("web") / "news.db"
    pages, problems = read_many([SEEDS])
    assert not problems
    pages.append(Page(id="dir/evil.txt", kind="text", content=EVIL + "\n", source_path="dir/evil.txt"))
    pages += _filler_pages(FILLER_STORIES)
    with Store(db) as store:
        ingest_pages(store, pages)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = _chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture()
def dialogs() -> list[str]:
    """The messages of the dialogs a page opened: an alert would mean scraped script ran."""
    return []


@pytest.fixture()
def page(browser: Browser, dialogs: list[str]) -> Iterator[Tab]:
    context = browser.new_context()
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def _open_seed_story(page: Tab, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator("table.list a", has_text="Putin").first.click()
    page.wait_for_url("**/stories/**")


def test_home_opens_the_seed_story_with_its_coverage(page: Tab, base_url: str, dialogs: list[str]) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(base_url + "/")
    _shot(page, "home")
    _open_seed_story(page, base_url)
    coverage = page.inner_text("p.coverage")
    assert "5 pages" in coverage and "3 independent origins" in coverage
    assert page.locator("li.flag", has_text="misdated").count() == 2
    assert page.locator("ul.tree li").count() == 5  # every source once in the copy tree
    _shot(page, "story")
    assert dialogs == []


def test_a_source_marker_leads_to_its_source_with_passages_highlighted(page: Tab, base_url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    _open_seed_story(page, base_url)
    marker = page.locator(".summary a.src").first
    target = marker.get_attribute("href")
    assert target and target.startswith("#source-")
    marker.click()
    page.wait_for_url(f"**{target}")
    column = page.locator(f"article{target}")
    assert column.is_visible() and column.evaluate("el => el.matches(':target')")
    highlighted = page.locator(".compare span.shared, .compare span.adds")
    assert highlighted.count() >= 1 and highlighted.first.inner_text().strip()
    background = highlighted.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_article_page_shows_its_story_and_removed_lines(page: Tab, base_url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    _open_seed_story(page, base_url)
    page.locator("table.sources-table a[href^='/articles/']").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("dl.facts a[href^='/stories/']").count() == 1
    assert page.locator("table.removed tr").count() >= 2
    _shot(page, "article")


def test_search_with_a_filter_marks_the_words(page: Tab, base_url: str, dialogs: list[str]) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(base_url + "/search")
    page.fill("form.filters input[name=q]", "spaceport")
    page.select_option("form.filters select[name=lang]", "en")
    page.locator("form.filters button").click()
    page.wait_for_url("**/search?q=spaceport**lang=en**")
    hits = page.locator("ol.hits > li")
    assert hits.count() >= 1
    assert page.locator("ol.hits mark").first.inner_text().lower() == "spaceport"
    _shot(page, "search")
    page.fill("form.filters input[name=outlet]", "no-such-outlet")
    page.locator("form.filters button").click()
    page.wait_for_url("**outlet=no-such-outlet**")
    assert page.locator("ol.hits > li").count() == 0
    assert dialogs == []


def test_home_pages_through_the_stories(page: Tab, base_url: str) -> None:
    page.goto(base_url + "/")
    first = page.locator("table.list tr td:first-child a").all_inner_texts()
    page.locator(".pager a[rel=next]").click()
    page.wait_for_url("**page=2**")
    second = page.locator("table.list tr td:first-child a").all_inner_texts()
    assert len(first) == 25 and second and not set(first) & set(second)
    page.locator(".pager a[rel=prev]").click()
    page.wait_for_url("**page=1**")


def test_adding_an_article_through_the_form_shows_it_in_its_story(page: Tab, base_url: str) -> None:
    page.goto(base_url + "/add")
    with SEEDS.joinpath("001_bac3b112fef04583.txt").open(encoding="utf-8") as seed:
        lines = seed.read().splitlines()
    # A new page republishing the seed's first paragraphs: it joins the seed story.
    page.fill("textarea[name=text]", "\n".join(["Kim and Putin meet at the cosmodrome", *lines[:4]]))
    page.fill("input[name=outlet]", "Browser Test Wire")
    page.locator("form.add button").click()
    page.wait_for_load_state()
    assert "/stories/" in page.url and "added=" in page.url, page.inner_text("main")[:500]
    assert "Browser Test Wire" in page.inner_text("table.sources-table")
    assert page.locator(".banner").count() == 1
    assert "Putin" in page.inner_text("h1")


def test_the_feed_is_valid_atom(page: Tab, base_url: str) -> None:
    page.goto(base_url + "/")
    href = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")
    response = page.request.get(base_url + (href or ""))
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    entries = feed.findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) >= 3
    for entry in entries:
        assert entry.findtext(f"{{{ATOM_NS}}}title") and entry.findtext(f"{{{ATOM_NS}}}updated")
        assert entry.find(f"{{{ATOM_NS}}}link").get("href", "").startswith(base_url + "/stories/")  # type: ignore[union-attr]


def test_scraped_markup_is_text_not_code(page: Tab, base_url: str, dialogs: list[str]) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "/articles/dir/evil.txt")
    body = page.inner_text("body")
    assert "<script>alert('x')</script>" in body and "onerror=alert" in body
    assert page.locator("script, img").count() == 0
    page.locator("dl.facts a[href^='/stories/']").click()
    page.wait_for_url("**/stories/**")
    assert "onerror=alert" in page.inner_text("h1")
    assert dialogs == [] and errors == []


def test_csp_blocks_injected_script(page: Tab, base_url: str, dialogs: list[str]) -> None:
    """Belt and braces: even markup that slipped past escaping could not run under the app's CSP."""
    page.goto(base_url + "/")
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text))
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'alert(1)';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert dialogs == []
    assert any("Content Security Policy" in text for text in blocked)
