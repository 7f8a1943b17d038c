"""A self-contained HTML report of a fold: one section per story, no scripts, no outside links.

Everything scraped is untrusted: Jinja2 autoescaping is on for the whole template, and the page carries
a Content-Security-Policy that forbids scripts, so a page's text can never run in the reader's browser.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from newsfold.models import FoldResult
from newsfold.outlets import coverage_of
from newsfold.view import source_numbers

__all__ = ["render_report"]


def render_report(result: FoldResult, title: str = "newsfold report") -> str:
    """The report as one HTML document (inline CSS, no JavaScript)."""
    env = Environment(
        loader=PackageLoader("newsfold", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    articles = {a.id: a for a in result.articles}
    stories = []
    for story in result.stories:
        numbers = source_numbers(story)
        relation = {c.article: c for c in story.copies}
        stories.append(
            {
                "story": story,
                "numbers": numbers,
                "relation": relation,
                "coverage": coverage_of(story),
                "outlets": {s.article: s for s in story.sources},
            }
        )
    headlines = {story.id: story.headline or "(untitled story)" for story in result.stories}
    return env.get_template("report.html.j2").render(
        title=title, stories=stories, articles=articles, problems=result.problems, headlines=headlines
    )
