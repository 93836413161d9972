"""A race of three update rules, drawn and played by the browser.

A throwaway notebook makes ``DescentExplorer(x, y, rules=[GradientDescent(),
Momentum(0.9), Adam()])`` on two valleys (paths apart, so each can be
seen) and shows step K.  The kernel writes matplotlib's
frame of step K (``frame_png()``), each run's path in canvas pixels and
colour, and the status line.  In Chromium the test checks that:

- the canvas matches matplotlib's frame within antialiasing (and does not
  match step K + 8's, so the comparison can fail), on the contour map and
  in the 3-D view;
- each run's path is drawn in its own colour: along it, pixels of that
  colour are present on the canvas;
- the status line reads ``status_text(K)``, names each run and carries one
  swatch per run in the run's colour;
- Play advances the shared step for all runs; Reset returns to step 0.

Screenshots (1280×720 too) go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from .conftest import ARTIFACTS
from .pages import open_and_run, rerun_last_cell, scratch_notebook
from .test_explorer_view import ALLOWED, _pixels, _screenshot, differing

pytestmark = pytest.mark.browser

K = 20
TIMEOUT_MS = 90_000
SETUP = """import json
import numpy as np
import gdlab
from gdlab.plots.scene import pixels
from gdlab.rules import Adam, GradientDescent, Momentum
from gdlab.widgets import DescentExplorer
ex = DescentExplorer(surface=gdlab.TwoValleys(), start=(-0.3, 1.3), steps=300,
                     rules=[GradientDescent(), Momentum(0.9), Adam()])
ex.learning_rate.value = ex._on_grid(0.08)  # on the slider's grid: the browser keeps it
ex.step.value = K
ex"""
SETUP_3D = """ex3 = DescentExplorer(surface=gdlab.TwoValleys(), start=(-0.3, 1.3), steps=300,
                      rules=[GradientDescent(), Momentum(0.9), Adam()], view="3d")
ex3.learning_rate.value = ex3._on_grid(0.08)
ex3.step.value = K
ex3"""
WRITE = """ex.step.value = K + 8
later = ex.frame_png()
ex.step.value = K
open('frame.png', 'wb').write(ex.frame_png())
open('later.png', 'wb').write(later)
ex3.step.value = K + 8
later3 = ex3.frame_png()
ex3.step.value = K
open('frame3.png', 'wb').write(ex3.frame_png())
open('later3.png', 'wb').write(later3)
ax = ex.frame.surface_ax
runs = [{'name': name, 'color': color,
         'points': pixels(ax, r.run.params[: K + 1]).tolist()}
        for name, color, r in zip(ex.status_names(), ex.colors, ex.races)]
open('written.json', 'w').write(json.dumps(
    {'status': ex.status_text(), 'version': ex.player.scene['version'], 'runs': runs,
     'version3': ex3.player.scene['version']}))"""


def _run_all(page, lab):
    """Run the race's notebook; what its last cell wrote, once the browser has replied."""
    folder, notebook = scratch_notebook(
        "race", [cell.replace("K", str(K)) for cell in (SETUP, SETUP_3D, WRITE)]
    )
    open_and_run(page, lab, notebook)
    # The browser's sliders send back the start on their own grid (a new race):
    # write the frames again once those replies have been handled.
    rerun_last_cell(page, lab, notebook, folder / "written.json")
    return folder, json.loads((folder / "written.json").read_text())


def _colour_along(shot, points, colour, reach=2, tolerance=40) -> float:
    """The fraction of the path's points with a pixel of ``colour`` within ``reach``."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    height, width = shot.shape[:2]
    hits = []
    for x, y in points:
        if not (np.isfinite(x) and np.isfinite(y)):
            continue
        x0, y0 = round(x), round(y)
        if not (reach <= x0 < width - reach and reach <= y0 < height - reach):
            continue
        patch = shot[y0 - reach : y0 + reach + 1, x0 - reach : x0 + reach + 1]
        hits.append(bool((np.abs(patch - rgb).max(axis=2) <= tolerance).any()))
    return float(np.mean(hits)) if hits else 0.0


def _matches_frame(page, canvas, folder, suffix=""):
    """The canvas is matplotlib's frame of step K (not K + 8's); returns the screenshot."""
    from PIL import Image

    canvas.scroll_into_view_if_needed()
    frame = _pixels((folder / f"frame{suffix}.png").read_bytes())
    later = _pixels((folder / f"later{suffix}.png").read_bytes())
    width, height = canvas.evaluate("c => [c.width, c.height]")
    assert (width, height) == (frame.shape[1], frame.shape[0])
    shots = _screenshot(page, canvas, (width, height))
    fractions = [differing(shot, frame).mean() for shot in shots]
    shot = shots[int(np.argmin(fractions))]
    Image.fromarray(shot.astype(np.uint8)).save(ARTIFACTS / f"race-canvas{suffix}.png")
    assert min(fractions) <= ALLOWED, f"{min(fractions):.4%} differ from frame_png()"
    assert differing(shot, later).mean() > 2 * ALLOWED, "step K + 8 looks like step K"
    return shot


def _check_picture(page, canvas, folder, written):
    """The canvas is matplotlib's frame of step K, and each path is there in its colour."""
    shot = _matches_frame(page, canvas, folder)
    blank = np.full_like(shot, 255)
    for run in written["runs"]:
        along = _colour_along(shot, run["points"], run["color"])
        assert along >= 0.6, f"{run['name']}: its colour on {along:.0%} of its path"
        assert _colour_along(blank, run["points"], run["color"]) == 0.0


def _check_status(explorer, written):
    status = explorer.locator(".gdlab-explorer-view .gdlab-status").first
    assert status.inner_text().strip() == written["status"]
    for run in written["runs"]:
        assert f"{run['name']}: " in written["status"]
    swatches = status.locator(".gdlab-swatch")
    assert swatches.count() == len(written["runs"])
    colours = [
        swatches.nth(i).evaluate("s => getComputedStyle(s).backgroundColor")
        for i in range(swatches.count())
    ]
    expected = [
        "rgb({}, {}, {})".format(*(int(r["color"][i : i + 2], 16) for i in (1, 3, 5)))
        for r in written["runs"]
    ]
    assert colours == expected


def _check_play(page, explorer, canvas):
    """Play moves the shared step in the browser; Reset brings it back to 0."""
    explorer.locator(".widget-play button").first.click()
    page.wait_for_function(
        "(c) => Number(c.dataset.step) > Number(c.dataset.last) / 4",
        arg=canvas.element_handle(),
        timeout=TIMEOUT_MS,
    )
    status = explorer.locator(".gdlab-explorer-view .gdlab-status").first
    step = int(canvas.evaluate("c => c.dataset.step"))
    assert status.inner_text().startswith("step ")
    assert step > K
    explorer.get_by_role(
        "button", name=re.compile("reset", re.IGNORECASE)
    ).first.click()
    page.wait_for_function(
        "(c) => c.dataset.step === '0' && c.dataset.playing === 'no'",
        arg=canvas.element_handle(),
        timeout=TIMEOUT_MS,
    )
    assert status.inner_text().startswith("step 0 · ")


def test_a_race_of_three_rules_is_drawn_and_played(lab, browser_page):
    page = browser_page.page
    page.set_viewport_size({"width": 2000, "height": 1300})
    folder, written = _run_all(page, lab)
    canvases = page.locator(".gdlab-explorer-view canvas")
    canvas, canvas3 = canvases.nth(0), canvases.nth(1)
    for each, version in ((canvas, written["version"]), (canvas3, written["version3"])):
        page.wait_for_function(
            "([c, k, v]) => c.dataset.step === String(k) && c.dataset.version === String(v)",
            arg=[each.element_handle(), K, version],
            timeout=TIMEOUT_MS,
        )
    _matches_frame(page, canvas3, folder, "3")  # the 3-D view too
    canvas.scroll_into_view_if_needed()
    explorer = page.locator(".jp-OutputArea-output").filter(has=canvas).first
    _check_picture(page, canvas, folder, written)
    _check_status(explorer, written)
    page.set_viewport_size({"width": 1280, "height": 720})
    canvas.scroll_into_view_if_needed()
    browser_page.screenshot("race-1280x720")
    _check_play(page, explorer, canvas)
    browser_page.screenshot("race-1280x720-reset")
    assert browser_page.console.errors == []
