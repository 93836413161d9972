"""Drawing observations ``(x_i, y_i)``, a line ŷ = m·x + b and its residuals (lessons 01, 02)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validate import (
    as_data_vector,
    as_finite_number,
    as_paired_vectors,
    as_whole_number,
)
from ..model import predict
from .style import COLORS

__all__ = [
    "FitArtists",
    "plot_fit",
    "mark_observation",
    "padded_limits",
    "plot_observations",
    "plot_line",
    "plot_residuals",
]


@dataclass(frozen=True)
class FitArtists:
    """What :func:`plot_fit` drew (``residuals`` is ``None`` when not drawn), to update in place."""

    points: object
    line: object
    residuals: object = None


def padded_limits(values, fraction: float = 0.08) -> tuple[float, float]:
    """``(low, high)`` of ``values`` widened by ``fraction`` of their span on each side.

    A span of zero (all values equal) is widened by 1 on each side instead.

    Examples
    --------
    >>> padded_limits([0.0, 10.0], fraction=0.1)
    (-1.0, 11.0)
    >>> padded_limits([8.0, 8.0])
    (7.0, 9.0)
    """
    array = as_data_vector(values, "values")
    fraction = as_finite_number(fraction, "fraction")
    if fraction < 0:
        raise ValueError(f"fraction must be >= 0; got {fraction}")
    low, high = float(array.min()), float(array.max())
    pad = (high - low) * fraction if high > low else 1.0
    return low - pad, high + pad


def plot_fit(ax, x, y, m, b, *, residuals: bool = True, line_label=None):
    """Observations, the line ŷ = m·x + b and (optionally) the residuals; returns :class:`FitArtists`.

    The line spans the data's x range, padded a little, as do the axes;
    ``line_label`` is its legend entry (default ``"ŷ = m·x + b"`` with
    numbers).  Introduced in lesson 02; the ``LineFitter`` widget draws with it.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> drawn = plot_fit(ax, [0.0, 1.0, 2.0], [1.0, 2.0, 5.0], m=2.0, b=0.5)
    >>> len(drawn.residuals.get_segments()), ax.get_xlabel()
    (3, 'x')
    """
    x_arr, y_arr = as_paired_vectors(x, y)
    m = as_finite_number(m, "m")
    b = as_finite_number(b, "b")
    limits = padded_limits(x_arr)
    drawn_residuals = plot_residuals(ax, x_arr, y_arr, m, b) if residuals else None
    points = plot_observations(ax, x_arr, y_arr)
    line = plot_line(ax, m, b, limits, label=line_label)
    ax.set_xlim(limits)
    return FitArtists(points=points, line=line, residuals=drawn_residuals)


def mark_observation(ax, x, y, index: int):
    """Circle one observation and label it with its pair ``(x_i, y_i)``; returns ``(ring, label)``.

    ``index`` is the Python index (from 0); the label uses the math
    numbering, which counts from 1: ``x[2]`` is ``x_3``, written with real
    subscripts (mathtext) so it reads on a projector.  Introduced in lesson 01.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> ring, label = mark_observation(ax, [1.0, 2.0, 3.0], [4.0, 5.0, 6.0], 1)
    >>> label.get_text()
    '$(x_{2}, y_{2})$ = (2, 5)'
    """
    x_arr, y_arr = as_paired_vectors(x, y)
    index = as_whole_number(index, "index", high=x_arr.size - 1)
    xi, yi = float(x_arr[index]), float(y_arr[index])
    colour = COLORS["current"]
    look = {"s": 220, "facecolors": "none", "edgecolors": colour, "linewidths": 2.5}
    ring = ax.scatter([xi], [yi], **look, zorder=4)
    # Put the label on the side of the point with more room.
    middle = (float(x_arr.min()) + float(x_arr.max())) / 2
    dx = -30 if xi > middle else 30
    label = ax.annotate(
        f"$(x_{{{index + 1}}}, y_{{{index + 1}}})$ = ({xi:.3g}, {yi:.3g})",
        xy=(xi, yi),
        xytext=(dx, 25),
        textcoords="offset points",
        ha="right" if dx < 0 else "left",
        color="black",
        arrowprops={"arrowstyle": "->", "color": colour, "linewidth": 1.5},
        bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": colour},
        zorder=6,
    )
    return ring, label


def plot_observations(ax, x, y, *, label=r"observations $(x_i, y_i)$", **kwargs):
    """Scatter the observations; returns the ``PathCollection``.  Lesson 01.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> points = plot_observations(ax, [0, 1, 2], [1, 3, 4])
    >>> points.get_offsets().shape
    (3, 2)
    """
    x_arr, y_arr = as_paired_vectors(x, y)
    options = {"color": COLORS["data"], "s": 30, "zorder": 3, "label": label, **kwargs}
    points = ax.scatter(x_arr, y_arr, **options)
    ax.set(xlabel="x", ylabel="y")
    return points


def plot_line(ax, m, b, x_limits=None, *, label=None, **kwargs):
    """Draw the line ŷ = m·x + b across ``x_limits`` (default: the axes' x range); returns the ``Line2D``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> line = plot_line(ax, 2.0, 1.0, (0, 10))
    >>> line.get_ydata()[[0, -1]]
    array([ 1., 21.])
    """
    m = as_finite_number(m, "m")
    b = as_finite_number(b, "b")
    low, high = ax.get_xlim() if x_limits is None else x_limits
    xs = np.array(
        [as_finite_number(low, "x_limits[0]"), as_finite_number(high, "x_limits[1]")]
    )
    options = {
        "color": COLORS["line"],
        "label": label or f"ŷ = {m:.3g}·x + {b:.3g}",
        **kwargs,
    }
    (line,) = ax.plot(xs, predict(xs, m, b), **options)
    return line


def plot_residuals(ax, x, y, m, b, **kwargs):
    """Draw each residual y_i − ŷ_i as a vertical segment; returns a ``LineCollection``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> segments = plot_residuals(ax, [0, 1], [1, 2], m=1.0, b=0.0)
    >>> len(segments.get_segments())
    2
    """
    x_arr, y_arr = as_paired_vectors(x, y)
    y_hat = predict(x_arr, m, b)
    options = {
        "colors": COLORS["residual"],
        "linewidth": 1.5,
        "label": r"residuals $y_i - \hat{y}_i$",
        "zorder": 2,
        **kwargs,
    }
    return ax.vlines(x_arr, y_hat, y_arr, **options)
