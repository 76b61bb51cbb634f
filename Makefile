# Two commands on a fresh machine: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test install install-dev lint serve-prod

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

# Plain http on 127.0.0.1 cannot carry a Secure cookie, so local running turns that flag off
# (set SESSION_COOKIE_SECURE=1 yourself to keep it). Debug stays off unless FLASK_DEBUG=1 is set.
run: install
	$(FLASK) db upgrade
	$(FLASK) demo-admin
	$(FLASK) seed --if-empty
	@echo
	@echo "Vendor tracker: http://$(HOST):$(PORT)"
	@$(FLASK) demo-admin
	@echo
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} $(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --line-length 100 .
	$(BIN)/lint-imports --no-cache

# Production-style serving (see docs/DEPLOYMENT.md): gunicorn with several workers.
serve-prod: install
	$(FLASK) db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py
