"""Builds newsfold's compiled kernels (every `src/newsfold/**/*.pyx`); everything else is in pyproject.toml.

The kernels are optional: where Cython or a C compiler is missing, the install still succeeds and each
kernel's numpy/Python reference stands in (the same results, slower; `bench/bench_text_dumps.py` says
which kernels ran).
"""

from pathlib import Path

from setuptools import Extension, setup

SRC = Path("src")
try:
    from Cython.Build import cythonize
except ImportError:  # pragma: no cover - Cython is a build requirement; without it, no kernels
    extensions = []
else:
    extensions = cythonize(
        [
            Extension(".".join(pyx.relative_to(SRC).with_suffix("").parts), [str(pyx)], optional=True)
            for pyx in sorted(SRC.glob("newsfold/**/*.pyx"))
        ],
        compiler_directives={"language_level": "3"},
        include_path=[str(SRC)],  # `from newsfold._chars cimport ...`: the shared .pxd
    )
setup(ext_modules=extensions)
