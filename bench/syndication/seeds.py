"""Seed Articles built from the gold labels (body lines, titles, credits), independent of the cleaner."""

from __future__ import annotations

import json
from pathlib import Path

from newsfold.models import Article

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"


def seed_articles() -> list[Article]:
    """One Article per seed page, its paragraphs the gold body lines in page order."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    out = []
    for name in sorted(gold):
        label = gold[name]
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        out.append(
            Article(
                id=name,
                title=label.get("title"),
                paragraphs=tuple(lines[i - 1].strip() for i in label["body_lines"]),
                credits=tuple(label.get("credits", ())),
                authors=tuple(label.get("authors", ())),
            )
        )
    return out
