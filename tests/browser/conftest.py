"""Fixtures for the browser tests: a throwaway JupyterLab and a headless Chromium.

The JupyterLab and the Chromium are ``tools/browser_lab.py``'s (shared with
the tools that measure slides, a hub's sizing and the explorer's speed):
Debian's ``/usr/bin/chromium`` driven by Playwright's sync API, Playwright's
own browsers never downloaded.  Without Chromium the tests skip and say why,
except under ``CI=true``, where that is a failure.

Starting JupyterLab costs seconds of CPU, so a test session (a pytest-xdist
worker) starts each kind once: one serving the repository (``lab``) and one
with the classroom settings (``classroom_settings_lab``).  Each test file
still gets a lab as if just started: the kernels a file started are shut
down after it, and the settings its pages changed are forgotten.
Throwaway notebooks go to ``test-artifacts/browser-notebooks/<name>/`` (see
``pages.scratch_notebook``), inside what ``lab`` serves.  A test file has one
Chromium (``browser``); every test gets a new context of its own in it (no
cookies, storage or pages shared).  Playwright's sync API runs once per
process at a time, so a file that uses ``browser`` or ``browser_page`` must
not start ``sync_playwright()`` itself.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_lab import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    LAB_SETTINGS,
    ROOT,
    Lab,
    running_lab,
)


def _need(condition: bool, reason: str) -> None:
    """Skip the test when ``condition`` fails; under ``CI=true`` fail instead."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(
            f"{reason} (CI=true: the browser test must run in CI)", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """The Chromium to drive, or a skip (a failure under CI=true) when there is none."""
    _need(
        CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
        f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` "
        "to run the browser test",
    )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _need(
            False,
            "the Python package playwright is not installed (pip install -e '.[test]')",
        )
    return CHROMIUM


# The session's shared JupyterLabs, so each test file can end its kernels.
_SHARED_LABS: list[Lab] = []


@pytest.fixture(scope="session")
def lab(chromium_path, tmp_path_factory):
    """JupyterLab serving the repository, so ``notebooks/…`` open by their paths.

    Shared by the whole session (its throwaway notebooks are in
    ``test-artifacts/``, which it serves too).
    """
    with running_lab(ROOT, tmp_path_factory.mktemp("jupyterlab")) as server:
        _SHARED_LABS.append(server)
        yield server
        _SHARED_LABS.remove(server)


@pytest.fixture(scope="session")
def classroom_settings_lab(chromium_path, tmp_path_factory):
    """JupyterLab serving the repository with lab-settings/classroom, as ``make lab CLASSROOM=1``."""
    settings = json.loads((LAB_SETTINGS / "classroom" / "overrides.json").read_text())
    base = tmp_path_factory.mktemp("classroom-settings")
    with running_lab(ROOT, base, settings=settings) as server:
        _SHARED_LABS.append(server)
        yield server
        _SHARED_LABS.remove(server)


@pytest.fixture(scope="module", autouse=True)
def _fresh_lab_per_file():
    """After each test file, the shared JupyterLabs as if just started.

    The kernels the file started end, and the settings and workspaces its
    pages changed are forgotten.
    """
    yield
    for server in _SHARED_LABS:
        server.shut_down_kernels()
        server.forget_user_state()


@dataclass
class ConsoleLog:
    """Errors the page reported: console ``error`` messages and uncaught exceptions."""

    errors: list = field(default_factory=list)

    def listen(self, page) -> None:
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.errors.append(
                    f"console.error: {message.text} ({message.location.get('url', '')})"
                )
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))


@dataclass
class BrowserPage:
    """A Playwright page, the errors it logged, and a screenshot helper."""

    page: object
    console: ConsoleLog

    def screenshot(self, name: str) -> Path:
        """Save the visible page as test-artifacts/browser/<name>.png."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture(scope="module")
def browser(chromium_path):
    """One headless Chromium for a test file; each test opens its own context in it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def page_in(browser, viewport: dict | None = None):
    """A fresh page in a context of its own, recording its console errors; yield a :class:`BrowserPage`."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        console = ConsoleLog()
        console.listen(page)
        yield BrowserPage(page, console)
    finally:
        context.close()


@pytest.fixture
def browser_page(browser):
    """A fresh page, in a context of its own, that records its console errors."""
    with page_in(browser) as shown:
        yield shown
