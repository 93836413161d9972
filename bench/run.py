"""`make bench`: time the descent explorer and the loss surface, print them beside the goals.

Run with ``python bench/run.py`` (``--quick`` for fewer repetitions, ``--no-browser``
to leave out the browser).  Kernel times are medians of wall-clock times on
this machine.  Targets (issue 11): a setting change costs the kernel ≤ 80 ms
(new path, still, moving layer and status of every step); in JupyterLab and
headless Chromium, Play shows ≥ 50 steps per second at its top speed, with
≤ 2 kB on the kernel's websocket per step shown at every speed, and a new
path is drawn ≤ 250 ms after the end of a slider drag.  Racing four update
rules (issue 21): the same targets, and ≤ 20 kB sent per new path.  A drag of
40 moves meant to take 1 s takes ≤ 1.3× as long as with the explorer idle
(issue 21), for one run and for the race; ``--long-drag`` measures only that.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np

import gdlab
from gdlab.rules import Adam, GradientDescent, Momentum, Nesterov
from gdlab.widgets import DescentExplorer


def _median_ms(action, repeats):
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def setting_change_ms(explorer, repeats):
    """Median kernel time of a learning-rate change: new path, still, moving layer, status."""
    reference = explorer.learning_rate.value
    explorer.step.value = min(30, explorer.step.max)
    factors = [0.5, 0.6, 0.7, 0.8]

    def change(i):
        before = explorer.player.scene["version"]
        explorer.learning_rate.value = reference * factors[i % len(factors)]
        assert explorer.player.scene["version"] == before + 1

    return _median_ms(change, repeats)


def new_path_kb(explorer) -> float:
    """Kilobytes a new path sends the browser, median over four η changes.

    The still of the unchanging parts and the sprites go once per figure (a
    view or style), not per path: ipywidgets sends only traits that changed.
    """
    reference = explorer.learning_rate.value
    sizes = []
    for factor in (0.9, 0.8, 0.7, 0.6):

        def change(factor=factor):
            explorer.learning_rate.value = explorer._on_grid(reference * factor)

        sizes.append(sent_kb(explorer, change))
    explorer.learning_rate.value = reference
    return statistics.median(sizes)


def sent_kb(explorer, change) -> float:
    """Kilobytes of the picture's traits that ``change()`` alters (what ipywidgets sends)."""
    player = explorer.player
    names = [name for name in player.trait_names(sync=True) if not name.startswith("_")]
    before = {name: getattr(player, name) for name in names}
    change()
    total = 0
    for name in names:
        value = getattr(player, name)
        if value is before[name] or value == before[name]:
            continue
        total += len(value) if isinstance(value, bytes) else len(json.dumps(value))
    return total / 1000


def race_part(repeats):
    """Four rules raced on one map: kernel time and bytes per setting change."""
    obs = gdlab.make_observations(n=50, seed=0)
    rules = [GradientDescent(), Momentum(0.9), Nesterov(0.9), Adam()]
    print("\nDescentExplorer racing four rules, kernel side (n = 50, 800 steps)")
    explorer = DescentExplorer(obs.x, obs.y, rules=rules)
    ms = setting_change_ms(explorer, repeats)
    kb = new_path_kb(explorer)
    print(
        f"  setting change                  {ms:7.1f} ms   target ≤ 80 ms: {_verdict(ms <= 80)}"
    )
    print(
        f"  sent per new path (η changed)   {kb:7.1f} kB   target ≤ 20 kB: {_verdict(kb <= 20)}"
    )
    explorer.close()


def loss_surface_ms(n, size, repeats):
    """``gdlab.loss_surface`` against residuals for every grid point, n observations."""
    obs = gdlab.make_observations(n=n, seed=0)
    window = gdlab.LinearMSE(obs.x, obs.y).window()
    m_values = np.linspace(*window[0], size)
    b_values = np.linspace(*window[1], size)
    fast = None

    def library(i):
        nonlocal fast
        fast = gdlab.loss_surface(obs.x, obs.y, m_values, b_values)

    def direct():
        # Residuals y_i - (m x_i + b) for every (m, b) by broadcasting, a block
        # of slopes at a time in one reused buffer: the whole (size, size, n)
        # array would need size²·n·8 bytes (32 GB at n = 100 000).
        values = np.empty((size, size))
        block = 20
        buffer = np.empty((block, n))
        for j, b in enumerate(b_values):
            for i in range(0, size, block):
                slopes = m_values[i : i + block, None]
                out = buffer[: len(slopes)]
                np.multiply(slopes, obs.x[None, :], out=out)
                out += b
                np.subtract(obs.y[None, :], out, out=out)
                np.square(out, out=out)
                values[j, i : i + block] = out.mean(axis=1)
        return values

    library_ms = _median_ms(library, repeats)
    start = time.perf_counter()
    slow = direct()
    direct_ms = 1000.0 * (time.perf_counter() - start)
    error = float(np.max(np.abs(fast - slow) / np.maximum(np.abs(slow), 1e-12)))
    return library_ms, direct_ms, error


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def kernel_part(repeats):
    obs = gdlab.make_observations(n=50, seed=0)
    print("\nDescentExplorer, kernel side (n = 50, 800 steps, median ms)")
    for view in ("contour", "3d"):
        for classroom in (False, True):
            explorer = DescentExplorer(obs.x, obs.y, view=view, classroom=classroom)
            ms = setting_change_ms(explorer, repeats)
            name = f"{view}{', classroom' if classroom else ''}"
            kb = new_path_kb(explorer)
            print(
                f"  setting change, {name:<19} {ms:7.1f} ms   target ≤ 80 ms: "
                f"{_verdict(ms <= 80)}   ({kb:.1f} kB per new path, "
                f"target ≤ 20 kB: {_verdict(kb <= 20)})"
            )
            explorer.close()


def long_drag_line(results):
    """The 40-move drag, answered by the kernel against the same explorer idle (medians)."""
    drag = results["long_drag"]
    ratio = drag["busy_s"] / drag["idle_s"]
    print(
        f"  40-move drag (meant to take 1 s)  {drag['busy_s']:5.2f} s, explorer idle "
        f"{drag['idle_s']:5.2f} s: {ratio:4.2f}×   target ≤ 1.3×: {_verdict(ratio <= 1.3)}"
        f"   ({drag['busy_paths']:.0f} new paths drawn per drag, "
        f"{drag['idle_paths']:.0f} idle)"
    )


def browser_part(quick, only_long_drag=False):
    import browser  # bench/browser.py, beside this file

    print("\nPlay in JupyterLab + headless Chromium (lesson 05's explorer, 2000 steps)")
    results = browser.measure(quick=quick, only_long_drag=only_long_drag)
    if results is None:
        return
    if only_long_drag:
        long_drag_line(results)
        return
    for speed, (rate, per_step) in results["speeds"].items():
        goal = f"≥ 50 steps/s: {_verdict(rate >= 50)}" if speed == "fastest" else ""
        print(
            f"  {speed:<8} {rate:6.1f} steps shown/s  {per_step / 1000:5.2f} kB per shown step"
            f" (≤ 2 kB: {_verdict(per_step <= 2000)})  {goal}"
        )
    drag = results["drag_ms"]
    print(
        f"  end of a slider drag → new path drawn  {drag:6.0f} ms   target ≤ 250 ms: "
        f"{_verdict(drag <= 250)}   ({results['drag_scenes']:.0f} paths drawn per drag)"
    )
    long_drag_line(results)


def race_browser_part(quick, only_long_drag=False):
    import browser  # bench/browser.py, beside this file

    print("\nA race of four rules in JupyterLab + headless Chromium (2000 steps)")
    results = browser.measure(
        quick=quick,
        setup=browser.RACE_SETUP,
        speeds=("medium", "fastest"),
        only_long_drag=only_long_drag,
    )
    if results is None:
        return
    if only_long_drag:
        long_drag_line(results)
        return
    for speed, (rate, per_step) in results["speeds"].items():
        goal = f"≥ 50 steps/s: {_verdict(rate >= 50)}" if speed == "fastest" else ""
        print(
            f"  {speed:<8} {rate:6.1f} steps shown/s  {per_step / 1000:5.2f} kB per shown step"
            f" (≤ 2 kB: {_verdict(per_step <= 2000)})  {goal}"
        )
    drag, kb = results["drag_ms"], results["drag_kb_per_path"]
    print(
        f"  end of a slider drag → new paths drawn  {drag:6.0f} ms   target ≤ 250 ms: "
        f"{_verdict(drag <= 250)}   ({results['drag_scenes']:.0f} paths drawn per drag)"
    )
    print(
        f"  on the wire per new path while dragging  {kb:5.1f} kB   target ≤ 20 kB: "
        f"{_verdict(kb <= 20)}"
    )
    long_drag_line(results)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-browser", action="store_true", help="kernel side only")
    parser.add_argument(
        "--long-drag",
        action="store_true",
        help="only the 40-move drag in the browser (one run, then the race)",
    )
    args = parser.parse_args(argv)
    repeats = 10 if args.quick else 40

    print(
        f"gdlab bench · {os.cpu_count()} cores · load average {os.getloadavg()[0]:.2f} "
        f"(shared machines make every number noisier)"
    )
    if args.long_drag:
        browser_part(args.quick, only_long_drag=True)
        race_browser_part(args.quick, only_long_drag=True)
        return
    kernel_part(repeats)
    race_part(repeats)
    if not args.no_browser:
        browser_part(args.quick)
        race_browser_part(args.quick)

    n, size = (20_000, 100) if args.quick else (100_000, 200)
    library_ms, direct_ms, error = loss_surface_ms(n, size, 5 if args.quick else 11)
    print(f"\nloss_surface, n = {n:,}, {size}×{size} grid")
    print(f"  gdlab.loss_surface             {library_ms:8.1f} ms")
    print(f"  residuals at every grid point  {direct_ms:8.1f} ms")
    print(
        f"  speed-up {direct_ms / library_ms:.0f}×, largest relative difference {error:.1e}"
    )


if __name__ == "__main__":
    main()
