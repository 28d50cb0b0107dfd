# The two commands a new user needs: `make run` and `make test`. Each sets everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
# The local site runs as development unless told otherwise; the app's own default is
# production, which needs a real SECRET_KEY.
LOCAL := APP_ENV=$${APP_ENV:-development}
INSTALLED := $(VENV)/.installed

.PHONY: run test setup install migrate lint clean bench serve

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	@mkdir -p instance
	$(LOCAL) $(FLASK) db upgrade

# The database schema, the default article parts and programme text (never overwriting an
# edit made on the desk), the diary's default hours (only when none are set), and a demo desk
# account for the local site only.
setup: migrate
	$(LOCAL) $(FLASK) content load
	$(LOCAL) $(FLASK) bookings defaults
	@if [ "$${APP_ENV:-development}" = development ]; then \
		APP_ENV=development $(FLASK) staff create-demo; fi

# Serves http://127.0.0.1:5000 with the outbox worker and, unless MAIL_SERVER is set, a local
# mail catcher whose messages are at http://127.0.0.1:5000/dev/mail. Ctrl-C stops all three.
run: setup
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	if [ -z "$$MAIL_SERVER" ]; then $(LOCAL) $(FLASK) devmail serve --port 1025 & fi; \
	$(LOCAL) $(FLASK) outbox worker --interval 2 & \
	echo "The site: http://127.0.0.1:5000  The desk: http://127.0.0.1:5000/admin  Caught mail: http://127.0.0.1:5000/dev/mail"; \
	$(LOCAL) $(FLASK) run --host 127.0.0.1 --port 5000

# Runs every database test on PostgreSQL too when TEST_POSTGRES_URL is set, or when a local
# server answers on 127.0.0.1:5432 (the test database there is dropped and made anew).
LOCAL_POSTGRES := postgresql://postgres@127.0.0.1:5432/clinic_desk_test

test: install
	$(BIN)/ruff check .
	@if [ -z "$$TEST_POSTGRES_URL" ] && command -v pg_isready >/dev/null \
		&& pg_isready -q -h 127.0.0.1 -p 5432; then \
		echo "PostgreSQL answers on 127.0.0.1:5432: testing on it too"; \
		export TEST_POSTGRES_URL=$(LOCAL_POSTGRES); fi; \
	$(BIN)/pytest $(PYTEST_ARGS)

# Speed and memory as ratios to baselines measured in the same run (needs PostgreSQL on
# 127.0.0.1:5432, or BENCH_POSTGRES_URL); rewrites docs/performance.md. Not part of `make test`.
bench: install
	$(BIN)/python -m tests.benchmarks

# The site as production serves it: gunicorn, two workers. See docs/deploy.md.
serve: migrate
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:8000 --access-logfile - 'app:create_app()'

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
