"""A throwaway JupyterLab and the page steps that the browser tests and tools share.

:func:`running_lab` starts JupyterLab from this environment on 127.0.0.1 at a
free port, without a token, with every folder it writes to (config, runtime,
data, settings, workspaces) inside a folder of the caller's, so it neither
reads nor changes the user's own JupyterLab.  Its ``overrides.json`` turns off
the news pop-up and autosave, which would otherwise cover the page or write to
the lessons.  Chromium is Debian's (``/usr/bin/chromium``, started with
:data:`CHROMIUM_ARGS`), driven by Playwright's sync API.

The browser tests (``tests/browser/``), ``tools/slide_heights.py``,
``tools/hub_sizing.py`` and ``bench/browser.py`` use it: a tool imports it as
a sibling module, the tests through pytest's ``pythonpath``.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Plugin settings every run of the test needs, whatever the user has set: the
# project's own (lab-settings/, what `make lab` uses: no news pop-up), and
# for tests no autosave, which would write to the lessons.
LAB_SETTINGS = ROOT / "lab-settings"
OVERRIDES = {
    **json.loads((LAB_SETTINGS / "quiet" / "overrides.json").read_text()),
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    # Render every cell, not only those in view, so outputs far down the
    # notebook exist in the page when the test looks for them.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}
SERVER_START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _jupyter_command() -> list[str]:
    script = Path(sys.executable).with_name("jupyter")
    return (
        [str(script), "lab"]
        if script.exists()
        else [sys.executable, "-m", "jupyterlab"]
    )


def get_json(url: str, timeout: float = 5.0):
    """GET ``url`` and decode its JSON body."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


@dataclass
class Lab:
    """A running JupyterLab: its base URL, process and log file."""

    url: str
    process: subprocess.Popen
    log: Path
    root: Path
    folders: dict[str, Path] = field(default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def sessions(self) -> list[dict]:
        return get_json(f"{self.url}/api/sessions")

    def shut_down_kernels(self) -> None:
        """End every session (and so its kernel): the next test file starts afresh."""
        sessions = self.sessions()
        if not sessions:
            return
        # The server wants its XSRF cookie echoed in a header (no token here).
        cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(cookies)
        )
        opener.open(f"{self.url}/lab", timeout=30).close()
        xsrf = {cookie.name: cookie.value for cookie in cookies}.get("_xsrf", "")
        for session in sessions:
            request = urllib.request.Request(
                f"{self.url}/api/sessions/{session['id']}",
                method="DELETE",
                headers={"X-XSRFToken": xsrf},
            )
            opener.open(request, timeout=30).close()

    def forget_user_state(self) -> None:
        """Empty the user's settings and workspaces, as in a lab just started.

        A page that changes a setting leaves it for the next page: Toggle
        Deck stores ``"active": true`` (jupyterlab-slideshow), and the next
        notebook would open as slides, its menu bar hidden.
        """
        for name in ("user-settings", "workspaces"):
            folder = self.folders.get(name)
            if folder is not None and folder.is_dir():
                shutil.rmtree(folder)
                folder.mkdir()

    def wait_for_kernel(self, notebook: str, timeout: float = 60.0) -> dict:
        """Wait until ``notebook``'s kernel is connected and idle; return its session.

        The notebook's own toolbar says "idle" before any kernel is attached,
        so the server's view (``/api/sessions``) is the one to trust.
        """
        deadline = time.monotonic() + timeout
        last = []
        while time.monotonic() < deadline:
            last = self.sessions()
            for session in last:
                kernel = session.get("kernel") or {}
                if (
                    session.get("path") == notebook
                    and kernel.get("execution_state") == "idle"
                    and kernel.get("connections", 0) >= 1
                ):
                    return session
            time.sleep(0.25)
        raise AssertionError(
            f"the kernel of {notebook} never became idle and connected; sessions: {last}"
        )


def _write_settings(base: Path, settings: dict | None = None) -> dict[str, Path]:
    folders = {
        name: base / name
        for name in (
            "config",
            "runtime",
            "data",
            "app-settings",
            "user-settings",
            "workspaces",
            "checkpoints",
        )
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    # JupyterLab reads overrides.json from its application settings folder.
    merged = {key: dict(value) for key, value in OVERRIDES.items()}
    for plugin, values in (settings or {}).items():
        merged.setdefault(plugin, {}).update(values)
    (folders["app-settings"] / "overrides.json").write_text(
        json.dumps(merged, indent=2)
    )
    return folders


@contextlib.contextmanager
def running_lab(
    root: Path, base: Path, extra_env: dict | None = None, settings: dict | None = None
):
    """Start JupyterLab serving ``root``, with its own folders under ``base``; yield a :class:`Lab`.

    ``extra_env`` adds variables to the server's environment (and so its
    kernels'), e.g. ``{"GDLAB_CLASSROOM": "1"}`` as ``make lab CLASSROOM=1`` does;
    ``settings`` adds plugin settings (e.g. lab-settings/classroom's).
    """
    folders = _write_settings(base, settings)
    port = _free_port()
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")
    }
    env.update(
        JUPYTER_CONFIG_DIR=str(folders["config"]),
        JUPYTER_RUNTIME_DIR=str(folders["runtime"]),
        JUPYTER_DATA_DIR=str(folders["data"]),
        JUPYTERLAB_SETTINGS_DIR=str(folders["user-settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(folders["workspaces"]),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    command = _jupyter_command() + [
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--LabApp.app_settings_dir={folders['app-settings']}",
        f"--LabApp.user_settings_dir={folders['user-settings']}",
        f"--LabApp.workspaces_dir={folders['workspaces']}",
        # Checkpoints go to the temporary folder too, not beside the lessons.
        f"--FileCheckpoints.checkpoint_dir={folders['checkpoints']}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "jupyter-lab.log"
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    lab = Lab(url=url, process=process, log=log, root=root, folders=folders)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {process.returncode}:\n{lab.log_tail()}"
                )
            try:
                get_json(f"{url}/api/status", timeout=2.0)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not answer /api/status:\n{lab.log_tail()}"
                    ) from None
                time.sleep(0.25)
        yield lab
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Stop the server we started (and its kernels, in its process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, 15)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 9)
            process.wait(timeout=5)


# -- steps on a page --------------------------------------------------------------------


def open_notebook(page, lab, notebook: str) -> None:
    """Open ``notebook`` in a fresh workspace and wait for its kernel."""
    page.goto(f"{lab.url}/lab/tree/{notebook}?reset", wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(
        state="visible", timeout=60_000
    )
    lab.wait_for_kernel(notebook)


def run_all_cells(page, lab, notebook: str) -> None:
    """Run → Run All Cells from the menu bar, then wait until every cell has run."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    code_cells = page.locator(".jp-NotebookPanel .jp-CodeCell")
    prompts = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt")
    # Every code cell shows [n]: (not [ ]: or [*]:) once it has run.
    page.wait_for_function(
        """(count) => {
            const prompts = document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt');
            return prompts.length === count &&
                Array.from(prompts).every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        arg=code_cells.count(),
        timeout=60_000,
    )
    assert prompts.count() == code_cells.count()
    lab.wait_for_kernel(notebook)


def next_frames(page, frames: int = 2) -> None:
    """Wait until the page has drawn ``frames`` more frames.

    What the page does on a layout change (a ResizeObserver refitting the
    status line) runs before the next frame is drawn, so two frames on it
    is done: no fixed sleep, however busy the machine.
    """
    page.evaluate(
        """(n) => new Promise((done) => {
             const wait = (left) => left ? requestAnimationFrame(() => wait(left - 1)) : done();
             wait(n);
           })""",
        frames,
    )


def labelled_slider(scope, label: str):
    """The ipywidgets slider in ``scope`` whose label reads ``label``."""
    return (
        scope.locator(".widget-slider")
        .filter(
            has=scope.page.locator(
                ".widget-label", has_text=re.compile(label, re.IGNORECASE)
            )
        )
        .first
    )


def drawn(canvas) -> tuple[str, str]:
    """Which scene (a new one per setting change) and which step the canvas shows."""
    return tuple(canvas.evaluate("c => [c.dataset.version, c.dataset.step]"))
