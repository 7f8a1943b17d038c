"""The records of a fold's resumable state (`engine.spill`): articles, origin groups and stories as JSON.

The store's encoding (`store.article_from_dict`, `store.group_from_dict` read them back): each dataclass's
fields by name, tuples as lists, an article's removed lines as a list of {line, text, reason}. A state
outlives the process that wrote it, so its records are data, never pickles. What they cost (CPU,
bench/out/fold-corpus-2400's articles, ~24 removed lines each): 46 us to write an article, ~45 us to read
it back (pickle: ~12 and ~20 us), made by the C encoder with `_fields` as its hook for dataclasses.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from newsfold.models import (
    Article,
    ArticleSource,
    Change,
    CopyLink,
    Discrepancy,
    Flag,
    OriginGroup,
    Quote,
    RemovedLines,
    SourcedText,
    Story,
)
from newsfold.store import article_from_dict, group_from_dict

__all__ = ["article_from_json", "group_from_json", "json_record", "story_from_json"]


def json_record(record: Article | OriginGroup | Story) -> str:
    """A record as the store encodes it: the dataclass fields as JSON (an article's as `article_record`'s),
    made by the C encoder, which hands each dataclass to `_fields` (`asdict`'s deep copies cost 183 us an
    article of bench/out/fold-corpus-2400)."""
    return json.dumps(record, ensure_ascii=False, default=_fields)


def _fields(value: Any) -> Any:
    """A dataclass as the dict of its fields; an article's `RemovedLines` as the list of its lines' dicts
    (read from its columns, not made into `RemovedLine`s first)."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: getattr(value, name) for name in value.__dataclass_fields__}
    if isinstance(value, RemovedLines):
        reasons = value.reasons
        return [
            {"line": n, "text": t, "reason": reasons[c]}
            for n, t, c in zip(value.numbers, value.texts, value.codes, strict=True)
        ]
    return list(value)


def article_from_json(record: str) -> Article:
    """An article from its record, its removed lines as columns (`RemovedLines`), as the cleaner makes
    them: one object, not one a line."""
    data = json.loads(record)
    removed = data.pop("removed", ())
    article = article_from_dict(data)
    reasons = list(dict.fromkeys(r["reason"] for r in removed))
    if not removed or len(reasons) > 255:  # a code is one byte
        return article if not removed else article_from_dict({**data, "removed": removed})
    code = {reason: k for k, reason in enumerate(reasons)}
    columns = RemovedLines(
        [r["line"] for r in removed],
        [r["text"] for r in removed],
        bytes(code[r["reason"]] for r in removed),
        reasons,
    )
    return replace(article, removed=columns)


def group_from_json(record: str) -> OriginGroup:
    return group_from_dict(json.loads(record))


def story_from_json(record: str) -> Story:
    """A story from its dataclass fields as JSON (`json_record`)."""
    data = json.loads(record)

    def sourced(items: list[dict[str, Any]]) -> tuple[SourcedText, ...]:
        return tuple(SourcedText(s["text"], tuple(s["sources"])) for s in items)

    return Story(
        id=data["id"],
        headline=data["headline"],
        articles=tuple(data["articles"]),
        origins=tuple(tuple(group) for group in data["origins"]),
        copies=tuple(
            CopyLink(**{**link, "adds": tuple(link["adds"]), "lacks": tuple(link["lacks"])})
            for link in data["copies"]
        ),
        event_date=data["event_date"],
        sources=tuple(ArticleSource(**s) for s in data["sources"]),
        summary=sourced(data["summary"]),
        adds=sourced(data["adds"]),
        quotes=tuple(
            Quote(q["text"], q["speaker"], tuple(q["sources"]), sourced(q["variants"]))
            for q in data["quotes"]
        ),
        discrepancies=tuple(Discrepancy(d["about"], sourced(d["variants"])) for d in data["discrepancies"]),
        changes=tuple(Change(**c) for c in data["changes"]),
        flags=tuple(Flag(**f) for f in data["flags"]),
        thread=data["thread"],
        related=tuple(data["related"]),
    )
