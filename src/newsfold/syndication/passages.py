"""Sentences of a cleaned body, normalised, with the weight each carries as evidence.

Only substantive passages weigh anything: sentence-shaped (ending in . ! ? or a cut "...", optionally
closed by a quote or bracket) and at least `SyndicationSettings.min_substantive_tokens` words long. What a
cleaner lets through at a page's edges (a headline, a section name, "Read more", a teaser cut mid-word,
a URL) is rarely both, so it never decides a relation; it is still aligned, and shown to nobody.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from newsfold.models import Article

__all__ = ["Body", "LeadSentence", "Passage", "normalised_tokens", "page_lead", "page_lines", "passages_of"]

# Typographic variants a republisher's CMS swaps freely; folded before any comparison.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_TOKEN = re.compile(r"\w+")
# A sentence ends at . ! or ? (optionally closed by a quote or bracket) before a space and a capital, digit
# or opening quote. Abbreviations ("Sept. 12") split wrongly, but identically on both sides of a copy.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])"
)
# Sentence-shaped: closed by terminal punctuation (or the "..." of a cut), then maybe quotes or brackets.
_CLOSED = re.compile(r"(?:[.!?\u2026]|\.\.\.)[\"'\u201d\u2019)\]]*$")


def normalised_tokens(text: str) -> tuple[str, ...]:
    """Case-folded word tokens after NFKC and typographic folding."""
    return tuple(_TOKEN.findall(unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()))


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence of a body: its paragraph, its text as printed, its normalised tokens and key."""

    paragraph: int
    text: str
    tokens: tuple[str, ...]
    key: str
    closed: bool

    def substantive(self, min_tokens: int) -> bool:
        """Sentence-shaped and long enough to count as evidence."""
        return self.closed and len(self.tokens) >= min_tokens


def _iter_sentences(paragraphs: Iterable[str]) -> Iterator[Passage]:
    for p, paragraph in enumerate(paragraphs):
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            tokens = normalised_tokens(sentence)
            if tokens:
                text = sentence.strip()
                yield Passage(p, text, tokens, " ".join(tokens), bool(_CLOSED.search(text)))


def _sentences(paragraphs: Iterable[str]) -> list[Passage]:
    return list(_iter_sentences(paragraphs))


def passages_of(article: Article) -> tuple[Passage, ...]:
    """The sentences of an article's body, with normalised tokens (empty sentences dropped)."""
    return tuple(_sentences(article.paragraphs))


def page_lines(article: Article) -> tuple[tuple[str, bool], ...]:
    """Every line of the article's page in page order, each with whether the cleaner kept it in the body:
    body, captions and the lines the cleaner removed.

    Without line numbers for every body paragraph (an Article built by hand), the body alone.
    """
    if len(article.body_lines) != len(article.paragraphs):
        return tuple((text, True) for text in article.paragraphs)
    numbered = [
        *((n, text, True) for n, text in zip(article.body_lines, article.paragraphs, strict=True)),
        *((n, text, False) for n, text in zip(article.caption_lines, article.captions, strict=False)),
        *((r.line, r.text, False) for r in article.removed),
    ]
    return tuple((text, body) for _, text, body in sorted(numbered, key=lambda row: row[0]))


@dataclass(frozen=True, slots=True)
class LeadSentence:
    """One of the first substantive sentences of a page, and whether the cleaner kept it in the body."""

    passage: Passage
    in_body: bool


def page_lead(article: Article, min_tokens: int, count: int) -> tuple[LeadSentence, ...]:
    """The first `count` substantive sentences of the article's page, whatever the cleaner kept."""
    lines = page_lines(article)
    out: list[LeadSentence] = []
    # Lazily: most pages need only their first lines.
    for p in _iter_sentences(text for text, _ in lines):
        if p.substantive(min_tokens):
            out.append(LeadSentence(p, lines[p.paragraph][1]))
            if len(out) == count:
                break
    return tuple(out)


class Body:
    """An article's sentences ready to align: weights, verbatim lookup, and the keys of its removed lines.

    A passage weighs its word count when it is substantive and not boilerplate (a sentence in very many
    articles; `boilerplate` holds `hash(key)`s), unless the article is nothing but boilerplate (a
    mass-syndicated story: all weigh then).
    `page_keys` are the sentences of lines the cleaner removed from the same page: what a copy has in its
    body and this page has only among its removed lines is not something the copy added. `title` is the
    normalised headline ("" when none).
    """

    __slots__ = ("passages", "weights", "weight", "exact", "page_keys", "weighed_hashes", "title")

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
        substantive = [p.substantive(min_tokens) for p in self.passages]
        pairs = list(zip(self.passages, substantive, strict=True))
        weights = [len(p.tokens) if s and hash(p.key) not in boilerplate else 0 for p, s in pairs]
        if not any(weights):
            weights = [len(p.tokens) if s else 0 for p, s in pairs]
        self.weights = tuple(weights)
        self.weight = sum(weights)
        self.exact: dict[str, int] = {}
        for j, q in enumerate(self.passages):
            self.exact.setdefault(q.key, j)
        self.page_keys = page_keys
        self.weighed_hashes = frozenset(hash(p.key) for p, w in zip(self.passages, weights, strict=True) if w)

    @classmethod
    def of(
        cls,
        article: Article,
        min_tokens: int = 8,
        boilerplate: frozenset[int] | set[int] = frozenset(),
    ) -> Body:
        """The body of an article, split into normalised sentences, with its page's removed lines."""
        removed = frozenset(p.key for p in _sentences(r.text for r in article.removed))
        title = " ".join(normalised_tokens(article.title or ""))
        return cls(passages_of(article), min_tokens, boilerplate, removed, title)
