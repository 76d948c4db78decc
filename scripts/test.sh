#!/usr/bin/env bash
# Every check, in the order a reviewer would want them to fail.
set -euo pipefail
BIN=.venv/bin

echo "== ruff (lint and format)"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== djlint (templates)"
$BIN/djlint templates --lint

echo "== migrations are up to date"
DEBUG=true DATABASE_URL="sqlite:///$PWD/.run/migrations-check.sqlite3" $BIN/python manage.py makemigrations --check --dry-run

echo "== make run's embedded default: migrate and seed_demo on a fresh SQLite file"
# What a newcomer's first \`make run\` does before it starts the servers; an
# operation only PostgreSQL understands would break it here, not on their machine.
rm -f .run/quick-start-check.sqlite3
DEBUG=true DATABASE_URL="sqlite:///$PWD/.run/quick-start-check.sqlite3" $BIN/python manage.py migrate --noinput -v0
DEBUG=true DATABASE_URL="sqlite:///$PWD/.run/quick-start-check.sqlite3" $BIN/python manage.py check --fail-level WARNING
DEBUG=true DATABASE_URL="sqlite:///$PWD/.run/quick-start-check.sqlite3" $BIN/python manage.py seed_demo >/dev/null
rm -f .run/quick-start-check.sqlite3

echo "== check --deploy with production settings"
DEBUG=false SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" \
  ALLOWED_HOSTS=vcs.example.org DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
  COUNCIL_ORG_ID=GB-LAE-LCE COUNCIL_LOCAL_AUTHORITY_CODE=E06000016 \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== production smoke (collectstatic and gunicorn with DEBUG=false)"
bash scripts/production_smoke.sh

echo "== pytest"
$BIN/python -m pytest "$@"
