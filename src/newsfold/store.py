"""The embedded store: one SQLite file holding pages, articles (with FTS5 search), stories and the
incremental clustering state.

Writers take turns: an ingest batch is one transaction holding the write lock from reading the stored
state to writing (`transaction`), so a failure, a kill or a second writer leaves what was stored
untouched; readers never wait (WAL) and see each batch whole or not at all.
Ingesting the same input twice changes nothing: pages are keyed by id and content hash. A new capture
of a stored id (other content) is stored beside it (`new_pages`), never dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, MutableSequence, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any, overload

import numpy as np

from newsfold.cluster.profile import Profile, word_frequencies, word_list_source
from newsfold.cluster.threads import StoryFacts, ThreadPair
from newsfold.errors import StoreError
from newsfold.models import (
    Article,
    CopyLink,
    InputProblem,
    NewPages,
    OriginGroup,
    Page,
    RemovedLine,
    Story,
    article_record,
)
from newsfold.read import id_candidates
from newsfold.settings import Settings, SyndicationSettings
from newsfold.syndication.evidence import split_for_evidence
from newsfold.syndication.passages import LeadSentence, LineCache, PageText, Passage

__all__ = [
    "IngestReport",
    "OriginsUpdate",
    "Store",
    "StoredPostings",
    "StoredProfiles",
    "ThreadsUpdate",
    "article_from_dict",
    "group_from_dict",
    "store_error",
    "text_record",
]

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
CREATE TABLE IF NOT EXISTS evidence (
    article_id TEXT NOT NULL REFERENCES articles(id),
    kind TEXT NOT NULL,
    key INTEGER NOT NULL,
    bucket INTEGER
);
CREATE INDEX IF NOT EXISTS evidence_key ON evidence(kind, key);
CREATE INDEX IF NOT EXISTS evidence_article ON evidence(article_id);
CREATE INDEX IF NOT EXISTS evidence_bucket ON evidence(bucket) WHERE bucket IS NOT NULL;
-- Each article's text as copy detection splits it (`syndication.evidence.split_for_evidence`, with the
-- settings recorded as 'origins_settings'), so that an ingest re-running `find_origins` over the stored
-- articles it reaches reads their splits instead of splitting them again (`Store.article_texts`), and its
-- evidence rows packed (`Store.evidence_of`: one row an article, where the `evidence` table has ~30).
CREATE TABLE IF NOT EXISTS article_texts (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data BLOB NOT NULL,
    evidence BLOB
);
-- The clustering's word list (`cluster.profile.word_frequencies`), copied once (the list named by
-- 'word_list_source'), so that an ingest looks up its new articles' words here rather than decompress and
-- unpack the whole list (`Store.word_frequencies`).
CREATE TABLE IF NOT EXISTS word_frequencies (word TEXT PRIMARY KEY, frequency REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS boilerplate_only (article_id TEXT PRIMARY KEY REFERENCES articles(id));
CREATE TABLE IF NOT EXISTS origin_groups (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS origin_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    group_id TEXT NOT NULL REFERENCES origin_groups(id)
);
CREATE INDEX IF NOT EXISTS origin_members_group ON origin_members(group_id);
CREATE TABLE IF NOT EXISTS cluster_profiles (
    position INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL,
    data TEXT NOT NULL
);
-- The ids in position order without reading the profiles beside them (an ingest maps every id: 56 -> 14
-- ms of CPU at 30,000 articles, bench/bench_ingest_scale.py).
CREATE INDEX IF NOT EXISTS cluster_profiles_ids ON cluster_profiles(position, article_id);
CREATE TABLE IF NOT EXISTS cluster_postings (key TEXT PRIMARY KEY, positions TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS thread_facts (
    story_id TEXT PRIMARY KEY,
    rank INTEGER NOT NULL,
    day INTEGER,
    year INTEGER,
    keys TEXT NOT NULL,
    profile TEXT NOT NULL,
    thread TEXT NOT NULL,
    related TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS thread_facts_thread ON thread_facts(thread);
CREATE TABLE IF NOT EXISTS thread_keys (key TEXT NOT NULL, story_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS thread_keys_key ON thread_keys(key);
CREATE INDEX IF NOT EXISTS thread_keys_story ON thread_keys(story_id);
CREATE TABLE IF NOT EXISTS thread_pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, score REAL NOT NULL, linked INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS thread_pairs_a ON thread_pairs(a);
CREATE INDEX IF NOT EXISTS thread_pairs_b ON thread_pairs(b);
"""
# 2: pages keep the container's hints (title, published, source) and their site, so a stored page can be
# cleaned again exactly (as ingest context); a version-1 store is upgraded in place, nothing lost.
# 3: each article's evidence keys (`evidence`: kind 's' substantive sentence, 'h' headline, 'l' page-lead
# sentence with its lede bucket; stable hashes) and the origin groups of several articles, so an ingest
# re-runs copy detection only where the new articles reach (engine/incremental.py); a version-2 store is
# upgraded in place, the new tables derived from its articles. The clustering state keeps each article's
# profile in a row of `cluster_profiles` (read when compared, written once) and the rest in meta.
# The thread tables (each story's `StoryFacts`, its thread and related ids; the index keys; the linked or
# related pairs) came without a new version: SCHEMA adds them to any store, empty, and with no
# 'threads_settings' recorded the next ingest derives them from every stored story (a whole-store run).
# 4: the clustering index's postings (index key -> the latest positions holding it) one row a key in
# `cluster_postings`, read only for the keys of new articles and written only where they changed (they were
# 89% of the state read and written whole by every ingest: 4 MB at 30,000 articles); a version-3 store is
# upgraded in place, its postings moved out of the state by its next ingest.
# 5: each article's text as copy detection splits it and its evidence rows packed (`article_texts`), written
# when the article is stored, and the clustering profiles packed (`_profile_record`, JSON before); a
# version-4 store is upgraded in place: every stored article split once (with the copy-detection settings
# its evidence was derived with; none when it has none yet: its next ingest is a whole-store run), its
# profiles packed, the clustering's word list copied (`word_frequencies`).
# 6: the same tables, but copy detection's sentences are `newsfold.sentence_split`'s (the story's splitter:
# abbreviations, initials and quoted stops end none, capitals of any script and CJK stops start one), so
# the split texts and evidence of an older store would not match a new article's: a version-5 (or older)
# store forgets its recorded copy-detection settings, and its next ingest derives its evidence, split
# texts and origin groups again from its articles (a whole-store run, as after a change of settings).
# 7: the same tables, but the splitter ends a sentence at an abbreviation, initial or "U.S." before a
# capitalised function word ("in the U.S. The company said"), and at "No." or a month's abbreviation
# before anything but a number: a version-6 store derives its copies again as a version-5 one does.
SCHEMA_VERSION = "7"
PAGE_FIELDS = ("id", "kind", "content", "source_path", "url", "title", "published", "source", "captured")
PAGE_COLUMNS = ", ".join(PAGE_FIELDS)


@dataclass
class OriginsUpdate:
    """What an ingest changes in the derived copy-detection tables: evidence rows of the new articles,
    the articles' split texts (`texts`, as `text_record`s: the new ones', and stored ones' that lacked
    theirs), the origin groups replaced (by the id of their first member) and the new ones, and which
    articles are now nothing but boilerplate. `rebuild`: the tables are cleared first (a whole-store run);
    `settings`: the copy-detection settings they were derived with."""

    evidence: list[tuple[str, str, int, int | None]] = field(default_factory=list)
    texts: list[tuple[str, bytes]] = field(default_factory=list)
    dropped_groups: set[str] = field(default_factory=set)
    groups: list[OriginGroup] = field(default_factory=list)
    boilerplate_only: dict[str, bool] = field(default_factory=dict)
    rebuild: bool = False
    settings: str = ""


@dataclass
class ThreadsUpdate:
    """What an ingest changes in the thread tables: the stories whose rows go (`dropped`: facts, keys and
    pairs; a rewritten story is dropped and added again), the stories whose pairs were compared again
    (`repaired`: their stored pairs go), the new facts and pairs, and (thread id, related ids) of every
    story whose thread or related changed. `rebuild`: the tables are cleared first; `settings`: the
    settings they were derived with."""

    dropped: set[str] = field(default_factory=set)
    repaired: set[str] = field(default_factory=set)
    facts: list[StoryFacts] = field(default_factory=list)
    pairs: list[ThreadPair] = field(default_factory=list)
    threads: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    rebuild: bool = False
    settings: str = ""


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

    def __init__(self, path: str | Path, settings: Settings = Settings(), *, create: bool = True) -> None:
        """Open (with `create`, make when missing) the store at `path`; raise a one-line `StoreError`
        naming the file and what to do when it is missing, not a newsfold store, damaged, locked,
        read-only or written by a newer newsfold. The one place a store is checked on open."""
        self.path = str(path)
        self.settings = settings
        file = Path(path)
        if file.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a store; give a file name with --db")
        if not create and not file.is_file():
            raise StoreError(f"{self.path}: no such store; run `newsfold ingest PATH --db {self.path}` first")
        if not create and file.stat().st_size == 0:
            raise StoreError(f"{self.path}: empty file, not a newsfold store; run `newsfold ingest` into it")
        try:
            self._db = sqlite3.connect(self.path, timeout=settings.store.busy_timeout_s)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc
        try:
            self._open_waiting(create, settings.store.busy_timeout_s)
        except StoreError:
            self._db.close()
            raise
        except sqlite3.Error as exc:
            self._db.close()
            raise store_error(self.path, exc) from exc

    def _open_waiting(self, create: bool, timeout_s: float) -> None:
        """`_open`, tried again while another process holds the file: two ingests starting at once on a
        new store both switch it to WAL and create its tables, and SQLite answers one of them "database
        is locked" at once rather than through the busy timeout (it does not wait where waiting could
        deadlock). The schema statements are idempotent, so trying again is safe."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._open(create)
                return
            except sqlite3.OperationalError as exc:
                message = str(exc).lower()
                if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                    raise
                if self._db.in_transaction:
                    self._db.rollback()
                time.sleep(0.05)

    def _open(self, create: bool) -> None:
        """Check the file is a newsfold store of a version this newsfold reads (upgrading an older one)."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise StoreError(
                f"{self.path}: an SQLite file, but not a newsfold store; give another file with --db"
            )
        if not tables and not create:
            raise StoreError(
                f"{self.path}: empty database, not a newsfold store; run `newsfold ingest` into it"
            )
        self._db.execute("PRAGMA foreign_keys = ON")
        if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self._db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer, nor it for them
        if "meta" in tables:
            self._check_newer()
        self._db.executescript(SCHEMA)
        self._check_version()
        self._db.execute("CREATE INDEX IF NOT EXISTS pages_site ON pages(site, seq)")

    def _check_newer(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None and not (str(row[0]).isdigit() and int(row[0]) <= int(SCHEMA_VERSION)):
            raise StoreError(
                f"{self.path}: store schema version {str(row[0])[:20]!r} is newer than this newsfold reads "
                f"({SCHEMA_VERSION}); upgrade newsfold (pip install -U newsfold)"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store's write lock for the block (waiting up to `busy_timeout_s` for another writer)
        and commit all of it at the end, or nothing when it raises: an ingest reads the stored state and
        writes what it derived from it within one transaction, so two ingests at once never interleave.
        Readers are not blocked (WAL) and see the store as it was until the commit. Nested: one
        transaction, the outermost."""
        if self._db.in_transaction:
            yield
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, "could not start an ingest") from exc
        try:
            yield
        except BaseException:
            self._db.rollback()
            raise
        try:
            self._db.commit()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, "could not write the ingest, nothing was changed") from exc

    # -- reading -------------------------------------------------------------------------------------

    def article_ids(self) -> list[str]:
        """Stored article ids in ingestion order."""
        rows = self._db.execute("SELECT a.id FROM articles a JOIN pages p ON p.id = a.id ORDER BY p.seq")
        return [row[0] for row in rows]

    def articles(self) -> list[Article]:
        """Every stored article, in ingestion order."""
        rows = self._db.execute("SELECT a.data FROM articles a JOIN pages p ON p.id = a.id ORDER BY p.seq")
        return [article_from_dict(json.loads(row[0])) for row in rows]

    def articles_by_id(self, article_ids: Iterable[str]) -> list[tuple[int, Article]]:
        """The stored articles among `article_ids` with their ingestion sequence number, in that order."""
        out = []
        for places, chunk in _chunks(set(article_ids)):
            rows = self._db.execute(
                f"SELECT p.seq, a.data FROM articles a JOIN pages p ON p.id = a.id WHERE a.id IN ({places})",
                chunk,
            )
            out += [(int(row[0]), article_from_dict(json.loads(row[1]))) for row in rows]
        return sorted(out, key=lambda row: row[0])

    def article_outlines(self, article_ids: Iterable[str]) -> list[Article]:
        """The stored articles among `article_ids` in ingestion order, as outlines: id, title and publication
        date, no body (what copy detection reads of an article whose text it is given split)."""
        out = []
        for places, chunk in _chunks(set(article_ids)):
            rows = self._db.execute(
                f"SELECT p.seq, a.id, a.title, a.published FROM articles a JOIN pages p ON p.id = a.id "
                f"WHERE a.id IN ({places})",
                chunk,
            )
            out += [(int(seq), Article(i, title, (), published=date)) for seq, i, title, date in rows]
        return [article for _, article in sorted(out, key=lambda row: row[0])]

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

    def story_threads(self) -> dict[str, tuple[str | None, str | None, str | None, list[str]]]:
        """Story id -> (headline, event date, thread, related ids) of every stored story: what relinking
        threads reads (cluster.threads), without decoding each story's whole JSON in Python."""
        rows = self._db.execute(
            "SELECT id, headline, event_date, json_extract(data, '$.thread'), "
            "coalesce(json_extract(data, '$.related'), '[]') FROM stories"
        )
        return {r[0]: (r[1], r[2], r[3], json.loads(r[4])) for r in rows}

    def thread_stories(self, thread_id: str) -> list[tuple[str, str | None, str | None]]:
        """(story id, headline, event date) of the stories of one thread, oldest event first (undated
        last, then by id)."""
        rows = self._db.execute(
            "SELECT id, headline, event_date FROM stories WHERE json_extract(data, '$.thread') = ? "
            "ORDER BY event_date IS NULL, event_date, id",
            (thread_id,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

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

    def search(
        self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")
    ) -> list[tuple[str, str | None, str]]:
        """Full-text search over titles and bodies: (article id, title, snippet with each found word
        between `marks`), best first.

        Any text is a query: each word is matched as written (FTS5 syntax such as `"`, `AND(`, `*`,
        `NEAR` is quoted, never parsed), and every word must occur."""
        match = _fts_query(query)
        if not match:
            return []
        rows = self._db.execute(
            "SELECT a.id, a.title, snippet(articles_fts, 1, ?, ?, ' … ', 12) "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (marks[0], marks[1], match, limit),
        ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    def change_mark(self) -> tuple[int, ...]:
        """A value that changes whenever a commit reaches the store file (its and its write-ahead log's
        modification time and size), so a reader's cache keyed on it is never stale. Two stat calls:
        counting rows instead scans tables (2 ms at 10,000 stories)."""
        mark: list[int] = []
        for suffix in ("", "-wal"):
            try:
                info = os.stat(self.path + suffix)
            except OSError:
                mark += [0, 0]
            else:
                mark += [info.st_mtime_ns, info.st_size]
        return tuple(mark)

    def story_rows(self) -> list[tuple[str, str | None, str | None, int, int, str, str | None]]:
        """Per story, what a listing needs without decoding whole stories: (id, headline, event date,
        number of articles, number of origins, flags JSON, sources JSON or None when the story was
        written before stories listed their sources)."""
        rows = self._db.execute(
            "SELECT id, headline, event_date, json_array_length(data, '$.articles'), "
            "json_array_length(data, '$.origins'), json_extract(data, '$.flags'), "
            "json_extract(data, '$.sources') FROM stories"
        )
        return [(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0), r[5] or "[]", r[6]) for r in rows]

    def member_facts(self, story_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """Story id -> its articles' small facts (id, url, source, site_name, title, published, lang), in
        ingestion order: the sources of stories written before stories listed them."""
        out: dict[str, list[dict[str, Any]]] = {}
        for story_id in story_ids:
            rows = self._db.execute(
                "SELECT a.id, json_extract(a.data, '$.url'), json_extract(a.data, '$.source'), "
                "json_extract(a.data, '$.site_name'), a.title, a.published, json_extract(a.data, '$.lang') "
                "FROM story_members m JOIN articles a ON a.id = m.article_id JOIN pages p ON p.id = a.id "
                "WHERE m.story_id = ? ORDER BY p.seq",
                (story_id,),
            )
            keys = ("id", "url", "source", "site_name", "title", "published", "lang")
            out[story_id] = [dict(zip(keys, row, strict=True)) for row in rows]
        return out

    def stories_of_rows(self, rowids: Sequence[int]) -> list[str]:
        """The stories of the articles at these rowids, each once, in the order given (one query)."""
        if not rowids:
            return []
        rows = self._db.execute(
            "SELECT a.rowid, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id "
            f"WHERE a.rowid IN ({', '.join('?' for _ in rowids)})",
            tuple(rowids),
        )
        story_at = {int(r[0]): r[1] for r in rows}
        return list(dict.fromkeys(story_at[r] for r in rowids if r in story_at))

    def headlines(self, story_ids: Sequence[str]) -> dict[str, str | None]:
        """Story id -> its headline, for the stored stories among `story_ids` (one query)."""
        if not story_ids:
            return {}
        rows = self._db.execute(
            f"SELECT id, headline FROM stories WHERE id IN ({', '.join('?' for _ in story_ids)})",
            tuple(story_ids),
        )
        return {r[0]: r[1] for r in rows}

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article belongs to, None when it is in none (or not stored)."""
        row = self._db.execute("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,))
        found = row.fetchone()
        return found[0] if found else None

    def search_matches(self, query: str, cap: int, *, titles_any_word: bool = False) -> list[int]:
        """The rowids of up to `cap` articles matching a full-text query, best first: every word in the
        title or body, or with `titles_any_word` any of the words in the title; empty for a query FTS5
        refuses."""
        match = _fts_query(query)
        if titles_any_word and match:
            match = "title : (" + match.replace('" "', '" OR "') + ")"
        try:
            rows = self._db.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
                (match, cap),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [int(r[0]) for r in rows]

    def article_facts(self, rowids: Sequence[int]) -> dict[int, tuple[str, str | None, str | None, str]]:
        """Rowid -> (article id, title, published, the small facts as JSON: url, source, site_name, lang)."""
        out: dict[int, tuple[str, str | None, str | None, str]] = {}
        for start in range(0, len(rowids), 500):  # SQLite's bound on parameters is 999 in old builds
            chunk = rowids[start : start + 500]
            rows = self._db.execute(
                "SELECT rowid, id, title, published, json_object("
                "'url', json_extract(data, '$.url'), 'source', json_extract(data, '$.source'), "
                "'site_name', json_extract(data, '$.site_name'), 'lang', json_extract(data, '$.lang')) "
                f"FROM articles WHERE rowid IN ({', '.join('?' for _ in chunk)})",
                tuple(chunk),
            )
            out.update({int(r[0]): (r[1], r[2], r[3], r[4]) for r in rows})
        return out

    def snippets(self, query: str, rowids: Sequence[int], marks: tuple[str, str]) -> dict[int, str]:
        """Rowid -> a snippet of the article's body around the query's words, each found word between the
        two `marks` (the caller escapes the text, then turns the marks into markup)."""
        if not rowids:
            return {}
        places = ", ".join("?" for _ in rowids)
        try:
            rows = self._db.execute(
                f"SELECT rowid, snippet(articles_fts, 1, ?, ?, ' … ', 16) FROM articles_fts "
                f"WHERE articles_fts MATCH ? AND rowid IN ({places})",
                (marks[0], marks[1], _fts_query(query), *rowids),
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
        return {int(r[0]): r[1] for r in rows}

    # The batched reads below take many keys a query, where one a key or an article made ~46,000 round
    # trips in a 100-page ingest into 30,000 articles (bench/bench_ingest_scale.py). Hashes go as one JSON
    # array (`json_each`), first in a CROSS JOIN so that SQLite walks the array and searches the index once
    # a key (left to itself it scans the index by `kind` alone); article ids as bound parameters, 500 a
    # query (`_chunks`: JSON text stops at a NUL, which an id read from JSONL may hold).

    def evidence_counts(self, kind: str, keys: Iterable[int]) -> dict[int, int]:
        """How many stored articles hold each of these evidence keys of one kind."""
        rows = self._db.execute(
            "SELECT k.value, (SELECT COUNT(*) FROM evidence e WHERE e.kind = ? AND e.key = k.value) "
            "FROM json_each(?) k",
            (kind, _json_list(keys)),
        )
        return {int(row[0]): int(row[1]) for row in rows}

    def evidence_holders(self, kind: str, keys: Iterable[int]) -> dict[int, list[str]]:
        """The stored articles holding each of these evidence keys of one kind (a key none holds is left
        out)."""
        rows = self._db.execute(
            "SELECT e.key, e.article_id FROM json_each(?) k CROSS JOIN evidence e "
            "ON e.kind = ? AND e.key = k.value",
            (_json_list(keys), kind),
        )
        out: dict[int, list[str]] = {}
        for key, article_id in rows:
            out.setdefault(int(key), []).append(article_id)
        return out

    def evidence_of(self, article_ids: Iterable[str]) -> dict[str, list[tuple[str, int, int | None]]]:
        """(kind, key, bucket) of every evidence key each of these stored articles holds, in the order
        they were written: read packed from `article_texts` (2,400 articles' ~70,000 rows 0.04 -> 0.01 s
        of CPU, bench/bench_ingest_scale.py), from the `evidence` table for an article without them."""
        out: dict[str, list[tuple[str, int, int | None]]] = {}
        unpacked: list[str] = []
        for places, chunk in _chunks(dict.fromkeys(article_ids)):
            rows = self._db.execute(
                f"SELECT article_id, evidence FROM article_texts WHERE article_id IN ({places})", chunk
            )
            for article_id, packed in rows:
                found = _unpacked_evidence(packed) if packed else None
                if found is not None:
                    out[article_id] = found
            unpacked += [a for a in chunk if a not in out]
        for places, chunk in _chunks(unpacked):
            rows = self._db.execute(
                f"SELECT article_id, kind, key, bucket FROM evidence WHERE article_id IN ({places})", chunk
            )
            for article_id, kind, key, bucket in rows:
                out.setdefault(article_id, []).append((kind, int(key), bucket))
        return out

    def bucket_holders(self, buckets: Iterable[int]) -> list[tuple[str, int]]:
        """(article, page-lead key) of the stored page-lead sentences filed under these lede buckets."""
        rows = self._db.execute(
            "SELECT b.article_id, b.key FROM json_each(?) k CROSS JOIN evidence b ON b.bucket = k.value",
            (_json_list(buckets),),
        )
        return [(row[0], int(row[1])) for row in rows]

    def boilerplate_only_holder(self, sentence_keys: Iterable[int]) -> bool:
        """Whether a stored article that is nothing but boilerplate holds any of these sentence keys."""
        row = self._db.execute(
            "SELECT 1 FROM json_each(?) k CROSS JOIN evidence e ON e.kind = 's' AND e.key = k.value "
            "JOIN boilerplate_only b ON b.article_id = e.article_id LIMIT 1",
            (_json_list(sentence_keys),),
        ).fetchone()
        return row is not None

    def origin_groups_of(self, article_ids: Iterable[str]) -> dict[str, OriginGroup]:
        """The stored origin group of each article (a group of its own when it shares none)."""
        wanted = list(dict.fromkeys(article_ids))
        out: dict[str, OriginGroup] = {}
        parsed: set[str] = set()
        for places, chunk in _chunks(wanted):
            rows = self._db.execute(
                "SELECT g.id, g.data FROM origin_members m JOIN origin_groups g ON g.id = m.group_id "
                f"WHERE m.article_id IN ({places})",
                chunk,
            )
            for group_id, data in rows:
                if group_id not in parsed:
                    parsed.add(group_id)
                    group = group_from_dict(json.loads(data))
                    out.update(dict.fromkeys(group.members, group))
        for article_id in wanted:
            if article_id not in out:
                out[article_id] = OriginGroup(representative=article_id, members=(article_id,))
        return out

    def all_origin_groups(self) -> list[OriginGroup]:
        """Every stored origin group of several articles."""
        rows = self._db.execute("SELECT data FROM origin_groups")
        return [group_from_dict(json.loads(row[0])) for row in rows]

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, PageText]:
        """The split texts stored for these articles (`article_texts`; an article without one is left out:
        stored before version 5 with settings not read back, or a row that no longer decodes)."""
        out: dict[str, PageText] = {}
        for places, chunk in _chunks(dict.fromkeys(article_ids)):
            rows = self._db.execute(
                f"SELECT article_id, data FROM article_texts WHERE article_id IN ({places})", chunk
            )
            for article_id, data in rows:
                text = _text_from_record(data)
                if text is not None:
                    out[article_id] = text
        return out

    def word_frequencies(self, words: Iterable[str]) -> dict[str, float] | None:
        """`cluster.profile.word_frequencies(words)` read from the store's copy of the list: 0.05 s of CPU
        a process to read the list for one page's words or 100 pages' (bench/bench_ingest_scale.py), ~2,300
        words looked up here ~0.01 s. The copy is taken (again) when the list changed since or was never
        taken (321,180 words, ~0.9 s and ~7 MB once), within the caller's transaction; None (the caller
        reads the list) for a store without a copy that holds fewer than
        `StoreSettings.word_list_min_articles` articles."""
        source = word_list_source()
        if self.get_state("word_list_source") != source:
            held = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            if held < self.settings.store.word_list_min_articles:
                return None
            self._db.execute("DELETE FROM word_frequencies")
            self._db.executemany(
                "INSERT INTO word_frequencies (word, frequency) VALUES (?, ?)", word_frequencies().items()
            )
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('word_list_source', ?)",
                (json.dumps(source),),
            )
        out: dict[str, float] = {}
        for places, chunk in _chunks(set(words)):
            query = f"SELECT word, frequency FROM word_frequencies WHERE word IN ({places})"
            out.update(self._db.execute(query, chunk))
        return out

    def cluster_profiles(self) -> StoredProfiles:
        """The stored clustering profiles, read lazily (see `StoredProfiles`)."""
        return StoredProfiles(self._db)

    def cluster_postings(self) -> StoredPostings:
        """The stored clustering postings, read lazily (see `StoredPostings`)."""
        return StoredPostings(self._db)

    # The thread tables are read many stories or keys a query too (`_chunks`): a 100-page ingest into
    # 30,000 articles asked ~2,900 single-key or single-story queries (bench/bench_ingest_scale.py).

    def thread_key_counts(self, keys: Iterable[str]) -> dict[str, int]:
        """How many stored stories hold each thread index key."""
        wanted = set(keys)
        out = dict.fromkeys(wanted, 0)
        for places, chunk in _chunks(wanted):
            rows = self._db.execute(
                f"SELECT key, COUNT(*) FROM thread_keys WHERE key IN ({places}) GROUP BY key", chunk
            )
            out.update((key, int(n)) for key, n in rows)
        return out

    def thread_key_holders(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """The stored stories holding each of these thread index keys (a key none holds is left out)."""
        out: dict[str, list[str]] = {}
        for places, chunk in _chunks(set(keys)):
            rows = self._db.execute(f"SELECT key, story_id FROM thread_keys WHERE key IN ({places})", chunk)
            for key, story_id in rows:
                out.setdefault(key, []).append(story_id)
        return out

    def thread_keys_of(self, story_ids: Iterable[str]) -> dict[str, list[str]]:
        """Story -> its stored thread index keys (stories without stored facts are left out)."""
        out: dict[str, list[str]] = {}
        for places, chunk in _chunks(set(story_ids)):
            rows = self._db.execute(
                f"SELECT story_id, key FROM thread_keys WHERE story_id IN ({places})", chunk
            )
            for story_id, key in rows:
                out.setdefault(story_id, []).append(key)
        return out

    def thread_facts(self, story_ids: Iterable[str]) -> dict[str, StoryFacts]:
        """The stored `StoryFacts` of the stories among `story_ids`."""
        out = {}
        for places, chunk in _chunks(set(story_ids)):
            rows = self._db.execute(
                "SELECT story_id, rank, day, year, keys, profile FROM thread_facts "
                f"WHERE story_id IN ({places})",
                chunk,
            )
            for story_id, rank, day, year, keys, profile in rows:
                out[story_id] = StoryFacts(
                    story_id,
                    int(rank),
                    day,
                    year,
                    tuple(json.loads(keys)),
                    Profile.from_state(json.loads(profile)),
                )
        return out

    def thread_rows(self, story_ids: Iterable[str]) -> dict[str, tuple[int, int | None, str, list[str]]]:
        """Story -> (input rank, event day, thread id, related ids) as stored, for the stories among
        `story_ids` that have stored facts."""
        out = {}
        for places, chunk in _chunks(set(story_ids)):
            rows = self._db.execute(
                f"SELECT story_id, rank, day, thread, related FROM thread_facts WHERE story_id IN ({places})",
                chunk,
            )
            for story_id, rank, day, thread, related in rows:
                out[story_id] = (int(rank), day, thread, json.loads(related))
        return out

    def thread_members(self, thread_ids: Iterable[str]) -> list[str]:
        """The stories stored in these threads."""
        out: list[str] = []
        for thread_id in sorted(set(thread_ids)):
            rows = self._db.execute("SELECT story_id FROM thread_facts WHERE thread = ?", (thread_id,))
            out += [r[0] for r in rows]
        return out

    def thread_pairs_of(self, story_ids: Iterable[str], linked_only: bool = False) -> list[ThreadPair]:
        """The stored linked or related pairs holding any of these stories (each pair once)."""
        found: dict[tuple[str, str], ThreadPair] = {}
        only = " AND linked = 1" if linked_only else ""
        for story_id in set(story_ids):
            rows = self._db.execute(
                f"SELECT a, b, score, linked FROM thread_pairs WHERE a = ?{only} "
                f"UNION ALL SELECT a, b, score, linked FROM thread_pairs WHERE b = ?{only}",
                (story_id, story_id),
            )
            for a, b, score, linked in rows:
                found[a, b] = ThreadPair(a, b, float(score), bool(linked))
        return list(found.values())

    def get_state(self, key: str) -> Any | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    # -- writing -------------------------------------------------------------------------------------

    def new_pages(self, pages: Sequence[Page]) -> NewPages:
        """Split pages into new ones and the ids of ones already stored unchanged (`NewPages`).

        A page whose id is stored (or taken earlier in `pages`) with other content is a new capture: it
        is kept beside the stored one under its first free `read.id_candidates` (`URL@capture time`,
        then `id#2`, ...), and found there when the same capture comes again.
        """
        new: list[Page] = []
        unchanged: list[str] = []
        taken: set[str] = set()
        for page in pages:
            sha = _sha256(page.content)
            for candidate in chain([page.id], id_candidates(page)):
                if candidate in taken:
                    continue
                row = self._db.execute("SELECT sha256 FROM pages WHERE id = ?", (candidate,)).fetchone()
                if row is None:
                    new.append(page if candidate == page.id else replace(page, id=candidate))
                elif row[0] == sha:
                    unchanged.append(candidate)
                else:
                    continue
                taken.add(candidate)
                break
        return NewPages(new, unchanged)

    def write(
        self,
        pages: Sequence[Page],
        articles: Sequence[Article],
        memberships: dict[str, str],
        stories: Sequence[tuple[Story, dict[str, Any]]],
        dropped_story_ids: Sequence[str],
        state: dict[str, Any],
        origins: OriginsUpdate | None = None,
        profiles: tuple[int, Sequence[Profile]] | None = None,
        postings: Mapping[str, list[int]] | None = None,
    ) -> None:
        """Store one ingest atomically: new pages and articles, story membership, rewritten stories, the
        clustering state and the copy-detection tables. `profiles`: (position of the first, profiles)
        replacing the stored clustering profiles from that position on. `postings`: the clustering
        index's postings, the changed rows of a `StoredPostings` or all of them (replacing the stored)."""
        db = self._db
        try:
            # One transaction, all of it or none of it: this one, or the caller's (`transaction`).
            with nullcontext() if db.in_transaction else db:
                self._write_pages(pages)
                self._write_articles(articles)
                self._write_stories(memberships, stories, dropped_story_ids)
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('cluster_state', ?)",
                    (json.dumps(state),),
                )
                if origins is not None:
                    self._write_origins(origins)
                if postings is not None:
                    self._write_postings(postings)
                if profiles is not None:
                    self._write_profiles(*profiles)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, "could not write the ingest, nothing was changed") from exc

    def _write_pages(self, pages: Sequence[Page]) -> None:
        """New pages, numbered on from the last stored (`seq`: the order they came in)."""
        db = self._db
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

    def _write_articles(self, articles: Sequence[Article]) -> None:
        """New articles, each with its full-text row."""
        db = self._db
        for article in articles:
            cursor = db.execute(
                "INSERT INTO articles (id, title, text, published, data) VALUES (?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.title,
                    article.text,
                    article.published,
                    json.dumps(article_record(article), ensure_ascii=False),
                ),
            )
            db.execute(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                (cursor.lastrowid, article.title or "", article.text),
            )

    def _write_stories(
        self,
        memberships: dict[str, str],
        stories: Sequence[tuple[Story, dict[str, Any]]],
        dropped_story_ids: Sequence[str],
    ) -> None:
        """Story membership, the stories dropped, and the stories rewritten."""
        db = self._db
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

    def _write_postings(self, postings: Mapping[str, list[int]]) -> None:
        """The clustering index's postings: a `StoredPostings`' changed rows, or all of them replaced."""
        db = self._db
        if isinstance(postings, StoredPostings):
            db.executemany(
                "INSERT OR REPLACE INTO cluster_postings (key, positions) VALUES (?, ?)",
                postings.changed_rows(),
            )
            return
        db.execute("DELETE FROM cluster_postings")
        db.executemany(
            "INSERT INTO cluster_postings (key, positions) VALUES (?, ?)",
            [(key, json.dumps(positions)) for key, positions in sorted(postings.items())],
        )

    def _write_profiles(self, start: int, rows: Sequence[Profile]) -> None:
        """The clustering profiles from position `start` on, replacing the stored ones."""
        db = self._db
        db.execute("DELETE FROM cluster_profiles WHERE position >= ?", (start,))
        db.executemany(
            "INSERT INTO cluster_profiles (position, article_id, data) VALUES (?, ?, ?)",
            [(start + n, p.id, _profile_record(p)) for n, p in enumerate(rows)],
        )

    def write_threads(self, update: ThreadsUpdate) -> None:
        """Store what an ingest changed in the thread tables (within the caller's transaction, or as one)."""
        db = self._db
        try:
            with nullcontext() if db.in_transaction else db:
                if update.rebuild:
                    for table in ("thread_facts", "thread_keys", "thread_pairs"):
                        db.execute(f"DELETE FROM {table}")
                for story_id in sorted(update.dropped | update.repaired):  # one index each (OR scans)
                    db.execute("DELETE FROM thread_pairs WHERE a = ?", (story_id,))
                    db.execute("DELETE FROM thread_pairs WHERE b = ?", (story_id,))
                for story_id in sorted(update.dropped):
                    db.execute("DELETE FROM thread_facts WHERE story_id = ?", (story_id,))
                    db.execute("DELETE FROM thread_keys WHERE story_id = ?", (story_id,))
                for facts in update.facts:
                    thread, related = update.threads[facts.story]
                    db.execute(
                        "INSERT INTO thread_facts (story_id, rank, day, year, keys, profile, thread, "
                        "related) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (facts.story, facts.rank, facts.day, facts.year, json.dumps(list(facts.keys)),
                         json.dumps(facts.profile.to_state()), thread, json.dumps(related)),
                    )
                    db.executemany(
                        "INSERT INTO thread_keys (key, story_id) VALUES (?, ?)",
                        [(key, facts.story) for key in facts.keys],
                    )
                db.executemany(
                    "INSERT INTO thread_pairs (a, b, score, linked) VALUES (?, ?, ?, ?)",
                    [(p.a, p.b, p.score, int(p.linked)) for p in update.pairs],
                )
                added = {f.story for f in update.facts}
                db.executemany(
                    "UPDATE thread_facts SET thread = ?, related = ? WHERE story_id = ?",
                    [
                        (thread, json.dumps(related), story_id)
                        for story_id, (thread, related) in sorted(update.threads.items())
                        if story_id not in added
                    ],
                )
                if update.settings:
                    db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('threads_settings', ?)",
                        (update.settings,),
                    )
        except sqlite3.Error as exc:
            raise store_error(self.path, exc, "could not write the ingest, nothing was changed") from exc

    def _write_origins(self, origins: OriginsUpdate) -> None:
        db = self._db
        if origins.rebuild:
            for table in ("evidence", "article_texts", "boilerplate_only", "origin_members", "origin_groups"):
                db.execute(f"DELETE FROM {table}")
        db.executemany(
            "INSERT INTO evidence (article_id, kind, key, bucket) VALUES (?, ?, ?, ?)", origins.evidence
        )
        evidence: dict[str, list[tuple[str, int, int | None]]] = {}
        for article_id, kind, key, bucket in origins.evidence:
            evidence.setdefault(article_id, []).append((kind, key, bucket))
        db.executemany(
            "INSERT OR REPLACE INTO article_texts (article_id, data, evidence) VALUES (?, ?, ?)",
            [(article, record, _packed_evidence(evidence.get(article))) for article, record in origins.texts],
        )
        for group_id in sorted(origins.dropped_groups):
            db.execute("DELETE FROM origin_members WHERE group_id = ?", (group_id,))
            db.execute("DELETE FROM origin_groups WHERE id = ?", (group_id,))
        for group in origins.groups:
            if len(group.members) < 2:
                continue
            db.execute(
                "INSERT INTO origin_groups (id, data) VALUES (?, ?)",
                (group.members[0], json.dumps(asdict(group), ensure_ascii=False)),
            )
            db.executemany(
                "INSERT INTO origin_members (article_id, group_id) VALUES (?, ?)",
                [(member, group.members[0]) for member in group.members],
            )
        for article_id, only in sorted(origins.boilerplate_only.items()):
            if only:
                db.execute("INSERT OR IGNORE INTO boilerplate_only (article_id) VALUES (?)", (article_id,))
            else:
                db.execute("DELETE FROM boilerplate_only WHERE article_id = ?", (article_id,))
        if origins.settings:
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('origins_settings', ?)", (origins.settings,)
            )

    def _check_version(self) -> None:
        with self._db:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                # OR IGNORE: another process creating the same new store may have written it since the
                # read above (two ingests starting at once: "UNIQUE constraint failed" in 1 of ~20 races).
                self._db.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
                )
            elif row[0] in ("1", "2", "3", "4"):
                if row[0] == "1":
                    self._upgrade_from_1()
                if row[0] in ("1", "2"):
                    self._upgrade_from_2()
                if row[0] in ("1", "2", "3"):
                    self._upgrade_from_3()
                self._upgrade_from_4()
                self._upgrade_from_5()
            elif row[0] in ("5", "6"):
                self._upgrade_from_5()
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

    def _upgrade_from_2(self) -> None:
        """Version 2 lacked the copy-detection tables: SCHEMA made them, empty. With no 'origins_settings'
        recorded, the next ingest derives them from the stored articles (a whole-store run, as after a
        change of settings); until then the store reads as before."""
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))

    def _upgrade_from_3(self) -> None:
        """Version 3 kept the clustering postings in the state: SCHEMA made their table, empty; the next
        ingest reads them from the state and moves them into it (`Store.write`)."""
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))

    def _upgrade_from_4(self) -> None:
        """Version 4 lacked the articles' split texts: SCHEMA made their table, empty; each stored article
        is split here with the copy-detection settings its evidence was derived with (a store with none
        recorded derives everything at its next ingest, texts too). A text missing all the same (settings
        this newsfold cannot read back) is split where an ingest needs it, and stored then."""
        recorded = self.get_state("origins_settings")
        settings = _syndication_settings(recorded)
        if settings is not None:
            cache = LineCache(settings.line_cache)
            last = -1
            while True:  # 5,000 articles at a time: a store of any size is upgraded in bounded memory
                rows = self._db.execute(
                    "SELECT rowid, id, data FROM articles WHERE rowid > ? ORDER BY rowid LIMIT 5000", (last,)
                ).fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                evidence = self.evidence_of(i for _, i, _ in rows)  # the `evidence` table's: none packed yet
                articles = (article_from_dict(json.loads(data)) for *_, data in rows)
                texts = (split_for_evidence(article, settings, cache) for article in articles)
                self._db.executemany(
                    "INSERT OR REPLACE INTO article_texts (article_id, data, evidence) VALUES (?, ?, ?)",
                    (
                        (i, text_record(text), _packed_evidence(evidence.get(i)))
                        for (_, i, _), text in zip(rows, texts, strict=True)
                    ),
                )
        last = -1
        while True:  # the clustering profiles from JSON to `_profile_record`s, 5,000 at a time
            rows = self._db.execute(
                "SELECT position, data FROM cluster_profiles WHERE position > ? ORDER BY position LIMIT 5000",
                (last,),
            ).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            old = [(n, data) for n, data in rows if isinstance(data, str)]
            packed = [(_profile_record(_profile_from_record(data)), n) for n, data in old]
            self._db.executemany("UPDATE cluster_profiles SET data = ? WHERE position = ?", packed)
        self.word_frequencies(())  # the clustering's word list copied now (a store big enough), not later
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))

    def _upgrade_from_5(self) -> None:
        """Versions 5 and 6 split copy detection's sentences with an earlier splitter (5: the one before
        `newsfold.sentence_split`, 6: its rule 3 before version 7): with no 'origins_settings' recorded,
        the next ingest derives the evidence, split texts and groups again from the stored articles (a
        whole-store run); until then the store reads as before."""
        self._db.execute("DELETE FROM meta WHERE key = 'origins_settings'")
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))


class StoredPostings(MutableMapping[str, list[int]]):
    """The clustering index's postings (index key -> positions of the latest articles holding it) as a
    mapping that reads a key's row only when it is asked for: an ingest looks up the keys of its new
    articles, never the whole store's. Every key handed out by `setdefault` (the index appends to its
    list there) or set is written back by `Store.write` (`changed`)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._read: dict[str, list[int] | None] = {}
        self.changed: set[str] = set()

    def _row(self, key: str) -> list[int] | None:
        if key not in self._read:
            row = self._db.execute("SELECT positions FROM cluster_postings WHERE key = ?", (key,)).fetchone()
            self._read[key] = json.loads(row[0]) if row else None
        return self._read[key]

    def __getitem__(self, key: str) -> list[int]:
        found = self._row(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:
        found = self._row(key)
        return default if found is None else found

    def setdefault(self, key: str, default: Any = None) -> Any:
        found = self._row(key)
        if found is None:
            found = self._read[key] = default
        self.changed.add(key)  # the caller changes the list in place
        return found

    def __setitem__(self, key: str, value: list[int]) -> None:
        self._read[key] = value
        self.changed.add(key)

    def __delitem__(self, key: str) -> None:
        raise TypeError("stored postings are only added to")

    def __iter__(self) -> Iterator[str]:
        """Every key (whole-store work: tests and a rebuild only)."""
        stored = [row[0] for row in self._db.execute("SELECT key FROM cluster_postings ORDER BY key")]
        known = set(stored)
        fresh = sorted(k for k, v in self._read.items() if v is not None and k not in known)
        return iter(stored + fresh)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def changed_rows(self) -> list[tuple[str, str]]:
        """(key, positions as JSON) of every key changed since it was read."""
        rows = ((key, self._read[key]) for key in sorted(self.changed))
        return [(key, json.dumps(positions)) for key, positions in rows if positions is not None]


class StoredProfiles(MutableSequence[Profile]):
    """The clustering profiles of a store as a sequence that reads a profile only when it is used: an
    ingest compares a new article with a few candidates and reclusters a few components, so it never
    reads (or decodes) the profiles of the whole store. `ids` are read at once (the index maps them)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.ids = [row[0] for row in db.execute("SELECT article_id FROM cluster_profiles ORDER BY position")]
        self._stored = len(self.ids)
        self._read: dict[int, Profile] = {}
        self._added: list[Profile] = []

    def __len__(self) -> int:
        return self._stored + len(self._added)

    @overload
    def __getitem__(self, n: int) -> Profile: ...
    @overload
    def __getitem__(self, n: slice) -> MutableSequence[Profile]: ...
    def __getitem__(self, n: int | slice) -> Profile | MutableSequence[Profile]:
        if isinstance(n, slice):
            return [self[k] for k in range(*n.indices(len(self)))]
        if n < 0:
            n += len(self)
        if n >= self._stored:
            return self._added[n - self._stored]
        if n not in self._read:
            row = self._db.execute("SELECT data FROM cluster_profiles WHERE position = ?", (n,)).fetchone()
            self._read[n] = _profile_from_record(row[0])
        return self._read[n]

    def __setitem__(self, n: Any, value: Any) -> None:
        raise TypeError("stored profiles are only appended to")

    def __delitem__(self, n: Any) -> None:
        raise TypeError("stored profiles are only appended to")

    def insert(self, n: int, value: Profile) -> None:
        if n != len(self):
            raise TypeError("stored profiles are only appended to")
        self._added.append(value)


def group_from_dict(data: dict[str, Any]) -> OriginGroup:
    """Rebuild an OriginGroup from its stored JSON."""
    copies = tuple(
        CopyLink(**{**link, "adds": tuple(link["adds"]), "lacks": tuple(link["lacks"])})
        for link in data["copies"]
    )
    return OriginGroup(data["representative"], tuple(data["members"]), copies)


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


def store_error(path: str, exc: sqlite3.Error, doing: str = "") -> StoreError:
    """The one-line StoreError for an SQLite failure on the store at `path`: what happened, what to do."""
    message = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        advice = "another newsfold is writing to it; try again when it has finished"
    elif "readonly" in lowered or "read-only" in lowered:
        advice = "the file (or its folder) is read-only; check its permissions or copy it somewhere writable"
    elif "unable to open" in lowered:
        advice = "cannot open the file; check that its folder exists and is writable"
    elif "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        advice = "not a newsfold store or damaged; restore it from a backup or ingest into a new file"
    elif "disk" in lowered or "full" in lowered:
        advice = "the disk is full or failing; free space and try again"
    else:
        advice = "not a usable newsfold store; ingest into a new file"
    prefix = f"{doing}: " if doing else ""
    return StoreError(f"{path}: {prefix}{advice} ({message})")


def _syndication_settings(recorded: Any) -> SyndicationSettings | None:
    """The copy-detection settings a store recorded (`origins_settings`), or None when it recorded none or
    they do not read back as this newsfold's `SyndicationSettings` (then nothing is derived from them)."""
    if not isinstance(recorded, dict):
        return None
    try:
        settings = SyndicationSettings(**recorded)
    except TypeError:
        return None
    return settings if json.loads(json.dumps(asdict(settings))) == recorded else None


def text_record(text: PageText) -> bytes:
    """A split text as stored (`article_texts`): its columns as JSON (a list a field: decoding 2,400 of
    bench_ingest_scale's articles took 0.08 s as nested lists, 0.03 s so, against 0.17 s to split them),
    compressed (zlib level 1: 7.8 -> 1.5 MB for those 2,400, ~0.03 s to decompress: read back in an ingest,
    ~0.07 s in all)."""
    passages, lead = text.passages, text.lead
    columns = [
        [p.paragraph for p in passages],
        [p.text for p in passages],
        [p.key for p in passages],
        [p.words for p in passages],
        [p.closed for p in passages],
        sorted(text.removed_keys),
        [list(s.passage) for s in lead],
        [s.in_body for s in lead],
        text.title,
    ]
    return zlib.compress(json.dumps(columns, ensure_ascii=False).encode("utf-8", "surrogatepass"), 1)


def _text_from_record(data: bytes) -> PageText | None:
    """`text_record` read back; None for a row that does not decode (the text is split again instead)."""
    try:
        paragraphs, texts, keys, words, closed, removed, lead, in_body, title = json.loads(
            zlib.decompress(data).decode("utf-8", "surrogatepass")
        )
        make = Passage._make
        return PageText(
            tuple(map(make, zip(paragraphs, texts, keys, words, closed, strict=True))),
            frozenset(removed),
            tuple(LeadSentence(make(row), bool(body)) for row, body in zip(lead, in_body, strict=True)),
            title,
        )
    except (zlib.error, UnicodeDecodeError, ValueError, TypeError):
        return None


def _profile_record(profile: Profile) -> bytes:
    """A clustering profile as `cluster_profiles` keeps it (from version 5): its `to_state` with the terms'
    and names' weights taken out as JSON, a NUL (JSON text holds none), then the weights as little-endian
    float64, the same numbers. An ingest of 100 pages into 30,000 articles decodes ~2,000 profiles: 0.068
    s of CPU as JSON (`json.loads` and `Profile.from_state`), ~0.03 s so (bench/bench_ingest_scale.py)."""
    ident, terms, names, years, days, numbers, words = profile.to_state()
    head = json.dumps([ident, list(terms), list(names), years, days, numbers, words], ensure_ascii=False)
    weights = np.array([*terms.values(), *names.values()], dtype="<f8").tobytes()
    return head.encode("utf-8", "surrogatepass") + b"\x00" + weights


def _profile_from_record(data: bytes | str) -> Profile:
    """`_profile_record` read back, or a profile's `to_state` JSON (as stores before version 5 kept it)."""
    if isinstance(data, str):
        return Profile.from_state(json.loads(data))
    head, _, packed = data.partition(b"\x00")
    state = json.loads(head.decode("utf-8", "surrogatepass"))
    ident, term_keys, name_keys, years, days, numbers, words = state
    weights = np.frombuffer(packed, dtype="<f8").tolist()
    terms = zip(term_keys, weights[: len(term_keys)], strict=True)
    names = zip(name_keys, weights[len(term_keys) :], strict=True)
    return Profile.from_state([ident, terms, names, years, days, numbers, words])


def _packed_evidence(rows: Sequence[tuple[str, int, int | None]] | None) -> bytes | None:
    """An article's evidence rows as stored in `article_texts`: their kinds (one letter each), then their
    keys, then their buckets (-1 for none: a stable hash is never negative), as little-endian int64; None
    when they are not known here (read from the `evidence` table then)."""
    if rows is None:
        return None
    kinds = "".join(kind for kind, _, _ in rows).encode("ascii")
    keys = np.array([key for _, key, _ in rows], dtype="<i8").tobytes()
    buckets = np.array([-1 if b is None else b for _, _, b in rows], dtype="<i8").tobytes()
    return kinds + keys + buckets


def _unpacked_evidence(packed: bytes) -> list[tuple[str, int, int | None]] | None:
    """`_packed_evidence` read back; None when it does not read as one (then the `evidence` table is)."""
    n, odd = divmod(len(packed), 17)
    try:
        kinds = packed[:n].decode("ascii")
    except UnicodeDecodeError:
        return None
    if odd or not n or set(kinds) - set("shl"):
        return None
    keys = np.frombuffer(packed, dtype="<i8", count=n, offset=n).tolist()
    buckets = np.frombuffer(packed, dtype="<i8", count=n, offset=9 * n).tolist()
    return [(k, key, None if b < 0 else b) for k, key, b in zip(kinds, keys, buckets, strict=True)]


def _json_list(values: Iterable[int]) -> str:
    """Integers as a JSON array, for a query that reads them with `json_each` (63-bit hashes: SQLite reads
    JSON integers to 64 bits exactly)."""
    return json.dumps(list(values))


def _chunks(values: Iterable[str], size: int = 500) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The values `size` at a time, each chunk with its placeholders ("?, ?, ..."; SQLite's bound on
    parameters is 999 in old builds)."""
    items = tuple(values)
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        yield ", ".join("?" * len(chunk)), chunk


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _fts_query(query: str) -> str:
    """Each word as an FTS5 string (`"` doubled inside), so user text is never read as FTS5 syntax; NUL
    (which ends a C string in SQLite) and other control characters are spaces, a lone surrogate (an
    undecodable byte of a command line) is "?". Empty: no words."""
    text = query.encode("utf-8", errors="replace").decode("utf-8")
    text = "".join(" " if ch < " " or ch == "\x7f" else ch for ch in text)
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())
