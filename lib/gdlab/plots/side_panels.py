"""The explorer's panels 2 and 3: the data and the line ŷ (or the parameters), and the loss.

Each run's line ŷ (or its two parameters) and its loss curve and loss now, in
its look; for the explorer's one run, its residuals and the note that its line
ŷ left the panel.  The step axes end on a round number of steps, so runs of
about the same length share them.
"""

from __future__ import annotations

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, Locator, MaxNLocator
from matplotlib.transforms import ScaledTranslation

from .map_panel import clip_path, hidden_note
from .scene.records import Label, Polyline, Rules, Segment, Sprite
from .style import COLORS

__all__ = ["FLOOR", "SidePanels"]

# The lowest loss L*'s dotted line on the loss panel, and its key in the legend.
FLOOR = {"color": COLORS["minimum"], "linestyle": ":", "linewidth": 1.8}

# Round numbers of steps (times a power of ten) for the step axis's end.
_ROUND_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)

# The note on the data panel while the whole line ŷ is above or below it.
_OFF_PANEL = (
    {"text": "line ŷ is above the panel ↑", "y": 0.9},
    {"text": "line ŷ is below the panel ↓", "y": 0.1},
)


class SidePanels:
    """The frame's data (or parameters) panel and loss panel.

    A part of :class:`gdlab.plots.explorer_frame.ExplorerFrame` (which sets
    ``figure``, ``surface``, ``feature``, ``has_data``, ``window``,
    ``critical_points``, ``parameter_names``, ``classroom``, the runs'
    ``looks``, ``racing``, the panels ``loss_ax``, ``middle_ax``,
    ``per_run_axes`` and the sizes ``_lw``, ``_marker``; and, from the map,
    ``_grid_low`` and ``_grid_high``).
    """

    # -- panel 2 -----------------------------------------------------------------

    def _build_data(self, ax):
        """The data, the panel's limits (the data's, padded) and its labels."""
        x, y = self.surface.x, self.surface.y
        ax.set_title(f"data and the line ŷ = m·{self.feature} + b")
        size = 30 if x.size <= 200 else max(2, 3000 / x.size)
        size *= 1.6 if self.classroom else 1.0
        ax.scatter(x, y, s=size, color=COLORS["data"], zorder=3)
        pads = (0.05 * (np.ptp(x) or 1.0), 0.15 * (np.ptp(y) or 1.0))
        self._data_box = tuple(
            (v.min() - pad, v.max() + pad) for v, pad in zip((x, y), pads)
        )
        x_limits, y_limits = self._data_box
        ax.set(xlim=x_limits, ylim=y_limits, xlabel=self.feature, ylabel="y")
        self.moving += self._data_artists(ax)

    def _data_artists(self, ax) -> list:
        """Each run's line ŷ; one run's residuals (up to 300 points) and the note that it left the panel."""
        x, y = self.surface.x, self.surface.y
        self.fit_lines = [
            ax.plot([], [], color=look.line, linewidth=self._lw, zorder=4)[0]
            for look in self.looks
        ]
        if self.racing:
            return self.fit_lines
        # Said in words when the whole line is above or below the panel (a far start, a divergence).
        place = {"transform": ax.transAxes, "ha": "center", "va": "center"}
        self.line_off_panel = hidden_note(
            ax.text, 0.5, 0.5, "", COLORS["line"], 0.3, **place, color="black", zorder=6
        )
        if x.size > 300:
            return [*self.fit_lines, self.line_off_panel]
        width = 2.0 if self.classroom else 1.4
        look = {"colors": COLORS["residual"], "linewidth": width, "zorder": 2}
        self.residuals = ax.vlines(x, y, y, **look)
        return [self.residuals, *self.fit_lines, self.line_off_panel]

    def _build_parameters(self, ax):
        """Both parameters against the step, within the map's window."""
        ax.set(title="parameters per step", xlabel="step", ylabel="value")
        low = min(self.window[0][0], self.window[1][0])
        high = max(self.window[0][1], self.window[1][1])
        self._param_box = (low, high)
        ax.set_ylim(low, high)
        self.moving += self._parameter_artists(ax)

    def _parameter_artists(self, ax) -> list:
        """Each run's first parameter's line (solid) and second's (dashed), and their legend."""
        self.parameter_lines = [
            ax.plot([], [], color=color, linewidth=self._lw * look.width, **dashed)[0]
            for look in self.looks
            for color, dashed in zip(look.parameters, self._parameter_dashes())
        ]
        if self.racing:
            # The runs have their colours: the keys tell the parameters apart by dash.
            keys = [
                Line2D([], [], color="0.3", **dashed)
                for dashed in self._parameter_dashes()
            ]
            ax.legend(handles=keys, loc="upper left")
        else:
            # Whole steps (a race's round step axis keeps matplotlib's own ticks).
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
            ax.legend(loc="upper left")
        return self.parameter_lines

    def _parameter_dashes(self) -> list:
        """The first parameter's line solid, the second's dashed, each labelled with its name."""
        return [
            {"linestyle": dash, "label": name}
            for dash, name in zip(("-", "--"), self.parameter_names)
        ]

    # -- panel 3 -----------------------------------------------------------------

    def _build_loss_panel(self, ax3):
        """Panel 3: the loss against the step, its label placed once for all runs."""
        ax3.set(title="loss L per step", xlabel="step", ylabel="loss L")
        # The label's place is fixed once, with room for the widest log-scale
        # tick label, so a later run on a log scale never writes over it.
        props = FontProperties(size=rcParams["ytick.labelsize"])
        widest, _, _ = RendererAgg(1, 1, 72).get_text_width_height_descent(
            r"$\mathdefault{10^{-10}}$", props, ismath=True
        )
        room = widest + rcParams["ytick.major.size"] + rcParams["ytick.major.pad"] + 4.0
        shift = ScaledTranslation(-room / 72, 0, self.figure.dpi_scale_trans)
        ax3.yaxis.set_label_coords(0.0, 0.5, transform=ax3.transAxes + shift)
        ax3.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        self._floor_line = None
        self.moving += self._loss_artists(ax3)

    def _loss_artists(self, ax3) -> list:
        """Each run's loss curve, then each run's loss now."""
        self.loss_lines, self.loss_points = [], []
        for look in self.looks:
            line_color, point_color = look.loss
            width, size = self._lw * look.width, self._marker * look.loss_now
            self.loss_lines += ax3.plot([], [], color=line_color, linewidth=width)
            self.loss_points += ax3.plot(
                [], [], "o", color=point_color, markersize=size, markeredgecolor="black"
            )
        return [*self.loss_lines, *self.loss_points]

    # -- the runs ----------------------------------------------------------------

    def _fit_step_axes(self, run):
        """The panels' limits for the runs (``run`` the first): the loss axis, and the step axes.

        The loss panel fits the one run of the explorer (:meth:`_fit_loss_to_run`),
        or a race's start and map (:meth:`_fit_loss_to_start`).
        """
        if self.racing:
            self._fit_loss_to_start(float(run.losses[0]))
        else:
            self._fit_loss_to_run(np.asarray(run.losses, dtype=float))
        for ax in self.per_run_axes:
            ax.set_xlim(*self._step_limits())
        if self.has_data and self._floor_line is None:
            self._floor_line = self.loss_ax.axhline(
                self.surface.minimum_loss, label="lowest loss", **FLOOR
            )

    def _step_limits(self):
        """The step axis, to a round number of steps (:data:`_ROUND_STEPS`) at or past the last.

        Runs of about the same length share one axis, so the panels need not be
        sent again while a slider is dragged; a run fills at least 3/4 of it.
        """
        last = max(self._last, 1)
        power = 10 ** np.floor(np.log10(last))
        end = next(f * power for f in _ROUND_STEPS if f * power >= last)
        return -0.02 * end, 1.03 * end

    def count_in_epochs(self, steps_per_epoch: int):
        """Label the step axes in epochs of ``steps_per_epoch`` steps.

        For a stochastic run (lesson 09), whose length is set in epochs: the
        ticks fall on whole epochs and the label says how many steps make one.
        """
        each = "1 step" if steps_per_epoch == 1 else f"{steps_per_epoch} steps"
        for ax in self.per_run_axes:
            ax.set_xlabel(f"epoch ({each} each)")
            ax.xaxis.set_major_locator(_InUnits(steps_per_epoch))
            ax.xaxis.set_major_formatter(
                FuncFormatter(lambda x, _, k=steps_per_epoch: f"{x / k:g}")
            )

    def panel_limits(self) -> list:
        """The limits, scales and step labels of the panels a new run may change.

        Equal before and after a new run, the still picture behind the moving
        artists is unchanged: a caller sends the run's numbers, not a new still.
        """
        return [
            (ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_xlabel())
            for ax in self.per_run_axes
        ]

    def _loss_floor(self, losses) -> float:
        """The lowest loss the panel shows: the run's, the map's or a critical point's.

        A run that ends at a known minimum (to rounding) leaves the floor where
        the minimum puts it, so every run that gets there shares one axis.
        """
        floor = self._grid_low
        minima = [p.loss for p in self.critical_points]
        minima = [loss for loss in minima if np.isfinite(loss) and loss < floor]
        floor = min(minima, default=floor)
        lowest = float(losses.min())
        rounding = 1e-9 * max(abs(floor), abs(float(losses[0])), 1e-300)
        return floor if lowest >= floor - rounding else lowest

    def _fit_loss_to_run(self, losses):
        """Panel 3's limits from the whole run (so Play never rescales).

        Only its start, its highest loss and its lowest below the map's floor
        count, so runs that fall from one start to the minimum share them.
        """
        floor = self._loss_floor(losses)
        top = max(float(losses.max()), float(losses[0]))
        if not self._log_loss_axis(floor, top, top * 1.6):
            # Keep the range near the window's losses: a run falling without
            # bound (a saddle) leaves the chart instead of squashing it.
            span = self._grid_high - self._grid_low
            low = max(floor, self._grid_low - span)
            high = min(top, self._grid_high + span)
            pad = 0.08 * ((high - low) or 1.0)
            clip = (low - 2 * pad, high + 2 * pad)
            self._set_loss_axis("linear", (low - pad, high + pad), clip)

    def _fit_loss_to_start(self, start):
        """Panel 3's limits from the start's loss and the map's, not from the runs.

        The same for every η (only the start moves them), so a new race sends
        numbers, not a new picture of the panel; a run that climbs past them
        leaves the panel, and the status says it diverges.
        """
        floor = self._grid_low
        if self.has_data:
            floor = min(floor, float(self.surface.minimum_loss))
        if not self._log_loss_axis(floor, start, start * 4.0, clip_margin=1.6):
            span = max(start, self._grid_low) - floor or 1.0
            low, high = floor - 0.1 * span, start + 0.25 * span
            clip = (low - 0.1 * span, high + 0.1 * span)
            self._set_loss_axis("linear", (low, high), clip)

    def _log_loss_axis(self, floor, top, high, clip_margin=1.0) -> bool:
        """Panel 3 on a log scale, from floor/1.6 to ``high``, if ``top`` is over 30 × a positive ``floor``.

        Returns whether it is (a shorter range reads better on the caller's linear axis).
        The curves are clipped ``clip_margin`` times beyond the limits.
        """
        if not (floor > 0 and top > 30 * floor):
            return False
        low = floor / 1.6
        self._set_loss_axis("log", (low, high), (low / clip_margin, high * clip_margin))
        return True

    def _set_loss_axis(self, scale, limits, clip):
        """Panel 3's scale and limits; the loss curves are kept within ``clip``."""
        self.loss_ax.set_yscale(scale)
        self.loss_ax.set_ylim(*limits)
        self._loss_clip = clip

    def _parameter_records(self, params, lines) -> list:
        """Each parameter against the step, kept near the panel, on its line of it."""
        low, high = self._param_box
        span = high - low
        values = np.clip(params, low - span, high + span)
        steps = np.arange(len(params), dtype=float)
        return [
            Polyline(
                line, self.middle_ax, np.column_stack([steps, column]), count=(1, 1)
            )
            for line, column in zip(lines, values.T)
        ]

    def _loss_series(self, run):
        """The loss against the step, kept near the panel (``(steps, 2)``)."""
        losses = np.clip(np.asarray(run.losses, dtype=float), *self._loss_clip)
        return np.column_stack([np.arange(len(losses), dtype=float), losses])

    def _panel_records(self, runs) -> list:
        """Each run's line ŷ (or parameters) and loss curve, then each run's loss now."""
        records, points = [], []
        # A race's loss now is sent unrounded: its curve's own numbers, sent once.
        rounded = not self.racing
        for i, run in enumerate(runs):
            params = np.asarray(run.params, dtype=float)
            if self.has_data:
                records += self._line_records(self.fit_lines[i], params)
            else:
                lines = self.parameter_lines[2 * i : 2 * i + 2]
                records += self._parameter_records(params, lines)
            loss = self._loss_series(run)
            records.append(
                Polyline(self.loss_lines[i], self.loss_ax, loss, count=(1, 1))
            )
            points.append(
                Sprite(self.loss_points[i], self.loss_ax, loss, rounded=rounded)
            )
        return records + points

    def _fit_line_ends(self, params):
        """Each step's line ŷ = m·x + b at the panel's edges, and clipped to it (NaN: unseen).

        Returns ``(ends, visible)``, each of shape (steps, 2, 2).
        """
        (x_low, x_high), _ = self._data_box
        m, b = params[:, 0], params[:, 1]
        count = len(m)
        with np.errstate(over="ignore", invalid="ignore"):
            left, right = m * x_low + b, m * x_high + b
        ends = np.stack(
            [np.full(count, x_low), left, np.full(count, x_high), right], axis=1
        ).reshape(count, 2, 2)
        visible = clip_path(ends.reshape(-1, 2), self._data_box)
        return ends, visible.reshape(-1, 3, 2)[0::2, :2]

    def _line_records(self, line, params) -> list:
        """The line ŷ per step; for the one run, its residuals and the note that it left the panel."""
        ax = self.middle_ax
        (x_low, x_high), (y_low, y_high) = self._data_box
        ends, visible = self._fit_line_ends(params)
        heights, span = ends[:, :, 1], y_high - y_low
        if self.racing:
            # A race's ends at the panel's edges compress well (the x's never
            # change); a line far off the panel is cut (NaN), so no number is
            # too large for a canvas.
            middle = (y_low + y_high) / 2
            with np.errstate(invalid="ignore"):
                far = ~(np.abs(heights - middle) <= 10 * span).all(axis=1)
            ends[far] = visible[far]
            return [Segment(line, ax, ends)]
        records = []
        if self.residuals is not None:
            # Far beyond the panel a rule's end is clipped anyway: keep float32 finite.
            edges = np.clip(heights, y_low - 1e6 * span, y_high + 1e6 * span)
            feet = np.column_stack([self.surface.x, self.surface.y])
            at, limits = (x_low, x_high), (y_low - span, y_high + span)
            records.append(Rules(self.residuals, ax, feet, edges, at=at, limits=limits))
        records.append(Segment(line, ax, visible))
        off = np.all(np.isnan(visible.reshape(len(visible), -1)), axis=1)
        # Above or below: by the mean of the finite heights (none finite: above).
        finite = np.isfinite(heights)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            mean = np.where(finite, heights, 0.0).sum(axis=1) / finite.sum(axis=1)
        above = np.where(finite.any(axis=1), mean > y_high, True)
        note = Label(self.line_off_panel, off, choice=~above, variants=_OFF_PANEL)
        return records + [note]


class _InUnits(Locator):
    """Ticks at a round number of ``unit`` steps (e.g. of whole epochs)."""

    def __init__(self, unit: int):
        self.unit = unit
        self._in_units = MaxNLocator(nbins=6, integer=True)

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def tick_values(self, vmin, vmax):
        return (
            self._in_units.tick_values(vmin / self.unit, vmax / self.unit) * self.unit
        )
