"""The loss map: filled and line contours, the path of θ on it, gradient arrows."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import BoundaryNorm
from matplotlib.ticker import MaxNLocator

from .._validate import as_finite_number
from ..surfaces import Surface, surface_grid
from .legends import add_colorbar
from .style import COLORS, CONTOUR_CMAP

__all__ = [
    "plot_loss_contours",
    "plot_filled_contours",
    "plot_path",
    "plot_gradient_arrows",
    "dark_outline",
    "label_window",
    "MINIMUM_STAR",
]

# How a minimum is marked on a map, flat or 3-D.
MINIMUM_STAR = {
    "marker": "*",
    "s": 260,
    "color": COLORS["minimum"],
    "edgecolor": "white",
    "linewidth": 1.2,
}


def plot_loss_contours(
    ax,
    surface: Surface,
    first_range=None,
    second_range=None,
    *,
    resolution: int = 120,
    levels: int = 20,
    mark_minimum: bool = True,
    equal_aspect: bool = False,
    colorbar=None,
):
    """Contours of a two-parameter surface; returns ``(contour_set, minimum_markers)``.

    The grid is :func:`gdlab.surface_grid`'s.  The ``levels`` contour levels are
    spaced geometrically above the lowest value, so the bottom of the bowl is
    resolved as well as its rim, unless the surface knows it has no minimum
    (a saddle), which gets even levels at round values.  Introduced in lesson 03.

    Parameters
    ----------
    mark_minimum : bool
        Mark the surface's minima with a star.
    equal_aspect : bool
        One unit of the first parameter as long as one of the second, so a
        round bowl is drawn round and a narrow valley narrow.
    colorbar : str or True, optional
        Add a colour bar with this label (``True``: ``"L(m, b)"`` in the
        surface's names), reached afterwards as ``contour_set.colorbar``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import LinearMSE
    >>> ax = Figure().subplots()
    >>> contours, stars = plot_loss_contours(ax, LinearMSE([0, 1, 2], [1, 3, 4]), colorbar=True)
    >>> len(stars.get_offsets()), contours.colorbar.ax.get_ylabel()
    (1, 'L(m, b), log scale')
    """
    first, second, values = surface_grid(surface, first_range, second_range, resolution)
    minima = _minima(surface)
    # A surface that does not know its critical points keeps the bowl's levels.
    log_levels = minima is None or bool(minima)
    contour_set = plot_filled_contours(
        ax, first, second, values, levels=levels, log_levels=log_levels
    )
    shown = minima if mark_minimum and minima else []
    points = np.array(shown, dtype=float).reshape(-1, 2)
    # zorder above paths (6): a path that ends at the minimum must not hide it.
    stars = ax.scatter(*points.T, **MINIMUM_STAR, zorder=7, label="minimum")
    label_window(ax, surface, first, second)
    if equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    if colorbar is not None and colorbar is not False:
        names = surface.parameter_names
        label = f"L({', '.join(names)})" if colorbar is True else colorbar
        add_colorbar(ax, contour_set, label)
    return contour_set, stars


def _minima(surface: Surface):
    """The surface's minima, or ``None`` when it does not know its critical points."""
    points = surface.known_critical_points()
    return None if points is None else [p.point for p in points if p.kind == "minimum"]


def label_window(ax, surface, first, second):
    """Name the axes after the surface's parameters and fit them to the grid."""
    names = surface.parameter_names
    ax.set(
        xlabel=names[0],
        ylabel=names[1],
        xlim=(first[0], first[-1]),
        ylim=(second[0], second[-1]),
    )


def plot_filled_contours(ax, first, second, values, *, levels=20, log_levels=True):
    """Filled contours of ``values`` sampled on the grid ``first`` × ``second``.

    The colours are spread evenly over the bands, so with ``log_levels``
    (levels spaced geometrically above the lowest value) the colour is on a
    log scale too: the bottom of a bowl is not one flat dark patch.  Thin
    white lines separate the bands.  Returns the ``ContourSet`` of the
    bands.  Lesson 08 uses it for a loss that is not a gdlab ``Surface``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> grid = np.linspace(-1.0, 1.0, 5)
    >>> bands = plot_filled_contours(ax, grid, grid, np.add.outer(grid**2, grid**2), levels=4)
    >>> [round(float(v), 3) for v in bands.levels]
    [0.0, 0.002, 0.063, 2.0]
    """
    values = np.asarray(values, dtype=float)
    level_values = _contour_levels(values, levels, log_levels)
    cmap = matplotlib.colormaps[CONTOUR_CMAP]
    # Without a norm matplotlib colours each band by its value on a *linear*
    # scale, so geometric levels would all crowd into the darkest colours.
    norm = BoundaryNorm(level_values, cmap.N)
    bands = ax.contourf(
        first, second, values, levels=level_values, cmap=cmap, norm=norm
    )
    edges = {"colors": "white", "linewidths": 0.4, "alpha": 0.5}
    ax.contour(first, second, values, levels=level_values, **edges)
    return bands


def _contour_levels(values, count, log_levels):
    finite = values[np.isfinite(values)]
    low, high = float(finite.min()), float(finite.max())
    if high <= low:
        return np.linspace(low - 1.0, high + 1.0, count)
    if log_levels:
        span = high - low
        offsets = np.geomspace(span * 1e-3, span, count - 1)
        return np.concatenate([[low], low + offsets])
    # Even levels at round values (…, −0.4, −0.2, 0, 0.2, …), so the colour
    # bar can be ticked at its band edges.
    return MaxNLocator(count - 1).tick_values(low, high)


def plot_path(ax, params, *, label="path of θ", **kwargs):
    """Draw a descent path (rows of (first, second) parameters); returns the ``Line2D``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> line = plot_path(ax, [[0, 0], [1, 1], [1.5, 1.2]])
    >>> line.get_xdata().tolist()
    [0.0, 1.0, 1.5]
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
        **kwargs,
    }
    options.setdefault("path_effects", dark_outline(options["linewidth"]))
    (line,) = ax.plot(path[:, 0], path[:, 1], **options)
    return line


def dark_outline(linewidth: float = 2.0):
    """A thin dark edge around a line, so it stands out on light and dark colours alike."""
    return [
        patheffects.withStroke(linewidth=linewidth + 1.6, foreground="black"),
        patheffects.Normal(),
    ]


def plot_gradient_arrows(
    ax, surface: Surface, points, *, scale=None, negative: bool = False, **kwargs
):
    """Draw the gradient (or its negative) as arrows at ``points``; returns the ``Quiver``.

    Arrows are drawn in data units at true length times ``scale`` (default:
    a scale that makes the longest arrow a tenth of the window), so they are
    perpendicular to the contours when the axes have equal aspect.  Their
    legend entry says the scale: ``"∇L (arrows 0.15 × true length)"``.
    Introduced in lesson 04.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import Saddle
    >>> ax = Figure().subplots()
    >>> arrows = plot_gradient_arrows(ax, Saddle(), [[1.0, 1.0], [0.5, -0.5]], scale=1.0)
    >>> arrows.U.tolist(), arrows.V.tolist()
    ([1.0, 0.5], [-1.0, 0.5])
    >>> [text.get_text() for text in ax.legend().get_texts()]
    ['∇L (arrows 1 × true length)']
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
    scale = as_finite_number(scale, "scale")
    label = f"{'−' if negative else ''}∇L (arrows {scale:.2g} × true length)"
    options = {"color": COLORS["gradient"], "zorder": 7, "width": 0.004, **kwargs}
    # A quiver's own legend entry is a filled square; an arrow reads better.
    key = {"linestyle": "none", "marker": r"$\rightarrow$", "markersize": 16}
    ax.plot([], [], **key, color=options["color"], label=label)
    # In data units, at ``scale`` times their true length.
    data_units = {"angles": "xy", "scale_units": "xy", "scale": 1.0}
    return ax.quiver(
        *where.T, *(vectors.T * scale), **data_units, label="_arrows", **options
    )
