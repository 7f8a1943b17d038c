"""Shape rules on top of the line model: captions, the title, and a human reason for every dropped line.

Why rules here: the training labels (zyte gold bodies) say only body / not body, so captions, titles and
the kind of boilerplate have no labels to learn from. Every rule reads the generic shape of a line
(credit grammar, position words, dates, button words), never a site's or a page's strings. Reasons are
assigned to all dropped lines of a page at once (numpy), with regexes only on the few pre-filtered lines.
"""

from __future__ import annotations

import re
from functools import cache, cached_property

import numpy as np

from newsfold.clean import _kernels
from newsfold.clean.line_features import PageArrays, word_count

__all__ = [
    "CREDIT_WORDS", "DROP_REASONS", "READ_MORE_FIRST_WORDS", "SHARE_WORDS", "JoinedLines", "caption_mask",
    "date_mask", "drop_reasons", "is_caption", "is_date_line", "needle_hits", "normalize", "promo_mask",
    "read_more_lines", "title_mask",
]  # fmt: skip

# A caption's closing copyright credit ("... in Berlin. © dpa | NAME"): a few words after a "©" that follows
# text and opens no year (a page footer's "© 2024 Site. All rights reserved" is no caption). The words are
# split at spaces only: "(?:[^\s©]+\s*){1,10}" said the same but could split a long run of non-space
# characters in exponentially many ways before failing (a hang on random bytes).
_COPYRIGHT_CREDIT = r"(?:(?<=\S )|(?<=\S))©\s*(?!\d{4})[^\s©]+(?:\s+[^\s©]+){0,9}\s*$"
# Photo-caption grammar: "In this photo provided by ...", "(AGENCY Photo/NAME)", "Photo: ...", "pictured".
_CAPTION_PHRASE = re.compile(
    r"\b(?:in this (?:file |handout |undated |image |photo)|(?:photo|image|picture)s? (?:provided|released|"
    r"taken|distributed|courtesy|supplied)\b|(?:photo|image|picture)(?:graph)?s? (?:by|via|from)\b|"
    r"(?:file|pool|handout|staff|press) (?:photo|image|picture)s?\b|\bphoto(?:graph)?\s*(?:credit)?\s*[:©/]|"
    r"\bpictured\b|\bcourtesy of\b|\(photo\b|\bphoto/|"
    # "(Image: AGENCY)", "(Image credit: NAME)", "Submitted photo", a trailing "Credit: NAME".
    r"\b(?:image|picture)s?\s*(?:credit)?\s*[:©]|\bsubmitted (?:photo|image)s?\b|"
    r"\bcredits?\s*:\s*[^.!?]{1,40}$|"
    # The credit labels of other languages ("Foto: NAME/AGENCY", "Bildrechte: ...", "Legende: ...").
    r"(?:foto|fotó|bild|bildrechte|legende|zdjęcie|kuva)\s*:)|" + _COPYRIGHT_CREDIT,
    re.IGNORECASE,
)
# People located in a picture: ", left,", ", center right,", ", second from left)".
_POSITION_WORDS = re.compile(
    r", (?:(?:second |third |far |front |back |top |bottom |center |centre |rear )?(?:left|right)|center|"
    r"centre|front|rear|top|bottom|foreground|background|(?:second|third) from (?:left|right))[,)]",
    re.IGNORECASE,
)
# A trailing bracketed credit: 1-4 capitalised names joined by "/" ("[AGENCY/AGENCY]", "(NAME/AGENCY)").
# Names split at spaces only, so a long capitalised run has one reading, not thousands (backtracking).
_CREDIT_NAMES = r"[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,3}\s?"
_TRAILING_CREDIT = re.compile(rf"[\[(]{_CREDIT_NAMES}(?:/\s?{_CREDIT_NAMES})+[\])]\s*$")
# A credit after a caption's last sentence, unbracketed: "... in the hall. NAME/AGENCY", "AGENCY/ NAME" (a
# few words around a "/" and no final punctuation; prose ends its last sentence).
_CLOSING_SLASH_CREDIT = re.compile(
    r"[.!?][\"”’']?\s+(?:[^\s/.!?]+\s){0,3}[^\s/.!?]+\s?/\s?[^\s/!?]+(?:\s[^\s/!?]+){0,3}(?<![.!?])$"
)
CREDIT_WORDS = frozenset(
    "photo photos photograph photography image images picture pictures pictured credit credits illustration "
    "pool getty shutterstock istock alamy handout courtesy camera".split()
)
SHARE_WORDS = frozenset(
    "share shares print email mail tweet facebook twitter whatsapp linkedin pinterest reddit telegram save "
    "bookmark copy link links sms messenger flipboard".split()
)
# Caption pre-filter needles; the second set are everyday words, looked for in short lines only.
_CREDIT_NEEDLES = (
    "photo",
    "image",
    "pictur",
    "courtesy",
    "getty",
    "shutterstock",
    "alamy",
    "istock",
    "handout",
    "credit:",
    "©",
    "foto",
    "bild",
    "legende",
    "zdj",
    "kuva",
)
_SHORT_CREDIT_NEEDLES = ("credit", "pool", "camera", "illustration")
_COPYRIGHT_NEEDLES = ("©", "copyright", "all rights reserved")
_COMMENT_NEEDLES = ("comment", "log in", "login", "sign in", "sign up", "reply", "/250", "/500", "/1000")
_BYLINE_PREFIXES = ("by ", "von ", "par ", "por ", "di ", "door ", "av ")
# A line that opens with a scheme is the page's address (tokenised corpora print "http: / / www. ...").
_URL_PREFIXES = ("http:", "https:")
# What every match of _POSITION_WORDS starts with (its pre-filter): ", " and the first word of a position.
_POSITION_NEEDLES = tuple(
    ", " + word
    for word in "left right second third far front back top bottom center centre rear foreground background"
    .split()
)  # fmt: skip
_CAPTION_NEEDLES = _CREDIT_NEEDLES + _SHORT_CREDIT_NEEDLES + _POSITION_NEEDLES
_DROP_NEEDLES = _COPYRIGHT_NEEDLES + _COMMENT_NEEDLES + tuple(
    "\n" + prefix for prefix in _BYLINE_PREFIXES + _URL_PREFIXES
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Every form opens with a digit or a month name: the lookahead lets `re` pass over the other characters
# at once instead of trying each form there (same matches; zyte's short lines: a third less time).
_DATE = re.compile(
    r"(?=[\djfmasond])"
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}"
    rf"(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{1,2}}:\d{{2}})\b",
    re.IGNORECASE,
)
# A labelled link to another story: "READ MORE: headline", "Related: headline", "Lesen Sie auch: headline".
# The label in English, and in the languages of the dev sets (zyte, Fundus) and their neighbours, then a
# colon or an arrow; any bullet before it. Matched on the lower-cased line. Fundus and zyte HTML: 160 words
# of such paragraphs in trafilatura's text outside the gold body, 11 inside it, one "Lesen Sie hier:" line,
# so "hier" is left out.
_PROMO_LABEL = re.compile(
    r"\W*(?:(?:read|see|watch|listen|also|related|more|recommended|trending|don'?t miss|must read)"
    r"(?: (?:more|also|read|next|this|on|too|stories|story|articles?|videos?)){0,2}"
    r"|lesen sie (?:auch|mehr)|mehr (?:zum thema|dazu)|auch interessant|les også|les mer|läs också"
    r"|läs mer|læs også|lees ook|lees meer|lire aussi|à lire aussi|leia (?:também|mais)|leggi anche"
    r"|lea también|lee también|czytaj (?:też|także|więcej)|čtěte také|přečtěte si|lue myös"
    r"|ayrıca okuyun) ?[:»>›|]"
)
# A read-more link alone on its line ("Read more", "Continue reading »", "Lire la suite »"): the words in
# English and the languages of the dev sets and their neighbours (as `_PROMO_LABEL`), any arrow or bracket
# around them. Searched in lines joined by newlines (`read_more_lines`), case-folded by the regex.
_READ_MORE = re.compile(
    r"^[^\w\n]*(?:read (?:more|on|the (?:full|whole|rest of the) (?:story|article))|continue reading"
    r"|full (?:story|article)|lire la suite|lire plus|weiterlesen|mehr lesen|leer más|seguir leyendo"
    r"|leia mais|continue lendo|leggi (?:tutto|di più)|continua a leggere|les mer|läs mer|læs mere"
    r"|lees (?:meer|verder)|czytaj (?:dalej|więcej)|číst dál|lue lisää|devamını oku|читать далее"
    r"|подробнее)[^\w\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
# The words `_READ_MORE`'s phrases open with: a line opening with none is no read-more link (a rule finds
# the few candidates by their first word's hash and reads only those).
READ_MORE_FIRST_WORDS = frozenset(
    "read continue full lire weiterlesen mehr leer seguir leia leggi continua les läs læs lees czytaj číst "
    "lue devamını читать подробнее".split()
)
_SEPARATORS = ("|", "»", "›", ">", " / ", "•", "·")
# The stops that end a sentence (html.py reads them too).
SENTENCE_END = (".", "!", "?", "。", "！", "？", "…")

# Reason codes, in priority order (the first condition that holds names the line).
DROP_REASONS: tuple[str, ...] = (
    "copyright", "share/print button", "comment box", "date line", "byline", "URL line", "navigation",
    "link list of other headlines", "navigation", "standfirst", "teaser of another story",
    "outside the article text", "no words",
)  # fmt: skip


def read_more_lines(lines: list[str]) -> list[int]:
    """Indices of the lines (stripped, without newlines) that are nothing but a read-more link
    (`_READ_MORE`), found by one scan of the joined lines: a page has thousands of short lines to try."""
    starts = np.cumsum([0, *(len(line) + 1 for line in lines)])[:-1]
    at = [m.start() for m in _READ_MORE.finditer("\n".join(lines))]
    return (np.searchsorted(starts, at, side="right") - 1).tolist()


def normalize(line: str) -> str:
    """Case- and space-folded form of a line, for comparing lines within and across pages."""
    return " ".join(line.lower().split())


# The characters beyond Latin-1 that match ASCII letters under re.IGNORECASE ("İ", "ı", "ſ", the Kelvin
# sign), as the re module's documentation lists them.
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
_FOLD_CHAR = re.compile(f"[{_FOLDS_TO_ASCII}]")  # one scan of a line for any of them


class JoinedLines:
    """Lower-cased lines joined once, so that substring and regex tests scan a batch in C, not per line."""

    def __init__(self, lines: list[str], subset: np.ndarray | None = None) -> None:
        """Join all lines, or only those at the indices in subset (the masks still cover every line)."""
        self.n = len(lines)
        self.subset = np.arange(self.n) if subset is None else subset
        chosen = lines if subset is None else [lines[j] for j in subset.tolist()]
        self.text = ("\n" + "\n".join(chosen)).lower()
        if len(self.text) != len(chosen) + sum(map(len, chosen)):  # lower() changed a length (rare letters)
            chosen = [s.lower() for s in chosen]
            self.text = "\n" + "\n".join(chosen)
        self.starts = np.ones(len(chosen), np.intp)
        if len(chosen) > 1:
            np.cumsum(np.fromiter(map(len, chosen[:-1]), np.intp, len(chosen) - 1) + 1, out=self.starts[1:])
            self.starts[1:] += 1

    def _mask(self, positions: list[int]) -> np.ndarray:
        mask = np.zeros(self.n, bool)
        if positions:
            mask[self.subset[np.searchsorted(self.starts, positions, side="right") - 1]] = True
        return mask

    @cached_property
    def _latin1_text(self) -> str:
        """`text` with every character beyond Latin-1 made "?", place for place, for `_find`.

        Why: one "—" or "’" makes Python store the whole text two or four bytes a character, and
        `str.find` scans such text several times slower than one-byte text; needles of Latin-1 without
        a "?" match at the same places in both.
        """
        return self.text if self.text.isascii() else self.text.encode("latin-1", "replace").decode("latin-1")

    def _find(self, needles: tuple[str, ...]) -> list[int]:
        if all(max(needle) <= "\xff" and "?" not in needle for needle in needles):
            text = self._latin1_text
        else:
            text = self.text
        hits = []
        for needle in needles:
            at = text.find(needle)
            while at >= 0:
                hits.append(at)
                at = text.find(needle, at + len(needle))
        return hits

    def containing(self, needles: tuple[str, ...]) -> np.ndarray:
        """Lines that contain any needle."""
        return self._mask(self._find(needles))

    def starting(self, prefixes: tuple[str, ...]) -> np.ndarray:
        """Lines that start with any prefix (found after the newline that opens each line)."""
        return self._mask([at + 1 for at in self._find(tuple("\n" + p for p in prefixes))])

    def matching(self, pattern: re.Pattern[str], ascii_literals: bool = False) -> np.ndarray:
        """Lines where the pattern matches (best for patterns that start with a literal).

        `ascii_literals` says the pattern is made of ASCII literals, groups and sets of them (no "\\w"
        or "." and no "?" to match): it then runs on the one-byte copy of the text (`_latin1_text`),
        where it matches at the same places, unless the text holds a character that case-folds to an
        ASCII letter under re.IGNORECASE (it became "?" there).
        """
        if ascii_literals and not any(ch in self.text for ch in _FOLDS_TO_ASCII):
            return self._mask([m.start() for m in pattern.finditer(self._latin1_text)])
        return self._mask([m.start() for m in pattern.finditer(self.text)])


# Letters the re module matches to ASCII letters under re.IGNORECASE, and "İ" (whose lower case is two
# characters): a line holding one is left to the exact test in `needle_hits`.
_SLOW_CHARS = _FOLDS_TO_ASCII
_SLOW = 257  # `_needle_table` value of those characters


@cache
def _needle_table() -> np.ndarray:
    """Per code point of the Basic Multilingual Plane: its lower case when that is one Latin-1 character,
    0 when it is not (it matches no needle), `_SLOW` for `_SLOW_CHARS`. Above U+FFFF no character has
    a lower case in Latin-1 (a test checks every code point)."""
    every = np.arange(0x10000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    lowered = [ch.lower() for ch in every]
    table = np.array([ord(low) if len(low) == 1 and low <= "\xff" else 0 for low in lowered], np.uint16)
    table[[ord(ch) for ch in _SLOW_CHARS]] = _SLOW
    table.setflags(write=False)
    return table


@cache
def _needle_index(needles: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """The needles as the compiled scan reads them (see `_rules.needle_hits`)."""
    if len(needles) > 64 or any(
        not needle or "\0" in needle or "\n" in needle[1:] or max(needle) > "\xff" for needle in needles
    ):
        raise ValueError("needles: at most 64, of Latin-1 characters, no NUL, a newline only first")
    pairs = np.zeros(256 * 256, np.uint8)
    for needle in needles:
        a = ord(needle[0]) * 256
        if len(needle) == 1:
            pairs[a : a + 256] = 1
        else:
            pairs[a + ord(needle[1])] = 1
    chars = np.frombuffer("".join(needles).encode("latin-1"), np.uint8)
    needle_at = np.cumsum([0, *map(len, needles)]).astype(np.intp)
    firsts = np.array([ord(needle[0]) for needle in needles], np.intp)
    by_first = np.argsort(firsts, kind="stable").astype(np.intp)
    first_at = np.searchsorted(np.sort(firsts), np.arange(257)).astype(np.intp)
    return pairs, chars, needle_at, by_first, first_at


def _exact_hits(line: str, needles: tuple[str, ...]) -> int:
    """The bits of the needles found in a newline + the lower-cased line (the plain version)."""
    low = "\n" + line.lower()
    return sum(1 << k for k, needle in enumerate(needles) if needle in low)


def needle_hits(
    lines: list[str], subset: np.ndarray, needles: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Per line, bit k set when needles[k] occurs in a newline + the lower-cased line (lines in subset; 0 for
    the others), and which lines hold a `_SLOW_CHARS` character (callers that run a regex there must run
    it on those lines: the regex may match them where no needle does).

    Needles: at most 64 of Latin-1 characters other than NUL, a newline only as the first character
    (a line prefix).
    """
    subset = np.asarray(subset, np.intp)
    hits, slow = _kernels.needle_hits(lines, subset, _needle_table(), *_needle_index(needles))
    for j in np.flatnonzero(slow).tolist():
        hits[j] = _exact_hits(lines[j], needles)
    return hits, slow


def _any_bit(hits: np.ndarray, first: int, count: int) -> np.ndarray:
    """Lines where any of the needles first..first + count - 1 was found."""
    return (hits & np.uint64(((1 << count) - 1) << first)) != 0


def is_date_line(line: str) -> bool:
    """A short line that is mostly a date or a time stamp."""
    return word_count(line.split()) <= 10 and _DATE.search(line) is not None


def _words(line: str) -> list[str]:
    return [w.strip("\"'“”‘’()[]{}.,;:!?-–—|") for w in line.lower().split()]


# Where a match of _CAPTION_PHRASE can start: each of its forms opens with one of these (lower-cased).
_CAPTION_STARTS = (
    "in this ", "photo", "image", "picture", "file", "pool", "handout", "staff", "press", "courtesy",
    "(photo", "submitted", "credit", "foto", "bild", "legende", "zdj", "kuva", "©",
)  # fmt: skip


def _has_caption_phrase(line: str) -> bool:
    """`_CAPTION_PHRASE.search(line)`, tried only where one of its forms can start.

    Why: the pattern opens with a boundary, so the re module tries its dozen forms at every character of
    the line (long body lines that mention a photo are candidates too); `str.find` of the forms' first
    words is many times faster. Where a letter folds to an ASCII one only under re.IGNORECASE, or lower
    case changes the line's length, the plain search runs.
    """
    low = line.lower()
    if len(low) != len(line) or (not line.isascii() and _FOLD_CHAR.search(line)):
        return _CAPTION_PHRASE.search(line) is not None
    for start in _CAPTION_STARTS:
        at = low.find(start)
        while at >= 0:
            if _CAPTION_PHRASE.match(line, at):
                return True
            at = low.find(start, at + 1)
    return False


def is_caption(line: str) -> bool:
    """Photo caption or credit by its shape: credit phrases, position words, trailing agency credits."""
    if _has_caption_phrase(line) or _POSITION_WORDS.search(line) or _TRAILING_CREDIT.search(line):
        return True
    if "/" in line and _CLOSING_SLASH_CREDIT.search(line):
        return True
    # A short credit line ("NAME, AGENCY, Pool Photo via AGENCY"): a credit word, a list shape, no sentence.
    # The cheap tests first: candidates are often long body lines that mention a photo.
    if line.rstrip().endswith(SENTENCE_END) or not 2 <= word_count(line.split()) <= 15:
        return False
    words = _words(line)
    return any(w in CREDIT_WORDS for w in words) and (
        "," in line or " via " in line.lower() or "/" in line or words[0] in ("by", "credit")
    )


def caption_mask(pa: PageArrays, subset: np.ndarray) -> np.ndarray:
    """Caption-shaped lines among those at the indices in subset: one needle scan as pre-filter, the full
    test on the few candidates."""
    hits, slow = needle_hits(pa.lines, subset, _CAPTION_NEEDLES)
    mask = np.zeros(len(pa.lines), bool)
    n_credit, n_short = len(_CREDIT_NEEDLES), len(_SHORT_CREDIT_NEEDLES)
    for j in np.flatnonzero(_any_bit(hits, n_credit + n_short, len(_POSITION_NEEDLES)) | slow).tolist():
        mask[j] = _POSITION_WORDS.search(pa.lines[j].lower()) is not None
    cands = _any_bit(hits, 0, n_credit) | (_any_bit(hits, n_credit, n_short) & (pa.n_tokens <= 15))
    in_scope = np.zeros(len(pa.lines), bool)
    in_scope[subset] = True
    # A trailing credit ("[AGENCY/NAME]", or "NAME/AGENCY" after the last sentence); a line with a credit
    # word is a candidate already.
    unended = pa.end_bracket | (~pa.end_sentence & (pa.n_tokens >= 4))
    for j in np.flatnonzero(unended & in_scope & ~cands).tolist():
        cands[j] = "/" in pa.lines[j]
    for j in np.flatnonzero(cands & ~mask).tolist():
        mask[j] = is_caption(pa.lines[j])
    return mask


def promo_mask(pa: PageArrays, scope: np.ndarray) -> np.ndarray:
    """Lines in scope shaped "READ MORE: another headline": a promo label, a colon or an arrow, no final
    punctuation."""
    # A label and a headline: headlines run to about 20 words; a longer line is prose. Not tuned.
    cands = np.flatnonzero(scope & (pa.n_tokens <= 25) & ~pa.end_sentence)
    # The label ends in a colon or a separator (each of `_PROMO_LABEL`'s is one the scan counts): a line
    # with neither is not read.
    labelled = zip(cands.tolist(), (pa.separators[cands] > 0).tolist(), strict=True)
    cands_list = [j for j, sep in labelled if sep or ":" in pa.lines[j]]
    mask = np.zeros(len(pa.lines), bool)
    mask[[j for j in cands_list if _PROMO_LABEL.match(pa.lines[j].lower())]] = True
    return mask


def _may_be_date(line: str) -> bool:
    """Can _DATE match in the line? False only where it cannot (see `date_mask`)."""
    return "/" in line or "." in line or ":" in line or (not line.isascii() and max(line) > "\uffff")


def date_mask(pa: PageArrays, scope: np.ndarray) -> np.ndarray:
    """Short lines (among those in scope) that are mostly a date or a time stamp."""
    mask = np.zeros(len(pa.lines), bool)
    short = (pa.n_tokens <= 10) & scope
    lines = pa.lines
    # Every form of _DATE holds four digits in a row, or a "/", "." or ":" after a digit: a line with
    # fewer than four digits and none of those is no date (a cheap test; the pattern is slow to try).
    # `digits` counts characters of the Basic Multilingual Plane only: a line with others is tried.
    few = np.flatnonzero(short & (pa.digits > 0) & (pa.digits < 4)).tolist()
    cands = [j for j in few if _may_be_date(lines[j])]
    cands += np.flatnonzero(short & (pa.digits >= 4)).tolist()
    for j in cands:
        mask[j] = _DATE.search(lines[j]) is not None
    return mask


def title_mask(pa: PageArrays, dates: np.ndarray, captions: np.ndarray) -> np.ndarray:
    """Headline-shaped lines: 3-30 words, no final period, no breadcrumb separators, no date, no credit,
    mostly words rather than numbers ("2013 - 09 - 26" is a date a tokeniser spaced out)."""
    tok = pa.n_tokens
    words = pa.column("numeric_ratio") < 0.5
    return (tok >= 3) & (tok <= 30) & ~pa.end_period & (pa.separators == 0) & ~dates & ~captions & words


def drop_reasons(
    pa: PageArrays,
    subset: np.ndarray,
    dates: np.ndarray,
    first_body: np.ndarray,
    last_body: np.ndarray,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Index into DROP_REASONS for every line (only read for dropped lines); body span given per line.

    The needle rules (copyright, comment box, byline) read only the lines at the indices in subset. With
    `rows` (line indices), only those lines get their reason (the others 0): a caller that reads a few.
    """
    n = len(pa.lines)
    at = slice(None) if rows is None else rows
    tok = pa.n_tokens[at]
    idx = pa.seg.idx[at]
    n_words, share = pa.n_words[at], pa.share_words[at]
    hits = needle_hits(pa.lines, subset, _DROP_NEEDLES)[0][at]
    n_copy, n_comment = len(_COPYRIGHT_NEEDLES), len(_COMMENT_NEEDLES)
    conditions = [
        _any_bit(hits, 0, n_copy),
        (n_words <= 6) & (share * 2 >= np.maximum(n_words, 1)) & (share > 0),
        (tok <= 20) & _any_bit(hits, n_copy, n_comment),
        dates[at],
        (tok <= 8) & _any_bit(hits, n_copy + n_comment, len(_BYLINE_PREFIXES)),
        _any_bit(hits, n_copy + n_comment + len(_BYLINE_PREFIXES), len(_URL_PREFIXES)),
        (pa.separators[at] > 0) & (tok <= 25),
        (pa.list_run[at] >= 3) | pa.bullet[at],
        tok <= 3,
        (idx < first_body[at]) & pa.end_sentence[at] & (tok >= 8),
        (idx > last_body[at]) & (tok >= 8),
        np.ones(tok.size, bool),
    ]
    out = np.select(conditions, np.arange(len(conditions)), default=len(conditions) - 1)
    out = np.where(n_words == 0, len(DROP_REASONS) - 1, out)
    if rows is None:
        return out
    full = np.zeros(n, out.dtype)
    full[rows] = out
    return full
