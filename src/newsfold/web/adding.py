"""Adding articles from the browser: paste a page's text or HTML, or upload files; they are read by
`newsfold.read` (the one place raw input is accepted) and ingested into the store incrementally.

The only way the app writes. One writer at a time (a lock; ingest runs in a worker thread, so readers are
served meanwhile from their own connections, SQLite WAL). A form post is accepted only from the app's own
pages (its Origin, else its Referer, must be the app's): another site cannot make a visitor's browser add
pages. The request body is bounded before it is parsed. With several server processes (`serve --workers`)
a lock file beside the store (`<store>.lock`) keeps them to one writer too.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Message

from newsfold.engine.incremental import ingest_pages
from newsfold.errors import StoreError
from newsfold.models import Page
from newsfold.read import SUPPORTED_SUFFIXES, read_many
from newsfold.store import IngestReport, Store
from newsfold.web.app import WebContext, story_href

__all__ = ["ADDED_FOLDER", "MAX_FILES", "MAX_UPLOAD_BYTES", "adding_routes", "same_origin"]

# A whole post: the size of a WARC of a few hundred pages. Each page is cut further at
# ReadSettings.max_page_bytes by the reader.
MAX_UPLOAD_BYTES = 32_000_000
MAX_FILES = 20
ADDED_FOLDER = "added"  # article ids of added pages start with this folder: "added/<file name>"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_LOOKS_HTML = re.compile(r"<(?:!doctype|html|head|body|p|div|article|h1)\b", re.IGNORECASE)


class _TooLarge(Exception):
    pass


def same_origin(request: Request) -> bool:
    """Whether a post comes from the app's own pages: its Origin header (else its Referer) names this host."""
    own = (request.url.scheme, request.url.netloc)
    origin = request.headers.get("origin")
    if origin and origin != "null":
        parts = urlsplit(origin)
        return (parts.scheme, parts.netloc) == own
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return (parts.scheme, parts.netloc) == own
    return False


def _safe_name(name: str) -> str:
    """A file name reduced to letters, digits, dots, dashes and underscores (no folders), at most 100."""
    base = _SAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).lstrip(".")
    return base[-100:] or "upload"


def adding_routes(context: WebContext) -> list[BaseRoute]:
    """GET /add (the form) and POST /add (read and ingest)."""

    def form_page(request: Request, status: int = 200, **values: object) -> Response:
        return context.render(
            "web_add.html.j2",
            request,
            status,
            max_mb=MAX_UPLOAD_BYTES // 1_000_000,
            max_files=MAX_FILES,
            suffixes=SUPPORTED_SUFFIXES,
            **values,
        )

    def ingest(pages: list[Page]) -> tuple[IngestReport, dict[str, str | None]]:
        with context.writer, _process_lock(context.db), Store(context.db, context.settings) as store:
            report = ingest_pages(store, pages, settings=context.settings)
            stories = {i: store.story_of(i) for i in [*report.added, *report.unchanged]}
        return report, stories

    async def show(request: Request) -> Response:
        return form_page(request)

    async def add(request: Request) -> Response:
        if not same_origin(request):
            return form_page(
                request, 403, problems=["this form only accepts posts from this app's own pages"]
            )
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES:
            return form_page(request, 413, problems=[f"the post is over {MAX_UPLOAD_BYTES // 1_000_000} MB"])
        request = _bounded(request)
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=20, max_part_size=MAX_UPLOAD_BYTES)
        except _TooLarge:
            return form_page(request, 413, problems=[f"the post is over {MAX_UPLOAD_BYTES // 1_000_000} MB"])
        except Exception as exc:  # a malformed multipart body: python-multipart's errors vary by version
            return form_page(request, 400, problems=[f"the form could not be read ({exc})"])
        try:
            text = str(form.get("text") or "").replace("\r\n", "\n")
            kind = str(form.get("kind") or "auto")
            outlet = " ".join(str(form.get("outlet") or "").split())[:200] or None
            url = str(form.get("url") or "").strip()[:2000] or None
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
            with tempfile.TemporaryDirectory(prefix="newsfold-add-") as tmp:
                folder = Path(tmp) / ADDED_FOLDER
                folder.mkdir()
                problems: list[str] = []
                pasted: str | None = None
                if text.strip():
                    is_html = kind == "html" or (
                        kind == "auto" and _LOOKS_HTML.search(text[:5000]) is not None
                    )
                    digest = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:12]
                    pasted = f"pasted-{digest}.{'html' if is_html else 'txt'}"
                    (folder / pasted).write_text(text, encoding="utf-8", errors="surrogatepass")
                for upload in uploads:
                    name = _safe_name(upload.filename or "")
                    if not name.lower().endswith(SUPPORTED_SUFFIXES):
                        problems.append(
                            f"{name}: unsupported file type (expected {', '.join(SUPPORTED_SUFFIXES)})"
                        )
                        continue
                    (folder / name).write_bytes(await upload.read())
                if pasted is None and not uploads:
                    return form_page(request, 400, problems=["nothing to add: paste a page or choose files"])
                pages, read_problems = read_many([tmp], settings=context.settings.read)
        finally:
            await form.close()
        problems += [f"{Path(p.path).name}: {p.reason}" for p in read_problems]
        pages = [_with_hints(p, pasted, outlet, url) for p in pages]
        if not pages:
            return form_page(request, 400, problems=problems or ["no page could be read"])
        try:
            report, stories = await run_in_threadpool(ingest, pages)
        except (StoreError, sqlite3.Error) as exc:  # e.g. another process holds the store's write lock
            return form_page(request, 503, problems=[f"{context.db}: could not store the pages ({exc})"])
        problems += [f"{Path(p.path).name}: {p.reason}" for p in report.problems]
        ids = [*report.added, *report.unchanged]
        story_ids = {s for i in ids if (s := stories.get(i))}
        if len(story_ids) == 1 and not problems:
            first = next(i for i in ids if stories.get(i))
            target = f"{story_href(story_ids.pop())}?added={quote(first, safe='')}"
            return RedirectResponse(target, status_code=303)
        return form_page(
            request, 200 if ids else 400, problems=problems, added=[(i, stories.get(i)) for i in ids]
        )

    return [Route("/add", show, methods=["GET"]), Route("/add", add, methods=["POST"])]


def _with_hints(page: Page, pasted: str | None, outlet: str | None, url: str | None) -> Page:
    """The outlet given in the form on a page that names none; the URL on the pasted page only."""
    if pasted and page.id == f"{ADDED_FOLDER}/{pasted}":
        page = replace(page, url=page.url or url)
    if outlet and not page.source:
        page = replace(page, source=outlet)
    return page


@contextmanager
def _process_lock(db: Path) -> Iterator[None]:
    """Held by one process at a time (`serve --workers N` runs several): an exclusive lock on a file
    beside the store (never on the store itself: closing another descriptor of the store's file would drop
    SQLite's own locks)."""
    with open(db.with_name(db.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _bounded(request: Request) -> Request:
    """The request with its body cut off (raising `_TooLarge`) past MAX_UPLOAD_BYTES."""
    receive = request.receive
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_UPLOAD_BYTES:
                raise _TooLarge
        return message

    return Request(request.scope, limited)
