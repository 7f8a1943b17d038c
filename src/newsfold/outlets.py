"""Who published each article of a story, and how widely a story is covered.

An article's outlet is the record's `source`, else the site's name from its metadata, else its domain
(`Article.outlet`). A story's coverage counts its pages, distinct outlets, independent origins, and the
languages and countries (where known) of its articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsfold.models import Article, ArticleSource, Story

__all__ = ["Coverage", "article_sources", "country_of", "coverage_of", "site_name_in_title_line"]

# Country-code top-level domains sold worldwide as generic names (.co "company", .io, .tv, .me, .ai, ...):
# a site under one says nothing about its country. From IANA's root zone list and the registries' own
# marketing of them as generic; the rest of the two-letter TLDs are ISO 3166 codes (uk -> GB).
_GENERIC_CCTLDS = frozenset(
    "ac ad ag ai am as bz cc cd cf co cx dj fm ga gg gl gq gs im io je la ld ly me ml ms mu nu "
    "pw sc sh so st su tk tm to tv vc vg ws".split()
)


def country_of(domain: str | None) -> str | None:
    """The ISO 3166 code of a domain's country-code TLD ("yna.co.kr" -> "KR"); None when it has none."""
    if not domain or "." not in domain:
        return None
    tld = domain.rsplit(".", 1)[1].lower()
    if len(tld) != 2 or not tld.isascii() or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return None
    return "GB" if tld == "uk" else tld.upper()


# A page's <title> as saved in a text dump: "Headline - Site", "Headline | Site", "Headline -Site". The
# site's name: one to four words, the first capitalised, at most 40 characters (site names in zyte's
# <title>s are 1-3 words; a longer tail is a subtitle, not a name).
_TITLE_TAIL = re.compile(r"\s*[-|\u2013\u2014]\s*(\S.{0,39})$")
_NAME = re.compile(r"[A-Z0-9][\w.&']*(?: [\w.&']+){0,3}")


def site_name_in_title_line(lines: Iterable[str], title: str | None) -> str | None:
    """The site's name a text dump's <title> line gives: a line holding the headline followed by a
    separator and a short name ("Headline - Site"); None when no line does."""
    if not title or len(title) < 10:
        return None
    for line in lines:
        at = line.rfind(title)
        if at < 0:
            continue
        tail = _TITLE_TAIL.fullmatch(line[at + len(title) :])
        if tail and _NAME.fullmatch(tail.group(1).strip()):
            return tail.group(1).strip()
    return None


def article_sources(articles: Sequence[Article]) -> tuple[ArticleSource, ...]:
    """One `ArticleSource` per article, in order: outlet, domain, link, title, date, language, country."""
    return tuple(
        ArticleSource(
            article=a.id,
            outlet=a.outlet,
            domain=a.domain,
            url=a.url,
            title=a.title,
            published=a.published,
            lang=a.lang,
            country=country_of(a.domain),
        )
        for a in articles
    )


@dataclass(frozen=True)
class Coverage:
    """How widely a story is covered: pages, distinct outlets (known ones), independent origins, and the
    languages and countries of its articles where known (sorted)."""

    pages: int
    outlets: int
    origins: int
    languages: tuple[str, ...]
    countries: tuple[str, ...]


def coverage_of(story: Story) -> Coverage:
    """The coverage counts of a story, from its `sources` and `origins`."""
    return Coverage(
        pages=len(story.articles),
        outlets=len({s.outlet.casefold() for s in story.sources if s.outlet}),
        origins=len(story.origins) or len(story.articles),
        languages=tuple(sorted({s.lang for s in story.sources if s.lang})),
        countries=tuple(sorted({s.country for s in story.sources if s.country})),
    )
