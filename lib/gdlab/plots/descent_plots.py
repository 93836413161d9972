"""Drawing gradient-descent runs: steps, step lengths, rates, epochs (lessons 05, 06, 09)."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.ticker import FuncFormatter, NullFormatter

from .._validate import as_positive_number
from ..paths import step_lengths
from .contour_plots import dark_outline
from .style import COLORS

__all__ = [
    "plot_steps",
    "plot_step_lengths",
    "plot_parabola_descent",
    "plot_steps_vs_learning_rate",
    "plot_loss_per_epoch",
]


def _as_path(params, name: str = "params") -> np.ndarray:
    path = np.asarray(params, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] < 1:
        raise ValueError(
            f"{name} must have shape (steps + 1, 2), one (m, b) per row; got {path.shape}"
        )
    if not np.isfinite(path).all():
        raise ValueError(f"{name} must contain only finite numbers")
    return path


def plot_steps(ax, params, *, head_size: float = 16.0, linewidth: float = 2.2):
    """Draw each step of a descent path as an arrow; returns ``(arrows, start_marker)``.

    ``params`` is the path, of shape (steps + 1, 2): row k is θ_k = (m, b).
    Each arrow runs exactly from θ_k to θ_(k+1) in data coordinates, with a
    head of ``head_size`` points, so short steps near the end stay visible;
    ``linewidth`` is the shaft's, in points.  The start is a hollow circle.
    ``arrows`` holds one ``FancyArrowPatch`` per step; the first carries the
    legend label.  Introduced in lesson 05.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> arrows, start = plot_steps(ax, [[0.0, 0.0], [1.0, 0.5], [1.5, 0.75]])
    >>> len(arrows), start.get_offsets().tolist()
    (2, [[0.0, 0.0]])
    """
    path = _as_path(params)
    arrows = []
    for k in range(path.shape[0] - 1):
        arrow = FancyArrowPatch(
            tuple(path[k]),
            tuple(path[k + 1]),
            arrowstyle="-|>",
            mutation_scale=head_size,
            color=COLORS["path"],
            linewidth=linewidth,
            shrinkA=0.0,
            shrinkB=0.0,
            zorder=7,
            path_effects=dark_outline(linewidth),
            label=r"steps $\theta_k \to \theta_{k+1}$" if k == 0 else None,
        )
        arrows.append(ax.add_patch(arrow))
    start = ax.scatter(
        *path[:1].T,
        s=110,
        facecolor="white",
        edgecolor=COLORS["path"],
        linewidth=2.5,
        zorder=8,
        label=r"start $\theta_0$",
    )
    return arrows, start


def plot_step_lengths(ax, params, gradients, learning_rate):
    """Step length ``‖θ_(k+1) − θ_k‖`` beside gradient size ``‖∇L(θ_k)‖``, per step.

    For plain gradient descent the step is η·∇L, so on a log scale (used
    when every value is positive) the two curves are parallel, a factor η
    apart: the steps shrink exactly as fast as the gradient does.
    ``params`` and ``gradients`` have shape (steps + 1, 2), e.g.
    ``run.params`` and ``run.gradients``; ``learning_rate`` is named in the
    legend.  Returns ``(gradient_line, step_line)``.  Introduced in lesson 05.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> run = gdlab.gradient_descent([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], (0.0, 0.0), 0.1, 5)
    >>> ax = Figure().subplots()
    >>> gradient_line, step_line = plot_step_lengths(ax, run.params, run.gradients, 0.1)
    >>> len(step_line.get_xdata()), ax.get_yscale()
    (5, 'log')
    """
    path = _as_path(params)
    grads = _as_path(gradients, "gradients")
    if grads.shape != path.shape:
        raise ValueError(
            f"gradients must have the shape of params, {path.shape}; got {grads.shape}"
        )
    if path.shape[0] < 2:
        raise ValueError(
            "params must hold at least one step (two rows) to have a step length"
        )
    lengths = step_lengths(path)
    sizes = np.linalg.norm(grads[:-1], axis=1)
    k = np.arange(lengths.size)
    (gradient_line,) = ax.plot(
        k,
        sizes,
        color=COLORS["gradient"],
        marker="s",
        markersize=5,
        label=r"gradient size $\Vert\nabla L(\theta_k)\Vert$",
    )
    (step_line,) = ax.plot(
        k,
        lengths,
        color=COLORS["line"],
        marker="o",
        markersize=5,
        label=rf"step length $\Vert\theta_{{k+1}} - \theta_k\Vert$ ($\eta$ = {learning_rate:g})",
    )
    ax.set(xlabel="step k", ylabel="size")
    if np.all(lengths > 0) and np.all(sizes > 0):
        ax.set_yscale("log")
    return gradient_line, step_line


def plot_parabola_descent(ax, surface, run, *, label="path of θ", **kwargs):
    """A 1-D descent drawn on its curve L(θ): the curve, the visited points, the jumps.

    ``surface`` has one parameter (e.g. ``gdlab.Parabola``) and ``run`` is
    from ``gdlab.descend(surface, ...)``.  Returns the ``Line2D`` artists
    ``(curve, path)``.  Introduced in lesson 06.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import Parabola, descend
    >>> ax = Figure().subplots()
    >>> run = descend(Parabola(1.0), [1.5], learning_rate=0.5, steps=3)
    >>> curve, path = plot_parabola_descent(ax, Parabola(1.0), run)
    >>> path.get_xdata().tolist()
    [1.5, 0.75, 0.375, 0.1875]
    """
    thetas = np.asarray(run.params, dtype=float)[:, 0]
    reach = max(float(np.max(np.abs(thetas))), 1e-12) * 1.15
    grid = np.linspace(-reach, reach, 300)
    curve_values = np.asarray(surface.loss(grid[:, None]), dtype=float)
    (curve,) = ax.plot(grid, curve_values, color=COLORS["data"], label="L(θ)")
    options = {
        "color": COLORS["path"],
        "marker": "o",
        "markersize": 5,
        "linewidth": 1.4,
        "zorder": 4,
        "label": label,
        **kwargs,
    }
    (path,) = ax.plot(thetas, np.asarray(run.losses, dtype=float), **options)
    start = {"color": COLORS["current"], "s": 70, "zorder": 5, "label": "start"}
    ax.scatter([thetas[0]], [run.losses[0]], **start)
    ax.set(xlabel="θ", ylabel="loss L(θ)")
    return curve, path


def plot_steps_vs_learning_rate(ax, sweep, bound=None):
    """Steps to converge against η from a ``gdlab.learning_rate_sweep``; returns a dict of artists.

    Converged runs are a line; runs that diverged are crosses and runs that
    ran out of steps are open circles.  Those have no step count, so they
    sit in a grey band along the top, above every count drawn (placed in
    axes units, not at any number of steps).  ``bound``, the critical
    learning rate ``2/λ_max``, is drawn as a dashed vertical line.
    Introduced in lesson 06.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import Parabola, learning_rate_sweep
    >>> sweep = learning_rate_sweep(Parabola(1.0), [0.5, 1.0, 2.5], [1.0], max_steps=100)
    >>> ax = Figure().subplots()
    >>> sorted(plot_steps_vs_learning_rate(ax, sweep, bound=2.0))
    ['bound', 'converged', 'diverged', 'no count']
    """
    rates = np.asarray(sweep.learning_rates, dtype=float)
    steps = np.asarray(sweep.steps, dtype=float)
    statuses = np.asarray(sweep.statuses)
    artists = {}
    ax.set(xscale="log", yscale="log")
    ok = statuses == "converged"
    if ok.any():
        look = {"color": COLORS["line"], "marker": "o", "markersize": 4}
        (artists["converged"],) = ax.plot(
            rates[ok], steps[ok], **look, label="steps to converge"
        )
    if not ok.all():
        artists["no count"] = _no_count_band(ax, steps[ok])
    # x in data units, y in axes units: inside the band, not at a step count.
    band = {"transform": ax.get_xaxis_transform(), "zorder": 5, "s": 40}
    for status, look in _NO_COUNT_LOOKS.items():
        where = statuses == status
        if where.any():
            y = np.full(where.sum(), 0.95)
            artists[status] = ax.scatter(rates[where], y, **look, **band)
    if bound is not None:
        bound = as_positive_number(bound, "bound")
        look = {"color": COLORS["minimum"], "linestyle": "--", "linewidth": 2}
        artists["bound"] = ax.axvline(
            bound, **look, label=f"bound 2/λ_max = {bound:.3g}"
        )
    ax.set(xlabel="learning rate η", ylabel="steps to converge")
    return artists


# Runs without a step count, in the band: open circles and crosses.
_NO_COUNT_LOOKS = {
    "max_steps": {
        "marker": "o",
        "facecolors": "none",
        "edgecolors": COLORS["data"],
        "label": "ran out of steps",
    },
    "diverged": {"marker": "x", "color": COLORS["gradient"], "label": "diverged"},
}


def _no_count_band(ax, counts):
    """A grey band over the top tenth of ``ax``, above the highest of ``counts`` (log y)."""
    counts = counts[np.isfinite(counts) & (counts > 0)]
    low, high = (counts.min() / 1.3, counts.max() * 1.3) if counts.size else (1.0, 10.0)
    # On a log axis, put ``high`` at 85 % of the height, below the band.
    top = low * (high / low) ** (1 / 0.85)
    ax.set_ylim(low, top)
    # No step counts are written beside the band: nothing in it is a count.
    cutoff = low * (top / low) ** 0.85  # and no label half inside it
    counts_only = ax.yaxis.get_major_formatter()
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, pos: "" if v >= cutoff else counts_only(v, pos))
    )
    ax.yaxis.set_minor_formatter(NullFormatter())
    look = {"facecolor": "0.9", "edgecolor": "none", "label": "no step count"}
    band = Rectangle((0.0, 0.9), 1.0, 0.1, transform=ax.transAxes, zorder=0, **look)
    return ax.add_patch(band)


def plot_loss_per_epoch(ax, run, **kwargs):
    """The loss on all the data against epochs (passes over the data), log scale; returns the ``Line2D``.

    Every update of ``run`` (from ``gdlab.minibatch_descent``) is drawn at
    its fractional epoch, so runs with different batch sizes share one
    axis.  Introduced in lesson 09.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import minibatch_descent
    >>> run = minibatch_descent([[0.0, 1.0], [1.0, 1.0]], [1.0, 3.0], [0.0, 0.0], 0.1, 1, 2)
    >>> ax = Figure().subplots()
    >>> line = plot_loss_per_epoch(ax, run)
    >>> line.get_xdata().tolist(), line.get_label()
    ([0.0, 0.5, 1.0, 1.5, 2.0], 'batch size 1')
    """
    options = {"label": f"batch size {run.batch_size}", "linewidth": 1.6, **kwargs}
    (line,) = ax.plot(run.epochs, run.losses, **options)
    if np.all(np.asarray(run.losses) > 0):
        ax.set_yscale("log")
    ax.set(xlabel="epoch (passes over the data)", ylabel="loss L on all the data")
    return line
