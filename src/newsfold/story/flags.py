"""Red flags on single articles, each with its evidence: misdated pages and truncated excerpts.

Uncredited copies are judged by the syndication stage (`newsfold.syndication.uncredited_copy_flags`),
which knows who copied whom; this module only reads dates and text. No flag without evidence: an
article without a claimed date cannot be misdated, and a body that ends its sentences is not cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from newsfold.models import Article, Flag, OriginGroup
from newsfold.story.dates import EventDating, _parse_iso

__all__ = ["misdated_flags", "truncated_flags"]

# A paragraph of at least this many words that stops on a lower-case word without closing punctuation
# was cut mid-sentence. A judgement call, not a measured figure: long enough that subheadings and list
# items (a few words, often title-cased) are not read as cut sentences.
_CUT_MIN_WORDS = 15
_CLOSERS = ".!?…\"”’')]:;"


def misdated_flags(articles: Sequence[Article], dating: EventDating, max_weekday_days: int = 7) -> list[Flag]:
    """Flag pages whose claimed date contradicts what their own text and the rest of the story say.

    Two kinds of evidence, both needing an event date the story's other articles support:
    - the page claims a date before the event it reports as past (`published` < event date - 1 day);
    - the page names the event's day by weekday alone ("on Wednesday"), which places it within
      `max_weekday_days` of the event, yet claims a date further away than that.
    """
    event = dating.date
    if event is None:
        return []
    flags = []
    for article in articles:
        claimed = _parse_iso(article.published)
        if claimed is None:
            continue
        others = [a for a in dating.support if a != article.id]
        if not others:
            continue  # the rest of the story does not back the event date
        gap = (claimed - event).days
        own = dating.mentions.get(article.id, ())
        on_event = [m for m in own if m.date == event]
        weekdays = [m.text for m in on_event if m.kind == "weekday"]
        printed = [m.text for m in own if m.kind == "full" and m.date and abs((m.date - event).days) <= 3]
        evidence = []
        if printed:
            evidence.append(f"its text prints {_quoted(printed)}")
        if weekdays:
            evidence.append(f"it names the day as {_quoted(weekdays)}")
        backed = f"the story dates the event {event.isoformat()} ({len(others)} other article(s) say so)"
        if gap < -1 and on_event:
            flags.append(
                _flag(article, claimed, f"{-gap} days before the event it reports", evidence, backed)
            )
        elif gap > max_weekday_days and weekdays:
            flags.append(_flag(article, claimed, f"{gap} days after the event", evidence, backed))
    return flags


def _quoted(texts: Sequence[str]) -> str:
    return ", ".join(f'"{t}"' for t in dict.fromkeys(texts))


def _flag(article: Article, claimed: date, gap: str, evidence: list[str], backed: str) -> Flag:
    source = f" (from the {article.published_from})" if article.published_from else ""
    detail = f"claims {claimed.isoformat()}{source}, {gap}; {'; '.join(evidence)}; {backed}"
    return Flag(article.id, "misdated", detail)


def _cut_paragraph(paragraph: str) -> bool:
    text = paragraph.rstrip()
    # Most paragraphs end closed: not split into words (a split of every one was 4/5 of the flags' time).
    if text[-1:] in _CLOSERS:
        return False
    words = text.split()
    if len(words) < _CUT_MIN_WORDS:
        return False
    return bool(re.match(r"[a-z]", words[-1]))  # stops on a lower-case word: mid-sentence


def truncated_flags(articles: Sequence[Article], groups: Sequence[OriginGroup] = ()) -> list[Flag]:
    """Flag excerpts: a copy link says "excerpt", or a body paragraph stops in the middle of a sentence."""
    excerpt_of = {link.article: link for g in groups for link in g.copies if link.relation == "excerpt"}
    flags = []
    for article in articles:
        evidence = []
        link = excerpt_of.get(article.id)
        if link is not None:
            evidence.append(
                f"an excerpt of {link.of}: {link.shared:.0%} of its text is found there"
                + (f", {len(link.lacks)} passage(s) of {link.of} missing" if link.lacks else "")
            )
        for k, paragraph in enumerate(article.paragraphs, start=1):
            if _cut_paragraph(paragraph):
                evidence.append(f'paragraph {k} stops mid-sentence: "…{" ".join(paragraph.split()[-6:])}"')
        if evidence:
            flags.append(Flag(article.id, "truncated", "; ".join(evidence)))
    return flags
