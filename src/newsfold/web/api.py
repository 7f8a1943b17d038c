"""The JSON API under /api (the documented `--json` objects), its OpenAPI description at /openapi.json
and a docs page at /docs rendered from it on the server (no scripts, nothing fetched from elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from newsfold.export import ARTICLE_KEYS, STORY_KEYS, article_to_dict
from newsfold.models import ChangeKind
from newsfold.web.app import WebContext
from newsfold.web.listing import (
    FLAG_KINDS,
    SNIPPET_MARKS,
    SORTS,
    SearchFilters,
    StoryFilters,
    search_articles,
)
from newsfold.web.pages import MAX_QUERY_CHARS, full_story

__all__ = ["MAX_LIMIT", "api_routes", "openapi_spec"]

DEFAULT_LIMIT = 25
MAX_LIMIT = 100  # a page of full stories stays a few MB at most
MAX_OFFSET = 1_000_000


class _BadParameter(ValueError):
    pass


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise _BadParameter(f"{name} must be an integer") from exc
    if not low <= value <= high:
        raise _BadParameter(f"{name} must be between {low} and {high}")
    return value


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def api_routes(context: WebContext) -> list[BaseRoute]:
    """The JSON routes, /openapi.json and /docs."""

    async def stories(request: Request) -> Response:
        try:
            limit = _int(request.query_params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
            offset = _int(request.query_params, "offset", 0, 0, MAX_OFFSET)
        except _BadParameter as exc:
            return _error(str(exc), 400)
        store = context.store()
        total, rows = context.listing.select(store, StoryFilters.of(request.query_params), limit, offset)
        found = [full_story(store, s) for r in rows if (s := store.story(r.id)) is not None]
        return JSONResponse({"total": total, "limit": limit, "offset": offset, "stories": found})

    async def story(request: Request) -> Response:
        store = context.store()
        found = store.story(request.path_params["story_id"])
        return JSONResponse(full_story(store, found)) if found else _error("no such story", 404)

    async def article(request: Request) -> Response:
        found = context.store().article(request.path_params["article_id"])
        return JSONResponse(article_to_dict(found)) if found else _error("no such article", 404)

    async def search(request: Request) -> Response:
        query = request.query_params.get("q", "")[:MAX_QUERY_CHARS].strip()
        try:
            limit = _int(request.query_params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
            offset = _int(request.query_params, "offset", 0, 0, MAX_OFFSET)
        except _BadParameter as exc:
            return _error(str(exc), 400)
        if not query:
            return _error("q is required", 400)
        found = search_articles(context.store(), query, SearchFilters.of(request.query_params), limit, offset)
        hits = [
            {
                "id": h.id,
                "title": h.title,
                "outlet": h.outlet,
                "url": h.url,
                "published": h.published,
                "lang": h.lang,
                "story": h.story,
                "snippet": h.snippet.replace(SNIPPET_MARKS[0], "").replace(SNIPPET_MARKS[1], ""),
            }
            for h in found.hits
        ]
        body = {"total": found.total, "capped": found.capped, "limit": limit, "offset": offset, "hits": hits}
        return JSONResponse(body)

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_spec())

    async def docs(request: Request) -> Response:
        return context.render("web_docs.html.j2", request, spec=openapi_spec())

    return [
        Route("/api/stories", stories),
        Route("/api/stories/{story_id}", story),
        Route("/api/articles/{article_id:path}", article),
        Route("/api/search", search),
        Route("/openapi.json", openapi),
        Route("/docs", docs),
    ]


# -- the OpenAPI description ------------------------------------------------------------------------

_S = {"type": "string"}
_NS = {"type": "string", "nullable": True}
_STRINGS = {"type": "array", "items": _S}
_SOURCED = {"type": "object", "properties": {"text": _S, "sources": _STRINGS}}

_ARTICLE_PROPERTIES: dict[str, Any] = {
    "id": _S,
    "title": _NS,
    "text": _S,
    "published": {**_NS, "format": "date"},
    "published_from": _NS,
    "authors": _STRINGS,
    "credits": _STRINGS,
    "dateline": _NS,
    "captions": _STRINGS,
    "lang": _NS,
    "url": _NS,
    "domain": _NS,
    "outlet": _NS,
    "dates_mentioned": _STRINGS,
    "removed": {
        "type": "array",
        "items": {"type": "object", "properties": {"line": {"type": "integer"}, "reason": _S}},
    },
}
_STORY_PROPERTIES: dict[str, Any] = {
    "id": _S,
    "headline": _NS,
    "articles": _STRINGS,
    "origins": {"type": "array", "items": _STRINGS},
    "copies": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "article": _S,
                "of": _S,
                "relation": {"type": "string", "enum": ["copy", "excerpt", "version"]},
                "shared": {"type": "number"},
                "adds": _STRINGS,
                "lacks": _STRINGS,
            },
        },
    },
    "event_date": {**_NS, "format": "date"},
    "sources": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                k: _S if k == "article" else _NS
                for k in ("article", "outlet", "domain", "url", "title", "published", "lang", "country")
            },
        },
    },
    "coverage": {
        "type": "object",
        "properties": {
            "pages": {"type": "integer"},
            "outlets": {"type": "integer"},
            "origins": {"type": "integer"},
            "languages": _STRINGS,
            "countries": _STRINGS,
        },
    },
    "summary": {"type": "array", "items": _SOURCED},
    "adds": {"type": "array", "items": _SOURCED},
    "quotes": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "text": _S,
                "speaker": _NS,
                "sources": _STRINGS,
                "variants": {"type": "array", "items": _SOURCED},
            },
        },
    },
    "discrepancies": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"about": _S, "variants": {"type": "array", "items": _SOURCED}},
        },
    },
    "changes": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "article": _S,
                "of": _S,
                "kind": {"type": "string", "enum": list(get_args(ChangeKind))},
                "before": _NS,
                "after": _NS,
            },
        },
    },
    "flags": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"article": _S, "kind": {"type": "string", "enum": list(FLAG_KINDS)}, "detail": _S},
        },
    },
    "thread": _NS,
    "related": _STRINGS,
}


def _query(
    name: str, description: str, schema: dict[str, Any] | None = None, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or _S,
    }


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": _S}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _ok({"type": "object", "properties": {"error": _S}}, "one line saying what is wrong")


def _described(keys: tuple[str, ...], known: dict[str, Any]) -> dict[str, Any]:
    """Every exported key in export order, with its schema here (any value for a key this module has not
    described yet: see the README's table)."""
    return {key: known.get(key, {}) for key in keys}


def openapi_spec() -> dict[str, Any]:
    """The OpenAPI 3 description of the JSON API (its schemas are the README's `--json` tables)."""
    paging = [
        _query(
            "limit",
            f"how many (1-{MAX_LIMIT}, default {DEFAULT_LIMIT})",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        ),
        _query(
            "offset", "how many to skip (default 0)", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}
        ),
    ]
    dates = [
        _query("from", "on or after this day", {"type": "string", "format": "date"}),
        _query("to", "on or before this day", {"type": "string", "format": "date"}),
        _query("outlet", "an outlet's name or domain, or part of it (case-insensitive)"),
        _query("lang", "an ISO 639-1 language code"),
    ]
    hit = {
        "type": "object",
        "properties": {
            "id": _S,
            "title": _NS,
            "outlet": _NS,
            "url": _NS,
            "published": _NS,
            "lang": _NS,
            "story": _NS,
            "snippet": _S,
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "newsfold",
            "version": "1",
            "description": "Stories folded from scraped news: each with its sources, who copied whom, "
            "quotes, discrepancies, changes and flags. The objects are those the command line prints with "
            "--json.",
        },
        "paths": {
            "/api/stories": {
                "get": {
                    "summary": "Stories, newest first (or biggest), filtered and paged",
                    "parameters": [
                        *paging,
                        *dates,
                        _query(
                            "flag",
                            "stories with a flag of this kind, or any",
                            {"type": "string", "enum": [*FLAG_KINDS, "any"]},
                        ),
                        _query(
                            "sort", "newest (default) or biggest", {"type": "string", "enum": list(SORTS)}
                        ),
                    ],
                    "responses": {
                        "200": _ok(
                            {
                                "type": "object",
                                "properties": {
                                    "total": {"type": "integer"},
                                    "limit": {"type": "integer"},
                                    "offset": {"type": "integer"},
                                    "stories": {"type": "array", "items": _ref("Story")},
                                },
                            },
                            "a page of stories and how many match",
                        ),
                        "400": _ERROR,
                    },
                }
            },
            "/api/stories/{story_id}": {
                "get": {
                    "summary": "One story",
                    "parameters": [_path("story_id", "the story's id")],
                    "responses": {"200": _ok(_ref("Story"), "the story"), "404": _ERROR},
                }
            },
            "/api/articles/{article_id}": {
                "get": {
                    "summary": "One article (its id may hold slashes)",
                    "parameters": [_path("article_id", "the article's id")],
                    "responses": {"200": _ok(_ref("Article"), "the article"), "404": _ERROR},
                }
            },
            "/api/search": {
                "get": {
                    "summary": "Full-text search over titles and bodies, best first, filtered and paged",
                    "parameters": [
                        _query(
                            "q",
                            "the words to find (not blank)",
                            {"type": "string", "minLength": 1, "pattern": r"\S"},
                            required=True,
                        ),
                        *paging,
                        *dates,
                    ],
                    "responses": {
                        "200": _ok(
                            {
                                "type": "object",
                                "properties": {
                                    "total": {"type": "integer"},
                                    "capped": {"type": "boolean"},
                                    "limit": {"type": "integer"},
                                    "offset": {"type": "integer"},
                                    "hits": {"type": "array", "items": hit},
                                },
                            },
                            "a page of matching articles (at most the first 1000 are ranked: `capped`)",
                        ),
                        "400": _ERROR,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Article": {"type": "object", "properties": _described(ARTICLE_KEYS, _ARTICLE_PROPERTIES)},
                "Story": {"type": "object", "properties": _described(STORY_KEYS, _STORY_PROPERTIES)},
            }
        },
    }
