"""The explorer's Play in a real browser: steps shown per second, bytes on the wire, latency.

Used by ``bench/run.py`` (``make bench``).  JupyterLab and Debian's Chromium
run as in the browser tests (``tests/browser/conftest.py``).  A throwaway
notebook shows a descent explorer with a long, slow run (2000 steps, so Play
never reaches the end during a measurement).  For each speed, Play runs for a
few seconds while the page logs every step the canvas draws and Playwright
counts the bytes of every frame on the kernel's websocket (both directions).
Then the learning-rate slider is dragged with the mouse, and the time from
releasing it to the canvas drawing the last new path is measured.

Last, a drag meant to take one second (issue 21): 40 moves of the
learning-rate handle, 25 ms apart.  A mouse move returns once the page has
handled it, so a page busy with new paths falls behind the mouse and the drag
takes longer.  The notebook's second cell shows the same explorer idle: the
kernel does not answer its learning rate (the slider still syncs its value,
but no run, picture or status comes back).  Drags of the two alternate, so a
machine getting busier or quieter weighs on both alike.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SPEEDS = ("slow", "medium", "fast", "fastest")

SETUP = """import gdlab
from gdlab.widgets import DescentExplorer
obs = gdlab.make_observations(n=50, seed=0)
ex = DescentExplorer(obs.x, obs.y, steps=2000)
ex.apply_preset("too small")
ex.steps.value = 2000
ex"""

# A race of four update rules (issue 21): 2000 steps, so Play never reaches the end.
RACE_SETUP = """import gdlab
from gdlab.rules import Adam, GradientDescent, Momentum, Nesterov
from gdlab.widgets import DescentExplorer
obs = gdlab.make_observations(n=50, seed=0)
ex = DescentExplorer(obs.x, obs.y, steps=2000,
                     rules=[GradientDescent(), Momentum(0.9), Nesterov(0.9), Adam()])
ex.apply_preset("too small")
ex.steps.value = 2000
ex"""

# The same explorer, idle: its slider keeps syncing its value (the same
# messages from the page), but nothing in the kernel answers them.
IDLE = """
idle.learning_rate.unobserve_all("value")
idle"""
DRAG_MOVES = 40
DRAG_GAP_MS = 25  # 40 moves, 25 ms apart: meant to take 1 s

# Logs every change of the canvas's step or scene with the page's clock.
LOG = """(canvas) => {
    window.__drawn = [];
    new MutationObserver(() => window.__drawn.push(
        [performance.now(), canvas.dataset.step, canvas.dataset.version]
    )).observe(canvas, {attributes: true, attributeFilter: ["data-step", "data-version"]});
}"""


def _notebook(path: Path, setup: str = SETUP) -> None:
    import nbformat

    idle = re.sub(r"\bex\b", "idle", setup).rsplit("\n", 1)[0] + IDLE
    cells = [nbformat.v4.new_code_cell(source) for source in (setup, idle)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


class Wire:
    """Bytes on the kernel's websocket (``…/channels``), both directions."""

    def __init__(self):
        self.bytes = 0

    def watch(self, socket):
        if "/channels" not in socket.url:
            return

        def count(payload):
            self.bytes += len(payload)

        socket.on("framesent", count)
        socket.on("framereceived", count)


def _play(page, explorer, wire, speed: str, seconds: float) -> tuple[float, float]:
    """Steps shown per second and bytes per shown step while playing at ``speed``."""
    explorer.locator(".widget-toggle-button", has_text=re.compile(f"^{speed}$")).click()
    explorer.get_by_role(
        "button", name=re.compile("reset", re.IGNORECASE)
    ).first.click()
    page.wait_for_timeout(1200)  # Reset settles; its messages are not Play's
    start_bytes = wire.bytes
    started = page.evaluate("performance.now()")
    explorer.locator(".widget-play button").first.click()
    page.wait_for_timeout(1000 * seconds)
    explorer.locator(".widget-play button").first.click()  # pause
    ended = page.evaluate("performance.now()")
    page.wait_for_timeout(500)  # the pause report arrives
    sent = wire.bytes - start_bytes
    drawn = page.evaluate("window.__drawn")
    steps = {int(s) for t, s, _ in drawn if started <= t <= ended and s is not None}
    shown = len(steps - {0})
    return shown / ((ended - started) / 1000), sent / max(shown, 1)


def _rate_slider(page, explorer):
    slider = explorer.locator(
        ".widget-slider",
        has=page.locator(
            ".widget-label", has_text=re.compile("learning rate", re.IGNORECASE)
        ),
    ).first
    slider.scroll_into_view_if_needed()
    return slider


def _settle(page, began: float) -> list:
    """Wait until no new scene has been drawn for 1.5 s; the scenes drawn since ``began``."""
    deadline = time.monotonic() + 20
    scenes = []
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        drawn = page.evaluate("window.__drawn")
        scenes = sorted({(v, t) for t, _, v in drawn if t > began}, key=lambda s: s[1])
        last = scenes[-1][1] if scenes else began
        if page.evaluate("performance.now()") - last > 1500:
            break
    return scenes


def _drag_seconds(page, explorer) -> tuple[float, int]:
    """Seconds a drag of 40 moves, 25 ms apart, takes; and the new paths it made.

    The handle moves 3 px a move towards the side of the track with more
    room.  Each move returns once the page has handled it, so the time is
    what the learner's mouse would see: 1 s plus what the page lags behind.
    New paths: scenes the explorer's canvas drew from the drag's start until
    it settled (none, when the explorer is idle).
    """
    slider = _rate_slider(page, explorer)
    canvas = explorer.locator(".gdlab-explorer-view canvas").first
    version = int(canvas.get_attribute("data-version"))
    readout = slider.locator(".widget-readout").inner_text()
    track = slider.locator(".noUi-target").bounding_box()
    box = slider.locator(".noUi-handle").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    room_right = track["x"] + track["width"] - x
    direction = 1 if room_right > x - track["x"] else -1
    gap = min(3.0, max(room_right, x - track["x"]) / (DRAG_MOVES + 2))
    page.mouse.move(x, y)
    page.mouse.down()
    start = time.perf_counter()
    for i in range(1, DRAG_MOVES + 1):
        page.mouse.move(x + gap * i * direction, y)
        page.wait_for_timeout(DRAG_GAP_MS)
    seconds = time.perf_counter() - start
    ended = page.evaluate("performance.now()")
    page.mouse.up()
    _settle(page, ended)
    page.wait_for_timeout(500)
    if slider.locator(".widget-readout").inner_text() == readout:
        raise RuntimeError(f"the 40-move drag did not move the slider ({readout!r})")
    return seconds, int(canvas.get_attribute("data-version")) - version


def _drag_latency(page, explorer, direction: int) -> tuple[float, int]:
    """Milliseconds from the drag's last move to the new path drawn, and scenes drawn.

    The learning-rate handle is dragged 90 px (right for ``direction`` 1,
    left for -1) in 15 moves, 30 ms apart, then
    held and released: the time counts from the last move (the value the
    learner ends on) to the last new scene the canvas draws.
    """
    slider = _rate_slider(page, explorer)
    readout = slider.locator(".widget-readout").inner_text()
    box = slider.locator(".noUi-handle").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    began = page.evaluate("performance.now()")
    for i in range(1, 16):
        page.mouse.move(x + 6 * i * direction, y)
        page.wait_for_timeout(30)
    ended = page.evaluate("performance.now()")
    page.wait_for_timeout(100)
    page.mouse.up()
    scenes = _settle(page, began)
    if slider.locator(".widget-readout").inner_text() == readout or not scenes:
        page.screenshot(path=str(ROOT / "test-artifacts" / "bench-drag-failed.png"))
        raise RuntimeError(
            f"the drag did not move the learning-rate slider ({readout!r}, {box}, "
            f"{len(scenes)} scenes)"
        )
    firsts = {}
    for version, t in scenes:
        firsts.setdefault(version, t)
    return max(firsts.values()) - ended, len(firsts)


def _show_explorers(page, lab):
    """Open bench.ipynb, run both cells, wait for the pictures; the two explorers' outputs."""
    page.goto(f"{lab.url}/lab/tree/bench.ipynb?reset")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
    lab.wait_for_kernel("bench.ipynb")
    page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputArea-editor").first.click()
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.gdlab-explorer-view canvas'))"
        ".filter((c) => c.dataset.version).length === 2",
        timeout=90_000,
    )
    lab.wait_for_kernel("bench.ipynb")
    page.wait_for_timeout(1500)
    page.locator(".gdlab-explorer-view canvas").first.evaluate(LOG)
    outputs = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".gdlab-explorer-view canvas")
    )
    return outputs.nth(0), outputs.nth(1)


def _long_drags(page, busy, idle, repeats: int) -> dict:
    """The 40-move drag, ``repeats`` times on each explorer, alternating."""
    times = {"busy": [], "idle": []}
    paths = {"busy": [], "idle": []}
    for _ in range(repeats):
        for name, explorer in (("busy", busy), ("idle", idle)):
            seconds, drawn = _drag_seconds(page, explorer)
            times[name].append(seconds)
            paths[name].append(drawn)
    if any(paths["idle"]):
        raise RuntimeError(f"the idle explorer drew new paths: {paths['idle']}")
    return {
        "busy_s": statistics.median(times["busy"]),
        "idle_s": statistics.median(times["idle"]),
        "busy_paths": statistics.median(paths["busy"]),
        "idle_paths": max(paths["idle"]),
    }


def _drag_figures(page, explorer, wire, quick: bool) -> dict:
    """End-of-drag latency (median over drags both ways) and kB per path drawn."""
    page.wait_for_timeout(1000)
    before = wire.bytes
    drags = [
        _drag_latency(page, explorer, direction)
        for direction in ((1, -1) if quick else (1, -1, 1))
    ]
    return {
        "drag_ms": statistics.median(ms for ms, _ in drags),
        "drag_scenes": statistics.median(n for _, n in drags),
        # Both directions on the wire, over every path a drag drew.
        "drag_kb_per_path": (
            (wire.bytes - before) / 1000 / max(sum(n for _, n in drags), 1)
        ),
    }


def measure(
    quick: bool = False, setup: str = SETUP, speeds=SPEEDS, only_long_drag=False
) -> dict | None:
    """Run the browser benchmark; None (with a reason printed) when it cannot run.

    ``setup`` is the notebook cell that shows the explorer (lesson 05's, or
    :data:`RACE_SETUP`); Play is measured at each of ``speeds``, then the
    end-of-drag latency, then the 40-move drag (only that with ``only_long_drag``).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  (skipped: the Python package playwright is not installed)")
        return None
    if not CHROMIUM.is_file():
        print(f"  (skipped: no Chromium at {CHROMIUM})")
        return None
    # tools/browser_lab.py: the throwaway JupyterLab the browser tests use too.
    sys.path.insert(0, str(ROOT / "tools"))
    from browser_lab import CHROMIUM_ARGS, running_lab

    # Slow Play shows few steps: a longer look, so start and pause weigh less.
    seconds = {"slow": 8.0, "medium": 4.0, "fast": 4.0, "fastest": 4.0}
    if quick:
        seconds = {speed: value / 2 for speed, value in seconds.items()}
    results = {"speeds": {}}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "root"
        root.mkdir()
        _notebook(root / "bench.ipynb", setup)
        with running_lab(root, Path(folder) / "lab") as lab, sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            wire = Wire()
            page.on("websocket", wire.watch)
            explorer, idle = _show_explorers(page, lab)
            if not only_long_drag:
                for speed in speeds:
                    results["speeds"][speed] = _play(
                        page, explorer, wire, speed, seconds[speed]
                    )
                results.update(_drag_figures(page, explorer, wire, quick))
            results["long_drag"] = _long_drags(page, explorer, idle, 2 if quick else 3)
            # What the page looked like at the end, to look at.
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            shot = "bench-race.png" if setup == RACE_SETUP else "bench-explorer.png"
            page.screenshot(path=str(ROOT / "test-artifacts" / shot))
            browser.close()
    return results
