"""Figures for yes/no data and the logistic model (lesson 11)."""

from __future__ import annotations

import numpy as np

from .._validate import as_data_vector, as_finite_number, as_paired_vectors
from ..logistic import sigmoid
from .style import COLORS

__all__ = ["plot_classes", "plot_sigmoid", "plot_weight_growth"]


def plot_classes(ax, x, y, *, x_label="x", stack: float = 0.035, **kwargs):
    """Yes/no observations at heights 1 and 0; returns ``(yes_points, no_points)``.

    Observations with the same x and label would hide one another, so the
    second, third… are drawn ``stack`` further from the line y = 0 or 1
    (inwards), each still at its own x.  Introduced in lesson 11.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> yes, no = plot_classes(ax, [1.0, 2.0, 2.0, 3.0], [0, 1, 1, 1])
    >>> yes.get_offsets()[:, 1].round(3).tolist(), no.get_offsets()[:, 1].tolist()
    ([1.0, 0.965, 1.0], [0.0])
    """
    inputs, labels = as_paired_vectors(x, y)
    made = []
    for value, colour, name in (
        (1.0, COLORS["line"], "yes (y = 1)"),
        (0.0, COLORS["data"], "no (y = 0)"),
    ):
        chosen = np.sort(inputs[labels == value])
        _, first, counts = np.unique(chosen, return_index=True, return_counts=True)
        rank = np.arange(chosen.size) - np.repeat(first, counts)
        height = value + (-1 if value else 1) * stack * rank
        options = {"color": colour, "s": 36, "zorder": 4, "label": name, **kwargs}
        made.append(ax.scatter(chosen, height, **options))
    ax.set(xlabel=x_label, ylabel="y, and the probability p", yticks=[0.0, 0.5, 1.0])
    return tuple(made)


def plot_sigmoid(ax, w: float, b: float, x_limits=None, *, label=None, **kwargs):
    """The curve p = σ(w·x + b) across ``x_limits`` (default: the axes' x range); returns the ``Line2D``.

    Introduced in lesson 11.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> curve = plot_sigmoid(ax, 2.0, 0.0, (-1.0, 1.0))
    >>> float(curve.get_ydata()[100])          # the middle of 201 points: x = 0, p = ½
    0.5
    """
    w = as_finite_number(w, "w")
    b = as_finite_number(b, "b")
    low, high = ax.get_xlim() if x_limits is None else x_limits
    grid = np.linspace(low, high, 201)
    options = {"color": COLORS["minimum"], "linewidth": 2.2, "zorder": 3, **kwargs}
    if label is None:
        label = f"p = σ({w:.3g}·x + {b:.3g})".replace("+ -", "− ")
    (curve,) = ax.plot(grid, sigmoid(w * grid + b), label=label, **options)
    return curve


def plot_weight_growth(ax, params, losses, *, predicted_slope=None):
    """‖θ‖ and the loss against the step, on a log step axis; returns the artists.

    On separable data gradient descent on the cross-entropy has no minimum to
    reach: ‖θ‖ keeps growing, about equally per tenfold of steps (a straight
    line on this axis), and the loss falls towards 0 (right axis, log scale).
    ``predicted_slope``, if given, draws a dashed line of that slope per unit
    of ln t through the last point, over the last two tenfolds of steps.
    Introduced in lesson 11.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> made = plot_weight_growth(ax, [[0, 0], [1, 0], [1.5, 0.1]], [0.7, 0.3, 0.2])
    >>> [artist.get_label() for artist in made]
    ['‖θ‖ = ‖(w, b)‖ (left axis)', 'loss L (right axis, log scale)']
    """
    path = np.asarray(params, dtype=float)
    loss = as_data_vector(losses, "losses")
    steps = np.arange(1, len(path))
    size = np.linalg.norm(path[1:], axis=1)
    norm_label = "‖θ‖ = ‖(w, b)‖ (left axis)"
    made = ax.plot(steps, size, color=COLORS["path"], linewidth=2.4, label=norm_label)
    if predicted_slope is not None:
        offset = size[-1] - predicted_slope * np.log(steps[-1])
        # Over the last two tenfolds only: the prediction is for large t.
        late = steps[steps >= steps[-1] / 100]
        made += ax.plot(
            late,
            offset + predicted_slope * np.log(late),
            color=COLORS["gradient"],
            linestyle="--",
            linewidth=1.2,
            label=f"slope {predicted_slope:.2f} per unit of ln t",
        )
    ax.set(xscale="log", xlabel="step t (log scale)", ylabel="‖θ‖")
    right = ax.twinx()
    made += right.plot(
        steps,
        loss[1:],
        color=COLORS["data"],
        linewidth=2.0,
        label="loss L (right axis, log scale)",
    )
    right.set(yscale="log", ylabel="loss L")
    return made
