"""web: the pages and the JSON API over a store, escaping scraped text and sending no scripts."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from newsfold.engine.incremental import ingest_pages
from newsfold.models import Page
from newsfold.store import Store
from newsfold.web import create_app

EVIL = (
    "<script>alert('x')</script> The city council voted on Tuesday to close the old harbour to cargo "
    "ships, a decision that port workers said would cost hundreds of jobs in the town."
)


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    db = tmp_path / "news.db"
    with Store(db) as store:
        ingest_pages(
            store, [Page(id="dir/evil.txt", kind="text", content=EVIL + "\n", source_path="dir/evil.txt")]
        )
    return TestClient(create_app(db))


def test_index_lists_stories_and_escapes_them(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "script-src" not in response.headers["content-security-policy"]
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_story_page_links_its_articles(client: TestClient) -> None:
    story = client.get("/api/stories").json()["stories"][0]
    page = client.get(f"/story/{story['id']}")
    assert page.status_code == 200 and 'href="/article/dir/evil.txt"' in page.text
    assert "&lt;script&gt;" in page.text


def test_article_page_and_api_use_the_path_id(client: TestClient) -> None:
    assert client.get("/article/dir/evil.txt").status_code == 200
    data = client.get("/api/articles/dir/evil.txt").json()
    assert data["id"] == "dir/evil.txt" and "harbour" in data["text"]


def test_search_and_missing_things(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "harbour"}).json()["hits"]
    assert [h["id"] for h in hits] == ["dir/evil.txt"]
    assert "harbour" in client.get("/", params={"q": "harbour"}).text
    assert client.get("/story/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404
