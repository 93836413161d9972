"""The browser draws the explorer's moving layer as matplotlib does, pixel for pixel.

A throwaway notebook makes four descent explorers (contour and 3-D,
classroom and not) and shows step K of an oscillating run: the path with its
markers, the current point, the arrow, the line and its residuals, the loss
curve; an explorer on a saddle (no data: both parameters against the step,
one line dashed); and a mini-batch explorer (the same explorer) at step K.  Their
pictures are drawn by the browser (a still plus a canvas); the kernel writes
``frame_png()`` (matplotlib's frame) for step K and for step K + 8.  The test
screenshots each live canvas and compares it with both: it must match step
K's frame within antialiasing, and must not match step K + 8's (so the
comparison can fail).  The status line under the picture must read
``status_line(K)`` (one line), with ``status_text(K)`` in full in its tooltip.  Screenshots and difference images go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from .conftest import ARTIFACTS
from .pages import open_and_run, rerun_last_cell, scratch_notebook

pytestmark = pytest.mark.browser

K = 7
EXPLORERS = [("contour", False), ("contour", True), ("3d", False), ("3d", True)]
SADDLE = (
    "ex = DescentExplorer(surface=gdlab.Saddle(), start=(-1.8, 0.4), "
    "learning_rate=0.3, steps=100)\n"
    f"ex.step.value = {K}\nmade.append(ex)\nex"
)
MINIBATCH = (
    "z, _ = gdlab.standardize(obs.x)\n"
    "X = np.column_stack([z, np.ones_like(z)])\n"
    "ex = MiniBatchExplorer(X, obs.y, start=(-1.0, 0.5), batch_size=5, epochs=2)\n"
    f"ex.step.value = {K}\nmade.append(ex)\nex"
)
TIMEOUT_MS = 90_000
# A pixel "differs" when every pixel within one pixel of it in the reference
# differs by more than this in some channel: antialiased edges may land a
# pixel apart, and blend a little differently, but nothing else may.
LEVELS = 64
# At most this fraction of the picture may differ (a few edge pixels: 0.02 %
# is about 100 pixels; eight more steps of the path change far more).
ALLOWED = 0.0002


def _cells():
    setup = (
        "import json\nimport numpy as np\nimport gdlab\n"
        "from gdlab.widgets import DescentExplorer, MiniBatchExplorer\n"
        "obs = gdlab.make_observations(n=50, seed=0)\nmade = []"
    )
    cells = [setup]
    for view, classroom in EXPLORERS:
        cells.append(
            f"ex = DescentExplorer(obs.x, obs.y, view={view!r}, classroom={classroom})\n"
            f'ex.apply_preset("oscillates")\nex.step.value = {K}\nmade.append(ex)\nex'
        )
    cells.append(SADDLE)
    cells.append(MINIBATCH)
    cells.append(
        "written = []\n"
        "for i, ex in enumerate(made):\n"
        "    slider = ex.step\n"
        f"    slider.value = {K + 8}\n"
        "    later = ex.frame_png()\n"
        f"    slider.value = {K}\n"
        "    open(f'frame-{i}.png', 'wb').write(ex.frame_png())\n"
        "    open(f'later-{i}.png', 'wb').write(later)\n"
        "    line = getattr(ex, 'status_line', ex.status_text)()\n"
        "    written.append({'status': ex.status_text(), 'line': line, "
        "'version': ex.player.scene['version']})\n"
        "open('written.json', 'w').write(json.dumps(written))"
    )
    return cells


def _pixels(data: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def differing(shot: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Pixels of ``shot`` unlike every reference pixel within one pixel of them."""
    height, width = reference.shape[:2]
    padded = np.pad(reference, ((1, 1), (1, 1), (0, 0)), mode="edge")
    unlike = np.ones((height, width), dtype=bool)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            near = padded[dy : dy + height, dx : dx + width]
            unlike &= np.abs(shot - near).max(axis=2) > LEVELS
    return unlike


def _screenshot(page, canvas, size):
    """The canvas as the page shows it, on the page's pixel grid."""
    box = canvas.bounding_box()
    shots = []
    # A canvas at a fractional offset is drawn on the nearest device row.
    for y in sorted({float(np.floor(box["y"])), float(np.ceil(box["y"]))}):
        clip = {"x": round(box["x"]), "y": y, "width": size[0], "height": size[1]}
        shots.append(_pixels(page.screenshot(clip=clip)))
    return shots


def _run_all(page, lab, notebook):
    """Run every cell; wait until the six canvases show step K."""
    open_and_run(page, lab, notebook)
    page.wait_for_function(
        "(k) => Array.from(document.querySelectorAll('.gdlab-explorer-view canvas'))"
        ".filter(c => c.dataset.step === String(k)).length === 6",
        arg=K,
        timeout=TIMEOUT_MS,
    )


def test_the_canvas_matches_matplotlibs_frame(lab, browser_page):
    page = browser_page.page
    folder, notebook = scratch_notebook("explorers", _cells())
    page.set_viewport_size({"width": 2000, "height": 1300})
    _run_all(page, lab, notebook)
    # Written again once the browser's first replies have been handled.
    rerun_last_cell(page, lab, notebook, folder / "written.json")
    written = json.loads((folder / "written.json").read_text())
    canvases = page.locator(".gdlab-explorer-view canvas")
    statuses = page.locator(".gdlab-explorer-view .gdlab-status")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = []
    names = [f"view-{v}-{'classroom' if c else 'plain'}" for v, c in EXPLORERS]
    for i, name in enumerate([*names, "view-saddle", "view-minibatch"]):
        canvas = canvases.nth(i)
        canvas.scroll_into_view_if_needed()
        page.wait_for_function(
            "([c, k, v]) => c.dataset.step === String(k) && c.dataset.version === String(v)",
            arg=[canvas.element_handle(), K, written[i]["version"]],
            timeout=TIMEOUT_MS,
        )
        frame = _pixels((folder / f"frame-{i}.png").read_bytes())
        later = _pixels((folder / f"later-{i}.png").read_bytes())
        width, height = canvas.evaluate("c => [c.width, c.height]")
        box = canvas.bounding_box()
        assert (width, height) == (frame.shape[1], frame.shape[0]), name
        assert box["width"] == width, f"{name}: the canvas is scaled on the page"
        shots = _screenshot(page, canvas, (width, height))
        fractions = [differing(shot, frame).mean() for shot in shots]
        best = int(np.argmin(fractions))
        shot = shots[best]
        from PIL import Image

        Image.fromarray(shot.astype(np.uint8)).save(ARTIFACTS / f"{name}.png")
        Image.fromarray((differing(shot, frame) * 255).astype(np.uint8)).save(
            ARTIFACTS / f"{name}-differing.png"
        )
        unlike_later = differing(shot, later).mean()
        report.append((name, fractions[best], unlike_later))
        # One line on screen; in full in its tooltip.
        assert statuses.nth(i).inner_text().strip() == written[i]["line"], name
        assert statuses.nth(i).get_attribute("title") == written[i]["status"], name
    print("fraction of pixels differing (step K, step K + 8):", report)
    for name, same, other in report:
        assert same <= ALLOWED, (
            f"{name}: {same:.4%} of the pixels differ from frame_png()"
        )
        assert other > 2 * ALLOWED, (
            f"{name}: step K + 8 looks like step K ({other:.4%})"
        )
    assert browser_page.console.errors == []
