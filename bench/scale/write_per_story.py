"""CPU of writing one story against its size and origins, from a fold's --out files: does a story of the
same size cost more in a bigger corpus?

    python bench/scale/write_per_story.py OUT_10K OUT_100K --pages 30 60 --stories 12 [--origins 2 4]

Picks, from each fold output folder (`stories.jsonl`, `articles.jsonl`), the first `--stories` stories of
`--pages` pages (and `--origins` origins in the output), rebuilds their articles from `articles.jsonl`
(paragraphs and metadata; not the line numbers nor the removed lines, so a story is not byte for byte
the fold's: a timing, not a check), finds their origin groups (`find_origins`, as the fold hands a story
its own groups) and times `write_story` in this process. Prints per story: pages, origin groups found,
origins in the fold's output, CPU ms; then per folder the CPU per page.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _stories(folder: Path, low: int, high: int, count: int, origins: tuple[int, int]) -> list[dict]:
    picked = []
    with (folder / "stories.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            if low <= len(story["articles"]) <= high and origins[0] <= len(story["origins"]) <= origins[1]:
                picked.append(story)
                if len(picked) == count:
                    break
    return picked


def _articles(folder: Path, wanted: set[str]) -> dict[str, object]:
    from newsfold.models import Article

    found: dict[str, object] = {}
    with (folder / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            ident = json.loads(line[: line.index('", ') + 1] + "}")["id"]
            if ident in wanted:
                data = json.loads(line)
                # articles.jsonl gives the body as text (paragraphs joined by lines); line numbers are not
                # in it, nor are the removed lines, which writing reads only for flags
                found[ident] = Article(
                    id=ident,
                    title=data["title"],
                    paragraphs=tuple(data["text"].split("\n")) if data["text"] else (),
                    captions=tuple(data["captions"]),
                    published=data["published"],
                    published_from=data["published_from"],
                    authors=tuple(data["authors"]),
                    credits=tuple(data["credits"]),
                    dateline=data["dateline"],
                    lang=data["lang"],
                    dates_mentioned=tuple(data["dates_mentioned"]),
                    url=data["url"],
                )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--pages", type=int, nargs=2, default=[30, 60])
    parser.add_argument("--stories", type=int, default=12)
    parser.add_argument("--origins", type=int, nargs=2, default=[1, 1000], help="origins in the output")
    args = parser.parse_args()
    from newsfold.settings import StorySettings
    from newsfold.story import write_story
    from newsfold.syndication import find_origins

    settings = StorySettings()
    for folder in args.folders:
        stories = _stories(folder, *args.pages, args.stories, tuple(args.origins))
        articles = _articles(folder, {a for s in stories for a in s["articles"]})
        pages = cpu = 0.0
        for story in stories:
            members = [articles[a] for a in story["articles"]]
            groups = find_origins(members)
            started = time.process_time()
            written = write_story(story["id"], members, groups, settings)
            spent = time.process_time() - started
            pages, cpu = pages + len(members), cpu + spent
            assert written.id == story["id"]
            found, output = len(groups), len(story["origins"])
            print(
                f"{folder.name} {len(members):4d} pages {found:3d} origins ({output} in the output) "
                f"{spent * 1000:8.1f} ms"
            )
        per_page = cpu / max(pages, 1) * 1000
        print(
            f"{folder}: {len(stories)} stories, {pages:.0f} pages, {cpu:.2f} s CPU, {per_page:.1f} ms a page"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
