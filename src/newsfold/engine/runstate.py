"""What a resumable fold's state was made from, so a resumed run never mixes two different folds.

A fold with `--out` records its progress in that folder (`engine.spill`, `Spill(state=...)`). Resuming it
is right only if nothing it depends on changed: the input files (each path given, its files' names,
sizes and modification times), the settings (every stage's, except the worker count, which changes no
output: `--workers 1` and `--workers 2` give identical folds), and the code (a hash of the package's own
files: its sources, compiled kernels and trained models). `made_of` describes a run; `difference` names
the first thing that differs between two descriptions, in words a user can act on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsfold.read import list_inputs
from newsfold.settings import Settings

__all__ = ["code_hash", "difference", "made_of"]

# Files of the package that change no behaviour: bytecode is made from the sources hashed.
_SKIPPED_SUFFIXES = (".pyc", ".pyo")


def made_of(paths: Iterable[str | Path], settings: Settings) -> dict[str, Any]:
    """A JSON-ready description of a fold: its inputs, its settings and the code that runs it."""
    return {"inputs": _inputs(paths), "settings": _settings(settings), "code": code_hash()}


def difference(recorded: dict[str, Any], current: dict[str, Any]) -> str | None:
    """The first difference between two `made_of` descriptions, as a phrase; None when they are equal."""
    if recorded.get("code") != current["code"]:
        return "the newsfold code differs (another version or edited sources)"
    before, now = recorded.get("inputs", []), current["inputs"]
    if [i.get("path") for i in before] != [i["path"] for i in now]:
        return f"the inputs differ: {_paths(before)} then, {_paths(now)} now"
    for old, new in zip(before, now, strict=True):
        if old != new:
            return (
                f"input {new['path']} changed ({old.get('files')} files, {old.get('bytes')} bytes then; "
                f"{new['files']} files, {new['bytes']} bytes now, or names or times changed)"
            )
    changed = _first_change(recorded.get("settings", {}), current["settings"], "")
    if changed is not None:
        return f"the settings differ: {changed}"
    return None


def code_hash() -> str:
    """sha256 over the package's files (path and bytes, in sorted order): sources, kernels, models."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for file in sorted(package.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts and file.suffix not in _SKIPPED_SUFFIXES:
            digest.update(file.relative_to(package).as_posix().encode("utf-8") + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _inputs(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Per path given: its files' count, total size and a digest of (name, size, mtime) of each."""
    described = []
    for path in paths:
        digest = hashlib.sha256()
        files = size = 0
        # Problems (a missing or unsupported input) are the read's to report; here they describe nothing.
        for file, _ in list_inputs([path], on_problem=lambda problem: None):
            stat = file.stat()
            digest.update(
                f"{file.as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "replace")
            )
            files += 1
            size += stat.st_size
        described.append({"path": str(path), "files": files, "bytes": size, "digest": digest.hexdigest()})
    return described


def _settings(settings: Settings) -> Any:
    """The settings as plain JSON values, the worker count left out (it changes no output)."""
    return _plain(dataclasses.replace(settings, engine=dataclasses.replace(settings.engine, workers=0)))


def _plain(value: Any) -> Any:
    """A value as JSON-ready data that is the same in every process: sets are sorted (their iteration
    order follows string hashing, which differs between processes)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _first_change(before: Any, now: Any, where: str) -> str | None:
    """The dotted name of the first setting that differs, with both values (shortened)."""
    if isinstance(before, dict) and isinstance(now, dict):
        for key in sorted(set(before) | set(now)):
            changed = _first_change(before.get(key), now.get(key), f"{where}.{key}" if where else key)
            if changed is not None:
                return changed
        return None
    if before != now:
        return f"{where or 'settings'} {json.dumps(before)[:60]} then, {json.dumps(now)[:60]} now"
    return None


def _paths(inputs: list[dict[str, Any]]) -> str:
    names = [str(i.get("path")) for i in inputs]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return shown or "none"
