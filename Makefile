# Quick start: `make site` builds the site from the shipped data; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: site test serve validate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.site-installed

# The map needs the ONS boundary file: fetched once when neither it nor $$PERFSITE_BOUNDARIES is
# there; without it the site is still built, and its map pages say how to get the file.
site: $(VENV)/.site-installed
	@if [ -z "$$PERFSITE_BOUNDARIES" ] && [ ! -f boundaries/topo.json ]; then \
	  $(BIN)/perfsite boundaries fetch || echo "make: building without the map (see 'The map' in README.md)" >&2; \
	fi
	$(BIN)/perfsite build

validate: $(VENV)/.site-installed
	$(BIN)/perfsite validate

serve: $(VENV)/.site-installed
	$(BIN)/perfsite serve

bench: $(VENV)/.site-installed
	$(BIN)/python bench/run.py

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

clean:
	rm -rf site .site-* test-output
