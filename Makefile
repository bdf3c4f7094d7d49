# SoHoa: `make run` starts the main job, `make test` checks everything. Both set themselves up.

VENV   := .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint format system-tools bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[server,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sohoa run

system-tools:
	bash .ci/system-tools

lint: $(STAMP)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) system-tools lint
	$(BIN)/pytest

bench: $(STAMP)
	for script in bench/*.py; do $(BIN)/python $$script --quick || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache
