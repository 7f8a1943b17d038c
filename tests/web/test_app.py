"""web: the pages, the JSON API, the feed and the add form over a store; scraped text is escaped and no
script is ever sent."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from newsfold.engine.incremental import ingest_pages
from newsfold.export import ARTICLE_KEYS, STORY_KEYS
from newsfold.feed import ATOM_NS
from newsfold.models import Page
from newsfold.store import Store
from newsfold.web import create_app
from newsfold.web.adding import MAX_UPLOAD_BYTES
from newsfold.web.api import openapi_spec

EVIL = (
    "<script>alert('x')</script> The city council voted on Tuesday to close the old harbour to cargo "
    "ships, a decision that port workers said would cost hundreds of jobs in the town."
)
FIRE = (
    "A forest fire near the northern village of Aldea burned for three days before crews contained it. "
    "Officials said about 400 hectares of pine forest were lost and two houses were damaged by the flames."
)
SAME_ORIGIN = {"origin": "http://testserver"}


def _page(page_id: str, text: str, **hints: str) -> Page:
    return Page(id=page_id, kind="text", content=text + "\n", source_path=page_id, **hints)  # type: ignore[arg-type]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Store(path) as store:
        ingest_pages(
            store,
            [
                _page("dir/evil.txt", EVIL, url="https://www.harbour-news.co.uk/a/1", published="2024-03-02"),
                _page("fire.txt", FIRE, source="Aldea Daily", published="2024-05-06"),
            ],
        )
    return path


@pytest.fixture()
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def _story_id(client: TestClient, word: str) -> str:
    stories = client.get("/api/stories").json()["stories"]
    return next(s["id"] for s in stories if word in (s["headline"] or ""))


def test_index_lists_stories_newest_first_and_escapes_them(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and "<script>" not in response.text
    table = response.text[response.text.index("<table") :]
    assert table.index("forest fire") < table.index("harbour")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src" not in response.headers["content-security-policy"]


def test_index_filters_by_outlet_date_and_flag(client: TestClient) -> None:
    assert "city council" not in client.get("/", params={"outlet": "aldea"}).text
    assert "forest fire" not in client.get("/", params={"to": "2024-04-01"}).text
    assert "1 story match" in client.get("/", params={"from": "2024-04-01"}).text
    assert "0 stories match" in client.get("/", params={"flag": "truncated"}).text


def test_api_stories_pages_with_limit_and_offset(client: TestClient) -> None:
    first = client.get("/api/stories", params={"limit": 1}).json()
    second = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert first["total"] == second["total"] == 2
    assert len(first["stories"]) == 1 and first["stories"][0]["id"] != second["stories"][0]["id"]
    assert tuple(first["stories"][0]) == STORY_KEYS
    assert client.get("/api/stories", params={"limit": 0}).status_code == 400


def test_story_page_shows_outlet_link_and_source_markers(client: TestClient) -> None:
    page = client.get(f"/stories/{_story_id(client, 'harbour')}")
    assert page.status_code == 200
    assert 'href="/articles/dir/evil.txt"' in page.text and "&lt;script&gt;" in page.text
    assert 'href="https://www.harbour-news.co.uk/a/1"' in page.text and "harbour-news.co.uk" in page.text
    assert 'id="source-1"' in page.text and "countries GB" in page.text


def test_old_addresses_redirect(client: TestClient) -> None:
    story_id = _story_id(client, "harbour")
    assert (
        client.get(f"/story/{story_id}", follow_redirects=False).headers["location"] == f"/stories/{story_id}"
    )
    old = client.get("/article/dir/evil.txt", follow_redirects=False)
    assert old.status_code == 301 and old.headers["location"] == "/articles/dir/evil.txt"
    assert client.get("/?q=harbour", follow_redirects=False).headers["location"] == "/search?q=harbour"


def test_article_page_and_api_use_the_path_id(client: TestClient) -> None:
    page = client.get("/articles/dir/evil.txt")
    assert page.status_code == 200 and "harbour-news.co.uk" in page.text and "its story" not in page.text
    data = client.get("/api/articles/dir/evil.txt").json()
    assert tuple(data) == ARTICLE_KEYS and data["outlet"] == "harbour-news.co.uk"


def test_search_marks_words_after_escaping(client: TestClient) -> None:
    page = client.get("/search", params={"q": "harbour"})
    assert "<mark>harbour</mark>" in page.text and "[harbour]" not in page.text
    assert "&lt;script&gt;" in page.text or "<script>" not in page.text


def test_search_filters_and_api(client: TestClient) -> None:
    assert "0 articles match" in client.get("/search", params={"q": "harbour", "outlet": "aldea"}).text
    data = client.get("/api/search", params={"q": "fire", "lang": "en"}).json()
    assert [h["id"] for h in data["hits"]] == ["fire.txt"] and data["hits"][0]["outlet"] == "Aldea Daily"
    assert "\ue000" not in data["hits"][0]["snippet"]
    assert client.get("/api/search").status_code == 400


def test_missing_things_answer_404(client: TestClient) -> None:
    assert client.get("/stories/nope").status_code == 404
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404


def test_atom_feed_parses_and_links_each_story(client: TestClient) -> None:
    response = client.get("/feed.xml")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) == 2
    links = [e.find(f"{{{ATOM_NS}}}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert all(href.startswith("http://testserver/stories/") for href in links)
    assert client.get(links[0].removeprefix("http://testserver")).status_code == 200


def test_openapi_describes_every_exported_key_and_docs_render(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert tuple(schemas["Article"]["properties"]) == ARTICLE_KEYS
    assert tuple(schemas["Story"]["properties"]) == STORY_KEYS
    assert {"/api/stories", "/api/search"} <= set(spec["paths"]) and spec == openapi_spec()
    docs = client.get("/docs")
    assert docs.status_code == 200 and "GET /api/search" in docs.text and "<script" not in docs.text


def test_static_stylesheet_is_served(client: TestClient) -> None:
    response = client.get("/static/newsfold.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]


def test_add_form_ingests_pasted_text_and_shows_its_story(client: TestClient) -> None:
    text = FIRE.replace("three days", "four days") + "\nIt was the worst fire in the region this decade."
    response = client.post(
        "/add",
        data={"text": text, "kind": "text", "outlet": "Valley Post"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303
    story = client.get(response.headers["location"])
    assert "Valley Post" in story.text and "Aldea Daily" in story.text


def test_add_form_refuses_other_origins(client: TestClient) -> None:
    response = client.post("/add", data={"text": FIRE}, headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    assert client.post("/add", data={"text": FIRE}).status_code == 403  # no Origin, no Referer


def test_add_form_rejects_oversized_posts(client: TestClient) -> None:
    headers = {**SAME_ORIGIN, "content-length": str(MAX_UPLOAD_BYTES + 1)}
    assert client.post("/add", content=b"x", headers=headers).status_code == 413


def test_add_form_uploads_jsonl_and_reports_unsupported_files(client: TestClient) -> None:
    record = f'{{"id": "r1", "text": "{FIRE}", "source": "Wire Co", "url": "https://wire.example/r1"}}\n'
    files = [
        ("files", ("feed.jsonl", record.encode(), "application/json")),
        ("files", ("x.pdf", b"%PDF", "x")),
    ]
    response = client.post("/add", files=files, headers=SAME_ORIGIN, follow_redirects=False)
    assert response.status_code == 200 and "x.pdf: unsupported file type" in response.text
    assert client.get("/api/articles/r1").json()["outlet"] == "Wire Co"


def test_an_empty_post_is_a_clear_400(client: TestClient) -> None:
    response = client.post("/add", data={"text": "  "}, headers=SAME_ORIGIN)
    assert response.status_code == 400 and "nothing to add" in response.text


def test_story_page_lists_stories_whose_titles_share_its_words(db: Path) -> None:
    crane = (
        "Two cranes that stood on the quay since 1962 were sold to a scrap dealer for 40,000 euros. "
        "The buyer will take them apart in spring, the port authority said in a statement."
    )
    with Store(db) as store:
        ingest_pages(store, [_page("crane.txt", crane, title="Harbour cranes sold to a scrap dealer")])
    client = TestClient(create_app(db))
    page = client.get(f"/stories/{_story_id(client, 'city council')}").text
    related = page[page.index("Related stories") :]
    assert "Harbour cranes sold" in related and "forest fire" not in related


def test_pasted_html_is_read_as_html_and_its_site_name_is_the_outlet(client: TestClient) -> None:
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in FIRE.split(". "))
    html = (
        "<html><head><title>Fire near Aldea</title><meta property='og:site_name' content='Mountain Gazette'>"
        f"</head><body><article><h1>Fire near Aldea</h1>{paragraphs}</article></body></html>"
    )
    response = client.post("/add", data={"text": html}, headers=SAME_ORIGIN, follow_redirects=False)
    assert response.status_code == 303
    added = response.headers["location"].split("added=")[1]
    assert added.startswith("added%2Fpasted-") and added.endswith(".html")
    assert "Mountain Gazette" in client.get(response.headers["location"]).text


def test_a_store_that_breaks_while_serving_answers_one_line(db: Path) -> None:
    client = TestClient(create_app(db))
    assert client.get("/").status_code == 200
    db.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    fresh = TestClient(create_app(db))
    page = fresh.get("/")
    assert page.status_code == 503 and "the store cannot be read" in page.text
    assert "Traceback" not in page.text
    assert fresh.get("/api/stories").json()["error"].startswith(str(db))


def test_the_feed_follows_the_store_after_an_article_is_added(client: TestClient) -> None:
    def entries() -> int:
        return len(ET.fromstring(client.get("/feed.xml").content).findall(f"{{{ATOM_NS}}}entry"))

    before = entries()
    assert entries() == before  # served again unchanged
    text = "A new library opened in the town centre on Saturday with 30,000 books and a cafe for readers."
    client.post("/add", data={"text": text}, headers=SAME_ORIGIN)
    assert entries() == before + 1


def test_search_pages_with_limit_and_offset(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "the", "limit": 1}).json()
    second = client.get("/api/search", params={"q": "the", "limit": 1, "offset": 1}).json()
    assert first["total"] == second["total"] == 2
    assert [h["id"] for h in first["hits"] + second["hits"]] in (
        ["dir/evil.txt", "fire.txt"],
        ["fire.txt", "dir/evil.txt"],
    )


def test_a_non_web_url_is_never_a_link(db: Path) -> None:
    text = "The museum reopened its east wing on Sunday after two years of repairs to the roof and walls."
    with Store(db) as store:
        ingest_pages(store, [_page("museum.txt", text, url="javascript:alert(1)")])
    client = TestClient(create_app(db))
    article = client.get("/articles/museum.txt").text
    story = client.get(f"/stories/{_story_id(client, 'museum')}").text
    assert 'href="javascript' not in article and 'href="javascript' not in story


def test_a_story_of_many_sources_shows_a_dozen_side_by_side_and_links_the_rest_to_their_rows(
    tmp_path: Path,
) -> None:
    db = tmp_path / "many.db"
    pages = [_page(f"copy{n:02d}.txt", FIRE, source=f"Outlet {n}") for n in range(14)]
    with Store(db) as store:
        ingest_pages(store, pages)
    client = TestClient(create_app(db))
    story = client.get("/api/stories").json()["stories"][0]
    assert len(story["articles"]) == 14
    page = client.get(f"/stories/{story['id']}").text
    assert page.count('<article id="source-') == 12 and "2 more sources are not shown" in page
    assert 'href="#row-14"' in page and 'id="row-14"' in page


def test_thread_page_lists_its_stories_and_the_story_links_it(client: TestClient) -> None:
    story = client.get(f"/api/stories/{_story_id(client, 'fire')}").json()
    assert story["thread"]
    page = client.get(f"/threads/{story['thread']}")
    assert page.status_code == 200 and f'href="/stories/{story["id"]}"' in page.text
    assert f'href="/threads/{story["thread"]}"' in client.get(f"/stories/{story['id']}").text
    assert client.get("/threads/t-nope").status_code == 404


def test_an_address_no_route_takes_is_a_404_in_the_api_s_format(client: TestClient) -> None:
    # The path convertor does not take a newline: the router's own 404, which must still be the API's JSON.
    found = client.get("/api/articles/%0A%12")
    assert found.status_code == 404 and found.json() == {"error": "not found"}
    assert client.get("/nowhere").status_code == 404
