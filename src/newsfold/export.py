"""The documented JSON shapes of articles and stories (the `--json` schema, version 1).

One place turns the dataclasses into plain dicts, so the CLI, the store and the web app all print the
same fields. The README documents every key; `tests/test_export.py` keeps the two honest.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from newsfold.models import (
    Article,
    ArticleSource,
    CopyLink,
    FoldResult,
    InputProblem,
    RemovedLine,
    RemovedLines,
    SourcedText,
    Story,
)
from newsfold.outlets import Coverage, coverage_of

__all__ = [
    "SCHEMA_VERSION",
    "FoldWriter",
    "article_to_dict",
    "fold_json_text",
    "fold_to_dict",
    "json_text",
    "parquet_schemas",
    "problem_to_dict",
    "story_to_dict",
]

SCHEMA_VERSION = 1

ARTICLE_KEYS = (
    "id",
    "title",
    "text",
    "published",
    "published_from",
    "authors",
    "credits",
    "dateline",
    "captions",
    "lang",
    "url",
    "domain",
    "outlet",
    "dates_mentioned",
    "removed",
)
STORY_KEYS = (
    "id",
    "headline",
    "articles",
    "origins",
    "copies",
    "event_date",
    "sources",
    "coverage",
    "summary",
    "adds",
    "quotes",
    "discrepancies",
    "changes",
    "flags",
    "thread",
    "related",
)


def article_to_dict(article: Article) -> dict[str, Any]:
    """An article as one JSON Lines record of `newsfold clean --json`."""
    record = _article_fields(article)
    record["removed"] = [{"line": r.line, "reason": r.reason} for r in article.removed]
    return record


def _article_fields(article: Article) -> dict[str, Any]:
    """`article_to_dict` but its last key, `removed`."""
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "published": article.published,
        "published_from": article.published_from,
        "authors": list(article.authors),
        "credits": list(article.credits),
        "dateline": article.dateline,
        "captions": list(article.captions),
        "lang": article.lang,
        "url": article.url,
        "domain": article.domain,
        "outlet": article.outlet,
        "dates_mentioned": list(article.dates_mentioned),
    }


def story_to_dict(story: Story) -> dict[str, Any]:
    """A story as printed by `newsfold story --json` and inside `newsfold fold --json`."""
    return {
        "id": story.id,
        "headline": story.headline,
        "articles": list(story.articles),
        "origins": [list(group) for group in story.origins],
        "copies": [_copy_to_dict(link) for link in story.copies],
        "event_date": story.event_date,
        "sources": [_source_to_dict(s) for s in story.sources],
        "coverage": _coverage_to_dict(coverage_of(story)),
        "summary": [_sourced(s) for s in story.summary],
        "adds": [_sourced(s) for s in story.adds],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "sources": list(q.sources),
                "variants": [_sourced(v) for v in q.variants],
            }
            for q in story.quotes
        ],
        "discrepancies": [
            {"about": d.about, "variants": [_sourced(v) for v in d.variants]} for d in story.discrepancies
        ],
        "changes": [
            {"article": c.article, "of": c.of, "kind": c.kind, "before": c.before, "after": c.after}
            for c in story.changes
        ],
        "flags": [{"article": f.article, "kind": f.kind, "detail": f.detail} for f in story.flags],
        "thread": story.thread,
        "related": list(story.related),
    }


def fold_to_dict(result: FoldResult) -> dict[str, Any]:
    """The whole `newsfold fold --json` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "articles": [article_to_dict(a) for a in result.articles],
        "stories": [story_to_dict(s) for s in result.stories],
        "problems": [problem_to_dict(p) for p in result.problems],
    }


def fold_json_text(result: FoldResult) -> str:
    """`json_text(fold_to_dict(result))`, the same text, without a dict for each removed line.

    A fold's articles hold tens of thousands of removed lines (57,710 in bench/fold's 2,400 pages): made
    into dicts and walked by `json_text`, they were most of the output's CPU; here each line is one string
    made from a template per reason (`_RemovedJSON`).
    """
    document = {
        "schema_version": SCHEMA_VERSION,
        "articles": [{**_article_fields(a), "removed": _RemovedJSON(a.removed)} for a in result.articles],
        "stories": [story_to_dict(s) for s in result.stories],
        "problems": [problem_to_dict(p) for p in result.problems],
    }
    parts: list[str] = []
    try:
        _indented(document, "\n", parts.append)
    except _Unsupported:
        return json_text(fold_to_dict(result))
    return "".join(parts)


def problem_to_dict(problem: InputProblem) -> dict[str, Any]:
    """A rejected input as `--json` and `problems.jsonl` print it."""
    return {"path": problem.path, "reason": problem.reason}


def _source_to_dict(source: ArticleSource) -> dict[str, Any]:
    return {
        "article": source.article,
        "outlet": source.outlet,
        "domain": source.domain,
        "url": source.url,
        "title": source.title,
        "published": source.published,
        "lang": source.lang,
        "country": source.country,
    }


def _coverage_to_dict(coverage: Coverage) -> dict[str, Any]:
    return {
        "pages": coverage.pages,
        "outlets": coverage.outlets,
        "origins": coverage.origins,
        "languages": list(coverage.languages),
        "countries": list(coverage.countries),
    }


def _copy_to_dict(link: CopyLink) -> dict[str, Any]:
    return {
        "article": link.article,
        "of": link.of,
        "relation": link.relation,
        "shared": round(link.shared, 3),
        "adds": list(link.adds),
        "lacks": list(link.lacks),
    }


def _sourced(item: SourcedText) -> dict[str, Any]:
    return {"text": item.text, "sources": list(item.sources)}


# Records written to Parquet at a time: a batch of stories is a few MB, and a million never sit in memory.
PARQUET_BATCH_RECORDS = 2000


def parquet_schemas() -> dict[str, Any]:
    """The pyarrow schemas of `articles.parquet` and `stories.parquet`: the JSON records, typed (schema
    version 1), so that every batch of a streamed file has one schema whatever its values (a batch whose
    `headline`s are all null is still a string column)."""
    import pyarrow as pa

    text, texts = pa.string(), pa.list_(pa.string())
    sourced = pa.list_(pa.struct([("text", text), ("sources", texts)]))
    article = pa.schema(
        [
            *((name, text) for name in ("id", "title", "text", "published", "published_from")),
            ("authors", texts),
            ("credits", texts),
            ("dateline", text),
            ("captions", texts),
            *((name, text) for name in ("lang", "url", "domain", "outlet")),
            ("dates_mentioned", texts),
            ("removed", pa.list_(pa.struct([("line", pa.int64()), ("reason", text)]))),
        ]
    )
    copy = pa.struct(
        [("article", text), ("of", text), ("relation", text), ("shared", pa.float64()), ("adds", texts),
         ("lacks", texts)]
    )  # fmt: skip
    source = pa.struct([(name, text) for name in _SOURCE_KEYS])
    coverage = pa.struct(
        [("pages", pa.int64()), ("outlets", pa.int64()), ("origins", pa.int64()), ("languages", texts),
         ("countries", texts)]
    )  # fmt: skip
    quote = pa.struct([("text", text), ("speaker", text), ("sources", texts), ("variants", sourced)])
    change = pa.struct([(name, text) for name in ("article", "of", "kind", "before", "after")])
    flag = pa.struct([(name, text) for name in ("article", "kind", "detail")])
    story = pa.schema(
        [
            ("id", text),
            ("headline", text),
            ("articles", texts),
            ("origins", pa.list_(texts)),
            ("copies", pa.list_(copy)),
            ("event_date", text),
            ("sources", pa.list_(source)),
            ("coverage", coverage),
            ("summary", sourced),
            ("adds", sourced),
            ("quotes", pa.list_(quote)),
            ("discrepancies", pa.list_(pa.struct([("about", text), ("variants", sourced)]))),
            ("changes", pa.list_(change)),
            ("flags", pa.list_(flag)),
            ("thread", text),
            ("related", texts),
        ]
    )
    return {"articles": article, "stories": story}


_SOURCE_KEYS = ("article", "outlet", "domain", "url", "title", "published", "lang", "country")


class FoldWriter:
    """Writes a fold into a folder as it goes: `articles.jsonl`, `stories.jsonl` (one documented object a
    line, as `--json` prints them), `problems.jsonl`, and, when pyarrow is installed, the same records as
    `articles.parquet` and `stories.parquet` (typed by `parquet_schemas`, written a batch at a time).

    For corpora whose one JSON document would not fit in memory: articles are written chunk by chunk as
    they are cleaned, stories as they are written; no more than a batch of records is held.

    >>> with FoldWriter(Path("out")) as writer:  # doctest: +SKIP
    ...     writer.add_articles(articles)
    """

    def __init__(self, folder: Path, *, parquet: bool = True) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._files = {
            name: (folder / f"{name}.jsonl").open("w", encoding="utf-8")
            for name in ("articles", "stories", "problems")
        }
        self._parquet: dict[str, Any] = {}  # name -> pyarrow.parquet.ParquetWriter, opened at its first batch
        self._batches: dict[str, list[dict[str, Any]]] = {"articles": [], "stories": []}
        self._schemas: dict[str, Any] | None = None
        if parquet:
            try:
                self._schemas = parquet_schemas()
            except ImportError:  # Parquet is optional: the JSON Lines files hold everything
                self._schemas = None

    def add_articles(self, articles: Iterable[Article]) -> None:
        self._write("articles", (article_to_dict(a) for a in articles))

    def add_stories(self, stories: Iterable[Story]) -> None:
        self._write("stories", (story_to_dict(s) for s in stories))

    def add_problems(self, problems: Iterable[InputProblem]) -> None:
        self._write("problems", (problem_to_dict(p) for p in problems))

    def _write(self, name: str, records: Iterable[dict[str, Any]]) -> None:
        out = self._files[name]
        batch = self._batches.get(name) if self._schemas is not None else None
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if batch is not None:
                batch.append(record)
                if len(batch) >= PARQUET_BATCH_RECORDS:
                    self._flush(name)

    def _flush(self, name: str) -> None:
        """Write the batch of `name` records held to its Parquet file."""
        batch = self._batches[name]
        if not batch or self._schemas is None:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = self._schemas[name]
        if name not in self._parquet:
            self._parquet[name] = pq.ParquetWriter(self.folder / f"{name}.parquet", schema)
        self._parquet[name].write_table(pa.Table.from_pylist(batch, schema=schema))
        batch.clear()

    def close(self) -> None:
        for out in self._files.values():
            out.close()
        for name in self._batches:
            self._flush(name)
        for writer in self._parquet.values():
            writer.close()
        self._parquet.clear()

    def __enter__(self) -> FoldWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def json_text(document: Any) -> str:
    """`json.dumps(document, ensure_ascii=False, indent=2)`, the same text, faster for a fold's document.

    Python's C encoder cannot indent, and its pure-Python one spent 0.52 s of CPU on bench/fold's 2,400
    articles and 238 stories (21 MB); this one writes into one list of pieces without its generators.
    A document holding anything but dicts with string keys, lists, tuples, strings, ints, floats, bools
    and None is handed to `json.dumps` itself.
    """
    parts: list[str] = []
    try:
        _indented(document, "\n", parts.append)
    except _Unsupported:
        return json.dumps(document, ensure_ascii=False, indent=2)
    return "".join(parts)


class _Unsupported(Exception):
    """A value `json_text` leaves to `json.dumps`."""


_ESCAPED = json.encoder.encode_basestring  # the C escaper json.dumps(ensure_ascii=False) uses
_CONSTANTS = {None: "null", True: "true", False: "false"}
# The documented keys as `_indented` writes them, escaped once (a fold's document names them ~100,000 times).
_NAMES = {
    key: _ESCAPED(key) + ": "
    for key in (
        *ARTICLE_KEYS, *STORY_KEYS, "schema_version", "path", "reason", "line", "text", "sources", "speaker",
        "variants", "about", "article", "of", "kind", "before", "after", "detail", "relation", "shared",
        "adds", "lacks", "pages", "outlets", "languages", "countries", *_SOURCE_KEYS,
    )
}


def _indented(value: Any, indent: str, put: Callable[[str], None]) -> None:
    """Put `value` as JSON indented by 2, its lines after the first starting with `indent` (a newline and
    spaces)."""
    kind = type(value)
    if kind is str:
        put(_ESCAPED(value))
    elif kind is dict:
        if not value:
            put("{}")
            return
        inner = indent + "  "
        separator = "{" + inner
        for key, item in value.items():
            name = _NAMES.get(key)
            if name is None:
                if type(key) is not str:
                    raise _Unsupported
                name = _ESCAPED(key) + ": "
            if type(item) is str:  # most values: written here, not by a call
                put(separator + name + _ESCAPED(item))
            else:
                put(separator + name)
                _indented(item, inner, put)
            separator = "," + inner
        put(indent + "}")
    elif kind is list or kind is tuple:
        if not value:
            put("[]")
            return
        inner = indent + "  "
        if all(type(item) is str for item in value):
            put("[" + inner + ("," + inner).join(map(_ESCAPED, value)) + indent + "]")
            return
        separator = "[" + inner
        for item in value:
            put(separator)
            _indented(item, inner, put)
            separator = "," + inner
        put(indent + "]")
    elif value is None or kind is bool:
        put(_CONSTANTS[value])
    elif kind is int:
        put(int.__repr__(value))
    elif kind is float and math.isfinite(value):
        put(float.__repr__(value))
    elif kind is _RemovedJSON:
        put(value.json(indent))
    else:
        raise _Unsupported


class _RemovedJSON:
    """An article's removed lines where `article_to_dict` has their list of dicts, for `json_text` to write
    as it would write that list (`fold_json_text`), each line one string: a template per reason."""

    __slots__ = ("removed",)

    def __init__(self, removed: Sequence[RemovedLine]) -> None:
        self.removed = removed

    def json(self, indent: str) -> str:
        """The list as `_indented` writes `[{"line": n, "reason": r}, ...]` at `indent`."""
        removed = self.removed
        if not removed:
            return "[]"
        if isinstance(removed, RemovedLines):
            numbers, codes, reasons = removed.numbers, list(removed.codes), removed.reasons
        else:
            reasons = tuple(dict.fromkeys(r.reason for r in removed))
            code = {reason: n for n, reason in enumerate(reasons)}
            numbers, codes = tuple(r.line for r in removed), [code[r.reason] for r in removed]
        if not all(type(n) is int for n in numbers) or not all(type(r) is str for r in reasons):
            raise _Unsupported  # what `article_to_dict` would hold is left to json.dumps
        inner = indent + "  "
        head = "{" + inner + "  " + '"line": '
        tails = [f',{inner}  "reason": {_ESCAPED(reason)}{inner}}}' for reason in reasons]
        lines = [head + int.__repr__(n) + tails[c] for n, c in zip(numbers, codes, strict=True)]
        return "[" + inner + ("," + inner).join(lines) + indent + "]"
