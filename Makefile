# The two commands of the README: `make demo` and `make test`. Everything installs into .venv here.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SEEDS  := ../shared/corpus/seeds

.PHONY: install demo test bench lint

$(VENV)/.installed: pyproject.toml setup.py $(wildcard src/newsfold/*.pyx src/newsfold/*/*.pyx src/newsfold/*.pxd)
	@# Spark needs a Java runtime, the browser tests Debian's chromium (Playwright drives it, no
	@# browser download) and the cleaner's compiled kernels a C compiler: installed when missing.
	(command -v java >/dev/null && command -v chromium >/dev/null && command -v cc >/dev/null) || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless \
	  chromium gcc libc6-dev)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,bench,spark,web]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/newsfold fold $(SEEDS)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy src

bench: install
	$(PY) bench/run_all.py
