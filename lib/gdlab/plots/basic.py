"""Static drawing helpers: each takes ``ax`` first and returns what it drew.

They draw in gdlab's colours (:mod:`gdlab.plots.style`) and label their axes
with the series' notation, so every lesson's figures look alike.
"""

from __future__ import annotations

import matplotlib
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
    "plot_filled_contours",
    "add_colorbar",
    "plot_path",
    "plot_gradient_arrows",
    "surface_grid",
    "add_legend",
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
    log_levels=None,
    equal_aspect: bool = False,
    colorbar=None,
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
        Number of contour levels (even levels: at most this many, at round
        values).
    filled : bool
        Filled contours (``contourf``) or lines only.
    mark_minimum : bool
        Mark the surface's minima with a star.
    log_levels : bool, optional
        Space levels geometrically above the lowest value, so the bottom of
        the bowl is resolved as well as its rim.  Default: unless the
        surface knows it has no minimum (a saddle), which gets even levels.
    equal_aspect : bool
        One unit of the first parameter as long as one of the second, so a
        round bowl is drawn round and a narrow valley narrow.
    colorbar : str or True, optional
        Add a colour bar with this label (``True``: ``"L(m, b)"`` in the
        surface's names); see :func:`add_colorbar`.  Reach it afterwards as
        ``contour_set.colorbar``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdlab import LinearMSE
    >>> fig, ax = plt.subplots()
    >>> contours, stars = plot_loss_contours(ax, LinearMSE([0, 1, 2], [1, 3, 4]), colorbar=True)
    >>> len(stars.get_offsets()), contours.colorbar.ax.get_ylabel()
    (1, 'L(m, b), log scale')
    >>> plt.close(fig)
    """
    first, second, values = surface_grid(surface, first_range, second_range, resolution)
    minima = _minima(surface)
    if log_levels is None:
        # A surface that does not know its critical points keeps the bowl's levels.
        log_levels = minima is None or bool(minima)
    contour_set = plot_filled_contours(
        ax, first, second, values, levels=levels, filled=filled, log_levels=log_levels
    )
    points = np.array(minima if mark_minimum and minima else [], dtype=float).reshape(
        -1, 2
    )
    stars = ax.scatter(
        points[:, 0],
        points[:, 1],
        marker="*",
        s=260,
        color=COLORS["minimum"],
        edgecolor="white",
        linewidth=1.2,
        zorder=7,  # above paths (6): a path that ends there must not hide it
        label="minimum",
    )
    names = surface.parameter_names
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_xlim(first[0], first[-1])
    ax.set_ylim(second[0], second[-1])
    if equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    if colorbar is not None and colorbar is not False:
        label = f"L({', '.join(names)})" if colorbar is True else colorbar
        add_colorbar(ax, contour_set, label)
    return contour_set, stars


def _minima(surface: Surface):
    """The surface's minima, or ``None`` when it does not know its critical points."""
    try:
        points = surface.critical_points()
    except NotImplementedError:
        return None
    return [p.point for p in points if p.kind == "minimum"]


def plot_filled_contours(
    ax, first, second, values, *, levels: int = 20, filled: bool = True, log_levels=True
):
    """Filled contours of ``values`` sampled on the grid ``first`` × ``second``.

    The colours are spread evenly over the bands, so with ``log_levels``
    (levels spaced geometrically above the lowest value) the colour is on a
    log scale too: the bottom of a bowl is not one flat dark patch.  Thin
    white lines separate the bands.  Returns the ``ContourSet`` (of the
    filled bands when ``filled``).  Used on its own in lesson 08, for a loss
    that is not a gdlab ``Surface`` (a one-neuron network's).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> grid = np.linspace(-1.0, 1.0, 5)
    >>> bands = plot_filled_contours(ax, grid, grid, np.add.outer(grid**2, grid**2), levels=4)
    >>> [round(float(v), 3) for v in bands.levels]
    [0.0, 0.002, 0.063, 2.0]
    >>> plt.close(fig)
    """
    from matplotlib.colors import BoundaryNorm

    values = np.asarray(values, dtype=float)
    level_values = _contour_levels(values, levels, log_levels)
    cmap = matplotlib.colormaps[CONTOUR_CMAP]
    # Without a norm matplotlib colours each band by its value on a *linear*
    # scale, so geometric levels would all crowd into the darkest colours.
    norm = BoundaryNorm(level_values, cmap.N)
    options = {"levels": level_values, "cmap": cmap, "norm": norm}
    if not filled:
        return ax.contour(first, second, values, **options)
    contour_set = ax.contourf(first, second, values, **options)
    ax.contour(
        first,
        second,
        values,
        levels=level_values,
        colors="white",
        linewidths=0.4,
        alpha=0.5,
    )
    return contour_set


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
    from matplotlib.ticker import MaxNLocator

    # Even levels at round values (…, −0.4, −0.2, 0, 0.2, …), so the colour
    # bar can be ticked at its band edges.
    return MaxNLocator(count - 1).tick_values(low, high)


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
    options.setdefault("path_effects", dark_outline(options["linewidth"]))
    (line,) = ax.plot(path[:, 0], path[:, 1], **options)
    return line


def dark_outline(linewidth: float = 2.0):
    """A thin dark edge around a line, so it stands out on light and dark colours alike.

    Examples
    --------
    >>> len(dark_outline(1.8))
    2
    """
    from matplotlib import patheffects

    return [
        patheffects.withStroke(linewidth=linewidth + 1.6, foreground="black"),
        patheffects.Normal(),
    ]


def plot_gradient_arrows(
    ax,
    surface: Surface,
    points,
    *,
    scale=None,
    negative: bool = False,
    label=None,
    **kwargs,
):
    """Draw the gradient (or its negative) as arrows at ``points``; returns the ``Quiver``.

    Arrows are drawn in data units at true length times ``scale`` (default:
    a scale that makes the longest arrow a tenth of the window), so they are
    perpendicular to the contours when the axes have equal aspect.  Since
    the arrows are not at true length, their legend entry says so:
    ``"∇L (arrows 0.15 × true length)"`` unless ``label`` is given.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdlab import Saddle
    >>> fig, ax = plt.subplots()
    >>> arrows = plot_gradient_arrows(ax, Saddle(), [[1.0, 1.0], [0.5, -0.5]], scale=1.0)
    >>> arrows.U.tolist(), arrows.V.tolist()
    ([1.0, 0.5], [-1.0, 0.5])
    >>> [text.get_text() for text in ax.legend().get_texts()]
    ['∇L (arrows 1 × true length)']
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
    scale = as_finite_number(scale, "scale")
    if label is None:
        label = f"{'−' if negative else ''}∇L (arrows {scale:.2g} × true length)"
    options = {"color": COLORS["gradient"], "zorder": 7, "width": 0.004}
    options.update(kwargs)
    # A quiver's own legend entry is a filled square; an arrow reads better.
    ax.plot(
        [],
        [],
        linestyle="none",
        marker=r"$\rightarrow$",
        markersize=16,
        color=options["color"],
        label=label,
    )
    return ax.quiver(
        where[:, 0],
        where[:, 1],
        vectors[:, 0] * scale,
        vectors[:, 1] * scale,
        angles="xy",
        scale_units="xy",
        scale=1.0,
        label="_arrows",
        **options,
    )


def add_legend(ax, *, outside: bool = False, **kwargs):
    """A legend with one entry per label, however many artists share it.

    Several paths of one kind (say, every run that ends in the left
    valley) can each carry the same label, so none is left out of the
    legend and none appears in it twice.  ``outside`` puts it under the
    figure, for maps with no free corner.  Returns the ``Legend``.
    Introduced in lesson 04; lesson 08 labels seven paths with two entries.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> lines = [ax.plot([0, k], label="left")[0] for k in (1, 2)] + ax.plot([1, 0], label="right")
    >>> [text.get_text() for text in add_legend(ax).get_texts()]
    ['left', 'right']
    >>> plt.close(fig)
    """
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if not unique:
        raise ValueError("ax has no labelled artists to put in a legend")
    if outside:
        options = {"loc": "outside lower center", "ncols": min(len(unique), 2)}
        options.update(kwargs)
        return ax.figure.legend(unique.values(), unique.keys(), **options)
    return ax.legend(unique.values(), unique.keys(), **kwargs)


def add_colorbar(ax, mappable, label, *, max_ticks: int = 10):
    """A labelled colour bar beside ``ax`` (or a list of axes); returns the ``Colorbar``.

    Every colour bar in the lessons says what its colours measure, so
    ``label`` is required.  When the levels of ``mappable`` are spaced
    geometrically (as :func:`plot_loss_contours` spaces them, above the
    lowest value or from zero) or its norm is a ``LogNorm``, the label says
    ", log scale".  A contour set's bar is ticked at round values (1, 2,
    5 × 10^k, or other numbers with at most two significant digits), not at
    its levels, which need not be round.  Introduced in lesson 03.

    Parameters
    ----------
    ax : matplotlib Axes or list of Axes
        Where the colour bar takes its room from.
    mappable : ContourSet or ScalarMappable
        E.g. the first result of :func:`plot_loss_contours`.
    label : str
        What the colours measure, e.g. ``"L(m, b)"``.
    max_ticks : int
        At most this many ticks on a log-scale bar.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> grid = np.linspace(-10.0, 10.0, 81)
    >>> bowl = 1.0 + np.add.outer(grid**2, grid**2)  # from 1 to 201
    >>> bar = add_colorbar(ax, plot_filled_contours(ax, grid, grid, bowl), "L(m, b)")
    >>> bar.ax.get_ylabel()
    'L(m, b), log scale'
    >>> [float(t) for t in bar.get_ticks()]
    [1.0, 2.0, 5.0, 10.0, 20.0, 100.0]
    >>> plt.close(fig)
    """
    from matplotlib.colors import LogNorm
    from matplotlib.ticker import FuncFormatter

    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__}")
    if not label.strip():
        raise ValueError("label must say what the colours measure; got an empty str")
    levels = np.asarray(getattr(mappable, "levels", []), dtype=float)
    log_scale = isinstance(mappable.norm, LogNorm) or _geometric(levels)
    if log_scale and "log scale" not in label:
        label = f"{label}, log scale"
    if isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(np.ravel(ax))
        bar = axes[0].figure.colorbar(mappable, ax=axes, label=label)
    else:
        # A bar inside the axes' own box keeps its height when equal aspect
        # shrinks the axes; one made by stealing room would not.
        holder = ax.inset_axes([1.04, 0.0, 0.05, 1.0])
        bar = ax.figure.colorbar(mappable, cax=holder, label=label)
    if levels.size >= 2:
        bar.set_ticks(round_ticks(levels, max_ticks))
        bar.ax.yaxis.set_major_formatter(FuncFormatter(_tick_text))
        bar.ax.minorticks_off()
    return bar


def _geometric(levels) -> bool:
    """Levels spaced geometrically from zero, or above the lowest level."""
    if levels.size < 4 or not np.all(np.isfinite(levels)):
        return False
    for steps in (levels, levels[1:] - levels[0]):
        if np.all(steps > 0):
            ratios = steps[1:] / steps[:-1]
            if ratios[0] > 1.05 and np.allclose(ratios, ratios[0], rtol=1e-6):
                return True
    return False


def round_ticks(levels, max_ticks: int = 10) -> np.ndarray:
    """Round values to tick a colour bar whose bands are ``levels``.

    A colour bar gives each band the same length, so a value's place on it
    is its band index, interpolated.  Candidates are the numbers 1, 2 and 5
    × 10^k and, where those leave a stretch of the bar bare, numbers with
    two significant digits; the roundest are placed first, each at least
    ``1/max_ticks`` of the bar from the others.

    Examples
    --------
    >>> round_ticks(np.geomspace(0.3, 300, 10)).tolist()
    [0.3, 1.0, 2.0, 10.0, 20.0, 100.0, 200.0]
    """
    from matplotlib.ticker import MaxNLocator

    levels = np.asarray(levels, dtype=float)
    low, high = float(levels[0]), float(levels[-1])
    places = np.linspace(0.0, 1.0, levels.size)
    top = int(np.floor(np.log10(max(abs(low), abs(high)))))
    chosen: list[float] = []
    gap = 1.0 / max_ticks
    # Roundest first (0, then 1, 2, 5 × 10^k); less round numbers only where
    # the bar is still bare around them; last, evenly stepped round numbers
    # for a bar too narrow for any of those (say from 1000 to 1001).
    tiers = [
        ([m * 10.0**k for k in range(top, top - 12, -1)], room)
        for digits, room in _TICK_TIERS
        for m in digits
    ]
    tiers.append((MaxNLocator(max_ticks).tick_values(low, high).tolist(), 1.0))
    for values, room in tiers:
        for value in values:
            for candidate in (float(f"{value:.12g}"), -float(f"{value:.12g}")):
                if len(chosen) < max_ticks and low <= candidate <= high:
                    place = np.interp(candidate, levels, places)
                    taken = np.interp(chosen, levels, places)
                    if np.all(np.abs(taken - place) >= room * gap - 1e-9):
                        chosen.append(candidate)
    return np.array(sorted(chosen))


_TICK_TIERS = (
    ([0.0, 1.0, 2.0, 5.0], 1.0),
    ([3.0, 4.0, 6.0, 7.0, 8.0, 9.0], 1.5),
    ([m / 10 for m in range(11, 100) if m % 10], 2.0),
)


def _tick_text(value, _position=None) -> str:
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:g}"
