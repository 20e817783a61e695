# cartsim: set-up and the two main jobs. Works on a fresh machine with Python 3.11 and pip.
#   make demo   create .venv, install cartsim, run the demo (figures + summary in demo-output/)
#   make test   create .venv, install cartsim with test extras, run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_FLAGS ?= --disable-pip-version-check -q

.PHONY: demo test typecheck lint format benchmark docs site validation-docs examples-docs reliability-docs sensitivity-docs fortran chromium clean

# numbalsoda has no wheel for Python 3.11: pip builds it from source, which needs gfortran.
fortran:
	@command -v gfortran >/dev/null 2>&1 || { \
	  echo "cartsim: installing gfortran (needed to build numbalsoda)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "cartsim: please install gfortran (e.g. 'apt-get install gfortran') and run again" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gfortran >/dev/null; }

# The explorer's browser tests drive Debian's chromium (nothing is downloaded by the tests themselves).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else echo "cartsim: chromium is not installed, so the browser tests are skipped ('apt-get install chromium' runs them)"; exit 0; fi; \
	  echo "cartsim: installing chromium (for the web explorer's browser tests)"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python fortran
	$(BIN)/python -m pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python fortran
	$(BIN)/python -m pip install $(PIP_FLAGS) -e ".[test]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/cartsim demo --out demo-output

test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest --durations=25
	$(BIN)/python -m mypy

typecheck: $(VENV)/.installed-test
	$(BIN)/python -m mypy

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

benchmark: $(VENV)/.installed-test
	$(BIN)/python benchmarks/population_throughput.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/web_load.py --out docs/performance.md

docs: $(VENV)/.installed
	$(BIN)/cartsim equations --out docs/equations.md

# The documentation site with the API reference generated from the docstrings (site/).
site: $(VENV)/.installed-test
	$(BIN)/python -m mkdocs build --strict -d site

# docs/validation.md, docs/gaps.md and docs/images/validation/*.png: every calibration target and known gap simulated, scored and drawn.
validation-docs: $(VENV)/.installed
	$(BIN)/cartsim validate --report docs
	$(BIN)/cartsim validate --known-gaps --report docs

examples-docs: $(VENV)/.installed
	$(BIN)/python -m cartsim.report.examples_page docs

sensitivity-docs: $(VENV)/.installed
	$(BIN)/python -m cartsim.report.sensitivity_page docs

reliability-docs: $(VENV)/.installed
	$(BIN)/python -m tests.reliability.report docs

clean:
	rm -rf $(VENV) demo-output site .pytest_cache .mypy_cache .ruff_cache
