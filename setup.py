"""Builds newsfold's compiled kernels (every `src/newsfold/**/*.pyx`); everything else is in pyproject.toml.

The extensions are optional: where no C compiler is at hand the install still succeeds and each kernel's
numpy/Python reference stands in (the same results, slower).
"""

from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup

SRC = Path("src")
extensions = cythonize(
    [
        Extension(".".join(pyx.relative_to(SRC).with_suffix("").parts), [str(pyx)], optional=True)
        for pyx in sorted(SRC.glob("newsfold/**/*.pyx"))
    ],
    compiler_directives={"language_level": "3"},
)
setup(ext_modules=extensions)
