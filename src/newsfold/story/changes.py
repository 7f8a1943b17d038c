"""Changes within an origin: what one version of a story changed from another version of it.

Wires update a story through the day, and sites keep whichever version they took. Two versions of one
origin that differ are not sources disagreeing (`discrepancies` compares origins) but the origin
changing its account: for each version link of an origin group, the version's sentences are matched
one to one with the other version's (mutual best alignment, as the names check of `discrepancies`), and
- a matched pair is a change when its numbers, names or quoted words differ ("number", "name",
  "quote"; a pair reworded without such a difference is copy-editing and is not listed);
- a sentence with no counterpart at all is "added" (only the version has it) or "removed".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from newsfold.models import Change, ChangeKind, OriginGroup
from newsfold.story.discrepancies import names_missing_from
from newsfold.story.quotes import QUOTATION, quoted
from newsfold.story.sentences import Alignment, word_tokens

__all__ = ["find_changes"]

_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
    million billion trillion dozen dozens hundreds thousands millions billions half""".split()
)
_DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")


def _numbers(text: str) -> Counter[str]:
    """The figures a sentence states: digit groups ("1,000" as "1000") and spelled-out numbers."""
    found = Counter(d.replace(",", "") for d in _DIGITS.findall(text))
    found.update(w for w in word_tokens(text) if w in _NUMBER_WORDS)
    return found


def _quoted(text: str) -> set[tuple[str, ...]]:
    """The word tokens of each passage in quotation marks."""
    return {tuple(word_tokens(quoted(m))) for m in QUOTATION.finditer(text)}


def _change_kind(
    before: str, after: str, before_words: Callable[[], set[str]], after_words: Callable[[], set[str]]
) -> ChangeKind | None:
    """What differs between two aligned statements: figures first, then names (against the other
    version's words, made when first asked for), then quoted words."""
    old, new = _numbers(before), _numbers(after)
    if old and new and old != new:
        return "number"
    if names_missing_from(before, after_words()) and names_missing_from(after, before_words()):
        return "name"
    old_quotes, new_quotes = _quoted(before), _quoted(after)
    if (old_quotes or new_quotes) and old_quotes != new_quotes:
        return "quote"
    return None


def _oriented(
    article: str, of: str, published: dict[str, str | None], misdated: set[str], words: Counter[str]
) -> tuple[str, str]:
    """(newer, older): by the dates both claim when neither is misdated; else the longer is the newer,
    as wire stories grow when they are updated (the seeds' AP story: 19 paragraphs, then 21 with
    Japan's account corrected); else the copy link's (article, of)."""
    a, b = published.get(article), published.get(of)
    if a and b and a != b and not {article, of} & misdated:
        return (article, of) if a > b else (of, article)
    if words[article] != words[of]:
        return (article, of) if words[article] > words[of] else (of, article)
    return article, of


def _version_changes(alignment: Alignment, article: str, of: str, threshold: float) -> list[Change]:
    sentences = alignment.sentences
    new = alignment.article_sentences.get(article, [])
    old = alignment.article_sentences.get(of, [])
    if not new or not old:
        return []
    sim = alignment.block(new, old)
    # As lists: read one by one below (a numpy scalar a read cost more than the reading).
    best_old: list[int] = sim.argmax(axis=1).tolist()
    best_new: list[int] = sim.argmax(axis=0).tolist()
    row_best: list[float] = sim.max(axis=1).tolist()
    column_best: list[float] = sim.max(axis=0).tolist()
    words: dict[str, set[str]] = {}

    def words_of(version: str, indices: list[int]) -> Callable[[], set[str]]:
        def made() -> set[str]:
            if version not in words:
                words[version] = {w for k in indices for w in sentences[k].tokens}
            return words[version]

        return made

    new_words, old_words = words_of(article, new), words_of(of, old)
    found: list[tuple[int, Change]] = []
    for x, k in enumerate(new):
        after = sentences[k].text
        if row_best[x] < threshold:
            found.append((x, Change(article, of, "added", None, after)))
            continue
        y = best_old[x]  # sim[x, y] is the row's best: at `threshold` or more
        if best_new[y] != x:
            continue
        before = sentences[old[y]].text
        if sentences[old[y]].tokens == sentences[k].tokens:
            continue
        kind = _change_kind(before, after, old_words, new_words)
        if kind is not None:
            found.append((x, Change(article, of, kind, before, after)))
    for y, k in enumerate(old):
        if column_best[y] < threshold:
            found.append((len(new) + y, Change(article, of, "removed", sentences[k].text, None)))
    return [change for _, change in sorted(found, key=lambda item: item[0])]


def find_changes(
    alignment: Alignment,
    groups: Sequence[OriginGroup],
    published: dict[str, str | None] | None = None,
    misdated: set[str] | None = None,
    threshold: float = 0.35,
) -> list[Change]:
    """The changes between the versions of each origin group, in group order then the version's reading order.

    Args:
        alignment: the story's sentence alignment (`sentences.align_sentences`).
        groups: origin groups; only their "version" links are compared (a copy or an excerpt changes
            nothing, it only leaves passages out).
        published: article id -> the date it claims, to tell the older version from the newer (without
            dates, the longer version is taken as the newer).
        misdated: articles whose claimed date is not to be trusted (`misdated` flags).
        threshold: similarity at which two sentences report the same thing (`aligned_statement`).

    Each version's changes come in its reading order (aligned pairs whose figures, names or quoted words
    differ, and "added" statements), then its "removed" statements in the older version's order; `before`
    is the older version's sentence, `after` the newer's.
    """
    links = [link for group in groups for link in group.copies if link.relation == "version"]
    sentences = alignment.sentences
    words: Counter[str] = Counter()
    for version in {a for link in links for a in (link.article, link.of)}:  # only versions are counted
        words[version] = sum(sentences[k].words for k in alignment.article_sentences.get(version, ()))
    out: list[Change] = []
    for link in links:
        if words[link.article] and words[link.of]:
            article, of = _oriented(link.article, link.of, published or {}, misdated or set(), words)
            out.extend(_version_changes(alignment, article, of, threshold))
    return out
