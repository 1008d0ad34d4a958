# Two commands for a new user: `make demo` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export GONGKAI_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo test test-sqlite test-postgres test-fts5 lint check check-deploy format messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(VENV)/bin/gongkai demo

test: install test-sqlite test-fts5 test-postgres

# The suite runs on every core (pytest-xdist; each worker has its own test database), one test module
# per worker at a time so a module's browser and server fixtures start once, the costliest modules first
# (tests/conftest.py) so that both workers finish together.
XDIST := -n auto --dist loadfile --no-loadscope-reorder
# Some machines set PYTHONDONTWRITEBYTECODE: every process the suite starts (workers, the command line,
# granian, Celery) would then compile the project from source again, and pytest would rewrite every test
# module on each run. The suite writes its bytecode.
test test-sqlite test-postgres test-fts5: export PYTHONDONTWRITEBYTECODE :=

test-sqlite: install
	$(PY) -m pytest $(XDIST)

# The database-dependent tests again on PostgreSQL (127.0.0.1:5432 by default); under CI=true an
# unreachable PostgreSQL fails the run instead of skipping it.
test-postgres: install
	@if $(PY) scripts/postgres_available.py; then \
		GONGKAI_TEST_DB=postgres $(PY) -m pytest $(XDIST) -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable and CI=true: failing." >&2; exit 1; \
	else \
		echo "PostgreSQL not reachable: skipped the PostgreSQL run."; \
	fi

# On SQLite the suite searches the tantivy index (the default engine); the search tests again on SQLite's
# FTS5 tables (GONGKAI_SEARCH_ENGINE=fts5, docs/search.md), so every engine passes the same tests.
test-fts5: install
	GONGKAI_SEARCH_ENGINE=fts5 $(PY) -m pytest $(XDIST) tests/search

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What CI checks before the tests: lint, format, the import contracts (pyproject.toml,
# docs/architecture.md) and migrations that match the models.
check: lint
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

# Django's deployment checks under the production settings, with the environment a deployment sets
# (a fresh secret key, the public https address, one TLS-terminating proxy): no warning may remain.
check-deploy: install
	DJANGO_SETTINGS_MODULE=gongkai.conf.production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	SITE_URL=https://gongkai.example.gov.cn NUM_PROXIES=1 \
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongkai CACHE_URL=redis://127.0.0.1:6379/2 \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	$(PY) manage.py check --deploy --fail-level WARNING

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	cd src/gongkai && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var .pytest_cache
