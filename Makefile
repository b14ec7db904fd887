# The two commands of the README: `make run` and `make test`. Both bootstrap .venv idempotently.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Running needs the runtime dependencies alone (requirements.txt); tests add the development ones
# (requirements-dev.txt). Both are locked with hashes by `make lock` from pyproject.toml's ranges.
RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed-dev
PORT ?= 8000

.PHONY: run test screenshots lint bench css venv clean messages translations lock docs \
	container-test

$(RUNTIME): pyproject.toml requirements.txt setup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(RUNTIME)

$(STAMP): $(RUNTIME) requirements-dev.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

# After changing a dependency range in pyproject.toml: the lock files, with hashes.
lock: $(STAMP)
	$(VENV)/bin/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links --extra sentry -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links --extra sentry --extra dev -o requirements-dev.txt pyproject.toml

# The Spanish catalogue compiled with Python alone (GNU gettext may be absent): run and test do it.
messages: $(RUNTIME)
	@$(PY) manage.py compile_translations

# After marking or changing a patient-facing string (needs GNU gettext's xgettext): refresh
# locale/es/LC_MESSAGES/django.po, then translate the new entries (docs/translations.md).
translations: $(STAMP)
	$(PY) manage.py makemessages -l es --no-obsolete --ignore='tests/*' --ignore='bench/*'

# The mail worker runs alongside the server and stops with it (Ctrl+C stops both). PORT=8080 make
# run serves elsewhere; the demo's links (emails, FHIR) follow it unless the base URLs are set.
run: export SCREENING_PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(RUNTIME) messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@$(PY) manage.py run_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Compiled modules are cached (__pycache__, git-ignored) even where the environment says
# PYTHONDONTWRITEBYTECODE: without the cache every process of a run (xdist workers, the
# subprocesses of the settings tests) compiles the project and its tests again.
test: export PYTHONDONTWRITEBYTECODE =
test: $(STAMP) messages
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) manage.py data_dictionary --check
	$(VENV)/bin/lint-imports --no-cache
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir $$(mktemp -d)
	@# -rs lists why tests were skipped; the last line says plainly when the browser tests were.
	@echo "$(PY) -m pytest -n 2 -rs"; $(PY) -m pytest -n 2 -rs; status=$$?; \
	if [ ! -x /usr/bin/chromium ]; then \
	  echo "== BROWSER TESTS SKIPPED: /usr/bin/chromium is missing" \
	    "(install: apt-get update && apt-get install -y chromium chromium-driver)"; \
	fi; exit $$status

# Refresh the screenshots of the README and docs (docs/screenshots/) from the browser tests, and write full-page
# ones of each page of the walks to test-results/screenshots/ (any browser test run with
# SCREENSHOTS=1 writes those too).
screenshots: $(STAMP)
	@test -x /usr/bin/chromium || { echo "needs Debian's Chromium:" \
	  "apt-get update && apt-get install -y chromium chromium-driver"; exit 1; }
	SCREENSHOTS_FOR_DOCS=1 $(PY) -m pytest tests/browser/test_patient_path.py \
	  tests/browser/test_spanish_path.py -n 2 -q -k "with_javascript or on_a_phone"
	SCREENSHOTS_FOR_DOCS=1 $(PY) -m pytest tests/browser/test_provider_path.py -q
	SCREENSHOTS_FOR_DOCS=1 $(PY) -m pytest tests/browser/test_staff_setup_path.py -q -k 1440
	@ls -l docs/screenshots/*.png

# The container stack (Containerfile, compose.yaml) built, started with podman-compose, walked
# over HTTP (a patient's submission, the staff email through the worker, the FHIR API) and torn
# down: containers/stack_test.py. Needs podman (docs/deploy.md says how to install it).
container-test: $(STAMP)
	$(PY) containers/stack_test.py

# The documentation site (docs/, mkdocs.yml) into site/; `make test` builds it strictly.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# SQLite: 1,000 and 100,000 submissions. With DATABASE_URL=postgres://...: 1,000 and 1,000,000
# (seeded by the server, about ten minutes the first time). BENCH_ARGS="--sizes 1000,50000" or
# "--explain" (EXPLAIN ANALYZE of the queue's queries) pass through.
# Then bench/lighthouse.py: Lighthouse 12 (npm, bench/npm) on every patient page, phone and desktop.
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/patient_path.py
	$(PY) bench/flag_rates.py
	$(PY) bench/lighthouse.py

# Trim the vendored Bootstrap (assets/bootstrap/) to the classes the pages use, into static/vendor/.
# Needs node and npm; the output is committed, and tests/bench/test_bootstrap_trim.py fails when it
# lacks a class a page uses.
css: $(STAMP)
	cd assets && npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m assets.bootstrap_usage | node assets/trim_bootstrap.mjs

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3 site build dist
