"""Extractive multi-document summary: the concept-coverage ILP of ICSISumm (Gillick & Favre, 2009).

Method: concepts are word bigrams (Porter-stemmed, lower-cased, not both stop words); a concept's
weight is the number of independent documents that contain it (a syndicated copy is not a second
witness, so origin groups count once); concepts in fewer than `min_df` documents are dropped. The
integer linear program picks the sentences that maximise the total weight of the concepts they cover
within the word budget: a concept counts once however many sentences hold it, which is what makes the
summary redundancy-aware. Sentence pruning follows the published system: short sentences are dropped,
as are sentences made mostly of quotation and sentences that open with a pronoun (they need their
context to be understood). The chosen sentences come back in reading order (their relative position in
their article). Solved exactly with HiGHS through `scipy.optimize.milp`.

The length budget counts whitespace-separated tokens, as ROUGE-1.5.5 does with `-l`. The ILP keeps whole
sentences, which leaves a few words of the budget unused. For readers they stay unused: every summary
sentence is whole. For the benchmark (`StorySettings.fill_with_cut_sentence`) they are filled with the
start of the best remaining sentence (most uncovered concept weight in the words that fit), cut and
marked with "…", so with a budget of 100 words the summary is exactly the 100 words DUC-2004 scoring
reads: none wasted, none cut off by the scorer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, hstack, identity

from newsfold.settings import StorySettings
from newsfold.story.sentences import Sentence, concepts_of, stem_words, word_tokens

__all__ = ["concept_weights", "is_candidate", "sentence_concepts", "summarize"]

_PRONOUN_OPENERS = frozenset("he she they it this these those his her their its him them".split())
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")


def sentence_concepts(text: str) -> frozenset[str]:
    """The bigram concepts of a text (a title, a cut sentence); a `Sentence` holds its own `concepts`."""
    words = word_tokens(text)
    return concepts_of(words, stem_words(words))


def concept_weights(
    sentences: Sequence[Sentence], documents: Mapping[str, str], settings: StorySettings
) -> dict[str, float]:
    """Weight of each concept: the documents containing it (plus the lead bonus), pruned by `min_df`.

    `documents` maps an article id to its document key (its origin group), so copies count once.
    """
    seen: dict[str, set[str]] = defaultdict(set)
    lead: dict[str, set[str]] = defaultdict(set)
    for s in sentences:
        doc = documents.get(s.article, s.article)
        for c in s.concepts:
            seen[c].add(doc)
            if s.index < settings.lead_sentences:
                lead[c].add(doc)
    n_docs = len({documents.get(s.article, s.article) for s in sentences})
    min_df = max(1, min(settings.min_df_ten_docs, round(settings.min_df_ten_docs * n_docs / 10 + 0.5)))
    if n_docs > 1:
        min_df = max(min_df, 2)  # a concept one document holds is not what the documents agree on
    return {
        c: len(docs) + settings.lead_bonus * len(lead[c]) for c, docs in seen.items() if len(docs) >= min_df
    }


def is_candidate(sentence: Sentence, settings: StorySettings) -> bool:
    """Whether a sentence may enter a summary: long enough, complete, not a question, a quote or a pronoun."""
    words = sentence.text.split()
    if len(words) < settings.min_sentence_words or len(words) > settings.summary_words:
        return False
    first = word_tokens(words[0])
    if sentence.text.rstrip().endswith("?") or (first and first[0] in _PRONOUN_OPENERS):
        return False
    if sentence.text.rstrip()[-1:] not in ".!\"”’')":  # cut off (an excerpt) or a heading
        return False
    if sentence.text.count("“") != sentence.text.count("”") or sentence.text.count('"') % 2:
        return False  # a piece of a quotation
    quoted = sum(len(m.group(0).split()) for m in _QUOTED.finditer(sentence.text))
    return quoted <= settings.max_quoted_share * len(words)


def summarize(
    sentences: Sequence[Sentence], documents: Mapping[str, str], settings: StorySettings = StorySettings()
) -> list[Sentence]:
    """The sentences of the summary, in reading order, within `settings.summary_words` whitespace tokens.

    Exact duplicates (a copy's sentence) are considered once, the earliest article's.
    """
    weights = concept_weights(sentences, documents, settings)
    pool: list[Sentence] = []
    seen_text: set[str] = set()
    for s in sentences:
        key = " ".join(s.tokens)
        if key not in seen_text and is_candidate(s, settings):
            seen_text.add(key)
            pool.append(s)
    if not pool:
        return []
    concept_index: dict[str, int] = {}
    rows, cols = [], []
    for j, s in enumerate(pool):
        # Sorted: the ILP's variable order must not follow string hashing, or ties among equally good
        # summaries would be broken differently from one run to the next.
        for c in sorted(s.concepts):
            if c in weights:
                i = concept_index.setdefault(c, len(concept_index))
                rows.append(i)
                cols.append(j)
    n_s, n_c = len(pool), len(concept_index)
    if n_c == 0:  # nothing shared: fall back to the lead sentences of the story
        return _fill_in_order(sorted(pool, key=lambda s: (s.position, s.index)), settings.summary_words)
    w = np.zeros(n_c)
    for c, i in concept_index.items():
        w[i] = weights[c]
    lengths = np.array([s.words for s in pool], dtype=float)
    # Objective (minimised): -concept weight; a tiny preference for earlier sentences breaks ties.
    cost = np.concatenate([1e-4 * np.array([s.position for s in pool]), -w])
    occ = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_c, n_s)).tocsr()
    # c_i - sum_j occ_ij s_j <= 0: a concept counts only when a chosen sentence holds it. Gillick and
    # Favre's second family (s_j <= c_i for each occurrence) is left out, and the c_i are continuous:
    # both are implied at the optimum (a covered concept only raises the objective, and c_i <= 1 with
    # integral s_j makes the best c_i integral), the optimum is the same, and HiGHS solves the smaller
    # program 2-4x faster (the same sentences chosen on the slowest stories of bench/fold; with stems
    # computed once, the solver had become the largest part of writing a story).
    cover = hstack([-occ, identity(n_c)])
    budget = np.concatenate([lengths, np.zeros(n_c)])[None, :]
    constraints = [
        LinearConstraint(cover, -np.inf, 0.0),
        LinearConstraint(budget, 0.0, float(settings.summary_words)),
    ]
    result = milp(
        cost,
        constraints=constraints,
        integrality=np.concatenate([np.ones(n_s), np.zeros(n_c)]),
        bounds=Bounds(0, 1),
        options={"time_limit": 20.0},
    )
    if result.x is None:
        return _fill_in_order(sorted(pool, key=lambda s: (s.position, s.index)), settings.summary_words)
    chosen = [pool[j] for j in range(n_s) if result.x[j] > 0.5]
    ordered = sorted(chosen, key=lambda s: (s.position, s.article, s.index))
    if not settings.fill_with_cut_sentence:
        return ordered
    return ordered + _cut_filler(pool, ordered, weights, settings)


def _cut_filler(
    pool: Sequence[Sentence],
    chosen: Sequence[Sentence],
    weights: Mapping[str, float],
    settings: StorySettings,
) -> list[Sentence]:
    """The start of the remaining sentence whose first words add the most uncovered concept weight."""
    room = settings.summary_words - sum(s.words for s in chosen)
    if room < settings.fill_min_words:
        return []
    covered = frozenset().union(*(s.concepts for s in chosen))
    taken = {(s.article, s.index) for s in chosen}
    best: tuple[float, float, Sentence] | None = None
    for s in pool:
        if (s.article, s.index) in taken:
            continue
        head = " ".join(s.text.split()[:room])
        gain = sum(weights.get(c, 0.0) for c in sentence_concepts(head) - covered)
        if gain > 0 and (best is None or (gain, -s.position) > (best[0], best[1])):
            best = (gain, -s.position, s)
    if best is None:
        return []
    sentence = best[2]
    words = sentence.text.split()
    text = sentence.text if len(words) <= room else " ".join(words[:room]).rstrip(",;:") + "…"
    return [replace(sentence, text=text)]


def _fill_in_order(candidates: Sequence[Sentence], budget: int) -> list[Sentence]:
    chosen, used = [], 0
    for s in candidates:
        if used + s.words <= budget:
            chosen.append(s)
            used += s.words
    return sorted(chosen, key=lambda s: (s.position, s.article, s.index))
