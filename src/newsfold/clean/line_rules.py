"""Shape rules on top of the line model: captions, the title, and a human reason for every dropped line.

Why rules here: the training labels (zyte gold bodies) say only body / not body, so captions, titles and
the kind of boilerplate have no labels to learn from. Every rule reads the generic shape of a line
(credit grammar, position words, dates, button words), never a site's or a page's strings.
"""

from __future__ import annotations

import re

__all__ = ["drop_reason", "is_caption", "is_date_line", "normalize", "title_candidate"]

# Photo-caption grammar: "In this photo provided by ...", "(AP Photo/...)", "Photo: ...", "..., left, and".
_CAPTION_PHRASE = re.compile(
    r"\b(?:in this (?:file |handout |undated |image |photo)|(?:photo|image|picture)s? (?:provided|released|"
    r"taken|distributed|courtesy|supplied)\b|(?:photo|image|picture)(?:graph)?s? (?:by|via|from)\b|"
    r"(?:file|pool|handout|staff|press) (?:photo|image|picture)s?\b|\bphoto(?:graph)?\s*(?:credit)?\s*[:©/]|"
    r"\bpictured\b|\bcourtesy of\b|\(photo\b|\bphoto/)",
    re.IGNORECASE,
)
_POSITION_WORDS = re.compile(
    r",\s(?:(?:second |third |far |front |back |top |bottom |center |centre |rear )?(?:left|right)|center|"
    r"centre|front|rear|top|bottom|foreground|background|(?:second|third) from (?:left|right))[,)]",
    re.IGNORECASE,
)
# A trailing bracketed credit made of 1-4 capitalised names joined by "/" ("[AGENCY/AGENCY]", "(NAME/AGENCY)").
_TRAILING_CREDIT = re.compile(r"[\[(](?:[A-Z][\w.&'-]*\s?){1,4}(?:/\s?(?:[A-Z][\w.&'-]*\s?){1,4})+[\])]\s*$")
_CREDIT_WORDS = frozenset(
    "photo photos photograph photography image images picture pictures credit credits illustration pool "
    "getty shutterstock istock alamy handout courtesy camera".split()
)

_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
_SHARE = frozenset(
    "share shares print email e-mail tweet facebook twitter whatsapp linkedin pinterest reddit telegram "
    "save bookmark copy link links sms messenger flipboard x".split()
)
_COMMENT = re.compile(r"\bcomments?\b|\blog ?in\b|\bsign ?(?:in|up)\b|\breply\b|\d+\s*/\s*\d+\s*\S*\)", re.I)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}"
    rf"(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{1,2}}:\d{{2}})\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av)\s+\S", re.IGNORECASE)
_SEPARATORS = ("|", "»", "›", " > ", ">", " / ", "•", "·")
_SENTENCE_END = ".!?。！？…"


def normalize(line: str) -> str:
    """Case- and space-folded form of a line, for comparing lines within and across pages."""
    return " ".join(line.lower().split())


def _words(line: str) -> list[str]:
    return [w.strip("\"'“”‘’()[]{}.,;:!?-–—|") for w in line.lower().split()]


def is_date_line(line: str) -> bool:
    """A short line that is mostly a date or a time stamp."""
    words = line.split()
    return len(words) <= 10 and _DATE.search(line) is not None


def is_caption(line: str) -> bool:
    """Photo caption or credit by its shape: credit phrases, position words, trailing agency credits."""
    if _CAPTION_PHRASE.search(line) or _POSITION_WORDS.search(line) or _TRAILING_CREDIT.search(line):
        return True
    words = _words(line)
    # A short credit line ("NAME, AGENCY, Pool Photo via AGENCY"): a credit word, a list shape, no sentence.
    return (
        2 <= len(words) <= 15
        and not line.rstrip().endswith(tuple(_SENTENCE_END))
        and any(w in _CREDIT_WORDS for w in words)
        and ("," in line or " via " in line.lower() or "/" in line or words[0] in ("by", "credit"))
    )


def title_candidate(line: str) -> bool:
    """A headline-shaped line: 3-30 words, not a sentence-ending line, no breadcrumb separators."""
    words = line.split()
    return (
        3 <= len(words) <= 30
        and not line.rstrip().endswith(".")
        and not any(sep in line for sep in _SEPARATORS)
        and not is_date_line(line)
        and not is_caption(line)
    )


def drop_reason(line: str, *, before_body: bool, after_body: bool, in_list: bool) -> str:
    """A short human reason for a line that is not article text, from its shape and where it sits."""
    text = line.strip()
    words = _words(text)
    n = len(words)
    if _COPYRIGHT.search(text):
        return "copyright"
    if n <= 6 and words and sum(w in _SHARE for w in words) * 2 >= n:
        return "share/print button"
    if n <= 20 and _COMMENT.search(text):
        return "comment box"
    if is_date_line(text):
        return "date line"
    if n <= 8 and _BYLINE.search(text):
        return "byline"
    if any(sep in text for sep in _SEPARATORS) and n <= 25:
        return "navigation"
    if in_list or text[:1] in "-–•*·▪►":
        return "link list of other headlines"
    if n <= 3:
        return "navigation"
    if before_body and text.endswith(tuple(_SENTENCE_END)) and n >= 8:
        return "standfirst"
    if after_body and n >= 8:
        return "teaser of another story"
    return "outside the article text"
