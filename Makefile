# WhatsSound backend. Two commands on a fresh machine: `make dev` and `make test`.
# Needs Python 3.11+; Node/npm only for the JS tooling (Supabase CLI, Deno) used by tests.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := tools/node_modules/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help install tools dev demo serve test pytest e2e lint fmt db-push db-status db-reset bench clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the package with its dev tools

$(NODE_STAMP): tools/package.json tools/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tools --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: tests that need the Supabase CLI or Deno will be skipped"; fi

tools: $(NODE_STAMP) ## Install the pinned Node tooling (Supabase CLI, Deno) under tools/

dev: $(STAMP) ## Run the whole local backend (PostgreSQL, migrations, seed, service on :8000)
	$(BIN)/whatssound dev

demo: $(STAMP) ## Watch a small live room for a minute: listeners, RPC latency, realtime messages (local database)
	$(BIN)/whatssound simulate --rooms 12 --duration 60 --seed 1

serve: $(STAMP) ## Run only the HTTP service against DATABASE_URL
	$(BIN)/whatssound serve

test: lint pytest ## Run every check: lint, then the full test suite

pytest: $(STAMP) tools ## Run the test suite only (pass ARGS=... to pytest)
	$(BIN)/pytest $(ARGS)

e2e: $(STAMP) tools ## End to end on a real local Supabase (`supabase start`; needs Docker, minutes)
	$(BIN)/pytest tests/e2e $(ARGS)

lint: $(STAMP) ## ruff (lint + format check), mypy, sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint sql supabase/seed.sql

fmt: $(STAMP) ## Format Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

db-push: $(STAMP) ## Apply pending migrations to DATABASE_URL (default: the local database)
	$(BIN)/whatssound db push

db-status: $(STAMP) ## Compare local migrations with the database's ledger
	$(BIN)/whatssound db status

db-reset: $(STAMP) ## Rebuild the local database from scratch (shim, migrations, seed)
	$(BIN)/whatssound db reset --yes

bench: $(STAMP) ## Run the benchmarks (several minutes); results go to docs/benchmarks.md
	$(BIN)/python -m bench $(ARGS)

clean: ## Stop the local database and delete .local/ (all local data)
	-$(BIN)/whatssound pg stop
	rm -rf .local
