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

echo "== check --deploy with production settings"
DEBUG=false SECRET_KEY="ci-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" \
  ALLOWED_HOSTS=vcs.example.org DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
  COUNCIL_ORG_ID=GB-LAE-LCE COUNCIL_LOCAL_AUTHORITY_CODE=E06000016 \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== production smoke (collectstatic and gunicorn with DEBUG=false)"
bash scripts/production_smoke.sh

echo "== pytest"
$BIN/python -m pytest "$@"
