# The two commands of the README: `make demo` and `make test`. Everything installs into .venv here.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SEEDS  := ../shared/corpus/seeds

.PHONY: install demo test bench lint

$(VENV)/.installed: pyproject.toml
	@# Spark needs a Java runtime; Debian's is installed when the machine lacks one.
	command -v java >/dev/null || (apt-get update -q && apt-get install -y -q default-jre-headless)
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
