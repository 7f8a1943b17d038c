"""Seed fixtures: the five seed pages as Articles (from the gold labels) and their origin groups by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsfold.models import Article, CopyLink, OriginGroup

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"


def _line(lines: list[str], number: int) -> int:
    """The gold line number, or the non-blank line just before it: the gold of 003 is one line late
    from line 84 on (its body lines there point at blank lines)."""
    while number > 1 and not lines[number - 1].strip():
        number -= 1
    return number


def seed_articles() -> list[Article]:
    """The seeds as the clean stage should make them: gold body and caption lines, claimed dates, credits."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    articles = []
    for name, label in sorted(gold.items()):
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        body = [_line(lines, n) for n in label["body_lines"]]
        articles.append(
            Article(
                id=name,
                title=label["title"],
                paragraphs=tuple(lines[i - 1].strip() for i in body),
                body_lines=tuple(body),
                caption_lines=tuple(label["caption_lines"]),
                captions=tuple(lines[i - 1].strip() for i in label["caption_lines"]),
                published=label["claimed_date"],
                published_from="page" if label["claimed_date"] else None,
                authors=tuple(label.get("authors", ())),
                credits=tuple(label["credits"]),
                dateline=label["dateline"],
            )
        )
    return articles


def seed_groups(articles: list[Article]) -> list[OriginGroup]:
    """Origins by hand: the AP story (000 with 001 an excerpt and 002 a version), 003, 004."""
    ids = [a.id for a in articles]
    ap = ids[:3]
    copies = (
        CopyLink(article=ap[1], of=ap[0], relation="excerpt", shared=1.0),
        CopyLink(article=ap[2], of=ap[0], relation="version", shared=0.7),
    )
    return [
        OriginGroup(ap[0], tuple(ap), copies),
        OriginGroup(ids[3], (ids[3],)),
        OriginGroup(ids[4], (ids[4],)),
    ]


@pytest.fixture(scope="session")
def seeds() -> list[Article]:
    return seed_articles()


@pytest.fixture(scope="session")
def groups(seeds: list[Article]) -> list[OriginGroup]:
    return seed_groups(seeds)


@pytest.fixture(scope="session")
def gold_story() -> dict[str, Any]:
    """The gold's story-level labels (event date, discrepancies, quote variants and their speakers)."""
    story: dict[str, Any] = json.loads(GOLD.read_text(encoding="utf-8"))["story"]
    return story
