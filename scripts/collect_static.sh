#!/usr/bin/env bash
# The production static build, run by the Dockerfile and by
# scripts/production_smoke.sh. It must run with DEBUG=false: only then does
# WhiteNoise's CompressedManifestStaticFilesStorage write the hashed, compressed
# files and the manifest that every {% static %} looks names up in (without it
# every page answers 500). It also fails the build on a url() in the CSS that
# points at a file we do not ship.
#
# Usage: scripts/collect_static.sh [folder]   (default: $STATIC_ROOT, else staticfiles/)
# Needs no database, broker or real SECRET_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then
  export STATIC_ROOT="$1"
fi
# The virtualenv `make install` made, else the python on PATH (the image's venv).
PYTHON=${PYTHON:-$(if [ -x .venv/bin/python ]; then echo .venv/bin/python; else echo python; fi)}

export DEBUG=false
export DJANGO_SETTINGS_MODULE=vcs_support.settings
# Production settings refuse to load without a long SECRET_KEY, but nothing
# here signs anything: a throwaway one will do when none is set (image build).
if [ -z "${SECRET_KEY:-}" ]; then
  SECRET_KEY="build-only-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))')"
  export SECRET_KEY
fi

# Nor does it publish open data: the council's identifiers may be placeholders here.
export COUNCIL_ORG_ID=${COUNCIL_ORG_ID:-build-only}
export COUNCIL_LOCAL_AUTHORITY_CODE=${COUNCIL_LOCAL_AUTHORITY_CODE:-E00000000}

"$PYTHON" manage.py collectstatic --noinput
