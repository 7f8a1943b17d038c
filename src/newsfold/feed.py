"""An Atom feed (RFC 4287) of stories: `/feed.xml` in the web app and `newsfold export --atom FILE`.

Built with xml.etree, which escapes every scraped string; each entry links to the story's page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

__all__ = ["ATOM_NS", "atom_feed", "newest_first", "story_day"]

ATOM_NS = "http://www.w3.org/2005/Atom"
_EPOCH = "1970-01-01"


def _stamp(day: str | None) -> str:
    """An RFC 3339 timestamp for a 'YYYY-MM-DD' day (midnight UTC)."""
    return f"{day or _EPOCH}T00:00:00Z"


def story_day(story: Mapping[str, Any]) -> str | None:
    """A story's date for ordering: its newest article's date, else its event date."""
    dates = [s["published"] for s in story.get("sources") or [] if s.get("published")]
    return max(dates) if dates else story.get("event_date")


def newest_first(stories: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Stories newest first (by `story_day`), then biggest, then by id."""
    by_id = sorted(stories, key=lambda s: s["id"])
    return sorted(by_id, key=lambda s: (story_day(s) or "", len(s.get("articles") or ())), reverse=True)


def atom_feed(stories: Sequence[Mapping[str, Any]], base_url: str, title: str = "newsfold stories") -> str:
    """The feed of `stories` (story `--json` dicts, in the order given), linking under `base_url`.

    >>> atom_feed([story_to_dict(s) for s in result.stories], "http://127.0.0.1:8000")  # doctest: +SKIP
    """
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM_NS)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = _xml_safe(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    add(feed, "title", title)
    add(feed, "id", f"{base}/feed.xml")
    add(feed, "link", href=f"{base}/feed.xml", rel="self", type="application/atom+xml")
    add(feed, "link", href=f"{base}/", rel="alternate", type="text/html")
    days = [d for s in stories if (d := story_day(s))]
    add(feed, "updated", _stamp(max(days) if days else None))
    add(add(feed, "author"), "name", "newsfold")
    for story in stories:
        entry = add(feed, "entry")
        href = f"{base}/stories/{quote(story['id'], safe='')}"
        add(entry, "title", story.get("headline") or "(untitled story)")
        add(entry, "id", f"urn:newsfold:story:{quote(story['id'], safe='')}")
        add(entry, "link", href=href, rel="alternate", type="text/html")
        add(entry, "updated", _stamp(story_day(story)))
        outlets = sorted({s["outlet"] for s in story.get("sources") or [] if s.get("outlet")})
        pages = len(story.get("articles") or [])
        origins = len(story.get("origins") or []) or pages
        about = f"{pages} pages, {origins} independent origins" + (
            f"; {', '.join(outlets)}" if outlets else ""
        )
        summary = " ".join(s["text"] for s in story.get("summary") or [])
        add(entry, "summary", f"{summary} ({about})" if summary else about, type="text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters a scraped page may carry)."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff")
