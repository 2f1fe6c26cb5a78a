# The README's commands. Each target creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The suite runs on every core, an idle worker taking tests queued for a busy one;
# PYTEST_ARGS='-k something' runs a part, in one process.
PYTEST_ARGS ?= -n auto --dist worksteal

.PHONY: install run serve serve-local test browser-deps spreadsheet-deps pdf-deps lock lint format migrations-check superuser clean bench soak audit

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)

# Exactly the versions the lock files name, every file checked against its hash
# (the build backend, setuptools, included), then the project itself. uv
# installs them: pip took 90 s for the test tools where uv takes 10 (CI
# installs afresh each run). uv itself comes, hash-checked, from its own lock.
# Compiled to bytecode as it installs, as pip would: uv leaves that to the first
# import, which, where PYTHONDONTWRITEBYTECODE is set, is every import, and a
# process's start (a server's, a command's) took twice as long.
PIP = $(BIN)/python -m pip install --quiet --disable-pip-version-check
UV_VERSION = 0.13.8
UV = $(BIN)/uv
UV_PIP = $(UV) pip install --quiet --compile-bytecode --python $(BIN)/python
# WeasyPrint (each statement edition's PDF) needs Pango, a system library:
# say so plainly when it is missing rather than fail at the first publication.
PDF_CHECK = $(BIN)/python -c 'import weasyprint' 2>/dev/null || { \
	echo "WeasyPrint cannot load its system libraries (Pango), which the statement's PDF needs." >&2; \
	echo "On Debian or Ubuntu: make pdf-deps (apt-get install libpango-1.0-0 libpangoft2-1.0-0)." >&2; \
	echo "Elsewhere: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html" >&2; exit 1; }

$(UV): requirements-uv.lock | $(BIN)/python
	$(PIP) --require-hashes -r requirements-uv.lock
	touch $@

$(VENV)/.installed-run: requirements.lock pyproject.toml $(UV)
	$(UV_PIP) --require-hashes -r requirements.lock
	$(UV_PIP) --no-deps --no-build-isolation -e .
	@$(PDF_CHECK)
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml $(UV)
	$(UV_PIP) --require-hashes -r requirements-dev.lock
	$(UV_PIP) --no-deps --no-build-isolation -e .
	@$(PDF_CHECK)
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

# The lock files, from pyproject.toml's dependencies and build system: for
# Python 3.11 and newer on every platform, with the hash of every file PyPI has
# for each version. After a change to the dependencies, `make lock`; to take
# the newest versions they allow, `make lock LOCK_ARGS=--upgrade`; for another
# uv, change UV_VERSION and `make lock`. uv resolves them from PyPI alone,
# whatever pip is configured with.
COMPILE = $(UV) pip compile --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_ARGS)
LOCK = $(COMPILE) pyproject.toml -
BUILD_REQUIRES = $(BIN)/python -c 'import tomllib; \
	print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'
lock: $(UV)
	echo "uv==$(UV_VERSION)" | $(COMPILE) - --output-file requirements-uv.lock
	$(BUILD_REQUIRES) | $(LOCK) --output-file requirements.lock
	$(BUILD_REQUIRES) | $(LOCK) --extra dev --constraint requirements.lock \
		--output-file requirements-dev.lock

# Development: the demo plan and its illustrative figures (DEMO=0 leaves them
# out), Django's development server, and beside it the scheduled publication
# (publish_due every minute, stopped with the server). For a real install see
# the README.
DEMO ?= 1
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(if $(filter 1,$(DEMO)),$(BIN)/python manage.py load_demo)
	$(if $(filter 1,$(DEMO)),$(BIN)/python manage.py load_compare_demo)
	$(BIN)/python manage.py publish_due --every 60 & due=$$!; \
		trap 'kill $$due 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production serving: gunicorn, with WhiteNoise serving compressed, hashed static
# files. Needs the production environment (see the README), at least
# DJANGO_DEBUG=0, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS. gunicorn.conf.py
# reads the rest (forwarded headers, the control socket) from the environment:
# options given here would override it.
WORKERS ?= 3
SERVE = $(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	$(BIN)/python manage.py migrate --noinput && \
	exec $(BIN)/gunicorn policing.wsgi --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) \
		--workers $(WORKERS) --access-logfile -

serve: $(VENV)/.installed-run
	$(SERVE)

# Production settings tried from a browser on this machine, over plain HTTP:
# cookies without the Secure flag, no HTTPS redirect, no HSTS, and only the
# loopback host names (the settings refuse DJANGO_INSECURE_LOCAL_HTTP with any
# other). A secret key is made up for each start unless one is given.
serve-local: $(VENV)/.installed-run
	export DJANGO_DEBUG=0 DJANGO_INSECURE_LOCAL_HTTP=1 \
		DJANGO_ALLOWED_HOSTS='127.0.0.1,localhost,[::1]' \
		DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		&& $(SERVE)

# The browser tests (tests/browser) drive a Chromium: without one they are
# skipped with a message saying so (-m "not browser" leaves them out). The run
# keeps the bytecode it compiles (in __pycache__, which git ignores) whatever
# PYTHONDONTWRITEBYTECODE says: its workers, servers and commands, a few hundred
# processes, would each compile the project and rewrite the tests again.
test: $(VENV)/.installed-dev
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest $(PYTEST_ARGS)

# Debian's Chromium headless shell for the browser tests, with apt-get (as root,
# or through sudo). Elsewhere, install Chromium and set CHROMIUM to its path.
CHROMIUM ?= /usr/bin/chromium-headless-shell
browser-deps:
	@if test -x "$(CHROMIUM)"; then echo "Chromium: $(CHROMIUM)"; \
	elif ! command -v apt-get >/dev/null; then \
		echo "No apt-get here: install Chromium and set CHROMIUM to its path." >&2; exit 1; \
	else \
		sudo=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$sudo apt-get update -qq && $$sudo apt-get install -y -qq chromium-headless-shell; \
	fi

# LibreOffice Calc without its desktop parts, for the tests that open the
# downloads as a person's spreadsheet would (tests marked libreoffice), with
# apt-get (as root, or through sudo). Elsewhere, install LibreOffice and set
# SOFFICE to its soffice.
SOFFICE ?= soffice
spreadsheet-deps:
	@if command -v "$(SOFFICE)" >/dev/null; then echo "LibreOffice: $$(command -v $(SOFFICE))"; \
	elif ! command -v apt-get >/dev/null; then \
		echo "No apt-get here: install LibreOffice and set SOFFICE to its soffice." >&2; exit 1; \
	else \
		sudo=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$sudo apt-get update -qq && \
			$$sudo apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; \
	fi

# Pango for WeasyPrint (the statement's PDF), with apt-get (as root, or through sudo).
pdf-deps:
	@if ! command -v apt-get >/dev/null; then \
		echo "No apt-get here: install Pango (see WeasyPrint's first steps)." >&2; exit 1; \
	else \
		sudo=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$sudo apt-get update -qq && $$sudo apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; \
	fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.installed-run
	$(BIN)/python manage.py makemigrations --check --dry-run

# The figures export against PostgreSQL's COPY, at 100 thousand and a million
# figures, in a database of its own (BENCH_DATABASE_URL, dropped afterwards);
# results in bench/results.json, written up in docs/performance.md.
bench: $(VENV)/.installed-dev
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/export_benchmark.py $(BENCH_ARGS)
	$(BIN)/python bench/pages_benchmark.py $(PAGES_BENCH_ARGS)
	$(BIN)/python bench/official_benchmark.py $(OFFICIAL_BENCH_ARGS)
	$(BIN)/python bench/data_page_benchmark.py $(DATA_PAGE_BENCH_ARGS)
	$(BIN)/python bench/forces_benchmark.py $(FORCES_BENCH_ARGS)

superuser: $(VENV)/.installed-run
	$(BIN)/python manage.py createsuperuser

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# 60 seconds of public load on gunicorn with staff saving and uploading at the
# same time; fails on any error or lost value. Needs PostgreSQL, Redis and wrk.
soak: $(VENV)/.installed-dev
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# Known vulnerabilities in the installed packages. Needs PyPI's vulnerability
# data, which not every build machine can reach, so it is not part of lint.
audit: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip-audit
	$(BIN)/pip-audit --skip-editable --strict
