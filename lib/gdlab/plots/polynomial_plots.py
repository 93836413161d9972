"""Drawing for lesson 07: a polynomial fit, and training against held-out loss."""

from __future__ import annotations

import numpy as np

from .._validate import as_data_vector, as_finite_number
from ..features import design_matrix, predict_features
from .style import COLORS

__all__ = ["plot_polynomial", "plot_train_test_loss"]


def plot_polynomial(ax, theta, x_limits, *, transform=None, label=None, **kwargs):
    """Draw ŷ = w_0 + w_1 u + w_2 u² + … across ``x_limits``; returns the ``Line2D``.

    ``theta`` holds the weights (w_0, w_1, …); ``transform`` maps x to the u
    they were fitted on (e.g. ``how.apply`` from ``gdlab.standardize``;
    default u = x).  Introduced in lesson 07.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> line = plot_polynomial(ax, [1.0, 0.0, 1.0], (-1.0, 1.0))
    >>> float(line.get_ydata().max())
    2.0
    """
    weights = as_data_vector(theta, "theta")
    low, high = (as_finite_number(v, "x_limits") for v in x_limits)
    grid = np.linspace(low, high, 300)
    inputs = grid if transform is None else transform(grid)
    values = predict_features(design_matrix(inputs, weights.size - 1), weights)
    options = {
        "color": COLORS["line"],
        "label": label or f"degree {weights.size - 1}",
        **kwargs,
    }
    (line,) = ax.plot(grid, values, **options)
    ax.set(xlabel="x", ylabel="y")
    return line


def plot_train_test_loss(ax, degrees, train, held_out=None):
    """Training and held-out MSE against polynomial degree (log scale); returns the two lines.

    Without ``held_out`` only the training line is drawn, and the second
    line returned is None.  Introduced in lesson 07.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> lines = plot_train_test_loss(ax, [1, 2, 3], [3.0, 1.0, 0.5], [3.5, 1.2, 2.0])
    >>> [line.get_label() for line in lines]
    ['training MSE', 'held-out MSE']
    >>> plot_train_test_loss(Figure().subplots(), [1, 2], [3.0, 1.0])[1] is None
    True
    """
    d = as_data_vector(degrees, "degrees")
    (train_line,) = ax.plot(
        d,
        as_data_vector(train, "train"),
        color=COLORS["data"],
        marker="o",
        label="training MSE",
    )
    test_line = None
    if held_out is not None:
        (test_line,) = ax.plot(
            d,
            as_data_vector(held_out, "held_out"),
            color=COLORS["line"],
            marker="s",
            label="held-out MSE",
        )
    ax.set(yscale="log", xlabel="polynomial degree", ylabel="MSE")
    return train_line, test_line
