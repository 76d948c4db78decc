#!/usr/bin/env bash
# Rebuild static/css/app.css and the vendored GOV.UK Frontend files from the
# npm registry. The output is committed, so running the service never needs
# Node; run this only when changing static/scss/app.scss or upgrading Frontend.
set -euo pipefail
GOVUK_FRONTEND_VERSION=5.11.1
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent "govuk-frontend@${GOVUK_FRONTEND_VERSION}" sass@1
npx sass --quiet-deps --no-source-map --style=compressed --load-path=node_modules \
  "$here/static/scss/app.scss" "$here/static/css/app.css"
rm -rf "$here/static/govuk"
mkdir -p "$here/static/govuk"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$here/static/govuk/"
cp node_modules/govuk-frontend/package.json "$here/static/govuk/package.json"
cp node_modules/govuk-frontend/LICENSE.txt "$here/static/govuk/" 2>/dev/null || true
echo "Built static/css/app.css with govuk-frontend ${GOVUK_FRONTEND_VERSION}"
