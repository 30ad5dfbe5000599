# Ridgeline: `make run` sets up and runs the demo; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= .ridgeline/demo
INDEX  ?= .ridgeline/index
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install dev browser run demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps make re-runs instant until pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

# The browser tests drive Debian's Chromium (never a downloaded browser build); the reference
# frontend's test builds it with npm (packages from the npm registry, build cached in .ridgeline/).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's nodejs and npm to build the reference frontend"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

demo: install
	$(BIN)/python -m examples.build_demo --out $(DEMO)

run: demo
	$(BIN)/ridgeline ingest $(DEMO) --index $(INDEX)
	$(BIN)/ridgeline ask "How much does the Emberwick Beacon 600 Headlamp cost?" --index $(INDEX)
	$(BIN)/ridgeline ask "What is the warranty on the Halvard Ptarmigan 2 tent?" --index $(INDEX)
	@echo
	@echo "Serving the chat API on http://$(HOST):$(PORT) (Ctrl-C to stop). Try:"
	@echo "  curl -s http://$(HOST):$(PORT)/chat -H 'content-type: application/json' \\"
	@echo "    -d '{\"messages\":[{\"role\":\"user\",\"content\":\"How much does the Halvard Basecamp 4 Tent weigh?\"}]}'"
	$(BIN)/ridgeline serve --index $(INDEX) --host $(HOST) --port $(PORT)

# Two pytest workers, one file each at a time (a file's fixtures stay in one process); mypy runs
# beside them because the tests spend much of their time waiting on servers, Ray and subprocesses.
TEST_WORKERS ?= 2

test: dev browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy & types=$$!; \
	$(BIN)/python -m pytest -q -rs -n $(TEST_WORKERS) --dist loadfile; tests=$$?; \
	wait $$types; types=$$?; \
	test $$tests -eq 0 && test $$types -eq 0

lint: dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf .ridgeline .pytest_cache .ruff_cache .mypy_cache
