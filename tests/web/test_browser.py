"""web, in a real browser: Playwright drives Debian's chromium through the app served by uvicorn.

What the Starlette test client cannot show: the pages render and navigate in a browser, the search form
works, and scraped markup is shown as text, never run (no dialog opens, the CSP blocks what escaping would
miss). Skipped only where chromium is not installed and CI is not set; `make test` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Page as Tab

from newsfold.engine.incremental import ingest_pages
from newsfold.models import Page
from newsfold.read import read_many
from newsfold.store import Store
from newsfold.web import create_app

pytestmark = pytest.mark.browser

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "seeds"
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


def test_index_story_and_article_navigate(page: Tab, base_url: str, dialogs: list[str]) -> None:
    page.goto(base_url + "/")
    rows = page.locator("table tr")
    assert rows.count() >= 3  # header, the seed story, the harbour story
    seed_story = page.locator("table a", has_text="Putin")
    assert seed_story.count() == 1
    seed_story.click()
    page.wait_for_url("**/story/**")
    assert "5 articles · 3 independent origins" in page.inner_text(".meta")
    summary = page.locator("h3:text('Summary') + p")
    assert summary.locator("sup.src").count() >= 1  # every summary sentence names its sources
    assert page.locator("li.flag", has_text="misdated").count() == 2
    page.locator("a[href^='/article/']").first.click()
    page.wait_for_url("**/article/**")
    assert page.title()
    assert dialogs == []


def test_search_form_finds_articles(page: Tab, base_url: str, dialogs: list[str]) -> None:
    page.goto(base_url + "/")
    page.fill("input[name=q]", "spaceport")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=spaceport")
    hits = page.locator("ul a[href^='/article/']")
    assert hits.count() >= 1
    assert all(href.endswith(".txt") for href in hits.evaluate_all("els => els.map(e => e.href)"))


def test_scraped_markup_is_text_not_code(page: Tab, base_url: str, dialogs: list[str]) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "/article/dir/evil.txt")
    body = page.inner_text("body")
    assert "<script>alert('x')</script>" in body and "onerror=alert" in body
    assert page.locator("script, img").count() == 0
    page.goto(base_url + "/")
    page.locator("table a", has_text="harbour").click()
    page.wait_for_url("**/story/**")
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
