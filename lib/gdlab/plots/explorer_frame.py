"""The descent explorer's figure: three linked panels, drawn once, updated in place.

:class:`ExplorerFrame` draws the parts of the explorer's figure that do not
move (the loss surface, the data, axis labels) once, and keeps the parts that
move (the path of θ, the current point, the arrow of −∇L, the line, the
residuals, the loss curve) as artists that :meth:`ExplorerFrame.show` updates
in place.  The live explorer (:class:`gdlab.widgets.DescentExplorer`, lesson
05) blits those artists over a cached background; ``tools/make_media.py``
draws the README's animation from the same code.

The panels:

1. the loss surface over the two parameters, as filled contours (``view=
   "contour"``) or as a 3-D surface (``view="3d"``), with the minimum, the
   path so far, the current point and the negative gradient;
2. for a line's MSE, the data with the current line ŷ = m·x + b and its
   residuals; for any other surface, both parameters against the step;
3. the loss against the step (log scale when every loss is positive).

Paths that leave the window are clipped to it (the current point is then
pinned to the edge and marked "off the map"), so a diverging run never
stretches an axis to 1e300.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects, rcParams
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties
from matplotlib.legend_handler import HandlerPatch
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from ..surfaces import Surface
from .contour_plots import plot_loss_contours
from .moving_layer import MovingLayer, pixels, pixels_3d
from .style import COLORS, CONTOUR_CMAP, style

__all__ = [
    "VIEWS",
    "ExplorerFrame",
    "clip_path",
    "known_critical_points",
    "current_mark_key",
    "off_map_label",
    "pin_off_map",
    "plot_current_mark",
]

VIEWS = ("contour", "3d")


def clip_path(points, window):
    """Clip a polyline to a rectangle; returns ``(k, 2)`` coordinates with NaN gaps.

    Each segment ``points[i] → points[i + 1]`` is cut to the part inside
    ``window = ((x_low, x_high), (y_low, y_high))`` (Liang–Barsky), so the
    visible part keeps its true direction however far out the ends are.
    Segment ``i`` occupies rows ``3i, 3i + 1`` of the result, followed by a NaN
    row; a segment wholly outside is all NaN.  A single point gives an empty
    result.

    Examples
    --------
    >>> clip_path([[0.0, 0.0], [4.0, 2.0]], ((-1, 2), (-1, 2))).tolist()
    [[0.0, 0.0], [2.0, 1.0], [nan, nan]]
    """
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(p) < 2:
        return np.empty((0, 2))
    start, delta = p[:-1], p[1:] - p[:-1]
    low = np.array([window[0][0], window[1][0]], dtype=float)
    high = np.array([window[0][1], window[1][1]], dtype=float)
    t0 = np.zeros(len(start))
    t1 = np.ones(len(start))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for axis in range(2):
            d = delta[:, axis]
            a = (low[axis] - start[:, axis]) / d
            b = (high[axis] - start[:, axis]) / d
            enter = np.where(d > 0, a, b)
            leave = np.where(d > 0, b, a)
            moving = d != 0
            t0 = np.where(moving, np.maximum(t0, enter), t0)
            t1 = np.where(moving, np.minimum(t1, leave), t1)
            still_outside = ~moving & (
                (start[:, axis] < low[axis]) | (start[:, axis] > high[axis])
            )
            t1 = np.where(still_outside, -1.0, t1)
    visible = (t0 <= t1) & np.isfinite(t0) & np.isfinite(t1)
    out = np.full((len(start), 3, 2), np.nan)
    out[visible, 0] = start[visible] + t0[visible, None] * delta[visible]
    out[visible, 1] = start[visible] + t1[visible, None] * delta[visible]
    return out.reshape(-1, 2)


def pin_off_map(points, window) -> np.ndarray:
    """Where to mark each point of a path on the map: itself, or where the path left it.

    A point inside ``window`` stays where it is.  A point outside is pinned
    where the path last crossed the window's edge on its way out, so the
    marker sits where the path leaves the map.  (A path that starts outside
    is pinned where the ray from the window's centre to it crosses the edge.)

    Examples
    --------
    >>> pin_off_map([[0.0, 0.0], [0.5, 0.0], [3.0, 0.0], [5.0, 4.0]], ((-1, 1), (-1, 1))).tolist()
    [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [1.0, 0.0]]
    """
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    (low_1, high_1), (low_2, high_2) = window
    inside = (
        (p[:, 0] >= low_1)
        & (p[:, 0] <= high_1)
        & (p[:, 1] >= low_2)
        & (p[:, 1] <= high_2)
    )
    centre = np.array([(low_1 + high_1) / 2, (low_2 + high_2) / 2])
    half = np.array([(high_1 - low_1) / 2, (high_2 - low_2) / 2])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reach = np.max(np.abs(p - centre) / half, axis=1)
        ray = centre + (p - centre) / np.maximum(reach, 1)[:, None]
    pinned = np.where(inside[:, None], p, ray)
    # The exit of each segment that goes from the map to off it.
    leaving = np.flatnonzero(inside[:-1] & ~inside[1:])
    if leaving.size:
        exits = clip_path(p, window).reshape(-1, 3, 2)[leaving, 1]
        latest = np.full(len(p), -1)
        latest[leaving + 1] = np.arange(leaving.size)
        latest = np.maximum.accumulate(latest)
        use = ~inside & (latest >= 0)
        pinned[use] = exits[latest[use]]
    return np.column_stack(
        [np.clip(pinned[:, 0], low_1, high_1), np.clip(pinned[:, 1], low_2, high_2)]
    )


def known_critical_points(surface: Surface) -> list:
    """``surface.critical_points()``, or an empty list when the surface does not know them.

    Examples
    --------
    >>> import gdlab
    >>> [p.kind for p in known_critical_points(gdlab.Saddle())]
    ['saddle']
    """
    try:
        return list(surface.critical_points())
    except NotImplementedError:
        return []


def _widest_log_tick_points() -> float:
    """Width in points of a wide log-scale tick label (10⁻¹⁰) in the current style."""
    renderer = RendererAgg(1, 1, 72)
    props = FontProperties(size=rcParams["ytick.labelsize"])
    width, _, _ = renderer.get_text_width_height_descent(
        r"$\mathdefault{10^{-10}}$", props, ismath=True
    )
    return float(width)


def _square(window):
    """The window widened about its centre to a square (equal ranges)."""
    half = max(high - low for low, high in window) / 2
    return tuple(
        ((low + high) / 2 - half, (low + high) / 2 + half) for low, high in window
    )


def _expand(window, fraction):
    return tuple(
        (low - fraction * (high - low), high + fraction * (high - low))
        for low, high in window
    )


def plot_current_mark(ax, size, dims=2, **extra):
    """An empty mark for θ now (orange, white edge), to move with ``set_data``.

    ``dims=3`` makes it on a 3-D axes.  Returns the Line2D.

    >>> from matplotlib.figure import Figure
    >>> mark = plot_current_mark(Figure().subplots(), 10)
    >>> mark.get_marker(), mark.get_markersize()
    ('o', 10.0)
    """
    (mark,) = ax.plot(
        *([[]] * dims),
        "o",
        color=COLORS["current"],
        markersize=size,
        markeredgecolor="white",
        markeredgewidth=2.0,
        **extra,
    )
    return mark


def current_mark_key(size):
    """The legend's key for θ now, the mark :func:`plot_current_mark` draws.

    >>> current_mark_key(10).get_label()
    'θ now'
    """
    return Line2D(
        [],
        [],
        marker="o",
        linestyle="none",
        color=COLORS["current"],
        markersize=size,
        markeredgecolor="white",
        label="θ now",
    )


def off_map_label(write, x, y, **extra):
    """The hidden label "off the map", boxed; ``write`` is ``ax.text`` or ``ax.text2D``.

    >>> from matplotlib.figure import Figure
    >>> label = off_map_label(Figure().subplots().text, 0.5, 0.5)
    >>> label.get_text(), label.get_visible()
    ('off the map', False)
    """
    label = write(
        x,
        y,
        "off the map",
        fontweight="bold",
        bbox={
            "boxstyle": "round,pad=0.25",
            "facecolor": "white",
            "edgecolor": COLORS["current"],
        },
        **extra,
    )
    label.set_visible(False)
    return label


class ExplorerFrame:
    """The explorer's three-panel figure on a given ``figure``.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        An empty figure (object-oriented API; no pyplot needed).
    surface : Surface
        Any two-parameter surface, e.g. ``gdlab.LinearMSE(x, y)``.
    view : {"contour", "3d"}
        Panel 1 as filled contours or as a 3-D surface.
    classroom : bool
        Thicker lines and bigger markers for a projector (use it with a
        figure made under ``gdlab.plots.style(classroom=True)``).
    window : ((float, float), (float, float)), optional
        The parameter window of panel 1; default ``surface.window()`` widened
        by 8 % on each side.
    aspect : {"auto", "equal"}
        ``"equal"`` draws panel 1 to scale (one unit is as long on both axes,
        the window widened to a square), so a round bowl looks round.
    feature : str
        For a line's MSE: the name of the input on the data panel's axis and
        in its title, ŷ = m·feature + b (``"z"`` for standardised inputs).

    Attributes
    ----------
    surface_ax, middle_ax, loss_ax : Axes
        The three panels.
    moving : list of Artist
        The artists :meth:`show` changes.
    critical_points : list of CriticalPoint
        What the surface knows of its critical points (marked on panel 1).
    line_off_panel : Text
        For a line's MSE: says so in words while the whole line ŷ is above or
        below the data panel (a far start, a divergence).
    per_run_axes : list of Axes
        The panels :meth:`set_run` changes (their limits follow the run);
        the others never change.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> obs = gdlab.make_observations(n=20, seed=1)
    >>> surface = gdlab.LinearMSE(obs.x, obs.y)
    >>> frame = ExplorerFrame(Figure(figsize=(12, 4)), surface)
    >>> frame.set_run(gdlab.descend(surface, (0.0, 0.0), learning_rate=0.01, steps=50))
    >>> frame.show(10)
    10
    >>> frame.path_line.get_xdata().size  # 10 segments, 3 rows each
    30
    """

    def __init__(
        self,
        figure,
        surface: Surface,
        *,
        view: str = "contour",
        classroom: bool = False,
        window=None,
        aspect: str = "auto",
        feature: str = "x",
    ):
        if not isinstance(feature, str) or not feature.strip():
            raise TypeError(f"feature must be a non-empty name; got {feature!r}")
        self.feature = feature
        if not isinstance(surface, Surface) or surface.n_parameters != 2:
            raise TypeError(
                f"surface must be a two-parameter gdlab Surface (e.g. LinearMSE(x, y)); got {surface!r}"
            )
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}; got {view!r}")
        if aspect not in ("auto", "equal"):
            raise ValueError(f"aspect must be 'auto' or 'equal'; got {aspect!r}")
        self.aspect = aspect
        self.figure = figure
        self.surface = surface
        self.view = view
        self.classroom = bool(classroom)
        try:
            self.window = _expand(surface.window(), 0.08) if window is None else window
        except NotImplementedError:
            raise TypeError(
                f"surface must define window(), the range to draw; {type(surface).__name__} does not"
            ) from None
        if aspect == "equal":
            self.window = _square(self.window)
        self.critical_points = known_critical_points(surface)
        self.names = surface.parameter_names
        self.has_data = surface.fits_a_line
        self.run = None
        self.moving = []
        with style(classroom=self.classroom):
            self._build()

    # -- building ----------------------------------------------------------------

    def _build(self):
        fig = self.figure
        fig.set_layout_engine("constrained")
        # The map is the panel a class watches: in classroom mode, where the
        # figure is only as tall as a 720-pixel screen leaves, it gets more width.
        first_width = 1.35 if self.view == "3d" else 1.2
        grid = fig.add_gridspec(
            1, 3, width_ratios=[first_width * (1.4 if self.classroom else 1.0), 1, 1]
        )
        big = self.classroom
        self._lw = 3.2 if big else 2.0
        self._marker = 14 if big else 10
        outline = [patheffects.withStroke(linewidth=self._lw + 2.2, foreground="black")]

        first, second = self._compute_grid()
        if self.view == "3d":
            ax = fig.add_subplot(grid[0, 0], projection="3d")
            self._build_3d(ax, first, second)
        else:
            ax = fig.add_subplot(grid[0, 0])
            self._build_contour(ax, outline)
        self.surface_ax = ax
        name_1, name_2 = self.names
        ax.set_title(f"loss surface L({name_1}, {name_2})")

        # Panel 2
        self.middle_ax = fig.add_subplot(grid[0, 1])
        if self.has_data:
            self._build_data(self.middle_ax)
        else:
            self._build_parameters(self.middle_ax)

        # Panel 3
        self.loss_ax = fig.add_subplot(grid[0, 2])
        self._build_loss_panel(self.loss_ax)
        # The panels whose axes follow each run (the rest never change).
        self.per_run_axes = (
            [self.loss_ax] if self.has_data else [self.middle_ax, self.loss_ax]
        )
        self._add_legend()

    def _compute_grid(self):
        """The loss on a 90 × 90 grid over the window, and its finite range."""
        first, second = (
            np.linspace(*self.window[0], 90),
            np.linspace(*self.window[1], 90),
        )
        self._grid_values = self.surface.grid(first, second)
        finite = self._grid_values[np.isfinite(self._grid_values)]
        self._grid_low, self._grid_high = float(finite.min()), float(finite.max())
        return first, second

    def _build_loss_panel(self, ax3):
        """Panel 3: the loss against the step, its label placed once for all runs."""
        fig = self.figure
        ax3.set_title("loss L per step")
        ax3.set_xlabel("step")
        ax3.set_ylabel("loss L")
        # The label's place is fixed once, with room for the widest log-scale
        # tick label, so a later run on a log scale never writes over it.
        room = (
            _widest_log_tick_points()
            + rcParams["ytick.major.size"]
            + rcParams["ytick.major.pad"]
            + 4.0
        )
        ax3.yaxis.set_label_coords(
            0.0,
            0.5,
            transform=ax3.transAxes
            + ScaledTranslation(-room / 72, 0, fig.dpi_scale_trans),
        )
        ax3.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        (self.loss_line,) = ax3.plot([], [], color=COLORS["line"], linewidth=self._lw)
        (self.loss_point,) = ax3.plot(
            [],
            [],
            "o",
            color=COLORS["current"],
            markersize=self._marker * 0.8,
            markeredgecolor="black",
        )
        self.moving += [self.loss_line, self.loss_point]
        self._floor_line = None

    def _add_legend(self):
        """One legend for the three panels, under them."""
        handles = self._legend_handles()
        self.figure.legend(
            handles=handles,
            loc="outside lower center",
            # Classroom: two rows, so the larger keys fit a projected notebook's width.
            ncols=-(-len(handles) // 2) if self.classroom else len(handles),
            frameon=False,
            handler_map={
                FancyArrowPatch: HandlerPatch(patch_func=self._draw_arrow_key)
            },
        )

    def _contour_map(self, ax) -> list:
        """The filled contours and the marks of the critical points; returns the marks.

        The marks are moving artists (drawn over the path and the arrow every
        frame), and lines, so a browser gets them as marker sprites too.
        """
        plot_loss_contours(
            ax, self.surface, *self.window, resolution=90, levels=18, mark_minimum=False
        )
        minima = [p.point for p in self.critical_points if p.kind == "minimum"]
        stars = self._mark_points(
            ax, minima, "*", 16.1, COLORS["minimum"], "white", "minimum"
        )
        if self.aspect == "equal":
            ax.set_aspect("equal", adjustable="box")
        crosses = self._mark_other_critical_points(ax)
        marks = [mark for mark in (stars, crosses) if mark is not None]
        for mark in marks:
            mark.set_zorder(8)
        return marks

    def _build_contour(self, ax, outline):
        marks = self._contour_map(ax)
        self._add_path_and_arrow(ax, outline)
        self.current = plot_current_mark(ax, self._marker, zorder=9, clip_on=False)
        self.off_map = off_map_label(
            ax.text, 0, 0, color="black", zorder=10, clip_on=True
        )
        # Drawn in this order every frame: the path, the arrow, then the marks it
        # must not hide (minimum, saddles, θ now) and the label on top.
        self.moving += [self.path_line, self.path_points, self.arrow, *marks]
        self.moving += [self.current, self.off_map]

    def _add_path_and_arrow(self, ax, outline):
        """The path of θ (a line and its points) and the arrow of −∇L on the map."""
        (self.path_line,) = ax.plot(
            [],
            [],
            color=COLORS["path"],
            linewidth=self._lw,
            path_effects=outline,
            zorder=6,
        )
        (self.path_points,) = ax.plot(
            [],
            [],
            "o",
            color=COLORS["path"],
            markersize=self._marker * 0.45,
            markeredgecolor="black",
            markeredgewidth=0.6,
            zorder=6,
        )
        self.arrow = FancyArrowPatch(
            (0, 0),
            (0, 0),
            **self._arrow_style(30 if self.classroom else 22),
            zorder=7,
        )
        ax.add_patch(self.arrow)

    def _arrow_style(self, scale):
        return {
            "arrowstyle": "simple,head_length=0.9,head_width=0.9,tail_width=0.35",
            "mutation_scale": scale,
            "facecolor": "white",
            "edgecolor": "black",
            "linewidth": 1.6 if self.classroom else 1.2,
        }

    def _build_3d(self, ax, first, second):
        step = max(1, len(first) // 45)
        grid_first, grid_second = np.meshgrid(first[::step], second[::step])
        values = self._grid_values[::step, ::step]
        ax.plot_surface(
            grid_first,
            grid_second,
            values,
            cmap=CONTOUR_CMAP,
            linewidth=0,
            antialiased=False,
            alpha=0.85,
            rcount=45,
            ccount=45,
        )
        stars, crosses = self._mark_critical_points_3d(ax)
        self._set_up_3d_axes(ax)
        (self.path_line,) = ax.plot(
            [], [], [], color=COLORS["path"], linewidth=self._lw + 0.5
        )
        (self.path_points,) = ax.plot(
            [],
            [],
            [],
            "o",
            color=COLORS["path"],
            markersize=self._marker * 0.35,
            markeredgecolor="black",
            markeredgewidth=0.4,
        )
        self.current = plot_current_mark(ax, self._marker, dims=3)
        self.arrow = None
        self.off_map = off_map_label(
            ax.text2D, 0.5, 0.92, transform=ax.transAxes, ha="center"
        )
        self.moving += [
            stars,
            crosses,
            self.path_line,
            self.path_points,
            self.current,
            self.off_map,
        ]

    def _mark_critical_points_3d(self, ax):
        """Stars on the minima, crosses on the other critical points, at their loss."""
        # The minima are redrawn over the surface (moving artists), or it would hide them.
        points = self.critical_points
        minima = np.array(
            [p.point + (p.loss,) for p in points if p.kind == "minimum"], dtype=float
        )
        others = np.array(
            [p.point + (p.loss,) for p in points if p.kind != "minimum"], dtype=float
        )
        minima, others = minima.reshape(-1, 3), others.reshape(-1, 3)
        (stars,) = ax.plot(
            minima[:, 0],
            minima[:, 1],
            minima[:, 2],
            "*",
            markersize=self._marker * 1.8,
            color=COLORS["minimum"],
            markeredgecolor="white",
        )
        (crosses,) = ax.plot(
            others[:, 0],
            others[:, 1],
            others[:, 2],
            "X",
            markersize=self._marker * 1.3,
            color="white",
            markeredgecolor="black",
        )
        return stars, crosses

    def _set_up_3d_axes(self, ax):
        """The window, the loss range, the labels and the viewing angle."""
        ax.set_xlim(*self.window[0])
        ax.set_ylim(*self.window[1])
        ax.set_zlim(self._grid_low, self._grid_high)
        # The title names the vertical axis (L); a z label would crowd the next panel.
        pad = 10 if self.classroom else 6
        ax.set_xlabel(self.names[0], labelpad=pad)
        ax.set_ylabel(self.names[1], labelpad=pad)
        ax.tick_params(axis="z", pad=4)
        ax.view_init(elev=32, azim=-60)

    def _mark_other_critical_points(self, ax):
        others = [p.point for p in self.critical_points if p.kind != "minimum"]
        return self._mark_points(ax, others, "X", 14.1, "white", "black", "saddle")

    @staticmethod
    def _mark_points(ax, points, marker, size, color, edge, label):
        """Critical points as one Line2D of markers (None when there are none)."""
        if not points:
            return None
        points = np.array(points, dtype=float).reshape(-1, 2)
        (marks,) = ax.plot(
            points[:, 0],
            points[:, 1],
            marker,
            markersize=size,
            color=color,
            markeredgecolor=edge,
            markeredgewidth=1.2,
            linestyle="none",
            zorder=5,
            label=label,
        )
        return marks

    def _build_data(self, ax):
        x, y = self.surface.x, self.surface.y
        ax.set_title(f"data and the line ŷ = m·{self.feature} + b")
        size = 30 if x.size <= 200 else max(2, 3000 / x.size)
        ax.scatter(
            x,
            y,
            s=size * (1.6 if self.classroom else 1.0),
            color=COLORS["data"],
            zorder=3,
        )
        pad_x = 0.05 * (np.ptp(x) or 1.0)
        pad_y = 0.15 * (np.ptp(y) or 1.0)
        self._data_box = (
            (x.min() - pad_x, x.max() + pad_x),
            (y.min() - pad_y, y.max() + pad_y),
        )
        ax.set_xlim(*self._data_box[0])
        ax.set_ylim(*self._data_box[1])
        ax.set_xlabel(self.feature)
        ax.set_ylabel("y")
        (self.fit_line,) = ax.plot(
            [], [], color=COLORS["line"], linewidth=self._lw, zorder=4
        )
        # Said in words when the whole line is above or below the panel (a far start, a divergence).
        self.line_off_panel = ax.text(
            0.5,
            0.5,
            "",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontweight="bold",
            color="black",
            zorder=6,
            bbox={
                "boxstyle": "round,pad=0.3",
                "facecolor": "white",
                "edgecolor": COLORS["line"],
            },
        )
        self.line_off_panel.set_visible(False)
        self.residuals = None
        if x.size <= 300:
            self.residuals = ax.vlines(
                x,
                y,
                y,
                colors=COLORS["residual"],
                linewidth=2.0 if self.classroom else 1.4,
                zorder=2,
            )
            self.moving.append(self.residuals)
        self.moving += [self.fit_line, self.line_off_panel]

    def _build_parameters(self, ax):
        ax.set_title("parameters per step")
        ax.set_xlabel("step")
        ax.set_ylabel("value")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        low = min(self.window[0][0], self.window[1][0])
        high = max(self.window[0][1], self.window[1][1])
        self._param_box = (low, high)
        ax.set_ylim(low, high)
        (self.first_line,) = ax.plot(
            [], [], color=COLORS["data"], linewidth=self._lw, label=self.names[0]
        )
        (self.second_line,) = ax.plot(
            [],
            [],
            color=COLORS["line"],
            linewidth=self._lw,
            linestyle="--",
            label=self.names[1],
        )
        ax.legend(loc="upper left")
        self.moving += [self.first_line, self.second_line]

    def _legend_handles(self):
        handles = self._critical_point_keys()
        handles += [
            Line2D(
                [],
                [],
                color=COLORS["path"],
                linewidth=self._lw,
                marker="o",
                markersize=self._marker * 0.45,
                markeredgecolor="black",
                label="path of θ",
            ),
            current_mark_key(self._marker),
        ]
        if self.view == "contour":
            # The same white arrow as on the map (a proxy drawn by _draw_arrow_key).
            handles.append(
                FancyArrowPatch(
                    (0, 0), (1, 0), **self._arrow_style(1), label="−∇L (downhill)"
                )
            )
        if self.has_data:
            handles += self._data_keys()
        return handles

    def _critical_point_keys(self):
        """Keys for the minimum and the other critical points the map marks."""
        size = self._marker
        kinds = {p.kind for p in self.critical_points}
        handles = []
        if "minimum" in kinds:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="*",
                    linestyle="none",
                    markersize=size * 1.4,
                    color=COLORS["minimum"],
                    markeredgecolor="white",
                    label="minimum",
                )
            )
        if kinds - {"minimum"}:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="X",
                    linestyle="none",
                    markersize=size * 1.1,
                    color="white",
                    markeredgecolor="black",
                    label="saddle"
                    if kinds - {"minimum"} == {"saddle"}
                    else "critical point",
                )
            )
        return handles

    def _data_keys(self):
        """Keys for the data panel's line and residuals and the lowest loss."""
        return [
            Line2D([], [], color=COLORS["line"], linewidth=self._lw, label="line ŷ"),
            Line2D([], [], color=COLORS["residual"], linewidth=2, label="residuals"),
            Line2D(
                [],
                [],
                color=COLORS["minimum"],
                linestyle=":",
                linewidth=1.8,
                label="lowest loss L*",
            ),
        ]

    def _draw_arrow_key(
        self, legend, orig_handle, xdescent, ydescent, width, height, fontsize
    ):
        """The legend's picture of −∇L: the map's arrow, scaled to the legend's row."""
        style = self._arrow_style(fontsize * 0.9)
        middle = height / 2 - ydescent
        return FancyArrowPatch((-xdescent, middle), (width - xdescent, middle), **style)

    def freeze_text_positions(self):
        """Fix titles and axis labels where they are now (call after a first draw).

        Matplotlib otherwise re-measures every tick label on each draw to
        place them; for panels redrawn on every new path that is the main cost.
        """
        for ax in (self.surface_ax, self.middle_ax, self.loss_ax):
            if self.view == "3d" and ax is self.surface_ax:
                continue
            ax.set_title(ax.get_title(), y=ax.title.get_position()[1])
            to_axes = ax.transAxes.inverted()
            for axis in (ax.xaxis, ax.yaxis):
                label = axis.label
                anchor = label.get_transform().transform(label.get_position())
                axis.set_label_coords(*to_axes.transform(anchor))

    # -- one run -------------------------------------------------------------------

    def set_run(self, run):
        """Take a new :class:`~gdlab.descent.DescentRun`: precompute what each step draws.

        Changes axis limits, so a blitting caller must redraw its background.
        """
        params = np.asarray(run.params, dtype=float)
        losses = np.asarray(run.losses, dtype=float)
        self.run = run
        self._params = params
        self._gradients = np.asarray(run.gradients, dtype=float)
        self._last = len(params) - 1
        (m_low, m_high), (b_low, b_high) = self.window
        self._inside = (
            (params[:, 0] >= m_low)
            & (params[:, 0] <= m_high)
            & (params[:, 1] >= b_low)
            & (params[:, 1] <= b_high)
        )
        self._clipped = clip_path(params, self.window)
        # A segment between two points off the map is not drawn: a diverging
        # zig-zag would otherwise sweep the map with lines from far outside.
        outside_both = ~self._inside[:-1] & ~self._inside[1:]
        self._clipped.reshape(-1, 3, 2)[outside_both] = np.nan
        # Off the map, marked a little inside the edge: clear of the title and labels.
        inset = _expand(self.window, -0.03)
        self._pinned = np.where(
            self._inside[:, None],
            params,
            pin_off_map(pin_off_map(params, self.window), inset),
        )
        if self.view == "3d":
            self._clipped_z = (
                self.surface.loss(self._clipped) if len(self._clipped) else np.empty(0)
            )
            self._pinned_z = self.surface.loss(self._pinned)
        width = np.array([m_high - m_low, b_high - b_low])
        # Arrow length: a fifth of the window for the start's gradient, shorter as it shrinks.
        self._start_size = float(np.linalg.norm(self._gradients[0] / width)) or 1.0
        self._width = width

        self._fit_loss_axis(losses)
        if self.has_data:
            if self._floor_line is None:
                self._floor_line = self.loss_ax.axhline(
                    self.surface.minimum_loss,
                    color=COLORS["minimum"],
                    linestyle=":",
                    linewidth=1.8,
                    label="lowest loss",
                )
        else:
            self.middle_ax.set_xlim(
                -0.02 * max(self._last, 1), max(self._last, 1) * 1.05
            )
            low, high = self._param_box
            span = high - low
            self._param_values = np.clip(params, low - span, high + span)

    def _fit_loss_axis(self, losses):
        """Panel 3's limits from the whole run, so Play never rescales."""
        ax = self.loss_ax
        # Log scale when the loss falls (or grows) by more than a factor of 30;
        # a short range reads better on a linear axis.
        self._log_loss = bool(np.all(losses > 0)) and float(losses.max()) > 30 * float(
            losses.min()
        )
        if self._log_loss:
            low = min(
                float(losses.min()), self._grid_low if self._grid_low > 0 else np.inf
            )
            high = float(losses.max())
            ax.set_yscale("log")
            ax.set_ylim(low / 1.6, max(high * 1.6, low * 4.0))
            self._loss_clip = (low / 1.6, high * 1.6)
        else:
            ax.set_yscale("linear")
            # Keep the range near the window's losses: a run falling without
            # bound (a saddle) leaves the chart instead of squashing it.
            span = self._grid_high - self._grid_low
            low = max(min(float(losses.min()), self._grid_low), self._grid_low - span)
            high = min(
                max(float(losses.max()), float(losses[0])), self._grid_high + span
            )
            pad = 0.08 * ((high - low) or 1.0)
            ax.set_ylim(low - pad, high + pad)
            self._loss_clip = (low - 2 * pad, high + 2 * pad)
        # A margin past the last step, so its tick label is never cut by the figure's edge.
        ax.set_xlim(-0.02 * max(self._last, 1), max(self._last, 1) * 1.05)
        self._loss_values = np.clip(losses, *self._loss_clip)

    def show(self, step: int) -> int:
        """Move every moving artist to ``step`` (clamped to the run); returns the step shown."""
        if self.run is None:
            raise RuntimeError("call set_run(run) before show(step)")
        k = int(min(max(step, 0), self._last))
        params = self._params
        inside = self._inside[: k + 1]
        segments = self._clipped[: 3 * k]
        here = self._pinned[k]
        if self.view == "3d":
            self.path_line.set_data_3d(
                segments[:, 0], segments[:, 1], self._clipped_z[: 3 * k]
            )
            shown = self._pinned[: k + 1][inside]
            self.path_points.set_data_3d(
                shown[:, 0], shown[:, 1], self._pinned_z[: k + 1][inside]
            )
            self.current.set_data_3d([here[0]], [here[1]], [self._pinned_z[k]])
        else:
            self.path_line.set_data(segments[:, 0], segments[:, 1])
            # At most about 60 dots: on a long run they would hide the line's colour.
            every = max(1, -(-k // 60))
            shown = params[: k + 1 : every][inside[::every]]
            self.path_points.set_data(shown[:, 0], shown[:, 1])
            self.current.set_data([here[0]], [here[1]])
            self._place_arrow(k)
            if not self._inside[k]:
                self._place_off_map_label(here)
        self.off_map.set_visible(not bool(self._inside[k]))
        self.current.set_marker("o" if self._inside[k] else "D")

        if self.has_data:
            self._show_line(*params[k])
        else:
            steps = np.arange(k + 1)
            self.first_line.set_data(steps, self._param_values[: k + 1, 0])
            self.second_line.set_data(steps, self._param_values[: k + 1, 1])
        self.loss_line.set_data(np.arange(k + 1), self._loss_values[: k + 1])
        self.loss_point.set_data([k], [self._loss_values[k]])
        return k

    # -- the moving layer as numbers -------------------------------------------

    def export_moving(self) -> MovingLayer:
        """Every moving artist at every step of the run, in pixels, for a browser to draw.

        The numbers come from matplotlib's own transforms (the 3-D projection
        included), so a canvas drawing them over a still of the figure
        without its moving artists shows what :meth:`show` and a draw would.
        Call it after the figure was drawn with the current run (a blitting
        caller's background), so that every transform is final.  The artists
        are left as they were.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
        >>> import gdlab
        >>> obs = gdlab.make_observations(n=20, seed=1)
        >>> surface = gdlab.LinearMSE(obs.x, obs.y)
        >>> frame = ExplorerFrame(Figure(figsize=(12, 4)), surface)
        >>> frame.set_run(gdlab.descend(surface, (0.0, 0.0), learning_rate=0.01, steps=50))
        >>> FigureCanvasAgg(frame.figure).draw()
        >>> layer = frame.export_moving()
        >>> layer.steps, [spec["kind"] for spec in layer.layers][:3]
        (51, ['polyline', 'markers', 'arrow'])
        """
        if self.run is None:
            raise RuntimeError("call set_run(run) before export_moving()")
        # Sprites (markers and labels as matplotlib renders them) depend on the
        # figure only: rendered once, kept with the frame.
        cache = self.__dict__.setdefault("_sprite_cache", {})
        layer = MovingLayer(self.figure, self._last + 1, cache=cache)
        steps = np.arange(self._last + 1, dtype=float)
        for artist in self.moving:
            if artist is self.path_line:
                layer.polyline(artist, self._map_pixels(self._clipped), count=(3, 0))
            elif artist is self.path_points:
                points = self._pinned if self.view == "3d" else self._params
                layer.markers(
                    artist, self._map_pixels(points), count=(1, 1), mask=self._inside
                )
            elif artist is self.current:
                sprites = [layer.sprite(artist, "o"), layer.sprite(artist, "D")]
                choice = np.where(self._inside, 0, 1)
                layer.per_step(artist, self._map_pixels(self._pinned), choice, sprites)
            elif artist is self.arrow:
                layer.arrow(artist, self._arrow_pixels())
            elif artist is self.off_map:
                self._export_off_map(layer)
            elif self.has_data and artist is self.fit_line:
                self._export_fit_line(layer)
            elif self.has_data and artist in (self.residuals, self.line_off_panel):
                continue  # drawn with the fitted line, in the same order
            elif not self.has_data and artist in (self.first_line, self.second_line):
                column = 0 if artist is self.first_line else 1
                values = np.column_stack([steps, self._param_values[:, column]])
                layer.polyline(artist, pixels(self.middle_ax, values), count=(1, 1))
            elif artist is self.loss_line:
                values = np.column_stack([steps, self._loss_values])
                layer.polyline(artist, pixels(self.loss_ax, values), count=(1, 1))
            elif artist is self.loss_point:
                values = np.column_stack([steps, self._loss_values])
                points = pixels(self.loss_ax, values)
                layer.per_step(
                    artist, points, np.zeros(len(steps)), [layer.sprite(artist)]
                )
            elif (
                self.view == "3d"
            ):  # the 3-D view's critical points: the same at every step
                x, y, z = artist.get_data_3d()
                points = pixels_3d(self.surface_ax, x, y, z)
                layer.markers(artist, points, count=(0, len(points)))
            else:  # the map's critical points, drawn over the path at every step
                points = pixels(self.surface_ax, np.column_stack(artist.get_data()))
                layer.markers(artist, points, count=(0, len(points)))
        return layer

    def _map_pixels(self, points):
        """Points of the path (clipped or pinned) → pixels on the surface panel."""
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        if self.view != "3d":
            return pixels(self.surface_ax, points)
        if points is self._clipped or len(points) == len(self._clipped):
            z = self._clipped_z
        else:
            z = self._pinned_z
        return pixels_3d(self.surface_ax, points[:, 0], points[:, 1], z)

    def _arrow_pixels(self):
        tips = self._arrow_tips(np.arange(self._last + 1))
        ends = np.stack([self._params, tips], axis=1).reshape(-1, 2)
        return pixels(self.surface_ax, ends).reshape(-1, 2, 2)

    def _export_off_map(self, layer):
        text = self.off_map
        outside = np.flatnonzero(~self._inside)
        points = np.full((self._last + 1, 2), np.nan)
        choice = np.full(self._last + 1, -1)
        if self.view == "3d":
            anchor = text.get_transform().transform(text.get_position())
            points[outside] = [anchor[0], self.figure.bbox.height - anchor[1]]
            choice[outside] = 0
            layer.per_step(text, points, choice, [layer.sprite(text)])
            return
        kept = (text.get_position(), text.get_ha(), text.get_va())
        sprites, seen = [], {}
        for k in outside:
            self._place_off_map_label(self._pinned[k])
            key = (text.get_ha(), text.get_va())
            if key not in seen:
                seen[key] = len(sprites)
                sprites.append(layer.sprite(text))
            choice[k] = seen[key]
            points[k] = pixels(self.surface_ax, [text.get_position()])[0]
        text.set_position(kept[0])
        text.set_ha(kept[1])
        text.set_va(kept[2])
        layer.per_step(text, points, choice, sprites)

    def _fit_line_ends(self, params):
        """Each step's line ŷ = m·x + b at the data panel's edges, and the part seen.

        Returns ``(ends, visible)``, each of shape (steps, 2, 2): the points at
        the panel's left and right edges, and the same clipped to the panel
        (NaN where none of the line is in it).
        """
        (x_low, x_high), (y_low, y_high) = self._data_box
        m, b = params[:, 0], params[:, 1]
        count = len(m)
        with np.errstate(over="ignore", invalid="ignore"):
            left, right = m * x_low + b, m * x_high + b
        ends = np.stack(
            [np.full(count, x_low), left, np.full(count, x_high), right], axis=1
        ).reshape(count, 2, 2)
        box = ((x_low, x_high), (y_low, y_high))
        visible = clip_path(ends.reshape(-1, 2), box).reshape(-1, 3, 2)[0::2, :2]
        return ends, visible

    def _export_fit_line(self, layer):
        """The line ŷ, its residuals and the "above / below the panel" note, per step."""
        ax = self.middle_ax
        (x_low, x_high), (y_low, y_high) = self._data_box
        ends, visible = self._fit_line_ends(self._params)
        count, left, right = len(ends), ends[:, 0, 1], ends[:, 1, 1]
        if self.residuals is not None:
            span = y_high - y_low
            # Far beyond the panel a rule's end is clipped anyway: keep float32 finite.
            far = (y_low - 1e6 * span, y_high + 1e6 * span)
            edges = np.column_stack([np.clip(left, *far), np.clip(right, *far)])
            edges_px = pixels(
                ax, np.column_stack([np.full(2 * count, x_low), edges.ravel()])
            )
            tips = pixels(ax, [[x_low, y_low], [x_high, y_low]])[:, 0]
            limits = pixels(ax, [[x_low, y_low - span], [x_low, y_high + span]])[:, 1]
            feet = pixels(ax, np.column_stack([self.surface.x, self.surface.y]))
            layer.rules(self.residuals, feet, edges_px[:, 1], tips, limits)
        layer.segment(self.fit_line, pixels(ax, visible.reshape(-1, 2)))
        self._export_off_panel(layer, ends, visible)

    def _export_off_panel(self, layer, ends, visible):
        text = self.line_off_panel
        off = np.all(np.isnan(visible.reshape(len(visible), -1)), axis=1)
        choice = np.full(len(visible), -1)
        points = np.full((len(visible), 2), np.nan)
        sprites = []
        kept = (text.get_text(), text.get_position(), text.get_visible())
        for side in (True, False):
            with np.errstate(invalid="ignore"):
                heights = ends[:, :, 1]
                finite = np.isfinite(heights).any(axis=1)
                mean = (
                    np.nanmean(np.where(np.isfinite(heights), heights, np.nan), axis=1)
                    if finite.any()
                    else heights[:, 0]
                )
            above = np.where(finite, mean > self._data_box[1][1], True)
            which = np.flatnonzero(off & (above == side))
            if not len(which):
                continue
            self._show_line(*self._params[which[0]])
            anchor = text.get_transform().transform(text.get_position())
            choice[which] = len(sprites)
            points[which] = [anchor[0], self.figure.bbox.height - anchor[1]]
            sprites.append(layer.sprite(text))
        text.set_text(kept[0])
        text.set_position(kept[1])
        text.set_visible(kept[2])
        layer.per_step(text, points, choice, sprites)

    def _place_arrow(self, k):
        tip = self._arrow_tips([k])[0]
        if np.isnan(tip[0]):
            self.arrow.set_visible(False)
            return
        self.arrow.set_positions(tuple(self._params[k]), tuple(tip))
        self.arrow.set_visible(True)

    def _arrow_tips(self, steps):
        """Where the arrows of −∇L at ``steps`` end (data units, ``(len(steps), 2)``); NaN: hidden."""
        steps = np.asarray(steps, dtype=int)
        params, gradient = self._params[steps], self._gradients[steps]
        with np.errstate(all="ignore"):
            # Hidden once converged (the one definition, free of the data's
            # scale), without a gradient or a finite one, and while θ is off the map.
            gaps = self.run.gaps
            shown = (
                (gaps[steps] > (self.run.tolerance or 0.0) * gaps[0])
                & (np.linalg.norm(gradient, axis=1) > 0)
                & self._inside[steps]
                & np.all(np.isfinite(gradient), axis=1)
            )
            vector = -gradient  # in data units: the direction of the next step
            length = np.hypot(*(vector / self._width).T)
            # A fifth of the window at the start, shrinking (by the square root) with
            # the gradient, but never hidden under the marker nor out of the picture.
            wanted = np.clip(0.2 * np.sqrt(length / self._start_size), 0.1, 0.3)
            # Near a marked point (the minimum, a saddle) stop short of it, so the
            # arrow never lies over the star; too short to read, and it is not drawn.
            room = np.array(
                [self._room_before_mark(p, v) for p, v in zip(params, vector)]
            )
            shown &= room >= 0.05
            tip = params + vector * (np.minimum(wanted, room) / length)[:, None]
            # Near an edge, shorten the arrow to stay on the map rather than lose its head.
            (m_low, m_high), (b_low, b_high) = self.window
            out = shown & ~(
                (m_low <= tip[:, 0])
                & (tip[:, 0] <= m_high)
                & (b_low <= tip[:, 1])
                & (tip[:, 1] <= b_high)
            )
            if out.any():
                pairs = np.stack([params[out], tip[out]], axis=1).reshape(-1, 2)
                tip[out] = clip_path(pairs, self.window).reshape(-1, 3, 2)[0::2, 1]
                short = ~np.all(np.isfinite(tip), axis=1) | (
                    np.hypot(*((tip - params) / self._width).T) < 0.06
                )
                shown &= ~(out & short)
        tip[~shown] = np.nan
        return tip

    def _room_before_mark(self, point, vector) -> float:
        """How far (in window widths) the arrow may reach before a critical point."""
        marks = [p.point for p in self.critical_points]
        if not marks:
            return np.inf
        offsets = (np.array(marks, dtype=float) - point) / self._width
        direction = vector / self._width
        direction = direction / np.linalg.norm(direction)
        ahead = offsets @ direction
        across = np.abs(offsets @ np.array([-direction[1], direction[0]]))
        # A mark roughly in front of the arrow (within a star's width of its line).
        blocking = (ahead > 0) & (across < 0.04)
        return float(np.min(ahead[blocking]) - 0.035) if blocking.any() else np.inf

    def _place_off_map_label(self, here):
        (m_low, _), (b_low, _) = self.window
        # Where the marker sits, as a fraction of the map; the label goes on its
        # inner side (and wholly inside the map: it is clipped to it).
        u, v = (here[0] - m_low) / self._width[0], (here[1] - b_low) / self._width[1]
        ha = "left" if u < 0.25 else "right" if u > 0.75 else "center"
        va = "bottom" if v < 0.25 else "top" if v > 0.75 else "center"
        if va == "center":  # on a side edge: the label above or below the marker
            va = "top" if v > 0.5 else "bottom"
        inward = np.array(
            [{"left": 1, "right": -1, "center": 0}[ha], {"bottom": 1, "top": -1}[va]]
        )
        offset = inward * 0.06 * self._width
        self.off_map.set_position((here[0] + offset[0], here[1] + offset[1]))
        self.off_map.set_horizontalalignment(ha)
        self.off_map.set_verticalalignment(va)

    def _show_line(self, m, b):
        (x_low, x_high), (y_low, y_high) = self._data_box
        with np.errstate(over="ignore", invalid="ignore"):
            ends = np.array([[x_low, m * x_low + b], [x_high, m * x_high + b]])
        visible = clip_path(ends, ((x_low, x_high), (y_low, y_high)))[:2]
        self.fit_line.set_data(visible[:, 0], visible[:, 1])
        off = bool(np.all(np.isnan(visible)))
        self.line_off_panel.set_visible(off)
        if off:
            above = (
                bool(np.nanmean(ends[:, 1]) > y_high)
                if np.any(np.isfinite(ends[:, 1]))
                else True
            )
            self.line_off_panel.set_text(
                "line ŷ is above the panel ↑"
                if above
                else "line ŷ is below the panel ↓"
            )
            self.line_off_panel.set_y(0.9 if above else 0.1)
        if self.residuals is not None:
            x, y = self.surface.x, self.surface.y
            span = y_high - y_low
            with np.errstate(over="ignore", invalid="ignore"):
                y_hat = np.clip(m * x + b, y_low - span, y_high + span)
            segments = np.stack(
                [np.column_stack([x, y]), np.column_stack([x, y_hat])], axis=1
            )
            self.residuals.set_segments(segments)
