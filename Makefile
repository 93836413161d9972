# Two commands from a fresh clone: `make lab` and `make test`.
# Both create .venv when it is missing and (re)install only when
# pyproject.toml has changed since the last install.  `make lab` installs
# what the lessons need (the lab extra); the targets that test or rebuild
# add the test extra on top (pytest, Playwright, ruff, ...).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test
GRADE_STAMP := $(VENV)/.installed-grade
PORT ?= 8888
# The learner's own copy of the lessons (git-ignored); tools/workspace.py keeps it.
WORKSPACE ?= my-work
# Jupyter refuses to run as root without being told; containers often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# This project's own JupyterLab settings (lab-settings/: no news pop-up), never
# ~/.jupyter's.  `make lab CLASSROOM=1`: projector-sized text, figures and widgets.
CLASSROOM ?=
CLASSROOM_ON := $(filter 1 yes true on,$(CLASSROOM))
LAB_FLAGS := --LabApp.app_settings_dir=$(CURDIR)/lab-settings/$(if $(CLASSROOM_ON),classroom,quiet)
LAB_ENV := $(if $(CLASSROOM_ON),GDLAB_CLASSROOM=1,)

.PHONY: lab lint test test-fast test-oldest bench media figures notebooks nav clean help

help:
	@echo "make lab        start JupyterLab on the lessons (sets everything up first)"
	@echo "make test       lint, then every test: unit, property, doctests, notebooks, browser"
	@echo "make lint       ruff check and ruff format --check (library, tests, tools, notebooks)"
	@echo "make lab CLASSROOM=1  the same, projector-sized (see docs/teaching.md)"
	@echo "make bench      time the explorer and the loss surface, print ratios"
	@echo "make media      redraw the README's pictures from the library's drawing code"
	@echo "make figures    one contact sheet per lesson of its saved figures, in build/figures/"
	@echo "make notebooks  re-run every lesson in a fresh kernel and save it with outputs"
	@echo "make test-oldest  the library's tests on the oldest supported versions"
	@echo "make clean      remove .venv, caches and test artefacts"
	@echo "make update     bring your copy of the lessons, my-work/, up to date (make lab does it too)"
	@echo "make reset LESSON=05  start one lesson over in my-work/; your copy is kept as a backup"
	@echo "make lab-course JupyterLab on the course's own lessons in notebooks/ (for teachers)"
	@echo "make assignments LESSON=05  a student edition of a lesson (no solutions), in build/assignments/"
	@echo "make grade SUBMISSIONS=dir/  run each submitted notebook alone, write build/grades.csv"
	@echo "make hub-sizing  measure a learner's kernel through lessons 05 and 06 (memory, CPU)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	touch $(STAMP)

# The lab's and the test's extras in one install (one resolve, one build of
# the package), which also counts as the lab's install.  With uv, which
# resolves to the same versions from PyPI and installs them in parallel:
# about 10 s here where pip takes 30-100 s.  It compiles the bytecode as pip
# does: without it every kernel and worker compiles numpy and matplotlib
# again where PYTHONDONTWRITEBYTECODE is set (the graders' kernels set it).
# uv reads no pip.conf, so where it fails (PyPI only through a mirror pip
# knows) pip does the install.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	( $(BIN)/python -m pip install --quiet uv \
	  && $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[lab,test]" ) \
	|| ( $(BIN)/python -m pip install --quiet --upgrade pip \
	  && $(BIN)/python -m pip install --quiet -e ".[lab,test]" )
	touch $(STAMP) $(TEST_STAMP)

# The teacher's grading tools: their own extra, never part of `make lab`.
$(GRADE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lab,grade]"
	touch $(GRADE_STAMP)

lab: $(STAMP)
	$(BIN)/python tools/workspace.py update --workspace $(WORKSPACE)
	$(LAB_ENV) $(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) $(LAB_FLAGS) $(WORKSPACE)/00-start-here.ipynb

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# One pytest-xdist run for every test, the browser's too.  Each file is one
# unit of work (a notebook's cells, a module's fixtures stay together on one
# worker); --browser-lanes puts the browser tests in one lane per core, each
# lane on one worker, started first (tests/conftest.py).  A browser lane
# mostly waits for a page, so as many workers again keep the cores busy
# meanwhile.  No test asserts a time: performance is measured by `make bench`.
JOBS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")
# The library's and the tools' bytecode first: where PYTHONDONTWRITEBYTECODE
# is set, each of the ~60 workers and kernels would compile them again (0.3 s each).
test: $(TEST_STAMP) lint
	$(BIN)/python -m compileall -q lib tools
	$(BIN)/python -m pytest tests lib/gdlab notebooks \
		-n $(JOBS) --dist loadfile --browser-lanes --no-loadscope-reorder \
		--doctest-modules --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg -p no:cacheprovider -rs

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest tests lib/gdlab --doctest-modules -m "not browser" -q

# The library's tests on the oldest versions pyproject.toml allows.
test-oldest:
	$(PYTHON) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install --quiet --upgrade pip
	.venv-oldest/bin/python -m pip install --quiet -c tests/oldest-constraints.txt -e ".[test]"
	.venv-oldest/bin/python -m pytest tests lib/gdlab --doctest-modules -m "not browser" -q -p no:cacheprovider

bench: $(TEST_STAMP)
	$(BIN)/python bench/run.py

media: $(TEST_STAMP)
	$(BIN)/python tools/make_media.py

# Review pages, not committed: build/ is git-ignored.  FIGURES_FLAGS="--check
# --classroom" also runs every lesson, lists overlapping labels, draws classroom pages.
figures: $(TEST_STAMP)
	$(BIN)/python tools/contact_sheet.py $(FIGURES_FLAGS)

notebooks: $(TEST_STAMP)
	$(BIN)/python tools/notebooks.py run

nav: $(TEST_STAMP)
	$(BIN)/python tools/notebooks.py nav
	$(BIN)/python tools/teacher.py lessons
	$(BIN)/python tools/notebooks.py slides

# The teacher's tools (README, "Grading"): a student edition, grades, hub sizes.
.PHONY: assignments grade hub-sizing
SUBMISSIONS ?=
assignments: $(GRADE_STAMP)
	$(BIN)/python tools/teacher.py assignments "$(LESSON)" --out build/assignments

grade: $(GRADE_STAMP)
	$(BIN)/python tools/grade.py "$(SUBMISSIONS)" --out build/grades.csv

hub-sizing: $(TEST_STAMP)
	$(BIN)/python tools/hub_sizing.py

clean:
	rm -rf $(VENV) .venv-oldest .pytest_cache .hypothesis build lib/*.egg-info test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# A learner's copy of the lessons (make lab opens it); teachers open the course's own.
.PHONY: lab-course update reset
lab-course: $(STAMP)
	$(LAB_ENV) $(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) $(LAB_FLAGS) notebooks/00-start-here.ipynb

# Standard library only: no install needed.
update:
	@$(PYTHON) tools/workspace.py update --workspace $(WORKSPACE)

reset:
	@$(PYTHON) tools/workspace.py reset --workspace $(WORKSPACE) "$(LESSON)"
