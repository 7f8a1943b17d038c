"""Dates in news text: absolute mentions ("Sept. 12, 2023", "2023-09-12"), partial ones ("Sept. 12",
"March 2019", "in 2019") and relative ones ("on Wednesday", "yesterday") resolved against a reference day.

Written here rather than taken from dateparser/htmldate because those parse one date string at a time
(htmldate reads markup, dateparser's `search_dates` is slow and finds "may" or "sun" in ordinary prose);
news text needs every mention with its span, its precision and whether a reference day was needed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from newsfold.clean import _kernels

__all__ = [
    "MAX_DATE_LINE_CHARS",
    "MAX_DATE_LINE_WORDS",
    "DateMention",
    "date_from_url",
    "date_line_day",
    "markup_day",
    "find_date_mentions",
    "find_full_dates",
    "parse_date_line",
    "refine_day",
    "year_starts",
]

Precision = Literal["day", "month", "year"]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip

_MONTH = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Ordered: the first pattern to claim a span wins, so full dates come before their parts.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(rf"\b{_YEAR}[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?!\d)")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("num", re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)\d\d)\b")),
    ("my", re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*\d)", re.I)),
    ("dm", re.compile(rf"\b{_DAY}\s+{_MONTH}(?![\w.])", re.I)),
    (
        "y",
        re.compile(
            rf"\b(?:in|since|by|until|till|from|during|through|of|early|late|mid-?)\s+{_YEAR}\b(?![-/.,]\d)"
        ),
    ),
    ("rel", re.compile(r"\b(?P<rel>yesterday|today|tomorrow)\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d{1,2}|two|three|four|five|six|seven)\s+days?\s+ago\b", re.I)),
    ("wd", re.compile(rf"\b(?:(?:on|last|this|late|early)\s+)?{_WEEKDAY}\b")),
)
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True)
class DateMention:
    """A date the text mentions: its span, ISO value ("YYYY-MM-DD", "YYYY-MM" or "YYYY" by precision),
    and whether a reference day was needed to resolve it (weekdays, "yesterday", a day without a year)."""

    text: str
    start: int
    end: int
    iso: str
    precision: Precision
    relative: bool = False

    @property
    def date(self) -> dt.date:
        """The first day the mention can mean (the 1st of the month for month precision, and so on)."""
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return dt.date(parts[0], parts[1], parts[2])


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, reference: dt.date) -> dt.date | None:
    """A month-day without a year: the occurrence closest to the reference (news looks back and ahead)."""
    options = [
        d for y in (reference.year - 1, reference.year, reference.year + 1) if (d := _day(y, month, day))
    ]
    return min(options, key=lambda d: abs((d - reference).days), default=None)


def _fold(word: str) -> str:
    """A matched name lower-cased as the tables spell it: under re.I, "ı", "İ" and "ſ" match i and s too."""
    return word.lower().replace("i\u0307", "i").replace("ı", "i").replace("ſ", "s")


def _resolve(kind: str, m: re.Match[str], reference: dt.date | None) -> tuple[str, Precision, bool] | None:
    g = m.groupdict()
    if kind == "iso":
        d = _day(int(g["year"]), int(g["m"]), int(g["d"]))
        return (d.isoformat(), "day", False) if d else None
    if kind in ("mdy", "dmy"):
        d = _day(int(g["year"]), _MONTHS[_fold(g["mon"])], int(g["day"]))
        return (d.isoformat(), "day", False) if d else None
    if kind == "num":
        a, b, year = int(g["a"]), int(g["b"]), int(g["year"])
        if "." in m.group(0):  # day.month.year, as `_full_day` reads it
            d = _day(year, b, a)
        elif a > 12 >= b:
            d = _day(year, b, a)
        elif b > 12 >= a or a == b:
            d = _day(year, a, b)
        else:
            return None  # 03/04/2023 is March 4 or April 3: not guessed
        return (d.isoformat(), "day", False) if d else None
    if kind == "my":
        return f"{int(g['year']):04d}-{_MONTHS[_fold(g['mon'])]:02d}", "month", False
    if kind == "y":
        return g["year"], "year", False
    if reference is None:
        return None
    if kind in ("md", "dm"):
        if _fold(g["mon"]) == "may" and kind == "md" and m.group(0)[0].islower():
            return None  # "may 3" in prose is the verb
        d = _nearest_year(_MONTHS[_fold(g["mon"])], int(g["day"]), reference)
        return (d.isoformat(), "day", True) if d else None
    if kind == "rel":
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[_fold(g["rel"])]
        return (reference + dt.timedelta(days=shift)).isoformat(), "day", True
    if kind == "ago":
        n = _fold(g["n"])
        days = _SMALL_NUMBERS.get(n) or int(n)
        return (reference - dt.timedelta(days=days)).isoformat(), "day", True
    if kind == "wd":
        # News tells of the past week: a bare weekday is the latest such day on or before the reference.
        back = (reference.weekday() - _WEEKDAYS[g["wd"].lower()]) % 7
        return (reference - dt.timedelta(days=back)).isoformat(), "day", True
    return None


def find_date_mentions(text: str, reference: dt.date | None = None) -> list[DateMention]:
    """Every date `text` mentions, in text order, without overlaps.

    Relative mentions ("on Wednesday", "yesterday", "Sept. 12" without a year) are resolved against
    `reference` and marked `relative=True`; without a reference they are left out.

    >>> [m.iso for m in find_date_mentions("On Wednesday, Sept. 13, 2023, they met.")]
    ['2023-09-13']
    """
    return _find(text, reference, _PATTERNS)


# The patterns of full dates (a day, a month and a year): the only ones that claim a span without a
# reference day, and the first to claim, so their mentions are the same whichever patterns follow.
_FULL_DATES = _PATTERNS[:4]
# `_full_day` reads their groups by position.
assert [tuple(p.groupindex) for _, p in _FULL_DATES] == [
    ("year", "m", "d"), ("mon", "day", "year"), ("day", "mon", "year"), ("a", "b", "year")
]  # fmt: skip
_YEAR_HIT = re.compile(r"(?:19|20)\d\d")
# Every full date holds a year, at most this many characters after the date's start and before its end.
_BEFORE_YEAR, _AFTER_YEAR = 40, 20
# A date line is short: a date, perhaps a time and a label ("Updated: ..."); longer lines are sentences.
MAX_DATE_LINE_CHARS = 80
# Every full date holds a month name (each starts with one of these) or digits around a separator: a
# cheap test that spares most text around a year ("in 2019", "© 2019 ...") the four patterns, and the
# patterns of month names a window without one. Month names are searched in lower-cased text, not with
# re.IGNORECASE, which tries the alternation letter by letter at every position (three times slower);
# "ſ" is the one character that re.IGNORECASE matches to one of these letters and lower() leaves alone.
_MONTH_START = re.compile(r"jan|feb|ma[ry]|apr|ju[nl]|aug|[sſ]ep|oct|nov|dec")
_NUMBER_SEPARATOR = re.compile(r"\d[-/.]\d")
# The full-date kinds whose patterns hold a month name (the others hold digits around a separator).
_NAMED_MONTH_KINDS = frozenset({"mdy", "dmy"})


def _date_hint(text: str) -> bool:
    """Does `text` hold a month name's start or digits around a separator (a full date may be there)?"""
    return _NUMBER_SEPARATOR.search(text) is not None or _MONTH_START.search(text.lower()) is not None


def year_starts(text: str) -> list[int]:
    """Where the matches of `(?:19|20)\\d\\d` (`_YEAR_HIT`) start, as its `finditer` finds them.

    Why: `re` tries the alternation at every character of a long text; `_kernels.year_starts` reads
    each character once.
    """
    return _kernels.year_starts(text)


def find_full_dates(text: str) -> list[DateMention]:
    """The absolute, day-precise mentions of `text` (what `find_date_mentions` finds with precision "day"
    and relative=False), many times faster: only the four full-date patterns run, and only around years
    (the month-name patterns are slow to try at every position of a long article)."""
    found = _full_dates(text)
    return [DateMention(text[start:end], start, end, day.isoformat(), "day") for start, end, day in found]


def _full_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """(start, end, day) of each of `find_full_dates`' mentions, in text order.

    What `_find` finds with the full-date patterns in `_date_windows`, read without its general steps:
    the groups by position (`_full_day`), no `DateMention` made (a frozen dataclass, a microsecond
    each), and no overlap test before the first mention. `parse_date_line` runs this on every short
    line holding a year until it finds a page's date line.
    """
    windows = _date_windows(text)
    if not windows:
        return []
    taken: list[tuple[int, int, dt.date]] = []
    for kind, pattern in _FULL_DATES:
        named = kind in _NAMED_MONTH_KINDS
        for lo, hi, month_name, number_separator in windows:
            if not (month_name if named else number_separator):
                continue  # the pattern holds what the window lacks
            for m in pattern.finditer(text, lo, hi):
                start, end = m.span()
                if taken and any(start < e and s < end for s, e, _ in taken):
                    continue
                if (day := _full_day(kind, m.groups(), m.group(0))) is not None:
                    taken.append((start, end, day))
    taken.sort()  # by start: mentions do not overlap, so no two start alike
    return taken


def _full_day(kind: str, groups: tuple[str, ...], text: str = "") -> dt.date | None:
    """The day a full-date match names (`_resolve` of the four `_FULL_DATES` kinds, from the match's groups
    in pattern order and its text), or None where it names none."""
    if kind == "iso":  # year, month, day
        return _day(int(groups[0]), int(groups[1]), int(groups[2]))
    if kind == "mdy":  # month, day, year
        return _day(int(groups[2]), _MONTHS[_fold(groups[0])], int(groups[1]))
    if kind == "dmy":  # day, month, year
        return _day(int(groups[2]), _MONTHS[_fold(groups[1])], int(groups[0]))
    a, b, year = int(groups[0]), int(groups[1]), int(groups[2])  # num
    if "." in text:  # dotted numbers are day.month.year wherever they are written (month-first uses "/")
        return _day(year, b, a)
    if a > 12 >= b:
        return _day(year, b, a)
    if b > 12 >= a or a == b:
        return _day(year, a, b)
    return None  # 03/04/2023 is March 4 or April 3: not guessed


def _date_windows(text: str) -> list[tuple[int, int, bool, bool]]:
    """Where a full date may be: (lo, hi) windows around each year (`year_starts`), those that overlap
    merged, each with whether it holds a month name's start (`_MONTH_START`) and digits around a separator
    (`_NUMBER_SEPARATOR`); windows with neither are left out ("in 2019", "© 2023")."""
    windows: list[tuple[int, int]] = []
    for at in year_starts(text):
        lo, hi = max(at - _BEFORE_YEAR, 0), at + 4 + _AFTER_YEAR
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    hinted = []
    for lo, hi in windows:
        month_name = _MONTH_START.search(text[lo:hi].lower()) is not None
        number_separator = _NUMBER_SEPARATOR.search(text, lo, hi) is not None
        if month_name or number_separator:
            hinted.append((lo, hi, month_name, number_separator))
    return hinted


def _find(
    text: str,
    reference: dt.date | None,
    patterns: tuple[tuple[str, re.Pattern[str]], ...],
    windows: list[tuple[int, int]] | None = None,
) -> list[DateMention]:
    """Mentions of the patterns (earlier patterns claim first), searched in the (lo, hi) windows or
    everywhere."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    spans = windows or [(0, len(text))]
    for kind, pattern in patterns:
        for m in (m for lo, hi in spans for m in pattern.finditer(text, lo, hi)):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            resolved = _resolve(kind, m, reference)
            if resolved is None:
                continue
            iso, precision, relative = resolved
            taken.append((start, end))
            found.append(DateMention(m.group(0), start, end, iso, precision, relative))
    return sorted(found, key=lambda d: d.start)


_LABEL = re.compile(
    r"^\W*(?:date|dated|published|posted|updated|last updated|modified|created|on)?\s*(?:on|at)?\s*:?\s*",
    re.I,
)
# A time; ": " too, as tokenised corpora print it ("7: 35 am" in ECB+).
_TIME = re.compile(
    r"T\d\d:\d\d\S*|\b\d{1,2}(?:[:.]|: )\d\d(?:(?:[:.]|: )\d\d)?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{1,4}\b)?"
    r"|\b\d{1,2}\s*[ap]\.?m\.?",
    re.I,
)
_WEEKDAY_WORD = re.compile(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b", re.I)
# Words a date line holds besides its date and time: prepositions and time zones, and the German "um"
# ("at"), "am" ("on"), "Uhr" ("o'clock") and "Stand" ("as of"). With these and dotted dates read as
# day.month.year, the Fundus text dumps holding a date line read as their gold day went from 92 to 112.
_FILLER = re.compile(
    r"[\W_]+|\b(?:at|on|the|of|gmt|utc|et|pt|edt|est|pst|pdt|kst|bst|cet|um|am|uhr|stand)\b", re.I
)


def parse_date_line(line: str) -> dt.date | None:
    """The day a page's date line shows ("Date:2025-04-12 09:08:52", "Wednesday, July 3, 2024"), or None
    when the line says more than a date (a sentence that mentions one is not a date line)."""
    if len(line) > MAX_DATE_LINE_CHARS or not _date_hint(line):
        return None
    mentions = _full_dates(line)
    if len(mentions) != 1:
        return None
    start, end, day = mentions[0]
    rest = line[:start] + " " + line[end:]
    rest = _TIME.sub(" ", _LABEL.sub("", rest.strip()))
    rest = _WEEKDAY_WORD.sub(" ", rest)
    return day if not _FILLER.sub("", rest) else None


# Month names of the other languages news sites write dates in (day first: "3. Mai 2024", "18 juil. 2024",
# "2 de mayo de 2024", "20 Nisan 2026"), read only in date lines (`date_line_day`): in running text "mar",
# "mai" or "listopad" are often words. Full names, and abbreviations as sites print them.
_LOCAL_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "januar jänner janvier janv enero ene gennaio genn janeiro januari ocak styczeń stycznia leden"
            " ledna",
            "februar feber février févr febrero febbraio febr fevereiro fev februari şubat luty lutego únor"
            " února",
            "märz mars marzo março maart mart marzec marca březen března",
            "april avril abril aprile aprilie nisan kwiecień kwietnia duben dubna",
            "mai mayo maggio maio mei mayıs maj maja květen května",
            "juni juin junio giugno junho haziran czerwiec czerwca červen června",
            "juli juillet juil julio luglio julho temmuz lipiec lipca červenec července",
            "august août agosto augusti augustus ağustos sierpień sierpnia srpen srpna",
            "september septembre septiembre settembre setembro eylül wrzesień września září",
            "oktober octobre octubre ottobre outubro okt ekim październik października říjen října",
            "november novembre noviembre novembro kasım listopad listopada",
            "dezember décembre déc diciembre dicembre dezembro december aralık grudzień grudnia prosinec"
            " prosince",
        ),
        start=1,
    )
    for name in names.split()
}
_LOCAL_DATE = re.compile(
    r"\b(?P<day>[0-3]?\d)\.?\s+(?:de\s+)?(?P<mon>[^\W\d_]{3,12})\.?,?\s+(?:de\s+)?(?P<year>(?:19|20)\d\d)\b"
)
# Words a date line may hold besides its date, time and filler: a label ("Publiziert", "Updated"), a byline
# ("Von dpa", "by Ilanga D"), a reading time ("3 minute read"). Fundus text dumps: 3 words (of 2 letters or
# more) took date lines as "Stefan Trunzik , 26.04.2024 10:00 Uhr" and "Publicerad 23 okt 2025 kl 10.23"
# and left out teaser headlines with a date ("Ukraine aktuell: Viele Tote nach ... 28.04.2023").
MAX_DATE_LINE_WORDS = 3
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")


def _local_dates(line: str) -> list[tuple[int, int, dt.date]]:
    """(start, end, day) of the day-first dates with another language's month name in a line."""
    found = []
    for m in _LOCAL_DATE.finditer(line):
        month = _LOCAL_MONTHS.get(m.group("mon").lower()) or _MONTHS.get(_fold(m.group("mon")))
        if month and (day := _day(int(m.group("year")), month, int(m.group("day")))):
            found.append((m.start(), m.end(), day))
    return found


def date_line_day(line: str) -> dt.date | None:
    """The day a page's date line shows, where the line may also hold a label, a byline or a reading time
    ("Publiziert: 01.07.2023, 11:16", "Von dpa 30.04.2024, 18:58", "Published Jun 05, 2026 • 3 minute
    read", "Veröffentlicht am 13. Mai 2026 um 15:44") and both its first and its updated time of one day.

    More lenient than `parse_date_line` (which trims HTML text): this only dates the page. Every date of
    the line must be one day, and besides dates, times, weekdays and filler it holds at most
    `MAX_DATE_LINE_WORDS` words.
    """
    if len(line) > MAX_DATE_LINE_CHARS:
        return None
    mentions = _full_dates(line) or _local_dates(line)
    if not mentions or len({day for _, _, day in mentions}) != 1:
        return None
    rest, at = [], 0
    for start, end, _ in mentions:
        rest.append(line[at:start])
        at = end
    rest.append(line[at:])
    text = _WEEKDAY_WORD.sub(" ", _TIME.sub(" ", _LABEL.sub("", " ".join(rest).strip())))
    words = _LETTER_WORD.findall(_FILLER.sub(" ", text))
    return mentions[0][2] if len(words) <= MAX_DATE_LINE_WORDS else None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?=[/_.-]|$)")


def date_from_url(url: str | None) -> str | None:
    """The day a URL's path encodes (/2019/11/19/, /20191119/), or None."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m and (d := _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
        return d.isoformat()
    return None


def refine_day(markup_day: str, finer: Sequence[str | None]) -> str:
    """The page's day from its markup (htmldate's answer), refined by a day its text or URL shows.

    htmldate answers with a full day even where it found less: a month ("2019-03" read as 2019-03-01) or
    only a year (a copyright line, read as 2019-01-01). So a markup day on the 1st is refined by the first
    of `finer` (the page's date line, its URL's day) that falls in the same month, or, on January 1, in the
    same year; any other markup day is the page's own statement and stands (a date the text shows is often
    an update or an event, never better than the markup's).

    >>> refine_day("2019-03-01", [None, "2019-03-14"])
    '2019-03-14'
    >>> refine_day("2019-03-05", ["2019-03-14"])
    '2019-03-05'
    """
    day = markup_day[:10]
    if not day.endswith("-01"):
        return markup_day
    same = day[:4] if day[5:7] == "01" else day[:7]
    return next((f for f in finer if f and f.startswith(same) and f != day), markup_day)


def markup_day(html: str, url: str | None = None) -> str | None:
    """The day an HTML page's markup states, as htmldate alone reads it (original date, extensive search),
    from the page as it came: its string, not a tree another tool has parsed and pruned, so newsfold's
    day is htmldate's own on every page (Fundus fixtures and zyte: the same day on all 416 pages,
    bench/bench_dates.py). None where it finds none or the markup defeats it.

    Why these options: htmldate's fast mode ends on a loose pattern over the page's text where the extensive
    search weighs every date the text shows; `original_date` asks for the first publication, not the last
    update (Fundus: 0.970 against 0.898 for htmldate's defaults).
    """
    import lxml.etree
    from htmldate import find_date

    try:
        return find_date(html, url=url, original_date=True, extensive_search=True)
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        return None
