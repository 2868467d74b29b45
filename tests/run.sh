#!/usr/bin/env bash
# The whole suite (`make test`). Each part runs in the environment that owns
# the code under test: the Rasa side on Python 3.10, the action side and the
# end-to-end tests (which start their own stack on free ports) on 3.11. The console's stack
# test runs on 3.10 for the fakes of LINE and Slack (aiohttp).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
run() { echo "=== $*"; "$@" || status=1; }

# Gates: the linter, and Rasa's own check of the domain, training data and rules.
run .venv-actions/bin/ruff check .
run .venv-rasa/bin/rasa data validate --domain bot/domain.yml --data bot/data --config config.yml --quiet
run .venv-rasa/bin/python -m pytest tests/nlu tests/bot tests/console/test_console_stack.py
run .venv-actions/bin/python -m pytest tests/knowledge tests/actions tests/e2e tests/console \
    --ignore=tests/console/test_console_stack.py
exit $status
