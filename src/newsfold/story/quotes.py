"""Quotations: the quoted words, who said them, and the same remark worded differently across sources.

Translated remarks come back in several wordings ("without a rush" / "without haste"): variants are
grouped when they share most of their words (overlap coefficient over word tokens, the measure that
lets a short excerpt match the full quote) and their speakers agree. Speakers are read from the
attribution next to the quote ("Putin said", "said Moon Seong Mook", "he added" after a named speaker)
and given the fullest form of the name the story uses ("Putin" -> "Vladimir Putin").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsfold.entities import entity_mentions
from newsfold.models import Article, Quote, SourcedText
from newsfold.story.sentences import word_tokens

__all__ = ["QuoteMention", "find_quotes", "group_quotes", "story_quotes"]

_QUOTE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
_SPEECH_VERBS = (
    r"said|says|told|tells|added|adds|stated|states|proclaimed|responded|replied|noted|warned|wrote|"
    r"declared|insisted|explained|acknowledged|stressed|asked|urged|argued|announced|"
    r"was quoted(?: [^.“”\"]{0,40}? as saying)?|quoted"
)
_NAME = r"(?P<name>[A-Z][\w'’\-]+(?:\s+(?:[A-Z][\w'’\-]+|bin|de|van|von))*)"
_PRONOUN = r"(?P<pronoun>[Hh]e|[Ss]he)"
_BEFORE = re.compile(rf"(?:\b{_PRONOUN}|{_NAME})(?:’s|'s)?\s+(?:\w+ly\s+)?(?:{_SPEECH_VERBS})\b")
# A name after the verb ends the clause ("said Moon Seong Mook, an analyst"); "said Pyongyang will" is
# reported speech about Pyongyang, not by it.
_AFTER = re.compile(rf"\b(?:{_SPEECH_VERBS}),?\s+{_NAME}(?=[,.;]|$)")
_NOT_SPEAKERS = frozenset(
    """asked the a an it this but and when as in on he she they we i you
    monday tuesday wednesday thursday friday saturday sunday today yesterday""".split()
)
# Words too common to tell two quotes apart; everything else, stop words included, counts, because
# short remarks ("that's why we came here") are made of function words.
_GLUE = frozenset("the a an and of to in".split())


@dataclass(frozen=True)
class QuoteMention:
    """One quotation in one article, with the speaker its attribution names (short form)."""

    article: str
    text: str
    speaker: str | None
    paragraph: int


@dataclass(frozen=True)
class _Attribution:
    speaker: str | None
    pronoun: bool
    start: int


def _attributions(paragraph: str) -> list[_Attribution]:
    unquoted = _QUOTE.sub(lambda m: " " * len(m.group(0)), paragraph)
    found = []
    for m in _BEFORE.finditer(unquoted):
        found.append(_Attribution(m["name"], m["pronoun"] is not None, m.start()))
    for m in _AFTER.finditer(unquoted):
        found.append(_Attribution(m["name"], False, m.start("name")))
    return [a for a in found if a.pronoun or _plausible_name(a.speaker)]


def _plausible_name(name: str | None) -> bool:
    """A capitalised phrase that is not a sentence opener like "Asked" or "The"."""
    if not name:
        return False
    words = name.lower().split()
    return words[0] not in _NOT_SPEAKERS and words[-1] not in _NOT_SPEAKERS


def find_quotes(article: Article, min_words: int = 4) -> list[QuoteMention]:
    """The quotations of `article` of at least `min_words` words, each with its speaker when named."""
    out: list[QuoteMention] = []
    last_speaker: str | None = None
    for p, paragraph in enumerate(article.paragraphs):
        attributions = _attributions(paragraph)
        for m in _QUOTE.finditer(paragraph):
            text = (m.group(1) or m.group(2)).strip().strip(",").strip()
            near = sorted(attributions, key=lambda a: min(abs(a.start - m.start()), abs(a.start - m.end())))
            speaker = None
            if near:
                speaker = last_speaker if near[0].pronoun else near[0].speaker
            if len(text.split()) >= min_words:
                out.append(QuoteMention(article.id, text, speaker, p))
        named = [a.speaker for a in attributions if not a.pronoun]
        if named:
            last_speaker = named[-1]
    return out


def _full_names(articles: Sequence[Article]) -> Counter[str]:
    """Name -> mentions in the story's paragraphs (a paragraph that copies print again is read once)."""
    names_in: dict[str, list[str]] = {}
    found: Counter[str] = Counter()
    for paragraph in (p for a in articles for p in a.paragraphs):
        if paragraph not in names_in:
            names_in[paragraph] = [m.name for m in entity_mentions(paragraph)]
        found.update(names_in[paragraph])
    return found


def _fullest(short: str | None, names: Counter[str]) -> str | None:
    """The most mentioned 2-3 word name holding the speaker's name ("Putin" -> "Vladimir Putin").

    Any position, not only the last word: Korean names put the family name first ("Kim Jong Un").
    """
    if not short:
        return None
    last = short.split()[-1].removesuffix("’s").removesuffix("'s")
    options = [n for n in names if last in n.split() and 2 <= len(n.split()) <= 3]
    if not options:
        return short
    return max(options, key=lambda n: (names[n], len(n)))


def _bag(text: str) -> set[str]:
    return {w for w in word_tokens(text) if w not in _GLUE}


def _same_remark(a: QuoteMention, b: QuoteMention, min_overlap: float, min_shared: int) -> bool:
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return False
    x, y = _bag(a.text), _bag(b.text)
    if not x or not y:
        return False
    shared = len(x & y)
    return shared >= min(min_shared, len(x), len(y)) and shared / min(len(x), len(y)) >= min_overlap


def group_quotes(
    mentions: Sequence[QuoteMention], min_overlap: float = 0.6, min_shared: int = 3
) -> list[list[QuoteMention]]:
    """Quote mentions grouped as one remark (single link over `_same_remark`), in first-mention order."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(mentions)):
        for j in range(i + 1, len(mentions)):
            if mentions[i].article != mentions[j].article and _same_remark(
                mentions[i], mentions[j], min_overlap, min_shared
            ):
                parent[find(j)] = find(i)
    groups: dict[int, list[QuoteMention]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(find(i), []).append(m)
    return list(groups.values())


def story_quotes(
    articles: Sequence[Article], min_words: int = 4, min_overlap: float = 0.6, min_shared: int = 3
) -> list[Quote]:
    """The story's quotes, most-reported first; each with its wordings and the articles using each."""
    names = _full_names(articles)
    mentions = [
        QuoteMention(m.article, m.text, _fullest(m.speaker, names), m.paragraph)
        for a in articles
        for m in find_quotes(a, min_words)
    ]
    order = {a.id: k for k, a in enumerate(articles)}
    quotes = []
    for group in group_quotes(mentions, min_overlap, min_shared):
        wordings: dict[str, list[str]] = {}
        for m in group:
            key = " ".join(word_tokens(m.text))
            wordings.setdefault(key, [m.text])
            if m.article not in wordings[key]:
                wordings[key].append(m.article)
        variants = tuple(
            SourcedText(v[0], tuple(sorted(dict.fromkeys(v[1:]), key=order.__getitem__)))
            for v in wordings.values()
        )
        sources = tuple(sorted({m.article for m in group}, key=order.__getitem__))
        speakers = Counter(m.speaker for m in group if m.speaker)
        main = max(variants, key=lambda v: (len(v.sources), len(v.text)))
        speaker = speakers.most_common(1)[0][0] if speakers else None
        quotes.append(Quote(main.text, speaker, sources, variants))
    return sorted(quotes, key=lambda q: -len(q.sources))
