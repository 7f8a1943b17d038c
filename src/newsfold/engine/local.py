"""Run the pipeline in this process: read -> clean -> syndication -> cluster -> story.

The engine only sequences stages and reports progress; every decision lives in the stage functions,
so the Spark engine and the incremental store run the very same code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from newsfold.clean import clean_pages
from newsfold.cluster import cluster_stories
from newsfold.models import Article, FoldResult, InputProblem, OriginGroup, Page, Story
from newsfold.read import read_many, unique_ids
from newsfold.settings import Settings
from newsfold.story import write_story
from newsfold.syndication import find_origins

__all__ = ["clean_all", "fold_articles", "fold_pages", "fold_paths", "stories_for", "story_id_for"]

# Called as progress(stage, done, total); the CLI draws Rich progress bars with it.
ProgressFn = Callable[[str, int, int], None]


def fold_paths(
    paths: Iterable[str | Path], *, settings: Settings = Settings(), progress: ProgressFn | None = None
) -> FoldResult:
    """Read, clean and fold every input; rejected inputs are listed in `problems`, the rest folded."""
    pages, problems = read_many(paths, settings=settings.read)
    result = fold_pages(pages, settings=settings, progress=progress)
    result.problems[:0] = problems
    return result


def fold_pages(
    pages: Sequence[Page], *, settings: Settings = Settings(), progress: ProgressFn | None = None
) -> FoldResult:
    """Clean pages and fold the articles into stories (pages sharing an id are renamed: `unique_ids`)."""
    articles, problems = clean_all(list(unique_ids(pages)), settings=settings, progress=progress)
    stories = fold_articles(articles, settings=settings, progress=progress)
    return FoldResult(articles=articles, stories=stories, problems=problems)


def clean_all(
    pages: Sequence[Page],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    context: Sequence[Page] = (),
) -> tuple[list[Article], list[InputProblem]]:
    """Clean every page with the whole batch (and `context`) as context; a page that fails is a problem."""
    problems: list[InputProblem] = []
    articles = clean_pages(pages, settings.clean, problems, progress, context)
    return articles, problems


def fold_articles(
    articles: Sequence[Article], *, settings: Settings = Settings(), progress: ProgressFn | None = None
) -> list[Story]:
    """Find the origins, cluster into stories and write each story."""
    report = progress or (lambda stage, done, total: None)
    report("copies", 0, 1)
    groups = find_origins(articles, settings.syndication)
    report("copies", 1, 1)
    report("stories", 0, 1)
    members = cluster_stories(articles, groups, settings.cluster)
    report("stories", 1, 1)
    return stories_for(members, articles, groups, settings=settings, progress=progress)


def stories_for(
    members: Sequence[Sequence[str]],
    articles: Sequence[Article],
    groups: Sequence[OriginGroup],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
) -> list[Story]:
    """Write one story per member list, handing each only its own articles and origin groups."""
    by_id = {a.id: a for a in articles}
    group_of = {member: group for group in groups for member in group.members}
    stories = []
    for done, ids in enumerate(members):
        wanted = set(ids)
        story_groups = [
            g for g in dict.fromkeys(group_of[i] for i in ids if i in group_of) if wanted >= set(g.members)
        ]
        stories.append(write_story(story_id_for(ids), [by_id[i] for i in ids], story_groups, settings.story))
        if progress:
            progress("write", done + 1, len(members))
    return stories


def story_id_for(member_ids: Sequence[str]) -> str:
    """A story's id: stable across runs, taken from the article that started it (its first member)."""
    return "s-" + hashlib.sha1(member_ids[0].encode("utf-8")).hexdigest()[:12]
