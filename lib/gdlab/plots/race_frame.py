"""A race of update rules on one map: the explorer's figure with one path per run.

:class:`RaceFrame` is the descent explorer's three-panel figure
(:class:`gdlab.plots.ExplorerFrame`: the loss surface, the middle panel, the
loss per step) with several runs drawn at once, each in its own colour
(:data:`RACE_COLORS`, Okabe–Ito): its path and θ now on the map, its line ŷ
(for a line's MSE) or its parameters per step, and its loss curve.  One
shared step moves them all; a run that stopped earlier (converged, diverged,
or its rule failed) keeps its last state.  The legend names each run.

Every moving artist is one record of :mod:`gdlab.plots.moving_records`, which
both moves it for matplotlib (:meth:`RaceFrame.show`) and exports it for the
browser (:meth:`RaceFrame.export_moving`).  Lessons 05 and 10.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D

from .explorer_frame import ExplorerFrame, clip_path, pin_off_map
from .moving_records import Markers, MovingLayer, Polyline, Segment, Sprite
from .style import COLORS

__all__ = ["RACE_COLORS", "RaceFrame"]

# Okabe–Ito, in the order runs take them: hues far apart first (orange, sky
# blue, reddish purple, vermillion), all outlined in black on the cividis map;
# blue (the data's), green (the minimum's), yellow and black last.
RACE_COLORS = tuple(
    COLORS[name]
    for name in (
        "path",
        "residual",
        "current",
        "line",
        "data",
        "minimum",
        "other",
        "gradient",
    )
)
# At most about this many dots per path: more would hide the line's colour.
_MAX_DOTS = 60


def _inside(params, window):
    (low_1, high_1), (low_2, high_2) = window
    return (
        (params[:, 0] >= low_1)
        & (params[:, 0] <= high_1)
        & (params[:, 1] >= low_2)
        & (params[:, 1] <= high_2)
    )


def _shrunk(window, fraction):
    return tuple(
        (low + fraction * (high - low), high - fraction * (high - low))
        for low, high in window
    )


class RaceFrame(ExplorerFrame):
    """The explorer's figure racing several runs, one colour each.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        An empty figure.
    surface : Surface
        Any two-parameter surface.
    names : sequence of str
        One name per run (the legend's labels), at most ``len(RACE_COLORS)``.
    view : {"contour", "3d"}
        The map as filled contours or as a 3-D surface.
    classroom, window, aspect
        As for :class:`ExplorerFrame`.

    Attributes
    ----------
    colors : tuple of str
        The colour of each run.
    runs : list of DescentRun
        The runs shown (:meth:`set_runs`).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> from gdlab.rules import GradientDescent, Momentum
    >>> surface = gdlab.Saddle()
    >>> runs = [gdlab.descend(surface, (-1.5, 0.3), 0.2, 40, rule=rule)
    ...         for rule in (GradientDescent(), Momentum(0.5))]
    >>> frame = RaceFrame(Figure(figsize=(12, 4)), surface, names=["GD", "momentum"])
    >>> frame.set_runs(runs)
    >>> frame.show(5)
    5
    >>> frame.colors == RACE_COLORS[:2]
    True
    """

    def __init__(self, figure, surface, *, names, view="contour", **options):
        names = [str(name) for name in names]
        if not 1 <= len(names) <= len(RACE_COLORS):
            raise ValueError(
                f"names must name 1 to {len(RACE_COLORS)} runs; got {len(names)}"
            )
        self.run_names = names
        self.colors = RACE_COLORS[: len(names)]
        self.runs = []
        self._records = []
        super().__init__(figure, surface, view=view, **options)

    # -- building (ExplorerFrame's hooks, one artist per run) -----------------------

    def _build_contour(self, ax, outline):
        self._marks = self._contour_map(ax)
        self._paths, self._dots, self._nows = [], [], []
        for color in self.colors:
            (path,) = ax.plot(
                [], [], color=color, linewidth=self._lw, path_effects=outline, zorder=6
            )
            (dots,) = ax.plot(
                [],
                [],
                "o",
                color=color,
                markersize=self._marker * 0.45,
                markeredgecolor="black",
                markeredgewidth=0.6,
                zorder=6,
            )
            (now,) = ax.plot(
                [],
                [],
                "o",
                color=color,
                markersize=self._marker,
                markeredgecolor="black",
                markeredgewidth=1.5,
                zorder=9,
                clip_on=False,
            )
            self._paths.append(path)
            self._dots.append(dots)
            self._nows.append(now)
        self.arrow = None
        self.moving += [*self._paths, *self._dots, *self._marks, *self._nows]

    def _build_3d(self, ax, first, second):
        # The surface, its marks and its axes as the single explorer has them;
        # its one path, θ now and note make way for one of each per run.
        super()._build_3d(ax, first, second)
        single = [self.path_line, self.path_points, self.current, self.off_map]
        for artist in single:
            artist.remove()
        self.moving = [artist for artist in self.moving if artist not in single]
        self._marks = list(self.moving)  # the stars and crosses, drawn first
        self._paths, self._dots, self._nows = [], [], []
        for color in self.colors:
            self._paths.append(
                ax.plot([], [], [], color=color, linewidth=self._lw + 0.5)[0]
            )
            self._dots.append(
                ax.plot(
                    [],
                    [],
                    [],
                    "o",
                    color=color,
                    markersize=self._marker * 0.35,
                    markeredgecolor="black",
                    markeredgewidth=0.4,
                )[0]
            )
            self._nows.append(
                ax.plot(
                    [],
                    [],
                    [],
                    "o",
                    color=color,
                    markersize=self._marker,
                    markeredgecolor="black",
                    markeredgewidth=1.5,
                )[0]
            )
        self.moving += [*self._paths, *self._dots, *self._nows]

    def _build_data(self, ax):
        # The data and the panel's limits as the single explorer has them; its
        # one line ŷ, its residuals and its note make way for one line per run.
        super()._build_data(ax)
        single = [self.fit_line, self.line_off_panel, self.residuals]
        for artist in single:
            if artist is not None:
                artist.remove()
        self.moving = [artist for artist in self.moving if artist not in single]
        self.residuals = None
        self._fit_lines = [
            ax.plot([], [], color=color, linewidth=self._lw, zorder=4)[0]
            for color in self.colors
        ]
        self.moving += self._fit_lines

    def _build_parameters(self, ax):
        ax.set_title("parameters per step")
        ax.set_xlabel("step")
        ax.set_ylabel("value")
        low = min(self.window[0][0], self.window[1][0])
        high = max(self.window[0][1], self.window[1][1])
        self._param_box = (low, high)
        ax.set_ylim(low, high)
        self._param_lines = []
        for color in self.colors:
            for style in ("-", "--"):
                (line,) = ax.plot(
                    [], [], color=color, linewidth=self._lw * 0.8, linestyle=style
                )
                self._param_lines.append(line)
        first, second = self.names
        keys = [
            Line2D([], [], color="0.3", linestyle=style, label=name)
            for style, name in (("-", first), ("--", second))
        ]
        ax.legend(handles=keys, loc="upper left")
        self.moving += self._param_lines

    def _build_loss_panel(self, ax3):
        super()._build_loss_panel(ax3)
        single = (self.loss_line, self.loss_point)
        for artist in single:
            artist.remove()
        self.moving = [artist for artist in self.moving if artist not in single]
        self._loss_lines, self._loss_points = [], []
        for color in self.colors:
            (line,) = ax3.plot([], [], color=color, linewidth=self._lw * 0.8)
            (point,) = ax3.plot(
                [],
                [],
                "o",
                color=color,
                markersize=self._marker * 0.7,
                markeredgecolor="black",
            )
            self._loss_lines.append(line)
            self._loss_points.append(point)
        self.moving += [*self._loss_lines, *self._loss_points]

    def _legend_handles(self):
        handles = self._critical_point_keys()
        outline = [patheffects.withStroke(linewidth=self._lw + 2.2, foreground="black")]
        for name, color in zip(self.run_names, self.colors):
            handles.append(
                Line2D(
                    [],
                    [],
                    color=color,
                    linewidth=self._lw,
                    path_effects=outline,
                    marker="o",
                    markersize=self._marker * 0.8,
                    markeredgecolor="black",
                    label=name,
                )
            )
        if self.has_data:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=COLORS["minimum"],
                    linestyle=":",
                    linewidth=1.8,
                    label="lowest loss L*",
                )
            )
        return handles

    # -- the runs -------------------------------------------------------------------

    def set_run(self, run):
        """One run: :meth:`set_runs` with a list of one."""
        self.set_runs([run])

    def set_runs(self, runs, last=None):
        """Take one :class:`~gdlab.descent.DescentRun` per name: declare what each step draws.

        ``last``, the animation's last step, defaults to the longest run's.
        Changes axis limits, so a blitting caller must redraw its background.
        """
        runs = list(runs)
        if len(runs) != len(self.run_names):
            raise ValueError(
                f"runs must hold one run per name ({len(self.run_names)}); got {len(runs)}"
            )
        self.runs = runs
        self.run = runs[0]
        self._last = max([run.steps_taken for run in runs] + [last or 0])
        losses = np.concatenate([np.asarray(run.losses, dtype=float) for run in runs])
        self._fit_loss_axis(losses[np.isfinite(losses)])
        if self.has_data and self._floor_line is None:
            self._floor_line = self.loss_ax.axhline(
                self.surface.minimum_loss,
                color=COLORS["minimum"],
                linestyle=":",
                linewidth=1.8,
                label="lowest loss",
            )
        if not self.has_data:
            self.middle_ax.set_xlim(*self._step_limits())
        self._records = self._map_records(runs) + self._panel_records(runs)

    def _step_limits(self):
        """The step axis, to a round number of steps past the last (1, 2 or 5 × 10ⁿ).

        Round, so that runs of about the same length share one axis and the
        panels need not be sent again while a slider is dragged.
        """
        last = max(self._last, 1)
        power = 10 ** np.floor(np.log10(last))
        end = next(f * power for f in (1, 2, 5, 10) if f * power >= last)
        return -0.02 * end, 1.03 * end

    def _fit_loss_axis(self, losses):
        """Panel 3's limits from the start's loss and the map's, not from the runs.

        The same for every η (only the start moves them), so a new race sends
        numbers, not a new picture of the panel; a run that climbs past them
        leaves the panel, and the status says it diverges.
        """
        ax = self.loss_ax
        start = float(self.runs[0].losses[0])
        floor = self._grid_low
        if self.has_data:
            floor = min(floor, float(self.surface.minimum_loss))
        self._log_loss = floor > 0 and start > 30 * floor
        if self._log_loss:
            ax.set_yscale("log")
            low, high = floor / 1.6, start * 4.0
            ax.set_ylim(low, high)
            self._loss_clip = (low / 1.6, high * 1.6)
        else:
            ax.set_yscale("linear")
            span = max(start, self._grid_low) - floor or 1.0
            low, high = floor - 0.1 * span, start + 0.25 * span
            ax.set_ylim(low, high)
            self._loss_clip = (low - 0.1 * span, high + 0.1 * span)
        ax.set_xlim(*self._step_limits())

    def _map_records(self, runs):
        """Each run's path, its dots and θ now on the map; the marks drawn over them."""
        if self.view == "3d":
            return self._map_records_3d(runs)
        paths, dots, nows = [], [], []
        inset = _shrunk(self.window, 0.03)
        ax = self.surface_ax
        for i, run in enumerate(runs):
            params = np.asarray(run.params, dtype=float)
            inside = _inside(params, self.window)
            if inside.all():  # nothing to clip: one vertex per step
                paths.append(Polyline(self._paths[i], ax, params, count=(1, 1)))
            else:
                clipped = clip_path(params, self.window)
                # A segment between two points off the map is not drawn.
                clipped.reshape(-1, 3, 2)[~inside[:-1] & ~inside[1:]] = np.nan
                paths.append(Polyline(self._paths[i], ax, clipped, count=(3, 0)))
            every = max(1, -(-run.steps_taken // _MAX_DOTS))
            dotted = inside & (np.arange(len(params)) % every == 0)
            dots.append(Markers(self._dots[i], ax, params, count=(1, 1), mask=dotted))
            pinned = np.where(
                inside[:, None],
                params,
                pin_off_map(pin_off_map(params, self.window), inset),
            )
            nows.append(
                Sprite(self._nows[i], ax, pinned, shapes=("o", "D"), choice=~inside)
            )
        marks = []
        for mark in self._marks:
            points = np.column_stack(mark.get_data())
            marks.append(Markers(mark, ax, points, count=(0, len(points))))
        return paths + dots + marks + nows

    def _map_records_3d(self, runs):
        """On the 3-D surface: the marks, then each run's path, dots and θ now, at their loss."""
        ax, loss = self.surface_ax, self.surface.loss
        records = []
        for mark in self._marks:
            x, y, z = (np.asarray(v, dtype=float) for v in mark.get_data_3d())
            records.append(
                Markers(mark, ax, np.column_stack([x, y]), count=(0, len(x)), z=z)
            )
        paths, dots, nows = [], [], []
        inset = _shrunk(self.window, 0.03)
        for i, run in enumerate(runs):
            params = np.asarray(run.params, dtype=float)
            inside = _inside(params, self.window)
            clipped = clip_path(params, self.window)
            clipped.reshape(-1, 3, 2)[~inside[:-1] & ~inside[1:]] = np.nan
            heights = loss(clipped) if len(clipped) else np.empty(0)
            paths.append(Polyline(self._paths[i], ax, clipped, count=(3, 0), z=heights))
            pinned = np.where(
                inside[:, None],
                params,
                pin_off_map(pin_off_map(params, self.window), inset),
            )
            z = loss(pinned)
            every = max(1, -(-run.steps_taken // _MAX_DOTS))
            dotted = inside & (np.arange(len(params)) % every == 0)
            dots.append(
                Markers(self._dots[i], ax, pinned, count=(1, 1), mask=dotted, z=z)
            )
            nows.append(
                Sprite(
                    self._nows[i], ax, pinned, shapes=("o", "D"), choice=~inside, z=z
                )
            )
        return records + paths + dots + nows

    def _panel_records(self, runs):
        """Each run's line ŷ (or parameters per step), its loss curve and its loss now."""
        records, points = [], []
        for i, run in enumerate(runs):
            params = np.asarray(run.params, dtype=float)
            steps = np.arange(len(params), dtype=float)
            if self.has_data:
                records.append(
                    Segment(self._fit_lines[i], self.middle_ax, self._line_ends(params))
                )
            else:
                low, high = self._param_box
                span = high - low
                values = np.clip(params, low - span, high + span)
                for column in (0, 1):
                    line = self._param_lines[2 * i + column]
                    series = np.column_stack([steps, values[:, column]])
                    records.append(Polyline(line, self.middle_ax, series, count=(1, 1)))
            loss = np.column_stack([steps, np.clip(run.losses, *self._loss_clip)])
            records.append(
                Polyline(self._loss_lines[i], self.loss_ax, loss, count=(1, 1))
            )
            points.append(Sprite(self._loss_points[i], self.loss_ax, loss))
        return records + points

    def _line_ends(self, params):
        """Each step's line ŷ = m·x + b across the data panel, ``(steps, 2, 2)``.

        Its ends at the panel's left and right edges, which the panel's clip
        (matplotlib's, and the browser's) cuts to the visible part: the x's
        never change and the y's change smoothly, so they compress well.  A
        line far above or below the panel is cut here instead (NaN: none
        visible), so no number is too large for a canvas.
        """
        _, (y_low, y_high) = self._data_box
        ends, clipped = self._fit_line_ends(params)
        middle, span = (y_low + y_high) / 2, y_high - y_low
        with np.errstate(invalid="ignore"):
            far = ~(np.abs(ends[:, :, 1] - middle) <= 10 * span).all(axis=1)
        ends[far] = clipped[far]
        return ends

    def show(self, step: int) -> int:
        """Move every run's artists to ``step`` (clamped); a finished run keeps its end."""
        if not self.runs:
            raise RuntimeError("call set_runs(runs) before show(step)")
        k = int(min(max(step, 0), self._last))
        for record in self._records:
            record.show(k)
        return k

    def export_moving(self) -> MovingLayer:
        """Every run's moving artists at every step, in pixels, for a browser to draw.

        Call it after the figure was drawn with the current runs (the
        transforms are final).  Same records as :meth:`show`, so the browser
        draws what matplotlib would.
        """
        if not self.runs:
            raise RuntimeError("call set_runs(runs) before export_moving()")
        cache = self.__dict__.setdefault("_sprite_cache", {})
        layer = MovingLayer(self.figure, self._last + 1, cache=cache)
        for record in self._records:
            record.export(layer, self._last + 1)
        return layer
