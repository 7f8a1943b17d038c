"""The story stage: the articles of one event -> the account an analyst reads.

`write_story` puts the modules together: `sentences` (splitting, cross-article alignment), `summary`
(ICSISumm concept ILP), `quotes` (speakers, variants), `discrepancies` (between origins), `changes`
(between versions of one origin), `dates` (event date) and `flags` (misdated, truncated; uncredited
copies come from `newsfold.syndication`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from newsfold.models import Article, CopyLink, Discrepancy, Flag, OriginGroup, SourcedText, Story
from newsfold.outlets import article_sources
from newsfold.settings import StorySettings
from newsfold.story.changes import find_changes
from newsfold.story.dates import date_the_event
from newsfold.story.discrepancies import find_discrepancies
from newsfold.story.flags import misdated_flags, truncated_flags
from newsfold.story.quotes import story_quotes
from newsfold.story.sentences import (
    Alignment,
    Sentence,
    align_sentences,
    paragraph_sentences,
    story_sentences,
)
from newsfold.story.summary import concept_weights, is_candidate, sentence_concepts, summarize
from newsfold.syndication import uncredited_copy_flags

__all__ = ["write_story"]


def _documents(articles: Sequence[Article], groups: Sequence[OriginGroup]) -> dict[str, str]:
    """Article id -> its origin (the group's representative); an article in no group is its own."""
    ids = {a.id for a in articles}
    documents = {a.id: a.id for a in articles}
    for group in groups:
        for member in group.members:
            if member in ids:
                documents[member] = group.representative
    return documents


def _adds(
    alignment: Alignment,
    documents: dict[str, str],
    exclude: set[int],
    settings: StorySettings,
) -> list[SourcedText]:
    """Per origin, its first sentences that no other origin states (summary sentences left out)."""
    sentences = alignment.sentences
    by_origin: dict[str, list[SourcedText]] = {}
    seen: set[tuple[str, ...]] = set()
    printed_by: dict[int, frozenset[str]] = {}  # statement -> the origins printing it
    stated_by: dict[int, frozenset[str]] = {}  # statement -> the origins printing it or a statement aligned

    def origins_printing(e: int) -> frozenset[str]:
        if e not in printed_by:
            printed_by[e] = frozenset(documents[sentences[j].article] for j in alignment.prints(e))
        return printed_by[e]

    # A story of one origin (152 of bench/fold's 239): no other origin states anything, and the statements
    # aligned with each need not be read.
    one_origin = len(set(documents.values())) == 1
    statement_of = alignment.statement_of.tolist()  # read one by one: numpy's scalars cost more
    for i, s in enumerate(sentences):
        origin = documents[s.article]
        if i in exclude or len(by_origin.get(origin, ())) >= settings.adds_per_origin:
            continue
        d = statement_of[i]
        if d not in stated_by:
            found: set[str] = set()
            for e in () if one_origin else alignment.similar(d, settings.aligned_statement):
                found |= origins_printing(e)
                if len(found) > 1:
                    break
            stated_by[d] = frozenset(found)
        if not stated_by[d] <= {origin} or not is_candidate(s, settings):
            continue
        key = s.tokens
        if key in seen:
            continue
        seen.add(key)
        sources = tuple(a for a in alignment.sources(i, settings.same_statement) if documents[a] == origin)
        by_origin.setdefault(origin, []).append(SourcedText(s.text, sources))
    return [t for texts in by_origin.values() for t in texts]


def _headline(
    articles: Sequence[Article], sentences: Sequence[Sentence], weights: dict[str, float]
) -> str | None:
    """The title covering most of the story's shared concepts; the first sentence when none has a title."""
    # Each distinct title scored once (copies keep their origin's title: 943 of bench/fold's 2,331),
    # in order of first use, so that the first of equal titles wins.
    titles = list(dict.fromkeys(a.title for a in articles if a.title))
    if not titles:
        return sentences[0].text if sentences else None
    # fsum: a title's concepts are a set, iterated in an order that depends on the process's string hash
    # seed; a plain sum's last bits followed it, and so did which of two equal titles won (issue 11).
    return max(titles, key=lambda t: math.fsum(weights.get(c, 0.0) for c in sentence_concepts(t)))


def _summary(
    sentences: Sequence[Sentence],
    alignment: Alignment,
    documents: dict[str, str],
    weights: dict[str, float],
    settings: StorySettings,
) -> tuple[tuple[SourcedText, ...], set[int]]:
    """The summary's sentences with their sources, and the sentences it covers (its own and those stating
    the same), which the adds leave out."""
    position = {(s.article, s.index): k for k, s in enumerate(sentences)}
    chosen = summarize(sentences, documents, settings, weights)
    chosen_at = [position[(s.article, s.index)] for s in chosen]
    summary = tuple(
        SourcedText(s.text, alignment.sources(k, settings.same_statement))
        for s, k in zip(chosen, chosen_at, strict=True)
    )
    covered = {j for k in chosen_at for j in [k, *alignment.same_statement(k, settings.same_statement)]}
    return summary, covered


def _flags(
    articles: Sequence[Article],
    groups: Sequence[OriginGroup],
    documents: dict[str, str],
    misdated: list[Flag],
) -> tuple[Flag, ...]:
    """The story's flags (misdated, truncated, uncredited copies), by article in story order, then kind."""
    flags: list[Flag] = [
        *misdated,
        *truncated_flags(articles, groups),
        *uncredited_copy_flags([g for g in groups if set(g.members) <= set(documents)], articles),
    ]
    order = {a.id: k for k, a in enumerate(articles)}
    flags.sort(key=lambda f: (order.get(f.article, len(order)), f.kind))
    return tuple(flags)


def _origins(
    articles: Sequence[Article], groups: Sequence[OriginGroup]
) -> tuple[tuple[CopyLink, ...], tuple[tuple[str, ...], ...]]:
    """The copy links among the story's articles, and its origins (each group's members in the story, then
    each article in no group on its own)."""
    ids = {a.id for a in articles}
    copies = tuple(link for g in groups for link in g.copies if link.article in ids)
    origins = tuple(
        tuple(m for m in g.members if m in ids) for g in groups if any(m in ids for m in g.members)
    )
    grouped = {m for o in origins for m in o}
    return copies, origins + tuple((a.id,) for a in articles if a.id not in grouped)


def _discrepancies(
    articles: Sequence[Article],
    alignment: Alignment,
    documents: dict[str, str],
    weights: dict[str, float],
    settings: StorySettings,
) -> list[Discrepancy]:
    """`find_discrepancies` between the story's origins, an article's words read from its whole text."""
    texts = {a.id: "\n".join((*a.paragraphs, *a.captions)) for a in articles}
    return find_discrepancies(
        alignment,
        texts,
        settings.aligned_statement,
        settings.same_statement,
        documents,
        settings.discrepancies_per_story,
        weights,
    )


def write_story(
    story_id: str,
    articles: Sequence[Article],
    groups: Sequence[OriginGroup] = (),
    settings: StorySettings = StorySettings(),
) -> Story:
    """Write the story of `articles` (one event): summary with sources, adds, quotes, discrepancies between
    origins, changes between versions of one origin, flags.

    Args:
        story_id: the id the story gets.
        articles: the story's articles, in the order sources are to be listed.
        groups: origin groups from `newsfold.syndication.find_origins`; copies then count once as
            evidence, and "what each source adds" is per origin. Without them each article is an origin.
        settings: `StorySettings()`; `summary_words` bounds the summary (whitespace tokens, as ROUGE -l).

    >>> story = write_story("s1", articles, groups)  # doctest: +SKIP
    >>> story.event_date, [s.sources for s in story.summary]  # doctest: +SKIP
    """
    documents = _documents(articles, groups)
    split = paragraph_sentences(articles)
    sentences = story_sentences(articles, split)
    # Every reader of the alignment thresholds at one of these two or above: pairs under both are left out.
    alignment = align_sentences(sentences, floor=min(settings.aligned_statement, settings.same_statement))
    weights = concept_weights(sentences, documents, settings)
    summary, covered = _summary(sentences, alignment, documents, weights, settings)
    adds = _adds(alignment, documents, covered, settings)
    quotes = story_quotes(articles, settings.min_quote_words, settings.quote_overlap, split=split)
    discrepancies = _discrepancies(articles, alignment, documents, weights, settings)
    dating = date_the_event(articles)
    misdated = misdated_flags(articles, dating, settings.max_weekday_days)
    changes = find_changes(
        alignment,
        groups,
        {a.id: a.published for a in articles},
        {f.article for f in misdated},
        settings.aligned_statement,
    )
    copies, origins = _origins(articles, groups)
    return Story(
        id=story_id,
        headline=_headline(articles, sentences, weights),
        articles=tuple(a.id for a in articles),
        sources=article_sources(articles),
        origins=origins,
        copies=copies,
        event_date=dating.date.isoformat() if dating.date else None,
        summary=summary,
        adds=tuple(adds),
        quotes=tuple(quotes),
        discrepancies=tuple(discrepancies),
        changes=tuple(changes),
        flags=_flags(articles, groups, documents, misdated),
    )
