"""The mini-batch explorer: a batch-size control over a path of gradient descent (lesson 09).

Pick a batch size, a learning rate and a number of epochs; the whole path
is computed once with :func:`gdlab.minibatch_descent`, and Play (or the
update slider) walks along it on the loss surface while the loss on all the
data is drawn against epochs.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D

from .._classroom import resolve
from .._validate import as_parameter_vector, as_positive_number, as_step_count
from ..least_squares import FeatureMSE
from ..plots import (
    COLORS,
    MovingLayer,
    clip_path,
    current_mark_key,
    moving_records,
    off_map_label,
    pin_off_map,
    plot_current_mark,
    plot_loss_contours,
    style,
)
from ..regression import minibatch_descent
from . import _controls
from ._base import LiveFigure, changed_in_browser
from ._controls import learning_rate_slider, log_rate_range
from .explorer_view import ExplorerView

__all__ = ["MiniBatchExplorer"]

_MAX_EPOCHS = 30
# Play's pace in the browser, updates per second (as before: a jump every so many ms).
_SPEEDS = {
    "slow": 1000 / 300,
    "medium": 1000 / 100,
    "fast": 1000 / 50,
    "fastest": 4000 / 50,
}
# The Play button only says "playing" (the browser's view animates): its own timer never fires.
_PLAY_TIMER_OFF = 10**9
# At most about this many dots on the path, so the line keeps its colour.
_MAX_DOTS = 60


def _inside(points, window):
    (low_1, high_1), (low_2, high_2) = window
    return (
        (points[:, 0] >= low_1)
        & (points[:, 0] <= high_1)
        & (points[:, 1] >= low_2)
        & (points[:, 1] <= high_2)
    )


def _shrink(window, fraction):
    return tuple(
        (low + fraction * (high - low), high - fraction * (high - low))
        for low, high in window
    )


class MiniBatchExplorer(LiveFigure):
    """Sliders for batch size, η and epochs, and Play along the resulting path.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        A design matrix with two columns (e.g. ``[z, 1]`` for a line on
        standardised inputs, θ = (m, b)).
    y : array_like of shape (n,)
    start : (float, float)
        θ at update 0; it must lie in the surface's window.
    learning_rate : float
    batch_size : int
        From 1 to n.
    epochs : int
        From 1 to 30.
    seed : int
        Seed of the shuffling (the same settings give the same path).
    parameter_names : (str, str)
    classroom : bool, optional
        Larger text and controls for a projector; default the kernel's
        classroom mode (``gdlab.classroom()``).

    Attributes
    ----------
    batch_size, learning_rate, epochs : sliders
        Changing any of them computes a new path.
    update : IntSlider
        The update shown; ``play`` drives it (linked in the browser).
    run : MiniBatchRun

    Examples
    --------
    >>> import numpy as np
    >>> z = np.linspace(-1.5, 1.5, 16)
    >>> X = np.column_stack([z, np.ones_like(z)])
    >>> ex = MiniBatchExplorer(X, 2 * z + 1, start=(-1.0, 3.0), batch_size=4, epochs=2)
    >>> ex.update.max, ex.status_text()[:10]
    (8, 'update 8 /')
    """

    text_plain = (
        "MiniBatchExplorer: change the batch size or press Play (needs a live kernel)"
    )

    def __init__(
        self,
        X,
        y,
        *,
        start,
        learning_rate: float = 0.1,
        batch_size: int = 8,
        epochs: int = 5,
        seed: int = 0,
        parameter_names=("m", "b"),
        classroom: bool | None = None,
    ):
        self.surface = FeatureMSE(X, y, parameter_names=parameter_names)
        if self.surface.n_parameters != 2:
            raise ValueError(
                f"X must have exactly two columns; got {self.surface.n_parameters}"
            )
        n = self.surface.n
        start = tuple(as_parameter_vector(start, "start", size=2))
        window = self.surface.window()
        for value, (low, high), name in zip(start, window, ("start[0]", "start[1]")):
            if not low <= value <= high:
                raise ValueError(
                    f"{name} must lie in the window [{low:.4g}, {high:.4g}]; got {value}"
                )
        learning_rate = as_positive_number(learning_rate, "learning_rate")
        batch_size = as_step_count(batch_size, "batch_size")
        epochs = as_step_count(epochs, "epochs")
        if not 1 <= batch_size <= n:
            raise ValueError(f"batch_size must be from 1 to n = {n}; got {batch_size}")
        if not 1 <= epochs <= _MAX_EPOCHS:
            raise ValueError(f"epochs must be from 1 to {_MAX_EPOCHS}; got {epochs}")
        self._start, self._seed = start, seed
        self._window = window
        classroom = resolve(classroom)
        super().__init__(
            figsize=self._figsize(classroom), classroom=classroom, image=False
        )
        self._quiet = False
        self.run = None
        self._build_figure()
        self._build_controls(learning_rate, batch_size, epochs, n)
        self._new_run()
        self._show_scene()

    @staticmethod
    def _figsize(classroom):
        # Classroom: with the controls and the status line, 720 pixels high.
        return (11.5, 3.9) if classroom else (11.0, 4.4)

    def _build_figure(self):
        big = self.classroom
        width, marker = (3.2, 13) if big else (2.2, 10)
        with style(classroom=big):
            surface_ax, loss_ax = self.figure.subplots(
                1, 2, gridspec_kw={"width_ratios": [1, 1.2]}
            )
            self._build_surface_panel(surface_ax, width, marker)
            self._build_loss_panel(loss_ax, width, marker)
        self._loss_ax = loss_ax
        self.animate(
            self._path,
            self._dots,
            self._now,
            self._off_map,
            self._loss_line,
            self._loss_now,
        )
        self.layer(loss_ax)

    def _build_surface_panel(self, surface_ax, width, marker):
        """Panel 1: the loss surface's contours, the path of θ and θ now."""
        outline = [patheffects.withStroke(linewidth=width + 2.2, foreground="black")]
        plot_loss_contours(surface_ax, self.surface, *self._window, resolution=80)
        surface_ax.set_title("loss surface and path")
        (self._path,) = surface_ax.plot(
            [], [], color=COLORS["path"], linewidth=width, path_effects=outline
        )
        (self._dots,) = surface_ax.plot(
            [],
            [],
            "o",
            color=COLORS["path"],
            markersize=marker * 0.4,
            markeredgecolor="black",
            markeredgewidth=0.5,
        )
        self._now = plot_current_mark(surface_ax, marker, clip_on=False)
        self._off_map = off_map_label(
            surface_ax.text, 0.5, 0.06, transform=surface_ax.transAxes, ha="center"
        )
        path_key = Line2D(
            [], [], color=COLORS["path"], linewidth=width, label="path of θ"
        )
        surface_ax.legend(
            handles=[path_key, current_mark_key(marker)], loc="lower right"
        )

    def _build_loss_panel(self, loss_ax, width, marker):
        """Panel 2: the loss on all the data against epochs, and the lowest loss."""
        (self._loss_line,) = loss_ax.plot(
            [],
            [],
            color=COLORS["line"],
            linewidth=width * 0.7,
            label="loss on all the data",
        )
        (self._loss_now,) = loss_ax.plot(
            [],
            [],
            "o",
            color=COLORS["current"],
            markersize=marker * 0.9,
            markeredgecolor="black",
        )
        # The log scale first: a minimum loss of (almost) 0, from data a line
        # fits exactly, is then below the axis, not a warning.
        loss_ax.set_yscale("log")
        loss_ax.axhline(
            self.surface.minimum_loss,
            color=COLORS["minimum"],
            linestyle=":",
            label="minimum loss",
        )
        loss_ax.set(
            xlabel="epoch (passes over the data)",
            ylabel="loss L on all the data",
            title="loss per epoch",
        )
        loss_ax.legend(loc="upper right")

    def _build_controls(self, learning_rate, batch_size, epochs, n):
        wide, label_style = (
            widgets.Layout(width="380px"),
            {"description_width": "100px"},
        )
        # The rate's range follows the data: around full-batch descent's critical rate.
        low, high = log_rate_range(
            self.surface.critical_learning_rate(), [learning_rate]
        )
        self.batch_size = _controls.IntSlider(
            value=batch_size,
            min=1,
            max=n,
            description="batch size B",
            layout=wide,
            style=label_style,
            continuous_update=False,
        )
        self.learning_rate = learning_rate_slider(
            learning_rate,
            low,
            high,
            layout=wide,
            style=label_style,
            continuous_update=False,
        )
        self.epochs = _controls.IntSlider(
            value=epochs,
            min=1,
            max=_MAX_EPOCHS,
            description="epochs",
            layout=wide,
            style=label_style,
            continuous_update=False,
        )
        self.update = _controls.IntSlider(
            value=0, min=0, max=1, description="update", layout=wide, style=label_style
        )
        self._build_player()
        self.status = widgets.HTML()
        for control in (self.batch_size, self.learning_rate, self.epochs):
            control.observe(self._on_setting, "value")
        self.update.observe(self._on_update, "value")
        self.step_button.on_click(lambda _: self.advance())
        self.reset_button.on_click(lambda _: self.reset())
        self.speed.observe(self._on_speed, "value")
        self.classroom_toggle.observe(self._on_classroom, "value")
        self._on_speed()
        self._arrange()

    def _arrange(self):
        """The controls in rows: in classroom mode larger, in three rows, so the
        figure and the status line fit a 720-pixel-high screen under them."""
        big = self.classroom
        for control in (self.batch_size, self.learning_rate, self.epochs, self.update):
            # A Layout each: one shared object would resize them all together.
            control.layout = widgets.Layout(width="450px" if big else "380px")
            control.style.description_width = "150px" if big else "100px"
        self.speed.style.button_width = "90px" if big else "70px"
        player = [self.play, self.update, self.step_button, self.reset_button]
        rows = (
            [
                [self.batch_size, self.learning_rate],
                [self.epochs, self.speed, self.classroom_toggle],
                player,
            ]
            if big
            else [
                [self.batch_size, self.learning_rate],
                [self.epochs, self.speed],
                player,
                [self.classroom_toggle],
            ]
        )
        self.present(*(widgets.HBox(row) for row in rows), self.player)

    def _build_player(self):
        """Play, Step, Reset, the speed and classroom mode."""
        self.play = widgets.Play(
            value=0,
            min=0,
            max=1,
            interval=_PLAY_TIMER_OFF,
            description="Play / Pause",
            show_repeat=False,
        )
        self._link = widgets.jslink((self.play, "value"), (self.update, "value"))
        # The picture: drawn and played in the browser from numbers sent once per change.
        self.player = ExplorerView(layout=widgets.Layout(max_width="100%"))
        self._play_link = widgets.jslink(
            (self.play, "playing"), (self.player, "playing")
        )
        self.player.observe(self._on_player_step, "step")
        self._sprites = {}
        self.step_button = widgets.Button(description="Step", tooltip="one more update")
        self.reset_button = widgets.Button(
            description="Reset", tooltip="back to update 0"
        )
        self.speed = widgets.ToggleButtons(
            options=list(_SPEEDS), value="medium", style={"button_width": "70px"}
        )
        self.classroom_toggle = widgets.ToggleButton(
            value=self.classroom,
            description="classroom mode",
            tooltip="large text, thick lines",
        )

    def advance(self):
        """One more update (the Step button)."""
        if self.update.value < self.update.max:
            self.update.value += 1

    def reset(self):
        """Pause and go back to update 0 (the Reset button)."""
        with self.player.hold_sync():
            self.player.playing = False
            self.player.step = 0
        self.play.playing = False
        self.play.value = 0
        self.update.value = 0

    def _on_speed(self, change=None):
        self.player.speed = _SPEEDS[self.speed.value]

    def _on_classroom(self, change=None):
        self.classroom = bool(self.classroom_toggle.value)
        self._sprites = {}  # markers and text drawn at the other size
        self._arrange()
        self.new_figure(figsize=self._figsize(self.classroom), classroom=self.classroom)
        self._build_figure()
        self._new_run()
        self._show_scene()

    def _new_run(self):
        self.run = minibatch_descent(
            self.surface.X,
            self.surface.y,
            self._start,
            self.learning_rate.value,
            self.batch_size.value,
            self.epochs.value,
            seed=self._seed,
        )
        last = len(self.run.params) - 1
        self._inside = _inside(self.run.params, self._window)
        self._pinned = np.where(
            self._inside[:, None],
            self.run.params,
            pin_off_map(self.run.params, _shrink(self._window, 0.03)),
        )
        self._clipped = clip_path(self.run.params, self._window)
        both_out = ~self._inside[:-1] & ~self._inside[1:]
        self._clipped.reshape(-1, 3, 2)[both_out] = np.nan
        losses = self.run.losses[np.isfinite(self.run.losses)]
        low = min(float(losses.min()), self.surface.minimum_loss)
        # A margin past the last epoch, so its tick label is never cut by the figure's edge.
        end = max(self.run.epochs[-1], 1.0 / self.run.updates_per_epoch)
        self._loss_ax.set_xlim(-0.02 * end, 1.05 * end)
        self._loss_ax.set_ylim(low * 0.8, float(losses.max()) * 1.5)
        self.invalidate_background(static=False)
        self._declare_moving()
        with self.quiet():
            self.update.max = self.play.max = max(last, 1)
            self.update.value = last
            self.play.value = last
        self._update_status()

    def status_text(self, step: int | None = None) -> str:
        """One line: where the path is (at ``step``, default the one shown), in words."""
        k = min(self.update.value if step is None else step, len(self.run.params) - 1)
        total = len(self.run.params) - 1
        epoch = self.run.epochs[k]
        text = (
            f"update {k} / {total} (epoch {epoch:.2f}, {self.run.updates_per_epoch} updates per epoch)"
            f" · loss {self.run.losses[k]:.4g} (minimum {self.surface.minimum_loss:.4g})"
        )
        if self.run.status == "diverged":
            text += f" · diverged: η = {self.learning_rate.value:.3g} is too large for batches of {self.batch_size.value}"
        return text

    def update_frame(self):
        k = min(self.update.value, len(self.run.params) - 1)
        for record in self._records:
            record.show(k)

    def _declare_moving(self):
        """Each moving artist once, as a record that both draws a step and exports all."""
        run, steps = self.run, len(self.run.params)
        surface_ax = self._path.axes
        # At most about _MAX_DOTS dots over the run, so the line keeps its colour.
        every = max(1, -(-(steps - 1) // _MAX_DOTS))
        dotted = self._inside & (np.arange(steps) % every == 0)
        losses = np.column_stack([run.epochs, run.losses])
        self._records = [
            # The path: three vertices per step (segment, segment, gap), clipped to the map.
            moving_records.Polyline(
                self._path, surface_ax, self._clipped, count=(3, 0)
            ),
            moving_records.Markers(
                self._dots, surface_ax, run.params, count=(1, 1), mask=dotted
            ),
            moving_records.Sprite(
                self._now,
                surface_ax,
                self._pinned,
                shapes=("o", "D"),
                choice=~self._inside,
            ),
            moving_records.Label(self._off_map, ~self._inside),
            moving_records.Polyline(
                self._loss_line, self._loss_ax, losses, count=(1, 1)
            ),
            moving_records.Sprite(self._loss_now, self._loss_ax, losses),
        ]

    def _update_status(self):
        self.status.value = (
            f"<span style='font-size: 1.05em'>{html.escape(self.status_text())}</span>"
        )

    def _on_setting(self, change=None):
        if self._quiet:
            return
        self._new_run()
        self.request_render(change, draw=self._show_scene)

    def _on_update(self, change=None):
        if self._quiet:
            return
        self._update_status()
        self.player.step = self.update.value
        self.invalidate_frame()

    def _on_player_step(self, change):
        """The browser reports the update it shows (paused, or now and then while playing)."""
        if not self._quiet and changed_in_browser(self.player):
            self.update.value = change["new"]

    def _show_scene(self):
        """Send the browser the still, the moving layer and the status of every update."""
        background = self.background_pixels()
        steps = len(self.run.params)
        layer = MovingLayer(self.figure, steps, cache=self._sprites)
        for record in self._records:
            record.export(layer, steps)
        self.player.show_scene(
            background,
            layer,
            [self.status_text(k) for k in range(steps)],
            step=self.update.value,
            style="font-size: 1.05em",
            label="the loss surface with the path of θ, and the loss per epoch",
        )
        self.frame_sent()
        self.invalidate_frame()

    def close(self):
        """Close the Play link, every control and the image."""
        self._link.close()
        super().close()
