# Two commands from a fresh clone: `make lab` and `make test`.
# Both create .venv when it is missing and (re)install only when
# pyproject.toml has changed since the last install.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-pyproject
PORT ?= 8888
# Jupyter refuses to run as root without being told; containers often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# This project's own JupyterLab settings (lab-settings/: no news pop-up), never
# ~/.jupyter's.  `make lab CLASSROOM=1`: projector-sized text, figures and widgets.
CLASSROOM ?=
CLASSROOM_ON := $(filter 1 yes true on,$(CLASSROOM))
LAB_FLAGS := --LabApp.app_settings_dir=$(CURDIR)/lab-settings/$(if $(CLASSROOM_ON),classroom,quiet)
LAB_ENV := $(if $(CLASSROOM_ON),GDLAB_CLASSROOM=1,)

.PHONY: lab test test-fast test-oldest bench media notebooks nav clean help

help:
	@echo "make lab        start JupyterLab on the lessons (sets everything up first)"
	@echo "make lab CLASSROOM=1  the same, projector-sized (see docs/teaching.md)"
	@echo "make test       run every test: unit, property, doctests, notebooks, browser"
	@echo "make bench      time the explorer and the loss surface, print ratios"
	@echo "make media      redraw the README's pictures from the library's drawing code"
	@echo "make notebooks  re-run every lesson in a fresh kernel and save it with outputs"
	@echo "make test-oldest  the library's tests on the oldest supported versions"
	@echo "make clean      remove .venv, caches and test artefacts"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	touch $(STAMP)

lab: $(STAMP)
	$(LAB_ENV) $(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) $(LAB_FLAGS) notebooks/00-start-here.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest tests lib/gdlab notebooks \
		--doctest-modules --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg -p no:cacheprovider -rs

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests lib/gdlab --doctest-modules -m "not browser" -q

# The library's tests on the oldest versions pyproject.toml allows.
test-oldest:
	$(PYTHON) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install --quiet --upgrade pip
	.venv-oldest/bin/python -m pip install --quiet -c tests/oldest-constraints.txt -e ".[test]"
	.venv-oldest/bin/python -m pytest tests lib/gdlab --doctest-modules -m "not browser" -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python bench/run.py

media: $(STAMP)
	$(BIN)/python tools/make_media.py

notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py run

nav: $(STAMP)
	$(BIN)/python tools/notebooks.py nav
	$(BIN)/python tools/notebooks.py slides

clean:
	rm -rf $(VENV) .venv-oldest .pytest_cache .hypothesis build lib/*.egg-info test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
