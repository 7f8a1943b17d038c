"""Every tuned default in one typed place, each with where its number came from.

One frozen dataclass per stage; a stage takes its settings as an argument that defaults to these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadSettings:
    """Bounds on untrusted input."""

    # A page larger than this is cut (not rejected): no news article needs more, and it bounds memory.
    max_page_bytes: int = 8_000_000
    # Lines longer than this are cut before cleaning: 20x the longest paragraph seen in zyte gold bodies.
    max_line_chars: int = 100_000


@dataclass(frozen=True)
class CleanSettings:
    """Defaults of the clean stage (text dumps and HTML)."""


@dataclass(frozen=True)
class SyndicationSettings:
    """Defaults of the copy-detection stage."""


@dataclass(frozen=True)
class ClusterSettings:
    """Defaults of the story-clustering stage."""


@dataclass(frozen=True)
class StorySettings:
    """Defaults of the story-writing stage."""

    summary_words: int = 120


@dataclass(frozen=True)
class Settings:
    """All stages' settings together, as the engines and the CLI pass them."""

    read: ReadSettings = ReadSettings()
    clean: CleanSettings = CleanSettings()
    syndication: SyndicationSettings = SyndicationSettings()
    cluster: ClusterSettings = ClusterSettings()
    story: StorySettings = StorySettings()
