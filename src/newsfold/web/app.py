"""A small Starlette app over a newsfold store (`newsfold serve`).

Read-only: it never writes to the store. Pages are rendered with the same Jinja2 partials as the HTML
report, autoescaped, and served with a Content-Security-Policy that allows no scripts, so scraped text
cannot run in the browser. JSON endpoints under /api return the documented `--json` shapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from newsfold.export import article_to_dict
from newsfold.store import Store

__all__ = ["create_app"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
MAX_QUERY_CHARS = 200


def create_app(db: str | Path) -> Starlette:
    """The web app for the store at `db` (which must exist)."""
    db_path = Path(db)
    env = Environment(
        loader=PackageLoader("newsfold", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def render(name: str, status: int = 200, **values: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**values), status_code=status)

    def open_store() -> Store:
        return Store(db_path)

    async def index(request: Request) -> Response:
        query = request.query_params.get("q", "")[:MAX_QUERY_CHARS].strip()
        with open_store() as store:
            stories = store.stories()
            hits = store.search(query) if query else []
        return render(
            "web_index.html.j2", stories=stories, query=query, hits=hits, article_href=_article_href
        )

    async def story_page(request: Request) -> Response:
        story_id = request.path_params["story_id"]
        with open_store() as store:
            story = store.story(story_id)
            if story is None:
                return render("web_missing.html.j2", 404, what=f"story {story_id}")
            articles = {i: a for i in story["articles"] if (a := store.article(i)) is not None}
        return render(
            "web_story.html.j2",
            story=story,
            articles=articles,
            numbers={i: n for n, i in enumerate(story["articles"], start=1)},
            relation={c["article"]: c for c in story["copies"]},
            article_href=_article_href,
        )

    async def article_page(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        with open_store() as store:
            article = store.article(article_id)
        if article is None:
            return render("web_missing.html.j2", 404, what=f"article {article_id}")
        return render("web_article.html.j2", article=article)

    async def api_stories(request: Request) -> Response:
        with open_store() as store:
            return JSONResponse({"stories": store.stories()})

    async def api_story(request: Request) -> Response:
        with open_store() as store:
            story = store.story(request.path_params["story_id"])
        return JSONResponse(story) if story else JSONResponse({"error": "no such story"}, status_code=404)

    async def api_article(request: Request) -> Response:
        with open_store() as store:
            article = store.article(request.path_params["article_id"])
        if article is None:
            return JSONResponse({"error": "no such article"}, status_code=404)
        return JSONResponse(article_to_dict(article))

    async def api_search(request: Request) -> Response:
        query = request.query_params.get("q", "")[:MAX_QUERY_CHARS]
        with open_store() as store:
            hits = store.search(query)
        return JSONResponse({"hits": [{"id": i, "title": t, "snippet": s} for i, t, s in hits]})

    return Starlette(
        routes=[
            Route("/", index),
            Route("/story/{story_id}", story_page),
            Route("/article/{article_id:path}", article_page),
            Route("/api/stories", api_stories),
            Route("/api/stories/{story_id}", api_story),
            Route("/api/articles/{article_id:path}", api_article),
            Route("/api/search", api_search),
        ],
        middleware=[Middleware(_SecurityHeaders)],
    )


class _SecurityHeaders(BaseHTTPMiddleware):
    """No scripts, no framing, no sniffing: scraped text is shown, never run."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


def _article_href(article_id: str) -> str:
    return "/article/" + quote(article_id, safe="/")
