"""Readable terminal views (Rich) of articles and stories, for people rather than programs.

Scraped text is printed with markup off: a page can never inject Rich styles into the terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from newsfold.models import Article, Change, FoldResult, Quote, SourcedText, Story
from newsfold.outlets import coverage_of

__all__ = [
    "print_articles",
    "print_fold",
    "print_search",
    "print_story_list",
    "quote_wordings",
    "source_numbers",
]

PREVIEW_PARAGRAPHS = 3


def print_articles(console: Console, articles: Sequence[Article]) -> None:
    """One block per article: metadata, the first paragraphs, captions and why lines were removed."""
    for article in articles:
        console.rule(Text(article.id, style="bold"))
        console.print(Text(article.title or "(no title)", style="bold cyan"))
        for label, value in _article_facts(article):
            console.print(Text.assemble((f"{label:>10}: ", "dim"), value))
        for paragraph in article.paragraphs[:PREVIEW_PARAGRAPHS]:
            console.print(Text(paragraph), soft_wrap=False)
        if len(article.paragraphs) > PREVIEW_PARAGRAPHS:
            console.print(
                Text(f"… {len(article.paragraphs) - PREVIEW_PARAGRAPHS} more paragraphs", style="dim")
            )
        for caption in article.captions:
            console.print(Text.assemble(("caption: ", "dim"), caption))
        reasons = Counter(r.reason for r in article.removed)
        if reasons:
            summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
            console.print(Text(f"removed {len(article.removed)} lines: {summary}", style="dim"))


def print_fold(console: Console, result: FoldResult) -> None:
    """Every story: headline, date, origins, summary with source markers, quotes, discrepancies, flags."""
    by_id = {a.id: a for a in result.articles}
    counts = f"{_count(len(result.articles), 'article')}, {_count(len(result.stories), 'story')}"
    console.print(Text(counts, style="bold"))
    headlines = {story.id: story.headline for story in result.stories}
    for story in result.stories:
        print_story(console, story, by_id, headlines)


def print_story(
    console: Console,
    story: Story,
    articles: dict[str, Article],
    headlines: Mapping[str, str | None] | None = None,
) -> None:
    """One story in the terminal: its header, its sources, then each section it has; `headlines` (story id
    -> headline) names its related stories, listed by id without it."""
    numbers = source_numbers(story)
    console.rule(Text(story.headline or "(untitled story)", style="bold"))
    console.print(
        Text(
            f"event date {story.event_date or 'unknown'} · {len(story.articles)} articles · "
            f"{len(story.origins) or len(story.articles)} independent origins",
            style="dim",
        )
    )
    console.print(Text(_coverage_line(story), style="dim"))
    console.print(_sources_table(story, articles, numbers))
    _print_summary(console, story, numbers)
    _print_quotes(console, story, numbers)
    _print_discrepancies(console, story, numbers)
    _print_changes(console, story, numbers)
    if story.flags:
        console.print(Text("Red flags", style="bold red"))
        for flag in story.flags:
            console.print(
                Text.assemble(
                    "• ", (f"[{numbers.get(flag.article, '?')}] {flag.kind}", "red"), ": ", flag.detail
                )
            )
    _print_related(console, story, headlines or {})


def _print_related(console: Console, story: Story, headlines: Mapping[str, str | None]) -> None:
    """The story's thread and its related stories (the JSON's `thread` and `related`), best first."""
    if story.thread:
        console.print(Text(f"thread {story.thread}", style="dim"))
    if not story.related:
        return
    console.print(Text("Related stories", style="bold"))
    for story_id in story.related:
        headline = headlines.get(story_id)
        console.print(Text(f"• {headline} ({story_id})" if headline else f"• {story_id}"))


def _sources_table(story: Story, articles: dict[str, Article], numbers: dict[str, int]) -> Table:
    """One row per article: its number, outlet, date, and what it is of which (a copy of [1])."""
    outlets = {s.article: s for s in story.sources}
    sources = Table(show_header=True, header_style="bold", box=None)
    for column in ("#", "article", "outlet", "published", "relation"):
        sources.add_column(column)
    relation = {
        c.article: f"{c.relation} of [{numbers.get(c.of, '?')}] ({c.shared:.0%} shared)" for c in story.copies
    }
    for article_id in story.articles:
        article = articles.get(article_id)
        source = outlets.get(article_id)
        sources.add_row(
            str(numbers[article_id]),
            Text(article_id),
            _outlet_cell(source.outlet if source else None, source.url if source else None),
            (article.published if article else None) or "-",
            relation.get(article_id, "origin"),
        )
    return sources


def _print_summary(console: Console, story: Story, numbers: dict[str, int]) -> None:
    """The attributed summary, then what only one origin reports."""
    if story.summary:
        console.print(Text("Summary", style="bold"))
        for sentence in story.summary:
            console.print(Text.assemble(sentence.text, (" " + _markers(sentence.sources, numbers), "cyan")))
    if story.adds:
        console.print(Text("Only one origin reports", style="bold"))
        for added in story.adds:
            console.print(Text.assemble("• ", added.text, (" " + _markers(added.sources, numbers), "cyan")))


def _print_quotes(console: Console, story: Story, numbers: dict[str, int]) -> None:
    """Each quote's main wording with its speaker, then its other wordings."""
    if not story.quotes:
        return
    console.print(Text("Quotes", style="bold"))
    for quote in story.quotes:
        speaker = f"{quote.speaker}: " if quote.speaker else ""
        main, *others = quote_wordings(quote)
        console.print(
            Text.assemble(
                "• ", (speaker, "bold"), f"“{main.text}”", (" " + _markers(main.sources, numbers), "cyan")
            )
        )
        for variant in others:
            console.print(
                Text.assemble(
                    "    also: ", f"“{variant.text}”", (" " + _markers(variant.sources, numbers), "cyan")
                )
            )


def _print_discrepancies(console: Console, story: Story, numbers: dict[str, int]) -> None:
    """What the origins disagree about, each variant with its sources."""
    if not story.discrepancies:
        return
    console.print(Text("Sources disagree", style="bold yellow"))
    for discrepancy in story.discrepancies:
        console.print(Text.assemble("• ", (discrepancy.about, "bold")))
        for variant in discrepancy.variants:
            console.print(
                Text.assemble("    ", variant.text, (" " + _markers(variant.sources, numbers), "cyan"))
            )


def _print_changes(console: Console, story: Story, numbers: dict[str, int]) -> None:
    """The changes between versions of one origin, by (newer, older) pair."""
    if not story.changes:
        return
    console.print(Text("Changes between versions of one origin", style="bold"))
    for (newer, older), changes in _by_version(story).items():
        console.print(
            Text.assemble("• ", (f"[{numbers.get(newer, '?')}] changes [{numbers.get(older, '?')}]", "bold"))
        )
        for change in changes:
            console.print(Text.assemble(f"    {change.kind}: ", *_change_texts(change.before, change.after)))


def print_story_list(console: Console, stories: Sequence[dict[str, Any]]) -> None:
    """One row per story: id, event date, articles, origins, its outlets (known ones) and headline."""
    table = Table(
        "story", "event date", "articles", "origins", "outlets", "headline", header_style="bold", box=None
    )
    for story in stories:
        outlets = list(dict.fromkeys(s["outlet"] for s in story.get("sources") or [] if s.get("outlet")))
        shown = ", ".join(outlets[:3]) + (f" +{len(outlets) - 3}" if len(outlets) > 3 else "")
        table.add_row(
            story["id"],
            story.get("event_date") or "-",
            str(len(story["articles"])),
            str(len(story.get("origins") or story["articles"])),
            Text(shown or "-"),
            Text(story.get("headline") or ""),
        )
    console.print(table)


# Private-use characters around each found word of a search snippet (never in what newsfold prints):
# shown as a style, so a page's own brackets stay text.
SNIPPET_MARKS = ("\ue000", "\ue001")


def print_search(console: Console, hits: Sequence[tuple[str, str | None, str]]) -> None:
    """Each hit: id, title, and the snippet with the found words highlighted (snippets from
    `Store.search(..., marks=SNIPPET_MARKS)`)."""
    if not hits:
        console.print("no match")
    for article_id, title, snippet in hits:
        line = Text.assemble((article_id, "bold"), "  ", title or "", "\n    ")
        line.append_text(_marked(snippet))
        console.print(line)


def _marked(snippet: str) -> Text:
    """The snippet as Rich text, each marked word in bold yellow, the marks dropped."""
    text = Text(style="dim")
    for n, part in enumerate(snippet.split(SNIPPET_MARKS[0])):
        word, closed, rest = part.partition(SNIPPET_MARKS[1])
        if n and closed:
            text.append(word, style="bold yellow")
            text.append(rest)
        else:
            text.append(part.replace(SNIPPET_MARKS[1], ""))
    return text


def _coverage_line(story: Story) -> str:
    """'5 pages · 3 outlets · 2 independent origins · languages en, fr · countries GB, KR'."""
    coverage = coverage_of(story)
    parts = [
        _count(coverage.pages, "page"),
        _count(coverage.outlets, "outlet") + (" known" if coverage.outlets < coverage.pages else ""),
        f"{coverage.origins} independent origins",
    ]
    if coverage.languages:
        parts.append("languages " + ", ".join(coverage.languages))
    if coverage.countries:
        parts.append("countries " + ", ".join(coverage.countries))
    return "coverage: " + " · ".join(parts)


def _outlet_cell(outlet: str | None, url: str | None) -> Text:
    """The outlet, linked to the original where the terminal supports links (the URL is never markup)."""
    text = Text(outlet or "-")
    if url and url.startswith(("http://", "https://")):
        text.stylize(Style(link=url))
    return text


def _count(n: int, noun: str) -> str:
    """'1 story', '2 stories', '5 articles'."""
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def quote_wordings(quote: Quote) -> list[SourcedText]:
    """A quote's wordings, its main one first, each with the articles that print that wording (a view
    lists beside a wording only its own sources, as the JSON does, never every article quoting the remark)."""
    main = [v for v in quote.variants if v.text == quote.text] or [SourcedText(quote.text, quote.sources)]
    return [main[0], *(v for v in quote.variants if v.text != quote.text)]


def source_numbers(story: Story) -> dict[str, int]:
    """Article id -> its marker number in this story ([1], [2], ...), in the story's article order."""
    return {article_id: n for n, article_id in enumerate(story.articles, start=1)}


def _markers(sources: Sequence[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[s]}]" for s in sources if s in numbers)


def _by_version(story: Story) -> dict[tuple[str, str], list[Change]]:
    """The story's changes by (changed version, version it changes), in story order."""
    out: dict[tuple[str, str], list[Change]] = {}
    for change in story.changes:
        out.setdefault((change.article, change.of), []).append(change)
    return out


def _change_texts(before: str | None, after: str | None) -> list[str | tuple[str, str]]:
    """A change as Rich text parts: the old statement dimmed, an arrow, then the new one."""
    parts: list[str | tuple[str, str]] = []
    if before is not None:
        parts.append((before, "dim"))
    if before is not None and after is not None:
        parts.append(" → ")
    if after is not None:
        parts.append(after)
    return parts


def _article_facts(article: Article) -> list[tuple[str, str]]:
    facts = [
        (
            "published",
            f"{article.published} (from {article.published_from})" if article.published else "unknown",
        ),
        ("authors", ", ".join(article.authors)),
        ("credits", ", ".join(article.credits)),
        ("dateline", article.dateline or ""),
        ("language", article.lang or ""),
        ("outlet", article.outlet or ""),
        ("url", article.url or ""),
        ("dates", ", ".join(article.dates_mentioned)),
    ]
    return [(label, value) for label, value in facts if value]


def print_threads(console: Console, threads: Sequence[tuple[str, Sequence[Story]]]) -> None:
    """Each thread (stories of one saga) and its stories in time order: event date and headline."""
    table = Table("thread", "story", "event date", "headline", header_style="bold", box=None)
    for thread_id, stories in threads:
        for n, story in enumerate(stories):
            first = thread_id if n == 0 else ""
            table.add_row(first, story.id, story.event_date or "-", Text(story.headline or ""))
    console.print(table)
