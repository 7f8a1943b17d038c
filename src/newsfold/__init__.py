"""newsfold: fold scraped news into stories people can trust."""

from __future__ import annotations

__version__ = "0.1.0"
