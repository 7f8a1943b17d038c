"""HTML -> main text and metadata with trafilatura (+ htmldate), and a text dump of the same page.

trafilatura does the extraction; this module only chooses between two of its passes and trims chrome it
leaves at the edges:

* the precision pass (`favor_precision=True`) is the better one on most pages, but on some it keeps
  only a teaser; when it keeps much less than the default pass, the default pass is used instead;
* the headline, a date line or a "share / subscribe / copyright" line at the edges of the text is dropped;
* `html_body` takes the site's template and the text-dump rules' chrome out of the text, trusting
  trafilatura where a rule judges a line against the article (language, topic, comments) inside its text;
  the markup decides where the article's paragraphs are (each dump line's container and kind of block):
  those trafilatura skips inside its text come back, and what it reads on past the last one goes.

The text dump (one visible block a line, as `../shared/tools/textdump.py` makes them) gives HTML pages
line numbers, so body lines, captions and removed lines with their reasons exist for HTML too.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura
from trafilatura import load_html

from newsfold.clean.dates import markup_day, parse_date_line
from newsfold.clean.line_features import word_count, word_tokens
from newsfold.clean.line_rules import SENTENCE_END
from newsfold.clean.lines import LineLabel, chrome_lines
from newsfold.clean.markup import stated_authors
from newsfold.clean.titles import choose_title, title_candidates
from newsfold.errors import InputError
from newsfold.settings import CleanSettings

__all__ = ["HtmlExtraction", "dump_html", "extract_html", "html_body", "match_lines"]

# Same block/drop sets as ../shared/tools/textdump.py, so dumps made here line up with the benchmark's.
_DROP = frozenset("script style noscript template head svg iframe object button select option".split())
_BLOCK = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 header footer nav section article aside main figure figcaption "
    "blockquote table tr td th br dd dt form pre address time caption body hr".split()
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


@dataclass(frozen=True)
class HtmlExtraction:
    """What trafilatura and htmldate found in one HTML page, with the page's text dump.

    `trimmed` holds (paragraph, reason) for edge lines this module dropped from trafilatura's text;
    `default_pass` trafilatura's default pass (edges trimmed) when `paragraphs` is its precision pass, None
    while it is not run yet (`extract_html(..., defer_default=True)`: `html_body` runs it where it can add
    body, from `markup` and `url`);
    `authors` the authors the markup names (`markup.stated_authors`), `author` trafilatura's reading;
    `dump_links` the share of each dump line's characters inside a link (empty: not measured);
    `dump_blocks` each dump line's block: equal numbers are blocks of one tag under one parent element;
    `dump_kinds` each dump line's kind of block: equal numbers are blocks of one tag and class attribute
    (-1: no class).
    """

    paragraphs: tuple[str, ...]
    dump_lines: tuple[str, ...]
    title: str | None = None
    published: str | None = None
    author: str | None = None
    authors: tuple[str, ...] = ()
    sitename: str | None = None
    lang: str | None = None
    trimmed: tuple[tuple[str, str], ...] = ()
    default_pass: tuple[str, ...] | None = ()
    markup: str = ""
    url: str | None = None
    dump_links: tuple[float, ...] = ()
    dump_blocks: tuple[int, ...] = ()
    dump_kinds: tuple[int, ...] = ()


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """lxml's tree of the page, or None when there is none (empty or unparseable markup)."""
    text = _XML_DECL.sub("", html)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def dump_html(html: str, max_line_chars: int = 100_000, max_depth: int | None = None) -> list[str]:
    """The page as a scraper saves it: one visible text block a line (textdump.py's semantics).

    Walks the tree with an explicit stack, so deeply nested markup cannot exhaust Python's recursion.
    Raises `InputError` when elements nest `max_depth` deep (`ReadSettings.max_html_depth`).
    """
    return _dump(html, max_line_chars, max_depth).lines


class _Dump(NamedTuple):
    """A page's dump lines with, per line, the share of its characters inside a link (<a>) and its block's
    place in the markup: lines with equal `blocks` numbers are blocks of one tag under one parent element
    (the paragraphs of one container), lines with equal `kinds` numbers blocks of one tag and one class
    attribute anywhere (-1: a block without a class)."""

    lines: list[str]
    link_shares: list[float]
    blocks: list[int]
    kinds: list[int]


def _too_deep(max_depth: int) -> InputError:
    return InputError(
        "",
        f"HTML nested {max_depth} elements deep (ReadSettings.max_html_depth); the parser drops what lies "
        "deeper",
    )


def _link_share(parts: Sequence[tuple[str, bool]]) -> float:
    """The share of a line's characters (`parts`: its texts, each inside a link or not) inside a link."""
    chars = sum(len(part.strip()) for part, _ in parts)
    linked = sum(len(part.strip()) for part, in_link in parts if in_link)
    return linked / chars if chars else 0.0


def _dump(html: str, max_line_chars: int = 100_000, max_depth: int | None = None) -> _Dump:
    """`dump_html`'s lines with their link shares, blocks and kinds of block (`_Dump`)."""
    root = _parse(html)
    out = _Dump([], [], [], [])
    if root is None:
        return out
    current: list[tuple[str, bool]] = []  # (text, inside a link)
    # The open block elements (parent element's number by document order, tag, class attribute); a line's
    # block is the innermost one open at its first text.
    open_blocks: list[tuple[int, str, str]] = [(0, "", "")]
    block_of_line: list[tuple[int, str, str] | None] = [None]
    block_ids: dict[tuple[int, str], int] = {}
    kind_ids: dict[tuple[str, str], int] = {}

    def flush() -> None:
        text = " ".join(" ".join(part for part, _ in current).split())
        if text:
            out.lines.append(text[:max_line_chars])
            out.link_shares.append(_link_share(current))
            parent, tag, classes = block_of_line[0] or open_blocks[-1]
            out.blocks.append(block_ids.setdefault((parent, tag), len(block_ids)))
            out.kinds.append(kind_ids.setdefault((tag, classes), len(kind_ids)) if classes else -1)
        current.clear()
        block_of_line[0] = None

    def add(text: str | None, in_link: bool) -> None:
        if text:
            if block_of_line[0] is None and text.strip():
                block_of_line[0] = open_blocks[-1]
            current.append((text, in_link))

    # Stack items: ("open", element, depth, in a link, parent's number) to visit, ("close", ...) after its
    # children.
    stack: list[tuple[str, lxml.etree._Element, int, bool, int]] = [("open", root, 1, False, 0)]
    seen = 0
    while stack:
        action, el, depth, in_link, parent = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if action == "close":
            if tag in _BLOCK:
                flush()
                open_blocks.pop()
            add(el.tail, in_link)
            continue
        if tag in _DROP or not isinstance(el.tag, str):
            add(el.tail, in_link)
            continue
        seen += 1
        if tag in _BLOCK:
            flush()
            open_blocks.append((parent, tag, " ".join(sorted((el.get("class") or "").split()))))
        inner = in_link or tag == "a"
        add(el.text, inner)
        if max_depth is not None and depth >= max_depth:
            raise _too_deep(max_depth)
        stack.append(("close", el, depth, in_link, parent))
        stack.extend(("open", child, depth + 1, inner, seen) for child in reversed(el))
    flush()
    return out


_WORD = re.compile(r"\w+", re.UNICODE)


def _nfc(text: str) -> str:
    """The text in Unicode's composed form: trafilatura's text is composed (NFC), a page's dump keeps the
    page's own form, and "u" + a combining diaeresis is the same letter as "ü" but not the same \\w+ word."""
    return unicodedata.normalize("NFC", text)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(_nfc(text).lower()))


def _line_words(line: str) -> float:
    """The words of a line (`line_features.word_count` of its letter-and-digit runs: a Han or kana character
    half a word), so that "4+ words" holds for a sentence of a language written without spaces."""
    return word_count(_WORD.findall(line))


def match_lines(paragraphs: Sequence[str], dump_lines: Sequence[str]) -> list[int]:
    """0-based indices of the dump lines that carry the extracted text (most of their word 4-grams in it).

    trafilatura joins and splits blocks differently from the dump, so lines are matched by shingle
    containment rather than equality; lines of under four words (`word_count`) must appear whole, between
    word bounds. The shingles of Han and kana text are of its characters (`word_tokens`): a dump may space
    it where the extracted text does not, and a line of it is often one "word" between punctuation.
    """
    text = _nfc(" ".join(paragraphs)).lower()
    tokens = word_tokens(text)
    shingles = {tuple(tokens[i : i + 4]) for i in range(max(0, len(tokens) - 3))}
    joined = " " + " ".join(_WORD.findall(text)) + " "
    matched = []
    for index, line in enumerate(dump_lines):
        line = _nfc(line).lower()
        words = word_tokens(line)
        if not words:
            continue
        if word_count(words) < 4:
            if f" {' '.join(_WORD.findall(line))} " in joined:
                matched.append(index)
            continue
        grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
        if sum(g in shingles for g in grams) >= 0.5 * len(grams):
            matched.append(index)
    return matched


# Lines of page furniture that trafilatura sometimes keeps at the very start or end of the text.
_CHROME = re.compile(
    r"\bshare (?:this|it|on)\b|\bfollow (?:us|me|her|him)\b|^tags?\b|^related\b|^read more\b"
    r"|^advertisement$|like this (?:story|article)|\bmay be reached at\b|\bcontact (?:us|the author)\b"
    r"|^(?:photo|image)s?(?: credit)?:|^updated\b|^posted\b|^published\b|\b(?:minute|min)s? read\b"
    r"|^(?:\d+\s+)?comments?\b|leave a (?:comment|reply)",
    re.I,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")


def _is_chrome(paragraph: str, max_words: int) -> str | None:
    """Why an edge paragraph is page furniture, or None."""
    if parse_date_line(paragraph) is not None:
        return "date line"
    if word_count(paragraph.split()) > max_words:
        return None
    if _CHROME.search(paragraph) or _EMAIL.search(paragraph):
        return "page furniture at the edge of the text"
    return None


def _same_title(paragraph: str, title: str | None) -> bool:
    a, b = _norm(paragraph), _norm(title or "")
    return (
        bool(a)
        and bool(b)
        and (a == b or (len(a) >= 12 and (a in b or b in a) and 0.5 <= len(a) / len(b) <= 1.5))
    )


def trim_edges(
    paragraphs: list[str], title: str | None, settings: CleanSettings
) -> tuple[list[str], list[tuple[str, str]]]:
    """Drop the headline, date lines and furniture from the start and end of extracted text."""
    trimmed: list[tuple[str, str]] = []
    kept = list(paragraphs)
    head = 0
    while head < min(len(kept), settings.html_edge_lines):
        reason = (
            "headline"
            if _same_title(kept[head], title)
            else _is_chrome(kept[head], settings.html_chrome_words)
        )
        if reason is None:
            break
        trimmed.append((kept[head], reason))
        head += 1
    kept = kept[head:]
    tail = 0
    while tail < min(len(kept) - 1, settings.html_edge_lines):
        reason = _is_chrome(kept[-1 - tail], settings.html_chrome_words)
        if reason is None:
            break
        trimmed.append((kept[-1 - tail], reason))
        tail += 1
    return (kept[: len(kept) - tail] if tail else kept), trimmed


def _cut_long_text(tree: lxml.html.HtmlElement, limit: int) -> None:
    """Cut text runs longer than `limit` in place: trafilatura is superlinear on one huge text node
    (a 5 MB single line took 12 s)."""
    for el in tree.iter():
        if el.text and len(el.text) > limit:
            el.text = el.text[:limit]
        if el.tail and len(el.tail) > limit:
            el.tail = el.tail[:limit]


def _extract(tree: lxml.html.HtmlElement, url: str | None, precision: bool) -> list[str]:
    try:
        text = trafilatura.extract(
            copy.deepcopy(tree),  # trafilatura prunes the tree it is given
            url=url,
            include_comments=False,
            favor_precision=precision,
            with_metadata=False,
        )
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        return []
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def _page_title(
    tree: lxml.html.HtmlElement, url: str | None, meta: object, dump: Sequence[str]
) -> str | None:
    """The page's headline without the site's name (`titles.choose_title`, told the page's dump lines),
    else trafilatura's title."""
    sitename = getattr(meta, "sitename", None)
    host = urlsplit(url).hostname if url else None
    try:
        title = choose_title(title_candidates(tree), host, [sitename] if sitename else [], dump)
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        title = None
    return title or getattr(meta, "title", None)


def _load(html: str, settings: CleanSettings) -> lxml.html.HtmlElement | None:
    """trafilatura's tree of the page (its own loader: its parser options, encoding handling), long text
    runs cut; None for markup without one. Not the dump's tree: trafilatura scores better on its own
    (zyte 0.969 vs 0.965 F1 with the same passes)."""
    tree = load_html(html) if html.strip() else None
    if tree is not None:
        _cut_long_text(tree, settings.max_text_node_chars)
        # Ruby annotations (a reading over a Japanese name) read inline, as the page prints them where ruby
        # is not drawn and as its text dump gives them: "尹錫悦（ユンソンニョル）"; trafilatura drops the
        # reading and may split the sentence at the <ruby> element.
        lxml.etree.strip_tags(tree, "ruby", "rb", "rt", "rtc", "rp")
    return tree


def _words(paragraphs: Sequence[str]) -> float:
    return sum(word_count(p.split()) for p in paragraphs)


def _with_default_pass(
    extraction: HtmlExtraction, default: list[str], settings: CleanSettings
) -> HtmlExtraction:
    """The extraction with trafilatura's default pass (`default`, untrimmed) beside its precision pass.

    The precision pass may collapse to a teaser: then the default pass replaces it if it holds over
    1/floor times more words (`CleanSettings.html_precision_floor`). Otherwise it is kept beside it, for
    `html_body` to weigh its extra lines against the line labels.
    """
    precision_words = _words(extraction.paragraphs) + _words([text for text, _ in extraction.trimmed])
    if precision_words < settings.html_precision_floor * _words(default):
        paragraphs, trimmed = trim_edges(default, extraction.title, settings)
        return replace(extraction, paragraphs=tuple(paragraphs), trimmed=tuple(trimmed), default_pass=())
    kept = trim_edges(default, extraction.title, settings)[0]
    return replace(extraction, default_pass=() if tuple(kept) == extraction.paragraphs else tuple(kept))


# A string literal in a script long enough to hold a paragraph's markup (not tuned: a <p> with a sentence).
_SCRIPT_STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"', re.S)
# Markup may sit in a JSON string inside a JS string (React server components): decoded at most this deep.
_SCRIPT_NESTING = 3


def _script_fragments(text: str, depth: int = 0) -> list[str]:
    """The HTML fragments (strings holding a <p>) that the string literals of one script's text hold."""
    fragments = []
    for match in _SCRIPT_STRING.finditer(text):
        try:
            decoded = json.loads(f'"{match.group(1)}"', strict=False)
        except ValueError:
            continue
        start, end = decoded.find("<"), decoded.rfind(">")
        if "<p" in decoded and start < end:  # the markup from its first tag to its last, not the data around
            fragments.append(decoded[start : end + 1])
        elif depth + 1 < _SCRIPT_NESTING:  # the markup is escaped once more, in a string inside this one
            fragments.extend(_script_fragments(decoded, depth + 1))
    return fragments


def _with_script_markup(html: str, settings: CleanSettings) -> str | None:
    """The page with the paragraph markup its scripts hold appended to its body (each fragment once), or
    None when they hold none. For pages a script renders: their markup shows no text, and the article
    waits in the script's data (a framework's hydration payload), where no extractor looks."""
    root = _parse(html)
    if root is None:
        return None
    fragments: dict[str, None] = {}
    for script in root.iter("script"):
        if script.text and len(script.text) <= settings.max_html_chars:
            fragments.update(dict.fromkeys(_script_fragments(script.text)))
    if not fragments:
        return None
    body = "".join(f"<div>{fragment}</div>" for fragment in fragments)
    end = html.lower().rfind("</body>")
    return html[:end] + body + html[end:] if end >= 0 else html + body


def extract_html(
    html: str,
    url: str | None = None,
    settings: CleanSettings | None = None,
    max_depth: int | None = None,
    defer_default: bool = False,
    _rendered: bool = False,
) -> HtmlExtraction:
    """Main text, title, date, author and language of an HTML page, with its text dump.

    trafilatura's precision pass gives the text, its default pass the lines it may miss
    (`_with_default_pass`); with `defer_default`, the default pass is left to `html_body`, which runs it
    only where the line labels read body that the precision pass left out (it costs as much as the first).
    Where trafilatura finds no text, the markup the page's scripts hold is added to its body and the page
    read again (`_with_script_markup`; `_rendered`: this is that second reading).

    Example: `extract_html("<html><body><article><p>...</p></article></body></html>").paragraphs`.
    """
    settings = settings or CleanSettings()
    html = html[: settings.max_html_chars]
    dumped = _dump(html, settings.max_text_node_chars, max_depth)
    dump = tuple(dumped.lines)
    tree = _load(html, settings)
    if tree is None:  # no visible text (rendered by script): the head still names a title and a date
        published = markup_day(html, url) if html.strip() else None
        return HtmlExtraction((), dump, published=published, dump_links=tuple(dumped.link_shares))
    try:
        meta = trafilatura.extract_metadata(tree, default_url=url)
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        meta = None
    title = _page_title(tree, url, meta, dump)
    paragraphs, trimmed = trim_edges(_extract(tree, url, precision=True), title, settings)
    if not paragraphs and not _rendered and (rendered := _with_script_markup(html, settings)) is not None:
        return extract_html(rendered, url, settings, max_depth, defer_default, _rendered=True)
    # newsfold's own date lines and URL refine htmldate's day or stand in for it (`clean._published`).
    published = markup_day(html, url)
    try:
        authors = stated_authors(tree)
    except (RecursionError, ValueError, lxml.etree.LxmlError):
        authors = ()
    extraction = HtmlExtraction(
        paragraphs=tuple(paragraphs),
        dump_lines=dump,
        title=title,
        published=published,
        author=meta.author if meta is not None else None,
        authors=authors,
        sitename=meta.sitename if meta is not None else None,
        lang=meta.language if meta is not None else None,
        trimmed=tuple(trimmed),
        default_pass=None,
        markup=html,
        url=url,
        dump_links=tuple(dumped.link_shares),
        dump_blocks=tuple(dumped.blocks),
        dump_kinds=tuple(dumped.kinds),
    )
    if defer_default:
        return extraction
    return _with_default_pass(extraction, _extract(tree, url, precision=False), settings)


def run_default_pass(extraction: HtmlExtraction, settings: CleanSettings) -> HtmlExtraction:
    """The extraction with trafilatura's default pass run (`extract_html(..., defer_default=True)` left it
    out); unchanged when it ran already."""
    if extraction.default_pass is not None:
        return extraction
    tree = _load(extraction.markup, settings)
    default = [] if tree is None else _extract(tree, extraction.url, precision=False)
    return _with_default_pass(extraction, default, settings)


# --- the body: trafilatura's text with the site's template and the text-dump rules' chrome taken out -----

# trafilatura keeps at most 94% of a zyte HTML page's dump lines (181 pages; bench/bench_html.py pages),
# and 96-100% of the seeds rendered one <p> a line inside <article>: from 95% on, the markup told it
# nothing about the page's parts, and the line labels decide.
_UNSTRUCTURED_SHARE = 0.95
# The text-dump content rules (`lines.RULE_REASONS`) on the lines trafilatura keeps. Those that read a
# line's own form hold anywhere in its text:
_FORM_REASONS = frozenset({"read-more link", "link to another story", "share/print button", "comment box"})
# Those that judge a line against the article (its language, its topic, a comment thread after it) hold
# only on the closing run of trafilatura's text, after the last line no rule drops: inside the text
# trafilatura has judged a line the article's, and a quote in another language is still the article (on
# the lines trafilatura keeps, the language and topic rules dropped 268 words of Fundus gold body inside
# the text and 13 others; zyte 28 and 0; the comment-section rule, whose chains of date lines also match
# live tickers and inline teaser boxes, dropped 4,843 words of Fundus gold body and 344 others; zyte 443
# and 49).
# So does the line model's own "outside the article text" (a related list's heading no rule named): on
# the closing run it gained Fundus HTML +0.0001 and zyte +0.0006 F1, no page lost (bench/html_body_replay.py).
_TAIL_REASONS = frozenset(
    {
        "another language than the article",
        "off the article's topic (other stories)",
        "comment section",
        "outside the article text",
    }
)
# The rules that name a line of the page's own metadata or furniture (a copyright, date or byline line, a
# menu); trafilatura keeps such lines at the edges of its text, where they are no article text (Fundus,
# the lines trafilatura keeps at the edges of its text: these labels held 36 words of gold body and 290
# others).
_EDGE_REASONS = frozenset({"copyright", "date line", "byline", "navigation"})
# A closing run holding more than this share of trafilatura's words is the article's own text that a rule
# misread (not tuned: a comment thread or a foreign-language promo is a small part of what trafilatura
# keeps; one Fundus page's inline teaser box made the comment rule claim the last 68% of its article).
_MAX_TAIL_SHARE = 1 / 3
# Repeated paragraphs holding at least this share of the text's words make the page a second copy of an
# article the site printed twice (an update, another section's URL), not template (not tuned: "most").
_COPY_SHARE = 0.5


def _without_lines(paragraphs: list[str], dropped: list[str], kept: list[str]) -> list[str]:
    """The paragraphs less those made (nearly) all of the dropped lines' text (`_norm` forms compared),
    but for as many of each text as the lines that stay (`kept`) hold: a closing list of the live blog's
    post headings drops the list, not the headings in the text above it.

    trafilatura may join a teaser and its "read more" link into one paragraph: one is left out when the
    dropped lines it holds cover at least 80% of its words' characters (not tuned: "most of it").
    """
    norms = [n for n in dict.fromkeys(map(_norm, dropped)) if n]
    if not norms:
        return paragraphs
    staying = Counter(map(_norm, kept))
    out = []
    for paragraph in paragraphs:
        text = _norm(paragraph)
        covered = sum(len(n) for n in norms if n in text)
        if not text or covered < 0.8 * len(text):
            out.append(paragraph)
        elif staying[text] > 0 and word_count(text.split()) >= 4:  # a shorter one matches anywhere
            staying[text] -= 1
            out.append(paragraph)
    return out


def _edge_run(order: Sequence[int], drops: Callable[[int], bool], skip: set[int]) -> set[int]:
    """The lines at one edge of trafilatura's text (`order`: its lines from that edge inwards) that `drops`,
    up to the first line it does not drop (lines in `skip` are passed over)."""
    run = set()
    for i in order:
        if drops(i):
            run.add(i)
        elif i not in skip:
            break
    return run


# A line is a link when nearly all its characters are link text: at 0.5, closing sentences with inline
# links went too (gold prose at 0.6-0.7 link share; Fundus and zyte, bench/html_body_replay.py); at 0.9 only
# whole-link lines (punctuation outside the anchor) count. Only the closing run: the links that open the
# text held gold on zyte (a kicker, a gallery link). Fundus 0.95494 -> 0.95589, zyte 0.97327 -> 0.97328.
_LINK_SHARE = 0.9


def _chrome_lines(
    lines: Sequence[str], labels: Sequence[LineLabel], kept: set[int], link_shares: Sequence[float]
) -> set[int]:
    """The lines the text-dump rules drop that also leave trafilatura's text (`kept`: its lines): form
    rules anywhere (with the teaser a read-more link follows), the page's metadata lines on its opening
    and closing runs, language, topic and comment rules on its closing run when that run is a small part
    of it; and the links that close it (`link_shares`: per line, the share of its characters in a link),
    a list of other pages after the article. The runs pass over the batch's template lines (a footer word
    matched alone ends no run)."""
    chrome = chrome_lines(labels, _FORM_REASONS)
    order = sorted(kept)
    passed = chrome | {i for i in kept if labels[i].reason == "template line repeated across pages"}

    def edge(i: int) -> bool:
        return labels[i].reason in _EDGE_REASONS

    def tail_rule(i: int) -> bool:
        return labels[i].reason in _TAIL_REASONS or labels[i].reason in _EDGE_REASONS

    def link(i: int) -> bool:
        return len(link_shares) == len(lines) and link_shares[i] >= _LINK_SHARE

    chrome |= _edge_run(order, edge, passed)
    chrome |= _edge_run(order[::-1], edge, passed)
    links = _edge_run(order[::-1], link, passed)
    if links < kept:
        chrome |= links
    tail = _edge_run(order[::-1], tail_rule, passed)
    words = sum(word_count(lines[i].split()) for i in kept)
    if sum(word_count(lines[i].split()) for i in tail - chrome) > _MAX_TAIL_SHARE * words:
        return chrome
    return chrome | tail


# The article's paragraphs are blocks of one tag and class (`_Dump.kinds`) holding at least this share of
# trafilatura's words (not tuned: "most"); pages whose paragraphs carry no class, or several, are left alone.
_PARAGRAPH_KIND_SHARE = 0.5


def _after_the_paragraphs(kept: set[int], lines: Sequence[str], kinds: Sequence[int]) -> set[int]:
    """The lines of trafilatura's text (`kept`) after the last of the article's paragraphs (the kind of
    block holding `_PARAGRAPH_KIND_SHARE` of its words): what it reads on past the article's own markup,
    boxes of other kinds (a newsletter or app promo, an author's profile, a subscription notice, a list of
    other stories) that the line labels read as body as often as not (Fundus: 839 words of them outside the
    gold, 65 inside; bench/html_body_replay.py)."""
    if len(kinds) != len(lines) or not kept:
        return set()
    words: dict[int, float] = {}
    for i in kept:
        words[kinds[i]] = words.get(kinds[i], 0.0) + _line_words(lines[i])
    kind, held = max(words.items(), key=lambda item: (item[1], -item[0]))
    if kind < 0 or held < _PARAGRAPH_KIND_SHARE * sum(words.values()):
        return set()
    last = max(i for i in kept if kinds[i] == kind)
    return {i for i in kept if i > last}


def _template(paragraphs: Sequence[str], template: Counter[str], min_pages: int) -> set[str]:
    """The `_norm` forms of the paragraphs the site's other pages also print, unless they hold most of the
    text: then the page repeats an article, and its text is the article's."""
    repeated = {n for p in paragraphs if (n := _norm(p)) and template[n] >= min_pages}
    words = sum(word_count(n.split()) for n in map(_norm, paragraphs))
    if sum(word_count(n.split()) for n in repeated) >= _COPY_SHARE * words:
        return set()
    return repeated


# trafilatura's default pass is taken over its precision pass when the line labels read most of the words
# it adds as body. Fundus (235 pages, shipped line model): of the pages where the default pass adds lines
# of 4+ words, those with at least 2/3 of the added words labelled body gained (+0.015 to +0.20 F1 on 10
# pages, none lost over 0.01); at 0.58 and below the default pass lost on all but 4 pages (not tuned
# finer: the gap between 0.58 and 0.66 holds no page). A default pass adding more words than the
# precision pass holds is a page of other text, whatever its labels (one Fundus page lost 0.64 so).
_DEFAULT_BODY_SHARE = 2 / 3


def _long_body_outside(kept: set[int], lines: Sequence[str], labels: Sequence[LineLabel]) -> bool:
    """Whether a line the labels read as body, of 4+ words, lies outside the precision pass (`kept`: its
    lines). Only such a line can make `_choose_pass` take the default pass, and a precision pass collapsed
    to a teaser leaves them out: where there is none, the default pass cannot win and is not run (Fundus
    and zyte: the same F1 to the page, the default pass run on 144 of 235 and 71 of 181 pages)."""
    return any(
        label.kind == "body" and i not in kept and _line_words(lines[i]) >= 4
        for i, label in enumerate(labels)
    )


def _choose_pass(
    extraction: HtmlExtraction, lines: Sequence[str], labels: Sequence[LineLabel], settings: CleanSettings
) -> HtmlExtraction:
    """The extraction whose `paragraphs` are trafilatura's precision pass, or its default pass when the
    lines it adds read as body, or when it adds none and leaves out lines that read as chrome
    (`_leaves_out_chrome`; the default pass run here when `extract_html` deferred it and it can win).
    """
    kept = set(match_lines(extraction.paragraphs, lines))
    if extraction.default_pass is None:
        if not _long_body_outside(kept, lines, labels):
            return replace(extraction, default_pass=())
        run = run_default_pass(extraction, settings)
        if run.paragraphs != extraction.paragraphs:  # the precision pass was a teaser: replaced
            return run
        extraction = run
    if not extraction.default_pass:
        return extraction
    added = [i for i in match_lines(extraction.default_pass, lines) if i not in kept]
    # The page's metadata lines (`_EDGE_REASONS`) count neither way: the edge rules take them out anyway
    # (zyte: a closing copyright line kept a default pass holding a skipped paragraph out, +0.0003 F1).
    words = [
        (n, labels[i].kind == "body")
        for i in added
        if (n := _line_words(lines[i])) >= 4 and labels[i].reason not in _EDGE_REASONS
    ]
    added_words = sum(n for n, _ in words)
    kept_words = sum(_line_words(lines[i]) for i in kept)
    body_words = sum(n for n, body in words if body)
    if added_words and added_words <= kept_words and body_words >= _DEFAULT_BODY_SHARE * added_words:
        return replace(extraction, paragraphs=extraction.default_pass, default_pass=())
    if not added_words and _leaves_out_chrome(extraction.default_pass, kept, lines, labels):
        return replace(extraction, paragraphs=extraction.default_pass, default_pass=())
    return extraction


def _leaves_out_chrome(
    default: Sequence[str], kept: set[int], lines: Sequence[str], labels: Sequence[LineLabel]
) -> bool:
    """Whether the lines of the precision pass (`kept`) that the default pass leaves out are mostly (by
    `_DEFAULT_BODY_SHARE` of their words) read as not body by the line labels: then the default pass, which
    adds no line of 4+ words, is the cleaner reading of the same text (Fundus: captions and "follow this
    topic" boxes the precision pass kept; Fundus +0.0005, zyte +0.0003 F1, no page lost:
    bench/html_body_replay.py)."""
    in_default = set(match_lines(default, lines))
    counts = [(_line_words(lines[i]), labels[i].kind == "body") for i in kept if i not in in_default]
    words = sum(n for n, _ in counts)
    return words > 0 and sum(n for n, body in counts if not body) >= _DEFAULT_BODY_SHARE * words


# A line labelled title counts as the page's headline from 5 words on: 94% of the Fundus gold headlines
# hold 5+ words (235 pages); shorter title-labelled lines inside trafilatura's text were a photo credit and
# a code line (Fundus, zyte), where trafilatura's text was the article.
_HEADLINE_WORDS = 5


def _took_block_whole(kept: set[int], lines: Sequence[str], labels: Sequence[LineLabel]) -> bool:
    """Whether trafilatura took one block of the page whole, its header with it (`kept`: its lines): its
    text holds `_UNSTRUCTURED_SHARE` of the lines between its first and last line of 4+ words (shorter
    lines match by their words alone), every line the labels read as body, and a line they read as the
    headline (`_HEADLINE_WORDS`). The markup told it nothing inside that block, as on a page it keeps
    whole, and the line labels decide: the body is the one the page's text dump gives (a page in a site
    frame whose <article> or content <div> holds its headline, captions and related lists).
    """
    long_lines = [i for i in kept if _line_words(lines[i]) >= 4]
    body = [i for i, label in enumerate(labels) if label.kind == "body"]
    if not long_lines or not body or any(i not in kept for i in body):
        return False
    first, last = min(long_lines), max(long_lines)
    inside = sum(1 for i in range(first, last + 1) if lines[i].strip())
    if sum(1 for i in kept if first <= i <= last) < _UNSTRUCTURED_SHARE * inside:
        return False
    return any(labels[i].kind == "title" and _line_words(lines[i]) >= _HEADLINE_WORDS for i in kept)


# A paragraph of prose ends a sentence (the text-dump rules' stops, closing quotes and brackets after them);
# the lines of the article's container that trafilatura drops and that do not are headlines of other
# stories, labels and photo credits (zyte: "GET FOX BUSINESS ON THE GO BY CLICKING HERE", "( NASA/JPL-
# Caltech/ASU )"). Without this and the link condition zyte lost 0.0005 F1 (bench/html_body_replay.py).
_CLOSERS = "\"'”’»)]"
# A line with at least half its characters in links is a teaser, not prose (not tuned: "most of it").
_MOSTLY_LINKS = 0.5


def _ends_sentence(line: str) -> bool:
    return line.rstrip().rstrip(_CLOSERS).endswith(SENTENCE_END)


# Where a paragraph trafilatura skips inside its text belongs to the article's markup (`_skipped_siblings`):
# * a block of the same tag in the same parent element as the line before or after it, when that container
#   holds 2+ lines of the text: a page that starts a new container after each inline box (an ad, a teaser)
#   has the skipped paragraph open the next one (one neighbour rather than both: Fundus +0.0004, zyte
#   +0.0005 F1, bench/html_body_replay.py; a container holding one line of the text is a carousel that
#   repeats the article's lead, zyte -0.59 on one page without that condition);
# * a block of the tag and class attribute of 2+ lines of the text, anywhere between its first and last
#   line: the article's paragraphs split into several containers by inline boxes ("p.articleBodyBlock"
#   in each; Fundus +0.0011, zyte +0.0001, no page lost; with classless blocks, or after the text's last
#   line, pages lost up to 0.14: teasers' summaries in classless <p>).


def _skipped_siblings(
    body: set[int], lines: Sequence[str], labels: Sequence[LineLabel], extraction: HtmlExtraction
) -> list[int]:
    """The lines trafilatura left out between two lines of its text (`body`) that are paragraphs of the
    article's own markup (the two ways: the comment above): sentences of 4+ words that the line labels
    read as body and that are not mostly link text (`_MOSTLY_LINKS`): paragraphs trafilatura scored as
    boilerplate.
    """
    blocks, links = extraction.dump_blocks, extraction.dump_links
    if len(blocks) != len(lines) or len(links) != len(lines) or len(body) < 2:
        return []
    kinds = extraction.dump_kinds if len(extraction.dump_kinds) == len(lines) else (-1,) * len(lines)
    order = sorted(body)
    held_blocks = Counter(blocks[i] for i in order)
    held_kinds = Counter(kinds[i] for i in order if kinds[i] >= 0)
    added: list[int] = []
    for before, after in zip(order, order[1:], strict=False):
        containers = {blocks[k] for k in (before, after) if held_blocks[blocks[k]] >= 2}
        added.extend(
            i
            for i in range(before + 1, after)
            if (blocks[i] in containers or held_kinds[kinds[i]] >= 2)
            and labels[i].kind == "body"
            and links[i] < _MOSTLY_LINKS
            and _ends_sentence(lines[i])
            and _line_words(lines[i]) >= 4
        )
    return added


def _with_lines(paragraphs: list[str], lines: Sequence[str], added: Sequence[int]) -> list[str]:
    """The paragraphs with the dump lines `added` put back in place, each after the paragraph that holds
    the nearest line above it (first when none does)."""
    if not added:
        return paragraphs
    last_line = [max(match_lines([p], lines), default=-1) for p in paragraphs]
    out = list(paragraphs)
    for i in sorted(added, reverse=True):
        at = max((k + 1 for k, last in enumerate(last_line) if 0 <= last < i), default=0)
        out.insert(at, lines[i].strip())
    return out


def html_body(
    extraction: HtmlExtraction,
    lines: list[str],
    labels: list[LineLabel],
    template: Counter[str],
    settings: CleanSettings,
) -> list[str] | None:
    """The paragraphs of an HTML page, its line labels set to match them (in place); None where the
    line labels decide (trafilatura kept nearly every line, or one block whole: `_took_block_whole`).

    trafilatura decides the body; paragraphs its text shares with the site's other pages (`template`:
    normalised line -> pages) are template, and the text-dump rules that read a line's form (read-more
    teasers, links to other stories, share bars, comment boxes) also hold on the lines it keeps: a page
    gives one body whatever its format. What it keeps after the article's last paragraph, in blocks of
    other kinds, goes (`_after_the_paragraphs`); paragraphs it skips inside its text come back
    (`_skipped_siblings`).
    """
    extraction = _choose_pass(extraction, lines, labels, settings)
    chosen = extraction.paragraphs
    repeated = _template(chosen, template, settings.template_pages)
    paragraphs = [p for p in chosen if _norm(p) not in repeated]
    matched = set(match_lines(paragraphs, lines))
    if len(matched) >= _UNSTRUCTURED_SHARE * sum(1 for line in lines if line.strip()):
        return None
    if _took_block_whole(matched, lines, labels):
        return None
    chrome = _chrome_lines(lines, labels, matched, extraction.dump_links)
    for i in _after_the_paragraphs(matched, lines, extraction.dump_kinds) - chrome:
        if labels[i].kind == "body":  # a caption stays one
            labels[i] = LineLabel("drop", "after the article's paragraphs")
        chrome.add(i)
    paragraphs = _without_lines(paragraphs, [lines[i] for i in chrome], [lines[i] for i in matched - chrome])
    body_index = (set(match_lines(paragraphs, lines)) if chrome else matched) - chrome
    added = _skipped_siblings(body_index, lines, labels, extraction)
    paragraphs = _in_page_form(_with_lines(paragraphs, lines, added), lines)
    body_index.update(added)
    _relabel(labels, lines, body_index, chrome, repeated, extraction.trimmed)
    return paragraphs


def _in_page_form(paragraphs: list[str], lines: Sequence[str]) -> list[str]:
    """The paragraphs in the characters the page prints them with: trafilatura composes text (NFC) that a
    page may print decomposed ("u" + a combining diaeresis), and a paragraph that is a dump line under
    composition is given as the line: a page gives the same body from its HTML and from its text dump."""
    decomposed = {
        composed: line.strip()
        for line in lines
        if not line.isascii() and (composed := _nfc(line).strip()) != line.strip()
    }
    if not decomposed:
        return paragraphs
    return [decomposed.get(p, p) for p in paragraphs]


def _relabel(
    labels: list[LineLabel],
    lines: Sequence[str],
    body: set[int],
    chrome: set[int],
    repeated: set[str],
    trimmed: Sequence[tuple[str, str]],
) -> None:
    """Set the line labels (in place) to the body `html_body` chose: its lines body, the others that read
    as body dropped with the reason (template, trimmed at an edge, outside trafilatura's text)."""
    reasons = {_norm(text): reason for text, reason in trimmed}
    for i, line in enumerate(lines):
        if i in chrome:
            continue
        if i in body:
            labels[i] = LineLabel("body")
        elif _norm(line) in repeated:
            labels[i] = LineLabel("drop", "repeated on other pages of this site")
        elif labels[i].kind == "body":
            labels[i] = LineLabel("drop", reasons.get(_norm(line), "outside trafilatura's main text"))
