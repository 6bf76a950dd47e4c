# Профнавигатор: two commands do everything. See README.md.
HOST ?= 127.0.0.1
PORT ?= 8000
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: run test bench setup

setup:
	@bash scripts/setup.sh

run: setup
	@HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

test:
	@bash scripts/setup.sh --browser
	DJANGO_TESTING=1 $(PY) -m pytest -q $(PYTEST_ARGS)

bench: setup
	@DJANGO_TESTING=1 $(PY) manage.py bench
