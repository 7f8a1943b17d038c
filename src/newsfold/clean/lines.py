"""Line classification of plain-text page dumps: body, caption, title or dropped, with a reason.

A page dump holds one visible block per line. A two-stage additive model trained on the zyte benchmark
(bench/train_line_model.py) scores each line as article body from its own shape and its neighbourhood,
then from the scores around it (sequence smoothing). Document-level fit (line_fit) then checks each page's
body against its own core: lines of another language, off-topic runs of short lines (other stories'
promos), comment threads and stretches far weaker than the main text leave; an excerpt's cut first line
joins. Shape rules (line_rules) separate captions and the title and drop labelled promo links ("READ
MORE: ..."), the run's context drops template lines (short lines repeated across pages, long lines repeated
across one site's otherwise different pages) and other pages' headlines, and every dropped line gets a
short reason a user can read.

A whole run is best classified with `classify_run`, which finds the run's context in the same pass;
`build_line_context` + `classify_lines` give the same labels one page at a time.

Example:
    >>> labels = classify_run([page.splitlines() for page in pages])
    >>> [lab.kind for lab in labels[0]][:3]
    ['drop', 'title', 'body']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np

from newsfold.clean.line_features import (
    PageArrays,
    Segments,
    page_arrays,
    sorted_unique,
    stage2_columns,
    unique_inverse,
    word_hashes,
)
from newsfold.clean.line_fit import (
    comment_sections,
    cut_excerpt_starts,
    language_misfits,
    off_topic_runs,
    outside_main_text,
    sentence_continuations,
)
from newsfold.clean.line_model import LineModel, load_line_model
from newsfold.clean.line_rules import (
    DROP_REASONS,
    SHARE_WORDS,
    caption_mask,
    date_mask,
    drop_reasons,
    normalize,
    promo_mask,
    title_mask,
)
from newsfold.settings import LineSettings

try:  # the compiled kernels of the rules (built at install; numpy and scipy stand in without them)
    from newsfold.clean import _rules as _compiled
except ImportError:  # pragma: no cover - depends on the build
    _compiled = None  # type: ignore[assignment]

__all__ = [
    "LineClassifier",
    "LineContext",
    "LineLabel",
    "RULE_REASONS",
    "build_line_context",
    "chrome_lines",
    "classify_lines",
    "classify_pages",
    "classify_run",
]

LineKind = Literal["body", "caption", "title", "drop"]

# Han and kana (scripts without spaces between words), as line_features counts them: half a word each.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ARROWS = ("»", "›", "→", ">", "…", "...", "⟶", "▸", "►")
# Reasons of the batch's evidence (not of a rule that read the line): a sentence in the article's run
# stays body despite them (`sentence_continuations`).
# "Outside the main text" weighs stretches of body lines by their scores: a weak closing stretch of the
# article's own sentences is still its text.
_OPEN_REASONS = frozenset(
    {"link list of other headlines", "template line repeated across pages", "outside the main text"}
)
_CONTRIBUTOR_CUES = ("contributed to this report", "contributed reporting", " contributed.", "reported from ")


@dataclass(frozen=True)
class LineLabel:
    """The cleaner's verdict on one line of a page dump: its kind and, when dropped, why."""

    kind: LineKind
    reason: str = ""


@cache
def _label(kind: str, reason: str = "") -> LineLabel:
    """Shared immutable labels (a page has hundreds of lines and a dozen distinct labels)."""
    return LineLabel(kind, reason)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LineContext:
    """What the whole run says about lines: template lines and the headlines of its pages (normalised)."""

    template_lines: frozenset[str] = frozenset()
    headlines: frozenset[str] = frozenset()
    n_pages: int = 0
    site_template: frozenset[str] = frozenset()  # the template lines of a site's own template


@dataclass(frozen=True)
class LineClassifier:
    """Labels page-dump lines with a trained `LineModel` (the shipped one by default)."""

    model: LineModel = field(default_factory=load_line_model)
    settings: LineSettings = LineSettings()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_share_hashes", word_hashes(SHARE_WORDS))

    def measure(self, pages: Sequence[list[str]]) -> PageArrays:
        """Per-line measurements and stage-1 features of pages of stripped, non-empty lines."""
        m = self.model
        return page_arrays(pages, m.stop_hashes, m.boiler_hashes, self._share_hashes)  # type: ignore[attr-defined]

    def body_scores(self, pa: PageArrays) -> np.ndarray:
        """Stage-2 body probability of each line."""
        s1 = self.model.stage1.proba_columns(pa.x1_columns)
        return self.model.stage2.proba_columns(stage2_columns(s1, pa))

    def classify(self, lines: list[str], context: LineContext | None = None) -> list[LineLabel]:
        """One label per input line (blank lines included, dropped as blank)."""
        return self.classify_many([lines], context)[0]

    def classify_many(
        self,
        pages_lines: Sequence[list[str]],
        context: LineContext | None = None,
        sites: Sequence[str] | None = None,
        run_context: bool = False,
    ) -> list[list[LineLabel]]:
        """Labels for the lines of many pages, measured and scored together (much faster than one by one).

        With `run_context`, the batch is its own context, found in the same pass: short lines on
        `template_min_pages` pages (or on 2 pages of one site, when `sites` names each page's site) are
        template, and each page's title is a headline on the others (what `build_line_context` finds,
        without measuring every page twice).
        """
        blank = _label("drop", "blank line")
        out = [[blank] * len(lines) for lines in pages_lines]
        stripped_pages = [_strip_lines(lines) for lines in pages_lines]
        stripped = [s for s, _ in stripped_pages]
        # Lines kept per page: None when no line is blank (the common case, spared an index list).
        keeps = [None if full else [i for i, t in enumerate(s) if t] for s, full in stripped_pages]
        texts = [s if k is None else [s[i] for i in k] for s, k in zip(stripped, keeps, strict=True)]
        todo = [p for p, text in enumerate(texts) if text]
        if not todo:
            return out
        pa = self.measure([texts[p] for p in todo])
        scores = self.body_scores(pa)
        body = scores >= self.model.threshold
        body &= pa.n_words > 0  # a line without letters or digits ("___", "|") is never article text
        caption = np.zeros(body.size, bool)
        reasons: dict[int, str] = {}
        self._read_more(pa, body, reasons)
        for j in np.flatnonzero(promo_mask(pa, body)).tolist():
            body[j] = False
            reasons[j] = "link to another story"
        # Short date/time lines, found once: comment headers for the fit step, date lines among the dropped.
        short_dates = date_mask(pa, np.ones(body.size, bool))
        self._fit(pa, body, scores, reasons, short_dates)
        seg = pa.seg
        first = np.minimum.reduceat(np.where(body, seg.idx, body.size), seg.firsts)[seg.page]
        last = np.maximum.reduceat(np.where(body, seg.idx, -1), seg.firsts)[seg.page]
        region = (seg.idx >= first - self.settings.caption_margin) & (
            seg.idx <= last + self.settings.caption_margin
        )
        dates = short_dates & ~body
        caption_shape = caption_mask(pa, np.flatnonzero(region))
        titleish = title_mask(pa, dates, caption_shape)
        use_context = context is not None and bool(context.template_lines or context.headlines)
        norm = [normalize(s) for s in pa.lines] if use_context else []
        ends = pa.seg.firsts + np.array([len(texts[p]) for p in todo])
        bounds = list(zip(pa.seg.firsts.tolist(), ends.tolist(), strict=True))
        # Within a page, a repeated line is body at most once.
        for j in _later_copies(pa, body & (pa.repeats > 1)):
            body[j] = False
            reasons[j] = "repeated line"
        twice: dict[int, bool] = {}  # `_titles`' repeat test of each line tested (the same in both calls)
        own_titles = self._titles(pa, body, titleish, twice) if use_context or run_context else []
        # The run's context, as masks: every template line and other page's headline gets that reason
        # (whether or not the model kept it), as `_context_masks` gives them with a built context.
        template = site_template = other_headline = np.zeros(body.size, bool)
        if run_context:
            template, site_template, headline = self._run_context(pa, own_titles, None if sites is None else
                                                   [sites[p] for p in todo])  # fmt: skip
            # A page's own title (and its copies on the page) is no other page's headline.
            has_title = np.array([t is not None for t in own_titles], bool)
            title_key = pa.line_key[[0 if t is None else t for t in own_titles]]
            own = has_title[seg.page] & (pa.line_key == title_key[seg.page])
            other_headline = headline & ~own
        elif use_context:
            template, site_template, other_headline = _context_masks(pa, norm, context, own_titles)  # type: ignore[arg-type]
        body &= ~(template | other_headline)
        context_drop = template | other_headline
        # The article's own sentences stay, whatever other pages print: only rules that read a line's content,
        # and a site's own template, are final (see `sentence_continuations`).
        closed = site_template.copy()
        closed[[j for j, r in reasons.items() if r not in _OPEN_REASONS]] = True
        revived = sentence_continuations(pa, body, ~closed)
        if revived.any():
            body |= revived
            template, other_headline = template & ~revived, other_headline & ~revived
            context_drop = template | other_headline
            for j in np.flatnonzero(revived).tolist():
                reasons.pop(j, None)
        self._contributors(pa, body, reasons)
        self._captions(pa, body, caption, caption_shape, reasons, context_drop)
        titles = self._titles(pa, body, titleish, twice)
        self._standfirst(pa, body, caption, titles, reasons)
        first = np.minimum.reduceat(np.where(body, seg.idx, body.size), seg.firsts)[seg.page]
        header_headline = self._header_headlines(pa, other_headline, first)
        other_headline = other_headline & ~header_headline
        context_drop = template | other_headline
        last = np.maximum.reduceat(np.where(body, seg.idx, -1), seg.firsts)[seg.page]
        # Reasons read only dropped lines of modest length whose reason no later rule gives (a repeat, a
        # rule's own reason, the run's context): scan just those for the needles.
        given = context_drop | (pa.repeats > 1)
        given[list(reasons)] = True
        reason_lines = ~body & ~caption & ~given  # the lines whose reason `drop_reasons` gives
        needle_lines = np.flatnonzero(reason_lines & (pa.n_tokens <= 40))
        # A long line that opens with a scheme is a URL line (a tokenised address runs to many "words").
        long_urls = [j for j in np.flatnonzero(reason_lines & (pa.n_tokens > 40)).tolist()
                     if pa.lines[j][:6].lower().startswith(("http:", "https:"))]  # fmt: skip
        if long_urls:
            needle_lines = np.union1d(needle_lines, long_urls)
        # Label of every line as an index into a small table of shared labels, later rules winning.
        table = [_label("drop", r) for r in DROP_REASONS]
        extra = ["repeated line", "title repeated", "template line repeated across pages",
                 "link list of other headlines", *sorted(set(reasons.values()))]  # fmt: skip
        at = {r: len(table) + k for k, r in enumerate(extra)}
        table += [_label("drop", r) for r in extra] + [_label("title"), _label("caption"), _label("body")]
        code = drop_reasons(pa, needle_lines, dates, first, last, np.flatnonzero(reason_lines))
        code[pa.repeats > 1] = at["repeated line"]
        title_at = [t for t in titles if t is not None]
        if title_at:  # the lines of a page equal to its title: one comparison with the page's title key
            has_title = np.array([t is not None for t in titles], bool)
            title_key = pa.line_key[[0 if t is None else t for t in titles]]
            code[has_title[seg.page] & (pa.line_key == title_key[seg.page])] = at["title repeated"]
        for j, r in reasons.items():
            code[j] = at[r]
        code[other_headline] = at["link list of other headlines"]
        code[template] = at["template line repeated across pages"]
        code[title_at] = len(table) - 3
        code[header_headline] = len(table) - 3
        code[caption] = len(table) - 2
        code[body] = len(table) - 1
        # The labels by one numpy gather from the table (an object array), each page's list by `tolist`.
        label_of = np.empty(len(table), object)
        label_of[:] = table
        labels = label_of[code]
        for p, (p0, p1) in zip(todo, bounds, strict=True):
            keep = keeps[p]
            if keep is None:
                out[p] = labels[p0:p1].tolist()
            else:
                page_out = out[p]
                for i, lab in zip(keep, labels[p0:p1].tolist(), strict=True):
                    page_out[i] = lab
        return out

    def _fit(
        self, pa: PageArrays, body: np.ndarray, scores: np.ndarray, reasons: dict[int, str], dates: np.ndarray
    ) -> None:
        """Document-level fit (line_fit), in place: lines of another language, off-topic runs of short
        lines, comment threads and weak stretches leave; cut excerpt starts join."""
        for j in np.flatnonzero(language_misfits(pa, body, self.settings)).tolist():
            body[j] = False
            reasons[j] = "another language than the article"
        for j in np.flatnonzero(off_topic_runs(pa, body, self.settings)).tolist():
            body[j] = False
            reasons[j] = "off the article's topic (other stories)"
        if self.settings.comment_min_headers > 0:
            heads = dates & (pa.n_tokens <= self.settings.comment_header_words)
            for j in np.flatnonzero(comment_sections(pa, body, heads, self.settings)).tolist():
                body[j] = False
                reasons[j] = "comment section"
        if self.settings.main_text_min_share > 0:
            for j in np.flatnonzero(outside_main_text(pa, body, scores, self.settings)).tolist():
                body[j] = False
                reasons[j] = "outside the main text"
        # Last: the main-text step would weigh the cut line by its low score and drop it again.
        body |= cut_excerpt_starts(pa, body, scores, self.settings)

    def _run_context(
        self, pa: PageArrays, own_titles: list[int | None], sites: Sequence[str] | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Template lines (all, and those of a site's own template) and other pages' headlines of a batch,
        as masks over its lines (by line key)."""
        seg = pa.seg
        n_pages = seg.firsts.size
        kid = _key_ids(pa.line_key)
        all_pages = np.zeros(n_pages, np.intp)
        # A line counts once per *content*, not per page: copies of one article (pages sharing a long
        # line) repeat its short paragraphs too, and those are syndicated text, not the run's template.
        content = _content_groups(kid, seg.page, pa.n_tokens > self.settings.template_short_words, n_pages)
        common = _distinct_units(kid, seg, content, all_pages) >= self.settings.template_min_pages
        on_site = np.zeros(kid.size, bool)
        if sites is not None:
            site_ids: dict[str, int] = {}
            site_id = np.asarray([site_ids.setdefault(str(s), len(site_ids)) for s in sites], np.intp)
            on_site = _distinct_units(kid, seg, np.arange(n_pages), site_id) >= 2
        # Long lines shared across pages are syndicated text, left to the model, unless a site's boilerplate.
        long = pa.n_tokens > self.settings.template_short_words
        site_template = on_site & ~long
        if sites is not None:
            site_template |= self._site_boilerplate(pa, kid, on_site & long, long)
        template = (common & ~long) | site_template
        title_at = np.asarray([t for t in own_titles if t is not None], np.intp)
        headline_ids = np.zeros(int(kid.max()) + 1 if kid.size else 0, bool)
        headline_ids[kid[title_at[~template[title_at]]]] = True
        headline = headline_ids[kid]
        return template, site_template, headline & ~template

    def _header_headlines(self, pa: PageArrays, other_headline: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Other pages' headlines that stand alone in a page's header (the title window above its body).

        Copies and reports of one event carry the same headline: there it is this page's headline too
        (a title, the first of the page's titles), while a block of other pages' headlines (two or more
        in a row) is a list of other stories, and one below the header is a link to another story.
        """
        seg = pa.seg
        flag = other_headline.astype(np.float64)
        alone = other_headline & ~(seg.shift(flag, 1) > 0) & ~(seg.shift(flag, -1) > 0)
        return alone & (seg.idx < first) & (seg.idx >= first - self.settings.title_window)

    def _site_boilerplate(
        self, pa: PageArrays, kid: np.ndarray, shared_long: np.ndarray, long: np.ndarray
    ) -> np.ndarray:
        """Long lines on >= 2 pages of one site whose pages are not mostly copies of each other.

        Such lines are the site's boilerplate (author bios, disclaimers, subscription promos), not article
        text; a page whose long lines are mostly shared with its site is a version of the same story, and
        the lines it shares stay with the model.
        """
        seg = pa.seg
        # Distinct lines per page (a line repeated on a page counts once), as `_site_boilerplate_lines`.
        once = 1.0 / pa.repeats
        share = seg.page_sum(shared_long * once) / np.maximum(seg.page_sum(long * once), 1.0)
        copied = shared_long & (share >= self.settings.site_copy_share)
        n_keys = int(kid.max()) + 1
        keys = (np.bincount(kid[shared_long], minlength=n_keys) > 0) & ~(
            np.bincount(kid[copied], minlength=n_keys) > 0
        )
        return keys[kid]

    def _read_more(self, pa: PageArrays, body: np.ndarray, reasons: dict[int, str]) -> None:
        """A short arrow-ended link repeated on a page ("Read more »") follows teasers of other stories."""
        short = np.flatnonzero((pa.n_tokens <= self.settings.read_more_words) & (pa.repeats >= 2))
        if _compiled is not None:  # the same test, in one C loop over the lines
            short = np.flatnonzero(_compiled.ends_with(pa.lines, short, _ARROWS))
        for j in short.tolist():
            if pa.lines[j].endswith(_ARROWS):
                body[j] = False
                reasons[j] = "read-more link"
                if j > pa.seg.pstart[j]:
                    body[j - 1] = False
                    reasons[j - 1] = "teaser of another story"

    def _contributors(self, pa: PageArrays, body: np.ndarray, reasons: dict[int, str]) -> None:
        """The wire story's closing contributor note ("X reported from ...; Y contributed") is body text.

        It follows the last paragraph, often after a "___" rule, and reads like a credit line to the model;
        it carries the syndication signal, so it is kept. All pages at once: each reads only its own lines.
        """
        seg = pa.seg
        last = np.maximum.reduceat(np.where(body, seg.idx, -1), seg.firsts)[seg.page]
        near = (last >= 0) & (seg.idx > last) & (seg.idx <= last + self.settings.contributor_gap)
        for j in np.flatnonzero(near & (pa.n_tokens >= 4)).tolist():
            low = pa.lines[j].lower()
            if any(cue in low for cue in _CONTRIBUTOR_CUES):
                body[j] = True
                reasons.pop(j, None)

    def _captions(
        self,
        pa: PageArrays,
        body: np.ndarray,
        caption: np.ndarray,
        shape: np.ndarray,
        reasons: dict[int, str],
        context_drop: np.ndarray,
    ) -> None:
        """Mark caption-shaped lines in and around each page's body span as captions (in place)."""
        seg, n, margin = pa.seg, body.size, self.settings.caption_margin
        first = np.minimum.reduceat(np.where(body, seg.idx, n), seg.firsts)[seg.page]
        last = np.maximum.reduceat(np.where(body, seg.idx, -1), seg.firsts)[seg.page]
        near = (last >= 0) & (seg.idx >= first - margin) & (seg.idx <= last + margin)
        for j in np.flatnonzero(near & shape & ~context_drop).tolist():
            if reasons.get(j, "repeated line") == "repeated line":
                body[j], caption[j] = False, True
                reasons.pop(j, None)

    def _titles(
        self, pa: PageArrays, body: np.ndarray, titleish: np.ndarray, twice: dict[int, bool]
    ) -> list[int | None]:
        """Each page's headline: a headline-shaped line just before the body, preferring a repeated one.

        Candidates of all pages in one numpy pass (a page's calls on its own slices cost more than its
        lines); the repeat test looks for the line in the page's other lines (compiled; else in the page's
        own joined lines: the batch's text is slower to search, stored four bytes a character as soon as
        one page needs it), from the last candidate back to the first repeated one, and its answers are
        kept in `twice` by line: a second call (after the body changed) tests only lines it has not seen.
        """
        seg, n = pa.seg, body.size
        first = np.minimum.reduceat(np.where(body, seg.idx, n), seg.firsts)
        first = np.where(first < n, first, seg.firsts)  # a page without body has no headline: no window
        first_of = first[seg.page]
        lo = np.maximum(seg.pstart, first_of - self.settings.title_window)
        window = (seg.idx >= lo) & (seg.idx < first_of)
        cands = np.flatnonzero(titleish & ~body & window)
        cuts = np.searchsorted(seg.page[cands], np.arange(seg.firsts.size + 1)).tolist()
        cands_list = cands.tolist()
        bounds = zip(seg.firsts.tolist(), seg.firsts[1:].tolist() + [n], strict=True)
        titles: list[int | None] = []
        for p, (p0, p1) in enumerate(bounds):
            page_cands = cands_list[cuts[p] : cuts[p + 1]]
            if not page_cands:
                titles.append(None)
                continue
            # The last repeated candidate, else the last one: tested from the last back to the first hit.
            title, page = page_cands[-1], ""
            for j in reversed(page_cands):
                found = twice.get(j)
                if found is None and _compiled is not None and "\n" not in pa.lines[j]:
                    found = twice[j] = _compiled.occurs_elsewhere(pa.lines, p0, p1, j)  # no join
                elif found is None:
                    page = page or "\n".join(pa.lines[p0:p1])  # a page's text is never empty
                    found = twice[j] = _occurs_twice(page, pa.lines[j])
                if found:
                    title = j
                    break
            titles.append(title)
        return titles

    def _standfirst(
        self,
        pa: PageArrays,
        body: np.ndarray,
        caption: np.ndarray,
        titles: list[int | None],
        reasons: dict[int, str],
    ) -> None:
        """Title, one sentence, then a caption block, then the body: that sentence is a standfirst (dek)."""
        seg = pa.seg
        pos = np.flatnonzero(body)
        at = np.searchsorted(pos, seg.firsts)
        count = (np.searchsorted(pos, np.append(seg.firsts[1:], body.size)) - at).tolist()
        captions_before = np.concatenate(([0], np.cumsum(caption))).tolist()
        for p, title in enumerate(titles):
            if title is None or count[p] < 3:
                continue
            j, second = int(pos[at[p]]), int(pos[at[p] + 1])
            if (
                j - title <= self.settings.standfirst_gap
                and not body[j + 1]
                and captions_before[second] > captions_before[j + 1]
            ):
                body[j] = False
                reasons[j] = "standfirst"


def _context_masks(
    pa: PageArrays, norm: list[str], context: LineContext, own_titles: list[int | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A built context as the run's masks: its template lines, those of a site's own template, and other
    pages' headlines (a page's own title is none)."""
    n = len(norm)
    template = np.fromiter((u in context.template_lines for u in norm), bool, n)
    site_template = np.fromiter((u in context.site_template for u in norm), bool, n)
    headline = np.fromiter((u in context.headlines for u in norm), bool, n)
    own_norm = [None if t is None else norm[t] for t in own_titles]
    own = np.fromiter((u == own_norm[p] for u, p in zip(norm, pa.seg.page.tolist(), strict=True)), bool, n)
    return template, site_template, headline & ~template & ~own


def _strip_lines(lines: Sequence[str]) -> tuple[list[str], bool]:
    """The stripped lines, and whether none is blank (compiled: `str.strip` only where a line needs it)."""
    if _compiled is not None:
        return _compiled.strip_lines(lines if type(lines) is list else list(lines))
    stripped = list(map(str.strip, lines))
    return stripped, all(stripped)


def _later_copies(pa: PageArrays, among: np.ndarray) -> list[int]:
    """The lines flagged in `among` whose line key occurs on an earlier line of their page, in order."""
    repeated = np.flatnonzero(pa.repeats > 1)  # every line of a key repeated on its page
    if _compiled is not None and repeated.size:
        # Ids of (key, page) pairs numbered in order of first occurrence (the compiled `key_ids`): a line
        # is a first copy where its id is new, above every id before it. Two hash passes, no sort.
        kid = _compiled.key_ids(pa.line_key[repeated]).astype(np.uint64)
        page = pa.seg.page[repeated].astype(np.uint64)
        pair = _compiled.key_ids(kid * np.uint64(pa.seg.firsts.size) + page)
        new = np.ones(pair.size, bool)
        new[1:] = pair[1:] > np.maximum.accumulate(pair)[:-1]
        later = repeated[~new]
        return later[among[later]].tolist()
    ranked = repeated[np.lexsort((repeated, pa.line_key[repeated], pa.seg.page[repeated]))]
    key, page = pa.line_key[ranked], pa.seg.page[ranked]
    first_copy = np.ones(ranked.size, bool)
    first_copy[1:] = (key[1:] != key[:-1]) | (page[1:] != page[:-1])
    later = ranked[~first_copy]
    return np.sort(later[among[later]]).tolist()


def _occurs_twice(text: str, part: str) -> bool:
    """`text.count(part) > 1` for a non-empty part: a second occurrence after the first one."""
    first = text.find(part)
    return first >= 0 and text.find(part, first + len(part)) >= 0


# Reasons of rules that read the line itself or its block (its words, a "read more" link after it, its
# topic or language against the article's), not the model's score: on HTML they hold on the lines
# trafilatura keeps too (`chrome_lines`).
RULE_REASONS = frozenset({
    "read-more link", "link to another story", "another language than the article",
    "off the article's topic (other stories)", "comment section", "share/print button", "comment box",
})  # fmt: skip


def chrome_lines(labels: Sequence[LineLabel]) -> set[int]:
    """Indices of the lines a content rule dropped (`RULE_REASONS`), and each teaser a read-more link
    follows."""
    out = set()
    for i, label in enumerate(labels):
        if label.reason in RULE_REASONS:
            out.add(i)
            teaser = i > 0 and labels[i - 1].reason == "teaser of another story"
            if label.reason == "read-more link" and teaser:
                out.add(i - 1)
    return out


@cache
def _default_classifier(settings: LineSettings = LineSettings()) -> LineClassifier:
    """The shipped model with these settings, loaded once per settings (read-only; a cache, not state)."""
    return LineClassifier(settings=settings)


def classify_lines(
    lines: list[str], context: LineContext | None = None, settings: LineSettings = LineSettings()
) -> list[LineLabel]:
    """Label each line of a page dump body / caption / title / drop (with a reason), shipped model."""
    return _default_classifier(settings).classify(lines, context)


def classify_pages(
    pages_lines: Sequence[list[str]], context: LineContext | None = None
) -> list[list[LineLabel]]:
    """`classify_lines` for many pages at once (one vectorised pass; the fast path for a whole run)."""
    return _default_classifier().classify_many(pages_lines, context)


def _site_boilerplate_lines(
    uniques: list[set[str]],
    sites: Sequence[str],
    site_pages: Counter[tuple[str, str]],
    short: Callable[[str], bool],
    copy_share: float,
) -> set[str]:
    """Long lines on >= 2 pages of one site whose pages are not mostly copies (`_site_boilerplate`)."""
    found: set[str] = set()
    copied: set[str] = set()
    for uniq, site in zip(uniques, sites, strict=True):
        longs = [u for u in uniq if not short(u)]
        shared = [u for u in longs if site_pages[(site, u)] >= 2]
        if shared:
            (copied if len(shared) >= copy_share * len(longs) else found).update(shared)
    return found - copied


def _key_ids(keys: np.ndarray) -> np.ndarray:
    """A dense id per line key (equal keys, equal ids): by a hash table compiled, by a sort without it."""
    if _compiled is not None:
        return _compiled.key_ids(keys)
    return unique_inverse(keys)


def _distinct_units(kid: np.ndarray, seg: Segments, unit: np.ndarray, scope: np.ndarray) -> np.ndarray:
    """Per line, how many distinct units (`unit[p]` of each page p) hold a line of its id within its page's
    scope (`scope[p]`): content groups across the batch (scope 0 everywhere), or pages within a site."""
    if _compiled is not None:
        return _compiled.distinct_units(kid, seg.firsts, unit.astype(np.intp), scope.astype(np.intp))
    n_units, n_scopes = int(unit.max()) + 1, int(scope.max()) + 1
    at_scope = kid.astype(np.int64) * n_scopes + scope[seg.page]
    triples = sorted_unique(at_scope * n_units + unit[seg.page])
    pairs, counts = sorted_unique(triples // n_units, return_counts=True)
    return counts[np.searchsorted(pairs, at_scope)]


def _content_groups(kid: np.ndarray, page: np.ndarray, long: np.ndarray, n_pages: int) -> np.ndarray:
    """A content id per page: pages sharing a long line (copies of one article) get the same id.

    Only which pages share an id matters (the ids' order does not): the compiled union-find and the
    sparse graph's components (the reference, and the fallback) give the same groups.
    """
    if _compiled is not None:
        return _compiled.content_groups(kid, page, long.view(np.uint8), n_pages)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not long.any():
        return np.arange(n_pages)
    long_kid = np.unique(kid[long], return_inverse=True)[1].ravel()
    nodes = n_pages + int(long_kid.max()) + 1
    graph = coo_matrix((np.ones(long_kid.size), (page[long], n_pages + long_kid)), shape=(nodes, nodes))
    return connected_components(graph, directed=False)[1][:n_pages]


def classify_run(
    pages_lines: Sequence[list[str]],
    sites: Sequence[str] | None = None,
    settings: LineSettings = LineSettings(),
) -> list[list[LineLabel]]:
    """The pages of a run, each with the others as context, in one pass (shipped model).

    Same evidence as `classify_pages(pages, build_line_context(pages, sites))` (template lines, other
    pages' headlines) at the cost of one classification. `sites` names each page's site, if known.
    """
    return _default_classifier(settings).classify_many(pages_lines, sites=sites, run_context=True)


def build_line_context(
    pages_lines: Sequence[list[str]],
    sites: Sequence[str] | None = None,
    classifier: LineClassifier | None = None,
    settings: LineSettings = LineSettings(),
) -> LineContext:
    """The run's context, built once from all its pages before any page is cleaned.

    Template lines: short lines on >= settings.template_min_pages pages, or on 2 pages of one site when
    `sites` gives each page's site (long lines shared across pages are syndicated text, left to the model).
    Headlines: each page's title as the classifier finds it without context.
    """
    clf = classifier or _default_classifier(settings)

    def short(u: str) -> bool:
        # Tokens as the features count them: words between spaces, and half a word per Han/kana character.
        cjk = 0 if u.isascii() else len(_CJK.findall(u)) / 2
        return u.count(" ") + 1 + cjk <= clf.settings.template_short_words

    # Copies of one article (pages sharing a long line) count once: their shared short paragraphs are
    # syndicated text, not template (the same rule as `LineClassifier._run_context`).
    uniques = [{normalize(line) for line in lines if line.strip()} for lines in pages_lines]
    content = list(range(len(uniques)))

    def root(p: int) -> int:
        while content[p] != p:
            content[p] = content[content[p]]
            p = content[p]
        return p

    first_page: dict[str, int] = {}
    for p, uniq in enumerate(uniques):
        for u in uniq:
            if not short(u):
                content[root(p)] = root(first_page.setdefault(u, p))
    pages_with: Counter[str] = Counter()
    seen: set[tuple[str, int]] = set()
    site_pages: Counter[tuple[str, str]] = Counter()
    for p, uniq in enumerate(uniques):
        for u in uniq:
            if (u, root(p)) not in seen:
                seen.add((u, root(p)))
                pages_with[u] += 1
        if sites is not None:
            site_pages.update((sites[p], u) for u in uniq)

    template = {u for u, c in pages_with.items() if c >= clf.settings.template_min_pages and short(u)}
    site_template = {u for (_, u), c in site_pages.items() if c >= 2 and short(u)}
    if sites is not None:
        share = clf.settings.site_copy_share
        site_template |= _site_boilerplate_lines(uniques, sites, site_pages, short, share)
    template |= site_template
    headlines = set()
    for lines, labels in zip(pages_lines, clf.classify_many(pages_lines), strict=True):
        for line, lab in zip(lines, labels, strict=True):
            if lab.kind == "title":
                headlines.add(normalize(line))
    return LineContext(
        frozenset(template), frozenset(headlines - template), len(pages_lines), frozenset(site_template)
    )
