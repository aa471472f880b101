# Everyday commands. `make run` serves the guide; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/writing_guide

.PHONY: run test lint pytest bench stress backup restore

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

run: $(VENV)/.requirements
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(PY) manage.py createcachetable
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_guide
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

test: lint
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: running in /usr/bin/chromium."; \
	else echo "Browser tests: SKIPPED, /usr/bin/chromium is not installed (apt-get install chromium)."; fi
	@echo "== pytest on SQLite =="
	$(VENV)/bin/pytest
	@if [ "$$TEST_POSTGRES" = "1" ] || echo "$$DATABASE_URL" | grep -q '^postgres'; then \
		echo "== pytest on PostgreSQL =="; \
		DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(VENV)/bin/pytest -m "not browser"; \
	else echo "PostgreSQL: not run (set TEST_POSTGRES=1 to run the suite on PostgreSQL too)."; fi
