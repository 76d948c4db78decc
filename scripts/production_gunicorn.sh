# Sourced by production_smoke.sh and load.sh: the production path both run.
# Needs BIN, work (a scratch folder) and gunicorn_pid="" set by the caller.

# production_env NAME DATABASE_URL BROKER_URL: production settings, and nothing
# from the test harness's environment; a fresh SECRET_KEY; files in $work.
production_env() {
  unset SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS DJANGO_ALLOW_ASYNC_UNSAFE
  export DJANGO_SETTINGS_MODULE=vcs_support.settings
  export DEBUG=false
  SECRET_KEY="$1-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
  export SECRET_KEY
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export COUNCIL_ORG_ID=${COUNCIL_ORG_ID:-GB-LAE-LCE}
  export COUNCIL_LOCAL_AUTHORITY_CODE=${COUNCIL_LOCAL_AUTHORITY_CODE:-E06000016}
  export DATABASE_URL="$2"
  export CELERY_BROKER_URL="$3"
  export STATIC_ROOT="$work/static"
  export MEDIA_ROOT="$work/uploads"
  # What runs here must be what the image runs: fail if the two drift apart.
  grep -qx 'RUN bash scripts/collect_static.sh' Dockerfile \
    || { echo "FAIL the Dockerfile no longer runs scripts/collect_static.sh"; exit 1; }
  grep -qxF 'CMD ["gunicorn", "vcs_support.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]' Dockerfile \
    || { echo "FAIL the Dockerfile's CMD changed: start the same gunicorn here"; exit 1; }
}

# start_gunicorn: the Dockerfile's CMD bound to a free loopback port; sets port
# and gunicorn_pid. The caller waits for it to answer.
start_gunicorn() {
  port=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$BIN/gunicorn" vcs_support.wsgi --bind "127.0.0.1:$port" --workers 3 >"$work/gunicorn.log" 2>&1 &
  gunicorn_pid=$!
}

# stop_gunicorn STATUS: gunicorn's quick shutdown; its log's tail if STATUS is a failure.
stop_gunicorn() {
  if [ -n "$gunicorn_pid" ]; then
    kill -QUIT "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
  fi
  if [ "$1" -ne 0 ] && [ -s "$work/gunicorn.log" ]; then
    echo "-- the last of gunicorn's log:"
    tail -n 40 "$work/gunicorn.log"
  fi
}
