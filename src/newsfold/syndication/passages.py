"""Sentences of a cleaned body, normalised, with the weight each carries as evidence.

Only substantive passages weigh anything: sentence-shaped (ending in . ! ? or a cut "...", optionally
closed by a quote or bracket) and at least `SyndicationSettings.min_substantive_tokens` words long. What a
cleaner lets through at a page's edges (a headline, a section name, "Read more", a teaser cut mid-word,
a URL) is rarely both, so it never decides a relation; it is still aligned, and shown to nobody.

`page_text` splits a page once for every use (body passages, the keys of its removed lines, its lead,
its headline); a run shares a `LineCache`, so that a line printed by many pages (a copy's paragraph, a
site's chrome) is split and normalised once. The sentences are the project's one splitter's
(`newsfold.sentence_split`, the story's too); their keys are made by a compiled kernel where it is built
(`_split.pyx`), whose spec `_split_plain` runs where it is not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from newsfold._native import compiled_kernel
from newsfold.models import Article, RemovedLines
from newsfold.sentence_split import CLOSERS, split_lines, split_lines_plain

__all__ = [
    "Body",
    "LeadSentence",
    "PageText",
    "Passage",
    "differing_headlines",
    "normalised_tokens",
    "page_lead",
    "page_lines",
    "page_text",
    "passages_of",
    "retitled",
]

_TOKEN = re.compile(r"\w+")
# `_split`'s kernel (`_split.pyx`); None where it is not built (then `_split_plain` runs).
_compiled_rows = compiled_kernel("newsfold.syndication._split", "rows")
# What separates tokens once a batch of sentences is joined by newlines (one normalisation per page): each
# run of [^\w\n]+ is replaced by one space. Written to leave alone the runs that are one space already
# (most of them; each match costs the substitution a call): the same text out, the substitution over
# fold-corpus-2400's sentences 0.20 -> 0.13 s of CPU. Test: equal to the plain pattern's.
_BETWEEN_TOKENS = re.compile(r"[^\w\n ][^\w\n]*| [^\w\n]+")
_TERMINALS = (".", "!", "?", "\u2026")


def normalised_tokens(text: str) -> tuple[str, ...]:
    """Case-folded word tokens after NFKC.

    Typography a republisher's CMS swaps (curly quotes, dashes, no-break spaces) is never part of a
    token, so it never separates a copy from its origin.
    """
    return tuple(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def differing_headlines(x: str, y: str, min_tokens: int, retitles: bool = False) -> bool:
    """Whether two normalised titles are both headlines (at least `min_tokens` words, not a URL) and
    differ. A cleaner often takes a byline, the site's name or a URL line for a page's title; only two
    real headlines that differ say two pages tell different stories; with `retitles`, not one that holds
    the other whole (`retitled`)."""

    def headline(title: str) -> bool:
        words = title.split()
        return len(words) >= min_tokens and words[0] not in ("http", "https", "www")

    return x != y and headline(x) and headline(y) and not (retitles and retitled(x, y, min_tokens))


def retitled(x: str, y: str, min_tokens: int) -> bool:
    """Whether one normalised title holds the other whole (at least `min_tokens` words): one story's
    headline retitled the way republishers do it, a kicker put before it ("update: ...") or a part cut
    off at its colon or dash, not another story's."""
    short, long = sorted((x, y), key=len)
    return x != y and len(short.split()) >= min_tokens and f" {short} " in f" {long} "


def _closed(text: str) -> bool:
    """Sentence-shaped: closed by terminal punctuation (or the "..." of a cut), then maybe quotes or
    brackets."""
    return text.rstrip(CLOSERS).endswith(_TERMINALS)


class Passage(NamedTuple):
    """One sentence of a body: its paragraph, its text as printed, its key (the normalised tokens joined by
    single spaces), how many tokens, and whether it is sentence-shaped. A named tuple: a page's passages
    are built for every article of a run, and a tuple is built several times faster than a dataclass."""

    paragraph: int
    text: str
    key: str
    words: int
    closed: bool

    @property
    def tokens(self) -> tuple[str, ...]:
        """The normalised tokens."""
        return tuple(self.key.split(" "))

    def substantive(self, min_tokens: int) -> bool:
        """Sentence-shaped and long enough to count as evidence."""
        return self.closed and self.words >= min_tokens


_Row = tuple[int, str, str, int, bool]  # a Passage's fields: line, text, key, words, closed
_Sentence = tuple[str, str, int, bool]  # the same without the line


def _split(lines: Iterable[str]) -> list[_Row]:
    """The sentences of each line (with the line's index), empty ones dropped: `_split_plain`, compiled
    where the kernels are built (`_sentence_split.pyx`, `_split.pyx`: ~0.16 -> ~0.05 s for
    fold-corpus-2400's distinct lines)."""
    lines = list(lines)
    if _compiled_rows is None:
        return _split_plain(lines)
    texts, line_of = split_lines(lines)
    if not texts:
        return []
    # NFKC sentence by sentence, as joining them changes nothing: on a text holding one character to
    # normalise (a no-break space, an ellipsis), `unicodedata.normalize` rewrites all of it, where here
    # only the sentences holding one are (fold-corpus-2400's distinct lines: 0.03 -> 0.01 s).
    normalize = unicodedata.normalize
    joined = "\n".join([t if t.isascii() else normalize("NFKC", t) for t in texts])
    if joined.count("\n") != len(texts) - 1:  # a line holding a newline: the plain version's case
        return _split_plain(lines)
    return _compiled_rows(texts, line_of, joined.casefold())  # type: ignore[no-any-return]


def _split_plain(lines: Iterable[str]) -> list[_Row]:
    """The sentences of each line (with the line's index), empty ones dropped (`_split`'s spec).

    The sentences of all lines are normalised as one text (NFKC, case folding and tokens in one pass
    each, newlines between sentences): per sentence, those calls were most of copy detection's time.
    Joining changes nothing: no character normalises or folds to a newline, and none composes across one.
    """
    texts, line_of = split_lines_plain(lines)
    if not texts:
        return []
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a line holding a newline: it separates tokens like a space
        joined = "\n".join(t.replace("\n", " ") for t in texts)
    if not joined.isascii():
        joined = unicodedata.normalize("NFKC", joined)
    keys = _BETWEEN_TOKENS.sub(" ", joined.casefold()).split("\n")
    out: list[_Row] = []
    for p, sentence, key in zip(line_of, texts, keys, strict=True):
        key = key.strip(" ")
        if key:
            text = sentence.strip()
            out.append((p, text, key, key.count(" ") + 1, _closed(text)))
    return out


def passages_of(article: Article) -> tuple[Passage, ...]:
    """The sentences of an article's body, with normalised tokens (empty sentences dropped)."""
    return tuple(Passage(*row) for row in _split(article.paragraphs))


def page_lines(article: Article) -> tuple[tuple[str, bool], ...]:
    """Every line of the article's page in page order, each with whether the cleaner kept it in the body:
    body, captions and the lines the cleaner removed.

    Without line numbers for every body paragraph (an Article built by hand), the body alone.
    """
    return tuple((text, kind == _BODY) for _, text, kind, _ in _numbered_lines(article))


_BODY, _CAPTION, _REMOVED = 0, 1, 2


def _numbered_lines(article: Article) -> list[tuple[int, str, int, int]]:
    """(line number, text, kind, index among that kind) of every line of the page in page order; without
    line numbers for every body paragraph, the body alone."""
    if len(article.body_lines) != len(article.paragraphs):
        return [(k, text, _BODY, k) for k, text in enumerate(article.paragraphs)]
    numbered = [
        *(
            (n, text, _BODY, k)
            for k, (n, text) in enumerate(zip(article.body_lines, article.paragraphs, strict=True))
        ),
        *(
            (n, text, _CAPTION, k)
            for k, (n, text) in enumerate(zip(article.caption_lines, article.captions, strict=False))
        ),
        *((r.line, r.text, _REMOVED, k) for k, r in enumerate(article.removed)),
    ]
    return sorted(numbered, key=lambda row: row[0])


@dataclass(frozen=True, slots=True)
class LeadSentence:
    """One of the first substantive sentences of a page, and whether the cleaner kept it in the body."""

    passage: Passage
    in_body: bool


@dataclass(frozen=True, slots=True)
class PageText:
    """An article's text split once for every use: its body's passages, the keys of the sentences of
    the lines its cleaner removed, the first `lead` substantive sentences of its whole page (removed
    lines too) and its normalised headline ("" when none)."""

    passages: tuple[Passage, ...]
    removed_keys: frozenset[str]
    lead: tuple[LeadSentence, ...]
    title: str


# One line split (`LineCache`): its sentences, their keys, the words of its longest closed sentence.
_Line = tuple[tuple[_Sentence, ...], tuple[str, ...], int]


class LineCache:
    """The sentences of each distinct line, split and normalised once per run.

    Copies print the same paragraphs and a site's chrome the same lines on every page: on
    bench/out/fold-corpus-2400, 37,317 body lines hold 12,093 distinct ones, and 55,626 removed lines
    4,018. Owned by one `find_origins` call (or a caller splitting many pages); emptied past `limit` lines
    so that memory stays bounded on any corpus.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.lines: dict[str, _Line] = {}

    def split(self, lines: Sequence[str]) -> list[_Line]:
        """Each line's sentences (text, key, words, closed), their keys, and the words of its longest
        sentence-shaped sentence (what a page's lead looks for)."""
        known = self.lines
        found = list(map(known.get, lines))
        if None not in found:  # a page whose every line is split already (a copy's, a site's chrome)
            return found  # type: ignore[return-value]
        missing = [line for line in dict.fromkeys(lines) if line not in known]
        if len(known) + len(missing) > self.limit:
            known.clear()
            missing = list(dict.fromkeys(lines))
        sentences: list[list[_Sentence]] = [[] for _ in missing]
        for split_row in _split(missing):
            sentences[split_row[0]].append(split_row[1:])  # type: ignore[arg-type]
        for line, row in zip(missing, sentences, strict=True):
            if len(row) == 1:  # most lines: one sentence
                _, key, words, closed = row[0]
                known[line] = (tuple(row), (key,), words if closed else 0)
            else:
                known[line] = (
                    tuple(row),
                    tuple([key for _, key, _, _ in row]),
                    max([words for _, _, words, closed in row if closed], default=0),
                )
        return [known[line] for line in lines]


def _removed_columns(article: Article) -> tuple[Sequence[int], Sequence[str]]:
    """The line numbers and texts of the lines the cleaner removed (read from the columns when the article
    has them: making a `RemovedLine` for each was ~9% of copy detection's time on fold-corpus-2400)."""
    removed = article.removed
    if isinstance(removed, RemovedLines):
        return removed.numbers, removed.texts
    return [r.line for r in removed], [r.text for r in removed]


def page_text(
    article: Article, min_tokens: int = 8, lead: int = 0, cache: LineCache | None = None
) -> PageText:
    """Split an article's page once: body passages, removed lines' keys, the page's first `lead`
    substantive sentences (whatever the cleaner kept: `page_lines`) and its headline. `cache`: the
    sentences of lines already split."""
    cache = cache if cache is not None else LineCache()
    numbered = len(article.body_lines) == len(article.paragraphs)
    captions = min(len(article.caption_lines), len(article.captions)) if numbered else 0
    removed_numbers, removed_lines = _removed_columns(article)
    body = len(article.paragraphs)
    split = cache.split([*article.paragraphs, *article.captions[:captions], *removed_lines])
    # tuple.__new__ is one C call a passage, where Passage(...) and Passage._make run Python code (making
    # the passages of fold-corpus-2400's pages: 0.048 -> 0.035 s).
    new = tuple.__new__
    passages = tuple(
        [
            new(Passage, (k, *sentence))
            for k, (sentences, _, _) in enumerate(split[:body])
            for sentence in sentences
        ]
    )
    removed = frozenset(chain.from_iterable([keys for _, keys, _ in split[body + captions :]]))
    leads: list[LeadSentence] = []
    if lead:
        # Page order (`page_lines`): by line number, ties body, caption, removed (a stable sort of the
        # lines' positions in `split`, which lists them so); only lines holding a lead sentence are read.
        if numbered:
            numbers = [*article.body_lines, *article.caption_lines[:captions], *removed_numbers]
            order: Sequence[int] = sorted(range(len(split)), key=numbers.__getitem__)
        else:
            order = range(body)
        for at, k in enumerate(order):
            sentences, _, longest = split[k]
            if longest < min_tokens:
                continue
            for text, key, words, closed in sentences:
                if closed and words >= min_tokens:
                    leads.append(LeadSentence(Passage(at, text, key, words, closed), k < body))
            if len(leads) >= lead:
                del leads[lead:]
                break
    title = " ".join(normalised_tokens(article.title or ""))
    return PageText(passages, removed, tuple(leads), title)


def page_lead(article: Article, min_tokens: int, count: int) -> tuple[LeadSentence, ...]:
    """The first `count` substantive sentences of the article's page, whatever the cleaner kept."""
    return page_text(article, min_tokens, count).lead


class Body:
    """An article's sentences ready to align: weights, verbatim lookup, and the keys of its removed lines.

    A passage weighs its word count when it is substantive and not boilerplate (a sentence in very many
    articles; `boilerplate` holds `hash(key)`s), unless the article is nothing but boilerplate (a
    mass-syndicated story: all weigh then).
    `page_keys` are the sentences of lines the cleaner removed from the same page: what a copy has in its
    body and this page has only among its removed lines is not something the copy added. `title` is the
    normalised headline ("" when none). `hashes` are each passage's `hash(key)`, `substantive` those of
    substantive passages (what the run's `SentenceIndex` holds for this article).
    """

    __slots__ = (
        "passages",
        "weights",
        "weight",
        "exact",
        "page_keys",
        "weighed_hashes",
        "title",
        "hashes",
        "substantive",
        "held",
    )

    def __init__(
        self,
        passages: Sequence[Passage],
        min_tokens: int = 8,
        boilerplate: frozenset[int] | set[int] = frozenset(),
        page_keys: frozenset[str] = frozenset(),
        title: str = "",
    ) -> None:
        self.passages = tuple(passages)
        self.title = title
        self.hashes = tuple(hash(p.key) for p in self.passages)
        substantive = [p.substantive(min_tokens) for p in self.passages]
        self.substantive = frozenset(h for h, s in zip(self.hashes, substantive, strict=True) if s)
        rows = list(zip(self.passages, self.hashes, substantive, strict=True))
        weights = [p.words if s and h not in boilerplate else 0 for p, h, s in rows]
        if not any(weights):
            weights = [p.words if s else 0 for p, _, s in rows]
        self.weights = tuple(weights)
        self.weight = sum(weights)
        self.exact: dict[str, int] = {}
        for j, q in enumerate(self.passages):
            self.exact.setdefault(q.key, j)
        self.page_keys = page_keys
        self.weighed_hashes = frozenset(h for h, w in zip(self.hashes, weights, strict=True) if w)
        # How many articles of the run print each passage (0: not substantive); set by find_origins.
        self.held: tuple[int, ...] = (0,) * len(self.passages)

    @classmethod
    def of(
        cls,
        article: Article,
        min_tokens: int = 8,
        boilerplate: frozenset[int] | set[int] = frozenset(),
    ) -> Body:
        """The body of an article, split into normalised sentences, with its page's removed lines."""
        return cls.of_text(page_text(article, min_tokens), min_tokens, boilerplate)

    @classmethod
    def of_text(
        cls, text: PageText, min_tokens: int = 8, boilerplate: frozenset[int] | set[int] = frozenset()
    ) -> Body:
        """The body of an article already split (`page_text`)."""
        return cls(text.passages, min_tokens, boilerplate, text.removed_keys, text.title)
