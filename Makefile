# Two commands set everything up: `make run` and `make test`.
# Everything else here is a step those two depend on, or an evaluation.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first interpreter of that version that really runs (a pyenv shim may not).
find_python = $(shell for p in python$(1) $(wildcard $(HOME)/.pyenv/versions/$(1).*/bin/python$(1)); do \
	"$$p" -c '' 2>/dev/null && echo "$$p" && break; done)
PY310 ?= $(call find_python,3.10)
PY311 ?= $(call find_python,3.11)
RASA_VENV := .venv-rasa
ACTIONS_VENV := .venv-actions
RASA_PY := $(RASA_VENV)/bin/python
ACTIONS_PY := $(ACTIONS_VENV)/bin/python
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONDONTWRITEBYTECODE := 1

DEBIAN_PACKAGES := build/.debian-packages
WIDGET_TEST_DEPS := tests/widget/node_modules/.installed
CONSOLE_TEST_DEPS := tests/console/node_modules/.installed
MODEL := models/hokkaido.tar.gz
INDEX := build/index/manifest.json
MODEL_INPUTS := config.yml bot/domain.yml $(shell find bot/data nlu knowledge/facts -name '*.yml' -o -name '*.py' 2>/dev/null) knowledge/labels.yml knowledge/facts.py
INDEX_INPUTS := $(shell find knowledge -name '*.yml' -o -name '*.py' 2>/dev/null) $(shell find nlu -name '*.py' -o -name '*.yml')

.PHONY: help install install-test run test console-user model index eval-nlu eval-retrieval eval eval-heldout eval-dev eval-pii bench bench-load bench-retrieval retention clean

help:
	@echo "make run    - install, train if needed, start the assistant (REST/socket.io :5005, actions :5055, widget :8080, console :8090)"
	@echo "make test   - install, train if needed, run the whole test suite"
	@echo "make console-user NAME=<name> ROLE=staff|editor - create a console user (asks for the password)"
	@echo "make eval-nlu | eval-retrieval | eval | eval-heldout | eval-dev | eval-pii | bench | bench-load | bench-retrieval - measurements (see docs/)"
	@echo "make retention - delete conversations older than the retention period (docs/privacy.md)"

install: $(RASA_VENV)/.installed $(ACTIONS_VENV)/.installed
install-test: install $(DEBIAN_PACKAGES) $(WIDGET_TEST_DEPS) $(CONSOLE_TEST_DEPS)

# Debian packages the tests start: headless Chromium (with fonts for readable
# screenshots) for the widget, PostgreSQL and Redis for the production stores,
# docker-compose to validate docker-compose.yml (no Docker engine is started).
$(DEBIAN_PACKAGES):
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium fonts-noto-cjk fonts-thai-tlwg"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	if [ -n "$$missing" ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	mkdir -p build && touch $@

# playwright-core drives the Debian Chromium (it never downloads a browser).
$(WIDGET_TEST_DEPS): tests/widget/package.json tests/widget/package-lock.json
	cd tests/widget && npm ci --no-audit --no-fund
	touch $@

$(CONSOLE_TEST_DEPS): tests/console/package.json tests/console/package-lock.json
	cd tests/console && npm ci --no-audit --no-fund
	touch $@

$(RASA_VENV)/.installed: requirements/rasa.in requirements/rasa.lock
	@test -n "$(PY310)" || { echo "Python 3.10 is required (Rasa 3.6 supports <3.11)."; exit 1; }
	test -x $(RASA_PY) || $(PY310) -m venv $(RASA_VENV)
	$(RASA_PY) -m pip install --quiet -r requirements/rasa.in -c requirements/rasa.lock
	touch $@

$(ACTIONS_VENV)/.installed: requirements/actions.in requirements/actions.lock
	@test -n "$(PY311)" || { echo "Python 3.11 is required for the action service."; exit 1; }
	test -x $(ACTIONS_PY) || $(PY311) -m venv $(ACTIONS_VENV)
	$(ACTIONS_PY) -m pip install --quiet -r requirements/actions.in -c requirements/actions.lock
	touch $@

model: $(MODEL)
$(MODEL): $(RASA_VENV)/.installed $(MODEL_INPUTS) | $(INDEX)
	$(RASA_VENV)/bin/rasa train --config config.yml --domain bot/domain.yml --data bot/data \
		--out models --fixed-model-name hokkaido --quiet
	touch $@

index: $(INDEX)
$(INDEX): $(ACTIONS_VENV)/.installed $(INDEX_INPUTS)
	$(ACTIONS_PY) -m knowledge.build

run: install $(MODEL) $(INDEX)
	$(ACTIONS_PY) bot/launcher.py

# A console user, in the database of `make run` unless TRACKER_DB or CONSOLE_DATABASE_URL
# says otherwise. The password is read from standard input, never from the command line.
NAME ?=
ROLE ?= staff
console-user: $(ACTIONS_VENV)/.installed
	@test -n "$(NAME)" || { echo "usage: make console-user NAME=<name> ROLE=staff|editor"; exit 2; }
	TRACKER_DB=$${TRACKER_DB:-build/run/conversations.db} $(ACTIONS_PY) -m console.accounts "$(NAME)" --role "$(ROLE)"

test: install-test $(MODEL) $(INDEX)
	bash tests/run.sh

eval-nlu: install
	$(RASA_PY) -m tests.eval.nlu_eval --out docs/nlu-evaluation.md

eval-retrieval: install $(INDEX)
	$(ACTIONS_PY) -m tests.eval.retrieval_eval

eval: install $(MODEL) $(INDEX)
	$(ACTIONS_PY) -m tests.eval.conversation_eval

# Answer quality on conversations written from the plan alone: the frozen
# held-out set measures, the development set is what we tune on.
eval-heldout: install $(MODEL) $(INDEX)
	$(ACTIONS_PY) -m tests.eval.answer_eval --set heldout

eval-dev: install $(MODEL) $(INDEX)
	$(ACTIONS_PY) -m tests.eval.answer_eval --set dev

# Retention now (the server also runs it at start and daily): docs/privacy.md.
retention: install
	TRACKER_DB=$${TRACKER_DB:-build/run/conversations.db} $(RASA_PY) -m bot.retention

# Our PII recognisers next to Presidio's, which live in their own environment.
PII_EVAL_VENV := build/venv-pii-eval
$(PII_EVAL_VENV)/.installed: requirements/pii-eval.in requirements/pii-eval.lock
	test -x $(PII_EVAL_VENV)/bin/python || $(PY311) -m venv $(PII_EVAL_VENV)
	$(PII_EVAL_VENV)/bin/python -m pip install --quiet -r requirements/pii-eval.in -c requirements/pii-eval.lock
	touch $@

eval-pii: $(PII_EVAL_VENV)/.installed
	$(PII_EVAL_VENV)/bin/python -m tests.eval.pii_eval

bench: install $(MODEL) $(INDEX)
	$(ACTIONS_PY) -m tests.bench.round_trip
	$(ACTIONS_PY) -m tests.bench.memory
	$(RASA_PY) -m tests.bench.tracker_store

# Load and soak (not part of `make test`): docs/operations.md.
bench-load: install $(MODEL) $(INDEX)
	$(ACTIONS_PY) -m tests.bench.load

bench-retrieval: install $(INDEX)
	$(ACTIONS_PY) -m tests.bench.retrieval_bench

clean:
	rm -rf models build .rasa test-output
