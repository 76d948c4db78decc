#!/usr/bin/env bash
# make bench [SCALE=1|10]: seed the benchmark data set at a scale into a
# database of its own, time every role's pages against a bare signed-in view,
# then one Celery worker draining the outbox. The database (vcs_bench by
# default, BENCH_DB to change it) is dropped and made afresh each run, so the
# figures always come from the same data; `make load` then runs against it.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
SCALE=${SCALE:-1}
BENCH_DB=${BENCH_DB:-vcs_bench}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
started=$(date +%s)
step() { echo "== bench [$(($(date +%s) - started))s]: $*"; }
ledger_check=$(mktemp)
trap 'rm -f "$ledger_check"' EXIT

export DJANGO_SETTINGS_MODULE=vcs_support.settings_test
export DATABASE_URL="$PG/$BENCH_DB"
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/14}
# Report figures kept until the data changes, as production keeps them
# (reports/figures_cache.py); bench_pages also times each report just after a change.
export REPORT_FIGURES_SECONDS=${REPORT_FIGURES_SECONDS:-600}

step "a fresh $BENCH_DB database"
$BIN/python - "$PG/postgres" "$BENCH_DB" <<'PY'
import sys

import psycopg

url, name = sys.argv[1], sys.argv[2]
if not name.replace("_", "").isalnum():
    sys.exit(f"Not a plain database name: {name!r}")
with psycopg.connect(url, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.execute(f'CREATE DATABASE "{name}"')
PY

step "migrate"
$BIN/python manage.py migrate --verbosity 0

step "seed at scale $SCALE ($((3000 * SCALE)) organisations, $((300 * SCALE)) providers, $((20000 * SCALE)) agreed packages over six years)"
$BIN/python manage.py seed_bench --force --scale "$SCALE"

step "check the ledger (every invariant must hold on the seeded data)"
$BIN/python manage.py check_ledger --limit 5 >"$ledger_check" || { cat "$ledger_check"; exit 1; }
tail -n 1 "$ledger_check"

step "time every role's pages"
$BIN/python manage.py bench_pages --scale "$SCALE" --repeat "${BENCH_REPEAT:-20}"

step "time the outbox (one real Celery worker, Redis db 13, mail to files)"
$BIN/python manage.py bench_outbox --count "${BENCH_OUTBOX_COUNT:-1000}" \
  --broker "${BENCH_OUTBOX_BROKER:-redis://127.0.0.1:6379/13}"
step "done"
