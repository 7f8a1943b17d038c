"""The plain, frozen dataclasses that pass between newsfold's stages.

read -> Page; clean -> Article; syndication -> OriginGroup / CopyLink; cluster -> story membership;
story -> Story (summary, quotes, discrepancies, flags). Every stage is a function from these to these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, overload
from urllib.parse import urlsplit

PageKind = Literal["text", "html"]
Relation = Literal["copy", "excerpt", "version"]
FlagKind = Literal["misdated", "truncated", "uncredited-copy"]
ChangeKind = Literal["number", "name", "quote", "added", "removed"]


@dataclass(frozen=True)
class Page:
    """One scraped page as read from disk, before any cleaning.

    `id` is the path relative to the folder given (the file name for a single file), the record's
    `id` for JSONL, the target URI for WARC, made unique within a read (`read.unique_ids`: a later
    capture of a URL is `URL@capture time`). `content` is decoded text: a page dump (one visible
    block a line) when `kind == "text"`, markup when `kind == "html"`. The optional fields are
    hints the container carried (JSONL fields, WARC headers).
    """

    id: str
    kind: PageKind
    content: str
    source_path: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    captured: str | None = None  # WARC-Date as written (ISO 8601, "2023-09-14T08:00:00Z"); [:10] is the day

    @property
    def site(self) -> str | None:
        """The site the page came from: its `source`, else its URL's host without "www."; None if unknown."""
        if self.source:
            return self.source.lower()
        try:
            host = _hostname(self.url) if self.url else None
        except ValueError:  # a malformed URL (e.g. a bad IPv6 literal) names no site
            return None
        return host.removeprefix("www.") if host else None


# A URL of this form, ASCII and printable, without spaces: scheme, "//", then a host of letters, digits,
# dots and hyphens up to the path, query or fragment (no user, port or brackets).
_PLAIN_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([A-Za-z0-9.-]*)(?:[/?#]|\Z)")


def _hostname(url: str) -> str | None:
    """`urlsplit(url).hostname`, read off a plain URL (`_PLAIN_URL`: its host, lower-cased) without
    urlsplit's general steps; any other URL goes to urlsplit (which may raise ValueError).

    Why: `clean_pages` reads every page's site, and urlsplit's own cache holds 128 URLs, fewer than a
    batch's pages: parsed in full each time, it cost 3 microseconds a page.
    """
    if url.isascii() and url.isprintable() and " " not in url and (m := _PLAIN_URL.match(url)):
        return m.group(1).lower() or None
    return urlsplit(url).hostname


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the cleaner dropped, kept so a user can see why (`line` is 1-based).

    Slotted: a batch keeps tens of thousands of them (no per-instance `__dict__`).
    """

    line: int
    text: str
    reason: str


class RemovedLines(Sequence[RemovedLine]):
    """The lines a cleaner dropped from one page, as columns: 1-based line numbers, their texts, and a
    reason code each (an index into `reasons`). Reads as a tuple of `RemovedLine`, each made when read.

    Why columns: a batch drops tens of thousands of lines and most are never looked at; the columns hold
    the line numbers, references to the page's own line strings and one byte a line.

    Example: `RemovedLines((3,), ("Menu",), bytes([0]), ("navigation",))[0]` is
    `RemovedLine(3, "Menu", "navigation")`.
    """

    __slots__ = ("codes", "numbers", "reasons", "texts")

    def __init__(
        self, numbers: Sequence[int], texts: Sequence[str], codes: bytes, reasons: Sequence[str]
    ) -> None:
        if not len(numbers) == len(texts) == len(codes):
            raise ValueError("removed lines: numbers, texts and codes differ in length")
        if codes and max(codes) >= len(reasons):
            raise ValueError("removed lines: a reason code without its reason")
        self.numbers, self.texts = tuple(numbers), tuple(texts)
        self.codes, self.reasons = codes, tuple(reasons)

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, k: int) -> RemovedLine: ...
    @overload
    def __getitem__(self, k: slice) -> tuple[RemovedLine, ...]: ...
    def __getitem__(self, k: int | slice) -> RemovedLine | tuple[RemovedLine, ...]:
        if isinstance(k, slice):
            return tuple(self[i] for i in range(*k.indices(len(self))))
        return RemovedLine(self.numbers[k], self.texts[k], self.reasons[self.codes[k]])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (RemovedLines, (self.numbers, self.texts, self.codes, self.reasons))


@dataclass(frozen=True)
class Article:
    """The article kept from a page: body paragraphs, captions and metadata.

    `body_lines` and `caption_lines` are 1-based line numbers in the page's text dump (for HTML,
    in the dump newsfold made of it). `published_from` says where the date came from:
    "metadata", "page", "url", "capture" or "record".
    """

    id: str
    title: str | None
    paragraphs: tuple[str, ...]
    body_lines: tuple[int, ...] = ()
    caption_lines: tuple[int, ...] = ()
    captions: tuple[str, ...] = ()
    published: str | None = None
    published_from: str | None = None
    authors: tuple[str, ...] = ()
    credits: tuple[str, ...] = ()
    dateline: str | None = None
    lang: str | None = None
    dates_mentioned: tuple[str, ...] = ()
    removed: Sequence[RemovedLine] = ()  # a tuple, or `RemovedLines` (columns) from the cleaner
    url: str | None = None
    source: str | None = None
    site_name: str | None = None  # the site's own name in its metadata (og:site_name and the like)

    @property
    def text(self) -> str:
        """The body, paragraphs separated by a newline."""
        return "\n".join(self.paragraphs)

    @property
    def domain(self) -> str | None:
        """The URL's host without "www."; None without a (well-formed) URL."""
        try:
            host = _hostname(self.url) if self.url else None
        except ValueError:
            return None
        return host.removeprefix("www.") if host else None

    @property
    def outlet(self) -> str | None:
        """Who published it: the record's `source`, else the site's name in its metadata, else the domain."""
        return self.source or self.site_name or self.domain


@dataclass(frozen=True)
class CopyLink:
    """`article` shares its origin with `of`, the fuller member it derives from: a copy, excerpt or version.

    `shared` is the fraction of `article`'s passages found in `of`; `adds` are passages `article`
    has that `of` lacks, `lacks` the passages of `of` that `article` does not have.
    """

    article: str
    of: str
    relation: Relation
    shared: float
    adds: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()


@dataclass(frozen=True)
class OriginGroup:
    """Articles sharing one origin: a representative (the fullest, then earliest, then smallest id) and
    its copies."""

    representative: str
    members: tuple[str, ...]
    copies: tuple[CopyLink, ...] = ()


@dataclass(frozen=True)
class Flag:
    """A red flag on one article, with the evidence in `detail`. No flag without evidence."""

    article: str
    kind: FlagKind
    detail: str


@dataclass(frozen=True)
class SourcedText:
    """A sentence or variant and the articles that state it."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    """A quotation, its speaker when a sentence names one, and its wordings across sources."""

    text: str
    speaker: str | None
    sources: tuple[str, ...]
    variants: tuple[SourcedText, ...] = ()


@dataclass(frozen=True)
class Discrepancy:
    """Aligned statements that differ in a number, duration, name, time or place."""

    about: str
    variants: tuple[SourcedText, ...]


@dataclass(frozen=True)
class Change:
    """What one version of an origin's story changed from another version of the same origin.

    `of` is the older version, `article` the newer (by the dates both pages claim; without them, the
    longer is taken as the newer, as wire stories grow when updated). `kind` is "number", "name" or
    "quote" for an aligned statement whose numbers, names or quoted words differ, "added" for a
    statement only `article` has (`before` is None), "removed" for one only `of` has (`after` is None).
    """

    article: str
    of: str
    kind: ChangeKind
    before: str | None
    after: str | None


def article_record(article: Article) -> dict[str, Any]:
    """`dataclasses.asdict(article)` with its removed lines as `RemovedLine`s (JSON-ready): what the store
    and the Spark engine write."""
    return asdict(replace(article, removed=tuple(article.removed)))


@dataclass(frozen=True)
class ArticleSource:
    """Where one article of a story came from: its outlet, domain, link, date, language and country.

    `country` is the ISO 3166 code of the domain's country-code top-level domain, when it has one.
    """

    article: str
    outlet: str | None = None
    domain: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    lang: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Story:
    """One real-world event: its articles, origin groups and the consolidated account."""

    id: str
    headline: str | None
    articles: tuple[str, ...]
    origins: tuple[tuple[str, ...], ...] = ()
    copies: tuple[CopyLink, ...] = ()
    event_date: str | None = None
    sources: tuple[ArticleSource, ...] = ()  # one per article, in `articles` order
    summary: tuple[SourcedText, ...] = ()
    adds: tuple[SourcedText, ...] = ()
    quotes: tuple[Quote, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    changes: tuple[Change, ...] = ()
    flags: tuple[Flag, ...] = ()
    # The story's thread (newsfold.cluster.threads: stories of one saga) and its related stories, best
    # first; filled after the stories are written.
    thread: str | None = None
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read or cleaned: the file (or record) and a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


# What the stages hand each other besides the dataclasses above. One convention for input problems: a
# stage that accepts input returns what it made and the inputs it rejected (`problems`, one
# `InputProblem` each) in one dataclass (`read_many`, `stream_pages`, `clean_pages`, `clean_all`, `fold`,
# `ingest`); nothing is raised for a bad input, no callback is needed (only the readers' own layer under
# `stream_pages`, `read.iter_pages`, hands each to a callable as it streams). Each unpacks as its two
# fields, in order (`pages, problems = read_many(paths)`), for the callers written when these were tuples.


@dataclass(frozen=True)
class PagesRead:
    """What `read_many` returns: the pages read, and the inputs (files, records) rejected."""

    pages: list[Page]
    problems: list[InputProblem]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.pages, self.problems))


@dataclass(frozen=True)
class PageStream:
    """What `read.stream_pages` returns: the pages, read as they are iterated (for corpora that do not fit
    in memory), and the inputs rejected so far (the list grows as `pages` is consumed)."""

    pages: Iterator[Page]
    problems: list[InputProblem]


@dataclass(frozen=True)
class Cleaned:
    """What cleaning a batch returns (`clean.clean_pages`, `engine.local.clean_all`): the articles, and the
    pages rejected."""

    articles: list[Article]
    problems: list[InputProblem]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.articles, self.problems))


@dataclass(frozen=True)
class NewPages:
    """What `Store.new_pages` returns: the pages to ingest (new ids or new captures, renamed as stored),
    and the ids of the pages stored already with the same content."""

    new: list[Page]
    unchanged: list[str]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.new, self.unchanged))


@dataclass(frozen=True)
class FoldCounts:
    """How many articles and stories a fold made (also when they were streamed to a folder, not kept)."""

    articles: int
    stories: int


@dataclass
class FoldResult:
    """What a fold returns: the articles, the stories, and the inputs that were rejected.

    `counts`: how many articles and stories were made; a fold that streamed them to a folder without
    keeping them (`fold_paths(..., keep=False)`) leaves `articles` and `stories` empty.
    """

    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    # Wall seconds each stage took ("read", "clean", "spill", "copies", "stories", "write", "threads",
    # "out"), as timed.
    timings: dict[str, float] = field(default_factory=dict)
    counts: FoldCounts | None = None

    @property
    def article_count(self) -> int:
        """The articles folded: `counts.articles`, else those held."""
        return self.counts.articles if self.counts is not None else len(self.articles)

    @property
    def story_count(self) -> int:
        """The stories made: `counts.stories`, else those held."""
        return self.counts.stories if self.counts is not None else len(self.stories)


@dataclass(frozen=True)
class Related:
    """Another story and how strongly it relates to this one (0-1: names and words alike; cluster.threads)."""

    story: str
    score: float


@dataclass(frozen=True)
class Thread:
    """Stories of one saga in time order, and for each of them (same order) its related stories."""

    id: str
    stories: tuple[str, ...]
    related: tuple[tuple[Related, ...], ...] = ()
