"""The local web app: browse the stories of a store, read each with its sources, search articles."""

from newsfold.web.app import create_app

__all__ = ["create_app"]
