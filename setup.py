"""Builds the compiled character pass (`newsfold.clean._scan`); everything else is in pyproject.toml.

The extension is optional: where no C compiler is at hand the install still succeeds and the cleaner
uses its numpy reference pass (the same results, slower).
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

extensions = cythonize(
    [Extension("newsfold.clean._scan", ["src/newsfold/clean/_scan.pyx"], optional=True)],
    compiler_directives={"language_level": "3"},
)
setup(ext_modules=extensions)
