"""Each article's page lead and headline, kept in a temporary file while copy detection runs.

`find_origins` splits every page once; what the page-lead and headline steps need of it later (the
first substantive sentences of the whole page, with whether the cleaner kept each, and the normalised
headline) held ~0.7 KB an article in memory (bench/out/scale-10k-max100: sentence strings that no other
structure keeps once the line cache has let them go). Here each article's record is written to a file
as it is split and read back by position (an offset an article in memory), in order for the passes over
every article and at random for the articles one lead bucket pairs.

Records are pickles of tuples of strings and booleans, made and read by this process in a file of its
own temporary folder, deleted by `close` (never a user's input, never kept).
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

__all__ = ["LeadLog"]

# The lead's (key, kept in the body) pairs and the headline of one page.
Lead = tuple[tuple[str, bool], ...]


class LeadLog(Sequence[Lead]):
    """Page leads by article position (a `Sequence` of each page's (key, in body) pairs), and `titles`.

    >>> log = LeadLog(); log.append((("a lede", True),), "a headline"); log[0], log.titles[0]
    ((('a lede', True),), 'a headline')
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="newsfold-leads-")
        self._offsets = array("q", [0])
        self._writing = True
        self.titles: Sequence[str] = _Titles(self)

    def append(self, lead: Lead, title: str) -> None:
        """Keep the next article's lead and headline."""
        if not self._writing:
            self._file.seek(0, 2)
            self._writing = True
        record = pickle.dumps((lead, title), pickle.HIGHEST_PROTOCOL)
        self._file.write(record)
        self._offsets.append(self._offsets[-1] + len(record))

    def record(self, index: int) -> tuple[Lead, str]:
        """The lead and headline of article `index`."""
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"lead {index} of {len(self)}")
        self._writing = False
        self._file.seek(self._offsets[index])
        lead, title = pickle.loads(self._file.read(self._offsets[index + 1] - self._offsets[index]))
        return lead, title

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> Lead: ...

    @overload
    def __getitem__(self, index: slice) -> list[Lead]: ...

    def __getitem__(self, index: int | slice) -> Lead | list[Lead]:
        if isinstance(index, slice):
            return [self.record(k)[0] for k in range(*index.indices(len(self)))]
        return self.record(index)[0]

    def __iter__(self) -> Iterator[Lead]:
        for lead, _ in self.records():
            yield lead

    def records(self) -> Iterator[tuple[Lead, str]]:
        """Every article's lead and headline, in order, read a few MB at a time."""
        count = len(self)
        start = 0
        while start < count:
            stop = min(count, start + _READ_RECORDS)
            self._writing = False
            self._file.seek(self._offsets[start])
            chunk = self._file.read(self._offsets[stop] - self._offsets[start])
            base = self._offsets[start]
            for k in range(start, stop):
                yield pickle.loads(chunk[self._offsets[k] - base : self._offsets[k + 1] - base])
            start = stop

    def close(self) -> None:
        """Delete the file."""
        self._file.close()


class _Titles(Sequence[str]):
    """The headlines of a `LeadLog`, by article position."""

    def __init__(self, log: LeadLog) -> None:
        self._log = log

    def __len__(self) -> int:
        return len(self._log)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._log.record(k)[1] for k in range(*index.indices(len(self)))]
        return self._log.record(index)[1]

    def __iter__(self) -> Iterator[str]:
        for _, title in self._log.records():
            yield title


# Records read at once by an in-order pass: ~0.7 KB each, a few MB a read.
_READ_RECORDS = 4096
