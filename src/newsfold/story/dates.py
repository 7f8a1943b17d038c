"""When the story's event happened: date mentions in the articles, resolved and voted on.

Written here while `newsfold.clean.dates.find_date_mentions` is not yet in the package; the story only
needs full dates ("Tuesday, Sept. 12, 2023"), month-day dates ("Sept. 12") and bare weekdays ("on
Wednesday"), which regular expressions read reliably in English news.

Anchoring is the point: a weekday means nothing without a reference date. The reference is taken from
the texts first (full dates the articles print, in body or captions), and only when no text of the
story prints one, from each page's claimed date. The claimed dates are what `flags.misdated` checks,
so they must not decide the event date when the texts can.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from newsfold.models import Article
from newsfold.story.sentences import lowered_in_place

__all__ = ["DateMention", "EventDating", "date_mentions", "date_the_event"]

MentionKind = Literal["full", "month-day", "weekday"]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_RE = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_RE = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_MONTH_DAY = re.compile(
    rf"\b(?:{_WEEKDAY_RE}\s*[,.]?\s+)?{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH_RE}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
_BARE_WEEKDAY = re.compile(
    rf"\b(?P<rel>last|next|this|on|since|until|by|early|late)?\s*{_WEEKDAY_RE}\b", re.IGNORECASE
)
# What the date patterns above hold: a digit (full, ISO, month-day dates), a weekday's "day". Most
# paragraphs have neither; the patterns are searched only in those that have what they need (bench/fold's
# 11,578 distinct paragraphs: 4,316 with a digit, 1,477 with "day"; 0.36 -> 0.2 s of CPU).
_DIGIT = re.compile(r"\d")
_DAY = re.compile(r"day", re.IGNORECASE)
# Every month name of `_MONTHS` starts with one of these: a lower-cased text holding none names no month,
# and the two patterns of dates with a month are not searched in it (bench/fold: 1,270 of the 4,806
# lower-cased texts with a digit hold one; their dates 0.15 -> 0.12 s).
_MONTH_STARTS = tuple(dict.fromkeys(name[:3] for name in _MONTHS))
# The patterns without IGNORECASE, for a text lower-cased in place (`lowered_in_place`): the same matches
# at the same places (their case read from the text itself); the month-day pattern's alternation of month
# names runs 4x faster so (bench/fold's paragraphs: dates 0.22 -> 0.12 s).
_LOWER = {p: re.compile(p.pattern) for p in (_MONTH_DAY, _DAY_MONTH, _BARE_WEEKDAY)}


def _same(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return pattern


# A weekday names the day within this many days of its reference (news: "on Wednesday" = this week).
_WEEKDAY_WINDOW = 3


@dataclass(frozen=True)
class DateMention:
    """A date written in a text, as written, and the day it means when it can be resolved."""

    text: str
    kind: MentionKind
    date: date | None
    start: int


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_weekday(weekday: int, reference: date, relation: str) -> date:
    """The day named by a weekday near `reference`: nearest one, or the previous/next for last/next."""
    if relation == "last":
        return reference - timedelta(days=(reference.weekday() - weekday - 1) % 7 + 1)
    if relation == "next":
        return reference + timedelta(days=(weekday - reference.weekday() - 1) % 7 + 1)
    offset = (weekday - reference.weekday()) % 7
    return reference + timedelta(days=offset if offset <= _WEEKDAY_WINDOW else offset - 7)


@dataclass(frozen=True)
class _Written:
    """A date as a text writes it, before a reference resolves it: a full date (`day` set), a month and
    day (`month`, `day_of_month`), or a weekday (`weekday`, `relation`)."""

    text: str
    kind: MentionKind
    start: int
    day: date | None = None
    month: int = 0
    day_of_month: int = 0
    weekday: int = 0
    relation: str = ""


def _written_dates(text: str) -> list[_Written]:
    """Every date `text` writes, in order, unresolved (what does not depend on a reference)."""
    lowered = lowered_in_place(text)
    searched, pattern = (text, _same) if lowered is None else (lowered, _LOWER.__getitem__)
    digits = _DIGIT.search(text) is not None
    weekdays = _DAY.search(text) is not None if lowered is None else "day" in lowered
    if not digits and not weekdays:
        return []
    months = digits and (lowered is None or any(start in lowered for start in _MONTH_STARTS))
    found: list[_Written] = []
    taken: list[tuple[int, int]] = []
    day_months = pattern(_DAY_MONTH).finditer(searched) if months else ()
    for m in [*_ISO.finditer(text), *day_months] if digits else ():
        month = int(m["month"]) if m["month"].isdigit() else _MONTHS[m["month"].lower().rstrip(".")]
        found.append(
            _Written(
                text[m.start() : m.end()], "full", m.start(), _safe_date(int(m["year"]), month, int(m["day"]))
            )
        )
        taken.append(m.span())
    for m in pattern(_MONTH_DAY).finditer(searched) if months else ():
        if any(a <= m.start() < b for a, b in taken) or not text[m.start("month")].isupper():
            continue  # "may 12" in lower case is a verb, not a month
        month, day = _MONTHS[m["month"].lower().rstrip(".")], int(m["day"])
        written = text[m.start() : m.end()]
        if m["year"]:
            found.append(_Written(written, "full", m.start(), _safe_date(int(m["year"]), month, day)))
        else:
            found.append(_Written(written, "month-day", m.start(), month=month, day_of_month=day))
        taken.append(m.span())
    for m in pattern(_BARE_WEEKDAY).finditer(searched) if weekdays else ():
        start = m.start("weekday")
        if any(a <= start < b for a, b in taken) or not text[start].isupper():
            continue
        weekday = _WEEKDAYS.index(m["weekday"].lower())
        found.append(
            _Written(
                text[start : m.end()], "weekday", start, weekday=weekday, relation=(m["rel"] or "").lower()
            )
        )
    return sorted(found, key=lambda d: d.start)


def _resolved(written: _Written, reference: date | None) -> DateMention:
    """The mention with the day it means against `reference` (a full date needs none)."""
    if written.kind == "full":
        return DateMention(written.text, "full", written.day, written.start)
    resolved = None
    if reference is not None and written.kind == "month-day":
        # The year that puts the day nearest the reference.
        options = [_safe_date(reference.year + k, written.month, written.day_of_month) for k in (-1, 0, 1)]
        valid = [d for d in options if d is not None]
        resolved = min(valid, key=lambda d: abs((d - reference).days)) if valid else None
    elif reference is not None:
        resolved = _resolve_weekday(written.weekday, reference, written.relation)
    return DateMention(written.text, written.kind, resolved, written.start)


def date_mentions(text: str, reference: date | None = None) -> list[DateMention]:
    """Every date `text` writes, resolved against `reference` where it lacks a year or is a weekday.

    >>> [(m.text, str(m.date)) for m in date_mentions("On Wednesday, Sept. 13, 2023, and on Friday.")]
    [('Wednesday, Sept. 13, 2023', '2023-09-13'), ('Friday', 'None')]
    """
    return [_resolved(w, reference) for w in _written_dates(text)]


@dataclass(frozen=True)
class EventDating:
    """The event date and how it was reached: each article's resolved mentions and the anchor used."""

    date: dt.date | None
    support: tuple[str, ...]  # the articles that mention the event date
    mentions: dict[str, tuple[DateMention, ...]]
    anchor: dt.date | None
    anchor_from: str  # "text" (dates the articles print) or "claimed" (pages' own dates) or ""


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _texts(article: Article) -> list[str]:
    return [*article.paragraphs, *article.captions]


def _dated_texts(articles: Sequence[Article], written: dict[str, list[_Written]]) -> list[list[str]]:
    """Each article's texts that write a date, in order; `written` is given every distinct text's dates.
    Each text is read once, first: an article's texts without a date (most) are then passed over without
    a call each (an article is read twice: for its full dates, then against its reference)."""
    for text in dict.fromkeys(t for article in articles for t in _texts(article)):
        written[text] = _written_dates(text)
    dated = {text for text, found in written.items() if found}
    return [[t for t in _texts(article) if t in dated] for article in articles]


def date_the_event(articles: Sequence[Article]) -> EventDating:
    """Resolve every article's date mentions and pick the day most articles mention.

    Ties go to the day mentioned more often in all. Example: a caption's "Tuesday, Sept. 12, 2023"
    anchors another article's "on Wednesday" to 2023-09-13.
    """
    # A text that copies print again is read once, and resolved once for each reference day (a story is
    # mostly copies).
    written: dict[str, list[_Written]] = {}
    read: dict[tuple[str, date | None], list[DateMention]] = {}

    def mentions_in(text: str, reference: date | None = None) -> list[DateMention]:
        dates = written.get(text)
        if dates is None:
            dates = written[text] = _written_dates(text)
        if not dates:
            return []  # most texts write no date: nothing to resolve
        if (text, reference) not in read:
            read[text, reference] = [_resolved(w, reference) for w in dates]
        return read[text, reference]

    texts = _dated_texts(articles, written)
    printed: list[date] = []
    own_full: dict[str, list[date]] = {}
    for article, own in zip(articles, texts, strict=True):
        full = [m.date for t in own for m in mentions_in(t) if m.kind == "full" and m.date]
        own_full[article.id] = full
        printed.extend(full)
    claimed = [d for a in articles if (d := _parse_iso(a.published))]
    if printed:
        story_anchor, anchor_from = _median_date(printed), "text"
    elif claimed:
        story_anchor, anchor_from = _median_date(claimed), "claimed"
    else:
        story_anchor, anchor_from = None, ""
    mentions: dict[str, tuple[DateMention, ...]] = {}
    for article, own in zip(articles, texts, strict=True):
        reference: date | None
        if own_full[article.id]:
            reference = _median_date(own_full[article.id])
        elif anchor_from == "claimed":
            reference = _parse_iso(article.published) or story_anchor
        else:
            reference = story_anchor
        mentions[article.id] = tuple(m for t in own for m in mentions_in(t, reference))
    by_articles: Counter[date] = Counter()
    by_mentions: Counter[date] = Counter()
    for found in mentions.values():
        days = [m.date for m in found if m.date is not None]
        by_articles.update(set(days))
        by_mentions.update(days)
    if not by_articles:
        return EventDating(None, (), mentions, story_anchor, anchor_from)
    best = max(by_articles, key=lambda d: (by_articles[d], by_mentions[d], d))
    support = tuple(a for a, found in mentions.items() if any(m.date == best for m in found))
    return EventDating(best, support, mentions, story_anchor, anchor_from)


def _median_date(days: Sequence[date]) -> date:
    return date.fromordinal(int(statistics.median_low([d.toordinal() for d in days])))
