"""A fold's articles and written stories kept on disk, so a million pages fold in bounded memory, and,
with `--out`, the fold's progress kept in that folder so a stopped fold resumes where it stopped.

The local engine holds only what the stages after cleaning need of the whole corpus at once (ids, origin
groups, clustering profiles, story members); each article's text lives here, in a SQLite file, and is read
back when a stage needs it: copy detection reads the articles in order and the candidate pairs one at a
time, profiling reads them by chunks, writing reads one story's articles. Written stories wait here until
the threads are linked, then stream out in story order.

What it costs (CPU, 2,500 articles of bench/out/scale-2500-max100, loaded machine): 70 us to add an
article, 55 us to read it back in order, 71 us at random; a fold reads each article a few times in order
and once per story written, under the cleaner's ~250 us a page.

A fold of fewer than `hold_articles` articles keeps them in memory (a list): pickling each article to
disk and reading it back ~7 times cost ~1 s of a 2,400-page fold's ~13 s (profiled), a price only a
corpus too big for memory should pay. Past that many, every article goes to the file.

Two kinds of file. Without `state`, the file is the run's own, in a temporary folder deleted with the
run, never journaled or synced, its records pickles of the frozen dataclasses (made and read by this
process only: never a user's input, never kept). With `state` (a path in a fold's `--out` folder), the
file outlives the process: it is journaled (WAL; each commit atomic, so a kill at any moment leaves the
last commit), its records are the store's JSON encoding of the dataclasses
(`engine.records`), and it records each finished step in the transaction that writes its results: the
articles of each chunk of pages read and cleaned (with the pages consumed and the cleaner's problems),
the origin groups, the clustering's story members and profiles, each written story (by position) and
the threads,
with the seconds each stage took so far. A fold held in memory (at most `hold_articles`:
the engine passes `EngineSettings.resumable_after_articles` with a state) records nothing: resuming it
starts again.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

from newsfold.cluster.packed import PackedProfiles
from newsfold.engine.records import article_from_json, group_from_json, json_record, story_from_json
from newsfold.errors import InputError
from newsfold.models import Article, InputProblem, OriginGroup, Story

__all__ = ["STATE_FILE", "Spill", "SpilledGroups", "group_members", "remove_state"]

# Rows fetched at a time when the articles are read in order: big enough that SQLite's per-call cost
# vanishes, small enough to be a few MB of text.
_FETCH_ROWS = 500

# The state's name in a fold's --out folder, and its format: a state of another format is refused.
STATE_FILE = ".newsfold-run.db"
_STATE_FORMAT = 1

_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS article (position INTEGER PRIMARY KEY, id TEXT, record BLOB)",
    "CREATE TABLE IF NOT EXISTS problem (position INTEGER PRIMARY KEY, path TEXT, reason TEXT)",
    "CREATE TABLE IF NOT EXISTS origin_group "
    "(position INTEGER PRIMARY KEY, representative TEXT, members TEXT, record BLOB)",
    "CREATE TABLE IF NOT EXISTS story_members (position INTEGER PRIMARY KEY, ids TEXT)",
    "CREATE TABLE IF NOT EXISTS profile (position INTEGER PRIMARY KEY, id TEXT, record BLOB)",
    "CREATE TABLE IF NOT EXISTS story "
    "(position INTEGER PRIMARY KEY, id TEXT, articles TEXT, event_date TEXT, record BLOB)",
    "CREATE TABLE IF NOT EXISTS thread (position INTEGER PRIMARY KEY, thread TEXT, related TEXT)",
)


class Spill(Sequence[Article]):
    """The articles of a fold in input order (a `Sequence[Article]` read from disk) and its stories; with
    `state`, also the fold's progress, kept at that path (see the module docstring).

    `state`: the file to keep (a fold's `--out/.newsfold-run.db`), replaced unless `resume`; `made_of`:
    what the run is made of (`engine.runstate.made_of`), which a resumed state must equal: else an
    `InputError` names the file and what differs. `clock`: the seconds each stage took so far, recorded
    with each step.

    >>> with Spill() as spill:                        # doctest: +SKIP
    ...     spill.add_articles(articles)
    ...     spill[0].id, len(spill)
    """

    def __init__(
        self,
        folder: Path | None = None,
        hold_articles: int = 0,
        *,
        state: Path | None = None,
        made_of: Mapping[str, Any] | None = None,
        resume: bool = False,
        clock: Callable[[], Mapping[str, float]] = dict,
    ) -> None:
        # Articles (and stories) held in memory until more than `hold_articles` arrive; None once on disk.
        self._hold_articles = hold_articles
        self._held: list[Article] | None = [] if hold_articles > 0 else None
        self._held_stories: dict[int, Story] = {}
        self._held_problems: list[InputProblem] = []  # the cleaner's, recorded when the articles go to disk
        self._count = 0
        self.ids: list[str] = []  # the article ids in input order (what the stages need of every article)
        self.state = state
        self.clock = clock
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        if state is None:
            self._folder = tempfile.TemporaryDirectory(prefix="newsfold-", dir=folder)
            self._db = sqlite3.connect(Path(self._folder.name) / "spill.db", isolation_level=None)
            # The file dies with the run: no journal, no syncing.
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._dump: Callable[[Any], bytes | str] = _pickled
            self._load_article: Callable[[Any], Article] = pickle.loads
            self._load_group: Callable[[Any], OriginGroup] = pickle.loads
            self._load_story: Callable[[Any], Story] = pickle.loads
        else:
            self._dump = json_record
            self._load_article = article_from_json
            self._load_group = group_from_json
            self._load_story = story_from_json
            self._db = _open_state(state, made_of or {}, resume)
        for table in _TABLES:
            self._db.execute(table)
        if state is not None and resume:
            self.ids = [i for (i,) in self._db.execute("SELECT id FROM article ORDER BY position")]
            self._count = len(self.ids)
            if self._count:
                self._held = None

    # -- articles ---------------------------------------------------------------------------------------

    def add_articles(
        self, articles: Iterable[Article], *, problems: Sequence[InputProblem] = (), pages: int = 0
    ) -> None:
        """Append articles (input order); with a state on disk, record them with the cleaner's `problems`
        and the count of `pages` consumed so far, in one transaction."""
        articles = list(articles)
        if self._held is not None:
            if self._count + len(articles) <= self._hold_articles:
                self._held += articles
                self._held_problems += problems
                self.ids += [a.id for a in articles]
                self._count += len(articles)
                return
            held, self._held, self._count, self.ids = self._held, None, 0, []
            problems, self._held_problems = [*self._held_problems, *problems], []
            articles = held + articles
        rows = []
        for article in articles:
            rows.append((self._count, article.id, self._dump(article)))
            self.ids.append(article.id)
            self._count += 1
        with self._transaction():
            self._db.executemany("INSERT INTO article VALUES (?, ?, ?)", rows)
            if self.state is not None:
                self._db.executemany(
                    "INSERT INTO problem (path, reason) VALUES (?, ?)", ((p.path, p.reason) for p in problems)
                )
                self._record("read", {"pages": pages, "done": False})

    def record_read(self, pages: int, problems: Sequence[InputProblem]) -> None:
        """Record that reading ended after `pages` pages, with the reader's `problems`."""
        if self.recording:
            with self._transaction():
                self._record(
                    "read", {"pages": pages, "done": True, "problems": [[p.path, p.reason] for p in problems]}
                )

    def recorded_read(self) -> tuple[int, bool, list[InputProblem], list[InputProblem]]:
        """(pages consumed, whether reading ended, the reader's problems when it did, the cleaner's)."""
        read = self._recorded("read") or {"pages": 0, "done": False}
        rows = self._db.execute("SELECT path, reason FROM problem ORDER BY position")
        cleaned = [InputProblem(path, reason) for path, reason in rows]
        reader = [InputProblem(path, reason) for path, reason in read.get("problems", [])]
        return int(read["pages"]), bool(read["done"]), reader, cleaned

    def __len__(self) -> int:
        return self._count

    @property
    def on_disk(self) -> bool:
        """Whether the articles are in the file (read by its connection, from this thread only)."""
        return self._held is None

    @property
    def recording(self) -> bool:
        """Whether steps are recorded: a state, and the articles on disk (a fold held in memory is short)."""
        return self.state is not None and self._held is None

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...

    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        if self._held is not None:
            return self._held[index]
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return [self[k] for k in range(start, stop, step)]
            rows = self._db.execute(
                "SELECT record FROM article WHERE position >= ? AND position < ? ORDER BY position",
                (start, stop),
            )
            return [self._load_article(record) for (record,) in rows]
        position = index + self._count if index < 0 else index
        row = self._db.execute("SELECT record FROM article WHERE position = ?", (position,)).fetchone()
        if row is None:
            raise IndexError(f"article {index} of {self._count}")
        return self._load_article(row[0])

    def __iter__(self) -> Iterator[Article]:
        if self._held is not None:
            yield from list(self._held)
            return
        rows = self._db.execute("SELECT record FROM article ORDER BY position")
        while batch := rows.fetchmany(_FETCH_ROWS):
            for (record,) in batch:
                yield self._load_article(record)

    def articles_at(self, positions: Sequence[int]) -> list[Article]:
        """The articles at these positions, in the order given."""
        return [self[p] for p in positions]

    # -- origin groups ----------------------------------------------------------------------------------

    def keep_groups(self, groups: Iterable[OriginGroup]) -> Sequence[OriginGroup]:
        """The origin groups as a sequence read from this spill when a group is used (writing reads one
        story's), once the articles are on disk: a group's copy links carry the passages each copy adds
        and lacks (1.9 KB an article of bench/out/scale-2500-max100), too much to hold for a million
        pages; `groups` may be an iterator (`syndication.stream_origins`), written as it yields. While the
        articles are held, so are the groups (a list). Recorded as one step."""
        if self._held is not None:
            return list(groups)
        representatives: list[str] = []
        members: list[tuple[str, ...]] = []

        def rows() -> Iterator[tuple[int, str, str, bytes | str]]:
            for n, group in enumerate(groups):
                representatives.append(group.representative)
                members.append(group.members)
                yield n, group.representative, json.dumps(group.members), self._dump(group)

        with self._transaction():
            self._db.execute("DELETE FROM origin_group")
            self._db.executemany("INSERT INTO origin_group VALUES (?, ?, ?, ?)", rows())
            if self.state is not None:
                self._record("copies", True)
        return SpilledGroups(self._db, representatives, members, self._load_group)

    def recorded_groups(self) -> SpilledGroups | None:
        """The origin groups a resumed state recorded, or None."""
        if not self.recording or not self._recorded("copies"):
            return None
        rows = self._db.execute("SELECT representative, members FROM origin_group ORDER BY position")
        representatives: list[str] = []
        members: list[tuple[str, ...]] = []
        for representative, group in rows:
            representatives.append(representative)
            members.append(tuple(json.loads(group)))
        return SpilledGroups(self._db, representatives, members, self._load_group)

    # -- story members, stories, threads -----------------------------------------------------------------

    def keep_members(self, members: Sequence[Sequence[str]], profiles: PackedProfiles) -> None:
        """Record the clustering's story members (the article ids of each story, in story order) and the
        articles' clustering profiles, packed (the threads read them; made again, they cost most of the
        clustering stage: 21.6 of 28.6 s at 10,000 pages of bench/out/scale-10k-max100)."""
        if self.recording:
            with self._transaction():
                self._db.executemany(
                    "INSERT INTO story_members VALUES (?, ?)",
                    ((k, json.dumps(m)) for k, m in enumerate(members)),
                )
                self._db.executemany(
                    "INSERT INTO profile VALUES (?, ?, ?)",
                    ((n, ident, profiles.record(n)) for n, ident in enumerate(profiles.ids)),
                )
                self._record("stories", True)

    def recorded_members(self, profiles: PackedProfiles) -> list[tuple[str, ...]] | None:
        """The story members a resumed state recorded, its profiles appended to `profiles`; or None."""
        if not self.recording or not self._recorded("stories"):
            return None
        rows = self._db.execute("SELECT id, record FROM profile ORDER BY position")
        while batch := rows.fetchmany(_FETCH_ROWS):
            for ident, record in batch:
                profiles.append_packed(ident, record)
        rows = self._db.execute("SELECT ids FROM story_members ORDER BY position")
        return [tuple(json.loads(ids)) for (ids,) in rows]

    def put_story(self, position: int, story: Story) -> None:
        """Keep a written story until the stories stream out (`stories`); recorded as one step."""
        if self._held is not None:
            self._held_stories[position] = story
            return
        row = (position, story.id, json.dumps(story.articles), story.event_date, self._dump(story))
        with self._transaction():
            self._db.execute("INSERT INTO story VALUES (?, ?, ?, ?, ?)", row)
            if self.state is not None:
                self._record_clock()

    def written(self) -> dict[int, Story]:
        """The stories written already (a resumed state's), by position: what the threads read of each
        (its id, articles and event date)."""
        if self._held is not None:
            return {}
        rows = self._db.execute("SELECT position, id, articles, event_date FROM story")
        return {k: Story(i, None, tuple(json.loads(a)), event_date=e) for k, i, a, e in rows}

    def stories(self) -> Iterator[Story]:
        """The stories kept, in position order."""
        if self._held is not None:
            yield from (self._held_stories[k] for k in sorted(self._held_stories))
            return
        rows = self._db.execute("SELECT record FROM story ORDER BY position")
        while batch := rows.fetchmany(_FETCH_ROWS):
            for (record,) in batch:
                yield self._load_story(record)

    def keep_threads(self, threaded: Sequence[Story]) -> None:
        """Record each story's thread and related stories (the threaded outlines, in story order)."""
        if self.recording:
            with self._transaction():
                self._db.executemany(
                    "INSERT INTO thread VALUES (?, ?, ?)",
                    ((k, s.thread, json.dumps(s.related)) for k, s in enumerate(threaded)),
                )
                self._record("threads", True)

    def recorded_threads(self) -> list[Story] | None:
        """Each story's thread and related stories (outlines, in story order) a resumed state recorded."""
        if not self.recording or not self._recorded("threads"):
            return None
        rows = self._db.execute("SELECT thread, related FROM thread ORDER BY position")
        return [Story("", None, (), thread=t, related=tuple(json.loads(r))) for t, r in rows]

    # -- the record -------------------------------------------------------------------------------------

    def recorded_timings(self) -> dict[str, float]:
        """The seconds each stage took in the runs that made this state (none for a new one)."""
        return dict(self._recorded("timings") or {}) if self.state is not None else {}

    def _recorded(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def _record(self, key: str, value: Any) -> None:
        """Record a step (inside the transaction that writes its results), with the stages' seconds."""
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))
        self._record_clock()

    def _record_clock(self) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO meta VALUES ('timings', ?)", (json.dumps(dict(self.clock())),)
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    # -- life -------------------------------------------------------------------------------------------

    def close(self, *, finished: bool = False, keep: bool = False) -> None:
        """Close the file; delete it when it is the run's own, or a state whose run `finished` (unless
        `keep`)."""
        self._db.close()
        if self._folder is not None:
            self._folder.cleanup()
        elif finished and not keep and self.state is not None:
            remove_state(self.state)

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._folder is not None:
            self.close()
        elif self._db is not None:
            self._db.close()


class _Transaction:
    """BEGIN ... COMMIT on a connection in autocommit mode, ROLLBACK when the block raises."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN")

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _open_state(path: Path, made_of: Mapping[str, Any], resume: bool) -> sqlite3.Connection:
    """The state file at `path`, journaled: a new one (any old one removed) unless `resume` finds one
    with a run recorded; that one checked (readable, this format, made of the same inputs, settings and
    code), else `InputError`."""
    from newsfold.engine.runstate import difference

    recorded = _recorded_run(path) if resume else None
    if recorded is not None:
        db, made = recorded
        if made.get("format") != _STATE_FORMAT:
            db.close()
            raise InputError(str(path), "a fold state of another format; fold again without --resume")
        differs = difference(made, dict(made_of))
        if differs is not None:
            db.close()
            raise InputError(
                str(path.parent), f"cannot resume: {differs}; fold again without --resume to start over"
            )
        _journaled(db)
        return db
    remove_state(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    _journaled(db)
    with _Transaction(db):  # the table and what the run is made of, at once: a state has both or neither
        db.execute(_TABLES[0])
        db.execute(
            "INSERT INTO meta VALUES ('made_of', ?)", (json.dumps({**made_of, "format": _STATE_FORMAT}),)
        )
    return db


def _recorded_run(path: Path) -> tuple[sqlite3.Connection, dict[str, Any]] | None:
    """The state at `path` and what its run was made of; None when there is no file, or one killed before
    its first commit (nothing recorded: the fold starts again); `InputError` when it cannot be read."""
    if not path.exists():
        return None
    db = sqlite3.connect(path, isolation_level=None)
    try:
        check = db.execute("PRAGMA quick_check").fetchone()
        if check != ("ok",):
            raise sqlite3.DatabaseError(check[0] if check else "no integrity check")
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        row = (
            db.execute("SELECT value FROM meta WHERE key = 'made_of'").fetchone()
            if "meta" in tables
            else None
        )
        made = json.loads(row[0]) if row else None
        if row is not None and not isinstance(made, dict):
            raise ValueError("no run recorded")
    except (sqlite3.DatabaseError, ValueError) as exc:
        db.close()
        raise InputError(
            str(path), f"not a readable fold state ({str(exc)[:120]}); fold again without --resume"
        ) from None
    if made is None:
        db.close()
        return None
    return db, made


def _journaled(db: sqlite3.Connection) -> None:
    """WAL: a commit is atomic against a killed process; NORMAL syncs at checkpoints, not every commit
    (a power cut may lose the last commits, never corrupt the file)."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")


def remove_state(path: Path) -> None:
    """Delete a fold state and its journal files, if there are any."""
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        (path.parent / name).unlink(missing_ok=True)


def _pickled(record: Any) -> bytes:
    return pickle.dumps(record, pickle.HIGHEST_PROTOCOL)


class SpilledGroups(Sequence[OriginGroup]):
    """Origin groups kept in a spill: their members in memory (what clustering and the choice of a
    story's groups read), each whole group read from the file when it is used (`Spill.keep_groups`)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        representatives: list[str],
        members: list[tuple[str, ...]],
        load: Callable[[Any], OriginGroup] = pickle.loads,
    ) -> None:
        self._db = db
        self._load = load
        self.representatives = representatives
        self.members = members

    def __len__(self) -> int:
        return len(self.members)

    @overload
    def __getitem__(self, index: int) -> OriginGroup: ...

    @overload
    def __getitem__(self, index: slice) -> list[OriginGroup]: ...

    def __getitem__(self, index: int | slice) -> OriginGroup | list[OriginGroup]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        position = index + len(self) if index < 0 else index
        row = self._db.execute("SELECT record FROM origin_group WHERE position = ?", (position,)).fetchone()
        if row is None:
            raise IndexError(f"origin group {index} of {len(self)}")
        return self._load(row[0])

    def outlines(self) -> list[OriginGroup]:
        """Each group of more than one article with its members only (no copy links): what clustering
        reads (a group of one links nothing; every article is in a group, most alone)."""
        return [
            OriginGroup(r, m) for r, m in zip(self.representatives, self.members, strict=True) if len(m) > 1
        ]


def group_members(groups: Sequence[OriginGroup]) -> list[tuple[str, ...]]:
    """Each group's members (a spilled sequence knows them without reading its groups)."""
    return groups.members if isinstance(groups, SpilledGroups) else [g.members for g in groups]
