"""Read what scrapers save -> Page: the only place raw input is accepted.

Formats, chosen by file name: `.txt` page dumps; `.html`/`.htm` (optionally `.gz`); `.jsonl` records
`{"id", "text" or "html", "url", "title", "published", "source"}`; `.warc`/`.warc.gz` response records
holding HTML (read with warcio). A folder is walked recursively.

Article ids: the path relative to the folder given (the file name for a single file), the record's
`id` for JSONL, the target URI for WARC. Ids are unique within a read, so no input is lost and no later
stage meets the same id twice: when two inputs would share one, the first keeps it and each later one
is renamed (`unique_ids`): a file under another folder takes that folder's name as a prefix
(`b/page.txt`), a capture takes its capture time (`https://x.test/a@2023-09-15T08:00:00Z`, a recrawl),
anything else (or a name still taken) `#2`, `#3`, ... Every failure becomes an `InputError` naming the
file and the reason; a batch reports it and reads on.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from itertools import chain, count
from pathlib import Path
from typing import TypeVar

from charset_normalizer import from_bytes

from newsfold.errors import InputError
from newsfold.models import InputProblem, Page, PageKind, PagesRead, PageStream
from newsfold.settings import ReadSettings

__all__ = [
    "FetchedFile",
    "InputFile",
    "decode_bytes",
    "find_inputs",
    "folder_files",
    "id_candidates",
    "is_input_file",
    "iter_pages",
    "list_inputs",
    "name_inputs",
    "read",
    "read_input",
    "read_many",
    "read_parquet",
    "stream_pages",
    "unique_ids",
    "unsupported",
]

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
PARQUET_SUFFIXES = (".parquet",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES + PARQUET_SUFFIXES

# The control characters that tell binary data (`_looks_binary`): all below 32 but tab, newline, form feed
# and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})")
# A WARC-Date (ISO 8601, W3C profile): kept as written when it has this shape, so it can name a capture.
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")

ProblemHandler = Callable[[InputError], None]
F = TypeVar("F")


@dataclass(frozen=True)
class FetchedFile:
    """A file another filesystem fetched: its URI and its bytes. The readers take it where they take a
    local `Path` (engine.spark reads `hdfs://`, `s3a://`, `file://` URIs through Spark's Hadoop
    filesystem), so what is read from it is what a local file of the same bytes gives.

    >>> pages = list(read_input(FetchedFile("hdfs://nn/crawl/a.txt", b"Title\nBody"), "a.txt",
    ...                         on_problem=print))      # doctest: +SKIP
    """

    uri: str
    data: bytes

    @property
    def name(self) -> str:
        return self.uri.rstrip("/").rsplit("/", 1)[-1]

    def open(self, mode: str = "rb") -> io.BytesIO:
        return io.BytesIO(self.data)

    def __str__(self) -> str:
        return self.uri


InputFile = Path | FetchedFile


def read(path: str | Path, *, settings: ReadSettings = ReadSettings()) -> list[Page]:
    """Read one file or a folder (recursively) into pages; raise `InputError` on the first bad input.

    >>> pages = read("../shared/corpus/seeds")      # doctest: +SKIP
    >>> pages[0].id
    '000_30490af4c062c9c2.txt'
    """

    def fail(problem: InputError) -> None:
        raise problem

    return list(iter_pages([path], on_problem=fail, settings=settings))


def read_many(paths: Iterable[str | Path], *, settings: ReadSettings = ReadSettings()) -> PagesRead:
    """Read every path; bad inputs become `InputProblem`s and the rest is still read.

    >>> pages, problems = read_many(["../shared/corpus/seeds"])     # doctest: +SKIP
    """
    stream = stream_pages(paths, settings=settings)
    return PagesRead(list(stream.pages), stream.problems)


def stream_pages(paths: Iterable[str | Path], *, settings: ReadSettings = ReadSettings()) -> PageStream:
    """`read_many`, the pages read as they are iterated: no more than one input's pages are held.

    >>> stream = stream_pages(["crawl/"])                        # doctest: +SKIP
    >>> for page in stream.pages: ...                            # doctest: +SKIP
    >>> stream.problems                                          # every input rejected, once consumed
    """
    problems: list[InputProblem] = []
    pages = iter_pages(
        paths, on_problem=lambda e: problems.append(InputProblem(e.path, e.reason)), settings=settings
    )
    return PageStream(pages, problems)


def iter_pages(
    paths: Iterable[str | Path], *, on_problem: ProblemHandler, settings: ReadSettings = ReadSettings()
) -> Iterator[Page]:
    """Yield the pages of every path in order, ids unique; hand each bad input to `on_problem` and go on."""
    inputs = list_inputs(paths, on_problem=on_problem)
    pages = (
        page
        for file, file_id in inputs
        for page in read_input(file, file_id, on_problem=on_problem, settings=settings)
    )
    yield from unique_ids(pages)


def id_candidates(page: Page) -> Iterator[str]:
    """The ids a page takes, in order, when its own is taken: `id@capture time` when it has one (a
    recrawl of the same URL), then `id#2`, `id#3`, ... The one rule for a read and for a store."""
    if page.captured:
        yield f"{page.id}@{page.captured}"
    for n in count(2):
        yield f"{page.id}#{n}"


def unique_ids(pages: Iterable[Page], taken: set[str] | None = None) -> Iterator[Page]:
    """The pages in order, each whose id is already taken (by an earlier page or in `taken`) renamed to
    its first free `id_candidates`: the first keeps its id.

    >>> [p.id for p in unique_ids([Page("u", "text", "a"), Page("u", "text", "b")])]
    ['u', 'u#2']
    """
    used = set() if taken is None else taken
    for page in pages:
        if page.id in used:
            page = replace(page, id=next(c for c in id_candidates(page) if c not in used))
        used.add(page.id)
        yield page


def list_inputs(paths: Iterable[str | Path], *, on_problem: ProblemHandler) -> list[tuple[Path, str]]:
    """The files to read and the id each one's page gets, folders walked in sorted order.

    Separate from reading so an engine can hand the files out to workers (`engine.spark`). Two files
    that would share an id (`a/page.txt` and `b/page.txt` given as folders `a` and `b`): the first keeps
    it, a later one takes the name of its folder (the folder given, or a single file's parent) as a
    prefix (`b/page.txt`), then `#2`, `#3`, ... when that is taken too.
    """
    return name_inputs(find_inputs(paths, on_problem=on_problem))


def find_inputs(
    paths: Iterable[str | Path], *, on_problem: ProblemHandler
) -> Iterator[tuple[Path, str, str]]:
    """(file, id, name of the folder given) of each file to read, before ids are made unique."""
    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            folder = root.name or root.resolve().name
            for file in folder_files(root):
                yield file, file.relative_to(root).as_posix(), folder
        elif root.is_file():
            if _supported(root.name):
                yield root, root.name, root.parent.name or root.parent.resolve().name
            else:
                on_problem(unsupported(str(root)))
        else:
            on_problem(InputError(str(root), "no such file or folder"))


def folder_files(root: Path, under: Path | None = None) -> list[Path]:
    """The files to read in folder `root`, sorted: every file `rglob` finds below it (below its
    sub-folder `under` only, when given) of a supported type with no hidden (`.`) part below `root`.
    The one rule for a local run (`find_inputs`) and for Spark's executors, each walking one sub-folder
    (`engine.spark_input`): `rglob` does not descend into linked folders, nor into hidden ones' files."""
    return sorted(p for p in (under or root).rglob("*") if is_input_file(p, root))


def is_input_file(path: Path, root: Path) -> bool:
    """Whether a path found in folder `root` is a file to read (`folder_files`' rule)."""
    return path.is_file() and _supported(path.name) and not _hidden(path, root)


def name_inputs(found: Iterable[tuple[F, str, str]]) -> list[tuple[F, str]]:
    """(file, id) of each found (file, id, folder name), in order, ids unique (`list_inputs`' rule); the
    files may be local paths or URIs another filesystem listed (`engine.spark`)."""
    inputs: list[tuple[F, str]] = []
    taken: set[str] = set()
    for file, file_id, folder in found:
        if file_id in taken:
            prefixed = f"{folder}/{file_id}"
            candidates = chain([prefixed], (f"{prefixed}#{n}" for n in count(2)))
            file_id = next(c for c in candidates if c not in taken)
        taken.add(file_id)
        inputs.append((file, file_id))
    return inputs


def unsupported(where: str) -> InputError:
    """The error for a file newsfold has no reader for."""
    return InputError(where, f"unsupported file type (expected {', '.join(SUPPORTED_SUFFIXES)})")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode untrusted bytes: BOM/UTF-8 first, then a declared charset, then detection; never raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for name in (declared, _declared_charset(data)):
        if name:
            try:
                return data.decode(_charset_alias(name), errors="replace")
            except LookupError:
                continue
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    # cp1252 maps nearly every byte, so it is the last resort that keeps the most text.
    return data.decode("cp1252", errors="replace")


def read_input(
    path: InputFile, page_id: str, *, on_problem: ProblemHandler, settings: ReadSettings = ReadSettings()
) -> Iterator[Page]:
    """The pages of one file (several for JSONL and WARC); `page_id` names a dump's or HTML file's page."""
    name = path.name.lower()
    try:
        size = _size(path)
        if size > settings.max_file_bytes:
            raise InputError(
                str(path),
                f"file of {size:,} bytes, over the {settings.max_file_bytes:,} allowed "
                "(ReadSettings.max_file_bytes); split it or raise the bound",
            )
        if name.endswith(WARC_SUFFIXES):
            yield from _read_warc(path, on_problem, settings)
        elif name.endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(path, on_problem, settings)
        elif name.endswith(PARQUET_SUFFIXES):
            yield from read_parquet(path, on_problem, settings)
        else:
            kind: PageKind = "html" if name.endswith(HTML_SUFFIXES) else "text"
            data = _load_bytes(path, settings)
            yield Page(id=page_id, kind=kind, content=_page_text(path, data, kind), source_path=str(path))
    except InputError as problem:
        on_problem(problem)
    except OSError as exc:
        on_problem(InputError(str(path), f"cannot read file ({exc.strerror or exc})"))


def _load_bytes(path: InputFile, settings: ReadSettings) -> bytes:
    """The file's bytes, gunzipped when named .gz, cut at the page size bound."""
    limit = settings.max_page_bytes
    if path.name.lower().endswith(".gz"):
        try:
            with path.open("rb") as raw, gzip.GzipFile(fileobj=raw) as stream:
                data = stream.read(limit)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputError(str(path), f"truncated or corrupt gzip data ({exc})") from exc
    else:
        with path.open("rb") as stream:
            data = stream.read(min(limit, _size(path)))
    if not data.strip():
        raise InputError(str(path), "empty file")
    return data


def _page_text(path: InputFile, data: bytes, kind: PageKind, declared: str | None = None) -> str:
    if _looks_binary(data):
        raise InputError(str(path), f"binary data, not {'HTML' if kind == 'html' else 'text'}")
    text = decode_bytes(data, declared)
    if not text.strip():  # a byte-order mark or Unicode spaces alone (found by the property tests)
        raise InputError(str(path), "empty file")
    if kind == "html" and "<" not in text[:100_000]:
        raise InputError(str(path), "no HTML markup found")
    return text


def _read_jsonl(path: InputFile, on_problem: ProblemHandler, settings: ReadSettings) -> Iterator[Page]:
    gzipped = path.name.lower().endswith(".gz")
    empty = True
    try:
        with path.open("rb") as raw:
            stream: io.BufferedIOBase = (
                io.BufferedReader(_Capped(gzip.GzipFile(fileobj=raw), settings.max_decompressed_bytes, path))
                if gzipped
                else raw
            )
            for number, raw_line in _bounded_lines(stream, settings.max_jsonl_line_bytes):
                where = f"{path}:{number}"
                if raw_line is None:
                    on_problem(
                        InputError(
                            where,
                            f"line longer than {settings.max_jsonl_line_bytes:,} bytes "
                            "(ReadSettings.max_jsonl_line_bytes); record skipped",
                        )
                    )
                    empty = False
                    continue
                if not raw_line.strip():
                    continue
                empty = False
                page = _jsonl_record(raw_line, where, path, on_problem, settings)
                if page is not None:  # a repeated record id is renamed by `unique_ids`, not dropped
                    yield page
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(str(path), f"truncated or corrupt gzip data ({exc})") from exc
    if empty:
        raise InputError(str(path), "empty file")


def _bounded_lines(stream: io.BufferedIOBase, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a byte stream; None for a line over `limit` bytes, which is read past in
    chunks and never held whole."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


class _Capped(io.RawIOBase):
    """A stream that raises `InputError` once more than `cap` bytes were read from it (a gzip bomb)."""

    def __init__(self, inner: io.BufferedIOBase, cap: int, path: InputFile) -> None:
        super().__init__()
        self._inner = inner
        self._left = cap
        self._cap = cap
        self._path = path

    def readable(self) -> bool:
        return True

    def readinto(self, target: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(min(len(target), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise InputError(
                str(self._path),
                f"decompresses to more than {self._cap:,} bytes "
                "(ReadSettings.max_decompressed_bytes; a gzip bomb?); read up to there",
            )
        target[: len(data)] = data
        return len(data)


def _jsonl_record(
    raw_line: bytes, where: str, path: InputFile, on_problem: ProblemHandler, settings: ReadSettings
) -> Page | None:
    """One JSONL line as a Page, or None after reporting why it was rejected."""
    try:
        record = json.loads(decode_bytes(raw_line))
        return _record_page(record, where, path, settings)
    except ValueError as exc:
        on_problem(InputError(where, f"invalid JSON ({exc.__class__.__name__}: {str(exc)[:80]})"))
    except InputError as problem:
        on_problem(problem)
    return None


def _record_page(record: object, where: str, path: InputFile, settings: ReadSettings) -> Page:
    if not isinstance(record, dict):
        raise InputError(where, "record is not a JSON object")
    record_id = record.get("id")
    if not isinstance(record_id, str | int) or str(record_id) == "":
        raise InputError(where, 'record has no "id"')
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        kind: PageKind = "html"
        content = html
    elif isinstance(text, str) and text.strip():
        kind, content = "text", text
    else:
        raise InputError(where, 'record has neither "text" nor "html"')
    content = content[: settings.max_page_bytes]

    def field(name: str) -> str | None:
        value = record.get(name)
        return value.strip()[:2000] or None if isinstance(value, str) else None

    published = field("published")
    day = _ISO_DAY.match(published or "")
    return Page(
        id=str(record_id),
        kind=kind,
        content=content,
        source_path=str(path),
        url=field("url"),
        title=field("title"),
        published=day.group(1) if day else None,
        source=field("source"),
    )


def read_parquet(path: InputFile, on_problem: ProblemHandler, settings: ReadSettings) -> Iterator[Page]:
    """The pages of a Parquet file: one a row, the columns a JSONL record's fields (`id`, `text` or
    `html`, optional `url`, `title`, `published`, `source`); read by row groups, so a file bigger than
    memory streams. Needs pyarrow (the `spark` extra)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(str(path), "reading Parquet needs pyarrow: pip install 'newsfold[spark]'") from exc
    wanted = ("id", "text", "html", "url", "title", "published", "source")
    try:
        table = pq.ParquetFile(path if isinstance(path, Path) else pa.BufferReader(path.data))
        columns = [name for name in table.schema_arrow.names if name in wanted]
        if "id" not in columns:
            raise InputError(str(path), 'Parquet file has no "id" column')
        row = 0
        for batch in table.iter_batches(batch_size=1024, columns=columns):
            for record in batch.to_pylist():
                row += 1
                try:
                    yield _record_page(record, f"{path}:row {row}", path, settings)
                except InputError as problem:
                    on_problem(problem)
    except (OSError, ValueError, pa.ArrowException) as exc:  # any damage pyarrow finds
        raise InputError(str(path), f"not a readable Parquet file ({str(exc)[:120]})") from exc


def _read_warc(path: InputFile, on_problem: ProblemHandler, settings: ReadSettings) -> Iterator[Page]:
    """The HTML responses of a WARC file (plain, or gzipped record by record), each damage reported."""
    with path.open("rb") as head:
        magic = head.read(8)
    if not magic.strip():
        raise InputError(str(path), "empty file")
    with path.open("rb") as file:
        stream: io.RawIOBase | io.BufferedIOBase = (
            _GzipMembers(
                file,
                member_cap=settings.max_warc_record_bytes,
                total_cap=settings.max_decompressed_bytes,
            )
            if magic.startswith(b"\x1f\x8b")
            else file
        )
        end = yield from _warc_pages(stream, path, on_problem, settings)
    if end.finished:
        for problem in _warc_damage(path, end, stream, settings):
            on_problem(problem)


@dataclass(frozen=True)
class _WarcEnd:
    """How a WARC's records were read: `count` HTML responses; `bad_lengths` records whose Content-Length
    did not match; `finished` false when reading stopped early (the reason reported already)."""

    count: int
    bad_lengths: int
    finished: bool


def _warc_pages(
    stream: io.RawIOBase | io.BufferedIOBase,
    path: InputFile,
    on_problem: ProblemHandler,
    settings: ReadSettings,
) -> Generator[Page, None, _WarcEnd]:
    """The pages of a WARC stream's HTML responses, until its end, its record cap or damage warcio finds."""
    # warcio rather than FastWARC: FastWARC 2.0 panics (an uncatchable Rust panic) on non-seekable streams
    # and stops silently at a cut .warc.gz; warcio raises ordinary exceptions and reads any stream.
    from warcio.exceptions import ArchiveLoadFailed

    count = records = 0
    try:
        records_iter = _quiet_archive_iterator()(stream, arc2warc=True)
        for record in records_iter:
            records += 1
            if records > settings.max_warc_records:
                on_problem(_too_many_records(path, count, settings))
                return _WarcEnd(count, 0, finished=False)
            if record.rec_type is None:  # warcio reads noise after a blank line as a headerless record
                raise ValueError("a record without a WARC header")
            if record.rec_type != "response" or record.http_headers is None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path.name}#{count}"
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if content_type and "html" not in content_type:
                continue
            payload = record.content_stream().read(settings.max_page_bytes)
            count += 1
            try:
                page = _warc_page(
                    path, uri, payload, content_type, record.rec_headers.get_header("WARC-Date")
                )
            except InputError as problem:
                on_problem(problem)
                continue
            yield page
    except InputError:
        raise
    except (
        ArchiveLoadFailed,
        ValueError,
        EOFError,
        zlib.error,
        LookupError,
        AttributeError,
        TypeError,
        OverflowError,
    ) as exc:
        # warcio raises these on malformed bytes (AttributeError: a record header it cannot parse, found
        # by tests/test_hostile_properties.py; OverflowError: a Content-Length of 60 digits, found by
        # tests/fuzz). The exception text may quote the file's bytes: name only its kind.
        on_problem(
            InputError(str(path), f"not a readable WARC after {count} records ({exc.__class__.__name__})")
        )
        return _WarcEnd(count, 0, finished=False)
    return _WarcEnd(count, records_iter.err_count, finished=True)


def _too_many_records(path: InputFile, count: int, settings: ReadSettings) -> InputError:
    return InputError(
        str(path),
        f"more than {settings.max_warc_records:,} records "
        f"(ReadSettings.max_warc_records); kept the {count} pages before it",
    )


def _warc_page(path: InputFile, uri: str, payload: bytes, content_type: str, warc_date: str | None) -> Page:
    """One HTML response as a Page (InputError naming the file and the record when it is empty or
    cannot be decoded)."""
    where = f"{path} {uri}"
    if not payload.strip():
        raise InputError(where, "empty response body")
    try:
        content = _page_text(path, payload, "html", declared=_http_charset(content_type))
    except InputError as problem:
        raise InputError(where, problem.reason) from None
    captured = _ISO_TIME.match(warc_date or "")
    return Page(
        id=uri,
        kind="html",
        content=content,
        source_path=str(path),
        url=uri,
        captured=captured.group(0) if captured else None,
    )


def _warc_damage(
    path: InputFile, end: _WarcEnd, stream: io.RawIOBase | io.BufferedIOBase, settings: ReadSettings
) -> list[InputError]:
    """What a WARC read to its end had wrong: records of the wrong length, and (gzipped) records skipped
    as too big, a cap on the whole, or a cut."""
    problems = []
    if end.bad_lengths:
        problems.append(
            InputError(
                str(path),
                f"{end.bad_lengths} records whose Content-Length does not match their content; "
                "read as far as they could be",
            )
        )
    if not isinstance(stream, _GzipMembers):
        return problems
    if stream.skipped:
        problems.append(
            InputError(
                str(path),
                f"{stream.skipped} records of more than {settings.max_warc_record_bytes:,} "
                "bytes unpacked skipped (ReadSettings.max_warc_record_bytes; a gzip bomb, or a WARC "
                "gzipped whole rather than record by record)",
            )
        )
    if stream.capped:
        problems.append(
            InputError(
                str(path),
                f"decompresses to more than {settings.max_decompressed_bytes:,} bytes "
                f"(ReadSettings.max_decompressed_bytes; a gzip bomb?); kept the {end.count} pages before",
            )
        )
    elif stream.truncated:
        problems.append(
            InputError(
                str(path), f"truncated gzip data; kept the {end.count} complete records before the cut"
            )
        )
    return problems


@cache
def _quiet_archive_iterator() -> type:
    import logging

    from warcio.archiveiterator import ArchiveIterator

    # warcio logs what it repairs (e.g. spaces in a WARC-Target-URI, quoting the file's bytes); with no
    # handler, Python would print each to stderr, between newsfold's one-line problems.
    logging.getLogger("warcio").addHandler(logging.NullHandler())

    class QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
        """warcio's iterator without its multi-line stderr warnings; `err_count` says how many."""

        INC_RECORD = ""

    return QuietArchiveIterator


class _GzipMembers(io.RawIOBase):
    """A streaming gunzip over concatenated gzip members (one WARC record each) that notices a cut file.

    WARC readers stop quietly at a truncated .warc.gz, or hand back the cut record; this reader releases
    only complete members and sets `truncated`, so the user is told and never gets half a page. A member
    that decompresses past `member_cap` bytes is dropped whole (`skipped` counts them: the next member is
    the next record), and past `total_cap` bytes in all the stream ends (`capped`): gzip bombs.
    """

    def __init__(
        self,
        raw: io.BufferedIOBase,
        chunk_size: int = 1 << 16,
        member_cap: int = ReadSettings.max_warc_record_bytes,
        total_cap: int = ReadSettings.max_decompressed_bytes,
    ) -> None:
        super().__init__()
        self._raw = raw
        self._chunk_size = chunk_size
        self._member_cap = member_cap
        self._total_left = total_cap
        self._dropping = False  # the current member went past member_cap: its bytes are thrown away
        self.skipped = 0
        self.capped = False
        self._decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member = bytearray()  # the current member, held back until it is complete
        self._ready = bytearray()
        self._pending = b""
        self._done = False
        self._started = False  # some bytes of the current member were read
        self.truncated = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: memoryview) -> int:  # type: ignore[override]
        while not self._ready and not self._done:
            self._fill()
        size = min(len(target), len(self._ready))
        target[:size] = self._ready[:size]
        del self._ready[:size]
        return size

    def _fill(self) -> None:
        data = self._pending or self._raw.read(self._chunk_size)
        self._pending = b""
        if not data:
            self.truncated = self._started  # end of file inside a member: cut
            self._done = True
            return
        self._started = True
        try:
            unpacked = self._decompressor.decompress(data)
        except zlib.error:
            self.truncated = True
            self._done = True
            return
        self._total_left -= len(unpacked)
        if self._total_left < 0:
            self.capped = True
            self._done = True
            return
        if not self._dropping:
            self._member += unpacked
            if len(self._member) > self._member_cap:
                self._dropping = True
                self._member = bytearray()
        if self._decompressor.eof:
            if self._dropping:
                self.skipped += 1
            else:
                self._ready += self._member
            self._dropping = False
            self._member = bytearray()
            self._pending = self._decompressor.unused_data.lstrip(b"\x00\r\n")
            self._decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._started = False


def _http_charset(content_type: str) -> str | None:
    match = re.search(r"charset=([\w.:-]+)", content_type)
    return match.group(1) if match else None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 4 KB mean this is no text or HTML page."""
    head = data[:4096]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C: ~40 us a page in Python
    # 5%: UTF-8 and legacy-encoded news pages seen here have none; random bytes have ~12%.
    return controls > 0.05 * len(head)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _charset_alias(name: str) -> str:
    """Browsers read latin-1 labels as windows-1252 (WHATWG Encoding); do the same."""
    lowered = name.strip().lower()
    return "cp1252" if lowered in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"} else lowered


def _size(path: InputFile) -> int:
    return len(path.data) if isinstance(path, FetchedFile) else path.stat().st_size


def _supported(name: str) -> bool:
    return name.lower().endswith(SUPPORTED_SUFFIXES)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
