# `make run` and `make test` do all the set-up on a fresh clone (see README).
SHELL := /bin/bash
VENV ?= .venv
PYTHON := $(VENV)/bin/python
# Debian packages the project needs: Noto fonts carry every Vietnamese glyph for PDFs
# (fonts-liberation breaks decomposed diacritics); Pango/HarfBuzz for WeasyPrint; gettext for
# translations; poppler-utils to look at PDFs; chromium for the browser tests.
APT_PACKAGES := fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext poppler-utils chromium

.PHONY: install system-deps run serve migrate seed test lint format lock messages compose-check clean bench \
	load gate backup restore

install: system-deps $(VENV)/.installed

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements/dev.txt
	touch $@

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "Missing Debian packages. Install them with:"; \
	  echo "  sudo apt-get install -y $$missing"; \
	fi

migrate: install
	$(PYTHON) manage.py migrate --noinput

seed: migrate
	$(PYTHON) manage.py seed_demo

run: seed
	$(PYTHON) manage.py runserver 127.0.0.1:8000

# ruff for style; import-linter for the layers (docs/architecture.md, pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

compose-check: install
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

# pytest exits with 5 when it collected no test; that is not a failure of the suite.
test: lint compose-check
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) -m pytest $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Release gate: check --deploy, pip-audit and bandit (docs/security-headers.md, "Release gate").
gate: install
	PYTHON=$(PYTHON) bash scripts/release_gate.sh

# Benchmarks (BENCHMARKS.md): needs DATABASE_URL pointing at an empty PostgreSQL database.
BENCH_SCALE ?= province
bench: install
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL to an empty PostgreSQL database"; exit 2)
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py generate_load_data --scale $(BENCH_SCALE) || true
	$(PYTHON) bench/run.py $(BENCH_ARGS)

# Locust load run (SECURITY.md): LOAD_USERS=50 LOAD_TIME=5m on the bench database's province.
load: install
	@test -n "$$DATABASE_URL" || (echo "Set DATABASE_URL to the database filled by make bench"; exit 2)
	bash bench/load.sh

# Backup and restore of the PostgreSQL database and the media files (docs/operations.md).
# make backup [BACKUP_FILE=path.dump]; make restore BACKUP_FILE=path.dump [CONFIRM=yes]
backup:
	BACKUP_FILE="$(BACKUP_FILE)" bash scripts/backup.sh

restore:
	BACKUP_FILE="$(BACKUP_FILE)" CONFIRM="$(CONFIRM)" bash scripts/restore.sh

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lock:
	bash scripts/lock_requirements.sh

# Re-extract translatable strings and compile them; edit locale/*/LC_MESSAGES/django.po between.
messages: install
	$(PYTHON) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	$(PYTHON) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles test-results .pytest_cache
