#!/usr/bin/env bash
# Quick start: with no DATABASE_URL or broker set, everything runs on embedded
# defaults (an SQLite file and Celery's file-system transport), so nothing but
# Python is needed. Set DATABASE_URL and CELERY_BROKER_URL to use PostgreSQL and Redis.
set -euo pipefail
BIN=.venv/bin
mkdir -p .run
export DEBUG="${DEBUG:-true}"
export SECRET_KEY="${SECRET_KEY:-insecure-local-development-key-do-not-use-in-production}"
export PYTHONUNBUFFERED=1

$BIN/python manage.py migrate --noinput
$BIN/python manage.py seed_demo
echo
echo "Starting web (http://127.0.0.1:8000), Celery worker and beat. Ctrl-C stops them all."
exec $BIN/honcho start -f Procfile.dev
