"""The explorer's map: the loss surface over the two parameters, and each run's path on it.

Panel 1 of :class:`gdlab.plots.explorer_frame.ExplorerFrame`: contours or a
3-D surface, its critical points marked, each run's path and θ now, and for
the explorer's one run the arrow of −∇L and the "off the map" note.  Paths are
clipped to the window (θ now is then pinned to its edge), so a diverging run
never stretches an axis to 1e300.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from .contour_plots import plot_loss_contours
from .scene.records import Arrow, Label, Markers, Polyline, Sprite
from .style import COLORS, CONTOUR_CMAP

__all__ = [
    "MapPanel",
    "clip_path",
    "current_mark_key",
    "inside",
    "hidden_note",
    "pin_off_map",
    "plot_current_mark",
]

# At most about this many dots per path: more would hide the line's colour.
MAX_DOTS = 60
# A path's dots on the contours and in the explorer's legend, in marker sizes.
DOT = 0.45
# The critical points' marks, on the map and in the legend: stars on the
# minima, crosses on the other critical points.  Sized in the frame's marker
# sizes on the 3-D map and in the legend; fixed on the contours, as the static
# maps' star (MINIMUM_STAR's 260 points²).
STAR = {"marker": "*", "color": COLORS["minimum"], "markeredgecolor": "white"}
CROSS = {"marker": "X", "color": "white", "markeredgecolor": "black"}
CRITICAL_MARKS = (
    {"look": STAR, "3d": 1.8, "legend": 1.4, "contours": 16.1},
    {"look": CROSS, "3d": 1.3, "legend": 1.1, "contours": 14.1},
)
# The note while θ is off the map: its words and its box's colour.
OFF_MAP = ("off the map", COLORS["current"])
# θ now's mark, on the map and in the legend.
NOW = {"color": COLORS["current"], "markeredgecolor": "white"}


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
    low, high = np.array(window, dtype=float).T
    t0, t1 = np.zeros(len(start)), np.ones(len(start))
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
    low, high = np.array(window, dtype=float).T
    on_map = inside(p, window)
    centre, half = (low + high) / 2, (high - low) / 2
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reach = np.max(np.abs(p - centre) / half, axis=1)
        ray = centre + (p - centre) / np.maximum(reach, 1)[:, None]
    pinned = np.where(on_map[:, None], p, ray)
    # The exit of each segment that goes from the map to off it.
    leaving = np.flatnonzero(on_map[:-1] & ~on_map[1:])
    if leaving.size:
        exits = clip_path(p, window).reshape(-1, 3, 2)[leaving, 1]
        latest = np.full(len(p), -1)
        latest[leaving + 1] = np.arange(leaving.size)
        latest = np.maximum.accumulate(latest)
        use = ~on_map & (latest >= 0)
        pinned[use] = exits[latest[use]]
    return np.clip(pinned, low, high)


def plot_current_mark(ax, size, dims=2, **extra):
    """An empty mark for θ now (orange, white edge), to move with ``set_data``.

    ``dims=3`` makes it on a 3-D axes; ``extra`` are Line2D properties (a
    race's runs: their own colour, a black edge).  Returns the Line2D.

    >>> from matplotlib.figure import Figure
    >>> mark = plot_current_mark(Figure().subplots(), 10)
    >>> mark.get_marker(), mark.get_markersize()
    ('o', 10.0)
    """
    look = {**NOW, "markersize": size, "markeredgewidth": 2.0, **extra}
    (mark,) = ax.plot(*([[]] * dims), "o", **look)
    return mark


def current_mark_key(size):
    """The legend's key for θ now, the mark :func:`plot_current_mark` draws.

    >>> current_mark_key(10).get_label()
    'θ now'
    """
    look = {"marker": "o", "linestyle": "none", "markersize": size, **NOW}
    return Line2D([], [], label="θ now", **look)


def hidden_note(write, x, y, text, edge, pad=0.25, **extra):
    """A hidden note in bold, boxed in ``edge``; ``write`` is ``ax.text`` or ``ax.text2D``.

    >>> from matplotlib.figure import Figure
    >>> note = hidden_note(Figure().subplots().text, 0.5, 0.5, "off the map", "red")
    >>> note.get_text(), note.get_visible()
    ('off the map', False)
    """
    box = {"boxstyle": f"round,pad={pad}", "facecolor": "white", "edgecolor": edge}
    note = write(x, y, text, fontweight="bold", bbox=box, **extra)
    note.set_visible(False)
    return note


def inside(points, window) -> np.ndarray:
    """Which points lie in ``window = ((low_1, high_1), (low_2, high_2))``, edges included.

    >>> inside([[0.0, 0.0], [2.0, 0.0]], ((-1, 1), (-1, 1))).tolist()
    [True, False]
    """
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    low, high = np.array(window, dtype=float).T
    return np.all((p >= low) & (p <= high), axis=1)


def expand(window, fraction):
    """The window widened by ``fraction`` of its width on each side (narrowed if negative)."""
    return tuple(
        (low - fraction * (high - low), high + fraction * (high - low))
        for low, high in window
    )


def _path_records(ax, artists, params, window, *, loss=None, compact=False):
    """A run's path on the map as records (its line, its dots, θ now): ``(records, inside, pinned)``.

    ``artists`` are the three Line2D.  θ now off the map is pinned a little
    inside its edge, as a diamond; ``loss`` (on a 3-D axes) gives each point
    its height; ``compact`` (a race) sends a path that never leaves the map
    as its vertices.
    """
    path, dots, now = artists
    params = np.asarray(params, dtype=float).reshape(-1, 2)
    on_map = inside(params, window)
    # Off the map, marked a little inside the edge: clear of the title and labels.
    edge = pin_off_map(pin_off_map(params, window), expand(window, -0.03))
    pinned = np.where(on_map[:, None], params, edge)
    z = None if loss is None else loss(pinned)
    if compact and loss is None and on_map.all():
        line = Polyline(path, ax, params, count=(1, 1))
    else:
        clipped = clip_path(params, window)
        # A diverging zig-zag would otherwise sweep the map with lines from far outside.
        clipped.reshape(-1, 3, 2)[~on_map[:-1] & ~on_map[1:]] = np.nan
        heights = None if loss is None else loss(clipped) if len(clipped) else []
        line = Polyline(path, ax, clipped, count=(3, 0), z=heights)
    every = max(1, -(-(len(params) - 1) // MAX_DOTS))
    dotted = on_map & (np.arange(len(params)) % every == 0)
    records = [
        line,
        Markers(dots, ax, pinned, count=(1, 1), mask=dotted, z=z),
        Sprite(
            now, ax, pinned, shapes=("o", "D"), choice=~on_map, z=z, rounded=not compact
        ),
    ]
    return records, on_map, pinned


def off_map_place(here, window):
    """Where the "off the map" note goes for θ pinned at ``here``: ``(x, y), ha, va``.

    On the marker's inner side, wholly inside the map (the note is clipped to it).

    >>> off_map_place((1.0, 0.0), ((-1, 1), (-1, 1)))
    ((0.88, 0.12), 'right', 'bottom')
    """
    low, high = np.array(window, dtype=float).T
    width = high - low
    # Where the marker sits, as a fraction of the map.
    u, v = (here - low) / width
    ha = "left" if u < 0.25 else "right" if u > 0.75 else "center"
    va = "bottom" if v < 0.25 else "top" if v > 0.75 else "center"
    if va == "center":  # on a side edge: the note above or below the marker
        va = "top" if v > 0.5 else "bottom"
    inward = np.array(
        [{"left": 1, "right": -1, "center": 0}[ha], {"bottom": 1, "top": -1}[va]]
    )
    offset = inward * 0.06 * width
    return (float(here[0] + offset[0]), float(here[1] + offset[1])), ha, va


class MapPanel:
    """The frame's map: the surface drawn once, and the moving artists over it.

    A part of :class:`gdlab.plots.explorer_frame.ExplorerFrame` (which sets
    ``figure``, ``surface``, ``view``, ``window``, ``aspect``,
    ``critical_points``, ``parameter_names``, ``classroom``, the runs'
    ``looks``, ``racing`` and the sizes ``_lw``, ``_marker``).
    """

    def _build_map(self, cell):
        """Panel 1 in the grid ``cell``; its moving artists join ``moving`` in drawing order."""
        # The loss on a 90 × 90 grid over the window, and its finite range.
        first, second = (np.linspace(*limits, 90) for limits in self.window)
        self._grid_values = self.surface.grid(first, second)
        finite = self._grid_values[np.isfinite(self._grid_values)]
        self._grid_low, self._grid_high = float(finite.min()), float(finite.max())
        if self.view == "3d":
            ax = self.figure.add_subplot(cell, projection="3d")
            self._surface_3d(ax, first, second)
        else:
            ax = self.figure.add_subplot(cell)
            look = {"resolution": 90, "levels": 18, "mark_minimum": False}
            plot_loss_contours(ax, self.surface, *self.window, **look)
            if self.aspect == "equal":
                ax.set_aspect("equal", adjustable="box")
        # The critical points' marks are moving artists (redrawn over the path and
        # the arrow, or over the 3-D surface, every frame), and lines, so a browser
        # gets them as marker sprites too.
        self._marks = self._critical_marks(ax)
        self.moving += self._on_map(self._marks, *self._map_artists(ax))
        first_name, second_name = self.parameter_names
        ax.set_title(f"loss surface L({first_name}, {second_name})")
        return ax

    def _on_map(self, marks, under, over) -> list:
        """The map's moving artists (or their records) in drawing order."""
        # The marks over the path and the arrow on the contours, which must not
        # hide them; first on the 3-D surface, which does.
        if self.view == "3d":
            return [*marks, *under, *over]
        return [*under, *marks, *over]

    def _critical_groups(self) -> list:
        """The minima, then the other critical points: ``(mark, name, points)`` each."""
        minima = [p for p in self.critical_points if p.kind == "minimum"]
        others = [p for p in self.critical_points if p.kind != "minimum"]
        name = "saddle" if {p.kind for p in others} == {"saddle"} else "critical point"
        star, cross = CRITICAL_MARKS
        return [(star, "minimum", minima), (cross, name, others)]

    def _critical_marks(self, ax) -> list:
        """The stars and the crosses: one Line2D each (on the contours, none when empty)."""
        marks = []
        for mark, name, points in self._critical_groups():
            rows = [p.point + (p.loss,) for p in points]
            x, y, z = np.array(rows, dtype=float).reshape(-1, 3).T
            look = {"linestyle": "none", **mark["look"]}
            if self.view == "3d":
                marks += ax.plot(x, y, z, markersize=self._marker * mark["3d"], **look)
            elif points:
                size = mark["contours"]
                extra = {"markersize": size, "markeredgewidth": 1.2, "zorder": 8}
                marks += ax.plot(x, y, label=name, **extra, **look)
        return marks

    def _critical_point_keys(self) -> list:
        """The legend's keys for the marks on the map (none for an empty group)."""
        keys = []
        for mark, name, points in self._critical_groups():
            size = self._marker * mark["legend"]
            if points:
                look = {"linestyle": "none", "markersize": size, **mark["look"]}
                keys.append(Line2D([], [], label=name, **look))
        return keys

    def _surface_3d(self, ax, first, second):
        """The 3-D surface, the window, the loss range, the labels and the viewing angle."""
        step = max(1, len(first) // 45)
        grid_first, grid_second = np.meshgrid(first[::step], second[::step])
        values = self._grid_values[::step, ::step]
        look = {
            "cmap": CONTOUR_CMAP,
            "linewidth": 0,
            "antialiased": False,
            "alpha": 0.85,
        }
        ax.plot_surface(grid_first, grid_second, values, **look, rcount=45, ccount=45)
        ax.set(xlim=self.window[0], ylim=self.window[1])
        ax.set_zlim(self._grid_low, self._grid_high)
        # The title names the vertical axis (L); a z label would crowd the next panel.
        pad = 10 if self.classroom else 6
        ax.set_xlabel(self.parameter_names[0], labelpad=pad)
        ax.set_ylabel(self.parameter_names[1], labelpad=pad)
        ax.tick_params(axis="z", pad=4)
        ax.view_init(elev=32, azim=-60)

    # -- the moving artists ------------------------------------------------------

    def _path_artists(self, ax, color):
        """A path of θ (a line, outlined on the contours) and its dots, in ``color``."""
        empty = [[]] * (3 if self.view == "3d" else 2)
        if self.view == "3d":
            line = {"linewidth": self._lw + 0.5}
            size, edge, extra = 0.35, 0.4, {}
        else:
            line = {"linewidth": self._lw, "path_effects": self._outline(), "zorder": 6}
            size, edge, extra = DOT, 0.6, {"zorder": 6}
        (path,) = ax.plot(*empty, color=color, **line)
        extra.update(linestyle="none", markeredgewidth=edge)
        (dots,) = ax.plot(*empty, color=color, **self._dot_look(size), **extra)
        return path, dots

    def _path_key(self, look):
        """The legend's key for a run's path of θ, in its ``RunLook``: its line and its dots.

        Outlined (``look.outlined``) as the path is on the contours.
        """
        line = {"color": look.path, "linewidth": self._lw, **self._dot_look(look.dot)}
        extra = {"path_effects": self._outline()} if look.outlined else {}
        return Line2D([], [], label=look.label, **line, **extra)

    def _dot_look(self, size):
        """A path's dots, on the map and in the legend: ``size`` marker sizes, edged in black."""
        return {
            "marker": "o",
            "markersize": self._marker * size,
            "markeredgecolor": "black",
        }

    def _outline(self):
        """The black outline of a path of θ on the contours (and of its key)."""
        return [patheffects.withStroke(linewidth=self._lw + 2.2, foreground="black")]

    def _map_artists(self, ax):
        """Each run's path and dots (under the marks) and θ now (over); one run's arrow and note.

        Made run by run (path, dots, θ now): the order the 3-D map draws them in.
        """
        dims = 3 if self.view == "3d" else 2
        extra = {} if dims == 3 else {"zorder": 9, "clip_on": False}
        made = [
            (
                *self._path_artists(ax, look.path),
                plot_current_mark(ax, self._marker, dims, **extra, **look.now),
            )
            for look in self.looks
        ]
        self.paths, self.dots, self.nows = (list(column) for column in zip(*made))
        under, over = [*self.paths, *self.dots], list(self.nows)
        if self.racing:
            return under, over
        if self.view == "3d":
            self.off_map = hidden_note(
                ax.text2D, 0.5, 0.92, *OFF_MAP, transform=ax.transAxes, ha="center"
            )
            return under, [*over, self.off_map]
        scale = 30 if self.classroom else 22
        self.arrow = FancyArrowPatch(
            (0, 0), (0, 0), **self._arrow_style(scale), zorder=7
        )
        ax.add_patch(self.arrow)
        self.off_map = hidden_note(
            ax.text, 0, 0, *OFF_MAP, color="black", zorder=10, clip_on=True
        )
        return [*under, self.arrow], [*over, self.off_map]

    def _arrow_style(self, scale):
        return {
            "arrowstyle": "simple,head_length=0.9,head_width=0.9,tail_width=0.35",
            "mutation_scale": scale,
            "facecolor": "white",
            "edgecolor": "black",
            "linewidth": 1.6 if self.classroom else 1.2,
        }

    # -- the runs' records ---------------------------------------------------------

    def _mark_records(self) -> list:
        """The critical points' marks, the same at every step."""
        ax, records = self.surface_ax, []
        for mark in self._marks:
            if self.view == "3d":
                x, y, z = (np.asarray(v, dtype=float) for v in mark.get_data_3d())
            else:
                (x, y), z = mark.get_data(), None
            points = np.column_stack([x, y])
            records.append(Markers(mark, ax, points, count=(0, len(points)), z=z))
        return records

    def _map_records(self, runs) -> list:
        """The runs on the map, in the order ``moving`` draws them (a race's sent compact)."""
        ax = self.surface_ax
        loss = self.surface.loss if self.view == "3d" else None
        made = [
            _path_records(
                ax, artists, run.params, self.window, loss=loss, compact=self.racing
            )
            for artists, run in zip(zip(self.paths, self.dots, self.nows), runs)
        ]
        paths, dots, nows = zip(*(records for records, _, _ in made))
        under, over = [*paths, *dots], list(nows)
        if not self.racing:
            ((_, on_map, pinned),) = made
            extra_under, note = self._one_run_map_records(runs[0], on_map, pinned)
            under, over = under + extra_under, over + [note]
        return self._on_map(self._mark_records(), under, over)

    def _one_run_map_records(self, run, on_map, pinned):
        """The one run's arrow of −∇L (on the contours) and its "off the map" note."""
        if self.view == "3d":
            return [], Label(self.off_map, ~on_map)
        ax = self.surface_ax
        places = [off_map_place(here, self.window) for here in pinned[~on_map]]
        aligns = list(dict.fromkeys((ha, va) for _, ha, va in places))
        points = np.full(pinned.shape, np.nan)
        choice = np.full(len(pinned), -1)
        points[~on_map] = [place for place, _, _ in places] or np.empty((0, 2))
        choice[~on_map] = [aligns.index((ha, va)) for _, ha, va in places]
        note = Label(
            self.off_map,
            ~on_map,
            choice=choice,
            variants=[{"ha": ha, "va": va} for ha, va in aligns],
            ax=ax,
            points=points,
        )
        arrow = Arrow(self.arrow, ax, run.params, self._arrow_tips(run, on_map))
        return [arrow], note

    def _arrow_tips(self, run, on_map):
        """Where each step's arrow of −∇L ends (data units, one row per step); NaN: hidden."""
        params = np.asarray(run.params, dtype=float)
        gradient = np.asarray(run.gradients, dtype=float)
        low, high = np.array(self.window, dtype=float).T
        width = high - low
        # A fifth of the window for the start's gradient, shorter as it shrinks.
        start_size = float(np.linalg.norm(gradient[0] / width)) or 1.0
        with np.errstate(all="ignore"):
            # Hidden once converged (the one definition, free of the data's
            # scale), without a gradient or a finite one, and while θ is off the map.
            gaps = np.asarray(run.gaps, dtype=float)
            shown = (
                (gaps > (run.tolerance or 0.0) * gaps[0])
                & (np.linalg.norm(gradient, axis=1) > 0)
                & on_map
                & np.all(np.isfinite(gradient), axis=1)
            )
            vector = -gradient  # in data units: the direction of the next step
            length = np.hypot(*(vector / width).T)
            # A fifth of the window at the start, shrinking (by the square root) with
            # the gradient, but never hidden under the marker nor out of the picture.
            wanted = np.clip(0.2 * np.sqrt(length / start_size), 0.1, 0.3)
            # Near a marked point (the minimum, a saddle) stop short of it, so the
            # arrow never lies over the star; too short to read, and it is not drawn.
            room = self._room_before_marks(params, vector, width)
            shown &= room >= 0.05
            tip = params + vector * (np.minimum(wanted, room) / length)[:, None]
            # Near an edge, shorten the arrow to stay on the map rather than lose its head.
            out = shown & ~inside(tip, self.window)
            if out.any():
                pairs = np.stack([params[out], tip[out]], axis=1).reshape(-1, 2)
                tip[out] = clip_path(pairs, self.window).reshape(-1, 3, 2)[0::2, 1]
                short = ~np.all(np.isfinite(tip), axis=1) | (
                    np.hypot(*((tip - params) / width).T) < 0.06
                )
                shown &= ~(out & short)
        tip[~shown] = np.nan
        return tip

    def _room_before_marks(self, points, vectors, width) -> np.ndarray:
        """How far (in window widths) each arrow may reach before a critical point."""
        marks = np.array([p.point for p in self.critical_points], dtype=float)
        if not len(marks):
            return np.full(len(points), np.inf)
        # Per step (rows) and mark (columns): how far ahead of the arrow, and aside.
        offsets = (marks[None, :, :] - points[:, None, :]) / width
        direction = vectors / width
        direction = direction / np.linalg.norm(direction, axis=1)[:, None]
        x, y = direction[:, None, 0], direction[:, None, 1]
        ahead = offsets[..., 0] * x + offsets[..., 1] * y
        across = np.abs(offsets[..., 1] * x - offsets[..., 0] * y)
        # A mark roughly in front of the arrow (within a star's width of its line).
        blocking = (ahead > 0) & (across < 0.04)
        nearest = np.where(blocking, ahead, np.inf).min(axis=1)
        return np.where(blocking.any(axis=1), nearest - 0.035, np.inf)
