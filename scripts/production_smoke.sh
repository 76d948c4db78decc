#!/usr/bin/env bash
# make production-smoke: build the static files as the Dockerfile does, then
# start gunicorn with production settings (DEBUG=false, a real SECRET_KEY,
# SSL redirect on) against a scratch PostgreSQL database and fetch the pages
# every visitor sees, and the stylesheet, script and image they link. The unit
# tests use plain StaticFilesStorage, so only this catches a production
# image that answers 500 on every page (a missing staticfiles manifest).
# Needs the local PostgreSQL and Redis (scripts/ensure_services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}
SMOKE_DB="vcs_smoke_$$"
started=$(date +%s)
step() { echo "== production smoke [$(($(date +%s) - started))s]: $*"; }

# create or drop the scratch database, through the postgres maintenance database
scratch_db() {
  "$BIN/python" - "$1" "$PG/postgres" "$SMOKE_DB" <<'PY'
import sys

import psycopg

action, url, name = sys.argv[1:]
assert name.startswith("vcs_smoke") and name.replace("_", "").isalnum(), name
with psycopg.connect(url, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if action == "create":
        conn.execute(f'CREATE DATABASE "{name}"')
PY
}

work=$(mktemp -d)
gunicorn_pid=""
# shellcheck source=scripts/production_gunicorn.sh
source scripts/production_gunicorn.sh
cleanup() {
  status=$?
  stop_gunicorn "$status"
  scratch_db drop || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

production_env smoke "$PG/$SMOKE_DB" "${SMOKE_BROKER_URL:-redis://127.0.0.1:6379/11}"

step "static files, as the Dockerfile builds them"
bash scripts/collect_static.sh

step "a scratch database ($SMOKE_DB), migrated"
scratch_db create
"$BIN/python" manage.py migrate --noinput --verbosity 0

start_gunicorn
step "gunicorn on 127.0.0.1:$port (the Dockerfile's CMD, bound to loopback), with what the pages link"

"$BIN/python" - "http://127.0.0.1:$port" "$gunicorn_pid" <<'PY'
"""Wait for gunicorn, then fetch what a visitor's browser would."""

import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base, pid = sys.argv[1], int(sys.argv[2])
# The TLS-terminating proxy's header: production redirects plain HTTP to HTTPS.
HEADERS = {"X-Forwarded-Proto": "https"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to check, not to follow


opener = urllib.request.build_opener(NoRedirect)


def fetch(path, timeout=30):
    request = urllib.request.Request(base + path, headers=HEADERS)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def require(path, content_type):
    status, headers, body = fetch(path)
    got_type = headers.get("Content-Type", "")
    if status != 200 or not got_type.startswith(content_type):
        sys.exit(f"FAIL {path}: {status} {got_type!r}, wanted 200 {content_type}\n{body[:500]!r}")
    print(f"ok   {status} {got_type:32} {path}")
    return headers, body


# The port opens before the workers have loaded Django: a first request may
# wait for one, so each try may use all the time that is left.
WAIT = 60
deadline = time.monotonic() + WAIT
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("FAIL gunicorn exited before answering")
    try:
        fetch("/healthz", timeout=max(1, deadline - time.monotonic()))
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(f"FAIL gunicorn did not answer within {WAIT} seconds")
        time.sleep(0.2)

_, body = require("/healthz", "application/json")
health = json.loads(body)
if health.get("status") != "ok":
    sys.exit(f"FAIL /healthz reports {health}")
print(f"     database {health['database']}, broker {health['broker']}")

_, start = require("/", "text/html")
require("/accounts/login/", "text/html")
require("/packages/", "text/html")

# What the start page links must come from the manifest: hashed, cached for
# good, and served with the type a browser insists on.
page = start.decode()
assets = {
    "stylesheet": (r'<link rel="stylesheet" href="([^"]+)"', "text/css"),
    "script": (r'<script type="module" src="([^"]+)"', "text/javascript"),
    "image": (r'<link rel="icon" href="([^"]+)"', "image/svg+xml"),
}
for name, (pattern, content_type) in assets.items():
    match = re.search(pattern, page)
    if not match:
        sys.exit(f"FAIL the start page links no {name}")
    url = match.group(1)
    if not re.search(r"\.[0-9a-f]{12}\.\w+$", url):
        sys.exit(f"FAIL the {name} {url} is not a hashed manifest name")
    headers, body = require(url, content_type)
    if "immutable" not in headers.get("Cache-Control", ""):
        sys.exit(f"FAIL {url} is not served as immutable: {headers.get('Cache-Control')!r}")
    if name == "script":
        # A module's own imports (GOV.UK Frontend's script) must load too.
        for spec in re.findall(r'\bfrom\s*"(\.{1,2}/[^"]+)"', body.decode()):
            require(urllib.parse.urljoin(url, spec), "text/javascript")

# The redirect is still on for a request that did not come through TLS.
request = urllib.request.Request(base + "/")
try:
    opener.open(request, timeout=30)
    sys.exit("FAIL plain HTTP was not redirected to HTTPS")
except urllib.error.HTTPError as error:
    if error.code != 301 or not error.headers.get("Location", "").startswith("https://"):
        sys.exit(f"FAIL plain HTTP answered {error.code}, wanted a 301 to https")
print("ok   301 plain HTTP is redirected to https://")
PY

step "passed"
