"""Drawing gradient-descent steps: arrows on the loss map, and step lengths.

Introduced in lesson 05 (the update rule): each update θ_k → θ_(k+1) is drawn
as an arrow on the contour map, and the length of each step is set beside
the size of the gradient it came from, to show that a step is η·‖∇L‖ long.
"""

from __future__ import annotations

import numpy as np

from .basic import dark_outline
from .style import COLORS

__all__ = ["plot_steps", "plot_step_lengths", "step_lengths"]


def _as_path(params, name: str = "params") -> np.ndarray:
    path = np.asarray(params, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] < 1:
        raise ValueError(
            f"{name} must have shape (steps + 1, 2), one (m, b) per row; got {path.shape}"
        )
    if not np.isfinite(path).all():
        raise ValueError(f"{name} must contain only finite numbers")
    return path


def step_lengths(params) -> np.ndarray:
    """The length of each step, ``‖θ_(k+1) − θ_k‖``, for a path of parameters.

    Parameters
    ----------
    params : array_like of shape (steps + 1, p)
        The path, e.g. ``run.params`` of a :class:`gdlab.DescentRun`.

    Returns
    -------
    numpy.ndarray of shape (steps,)

    Examples
    --------
    >>> step_lengths([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]]).tolist()
    [5.0, 1.0]
    """
    path = np.asarray(params, dtype=float)
    if path.ndim != 2 or path.shape[0] < 1:
        raise ValueError(f"params must have shape (steps + 1, p); got {path.shape}")
    return np.linalg.norm(np.diff(path, axis=0), axis=1)


def plot_steps(
    ax,
    params,
    *,
    color=None,
    label=r"steps $\theta_k \to \theta_{k+1}$",
    start_label=r"start $\theta_0$",
    head_size: float = 16.0,
    linewidth: float = 2.2,
):
    """Draw each step of a descent path as an arrow; returns ``(arrows, start_marker)``.

    Each arrow runs exactly from θ_k to θ_(k+1) in data coordinates, with a
    head of fixed size in points, so short steps near the end stay visible.
    The start is a hollow circle.  ``arrows`` is a list of
    ``matplotlib.patches.FancyArrowPatch``, one per step; the first carries
    the legend label.

    Parameters
    ----------
    ax : matplotlib Axes
    params : array_like of shape (steps + 1, 2)
        The path: row k is θ_k = (m, b) after k steps.
    color : str, optional
        Arrow colour; default gdlab's path colour.
    label, start_label : str
        Legend labels for the arrows and the start.
    head_size : float
        Arrow-head size in points.
    linewidth : float
        Shaft width in points.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> arrows, start = plot_steps(ax, [[0.0, 0.0], [1.0, 0.5], [1.5, 0.75]])
    >>> len(arrows), start.get_offsets().tolist()
    (2, [[0.0, 0.0]])
    >>> plt.close(fig)
    """
    from matplotlib.patches import FancyArrowPatch

    path = _as_path(params)
    color = COLORS["path"] if color is None else color
    arrows = []
    for k in range(path.shape[0] - 1):
        arrow = FancyArrowPatch(
            tuple(path[k]),
            tuple(path[k + 1]),
            arrowstyle="-|>",
            mutation_scale=head_size,
            color=color,
            linewidth=linewidth,
            shrinkA=0.0,
            shrinkB=0.0,
            zorder=7,
            path_effects=dark_outline(linewidth),
            label=label if k == 0 else None,
        )
        ax.add_patch(arrow)
        arrows.append(arrow)
    start = ax.scatter(
        path[:1, 0],
        path[:1, 1],
        s=110,
        facecolor="white",
        edgecolor=color,
        linewidth=2.5,
        zorder=8,
        label=start_label,
    )
    return arrows, start


def plot_step_lengths(ax, params, gradients, learning_rate, *, log_scale: bool = True):
    """Step length ``‖θ_(k+1) − θ_k‖`` beside gradient size ``‖∇L(θ_k)‖``, per step.

    For plain gradient descent the step is η·∇L, so on a log scale the two
    curves are parallel, a factor η apart: the steps shrink exactly as fast
    as the gradient does.  Returns ``(gradient_line, step_line)``.

    Parameters
    ----------
    ax : matplotlib Axes
    params : array_like of shape (steps + 1, 2)
        The path, e.g. ``run.params``.
    gradients : array_like of shape (steps + 1, 2)
        The gradient at each row of ``params``, e.g. ``run.gradients``.
    learning_rate : float
        η, named in the legend.
    log_scale : bool
        Log scale on the y axis (when every value is positive).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import gdlab
    >>> run = gdlab.gradient_descent([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], (0.0, 0.0), 0.1, 5)
    >>> fig, ax = plt.subplots()
    >>> gradient_line, step_line = plot_step_lengths(ax, run.params, run.gradients, 0.1)
    >>> len(step_line.get_xdata()), ax.get_yscale()
    (5, 'log')
    >>> plt.close(fig)
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
    ax.set_xlabel("step k")
    ax.set_ylabel("size")
    if log_scale and np.all(lengths > 0) and np.all(sizes > 0):
        ax.set_yscale("log")
    return gradient_line, step_line
