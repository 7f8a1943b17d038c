"""bench_text_dumps.py with some compiled kernels blocked: what each kernel carries of the speed bar.

A kernel is blocked as a whole module (`module:newsfold.clean._scan`: its import fails, so its Python
reference runs) or as one name a module imported (`name:newsfold.clean.line_rules._compiled_needle_hits`:
set to None after import). Run it once per kernel and compare `clean_pages vs jusText` with an unblocked run.

usage: python bench/bench_kernel_block.py --block module:M|name:M.N[,...] [bench_text_dumps options]
"""

from __future__ import annotations

import importlib
import runpy
import sys
from pathlib import Path


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "--block":
        sys.exit(__doc__)
    specs = [s for s in args[1].split(",") if s]
    if any(not s.startswith(("module:", "name:")) for s in specs):
        sys.exit(f"bench_kernel_block: each --block item starts with module: or name: ({args[1]})")
    for spec in specs:  # modules first: a None entry makes `import name` raise ImportError
        kind, _, target = spec.partition(":")
        if kind == "module":
            sys.modules[target] = None  # type: ignore[assignment]
    for spec in specs:
        kind, _, target = spec.partition(":")
        if kind == "name":
            owner, attr = target.rsplit(".", 1)
            setattr(importlib.import_module(owner), attr, None)
    print(f"blocked: {', '.join(specs)}")
    bench = Path(__file__).resolve().parent / "bench_text_dumps.py"
    sys.argv = [str(bench), *args[2:]]
    runpy.run_path(str(bench), run_name="__main__")


if __name__ == "__main__":
    main()
