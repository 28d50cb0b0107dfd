# The two commands a new user needs: `make run` and `make test`. Each sets everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
INSTALLED := $(VENV)/.installed

.PHONY: run test setup install migrate lint clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	@mkdir -p instance
	$(FLASK) db upgrade

setup: migrate

# Serves http://127.0.0.1:5000 with the outbox worker and, unless MAIL_SERVER is set, a local
# mail catcher whose messages are at http://127.0.0.1:5000/dev/mail. Ctrl-C stops all three.
run: setup
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	if [ -z "$$MAIL_SERVER" ]; then $(FLASK) devmail serve --port 1025 & fi; \
	$(FLASK) outbox worker --interval 2 & \
	echo "The clinic desk is at http://127.0.0.1:5000 ; caught mail at http://127.0.0.1:5000/dev/mail"; \
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
