#!/usr/bin/env bash
# Browser tests of the web chat widget against a running Rasa server.
#
#   bash tests/widget/run.sh http://127.0.0.1:5005
#
# The Rasa server must allow the test page's origin (CORS): start it with
# CORS_ORIGINS=http://127.0.0.1:$WIDGET_PORT and set WIDGET_PORT here too.
# `make install-test` installs Debian's chromium, CJK/Thai fonts and playwright-core (npm ci).
# Set SAVE_DOC_SCREENSHOTS=1 to refresh docs/screenshots/widget-*.png.
# Exit code: the test result.
set -euo pipefail

RASA_URL="${1:-${RASA_URL:-}}"
if [[ -z "$RASA_URL" ]]; then
  echo "usage: $0 RASA_URL   (e.g. http://127.0.0.1:5005)" >&2
  exit 2
fi
cd "$(dirname "$0")"
if [[ ! -x /usr/bin/chromium || ! -d node_modules/playwright-core ]]; then
  echo "Chromium or playwright-core is missing: run 'make install-test' first." >&2
  exit 2
fi

RASA_URL="$RASA_URL" npm test
