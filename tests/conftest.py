"""Suite-wide settings.

Under ``CI=true`` a skipped test fails the run: CI must never go green by
quietly not testing something (the browser test, say, when Chromium is missing).

``make test`` runs every test in one pytest-xdist run, ``--dist loadfile
--browser-lanes``: each file is one unit of work (a notebook's cells, a
module's fixtures stay together on one worker), and the files of
``tests/browser/`` go into one lane per core, each lane one unit: its tests
run one after another on one worker, sharing that worker's JupyterLabs.  A
browser test mostly waits (for a kernel, a page, a frame), so two lanes on
two cores finish sooner than one (285 s against 311 s for the whole run,
measured on this 2-core machine).  The lanes are balanced by the seconds
each file takes (``BROWSER_SECONDS``): the lanes are the run's longest
chains, and the run ends when the longer one does.  The lanes start first;
the other files follow, the slow ones first, then the largest.
"""

from __future__ import annotations

import os

import matplotlib
import pytest
from hypothesis import settings

# No test is timed (performance is `make bench`'s): Hypothesis's per-example
# deadline would fail a test for the machine's load, not for its behaviour.
settings.register_profile("gdlab", deadline=None)
settings.load_profile("gdlab")

# Tests draw off-screen; no display exists in CI.  This runs before any test
# imports pyplot, and changes nothing for users (it is test configuration).
matplotlib.use("Agg")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"CI=true: {len(skipped)} test(s) skipped; failing the run", red=True
        )
        session.exitstatus = 1


# Files that wait tens of seconds on kernels they start (pytest --durations):
# started early, so no worker is left with them at the end.
SLOW_FILES = ("tests/test_grading.py", "tests/test_classroom_lessons.py")
BROWSER_FILES = "tests/browser/"
# Seconds each browser file takes on this 2-core machine, in two lanes with
# nothing else running (`pytest tests/browser -n 2 --dist loadfile
# --browser-lanes --junitxml=…`, the sum of a file's times).  They only
# balance the lanes: 149 s and 144 s by these seconds (the run took 155 s),
# where counting tests gives 137 s and 156 s.  A file not listed counts
# SECONDS_PER_BROWSER_TEST for each of its tests.
BROWSER_SECONDS = {
    "test_surfaces_route_browser.py": 93,
    "test_projector_browser.py": 68,
    "test_class_route_browser.py": 35,
    "test_explorer_view.py": 26,
    "test_explorer_browser.py": 25,
    "test_race_browser.py": 18,
    "test_predict_browser.py": 16,
    "test_teacher_cells_browser.py": 12,
}
SECONDS_PER_BROWSER_TEST = 15


def pytest_addoption(parser):
    parser.addoption(
        "--browser-lanes",
        action="store_true",
        help="with -n and --dist loadfile: the browser test files in one lane per "
        "core, each lane on one worker; they start first (tests/conftest.py)",
    )


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def browser_lanes(nodeids, cores: int | None = None) -> dict[str, str]:
    """The lane of each browser test file: the longest first, each to the shortest lane.

    >>> ids = ["tests/browser/a.py::t1", "tests/browser/a.py::t2", "tests/browser/b.py::t"]
    >>> browser_lanes(ids, cores=1)
    {'tests/browser/a.py': 'browser-lane-1', 'tests/browser/b.py': 'browser-lane-1'}
    >>> browser_lanes(ids, cores=2)
    {'tests/browser/a.py': 'browser-lane-1', 'tests/browser/b.py': 'browser-lane-2'}
    >>> ids += ["tests/browser/test_projector_browser.py::t", "tests/browser/c.py::t"]
    >>> browser_lanes(ids, cores=2)["tests/browser/a.py"]  # 68 s against 15 s
    'browser-lane-2'
    """
    seconds: dict[str, float] = {}
    for nodeid in nodeids:
        path = _file(nodeid)
        if path.startswith(BROWSER_FILES):
            known = BROWSER_SECONDS.get(path.removeprefix(BROWSER_FILES))
            seconds[path] = known or seconds.get(path, 0) + SECONDS_PER_BROWSER_TEST
    lanes = [0.0] * max(1, cores or os.cpu_count() or 1)
    lane_of = {}
    for path in sorted(seconds, key=lambda path: -seconds[path]):
        lane = lanes.index(min(lanes))
        lanes[lane] += seconds[path]
        lane_of[path] = f"browser-lane-{lane + 1}"
    return lane_of


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``--browser-lanes``: pytest-xdist's loadfile, with the browser files in lanes."""
    if not config.getoption("browser_lanes") or config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserLanes(LoadFileScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            self.lane_of: dict[str, str] = {}

        def _split_scope(self, nodeid: str) -> str:
            return self.lane_of.get(_file(nodeid), _file(nodeid))

        def schedule(self) -> None:
            if self.collection is None:  # the first time: the lanes, before the units
                ids = next(iter(self.registered_collections.values()))
                self.lane_of = browser_lanes(ids)
            super().schedule()

    return BrowserLanes(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """With ``--browser-lanes``: browser files first, then the slow files, then the largest.

    pytest-xdist hands out its units of work in the order their first test
    was collected (with ``--no-loadscope-reorder``); a file keeps its order.
    """
    if not config.getoption("browser_lanes"):
        return
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(_file(item.nodeid), []).append(item)
    order = sorted(
        files,
        key=lambda path: (
            not path.startswith(BROWSER_FILES),
            path not in SLOW_FILES,
            -len(files[path]),
        ),
    )
    items[:] = [item for path in order for item in files[path]]
