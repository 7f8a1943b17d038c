"""CPU of a story's discrepancies and quotes, the two parts that grew fastest with a story's size.

    python bench/scale/story_parts.py CORPUS --sizes 300 1500

Takes the first N articles of the corpus's cleaned pages (`story_memory.py`'s cache in bench/out/, made
there once), prepares the story as `write_story` does (origins, sentences, alignment), then times
`find_discrepancies` (with the cap and concept weights where this checkout has them) and `story_quotes`
in this process. Run it from two checkouts in turn to compare them.
"""

from __future__ import annotations

import argparse
import inspect
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from story_memory import cleaned  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1500])
    args = parser.parse_args()
    from newsfold.settings import StorySettings
    from newsfold.story import _documents
    from newsfold.story.discrepancies import find_discrepancies
    from newsfold.story.quotes import story_quotes
    from newsfold.story.sentences import align_sentences, paragraph_sentences, story_sentences
    from newsfold.story.summary import concept_weights
    from newsfold.syndication import find_origins

    with cleaned(args.corpus).open("rb") as handle:
        every = pickle.load(handle)
    settings = StorySettings()
    for n in args.sizes:
        articles = every[:n]
        documents = _documents(articles, find_origins(articles))
        split = paragraph_sentences(articles)
        sentences = story_sentences(articles, split)
        floor = min(settings.aligned_statement, settings.same_statement)
        alignment = align_sentences(sentences, floor=floor)
        texts = {a.id: "\n".join((*a.paragraphs, *a.captions)) for a in articles}
        extra = {}
        if "limit" in inspect.signature(find_discrepancies).parameters:
            weights = concept_weights(sentences, documents, settings)
            extra = {"limit": settings.discrepancies_per_story, "weights": weights}
        started = time.process_time()
        found = find_discrepancies(
            alignment, texts, settings.aligned_statement, settings.same_statement, documents, **extra
        )
        middle = time.process_time()
        quotes = story_quotes(articles, settings.min_quote_words, settings.quote_overlap, split=split)
        ended = time.process_time()
        print(
            f"{n} articles: discrepancies {len(found)} in {middle - started:.2f} s CPU, "
            f"quotes {len(quotes)} in {ended - middle:.2f} s CPU",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
