"""The lines of a batch of pages as one object the cleaning rules read and change: `LineBatch`.

Every rule of `lines.RULES` takes the batch and changes its masks: `body` (the lines kept as article text),
`caption`, and `reason` (per line, the code of the reason a rule gave when it dropped it: an index into
`reasons`, 0 for none). The few operations every rule needs live here: where each page's body starts and
ends (`first_body`, `last_body`), dropping lines with a reason (`drop`), keeping lines again (`keep`).
The evidence some rules leave for later ones (short date lines, the batch's template lines and other
pages' headlines, each page's title) is a field too, set by the rule that finds it.

Example:
    >>> batch = LineBatch.of(pa, scores, threshold, settings)
    >>> batch.drop(batch.pa.n_tokens == 0, "no words")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsfold.clean.line_features import PageArrays
from newsfold.settings import LineSettings

__all__ = ["LineBatch"]


@dataclass
class LineBatch:
    """A batch's lines as columns (`pa`, `scores`), the masks the rules change, and what rules found."""

    pa: PageArrays
    scores: np.ndarray  # stage-2 body probability of each line
    settings: LineSettings
    body: np.ndarray  # bool: article text
    caption: np.ndarray  # bool: photo captions and credits
    reason: np.ndarray  # per line: code of a rule's reason for dropping it (index into `reasons`), 0 none
    # Evidence rules leave for later rules (masks over the batch's lines; none set until a rule finds it).
    dates: np.ndarray  # short date or time lines
    date_lines: np.ndarray  # those not in the body as `line_shapes` found it
    caption_shape: np.ndarray  # caption-shaped lines around the body
    titleish: np.ndarray  # headline-shaped lines
    template: np.ndarray  # lines repeated across the batch's pages (or a site's)
    site_template: np.ndarray  # the template lines of a site's own template
    other_headline: np.ndarray  # other pages' headlines
    header_headline: np.ndarray  # other pages' headlines standing alone in a page's header
    reasons: list[str] = field(default_factory=lambda: [""])  # the reason of each code (0: none)
    titles: list[int | None] = field(default_factory=list)  # each page's headline line, if any
    seen_twice: dict[int, bool] = field(default_factory=dict)  # the title rule's repeat tests, by line
    # What the batch is cleaned with: another batch's context (`lines.LineContext`), each page's site, and
    # whether the batch is its own context.
    context: Any = None
    sites: list[str] | None = None
    run_context: bool = False
    threshold: float = 0.5  # the model's body bar on `scores`

    @classmethod
    def of(cls, pa: PageArrays, scores: np.ndarray, threshold: float, settings: LineSettings) -> LineBatch:
        """A batch whose body is the model's: lines scoring at least `threshold`, with a word."""
        n = scores.size
        body = (scores >= threshold) & (pa.n_words > 0)  # "___" or "|" is never article text
        def none() -> np.ndarray:
            return np.zeros(n, bool)

        return cls(pa, scores, settings, body, caption=none(), reason=np.zeros(n, np.intp), dates=none(),
                   date_lines=none(), caption_shape=none(), titleish=none(), template=none(),
                   site_template=none(), other_headline=none(), header_headline=none(),
                   threshold=threshold)  # fmt: skip

    def first_body(self) -> np.ndarray:
        """Per line: the first body line of its page (the batch's size when the page has none)."""
        seg = self.pa.seg
        return np.minimum.reduceat(np.where(self.body, seg.idx, self.body.size), seg.firsts)[seg.page]

    def last_body(self) -> np.ndarray:
        """Per line: the last body line of its page (-1 when the page has none)."""
        seg = self.pa.seg
        return np.maximum.reduceat(np.where(self.body, seg.idx, -1), seg.firsts)[seg.page]

    def code(self, reason: str) -> int:
        """The code of a reason (a new one gets the next code)."""
        if reason not in self.reasons:
            self.reasons.append(reason)
        return self.reasons.index(reason)

    def drop(self, mask: np.ndarray, reason: str) -> None:
        """The lines of `mask` are not body (nor captions), for `reason`."""
        self.body[mask] = False
        self.caption[mask] = False
        self.reason[mask] = self.code(reason)

    def keep(self, mask: np.ndarray) -> None:
        """The lines of `mask` are body again; the reason they were dropped for no longer holds."""
        self.body[mask] = True
        self.reason[mask] = 0

    def reason_is(self, *reasons: str) -> np.ndarray:
        """The lines a rule dropped for one of `reasons`."""
        codes = [self.reasons.index(r) for r in reasons if r in self.reasons]
        return np.isin(self.reason, codes) if codes else np.zeros(self.reason.size, bool)
