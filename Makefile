# make run: the service in demo mode (no LINE credentials) or live; make test: the test suite.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
LOCALES := $(wildcard locales/*/LC_MESSAGES/*.po)

.PHONY: run test install catalogues extract benchmark score clean

run: install
	$(BIN)/mamoru sos load-sample
	$(BIN)/mamoru run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

install: $(VENV)/.installed catalogues

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Compile every catalogue (.po -> .mo); the .mo files are build output, not committed.
catalogues: $(VENV)/.installed
	@for po in $(LOCALES); do $(BIN)/pybabel -q compile -i $$po -o $${po%.po}.mo || exit 1; done

# After changing user-visible strings or intents/: refresh the template and every catalogue.
extract: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg --project Mamoru --no-location --sort-output -o locales/messages.pot .
	$(BIN)/pybabel -q extract -F babel-console.cfg --project Mamoru --no-location --sort-output -o locales/console.pot .
	@for po in $(LOCALES); do locale=$$(basename $$(dirname $$(dirname $$po))); domain=$$(basename $$po .po); \
	  $(BIN)/pybabel -q update -D $$domain -i locales/$$domain.pot -o $$po -l $${locale%_easy} \
	  --no-fuzzy-matching --width 100 || exit 1; done
	$(BIN)/python -m bot.catalogue_extract locales/en/LC_MESSAGES/*.po

benchmark: install
	$(BIN)/python benchmarks/webhook.py

score: install
	PATH=$(CURDIR)/$(BIN):$$PATH $(PYTHON) ../shared/eval/score.py

clean:
	rm -rf $(VENV) instance
