# Профнавигатор: two commands do everything. See README.md.
HOST ?= 127.0.0.1
PORT ?= 8000
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: run test lint bench setup lock

setup:
	@bash scripts/setup.sh

run: setup
	@HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

# Lint first: a broken layer or an unformatted file fails in seconds, not after the suite.
test:
	@bash scripts/setup.sh --browser
	@$(MAKE) --no-print-directory lint
	DJANGO_TESTING=1 $(PY) -m pytest -q $(PYTEST_ARGS)

lint:
	@bash scripts/setup.sh --dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

bench:
	@bash scripts/setup.sh --dev
	@DJANGO_TESTING=1 $(PY) manage.py bench

# Regenerate both locks from requirements.in and requirements-dev.in (hashes pinned, Python 3.12).
lock:
	@bash scripts/setup.sh --dev
	.venv/bin/uv pip compile requirements.in --generate-hashes --python-version 3.12 -q -o requirements.lock
	.venv/bin/uv pip compile requirements-dev.in --generate-hashes --python-version 3.12 -q -o requirements-dev.lock
