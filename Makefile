# All targets use the project virtualenv created by `make install`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
VERSIONS ?=
OLD ?=
NEW ?=
VERSION ?=
REF ?=
FILE ?=
APPLY ?=
FROM ?=
OUT ?=

.PHONY: install browser redis-server fetch-specs generate check-generated test lint typecheck format spec-diff update-spec \
	check-spec-drift contract record demo bench docs docs-check dist spec-watch upgrade-report

install:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,docs]'
	SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund
	@$(MAKE) --no-print-directory browser
	@$(MAKE) --no-print-directory redis-server

# Headless Chromium for `make docs-check`: Debian's package, installed when missing (as root, else a hint).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium (apt-get) for make docs-check"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: make docs-check needs chromium: sudo apt-get install chromium" >&2; fi

# Debian's redis-server for the shared rate-limit budget's tests (tests/scale/test_scale_redis.py start
# their own on a loopback port) and `make bench`: installed when missing (as root, else a hint).
redis-server:
	@if command -v redis-server >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing redis-server (apt-get) for the Redis rate-limit tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	else echo "note: the Redis rate-limit tests need redis-server: sudo apt-get install redis-server" >&2; fi

fetch-specs:
	$(PY) -m codegen fetch $(VERSIONS)

generate:
	$(PY) -m codegen generate $(VERSIONS)

check-generated:
	$(PY) -m codegen check $(VERSIONS)

# The README's test command: unit/integration tests, then lint and type checks.
test:
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory lint typecheck

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check --config codegen/ruff-generated.toml generated
	$(VENV)/bin/ruff format --check --config codegen/ruff-generated.toml generated
	node tools/actionlint.cjs

typecheck:
	$(VENV)/bin/mypy --python-version 3.11 codegen
	$(VENV)/bin/mypy --strict intercom_ext examples
	$(VENV)/bin/mypy --strict --python-version 3.11 docsgen
	$(VENV)/bin/mypy $$($(PY) -m codegen packages)

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Markdown changelog between two spec files (plus the generated-code effect), or between two of our
# versions (OLD=2.11 NEW=2.14: the upgrade report, client methods first).
spec-diff:
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make spec-diff OLD=<spec file|version> NEW=<spec file|version>" >&2; exit 2; }
	@$(PY) -m codegen.specdiff "$(OLD)" "$(NEW)" --codegen

# Publish the upgrade report between two versions as docs/upgrading-<OLD>-to-<NEW>.md.
upgrade-report:
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make upgrade-report OLD=2.11 NEW=2.14" >&2; exit 2; }
	$(PY) -m codegen.upgrade "$(OLD)" "$(NEW)"

# Move one manifest entry to another upstream commit, regenerate, and prepend the changelog.
update-spec:
	@test -n "$(VERSION)" -a -n "$(REF)" || { echo "usage: make update-spec VERSION=2.11 REF=<full upstream commit sha> [FILE=<spec file>]" >&2; exit 2; }
	$(PY) -m codegen.specdiff update "$(VERSION)" "$(REF)" $(if $(FILE),--file "$(FILE)")

# Has upstream moved past a pin? Prints each moved version's changelog; offline it says so and exits 0.
# APPLY=1 runs update-spec for each moved version; FROM=<dir of newer spec files> works offline;
# OUT=<dir> writes <version>.md and moved.json (the spec-watch workflow's pull requests).
spec-watch:
	$(PY) -m codegen spec-watch $(VERSIONS) $(if $(APPLY),--apply) $(if $(FROM),--from "$(FROM)") $(if $(OUT),--out "$(OUT)")

# Fails (printing the changelog) when a spec in ../shared/openapi differs from the manifest's pin.
check-spec-drift:
	$(PY) -m codegen.specdiff check-shared $(if $(CI),--offline)

# Every operation of every version through the public client against Prism --errors (repaired spec).
contract:
	$(PY) tests/contract/run_contract.py $(VERSIONS)

# Re-record tests/cassettes/ from Prism, then replay them and scan them for the token.
record:
	$(PY) -m pytest -q -p no:cacheprovider tests/test_cassettes.py --record-mode=rewrite
	$(PY) -m pytest -q -p no:cacheprovider tests/test_cassettes.py tests/test_cassettes_secrets.py

# The README quickstart (examples/tour.py) against Prism for 2.11: no token, no network.
demo:
	$(PY) tests/contract/prism_server.py 2.11 -- $(PY) examples/tour.py

# Benchmarks against python-intercom 5.0.1 and raw httpx, then FakeIntercom's requests a second
# (benchmarks/README.md); installs the `bench` extra.
bench:
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m benchmarks
	$(PY) -m benchmarks.bench_fake

# The documentation site (mkdocs.yml): guides, maintainer pages and the API reference generated from
# the manifest and each facade (docsgen/); --strict fails on any broken link or reference. Then the
# built reference is checked for every operation of every version (tests/docs, marker `docs`).
docs:
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet
	$(PY) -m pytest -q -p no:cacheprovider -m docs tests/docs

# The built site in headless Chromium (two pages, no failed asset); screenshot in build/docs-check/.
docs-check:
	$(PY) -m docsgen.check_site

# sdist + wheel (python -m build), twine check --strict, then the wheel installed in a fresh venv
# runs the README quickstart from outside the repository (tests/test_dist.py, marker `dist`); the
# wheel's dependencies (and pytest, for the wheel's pytest plugin) are fetched here into
# build/wheelhouse, so the test itself installs offline.
dist:
	rm -rf dist
	mkdir -p build && $(PY) -m build --outdir dist . >build/dist.log 2>&1 || { cat build/dist.log; exit 1; }
	$(VENV)/bin/twine check --strict dist/*
	$(PY) -m pip wheel -q --disable-pip-version-check --wheel-dir build/wheelhouse dist/*.whl pytest==9.2.0
	$(PY) -m pytest -q -p no:cacheprovider -m dist tests/test_dist.py
