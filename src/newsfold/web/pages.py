"""The HTML pages: stories (filtered, paged), a story with its sources compared, an article, search, and
the Atom feed. Old addresses (`/story/{id}`, `/article/{id}`, `/?q=`) redirect to the new ones."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from newsfold.feed import atom_feed
from newsfold.models import Article, ArticleSource, Story
from newsfold.outlets import coverage_of
from newsfold.store import Store
from newsfold.web.app import WebContext, article_href, story_href
from newsfold.web.compare import copy_tree, marked_paragraphs, timeline
from newsfold.web.listing import FLAG_KINDS, SearchFilters, StoryFilters, search_articles, sources_from_facts

__all__ = ["FEED_SIZE", "PAGE_SIZE", "full_story", "page_routes", "parse_page"]

PAGE_SIZE = 25  # stories or search hits a page: a screenful or two of rows
FEED_SIZE = 50  # newest stories in the Atom feed
MAX_QUERY_CHARS = 200
MAX_PAGE = 10_000
# Sources shown in full side by side: a dozen columns already need scrolling; past it, each source
# opens from the sources table (and the page stays a few hundred KB for a story of hundreds of pages).
MAX_COMPARED = 12
# Removed lines listed on an article page: a page dump of thousands of lines (link farms) stays readable;
# the JSON has them all.
MAX_REMOVED_SHOWN = 1000
# Related stories: the headline's 6 longest words (long words name things; short ones are glue), the 40
# articles whose titles match best, the first 5 other stories among them: a short list that reads at a glance.
RELATED_WORDS = 6
RELATED_POOL = 40
RELATED_STORIES = 5


def parse_page(params: Mapping[str, str]) -> int:
    """The 1-based page number of `?page=`, 1 when absent or malformed."""
    try:
        return min(max(int(params.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


def full_story(store: Store, story: dict[str, Any]) -> dict[str, Any]:
    """A stored story with `sources` and `coverage` (read from its articles when it was written without)."""
    if "sources" not in story:
        story = {**story, "sources": sources_from_facts(store.member_facts([story["id"]])[story["id"]])}
    if "coverage" not in story:
        as_story = Story(
            id=story["id"],
            headline=story.get("headline"),
            articles=tuple(story["articles"]),
            origins=tuple(tuple(o) for o in story.get("origins") or ()),
            sources=tuple(ArticleSource(**s) for s in story["sources"]),
        )
        coverage = coverage_of(as_story)
        story = {**story, "coverage": {**coverage.__dict__}}
    return story


def _related(store: Store, story: dict[str, Any]) -> list[str]:
    """Other stories whose articles' titles best match the headline's longest words (any of them)."""
    words = sorted(set(re.findall(r"\w{5,}", story.get("headline") or "")), key=len, reverse=True)
    if not words:
        return []
    rowids = store.search_matches(" ".join(words[:RELATED_WORDS]), RELATED_POOL, titles_any_word=True)
    return [i for i in store.stories_of_rows(rowids) if i != story["id"]][:RELATED_STORIES]


def page_routes(context: WebContext) -> list[BaseRoute]:
    """The HTML routes of the app."""

    async def index(request: Request) -> Response:
        if "q" in request.query_params:  # the old search address
            return RedirectResponse("/search?" + str(request.query_params), status_code=301)
        store = context.store()
        filters = StoryFilters.of(request.query_params)
        page = parse_page(request.query_params)
        total, rows = context.listing.select(store, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        outlets, languages = context.listing.facets(store)
        return context.render(
            "web_index.html.j2",
            request,
            rows=rows,
            total=total,
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
            filters=filters,
            params=filters.params(),
            outlets=outlets,
            languages=languages,
            flag_kinds=FLAG_KINDS,
        )

    async def story_page(request: Request) -> Response:
        story_id = request.path_params["story_id"]
        store = context.store()
        stored = store.story(story_id)
        if stored is None:
            return context.render("web_missing.html.j2", request, 404, what=f"story {story_id}")
        story = full_story(store, stored)
        articles: dict[str, Article] = {
            i: a for i in story["articles"] if (a := store.article(i)) is not None
        }
        numbers = {i: n for n, i in enumerate(story["articles"], start=1)}
        related_ids = _related(store, story)
        headlines = store.headlines(related_ids)
        related = [(i, headlines[i]) for i in related_ids if i in headlines]
        return context.render(
            "web_story.html.j2",
            request,
            related=related,
            story=story,
            articles=articles,
            numbers=numbers,
            relation={c["article"]: c for c in story["copies"]},
            outlets={s["article"]: s for s in story["sources"]},
            marked={
                i: marked_paragraphs(articles[i], story, numbers)
                for i in story["articles"][:MAX_COMPARED]
                if i in articles
            },
            more=max(0, len(story["articles"]) - MAX_COMPARED),
            tree=copy_tree(story),
            days=timeline(story, articles),
            added=request.query_params.get("added"),
        )

    async def article_page(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        store = context.store()
        article = store.article(article_id)
        if article is None:
            return context.render("web_missing.html.j2", request, 404, what=f"article {article_id}")
        story_id = store.story_of(article_id)
        story = store.story(story_id) if story_id else None
        link = next((c for c in (story or {}).get("copies", []) if c["article"] == article_id), None)
        return context.render(
            "web_article.html.j2",
            request,
            article=article,
            story=story,
            flags=[f for f in (story or {}).get("flags", []) if f["article"] == article_id],
            link=link,
            max_removed=MAX_REMOVED_SHOWN,
        )

    async def search_page(request: Request) -> Response:
        query = request.query_params.get("q", "")[:MAX_QUERY_CHARS].strip()
        filters = SearchFilters.of(request.query_params)
        page = parse_page(request.query_params)
        store = context.store()
        found = search_articles(store, query, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE) if query else None
        _, languages = context.listing.facets(store)
        total = found.total if found else 0
        return context.render(
            "web_search.html.j2",
            request,
            query=query,
            found=found,
            filters=filters,
            params={"q": query, **filters.params()},
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
            page_size=PAGE_SIZE,
            languages=languages,
        )

    async def feed(request: Request) -> Response:
        store = context.store()
        key = (store.change_mark(), str(request.base_url))
        if context.feed is None or context.feed[0] != key:  # made again only when the store changed
            rows = context.listing.rows(store)[:FEED_SIZE]
            stories = [full_story(store, s) for r in rows if (s := store.story(r.id)) is not None]
            context.feed = (key, atom_feed(stories, key[1]))
        return Response(context.feed[1], media_type="application/atom+xml; charset=utf-8")

    async def old_story(request: Request) -> Response:
        return RedirectResponse(story_href(request.path_params["story_id"]), status_code=301)

    async def old_article(request: Request) -> Response:
        return RedirectResponse(article_href(request.path_params["article_id"]), status_code=301)

    return [
        Route("/", index),
        Route("/stories/{story_id}", story_page),
        Route("/articles/{article_id:path}", article_page),
        Route("/search", search_page),
        Route("/feed.xml", feed),
        Route("/story/{story_id}", old_story),
        Route("/article/{article_id:path}", old_article),
    ]
