"""Line classification of plain-text page dumps: body, caption, title or dropped, with a reason.

A page dump holds one visible block per line. A two-stage additive model trained on the zyte benchmark
(bench/train_line_model.py) scores each line as article body from its own shape and its neighbourhood,
then from the scores around it (sequence smoothing); short lines a page repeats between its paragraphs
("Article content") are set apart before scoring (`_interstitials`). Then `RULES`, one ordered list of
named rules over one `LineBatch` (line_batch), each a short function saying what it removes and why:
read-more and promo links; document-level fit (line_fit: lines of another language, off-topic runs of
short lines, comment threads, stretches far weaker than the main text; an excerpt's cut first line
joins); repeated lines; the run's context (template lines: short lines repeated across pages, long lines
repeated across one site's otherwise different pages; other pages' headlines), whose sentences in the
article's own run come back; captions, the title, a standfirst; and last, pages that are already clean
text (a record of a news archive) keep every line but their metadata lines. Every dropped line gets a
short reason a user can read (line_rules names those no rule named).

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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np

from newsfold.clean.line_batch import LineBatch
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
    closing_paragraphs,
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
    READ_MORE_FIRST_WORDS,
    SHARE_WORDS,
    caption_mask,
    date_mask,
    drop_reasons,
    normalize,
    promo_mask,
    read_more_lines,
    title_mask,
)
from newsfold.settings import LineSettings

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
_ARROW_ENDS = np.array(sorted({ord(arrow[-1]) for arrow in _ARROWS}))
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
    """Labels page-dump lines with a trained `LineModel` (the shipped one by default) and `RULES`."""

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
        """Labels for the lines of many pages, measured and scored together, then `RULES` in order.

        With `run_context`, the batch is its own context, found in the same pass: short lines on
        `template_min_pages` pages (or on 2 pages of one site, when `sites` names each page's site) are
        template, and each page's title is a headline on the others (what `build_line_context` finds,
        without measuring every page twice).
        """
        stripped = [list(map(str.strip, lines)) for lines in pages_lines]
        between = [_interstitials(s) for s in stripped]
        # the lines with text, per page (interstitials set apart: the model reads the text around them);
        # None where every line has text (most pages: no list of places to make and follow)
        keeps = [
            None if not found and all(s) else [i for i, t in enumerate(s) if t and i not in found]
            for s, found in zip(stripped, between, strict=True)
        ]
        texts = [s if keep is None else [s[i] for i in keep] for s, keep in zip(stripped, keeps, strict=True)]
        todo = [p for p, text in enumerate(texts) if text]
        labels: list[LineLabel] = []
        if todo:
            pa = self.measure([texts[p] for p in todo])
            batch = LineBatch.of(pa, self.body_scores(pa), self.model.threshold, self.settings)
            if context is not None and (context.template_lines or context.headlines):
                batch.context = context
            batch.sites = None if sites is None else [sites[p] for p in todo]
            batch.run_context = run_context
            for _, rule in RULES:
                rule(batch)
            labels = _label_table(batch)[_label_codes(batch)].tolist()
        starts = np.cumsum([0, *(len(text) for text in texts)]).tolist()
        return [
            _page_labels(len(lines), keep, found, labels[p0:p1])
            for lines, keep, found, p0, p1 in zip(
                pages_lines, keeps, between, starts[:-1], starts[1:], strict=True
            )
        ]


def _page_labels(
    n_lines: int, keep: list[int] | None, found: set[int], labels: list[LineLabel]
) -> list[LineLabel]:
    """The labels of a page's lines: its text lines' `labels`, at `keep` (None: every line), the
    interstitials `found` dropped as repeated, the blank lines as blank."""
    if keep is None:
        return labels
    out = [_label("drop", "blank line")] * n_lines
    for i in found:
        out[i] = _label("drop", "repeated line")
    for i, lab in zip(keep, labels, strict=True):
        out[i] = lab
    return out


def _interstitials(lines: list[str]) -> set[int]:
    """Short lines a page repeats between its paragraphs ("Article content", "Advertisement"): a line of
    <= 4 words printed >= 3 times, once at least right after a long line (16+ words, a paragraph's; not
    tuned) ending a sentence.

    Why: set between every two paragraphs, such a line makes each paragraph's neighbours chrome, and
    the model, which reads a line's neighbourhood, drops the paragraphs; the line itself is chrome.
    A link ending in an arrow ("Read more »") is left to `read_more_links`, which also drops its teaser.
    5-fold CV by site (fold models of 694e9e6): zyte 0.9285 -> 0.9298, Fundus 0.9252 -> 0.9273; twice
    instead of three times, or after two sentences, scored a little lower on both. Cost: ~3.5 ms for
    zyte's 181 pages, half of it counting the lines (a numpy count of their hashes was slower: hashing
    them is it); only the places of the repeated lines are visited.
    """
    repeated = {
        t for t, k in Counter(lines).items() if k >= 3 and t and t.count(" ") < 4 and not t.endswith(_ARROWS)
    }
    if not repeated:
        return set()
    at = [i for i, line in enumerate(lines) if line in repeated]
    found: set[str] = set()
    for i in at:
        if lines[i] in found:
            continue
        j = i - 1
        while j >= 0 and not lines[j]:
            j -= 1
        if j >= 0 and lines[j].count(" ") >= 15 and lines[j].endswith((".", "!", "?", '"', "”", "»")):
            found.add(lines[i])
    return {i for i in at if lines[i] in found}


# --- The rules, in the order they run (`RULES`). Each changes the batch's masks; later ones read them. ---


def read_more_links(batch: LineBatch) -> None:
    """A short arrow-ended link repeated on a page ("Read more »") and the teaser of another story above it.

    Why: aggregators and section fronts list other stories as teaser + link; the link's arrow and its
    repetition on the page are the mark, the teaser itself reads like article prose."""
    pa = batch.pa
    repeated_short = (pa.n_tokens <= batch.settings.read_more_words) & (pa.repeats >= 2)
    # Only the lines whose last character ends an arrow are read (a batch has thousands of short lines).
    short = np.flatnonzero(repeated_short & np.isin(pa.last_codes, _ARROW_ENDS)).tolist()
    links = np.zeros(batch.body.size, bool)
    links[[j for j in short if pa.lines[j].endswith(_ARROWS)]] = True
    teasers = np.zeros(batch.body.size, bool)
    teasers[:-1] = links[1:] & (pa.seg.idx[1:] > pa.seg.pstart[1:])
    batch.drop(links, "read-more link")
    batch.drop(teasers, "teaser of another story")  # a link above a link is the teaser of the second


def promo_links(batch: LineBatch) -> None:
    """Lines shaped "READ MORE: another headline": a promo label, a colon or an arrow, no final punctuation.

    Also the lines the model already dropped inside the article's span (no rule has named them yet): the
    HTML path drops the lines trafilatura keeps for this reason (`html.html_body`). Only inside the span:
    a page's menus and link lists around it are many short lines (zyte: 26,295 short lines, 502 in the
    body), and the scan is a regex per line."""
    seg = batch.pa.seg
    span = (seg.idx >= batch.first_body()) & (seg.idx <= batch.last_body())
    batch.drop(promo_mask(batch.pa, batch.body | (span & (batch.reason == 0))), "link to another story")


def other_languages(batch: LineBatch) -> None:
    """Body lines in another language than the page's body (an aggregator's note under an excerpt)."""
    batch.drop(language_misfits(batch.pa, batch.body, batch.settings), "another language than the article")


def off_topic(batch: LineBatch) -> None:
    """Runs of short body lines whose words the article's core never uses: other stories' promos."""
    runs = off_topic_runs(batch.pa, batch.body, batch.settings)
    batch.drop(runs, "off the article's topic (other stories)")


def comment_threads(batch: LineBatch) -> None:
    """Body lines from a chain of short date/time lines (comment headers) after the article on: comments."""
    batch.dates = date_mask(batch.pa, np.ones(batch.body.size, bool))
    if batch.settings.comment_min_headers > 0:
        heads = batch.dates & (batch.pa.n_tokens <= batch.settings.comment_header_words)
        batch.drop(comment_sections(batch.pa, batch.body, heads, batch.settings), "comment section")


def weak_stretches(batch: LineBatch) -> None:
    """Body stretches far weaker than the page's heaviest one: list pages' items, sidebars."""
    if batch.settings.main_text_min_share > 0:
        outside = outside_main_text(batch.pa, batch.body, batch.scores, batch.settings)
        batch.drop(outside, "outside the main text")


def cut_excerpt_start(batch: LineBatch) -> None:
    """Keeps an excerpt's first line, cut mid-sentence, just above the body (after `weak_stretches`, which
    would weigh it by its low score and drop it again)."""
    batch.body |= cut_excerpt_starts(batch.pa, batch.body, batch.scores, batch.settings)


def closing_paragraph(batch: LineBatch) -> None:
    """Keeps the article's last paragraph, just below the body, when it is prose on the article's topic.

    Why: the line model reads a line's neighbourhood, and the last paragraph's is the page's chrome (a
    "read also" box, the footer), so it scores low and is dropped as a teaser of another story; another
    story's teaser rarely shares the article's words. zyte + Fundus 5-fold CV by site, fold models fixed:
    zyte 0.9305 -> 0.9307, Fundus 0.9310 -> 0.9315 (10 pages gain, 3 lose)."""
    batch.body |= closing_paragraphs(batch.pa, batch.body, batch.scores, batch.settings)


def line_shapes(batch: LineBatch) -> None:
    """Drops nothing: finds the short date lines, the caption-shaped lines around each page's body and the
    headline-shaped lines, as the body stands now (later rules move it)."""
    pa, margin = batch.pa, batch.settings.caption_margin
    seg = pa.seg
    region = (seg.idx >= batch.first_body() - margin) & (seg.idx <= batch.last_body() + margin)
    batch.date_lines = batch.dates & ~batch.body
    batch.caption_shape = caption_mask(pa, np.flatnonzero(region))
    batch.titleish = title_mask(pa, batch.date_lines, batch.caption_shape)


def repeated_lines(batch: LineBatch) -> None:
    """Within a page, a repeated line is body at most once (its first time)."""
    later = np.zeros(batch.body.size, bool)
    later[_later_copies(batch.pa, batch.body & (batch.pa.repeats > 1))] = True
    batch.drop(later, "repeated line")


def batch_context(batch: LineBatch) -> None:
    """Template lines (short lines on many pages of the batch, lines of a site's template) and other pages'
    headlines leave the body; a page's own title is no other page's headline. The article's own sentences
    come back in `sentence_runs`, unless a site's template."""
    pa = batch.pa
    n = batch.body.size
    batch.template = batch.site_template = batch.other_headline = np.zeros(n, bool)
    if batch.run_context:
        own_titles = _titles(batch)
        batch.template, batch.site_template, headline = _run_context(batch, own_titles)
        seg = pa.seg
        has_title = np.array([t is not None for t in own_titles], bool)
        title_key = pa.line_key[[0 if t is None else t for t in own_titles]]
        own = has_title[seg.page] & (pa.line_key == title_key[seg.page])
        batch.other_headline = headline & ~own
    elif batch.context is not None:
        norm = [normalize(s) for s in pa.lines]
        masks = _context_masks(pa, norm, batch.context, _titles(batch))
        batch.template, batch.site_template, batch.other_headline = masks
    batch.body &= ~(batch.template | batch.other_headline)


def sentence_runs(batch: LineBatch) -> None:
    """Keeps dropped sentences that stand in the article's own run of text (`sentence_continuations`): only
    rules that read a line's content, and a site's own template, are final."""
    closed = batch.site_template | ((batch.reason != 0) & ~batch.reason_is(*_OPEN_REASONS))
    revived = sentence_continuations(batch.pa, batch.body, ~closed)
    if revived.any():
        batch.keep(revived)
        batch.template = batch.template & ~revived
        batch.other_headline = batch.other_headline & ~revived


def contributor_notes(batch: LineBatch) -> None:
    """Keeps the wire story's closing contributor note ("X reported from ...; Y contributed"): it reads like
    a credit line to the model but carries the syndication signal."""
    pa = batch.pa
    seg, last = pa.seg, batch.last_body()
    near = (last >= 0) & (seg.idx > last) & (seg.idx <= last + batch.settings.contributor_gap)
    notes = np.zeros(batch.body.size, bool)
    for j in np.flatnonzero(near & (pa.n_tokens >= 4)).tolist():
        notes[j] = any(cue in pa.lines[j].lower() for cue in _CONTRIBUTOR_CUES)
    batch.keep(notes)


def captions(batch: LineBatch) -> None:
    """Caption-shaped lines in and around each page's body span are captions (not body), unless a rule
    dropped them for another reason than repetition or the batch's context did."""
    seg, margin = batch.pa.seg, batch.settings.caption_margin
    last = batch.last_body()
    near = (last >= 0) & (seg.idx >= batch.first_body() - margin) & (seg.idx <= last + margin)
    free = (batch.reason == 0) | batch.reason_is("repeated line")
    found = near & batch.caption_shape & ~(batch.template | batch.other_headline) & free
    batch.body[found], batch.caption[found], batch.reason[found] = False, True, 0


def titles(batch: LineBatch) -> None:
    """Each page's headline: a headline-shaped line just before the body, preferring a repeated one."""
    batch.titles = _titles(batch)


def standfirst(batch: LineBatch) -> None:
    """Title, one sentence, then a caption block, then the body: that sentence is a standfirst (dek).

    Only a line of one sentence: a paragraph of two or more above a photo is the article's lead, which
    zyte's and Fundus's golds both count as body (5-fold CV by site, fold models fixed: zyte 0.9277 ->
    0.9285, Fundus 0.9194 -> 0.9198; the seeds' one-sentence standfirst still goes)."""
    pa, body = batch.pa, batch.body
    seg = pa.seg
    one_sentence = np.expm1(pa.column("log_sentences")) < 1.5
    pos = np.flatnonzero(body)
    at = np.searchsorted(pos, seg.firsts)
    count = (np.searchsorted(pos, np.append(seg.firsts[1:], body.size)) - at).tolist()
    captions_before = np.concatenate(([0], np.cumsum(batch.caption))).tolist()
    found = np.zeros(body.size, bool)
    for p, title in enumerate(batch.titles):
        if title is None or count[p] < 3:
            continue
        j, second = int(pos[at[p]]), int(pos[at[p] + 1])
        gap_ok = j - title <= batch.settings.standfirst_gap and not body[j + 1]
        found[j] = gap_ok and bool(one_sentence[j]) and captions_before[second] > captions_before[j + 1]
    batch.drop(found, "standfirst")


def header_headlines(batch: LineBatch) -> None:
    """Other pages' headlines that stand alone in a page's header (the title window above its body) are its
    headline too: copies and reports of one event carry the same one. A block of other pages' headlines
    (two or more in a row) is a list of other stories, and one below the header a link to another."""
    seg, other = batch.pa.seg, batch.other_headline
    flag = other.astype(np.float64)
    alone = other & ~(seg.shift(flag, 1) > 0) & ~(seg.shift(flag, -1) > 0)
    first = batch.first_body()
    batch.header_headline = alone & (seg.idx < first) & (seg.idx >= first - batch.settings.title_window)
    batch.other_headline = other & ~batch.header_headline


def excerpt_pages(batch: LineBatch) -> None:
    """A page that presents an excerpt: its headline, maybe a date line, one to `excerpt_max_lines` lines
    of text, then its one read-more link ("Read more", "Lire la suite »"). Those lines are its body even
    where they read as a teaser, the headline is its title, and what the model kept below the link is
    other stories (the "Related" list under it).

    Why: aggregators print a story as its lede (or its first words cut with "...") and a link to the rest;
    the line model, which reads a line's neighbourhood, sees one prose line between menus and a list of
    other stories' ledes and drops it as a teaser, keeping the list. Not when the page has body above
    the headline (the link ends a section of a longer page) or the line after the link is body (the
    article goes on below a "Continue reading" button)."""
    pa, n = batch.pa, batch.body.size
    seg = pa.seg
    # A short line once on its page, after a line of text, opening with a read-more phrase's first word:
    # only those few lines are read (a batch has thousands of short lines).
    short = pa.n_tokens <= batch.settings.read_more_words
    short[1:] &= pa.n_tokens[:-1] >= 4
    short[seg.firsts] = False
    shorts = np.flatnonzero(short & (pa.repeats == 1))
    if not pa.word_line.size or not shorts.size:
        return
    first_word = np.minimum(np.searchsorted(pa.word_line, shorts), pa.word_line.size - 1)
    opens = (pa.word_line[first_word] == shorts) & np.isin(pa.word_hash[first_word], _read_more_first())
    candidates = shorts[opens].tolist()
    links = [candidates[k] for k in read_more_lines([pa.lines[j] for j in candidates])]
    if not links:
        return
    per_page = Counter(seg.page[links].tolist())
    excerpt, below, pages = np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    for j in links:
        top, end = int(seg.pstart[j]), int(seg.pend[j])
        if per_page[int(seg.page[j])] > 1 or (j + 1 < end and batch.body[j + 1]):
            continue
        place = _excerpt_above(batch, j)
        if place is None or batch.body[top : place[0]].any():
            continue
        excerpt[place[1] : j] = True
        below[j + 1 : end] = batch.body[j + 1 : end]
        pages[top:end] = True
        batch.titles[int(seg.page[j])] = place[0]
    if excerpt.any():
        batch.drop(below, "other stories below an excerpt's read-more link")
        batch.keep(excerpt)
        batch.caption[excerpt] = False
        batch.template, batch.other_headline = batch.template & ~excerpt, batch.other_headline & ~excerpt
        batch.header_headline = batch.header_headline & ~pages  # the page's headline is known: no other


@cache
def _read_more_first() -> np.ndarray:
    """The hashes of `READ_MORE_FIRST_WORDS` (made once, on the first batch that reads them)."""
    return word_hashes(READ_MORE_FIRST_WORDS)


def _excerpt_above(batch: LineBatch, link: int) -> tuple[int, int] | None:
    """(headline, first line of text) of the excerpt a read-more link closes, else None: the most lines
    of text (up to `excerpt_max_lines`) above the link under which, past at most `excerpt_date_lines`
    date lines, a headline-shaped line stands (a headline ending in a quotation mark is a line of text
    too: the line above it is no headline then). Every line of text ends a sentence but the last, which
    may be a lede without a full stop or one cut without an ellipsis."""
    pa, settings = batch.pa, batch.settings
    top = int(pa.seg.pstart[link])
    best = None
    for start in range(link - 1, max(top, link - settings.excerpt_max_lines) - 1, -1):
        last = start == link - 1 and not batch.dates[start]
        if pa.n_tokens[start] < 4 or not (last or _ends_sentence(pa, start)):
            break
        head = start - 1
        while head >= max(top, start - settings.excerpt_date_lines) and batch.dates[head]:
            head -= 1
        if head >= top and batch.titleish[head] and not batch.body[head]:
            best = (head, start)
    return best


# Sentence ends the line features do not count (Devanagari danda, Arabic-script full stop and question mark).
_MORE_SENTENCE_ENDS = ("\u0964", "\u0965", "\u06d4", "\u061f")


def _ends_sentence(pa: PageArrays, j: int) -> bool:
    """Whether line j ends a sentence (or is cut with an ellipsis) or a quotation."""
    if pa.end_sentence[j] or pa.column("end_quote")[j]:
        return True
    return pa.lines[j].endswith(_MORE_SENTENCE_ENDS)


def clean_records(batch: LineBatch) -> None:
    """Keeps every line of a page that is already clean text but its metadata lines, named so (date lines,
    URL lines), its headline and its repeated lines (`_clean_records` says which pages)."""
    # The label each line would get now, read on the pages without a template line only: a page with one
    # is no clean record (`_clean_records`), and on a dump batch that is nearly every page.
    codes = _label_codes(batch, batch.pa.seg.page_sum(batch.template) == 0)
    record = _clean_records(batch, codes)
    if not record.any():
        return
    pa, n = batch.pa, batch.body.size
    rows = np.flatnonzero(record & (pa.n_words > 0)).tolist()
    url = np.zeros(n, bool)
    url[[j for j in rows if pa.lines[j][:6].lower().startswith(("http:", "https:"))]] = True
    heads = np.zeros(n, bool)
    heads[[t for t in batch.titles if t is not None]] = True
    heads |= batch.header_headline
    not_text = _reason_in(batch, codes, METADATA_REASONS | _NOT_TEXT_REASONS) | heads | batch.date_lines | url
    keep = record & (pa.n_words > 0) & ~batch.body & ~batch.caption & ~not_text
    batch.template, batch.other_headline = batch.template & ~keep, batch.other_headline & ~keep
    batch.keep(keep)
    batch.drop(record & url, "URL line")
    batch.drop(record & batch.date_lines & ~batch.body & ~batch.caption & ~heads, "date line")


# The rules in the order they run: each reads the body as the rules before it left it.
RULES: tuple[tuple[str, Callable[[LineBatch], None]], ...] = (
    ("read-more links", read_more_links),
    ("promo links", promo_links),
    ("other languages", other_languages),
    ("off-topic runs", off_topic),
    ("comment threads", comment_threads),
    ("weak stretches", weak_stretches),
    ("cut excerpt start", cut_excerpt_start),
    ("closing paragraph", closing_paragraph),
    ("line shapes", line_shapes),
    ("repeated lines", repeated_lines),
    ("batch context", batch_context),
    ("sentence runs", sentence_runs),
    ("contributor notes", contributor_notes),
    ("captions", captions),
    ("titles", titles),
    ("standfirst", standfirst),
    ("header headlines", header_headlines),
    ("excerpt pages", excerpt_pages),
    ("clean records", clean_records),
)


def _run_context(batch: LineBatch, own_titles: list[int | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Template lines (all, and those of a site's own template) and other pages' headlines of a batch,
    as masks over its lines (by line key)."""
    pa, settings, sites = batch.pa, batch.settings, batch.sites
    seg = pa.seg
    n_pages = seg.firsts.size
    kid = _key_ids(pa.line_key)
    # A line counts once per *content*, not per page: copies of one article (pages sharing a long
    # line) repeat its short paragraphs too, and those are syndicated text, not the run's template.
    long = pa.n_tokens > settings.template_short_words
    content = _content_groups(kid, seg.page, long, n_pages)
    common = _distinct_units(kid, seg, content, np.zeros(n_pages, np.intp)) >= settings.template_min_pages
    # Long lines shared across pages are syndicated text, left to the model, unless a site's boilerplate.
    site_template = np.zeros(kid.size, bool)
    if sites is not None:
        site_ids: dict[str, int] = {}
        site_id = np.asarray([site_ids.setdefault(str(s), len(site_ids)) for s in sites], np.intp)
        on_site = _distinct_units(kid, seg, np.arange(n_pages), site_id) >= 2
        # Pages holding a story captured twice: many long lines the model reads as body shared on the site.
        model_body = (batch.scores >= batch.threshold) & (pa.n_words > 0)
        same_story = seg.page_sum((on_site & long & model_body) / pa.repeats) >= settings.site_copy_lines
        boilerplate = _site_boilerplate(batch, kid, on_site & long, long, same_story)
        site_template = (on_site & ~long) | boilerplate
    template = (common & ~long) | site_template
    title_at = np.asarray([t for t in own_titles if t is not None], np.intp)
    headline_ids = np.zeros(int(kid.max()) + 1 if kid.size else 0, bool)
    headline_ids[kid[title_at[~template[title_at]]]] = True
    return template, site_template, headline_ids[kid] & ~template


def _site_boilerplate(
    batch: LineBatch, kid: np.ndarray, shared_long: np.ndarray, long: np.ndarray, same_story: np.ndarray
) -> np.ndarray:
    """Long lines on >= 2 pages of one site whose pages are not mostly copies of each other.

    Such lines are the site's boilerplate (author bios, disclaimers, subscription promos), not article
    text; a page whose long lines are mostly shared with its site is a version of the same story, and
    the lines it shares stay with the model; so do lines that only pages of one story captured twice
    hold (`same_story`: many shared lines the model reads as body, beside different teasers, comments).
    """
    pa = batch.pa
    seg = pa.seg
    # Distinct lines per page (a line repeated on a page counts once), as `_site_boilerplate_lines`.
    once = 1.0 / pa.repeats
    share = seg.page_sum(shared_long * once) / np.maximum(seg.page_sum(long * once), 1.0)
    copied = shared_long & (share >= batch.settings.site_copy_share)
    n_keys = int(kid.max()) + 1
    # Lines held only by pages of a story captured twice.
    holders = np.bincount(kid, weights=shared_long * once, minlength=n_keys)
    same = np.bincount(kid, weights=shared_long * same_story * once, minlength=n_keys) >= holders - 1e-9
    keys = (
        (np.bincount(kid[shared_long], minlength=n_keys) > 0)
        & ~(np.bincount(kid[copied], minlength=n_keys) > 0)
        & ~same
    )
    return keys[kid]


def _titles(batch: LineBatch) -> list[int | None]:
    """Each page's headline: the last headline-shaped line in the title window above the body that the
    page repeats, else the last one (a page without body has none).

    The repeat tests are kept in `batch.seen_twice` by line: a second call (after the body changed) tests
    only lines it has not seen.
    """
    pa, body, settings = batch.pa, batch.body, batch.settings
    seg, n = pa.seg, body.size
    first = np.minimum.reduceat(np.where(body, seg.idx, n), seg.firsts)
    first = np.where(first < n, first, seg.firsts)  # a page without body has no headline: no window
    first_of = first[seg.page]
    window = (seg.idx >= np.maximum(seg.pstart, first_of - settings.title_window)) & (seg.idx < first_of)
    cands = np.flatnonzero(batch.titleish & ~body & window)
    cuts = np.searchsorted(seg.page[cands], np.arange(seg.firsts.size + 1)).tolist()
    cands_list = cands.tolist()
    bounds = zip(seg.firsts.tolist(), seg.firsts[1:].tolist() + [n], strict=True)
    found: list[int | None] = []
    for p, (p0, p1) in enumerate(bounds):
        page_cands = cands_list[cuts[p] : cuts[p + 1]]
        title = page_cands[-1] if page_cands else None
        page = ""
        for j in reversed(page_cands):
            if (twice := batch.seen_twice.get(j)) is None:
                page = page or "\n".join(pa.lines[p0:p1])  # a page's text is never empty
                twice = batch.seen_twice[j] = _occurs_twice(page, pa.lines[j])
            if twice:
                title = j
                break
        found.append(title)
    return found


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


# --- Naming: every line's label, from the batch the rules left. ---

_TITLE, _CAPTION, _BODY = "title", "caption", "body"
# The reasons of the batch's evidence, beside DROP_REASONS and the rules' own.
_CONTEXT_REASONS = ("repeated line", "title repeated", "template line repeated across pages",
                    "link list of other headlines")  # fmt: skip


def _label_table(batch: LineBatch) -> np.ndarray:
    """The labels `_label_codes` indexes: DROP_REASONS, the context's and the rules' reasons, then title,
    caption and body (an object array, so that labels are gathered by one numpy index)."""
    table = [_label("drop", r) for r in (*DROP_REASONS, *_CONTEXT_REASONS, *batch.reasons[1:])]
    table += [_label(_TITLE), _label(_CAPTION), _label(_BODY)]
    out = np.empty(len(table), object)
    out[:] = table
    return out


def _label_codes(batch: LineBatch, among: np.ndarray | None = None) -> np.ndarray:
    """Each line's label as an index into `_label_table(batch)`, later evidence winning; with `among` (a
    mask), the shape's reasons (`_default_reasons`) are read for its lines only (the others' labels may
    then be wrong: the caller does not read them)."""
    pa, seg = batch.pa, batch.pa.seg
    n_drop, n_context = len(DROP_REASONS), len(_CONTEXT_REASONS)
    n_table = n_drop + n_context + len(batch.reasons) - 1 + 3
    code = _default_reasons(batch, among)
    code[pa.repeats > 1] = n_drop
    title_at = [t for t in batch.titles if t is not None]
    if title_at:  # the lines of a page equal to its title: one comparison with the page's title key
        has_title = np.array([t is not None for t in batch.titles], bool)
        title_key = pa.line_key[[0 if t is None else t for t in batch.titles]]
        code[has_title[seg.page] & (pa.line_key == title_key[seg.page])] = n_drop + 1
    ruled = batch.reason != 0
    code[ruled] = n_drop + n_context + batch.reason[ruled] - 1
    code[batch.other_headline] = n_drop + 3
    code[batch.template] = n_drop + 2
    code[title_at] = n_table - 3
    code[batch.header_headline] = n_table - 3
    code[batch.caption] = n_table - 2
    code[batch.body] = n_table - 1
    return code


def _default_reasons(batch: LineBatch, among: np.ndarray | None = None) -> np.ndarray:
    """Per line, the index into DROP_REASONS of the reason its shape gives (read for the dropped lines no
    rule and no evidence names: the needle rules scan only those of modest length, and URL lines); with
    `among` (a mask), for its lines only (0 for the others)."""
    pa = batch.pa
    given = batch.template | batch.other_headline | (pa.repeats > 1) | (batch.reason != 0)
    reason_lines = ~batch.body & ~batch.caption & ~given
    if among is not None:
        reason_lines &= among
    needle_lines = np.flatnonzero(reason_lines & (pa.n_tokens <= 40))
    # A long line that opens with a scheme is a URL line (a tokenised address runs to many "words").
    long_urls = [j for j in np.flatnonzero(reason_lines & (pa.n_tokens > 40)).tolist()
                 if pa.lines[j][:6].lower().startswith(("http:", "https:"))]  # fmt: skip
    if long_urls:
        needle_lines = np.union1d(needle_lines, long_urls)
    first, last = batch.first_body(), batch.last_body()
    return drop_reasons(pa, needle_lines, batch.date_lines, first, last, np.flatnonzero(reason_lines))


def _reason_in(batch: LineBatch, codes: np.ndarray, reasons: Collection[str]) -> np.ndarray:
    """Per line (`codes`: its label as `_label_codes` gives it), whether its label's reason is one of
    `reasons` (read once per label of the table, not per line)."""
    return np.array([lab.reason in reasons for lab in _label_table(batch)], bool)[codes]


# Lines that show a page is a dump of a web page, not a clean record: chrome a rule read in the line.
_CHROME_REASONS = frozenset({
    "template line repeated across pages", "share/print button", "comment box", "copyright", "read-more link",
    "link to another story", "comment section",
})  # fmt: skip
# Lines a clean record loses: they feed the article's metadata (its date, authors, address).
METADATA_REASONS = frozenset({"date line", "byline", "URL line"})
# Lines of a clean record that stay out of its body: lines it repeats, lines without words.
_NOT_TEXT_REASONS = frozenset({"title repeated", "repeated line", "blank line", "no words"})


def _clean_records(batch: LineBatch, codes: np.ndarray) -> np.ndarray:
    """Per line, whether its page is already clean text (`codes`: each line's label as given now).

    A monitoring corpus holds records that are the article text already (a JSONL `text` field, a news
    archive's documents: a URL line, a headline, a date line, then the paragraphs, the last one maybe cut).
    The line model, trained on whole-page dumps, drops their short or closing sentences and quotes, and the
    batch's evidence drops the sentences and headlines other reports of the event share. A page is such a
    record when no line of it is chrome (a template line, a share bar, a comment box, a copyright line, a
    read-more or promo link, a navigation bar, a block of other pages' headlines), its text from its
    first sentence on is mostly sentences (`clean_record_prose_share`) and its last line is one: then it
    loses only its metadata lines (date, byline, URL), its headline (the title) and its repeated lines.
    """
    pa, dates = batch.pa, batch.date_lines
    seg, n = pa.seg, batch.body.size
    chrome = _reason_in(batch, codes, _CHROME_REASONS) | batch.template
    # A navigation bar: links between separators ("Home | World | Sport"); a bullet opens a list item, and
    # a separator between date stamps ("Posted 3/2/2009 | Updated 5:40 PM") is a header's date line.
    chrome |= _reason_in(batch, codes, ("navigation",)) & (pa.separators > 0) & ~pa.bullet & ~dates
    headline = batch.other_headline.astype(np.float64)
    chrome |= batch.other_headline & ((seg.shift(headline, 1) > 0) | (seg.shift(headline, -1) > 0))
    text = (pa.n_words > 0) & ~_reason_in(batch, codes, METADATA_REASONS) & ~dates
    ends = pa.end_sentence | pa.column("end_quote").astype(bool) | pa.column("end_colon").astype(bool)
    sentence = text & ends & (pa.n_tokens >= 2)
    # A record may be an excerpt: its last line, prose cut mid-sentence, counts as a sentence.
    last_text = np.maximum.reduceat(np.where(text, seg.idx, -1), seg.firsts)[seg.page]
    sentence |= (seg.idx == last_text) & (pa.n_tokens >= 8)
    first_sentence = np.minimum.reduceat(np.where(sentence, seg.idx, n), seg.firsts)[seg.page]
    counted = text & (seg.idx >= first_sentence)
    prose_share = seg.page_sum(sentence & counted) / np.maximum(seg.page_sum(counted), 1)
    # A page dump ends with its footer or its last links ("More articles like this"); a record with its text.
    ends_in_text = seg.page_sum(sentence & (seg.idx == last_text)) > 0
    mostly_prose = prose_share >= batch.settings.clean_record_prose_share
    return (seg.page_sum(chrome) == 0) & ends_in_text & mostly_prose


def _later_copies(pa: PageArrays, among: np.ndarray) -> list[int]:
    """The lines flagged in `among` whose line key occurs on an earlier line of their page, in order."""
    repeated = np.flatnonzero(pa.repeats > 1)  # every line of a key repeated on its page
    ranked = repeated[np.lexsort((repeated, pa.line_key[repeated], pa.seg.page[repeated]))]
    key, page = pa.line_key[ranked], pa.seg.page[ranked]
    first_copy = np.ones(ranked.size, bool)
    first_copy[1:] = (key[1:] != key[:-1]) | (page[1:] != page[:-1])
    later = ranked[~first_copy]
    return np.sort(later[among[later]]).tolist()


def _occurs_twice(text: str, part: str) -> bool:
    """`text.count(part) > 1` for a non-empty part: a second occurrence after the first one, not inside
    a copyright line (a site's name stands in its header and in "© 2021 Site. All rights reserved.": it
    is the page's publisher there, not its repeated headline)."""
    first = text.find(part)
    if first < 0:
        return False
    at = text.find(part, first + len(part))
    while at >= 0:
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        if not _COPYRIGHT_LINE.search(text[start : end if end >= 0 else len(text)]):
            return True
        at = text.find(part, at + len(part))
    return False


_COPYRIGHT_LINE = re.compile(r"©|\(c\)|copyright|all rights reserved", re.IGNORECASE)


# Reasons of rules that read the line itself or its block (its words, a "read more" link after it, its
# topic or language against the article's), not the model's score: on HTML they hold on the lines
# trafilatura keeps too (`chrome_lines`).
RULE_REASONS = frozenset({
    "read-more link", "link to another story", "another language than the article",
    "off the article's topic (other stories)", "comment section", "share/print button", "comment box",
})  # fmt: skip


def chrome_lines(labels: Sequence[LineLabel], reasons: Collection[str] = RULE_REASONS) -> set[int]:
    """Indices of the lines dropped for one of `reasons` (by default any content rule's), and each teaser
    a read-more link follows."""
    out = set()
    for i, label in enumerate(labels):
        if label.reason in reasons:
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


def _body_lines(lines: list[str], labels: list[LineLabel]) -> set[str]:
    """A page's body lines, normalised."""
    return {normalize(line) for line, lab in zip(lines, labels, strict=True) if lab.kind == "body"}


def _site_boilerplate_lines(
    uniques: list[set[str]],
    bodies: list[set[str]],
    sites: Sequence[str],
    site_pages: Counter[tuple[str, str]],
    short: Callable[[str], bool],
    settings: LineSettings,
) -> set[str]:
    """Long lines on >= 2 pages of one site whose pages are not mostly copies (`_site_boilerplate`);
    `bodies`: each page's lines the classifier reads as body without context."""
    found: set[str] = set()
    copied: set[str] = set()
    not_story: set[str] = set()  # lines held by a page that is not a story captured twice
    for uniq, body, site in zip(uniques, bodies, sites, strict=True):
        longs = [u for u in uniq if not short(u)]
        shared = [u for u in longs if site_pages[(site, u)] >= 2]
        if shared:
            (copied if len(shared) >= settings.site_copy_share * len(longs) else found).update(shared)
            if sum(u in body for u in shared) < settings.site_copy_lines:
                not_story.update(shared)
    return (found - copied) & not_story


def _key_ids(keys: np.ndarray) -> np.ndarray:
    """A dense id per line key (equal keys, equal ids)."""
    return unique_inverse(keys)


def _distinct_units(kid: np.ndarray, seg: Segments, unit: np.ndarray, scope: np.ndarray) -> np.ndarray:
    """Per line, how many distinct units (`unit[p]` of each page p) hold a line of its id within its page's
    scope (`scope[p]`): content groups across the batch (scope 0 everywhere), or pages within a site."""
    n_units = int(unit.max()) + 1
    # A dense id per (line id, scope) pair: the distinct (pair, unit) triples are then counted per pair
    # by one bincount, with no search for each line's pair among them.
    pair = kid
    if scope.any():
        pair = unique_inverse(kid.astype(np.int64) * (int(scope.max()) + 1) + scope[seg.page])
    triples = sorted_unique(pair.astype(np.int64) * n_units + unit[seg.page])
    return np.bincount(triples // n_units, minlength=int(pair.max()) + 1)[pair]


def _content_groups(kid: np.ndarray, page: np.ndarray, long: np.ndarray, n_pages: int) -> np.ndarray:
    """A content id per page: pages sharing a long line (copies of one article) get the same id.

    Only which pages share an id matters (the ids' order does not): the sparse graph's components.
    """
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
    alone = clf.classify_many(pages_lines)  # each page without context: its body and its headline
    if sites is not None:
        bodies = [_body_lines(lines, labels) for lines, labels in zip(pages_lines, alone, strict=True)]
        site_template |= _site_boilerplate_lines(uniques, bodies, sites, site_pages, short, clf.settings)
    template |= site_template
    headlines = {normalize(line) for lines, labels in zip(pages_lines, alone, strict=True)
                 for line, lab in zip(lines, labels, strict=True) if lab.kind == "title"}  # fmt: skip
    return LineContext(
        frozenset(template), frozenset(headlines - template), len(pages_lines), frozenset(site_template)
    )
