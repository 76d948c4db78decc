#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright; Playwright cannot
# download its own browsers here, so install Debian's package if it is missing.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation
fi
/usr/bin/chromium --version
