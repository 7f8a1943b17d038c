"""The documented JSON shapes of articles and stories (the `--json` schema, version 1).

One place turns the dataclasses into plain dicts, so the CLI, the store and the web app all print the
same fields. The README documents every key; `tests/test_export.py` keeps the two honest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsfold.models import Article, ArticleSource, CopyLink, FoldResult, InputProblem, SourcedText, Story
from newsfold.outlets import Coverage, coverage_of

__all__ = [
    "SCHEMA_VERSION",
    "FoldWriter",
    "article_to_dict",
    "fold_to_dict",
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
        "removed": [{"line": r.line, "reason": r.reason} for r in article.removed],
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


class FoldWriter:
    """Writes a fold into a folder as it goes: `articles.jsonl`, `stories.jsonl` (one documented object a
    line, as `--json` prints them), `problems.jsonl`, and, when pyarrow is installed, the same records as
    `articles.parquet` and `stories.parquet` at `close()`.

    For corpora whose one JSON document would not fit in memory: articles are written chunk by chunk as
    they are cleaned, stories as they are written.

    >>> with FoldWriter(Path("out")) as writer:  # doctest: +SKIP
    ...     writer.add_articles(articles)
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._files = {
            name: (folder / f"{name}.jsonl").open("w", encoding="utf-8")
            for name in ("articles", "stories", "problems")
        }

    def add_articles(self, articles: Iterable[Article]) -> None:
        self._write("articles", (article_to_dict(a) for a in articles))

    def add_stories(self, stories: Iterable[Story]) -> None:
        self._write("stories", (story_to_dict(s) for s in stories))

    def add_problems(self, problems: Iterable[InputProblem]) -> None:
        self._write("problems", (problem_to_dict(p) for p in problems))

    def _write(self, name: str, records: Iterable[dict[str, Any]]) -> None:
        out = self._files[name]
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        for out in self._files.values():
            out.close()
        try:
            import pyarrow.json as pa_json
            import pyarrow.parquet as pq
        except ImportError:  # Parquet is optional: the JSON Lines files hold everything
            return
        for name in ("articles", "stories"):
            source = self.folder / f"{name}.jsonl"
            if source.stat().st_size:
                pq.write_table(pa_json.read_json(source), self.folder / f"{name}.parquet")

    def __enter__(self) -> FoldWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
