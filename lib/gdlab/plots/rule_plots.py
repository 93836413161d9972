"""Figures that compare update rules: paths on one map, the gap per step, a phase diagram.

Introduced in lesson 10 (momentum and Adam).  Each function takes ``ax``
first and returns the artists it made.
"""

from __future__ import annotations

import numpy as np

from ..rules import rule_name
from .contour_plots import plot_path
from .race_frame import RACE_COLORS
from .style import COLORS

__all__ = ["plot_gap_per_step", "plot_phase_diagram", "plot_rule_paths"]


def _label(run, label):
    return label if label is not None else rule_name(run.rule)


def plot_rule_paths(ax, runs, *, labels=None, markersize=3, **kwargs):
    """Each run's path on ``ax`` (a map of the surface), one colour per rule.

    The colours are the race explorer's, in order (:data:`RACE_COLORS`).
    Introduced in lesson 10.

    Parameters
    ----------
    runs : sequence of DescentRun
        Two-parameter runs, e.g. from ``gdlab.descend(..., rule=...)``.
    labels : sequence of str, optional
        Legend entries; by default each run's rule name.

    Returns
    -------
    list of Line2D

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import gdlab
    >>> bowl = gdlab.LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    >>> runs = [gdlab.descend(bowl, (0, 0), 0.1, 20, rule=r) for r in (gdlab.GradientDescent(), gdlab.Adam())]
    >>> fig, ax = plt.subplots()
    >>> [line.get_label() for line in plot_rule_paths(ax, runs)]
    ['gradient descent', 'Adam']
    >>> plt.close(fig)
    """
    runs = list(runs)
    labels = [None] * len(runs) if labels is None else list(labels)
    if len(labels) != len(runs):
        raise ValueError(
            f"labels must have one entry per run; got {len(labels)} for {len(runs)}"
        )
    lines = []
    for k, (run, label) in enumerate(zip(runs, labels)):
        options = {"color": RACE_COLORS[k % len(RACE_COLORS)], "markersize": markersize}
        options.update(kwargs)
        lines.append(plot_path(ax, run.params, label=_label(run, label), **options))
    return lines


def plot_gap_per_step(ax, runs, *, labels=None, **kwargs):
    """The loss still to lose, L − L*, against the step, log scale, one line per run.

    The colours match :func:`plot_rule_paths` for the same runs.  Steps
    where the gap is 0 (exact to the last bit) cannot go on a log scale and
    are left out.  Introduced in lesson 10.

    Returns
    -------
    list of Line2D

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import gdlab
    >>> run = gdlab.descend(gdlab.Parabola(1.0), [1.0], 0.5, steps=5)
    >>> fig, ax = plt.subplots()
    >>> (line,) = plot_gap_per_step(ax, [run])
    >>> line.get_xdata().tolist(), ax.get_yscale()
    ([0, 1, 2, 3, 4, 5], 'log')
    >>> plt.close(fig)
    """
    runs = list(runs)
    labels = [None] * len(runs) if labels is None else list(labels)
    lines = []
    for k, (run, label) in enumerate(zip(runs, labels)):
        gaps = np.asarray(run.gaps, dtype=float)
        keep = gaps > 0
        options = {"color": RACE_COLORS[k % len(RACE_COLORS)], "linewidth": 2.0}
        options.update(kwargs)
        (line,) = ax.plot(
            np.flatnonzero(keep), gaps[keep], label=_label(run, label), **options
        )
        lines.append(line)
    ax.set_yscale("log")
    ax.set_xlabel("step k")
    ax.set_ylabel("L − L*, loss still to lose")
    return lines


def _edges(centres, log: bool) -> np.ndarray:
    """Cell edges around sorted centres: midpoints (geometric on a log axis)."""
    c = np.log(centres) if log else np.asarray(centres, dtype=float)
    if c.size == 1:
        inner, half = c, np.array([0.5])
    else:
        inner, half = (c[:-1] + c[1:]) / 2, np.diff(c)[[0, -1]] / 2
    edges = np.concatenate(
        [[c[0] - half[0]], inner if c.size > 1 else [], [c[-1] + half[-1]]]
    )
    return np.exp(edges) if log else edges


def plot_phase_diagram(
    ax, learning_rates, betas, sweeps, *, boundary=None, boundary_label=None
):
    """Steps to converge over a grid of (η, β): one sweep of η per β.

    Cells that converged are coloured by their step count (log colour
    scale); cells that diverged are dark grey, cells that ran out of steps
    light grey.  ``boundary(β) -> η``, if given, is drawn as a line over the
    measured range of β (e.g. momentum's bound 2(1 + β)/λ_max), from the
    formula, not from the cells.

    Parameters
    ----------
    learning_rates : array_like of shape (k,)
        Increasing; drawn on a log axis.
    betas : array_like of shape (j,)
        Increasing.
    sweeps : sequence of j LearningRateSweep
        ``sweeps[i]`` ran ``learning_rates`` with ``betas[i]``.

    Returns
    -------
    dict of str to artist: ``"steps"`` (the ``QuadMesh``, for
    :func:`gdlab.plots.add_colorbar`), ``"diverged"``, ``"ran out"`` and
    ``"boundary"`` when drawn.  Introduced in lesson 10.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import gdlab
    >>> rates, betas = np.array([0.5, 1.5, 3.5]), np.array([0.0, 0.5])
    >>> sweeps = [gdlab.learning_rate_sweep(gdlab.Parabola(1.0), rates, [1.0],
    ...           rule=gdlab.Momentum(b)) for b in betas]
    >>> fig, ax = plt.subplots()
    >>> sorted(plot_phase_diagram(ax, rates, betas, sweeps, boundary=lambda b: 2 * (1 + b)))
    ['boundary', 'diverged', 'steps']
    >>> plt.close(fig)
    """
    from matplotlib.colors import ListedColormap, LogNorm
    from matplotlib.patches import Rectangle

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
        artists["boundary"] = ax.plot(
            [boundary(b) for b in fine],
            fine,
            color=COLORS["line"],
            linewidth=2.5,
            linestyle="--",
            label=boundary_label or "stability bound",
        )[0]
    ax.set_xscale("log")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    ax.set_xlabel("learning rate η")
    ax.set_ylabel("momentum β")
    ax.grid(False)  # grid lines would cross the cells
    return artists
