"""Article metadata read from the page's own text: authors (bylines), wire credits, dateline, language.

Wire credits are the syndication signal, so they are only read here and never stripped from the text.
A credit is taken from its structure ("(AP) —", "via Reuters", "[AP/YONHAP]", "Copyright The Associated
Press", a line that is only an agency's name), never from a mere mention ("according to Reuters" is a
source, not a credit).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from itertools import accumulate

import numpy as np

from newsfold.clean import _kernels

__all__ = [
    "CHECK_AGENCY",
    "NAMES_AGENCY",
    "STOPWORDS",
    "WIRES",
    "credits_flagged",
    "detect_lang",
    "detect_langs",
    "find_authors",
    "find_credits",
    "find_dateline",
    "lines_naming_agency",
    "name_case",
]

# Canonical credit -> the spellings agencies use in bylines, datelines and copyright lines.
WIRES: dict[str, tuple[str, ...]] = {
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Yonhap": ("Yonhap", "YONHAP"),
    "Xinhua": ("Xinhua",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "PA": ("PA", "PA Media", "Press Association"),
    "UPI": ("UPI", "United Press International"),
    "Bloomberg": ("Bloomberg",),
    "TASS": ("TASS",),
    "AAP": ("AAP", "Australian Associated Press"),
    "CP": ("CP", "The Canadian Press", "Canadian Press"),
    "PTI": ("PTI", "Press Trust of India"),
    "IANS": ("IANS",),
    "ANI": ("ANI",),
    "Anadolu": ("Anadolu", "Anadolu Agency", "AA"),
    "Interfax": ("Interfax",),
    "Bernama": ("Bernama",),
}
_CANON = {alias.lower(): canon for canon, aliases in WIRES.items() for alias in aliases}
_ALIASES = sorted({a for aliases in WIRES.values() for a in aliases}, key=len, reverse=True)
_ALIAS = "|".join(re.escape(a) for a in _ALIASES)
# Full agency names (not bare abbreviations) that may appear in credit-like prose.
_LONG_NAMES = "|".join(re.escape(a) for a in _ALIASES if " " in a or "-" in a)

# "Copyright 2023 The Associated Press", "© Reuters", "(c) AFP"
_COPYRIGHT = re.compile(rf"(?:copyright|©|\(c\))\s*(?:\d{{4}}\s*)?(?:the\s+)?(?P<w>{_ALIAS})\b", re.I)
_CREDIT_PATTERNS = (
    # "(AP) —", "(Reuters) -", "(AFP/Getty) --", "Sept. 13 (Yonhap) --", after at most a dateline: the same
    # form deep inside a line is another story's teaser run into a link list.
    re.compile(
        rf"^\s*(?:[A-Z0-9][\w.'’-]*,?\s+){{0,6}}\((?P<w>{_ALIAS})(?:\s*/\s*[^)]{{1,30}})?\)\s*(?:[—–-]{{1,2}}|:)"
    ),
    # "via AP", "via Reuters", "Photo: AFP"
    re.compile(rf"\bvia\s+(?:the\s+)?(?P<w>{_ALIAS})\b"),
    # "[AP/YONHAP]", "[Reuters]", "[KCNA/AFP]", "(AP Photo/Name)"
    re.compile(rf"\[\s*(?P<w>{_ALIAS})\s*[\]/]"),
    re.compile(rf"/\s*(?P<w>{_ALIAS})\s*\]"),
    re.compile(rf"\(\s*(?P<w>{_ALIAS})\s+Photo\b"),
    _COPYRIGHT,
    # "Associated Press journalists ...", "The Associated Press contributed", "Reuters reporting by ..."
    re.compile(
        rf"\b(?P<w>{_LONG_NAMES}|{_ALIAS})\s+(?:writers?|journalists?|reporters?|correspondents?|staff"
        rf"|contributed)\b"
    ),
    # "By Jane Doe, Associated Press", "— Agence France-Presse" at the end of a line
    re.compile(rf"(?:,|—|–|--)\s*(?:the\s+)?(?P<w>{_LONG_NAMES})\s*$", re.I),
)
# What each pattern of _CREDIT_PATTERNS cannot match without (one string of each group, case as written):
# a text lacking them is spared the pattern.
_CREDIT_NEEDS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("(",), (")",)),
    (("via",),),
    (("[",),),
    (("/",), ("]",)),
    (("(",), ("Photo",)),
    (),  # _COPYRIGHT, case-insensitive: see below
    (("writer", "journalist", "reporter", "correspondent", "staff", "contributed"),),
    (),  # after a comma or a dash, case-insensitive: see below
)
# The same for the case-insensitive patterns, in the lower-cased text: the characters that
# re.IGNORECASE matches with ASCII letters besides their own cases ("İ", "ı", "ſ", the Kelvin sign, as
# the re module's documentation lists them) are the only ones lower() does not make those letters, so a
# text holding one of them is spared nothing.
_CREDIT_CASELESS_NEEDS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (), (), (), (), (),
    (("copyright", "©", "(c)"),),
    (),
    ((",", "—", "–", "--"), tuple(a.lower() for a in _ALIASES if " " in a or "-" in a)),
)  # fmt: skip
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
# A line that is nothing but a credit ("Reuters", "— AFP", "Source: Xinhua", "By Jane Doe | AP").
_CREDIT_LINE = re.compile(
    rf"^\W*(?:(?i:source|credit|photo|by|from)\s*:?\s*)?(?:[\w.' -]{{0,40}}[|,/]\s*)?"
    rf"(?:(?i:the)\s+)?(?P<w>{_ALIAS})\W*$"
)


_WORD = re.compile(r"\w+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


@cache
def _char_class(run: re.Pattern[str]) -> np.ndarray:
    """Per code point: does the run pattern (`_WORD`, `_LETTER_RUN`) take it in (a read-only bool table)?

    Read off the regex itself over every code point, once, so that the numpy paths below split text
    exactly where the regex would.
    """
    every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    table = np.zeros(0x110000, bool)
    for m in run.finditer(every):
        table[m.start() : m.end()] = True
    table.setflags(write=False)
    return table


def _only(text: str, run: re.Pattern[str]) -> tuple[str, int]:
    """text with every character outside the run pattern's class made a space, and how many were kept."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    keep = _char_class(run).take(codes)
    spaced = np.where(keep, codes, np.uint32(32))
    return spaced.tobytes().decode("utf-32-le", "surrogatepass"), int(np.count_nonzero(keep))


# One word of every alias, lower-cased: its first other than "the" (a text holding an alias holds it).
_ALIAS_FIRST_WORDS = frozenset([w for w in _WORD.findall(a.lower()) if w != "the"][0] for a in _ALIASES)
_AGENCY_WORD = re.compile(r"\b(?:" + "|".join(sorted(_ALIAS_FIRST_WORDS, key=len, reverse=True)) + r")\b")


def _naming_agency(texts: list[str]) -> list[int]:
    """Indices of the texts holding a word of an agency's name, in order.

    What `_AGENCY_WORD` finds in the joined texts, without trying its alternation at every position:
    numpy turns every non-word character into a space, so the words are `str.split()` (C), and the
    texts holding one are found by `str.find` of the space-bounded word.
    """
    joined = "\n".join(texts).lower()
    if len(joined) != len(texts) - 1 + sum(map(len, texts)):  # lower() changed a length (rare letters)
        return [i for i, t in enumerate(texts) if _AGENCY_WORD.search(t.lower())]
    padded = f" {_only(joined, _WORD)[0]} "  # the character at joined[k] is at padded[k + 1]
    found = [f" {word} " for word in _ALIAS_FIRST_WORDS.intersection(padded.split())]
    if not found:  # most pages: no text names an agency
        return []
    starts = list(accumulate((len(t) + 1 for t in texts), initial=0))
    hits = set()
    for needle in found:
        at = padded.find(needle)
        while at >= 0:
            hits.add(bisect_right(starts, at) - 1)
            at = padded.find(needle, at + len(needle) - 1)
    return sorted(hits)


@cache
def _lowered_code_points() -> tuple[np.ndarray, np.ndarray]:
    """Per code point, its lower case (as `str.lower` gives it, the code point itself where that is not
    one character), and where it is not (only U+0130, "İ" -> "i̇"). Read-only."""
    every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    multi = np.zeros(0x110000, bool)
    parts = []
    at = 0
    for c in (0x130, 0x110000):  # U+0130 ("İ"): lower() gives 2 characters
        low = every[at:c].lower()
        if len(low) != c - at:  # another multi-character lower case: look at each character of the part
            low = "".join(ch if len(ch := x.lower()) == 1 else x for x in every[at:c])
            multi[at:c] = [len(x.lower()) != 1 for x in every[at:c]]
        parts.append(low)
        if c < 0x110000:
            parts.append(every[c])
            multi[c] = True
        at = c + 1
    lowered = np.frombuffer("".join(parts).encode("utf-32-le", "surrogatepass"), np.uint32).copy()
    lowered.setflags(write=False)
    multi.setflags(write=False)
    return lowered, multi


@cache
def _agency_code() -> np.ndarray:
    """Per code point, a 5-bit code of its lower-case form (as `str.lower` gives it): a-z 1-26, any other
    `_WORD` character 27, outside words 0, and `_UNSURE` where the lower-case form is not one character
    (the only such code point is U+0130, whose "i̇" splits a word: a line holding it is checked exactly).
    """
    lowered, multi = _lowered_code_points()
    code = np.where(_char_class(_WORD).take(lowered), 27, 0).astype(np.uint8)
    letters = (lowered >= ord("a")) & (lowered <= ord("z"))
    code[letters] = (lowered[letters] - (ord("a") - 1)).astype(np.uint8)
    code[multi] = _UNSURE
    code.setflags(write=False)
    return code


def _letter_code(word: str) -> int:
    """A lower-case a-z word of <= 12 letters as one integer (5 bits a letter, first letter lowest)."""
    return sum((ord(ch) - ord("a") + 1) << (5 * k) for k, ch in enumerate(word))


@cache
def _agency_kernel_tables() -> tuple[np.ndarray, np.ndarray]:
    """The agency words as `_kernels.agency_flags` codes them (5 bits a letter, first letter
    highest: each letter shifts the code), sorted, and which (length, last two letters) end one."""
    codes = [sum(_letter_code(ch) << (5 * k) for k, ch in enumerate(reversed(w))) for w in _ALIAS_FIRST_WORDS]
    words = np.array(sorted(codes), np.uint64)
    last2 = np.zeros(1 << 14, np.uint8)  # by length (4 bits) and the codes of the last two letters
    for w in _ALIAS_FIRST_WORDS:
        last2[(len(w) << 10) | (_letter_code(w[-2]) << 5) | _letter_code(w[-1])] = 1
    for a in (words, last2):
        a.setflags(write=False)
    return words, last2


NAMES_AGENCY, CHECK_AGENCY = 1, 2  # `lines_naming_agency`'s answers besides 0 (no agency word)
_UNSURE = 28  # the code of a character whose lower case is not one character
_CODE_LETTERS = 12  # 12 letters of 5 bits fit in 60 bits: the code of a word this short is exact
# The codes (and the 4-bit length of the first look-up) hold for agency words of 2 to 12 a-z letters.
assert all(2 <= len(w) <= _CODE_LETTERS and w.isascii() and w.isalpha() for w in _ALIAS_FIRST_WORDS)


def lines_naming_agency(lines: Sequence[str]) -> np.ndarray:
    """Per line, does it hold a word of an agency's name (`_AGENCY_WORD` in its lower-case form)?

    `NAMES_AGENCY` where it does, 0 where it does not, `CHECK_AGENCY` where this pass cannot tell (a
    character whose lower case is not one character: test that line itself).

    Why: a batch's lines are scanned in one pass (`_kernels.agency_flags`; no word strings built), so
    `find_credits` runs its patterns on the few lines that name an agency only. Each word of the
    lower-cased text is coded exactly (5 bits a letter, see `_agency_code`) and compared with the agency
    words' codes.
    """
    agency, last2 = _agency_kernel_tables()
    lines = lines if isinstance(lines, list) else list(lines)
    return _kernels.agency_flags(
        lines, _agency_code(), agency, last2, _UNSURE, _CODE_LETTERS, NAMES_AGENCY, CHECK_AGENCY
    )


def _canon(alias: str) -> str:
    return _CANON.get(alias.lower(), alias)


_TRAILING_GROUP = re.compile(r"[\[(][^\[\]()]*$")


def _photo_credit(text: str, m: re.Match[str]) -> bool:
    """A credit in a bracketed group closing a longer line ("... on Wednesday. [AP/YONHAP]") credits the
    photo the line captions, not the article."""
    before, after = text[: m.start("w")], text[m.end("w") :]
    return (
        len(text) >= 80
        and bool(_TRAILING_GROUP.search(before))
        and re.fullmatch(r"[^\[\]()]*[\])]\W*", after) is not None
    )


def find_credits(texts: Iterable[str], furniture: Iterable[str] = ()) -> tuple[str, ...]:
    """Wire credits of an article, canonical names in order of first appearance.

    `texts` are the body paragraphs; `furniture` are lines dropped around them, which count only when
    the whole line is a credit or a copyright notice (a link list's "(Reuters) -" credits another story).

    >>> find_credits(["SEOUL, South Korea (AP) — The leaders met."])
    ('AP',)
    """
    texts, furniture = list(texts), list(furniture)
    # Every credit form names an agency, and most paragraphs name none: one scan (of the texts and the
    # short furniture together) for a word of an agency's name spares them the patterns (long
    # alternations, slow to try at every position).
    short = [i for i, line in enumerate(furniture) if 0 < len(line) < 100]  # the test below is on stripped
    naming = _naming_agency(texts + list(map(furniture.__getitem__, short)))
    split = bisect_right(naming, len(texts) - 1)
    return _credits(texts, furniture, naming[:split], [short[k - len(texts)] for k in naming[split:]])


def credits_flagged(
    texts: Sequence[str],
    furniture: Sequence[str],
    text_flags: Mapping[int, int],
    furniture_flags: Mapping[int, int],
) -> tuple[str, ...]:
    """`find_credits`, told which texts and furniture lines name an agency: the flags of
    `lines_naming_agency` by index, where not 0 (a line left out names none). Only those lines are
    scanned (the same credits, for a fraction of the work)."""
    naming = sorted(i for i, flag in text_flags.items() if flag == NAMES_AGENCY)
    naming_furniture = sorted(
        i for i, flag in furniture_flags.items() if flag == NAMES_AGENCY and 0 < len(furniture[i]) < 100
    )
    unsure = sorted(i for i, flag in text_flags.items() if flag == CHECK_AGENCY)
    if unsure:
        naming = sorted(naming + [unsure[k] for k in _naming_agency([texts[i] for i in unsure])])
    unsure = sorted(
        i for i, flag in furniture_flags.items() if flag == CHECK_AGENCY and 0 < len(furniture[i]) < 100
    )
    if unsure:
        found = [unsure[k] for k in _naming_agency([furniture[i] for i in unsure])]
        naming_furniture = sorted(naming_furniture + found)
    return _credits(texts, furniture, naming, naming_furniture)


def _holds_all(text: str, needs: tuple[tuple[str, ...], ...]) -> bool:
    """Does `text` hold a string of each group of `needs`? (Loops, not nested generators: this runs for
    each credit pattern on each line naming an agency, and the generators cost more than the tests.)"""
    for group in needs:
        for needle in group:
            if needle in text:
                break
        else:
            return False
    return True


def _credits(
    texts: Sequence[str], furniture: Sequence[str], naming: list[int], naming_furniture: list[int]
) -> tuple[str, ...]:
    """The credits of the texts and furniture lines at the indices given (those naming an agency, in
    order)."""
    seen: dict[str, int] = {}
    for index in naming:
        text = texts[index]
        hits: list[tuple[int, str]] = []
        line_match = _CREDIT_LINE.match(text.strip()) if len(text) < 80 else None
        if line_match:
            hits.append((line_match.start("w"), _canon(line_match.group("w"))))
        low = "" if not text.isascii() and any(map(text.__contains__, _FOLDS_TO_ASCII)) else text.lower()
        for pattern, needs, caseless in zip(
            _CREDIT_PATTERNS, _CREDIT_NEEDS, _CREDIT_CASELESS_NEEDS, strict=True
        ):
            if needs and not _holds_all(text, needs):
                continue
            if low and caseless and not _holds_all(low, caseless):
                continue
            hits.extend(
                (m.start("w"), _canon(m.group("w")))
                for m in pattern.finditer(text)
                if not _photo_credit(text, m)
            )
        for pos, canon in sorted(hits):
            seen.setdefault(canon, index * 1_000_000 + pos)
    offset = len(seen) * 1_000_000 + 10**12
    for index in naming_furniture:
        text = furniture[index].strip()
        if len(text) >= 80:
            continue
        m = _CREDIT_LINE.match(text) or _COPYRIGHT.search(text)
        if m:
            seen.setdefault(_canon(m.group("w")), offset + index)
    return tuple(sorted(seen, key=seen.__getitem__))


_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z.](?:,\s*[A-Z][\w.'’\- ]{1,30}?){0,2})"
    r"(?:,?\s+(?:[A-Z][a-z]{2,4}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,4}\.?))?"  # optional "Sept. 13"
    r"\s*(?:\((?P<credit>[^)]{1,40})\)\s*)?(?:[—–]|--?)\s"
)


def find_dateline(first_paragraphs: Sequence[str]) -> str | None:
    """The dateline ("SEOUL, South Korea" of "SEOUL, South Korea (AP) — ...") of the first body paragraph.

    The place must open in capitals, as wire style writes it, so "Putin said (in Russian) - ..." is none.
    """
    for text in first_paragraphs[:2]:
        m = _DATELINE.match(text)
        if m:
            place = m.group("place").strip(" ,")
            first = place.split(",")[0]
            if sum(c.isupper() for c in first) >= 0.6 * sum(c.isalpha() for c in first):
                return place
    return None


_EMAIL = re.compile(r"\S+@\S+")
_NAME_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?!(?i:and)\b){_NAME_WORD}){{1,3}}"
# The word before a byline's names in the languages news sites write them ("By", "Von", "Par", "Por", "Door",
# "Di", "Av", "Af", "Autor:"), and the words joining names ("and", "und", "et", "en", "og", "och"; not "y"
# or "e", which Spanish and Portuguese surnames hold).
_BYLINE_WORD = r"by|von|par|por|door|di|av|af|autor|autorin|autore|author|text|texto|tekst"
_AND = r"and|und|et|en|og|och"
_BYLINE = re.compile(
    rf"^\s*(?i:{_BYLINE_WORD})\s*:?\s+(?P<names>{_NAME}(?:\s*(?:,|&|\b(?:{_AND})\b)\s*{_NAME})*)"
)
_NAME_SEPARATOR = re.compile(rf"\s*(?:,|&|\b(?:{_AND})\b)\s*")
# A byline word the metadata's author string puts before a name ("Anna Trechsel; Autor Monika Bolliger"): not
# "di", "par", "door" and the like, which begin surnames ("Di Maria") (Fundus HTML: one page).
_LEADING_BYLINE_WORD = re.compile(r"^(?i:by|von|autor|autorin|autore|author)\s*:?\s+")
# Words that make a short capitalised line a section label, not a person's name.
_NOT_NAME = frozenset(
    "news latest more read must home menu share print email video photo photos related top story stories "
    "world national local sports business opinion politics breaking live today search subscribe login "
    "sign follow us contact about editor editorial staff reporter press agency the and of for in on".split()
)


def name_case(name: str) -> str:
    """'SARAH KIM' -> 'Sarah Kim'; names already in mixed case are kept."""
    return name.title() if name.isupper() else name


def _is_name(candidate: str) -> bool:
    """Two to four capitalised words of letters (and "-", ".", "'"), none a section label's word.

    (Loops, not generators in `all` and `any`: this runs on each line above the body of every page.)
    """
    words = candidate.split()
    if not 2 <= len(words) <= 4:
        return False
    for w in words:
        if not (w[:1].isupper() and w.replace("-", "").replace(".", "").replace("'", "").isalpha()):
            return False
    for w in words:
        if w.lower().strip(".") in _NOT_NAME:
            return False
    return True


def find_authors(
    header_lines: Sequence[str], meta_author: str | None = None, stated: Sequence[str] = ()
) -> tuple[str, ...]:
    """Authors the page's markup states (`stated`, taken as written: persons or an organisation, in any
    script), else from its metadata (`meta_author`), else from byline lines above the body.

    A byline is "By Name and Name", "Von Name und Name", "BY NAME [email]"; without one, a line holding
    only a name (the form news sites print under a reporter's photo). Wire credits in bylines are not
    authors.
    """
    if stated:
        return tuple(dict.fromkeys(stated))
    authors: list[str] = []
    if meta_author:
        parts = (_LEADING_BYLINE_WORD.sub("", a.strip()) for a in re.split(r"[;|]|\band\b", meta_author))
        authors = [a for a in parts if _is_name(a)]
    # The pattern tries every start in a line ("\S+" then a search for "@"): only lines with an "@".
    texts = [(_EMAIL.sub(" ", line) if "@" in line else line).strip(" •·-–—|") for line in header_lines]
    texts = [t for t in texts if len(t) <= 80]
    for text in texts if not authors else ():
        if m := _BYLINE.match(text):
            authors = [
                n for n in _NAME_SEPARATOR.split(m.group("names")) if _is_name(n) and n.lower() not in _CANON
            ]
            if authors:
                break
    # Without a byline, the line nearest the body that is only a person's name (the form sites print beside
    # a reporter's photo): in capitals, or two or three capitalised words. Nearest, as menus and section
    # names ("Real Estate") sit higher up. Fundus text dumps, authors P/R: 0.643/0.062 before, 0.860/0.253
    # with the other languages' bylines, 0.670/0.425 with these lines (top-down instead: 0.568/0.360).
    for text in reversed(texts) if not authors else ():
        if _is_name(text) and (text.isupper() or _capitalised_name(text)):
            authors = [text]
            break
    return tuple(dict.fromkeys(name_case(a) for a in authors))


def _capitalised_name(text: str) -> bool:
    """Two or three words, each a capital then small letters ("Joseph Brean", "Anne-Marie Slaughter")."""
    words = text.split()
    return 2 <= len(words) <= 3 and all(
        p[:1].isupper() and p[1:].islower() for w in words for p in w.split("-")
    )


# Stopwords of common news languages; scripts with their own letters are told apart by script alone.
STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to in is that for on with was as it by at from his her said are be has have",
        "fr": "le la les de des et en du un une est que pour dans sur par au qui pas avec ce il sont",
        "de": "der die das und ist nicht mit den von zu sich auf für ein eine dem im des auch es wird",
        "es": "el la los las de del y en que un una por con para es se su al como más lo fue",
        "pt": "o a os as de do da dos das e em que um uma para com não por se no na ao é foi",
        "it": "il lo la gli le di e che un una per con non del della è sono nel alla al da si",
        "nl": "de het een en van in is dat op te met voor zijn niet aan er ook als bij door",
        "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada adalah oleh",
        "sv": "och att det som en på är av för med till den inte har om ett var jag men",
    }.items()
}
_SCRIPTS = (
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)


# Any letter of the scripts above: one scan tells Latin-script text (most pages) to skip the eight.
_ANY_SCRIPT = re.compile("[" + "".join(script.pattern[1:-1] for _, script in _SCRIPTS) + "]")
_ANY_STOPWORD = frozenset().union(*STOPWORDS.values())
_LANGS_OF = {w: tuple(lang for lang, stops in STOPWORDS.items() if w in stops) for w in _ANY_STOPWORD}


def detect_lang(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell.

    A light detector (script, then stopword share), enough to route articles; written here because the
    language-ID packages either need a model download or weigh more than the rest of the clean stage.
    Words are the text's letter runs (`_LETTER_RUN`), cut by numpy and `str.split` rather than the regex.
    """
    sample = text[:20_000]
    spaced, letters = _only(sample.lower(), _LETTER_RUN)
    words = spaced.split()
    if letters < 20:
        return None
    for lang, script in _SCRIPTS if _ANY_SCRIPT.search(sample) else ():
        # Japanese mixes kana with Han; one kana in twenty letters is enough to tell it from Chinese.
        if script.search(sample) and len(script.findall(sample)) > letters * (0.05 if lang == "ja" else 0.3):
            return lang
    if len(words) < 5:
        return None
    scores = dict.fromkeys(STOPWORDS, 0)
    for word, count in Counter(filter(_ANY_STOPWORD.__contains__, words)).items():
        for lang in _LANGS_OF[word]:
            scores[lang] += count
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= max(2, 0.05 * len(words)) else None


_STOP_LETTERS = 6  # the longest stopword (asserted below): longer words are never looked up
_STOP_BITS = 6  # bits a letter in a word's code: the stopwords' letters are 1..n, any other letter n + 1
_RANGE = re.compile(r"\[\\u([0-9a-f]{4})-\\u([0-9a-f]{4})\]")  # a script's pattern: one range of code points
_FIRST_MARKED = 0x130  # the lowest code point with a script or a lower case of two characters ("İ")
_NOT_ONE = len(_SCRIPTS) + 1  # script-table mark of a character whose lower case is not one character


@cache
def _stop_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Tables of `detect_langs`, per code point of the text as written (not lower-cased):

    the letter code of its lower case (0 outside `_LETTER_RUN`); its script (1 + index in `_SCRIPTS`, 0
    for none, `_NOT_ONE` where the lower case is not one character); the stopwords' codes, sorted; and
    per stopword code, one bit per language (in `STOPWORDS` order) that has it; and which (length,
    first two letters) start a stopword.
    """
    lowered, multi = _lowered_code_points()
    alphabet = sorted({ch for w in _ANY_STOPWORD for ch in w})
    by_lower = np.where(_char_class(_LETTER_RUN), len(alphabet) + 1, 0).astype(np.uint8)
    for k, ch in enumerate(alphabet, start=1):
        by_lower[ord(ch)] = k
    # str.lower's one context rule (final sigma) picks between two letters that code alike.
    assert by_lower[ord("σ")] == by_lower[ord("ς")]
    code = by_lower.take(lowered)
    script = np.zeros(0x110000, np.uint8)
    for k, (_, pattern) in enumerate(_SCRIPTS, start=1):
        lo, hi = _RANGE.fullmatch(pattern.pattern).groups()  # type: ignore[union-attr]
        script[int(lo, 16) : int(hi, 16) + 1] = k
    script[multi] = _NOT_ONE
    by_code: dict[int, int] = {}
    for bit, stops in enumerate(STOPWORDS.values()):
        for w in stops:
            value = sum(int(by_lower[ord(ch)]) << (_STOP_BITS * k) for k, ch in enumerate(w))
            by_code[value] = by_code.get(value, 0) | (1 << bit)
    codes = np.array(sorted(by_code), np.uint64)
    langs = np.array([by_code[c] for c in sorted(by_code)], np.uint16)
    assert not script[:_FIRST_MARKED].any()
    first2 = np.zeros((_STOP_LETTERS + 1) << (2 * _STOP_BITS), bool)  # by length and first two letters
    for w in _ANY_STOPWORD:
        second = int(by_lower[ord(w[1])]) if len(w) > 1 else 0
        first2[(len(w) << (2 * _STOP_BITS)) | (second << _STOP_BITS) | int(by_lower[ord(w[0])])] = True
    for a in (code, script, codes, langs, first2):
        a.setflags(write=False)
    return code, script, codes, langs, first2


def detect_langs(texts: Sequence[str]) -> list[str | None]:
    """`detect_lang` of each text, the letters, words, stopwords and script letters of all texts counted
    in one pass (`_kernels.language_counts`).

    Why: the articles of a batch are told apart at once, without lower-casing the texts or building a
    string per word. Each character is read as its lower case (`_stop_tables`); every word of at most
    `_STOP_LETTERS` letters gets an exact code (`_STOP_BITS` a letter), looked up among the stopwords'
    codes, so every count is the one `detect_lang` makes. A text with a character whose lower case is
    not one character goes to `detect_lang` itself.
    """
    if not texts:
        return []
    samples = [t[:20_000] for t in texts]
    code_t, script_t, stop_codes, stop_langs, first2 = _stop_tables()
    counts = _kernels.language_counts(
        samples, code_t, script_t, stop_codes, stop_langs, first2.view(np.uint8), _FIRST_MARKED, _NOT_ONE + 1,
        len(STOPWORDS), _STOP_LETTERS, _STOP_BITS,
    )  # fmt: skip
    return _verdicts(texts, *(a.tolist() for a in counts))


def _verdicts(
    texts: Sequence[str],
    letters: list[int],
    n_words: list[int],
    scripts: list[list[int]],
    per_lang: list[list[int]],
) -> list[str | None]:
    """`detect_lang` of each text from its counts (letters, words, letters per script with `_NOT_ONE`
    last, stopwords per language); a text with a letter `_NOT_ONE` marks is read by `detect_lang`."""
    out: list[str | None] = []
    for text, n_letters, n_word, row, counts in zip(texts, letters, n_words, scripts, per_lang, strict=True):
        if row[_NOT_ONE]:
            out.append(detect_lang(text))
        else:
            out.append(_decide(n_letters, n_word, row[1:_NOT_ONE], counts))
    return out


def _decide(letters: int, n_words: int, script_letters: list[int], counts: list[int]) -> str | None:
    """`detect_lang`'s verdict from a text's counts: letters, words, letters of each of `_SCRIPTS`, and
    words of each language's stopwords."""
    if letters < 20:
        return None
    if any(script_letters):  # most texts have no letter of these scripts
        for (lang, _), count in zip(_SCRIPTS, script_letters, strict=True):
            if count and count > letters * (0.05 if lang == "ja" else 0.3):
                return lang
    if n_words < 5:
        return None
    top = max(counts)  # the first language with the most stopwords, as `max` over `STOPWORDS` picks it
    return _LANG_ORDER[counts.index(top)] if top >= max(2, 0.05 * n_words) else None


_LANG_ORDER = tuple(STOPWORDS)  # the languages in the order of `language_counts`' columns


# Every stopword has a code: at most `_STOP_LETTERS` letters, each of an alphabet that fits `_STOP_BITS`.
assert (
    all(len(w) <= _STOP_LETTERS for w in _ANY_STOPWORD) and len({ch for w in _ANY_STOPWORD for ch in w}) < 63
)
