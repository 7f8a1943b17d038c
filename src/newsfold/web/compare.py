"""The story page's views of its sources: marked passages, the copy tree, the timeline, marked snippets.

Pure functions over a stored story (its `--json` dict) and its Articles. Scraped text is escaped before
any markup is added: `marked_snippet` escapes the snippet and only then turns the marks into <mark>;
`marked_paragraphs` returns plain-text segments with a class each, which the template escapes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from newsfold.models import Article
from newsfold.syndication.passages import passages_of

__all__ = [
    "Segment",
    "TimelineDay",
    "TreeNode",
    "copy_tree",
    "marked_paragraphs",
    "marked_snippet",
    "timeline",
]


def marked_snippet(snippet: str, marks: tuple[str, str]) -> Markup:
    """The snippet escaped, then each marked word wrapped in <mark>; stray marks dropped."""
    opened, closed = (re.escape(str(escape(m))) for m in marks)
    escaped = str(escape(snippet))
    marked = re.sub(f"{opened}(.*?){closed}", r"<mark>\1</mark>", escaped, flags=re.DOTALL)
    return Markup(marked.replace(marks[0], "").replace(marks[1], ""))


@dataclass(frozen=True)
class Segment:
    """A run of one paragraph: its text, its kinds ("" or some of "shared", "adds", "lacked", space-separated:
    the CSS classes) and a note saying what they mean here."""

    text: str
    kind: str = ""
    note: str = ""


def _contains(passages: Sequence[str], sentence: str) -> bool:
    return any(sentence in p for p in passages)


def marked_paragraphs(
    article: Article, story: Mapping[str, Any], numbers: Mapping[str, int]
) -> list[list[Segment]]:
    """The article's paragraphs cut into sentences, each marked by what the story's copy links say:
    "adds" (this copy has it, its origin does not) or "shared" (this copy has it from its origin), and
    "lacked" (a copy of this article leaves it out; the note names which)."""
    copies = story.get("copies") or []
    own = next((c for c in copies if c["article"] == article.id), None)
    lacked_by = [(c["article"], c["lacks"]) for c in copies if c["of"] == article.id and c["lacks"]]
    by_paragraph: dict[int, list[str]] = {}
    for passage in passages_of(article):
        by_paragraph.setdefault(passage.paragraph, []).append(passage.text)
    out: list[list[Segment]] = []
    for p, paragraph in enumerate(article.paragraphs):
        segments: list[Segment] = []
        cursor = 0
        for sentence in by_paragraph.get(p, ()):
            at = paragraph.find(sentence, cursor)
            if at < 0:
                continue
            if at > cursor:
                segments.append(Segment(paragraph[cursor:at]))
            kinds, notes = [], []
            if own is not None:
                origin = numbers.get(own["of"], "?")
                if _contains(own["adds"], sentence):
                    kinds.append("adds")
                    notes.append(f"not in its origin [{origin}]")
                else:
                    kinds.append("shared")
                    notes.append(f"also in its origin [{origin}]")
            missing = [numbers.get(copy, 0) for copy, lacks in lacked_by if _contains(lacks, sentence)]
            if missing:
                kinds.append("lacked")
                notes.append("left out by " + " ".join(f"[{n}]" for n in sorted(missing)))
            kind, note = " ".join(kinds), "; ".join(notes)
            segments.append(Segment(sentence, kind, note))
            cursor = at + len(sentence)
        if cursor < len(paragraph):
            segments.append(Segment(paragraph[cursor:]))
        out.append(segments)
    return out


@dataclass(frozen=True)
class TreeNode:
    """An article in the copy tree: its relation to its parent (None at a root) and who derives from it."""

    article: str
    relation: str | None
    shared: float | None
    children: tuple[TreeNode, ...]


def copy_tree(story: Mapping[str, Any]) -> list[TreeNode]:
    """Who copied whom: one tree per independent origin, rooted at the article the others derive from."""
    links = {c["article"]: c for c in story.get("copies") or []}
    children: dict[str, list[str]] = {}
    for link in links.values():
        children.setdefault(link["of"], []).append(link["article"])

    def node(article_id: str, seen: frozenset[str]) -> TreeNode:
        link = links.get(article_id)
        kids = tuple(node(k, seen | {k}) for k in children.get(article_id, ()) if k not in seen)
        return TreeNode(
            article_id, link["relation"] if link else None, link["shared"] if link else None, kids
        )

    roots = [a for a in story["articles"] if a not in links or links[a]["of"] not in story["articles"]]
    return [node(r, frozenset({r})) for r in roots]


@dataclass(frozen=True)
class TimelineDay:
    """A day on the story's timeline: the articles dated that day and whether the event happened then."""

    date: str
    articles: tuple[str, ...]
    event: bool


def timeline(story: Mapping[str, Any], articles: Mapping[str, Article]) -> list[TimelineDay]:
    """The articles' dates and the event date, oldest first."""
    days: dict[str, list[str]] = {}
    for article_id in story["articles"]:
        article = articles.get(article_id)
        if article is not None and article.published:
            days.setdefault(article.published, []).append(article_id)
    event = story.get("event_date")
    if event:
        days.setdefault(event, [])
    return [TimelineDay(d, tuple(days[d]), d == event) for d in sorted(days)]
