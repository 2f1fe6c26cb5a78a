# The README's commands. Each target creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The suite runs on every core; PYTEST_ARGS='-k something' runs a part, in one process.
PYTEST_ARGS ?= -n auto

.PHONY: run serve test lint format migrations-check superuser clean bench soak audit

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production serving: gunicorn, with WhiteNoise serving compressed, hashed static
# files. Needs the production environment (see the README), at least
# DJANGO_DEBUG=0, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
WORKERS ?= 3
serve: $(VENV)/.installed-run
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn policing.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

test: $(VENV)/.installed-dev
	@# The browser tests drive Debian's Chromium (pytest -m "not browser" skips them).
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
