# Onefix: `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint format check clean smoke
NODE_STAMP := node_modules/.installed

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Onefix needs $(PYTHON) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# Test tools from npm (axe-core for the accessibility checks), at the versions in
# package-lock.json. Without npm the axe tests skip, except in CI where they fail.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility (axe-core) tests will be skipped"; fi

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py serve

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The Procfile's processes (gunicorn, a Celery worker per queue family, beat) against
# PostgreSQL and Redis, walked through as a customer and as staff (deploy/smoke.py,
# docs/operations.md). It makes and drops its own database on DATABASE_URL's server
# (default: postgres@127.0.0.1:5432) and uses REDIS_URL (default: 127.0.0.1:6379/9).
smoke: $(STAMP)
	$(PY) deploy/smoke.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) data staticfiles .pytest_cache node_modules

# The chart library the insights page serves (docs/insights.md): copied from the npm
# package pinned in package-lock.json, its licence beside it. Run after changing the pin.
.PHONY: vendor
vendor: $(NODE_STAMP)
	mkdir -p static/vendor/chartjs
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	# The source map is not shipped: its reference made collectstatic (manifest storage) fail.
	sed -i '/^\/\/# sourceMappingURL=/d' static/vendor/chartjs/chart.umd.min.js
