#!/usr/bin/env bash
# make load: a bounded locust run against gunicorn with production settings on
# the bench database that `make bench` seeded (vcs_bench; BENCH_DB to change).
# LOAD_USERS simulated people (50) of every role, each opening one of their
# role's pages every 2 to 4 seconds, for LOAD_SECONDS (60), all on loopback.
# Prints requests/s, p50/p95/max and errors against the targets.
#
# The production path is production_smoke.sh's: static files built as the
# Dockerfile builds them, then the Dockerfile's gunicorn (3 workers) bound to
# 127.0.0.1. The bench's people sign in first, once each, with the password
# and (staff) the TOTP code (manage.py bench_sessions); locust carries their
# session cookies.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
BENCH_DB=${BENCH_DB:-vcs_bench}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
LOAD_SECONDS=${LOAD_SECONDS:-60}
LOAD_USERS=${LOAD_USERS:-50}
started=$(date +%s)
step() { echo "== load [$(($(date +%s) - started))s]: $*"; }

work=$(mktemp -d)
gunicorn_pid=""
cleanup() {
  status=$?
  if [ -n "$gunicorn_pid" ]; then
    kill -QUIT "$gunicorn_pid" 2>/dev/null || true  # gunicorn's quick shutdown
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$work/gunicorn.log" ]; then
    echo "-- the last of gunicorn's log:"
    tail -n 40 "$work/gunicorn.log"
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Production settings, and nothing from the test harness's environment.
unset SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS DJANGO_ALLOW_ASYNC_UNSAFE
export DJANGO_SETTINGS_MODULE=vcs_support.settings
export DEBUG=false
SECRET_KEY="load-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="$PG/$BENCH_DB"
# A Redis database of its own: nothing here should queue work, and nothing consumes it.
export CELERY_BROKER_URL=${LOAD_BROKER_URL:-redis://127.0.0.1:6379/12}
export STATIC_ROOT="$work/static"
export MEDIA_ROOT="$work/uploads"

grep -qxF 'CMD ["gunicorn", "vcs_support.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]' Dockerfile \
  || { echo "FAIL the Dockerfile's CMD changed: start the same gunicorn below"; exit 1; }

step "static files, as the Dockerfile builds them"
bash scripts/collect_static.sh >/dev/null

step "sign the bench's people in on $BENCH_DB (password, and a TOTP code for staff)"
"$BIN/python" manage.py bench_sessions --out "$work/sessions.json" \
  || { echo "FAIL no bench data in $BENCH_DB: run make bench first"; exit 1; }

port=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "gunicorn on 127.0.0.1:$port (the Dockerfile's CMD, bound to loopback)"
"$BIN/gunicorn" vcs_support.wsgi --bind "127.0.0.1:$port" --workers 3 >"$work/gunicorn.log" 2>&1 &
gunicorn_pid=$!
for _ in $(seq 1 300); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; then break; fi
  kill -0 "$gunicorn_pid" 2>/dev/null || { echo "FAIL gunicorn exited"; exit 1; }
  sleep 0.2
done

step "locust: $LOAD_USERS people for ${LOAD_SECONDS}s (load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs)"
BENCH_SESSIONS="$work/sessions.json" "$BIN/locust" -f bench/locustfile.py --headless \
  --host "http://127.0.0.1:$port" --users "$LOAD_USERS" --spawn-rate 10 \
  --run-time "${LOAD_SECONDS}s" --stop-timeout 5 --only-summary --exit-code-on-error 0 \
  --loglevel WARNING 2>&1
step "done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
