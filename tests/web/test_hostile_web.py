"""hostile web input: XSS payloads through every field the web app and the HTML report show come out inert;
path traversal, SQL injection and oversized requests get a 404 or an answer, never a 500 or a file.

New routes: add them to `HTML_ROUTES` / `JSON_ROUTES` (a URL template filled from the hostile store) and to
`PATH_ROUTES` (a route with a path parameter); every test below then covers them.
"""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.etree
import lxml.html
import pytest
from starlette.testclient import TestClient

from newsfold.engine.local import stories_for
from newsfold.export import story_to_dict
from newsfold.models import Article, FoldResult, InputProblem, Page, RemovedLine
from newsfold.report import render_report
from newsfold.store import Store
from newsfold.syndication import find_origins
from newsfold.web import create_app

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.test">',
    "<base href=https://evil.test/>",
    "{{ 7*7 }}{% raw %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<object data=x></object><embed src=x>",
    "\u2028\u2029<!--",
]
DANGEROUS_TAGS = {
    "script",
    "img",
    "svg",
    "iframe",
    "object",
    "embed",
    "base",
    "meta",
    "frame",
}  # the app's own search form and stylesheet link are allowed: their URLs are checked like every URL


def _hostile_articles() -> list[Article]:
    body = (
        "The council voted on Tuesday to close the old harbour bridge for two years of repairs, the mayor",
        "Engineers said the crossing had been unsafe since the spring floods damaged two of its pillars.",
    )
    articles = []
    for n, payload in enumerate(XSS):
        quote_line = f"“{payload} we will rebuild it,” said {payload}."
        articles.append(
            Article(
                id=f"{n}/{payload}",
                title=f"Bridge {payload}",
                paragraphs=(f"{body[0]} {payload}", body[1], quote_line),
                published="2023-09-14",
                authors=(payload,),
                credits=(payload,),
                dateline=payload,
                captions=(payload,),
                removed=(RemovedLine(1, payload, "navigation"),),
                url=f"javascript:alert({n})",
                source=payload,
            )
        )
    return articles


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Article], FoldResult]:
    articles = _hostile_articles()
    groups = find_origins(articles)
    stories = stories_for([tuple(a.id for a in articles)], articles, groups)
    db = tmp_path_factory.mktemp("hostile") / "news.db"
    pages = [Page(id=a.id, kind="text", content="\n".join(a.paragraphs), url=a.url) for a in articles]
    memberships = {a.id: stories[0].id for a in articles}
    with Store(db) as store:
        store.write(pages, articles, memberships, [(s, story_to_dict(s)) for s in stories], [], {})
    problems = [InputProblem(f"feed.jsonl:{n}", payload) for n, payload in enumerate(XSS)]
    return db, articles, FoldResult(articles=articles, stories=stories, problems=problems)


@pytest.fixture(scope="module")
def client(hostile: tuple[Path, list[Article], FoldResult]) -> TestClient:
    return TestClient(create_app(hostile[0]))


def _urls(templates: list[str], hostile: tuple[Path, list[Article], FoldResult]) -> list[str]:
    _, articles, result = hostile
    urls = []
    for template in templates:
        for article in articles[:: 3 if "{article}" in template else len(articles)]:
            urls.append(
                template.format(
                    article=quote(article.id, safe="/"),
                    story=result.stories[0].id,
                    query=quote(XSS[0]),
                )
            )
    return urls


HTML_ROUTES = [
    "/",
    "/?q=bridge",
    "/?q={query}",
    "/search?q=bridge",
    "/search?q={query}",
    "/stories/{story}",
    "/articles/{article}",
    "/story/{story}",  # old addresses: redirected, then the same checks
    "/article/{article}",
    "/add",
]
JSON_ROUTES = [
    "/api/stories",
    "/api/stories/{story}",
    "/api/articles/{article}",
    "/api/search?q=bridge",
    "/openapi.json",
]
PATH_ROUTES = [
    "/stories/{}",
    "/articles/{}",
    "/story/{}",
    "/article/{}",
    "/api/stories/{}",
    "/api/articles/{}",
    "/static/{}",
]


def assert_inert(html: str) -> None:
    """No element, attribute or URL of the page can run script or leave the page."""
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        own_meta = tag == "meta" and element.get("http-equiv", "content-security-policy").lower() in (
            "content-security-policy"
        )  # the page's charset, viewport and CSP; never a refresh
        assert tag not in DANGEROUS_TAGS or own_meta, (tag, dict(element.attrib))
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (tag, name)
            squashed = "".join(value.split()).lower()
            if name.lower() in {"href", "src", "action", "formaction"}:
                target = urlsplit(squashed)
                assert target.scheme in ("", "http", "https"), (tag, name, value)
                assert "evil" not in target.netloc, (tag, name, value)
                if tag == "link":  # a stylesheet of the app itself, never another site's
                    assert not target.scheme and not target.netloc, (tag, name, value)
            if name.lower() == "style":
                assert "javascript:" not in squashed and "url(" not in squashed, (tag, name, value)


def test_the_xss_corpus_is_shown_escaped_on_every_html_page(client: TestClient, hostile) -> None:
    urls = _urls(HTML_ROUTES, hostile)
    shown = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        assert_inert(response.text)
        shown += "alert(1)" in lxml.html.document_fromstring(response.text).text_content()
    assert (
        shown >= len(urls) - 1
    )  # the payloads are on the pages, as text (the index without q may not show one)


def test_json_answers_are_json_and_never_sniffed_as_html(client: TestClient, hostile) -> None:
    for url in _urls(JSON_ROUTES, hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
        response.json()


def test_the_html_report_shows_the_xss_corpus_inert(hostile) -> None:
    html = render_report(hostile[2])
    assert_inert(html)
    text = lxml.html.document_fromstring(html).text_content()
    assert all(payload.strip() in text for payload in XSS[:3])  # shown, as text


TRAVERSALS = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "....//....//etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd",
    "%00",
    "a%00/../../etc/passwd",
    "%252e%252e%252fetc%252fpasswd",
    "x" * 60_000,
    quote(XSS[0]),
]


@pytest.mark.parametrize("route", PATH_ROUTES)
def test_path_traversal_on_every_path_parameter_finds_nothing(client: TestClient, route: str) -> None:
    for attempt in TRAVERSALS:
        response = client.get(route.format(attempt))
        assert response.status_code in (404, 200), (route, attempt, response.status_code)
        assert "root:x:0:0" not in response.text and "[fonts]" not in response.text
        if response.headers["content-type"].startswith("text/html"):
            assert_inert(response.text)


SQL = [
    "' OR 1=1 --",
    '" OR ""="',
    "'; DROP TABLE articles; --",
    "%' UNION SELECT id, data, data FROM pages --",
    "bridge') OR ('1'='1",
    "articles_fts MATCH '*'",
    "1; ATTACH DATABASE '/tmp/x.db' AS x; --",
]


@pytest.mark.parametrize("path", ["/api/search", "/"])
def test_sql_injection_through_search_is_only_text(client: TestClient, hostile, path: str) -> None:
    db = hostile[0]
    before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    for attempt in SQL:
        response = client.get(path, params={"q": attempt})
        assert response.status_code == 200, attempt
        if path == "/api/search":
            assert len(response.json()["hits"]) < before  # not "every row"
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == before
    assert not Path("/tmp/x.db").exists()


def test_oversized_requests_are_bounded(client: TestClient) -> None:
    # ~64 KB: the longest URL component the client sends (a server in front answers 414 past its own bound)
    response = client.get("/api/search", params={"q": "bridge " * 9_000})
    assert response.status_code == 200 and len(response.content) < 100_000
    page = client.get("/", params={"q": "<script>" * 2_000})
    assert page.status_code == 200 and len(page.text) < 200_000
    assert_inert(page.text)
    assert client.post("/", content=b"x" * 10_000_000).status_code in (405, 413)
    assert client.get("/story/" + "s" * 60_000).status_code in (404, 414)


def test_the_atom_feed_carries_the_xss_corpus_as_text(client: TestClient) -> None:
    response = client.get("/feed.xml")
    assert response.status_code == 200
    feed = lxml.etree.fromstring(response.content)  # escaped, so still well-formed XML
    names = {lxml.etree.QName(el).localname.lower() for el in feed.iter() if isinstance(el.tag, str)}
    assert not names & DANGEROUS_TAGS
    assert "alert(1)" in "".join(feed.itertext())


def test_oversized_and_foreign_uploads_are_refused_not_failed(client: TestClient, hostile) -> None:
    db = hostile[0]
    before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    own = {"origin": "http://testserver"}
    big = client.post("/add", headers=own, files={"files": ("big.txt", b"word " * 8_000_000, "text/plain")})
    assert big.status_code in (400, 413), big.status_code  # 40 MB: over the upload bound
    foreign = client.post(
        "/add", headers={"origin": "https://evil.test"}, files={"files": ("x.txt", b"text", "text/plain")}
    )
    assert foreign.status_code in (400, 403), foreign.status_code
    bomb = client.post(
        "/add",
        headers=own,
        files={"files": ("x.jsonl.gz", gzip.compress(b" " * 50_000_000), "application/gzip")},
    )
    assert bomb.status_code < 500, bomb.status_code
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == before
