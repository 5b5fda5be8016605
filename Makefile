# All targets use the project virtualenv created by `make install`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
VERSIONS ?=

.PHONY: install fetch-specs generate check-generated test lint typecheck format

install:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'

fetch-specs:
	$(PY) -m codegen fetch $(VERSIONS)

generate:
	$(PY) -m codegen generate $(VERSIONS)

check-generated:
	$(PY) -m codegen check $(VERSIONS)

test:
	$(PY) -m pytest -q

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck:
	$(VENV)/bin/mypy

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
