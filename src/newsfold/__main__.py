"""`python -m newsfold` runs the CLI."""

from newsfold.cli import app

app()
