# Everyday commands. `make run` serves the guide; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/writing_guide

.PHONY: run test test-fast start-clock lint bench stress backup restore audit screenshots eval-tagger train-tagger

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
	@echo "== lint: ruff, import contracts, migrations =="
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Tests run in parallel on every core (pytest-xdist, WORKERS=auto); each worker has its own test
# database. The browser tests are ordered last, so each worker reaches Chromium only after its share
# of the database tests. `make test` is the whole suite (about 6 minutes on 2 cores with PostgreSQL);
# `make test-fast` is lint and every test but the browser's, for the edit-test loop.
WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(WORKERS)
RUN_LOG := .results/run

start-clock:
	@mkdir -p $(RUN_LOG) && rm -f $(RUN_LOG)/*.xml && date +%s > $(RUN_LOG)/started

test: start-clock lint
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: running in /usr/bin/chromium."; \
	else echo "Browser tests: SKIPPED, /usr/bin/chromium is not installed (apt-get install chromium)."; fi
	@echo "== pytest on SQLite, browser tests last =="
	$(PYTEST) --junitxml=$(RUN_LOG)/sqlite.xml
	@if [ "$$TEST_POSTGRES" = "1" ] || echo "$$DATABASE_URL" | grep -q '^postgres'; then \
		echo "== pytest on PostgreSQL (no browser tests) =="; \
		DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(PYTEST) -m "not browser" --junitxml=$(RUN_LOG)/postgresql.xml; \
	else echo "PostgreSQL: not run (set TEST_POSTGRES=1 to run the suite on PostgreSQL too)."; fi
	@$(PY) -m testing.summary $(RUN_LOG)/started $(RUN_LOG)/sqlite.xml $(RUN_LOG)/postgresql.xml

test-fast: start-clock lint
	@echo "== pytest on SQLite, no browser tests =="
	$(PYTEST) -m "not browser" --junitxml=$(RUN_LOG)/sqlite.xml
	@$(PY) -m testing.summary $(RUN_LOG)/started $(RUN_LOG)/sqlite.xml

# A backup is every row but sessions and what migrate rebuilds, as JSON any database loads.
# It holds password hashes and answers: keep it as private as the database. FILE= picks the path.
backup: $(VENV)/.requirements
	DEBUG=$${DEBUG:-1} $(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

# Restore into a fresh database: migrate, then load (refuses a database that holds rows).
restore: $(VENV)/.requirements
	@if [ -z "$(FILE)" ]; then echo "Name the backup to restore: make restore FILE=backups/<timestamp>.json.gz"; exit 2; fi
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(PY) manage.py createcachetable
	DEBUG=$${DEBUG:-1} $(PY) manage.py restore "$(FILE)"

# Known vulnerabilities in the pinned dependencies; says plainly when the service can't be reached.
audit: $(VENV)/.requirements-dev
	@$(VENV)/bin/pip install --quiet pip-audit==2.10.1 || { echo "pip-audit: NOT CHECKED (could not install pip-audit)"; exit 0; }
	@out=$$($(VENV)/bin/pip-audit --strict -r requirements.txt -r requirements-dev.txt 2>&1); rc=$$?; echo "$$out"; \
	if [ $$rc -eq 0 ]; then echo "pip-audit: no known vulnerabilities"; \
	elif echo "$$out" | grep -qiE "connection|resolve|timed out|network|max retries|HTTPSConnectionPool|ProxyError|could not be audited"; then \
		echo "pip-audit: NOT CHECKED (the vulnerability service could not be reached or did not know these packages)"; \
	else exit $$rc; fi

# Class-scale benchmark (bench/README.md): `make bench`, `make bench DB=postgres`, BENCH_ARGS=--quick.
DB ?= sqlite
bench: $(VENV)/.requirements
	$(PY) -m bench.run --db $(DB) $(BENCH_ARGS)

# Concurrent writers and failures under gunicorn, on SQLite and (when it runs on 127.0.0.1:5432) PostgreSQL.
stress: $(VENV)/.requirements-dev
	STRESS=1 $(VENV)/bin/pytest stress -s

# The README's pictures: the browser tests' screenshots, written into docs/screenshots/.
screenshots: $(VENV)/.requirements-dev
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(VENV)/bin/pytest browser_tests/test_screenshots.py

# The move tagger (drafts/tagger): leave-one-out on the development abstracts (FOLDS=5: a quicker
# seeded 5-fold cross-validation while trying changes); FROZEN=1 scores the frozen test split
# instead (once, at the end of tuning). `make train-tagger` rewrites its weights.
eval-tagger: $(VENV)/.requirements
	$(PY) -m drafts.tagger.evaluate $(if $(FOLDS),--folds $(FOLDS)) $(if $(FROZEN),--frozen)

train-tagger: $(VENV)/.requirements
	DEBUG=$${DEBUG:-1} $(PY) manage.py train_tagger
