# Two commands do everything from a fresh clone: `make run` and `make test` (see README.md).
# Only Python 3.11 is needed; set DATABASE_URL / REDIS_URL to use PostgreSQL and Redis instead
# of the embedded SQLite file and file-system broker. STRICT, DATABASE_URL and REDIS_URL reach
# pytest unchanged from the environment.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Each stamp is older than pyproject.toml exactly when the dependencies may have changed.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
WEB_PORT ?= 8000

# Development mode unless the caller says otherwise: settings demand SECRET_KEY without it.
DEBUG ?= 1
export DEBUG WEB_PORT

.PHONY: run test lint install install-dev

run: $(RUN_STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Starting web on http://127.0.0.1:$(WEB_PORT), a Celery worker and beat. Ctrl-C stops all."
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev

test: $(DEV_STAMP)
	DEBUG=1 $(BIN)/pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy .

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

# The dev extras include everything `run` needs, so they satisfy its stamp as well.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(RUN_STAMP)
