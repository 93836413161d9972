"""A race of update rules on one map: the explorer's figure with one path per run (lesson 10).

:class:`RaceFrame` overrides the hooks of :class:`gdlab.plots.ExplorerFrame`
that make the moving artists and their records: one of each per run, in its
colour of :data:`RACE_COLORS` (Okabe–Ito), all moved by one shared step (a
run that stopped earlier keeps its last state).
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .explorer_frame import ExplorerFrame
from .map_panel import path_records, plot_current_mark
from .scene.records import Polyline, Segment, Sprite
from .style import COLORS

__all__ = ["RACE_COLORS", "RaceFrame"]

# Okabe–Ito, in the order runs take them: hues far apart first (orange, sky
# blue, reddish purple, vermillion), all outlined in black on the cividis map;
# blue (the data's), green (the minimum's), yellow and black last.
_COLOR_ORDER = "path residual current line data minimum other gradient"
RACE_COLORS = tuple(COLORS[name] for name in _COLOR_ORDER.split())


class RaceFrame(ExplorerFrame):
    """The explorer's figure racing several runs, one colour each.

    Parameters
    ----------
    names : sequence of str
        One name per run (the legend's labels), at most ``len(RACE_COLORS)``.
    figure, surface, view, classroom, aspect, feature
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

    def __init__(self, figure, surface, *, names, **options):
        names = [str(name) for name in names]
        if not 1 <= len(names) <= len(RACE_COLORS):
            raise ValueError(
                f"names must name 1 to {len(RACE_COLORS)} runs; got {len(names)}"
            )
        self.run_names = names
        self.colors = RACE_COLORS[: len(names)]
        self.runs = []
        super().__init__(figure, surface, **options)

    # -- building (ExplorerFrame's hooks, one artist per run) -----------------------

    def _map_artists(self, ax):
        """Each run's path and dots (under the marks), then each run's θ now (over them)."""
        dims = 3 if self.view == "3d" else 2
        extra = {} if dims == 3 else {"zorder": 9, "clip_on": False}
        extra.update(markeredgecolor="black", markeredgewidth=1.5)
        made = [
            (
                *self._path_artists(ax, c),
                plot_current_mark(ax, self._marker, dims, color=c, **extra),
            )
            for c in self.colors
        ]
        self._paths, self._dots, self._nows = (list(column) for column in zip(*made))
        self.arrow = None
        return [*self._paths, *self._dots], self._nows

    def _data_artists(self, ax):
        self.residuals = None
        self._fit_lines = [
            ax.plot([], [], color=color, linewidth=self._lw, zorder=4)[0]
            for color in self.colors
        ]
        return self._fit_lines

    def _parameter_artists(self, ax):
        """Each run's parameters, the first solid and the second dashed."""
        width = self._lw * 0.8
        pairs = [self._parameter_lines(ax, (c, c), width) for c in self.colors]
        self._param_lines = [line for pair in pairs for line in pair]
        keys = [
            Line2D([], [], color="0.3", linestyle=dash, label=name)
            for dash, name in zip(("-", "--"), self.names)
        ]
        ax.legend(handles=keys, loc="upper left")
        return self._param_lines

    def _loss_artists(self, ax3):
        pairs = [self._loss_pair(ax3, color, color, 0.8, 0.7) for color in self.colors]
        self._loss_lines, self._loss_points = (list(side) for side in zip(*pairs))
        return [*self._loss_lines, *self._loss_points]

    def _run_keys(self):
        return [
            self._path_key(color, name, 0.8, path_effects=self._outline())
            for name, color in zip(self.run_names, self.colors)
        ]

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
        self._fit_step_axes(losses[np.isfinite(losses)])
        self._records = self._race_records(runs)

    def _fit_loss_axis(self, losses):
        """Panel 3's limits from the start's loss and the map's, not from the runs.

        The same for every η (only the start moves them), so a new race sends
        numbers, not a new picture of the panel; a run that climbs past them
        leaves the panel, and the status says it diverges.
        """
        start = float(self.runs[0].losses[0])
        floor = self._grid_low
        if self.has_data:
            floor = min(floor, float(self.surface.minimum_loss))
        if not self._log_loss_axis(floor, start, start * 4.0, clip_margin=1.6):
            span = max(start, self._grid_low) - floor or 1.0
            low, high = floor - 0.1 * span, start + 0.25 * span
            clip = (low - 0.1 * span, high + 0.1 * span)
            self._set_loss_axis("linear", (low, high), clip)

    def _race_records(self, runs):
        """Every run's records in drawing order: the map's, then the panels'."""
        ax, loss = self.surface_ax, self.surface.loss if self.view == "3d" else None
        artists = zip(self._paths, self._dots, self._nows)
        paths, dots, nows = zip(
            *(
                path_records(
                    ax, made, run.params, self.window, loss=loss, compact=True
                )[0]
                for made, run in zip(artists, runs)
            )
        )
        on_map = self._on_map(self._mark_records(), [*paths, *dots], nows)
        return on_map + self._race_panel_records(runs)

    def _race_panel_records(self, runs):
        """Each run's line ŷ (or parameters per step), its loss curve and its loss now."""
        records, points = [], []
        for i, run in enumerate(runs):
            params = np.asarray(run.params, dtype=float)
            if self.has_data:
                ends = self._line_ends(params)
                records.append(Segment(self._fit_lines[i], self.middle_ax, ends))
            else:
                lines = self._param_lines[2 * i : 2 * i + 2]
                records += self._parameter_records(params, lines)
            loss = self._loss_series(run)
            records.append(
                Polyline(self._loss_lines[i], self.loss_ax, loss, count=(1, 1))
            )
            points.append(Sprite(self._loss_points[i], self.loss_ax, loss))
        return records + points

    def _line_ends(self, params):
        """Each step's line ŷ across the data panel, ``(steps, 2, 2)``, for the panel's clip to cut.

        Its ends at the panel's edges compress well (the x's never change);
        a line far off the panel is cut here (NaN), so no number is too large
        for a canvas.
        """
        _, (y_low, y_high) = self._data_box
        ends, clipped = self._fit_line_ends(params)
        middle, span = (y_low + y_high) / 2, y_high - y_low
        with np.errstate(invalid="ignore"):
            far = ~(np.abs(ends[:, :, 1] - middle) <= 10 * span).all(axis=1)
        ends[far] = clipped[far]
        return ends
