# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_ENV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers; "auto" uses every core.
WORKERS ?= auto

.PHONY: install run test test-fast browser lint bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set up, load sample data, create the demo user and token, and serve on 127.0.0.1:8000.
run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py setup_demo --base-url http://$(HOST):$(PORT)
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## Set up and run the whole suite (SQLite, or the database in DATABASE_URL).
test: install browser
	$(BIN)/python -m pytest -n $(WORKERS)

## Time token authentication against session login, as ratios from one run.
bench: install
	$(BIN)/python -m tests.benchmarks.bench_api

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schema: install
	$(DEV_ENV) $(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yaml

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
