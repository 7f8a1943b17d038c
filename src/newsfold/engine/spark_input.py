"""The Spark engine's input: local paths and Hadoop-style URIs, listed and read on the executors.

- A local folder (`crawl/`) is listed one level by the driver: each sub-folder is walked by one task
  (`read.folder_files`, the rule a local run lists by), the folder's own files by a few tasks, each
  keeping a hash share of their names. On a cluster the path must be mounted on every node.
- A URI (`hdfs://nn/crawl/`, `s3a://bucket/crawl/`, `file:///data/crawl/`: any scheme the cluster's Hadoop
  filesystem knows) is listed and fetched by Spark's `binaryFile` source, recursively; ids are computed
  on the executors and each file's bytes joined to its id by path, then read by `read.read_input` (a
  `read.FetchedFile`), so what is read equals a local read of the same bytes. Ids are paths relative to
  the URI given (the file name for a file), as for a folder. Spark skips files and folders whose name
  starts with `.` or `_` (`_SUCCESS`, `_temporary`); a local run skips only `.` names.

Input order is the local run's (`read.find_inputs`): the inputs in the order given, each one's files by
id (split on `/`), sorted and numbered on the cluster. Ids are made unique across inputs as
`read.name_inputs` makes them: only the ids that repeat (and those a rename could take) come to the
driver. The driver holds the inputs given, their sub-folder names and the problems, never a list of
every file. Every listing failure (no such path, no filesystem for the scheme, no permission) is one
`InputProblem` naming the path or URI.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from newsfold.errors import InputError
from newsfold.read import (
    SUPPORTED_SUFFIXES,
    FetchedFile,
    InputFile,
    ProblemHandler,
    folder_files,
    is_input_file,
    name_inputs,
    unsupported,
)

__all__ = ["SparkInputs", "clashing", "is_uri", "spark_inputs"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# binaryFile hands a file's bytes over as one array, so no more than 2**31 - 1 bytes (Spark's own bound).
_FETCH_LIMIT = 2**31 - 1
# A folder's own files are listed by one task per 50,000 of them, each scanning the folder's names and
# keeping its hash share: a task's listing stays a few MB of names while the scans (one per task) cost
# little beside reading (os.scandir, ~1 us a name, stat only for the task's own share).
_SHARE_FILES = 50_000

_Row = TypeVar("_Row", bound=tuple[Any, ...])


def is_uri(path: str | Path) -> bool:
    """Whether an input is a URI for Spark's Hadoop filesystem (`scheme://...`), not a local path."""
    return isinstance(path, str) and _SCHEME.match(path) is not None


class Found(NamedTuple):
    """A file to read, as the executors list it: its input's index and id, before ids are made unique."""

    key: tuple[int, tuple[str, ...]]  # (index of the input given, id split on "/"): sorts as input order
    path: str  # a local path, or the file's URI as binaryFile names it
    id: str
    folder: str  # the name a later file with the same id takes as a prefix (`read.name_inputs`)
    size: int  # bytes (URIs only: a local file's size is checked when it is read), else -1


@dataclass(frozen=True)
class _Walk:
    """One listing task: the files of local folder `root` (input `index`) under its sub-folder `entry`,
    or, without one, its own files whose name hashes to `share` of `shares`."""

    index: int
    root: str
    folder: str
    entry: str | None = None
    share: int = 0
    shares: int = 1


@dataclass
class SparkInputs:
    """The files of a fold: `files`, an RDD of (file to read, id, input order), read on the executors
    (a local path, or a `FetchedFile` of a URI's bytes), `count`, how many, and `cached`, the listings
    kept on the executors for the fold (to unpersist at its end)."""

    files: Any
    count: int
    cached: list[Any] = field(default_factory=list)


def spark_inputs(
    session: Any,
    paths: Iterable[str | Path],
    max_bytes: int,
    on_problem: ProblemHandler,
    partitions: int | None = None,
) -> SparkInputs:
    """List every input on the executors, local paths and URIs alike, in a local run's order, ids made
    unique across all of them as a local run makes them (`read.name_inputs`); a URI's file over
    `max_bytes` (or Spark's 2 GB) is a problem, not fetched. Problems come in a local run's order.
    `partitions`: of the ordered listing (Spark's default parallelism by default)."""
    from pyspark import StorageLevel

    context = session.sparkContext
    partitions = partitions or context.defaultParallelism
    walks: list[_Walk] = []
    singles: list[Found] = []
    listings: list[Any] = []
    frames: dict[int, Any] = {}
    for index, raw in enumerate(paths):
        if is_uri(raw):
            listed = _uri_listing(session, index, str(raw), min(max_bytes, _FETCH_LIMIT), on_problem)
            if listed is not None:
                listings.append(listed[0])
                frames[index] = listed[1]
            continue
        root = Path(raw)
        if root.is_dir():
            walks.extend(_walks(index, root))
        elif root.is_file():
            if root.name.lower().endswith(SUPPORTED_SUFFIXES):
                folder = root.parent.name or root.parent.resolve().name
                singles.append(Found((index, (root.name,)), str(root), root.name, folder, -1))
            else:
                on_problem(unsupported(str(root)))
        else:
            on_problem(InputError(str(root), "no such file or folder"))
    if walks:
        listings.append(context.parallelize(walks, min(len(walks), partitions)).flatMap(_walked))
    if singles:
        listings.append(context.parallelize(singles, 1))
    if not listings:
        return SparkInputs(context.emptyRDD(), 0)
    # Kept while sorted: the sort counts and samples the listing before it shuffles it, each a walk.
    found = listings[0] if len(listings) == 1 else context.union(listings)
    found = found.persist(StorageLevel.MEMORY_AND_DISK)
    ordered = found.sortBy(lambda f: f.key, numPartitions=partitions).zipWithIndex()  # (found, order)
    ordered = ordered.persist(StorageLevel.MEMORY_AND_DISK)
    count = ordered.count()
    found.unpersist()  # the ordered listing is kept: nothing walks the folders again
    renames = context.broadcast(_renames(ordered, partitions))
    named = ordered.map(lambda fo: (fo[0].key[0], fo[0].path, renames.value.get(fo[1], fo[0].id), fo[1]))
    fetched = set(frames)  # the inputs that are URIs
    files = named.filter(lambda n: n[0] not in fetched).map(lambda n: n[1:])
    if frames:
        files = files.union(_fetched(session, named.filter(lambda n: n[0] in fetched), frames))
    return SparkInputs(files, count, [ordered])


def _walks(index: int, root: Path) -> list[_Walk]:
    """Driver side: the listing tasks of one local folder, from its own entries (one level, no file kept)."""
    folder = root.name or root.resolve().name
    walks, own = [], 0
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.name.startswith("."):  # hidden: nothing below it is read
                    continue
                if _descended(entry):
                    walks.append(_Walk(index, str(root), folder, entry=entry.name))
                else:
                    own += 1
    except PermissionError:  # as `rglob`: an unreadable folder lists nothing
        return []
    shares = -(-own // _SHARE_FILES)
    walks += [_Walk(index, str(root), folder, share=k, shares=shares) for k in range(shares)]
    return walks


def _descended(entry: os.DirEntry[str]) -> bool:
    """Whether `rglob` walks into a folder's entry: a folder, not a link to one."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _walked(walk: _Walk) -> Iterator[Found]:
    """Executor side: the files of one listing task, by `read.folder_files`' rule."""
    root = Path(walk.root)
    if walk.entry is not None:
        files: Iterable[Path] = folder_files(root, root / walk.entry)
    else:
        with os.scandir(root) as entries:
            names = [e.name for e in entries if _share(e.name, walk.shares) == walk.share]
        files = (p for p in map(root.joinpath, names) if is_input_file(p, root))
    for file in files:
        file_id = file.relative_to(root).as_posix()
        yield Found((walk.index, tuple(file_id.split("/"))), str(file), file_id, walk.folder, -1)


def _share(name: str, shares: int) -> int:
    """Which listing task keeps a folder's own file (a hash the same in every process)."""
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % shares


def _renames(ordered: Any, partitions: int) -> dict[int, str]:
    """The new id of each file (by input order) whose id an earlier file holds, as `read.name_inputs`
    names it: only the files a rename can reach come to the driver."""
    listed = ordered.map(lambda fo: (fo[1], fo[0].id, fo[0].folder))
    counted = listed.map(lambda row: (row[1], 1)).reduceByKey(lambda a, b: a + b, partitions)
    repeated = set(counted.filter(lambda row: row[1] > 1).keys().collect())

    def select(prefixes: set[str]) -> list[tuple[int, str, str]]:
        wanted = listed.context.broadcast(prefixes)
        return list(listed.filter(lambda row: _file_named_after(row[1], wanted.value)).collect())

    chosen = clashing(repeated, select)
    named = name_inputs((order, file_id, folder) for order, file_id, folder in chosen)
    return {order: new for (order, old, _), (_, new) in zip(chosen, named, strict=True) if new != old}


def clashing(repeated: set[str], select: Callable[[set[str]], list[_Row]]) -> list[_Row]:
    """Rows (input order, id, ...) sharing an id (`repeated`), and every row whose id a rename of such a
    row may take, closed under that (a row so renamed may take the next such name): `select(prefixes)`
    lists the rows named after `prefixes`. Every other row keeps its id."""
    prefixes: set[str] = set(repeated)
    chosen: list[_Row] = []
    while prefixes:
        chosen = select(prefixes)
        grown = prefixes | {row[1] for row in chosen}
        if grown == prefixes:
            break
        prefixes = grown
    return sorted(chosen)


def _file_named_after(file_id: str, prefixes: set[str]) -> bool:
    """Whether a file's id is one of `prefixes`, or a name `name_inputs` gives a file with such an id:
    `folder/id`, or that followed by `#` and more (a folder's name holds no `/`)."""
    if file_id in prefixes:
        return True
    rest = file_id.split("/", 1)[1] if "/" in file_id else None
    if rest is None:
        return False
    return rest in prefixes or any(rest[:at] in prefixes for at, ch in enumerate(rest) if ch == "#")


def _uri_listing(
    session: Any, index: int, uri: str, max_bytes: int, on_problem: ProblemHandler
) -> tuple[Any, Any] | None:
    """The files under one URI, listed by Spark (an RDD of `Found`), and its `binaryFile` frame; its
    problems (an unsupported file, files over `max_bytes`) told now, sorted by id; None when Spark cannot
    list it."""
    root = urlsplit(uri).path.rstrip("/")
    netloc = urlsplit(uri).netloc
    folder = root.rsplit("/", 1)[-1] or netloc
    parent = root.rsplit("/", 1)[0].rsplit("/", 1)[-1] or netloc
    try:
        frame = session.read.format("binaryFile").option("recursiveFileLookup", "true").load(uri)
        sized = frame.select("path", "length").rdd  # names and sizes: no file is read yet
        found = sized.flatMap(lambda row: _uri_found(row.path, row.length, index, uri, root, folder, parent))
        unread = found.filter(lambda f: f.size < 0 or f.size > max_bytes).collect()  # problems only
    except Exception as exc:  # whatever the Hadoop filesystem raises, told in one line
        if exc.__class__.__module__.split(".")[0] not in ("pyspark", "py4j"):
            raise
        on_problem(InputError(uri, _listing_reason(exc)))
        return None
    for problem in sorted(unread):
        if problem.size < 0:
            on_problem(unsupported(uri))
        else:
            on_problem(
                InputError(
                    problem.path,
                    f"file of {problem.size:,} bytes, over the {max_bytes:,} Spark reads "
                    "(ReadSettings.max_file_bytes, at most 2 GB for binaryFile); split it",
                )
            )
    return found.filter(lambda f: 0 <= f.size <= max_bytes), frame.filter(frame.length <= max_bytes)


def _uri_found(
    path: str, size: int, index: int, uri: str, root: str, folder: str, parent: str
) -> list[Found]:
    """Executor side: a file binaryFile listed under a URI as a `Found` (size -1: the URI names a file
    of a type newsfold has no reader for), or none (unsupported or hidden below a folder)."""
    at = urlsplit(path).path
    if at == root:  # the URI names a file
        name = at.rsplit("/", 1)[-1]
        supported = name.lower().endswith(SUPPORTED_SUFFIXES)
        return [Found((index, (name,)), path, name, parent, size if supported else -1)]
    file_id = at[len(root) + 1 :] if at.startswith(root + "/") else path  # else a glob matched it
    parts = file_id.split("/")
    if file_id.lower().endswith(SUPPORTED_SUFFIXES) and not any(p.startswith(".") for p in parts):
        return [Found((index, tuple(parts)), path, file_id, folder, size)]
    return []


def _fetched(session: Any, named: Any, frames: dict[int, Any]) -> Any:
    """An RDD of (FetchedFile, id, input order) of the URIs' named files: each file's bytes joined to
    its (input index, URI) on the executors."""
    from pyspark.sql import functions as sql
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    shape = StructType(
        [
            StructField("root", LongType(), False),
            StructField("path", StringType(), False),
            StructField("id", StringType(), False),
            StructField("order", LongType(), False),
        ]
    )
    wanted = session.createDataFrame(named, shape)
    contents = [
        frame.select(sql.lit(index).cast("long").alias("root"), "path", "content")
        for index, frame in frames.items()
    ]
    rows = contents[0]
    for more in contents[1:]:
        rows = rows.unionByName(more)
    joined = wanted.join(rows, ["root", "path"])
    return joined.rdd.map(lambda row: (_fetched_file(row.path, row.content), row.id, row.order))


def _fetched_file(path: str, content: bytes) -> InputFile:
    return FetchedFile(path, bytes(content))


def _listing_reason(exc: Exception) -> str:
    """Why Spark could not list a URI, in one line."""
    message = str(exc)
    if "PATH_NOT_FOUND" in message or "Path does not exist" in message:
        return "no such file or folder"
    scheme = re.search(r'No FileSystem for scheme "?([^"\s]+)', message)
    if scheme:
        return f"no Hadoop filesystem for the scheme {scheme.group(1)!r} on this cluster"
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return f"cannot list it ({(lines or [exc.__class__.__name__])[0][:200]})"
