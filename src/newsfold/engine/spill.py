"""A fold's articles and written stories kept on disk, so a million pages fold in bounded memory.

The local engine holds only what the stages after cleaning need of the whole corpus at once (ids, origin
groups, clustering profiles, story members); each article's text lives here, in a SQLite file in the run's
temporary folder, and is read back when a stage needs it: copy detection reads the articles in order and
the candidate pairs one at a time, profiling reads them by chunks, writing reads one story's articles.
Written stories wait here until the threads are linked, then stream out in story order.

What it costs (CPU, 2,500 articles of bench/out/scale-2500-max100, loaded machine): 70 us to add an
article, 55 us to read it back in order, 71 us at random; a fold reads each article a few times in order
and once per story written, under the cleaner's ~250 us a page.

A fold of fewer than `hold_articles` articles keeps them in memory (a list): pickling each article to
disk and reading it back ~7 times cost ~1 s of a 2,400-page fold's ~13 s (profiled), a price only a
corpus too big for memory should pay. Past that many, every article goes to the file.

Records are pickles of the frozen dataclasses: the file is this run's own, made and read by this process
and deleted with the run (never a user's input, never kept).
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

from newsfold.models import Article, OriginGroup, Story

__all__ = ["Spill", "SpilledGroups", "group_members"]

# Rows fetched at a time when the articles are read in order: big enough that SQLite's per-call cost
# vanishes, small enough to be a few MB of text.
_FETCH_ROWS = 500


class Spill(Sequence[Article]):
    """The articles of a fold in input order (a `Sequence[Article]` read from disk) and its stories.

    >>> with Spill() as spill:                        # doctest: +SKIP
    ...     spill.add_articles(articles)
    ...     spill[0].id, len(spill)
    """

    def __init__(self, folder: Path | None = None, hold_articles: int = 0) -> None:
        # Articles (and stories) held in memory until more than `hold_articles` arrive; None once on disk.
        self._hold_articles = hold_articles
        self._held: list[Article] | None = [] if hold_articles > 0 else None
        self._held_stories: dict[int, Story] = {}
        self._folder = tempfile.TemporaryDirectory(prefix="newsfold-", dir=folder)
        self._db = sqlite3.connect(Path(self._folder.name) / "spill.db", isolation_level=None)
        # The file dies with the run: no journal, no syncing.
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE article (position INTEGER PRIMARY KEY, id TEXT, record BLOB)")
        self._db.execute("CREATE TABLE story (position INTEGER PRIMARY KEY, record BLOB)")
        self._db.execute("CREATE TABLE origin_group (position INTEGER PRIMARY KEY, record BLOB)")
        self._count = 0
        self.ids: list[str] = []  # the article ids in input order (what the stages need of every article)

    # -- articles ---------------------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> None:
        """Append articles (input order)."""
        articles = list(articles)
        if self._held is not None:
            if self._count + len(articles) <= self._hold_articles:
                self._held += articles
                self.ids += [a.id for a in articles]
                self._count += len(articles)
                return
            held, self._held, self._count, self.ids = self._held, None, 0, []
            self.add_articles(held)
        rows = []
        for article in articles:
            rows.append((self._count, article.id, pickle.dumps(article, pickle.HIGHEST_PROTOCOL)))
            self.ids.append(article.id)
            self._count += 1
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO article VALUES (?, ?, ?)", rows)
        self._db.execute("COMMIT")

    def __len__(self) -> int:
        return self._count

    @property
    def on_disk(self) -> bool:
        """Whether the articles are in the file (read by its connection, from this thread only)."""
        return self._held is None

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
            return [pickle.loads(record) for (record,) in rows]
        position = index + self._count if index < 0 else index
        row = self._db.execute("SELECT record FROM article WHERE position = ?", (position,)).fetchone()
        if row is None:
            raise IndexError(f"article {index} of {self._count}")
        article: Article = pickle.loads(row[0])
        return article

    def __iter__(self) -> Iterator[Article]:
        if self._held is not None:
            yield from list(self._held)
            return
        rows = self._db.execute("SELECT record FROM article ORDER BY position")
        while batch := rows.fetchmany(_FETCH_ROWS):
            for (record,) in batch:
                yield pickle.loads(record)

    def articles_at(self, positions: Sequence[int]) -> list[Article]:
        """The articles at these positions, in the order given."""
        return [self[p] for p in positions]

    # -- origin groups ----------------------------------------------------------------------------------

    def keep_groups(self, groups: Iterable[OriginGroup]) -> Sequence[OriginGroup]:
        """The origin groups as a sequence read from this spill when a group is used (writing reads one
        story's), once the articles are on disk: a group's copy links carry the passages each copy adds
        and lacks (1.9 KB an article of bench/out/scale-2500-max100), too much to hold for a million
        pages; `groups` may be an iterator (`syndication.stream_origins`), written as it yields. While the
        articles are held, so are the groups (a list)."""
        if self._held is not None:
            return list(groups)
        representatives: list[str] = []
        members: list[tuple[str, ...]] = []

        def rows() -> Iterator[tuple[int, bytes]]:
            for n, group in enumerate(groups):
                representatives.append(group.representative)
                members.append(group.members)
                yield n, pickle.dumps(group, pickle.HIGHEST_PROTOCOL)

        self._db.execute("DELETE FROM origin_group")
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO origin_group VALUES (?, ?)", rows())
        self._db.execute("COMMIT")
        return SpilledGroups(self._db, representatives, members)

    # -- stories ----------------------------------------------------------------------------------------

    def put_story(self, position: int, story: Story) -> None:
        """Keep a written story until the stories stream out (`stories`)."""
        if self._held is not None:
            self._held_stories[position] = story
            return
        self._db.execute(
            "INSERT INTO story VALUES (?, ?)", (position, pickle.dumps(story, pickle.HIGHEST_PROTOCOL))
        )

    def stories(self) -> Iterator[Story]:
        """The stories kept, in position order."""
        if self._held is not None:
            yield from (self._held_stories[k] for k in sorted(self._held_stories))
            return
        rows = self._db.execute("SELECT record FROM story ORDER BY position")
        while batch := rows.fetchmany(_FETCH_ROWS):
            for (record,) in batch:
                yield pickle.loads(record)

    # -- life -------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Delete the file."""
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpilledGroups(Sequence[OriginGroup]):
    """Origin groups kept in a spill: their members in memory (what clustering and the choice of a
    story's groups read), each whole group read from the file when it is used (`Spill.keep_groups`)."""

    def __init__(
        self, db: sqlite3.Connection, representatives: list[str], members: list[tuple[str, ...]]
    ) -> None:
        self._db = db
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
        group: OriginGroup = pickle.loads(row[0])
        return group

    def outlines(self) -> list[OriginGroup]:
        """Each group with its members only (no copy links): what clustering reads."""
        return [OriginGroup(r, m) for r, m in zip(self.representatives, self.members, strict=True)]


def group_members(groups: Sequence[OriginGroup]) -> list[tuple[str, ...]]:
    """Each group's members (a spilled sequence knows them without reading its groups)."""
    return groups.members if isinstance(groups, SpilledGroups) else [g.members for g in groups]
