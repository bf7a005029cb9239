# SceneLab: `make run` starts the platform, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed

.PHONY: run test test-backend test-frontend test-e2e api-types bench frontend install clean-data compose-tools lint

$(STAMP): backend/requirements.txt backend/requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
	$(UV) pip install --python $(PY) --quiet -r backend/requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/index.html -type f 2>/dev/null)
	cd frontend && npm run build

frontend: frontend/dist/index.html

run: $(STAMP) frontend
	cd backend && ../$(PY) scripts/run_stack.py

test: lint test-backend test-frontend test-e2e

# Debian's docker-compose validates docker-compose.yml in the tests (no Docker engine needed) and Debian's nginx runs
# frontend/nginx.conf in front of a real API. Installed when missing and apt-get is usable (root); without nginx
# its tests fail, without docker-compose its config check is skipped with the reason.
compose-tools:
	@for tool in docker-compose:docker-compose nginx:nginx-light; do \
	  command -v $${tool%%:*} >/dev/null || [ -x /usr/sbin/$${tool%%:*} ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	    && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $${tool#*:} >/dev/null 2>&1 \
	         || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $${tool#*:} >/dev/null; }; }; } \
	    || echo "$${tool%%:*} unavailable: install it (apt-get install $${tool#*:})"; \
	done

test-backend: $(STAMP) compose-tools
	cd backend && ../$(PY) -m pytest

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

# The SPA's API types, regenerated from the backend's OpenAPI schema: run after changing a route or a schema.
# (No install prerequisites: a worktree whose .venv and node_modules link to shared installs runs it as is.)
api-types:
	cd frontend && npm run api-types

# ruff (lint rules and formatting), mypy on backend/app (the --strict flags on app/vision and app/kinds), and the
# SPA's tsc + prettier + import boundaries + the check that frontend/src/api/schema.d.ts matches the backend's
# OpenAPI schema; every check runs and each failure is printed. `make test` runs it first.
lint: $(STAMP) frontend/node_modules/.installed
	@status=0; \
	  (cd backend && ../$(VENV)/bin/ruff check .) || status=1; \
	  (cd backend && ../$(VENV)/bin/ruff format --check .) || status=1; \
	  (cd backend && ../$(VENV)/bin/mypy) || status=1; \
	  (cd frontend && npm run lint) || status=1; \
	  exit $$status

# Playwright in Debian's chromium (installed by the script when missing) against a private real stack:
# API + Celery worker + embedded PostgreSQL/Redis. Screenshots of every page land in screenshots/.
test-e2e: $(STAMP) frontend/node_modules/.installed
	bash frontend/scripts/e2e-stack.sh

bench: $(STAMP)
	cd backend && ../$(PY) scripts/bench_depth.py
	cd backend && ../$(PY) scripts/bench_heatmap.py
	cd backend && ../$(PY) scripts/bench_regions.py
	cd backend && ../$(PY) scripts/bench_gate.py
	cd backend && ../$(PY) scripts/bench_gpu.py

clean-data:
	rm -rf .data

.PHONY: audit load

# Known vulnerabilities: pip-audit over the environment `make install` builds from backend/requirements*.txt
# (--strict: a package it could not check fails the audit instead of passing quietly), then npm audit of the
# SPA's runtime dependencies. Both ask their advisory services online; every finding is printed before failing.
# Ignored, with reason: GHSA-wj6h-64fc-37mp (ecdsa, Minerva timing attack on ECDSA signing, no fixed release)
# comes with python-jose, the JWT library this project is built on; SceneLab signs and checks HS256 only and
# never uses ecdsa's curves, so the vulnerable code does not run.
audit: $(STAMP)
	@status=0; $(VENV)/bin/pip-audit --strict --progress-spinner off --ignore-vuln GHSA-wj6h-64fc-37mp || status=1; \
	  (cd frontend && npm audit --omit=dev) || status=1; exit $$status

# Latency of GET /api/jobs under 50 polling users with 1,000 jobs, and API memory during a streamed 1 GB upload,
# against a private stack on 127.0.0.1 (a few minutes at most; fails when a target is missed).
load: $(STAMP)
	cd backend && ../$(PY) scripts/load.py
