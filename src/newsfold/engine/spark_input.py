"""The Spark engine's input: local paths and Hadoop-style URIs, read by `newsfold.read` on the executors.

- A local path (`crawl/`) is listed by the driver as a local run lists it (`read.find_inputs`) and each
  file is opened by the executor given it: on a cluster the path must be mounted on every node.
- A URI (`hdfs://nn/crawl/`, `s3a://bucket/crawl/`, `file:///data/crawl/`: any scheme the cluster's Hadoop
  filesystem knows) is listed and fetched by Spark's `binaryFile` source, recursively; the executors read
  each file's bytes with `read.read_input` (a `read.FetchedFile`), so what is read equals a local read of
  the same bytes. Ids are paths relative to the URI given (the file name for a file), as for a folder.
  Spark skips files and folders whose name starts with `.` or `_` (`_SUCCESS`, `_temporary`); a local
  run skips only `.` names.

The driver holds each file's URI, id and size, never its bytes. Every listing failure (no such path, no
filesystem for the scheme, no permission) is one `InputProblem` naming the URI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsfold.errors import InputError
from newsfold.read import (
    SUPPORTED_SUFFIXES,
    FetchedFile,
    InputFile,
    ProblemHandler,
    find_inputs,
    name_inputs,
    unsupported,
)

__all__ = ["SparkInputs", "fetched_files", "is_uri", "spark_inputs"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# binaryFile hands a file's bytes over as one array, so no more than 2**31 - 1 bytes (Spark's own bound).
_FETCH_LIMIT = 2**31 - 1


def is_uri(path: str | Path) -> bool:
    """Whether an input is a URI for Spark's Hadoop filesystem (`scheme://...`), not a local path."""
    return isinstance(path, str) and _SCHEME.match(path) is not None


@dataclass
class SparkInputs:
    """The files of a fold, in input order: `local` (path, id, order) for the executors to open, and the
    files fetched from each listed URI (`frames[i]`, a `binaryFile` DataFrame), by (i, file URI)."""

    local: list[tuple[str, str, int]] = field(default_factory=list)
    fetched: dict[tuple[int, str], tuple[str, int]] = field(default_factory=dict)
    frames: list[Any] = field(default_factory=list)


def spark_inputs(
    session: Any, paths: Iterable[str | Path], max_bytes: int, on_problem: ProblemHandler
) -> SparkInputs:
    """List every input, local paths and URIs alike, ids made unique across all of them as a local run
    makes them (`read.name_inputs`); a file over `max_bytes` (or Spark's 2 GB) is a problem, not fetched."""
    inputs = SparkInputs()

    def found() -> Iterator[tuple[Path | tuple[int, str], str, str]]:
        for raw in paths:
            if is_uri(raw):
                yield from _listed(session, str(raw), inputs, min(max_bytes, _FETCH_LIMIT), on_problem)
            else:
                yield from find_inputs([raw], on_problem=on_problem)

    for order, (file, file_id) in enumerate(name_inputs(found())):
        if isinstance(file, Path):
            inputs.local.append((str(file), file_id, order))
        else:
            inputs.fetched[file] = (file_id, order)
    return inputs


def fetched_files(session: Any, inputs: SparkInputs) -> Any:
    """An RDD of (file to read, id, input order) for the listed URIs' files, fetched on the executors."""
    from pyspark.sql import functions as sql

    wanted = session.sparkContext.broadcast(inputs.fetched)
    frames = [
        frame.select(sql.lit(index).alias("root"), "path", "content")
        for index, frame in enumerate(inputs.frames)
    ]
    rows = frames[0]
    for frame in frames[1:]:
        rows = rows.unionByName(frame)
    return rows.rdd.flatMap(lambda row: _fetched(row, wanted.value))


def _fetched(row: Any, wanted: dict[tuple[int, str], tuple[str, int]]) -> list[tuple[InputFile, str, int]]:
    """Executor side: a fetched file with its id and input order, if it is one the fold reads."""
    named = wanted.get((row.root, row.path))
    if named is None:  # unsupported, hidden or over the size bound
        return []
    return [(FetchedFile(row.path, bytes(row.content)), *named)]


def _listed(
    session: Any, uri: str, inputs: SparkInputs, max_bytes: int, on_problem: ProblemHandler
) -> Iterator[tuple[tuple[int, str], str, str]]:
    """The files under one URI, sorted: ((frame index, file URI), id, folder name), listed by Spark."""
    try:
        frame = session.read.format("binaryFile").option("recursiveFileLookup", "true").load(uri)
        listed = frame.select("path", "length").collect()  # names and sizes: no file is read yet
    except Exception as exc:  # whatever the Hadoop filesystem raises, told in one line
        if exc.__class__.__module__.split(".")[0] not in ("pyspark", "py4j"):
            raise
        on_problem(InputError(uri, _listing_reason(exc)))
        return
    index = len(inputs.frames)
    inputs.frames.append(frame.filter(frame.length <= max_bytes))
    root = urlsplit(uri).path.rstrip("/")
    folder = root.rsplit("/", 1)[-1] or urlsplit(uri).netloc
    files = []
    for row in listed:
        at = urlsplit(row.path).path
        if at == root:  # the URI names a file
            name = at.rsplit("/", 1)[-1]
            if not name.lower().endswith(SUPPORTED_SUFFIXES):
                on_problem(unsupported(uri))
                continue
            parent = root.rsplit("/", 1)[0].rsplit("/", 1)[-1] or urlsplit(uri).netloc
            files.append((name, row, parent))
            continue
        file_id = at[len(root) + 1 :] if at.startswith(root + "/") else row.path  # else a glob matched it
        parts = file_id.split("/")
        if file_id.lower().endswith(SUPPORTED_SUFFIXES) and not any(p.startswith(".") for p in parts):
            files.append((file_id, row, folder))
    for file_id, row, named_after in sorted(files, key=lambda f: f[0].split("/")):
        if row.length > max_bytes:
            on_problem(
                InputError(
                    row.path,
                    f"file of {row.length:,} bytes, over the {max_bytes:,} Spark reads "
                    "(ReadSettings.max_file_bytes, at most 2 GB for binaryFile); split it",
                )
            )
            continue
        yield (index, row.path), file_id, named_after


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
