# Two commands: `make maps` renders the default atlas into output/, `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: maps test bench lint format system-deps boundaries clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

maps: $(STAMP)
	$(BIN)/shanhai build -o output

system-deps:
	bash scripts/system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/ruff check geo tests layers benchmarks
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check geo tests layers benchmarks
	$(BIN)/ruff format --check geo tests layers benchmarks

format: $(STAMP)
	$(BIN)/ruff format geo tests layers benchmarks
	$(BIN)/ruff check --fix geo tests layers benchmarks

boundaries: $(STAMP)
	$(BIN)/python layers/build_boundaries.py

clean:
	rm -rf $(VENV) output/*.html output/*.png output/*.svg output/*.pdf output/*.gpkg
