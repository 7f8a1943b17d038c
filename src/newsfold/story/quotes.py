"""Quotations: the quoted words, who said them, and the same remark worded differently across sources.

Translated remarks come back in several wordings ("without a rush" / "without haste"): variants are
grouped when they share most of their words (overlap coefficient over word tokens, the measure that
lets a short excerpt match the full quote) and their speakers agree.

Speakers are read from the attribution in the quoting sentence ("Putin said", "said Moon Seong Mook",
"Matthew Miller, a State Department spokesperson, told", "the North Korean leader said", "he added"
after a named speaker), else from a sentence that introduces the quote with a colon (its first name
that the story shows speaking), else from the attribution of the sentence before (a second quoted
sentence after "..., Putin said."). Names are given their fullest form in the story ("Putin" ->
"Vladimir Putin"); a role ("the Kremlin spokesman") is the person the story's own text gives that role
in an apposition ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov, the Kremlin's spokesman"), when
one person holds it more often than any other.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from newsfold.entities import (
    EntityMention,
    RoleMention,
    entity_mentions,
    role_mentions,
    role_word_forms,
    role_words,
)
from newsfold.models import Article, Quote, SourcedText
from newsfold.story.sentences import lowered_in_place, paragraph_sentences, split_sentences, word_tokens
from newsfold.unionfind import UnionFind

__all__ = ["QUOTATION", "QuoteMention", "Speakers", "find_quotes", "group_quotes", "quoted", "story_quotes"]

# A passage in quotation marks: curly or straight, or opened curly and closed straight where no curly mark
# closes it (a typing slip scraped pages carry: `the “situation in the region."`), which a straight pair
# would otherwise take from its closing mark to the next straight mark.
QUOTATION = re.compile(r"“([^“”]+)”|“([^“”\"]+)\"|\"([^\"]+)\"")

_SPEECH_VERBS = (
    r"said|says|told|tells|added|adds|stated|states|proclaimed|responded|replied|noted|warned|wrote|"
    r"declared|insisted|explained|acknowledged|stressed|asked|urged|argued|announced|expressed|vowed|"
    r"pledged|promised|remarked|emphasized|emphasised|cautioned|admitted|conceded|recalled|continued|"
    r"was quoted(?: [^.“”\"]{0,40}? as saying)?|quoted"
)
_NAME = r"(?P<name>[A-Z][\w'’\-]+(?:\s+(?:[A-Z][\w'’\-]+|bin|de|van|von))*)"
_PRONOUN = r"(?P<pronoun>[Hh]e|[Ss]he)"
# "The Kremlin said": a definite article marks an institution, which "he" or "she" never refers back to.
_BEFORE = re.compile(
    rf"(?:\b{_PRONOUN}|(?:\b(?P<the>[Tt]he)\s+)?{_NAME})(?:’s|'s)?\s+(?:\w+ly\s+)?(?P<verb>{_SPEECH_VERBS})\b"
)
# A name after the verb ends the clause ("said Moon Seong Mook, an analyst"); "said Pyongyang will" is
# reported speech about Pyongyang, not by it.
_AFTER = re.compile(rf"\b(?P<verb>{_SPEECH_VERBS}),?\s+{_NAME}(?=[,.;]|$)")
# "Matthew Miller, a State Department spokesperson, told": a name, an apposition, then the verb.
_APPOSED = re.compile(rf"{_NAME},\s+[^,;“”\"]{{1,100}}?,\s+(?:\w+ly\s+)?(?P<verb>{_SPEECH_VERBS})\b")
# "the North Korean leader said", "said the Kremlin spokesman."
_ROLE = r"(?P<role>(?:[\w'’\-]+\s+){0,3}?[a-z][\w\-]*)"
_ROLE_BEFORE = re.compile(rf"\b(?:[Tt]he|[Aa]n?)\s+{_ROLE}\s+(?:\w+ly\s+)?(?P<verb>{_SPEECH_VERBS})\b")
_ROLE_AFTER = re.compile(rf"\b(?P<verb>{_SPEECH_VERBS}),?\s+(?:the|an?)\s+{_ROLE}(?=[,.;]|$)")
_ANY_VERB = re.compile(rf"\b(?:{_SPEECH_VERBS})\b")
_NOT_SPEAKERS = frozenset(
    """asked the a an it this but and when as in on he she they we i you
    monday tuesday wednesday thursday friday saturday sunday today yesterday""".split()
)
# Words too common to tell two quotes apart; everything else, stop words included, counts, because
# short remarks ("that's why we came here") are made of function words.
_GLUE = frozenset("the a an and of to in".split())


def quoted(match: re.Match[str]) -> str:
    """The text inside the marks of a `QUOTATION` match."""
    return match[match.lastindex or 0]


@dataclass(frozen=True)
class QuoteMention:
    """One quotation in one article, with the speaker its attribution names.

    The speaker is the name as written ("Putin") when `find_quotes` is given no `Speakers`, the
    story's fullest form of it ("Vladimir Putin") when it is.
    """

    article: str
    text: str
    speaker: str | None
    paragraph: int


AttributionKind = Literal["name", "institution", "role", "pronoun"]


@dataclass(frozen=True)
class _Attribution:
    """Who a sentence says is speaking (`who`: a name, a role phrase or a pronoun) and where."""

    kind: AttributionKind
    who: str
    start: int
    verb: int


def _attributions(sentence: str) -> list[_Attribution]:
    unquoted = QUOTATION.sub(lambda m: " " * len(m.group(0)), sentence)
    if not _ANY_VERB.search(unquoted):
        return []  # every attribution pattern holds a speech verb: most sentences have none
    found = []
    for m in _BEFORE.finditer(unquoted):
        if m["pronoun"]:
            found.append(_Attribution("pronoun", m["pronoun"], m.start(), m.start("verb")))
        elif _plausible_name(m["name"]):
            kind: AttributionKind = "institution" if m["the"] else "name"
            found.append(_Attribution(kind, m["name"], m.start("name"), m.start("verb")))
    for m in _APPOSED.finditer(unquoted):
        if _plausible_name(m["name"]):
            found.append(_Attribution("name", m["name"], m.start("name"), m.start("verb")))
    for m in _AFTER.finditer(unquoted):
        if _plausible_name(m["name"]):
            found.append(_Attribution("name", m["name"], m.start("name"), m.start("verb")))
    verbs = {a.verb for a in found}
    for m in _ROLE_BEFORE.finditer(unquoted):
        if m.start("verb") not in verbs:
            found.append(_Attribution("role", m["role"], m.start(), m.start("verb")))
    for m in _ROLE_AFTER.finditer(unquoted):
        if m.start("verb") not in verbs:  # "Putin told the reporters": the role is the listener
            found.append(_Attribution("role", m["role"], m.start("role"), m.start("verb")))
    return found


# A paragraph's sentences, and (index among them, quotations of `min_words` or more) of those quoting.
Quoting = tuple[list[str], list[tuple[int, list[tuple[str, int, int]]]]]


def _quoting(paragraph: str, min_words: int, speakers: Speakers | None) -> Quoting:
    """The paragraph's sentences and its quoting ones (`Quoting`); a paragraph without a quotation mark
    quotes nothing (most: its sentences are not searched)."""
    sentences = speakers.sentences_of(paragraph) if speakers else split_sentences(paragraph)
    if "“" not in paragraph and '"' not in paragraph:
        return sentences, []
    found = []
    for j, sentence in enumerate(sentences):
        quotations = speakers.quotations(sentence) if speakers else _quotations(sentence)
        long = [q for q in quotations if len(q[0].split()) >= min_words]
        if long:
            found.append((j, long))
    return sentences, found


def _read(sentence: str) -> tuple[list[_Attribution], list[tuple[str, int, int]]]:
    """A sentence's attributions and its quotations (text, start, end)."""
    return _attributions(sentence), _quotations(sentence)


def _quotations(sentence: str) -> list[tuple[str, int, int]]:
    """The passages of a sentence in quotation marks: (text, start, end)."""
    return [(quoted(m).strip().strip(",").strip(), m.start(), m.end()) for m in QUOTATION.finditer(sentence)]


def _any_quotation(articles: Sequence[Article], min_words: int, split: Mapping[str, list[str]]) -> bool:
    """Whether a sentence of the articles holds a quotation of `min_words` words or more (`split`: each
    paragraph's sentences)."""
    paragraphs = dict.fromkeys(p for a in articles for p in a.paragraphs if "“" in p or '"' in p)
    return any(
        len(text.split()) >= min_words
        for paragraph in paragraphs
        for sentence in split[paragraph]
        for text, _, _ in _quotations(sentence)
    )


def _plausible_name(name: str | None) -> bool:
    """A capitalised phrase that is not a sentence opener like "Asked" or "The"."""
    if not name:
        return False
    words = name.lower().split()
    return words[0] not in _NOT_SPEAKERS and words[-1] not in _NOT_SPEAKERS


def _name_key(name: str) -> str:
    """A name compared without case, hyphens or possessives: "Kim Jong-un" and "Kim Jong Un" agree."""
    name = name.replace("’", "'").removesuffix("'s")
    return " ".join(name.lower().replace("-", " ").split())


# Words whose names are read from the paragraphs holding them (`Speakers._names_with_word`) before every
# paragraph's names are read at once: a word costs two `str.find` passes over the story's text, and on
# bench/fold's stories (2.8 words a story) the paragraphs holding one were 2,481 of 7,185 (quotes 0.30 ->
# 0.25 s of CPU). Bounded because a story asking thousands (1,500 diverse articles: 2,736) would search
# its text once a word: 37 s of CPU against 4 s in one pass (`_names_by_word`). Not tuned: 8 to 100,000
# gave bench/fold's stories the same time within noise (2: 0.30 s, 4: 0.27 s).
_WORDS_READ_APART = 8


class Speakers:
    """Who may speak in a story: its names in their fullest form, and the roles its text gives them.

    Built from all the story's articles, so a role named in one article ("Kremlin spokesman Dmitry
    Peskov") resolves an attribution in another ("the Kremlin spokesman said").

    Read as asked: a name's full forms come from the paragraphs holding its last word while a story asks
    few, then from an index of the story's names by word, made in one pass (`_names_with_word`); a
    role's holders from the paragraphs that hold its head noun (`_holding`), as roles are asked a few
    times a story.

    >>> speakers = Speakers([article])  # doctest: +SKIP
    >>> speakers.full_name("Putin"), speakers.of_role("the Russian president")  # doctest: +SKIP
    ('Vladimir Putin', 'Vladimir Putin')
    """

    def __init__(self, articles: Sequence[Article], split: Mapping[str, list[str]] | None = None) -> None:
        self._paragraphs = [p for a in articles for p in a.paragraphs]
        # A paragraph that copies print again is read once; its names and roles count at each print.
        self._prints = Counter(self._paragraphs)
        # What the story's copies print again is read once: sentences of a paragraph, attributions and
        # quotations of a sentence, names and roles of a paragraph, full forms of a name.
        self._sentences: dict[str, list[str]] = dict(split or {})
        self._read: dict[str, tuple[list[_Attribution], list[tuple[str, int, int]]]] = {}
        self._quotations: dict[str, list[tuple[str, int, int]]] = {}
        self._quoting: dict[tuple[str, int], Quoting] = {}
        self._mentions: dict[str, list[EntityMention]] = {}
        self._roles: dict[str, list[RoleMention]] = {}
        self._with: dict[str, set[int]] = {}
        self._names_with: dict[str, tuple[Counter[str], dict[str, Counter[str]]]] = {}
        self._full: dict[str, str] = {}
        self._of_role: dict[str, str | None] = {}

    def _mentions_in(self, paragraph: str) -> list[EntityMention]:
        if paragraph not in self._mentions:
            self._mentions[paragraph] = entity_mentions(paragraph)
        return self._mentions[paragraph]

    def _roles_in(self, paragraph: str) -> list[RoleMention]:
        if paragraph not in self._roles:
            self._roles[paragraph] = role_mentions(paragraph, self._mentions_in(paragraph))
        return self._roles[paragraph]

    def _holding(self, words: Sequence[Sequence[str]]) -> list[str]:
        """The distinct paragraphs, in story order, that may name someone with every one of `words` (each
        a word's forms, lower case) in a name or a role: those holding a form of each, their dots left in
        or taken out ("U.S." is the name "US"), and every paragraph whose letters are not all ASCII (case and
        normal forms may change them). Any other paragraph without them has no such name nor role: a name's
        or role's words are its tokens lower-cased, possessives, dots and hyphens taken out, ’ written '
        (`_name_key`, `role_words`: synonyms merged, whence the forms). Curly quotes and dashes (caseless,
        `lowered_in_place`) are searched too: most quoting paragraphs hold them, and reading those whole
        was 11,500 of the 13,400 paragraphs read for names on bench/fold's stories."""
        paragraphs, _, always = self._searchable
        found: set[int] | None = None
        for forms in words:
            hits = set().union(*map(self._paragraphs_with, forms))
            found = hits if found is None else found & hits
        if found is None:
            return paragraphs
        return [paragraphs[k] for k in sorted(found | always)]

    @cached_property
    def _searchable(self) -> tuple[list[str], list[tuple[str, list[int]]], set[int]]:
        """The distinct paragraphs in story order; their searched forms (`_holding`), lowered and without
        dots, each joined into one text with where each paragraph starts in it; those never searched."""
        paragraphs = list(self._prints)
        lowered = [lowered_in_place(p) for p in paragraphs]
        texts = ["" if t is None else t.replace("’", "'") for t in lowered]
        joined = []
        for forms in (texts, [t.replace(".", "") for t in texts]):
            # "\0" between paragraphs: no word holds it, so no form is found across two paragraphs.
            joined.append(
                ("\0".join(forms), list(itertools.accumulate((len(t) + 1 for t in forms), initial=0)))
            )
        return paragraphs, joined, {k for k, t in enumerate(lowered) if t is None}

    def _paragraphs_with(self, form: str) -> set[int]:
        """The paragraphs (`_searchable` order) whose searched forms hold `form`: found by `str.find` in the
        joined texts, a jump to the next paragraph after each hit (testing each paragraph for each word
        asked was a third of the names' time on bench/fold's stories)."""
        if form not in self._with:
            hits = set()
            for text, starts in self._searchable[1]:
                at = text.find(form)
                while at >= 0:
                    k = bisect.bisect_right(starts, at) - 1
                    hits.add(k)
                    at = text.find(form, starts[k + 1])
            self._with[form] = hits
        return self._with[form]

    def _names_holding(self, last: str) -> tuple[Counter[str], dict[str, Counter[str]]]:
        """The story's names (`_name_key`) with the word `last`, their prints and their spellings, in the
        order the story first mentions them."""
        if last not in self._names_with:
            counts: Counter[str] = Counter()
            spellings: dict[str, Counter[str]] = {}
            for key, name, prints in self._names_with_word(last):
                counts[key] += prints
                spellings.setdefault(key, Counter())[name] += prints
            self._names_with[last] = counts, spellings
        return self._names_with[last]

    def _names_with_word(self, last: str) -> Iterable[tuple[str, str, int]]:
        """`_names_by_word[last]`: read from the paragraphs that may hold `last` (`_holding`) while few words
        are asked (`_WORDS_READ_APART`), from the index of every paragraph's names after that."""
        if "_names_by_word" in self.__dict__ or len(self._names_with) >= _WORDS_READ_APART:
            return self._names_by_word.get(last, ())
        found = []
        for paragraph in self._holding([[last]]):
            prints = self._prints[paragraph]
            for mention in self._mentions_in(paragraph):
                key = _name_key(mention.name)
                if last in key.split():
                    found.append((key, mention.name, prints))
        return found

    @cached_property
    def _names_by_word(self) -> dict[str, list[tuple[str, str, int]]]:
        """Every word of the story's names (`_name_key`) -> (key, name as written, prints) of each mention
        holding it, in story order: every paragraph read once, at the first name asked. Searching the
        paragraphs holding each name's last word instead (`_holding`) read the story's text once a name: a
        story of 1,500 diverse articles asked 2,736 words, 37 s of CPU, 4 s read in one pass (README)."""
        by_word: dict[str, list[tuple[str, str, int]]] = {}
        for paragraph, prints in self._prints.items():
            for mention in self._mentions_in(paragraph):
                key = _name_key(mention.name)
                for word in dict.fromkeys(key.split()):
                    by_word.setdefault(word, []).append((key, mention.name, prints))
        return by_word

    def _roles_holding(self, head: str, modifiers: Sequence[str]) -> list[tuple[str, int]]:
        """(person, prints) of every role with the head noun `head` and every one of `modifiers` that the
        story gives someone in an apposition, in story order."""
        found = []
        for paragraph in self._holding([role_word_forms(w) for w in (head, *modifiers)]):
            for role in self._roles_in(paragraph):
                h, *mods = reversed(role.role)
                if h == head and set(modifiers) <= set(mods):
                    found.append((self.full_name(role.name), self._prints[paragraph]))
        return found

    def sentences_of(self, paragraph: str) -> list[str]:
        """`split_sentences(paragraph)`, read once per paragraph."""
        if paragraph not in self._sentences:
            self._sentences[paragraph] = split_sentences(paragraph)
        return self._sentences[paragraph]

    def quoting(self, paragraph: str, min_words: int) -> Quoting:
        """`_quoting(paragraph, min_words)`, read once per paragraph (copies print it again)."""
        key = paragraph, min_words
        if key not in self._quoting:
            self._quoting[key] = _quoting(paragraph, min_words, self)
        return self._quoting[key]

    def read(self, sentence: str) -> tuple[list[_Attribution], list[tuple[str, int, int]]]:
        """`_read(sentence)`, read once per sentence."""
        if sentence not in self._read:
            self._read[sentence] = _attributions(sentence), self.quotations(sentence)
        return self._read[sentence]

    def quotations(self, sentence: str) -> list[tuple[str, int, int]]:
        """`_quotations(sentence)`, read once per sentence."""
        if sentence not in self._quotations:
            self._quotations[sentence] = _quotations(sentence)
        return self._quotations[sentence]

    @cached_property
    def people_(self) -> frozenset[str]:
        """The names given a role or attributed speech anywhere in the story (read on first use: only a
        quote after a colon asks)."""
        people = {self.full_name(r.name) for paragraph in self._prints for r in self._roles_in(paragraph)}
        for paragraph in self._prints:
            for sentence in self.sentences_of(paragraph):
                attributions, _ = self.read(sentence)
                people.update(self.full_name(a.who) for a in attributions if a.kind == "name")
        return frozenset(people)

    def full_name(self, short: str) -> str:
        """The most mentioned 2-3 word name holding the short name's last word ("Putin" -> "Vladimir Putin").

        Any position, not only the last word: Korean names put the family name first ("Kim Jong Un").
        """
        if short not in self._full:
            key = _name_key(short)
            counts, spellings = self._names_holding(key.split()[-1]) if key else (Counter(), {})
            options = [k for k in counts if 2 <= len(k.split()) <= 3]
            if not options:
                self._full[short] = short.replace("’", "'").removesuffix("'s")
            else:
                best = max(options, key=lambda k: (counts[k], len(k)))
                self._full[short] = spellings[best].most_common(1)[0][0]
        return self._full[short]

    def of_role(self, role: str) -> str | None:
        """The person the story gives `role` ("the Kremlin spokesman"): among those whose role has the
        same head noun and every word of `role`, the one given it in more appositions than all the
        others together; None when there is no such person ("the spokesman" of a story quoting two)."""
        if role not in self._of_role:
            self._of_role[role] = self._holder(role)
        return self._of_role[role]

    def _holder(self, role: str) -> str | None:
        words = role_words(role)
        if not words:
            return None
        head, *modifiers = reversed(words)
        holders: Counter[str] = Counter()
        for person, prints in self._roles_holding(head, modifiers):
            holders[person] += prints
        if not holders:
            return None
        person, count = holders.most_common(1)[0]
        return person if 2 * count > holders.total() else None

    def is_person(self, name: str) -> bool:
        """Whether the story shows `name` speaking or gives it a role."""
        return self.full_name(name) in self.people_


class _FullName:
    """A name as written, given its story's fullest form only when asked (`Speakers.full_name` reads the
    paragraphs holding the name: most attributions never give a quote its speaker)."""

    __slots__ = ("short", "speakers")

    def __init__(self, short: str, speakers: Speakers) -> None:
        self.short, self.speakers = short, speakers

    def __str__(self) -> str:
        return self.speakers.full_name(self.short)


_Who = str | _FullName  # a speaker, resolved (`str(who)`) when a quote is given it


def _resolve(attribution: _Attribution, speakers: Speakers | None, last_person: _Who | None) -> _Who | None:
    if attribution.kind == "pronoun":
        return last_person
    if attribution.kind == "role":
        return speakers.of_role(attribution.who) if speakers else None
    return _FullName(attribution.who, speakers) if speakers else attribution.who


def _colon_subject(before_quote: str, speakers: Speakers | None) -> str | None:
    """ "Kim signed the visitor book, leaving a message: “...”": the first name before the colon that the
    story shows speaking."""
    if speakers is None or not before_quote.rstrip().endswith(":"):
        return None
    for mention in entity_mentions(before_quote):
        if speakers.is_person(mention.name):
            return speakers.full_name(mention.name)
    return None


class _Reading:
    """One article's sentences and whom their attributions name, each sentence read when asked: the
    quoting sentences, the one before each (its speakers carry over) and those back to the last named
    person (whom a pronoun refers to). Reading every sentence up to the last quotation, and resolving
    its roles in the story, read 6,825 sentences on bench/fold's stories; read so, 2,803 (quotes 0.55 ->
    0.43 s of CPU, the same quotes)."""

    def __init__(self, sentences: Sequence[str], speakers: Speakers | None) -> None:
        self.sentences, self.speakers = sentences, speakers
        self._resolved: dict[int, list[tuple[_Attribution, _Who]]] = {}
        self._people: dict[int, list[_Who]] = {}
        self._after: dict[int, _Who | None] = {-1: None}  # the last person named up to sentence k
        self.quoted: dict[int, list[str | None]] = {}  # the speakers given the quotes of sentence k

    def read(self, k: int) -> tuple[list[_Attribution], list[tuple[str, int, int]]]:
        sentence = self.sentences[k]
        return self.speakers.read(sentence) if self.speakers else _read(sentence)

    def people(self, k: int) -> list[_Who]:
        """The persons sentence `k`'s attributions name (a name, or a role the story gives someone)."""
        if k not in self._people:
            found = self.read(k)[0]
            named = (_resolve(a, self.speakers, None) for a in found if a.kind in ("name", "role"))
            self._people[k] = [who for who in named if who is not None]
        return self._people[k]

    def last_person(self, k: int) -> _Who | None:
        """The last person named before sentence `k` (whom "he" or "she" in it refers to)."""
        walked = []
        j = k - 1
        while j not in self._after and not self.people(j):
            walked.append(j)
            j -= 1
        found = self._after[j] if j in self._after else self.people(j)[-1]
        for x in (*walked, j):
            self._after[x] = found
        return found

    def attributions(self, k: int) -> list[tuple[_Attribution, _Who]]:
        """Sentence `k`'s attributions and whom each names, a pronoun the last person named before it."""
        if k not in self._resolved:
            pairs = []
            for a in self.read(k)[0]:
                last = self.last_person(k) if a.kind == "pronoun" else None
                who = _resolve(a, self.speakers, last)
                if who is not None:
                    pairs.append((a, who))
            self._resolved[k] = pairs
        return self._resolved[k]

    def previous(self, k: int) -> list[_Who]:
        """The speakers of the sentence before `k`: those it attributes, else those of its quotes."""
        if k == 0:
            return []
        return [who for _, who in self.attributions(k - 1)] or [w for w in self.quoted.get(k - 1, ()) if w]


def find_quotes(article: Article, min_words: int = 4, speakers: Speakers | None = None) -> list[QuoteMention]:
    """The quotations of `article` of at least `min_words` words, each with its speaker when named.

    `speakers`: the story's names and roles (`Speakers`), to give names their fullest form and resolve
    roles and colons; without it names stay as written and roles are not resolved.
    """
    out: list[QuoteMention] = []
    texts: list[str] = []
    quoting: list[tuple[int, int, list[tuple[str, int, int]]]] = []  # (sentence, paragraph, quotations)
    for p, paragraph in enumerate(article.paragraphs):
        # Each paragraph's quoting sentences are found once a story (`Speakers.quoting`), not once a print:
        # the other sentences are read only when a later quote asks (its speaker may be named there).
        found = speakers.quoting(paragraph, min_words) if speakers else _quoting(paragraph, min_words, None)
        quoting.extend((len(texts) + j, p, quotations) for j, quotations in found[1])
        texts.extend(found[0])
    reading = _Reading(texts, speakers)
    for k, p, quotations in quoting:
        sentence = texts[k]
        attributions = reading.attributions(k)
        quoted: list[str | None] = reading.quoted.setdefault(k, [])
        for text, start, end in quotations:
            near = sorted(attributions, key=lambda x: min(abs(x[0].start - start), abs(x[0].start - end)))
            speaker = str(near[0][1]) if near else _colon_subject(sentence[:start], speakers)
            if speaker is None and (previous := reading.previous(k)):
                speaker = str(previous[-1])
            out.append(QuoteMention(article.id, text, speaker, p))
            quoted.append(speaker)
    return out


def _bag(text: str) -> set[str]:
    return {w for w in word_tokens(text) if w not in _GLUE}


def _same_remark(
    a: QuoteMention, b: QuoteMention, min_overlap: float, min_shared: int, x: set[str], y: set[str]
) -> bool:
    """Whether two mentions are one remark; `x` and `y` are their word bags (`_bag`)."""
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return False
    if not x or not y:
        return False
    shared = len(x & y)
    return shared >= min(min_shared, len(x), len(y)) and shared / min(len(x), len(y)) >= min_overlap


def _words_needed(size: int, min_overlap: float, min_shared: int) -> int:
    """The fewest shared words `_same_remark` accepts when the smaller bag has `size` words."""
    least = min(min_shared, size)
    return next((k for k in range(max(least, 0), size + 1) if k / size >= min_overlap), size + 1)


def _candidate_pairs(bags: Sequence[set[str]], min_overlap: float, min_shared: int) -> list[tuple[int, int]]:
    """The pairs (x < y) of bags that may be one remark: every pair `_same_remark` accepts among them.

    Comparing every pair of a story's distinct quotations grew with the square of its independent
    reports (a story of 11 origins: 3,000 wordings, 4.5 million pairs). A pair accepted shares at least
    `_words_needed` words of the smaller bag, so (prefix filtering) one of them is among that bag's
    rarest `size - needed + 1` words: each bag is compared with the bags holding one of those, not all.
    """
    if _words_needed(1, min_overlap, min_shared) <= 0:  # any two bags may be one remark
        return list(itertools.combinations(range(len(bags)), 2))
    holding: dict[str, list[int]] = {}
    for x, bag in enumerate(bags):
        for word in bag:
            holding.setdefault(word, []).append(x)
    rarest = {word: (len(xs), word) for word, xs in holding.items()}.__getitem__
    found: set[tuple[int, int]] = set()
    for y, bag in enumerate(bags):
        if not bag:
            continue
        prefix = sorted(bag, key=rarest)[: len(bag) - _words_needed(len(bag), min_overlap, min_shared) + 1]
        for word in prefix:
            found.update((min(x, y), max(x, y)) for x in holding[word] if x != y and len(bags[x]) >= len(bag))
    return sorted(found)


def group_quotes(
    mentions: Sequence[QuoteMention], min_overlap: float = 0.6, min_shared: int = 3
) -> list[list[QuoteMention]]:
    """Quote mentions grouped as one remark (single link over `_same_remark` between mentions of different
    articles), in first-mention order.

    The same words with the same speaker (copies) are one remark; each distinct (words, speaker) is
    compared with the others once, however many copies print it.
    """
    distinct: dict[tuple[str, str | None], list[int]] = {}
    for k, m in enumerate(mentions):
        distinct.setdefault((m.text, m.speaker), []).append(k)
    keys = list(distinct)
    sets = UnionFind(len(keys))
    articles = [{mentions[k].article for k in distinct[key]} for key in keys]
    bags = [_bag(text) for text, _ in keys]  # each wording's words read once, not once per pair
    firsts = [mentions[distinct[key][0]] for key in keys]
    for x, y in _candidate_pairs(bags, min_overlap, min_shared):
        one_article = len(articles[x]) == 1 and articles[x] == articles[y]
        if not one_article and _same_remark(firsts[x], firsts[y], min_overlap, min_shared, bags[x], bags[y]):
            sets.union(x, y)
    key_of = {key: x for x, key in enumerate(keys)}
    groups: dict[int, list[QuoteMention]] = {}
    for m in mentions:
        groups.setdefault(sets.find(key_of[m.text, m.speaker]), []).append(m)
    return list(groups.values())


def story_quotes(
    articles: Sequence[Article],
    min_words: int = 4,
    min_overlap: float = 0.6,
    min_shared: int = 3,
    split: Mapping[str, list[str]] | None = None,
) -> list[Quote]:
    """The story's quotes, most-reported first; each with its wordings and the articles using each.

    `split`: the articles' `sentences.paragraph_sentences`, when the caller has them.
    """
    split = paragraph_sentences(articles) if split is None else split
    if not _any_quotation(articles, min_words, split):
        return []  # no names or roles to read (a third of the stories of bench/fold's corpus)
    speakers = Speakers(articles, split)
    mentions = [m for a in articles for m in find_quotes(a, min_words, speakers)]
    order = {a.id: k for k, a in enumerate(articles)}
    quotes = []
    keys: dict[str, str] = {}  # a wording's text -> its words, read once
    for group in group_quotes(mentions, min_overlap, min_shared):
        wordings: dict[str, list[str]] = {}
        for m in group:
            if m.text not in keys:
                keys[m.text] = " ".join(word_tokens(m.text))
            key = keys[m.text]
            wordings.setdefault(key, [m.text])
            if m.article not in wordings[key]:
                wordings[key].append(m.article)
        variants = tuple(
            SourcedText(v[0], tuple(sorted(dict.fromkeys(v[1:]), key=order.__getitem__)))
            for v in wordings.values()
        )
        sources = tuple(sorted({m.article for m in group}, key=order.__getitem__))
        named = Counter(m.speaker for m in group if m.speaker)
        main = max(variants, key=lambda v: (len(v.sources), len(v.text)))
        speaker = named.most_common(1)[0][0] if named else None
        quotes.append(Quote(main.text, speaker, sources, variants))
    return sorted(quotes, key=lambda q: -len(q.sources))
