"""The embedded store: one SQLite file holding pages, articles (with FTS5 search), stories and the
incremental clustering state.

A single writer; every ingest runs in one transaction, so a failure leaves what was stored untouched.
Ingesting the same input twice changes nothing: pages are keyed by id and content hash.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newsfold.errors import StoreError
from newsfold.models import Article, InputProblem, Page, RemovedLine, Story
from newsfold.settings import Settings

__all__ = ["IngestReport", "Store", "article_from_dict"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    url TEXT,
    captured TEXT,
    content TEXT NOT NULL,
    seq INTEGER NOT NULL,
    title TEXT,
    published TEXT,
    source TEXT,
    site TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY REFERENCES pages(id),
    title TEXT,
    text TEXT NOT NULL,
    published TEXT,
    data TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    headline TEXT,
    event_date TEXT,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    story_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);
"""
# 2: pages keep the container's hints (title, published, source) and their site, so a stored page can be
# cleaned again exactly (as ingest context); a version-1 store is upgraded in place, nothing lost.
SCHEMA_VERSION = "2"
PAGE_FIELDS = ("id", "kind", "content", "source_path", "url", "title", "published", "source", "captured")
PAGE_COLUMNS = ", ".join(PAGE_FIELDS)


@dataclass
class IngestReport:
    """What one ingest did: new articles, pages already stored, touched stories, rejected inputs."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stories_touched: list[str] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


class Store:
    """A newsfold SQLite store.

    >>> with Store("newsfold.db") as store:           # doctest: +SKIP
    ...     report = store.ingest_pages(pages)
    ...     store.search("Vostochny")
    """

    def __init__(self, path: str | Path, settings: Settings = Settings()) -> None:
        self.path = str(path)
        self.settings = settings
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(SCHEMA)
            self._check_version()
            self._db.execute("CREATE INDEX IF NOT EXISTS pages_site ON pages(site, seq)")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable newsfold store ({exc})") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- reading -------------------------------------------------------------------------------------

    def article_ids(self) -> list[str]:
        """Stored article ids in ingestion order."""
        rows = self._db.execute("SELECT a.id FROM articles a JOIN pages p ON p.id = a.id ORDER BY p.seq")
        return [row[0] for row in rows]

    def articles(self) -> list[Article]:
        """Every stored article, in ingestion order."""
        rows = self._db.execute("SELECT a.data FROM articles a JOIN pages p ON p.id = a.id ORDER BY p.seq")
        return [article_from_dict(json.loads(row[0])) for row in rows]

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_dict(json.loads(row[0])) if row else None

    def page(self, page_id: str) -> Page | None:
        row = self._db.execute(f"SELECT {PAGE_COLUMNS} FROM pages WHERE id = ?", (page_id,)).fetchone()
        return _page_from_row(row) if row else None

    def recent_pages(self, sites: Iterable[str], per_site: int, overall: int) -> list[Page]:
        """The latest `per_site` stored pages of each of `sites` and the latest `overall` pages of any site,
        oldest first: the cross-page context an ingest cleans its new pages with."""
        seqs: set[int] = {
            row[0] for row in self._db.execute("SELECT seq FROM pages ORDER BY seq DESC LIMIT ?", (overall,))
        }
        for site in sorted(set(sites)):
            rows = self._db.execute(
                "SELECT seq FROM pages WHERE site = ? ORDER BY seq DESC LIMIT ?", (site, per_site)
            )
            seqs.update(row[0] for row in rows)
        pages = []
        for seq in sorted(seqs):
            row = self._db.execute(f"SELECT {PAGE_COLUMNS} FROM pages WHERE seq = ?", (seq,)).fetchone()
            pages.append(_page_from_row(row))
        return pages

    def stories(self) -> list[dict[str, Any]]:
        """Every stored story as its JSON dict (the `--json` schema), largest first."""
        rows = self._db.execute("SELECT data FROM stories")
        stories = [json.loads(row[0]) for row in rows]
        return sorted(stories, key=lambda s: (-len(s["articles"]), s["id"]))

    def story(self, story_id: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def story_members(self) -> dict[str, list[str]]:
        """Story id -> member article ids in ingestion order."""
        rows = self._db.execute(
            "SELECT m.story_id, m.article_id FROM story_members m "
            "JOIN pages p ON p.id = m.article_id ORDER BY p.seq"
        )
        members: dict[str, list[str]] = {}
        for story_id, article_id in rows:
            members.setdefault(story_id, []).append(article_id)
        return members

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str | None, str]]:
        """Full-text search over titles and bodies: (article id, title, snippet), best first."""
        try:
            rows = self._db.execute(
                "SELECT a.id, a.title, snippet(articles_fts, 1, '[', ']', ' … ', 12) "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (_fts_query(query), limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [(row[0], row[1], row[2]) for row in rows]

    def get_state(self, key: str) -> Any | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    # -- writing -------------------------------------------------------------------------------------

    def new_pages(self, pages: Sequence[Page]) -> tuple[list[Page], list[str], list[InputProblem]]:
        """Split pages into new ones, ones already stored unchanged, and conflicting ones (problems)."""
        new: list[Page] = []
        unchanged: list[str] = []
        problems: list[InputProblem] = []
        seen: set[str] = set()
        for page in pages:
            row = self._db.execute("SELECT sha256 FROM pages WHERE id = ?", (page.id,)).fetchone()
            if row is None and page.id not in seen:
                new.append(page)
                seen.add(page.id)
            elif row is not None and row[0] == _sha256(page.content):
                unchanged.append(page.id)
            else:
                problems.append(
                    InputProblem(
                        page.source_path or page.id,
                        f"id {page.id!r} is already stored with other content; kept the stored one",
                    )
                )
        return new, unchanged, problems

    def write(
        self,
        pages: Sequence[Page],
        articles: Sequence[Article],
        memberships: dict[str, str],
        stories: Sequence[tuple[Story, dict[str, Any]]],
        dropped_story_ids: Sequence[str],
        state: dict[str, Any],
    ) -> None:
        """Store one ingest atomically: new pages and articles, story membership, rewritten stories."""
        db = self._db
        try:
            with db:  # one transaction: all of it or none of it
                seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM pages").fetchone()[0]
                for offset, page in enumerate(pages, start=1):
                    db.execute(
                        "INSERT INTO pages (id, source_path, kind, sha256, url, captured, content, seq, "
                        "title, published, source, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            page.id,
                            page.source_path,
                            page.kind,
                            _sha256(page.content),
                            page.url,
                            page.captured,
                            page.content,
                            seq + offset,
                            page.title,
                            page.published,
                            page.source,
                            page.site,
                        ),
                    )
                for article in articles:
                    cursor = db.execute(
                        "INSERT INTO articles (id, title, text, published, data) VALUES (?, ?, ?, ?, ?)",
                        (
                            article.id,
                            article.title,
                            article.text,
                            article.published,
                            json.dumps(asdict(article), ensure_ascii=False),
                        ),
                    )
                    db.execute(
                        "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                        (cursor.lastrowid, article.title or "", article.text),
                    )
                db.executemany(
                    "INSERT OR REPLACE INTO story_members (article_id, story_id) VALUES (?, ?)",
                    sorted(memberships.items()),
                )
                db.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in dropped_story_ids])
                for story, data in stories:
                    db.execute(
                        "INSERT OR REPLACE INTO stories (id, headline, event_date, data) VALUES (?, ?, ?, ?)",
                        (story.id, story.headline, story.event_date, json.dumps(data, ensure_ascii=False)),
                    )
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('cluster_state', ?)",
                    (json.dumps(state),),
                )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: could not write the ingest, nothing was changed ({exc})") from exc

    def _check_version(self) -> None:
        with self._db:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
            elif row[0] == "1":
                self._upgrade_from_1()
            elif row[0] != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: store schema version {row[0]}, this newsfold writes {SCHEMA_VERSION}; "
                    "ingest into a new file"
                )


    def _upgrade_from_1(self) -> None:
        """Version 1 lacked the pages' hints: add the columns (empty) and each page's site from its URL."""
        for column in ("title", "published", "source", "site"):
            self._db.execute(f"ALTER TABLE pages ADD COLUMN {column} TEXT")
        rows = self._db.execute("SELECT id, url FROM pages WHERE url IS NOT NULL").fetchall()
        self._db.executemany(
            "UPDATE pages SET site = ? WHERE id = ?",
            [(Page(id=page_id, kind="text", content="", url=url).site, page_id) for page_id, url in rows],
        )
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))


def _page_from_row(row: Sequence[Any]) -> Page:
    return Page(**dict(zip(PAGE_FIELDS, row, strict=True)))


def article_from_dict(data: dict[str, Any]) -> Article:
    """Rebuild an Article from its stored JSON (the dataclass fields, lists for tuples)."""
    values = dict(data)
    values["removed"] = tuple(RemovedLine(**r) for r in values.get("removed", ()))
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
    known = Article.__dataclass_fields__
    return Article(**{k: v for k, v in values.items() if k in known})


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _fts_query(query: str) -> str:
    """Quote each word so user text is never read as FTS5 syntax."""
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)
