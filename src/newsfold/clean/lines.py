"""Line classification of plain-text page dumps: body, caption, title or dropped, with a reason.

A page dump holds one visible block per line. A two-stage additive model trained on the zyte benchmark
(bench/train_line_model.py) scores each line as article body from its own shape and its neighbourhood,
then from the scores around it (sequence smoothing). Shape rules (line_rules) then separate captions and
the title, the run's context (`LineContext`) drops template lines and other pages' headlines, and every
dropped line gets a short reason a user can read.

Example:
    >>> context = build_line_context([page.splitlines() for page in pages])
    >>> labels = classify_lines(pages[0].splitlines(), context)
    >>> [lab.kind for lab in labels][:3]
    ['drop', 'title', 'body']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np

from newsfold.clean.line_features import line_stats_and_features, stage2_features
from newsfold.clean.line_model import LineModel, load_line_model
from newsfold.clean.line_rules import drop_reason, is_caption, normalize, title_candidate

__all__ = ["LineClassifier", "LineContext", "LineLabel", "build_line_context", "classify_lines"]

LineKind = Literal["body", "caption", "title", "drop"]

# Cross-page template: a short line on >= this many pages of a run (or 2 pages of one site) is template.
# 3 keeps syndicated copies (2-3 pages sharing real sentences) apart from site chrome; seeds and zyte.
TEMPLATE_MIN_PAGES = 3
# Words at or under which a line counts as "short" for the template rule (menus, buttons, headings).
TEMPLATE_SHORT_WORDS = 12
# Lines around the body span where captions are looked for (captions sit above, inside or just below).
CAPTION_MARGIN = 4
# Lines before the first body line searched for the title.
TITLE_WINDOW = 15


@dataclass(frozen=True)
class LineLabel:
    """The cleaner's verdict on one line of a page dump: its kind and, when dropped, why."""

    kind: LineKind
    reason: str = ""


@dataclass(frozen=True)
class LineContext:
    """What the whole run says about lines: template lines and the headlines of its pages (normalised)."""

    template_lines: frozenset[str] = frozenset()
    headlines: frozenset[str] = frozenset()
    n_pages: int = 0


@dataclass(frozen=True)
class LineClassifier:
    """Labels page-dump lines with a trained `LineModel` (the shipped one by default)."""

    model: LineModel = field(default_factory=load_line_model)

    def body_scores(self, lines: Sequence[str]) -> np.ndarray:
        """Stage-2 body probability of each (stripped, non-empty) line."""
        m = self.model
        if not lines:
            return np.zeros(0)
        _, x1 = line_stats_and_features(list(lines), m.stopwords, m.boilerplate)
        s1 = m.stage1.proba(x1)
        return m.stage2.proba(stage2_features(s1, x1))

    def classify(self, lines: list[str], context: LineContext | None = None) -> list[LineLabel]:
        """One label per input line (blank lines included, dropped as blank)."""
        labels = [LineLabel("drop", "blank line")] * len(lines)
        keep = [i for i, line in enumerate(lines) if line.strip()]
        text = [lines[i].strip() for i in keep]
        n = len(text)
        if n == 0:
            return labels
        body = self.body_scores(text) >= self.model.threshold
        norm = [normalize(t) for t in text]
        kinds: list[str] = ["body" if b else "drop" for b in body]
        reasons = [""] * n

        # Within the page: a repeated line is body at most once.
        seen: set[str] = set()
        for j in range(n):
            if norm[j] in seen and kinds[j] == "body":
                kinds[j], reasons[j] = "drop", "repeated line"
            seen.add(norm[j])

        # Across the run: template lines and other pages' headlines.
        title_j = self._title(text, norm, kinds)
        if context is not None:
            for j in range(n):
                if norm[j] in context.template_lines:
                    kinds[j], reasons[j] = "drop", "template line repeated across pages"
                elif (
                    norm[j] in context.headlines
                    and (title_j is None or norm[j] != norm[title_j])
                    and j != title_j
                ):
                    kinds[j], reasons[j] = "drop", "link list of other headlines"

        self._captions(text, kinds, reasons)
        title_j = self._title(text, norm, kinds)
        if title_j is not None:
            kinds[title_j] = "title"
            for j in range(n):
                if j != title_j and kinds[j] == "drop" and not reasons[j] and norm[j] == norm[title_j]:
                    reasons[j] = "title repeated"

        body_idx = [j for j in range(n) if kinds[j] == "body"]
        first = body_idx[0] if body_idx else n
        last = body_idx[-1] if body_idx else -1
        counts = Counter(norm)
        short_run = _short_runs(text)
        for j in range(n):
            if kinds[j] == "drop" and not reasons[j]:
                if counts[norm[j]] > 1:
                    reasons[j] = "repeated line"
                else:
                    reasons[j] = drop_reason(
                        text[j], before_body=j < first, after_body=j > last, in_list=short_run[j] >= 3
                    )
        for j, i in enumerate(keep):
            labels[i] = LineLabel(kinds[j], reasons[j])  # type: ignore[arg-type]
        return labels

    @staticmethod
    def _captions(text: list[str], kinds: list[str], reasons: list[str]) -> None:
        """Mark caption-shaped lines in and around the body span as captions (in place)."""
        body_idx = [j for j, k in enumerate(kinds) if k == "body"]
        if not body_idx:
            return
        lo = max(body_idx[0] - CAPTION_MARGIN, 0)
        hi = min(body_idx[-1] + CAPTION_MARGIN, len(text) - 1)
        for j in range(lo, hi + 1):
            if kinds[j] in ("body", "drop") and reasons[j] in ("", "repeated line") and is_caption(text[j]):
                kinds[j], reasons[j] = "caption", ""

    @staticmethod
    def _title(text: list[str], norm: list[str], kinds: list[str]) -> int | None:
        """Index of the headline: a headline-shaped line shortly before the body, preferring a repeated one."""
        first = next((j for j, k in enumerate(kinds) if k == "body"), None)
        if first is None:
            return None
        window = range(max(0, first - TITLE_WINDOW), first)
        cands = [j for j in window if kinds[j] == "drop" and title_candidate(text[j])]
        if not cands:
            return None
        page = "\n".join(norm)

        def repeated(j: int) -> bool:
            return page.count(norm[j]) > 1

        rep = [j for j in cands if repeated(j)]
        return rep[-1] if rep else cands[-1]


def _short_runs(text: list[str]) -> list[int]:
    """Length of the run of consecutive short, unpunctuated lines each line sits in (link-list shape)."""
    flags = [len(t.split()) <= 20 and not t.endswith((".", "!", "?")) for t in text]
    out = [0] * len(text)
    j = 0
    while j < len(text):
        if flags[j]:
            k = j
            while k < len(text) and flags[k]:
                k += 1
            out[j:k] = [k - j] * (k - j)
            j = k
        else:
            j += 1
    return out


@cache
def _default_classifier() -> LineClassifier:
    """The shipped model, loaded once (read-only; a cache rather than state)."""
    return LineClassifier()


def classify_lines(lines: list[str], context: LineContext | None = None) -> list[LineLabel]:
    """Label each line of a page dump body / caption / title / drop (with a reason), shipped model."""
    return _default_classifier().classify(lines, context)


def build_line_context(
    pages_lines: Sequence[list[str]],
    sites: Sequence[str] | None = None,
    classifier: LineClassifier | None = None,
) -> LineContext:
    """The run's context, built once from all its pages before any page is cleaned.

    Template lines: short lines on >= TEMPLATE_MIN_PAGES pages, or on 2 pages of one site when `sites`
    gives each page's site (long lines shared across pages are syndicated text, left to the model).
    Headlines: each page's title as the classifier finds it without context.
    """
    pages_with: Counter[str] = Counter()
    site_pages: Counter[tuple[str, str]] = Counter()
    words: dict[str, int] = {}
    for p, lines in enumerate(pages_lines):
        uniq = {normalize(line) for line in lines if line.strip()}
        pages_with.update(uniq)
        if sites is not None:
            site_pages.update((sites[p], u) for u in uniq)
        for u in uniq:
            words.setdefault(u, len(u.split()))
    template = {
        u for u, c in pages_with.items()
        if c >= TEMPLATE_MIN_PAGES and words[u] <= TEMPLATE_SHORT_WORDS
    }  # fmt: skip
    template |= {u for (_, u), c in site_pages.items() if c >= 2 and words[u] <= TEMPLATE_SHORT_WORDS}
    clf = classifier or _default_classifier()
    headlines = set()
    for lines in pages_lines:
        for line, lab in zip(lines, clf.classify(lines), strict=True):
            if lab.kind == "title":
                headlines.add(normalize(line))
    return LineContext(frozenset(template), frozenset(headlines - template), len(pages_lines))
