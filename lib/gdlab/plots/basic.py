"""Static drawing helpers: each takes ``ax`` first and returns what it drew.

They draw in gdlab's colours (:mod:`gdlab.plots.style`) and label their axes
with the series' notation, so every lesson's figures look alike.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_finite_number, as_paired_vectors
from ..model import predict
from ..surfaces import Surface
from .style import COLORS, CONTOUR_CMAP

__all__ = [
    "plot_observations",
    "plot_line",
    "plot_residuals",
    "plot_loss_contours",
    "plot_path",
    "plot_gradient_arrows",
    "surface_grid",
]


def plot_observations(ax, x, y, *, label=r"observations $(x_i, y_i)$", **kwargs):
    """Scatter the observations; returns the ``PathCollection``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> points = plot_observations(ax, [0, 1, 2], [1, 3, 4])
    >>> points.get_offsets().shape
    (3, 2)
    >>> plt.close(fig)
    """
    x_arr, y_arr = as_paired_vectors(x, y)
    options = {"color": COLORS["data"], "s": 30, "zorder": 3, "label": label}
    options.update(kwargs)
    points = ax.scatter(x_arr, y_arr, **options)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return points


def plot_line(ax, m, b, x_limits=None, *, label=None, **kwargs):
    """Draw the line ŷ = m·x + b across ``x_limits`` (default: the axes' x range).

    Returns the ``Line2D``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> line = plot_line(ax, 2.0, 1.0, (0, 10))
    >>> line.get_ydata()[[0, -1]]
    array([ 1., 21.])
    >>> plt.close(fig)
    """
    m = as_finite_number(m, "m")
    b = as_finite_number(b, "b")
    low, high = ax.get_xlim() if x_limits is None else x_limits
    xs = np.array(
        [as_finite_number(low, "x_limits[0]"), as_finite_number(high, "x_limits[1]")]
    )
    options = {"color": COLORS["line"], "label": label or f"ŷ = {m:.3g}·x + {b:.3g}"}
    options.update(kwargs)
    (line,) = ax.plot(xs, predict(xs, m, b), **options)
    return line


def plot_residuals(ax, x, y, m, b, **kwargs):
    """Draw each residual y_i − ŷ_i as a vertical segment; returns a ``LineCollection``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> segments = plot_residuals(ax, [0, 1], [1, 2], m=1.0, b=0.0)
    >>> len(segments.get_segments())
    2
    >>> plt.close(fig)
    """
    x_arr, y_arr = as_paired_vectors(x, y)
    y_hat = predict(x_arr, m, b)
    options = {
        "colors": COLORS["residual"],
        "linewidth": 1.5,
        "label": r"residuals $y_i - \hat{y}_i$",
        "zorder": 2,
    }
    options.update(kwargs)
    return ax.vlines(x_arr, y_hat, y_arr, **options)


def plot_loss_contours(
    ax,
    surface: Surface,
    first_range=None,
    second_range=None,
    *,
    resolution: int = 120,
    levels: int = 20,
    filled: bool = True,
    mark_minimum: bool = True,
    log_levels: bool = True,
):
    """Contours of a two-parameter surface; returns ``(contour_set, minimum_markers)``.

    Parameters
    ----------
    ax : matplotlib Axes
    surface : Surface
        E.g. ``gdlab.LinearMSE(x, y)``.
    first_range, second_range : (float, float), optional
        The window; default ``surface.window()``.
    resolution : int
        Grid points per axis.
    levels : int
        Number of contour levels.
    filled : bool
        Filled contours (``contourf``) or lines only.
    mark_minimum : bool
        Mark the surface's minima with a star.
    log_levels : bool
        Space levels geometrically above the lowest value, so the bottom of
        the bowl is resolved as well as its rim.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdlab import LinearMSE
    >>> fig, ax = plt.subplots()
    >>> contours, stars = plot_loss_contours(ax, LinearMSE([0, 1, 2], [1, 3, 4]))
    >>> len(stars.get_offsets())
    1
    >>> plt.close(fig)
    """
    first, second, values = surface_grid(surface, first_range, second_range, resolution)
    first_range, second_range = (first[0], first[-1]), (second[0], second[-1])
    grid_first, grid_second = np.meshgrid(first, second)
    level_values = _contour_levels(values, levels, log_levels)
    draw = ax.contourf if filled else ax.contour
    contour_set = draw(
        grid_first, grid_second, values, levels=level_values, cmap=CONTOUR_CMAP
    )
    if filled:
        ax.contour(
            grid_first,
            grid_second,
            values,
            levels=level_values,
            colors="white",
            linewidths=0.4,
            alpha=0.5,
        )
    minima = (
        [p.point for p in surface.critical_points() if p.kind == "minimum"]
        if mark_minimum
        else []
    )
    points = np.array(minima, dtype=float).reshape(-1, 2)
    stars = ax.scatter(
        points[:, 0],
        points[:, 1],
        marker="*",
        s=260,
        color=COLORS["minimum"],
        edgecolor="white",
        linewidth=1.2,
        zorder=5,
        label="minimum",
    )
    names = surface.parameter_names
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_xlim(first_range)
    ax.set_ylim(second_range)
    return contour_set, stars


def surface_grid(
    surface: Surface, first_range=None, second_range=None, resolution: int = 120
):
    """Sample a two-parameter surface on a grid: ``(first, second, values)``.

    ``first_range`` and ``second_range`` default to ``surface.window()``;
    ``values`` has shape ``(resolution, resolution)``, rows along ``second``.

    Examples
    --------
    >>> from gdlab import Saddle
    >>> first, second, values = surface_grid(Saddle(), resolution=3)
    >>> first.tolist(), values.shape
    ([-2.0, 0.0, 2.0], (3, 3))
    """
    window = surface.window()
    first_range = window[0] if first_range is None else first_range
    second_range = window[1] if second_range is None else second_range
    first = np.linspace(*first_range, resolution)
    second = np.linspace(*second_range, resolution)
    return first, second, surface.grid(first, second)


def _contour_levels(values, count, log_levels):
    finite = values[np.isfinite(values)]
    low, high = float(finite.min()), float(finite.max())
    if high <= low:
        return np.linspace(low - 1.0, high + 1.0, count)
    if log_levels:
        span = high - low
        offsets = np.geomspace(span * 1e-3, span, count - 1)
        return np.concatenate([[low], low + offsets])
    return np.linspace(low, high, count)


def plot_path(ax, params, *, label="path of θ", **kwargs):
    """Draw a descent path (rows of (first, second) parameters); returns the ``Line2D``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> line = plot_path(ax, [[0, 0], [1, 1], [1.5, 1.2]])
    >>> line.get_xdata().tolist()
    [0.0, 1.0, 1.5]
    >>> plt.close(fig)
    """
    path = np.asarray(params, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"params must have shape (steps + 1, 2); got {path.shape}")
    options = {
        "color": COLORS["path"],
        "marker": "o",
        "markersize": 4,
        "linewidth": 1.8,
        "zorder": 6,
        "label": label,
    }
    options.update(kwargs)
    (line,) = ax.plot(path[:, 0], path[:, 1], **options)
    return line


def plot_gradient_arrows(
    ax, surface: Surface, points, *, scale=None, negative: bool = False, **kwargs
):
    """Draw the gradient (or its negative) as arrows at ``points``; returns the ``Quiver``.

    Arrows are drawn in data units at true length times ``scale`` (default:
    a scale that makes the longest arrow a tenth of the window), so they are
    perpendicular to the contours when the axes have equal aspect.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdlab import Saddle
    >>> fig, ax = plt.subplots()
    >>> arrows = plot_gradient_arrows(ax, Saddle(), [[1.0, 1.0], [0.5, -0.5]], scale=1.0)
    >>> arrows.U.tolist(), arrows.V.tolist()
    ([1.0, 0.5], [-1.0, 0.5])
    >>> plt.close(fig)
    """
    where = np.asarray(points, dtype=float).reshape(-1, 2)
    vectors = np.asarray(surface.gradient(where), dtype=float)
    if negative:
        vectors = -vectors
    if scale is None:
        window = surface.window()
        width = max(window[0][1] - window[0][0], window[1][1] - window[1][0])
        longest = float(np.max(np.hypot(vectors[:, 0], vectors[:, 1]))) or 1.0
        scale = 0.1 * width / longest
    options = {"color": COLORS["gradient"], "zorder": 7, "width": 0.004}
    options.update(kwargs)
    return ax.quiver(
        where[:, 0],
        where[:, 1],
        vectors[:, 0] * scale,
        vectors[:, 1] * scale,
        angles="xy",
        scale_units="xy",
        scale=1.0,
        **options,
    )
