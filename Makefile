# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make run    set up, then start Stageline on the embedded SQLite database
#   make test   set up, then lint, type-check and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system browser run test lint typecheck pytest bench golden docs clean

setup: system $(STAMP)

# System libraries the wheels load but pip cannot install (Skia's EGL and GL).
system:
	@bash scripts/install-system-libraries.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Headless Chromium for the browser tests, from Debian's packages.
browser:
	@bash scripts/install-chromium.sh

run: setup
	$(BIN)/stageline serve --demo

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	bash scripts/check-js.sh

typecheck: setup
	$(BIN)/mypy

pytest: setup browser
	$(BIN)/pytest -n 2 --dist loadgroup -q

test: lint typecheck pytest

bench: setup browser
	$(BIN)/python -m benchmarks

# Regenerate committed outputs after an intended change (goldens, generated docs).
golden: setup
	STAGELINE_UPDATE_GOLDEN=1 $(BIN)/pytest -q tests -k golden
docs: setup
	$(BIN)/python -m stageline.analysis.checks.docs > docs/rules.md
	$(BIN)/python -m stageline.formats.reference docs/format.md
	$(BIN)/python -m stageline.formats.interop.docs
	$(BIN)/python -m stageline.server.editor_model

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info
