# The two commands a newcomer needs: `make run` and `make test`.
# Everything they depend on is installed from here, never by hand.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv installs exactly what uv.lock says (versions and hashes). uv itself is
# bootstrapped into .tools/ from scripts/uv-requirements.txt, pinned by hash too.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench load install upgrade services browser production-smoke clean backup restore restore-drill

$(UV): scripts/uv-requirements.txt
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --require-hashes --no-deps -r scripts/uv-requirements.txt
	touch $(UV)

# --locked: refuse to install if uv.lock no longer matches pyproject.toml,
# so a dependency changed by hand fails here instead of drifting.
$(STAMP): pyproject.toml uv.lock $(UV)
	$(UV) sync --locked --extra dev
	touch $(STAMP)

install: $(STAMP)

## make upgrade: refresh uv.lock to the newest versions pyproject.toml allows, and install them
## (one package only, e.g. a security release: make upgrade PACKAGE=django)
upgrade: $(UV)
	$(UV) lock $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade)
	$(UV) sync --locked --extra dev
	touch $(STAMP)
	@echo "uv.lock refreshed: run make test, then commit pyproject.toml and uv.lock together"

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

## make production-smoke: build static files as the Dockerfile does, start gunicorn with production settings, fetch the main pages and their assets
production-smoke: install services
	bash scripts/production_smoke.sh

services:
	bash scripts/ensure_services.sh

browser:
	bash scripts/ensure_browser.sh

## make bench [SCALE=1|10]: seed the bench data set at a scale (1: 3,000 organisations; 10: 30,000) into its own database (vcs_bench), time every role's pages against their targets, and the outbox drain
SCALE ?= 1
bench: install services
	SCALE=$(SCALE) bash scripts/bench.sh

## make load [LOAD_SECONDS=60] [LOAD_USERS=50]: after make bench, a bounded locust run (loopback, every role's pages) against gunicorn with production settings on the bench database
load: install services
	LOAD_SECONDS=$(LOAD_SECONDS) LOAD_USERS=$(LOAD_USERS) bash scripts/load.sh

## make backup [BACKUP=file]: pg_dump the DATABASE_URL database (custom format) to BACKUP, by default .run/backups/<database>-<UTC time>.dump
backup:
	bash scripts/backup.sh $(BACKUP)

## make restore BACKUP=file [RESTORE_DB=name]: restore a backup into a NEW database on the same server (never over one that exists), then run check_ledger there
restore: install
	bash scripts/restore.sh "$(BACKUP)" $(RESTORE_DB)

## make restore-drill: seed the demo into a scratch database, back it up, restore it into a fresh one and check its ledger, then drop both
restore-drill: install services
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_backup_restore.py

clean:
	rm -rf $(VENV) $(TOOLS) .run staticfiles .pytest_cache .ruff_cache
