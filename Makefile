# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
PORT ?= 8000
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
# Test processes (pytest-xdist); 0 runs the suite in this process, for debugging.
PYTEST_WORKERS ?= 2

.PHONY: run test test-sqlite test-postgres venv lint demo-code reminders bench stress clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

venv: .venv/.synced

# Serve the site on SQLite with demo content, with the email worker beside it.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: export EMAIL_FILE_PATH ?= $(CURDIR)/var/mail
run: venv
	@mkdir -p var/mail
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo --if-empty
	$(MANAGE) release_outcomes
	@echo "Emails (confirmation links and decisions) are written to $$EMAIL_FILE_PATH/"
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl+C stops the site and the worker)"
	@$(MANAGE) db_worker --interval 1 --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT) --noreload

# The whole suite on SQLite, then again on a throwaway PostgreSQL server, each in two processes;
# browser tests run in real headless Chromium (installed from Debian's packages when missing).
test: venv
	$(UV) run --frozen ruff check .
	bash scripts/ensure-chromium
	bash scripts/ensure-nginx
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: venv
	env -u DATABASE_URL $(UV) run --frozen pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: venv
	bash scripts/with-postgres $(UV) run --frozen pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The demo moderator's current authenticator code (demo sites only).
demo-code: venv
	@$(MANAGE) demo_code

# Queue the follow-up reminders that are due; run daily (cron or a systemd timer).
reminders: venv
	$(MANAGE) send_reminders

# Benchmarks on a generated site (100,000 stories, 300,000 follow-ups, built once in var/bench/):
# the outcomes page and downloads; readers through the shipped nginx front cache and straight
# from gunicorn; story submissions on SQLite and PostgreSQL. Figures are printed, never asserted
# (the web part also goes into bench/RESULTS.md); traffic stays on 127.0.0.1.
bench: venv
	bash scripts/ensure-nginx
	$(UV) run --frozen python bench/outcomes_bench.py --repeat 2 --fhir-people 500
	$(UV) run --frozen python bench/web_bench.py --results bench/RESULTS.md

# The stress suite, not part of `make test` (stress/README.md): every bad-input string through
# every form and query of a running gunicorn, SIGKILLs while people submit, and a fixed-rate
# load with a 10x burst, on a throwaway SQLite site, then the faults again on a throwaway
# PostgreSQL. Traffic only to 127.0.0.1; about 8 minutes; fails if a must-be-0 figure is not 0.
stress: venv
	env -u DATABASE_URL $(UV) run --frozen python -m stress $(STRESS_ARGS)

lint: venv
	$(UV) run --frozen ruff check .

clean:
	rm -rf .venv .tools var
