# lienthong — two commands set everything up: `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench system-deps serve clean venv

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "need $(PY) (Python 3.11)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev,bench]'
	# the units' data package, without its declared extras: one of them (Unidecode) is GPL,
	# and we read only the package's data files (see docs/units.md)
	$(BIN)/pip install -q --no-deps 'vietnamadminunits>=1.0.4'
	@touch $(STAMP)

venv: $(STAMP)

system-deps:  ## Debian packages the tests use (PostgreSQL 15 server binaries)
	@bash scripts/system-deps.sh test

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: venv system-deps lint
	$(BIN)/pytest --doctest-modules --ignore=src/lienthong/migrations src tests

demo: venv  ## the Hải Phòng demo, from nothing, served on http://127.0.0.1:8000
	$(BIN)/lienthong demo $(if $(SCALE),--scale $(SCALE)) --host 127.0.0.1 --port 8000

bench: venv
	@bash scripts/system-deps.sh bench
	@for b in benchmarks/bench_*.py; do m=$$(basename $$b .py); echo "== $$m"; $(BIN)/python -m benchmarks.$$m || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache lienthong.db* data
