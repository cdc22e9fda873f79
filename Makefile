# Two commands: `make maps` renders the default atlas into output/, `make test` runs the suite.
# `make maps` installs only what rendering needs and writes every map, the book and the offline
# site; `make test` adds the test extras on top.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input
RUNTIME := $(VENV)/.runtime
TESTENV := $(VENV)/.test
RELEASEENV := $(VENV)/.release
DOCSENV := $(VENV)/.docs
# parallel test workers: 2 on the 2-core machines this project targets; a file's tests stay on one
# worker (--dist loadfile), so its module fixtures (the book, the hostile pages) are built once
WORKERS ?= 2

.PHONY: maps test docs docs-test bench lint format system-deps boundaries dist clean mutation

# uv (from PyPI) installs the same packages several times faster than pip; pip is the fallback.
# Bytecode is compiled at install: with PYTHONDONTWRITEBYTECODE set, every process would
# otherwise compile the libraries again (twice the start-up of each map).
UV     := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python

$(RUNTIME): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) uv || true
	$(UV) -e . || $(PIP) -e .
	touch $(RUNTIME)

$(TESTENV): $(RUNTIME)
	$(UV) -e '.[test]' || $(PIP) -e '.[test]'
	touch $(TESTENV)

$(RELEASEENV): $(RUNTIME)
	$(UV) -e '.[release]' || $(PIP) -e '.[release]'
	touch $(RELEASEENV)

$(DOCSENV): $(RUNTIME)
	$(UV) -e '.[docs]' || $(PIP) -e '.[docs]'
	touch $(DOCSENV)

maps: $(RUNTIME)
	$(BIN)/shanhai build -o output

system-deps:
	bash scripts/system-deps.sh

# The suite and the docs tests in one run: the docs build (a process of its own, a minute of
# work) fills one worker while the other runs the suite, instead of running alone after it.
# tests/conftest.py hands the longest files out first (SLOW_FIRST). Bytecode is written even
# where the machine says not to: each worker would otherwise rewrite every test module's asserts
# and compile the package again (3 s each), and so would every process a test starts.
test: $(TESTENV) $(DOCSENV) system-deps
	$(BIN)/ruff check geo tests layers benchmarks docs
	env -u PYTHONDONTWRITEBYTECODE SHANHAI_DOCS_REQUIRED=1 $(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --durations=10

# The documentation site in output/docs/ (open index.html; it works from file:// and from a
# zip), in Chinese at the root and in English under en/: the pages of docs/pages/ (X.zh.md,
# X.en.md), the CLI and API reference and the glossary generated from the code, the gallery
# rendered and the notebooks run at build time (docs/hooks.py). Outside `make test`.
docs: $(DOCSENV)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -f docs/mkdocs.yml

# The docs build test (the site without running the notebooks, no warning allowed) and the
# browser test of the built site, alone (`make test` runs them with the rest of the suite).
docs-test: $(TESTENV) $(DOCSENV) system-deps
	SHANHAI_DOCS_REQUIRED=1 $(BIN)/python -m pytest -p no:xdist -m docs --durations=5 tests/test_docs.py

# Mutation testing of the core logic (pyproject's [tool.mutmut]: geo/read, geo/tables, divisions,
# datum, registry, measures, keyed, vintage, trends) against the fast tests/test_core_*.py, niced,
# from a clean mutants/ (KEEP=1 reuses it: only changed functions run again); MUTANTS narrows the
# run to a glob ('geo.read.values.*'). The table goes into the README. Not part of `make test`.
MUTANTS ?=
mutation: $(TESTENV)
	$(UV) -e '.[test,mutation]' || $(PIP) -e '.[test,mutation]'
	$(if $(KEEP),,rm -rf mutants)
	start=$$(date +%s); nice -n 10 $(BIN)/mutmut run --max-children $(WORKERS) $(MUTANTS) | tail -n 4; \
	  $(BIN)/python scripts/mutation_table.py --minimum 80 --seconds $$(( $$(date +%s) - start )) $(if $(KEEP),--kept) \
	  $(if $(MUTANTS),,--update-readme)

bench: $(TESTENV)
	$(BIN)/python benchmarks/run.py

lint: $(TESTENV)
	$(BIN)/ruff check geo tests layers benchmarks docs
	$(BIN)/ruff format --check geo tests layers benchmarks docs/*.py

format: $(TESTENV)
	$(BIN)/ruff format geo tests layers benchmarks docs/*.py
	$(BIN)/ruff check --fix geo tests layers benchmarks docs

boundaries: $(TESTENV)
	$(BIN)/python layers/build_boundaries.py

# the sdist and the wheel in dist/, checked; the citation file is validated by cffconvert in a
# venv of its own (it pins jsonschema<4: in .venv it would downgrade the notebooks' jsonschema)
dist: $(RELEASEENV)
	rm -rf dist
	$(BIN)/uv build --out-dir dist || $(BIN)/python -m build --outdir dist
	$(BIN)/twine check --strict dist/*
	$(BIN)/check-wheel-contents dist/*.whl
	$(BIN)/uvx --from cffconvert==2.0.0 cffconvert --validate -i CITATION.cff || \
	  ($(PYTHON) -m venv build/cffconvert && build/cffconvert/bin/pip install -q cffconvert==2.0.0 && \
	   build/cffconvert/bin/cffconvert --validate -i CITATION.cff)

clean:
	rm -rf dist $(VENV) output/*.html output/*.png output/*.svg output/*.pdf output/*.gpkg output/book.pdf output/site output/docs build/docs
