"""What the web app lists: stories filtered, sorted and paged, and full-text search with filters.

The story listing is held in memory (one small row per story) and rebuilt only when the store changed
(`Store.change_mark`), so a home page over 10,000 stories filters and sorts rows, not stored JSON.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsfold.feed import story_day
from newsfold.models import Article
from newsfold.outlets import country_of
from newsfold.store import Store

__all__ = [
    "SEARCH_CAP",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "StoryFilters",
    "StoryListing",
    "StoryRow",
    "search_articles",
]

FLAG_KINDS = ("misdated", "truncated", "uncredited-copy")
SORTS = ("newest", "biggest")
# Search ranks at most this many matches before filtering and paging: ten pages of 100 (the API's
# largest page) is more than anyone reads, and it bounds the work of a query matching every article.
SEARCH_CAP = 1000
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MAX_FILTER_CHARS = 200


def _day(value: str | None) -> str | None:
    """A 'YYYY-MM-DD' filter value, None when absent or malformed."""
    value = (value or "").strip()
    return value if _DAY.fullmatch(value) else None


def _text(value: str | None) -> str | None:
    value = " ".join((value or "").split())[:_MAX_FILTER_CHARS]
    return value or None


@dataclass(frozen=True)
class StoryFilters:
    """Which stories to list: a date range (on the story's date), an outlet, a language, a flag kind."""

    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    lang: str | None = None
    flag: str | None = None  # a kind, or "any"
    sort: str = "newest"

    @classmethod
    def of(cls, params: Mapping[str, str]) -> StoryFilters:
        """From query parameters (`from`, `to`, `outlet`, `lang`, `flag`, `sort`); bad values are dropped."""
        flag = params.get("flag") or None
        sort = params.get("sort") or "newest"
        return cls(
            date_from=_day(params.get("from")),
            date_to=_day(params.get("to")),
            outlet=_text(params.get("outlet")),
            lang=_text(params.get("lang")),
            flag=flag if flag in (*FLAG_KINDS, "any") else None,
            sort=sort if sort in SORTS else "newest",
        )

    def params(self) -> dict[str, str]:
        """The query parameters that give these filters back (for paging links)."""
        values = {
            "from": self.date_from,
            "to": self.date_to,
            "outlet": self.outlet,
            "lang": self.lang,
            "flag": self.flag,
            "sort": None if self.sort == "newest" else self.sort,
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class StoryRow:
    """One story as the listing shows it. `date` is its newest article's date, else its event date."""

    id: str
    headline: str | None
    event_date: str | None
    date: str | None
    pages: int
    origins: int
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    countries: tuple[str, ...]
    flags: tuple[str, ...]  # flag kinds, one per flag

    def matches(self, filters: StoryFilters) -> bool:
        if filters.date_from and (not self.date or self.date < filters.date_from):
            return False
        if filters.date_to and (not self.date or self.date > filters.date_to):
            return False
        if filters.outlet:
            wanted = filters.outlet.casefold()
            if not any(wanted in outlet.casefold() for outlet in self.outlets):
                return False
        if filters.lang and filters.lang not in self.languages:
            return False
        if filters.flag == "any":
            return bool(self.flags)
        return not filters.flag or filters.flag in self.flags


def _row(
    story_id: str,
    headline: str | None,
    event_date: str | None,
    pages: int,
    origins: int,
    flags: list[dict[str, Any]],
    sources: list[dict[str, Any]],
) -> StoryRow:
    return StoryRow(
        id=story_id,
        headline=headline,
        event_date=event_date,
        date=story_day({"sources": sources, "event_date": event_date}),
        pages=pages,
        origins=origins or pages,
        outlets=tuple(dict.fromkeys(s["outlet"] for s in sources if s.get("outlet"))),
        languages=tuple(sorted({s["lang"] for s in sources if s.get("lang")})),
        countries=tuple(sorted({s["country"] for s in sources if s.get("country")})),
        flags=tuple(f["kind"] for f in flags),
    )


def sources_from_facts(facts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The `sources` of a story written before stories listed them, from its articles' stored facts."""
    out = []
    for fact in facts:
        article = Article(
            id=fact["id"],
            title=None,
            paragraphs=(),
            url=fact["url"],
            source=fact["source"],
            site_name=fact["site_name"],
        )
        out.append(
            {
                "article": fact["id"],
                "outlet": article.outlet,
                "domain": article.domain,
                "url": fact["url"],
                "title": fact["title"],
                "published": fact["published"],
                "lang": fact["lang"],
                "country": country_of(article.domain),
            }
        )
    return out


@dataclass
class StoryListing:
    """Every story's row, sorted newest first, rebuilt when the store changes; thread-safe."""

    _mark: tuple[int, int] | None = None
    _rows: list[StoryRow] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def rows(self, store: Store) -> list[StoryRow]:
        """The rows of every story, newest first, then biggest."""
        mark = store.change_mark()
        with self._lock:
            if mark != self._mark:
                self._rows = self._build(store)
                self._mark = mark
            return self._rows

    @staticmethod
    def _build(store: Store) -> list[StoryRow]:
        raw = store.story_rows()
        old = [r[0] for r in raw if r[6] is None]
        facts = store.member_facts(old) if old else {}
        rows = []
        for story_id, headline, event_date, pages, origins, flags, sources in raw:
            listed = json.loads(sources) if sources is not None else sources_from_facts(facts[story_id])
            rows.append(_row(story_id, headline, event_date, pages, origins, json.loads(flags), listed))
        rows.sort(key=lambda r: r.id)
        rows.sort(key=lambda r: (r.date or "", r.pages), reverse=True)
        return rows

    def select(
        self, store: Store, filters: StoryFilters, limit: int, offset: int
    ) -> tuple[int, list[StoryRow]]:
        """(how many stories match, the `limit` of them from `offset` on) in the filters' order."""
        found = [r for r in self.rows(store) if r.matches(filters)]
        if filters.sort == "biggest":
            found = sorted(found, key=lambda r: (-r.pages, -r.origins))
        return len(found), found[offset : offset + limit]

    def facets(self, store: Store, top: int = 50) -> tuple[list[str], list[str]]:
        """The `top` most frequent outlets and every language, for the filter form."""
        outlets: Counter[str] = Counter()
        languages: set[str] = set()
        for row in self.rows(store):
            outlets.update(row.outlets)
            languages.update(row.languages)
        return [o for o, _ in outlets.most_common(top)], sorted(languages)


@dataclass(frozen=True)
class SearchFilters:
    """Which matching articles to show: a date range (published), an outlet, a language."""

    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    lang: str | None = None

    @classmethod
    def of(cls, params: Mapping[str, str]) -> SearchFilters:
        return cls(
            date_from=_day(params.get("from")),
            date_to=_day(params.get("to")),
            outlet=_text(params.get("outlet")),
            lang=_text(params.get("lang")),
        )

    def params(self) -> dict[str, str]:
        values = {"from": self.date_from, "to": self.date_to, "outlet": self.outlet, "lang": self.lang}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class SearchHit:
    """One matching article: its id, title, outlet, date, language, story, and a marked snippet."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    lang: str | None
    story: str | None
    snippet: str  # the body around the words found, each found word between SNIPPET_MARKS


@dataclass(frozen=True)
class SearchPage:
    """A page of search hits: how many matched (at most SEARCH_CAP are ranked), and the hits."""

    total: int
    capped: bool
    hits: tuple[SearchHit, ...]


# Private-use characters around each found word in a snippet: never in the markup the app writes, turned
# into <mark> only after the snippet is escaped (web.highlight.marked_snippet).
SNIPPET_MARKS = ("\ue000", "\ue001")


def search_articles(store: Store, query: str, filters: SearchFilters, limit: int, offset: int) -> SearchPage:
    """Full-text search, best first, filtered, one page of it with snippets."""
    matches = store.search_matches(query, SEARCH_CAP)
    kept = []
    for rowid, article_id, title, published, facts_json in matches:
        facts = json.loads(facts_json)
        article = Article(
            id=article_id,
            title=title,
            paragraphs=(),
            url=facts["url"],
            source=facts["source"],
            site_name=facts["site_name"],
        )
        outlet, lang = article.outlet, facts["lang"]
        if filters.date_from and (not published or published < filters.date_from):
            continue
        if filters.date_to and (not published or published > filters.date_to):
            continue
        if filters.outlet and not (outlet and filters.outlet.casefold() in outlet.casefold()):
            continue
        if filters.lang and lang != filters.lang:
            continue
        kept.append((rowid, article_id, title, outlet, facts["url"], published, lang))
    page = kept[offset : offset + limit]
    snippets = store.snippets(query, [row[0] for row in page], SNIPPET_MARKS)
    hits = tuple(
        SearchHit(
            id=article_id,
            title=title,
            outlet=outlet,
            url=url,
            published=published,
            lang=lang,
            story=store.story_of(article_id),
            snippet=snippets.get(rowid, ""),
        )
        for rowid, article_id, title, outlet, url, published, lang in page
    )
    return SearchPage(total=len(kept), capped=len(matches) >= SEARCH_CAP, hits=hits)
