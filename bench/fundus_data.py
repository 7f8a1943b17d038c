"""Loader for the Fundus fixtures (../shared/bench/fundus-fixtures): real news pages as HTML and text dumps,
with their gold body, title, authors and published day.

A page's id is `COUNTRY-Publisher_YYYY_MM_DD`; its publisher (`COUNTRY-Publisher`) is the group the
benchmark cross-validates by. The fixtures give no URL: a page's URL is the one it names itself
(`<link rel="canonical">`, else `og:url`), what a crawler that fetched it would have recorded.
Text-dump lines are labelled body by shingle containment in the gold body, as for zyte (`zyte_data`).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache

import lxml.html

from zyte_data import SHARED, label_lines, site_of, tools

FUNDUS = SHARED / "bench" / "fundus-fixtures"
_DATE_SUFFIX = re.compile(r"_\d{4}_\d{2}_\d{2}$")


@dataclass(frozen=True)
class FundusPage:
    """One fixture: id, publisher, the URL it names, HTML, text-dump lines and their labels, the gold."""

    id: str
    publisher: str
    url: str | None
    html: str
    lines: list[str]
    body_mask: list[bool]
    gold: dict

    @property
    def site(self) -> str:
        """The group for cross-validation and the batch context: the publisher."""
        return self.publisher

    @property
    def gold_body(self) -> str:
        return self.gold.get("articleBody") or ""


def own_url(html: str) -> str | None:
    """The URL a page names for itself: its canonical link, else its og:url (absolute http(s) only)."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for href in root.xpath(xpath):
            if href.strip().startswith(("http://", "https://")):
                return href.strip()
    return None


def _decode(raw: bytes) -> str:
    textdump, _ = tools()
    return textdump.decode(raw)  # type: ignore[attr-defined]


@cache
def load_fundus() -> tuple[FundusPage, ...]:
    """Every fixture (sorted by id) as HTML and text dump with its gold and line labels."""
    textdump, _ = tools()
    gold = json.loads((FUNDUS / "ground-truth.json").read_text())
    pages = []
    for pid in sorted(gold):
        raw = gzip.decompress((FUNDUS / "html" / f"{pid}.html.gz").read_bytes())
        html = _decode(raw)
        lines = textdump.dump(raw).splitlines()  # type: ignore[attr-defined]
        body = gold[pid].get("articleBody") or ""
        publisher = _DATE_SUFFIX.sub("", pid)
        pages.append(
            FundusPage(pid, publisher, own_url(html), html, lines, label_lines(lines, body), gold[pid])
        )
    return tuple(pages)


__all__ = ["FUNDUS", "FundusPage", "load_fundus", "own_url", "site_of"]
