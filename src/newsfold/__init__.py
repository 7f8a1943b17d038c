"""newsfold: fold scraped news into stories people can trust.

The public API, one function per pipeline stage plus the whole fold:

    >>> import newsfold
    >>> pages = newsfold.read("../shared/corpus/seeds")             # doctest: +SKIP
    >>> articles = [newsfold.clean(page) for page in pages]         # doctest: +SKIP
    >>> result = newsfold.fold("../shared/corpus/seeds")            # doctest: +SKIP
    >>> result.stories[0].event_date                                # doctest: +SKIP
    '2023-09-13'

Every name is imported on first use, so `import newsfold` (and `newsfold --help`) loads none of the
heavy modules (trafilatura, scipy, scikit-learn). `read` and `clean` share their names with the
submodules that define them, and Python sets `newsfold.read` to the submodule when that is first imported
(which any fold does): the package's class makes those two names properties that always give the
functions, and ignore the import system's binding of the submodules.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "Article": "newsfold.models",
    "ArticleSource": "newsfold.models",
    "CopyLink": "newsfold.models",
    "Discrepancy": "newsfold.models",
    "Flag": "newsfold.models",
    "FoldResult": "newsfold.models",
    "InputError": "newsfold.errors",
    "InputProblem": "newsfold.models",
    "NewsfoldError": "newsfold.errors",
    "OriginGroup": "newsfold.models",
    "Page": "newsfold.models",
    "Quote": "newsfold.models",
    "Settings": "newsfold.settings",
    "SourcedText": "newsfold.models",
    "Store": "newsfold.store",
    "StoreError": "newsfold.errors",
    "Story": "newsfold.models",
    "StoryIndex": "newsfold.cluster",
    "article_to_dict": "newsfold.export",
    "atom_feed": "newsfold.feed",
    "clean": "newsfold.clean",
    "clean_pages": "newsfold.clean",
    "cluster_stories": "newsfold.cluster",
    "coverage_of": "newsfold.outlets",
    "find_origins": "newsfold.syndication",
    "fold": "newsfold.api",
    "fold_articles": "newsfold.engine.local",
    "ingest": "newsfold.api",
    "read": "newsfold.read",
    "read_many": "newsfold.read",
    "story_to_dict": "newsfold.export",
    "write_story": "newsfold.story",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsfold' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


class _Package(types.ModuleType):
    """The `newsfold` module's class: `read` and `clean` are the functions, whatever is imported when."""

    @property
    def read(self) -> Any:
        return importlib.import_module("newsfold.read").read

    @read.setter
    def read(self, submodule: object) -> None:
        """The import system binds the submodule `newsfold.read` here; the name stays the function."""

    @property
    def clean(self) -> Any:
        return importlib.import_module("newsfold.clean").clean

    @clean.setter
    def clean(self, submodule: object) -> None:
        """The import system binds the package `newsfold.clean` here; the name stays the function."""


sys.modules[__name__].__class__ = _Package
