"""Names of people, places and organisations, found as capitalised phrases.

A rule-based extractor rather than a statistical NER model: newsfold may not download weights at run
time and no PyPI package ships an English NER model, while news prose capitalises proper nouns reliably.
The rules that matter are the sentence-initial word (capitalised whether or not it is a name: kept only
when the same word is never written in lower case in the text and is not a function word), connectors
inside names ("Bank of England", "Osama bin Laden"), honorifics ("Mr", "President" before a name) and
lines written wholly in capitals (headlines), where case says nothing.

`role_mentions` reads the roles a text gives its names, from the two appositions news style uses
("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov, the Kremlin's spokesman"), so a later "the Kremlin
spokesman said" can be told apart from "the North Korean leader said" by the story's own words.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from newsfold._native import compiled_kernel

__all__ = [
    "EntityMention",
    "EntityReader",
    "RoleMention",
    "entity_mentions",
    "extract_entities",
    "name_end_words",
    "role_mentions",
    "role_spans",
    "role_word_forms",
    "role_words",
]

# Words that may sit inside a name when a capitalised word follows them.
_CONNECTORS = frozenset("of de del della der di da du la le van von bin al el".split())
# Capitalised words that are never a name on their own: function words, pronouns, calendar words.
_NOT_NAMES = frozenset(
    """a an and as at but by for from he her his how i if in into is it its me my no nor not of on or
    our she so that the their them then there these they this those to us was we were what when where
    which while who whom why will with you your yes also after before during since until about above
    again all although among any because both each even every few here however many more most much
    once only other over same several some such than through under very yet mr mrs ms dr sir st
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec am pm
    according meanwhile earlier later last next new first second third one two three""".split()
)
# Titles dropped from the front of a name: "President Vladimir Putin" names the same person as "Putin".
_HONORIFICS = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady president vice prime minister chancellor king queen
    prince princess pope rev reverend gen general col colonel capt captain lt sgt sen senator rep
    gov governor mayor judge justice chairman chief secretary leader""".split()
)
# `_TOKEN`, `_SENTENCE_MARKS` and `_POSSESSIVE` are repeated in the compiled line reader (`_entities.pyx`):
# tests/test_entities_kernel.py fails where they differ.
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*[\w]|[^\W\d_]", re.UNICODE)
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")  # the text between tokens, and the tokens
_SENTENCE_MARKS = frozenset(".!?:;\"“”‘'")
_POSSESSIVE = ("'s", "’s", "s'", "s’")
# Words a Title Case headline leaves in lower case.
_TITLE_LOWER = frozenset("a an the of in on at to for and or by with as but from into vs".split())
_ABBREVIATIONS = _HONORIFICS | {"st", "jr", "sr", "no", "mt", "ft"}
_NOT_A_WHOLE_NAME = _NOT_NAMES | _HONORIFICS
_FIRST = operator.itemgetter(0)
_ACRONYM = re.compile(r"(?:[A-Z]\.)+[A-Z]?\.?")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _abbreviation_before(gaps: list[str], words: list[str], k: int) -> bool:
    """Token `k` follows "Mr." or an initial ("George W. Bush"): that dot ends no sentence or name."""
    if k == 0 or gaps[k].strip() != ".":
        return False
    previous = words[k - 1]
    return (len(previous) == 1 and previous.isupper()) or previous.lower() in _ABBREVIATIONS


@dataclass(frozen=True)
class EntityMention:
    """One capitalised phrase in a text: its normalised `name` and its character span."""

    name: str
    start: int
    end: int


def _normalise(words: list[str]) -> str:
    """Strip honorifics, a leading "The", possessives and acronym dots; keep the name's own capitals."""
    cleaned = words
    joined = "".join(words)
    if "’" in joined or "'" in joined or "." in joined:  # most names hold neither apostrophe nor dot
        cleaned = []
        for w in words:
            if "’" in w:
                w = w.replace("’", "'")
            if "'" in w:
                w = w[:-2] if w.endswith("'s") else w.rstrip("'")
            if "." in w:
                w = w.replace(".", "") if _ACRONYM.fullmatch(w) else w.rstrip(".")
            cleaned.append(w)
    if not _HONORIFICS.isdisjoint(map(str.lower, cleaned[:-1])):  # "Russian President Vladimir Putin"
        titles = [k for k, w in enumerate(cleaned[:-1]) if w.lower() in _HONORIFICS]
        cleaned = cleaned[titles[-1] + 1 :]  # -> "Vladimir Putin"
    while len(cleaned) > 1 and cleaned[0].lower() == "the":
        cleaned = cleaned[1:]
    name = " ".join(filter(None, cleaned))
    return name if name.isascii() else unicodedata.normalize("NFC", name)


def _case_blind(line: str, words: list[str], capitalised: list[bool]) -> bool:
    """A line in capitals or in Title Case (a headline): there case does not mark names."""
    # Letters and capitals counted as bytes for the ASCII ones (str.isalpha and str.isupper agree with
    # a-z and A-Z there), character by character for the rest only.
    data = line.encode("utf-8")
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS))
    upper = len(data) - len(data.translate(None, _ASCII_UPPER))
    if not line.isascii():
        others = _NON_ASCII.findall(line)
        letters += sum(map(str.isalpha, others))
        upper += sum(map(str.isupper, others))
    if letters >= 12 and upper > 0.6 * letters:
        return True
    title_lower = list(map(_TITLE_LOWER.__contains__, map(str.lower, words)))
    kept = len(words) - sum(title_lower)
    return kept >= 4 and sum(itertools.compress(capitalised, map(operator.not_, title_lower))) > 0.9 * kept


def entity_mentions(text: str, reader: EntityReader | None = None) -> list[EntityMention]:
    """Every capitalised name phrase of `text`, in order, with its span (for quote speakers and the like).

    `reader`: an `EntityReader` that keeps what it read of each line, for a caller reading many texts
    that share lines (copies of one article).

    >>> [m.name for m in entity_mentions("President Vladimir Putin met Kim Jong Un in Vostochny.")]
    ['Vladimir Putin', 'Kim Jong Un', 'Vostochny']
    """
    return [EntityMention(*span) for span in _mention_spans(text, reader or EntityReader(cache_lines=0))]


def _mention_spans(text: str, reader: EntityReader) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of each of `entity_mentions(text)`, in order."""
    readings = list(map(reader.read_line, text.splitlines(keepends=True)))
    capitalised_inside: set[str] = set().union(*(r.inside for r in readings))
    inside_keys = {word.lower() for word in capitalised_inside}
    lowercase = [r.lowercase for r in readings if r.lowercase]

    def written_in_lower_case(key: str) -> bool:
        """Whether the text writes `key` in lower case and never capitalised inside a sentence (asked
        of a few sentence-initial words only: the lines' words are not gathered into one set)."""
        return key not in inside_keys and any(key in words for words in lowercase)

    offset = 0
    for reading in readings:
        for phrase in reading.phrases:
            # A sentence's first word is capitalised by grammar: dropped unless the text treats it as a name
            # (the one decision that needs the whole text; the rest was read from the line alone).
            drop = phrase.common or (
                phrase.sentence_start
                and phrase.word not in capitalised_inside
                and (phrase.grammar or written_in_lower_case(phrase.key))
            )
            span = phrase.dropped if drop else phrase.kept
            if span is not None:
                yield span[0], offset + span[1], offset + span[2]
        offset += reading.length


class _Phrase(NamedTuple):  # a tuple: made for every phrase of every distinct line, cheaper than a dataclass
    """A capitalised phrase of a line: its mention (name, start, end) with and without its first word."""

    kept: tuple[str, int, int] | None
    dropped: tuple[str, int, int] | None
    word: str  # the first word
    key: str  # the first word lower-cased
    common: bool  # a function word, or a title before more words: dropped wherever it stands
    sentence_start: bool
    grammar: bool  # alone, or an -ing/-ly word: dropped when it opens a sentence and is not a name


class _LineReading(NamedTuple):
    """What a line says on its own: its words written in lower case (lower-cased), its capitalised words
    that open no sentence, and its capitalised phrases (none in a headline line: case says nothing)."""

    length: int
    lowercase: frozenset[str]
    inside: frozenset[str]
    phrases: tuple[_Phrase, ...]


class _KernelRules(NamedTuple):
    """This module's rules as the compiled line reader (`_entities.pyx`) takes them, in its order."""

    not_names: frozenset[str]
    honorifics: frozenset[str]
    abbreviations: frozenset[str]
    connectors: frozenset[str]
    not_a_whole_name: frozenset[str]
    title_lower: frozenset[str]
    normalise: Callable[[list[str]], str]
    phrase: type[_Phrase]
    line_reading: type[_LineReading]


# `_read_line` compiled (`_entities.pyx`, built by setup.py): the same readings (its spec, below, is what
# runs where it is not built; tests/test_entities_kernel.py compares both); None where not built.
_compiled_read_line = compiled_kernel("newsfold._entities", "read_line")
_KERNEL_RULES = _KernelRules(
    _NOT_NAMES, _HONORIFICS, _ABBREVIATIONS, _CONNECTORS, _NOT_A_WHOLE_NAME, _TITLE_LOWER,
    _normalise, _Phrase, _LineReading,
)  # fmt: skip


class EntityReader:
    """Reads lines into capitalised phrases, keeping up to `cache_lines` readings (copies share lines).

    >>> reader = EntityReader()
    >>> [m.name for m in reader.mentions("President Putin met Kim Jong Un in Vostochny.")]
    ['Putin', 'Kim Jong Un', 'Vostochny']
    """

    def __init__(self, cache_lines: int = 100_000) -> None:
        self.cache_lines = cache_lines
        self._readings: dict[str, _LineReading] = {}

    def read_line(self, line: str) -> _LineReading:
        """The reading of one line (with its line end)."""
        reading = self._readings.get(line)
        if reading is None:
            if _compiled_read_line is None:
                reading = _read_line(line)
            else:
                reading = _compiled_read_line(line, _KERNEL_RULES)
            if self.cache_lines:
                if len(self._readings) >= self.cache_lines:  # bounds memory on endless streams
                    self._readings.clear()
                self._readings[line] = reading
        return reading

    def mentions(self, text: str) -> list[EntityMention]:
        """`entity_mentions(text)`."""
        return entity_mentions(text, self)

    def names(self, text: str) -> list[str]:
        """`extract_entities(text)`: the distinct names, in order of first mention (no mention objects
        made: the clustering's profiles want the names only)."""
        return list(dict.fromkeys(name for name, _, _ in _mention_spans(text, self)))


def _read_line(line: str) -> _LineReading:
    # One split gives every token and the text between tokens (gap, token, gap, ..., token, gap): strings
    # made in C, no match object a token (those were half a line's reading). The phrase rules read the
    # gaps where they read the line around a token; a token's offset is the length of what precedes it.
    parts = _TOKEN_SPLIT.split(line)
    words = parts[1::2]
    gaps = parts[0::2]  # gaps[k]: the text before token k (gaps[-1]: after the last)
    firsts = list(map(_FIRST, words))
    upper = list(map(str.isupper, firsts))
    if not words or _case_blind(line, words, upper):
        return _LineReading(len(line), frozenset(), frozenset(), ())
    lowercase = frozenset(map(str.lower, itertools.compress(words, map(str.islower, firsts))))
    capitalised = list(itertools.compress(range(len(words)), upper))
    # Whether each capitalised word opens a sentence (read once, for `inside` and for the phrases): the
    # first character before it that is not a space is a sentence mark, or there is none (only spaces
    # back to the token before, which ends with a letter or digit, or to the start of the line).
    before = list(map(str.rstrip, map(gaps.__getitem__, capitalised)))
    opening = [
        gap[-1] in _SENTENCE_MARKS if gap else k == 0 for gap, k in zip(before, capitalised, strict=True)
    ]
    inside = frozenset(itertools.compress(map(words.__getitem__, capitalised), map(operator.not_, opening)))
    offsets = list(itertools.accumulate(map(len, parts), initial=0))  # token k: offsets[2k+1:2k+3]
    phrases = []
    end = 0
    for i, opens in zip(capitalised, opening, strict=True):
        if i < end:
            continue
        opens = opens and not _abbreviation_before(gaps, words, i)
        end = _phrase_end(gaps, words, upper, i)
        word = words[i]
        key = word.lower().rstrip(".")
        common = key in _NOT_NAMES or key in _HONORIFICS and i + 1 < end
        grammar = end - i == 1 or key.endswith(("ing", "ly"))
        # Only the spans a decision can pick are made (a common first word is always dropped, a first
        # word that opens no sentence always kept).
        kept = None if common else _span(offsets, words, i, end)
        dropped = _span(offsets, words, _first_name_word(words, i + 1, end), end) if common or opens else None
        phrases.append(_Phrase(kept, dropped, word, key, common, opens, grammar))
    return _LineReading(len(line), lowercase, inside, tuple(phrases))


def _first_name_word(words: list[str], first: int, end: int) -> int:
    """The first of words[first:end] that is neither a function word nor a title before more words."""
    while first < end:
        key = words[first].lower().rstrip(".")
        if not (key in _NOT_NAMES or key in _HONORIFICS and first + 1 < end):
            break
        first += 1
    return first


def _span(offsets: list[int], words: list[str], first: int, end: int) -> tuple[str, int, int] | None:
    """(name, start, end) of words[first:end] as a mention (`offsets`: where each part of the line's split
    starts); None when they name nothing."""
    one = words[first] if end - first == 1 else None
    if one is not None and one.isascii() and "'" not in one and "." not in one:
        name = one  # `_normalise` of one ASCII word with no apostrophe nor dot: itself
    else:
        name = _normalise(words[first:end])
    dotted = first < end and "." in words[first]  # "U.S." is a name, "us" a pronoun
    if len(name) > 1 and (dotted or name.lower() not in _NOT_A_WHOLE_NAME):
        return name, offsets[2 * first + 1], offsets[2 * end]
    return None


def _phrase_end(gaps: list[str], words: list[str], capitalised: list[bool], i: int) -> int:
    """Index after the last token of the capitalised phrase starting at token `i` (`gaps`: the text
    before each token, `words`: the tokens' text, `capitalised`: whether each opens with a capital)."""
    j = i + 1
    n = len(words)
    while j < n and not words[j - 1].endswith(_POSSESSIVE):
        gap = gaps[j]
        if gap != " " and (gap.strip(" -") or "\n" in gap) and not _abbreviation_before(gaps, words, j):
            break  # punctuation between words ends the phrase
        if capitalised[j]:
            j += 1
        elif (
            j + 1 < n
            and capitalised[j + 1]
            and words[j].lower() in _CONNECTORS
            and not gaps[j + 1].strip(" -")
        ):
            j += 2
        else:
            break
    return j


def extract_entities(text: str) -> list[str]:
    """The distinct names of people, places and organisations `text` mentions, in order of first mention.

    Names are normalised: honorifics and a leading "The" dropped, possessives stripped, so
    "President Putin's" and "Putin" both give "Putin".

    >>> extract_entities("The Bank of England raised rates. Mr. Bailey said the Bank of England acted.")
    ['Bank of England', 'Bailey']
    """
    return EntityReader(cache_lines=0).names(text)


def name_end_words(text: str) -> list[str]:
    """Each capitalised word of `text` as a name would hold it (`_normalise`d: possessive, acronym dots):
    every name `extract_entities(text)` gives ends with one of them (a phrase ends on a capitalised word,
    `_phrase_end`; honorifics and "The" go from its front only), so a caller testing names' last words
    can test these first and read no names when they all pass.

    >>> name_end_words("President Putin's aides met U.S. envoys.")
    ['President', 'Putin', 'US']
    """
    return [_normalise([word]) for word in _TOKEN.findall(text) if word[0].isupper()]


# Job titles written more than one way: each maps to one form.
_ROLE_SYNONYMS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson"}
# Words that end a role phrase: "chairman of ...", "an analyst with ...", "who ...".
_ROLE_STOPS = frozenset("of with at for in on from and or to who which that whose by as".split())
_ROLE_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*[\w]|[^\W\d_]")
# ", (the|a|an) ROLE," after a name: at most 6 words, none of them punctuation or a quotation mark.
_ROLE_AFTER = re.compile(
    r",\s+(?:(?:the|a|an)\s+)?((?:[^\W\d_][\w'’.\-]*\s+){0,5}[a-z][\w\-]*)(?=\s*,|\s*\.|\s+(?:of|with|at|for|in|who|from)\b)"
)
_ROLE_BEFORE_WORDS = 4
# Agent suffixes of English nouns for people: leader, governor, economist, analyst, historian, president,
# assistant, chairman, spokeswoman, spokesperson, secretary; and nouns for people without one.
_ROLE_SUFFIXES = ("er", "or", "ist", "yst", "ian", "ent", "ant", "man", "woman", "person", "ary")
_ROLE_NOUNS = frozenset(
    "chief head envoy aide deputy expert diplomat official attorney boss ceo coach pilot nurse".split()
)
_NOT_ROLES = frozenset(
    """whether either neither rather together never ever however whatever whenever other under after over
    later former latter per recent current different important present""".split()
)


@dataclass(frozen=True)
class RoleMention:
    """A name the text gives with a role: `role` as `role_words` normalises it ("north korean leader")."""

    name: str
    role: tuple[str, ...]


def role_words(phrase: str) -> tuple[str, ...]:
    """A role phrase's words lower-cased, without determiners or possessives, synonyms merged.

    >>> role_words("the Kremlin's spokesman")
    ('kremlin', 'spokesperson')
    """
    words = []
    for word in _ROLE_TOKEN.findall(phrase):
        word = word.lower().replace("’", "'").removesuffix("'s").rstrip("'")
        if word not in ("the", "a", "an"):
            words.append(_ROLE_SYNONYMS.get(word, word))
    return tuple(words)


def role_word_forms(word: str) -> tuple[str, ...]:
    """The words (lower case) that `role_words` gives as `word`: itself and the synonyms merged into it.

    >>> role_word_forms("spokesperson")
    ('spokesperson', 'spokesman', 'spokeswoman')
    """
    return (word, *(form for form, merged in _ROLE_SYNONYMS.items() if merged == word))


def _is_role_head(word: str) -> bool:
    """A role ends in a title ("President") or a noun for a person ("leader", "spokesperson", "analyst").

    Nouns for a person are told by their English agent suffixes or a short list of the rest, so a verb
    ("said", "help") or an adjective before a name is not read as a role.
    """
    lower = word.lower()
    if lower in _HONORIFICS or lower in _ROLE_NOUNS:
        return True
    return word.islower() and lower.endswith(_ROLE_SUFFIXES) and lower not in _NOT_ROLES


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’\-]*) $")
# A run of the characters a word before a name may hold (_WORD_BEFORE's inner class).
_IN_WORD = re.compile(r"[\w'’\-]*")
# How far back the word before a name is looked for first (a longer word is looked for in the whole head).
_WORD_BEFORE_CHARS = 64


def _word_before(text: str, end: int) -> re.Match[str] | None:
    """`_WORD_BEFORE.search(text[:end])`: the word and space that `text` has just before `end`.

    Searched in the last `_WORD_BEFORE_CHARS` characters first: a search over the whole head read a
    paragraph once per word before each of its names (a third of the quotes' time on bench/fold).
    """
    start = max(0, end - _WORD_BEFORE_CHARS)
    space = end - 2 if text.endswith("\n", 0, end) else end - 1  # "$" matches before a final newline too
    if start > 0 and _IN_WORD.fullmatch(text, start, max(start, space)):
        start = 0  # the word may begin before the window
    return _WORD_BEFORE.search(text, start, end)


def _role_before(text: str, mention: EntityMention) -> list[str]:
    """The words of a role written before the name, title words inside the mention included."""
    return [word for word, _ in _role_before_at(text, mention)[0]]


def _role_before_at(text: str, mention: EntityMention) -> tuple[list[tuple[str, int]], int]:
    """`_role_before`'s words, each with where it starts in `text`, and where the name after them starts."""
    span = list(_ROLE_TOKEN.finditer(text, mention.start, mention.end))
    titles = [k for k, m in enumerate(span[:-1]) if m.group().lower() in _HONORIFICS]
    name_start = span[titles[-1] + 1].start() if titles else mention.start
    inside = span[: titles[-1] + 1] if titles else []
    while inside and inside[0].group().lower() == "the":
        inside = inside[1:]
    before: list[tuple[str, int]] = []
    end = mention.start
    for _ in range(_ROLE_BEFORE_WORDS):
        m = _word_before(text, end)
        if not m or m.group(1).lower() in _NOT_NAMES or m.group(1).lower() in _ROLE_STOPS:
            break
        end = m.start()
        before.insert(0, (m.group(1), end))
    words = before + [(m.group(), m.start()) for m in inside]
    return (words, name_start) if words and _is_role_head(words[-1][0]) else ([], name_start)


def role_spans(text: str) -> list[tuple[int, int]]:
    """Where each role written before a name starts, and where its name starts, in `text`: what a
    compression leaves out to keep the name alone. The role is its head noun and the capitalised words
    before it ("North Korean leader"), with a determiner before them; a role after a lower-case word that
    is not a function word is left out, as that word may be part of it ("police officer") or not ("met").

    >>> text = "Russian President Vladimir Putin and North Korean leader Kim Jong Un met."
    >>> [text[a:b] for a, b in role_spans(text)]
    ['Russian President ', 'North Korean leader ']
    """
    spans = []
    for mention in entity_mentions(text):
        words, name_start = _role_before_at(text, mention)
        if not words:
            continue
        k = len(words) - 1
        while k > 0 and words[k - 1][0][:1].isupper():
            k -= 1
        start = words[k][1]
        before = _word_before(text, start)
        if before and before.group(1).lower() in ("the", "a", "an"):
            start = before.start(1)  # "the Kremlin spokesperson Dmitry Peskov": the determiner goes too
        elif before and before.group(1).islower() and before.group(1) not in _NOT_NAMES:
            continue
        spans.append((start, name_start))
    return spans


def role_mentions(text: str, mentions: list[EntityMention] | None = None) -> list[RoleMention]:
    """Every name of `text` given with a role, in order: "Russian President Vladimir Putin",
    "North Korean leader Kim Jong Un", "Matthew Miller, a State Department spokesperson,".

    `mentions`: `entity_mentions(text)` when the caller has them already.

    >>> [(r.name, r.role) for r in role_mentions("Kremlin spokesman Dmitry Peskov said so.")]
    [('Dmitry Peskov', ('kremlin', 'spokesperson'))]
    """
    found = []
    for mention in entity_mentions(text) if mentions is None else mentions:
        before = _role_before(text, mention)
        if before:
            found.append(RoleMention(mention.name, role_words(" ".join(before))))
        after = _ROLE_AFTER.match(text, mention.end)
        if after:
            words = after.group(1).split()
            if _is_role_head(words[-1]) and not any(w.lower() in _ROLE_STOPS for w in words):
                found.append(RoleMention(mention.name, role_words(after.group(1))))
    return [r for r in found if r.role]
