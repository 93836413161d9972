"""The loss as a function of the parameters, and slopes of curves (lessons 03, 04, 08)."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .._validate import (
    as_data_vector,
    as_finite_number,
    as_paired_vectors,
    as_positive_number,
)
from ..calculus import finite_difference
from ..surfaces import Surface, surface_grid
from .contour_plots import MINIMUM_STAR, _minima, label_window
from .style import COLORS, CONTOUR_CMAP

__all__ = [
    "plot_level_curves",
    "plot_loss_slice",
    "plot_loss_surface_3d",
    "plot_tangent",
    "plot_secant",
    "plot_error_vs_step",
    "plot_chord",
    "plot_minima_fraction",
]


def _check_surface(surface) -> Surface:
    if not isinstance(surface, Surface):
        raise TypeError(
            f"surface must be a gdlab Surface such as gdlab.LinearMSE(x, y); got {type(surface).__name__}"
        )
    if surface.n_parameters != 2:
        raise ValueError(
            f"surface must have 2 parameters; this one has {surface.n_parameters}"
        )
    return surface


def plot_loss_slice(
    ax,
    surface,
    values,
    *,
    fixed,
    vary: int = 0,
    mark_at=None,
    label=None,
    mark_label=None,
    **kwargs,
):
    """The loss along one parameter with the other held at ``fixed``: a 1-D slice.

    ``values`` are those of the parameter ``vary`` (0 for the first, m; 1 for
    the second, b) of a two-parameter ``surface``: for ``gdlab.LinearMSE``
    and ``vary=0``, L(m) at a fixed b, a parabola.  ``mark_at`` puts a dot on
    the curve; ``label`` and ``mark_label`` default to ``"L(m) at b = …"``
    and ``"m = …"``.  Returns ``(line, marker)``, ``marker`` ``None`` without
    ``mark_at``.  Introduced in lesson 03.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import LinearMSE
    >>> ax = Figure().subplots()
    >>> line, dot = plot_loss_slice(ax, LinearMSE([0, 1], [1, 3]), [0.0, 2.0], fixed=1.0, mark_at=2.0)
    >>> line.get_ydata().tolist(), ax.get_ylabel(), dot.get_label()
    ([2.0, 0.0], 'L(m) at b = 1', 'm = 2')
    """
    surface = _check_surface(surface)
    along = as_data_vector(values, "values")
    fixed = as_finite_number(fixed, "fixed")
    if vary not in (0, 1):
        raise ValueError(
            f"vary must be 0 (the first parameter) or 1 (the second); got {vary!r}"
        )
    name = surface.parameter_names[vary]
    title = f"L({name}) at {surface.parameter_names[1 - vary]} = {fixed:.3g}"

    def loss(v):
        columns = [v, np.full_like(v, fixed)]
        return surface.loss(np.stack(columns if vary == 0 else columns[::-1], axis=-1))

    options = {"color": COLORS["line"], "label": label or title, **kwargs}
    (line,) = ax.plot(along, np.asarray(loss(along), dtype=float), **options)
    marker = None
    if mark_at is not None:
        at = np.array([as_finite_number(mark_at, "mark_at")])
        look = {"s": 80, "color": COLORS["minimum"], "edgecolor": "black", "zorder": 5}
        dot_label = mark_label or f"{name} = {float(at[0]):.3g}"
        marker = ax.scatter(at, loss(at), **look, label=dot_label)
    ax.set(xlabel=name, ylabel=title)
    return line, marker


def plot_level_curves(
    ax,
    surface,
    levels,
    first_range=None,
    second_range=None,
    *,
    resolution: int = 200,
    label="contours of equal loss",
    **kwargs,
):
    """Contour lines of a two-parameter surface at the given loss values; returns the ``ContourSet``.

    Unlike :func:`plot_loss_contours`, which picks its levels, this draws
    exactly ``levels``, e.g. where lesson 04 starts its gradient arrows.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import LinearMSE
    >>> ax = Figure().subplots()
    >>> lines = plot_level_curves(ax, LinearMSE([0, 1, 2], [1, 3, 4]), [0.5, 2.0])
    >>> [float(v) for v in lines.levels], ax.get_xlabel(), ax.get_ylabel()
    ([0.5, 2.0], 'm', 'b')
    """
    surface = _check_surface(surface)
    wanted = np.sort(as_data_vector(levels, "levels"))
    first, second, values = surface_grid(surface, first_range, second_range, resolution)
    options = {"colors": COLORS["data"], "linewidths": 1.6, **kwargs}
    lines = ax.contour(first, second, values, levels=wanted, **options)
    # A contour set has no legend entry of its own: a line of its look stands in.
    ax.plot(
        [], [], color=options["colors"], linewidth=options["linewidths"], label=label
    )
    label_window(ax, surface, first, second)
    return lines


def plot_loss_surface_3d(
    ax, surface, first_range=None, second_range=None, *, resolution=60, **kwargs
):
    """The loss over two parameters as a 3-D surface; returns ``(surface_artist, minimum_marker)``.

    Lesson 03 shows the MSE of a line this way, a bowl, with a star at its
    minimum.  ``ax`` must be 3-D: ``subplots(subplot_kw={"projection": "3d"})``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab import LinearMSE
    >>> ax = Figure().add_subplot(projection="3d")
    >>> mesh, star = plot_loss_surface_3d(ax, LinearMSE([0, 1, 2], [1, 3, 4]), resolution=10)
    >>> ax.get_zlabel()
    'L(m, b)'
    """
    surface = _check_surface(surface)
    if getattr(ax, "name", None) != "3d":
        raise TypeError(
            'ax must be a 3-D axes: make it with subplot_kw={"projection": "3d"}'
        )
    first, second, values = surface_grid(surface, first_range, second_range, resolution)
    options = {
        "cmap": CONTOUR_CMAP,
        "alpha": 0.75,
        "linewidth": 0,
        "antialiased": True,
        "zorder": 1,
        **kwargs,
    }
    # Draw in the order given (zorder), not by depth: the star at the bottom
    # of the bowl must stay visible in front of the surface.
    ax.computed_zorder = False
    mesh = ax.plot_surface(*np.meshgrid(first, second), values, **options)
    points = np.array(_minima(surface) or [], dtype=float).reshape(-1, 2)
    on_top = {"depthshade": False, "zorder": 10, "label": "minimum (best fit)"}
    star = ax.scatter(*points.T, surface.loss(points), **MINIMUM_STAR, **on_top)
    names = surface.parameter_names
    ax.set(xlabel=names[0], ylabel=names[1], zlabel=f"L({', '.join(names)})")
    # A 3-D axis is foreshortened: fewer ticks keep its numbers apart.
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_major_locator(MaxNLocator(5))
    return mesh, star


def plot_tangent(ax, f, x0, *, slope=None, half_width: float = 1.0, **kwargs):
    """The tangent line of ``f`` at ``x0``; returns ``(line, point)``.

    Its slope is ``slope``, or else a finite difference's.  Introduced in lesson 04.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> line, point = plot_tangent(ax, lambda t: t * t, 1.0, slope=2.0, half_width=0.5)
    >>> line.get_xdata().tolist(), line.get_ydata().tolist()
    ([0.5, 1.5], [0.0, 2.0])
    """
    x0 = as_finite_number(x0, "x0")
    half_width = as_positive_number(half_width, "half_width")
    y0 = float(f(x0))
    slope = (
        finite_difference(f, x0) if slope is None else as_finite_number(slope, "slope")
    )
    xs = np.array([x0 - half_width, x0 + half_width])
    options = {
        "color": COLORS["gradient"],
        "linewidth": 2.0,
        "label": f"tangent at {x0:.3g}, slope {slope:.3g}",
        **kwargs,
    }
    (line,) = ax.plot(xs, y0 + slope * (xs - x0), **options)
    point = ax.scatter([x0], [y0], s=60, color=options["color"], zorder=5)
    return line, point


def plot_secant(ax, f, x0, h, *, kind: str = "forward", half_width=None, **kwargs):
    """The secant a finite difference measures, through its two points; returns ``(line, points)``.

    ``kind='forward'`` joins ``x0`` and ``x0 + h``, ``'central'`` ``x0 − h``
    and ``x0 + h``, across ``x0 ± half_width`` (default ``1.5·h``).  Lesson 04.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> line, points = plot_secant(ax, lambda t: t * t, 1.0, 1.0)   # through (1, 1) and (2, 4)
    >>> points.get_offsets().tolist()
    [[1.0, 1.0], [2.0, 4.0]]
    """
    x0 = as_finite_number(x0, "x0")
    h = as_positive_number(h, "h")
    if kind not in ("forward", "central"):
        raise ValueError(f"kind must be 'central' or 'forward'; got {kind!r}")
    left = x0 - h if kind == "central" else x0
    right = x0 + h
    y_left, y_right = float(f(left)), float(f(right))
    slope = (y_right - y_left) / (right - left)
    half_width = (
        1.5 * h if half_width is None else as_positive_number(half_width, "half_width")
    )
    xs = np.array([x0 - half_width, x0 + half_width])
    options = {
        "color": COLORS["path"],
        "linewidth": 1.8,
        "linestyle": "--",
        "label": f"{kind} secant, h = {h:.3g}, slope {slope:.3g}",
        **kwargs,
    }
    (line,) = ax.plot(xs, y_left + slope * (xs - left), **options)
    points = ax.scatter(
        [left, right], [y_left, y_right], s=40, color=options["color"], zorder=5
    )
    return line, points


def plot_error_vs_step(ax, steps, errors, *, label=None, **kwargs):
    """The error of a finite difference against its step h, on log-log axes; returns the ``Line2D``.

    Zero errors (exact to the last bit) cannot go on a log scale and are
    left out.  Introduced in lesson 04.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> line = plot_error_vs_step(ax, [1e-1, 1e-2], [1e-2, 1e-4], label="central")
    >>> ax.get_xscale(), ax.get_yscale(), ax.get_xlabel()
    ('log', 'log', 'step h')
    """
    h, error = as_paired_vectors(steps, errors, "steps", "errors")
    error = np.abs(error)
    if np.any(h <= 0):
        raise ValueError("steps must all be > 0 to go on a log scale")
    keep = error > 0
    options = {"marker": "o", "markersize": 4, "label": label, **kwargs}
    (line,) = ax.plot(h[keep], error[keep], **options)
    ax.set(
        xscale="log", yscale="log", xlabel="step h", ylabel="|error| of the estimate"
    )
    return line


def plot_chord(ax, function, a, b, limits, *, label="f(θ)"):
    """A 1-D function over ``limits`` with the chord between ``(a, f(a))`` and ``(b, f(b))``.

    The function is convex when every such chord lies on or above the
    graph; where the graph rises above the chord it is shaded (``"above"``
    in the dict of artists returned).  Introduced in lesson 08.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> sorted(plot_chord(ax, lambda t: t ** 2, -1.0, 2.0, (-2.0, 2.5)))
    ['chord', 'ends', 'graph']
    """
    a = as_finite_number(a, "a")
    b = as_finite_number(b, "b")
    low, high = (as_finite_number(v, "limits") for v in limits)
    grid = np.linspace(low, high, 400)
    values = np.asarray(function(grid), dtype=float)
    artists = {}
    (artists["graph"],) = ax.plot(grid, values, color=COLORS["data"], label=label)
    ends = np.array([a, b])
    end_values = np.asarray(function(ends), dtype=float)
    (artists["chord"],) = ax.plot(
        ends, end_values, color=COLORS["line"], linewidth=2.5, label="chord"
    )
    artists["ends"] = ax.scatter(ends, end_values, color=COLORS["line"], s=50, zorder=5)
    inside = np.linspace(min(a, b), max(a, b), 300)
    graph = np.asarray(function(inside), dtype=float)
    chord = np.interp(inside, np.sort(ends), end_values[np.argsort(ends)])
    above = graph > chord + 1e-12 * (1.0 + np.abs(chord))
    if above.any():
        look = {"color": COLORS["path"], "alpha": 0.5, "label": "graph above the chord"}
        artists["above"] = ax.fill_between(inside, chord, graph, where=above, **look)
    ax.set(xlabel="θ", ylabel=label)
    return artists


def plot_minima_fraction(ax, ks, simulated, trials, *, show_formula=True):
    """Fraction of random critical points that are minima, against k, on a log scale.

    ``simulated`` maps a model's label to its fractions, one per k in
    ``ks``, each from ``trials`` trials.  A fraction of 0 has no place on a
    log scale: a note at that k along the bottom edge says "none in 100
    trials" instead.  ``show_formula`` adds the curve 2⁻ᵏ.  Returns the list
    of artists.  Introduced in lesson 08.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> artists = plot_minima_fraction(ax, [1, 2, 3], {"coin flips": [0.5, 0.26, 0.0]}, 100)
    >>> len(artists), ax.get_yscale(), artists[-1].get_text()
    (3, 'log', 'none in\\n100\\ntrials')
    """
    k_values = as_data_vector(ks, "ks")
    trials = as_positive_number(trials, "trials")
    artists = []
    if show_formula:
        fine = np.linspace(k_values.min(), k_values.max(), 100)
        look = {"color": COLORS["gradient"], "linestyle": "--", "linewidth": 1.5}
        artists += ax.plot(
            fine, 2.0**-fine, **look, label="2⁻ᵏ (the notes' assumption)"
        )
    colours = [COLORS["data"], COLORS["line"], COLORS["minimum"], COLORS["current"]]
    markers = ["o", "s", "D", "^"]
    for index, (label, fractions) in enumerate(simulated.items()):
        values = as_data_vector(fractions, f"simulated[{label!r}]")
        if values.shape != k_values.shape:
            raise ValueError(f"simulated[{label!r}] must have one fraction per k")
        colour = colours[index % len(colours)]
        marker = markers[index % len(markers)]
        seen = values > 0
        look = {"color": colour, "marker": marker, "label": label}
        artists += ax.plot(k_values[seen], values[seen], **look)
        for k in k_values[~seen]:
            artists.append(_none_seen_note(ax, k, int(trials), colour))
    ax.set(
        yscale="log",
        xlabel="number of parameters k",
        ylabel="fraction of critical points that are minima",
    )
    return artists


def _none_seen_note(ax, k, trials, colour):
    # x in data units, y in axes units: the note is not at any loss value.
    place = {"transform": ax.get_xaxis_transform(), "ha": "center", "va": "bottom"}
    box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": colour}
    text = f"none in\n{trials:,}\ntrials"
    return ax.text(k, 0.03, text, **place, color=colour, fontsize="small", bbox=box)
