"""Line classification of plain-text page dumps: body, caption, title or dropped, with a reason.

PLACEHOLDER contract (to be replaced by the learned classifier): `classify_lines` takes the page's
lines and an optional corpus context and returns one `LineLabel` per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LineKind = Literal["body", "caption", "title", "drop"]


@dataclass(frozen=True)
class LineLabel:
    """The cleaner's verdict on one line of a page dump: its kind and, when dropped, why."""

    kind: LineKind
    reason: str = ""


def classify_lines(lines: list[str], context: object | None = None) -> list[LineLabel]:
    """Placeholder: keep lines of 25+ words that end in sentence punctuation."""
    labels = []
    for line in lines:
        words = line.split()
        if len(words) >= 25 and line.rstrip()[-1:] in ".”\"’'!?)":
            labels.append(LineLabel("body"))
        else:
            labels.append(LineLabel("drop", "short or unpunctuated"))
    return labels
