"""Sentences of a story's articles and their alignment across articles (reworded versions included).

The sentences are the project's one splitter's (`newsfold.sentence_split`, copy detection's too).
Every later step of the story works on these: the summary picks sentences, "what each source adds"
keeps the unaligned ones, discrepancies compare aligned ones. Alignment is TF-IDF cosine over stemmed
content words (the standard monolingual sentence-alignment baseline), raised a little when the
neighbouring sentences are aligned too, because copy-edited versions of one wire story keep their order.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import Stemmer  # PyStemmer
from scipy.sparse import csr_matrix

from newsfold._native import compiled_kernel
from newsfold.models import Article
from newsfold.sentence_split import split_lines, split_sentences
from newsfold.story.stop_words import ENGLISH_STOP_WORDS

__all__ = [
    "Alignment",
    "Sentence",
    "Wording",
    "align_sentences",
    "content_stems",
    "lowered_in_place",
    "paragraph_sentences",
    "split_sentences",
    "stem_words",
    "story_sentences",
    "word_tokens",
]

STOP_WORDS = ENGLISH_STOP_WORDS
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Porter, the stemmer ROUGE's -m option applies, so concepts match what the metric matches. PyStemmer is
# the compiled Snowball (the same stems as the pure-Python snowballstemmer, 50x faster); one instance a
# process, like a compiled regex, without PyStemmer's cache of stems (size 0: state of no use here, as a
# story's words are stemmed once each, `_stem_all`; its default 10,000 words thrashed on bench/fold's
# 24,336 and doubled the time of stemming each token: 0.10 -> 0.20 s).
_PORTER = Stemmer.Stemmer("porter", 0)


@dataclass(frozen=True)
class Wording:
    """The word-level analysis of one sentence text, shared by every print of it (a story is mostly copies,
    so each distinct text is tokenised, stemmed and cut into concepts once)."""

    text: str

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

    @cached_property
    def words(self) -> int:
        """Length as ROUGE counts it with `-l`: whitespace-separated tokens."""
        return len(self.text.split())

    @cached_property
    def capitalised(self) -> tuple[int, ...]:
        """The tokens after the first that open with a capital (names inside the sentence), by index."""
        return _capitalised(_WORD.findall(self.text))


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: where it sits (`index` in the article, `position` in [0, 1)).

    `wording` is the analysis of its text, shared with the story's other prints of the same text
    (`story_sentences`); one of its own is made when it is not given or belongs to another text (a
    `dataclasses.replace` that changed the text).
    """

    article: str
    index: int
    paragraph: int
    text: str
    position: float
    wording: Wording | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.wording is None or self.wording.text != self.text:
            object.__setattr__(self, "wording", Wording(self.text))

    @property
    def _words(self) -> Wording:
        assert self.wording is not None  # set by __post_init__
        return self.wording

    @property
    def words(self) -> int:
        """Length as ROUGE counts it with `-l`: whitespace-separated tokens (counted once a text)."""
        return self._words.words

    @property
    def tokens(self) -> tuple[str, ...]:
        """`word_tokens(text)`."""
        return self._words.tokens

    @property
    def stems(self) -> tuple[str, ...]:
        """The Porter stem of each token."""
        return self._words.stems

    @property
    def content_stems(self) -> tuple[str, ...]:
        """Stems of the tokens that are not stop words, in order."""
        return self._words.content_stems

    @property
    def concepts(self) -> frozenset[str]:
        """The summary's bigram concepts: stemmed adjacent word pairs, not both stop words."""
        return self._words.concepts

    @property
    def capitalised(self) -> tuple[int, ...]:
        """The tokens after the first that open with a capital (names inside the sentence), by index."""
        return self._words.capitalised


# A character that is neither ASCII nor caseless space or punctuation (no-break space, the General
# Punctuation block: curly quotes, dashes, ellipsis): lower-casing may change its length or class.
_CASEFUL = re.compile(r"[^\x00-\x7f\u00a0\u2000-\u206f]")


def lowered_in_place(text: str) -> str | None:
    """`text.lower()` when that changes only ASCII capitals (any other character is caseless space or
    punctuation), so that a case-blind pattern's matches in `text` are a plain pattern's matches in it, at
    the same places; None otherwise (e.g. "İ" lowers to two characters). 91% of bench/fold's paragraphs.
    """
    return text.lower() if text.isascii() or not _CASEFUL.search(text) else None


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens; apostrophes normalised so "Kim’s" and "Kim's" agree."""
    lowered = lowered_in_place(text)
    if lowered is not None:  # the text lowered at once: the same tokens, as ' and ’ join words alike
        return _WORD.findall(lowered.replace("’", "'"))
    return _lowered_tokens(text, _WORD.findall(text))


def _lowered_tokens(text: str, originals: list[str]) -> list[str]:
    """`word_tokens(text)` from the tokens as `text` writes them (`_WORD.findall(text)`)."""
    tokens = list(map(str.lower, originals))
    return [w.replace("’", "'") for w in tokens] if "’" in text else tokens


def _capitalised(originals: list[str]) -> tuple[int, ...]:
    """The indices, past the first, of the tokens (as written) that open with a capital."""
    return tuple(i for i in range(1, len(originals)) if originals[i][0].isupper())


def stem_words(words: Sequence[str]) -> list[str]:
    """Porter stems of lower-cased tokens ("kim's" stems as "kim")."""
    return _PORTER.stemWords([w.removesuffix("'s") for w in words])


def _stem_all(token_lists: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """`stem_words` of each token list, each distinct word stemmed once (a story's texts share most of
    their words: 313,638 tokens, 24,336 distinct words on bench/fold's 2,400 pages; stems 0.21 -> 0.04 s)."""
    words = {w for tokens in token_lists for w in tokens}
    bare = [w.removesuffix("'s") for w in words]
    stem_of = dict(zip(words, _PORTER.stemWords(bare), strict=True)).__getitem__
    return [tuple(map(stem_of, tokens)) for tokens in token_lists]


def content_stems(text: str) -> list[str]:
    """Stems of the words that are not stop words, in order."""
    return stem_words([w for w in word_tokens(text) if w not in STOP_WORDS])


def concepts_of(
    tokens: Sequence[str], stems: Sequence[str], stop: Sequence[bool] | None = None
) -> frozenset[str]:
    """Bigram concepts of a token sequence and its stems: adjacent pairs, not both stop words (`stop`: which
    tokens are, when the caller has it)."""
    stop = list(map(STOP_WORDS.__contains__, tokens)) if stop is None else stop
    pairs = zip(stems, stems[1:], stop, stop[1:], strict=False)  # each word and the next: one pair fewer
    return frozenset([f"{a} {b}" for a, b, x, y in pairs if not (x and y)])


def paragraph_sentences(articles: Sequence[Article]) -> dict[str, list[str]]:
    """Each distinct paragraph of the articles -> `split_sentences(paragraph)` (copies print the same
    paragraphs again: each is split once, all in one call, and the story's steps share the split)."""
    paragraphs = list(dict.fromkeys(p for a in articles for p in a.paragraphs))
    split: dict[str, list[str]] = {p: [] for p in paragraphs}
    texts, line_of = split_lines(paragraphs)
    for text, p in zip(texts, line_of, strict=True):
        split[paragraphs[p]].append(text)
    return split


def story_sentences(
    articles: Sequence[Article], split: Mapping[str, list[str]] | None = None
) -> list[Sentence]:
    """Every body sentence of every article, in article order then reading order; the prints of one text
    share one `Wording`. `split`: the articles' `paragraph_sentences`, when the caller has them."""
    out: list[Sentence] = []
    split = paragraph_sentences(articles) if split is None else split
    wordings: dict[str, Wording] = {}
    for article in articles:
        found: list[tuple[int, str]] = []
        for p, paragraph in enumerate(article.paragraphs):
            found.extend((p, s) for s in split[paragraph])
        n = max(len(found), 1)
        for i, (p, text) in enumerate(found):
            wording = wordings.get(text) or wordings.setdefault(text, Wording(text))
            out.append(Sentence(article.id, i, p, text, i / n, wording))
    _analyse(list(wordings.values()))
    return out


# One reading of a text: (tokens, stems, content stems, concepts, capitalised token indices), as `Wording`'s
# properties hold them.
Analysis = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], frozenset[str], tuple[int, ...]]


def analyse_plain(texts: Sequence[str]) -> list[Analysis]:
    """Each text's tokens, stems, content stems, concepts and capitalised tokens, the story's distinct
    words stemmed once (`_stem_all`) and which tokens are stop words read once for both of the others;
    the spec of the compiled `_words.analyse` (tests/story/test_parts.py checks that both agree)."""
    # Tokens as written, then lowered: one reading gives both the tokens and the capitals that the
    # summary's concept features ask for (a second reading of each text was a third of their time).
    originals = [_WORD.findall(text) for text in texts]
    token_lists = [_lowered_tokens(text, o) for text, o in zip(texts, originals, strict=True)]
    found: list[Analysis] = []
    for tokens, stems, written in zip(token_lists, _stem_all(token_lists), originals, strict=True):
        stop = list(map(STOP_WORDS.__contains__, tokens))
        content = tuple(itertools.compress(stems, map(operator.not_, stop)))
        found.append((tuple(tokens), stems, content, concepts_of(tokens, stems, stop), _capitalised(written)))
    return found


# The compiled `analyse_plain` (`_words.pyx`, built by setup.py); None where it is not built.
_compiled_analyse = compiled_kernel("newsfold.story._words", "analyse")


def analyse(texts: Sequence[str]) -> list[Analysis]:
    """`analyse_plain(texts)`, by the compiled kernel where it is built."""
    if _compiled_analyse is None:
        return analyse_plain(texts)
    return _compiled_analyse(list(texts), STOP_WORDS, _PORTER.stemWords)  # type: ignore[no-any-return]


def _analyse(wordings: Sequence[Wording]) -> None:
    """Fill in the tokens, stems, content stems, concepts and capitals of every wording at once (`analyse`);
    what `Wording`'s properties would compute one by one, and every story reads them all (the alignment the
    content stems, the summary the concepts)."""
    for wording, (tokens, stems, content, concepts, capitalised) in zip(
        wordings, analyse([w.text for w in wordings]), strict=True
    ):
        # A cached_property keeps its value in the instance's __dict__ under its name: set there, it is
        # the value the property returns (a frozen dataclass's __setattr__ is not involved).
        found = wording.__dict__
        found["tokens"] = tokens
        found["stems"] = stems
        found["content_stems"] = content
        found["concepts"] = concepts
        found["capitalised"] = capitalised


@dataclass(frozen=True)
class Alignment:
    """How a story's sentences align, held per statement (a distinct sentence text) and mapped to prints.

    A wire report on 500 sites prints each of its sentences 500 times; pairs of prints would be
    quadratic in the copies (a 19,000-sentence story needed 2.8 GiB), pairs of statements are not.
    `similarity[d, e]` is the statements' similarity (CSR, sorted columns; `similarity[d, d]` is 1 for a
    statement with content words: its prints in other articles state it); `statement_of[i]` is sentence
    `i`'s statement, `prints(d)` the sentences printing statement `d`. Two sentences of one article are
    never aligned.
    """

    sentences: tuple[Sentence, ...]
    statement_of: np.ndarray
    similarity: csr_matrix

    @cached_property
    def _prints(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.statement_of, kind="stable")
        counts = np.bincount(self.statement_of, minlength=self.similarity.shape[0])
        return order, np.concatenate([[0], np.cumsum(counts)])

    def prints(self, d: int) -> np.ndarray:
        """The sentences (ascending) that print statement `d`."""
        order, starts = self._prints
        return order[starts[d] : starts[d + 1]]

    @cached_property
    def statements(self) -> tuple[Sentence, ...]:
        """Each statement's first print."""
        return tuple(self.sentences[int(self.prints(d)[0])] for d in range(self.similarity.shape[0]))

    def row(self, d: int) -> tuple[np.ndarray, np.ndarray]:
        """(statements, similarities) of statement `d`'s non-zero pairs, statements ascending."""
        start, end = self.similarity.indptr[d], self.similarity.indptr[d + 1]
        return self.similarity.indices[start:end], self.similarity.data[start:end]

    def similar(self, d: int, threshold: float) -> list[int]:
        """The statements at `threshold` or more from statement `d` (`d` among them when it has content)."""
        columns, values = self.row(d)
        return [int(e) for e in columns[values >= threshold]]

    def same_statement(self, i: int, threshold: float) -> list[int]:
        """Indices of the sentences of other articles that state what sentence `i` states."""
        own = self.sentences[i].article
        return sorted(
            int(j)
            for e in self.similar(int(self.statement_of[i]), threshold)
            for j in self.prints(e)
            if self.sentences[j].article != own
        )

    def block(self, rows: Sequence[int], columns: Sequence[int]) -> np.ndarray:
        """The dense similarities of sentences `rows` against sentences `columns` (e.g. two versions')."""
        r = self.statement_of[np.asarray(rows, dtype=np.int64)]
        c = self.statement_of[np.asarray(columns, dtype=np.int64)]
        # Gathered from the CSR arrays (scipy's fancy indexing cost ~0.2 ms a call: half of the changes').
        wanted, inverse = np.unique(c, return_inverse=True)
        place = np.full(self.similarity.shape[1], -1, dtype=np.int64)
        place[wanted] = np.arange(len(wanted))
        indptr, indices, data = self.similarity.indptr, self.similarity.indices, self.similarity.data
        starts, counts = indptr[r].astype(np.int64), np.diff(indptr)[r].astype(np.int64)
        row = np.repeat(np.arange(len(r)), counts)
        at = (
            np.arange(int(counts.sum()))
            - np.repeat(np.cumsum(counts) - counts, counts)
            + np.repeat(starts, counts)
        )
        column = place[indices[at]]
        found = column >= 0
        dense = np.zeros((len(r), len(wanted)))
        dense[row[found], column[found]] = data[at[found]]
        dense = dense[:, inverse.reshape(-1)]
        articles = np.array([self.sentences[k].article for k in rows], dtype=object)
        others = np.array([self.sentences[k].article for k in columns], dtype=object)
        dense[articles[:, None] == others[None, :]] = 0.0
        return dense

    @cached_property
    def article_order(self) -> dict[str, int]:
        """Article id -> its place in the story (the order of its first sentence)."""
        return {a: k for k, a in enumerate(dict.fromkeys(s.article for s in self.sentences))}

    @cached_property
    def article_sentences(self) -> dict[str, list[int]]:
        """Article id -> its sentences' indices, in reading order."""
        found: dict[str, list[int]] = {}
        for k, s in enumerate(self.sentences):
            found.setdefault(s.article, []).append(k)
        return found

    def statement_articles(self, d: int) -> set[str]:
        """The articles printing statement `d`."""
        return {self.sentences[j].article for j in self.prints(d)}

    def sources(self, i: int, threshold: float) -> tuple[str, ...]:
        """The articles stating sentence `i`, in story order: its own and those printing a statement aligned
        with its own (its copies among them)."""
        found = self._stating(int(self.statement_of[i]), threshold) | {self.sentences[i].article}
        return tuple(sorted(found, key=self.article_order.__getitem__))

    @cached_property
    def _stated(self) -> dict[tuple[int, float], frozenset[str]]:
        return {}

    def _stating(self, d: int, threshold: float) -> frozenset[str]:
        """The articles printing a statement at `threshold` or more from statement `d`, read once a
        statement (the summary, the adds and the discrepancies ask again for 5,367 of bench/fold's 8,624
        sentences' sources: their copies and each other's)."""
        if (d, threshold) not in self._stated:
            self._stated[d, threshold] = frozenset().union(
                *map(self.statement_articles, self.similar(d, threshold))
            )
        return self._stated[d, threshold]


def _tfidf(statements: Sequence[Sentence], prints: np.ndarray) -> csr_matrix:
    """TF-IDF rows of the statements over their content stems, as scikit-learn's TfidfVectorizer makes them
    with `sublinear_tf` (1 + ln tf; smooth idf ln((1 + n) / (1 + df)) + 1; rows of unit length), document
    frequencies counted over every print, as when each print was a row."""
    stems = [s.content_stems for s in statements]
    flat = list(itertools.chain.from_iterable(stems))
    # Terms numbered in order of first use; each statement's terms in the order it first uses them.
    vocabulary = {stem: t for t, stem in enumerate(dict.fromkeys(flat))}
    terms = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    owner = np.repeat(np.arange(len(stems)), [len(x) for x in stems])
    width = max(len(vocabulary), 1)
    keys, first, tally = np.unique(owner * width + terms, return_index=True, return_counts=True)
    order = np.argsort(first)
    r, c = owner[first[order]], terms[first[order]]
    counts = tally[order]
    df = np.bincount(c, weights=prints[r], minlength=len(vocabulary))
    idf = np.log((1.0 + prints.sum()) / (1.0 + df)) + 1.0
    values = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[c]
    norms = np.sqrt(np.bincount(r, weights=values**2, minlength=len(statements)))
    values = values / np.where(norms[r] > 0, norms[r], 1.0)
    # Made as CSR holds it (rows, then columns ascending: the order of `keys`), not from (row, column)
    # pairs, which scipy would convert and sort: the same matrix.
    ordered = np.empty_like(values)
    ordered[order] = values
    indptr = np.concatenate([[0], np.cumsum(np.bincount(keys // width, minlength=len(statements)))])
    return csr_matrix((ordered, keys % width, indptr), shape=(len(statements), len(vocabulary)))


def _links(sources: np.ndarray, targets: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the 0/1 matrix linking each source to its targets, as CSR holds them: each
    row's targets once, ascending (a scipy matrix built per story cost more than the search it serves)."""
    keys = np.unique(sources * size + targets)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(keys // size, minlength=size))])
    return indptr, keys % size


# The compiled `_neighbour_support` (`_align.pyx`, built by setup.py: the same supports, 0.19 -> 0.02 s on
# bench/fold's stories); None where it is not built.
_compiled_support = compiled_kernel("newsfold.story._align", "neighbour_support")


def _neighbour_support(
    rows: np.ndarray,
    cols: np.ndarray,
    links: tuple[np.ndarray, np.ndarray],
    base_of: BaseOf,
) -> np.ndarray:
    """For each pair (d, e): the highest base similarity (`base_of(p, q)`, 0 for a pair it does not hold) of
    a pair (p, q) where p is linked to d and q to e in `links` (`_links`: the statements printed just before,
    or just after, them); 0 when there is none."""
    indptr, indices = links
    degree = np.diff(indptr)
    count = degree[rows] * degree[cols]
    total = int(count.sum())
    support = np.zeros(len(rows))
    if total == 0:
        return support
    pair = np.repeat(np.arange(len(rows)), count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    wide = degree[cols][pair]
    p = indices[indptr[rows[pair]] + offset // wide]
    q = indices[indptr[cols[pair]] + offset % wide]
    np.maximum.at(support, pair, base_of(p.astype(np.int64), q.astype(np.int64)))
    return support


BaseOf = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (p, q) -> the statements' base similarities


def _looked_up(keys: np.ndarray, base: np.ndarray, size: int) -> BaseOf:
    """`base_of` for `_neighbour_support` from the sorted pairs (`keys` = row * size + column)."""

    def base_of(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        if not len(keys):
            return np.zeros(len(p))
        wanted = p * size + q
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return np.where(keys[at] == wanted, base[at], 0.0)

    return base_of


def _row_entries(matrix: csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, at): for each stored entry of the given rows, in order, its place in `rows` and in the CSR's
    arrays."""
    starts = matrix.indptr[rows].astype(np.int64)
    counts = np.diff(matrix.indptr)[rows].astype(np.int64)
    owner = np.repeat(np.arange(len(rows)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    at = within + np.repeat(starts, counts)
    return owner, at


def _dots(matrix: csr_matrix) -> BaseOf:
    """`base_of` computing row p . row q of the TF-IDF `matrix` for any pair: the products of their shared
    terms added from 0 in column order, as scipy's sparse product adds them, so bit for bit the pairs'
    base (a product of +0.0 for a term q lacks changes no sum)."""
    width = matrix.shape[1]
    owners = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    keys = owners * width + matrix.indices  # sorted: rows, then columns ascending

    def base_of(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        owner, at = _row_entries(matrix, p)
        if not len(at):
            return np.zeros(len(p))
        wanted = q[owner] * width + matrix.indices[at]
        found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        other = np.where(keys[found] == wanted, matrix.data[found], 0.0)
        return np.bincount(owner, weights=matrix.data[at] * other, minlength=len(p))

    return base_of


# Statement rows multiplied at once when the pairs are found: a block's product holds at most this many
# entries (rows x statements; ~50 MB at the worst), so the alignment holds the pairs it keeps and one
# block, not every pair sharing a word (a story of 2,000 diverse articles of bench/out/scale-10k-max100:
# 38 million pairs, 2.6 GB, of which ~1% reach the readers' thresholds). Not tuned.
_PRODUCT_ENTRIES = 1 << 22


# The compiled `_base_pairs_plain` (`_align.pyx`: the same pairs, bit for bit); None where it is not built.
_compiled_pairs = compiled_kernel("newsfold.story._align", "statement_pairs")


def _base_pairs(matrix: csr_matrix, low: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_base_pairs_plain`, by the compiled kernel where it is built."""
    if _compiled_pairs is None:
        return _base_pairs_plain(matrix, low)
    return _compiled_pairs(  # type: ignore[no-any-return]
        matrix.indptr.astype(np.int64),
        matrix.indices.astype(np.int64),
        np.ascontiguousarray(matrix.data, dtype=np.float64),
        matrix.shape[1],
        low,
    )


def _base_pairs_plain(matrix: csr_matrix, low: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, base) of every pair of statements whose cosine is positive and at least `low`, sorted by
    row, then column; made block by block of rows (`_PRODUCT_ENTRIES`)."""
    size = matrix.shape[0]
    transposed = matrix.T.tocsr()
    step = max(1, _PRODUCT_ENTRIES // max(size, 1))
    parts = []
    for start in range(0, size, step):
        block = matrix[start : start + step] @ transposed
        block.sort_indices()  # the pairs by row, then column (a sort within rows: half a sort of them all)
        keep = (block.data > 0) & (block.data >= low)
        own = np.repeat(np.arange(start, start + block.shape[0], dtype=np.int64), np.diff(block.indptr))
        parts.append((own[keep], block.indices[keep].astype(np.int64), block.data[keep]))
    rows, cols, base = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    return rows, cols, base


def align_sentences(
    sentences: Sequence[Sentence], context_bonus: float = 0.15, floor: float = 0.0
) -> Alignment:
    """Cosine similarity of the story's statements (distinct sentence texts), with a neighbour bonus.

    `context_bonus` is added (scaled by the neighbours' own similarity) when the statements printed just
    before, or just after, the two are aligned as well; it lets a reworded sentence inside a copied
    passage line up. Per statement, the neighbours of all its prints count (the best pair of them). The
    pairs are kept sparse; `tests/story/test_parts.py` checks them against the dense computation over
    every pair of sentences. Pairs under `floor` are left out (their values exact above it): a story's
    readers threshold at `floor` or more (`write_story` passes its lowest), and the pairs of statements
    sharing any word grow with the square of a story (a statement's own pair is always kept).
    """
    statement_of, statements = _statement_prints(sentences)
    size = len(statements)
    if not sentences:
        return Alignment((), statement_of, csr_matrix((0, 0)))
    matrix = _tfidf(statements, np.bincount(statement_of, minlength=size).astype(float))
    # A pair's support is a neighbours' pair's base, at most 1: under `low` a base cannot reach the floor.
    # Every story is floored (the compiled pairs skip those sharing only common words): keeping every pair
    # of a story whose pairs fit one block, as before, cost as much on small stories (31 of scale-100k's,
    # 1-60 statements: 0.051 s against 0.049) and twice as much from a few hundred statements up (96
    # stories of 30-2,048 statements: 1.76 s -> 0.90 s of alignment CPU, the same similarities).
    low = floor - context_bonus
    rows, cols, base = _base_pairs(matrix, low)
    # Only a pair whose base is within the bonus of the floor may reach it: the support of the others (9 in
    # 10 of bench/fold's pairs at the writer's floor) is not computed; every pair is one to look up.
    asked = _may_reach(rows, cols, base, floor, context_bonus)
    support = _support(
        matrix, (rows, cols, base), asked, _neighbour_links(sentences, statement_of, size), low
    )
    rows, cols = rows[asked], cols[asked]
    similarity = np.minimum(base[asked] + context_bonus * support, 1.0)
    similarity[rows == cols] = 1.0  # a statement's prints state it
    kept = similarity >= floor
    rows, cols, similarity = rows[kept], cols[kept], similarity[kept]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=size))])
    return Alignment(
        tuple(sentences), statement_of, csr_matrix((similarity, cols, indptr), shape=(size, size))
    )


# Rounding room for `_may_reach`: a base is a cosine of unit rows, a support one such base, each a few
# units in the last place off the exact value.
_ROUNDING = 1e-9


def _may_reach(
    rows: np.ndarray, cols: np.ndarray, base: np.ndarray, floor: float, bonus: float
) -> np.ndarray:
    """The pairs (indices) whose similarity may reach `floor`: a statement's own pair (1), and those whose
    base is at most the neighbour bonus under it (a support is a base: at most 1)."""
    return np.flatnonzero((base >= floor - max(bonus, 0.0) - _ROUNDING) | (rows == cols))


def _statement_prints(sentences: Sequence[Sentence]) -> tuple[np.ndarray, list[Sentence]]:
    """Each sentence's statement (its distinct text, numbered in order of first print) and each statement's
    first print: copies print the same text again, and it is aligned once."""
    texts = [s.text for s in sentences]
    index = {text: d for d, text in enumerate(dict.fromkeys(texts))}
    statement_of = np.fromiter(map(index.__getitem__, texts), dtype=np.int64, count=len(texts))
    firsts = np.unique(statement_of, return_index=True)[1]
    return statement_of, [sentences[int(k)] for k in firsts]


Links = tuple[np.ndarray, np.ndarray]  # `_links`: a statement's neighbour statements, CSR-like


def _neighbour_links(
    sentences: Sequence[Sentence], statement_of: np.ndarray, size: int
) -> tuple[Links, Links]:
    """The statements printed just before each statement in an article, and just after it: the neighbours
    whose alignment supports a pair's."""
    articles = [s.article for s in sentences]
    continuous = np.array([False, *map(operator.eq, articles[1:], articles[:-1])])
    before = np.flatnonzero(continuous)
    previous = _links(statement_of[before], statement_of[before - 1], size)
    following = _links(statement_of[before - 1], statement_of[before], size)
    return previous, following


def _support(
    matrix: csr_matrix,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    asked: np.ndarray,
    neighbours: tuple[Links, Links],
    low: float,
) -> np.ndarray:
    """The neighbour support of the `asked` pairs (indices into `pairs`): the best base of their statements'
    neighbours' pairs, before or after (`_neighbour_support`), looked up among `pairs` (rows, cols, base;
    sorted by row, then column; every base of `low` or more)."""
    rows, cols, base = pairs
    previous, following = neighbours
    size = matrix.shape[0]
    rows_asked, cols_asked = rows[asked], cols[asked]
    if _compiled_support is not None:
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=size))])  # the pairs are sorted
        support = np.maximum(
            _compiled_support(rows_asked, cols_asked, indptr, cols, base, *previous),
            _compiled_support(rows_asked, cols_asked, indptr, cols, base, *following),
        )
    else:
        held = _looked_up(rows * size + cols, base, size)  # the keys sorted, as the pairs are
        support = np.maximum(
            _neighbour_support(rows_asked, cols_asked, previous, held),
            _neighbour_support(rows_asked, cols_asked, following, held),
        )
    if low > 0:
        # The pairs hold every base of `low` or more, so a support under it (0 then) may be a pair they
        # left out: computed again from the neighbours' rows.
        again = np.flatnonzero(support < low)
        dots = _dots(matrix)
        support[again] = np.maximum(
            _neighbour_support(rows_asked[again], cols_asked[again], previous, dots),
            _neighbour_support(rows_asked[again], cols_asked[again], following, dots),
        )
    return support
