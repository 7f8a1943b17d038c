"""Clean stage: Page -> Article (body paragraphs, captions, metadata, removed lines with reasons).

PLACEHOLDER orchestration: text dumps go through `lines.classify_lines`; HTML is to be handled with
trafilatura. The public contract is `clean(page, context=None) -> Article` and
`clean_pages(pages) -> list[Article]`.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfold.clean.lines import classify_lines
from newsfold.models import Article, Page, RemovedLine

__all__ = ["clean", "clean_pages"]


def clean(page: Page, context: object | None = None) -> Article:
    """Keep the article of one page and its metadata; every dropped line keeps its reason."""
    lines = page.content.splitlines()
    labels = classify_lines(lines, context)
    body = [i for i, lab in enumerate(labels) if lab.kind == "body"]
    captions = [i for i, lab in enumerate(labels) if lab.kind == "caption"]
    titles = [lines[i].strip() for i, lab in enumerate(labels) if lab.kind == "title"]
    removed = tuple(
        RemovedLine(i + 1, lines[i], lab.reason) for i, lab in enumerate(labels) if lab.kind == "drop"
    )
    return Article(
        id=page.id,
        title=page.title or (titles[0] if titles else None),
        paragraphs=tuple(lines[i].strip() for i in body),
        body_lines=tuple(i + 1 for i in body),
        caption_lines=tuple(i + 1 for i in captions),
        captions=tuple(lines[i].strip() for i in captions),
        published=page.published,
        published_from="record" if page.published else None,
        removed=removed,
        url=page.url,
        source=page.source,
    )


def clean_pages(pages: Sequence[Page]) -> list[Article]:
    """Clean every page, with the corpus as context (template lines, other pages' headlines)."""
    return [clean(page) for page in pages]
