#!/usr/bin/env bash
# make bench: seed a city-scale data set into a database of its own and time
# the reports, then one Celery worker draining the outbox. The database
# (vcs_bench by default) is dropped and made afresh each run, so the figures
# always come from the same data.
set -euo pipefail
BIN=.venv/bin
BENCH_DB=${BENCH_DB:-vcs_bench}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}

export DJANGO_SETTINGS_MODULE=vcs_support.settings_test
export DATABASE_URL="$PG/$BENCH_DB"
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/14}

echo "== a fresh $BENCH_DB database"
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

echo "== migrate"
$BIN/python manage.py migrate --verbosity 0

echo "== seed (3,000 organisations, 300 providers, 20,000 agreed packages over six years)"
$BIN/python manage.py seed_bench --force

echo "== time the reports"
$BIN/python manage.py bench_reports --repeat "${BENCH_REPEAT:-20}"

echo "== time the outbox (one real Celery worker, Redis db 13, mail to files)"
$BIN/python manage.py bench_outbox --count "${BENCH_OUTBOX_COUNT:-1000}" \
  --broker "${BENCH_OUTBOX_BROKER:-redis://127.0.0.1:6379/13}"
