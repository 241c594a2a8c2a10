# eventhub: `make run` serves the demo, `make test` runs the whole suite. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app eventhub
# The suite runs in parallel (pytest-xdist), one process per core; PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint format install install-test translations messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Compiled message catalogues are build output (not in git): made from the .po files on every run.
translations: | $(BIN)/python
	@if [ -d eventhub/translations ]; then $(BIN)/pybabel -q compile -d eventhub/translations; fi

# After adding or changing strings: re-extract messages.pot and update every catalogue (see README "Languages").
messages: | $(BIN)/python
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 -k lazy_pgettext:1c,2 -k lazy_ngettext:1,2 --add-comments=Translators: --no-wrap \
		--ignore-dirs=".* __pycache__" --project=eventhub -o eventhub/translations/messages.pot .
	$(BIN)/pybabel -q update -i eventhub/translations/messages.pot -d eventhub/translations --no-wrap --ignore-obsolete --no-fuzzy-matching

run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) serve --host $(HOST) --port $(PORT)

test: install-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Ruff's settings live in pyproject.toml. `lint` changes nothing; `format` rewrites files in place.
lint: install-test
	$(BIN)/ruff check .; status=$$?; $(BIN)/ruff format --check . && exit $$status

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache
