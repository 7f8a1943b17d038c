"""The Starlette app over a newsfold store (`newsfold serve`).

Pages are rendered with Jinja2, autoescaped, and served with a Content-Security-Policy that allows no
scripts at all, so scraped text cannot run in the browser; the stylesheet is served by the app (works
offline). The JSON API under /api returns the documented `--json` objects; /openapi.json describes it.
The app writes to the store only through the add form (`web.adding`): one writer at a time, readers go on
reading (SQLite WAL).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfold.errors import StoreError
from newsfold.settings import Settings
from newsfold.store import Store
from newsfold.web.compare import marked_snippet
from newsfold.web.listing import SNIPPET_MARKS, StoryListing

__all__ = ["CSP", "WebContext", "create_app"]

CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
STATIC = Path(__file__).resolve().parent / "static"


def article_href(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="/")


def story_href(story_id: str) -> str:
    return "/stories/" + quote(story_id, safe="")


def thread_href(thread_id: str) -> str:
    return "/threads/" + quote(thread_id, safe="")


@dataclass
class WebContext:
    """What every handler shares: the store's path, the templates, the story listing, the reader
    connections (one per thread) and the writer lock."""

    db: Path
    settings: Settings
    env: Environment
    listing: StoryListing = field(default_factory=StoryListing)
    writer: threading.Lock = field(default_factory=threading.Lock)
    feed: tuple[tuple[Any, ...], str] | None = None  # (store change mark and base URL, the feed's XML)
    _local: threading.local = field(default_factory=threading.local)
    _opened: list[Store] = field(default_factory=list)
    _opened_lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self) -> Store:
        """This thread's reader connection to the store (opened once)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db, self.settings)
            self._local.store = store
            with self._opened_lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._opened_lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
        self._local = threading.local()

    def render(self, name: str, request: Request, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(request=request, **values)
        return HTMLResponse(html, status_code=status)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsfold", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        article_href=article_href, story_href=story_href, thread_href=thread_href, page_href=page_href
    )
    env.filters["marked"] = lambda snippet: marked_snippet(snippet, SNIPPET_MARKS)
    env.filters["is_web_url"] = lambda url: isinstance(url, str) and url.startswith(("http://", "https://"))
    return env


def page_href(path: str, params: dict[str, str], **changes: Any) -> str:
    """`path` with the query `params` updated by `changes` (a None value removes the parameter)."""
    merged = {**params, **{k: str(v) for k, v in changes.items() if v is not None}}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
    return path + ("?" + urlencode(merged) if merged else "")


def create_app(
    db: str | Path, settings: Settings = Settings(), *, log: Callable[[str], None] | None = None
) -> Starlette:
    """The web app for the store at `db` (which must exist). `log`: where each request's line goes."""
    from newsfold.web.adding import adding_routes
    from newsfold.web.api import api_routes
    from newsfold.web.pages import page_routes

    context = WebContext(db=Path(db), settings=settings, env=_environment())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        context.close()

    routes: list[BaseRoute] = [
        *page_routes(context),
        *api_routes(context),
        *adding_routes(context),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [Middleware(_SecurityHeaders)]
    if log is not None:
        middleware.append(Middleware(_RequestLog, log=log))

    async def store_failed(request: Request, exc: Exception) -> Response:
        """A store that cannot be read answers one line saying so, not a traceback."""
        message = f"{context.db}: the store cannot be read ({exc})"
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=503)
        return PlainTextResponse(message, status_code=503)

    async def not_found(request: Request, exc: Exception) -> Response:
        """An address no route takes (e.g. an id holding a newline): JSON under /api/, as the API's own."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "not found"}, status_code=404)
        return context.render("web_missing.html.j2", request, 404, what=f"page {request.url.path}")

    handlers: dict[Any, Any] = {StoreError: store_failed, sqlite3.Error: store_failed, 404: not_found}
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers=handlers)
    app.state.context = context
    return app


class _SecurityHeaders:
    """No scripts, no framing, no sniffing: scraped text is shown, never run (a pure ASGI middleware, so
    responses stream through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),  # no-referrer makes a browser send "Origin: null"
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _RequestLog:
    """One line per request: method, path, status and milliseconds."""

    def __init__(self, app: ASGIApp, log: Callable[[str], None]) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        import time

        start = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            path = scope.get("path", "")
            query = scope.get("query_string", b"").decode("latin-1")
            took = (time.perf_counter() - start) * 1000
            self.log(
                f"{scope.get('method', '-')} {path}{'?' + query if query else ''} {status} {took:.1f} ms"
            )
