"""What an HTML page's markup states about its article: JSON-LD objects, meta tags, stated authors.

Read with lxml from the page's tree; every value is untrusted text, so JSON-LD blocks are size-bounded and
every string is entity-decoded, whitespace-folded and cut to a bounded length.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator

import lxml.html

__all__ = [
    "ARTICLE_TYPES",
    "MAX_JSON_LD_CHARS",
    "fold_text",
    "json_ld_objects",
    "meta_content",
    "stated_authors",
]

# JSON-LD blocks longer than this are not read (a page's article markup is a few KB; untrusted input).
MAX_JSON_LD_CHARS = 200_000
# Types whose `headline`, `author` and dates are the page's article's.
ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report", re.I)
# A stated author longer than this is a sentence or a list run together, not a name.
MAX_AUTHOR_CHARS = 80
_SPLIT_AUTHORS = re.compile(r"\s*[;|]\s*")
# A stated name that is a list ("A and B", "A, B und C", "A og B"): split where every part is a short name.
# (Not at "y" or "e": Spanish and Portuguese surnames hold them, "Ortega y Gasset".)
_LIST_SEPARATOR = re.compile(r"\s*(?:,|&|\b(?:and|und|og|och|et|en)\b)\s*", re.I)
_MAX_NAME_WORDS = 4
# A byline word before a name ("By", "Von", "Autor") and a bracketed tag after it ("(cog.)").
_BYLINE_WORD = re.compile(r"^(?:by|von|par|por|door|di|av|autor|autorin|author)\s*:?\s+(?=\S)", re.I)
_BRACKETED_TAIL = re.compile(r"\s*[(\[][^)\]]{1,20}[)\]]$")
_NOT_A_NAME = re.compile(r"https?:|www\.|@|\.(?:com|org|net)/", re.I)


def fold_text(text: object, limit: int = 1000) -> str | None:
    """A stated string as one line: entities left undecoded by the markup decoded, whitespace folded."""
    if not isinstance(text, str):
        return None
    text = html.unescape(text)
    if not text.isascii():  # invisible format characters (soft hyphens, zero-width spaces) are no text
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())[:limit] or None


def json_ld_objects(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Every JSON object of the page's JSON-LD blocks, in page order (graphs and lists flattened)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        text = script.text or ""
        if len(text) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                stack.extend(item[k] for k in ("@graph", "mainEntity") if k in item)


def meta_content(tree: lxml.html.HtmlElement, name: str) -> str | None:
    """The first non-empty content of <meta property=name> or <meta name=name>."""
    for value in tree.xpath("//meta[@property=$n or @name=$n]/@content", n=name):
        if folded := fold_text(value):
            return folded
    return None


def _person_name(author: object) -> str | None:
    """The name of one JSON-LD author (a string, or an object with a name or given and family names)."""
    if isinstance(author, str):
        return fold_text(author, MAX_AUTHOR_CHARS + 1)
    if not isinstance(author, dict):
        return None
    name = author.get("name")
    if not isinstance(name, str) and isinstance(author.get("familyName"), str):
        name = f"{author.get('givenName') or ''} {author['familyName']}"
    return fold_text(name, MAX_AUTHOR_CHARS + 1)


def _names_in(stated: str) -> list[str]:
    """The names one stated author string holds: a list split, byline words and bracketed tags cut."""
    name = _BRACKETED_TAIL.sub("", _BYLINE_WORD.sub("", stated)).strip()
    parts = [p for p in _LIST_SEPARATOR.split(name) if p]
    if len(parts) > 1 and all(len(p.split()) <= _MAX_NAME_WORDS for p in parts):
        return [_BRACKETED_TAIL.sub("", p).strip() for p in parts]
    return [name] if name else []


def _plausible(name: str) -> bool:
    return len(name) <= MAX_AUTHOR_CHARS and any(c.isalpha() for c in name) and not _NOT_A_NAME.search(name)


def stated_authors(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
    """The authors the page's markup names: its JSON-LD article's `author` (persons or organisations, as
    stated), else its <meta name="author"> (split at ";" and "|"). Empty when it names none."""
    for obj in json_ld_objects(tree):
        if not ARTICLE_TYPES.search(str(obj.get("@type", ""))) or "author" not in obj:
            continue
        authors = obj["author"] if isinstance(obj["author"], list) else [obj["author"]]
        names = [n for a in authors[:20] if (s := _person_name(a)) for n in _names_in(s) if _plausible(n)]
        if names:
            return tuple(dict.fromkeys(names))
    meta = meta_content(tree, "author")
    if meta:
        parts = [n for part in _SPLIT_AUTHORS.split(meta) if part for n in _names_in(part)]
        return tuple(dict.fromkeys(n for n in parts if _plausible(n)))
    return ()
