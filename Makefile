# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed  ## play a whole workshop offline and write outcome.docx (and outcome.pdf)
	$(BIN)/rapporteur demo --out outcome.docx

test: $(BIN)/.installed  ## the test suite, on SQLite and on a throwaway PostgreSQL
	PATH="$(abspath $(BIN)):$$PATH" scripts/test.sh $(ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(BIN)/.installed
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) build *.egg-info outcome.docx outcome.pdf
