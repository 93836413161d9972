"""`make bench`: time the descent explorer and the loss surface, print the ratios.

Run with ``python bench/run.py`` (``--quick`` for fewer repetitions).  All
numbers are medians of wall-clock times on this machine, in one run, so the
ratios compare like with like.  Targets (issue 3): a Play tick ≤ 20 ms
(contour view) and ≤ 50 ms (3D view), a new path ≤ 80 ms, and a tick ≥ 20×
faster than rebuilding the same figure from scratch and saving it as PNG.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time

import numpy as np
from matplotlib.figure import Figure

import gdlab
from gdlab.plots import ExplorerFrame, style
from gdlab.widgets import DescentExplorer


def _median_ms(action, repeats):
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def play_tick_ms(explorer, repeats):
    """Median time from setting ``step.value`` to new PNG bytes in ``image.value``."""
    last = explorer.step.max
    explorer.step.value = 0

    def tick(i):
        before = explorer.image.value
        explorer.step.value = 1 + i % last
        assert explorer.image.value is not before

    return _median_ms(tick, repeats)


def new_path_ms(explorer, repeats):
    """Median time of a learning-rate change: new path, new background, new frame."""
    reference = explorer.learning_rate.value
    explorer.step.value = min(30, explorer.step.max)
    factors = [0.5, 0.6, 0.7, 0.8]

    def change(i):
        explorer.learning_rate.value = reference * factors[i % len(factors)]

    return _median_ms(change, repeats)


def rebuild_ms(surface, run, step, view, repeats):
    """Median time to build the same figure from scratch and save it as PNG."""

    def rebuild(i):
        with style():
            figure = Figure(figsize=(13.0, 4.6), dpi=100)
        frame = ExplorerFrame(figure, surface, view=view)
        frame.set_run(run)
        frame.show(step)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")

    return _median_ms(rebuild, repeats)


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    repeats = 30 if args.quick else 150
    slow_repeats = 5 if args.quick else 15

    print(
        f"gdlab bench · {os.cpu_count()} cores · load average {os.getloadavg()[0]:.2f} "
        f"(shared machines make every number noisier)"
    )
    obs = gdlab.make_observations(n=50, seed=0)
    contour = DescentExplorer(obs.x, obs.y)
    three_d = DescentExplorer(obs.x, obs.y, view="3d")

    tick = play_tick_ms(contour, repeats)
    tick_3d = play_tick_ms(three_d, max(repeats // 2, 10))
    path = new_path_ms(contour, max(repeats // 3, 10))
    step = min(30, contour.step.max)
    contour.step.value = step
    full = rebuild_ms(contour.surface, contour.run, step, "contour", slow_repeats)
    full_3d = rebuild_ms(three_d.surface, three_d.run, step, "3d", slow_repeats)

    def verdict(value, target):
        return "met" if value <= target else "NOT met"

    print("\nDescentExplorer (n = 50, 3 panels, median ms)")
    print(
        f"  Play tick, contour view        {tick:8.1f} ms   target ≤ 20 ms: {verdict(tick, 20)}"
    )
    print(
        f"  Play tick, 3D view             {tick_3d:8.1f} ms   target ≤ 50 ms: {verdict(tick_3d, 50)}"
    )
    print(
        f"  new path (learning rate)       {path:8.1f} ms   target ≤ 80 ms: {verdict(path, 80)}"
    )
    print(f"  rebuild + savefig, contour     {full:8.1f} ms")
    print(f"  rebuild + savefig, 3D          {full_3d:8.1f} ms")
    ratio, ratio_3d = full / tick, full_3d / tick_3d
    print(
        f"  speed-up, contour: {ratio:.1f}×   3D: {ratio_3d:.1f}×   "
        f"target ≥ 20×: {'met' if min(ratio, ratio_3d) >= 20 else 'NOT met'}"
    )

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
