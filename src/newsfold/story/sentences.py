"""Sentences of a story's articles and their alignment across articles (reworded versions included).

Every later step of the story works on these: the summary picks sentences, "what each source adds"
keeps the unaligned ones, discrepancies compare aligned ones. Alignment is TF-IDF cosine over stemmed
content words (the standard monolingual sentence-alignment baseline), raised a little when the
neighbouring sentences are aligned too, because copy-edited versions of one wire story keep their order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import Stemmer  # PyStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from newsfold.models import Article

__all__ = [
    "Alignment",
    "Sentence",
    "align_sentences",
    "content_stems",
    "split_sentences",
    "stem_words",
    "story_sentences",
    "word_tokens",
]

STOP_WORDS = ENGLISH_STOP_WORDS
# Abbreviations after which a full stop does not end a sentence (news style: AP stylebook months, titles).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen lt col capt sgt adm cmdr gov sen rep rev pres supt
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vol fig inc corp co ltd bros vs etc
    approx est dept univ ave blvd rd""".split()
)
# A boundary: terminal punctuation, optional closing quotes/brackets, space, then a sentence opener.
_BOUNDARY = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Porter, the stemmer ROUGE's -m option applies, so concepts match what the metric matches. PyStemmer is
# the compiled Snowball (the same stems as the pure-Python snowballstemmer, 50x faster); one instance a
# process, like a compiled regex: its only state is a cache of stems, which changes no result.
_PORTER = Stemmer.Stemmer("porter")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: where it sits (`index` in the article, `position` in [0, 1))."""

    article: str
    index: int
    paragraph: int
    text: str
    position: float

    @property
    def words(self) -> int:
        """Length as ROUGE counts it with `-l`: whitespace-separated tokens."""
        return len(self.text.split())

    # The word-level analysis every story step reads (summary concepts, alignment, discrepancies, the
    # headline), computed once per sentence: a story used to stem each sentence again at every step.
    @cached_property
    def tokens(self) -> tuple[str, ...]:
        """`word_tokens(text)`."""
        return tuple(word_tokens(self.text))

    @cached_property
    def stems(self) -> tuple[str, ...]:
        """The Porter stem of each token."""
        return tuple(stem_words(self.tokens))

    @cached_property
    def content_stems(self) -> tuple[str, ...]:
        """Stems of the tokens that are not stop words, in order."""
        return tuple(s for w, s in zip(self.tokens, self.stems, strict=True) if w not in STOP_WORDS)

    @cached_property
    def concepts(self) -> frozenset[str]:
        """The summary's bigram concepts: stemmed adjacent word pairs, not both stop words."""
        return concepts_of(self.tokens, self.stems)


def _ends_with_abbreviation(chunk: str) -> bool:
    """True when the full stop closing `chunk` belongs to an abbreviation or an initial."""
    match = re.search(r"(\S+)\.$", chunk)
    if not match:
        return False
    word = match.group(1).lstrip("\"'“‘(")
    if word.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    # "U.S.", "a.m.", "M." (an initial): letters separated by dots, each one long.
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word))


def _inside_quotation(chunk: str) -> bool:
    """True when `chunk` opens a quotation it does not close (curly quotes, or an odd count of ")."""
    return chunk.count("“") > chunk.count("”") or chunk.count('"') % 2 == 1


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; abbreviations, initials and "U.S." do not end one.

    Written here rather than taken from NLTK's Punkt because Punkt needs a downloaded model, and the
    rules news prose needs are few.

    >>> split_sentences("Kim met Putin on Sept. 13. The U.S. warned him. “No rush,” he said.")
    ['Kim met Putin on Sept. 13.', 'The U.S. warned him.', '“No rush,” he said.']
    """
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start(0) + len(match.group(1))
        chunk = text[start:end].strip()
        if not match.group(1) and _ends_with_abbreviation(chunk):
            continue
        if _inside_quotation(chunk):  # a quoted passage of several sentences stays one sentence
            continue
        if chunk:
            pieces.append(chunk)
        start = match.end(0)
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens; apostrophes normalised so "Kim’s" and "Kim's" agree."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def stem_words(words: Sequence[str]) -> list[str]:
    """Porter stems of lower-cased tokens ("kim's" stems as "kim")."""
    return _PORTER.stemWords([w.removesuffix("'s") for w in words])


def content_stems(text: str) -> list[str]:
    """Stems of the words that are not stop words, in order."""
    return stem_words([w for w in word_tokens(text) if w not in STOP_WORDS])


def concepts_of(tokens: Sequence[str], stems: Sequence[str]) -> frozenset[str]:
    """Bigram concepts of a token sequence and its stems: adjacent pairs, not both stop words."""
    return frozenset(
        f"{stems[i]} {stems[i + 1]}"
        for i in range(len(tokens) - 1)
        if not (tokens[i] in STOP_WORDS and tokens[i + 1] in STOP_WORDS)
    )


def story_sentences(articles: Sequence[Article]) -> list[Sentence]:
    """Every body sentence of every article, in article order then reading order."""
    out: list[Sentence] = []
    for article in articles:
        found: list[tuple[int, str]] = []
        for p, paragraph in enumerate(article.paragraphs):
            found.extend((p, s) for s in split_sentences(paragraph))
        n = max(len(found), 1)
        out.extend(Sentence(article.id, i, p, s, i / n) for i, (p, s) in enumerate(found))
    return out


@dataclass(frozen=True)
class Alignment:
    """Pairwise similarity of a story's sentences (`similarity[i, j]`, zero within one article)."""

    sentences: tuple[Sentence, ...]
    similarity: np.ndarray

    def same_statement(self, i: int, threshold: float) -> list[int]:
        """Indices of the sentences of other articles that state what sentence `i` states."""
        return [int(j) for j in np.flatnonzero(self.similarity[i] >= threshold)]

    def sources(self, i: int, threshold: float) -> tuple[str, ...]:
        """The articles stating sentence `i`, in story order: its own and those of aligned sentences."""
        found = {self.sentences[i].article}
        found.update(self.sentences[j].article for j in self.same_statement(i, threshold))
        order = dict.fromkeys(s.article for s in self.sentences)
        return tuple(a for a in order if a in found)


def align_sentences(sentences: Sequence[Sentence], context_bonus: float = 0.15) -> Alignment:
    """Cosine similarity of every pair of sentences from different articles, with a neighbour bonus.

    `context_bonus` is added (scaled by the neighbours' own similarity) when the sentence before or
    after is aligned as well; it lets a reworded sentence inside a copied passage line up.
    """
    n = len(sentences)
    if n == 0:
        return Alignment((), np.zeros((0, 0)))
    # The analyzer receives each Sentence and reads the stems it already holds.
    vectorizer = TfidfVectorizer(analyzer=lambda s: s.content_stems, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(sentences)
    except ValueError:  # nothing but stop words
        return Alignment(tuple(sentences), np.zeros((n, n)))
    base = (matrix @ matrix.T).toarray()
    articles = np.array([s.article for s in sentences])
    base[articles[:, None] == articles[None, :]] = 0.0
    # Neighbour support: the previous pair (i-1, j-1) and the next pair (i+1, j+1) in the same articles.
    same_prev = np.zeros_like(base)
    same_prev[1:, 1:] = base[:-1, :-1]
    continuous = np.array([i > 0 and sentences[i - 1].article == s.article for i, s in enumerate(sentences)])
    same_prev[~continuous, :] = 0.0
    same_prev[:, ~continuous] = 0.0
    same_next = np.zeros_like(base)
    same_next[:-1, :-1] = base[1:, 1:]
    has_next = np.append(continuous[1:], False)
    same_next[~has_next, :] = 0.0
    same_next[:, ~has_next] = 0.0
    support = np.maximum(same_prev, same_next)
    similarity = np.where(base > 0, base + context_bonus * support, 0.0)
    return Alignment(tuple(sentences), np.minimum(similarity, 1.0))
