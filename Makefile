# The two commands a newcomer needs: `make run` and `make test`.
# Everything they depend on is installed from here, never by hand.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install services browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: set up and start web, Celery worker and beat with demo data on http://127.0.0.1:8000
run: install
	bash scripts/run.sh

## make test: set up and run every check against the real PostgreSQL and Redis
test: install services browser
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

services:
	bash scripts/ensure_services.sh

browser:
	bash scripts/ensure_browser.sh

## make bench: seed a city-scale data set into its own database (vcs_bench), time the reports and the outbox drain
bench: install services
	bash scripts/bench.sh

clean:
	rm -rf $(VENV) .run staticfiles .pytest_cache .ruff_cache
