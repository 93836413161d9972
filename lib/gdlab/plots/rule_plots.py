"""Figures that compare update rules (lesson 10): paths on one map, the gap per step, a phase diagram."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap, LogNorm
from matplotlib.patches import Rectangle

from ..rules import rule_name
from .contour_plots import plot_path
from .explorer_frame import RACE_COLORS
from .style import COLORS

__all__ = ["plot_gap_per_step", "plot_phase_diagram", "plot_rule_paths"]


def _in_colours(runs, labels):
    """Each run with its race colour and its label (by default its rule's name)."""
    runs = list(runs)
    labels = [None] * len(runs) if labels is None else list(labels)
    if len(labels) != len(runs):
        raise ValueError(
            f"labels must have one entry per run; got {len(labels)} for {len(runs)}"
        )
    for k, (run, label) in enumerate(zip(runs, labels)):
        name = rule_name(run.rule) if label is None else label
        yield run, RACE_COLORS[k % len(RACE_COLORS)], name


def plot_rule_paths(ax, runs, *, labels=None, markersize=3, **kwargs):
    """Each run's path on ``ax`` (a map of the surface), one colour per rule; returns the lines.

    ``runs`` are two-parameter runs, e.g. from ``gdlab.descend(..., rule=...)``,
    drawn in the race explorer's colours, in order (:data:`RACE_COLORS`).
    ``labels`` are the legend entries, by default each run's rule name.
    Introduced in lesson 10.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> bowl = gdlab.LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    >>> runs = [gdlab.descend(bowl, (0, 0), 0.1, 20, rule=r) for r in (gdlab.GradientDescent(), gdlab.Adam())]
    >>> ax = Figure().subplots()
    >>> [line.get_label() for line in plot_rule_paths(ax, runs)]
    ['gradient descent', 'Adam']
    """
    lines = []
    for run, colour, label in _in_colours(runs, labels):
        options = {"color": colour, "markersize": markersize, **kwargs}
        lines.append(plot_path(ax, run.params, label=label, **options))
    return lines


def plot_gap_per_step(ax, runs, *, labels=None, **kwargs):
    """The loss still to lose, L − L*, against the step, log scale; returns one line per run.

    The colours and labels match :func:`plot_rule_paths` for the same runs.
    Steps where the gap is 0 (exact to the last bit) cannot go on a log
    scale and are left out.  Introduced in lesson 10.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> run = gdlab.descend(gdlab.Parabola(1.0), [1.0], 0.5, steps=5)
    >>> ax = Figure().subplots()
    >>> (line,) = plot_gap_per_step(ax, [run])
    >>> line.get_xdata().tolist(), ax.get_yscale()
    ([0, 1, 2, 3, 4, 5], 'log')
    """
    lines = []
    for run, colour, label in _in_colours(runs, labels):
        gaps = np.asarray(run.gaps, dtype=float)
        keep = gaps > 0
        options = {"color": colour, "linewidth": 2.0, **kwargs}
        lines += ax.plot(np.flatnonzero(keep), gaps[keep], label=label, **options)
    ax.set(yscale="log", xlabel="step k", ylabel="L − L*, loss still to lose")
    return lines


def _edges(centres, log: bool) -> np.ndarray:
    """Cell edges around sorted centres: midpoints (geometric on a log axis)."""
    c = np.log(centres) if log else np.asarray(centres, dtype=float)
    half = np.diff(c)[[0, -1]] / 2 if c.size > 1 else np.array([0.5, 0.5])
    edges = np.concatenate([[c[0] - half[0]], (c[:-1] + c[1:]) / 2, [c[-1] + half[1]]])
    return np.exp(edges) if log else edges


def plot_phase_diagram(
    ax, learning_rates, betas, sweeps, *, boundary=None, boundary_label=None
):
    """Steps to converge over a grid of (η, β): one sweep of η per β; returns a dict of artists.

    ``sweeps[i]`` (a ``LearningRateSweep``) ran the increasing
    ``learning_rates`` (a log axis) with the ``i``-th of the increasing
    ``betas``.  Cells that converged are coloured by their step count (log
    colour scale, the ``"steps"`` mesh, for :func:`add_colorbar`); cells
    that ``"diverged"`` are dark grey, cells that ``"ran out"`` of steps
    light grey.  ``boundary(β) -> η``, if given, is drawn as a line over the
    measured range of β (e.g. momentum's bound 2(1 + β)/λ_max), from the
    formula, not from the cells.  Introduced in lesson 10.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> rates, betas = np.array([0.5, 1.5, 3.5]), np.array([0.0, 0.5])
    >>> sweeps = [gdlab.learning_rate_sweep(gdlab.Parabola(1.0), rates, [1.0],
    ...           rule=gdlab.Momentum(b)) for b in betas]
    >>> ax = Figure().subplots()
    >>> sorted(plot_phase_diagram(ax, rates, betas, sweeps, boundary=lambda b: 2 * (1 + b)))
    ['boundary', 'diverged', 'steps']
    """
    rates = np.asarray(learning_rates, dtype=float)
    betas = np.asarray(betas, dtype=float)
    if len(sweeps) != betas.size:
        raise ValueError(
            f"sweeps must have one sweep per β; got {len(sweeps)} for {betas.size}"
        )
    steps = np.array([s.steps for s in sweeps], dtype=float)
    status = np.array([s.statuses for s in sweeps])
    x, y = _edges(rates, log=True), _edges(betas, log=False)
    artists = {}
    counts = steps[np.isfinite(steps) & (steps > 0)]
    norm = LogNorm(max(counts.min(), 1.0), counts.max()) if counts.size else None
    artists["steps"] = ax.pcolormesh(
        x, y, np.ma.masked_invalid(steps), cmap="viridis_r", norm=norm
    )
    for outcome, colour, name in (
        ("diverged", "0.3", "diverged"),
        ("max_steps", "0.85", "ran out"),
    ):
        mask = np.where(status == outcome, 1.0, np.nan)
        if np.isfinite(mask).any():
            ax.pcolormesh(
                x, y, np.ma.masked_invalid(mask), cmap=ListedColormap([colour])
            )
            # A patch of no size carries the legend entry (a mesh cannot).
            key = Rectangle(
                (x[0], y[0]), 0, 0, facecolor=colour, edgecolor="none", label=name
            )
            artists[name] = ax.add_patch(key)
    if boundary is not None:
        fine = np.linspace(betas[0], betas[-1], 200)
        look = {"color": COLORS["line"], "linewidth": 2.5, "linestyle": "--"}
        label = boundary_label or "stability bound"
        (artists["boundary"],) = ax.plot(
            [boundary(b) for b in fine], fine, **look, label=label
        )
    ax.set(
        xscale="log",
        xlim=(x[0], x[-1]),
        ylim=(y[0], y[-1]),
        xlabel="learning rate η",
        ylabel="momentum β",
    )
    ax.grid(False)  # grid lines would cross the cells
    return artists
