"""Suite-wide settings.

Under ``CI=true`` a skipped test fails the run: CI must never go green by
quietly not testing something (the browser test, say, when Chromium is missing).
"""

from __future__ import annotations

import os

import matplotlib

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
