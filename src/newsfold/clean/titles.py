"""The headline of an HTML page, without the site's name.

A page states its headline in several places: `og:title`, `twitter:title`, the JSON-LD article's
`headline`, its first `<h1>` and its `<title>`. Titles meant for sharing and for the browser tab carry the
site's name ("Headline | Site", "Headline - Site", "Site: Headline", "Headline – Site – 28.04.2023"),
sometimes a section ("Headline | Sport"). A separator-delimited part at either edge is cut when it names
the site (its `og:site_name`, `application-name`, the JSON-LD publisher, a label of its host), is a date, or
when what is left is what another of the page's own headlines says.

Order of trust, from the Fundus fixtures (235 pages, 165 publishers; `bench/bench_fundus.py`): the cut
`og:title` matched the gold title on 188 pages, the JSON-LD headline on 168, the first `<h1>` on 164, the
cut `<title>` on 133 (trafilatura's title, which prefers `<title>` parts: 155).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import lxml.html

from newsfold.clean.markup import ARTICLE_TYPES, fold_text, json_ld_objects, meta_content

__all__ = [
    "TitleCandidates",
    "choose_title",
    "site_name_parts",
    "slug_words",
    "title_candidates",
    "title_from_slug",
]

# Separators that set a site's name, a section or a date apart from a headline: spaced pipes, dashes,
# slashes, bullets and guillemets, and unspaced full-width/Korean pipes and colons.
_SEPARATOR = re.compile(r"(\s+[|\-–—·•»/:]\s+|\s*[|｜ㅣ]\s*|\s*：\s*|-(?=[^\s|ㅣ｜-]{1,12}\s*[|ㅣ｜]))")
_DATE_PART = re.compile(r"[\d\s./-]{6,}")
_KEY = re.compile(r"\W+")
# A site's name is short ("The Times of India", "Neue Zürcher Zeitung"): longer ones are not names.
MAX_SITE_NAME_CHARS = 40


@dataclass(frozen=True)
class TitleCandidates:
    """What a page says its headline is, from each place (whitespace folded, entities decoded)."""

    og_title: str | None = None
    twitter_title: str | None = None
    json_ld: str | None = None
    h1: str | None = None
    html_title: str | None = None
    site_names: tuple[str, ...] = ()


def title_candidates(tree: lxml.html.HtmlElement) -> TitleCandidates:
    """The headlines a page states (see the module's docstring), and the names it gives itself."""
    json_ld, names = None, []
    for obj in json_ld_objects(tree):
        if json_ld is None and ARTICLE_TYPES.search(str(obj.get("@type", ""))):
            json_ld = fold_text(obj.get("headline"))
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and (name := fold_text(publisher.get("name"))):
            names.append(name)
    for meta in ("og:site_name", "application-name", "apple-mobile-web-app-title"):
        if name := meta_content(tree, meta):
            names.append(name)
    h1 = next((t for el in tree.xpath("//h1") if (t := fold_text(el.text_content()))), None)
    html_title = next((t for raw in tree.xpath("//title/text()") if (t := fold_text(raw))), None)
    return TitleCandidates(
        og_title=meta_content(tree, "og:title"),
        twitter_title=meta_content(tree, "twitter:title"),
        json_ld=json_ld,
        h1=h1,
        html_title=html_title,
        site_names=tuple(dict.fromkeys(names)),
    )


def _key(text: str) -> str:
    return _KEY.sub("", text.casefold())


def site_name_parts(host: str | None, names: Sequence[str]) -> tuple[str, ...]:
    """The keys (`_key`) a title part naming the site may have: its given names and its host's labels."""
    # A "name" of many words is a headline that a page put in the name's place, not a name.
    keys = [_key(n) for n in names if len(n) <= MAX_SITE_NAME_CHARS]
    if host:
        host = host.lower().removeprefix("www.")
        keys.append(_key(host))
        keys.extend(_key(label) for label in host.split(".")[:-1] if len(label) > 2)
    return tuple(k for k in dict.fromkeys(keys) if k)


def _names_site(part: str, site_keys: Sequence[str]) -> bool:
    """Does a title part name the site (one of its names, a host label, or the name within a longer one)?"""
    key = _key(part)
    if not key:
        return False
    return any(key == k or (len(key) >= 4 and key in k) or (len(k) >= 4 and k in key) for k in site_keys)


def _shorter_cut(part: str, rest: str, other_keys: set[str]) -> bool:
    """Is `rest` (the title without `part`) another of the page's headlines, and `part` the smaller?"""
    return _key(rest) in other_keys and len(_key(part)) < len(_key(rest))


def strip_site(title: str, site_keys: Sequence[str], others: Sequence[str]) -> str:
    """The title without the separator-delimited parts at its edges that name the site, are a date, or
    whose removal leaves another of the page's headlines (`others`)."""
    other_keys = {_key(o) for o in others if o}
    while True:
        pieces = _SEPARATOR.split(title)
        if len(pieces) < 3:
            return title
        head, tail = "".join(pieces[2:]).strip(), "".join(pieces[:-2]).strip()
        last, first = pieces[-1].strip(), pieces[0].strip()
        if _names_site(last, site_keys):
            # "Headline - Section | Site": a one- or two-word part before the site's name is its section.
            section = pieces[-3].strip() if len(pieces) >= 5 else ""
            shorter = "".join(pieces[:-4]).strip()
            cut = section and len(section.split()) <= 2 and len(_key(section)) < len(_key(shorter))
            title = shorter if cut else tail
        elif _DATE_PART.fullmatch(last):
            title = tail
        elif _shorter_cut(last, tail, other_keys):
            title = tail
        elif (_names_site(first, site_keys) or _shorter_cut(first, head, other_keys)) and len(
            _key(head)
        ) > len(_key(first)):
            title = head
        else:
            return title


def choose_title(
    candidates: TitleCandidates, host: str | None = None, extra_names: Sequence[str] = ()
) -> str | None:
    """The page's headline: the cut og:title, else the JSON-LD headline, the first h1, the cut <title>."""
    site_keys = site_name_parts(host, [*candidates.site_names, *extra_names])
    plain = [t for t in (candidates.json_ld, candidates.h1) if t]
    for title in (candidates.og_title, candidates.twitter_title, candidates.json_ld, candidates.h1,
                  candidates.html_title):  # fmt: skip
        if title:
            cut = strip_site(title, site_keys, plain)
            if cut:
                return cut
    return None


# A path segment of at least this many words is a slug: the headline written into the address
# ("/2024/05/03/mayor-resigns-after-vote"); ids and sections ("/news/article-123") have fewer.
MIN_SLUG_WORDS = 3
# How well a line must say what the slug says: (slug words it holds / slug words) x (its words in the slug
# / its words). Fundus text dumps (235 pages, 208 with a slug): at 0.25 the exact title went from 65 to 124
# pages; a subheading or a caption repeating a few slug words scores far lower.
MIN_SLUG_FIT = 0.25
# Longer lines are paragraphs, not headlines (and scraped text is untrusted: bound the work).
MAX_TITLE_CHARS = 300
_SLUG_SPLIT = re.compile(r"[-_.+~,]")
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _plain(text: str) -> str:
    """Lower case without accents: slugs drop them ("Zürich" -> "zurich")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def slug_words(url: str | None) -> frozenset[str]:
    """The words of a URL's slugs (path segments of `MIN_SLUG_WORDS` words or more), plain lower case."""
    try:
        path = urlsplit(url[:2000]).path if url else ""
    except ValueError:  # a malformed address ("http://[not-an-ipv6/a") has no slug
        return frozenset()
    words: set[str] = set()
    for segment in unquote(path).split("/"):
        parts = [w for w in _SLUG_SPLIT.split(_plain(segment)) if len(w) > 1 and w.isalpha()]
        if len(parts) >= MIN_SLUG_WORDS:
            words.update(parts)
    return frozenset(words)


def title_from_slug(lines: Sequence[str], url: str | None) -> str | None:
    """The line among `lines` (a text dump's lines above its body) that says what the URL's slug says: the
    headline, where the dump's own title line is often a byline, a caption or a share bar. None without a
    slug or a line that fits it (`MIN_SLUG_FIT`)."""
    slug = slug_words(url)
    if len(slug) < MIN_SLUG_WORDS:
        return None
    best, best_fit = None, MIN_SLUG_FIT
    for line in lines:
        if len(line) > MAX_TITLE_CHARS or not (words := _WORDS.findall(_plain(line))):
            continue
        hits = sum(w in slug for w in words)
        fit = (hits / len(slug)) * (hits / len(words))
        if fit >= best_fit and (best is None or fit > best_fit):
            best, best_fit = line.strip(), fit
    return best
