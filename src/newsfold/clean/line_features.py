"""Per-line features of a plain-text page dump, computed for a whole page in a few vectorised passes.

Why vectorised: the cleaner must run at >= 10x jusText's pages/s, so nothing here loops in Python per
character, and the per-token passes are `map` over C-level methods. Stage 1 features describe a line and
its neighbourhood (length, punctuation, stopword density, title case, link-list shape, repetition,
position, topical fit with the page's prose); stage 2 features describe the stage-1 scores around a line
(the sequence smoothing step).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

__all__ = ["STAGE1_NAMES", "STAGE2_NAMES", "LineStats", "line_stats", "stage1_features", "stage2_features"]

# Characters stripped from token edges before stopword look-up.
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?¡¿…-–—*•·|/\\#@&%$€£+=_~^`"
_END_SENTENCE = frozenset(".!?。！？…")
_END_QUOTE = frozenset("\"”’»'")
_BULLETS = frozenset("-–—•·*»›>|▪►●◦+")
_SEPARATORS = ("|", "»", "›", " > ", " / ", "•", "·")

STAGE1_NAMES: tuple[str, ...] = (
    "log_chars", "log_words", "end_sentence", "end_quote", "end_colon", "end_other", "stop_ratio",
    "log_stops", "title_ratio", "alpha_ratio", "numeric_ratio", "mean_word_len", "log_sentences",
    "comma_rate", "separators", "bullet_start", "boiler_ratio", "log_repeats", "rel_pos", "first_upper",
    "has_url", "bracketed", "topic_fit", "prose",
    "prev1_chars", "prev1_end", "prev1_stop", "next1_chars", "next1_end", "next1_stop",
    "prev2_chars", "prev2_end", "next2_chars", "next2_end",
    "prose_w5", "prose_w11", "prose_w25", "chars_w5", "chars_w11",
    "prose_before", "prose_after", "log_dist_prose", "log_dist_core", "short_run", "page_log_lines",
    "page_prose_share",
)  # fmt: skip

STAGE2_NAMES: tuple[str, ...] = (
    "s1", "s1_prev1", "s1_next1", "s1_prev2", "s1_next2", "s1_prev3", "s1_next3",
    "s1_mean5", "s1_mean11", "s1_max_before3", "s1_max_after3", "s1_rel_max", "s1_body_before",
    "s1_body_after", "s1_inside_span", "log_chars", "end_sentence", "short_run", "log_repeats",
)  # fmt: skip


@dataclass(frozen=True)
class LineStats:
    """Raw per-line measurements shared by the model features and the reason/caption rules."""

    n_chars: np.ndarray
    n_words: np.ndarray
    n_stops: np.ndarray
    end_sentence: np.ndarray
    end_quote: np.ndarray
    prose: np.ndarray
    repeats: np.ndarray
    short_run: np.ndarray


def _reduce(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per-line sums of a per-token array (every line has >= 1 token)."""
    if values.size == 0:
        return np.zeros(starts.size)
    return np.add.reduceat(values.astype(np.float64), starts)


def _shift(a: np.ndarray, k: int, fill: float) -> np.ndarray:
    """a moved k places (k > 0: the value k lines before), padded with fill."""
    out = np.full_like(a, fill, dtype=np.float64)
    if k > 0:
        out[k:] = a[:-k] if k < a.size else out[k:]
    elif k < 0:
        out[:k] = a[-k:] if -k < a.size else out[:k]
    else:
        out[:] = a
    return out


def _window_mean(a: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average (edges averaged over the part inside the page)."""
    half = width // 2
    c = np.concatenate(([0.0], np.cumsum(a, dtype=np.float64)))
    idx = np.arange(a.size)
    lo = np.maximum(idx - half, 0)
    hi = np.minimum(idx + half + 1, a.size)
    return (c[hi] - c[lo]) / (hi - lo)


def _run_lengths(flag: np.ndarray) -> np.ndarray:
    """For each line, the length of the run of consecutive True flags it sits in (0 when False)."""
    if flag.size == 0:
        return np.zeros(0)
    f = flag.astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], f, [0]))))
    out = np.zeros(flag.size)
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        out[start:end] = end - start
    return out


def _distance_to(flag: np.ndarray) -> np.ndarray:
    """Lines from each line to the nearest flagged line (page length when none is flagged)."""
    n = flag.size
    pos = np.flatnonzero(flag)
    if pos.size == 0:
        return np.full(n, float(n))
    idx = np.arange(n)
    j = np.clip(np.searchsorted(pos, idx), 1, pos.size) - 1
    d1 = np.abs(idx - pos[j])
    d2 = np.abs(pos[np.minimum(j + 1, pos.size - 1)] - idx)
    return np.minimum(d1, d2).astype(np.float64)


def line_stats_and_features(
    lines: list[str], stopwords: frozenset[str], boilerplate: frozenset[str]
) -> tuple[LineStats, np.ndarray]:
    """Stage-1 feature matrix (n_lines x len(STAGE1_NAMES)) of stripped, non-empty lines, and raw stats."""
    n = len(lines)
    f64 = np.float64
    n_chars = np.fromiter(map(len, lines), f64, n)
    tokens = [line.split() for line in lines]
    n_words = np.fromiter(map(len, tokens), np.int64, n)
    starts = np.concatenate(([0], np.cumsum(n_words)[:-1]))
    flat = list(chain.from_iterable(tokens))
    m = len(flat)
    title = np.fromiter(map(str.istitle, flat), bool, m)
    bare = list(map(str.lower, map(str.strip, flat, repeat(_EDGE_PUNCT))))
    stop = np.fromiter(map(stopwords.__contains__, bare), bool, m)
    boiler = np.fromiter(map(boilerplate.__contains__, bare), bool, m)
    alpha = np.fromiter(map(str.isalpha, bare), bool, m)
    numeric = np.fromiter(map(str.isdigit, bare), bool, m)
    wlen = np.fromiter(map(len, bare), f64, m)

    words = n_words.astype(f64)
    n_stops = _reduce(stop, starts)
    last = [line[-1] for line in lines]
    first = [line[0] for line in lines]
    end_sentence = np.fromiter(map(_END_SENTENCE.__contains__, last), bool, n)
    end_quote = np.fromiter(map(_END_QUOTE.__contains__, last), bool, n)
    end_colon = np.fromiter((c == ":" for c in last), bool, n)
    end_other = ~(end_sentence | end_quote | end_colon) & ~np.fromiter(map(str.isalnum, last), bool, n)
    counts = Counter(map(str.lower, lines))
    repeats = np.fromiter((counts[s.lower()] for s in lines), f64, n)
    separators = np.zeros(n)
    for sep in _SEPARATORS:
        separators += np.fromiter(map(str.count, lines, repeat(sep)), f64, n)
    sentences = np.zeros(n)
    for sep in (". ", "? ", "! ", "。", "！", "？"):
        sentences += np.fromiter(map(str.count, lines, repeat(sep)), f64, n)
    commas = np.fromiter(map(str.count, lines, repeat(",")), f64, n)
    commas += np.fromiter(map(str.count, lines, repeat("，")), f64, n)
    has_url = np.fromiter((("http" in s) or ("www." in s) or ("@" in s) for s in lines), bool, n)
    bracketed = np.fromiter((f in "([" or la in ")]" for f, la in zip(first, last, strict=True)), bool, n)

    # Prose: a sentence-like block (long and ending like a sentence); the article is the page's densest prose.
    prose = (end_sentence | end_quote) & (n_chars >= 60)
    # Topical fit: share of a line's content words that also occur in the page's other prose lines.
    content = alpha & ~stop & (wlen >= 4)
    ids = np.unique(np.fromiter(map(hash, bare), np.int64, m), return_inverse=True)[1] if m else np.zeros(0, int)
    tok_line = np.repeat(np.arange(n), n_words)
    tok_prose = prose[tok_line] & content
    in_prose = np.bincount(ids[tok_prose], minlength=int(ids.max(initial=0)) + 1) if m else np.zeros(1)
    fits = content & (in_prose[ids] - tok_prose > 0) if m else np.zeros(0, bool)
    n_content = _reduce(content, starts)
    topic_fit = np.where(n_content > 0, _reduce(fits, starts) / np.maximum(n_content, 1), -1.0)

    log_chars = np.log1p(n_chars)
    stop_ratio = n_stops / words
    endf = (end_sentence | end_quote).astype(f64)
    short = (n_words <= 12) & ~end_sentence
    short_run = _run_lengths(short)
    prose_f = prose.astype(f64)
    prose_chars = n_chars * prose_f
    total_prose = prose_chars.sum()
    cum = np.cumsum(prose_chars)
    before = (cum - prose_chars) / total_prose if total_prose else np.zeros(n)
    after = (total_prose - cum) / total_prose if total_prose else np.zeros(n)
    dense = _window_mean(prose_chars, 11)
    core = np.zeros(n, bool)
    if n:
        core[int(np.argmax(dense))] = True
    idx = np.arange(n, dtype=f64)
    cols = [
        log_chars, np.log1p(words), end_sentence, end_quote, end_colon, end_other, stop_ratio,
        np.log1p(n_stops), _reduce(title, starts) / words, _reduce(alpha, starts) / words,
        _reduce(numeric, starts) / words, _reduce(wlen, starts) / words, np.log1p(sentences),
        commas / words, separators, np.fromiter(map(_BULLETS.__contains__, first), bool, n),
        _reduce(boiler, starts) / words, np.log(np.maximum(repeats, 1)), idx / max(n - 1, 1),
        np.fromiter(map(str.isupper, first), bool, n), has_url, bracketed, topic_fit, prose_f,
        _shift(log_chars, 1, 0), _shift(endf, 1, 0), _shift(stop_ratio, 1, 0),
        _shift(log_chars, -1, 0), _shift(endf, -1, 0), _shift(stop_ratio, -1, 0),
        _shift(log_chars, 2, 0), _shift(endf, 2, 0), _shift(log_chars, -2, 0), _shift(endf, -2, 0),
        _window_mean(prose_f, 5), _window_mean(prose_f, 11), _window_mean(prose_f, 25),
        _window_mean(log_chars, 5), _window_mean(log_chars, 11),
        before, after, np.log1p(_distance_to(prose)), np.log1p(_distance_to(core)), short_run,
        np.full(n, np.log1p(n)), np.full(n, prose_f.mean() if n else 0.0),
    ]  # fmt: skip
    stats = LineStats(n_chars, words, n_stops, end_sentence, end_quote, prose, repeats, short_run)
    return stats, np.column_stack([np.asarray(c, dtype=f64) for c in cols]) if n else np.zeros((0, 46))


def stage2_features(s1: np.ndarray, x1: np.ndarray) -> np.ndarray:
    """Stage-2 matrix: stage-1 body probabilities around each line, plus a few stage-1 features."""
    n = s1.size
    if n == 0:
        return np.zeros((0, len(STAGE2_NAMES)))
    hit = s1 >= 0.5
    cum = np.cumsum(hit)
    body_before = (cum - hit) / max(cum[-1], 1)
    body_after = (cum[-1] - cum) / max(cum[-1], 1)
    pos = np.flatnonzero(hit)
    idx = np.arange(n)
    inside = (idx >= pos[0]) & (idx <= pos[-1]) if pos.size else np.zeros(n, bool)
    padded = np.concatenate((np.zeros(3), s1, np.zeros(3)))
    max_before = np.maximum.reduce([padded[2 : n + 2], padded[1 : n + 1], padded[0:n]])
    max_after = np.maximum.reduce([padded[4 : n + 4], padded[5 : n + 5], padded[6 : n + 6]])
    name = STAGE1_NAMES.index
    cols = [
        s1, _shift(s1, 1, 0), _shift(s1, -1, 0), _shift(s1, 2, 0), _shift(s1, -2, 0), _shift(s1, 3, 0),
        _shift(s1, -3, 0), _window_mean(s1, 5), _window_mean(s1, 11), max_before, max_after,
        s1 / max(s1.max(), 1e-9), body_before, body_after, inside, x1[:, name("log_chars")],
        x1[:, name("end_sentence")], x1[:, name("short_run")], x1[:, name("log_repeats")],
    ]  # fmt: skip
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols])


line_stats = line_stats_and_features
stage1_features = line_stats_and_features
