"""Document-level evidence on top of the line model: does a line belong to *this* article?

The line model judges a line by its shape and its neighbourhood, so a block of other stories' headlines
inside the body, an aggregator's note in another language under an excerpt, or an excerpt's first line
cut mid-sentence can be misjudged: they look like their neighbours. What tells them apart is the article
itself: its core (the long prose body lines) fixes its topic and its language.

- Topical fit: a run of short body lines whose content words the core never uses is another story's
  promo (a section name, its blurb, other headlines), not part of this one.
- Language fit: a line whose stopwords are all of another language than the body's is not body, unless
  it shares the core's words (a quotation, or a page in a language the stopword lists lack).
- Cut excerpt start: a long prose line just before the body, cut without final punctuation, that shares
  the core's words is the excerpt's first paragraph.
- Closing paragraph: a prose line just after the body that shares the core's words is its last paragraph.
- Comment threads: a chain of short date/time lines (each comment's header) after the article starts the
  comments; body lines from there on are readers', not the article's.
- Main text: stretches of body lines far weaker than the page's heaviest stretch (maximum subarray of the
  stage-2 scores) are list pages' items or sidebars.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from newsfold.clean.line_features import PageArrays, word_hashes
from newsfold.clean.metadata import STOPWORDS
from newsfold.settings import LineSettings

__all__ = [
    "closing_paragraphs",
    "comment_sections",
    "cut_excerpt_starts",
    "fit_counts",
    "language_misfits",
    "off_topic_runs",
    "outside_main_text",
    "sentence_continuations",
    "stamps_day_and_time",
]


@cache
def _language_hashes() -> tuple[np.ndarray, ...]:
    """Each language's stopwords as sorted word hashes (matched against the page's hashed words)."""
    return tuple(word_hashes(words) for words in STOPWORDS.values())


_SLOT_BITS = 16  # direct-address table of the stopwords' hashes (a few hundred words)


@cache
def _language_table() -> tuple[np.ndarray, np.ndarray]:
    """Slot -> stopword hash and one bit per language that has it.

    Why: one table look-up per word replaces an `np.isin` per language; it gives the same membership
    only while no two different stopword hashes share a slot (true of the shipped lists: building the
    table tests it).
    """
    langs = _language_hashes()
    keys = np.zeros(1 << _SLOT_BITS, np.uint32)
    bits = np.zeros(1 << _SLOT_BITS, np.uint16)
    for k, hashes in enumerate(langs):
        for h in hashes.tolist():
            slot = h & ((1 << _SLOT_BITS) - 1)
            if bits[slot] and keys[slot] != h:
                raise ValueError(f"line_fit: two stopwords' hashes share slot {slot}: raise _SLOT_BITS")
            keys[slot] = h
            bits[slot] |= 1 << k
    keys.setflags(write=False)
    bits.setflags(write=False)
    return keys, bits


def _language_counts(hashes: np.ndarray, lines_of: np.ndarray, n: int) -> np.ndarray:
    """counts[k, j]: words of language k's stopwords among the words (their hashes) of line j."""
    keys, bits = _language_table()
    slot = hashes & np.uint32((1 << _SLOT_BITS) - 1)
    found = bits.take(slot)
    hit = np.flatnonzero(found)
    hit = hit[keys.take(slot[hit]) == hashes[hit]]
    found, lines_hit = found[hit], lines_of[hit]
    languages = range(len(_language_hashes()))
    return np.stack([np.bincount(lines_hit[(found & (1 << k)) != 0], minlength=n) for k in languages])


def fit_counts(pa: PageArrays, core: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per line of `rows` (line indices): how many of its content words occur in its page's other core
    lines, and how many it has."""
    return pa.content_words.fit_counts(core, rows), pa.content_words.per_line[rows]


def language_misfits(pa: PageArrays, body: np.ndarray, settings: LineSettings) -> np.ndarray:
    """Body lines whose stopwords are of another language than the page's body (none of its own) and that
    do not share the article's topic.

    Why the topic: an English statement quoted on a German page names the story's people and places, an
    aggregator's note or a video player's notice in another language shares none of its words; and on a
    page in a language the stopword lists lack (Polish, Turkish, Danish), the "page's language" is noise
    and its own sentences are kept by their words. The bar is the off-topic rule's (`off_topic_max_fit`).
    """
    n = len(pa.lines)
    if not body.any():
        return np.zeros(n, bool)
    # Counted over the body lines alone (a tenth of the batch's lines), each by its row among them.
    rows = np.flatnonzero(body)
    in_body = body[pa.word_line]
    row_of = np.cumsum(body) - 1
    # counts[k, r]: stopwords of language k in body line r.
    counts = _language_counts(pa.word_hash[in_body], row_of[pa.word_line[in_body]], rows.size)
    page_of = pa.seg.page[rows]
    firsts = np.flatnonzero(np.diff(page_of, prepend=-1))  # each page's first body row
    page_lang = np.argmax(np.add.reduceat(counts, firsts, axis=1), axis=0)
    lang = np.repeat(page_lang, np.diff(np.append(firsts, rows.size)))  # each body row's page language
    own = counts[lang, np.arange(rows.size)]
    others = np.max(np.where(np.arange(len(counts))[:, None] == lang, 0, counts), axis=0)
    misfits = np.zeros(n, bool)
    misfits[rows] = (
        (pa.n_words[rows] >= settings.language_min_words)
        & (own == 0)
        & (others >= settings.language_min_stops)
    )
    at = np.flatnonzero(misfits)
    if at.size:
        fits, contents = fit_counts(pa, _core(pa, body, settings), at)
        misfits[at] = fits <= settings.off_topic_max_fit * contents
    return misfits


def _core(pa: PageArrays, body: np.ndarray, settings: LineSettings) -> np.ndarray:
    """The article's core: its body lines of prose longer than `off_topic_short_words` tokens."""
    return body & (pa.n_tokens > settings.off_topic_short_words) & pa.prose


def off_topic_runs(pa: PageArrays, body: np.ndarray, settings: LineSettings) -> np.ndarray:
    """Runs of short body lines that share (almost) no content word with the article's core.

    A run inside the body needs >= 2 lines (a lone short line there may be a subheading); a run after
    the last long body line may be a single line. Most of a run's lines must be headline-shaped (no final
    punctuation): the story's own short sentences are not promos. The run's words are pooled: one line is
    too little evidence, a block of unrelated headlines is not.
    """
    out = np.zeros(len(pa.lines), bool)
    short = body & (pa.n_tokens <= settings.off_topic_short_words)
    core = _core(pa, body, settings)
    if not short.any() or not core.any():
        return out
    ended = pa.end_sentence | (pa.column("end_quote") > 0)
    colon = pa.column("end_colon") > 0
    seg = pa.seg
    # The runs: consecutive short body lines of one page (`js[starts[r]:starts[r + 1]]` is run r).
    js = np.flatnonzero(short)
    new_run = np.ones(js.size, bool)
    new_run[1:] = (js[1:] != js[:-1] + 1) | (seg.page[js[1:]] != seg.page[js[:-1]])
    starts = np.flatnonzero(new_run)
    sizes = np.diff(np.append(starts, js.size))
    first, last = js[starts], js[starts + sizes - 1]
    core_before = seg.cum_before(core)
    after = seg.page_sum(core)[last] - core_before[last] - core[last] > 0  # core text after the run
    fits, contents = fit_counts(pa, core, js)
    content = np.add.reduceat(contents, starts)
    colons = np.concatenate(([0], np.cumsum(colon)))
    off_topic = (
        (core_before[first] > 0)
        & (~after | (sizes >= 2))
        # Mostly headline-shaped (no final punctuation): short sentences of the story's own are not.
        & (2 * np.add.reduceat((~ended[js]).astype(np.intp), starts) > sizes)
        # A run introduced by a colon ("... said:", a quotation, a list) belongs to the text.
        & (colons[last] - colons[np.maximum(first - 1, 0)] == 0)
        & (content >= settings.off_topic_min_words)
        & (np.add.reduceat(fits, starts) <= settings.off_topic_max_fit * content)
    )
    out[js[np.repeat(off_topic, sizes)]] = True
    return out


def cut_excerpt_starts(
    pa: PageArrays, body: np.ndarray, scores: np.ndarray, settings: LineSettings
) -> np.ndarray:
    """The long line just before each page's first body line, when it is prose cut mid-sentence on topic."""
    out = np.zeros(len(pa.lines), bool)
    seg = pa.seg
    n = len(pa.lines)
    first = np.minimum.reduceat(np.where(body, seg.idx, n), seg.firsts)
    j = first - 1
    ok = (first < n) & (j >= seg.firsts)
    j = j[ok]
    if not j.size:
        return out
    cand = (
        (pa.n_tokens[j] >= settings.excerpt_min_words)
        # Cut mid-sentence: no final punctuation, quote, colon or bracket (a caption's credit ends in one).
        & ~pa.end_sentence[j]
        & ~pa.end_bracket[j]
        & (pa.column("end_quote")[j] == 0)
        & (pa.column("end_colon")[j] == 0)
    )
    # (most batches: no page's line before the body is cut prose, and the fit is not counted)
    out[_on_topic_prose(pa, body, scores, j[cand], settings, settings.excerpt_min_fit)] = True
    return out


def _on_topic_prose(
    pa: PageArrays,
    body: np.ndarray,
    scores: np.ndarray,
    j: np.ndarray,
    settings: LineSettings,
    min_fit: float,
) -> np.ndarray:
    """The lines `j` that read as the article's prose (stopwords, no share words or separators, the
    model's score) with more than `min_fit` of their content words in the body's prose."""
    j = j[
        (pa.column("stop_ratio")[j] >= settings.excerpt_min_stop_ratio)
        & (pa.share_words[j] == 0)
        & (pa.separators[j] == 0)
        & (scores[j] >= settings.excerpt_min_score)
    ]
    if not j.size:
        return j
    fits, contents = fit_counts(pa, body & pa.prose, j)
    return j[fits >= min_fit * np.maximum(contents, 1)]


def closing_paragraphs(
    pa: PageArrays, body: np.ndarray, scores: np.ndarray, settings: LineSettings
) -> np.ndarray:
    """The line just after each page's last body line, when it is prose on the article's topic (more than
    `off_topic_max_fit` of its content words in the body's prose, the off-topic rule's bar)."""
    out = np.zeros(len(pa.lines), bool)
    seg = pa.seg
    last = np.maximum.reduceat(np.where(body, seg.idx, -1), seg.firsts)
    j = last + 1
    ok = (last >= 0) & (j < np.append(seg.firsts[1:], len(pa.lines)))
    j = j[ok]
    if not j.size:
        return out
    out[_on_topic_prose(pa, body, scores, j[pa.prose[j]], settings, settings.off_topic_max_fit)] = True
    return out


def outside_main_text(
    pa: PageArrays, body: np.ndarray, scores: np.ndarray, settings: LineSettings
) -> np.ndarray:
    """Body lines in runs far weaker than the page's main text (comment threads, lists of other stories).

    Each line weighs (score - threshold) x its words; the heaviest contiguous stretch of a page (maximum
    subarray, so a short weak gap inside the article costs less than the text it joins) is the main text.
    Every other stretch of body lines is kept only when it weighs >= main_text_min_share of it.
    """
    weight = (scores - 0.5) * pa.n_tokens
    seg = pa.seg
    out = np.zeros(len(pa.lines), bool)
    main = np.zeros(len(pa.lines), bool)
    weak: list[np.ndarray] = []  # the weak stretches' lines (batch indices)
    for p0, p1 in zip(seg.firsts.tolist(), np.append(seg.firsts[1:], len(pa.lines)).tolist(), strict=True):
        hits = np.flatnonzero(body[p0:p1])
        if hits.size < 2:
            continue
        w = weight[p0:p1]
        c = np.concatenate(([0.0], np.cumsum(w)))
        low_at = np.minimum.accumulate(c)
        gain = c[1:] - low_at[:-1]
        end = int(np.argmax(gain))
        best = float(gain[end])
        start = int(np.flatnonzero(c[: end + 1] == low_at[end])[-1])
        if best <= 0:
            continue
        # Stretches of consecutive body lines outside [start, end]: each weighed on its own.
        outside = hits[(hits < start) | (hits > end)]
        if not outside.size:
            continue
        main[p0 + hits[(hits >= start) & (hits <= end)]] = True
        breaks = np.flatnonzero(np.diff(outside) > settings.main_text_gap) + 1
        for run in np.split(outside, breaks):
            lo, hi = int(run[0]), int(run[-1])
            if c[hi + 1] - c[lo] < settings.main_text_min_share * best:
                weak.append(p0 + run)
    if not weak:
        return out
    # A weak stretch whose words the main text uses is the article resumed after an inserted block
    # (other headlines, a video): it stays.
    fits, contents = fit_counts(pa, main, np.concatenate(weak))
    cuts = np.cumsum([run.size for run in weak])[:-1]
    for run, run_fits, run_contents in zip(weak, np.split(fits, cuts), np.split(contents, cuts), strict=True):
        content = run_contents.sum()
        if content == 0 or run_fits.sum() < settings.main_text_resume_fit * content:
            out[run] = True
    return out


def comment_sections(
    pa: PageArrays, body: np.ndarray, dates: np.ndarray, settings: LineSettings
) -> np.ndarray:
    """Body lines in a comment thread after the article: from the first of a chain of short date/time lines
    (each comment's "name, date at time" header), >= comment_min_headers of them, each within
    comment_max_gap lines of the next, that starts after the article's first long body line."""
    out = np.zeros(len(pa.lines), bool)
    seg = pa.seg
    core = body & pa.prose
    # An embedded post's attribution ("— Name (@handle) November 18, 2019") is part of the article.
    dates = dates & (pa.column("has_at") == 0)
    dates = dates & stamps_day_and_time(pa.lines, dates)
    # Only pages with enough headers are read (few pages show a date line at all).
    n_heads = np.bincount(seg.page[dates], minlength=seg.firsts.size)
    for p in np.flatnonzero(n_heads >= settings.comment_min_headers).tolist():
        p0, p1 = int(seg.firsts[p]), int(seg.pend[seg.firsts[p]])
        heads = np.flatnonzero(dates[p0:p1]) + p0
        cores = np.flatnonzero(core[p0:p1]) + p0
        if not cores.size:
            continue
        heads = heads[heads > cores[0]]
        if heads.size < settings.comment_min_headers:
            continue
        # Chains of headers: a gap longer than comment_max_gap breaks the chain.
        breaks = np.flatnonzero(np.diff(heads) > settings.comment_max_gap) + 1
        for chain in np.split(heads, breaks):
            if chain.size >= settings.comment_min_headers:
                out[int(chain[0]) : p1] = True
                break
    return out & body


# A comment's header stamps the day *and* the time it was posted ("August 8, 2018 at 7:07 pm", "28. April
# 2024 um 10:17 Uhr", "2 days ago at 07:52 am"). A time alone is a live blog's entry ("20:42") or a video's
# length ("01:43 min"), a day alone an embedded teaser's ("Analyse 11.04.2022"): both stand inside articles.
# Fundus text dumps, 5-fold CV by publisher: the rule dropped the article's second half on 5 such pages.
_TIME_OF_DAY = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_DAY = re.compile(
    r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)|\d{1,2}[./-]\d{1,2}[./-]\d{2}|\bdays? ago\b", re.IGNORECASE
)


def stamps_day_and_time(lines: list[str], scope: np.ndarray) -> np.ndarray:
    """Lines (among those in scope) that hold a day (a year, a numeric date, "days ago") and a time."""
    out = np.zeros(len(lines), bool)
    for j in np.flatnonzero(scope).tolist():
        line = lines[j]
        timed = _TIME_OF_DAY.search(line) is not None
        out[j] = timed and _DAY.search(_TIME_OF_DAY.sub(" ", line)) is not None
    return out


def sentence_continuations(pa: PageArrays, body: np.ndarray, open_lines: np.ndarray) -> np.ndarray:
    """Dropped sentences that stand in the article's own run of text, to be kept as body.

    A news text's short or weak sentences (a one-line quote, the closing line, the lead above a strong
    paragraph) can score below the bar, and so can a sentence other pages of the batch also print (copies
    and reports of one event share them). Where such a sentence sits decides: chrome comes in blocks of
    its own shape (headlines, links, buttons, dates) between or after the article's paragraphs; the
    article's own sentences continue its run. So a line in `open_lines` (dropped by the model or by the
    batch's evidence, not by a rule that read its content) that is a sentence is kept when
      - it lies in a gap between two body lines made only of such sentences,
      - it lies after the last body line and every line from there to the page's end is such a sentence,
      - or it lies just above the first body line, with only such sentences between it and the body.
    The head stops at the first other line (a title, a date, a URL): the page's header stays out.
    """
    seg = pa.seg
    n = body.size
    # A sentence: it ends as sentences do and has two tokens or more ("Trust me." is one, "Home." is not).
    ends = pa.end_sentence | pa.column("end_quote").astype(bool)
    sentence = open_lines & ~body & ends & (pa.n_tokens >= 2) & (pa.n_words >= 1)
    first = np.minimum.reduceat(np.where(body, seg.idx, n), seg.firsts)[seg.page]
    last = np.maximum.reduceat(np.where(body, seg.idx, -1), seg.firsts)[seg.page]
    has_body = last >= 0
    # Gaps: each run of non-body lines inside a page's body span must be sentences throughout.
    inside = has_body & ~body & (seg.idx > first) & (seg.idx < last)
    run_start = inside & ~(seg.shift(inside.astype(np.float64), 1) > 0)
    run_id = np.cumsum(run_start) - 1
    blocked = np.bincount(run_id[inside & ~sentence], minlength=int(run_start.sum()) + 1)
    keep = inside & (blocked[np.maximum(run_id, 0)] == 0)
    # Tail: every line after the last body line is a sentence.
    after = has_body & (seg.idx > last)
    tail_blocked = seg.page_sum(after & ~sentence) > 0
    keep |= after & ~tail_blocked
    # Head: the sentences between the first body line and the nearest other line above it.
    before = has_body & (seg.idx < first)
    stop = np.maximum.reduceat(np.where(before & ~sentence, seg.idx, -1), seg.firsts)[seg.page]
    keep |= before & (seg.idx > stop)
    return keep & sentence
