"""Clustering profiles packed into bytes, in memory or in a file: what a fold holds of every article.

A `Profile` as Python objects is ~9 KB an article (dicts of strings and floats; bench/scale/memory.py);
a million of them do not fit the 4 GB a fold may use. Packed, a profile is one bytes record: its counts,
its years as (year, count) pairs, its weights as the same float64 values, and its words, names, days and
numbers as UTF-8 text with each one's length, in the dicts' own order, so `packed[n]` is a profile equal
to the one appended, field by field and in iteration order (a dot product sums its terms in dict order:
the same order gives the same bits). No vocabulary is kept: names and numbers are mostly a story's own,
so one would grow with the corpus (110,537 distinct strings at 10,000 articles of
bench/out/scale-10k-max100). Past `hold_bytes` the records go to a file in `folder` (written once, read
back with `os.pread`: the page cache, not this process, holds them) and memory keeps only each record's
offset (8 bytes an article).

`pack=False` holds the profiles as they are instead, for a fold whose articles are held in memory anyway
(at most `EngineSettings.hold_articles`: ~9 KB an article, ~90 MB at 10,000) and that records no state:
packing each profile and unpacking it at every read is then work for nothing. A record asked for
(`record`: the edge model's compiled features, a recorded state) is packed then, once. On
fold-corpus-2400 (bench/fold/profiles_held.py, 5 rounds alternating, loaded machine): clustering 1.62 s
of CPU packed (median 1.80), 1.22 s held (median 1.37); threads 0.20 s (0.24), 0.11 s (0.13); the same
stories and threads.
"""

from __future__ import annotations

import itertools
import os
import struct
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Mapping, MutableSequence
from pathlib import Path
from typing import Any, overload

from newsfold.cluster.profile import Profile

__all__ = ["PackedProfiles"]

# words, then the count of terms, names, years, days and numbers (each at most ClusterSettings'
# terms_per_article / names_per_article / numbers_per_article, or the years and days an article names),
# then the text's length in bytes.
_HEADER = struct.Struct("<iIIIIII")
# Between two keys of the text: splitting on it reads a profile's keys three times faster than cutting the
# text by their lengths (kept for the key that holds it: scraped text may).
_SEPARATOR = "\x00"


class PackedProfiles(MutableSequence[Profile]):
    """Profiles appended in order and read back by position, packed (see the module docstring).

    >>> packed = PackedProfiles()
    >>> packed.append(Profile("a", {"quake": 1.0}, {}, {2010: 1}, frozenset(), frozenset(), 1))
    >>> packed[0].terms
    {'quake': 1.0}
    """

    def __init__(self, profiles: Iterable[Profile] = (), folder: Path | None = None,
                 hold_bytes: int | None = None, pack: bool = True) -> None:
        self.ids: list[str] = []
        self._objects: list[Profile] | None = None if pack else []  # the profiles themselves (`pack=False`)
        self._records: dict[int, bytes] = {}  # with `pack=False`: the records asked for, packed once
        self._offsets = array("q", [0])  # record n is bytes offsets[n]:offsets[n + 1]
        self._held: bytearray | None = bytearray()
        self._hold_bytes = hold_bytes
        self._folder = folder
        self._file: Any = None  # the temporary file, once the records have gone to disk
        self.extend(profiles)

    # -- writing ----------------------------------------------------------------------------------------

    def _pack(self, p: Profile) -> bytes:
        keys = [*p.terms, *p.names, *p.days, *p.numbers]
        text = _SEPARATOR.join(keys).encode("utf-8", "surrogatepass")
        ids = array("i", map(len, keys))  # each key's length in characters
        for year, count in p.years.items():
            ids.extend((year, count))
        # The heaviest-first order of the words and names (their places in dict order): a profile read
        # back has its `ranked_terms` and `ranked_names` without sorting again (60 us a profile, and the
        # index reads a candidate's profile many times).
        ids.extend(_places(p.ranked_terms, p.terms))
        ids.extend(_places(p.ranked_names, p.names))
        weights = array("d", p.terms.values())
        weights.extend(p.names.values())
        header = _HEADER.pack(
            p.words, len(p.terms), len(p.names), len(p.years), len(p.days), len(p.numbers), len(text)
        )
        return header + ids.tobytes() + weights.tobytes() + text

    def insert(self, index: int, value: Profile) -> None:
        if index != len(self):
            raise TypeError("packed profiles are only appended to")
        if self._objects is not None:
            self.ids.append(value.id)
            self._objects.append(value)
            return
        self.append_packed(value.id, self._pack(value))

    def append_packed(self, ident: str, record: bytes) -> None:
        """Append the profile of article `ident` as packed already (`packed`: a fold's recorded state)."""
        if self._objects is not None:  # held as they are: unpacked once, its record kept
            self._records[len(self)] = record
            self.ids.append(ident)
            self._objects.append(self._unpack(ident, memoryview(record)))
            return
        self.ids.append(ident)
        self._offsets.append(self._offsets[-1] + len(record))
        if self._held is not None:
            self._held += record
            if self._hold_bytes is not None and len(self._held) > self._hold_bytes:
                self._to_disk()
        else:
            self._file.write(record)

    def _to_disk(self) -> None:
        """Move the held records to a file; later ones are appended to it."""
        assert self._held is not None
        self._file = tempfile.TemporaryFile(prefix="newsfold-profiles-", dir=self._folder)
        self._file.write(self._held)
        self._held = None

    # -- reading ----------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Profile: ...

    @overload
    def __getitem__(self, index: slice) -> list[Profile]: ...

    def __getitem__(self, index: int | slice) -> Profile | list[Profile]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        n = index + len(self) if index < 0 else index
        if not 0 <= n < len(self):
            raise IndexError(f"profile {index} of {len(self)}")
        if self._objects is not None:
            return self._objects[n]
        start, end = self._offsets[n], self._offsets[n + 1]
        if self._held is not None:
            record = memoryview(self._held)[start:end]
        else:
            self._file.flush()
            record = memoryview(os.pread(self._file.fileno(), end - start, start))
        return self._unpack(self.ids[n], record)

    def record(self, index: int) -> bytes:
        """Profile `index` as its packed bytes, what `self[index]` unpacks: cluster/overlaps.py reads
        pairs' features from the records without making a `Profile`; a fold's state keeps them
        (`append_packed`)."""
        if self._objects is not None:  # held as they are: packed when first asked for
            record = self._records.get(index)
            if record is None:
                record = self._records[index] = self._pack(self._objects[index])
            return record
        start, end = self._offsets[index], self._offsets[index + 1]
        if self._held is not None:
            return bytes(memoryview(self._held)[start:end])
        self._file.flush()
        return os.pread(self._file.fileno(), end - start, start)

    def __iter__(self) -> Iterator[Profile]:
        for n in range(len(self)):
            yield self[n]

    def _unpack(self, ident: str, record: memoryview) -> Profile:
        words, n_terms, n_names, n_years, n_days, n_numbers, n_text = _HEADER.unpack_from(record)
        keys = n_terms + n_names + n_days + n_numbers
        start = _HEADER.size
        years_end = keys + 2 * n_years
        size = years_end + n_terms + n_names
        floats = start + 4 * size
        ids = record[start:floats].cast("i").tolist()
        weights = record[floats : floats + 8 * (n_terms + n_names)].cast("d").tolist()
        text = str(record[len(record) - n_text :], "utf-8", "surrogatepass")
        named = text.split(_SEPARATOR) if keys else []
        if len(named) != keys:  # a key holds the separator itself: cut by the keys' lengths
            ends = list(itertools.accumulate(length + 1 for length in ids[:keys]))
            named = [text[end - 1 - length : end - 1] for end, length in zip(ends, ids[:keys], strict=True)]
        a, b, c = n_terms, n_terms + n_names, n_terms + n_names + n_days
        pairs = ids[keys:years_end]
        profile = Profile(
            id=ident,
            terms=dict(zip(named[:a], weights[:a], strict=True)),
            names=dict(zip(named[a:b], weights[a:], strict=True)),
            years=dict(zip(pairs[::2], pairs[1::2], strict=True)),
            days=frozenset(named[b:c]),
            numbers=frozenset(named[c:]),
            words=words,
        )
        # What the cached properties would compute (the same lists), stored where they keep them.
        places = ids[years_end:]
        profile.__dict__["ranked_terms"] = [named[k] for k in places[:n_terms]]
        profile.__dict__["ranked_names"] = [named[a + k] for k in places[n_terms:]]
        return profile

    def nbytes(self) -> int:
        """Bytes of the packed records and their offsets (the vocabulary apart: shared by all); profiles
        held as they are (`pack=False`) are not counted, nor their records packed on demand."""
        return self._offsets[-1] + self._offsets.itemsize * len(self._offsets)

    def by_id(self) -> Mapping[str, Profile]:
        """A read-only {article id: profile} view that unpacks a profile only when it is looked up."""
        return _ById(self)

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError("packed profiles are only appended to")

    def __delitem__(self, index: Any) -> None:
        raise TypeError("packed profiles are only appended to")

    def close(self) -> None:
        """Delete the file, if the records went to one."""
        if self._file is not None:
            self._file.close()


def _places(ranked: list[str], weights: dict[str, float]) -> list[int]:
    """Each of `ranked`'s keys as its place in `weights`' order."""
    place = {key: n for n, key in enumerate(weights)}
    return [place[key] for key in ranked]


class _ById(Mapping[str, Profile]):
    def __init__(self, packed: PackedProfiles) -> None:
        self._packed = packed
        self._position = {ident: n for n, ident in enumerate(packed.ids)}

    def __getitem__(self, ident: str) -> Profile:
        return self._packed[self._position[ident]]

    def __contains__(self, ident: object) -> bool:
        return ident in self._position  # without unpacking the profile (Mapping's would)

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed.ids)

    def __len__(self) -> int:
        return len(self._packed)
