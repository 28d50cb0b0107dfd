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

.PHONY: run test test-dates setup install migrate lint clean bench serve

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

# The moments `make test-dates` runs the suite at, each on London's clock with its offset: a
# Friday afternoon before the spring clock change; the Saturday after it; 01:30 GMT on the night
# the clocks go forward (02:30 BST: London never reads 01:30 that night); the Saturday before
# they go back; both times London reads 01:30 that night (BST, then GMT); 29 February (a
# Tuesday); half an hour before a new year; and a summer's day years after the dates the tests
# name.
TEST_DATES := 2027-03-26T16:00+00:00 2027-03-27T10:00+00:00 2027-03-28T01:30+00:00 \
	2027-10-30T12:00+01:00 2027-10-31T01:30+01:00 2027-10-31T01:30+00:00 \
	2028-02-29T12:00+00:00 2026-12-31T23:30+00:00 2031-06-18T12:00+01:00

# The suite, on SQLite, once at each of TEST_DATES (pytest --clock; see tests/support/clock.py),
# leaving out the tests that set their own clock and the browser journeys, which take their
# times from the site's own pages. Runs every date, then fails if any failed. -rfE: the
# PostgreSQL half of the suite skips here, and its reasons would bury the summary.
test-dates: install
	@failed=""; for moment in $(TEST_DATES); do \
		echo "== the suite at $$moment"; \
		env -u TEST_POSTGRES_URL -u CI_REQUIRE_POSTGRES $(BIN)/pytest --clock=$$moment \
			-m "not browser and not time_machine" -rfE $(PYTEST_ARGS) \
			|| failed="$$failed $$moment"; \
	done; \
	if [ -n "$$failed" ]; then echo "The suite failed at:$$failed"; exit 1; fi

# Speed and memory as ratios to baselines measured in the same run (needs PostgreSQL on
# 127.0.0.1:5432, or BENCH_POSTGRES_URL); rewrites docs/performance.md. Not part of `make test`.
bench: install
	@command -v wrk >/dev/null || { echo "make bench measures with wrk: install Debian's package 'wrk' (apt-get install wrk)"; exit 1; }
	$(BIN)/python -m bench

# The site as production serves it: gunicorn, two workers. See docs/deploy.md.
serve: migrate
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:8000 --access-logfile - 'app:create_app()'

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
