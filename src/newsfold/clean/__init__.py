"""Clean stage: Page -> Article (body paragraphs, captions, metadata, removed lines with their reasons).

Text dumps go through the line classifier (`lines.classify_lines`). HTML goes through trafilatura
(`html.extract_html`) and is also dumped to lines, so the classifier can name captions and give every
removed line a reason. Both then share the metadata readers (`metadata`, `dates`). The cross-page
context (lines repeated across a site's pages are template) is built once per batch by `clean_pages`.

Example: `clean(Page(id="a.txt", kind="text", content=text)).paragraphs`, or
`clean_pages(pages).articles` for a batch (with the pages it could not clean in `.problems`).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from newsfold.clean.dates import (
    MAX_DATE_LINE_CHARS,
    date_from_url,
    date_line_day,
    find_full_dates,
    refine_day,
    year_starts,
)
from newsfold.clean.lines import (
    METADATA_REASONS,
    LineContext,
    LineLabel,
    build_line_context,
    classify_lines,
    classify_run,
)
from newsfold.clean.metadata import (
    credits_flagged,
    detect_lang,
    detect_langs,
    find_authors,
    find_credits,
    find_dateline,
    lines_naming_agency,
)
from newsfold.clean.titles import TITLE_WINDOW, dump_headline_line
from newsfold.errors import InputError
from newsfold.models import Article, Cleaned, InputProblem, Page, RemovedLines
from newsfold.outlets import site_name_in_title_line
from newsfold.settings import CleanSettings, ReadSettings

if TYPE_CHECKING:
    # The HTML cleaner imports trafilatura, htmldate, justext and their dependencies (~0.25 s of CPU,
    # `python -X importtime`), which text dumps never use: it is imported with the first HTML page.
    from newsfold.clean.html import HtmlExtraction

__all__ = ["CleanContext", "build_clean_context", "clean", "clean_pages"]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class CleanContext:
    """What the pages of one batch tell about each other.

    `line_context` is the line classifier's corpus context (`lines.build_line_context`);
    `site_lines` counts, per site, in how many pages each normalised line occurs (site template).
    """

    line_context: LineContext | None = None
    site_lines: Mapping[str, Counter[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Prepared:
    """A page read into lines (and, for HTML, trafilatura's extraction) before the batch context exists."""

    page: Page
    lines: tuple[str, ...]
    extraction: HtmlExtraction | None = None


def _norm(line: str) -> str:
    return " ".join(_WORD.findall(line.lower()))


def _bounded_lines(text: str, read: ReadSettings) -> tuple[str, ...]:
    """The page's lines, each cut to `max_line_chars` (a 50 MB single line must not reach the classifier)."""
    text = text[: read.max_page_bytes]
    lines = text.splitlines()
    if len(text) <= read.max_line_chars or max(map(len, lines), default=0) <= read.max_line_chars:
        return tuple(lines)  # (no line is longer than the text: most pages need no look at each line)
    return tuple(line[: read.max_line_chars] for line in lines)


def _prepare(page: Page, settings: CleanSettings, read: ReadSettings) -> _Prepared:
    try:
        if page.kind == "html":
            from newsfold.clean.html import extract_html  # only HTML needs it (above: TYPE_CHECKING)

            # trafilatura's default pass waits for the line labels: `html_body` runs it where it can win.
            extraction = extract_html(
                page.content, page.url, settings, max_depth=read.max_html_depth, defer_default=True
            )
            return _Prepared(page, extraction.dump_lines, extraction)
        return _Prepared(page, _bounded_lines(page.content, read))
    except RecursionError as error:  # lxml/trafilatura on pathological markup
        raise InputError(page.id, f"markup too deeply nested to clean ({error})") from error
    except InputError as error:  # the markup's own reason (e.g. nested too deep), named by the page
        raise InputError(page.id, error.reason) from error


def _sites(prepared: Sequence[_Prepared]) -> list[str]:
    """Each page's site; a page without a known site is its own, so unrelated pages share no template."""
    return [item.page.site or f"page:{item.page.id}" for item in prepared]


def _site_lines(prepared: Sequence[_Prepared]) -> dict[str, Counter[str]]:
    """Per site with an HTML page, in how many of its pages each normalised line occurs.

    Only HTML needs it (trafilatura's paragraphs are checked against the site's template); text dumps get
    the same evidence from the line classifier's run context, so a text-only batch skips this pass.
    """
    html_sites = {item.page.site for item in prepared if item.extraction is not None} - {None}
    site_lines: dict[str, Counter[str]] = {}
    if not html_sites:  # a text-only batch: no page's site needs reading
        return site_lines
    for item in prepared:
        site = item.page.site
        if site in html_sites:
            site_lines.setdefault(site, Counter()).update({n for line in item.lines if (n := _norm(line))})  # type: ignore[arg-type]
    return site_lines


def _build_context(prepared: Sequence[_Prepared], settings: CleanSettings) -> CleanContext:
    line_context = build_line_context(
        [list(item.lines) for item in prepared], sites=_sites(prepared), settings=settings.lines
    )
    return CleanContext(line_context=line_context, site_lines=_site_lines(prepared))


def build_clean_context(
    pages: Sequence[Page], settings: CleanSettings = CleanSettings(), read: ReadSettings = ReadSettings()
) -> CleanContext:
    """The cross-page context of a batch: the classifier's corpus context and each site's template lines.

    For cleaning pages one by one with `clean(page, context)`; `clean_pages` finds the same context itself
    while it classifies the batch, in one pass.
    """
    return _build_context([_prepare(page, settings, read) for page in pages], settings)


def _published(
    page: Page,
    extraction: HtmlExtraction | None,
    header: Sequence[str],
    furniture: Sequence[str],
    url: str | None = None,
) -> tuple[str | None, str | None]:
    """The date the page claims and where it came from, most explicit source first (`url`: the page's
    address, when a URL line gave one and the page had none; `furniture`: the page's other lines, its
    header left out)."""
    if extraction is not None and extraction.published:
        # htmldate reads a month or a year as its 1st day: the page's date line or URL may name the day.
        line_day = _date_line(header, furniture)
        finer = {"page": line_day.isoformat() if line_day else None, "url": date_from_url(url or page.url)}
        day = refine_day(extraction.published, list(finer.values()))
        if day == extraction.published:
            return day, "metadata"
        return day, next(src for src, d in finer.items() if d == day)
    if page.published:
        return page.published[:10], "record"
    # The URL's day before the page's date lines: a URL is fixed when the article is first published, a date
    # line may be an update's or the day's (Fundus text dumps: the URL's day was right on all 39 pages that
    # have one; where a date line disagreed with it, the date line was wrong: 4 pages).
    line_day = _date_line(header, furniture)
    from_url = date_from_url(url or page.url)
    if from_url is not None and (line_day is None or line_day.isoformat() != from_url):
        return from_url, "url"
    if line_day is not None:
        return line_day.isoformat(), "page"
    if page.captured:
        return page.captured[:10], "capture"
    return None, None


def _date_line(header: Sequence[str], furniture: Sequence[str]) -> dt.date | None:
    """The day of the first short line holding a year, in the header, else in the rest of the furniture
    (`furniture`: without the header, whose lines were read), that reads as a date line (`date_line_day`
    reads full dates, which hold a year; longer lines are never date lines). The header first: most pages
    print their date line just above the body, and the furniture, hundreds of lines, need not be read."""
    return _first_date_line(header) or _first_date_line(furniture)


def _first_date_line(lines: Sequence[str]) -> dt.date | None:
    """`_date_line` in one list of lines: found by one scan of the joined short lines, each
    newline-separated piece read as a line."""
    joined = "\n".join([line for line in lines if len(line) <= MAX_DATE_LINE_CHARS])
    tried = -1
    for at in year_starts(joined):
        start = joined.rfind("\n", 0, at) + 1
        if start == tried:
            continue
        tried = start
        end = joined.find("\n", at + 4)
        line = joined[start : end if end >= 0 else len(joined)]
        if len(line) <= MAX_DATE_LINE_CHARS and (day := date_line_day(line)) is not None:
            return day
    return None


_URL_LINE = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+\S*")
_MAX_URL_CHARS = 2000  # a page address longer than this is no address (browsers stop near 2,000 too)


def _url_line(lines: Sequence[str]) -> str | None:
    """The page's address from the first line above its body that is nothing but a URL, spaces dropped
    (tokenised corpora print "http: / / www. example. com / 2008 / 12 / a. html")."""
    for line in lines:
        if line.lstrip()[:5].lower() in ("http:", "https") and len(line) <= 2 * _MAX_URL_CHARS:
            address = "".join(line.split())
            if len(address) <= _MAX_URL_CHARS and _URL_LINE.fullmatch(address):
                return address
    return None


def _dump_title_line(
    lines: Sequence[str],
    labels: Sequence[LineLabel],
    first_body: int,
    url: str | None,
    title_at: list[int],
    settings: CleanSettings,
) -> int | None:
    """The index of a text dump's headline line (`titles.dump_headline_line`: the slug's line, else with
    `settings.rank_dump_titles` the ranker's, else the line model's title), None without any; the date
    lines among the ranker's candidates are those the line labels read as such."""
    window = range(max(0, first_body - TITLE_WINDOW), min(first_body + 1, len(lines)))
    dates = {i for i in window if labels[i].reason == "date line"}
    model_title = title_at[0] if title_at else None
    return dump_headline_line(lines, first_body, url, model_title, dates, settings.rank_dump_titles)


def _title(
    item: _Prepared,
    labels: Sequence[LineLabel],
    first_body: int,
    url: str | None,
    title_at: list[int],
    settings: CleanSettings,
) -> tuple[str | None, int | None]:
    """The headline a page states itself (HTML: trafilatura's, else the line model's; a dump: the line of
    `_dump_title_line`, unless the page came with a title) and the index of the dump line it is taken
    from (None for HTML)."""
    lines = item.lines
    if item.extraction is not None:
        return item.extraction.title or (lines[title_at[0]].strip() if title_at else None), None
    if item.page.title:
        return None, None
    at = _dump_title_line(lines, labels, first_body, url, title_at, settings)
    return (None if at is None else lines[at]), at


def _one_line(text: str | None) -> str | None:
    """Whitespace (no-break spaces, newlines) collapsed to single spaces; None for an empty title."""
    return " ".join(text.split()) or None if text else None


def _header_span(furniture_at: list[int], first_body: int, size: int) -> tuple[int, int]:
    """Where the header stands among the furniture (`furniture_at`: the indices of the lines that are
    neither body nor caption, in order): the last `size` of them above the body (all, for size <= 0).
    The lines above the first body line are no body, so its non-caption lines are furniture."""
    above = bisect_left(furniture_at, first_body)
    return (max(0, above - size) if size > 0 else 0), above


def _removed(
    lines: list[str],
    labels: list[LineLabel],
    at: list[int],
    texts: list[str],
    title_at: list[int],
    headline_at: int | None,
) -> RemovedLines:
    """The dropped lines at the given indices (`texts`: the lines there) with their reasons, as columns
    (`RemovedLines`); the line
    model's headline (its first title-labelled line and those repeating it) is not removed text. The line
    the title was taken from (`headline_at`: the slug's or the ranker's) is removed as "headline", whatever
    its label says (a headline in a run of short lines reads as a link list), unless the label reads it as
    metadata (an address line whose slug names it stays a "URL line"); it stays among the removed
    lines, which copy detection reads as the page's text. A label without a reason gets
    `_default_reason`'s.
    """
    if title_at:
        headline = lines[title_at[0]].strip()
        at, texts = list(at), list(texts)
        for i in reversed(title_at):  # a few lines, deleted where they stand among the sorted indices
            if lines[i].strip() == headline and (k := bisect_left(at, i)) < len(at) and at[k] == i:
                del at[k], texts[k]
    # (List comprehensions, not `map` over bound methods: a page drops hundreds of lines, and Python 3.11
    # runs these loops twice as fast.)
    reasons = [labels[i].reason for i in at]
    if headline_at is not None and (k := bisect_left(at, headline_at)) < len(at) and at[k] == headline_at:
        if reasons[k] not in METADATA_REASONS:  # an address line the slug names stays read as the address
            reasons[k] = "headline"
    distinct = dict.fromkeys(reasons)
    if "" in distinct:  # a title-labelled line that does not repeat the headline, mostly
        reasons = [reason or _default_reason(labels[i]) for i, reason in zip(at, reasons, strict=True)]
        distinct = dict.fromkeys(reasons)
    code = {reason: k for k, reason in enumerate(distinct)}
    return RemovedLines(
        tuple([i + 1 for i in at]),
        tuple(texts),
        bytes(map(code.__getitem__, reasons)),
        list(code),
    )


def _split_labels(labels: list[LineLabel]) -> tuple[list[int], list[int], list[int], list[int]]:
    """(body, captions, titles, furniture): the indices of the labels of each kind, in order; furniture is
    every line that is neither body nor caption (titles too)."""
    body: list[int] = []
    captions: list[int] = []
    title_at: list[int] = []
    furniture_at: list[int] = []
    for i, label in enumerate(labels):
        kind = label.kind
        if kind == "drop":  # most lines: tested first
            furniture_at.append(i)
        elif kind == "body":
            body.append(i)
        elif kind == "caption":
            captions.append(i)
        else:
            furniture_at.append(i)
            if kind == "title":
                title_at.append(i)
    return body, captions, title_at, furniture_at


def _default_reason(label: LineLabel) -> str:
    return "headline" if label.kind == "title" else "not article text"


def _credits(
    paragraphs: list[str],
    furniture: list[str],
    body: list[int],
    furniture_at: list[int],
    agency: Mapping[int, int] | None,
) -> tuple[str, ...]:
    """The page's wire credits, from `lines_naming_agency`'s flags when given (`agency`: line index ->
    flag, for the lines whose flag is not 0)."""
    if agency is None:
        return find_credits(paragraphs, furniture)
    if not agency:  # most pages: no line names an agency, so no credit can be read
        return ()
    text_flags, furniture_flags = {}, {}
    for i, flag in agency.items():  # each flagged line is a paragraph, a furniture line or a caption
        k = bisect_left(body, i)
        if k < len(body) and body[k] == i:
            text_flags[k] = flag
            continue
        k = bisect_left(furniture_at, i)
        if k < len(furniture_at) and furniture_at[k] == i:
            furniture_flags[k] = flag
    return credits_flagged(paragraphs, furniture, text_flags, furniture_flags)


def _finish(
    item: _Prepared,
    labels: list[LineLabel],
    site_lines: Mapping[str, Counter[str]],
    settings: CleanSettings,
    agency: Mapping[int, int] | None = None,
) -> tuple[dict[str, Any], str]:
    """The fields of a prepared page's Article from its line labels (and, for HTML, trafilatura's text),
    all but its language, and its body text, whose language the caller reads (`_with_lang`;
    `clean_pages` reads a batch's at once).

    `agency` (the lines of a text page that `lines_naming_agency` flags: line index -> flag), when given,
    spares the credit scan the lines that name no agency.
    """
    page, lines, extraction = item.page, list(item.lines), item.extraction
    paragraphs = None
    if extraction is not None:  # an HTML page: `_prepare` imported the HTML cleaner
        from newsfold.clean.html import html_body

        site = page.site
        template = site_lines.get(site, Counter()) if site is not None else Counter()
        paragraphs = html_body(extraction, lines, labels, template, settings)

    # One pass over the labels (pages hold hundreds of lines): line indices by kind, furniture in order.
    body, captions, title_at, furniture_at = _split_labels(labels)
    if paragraphs is None:
        paragraphs = list(map(str.strip, map(lines.__getitem__, body)))
    first_body = body[0] if body else len(lines)
    furniture = list(map(lines.__getitem__, furniture_at))
    h0, h1 = _header_span(furniture_at, first_body, settings.header_lines)
    header = furniture[h0:h1]
    title_line = lines[title_at[0]].strip() if title_at else None
    url = page.url or _url_line(furniture[:h1])  # (the lines above the body)
    published, published_from = _published(page, extraction, header, furniture[:h0] + furniture[h1:], url)
    text = "\n".join(paragraphs)
    mentioned = [m.iso for m in find_full_dates(text)]
    own_title, headline_at = _title(item, labels, first_body, url, title_at, settings)
    fields = dict(
        id=page.id,
        title=_one_line(page.title or own_title),
        paragraphs=tuple(paragraphs),
        body_lines=tuple([i + 1 for i in body]),
        caption_lines=tuple([i + 1 for i in captions]),
        captions=tuple(map(str.strip, map(lines.__getitem__, captions))),
        published=published,
        published_from=published_from,
        authors=find_authors(
            header, extraction.author if extraction else None, extraction.authors if extraction else ()
        ),
        credits=_credits(paragraphs, furniture, body, furniture_at, None if extraction else agency),
        dateline=find_dateline(paragraphs[:2]),
        dates_mentioned=tuple(dict.fromkeys(mentioned)),
        removed=_removed(lines, labels, furniture_at, furniture, title_at, headline_at),
        url=url,
        source=page.source,
        site_name=_one_line(extraction.sitename[:200] if extraction and extraction.sitename else None)
        or (site_name_in_title_line(header, title_line) if extraction is None else None),
    )
    return fields, text


def _with_lang(fields: dict[str, Any], lang: str | None, item: _Prepared) -> Article:
    """The Article of `_finish`'s fields and the language read from its text (else trafilatura's)."""
    return Article(**fields, lang=lang or (item.extraction.lang if item.extraction else None))


def clean(
    page: Page,
    context: CleanContext | None = None,
    settings: CleanSettings | None = None,
    *,
    read: ReadSettings = ReadSettings(),
) -> Article:
    """Keep the article of one page and its metadata; every dropped line keeps its reason.

    `context` (from `build_clean_context`) adds what other pages of the batch tell; without it the page is
    cleaned on its own evidence. Raises `InputError` (naming the page) only when the page cannot be
    cleaned at all; odd content (empty, binary noise, one huge line) gives a small or empty article.
    `read`: the bounds on untrusted input (`Settings.read`).
    """
    settings = settings or CleanSettings()
    item = _prepare(page, settings, read)
    labels = classify_lines(list(item.lines), context.line_context if context else None, settings.lines)
    fields, text = _finish(item, labels, context.site_lines if context else {}, settings)
    return _with_lang(fields, detect_lang(text), item)


def clean_pages(
    pages: Sequence[Page],
    settings: CleanSettings | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    context: Sequence[Page] = (),
    read: ReadSettings = ReadSettings(),
) -> Cleaned:
    """Clean every page with the batch as context (site template lines, other pages' headlines): the
    articles, and one `InputProblem` (naming its file) per page that cannot be cleaned, which is left out
    while the other pages go on (`Cleaned`, the models' one convention for input problems).

    `progress(stage, done, total)` is called as pages are prepared ("prepare") and cleaned ("clean").
    `context` pages (e.g. a store's earlier pages of the same sites) join the batch's evidence but are
    not cleaned themselves. `read`: the bounds on untrusted input (`Settings.read`).

    >>> clean_pages([Page(id="a.txt", kind="text", content="A quake hit Chile.")]).problems
    []
    """
    settings = settings or CleanSettings()
    problems: list[InputProblem] = []
    report = progress or (lambda stage, done, total: None)
    prepared: list[_Prepared] = []
    for done, page in enumerate(pages, start=1):
        try:
            prepared.append(_prepare(page, settings, read))
        except InputError as error:
            problems.append(InputProblem(_where(page), error.reason))
        report("prepare", done, len(pages))
    evidence = [*_prepared_context(context, settings, read), *prepared]
    skipped = len(evidence) - len(prepared)
    # One classification of the whole batch, which is its own context (template lines, other headlines).
    all_labels = classify_run(
        [list(item.lines) for item in evidence], sites=_sites(evidence), settings=settings.lines
    )
    all_labels = all_labels[skipped:]
    site_lines = _site_lines(evidence)
    agency = _agency_by_page(prepared)
    finished: list[tuple[dict[str, Any], str]] = []
    cleaned: list[_Prepared] = []
    pages_labels = zip(prepared, all_labels, agency, strict=True)
    for done, (item, labels, page_agency) in enumerate(pages_labels, start=1):
        try:
            # The language is read below, for all articles at once.
            finished.append(_finish(item, labels, site_lines, settings, page_agency))
            cleaned.append(item)
        except InputError as error:
            problems.append(InputProblem(_where(item.page), error.reason))
        except RecursionError:
            problems.append(InputProblem(_where(item.page), "markup too deeply nested to clean"))
        report("clean", done, len(prepared))
    langs = detect_langs([text for _, text in finished])
    done_pages = zip(finished, cleaned, langs, strict=True)
    return Cleaned([_with_lang(fields, lang, item) for (fields, _), item, lang in done_pages], problems)


def _agency_by_page(prepared: Sequence[_Prepared]) -> list[dict[int, int]]:
    """Per page, its lines that may name a news agency (line index -> `lines_naming_agency`'s flag), for
    the credit scan: one pass over the whole batch, and most pages have none."""
    agency = lines_naming_agency(list(chain.from_iterable(item.lines for item in prepared)))
    flagged = np.flatnonzero(agency)
    starts = np.zeros(len(prepared), np.intp)
    np.cumsum([len(item.lines) for item in prepared[:-1]], out=starts[1:])
    page_of = np.searchsorted(starts, flagged, side="right") - 1
    by_page: list[dict[int, int]] = [{} for _ in prepared]
    for page, at, flag in zip(
        page_of.tolist(), (flagged - starts[page_of]).tolist(), agency[flagged].tolist(), strict=True
    ):
        by_page[page][at] = flag
    return by_page


def _prepared_context(
    context: Sequence[Page], settings: CleanSettings, read: ReadSettings
) -> list[_Prepared]:
    """Context pages read into lines; one that cannot be read adds no evidence (it is not being cleaned)."""
    prepared = []
    for page in context:
        try:
            prepared.append(_prepare(page, settings, read))
        except InputError:
            continue
    return prepared


def _where(page: Page) -> str:
    """The file a page came from, with the record's id when the file holds many (JSONL, WARC)."""
    if not page.source_path or page.source_path.endswith(page.id):
        return page.source_path or page.id
    return f"{page.source_path} [{page.id}]"
