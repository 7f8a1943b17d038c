"""newsfold's exceptions.

    NewsfoldError                 everything newsfold raises on purpose
     ├── InputError               a file or record that cannot be read (names the file and the reason)
     └── StoreError               the SQLite store cannot be opened or written

Bad input never raises out of a batch: readers turn each failure into an `InputProblem` and go on.
"""

from __future__ import annotations


class NewsfoldError(Exception):
    """Base class of every error newsfold raises on purpose."""


class InputError(NewsfoldError):
    """A file or record that cannot be read. `str()` is one line: 'PATH: reason'."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(NewsfoldError):
    """The store cannot be opened or written; what is already stored is left as it was."""
