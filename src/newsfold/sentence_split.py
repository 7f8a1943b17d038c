"""The sentence splitter: one for the whole project (copy detection's sentence keys and the story's
sentences), so that what the copies align and what the story summarises are the same sentences.

Written here rather than taken from NLTK's Punkt or spaCy because those need a downloaded model, and the
rules news prose needs are few. A line is cut after a sentence's stop when all of these hold:

1. The stop is `.`, `!` or `?`, maybe closed by quotes or brackets (`CLOSERS`, which stay with the
   sentence), then whitespace, then a capital of any script or an ASCII digit, maybe after an opening
   quote or bracket (`OPENERS`): "He left.” Then", "Prices rose. 12 fell", "gesagt. Über", "ушёл. Она",
   "„Ja.“ Dann".
   A lower-case word after a stop ("etc. and", "approx. half") continues the sentence.
2. Or the stop is a CJK one (`。`, `！`, `？`), maybe closed, and any text follows: CJK writes no space
   after a sentence (before this rule a Chinese or Japanese paragraph was one sentence).
3. A full stop directly before the whitespace (no closer) does not end a sentence when it ends
   - a title or a word that precedes what it names (`TITLES`: "Gov. Hochul", "Smith vs. Jones"), always;
   - "No.", "Nos." or a month before a number (`BEFORE_NUMBERS`: "No. 10 Downing", "Sept. 12"): AP style
     abbreviates them only there, so before anything else the stop ends a sentence ("He said no. Biden
     left", Spanish "en el mar. En Albania");
   - any other abbreviation of news style (`ABBREVIATIONS`: company suffixes, "Jr.", "etc."), an initial
     or dotted letters ("Stephen A. Smith", "the U.S. Attorney", "Apple Inc. CEO", "9 a.m. Monday"),
     unless the next word is a capitalised English function word (`FUNCTION_WORDS`, maybe after one
     opener): "in the U.S. The company said", "Plan B. Then he left", "at 9 a.m. It was". A pronoun,
     article, conjunction, preposition or auxiliary has a capital only where it starts a sentence, where
     a capitalised noun may go on with a name ("U.S. President Biden"). This is Punkt's orthographic
     evidence (Kiss and Strunk 2006: a word a text writes lower-case inside sentences starts one where
     it is capitalised) taken from a closed word class instead of learned from the text, as the splitter
     reads a line alone (a copy's line must be cut as its origin's). After a single initial, "A" or "I"
     is the next initial, its stop dropped ("an L. A judge"); a second capitalised function word after
     the first (but "I" or "A") is title case, a headline's ("Jr. On The Lam"). On Fundus' and zyte's
     gold bodies this cut 9 sentences the splitter joined before, all rightly by hand, and no other; on
     ECB+ dev's gold sentences, 10 boundaries more found, and 1 the labels lack ("by 6: 40 a. m. The
     building is a total loss", two sentences) (`bench/bench_sentence_split.py`);
   - a one- or two-digit day before a month (`DAY_DOT_MONTHS`): "am 11. Mai", "vom 3. Oktober 1990".
4. Nor does any stop inside a quotation that closes later in the line ("“We agreed. It is done,” he
   said." is one sentence, its words and their speaker together). A quotation is open after an odd
   number of double quotation marks of any style (`QUOTATION_MARKS`: " “ ” „ « »), so that a copy whose
   CMS swapped its quotes' typography (“...\" for "...") is cut where its origin is. A quotation left
   open to the line's end (a quote running on into the next paragraph, as news style prints it) holds
   nothing: before, such a line was one sentence to its end.

`split_sentences` and `split_lines` run the compiled kernel (`_sentence_split.pyx`) where it is built;
`split_lines_plain` is its spec (tests/test_sentence_split.py compares them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from newsfold._native import compiled_kernel

__all__ = [
    "ABBREVIATIONS",
    "BEFORE_NUMBERS",
    "CLOSERS",
    "DAY_DOT_MONTHS",
    "FUNCTION_WORDS",
    "OPENERS",
    "QUOTATION_MARKS",
    "TITLES",
    "split_lines",
    "split_lines_plain",
    "split_sentences",
]

# Quotes and brackets: English curly quotes, German „...“ and »...«, French «...».
CLOSERS = "\"'\u201d\u2019\u201c\u00bb\u00ab)]"
OPENERS = "\"'\u201c\u2018\u201e\u00ab\u00bb(["
# The double quotation marks, whichever opens or closes (rule 4 counts them, blind to typography).
QUOTATION_MARKS = '"\u201c\u201d\u201e\u00ab\u00bb'
# Abbreviations after which a full stop may not end a sentence (news style: AP stylebook months, titles).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen lt col capt sgt adm cmdr gov sen rep rev pres supt
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vol fig inc corp co ltd bros vs etc
    approx est dept univ ave blvd rd""".split()
)
# Those that come before what they name, so never end a sentence (a title-case "Mr. And Mrs. Smith" too).
TITLES = frozenset(
    "mr mrs ms dr prof mt ft gen lt col capt sgt adm cmdr gov sen rep rev pres supt vs approx".split()
)
# Abbreviations only before a number (AP style: "No. 10", "Sept. 12"); a stop after them anywhere else
# ends the word "no", or a word spelled as a month's abbreviation (Spanish "mar", the sea).
BEFORE_NUMBERS = frozenset("no nos jan feb mar apr jun jul aug sep sept oct nov dec".split())
# English closed-class words (pronouns, articles and determiners, conjunctions, prepositions, auxiliaries,
# sentence adverbs): capitalised after an abbreviation that may end a sentence, they start the next one.
# Left out where a capitalised one is a name as often: "May" (the month), "Will" (the name), "Us".
FUNCTION_WORDS = frozenset(
    """i you he she it we they me him her them my your his its our their this that these those there
    who what which whose where when why how the a an some any no each every all both either neither
    another such and but or nor so yet for because although though while if unless until since as
    once than in on at by of to from with without about against among between during into through
    under over after before despite then however also still now here instead meanwhile thus not
    is are was were be been has have had do does did can could would should must shall might""".split()
)
_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))  # what the kernel reads no further than
# The months a day's ordinal full stop comes before ("am 11. Mai", "vom 3. Oktober 1990"): that stop
# ends the ordinal, not a sentence. Capitalised months only, as a cut needs a capital after the stop:
# German writes them so, Danish, Norwegian, Czech or Polish in lower case ("11. maj").
DAY_DOT_MONTHS = (
    "Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip
_CJK_STOPS = "\u3002\uff01\uff1f"  # 。！？
_CJK_CLOSERS = "\u300d\u300f\u201d\u2019\uff09"  # 」』”’）
# Where a cut may fall (rules 1 and 2): the stop, its closers (group 1), the whitespace after.
_CANDIDATE = re.compile(rf"(?<=[.!?])([{re.escape(CLOSERS)}]*)\s+|(?<=[{_CJK_STOPS}])([{_CJK_CLOSERS}]*)\s*")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_ASCII_WORD = re.compile(r"[A-Za-z]+")
_DAY_MONTH = re.compile(rf"(?:(?<=\b[0-9]\.)|(?<=\b[0-9][0-9]\.))\s+(?:{'|'.join(DAY_DOT_MONTHS)})\b")


def _starts_sentence(text: str, at: int) -> bool:
    """Rule 1's start: a capital of any script or an ASCII digit at `at`, maybe after one opener."""
    if text[at] in OPENERS and at + 1 < len(text):
        at += 1
    c = text[at]
    return c.isupper() or "0" <= c <= "9"


def _abbreviation(chunk: str) -> str | None:
    """Rule 3: the abbreviation, initial or dotted letters that the full stop closing `chunk` ends, in
    lower case without its stops ("u.s", "gov"), or None."""
    last = chunk.rsplit(None, 1)[-1]
    if len(last) < 2 or not last.endswith("."):
        return None
    word = last[:-1].lstrip("\"'\u201c\u2018(")
    key = word.lower().rstrip(".")
    if key in ABBREVIATIONS or _INITIALS.fullmatch(word) is not None:
        return key
    return None


def _function_word_span(text: str, at: int) -> tuple[int, int]:
    """Rule 3's evidence: (start, end) of the capitalised `FUNCTION_WORDS` word, whole, at `at` (maybe
    after one opener); start == end where there is none."""
    if text[at] in OPENERS and at + 1 < len(text):
        at += 1
    match = _ASCII_WORD.match(text, at)
    if match is None:
        return at, at
    end = match.end()  # a word going on ("Théâtre", "It2", "A.", "I-95", "A_b") is not that word
    if end < len(text) and (text[end].isalnum() or text[end] in ".-_"):
        return at, at
    word = match.group()
    capitalised = word[0].isupper() and (len(word) == 1 or word[1:].islower())
    return (at, end) if capitalised and word.lower() in FUNCTION_WORDS else (at, at)


def _abbreviation_holds(text: str, stop: int, after: int) -> bool:
    """Rule 3: the full stop before `stop` (whitespace, then the next sentence's start at `after`) ends an
    abbreviation that does not end the sentence there."""
    key = _abbreviation(text[:stop])
    if key is None:
        return False
    if key in TITLES:
        return True
    if key in BEFORE_NUMBERS:
        return "0" <= text[after] <= "9"
    start, end = _function_word_span(text, after)
    # After an initial, "A" or "I" may be the next initial, its stop dropped ("an L. A judge").
    if start == end or (len(key) == 1 and end - start == 1):
        return True
    following = end
    while following < len(text) and text[following].isspace():
        following += 1
    if following == end or following == len(text):
        return False
    # A second capitalised function word (not "I" or "A"): title case, as headlines write ("Jr. On The
    # Lam"), where a capital says nothing of a sentence's start.
    start, end = _function_word_span(text, following)
    return end - start > 1


def _inside_quotation(text: str, start: int, end: int) -> bool:
    """Rule 4: `text[start:end]` holds an odd number of double quotation marks, and one follows `end`."""
    marks = sum(text.count(mark, start, end) for mark in QUOTATION_MARKS)
    return marks % 2 == 1 and any(mark in text[end:] for mark in QUOTATION_MARKS)


def _cuts(text: str) -> Iterator[tuple[int, int]]:
    """(end of a sentence with its closers, start of the next) of each cut of a stripped line."""
    for match in _CANDIDATE.finditer(text):
        stop, after = match.start(), match.end()
        if after == len(text):
            continue
        closers = match.group(1) if match.group(1) is not None else match.group(2)
        end = stop + len(closers)
        if match.group(1) is not None:  # a Latin stop: rules 1 and 3
            if not _starts_sentence(text, after):
                continue
            if not closers and text[stop - 1] == "." and _DAY_MONTH.match(text, stop):
                continue
            if not closers and _abbreviation_holds(text, stop, after):
                continue
        yield end, after


def split_sentences_plain(text: str) -> list[str]:
    """The sentences of one line (`split_lines_plain` of it)."""
    sentences: list[str] = []
    text = text.strip()
    start = 0
    for end, after in _cuts(text):
        if _inside_quotation(text, start, end):
            continue
        sentences.append(text[start:end])
        start = after
    if start < len(text):
        sentences.append(text[start:])
    return sentences


def split_lines_plain(lines: Iterable[str]) -> tuple[list[str], list[int]]:
    """(sentences, line of each): each line stripped and cut where the rules say (module docstring),
    empty lines giving none; the spec of the compiled `_sentence_split.sentences`."""
    texts: list[str] = []
    line_of: list[int] = []
    for p, line in enumerate(lines):
        found = split_sentences_plain(line)
        texts.extend(found)
        line_of.extend([p] * len(found))
    return texts, line_of


# Rule 3's words as the kernel takes them, in this order.
_WORD_CLASSES = (ABBREVIATIONS, TITLES, BEFORE_NUMBERS, FUNCTION_WORDS)
# The compiled `split_lines_plain` (`_sentence_split.pyx`); None where it is not built.
_compiled_sentences = compiled_kernel("newsfold._sentence_split", "sentences")


def split_lines(lines: Iterable[str]) -> tuple[list[str], list[int]]:
    """`split_lines_plain(lines)`, by the compiled kernel where it is built."""
    if _compiled_sentences is None:
        return split_lines_plain(lines)
    return _compiled_sentences(  # type: ignore[no-any-return]
        list(lines), DAY_DOT_MONTHS, _WORD_CLASSES, _LONGEST_ABBREVIATION
    )


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph; abbreviations, initials, "U.S." and quoted stops end none.

    >>> split_sentences("Kim met Putin on Sept. 13. The U.S. warned him. “No rush,” he said.")
    ['Kim met Putin on Sept. 13.', 'The U.S. warned him.', '“No rush,” he said.']
    """
    return split_lines((text,))[0]
