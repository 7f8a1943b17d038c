"""`clean/` reads in an afternoon: short functions, and compiled code behind one facade (`_kernels.py`)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

# `newsfold.clean` as an attribute is the function (the public API); the package is imported by name.
CLEAN = Path(importlib.import_module("newsfold.clean").__file__ or "").parent
MAX_FUNCTION_LINES = 60  # issue 12: "no function over 60 lines" (decorators and docstring included)
COMPILED = {p.stem for p in CLEAN.glob("*.pyx")}  # the compiled modules' names (`_scan`, ...)


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(CLEAN.glob("*.py"))]


def test_no_function_of_clean_is_over_60_lines() -> None:
    long = [
        f"{path.name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES  # type: ignore[operator]
    ]
    assert long == []


def _named_modules(tree: ast.Module) -> set[str]:
    """Every module name an import statement (or `importlib.import_module` of a literal) names."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.rsplit(".", 1)[-1] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or "").rsplit(".", 1)[-1])
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value.rsplit(".", 1)[-1])
    return names


def test_only_the_facade_names_the_compiled_modules() -> None:
    assert COMPILED, "no .pyx found next to clean/"
    naming = sorted(path.name for path, tree in _modules() if _named_modules(tree) & COMPILED)
    assert naming == ["_kernels.py"]


def test_no_module_branches_on_a_missing_kernel() -> None:
    """No `if X is None` / `is not None` test on a name holding a kernel module (`_compiled`...)."""
    branches = [
        f"{path.name}:{node.lineno}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and isinstance(node.ops[0], ast.Is | ast.IsNot)
        and isinstance(node.left, ast.Name | ast.Attribute)
        and any(word in ast.unparse(node.left) for word in ("_compiled", "_textscan", "_kernels"))
    ]
    assert branches == []
