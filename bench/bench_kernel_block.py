"""bench_text_dumps.py with some of the cleaner's compiled kernels blocked: what each carries of the bar.

A blocked kernel is replaced by its plain spec in the facade (`newsfold.clean._kernels`: `needle_hits`
runs `needle_hits_plain`); `all` blocks every one. Run it once per kernel and compare the
`clean_pages vs jusText` ratio with an unblocked run in the same session. (The plain specs are written to
be read, not to be fast: a blocked kernel shows what the compiled one is worth, not what numpy would do.)

usage: python bench/bench_kernel_block.py --block NAME[,NAME...]|all [bench_text_dumps options]
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "--block":
        sys.exit(__doc__)
    from newsfold.clean import _kernels

    names = list(_kernels.compiled()) if args[1] == "all" else [s for s in args[1].split(",") if s]
    unknown = [name for name in names if not hasattr(_kernels, f"{name}_plain")]
    if unknown:
        sys.exit(f"bench_kernel_block: no kernel named {', '.join(unknown)} (see newsfold/clean/_kernels.py)")
    for name in names:
        setattr(_kernels, name, getattr(_kernels, f"{name}_plain"))
    print(f"blocked: {', '.join(names) or 'none'}")
    bench = Path(__file__).resolve().parent / "bench_text_dumps.py"
    sys.argv = [str(bench), *args[2:]]
    runpy.run_path(str(bench), run_name="__main__")


if __name__ == "__main__":
    main()
