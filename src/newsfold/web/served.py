"""The app as `newsfold serve --workers N` starts it in each worker process (uvicorn imports a factory
by name): the store's path comes from the environment the command set."""

from __future__ import annotations

import os
import sys

from starlette.applications import Starlette

from newsfold.web.app import create_app

__all__ = ["DB_VARIABLE", "app_from_environment"]

DB_VARIABLE = "NEWSFOLD_SERVE_DB"


def app_from_environment() -> Starlette:
    """The app over the store named by $NEWSFOLD_SERVE_DB, logging each request to stderr."""
    return create_app(os.environ[DB_VARIABLE], log=lambda line: print(line, file=sys.stderr, flush=True))
