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
# shellcheck source=scripts/production_gunicorn.sh
source scripts/production_gunicorn.sh
cleanup() {
  status=$?
  stop_gunicorn "$status"
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A Redis database of its own: nothing here should queue work, and nothing consumes it.
production_env load "$PG/$BENCH_DB" "${LOAD_BROKER_URL:-redis://127.0.0.1:6379/12}"

step "static files, as the Dockerfile builds them"
bash scripts/collect_static.sh >/dev/null

step "sign the bench's people in on $BENCH_DB (password, and a TOTP code for staff)"
"$BIN/python" manage.py bench_sessions --out "$work/sessions.json" \
  || { echo "FAIL no bench data in $BENCH_DB: run make bench first"; exit 1; }

start_gunicorn
step "gunicorn on 127.0.0.1:$port (the Dockerfile's CMD, bound to loopback)"
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
