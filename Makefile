# `make run` and `make test` are the two commands a newcomer needs; both create .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run curate test build check bench clean-venv

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# The review workbench (add a reply, vouch for its numbers): off unless asked for, on this machine only.
CURATE_PORT ?= 8502
curate: $(VENV)/.installed
	$(PY) -m streamlit run curate.py --server.address 127.0.0.1 --server.port $(CURATE_PORT) --server.headless true --browser.gatherUsageStats false

# Three workers on two cores (pytest-xdist): a browser test spends part of its time waiting for the dashboard and
# Chromium, which the third worker fills (6m33 against 7m10 with two, 7 Dec); each browser module with a server of its
# own stays on one worker (tests/conftest.py).
test: $(VENV)/.installed
	$(PY) -m pytest -q -n 3

build: $(VENV)/.installed
	$(PY) -m loaders build

check: $(VENV)/.installed
	$(PY) -m loaders check

bench: $(VENV)/.installed
	$(PY) benchmarks/run_all.py

clean-venv:
	rm -rf $(VENV)
