"""STYLE: no function in src/newsfold over 60 lines; the few left longer are named here, each with why."""

from __future__ import annotations

import ast
from pathlib import Path

import newsfold

MAX_LINES = 60

# (module path under src/newsfold, qualified function name) -> why it may stay longer. Shrink this list;
# never grow it to let a new function through.
ALLOWED: dict[tuple[str, str], str] = {
    # Route registration: each closes over the app's `context` and its nested handlers are short; split
    # apart, every handler would take the context as an argument for no reader's gain.
    ("web/pages.py", "page_routes"): "route-registration closure",
    ("web/adding.py", "adding_routes"): "route-registration closure",
    ("web/adding.py", "adding_routes.add"): "the POST /add handler: form checks in reading order",
    ("web/api.py", "api_routes"): "route-registration closure",
    # A data literal: the OpenAPI document, read top to bottom like the README tables it mirrors.
    ("web/api.py", "openapi_spec"): "the OpenAPI document as one literal",
}


def _lengths(root: Path) -> dict[tuple[str, str], int]:
    """Every function and method under `root` (nested ones by dotted name) and its length in lines."""
    found: dict[tuple[str, str], int] = {}

    def visit(node: ast.AST, module: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                found[module, name] = (child.end_lineno or child.lineno) - child.lineno + 1
                visit(child, module, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, module, prefix + child.name + ".")
            else:
                visit(child, module, prefix)

    for path in sorted(root.rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), path.relative_to(root).as_posix(), "")
    return found


def _source_root() -> Path:
    return Path(newsfold.__file__).parent


def test_no_function_grows_over_the_limit() -> None:
    lengths = _lengths(_source_root())
    too_long = {key: n for key, n in lengths.items() if n > MAX_LINES and key not in ALLOWED}
    assert not too_long, f"split these into named steps (no function over {MAX_LINES} lines): {too_long}"


def test_the_allow_list_names_only_long_functions() -> None:
    """A function split (or renamed) leaves the list, so the list cannot hide a new long one."""
    lengths = _lengths(_source_root())
    stale = [key for key in ALLOWED if lengths.get(key, 0) <= MAX_LINES]
    assert not stale, f"no longer over {MAX_LINES} lines (or gone): remove from ALLOWED: {stale}"


def test_the_scan_measures_nested_functions(tmp_path: Path) -> None:
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_LINES))
    (tmp_path / "m.py").write_text(f"def outer():\n    def inner():\n{body}\n    return inner\n")
    lengths = _lengths(tmp_path)
    assert lengths["m.py", "outer.inner"] == MAX_LINES + 1
    assert lengths["m.py", "outer"] == MAX_LINES + 3
