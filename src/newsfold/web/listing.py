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
from dataclasses import dataclass, field, replace
from typing import Any, get_args

import numpy as np

from newsfold.feed import story_day
from newsfold.models import Article, FlagKind
from newsfold.outlets import country_of
from newsfold.store import Store

__all__ = [
    "FLAG_KINDS",
    "SEARCH_CAP",
    "SNIPPET_MARKS",
    "SORTS",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "StoryFilters",
    "StoryListing",
    "StoryRow",
    "search_articles",
    "sources_from_facts",
]

FLAG_KINDS: tuple[str, ...] = get_args(FlagKind)
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
class _Built:
    """The listing as built at one state of the store: rows newest first, and what filters them fast
    (10,000 stories filtered row by row in Python took 10-25 ms; these masks take well under 1 ms).

    `dates`: each row's date ("" when none); `by_lang`, `by_flag`, `by_outlet` (case-folded): the row
    positions holding each; `flagged`: rows with any flag; `biggest`: row positions, biggest first."""

    newest: list[StoryRow]
    dates: np.ndarray
    by_lang: dict[str, np.ndarray]
    by_flag: dict[str, np.ndarray]
    by_outlet: dict[str, np.ndarray]
    flagged: np.ndarray
    biggest: np.ndarray
    outlets: list[str]  # most frequent first
    languages: list[str]

    def mask(self, filters: StoryFilters) -> np.ndarray:
        """Which rows the filters keep."""
        keep = np.ones(len(self.newest), dtype=bool)
        if filters.date_from:
            keep &= self.dates >= filters.date_from
        if filters.date_to:
            keep &= (self.dates <= filters.date_to) & (self.dates != "")
        if filters.lang:
            keep &= self._rows_in([self.by_lang.get(filters.lang)])
        if filters.flag == "any":
            keep &= self.flagged
        elif filters.flag:
            keep &= self._rows_in([self.by_flag.get(filters.flag)])
        if filters.outlet:
            wanted = filters.outlet.casefold()
            keep &= self._rows_in([rows for name, rows in self.by_outlet.items() if wanted in name])
        return keep

    def _rows_in(self, groups: Sequence[np.ndarray | None]) -> np.ndarray:
        out = np.zeros(len(self.newest), dtype=bool)
        for rows in groups:
            if rows is not None:
                out[rows] = True
        return out


def _positions(keys_per_row: Sequence[Sequence[str]]) -> dict[str, np.ndarray]:
    """Each key -> the positions of the rows holding it."""
    out: dict[str, list[int]] = {}
    for n, keys in enumerate(keys_per_row):
        for key in set(keys):
            out.setdefault(key, []).append(n)
    return {key: np.array(rows, dtype=np.int64) for key, rows in out.items()}


@dataclass
class StoryListing:
    """Every story's row, sorted, rebuilt when the store changes (`Store.change_mark`); thread-safe."""

    top_outlets: int = 50  # outlets offered in the filter form: a datalist longer than this is not read
    _mark: tuple[int, ...] | None = None
    _built: _Built | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _current(self, store: Store) -> _Built:
        mark = store.change_mark()
        with self._lock:
            if self._built is None or mark != self._mark:
                self._built = self._build(store)
                self._mark = mark
            return self._built

    def rows(self, store: Store) -> list[StoryRow]:
        """The rows of every story, newest first, then biggest."""
        return self._current(store).newest

    def _build(self, store: Store) -> _Built:
        raw = store.story_rows()
        old = [r[0] for r in raw if r[6] is None]
        facts = store.member_facts(old) if old else {}
        rows = []
        for story_id, headline, event_date, pages, origins, flags, sources in raw:
            listed = json.loads(sources) if sources is not None else sources_from_facts(facts[story_id])
            rows.append(_row(story_id, headline, event_date, pages, origins, json.loads(flags), listed))
        rows.sort(key=lambda r: r.id)
        rows.sort(key=lambda r: (r.date or "", r.pages), reverse=True)
        outlets: Counter[str] = Counter()
        for row in rows:
            outlets.update(row.outlets)
        by_lang = _positions([r.languages for r in rows])
        biggest = sorted(range(len(rows)), key=lambda n: (-rows[n].pages, -rows[n].origins))
        return _Built(
            newest=rows,
            dates=np.array([r.date or "" for r in rows], dtype="U10"),
            by_lang=by_lang,
            by_flag=_positions([r.flags for r in rows]),
            by_outlet=_positions([[o.casefold() for o in r.outlets] for r in rows]),
            flagged=np.array([bool(r.flags) for r in rows], dtype=bool),
            biggest=np.array(biggest, dtype=np.int64),
            outlets=[o for o, _ in outlets.most_common(self.top_outlets)],
            languages=sorted(by_lang),
        )

    def select(
        self, store: Store, filters: StoryFilters, limit: int, offset: int
    ) -> tuple[int, list[StoryRow]]:
        """(how many stories match, the `limit` of them from `offset` on) in the filters' order."""
        built = self._current(store)
        if replace(filters, sort="newest") == StoryFilters():
            order = built.biggest if filters.sort == "biggest" else None
            total = len(built.newest)
            if order is None:
                return total, built.newest[offset : offset + limit]
            return total, [built.newest[n] for n in order[offset : offset + limit]]
        keep = built.mask(filters)
        positions = built.biggest[keep[built.biggest]] if filters.sort == "biggest" else np.flatnonzero(keep)
        return len(positions), [built.newest[n] for n in positions[offset : offset + limit]]

    def facets(self, store: Store) -> tuple[list[str], list[str]]:
        """The most frequent outlets and every language, for the filter form."""
        built = self._current(store)
        return built.outlets, built.languages


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


def search_articles(
    store: Store, query: str, filters: SearchFilters, limit: int, offset: int
) -> SearchPage:
    """Full-text search, best first, filtered, one page of it with snippets."""
    matches = store.search_matches(query, SEARCH_CAP)
    filtered = bool(filters.params())
    # Without filters only the page's articles are read; with them, every match's small facts.
    wanted = matches if filtered else matches[offset : offset + limit]
    facts = store.article_facts(wanted)
    kept = []
    for rowid in wanted:
        if rowid not in facts:
            continue
        article_id, title, published, facts_json = facts[rowid]
        small = json.loads(facts_json)
        article = Article(
            id=article_id,
            title=title,
            paragraphs=(),
            url=small["url"],
            source=small["source"],
            site_name=small["site_name"],
        )
        outlet, lang = article.outlet, small["lang"]
        if filtered:
            if filters.date_from and (not published or published < filters.date_from):
                continue
            if filters.date_to and (not published or published > filters.date_to):
                continue
            if filters.outlet and not (outlet and filters.outlet.casefold() in outlet.casefold()):
                continue
            if filters.lang and lang != filters.lang:
                continue
        kept.append((rowid, article_id, title, outlet, small["url"], published, lang))
    page = kept[offset : offset + limit] if filtered else kept
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
    total = len(kept) if filtered else len(matches)
    return SearchPage(total=total, capped=len(matches) >= SEARCH_CAP, hits=hits)
