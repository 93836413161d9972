"""What the browser tests do with a JupyterLab page: open, run, present, write throwaway notebooks.

One home for the steps several test files take, so each says once how it
waits (for a kernel, for every cell to have run, for a slide to show).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from browser_lab import ARTIFACTS, ROOT, open_notebook, run_all_cells

# Throwaway notebooks, inside what the shared JupyterLab serves (git-ignored).
SCRATCH = ARTIFACTS.parent / "browser-notebooks"
TIMEOUT_MS = 30_000


def scratch_notebook(name: str, cells: list[str]) -> tuple[Path, str]:
    """Write a notebook of code ``cells`` to its own empty folder; return it and its path.

    The folder is ``test-artifacts/browser-notebooks/<name>/`` (emptied first,
    so nothing a previous run wrote there is read as new); the path is the
    notebook's, relative to the repository (what JupyterLab opens).
    """
    import nbformat

    folder = SCRATCH / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(cell) for cell in cells]
    )
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, folder / f"{name}.ipynb")
    return folder, (folder / f"{name}.ipynb").relative_to(ROOT).as_posix()


def _readouts_match_status(page, explorer) -> None:
    """Wait (at most 5 s) until each start slider reads what the status line says.

    The slider values and the status reach the page in separate messages;
    the caller then compares, and says what differs if they never matched.
    """
    from playwright.sync_api import Error

    try:
        page.wait_for_function(
            r"""(root) => {
              const said = Object.fromEntries(Array.from(
                root.querySelector('.gdlab-status').innerText.matchAll(/(\S+) = (\S+)/g),
                (m) => [m[1], m[2]]));
              return Array.from(root.querySelectorAll('.widget-slider')).every((s) => {
                const label = s.querySelector('.widget-label').innerText.trim();
                if (!label.startsWith('start ')) return true;
                const shown = s.querySelector('.widget-readout').innerText.replace(/−/g, '-');
                return shown.trim() === said[label.slice(6).trim()];
              });
            }""",
            arg=explorer.element_handle(),
            timeout=5_000,
        )
    except Error:
        pass


def start_readout_problems(page, explorer, label, names=None) -> list[str]:
    """At the cell's settings, step 0: does each start slider read what the status says?

    Clicks "↺ this cell's settings" and compares digit for digit; returns
    what differs, as lines of text (none: all well).  ``names``: the start
    sliders there must be (e.g. ``{"m", "b"}``); by default, at least one.
    """
    from playwright.sync_api import expect

    explorer.get_by_role("button", name="↺ this cell's settings").click()
    status = explorer.locator(".gdlab-status")
    expect(status).to_have_text(re.compile(r"^step 0 · "), timeout=TIMEOUT_MS)
    _readouts_match_status(page, explorer)
    said = dict(re.findall(r"(\S+) = (\S+)", status.inner_text()))
    problems = []
    sliders = explorer.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(r"^start "))
    )
    found = set()
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        name = slider.locator(".widget-label").inner_text().removeprefix("start ")
        found.add(name.strip())
        shown = slider.locator(".widget-readout").inner_text().replace("−", "-")
        if shown.strip() != said.get(name.strip()):
            problems.append(f"{label}: start {name} reads {shown!r}, status {said}")
    if (names is not None and found != set(names)) or not found:
        problems.append(f"{label}: start sliders {sorted(found)}, expected {names}")
    return problems


def open_and_run(page, lab, notebook: str) -> None:
    """Open ``notebook`` and run all its cells."""
    open_notebook(page, lab, notebook)
    run_all_cells(page, lab, notebook)


def rerun_last_cell(page, lab, notebook: str, written: Path) -> None:
    """Run the notebook's last cell again; wait until it has rewritten ``written``.

    The browser's first replies (a slider sending back its value on its own
    grid) may change a widget after the cells ran: the last cell writes what
    the kernel holds again once those replies have been handled.
    """
    page.wait_for_timeout(1500)
    lab.wait_for_kernel(notebook)
    before = written.stat().st_mtime_ns if written.exists() else 0
    page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputArea-editor").last.click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("() => true")  # let the click land
    for _ in range(300):
        if written.exists() and written.stat().st_mtime_ns != before:
            break
        page.wait_for_timeout(100)
    lab.wait_for_kernel(notebook)


def start_slideshow_at(page, heading: str) -> None:
    """Present the notebook as slides (jupyterlab-slideshow), from the section ``heading``.

    As a teacher would: click the section's heading (an h2 matching the
    regular expression ``heading``), leave edit mode, press Toggle Deck; wait
    until a slide is on screen.
    """
    from playwright.sync_api import expect

    page.locator(".jp-NotebookPanel .jp-MarkdownCell").filter(
        has=page.locator("h2", has_text=re.compile(heading))
    ).click()
    page.keyboard.press("Escape")
    page.locator("[data-command='deck:toggle']").first.click()
    onscreen = page.locator(".jp-Cell.jp-deck-mod-onscreen")
    expect(onscreen.first).to_be_visible(timeout=TIMEOUT_MS)
