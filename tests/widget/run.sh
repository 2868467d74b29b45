#!/usr/bin/env bash
# Browser tests of the web chat widget against a running Rasa server.
#
#   bash tests/widget/run.sh http://127.0.0.1:5005
#
# The Rasa server must be started with --cors allowing the test page (bot/launcher.py uses "*").
# Installs what is missing: Debian's chromium (plus CJK/Thai fonts for readable screenshots) and
# playwright-core (npm ci). Set SAVE_DOC_SCREENSHOTS=1 to refresh docs/screenshots/widget-*.png.
# Exit code: the test result.
set -euo pipefail

RASA_URL="${1:-${RASA_URL:-}}"
if [[ -z "$RASA_URL" ]]; then
  echo "usage: $0 RASA_URL   (e.g. http://127.0.0.1:5005)" >&2
  exit 2
fi
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

apt_install() {
  apt-get install -y -q --no-install-recommends "$@" || { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; }
}
if [[ ! -x /usr/bin/chromium ]]; then
  apt_install chromium
fi
# Fonts only change how screenshots look, so a failure here is not fatal.
if command -v fc-list >/dev/null && { [[ -z "$(fc-list :lang=ja)" ]] || [[ -z "$(fc-list :lang=th)" ]]; }; then
  apt_install fonts-noto-cjk fonts-thai-tlwg || echo "warning: CJK/Thai fonts not installed; screenshots may show boxes" >&2
fi
if [[ ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund
fi

RASA_URL="$RASA_URL" npm test
