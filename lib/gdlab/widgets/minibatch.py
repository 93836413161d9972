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

from .._validate import as_parameter_vector, as_positive_number, as_step_count
from ..plots import COLORS, MovingLayer, pixels, plot_loss_contours, style
from ..regression import FeatureMSE, minibatch_descent
from ._base import LiveFigure, changed_in_browser
from .explorer_view import ExplorerView

__all__ = ["MiniBatchExplorer"]

_MAX_EPOCHS = 30
# Play's pace in the browser, updates per second (as before: one every 60 ms).
_UPDATES_PER_SECOND = 1000 / 60
# The Play button only says "playing" (the browser's view animates): its own timer never fires.
_PLAY_TIMER_OFF = 10**9


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
        classroom: bool = False,
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
        super().__init__(figsize=(11.0, 4.4), classroom=classroom, image=False)

        with style(classroom=self.classroom):
            surface_ax, loss_ax = self.figure.subplots(
                1, 2, gridspec_kw={"width_ratios": [1, 1.2]}
            )
            plot_loss_contours(surface_ax, self.surface, resolution=80)
            surface_ax.set_title("loss surface and path")
            (self._path,) = surface_ax.plot(
                [],
                [],
                color=COLORS["path"],
                linewidth=1.2,
                marker="o",
                markersize=2,
                label="path of θ",
            )
            (self._now,) = surface_ax.plot(
                [],
                [],
                "o",
                color=COLORS["current"],
                markersize=10,
                markeredgecolor="white",
                label="θ now",
            )
            surface_ax.legend(loc="lower right")
            (self._loss_line,) = loss_ax.plot(
                [],
                [],
                color=COLORS["line"],
                linewidth=1.4,
                label="loss on all the data",
            )
            (self._loss_now,) = loss_ax.plot(
                [], [], "o", color=COLORS["current"], markersize=9
            )
            loss_ax.axhline(
                self.surface.minimum_loss,
                color=COLORS["minimum"],
                linestyle=":",
                label="minimum loss",
            )
            loss_ax.set(
                yscale="log",
                xlabel="epoch (passes over the data)",
                ylabel="loss L on all the data",
                title="loss per epoch",
            )
            loss_ax.legend(loc="upper right")
        self._loss_ax = loss_ax
        self.animate(self._path, self._now, self._loss_line, self._loss_now)
        self.layer(loss_ax)

        wide, label_style = (
            widgets.Layout(width="380px"),
            {"description_width": "100px"},
        )
        self.batch_size = widgets.IntSlider(
            value=batch_size,
            min=1,
            max=n,
            description="batch size B",
            layout=wide,
            style=label_style,
            continuous_update=False,
        )
        self.learning_rate = widgets.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=-3,
            max=0.5,
            step=0.01,
            description="learning rate η",
            readout_format=".3g",
            layout=wide,
            style=label_style,
            continuous_update=False,
        )
        self.epochs = widgets.IntSlider(
            value=epochs,
            min=1,
            max=_MAX_EPOCHS,
            description="epochs",
            layout=wide,
            style=label_style,
            continuous_update=False,
        )
        self.update = widgets.IntSlider(
            value=0, min=0, max=1, description="update", layout=wide, style=label_style
        )
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
        self.player = ExplorerView(
            speed=_UPDATES_PER_SECOND, layout=widgets.Layout(max_width="100%")
        )
        self._play_link = widgets.jslink(
            (self.play, "playing"), (self.player, "playing")
        )
        self.player.observe(self._on_player_step, "step")
        self._sprites = {}
        self.status = widgets.HTML()
        for control in (self.batch_size, self.learning_rate, self.epochs):
            control.observe(self._on_setting, "value")
        self.update.observe(self._on_update, "value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.batch_size, self.learning_rate]),
                widgets.HBox([self.epochs]),
                widgets.HBox([self.play, self.update]),
                self.player,
            ]
        )
        self._quiet = False
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
        losses = self.run.losses[np.isfinite(self.run.losses)]
        low = min(float(losses.min()), self.surface.minimum_loss)
        self._loss_ax.set_xlim(
            0, max(self.run.epochs[-1], 1.0 / self.run.updates_per_epoch)
        )
        self._loss_ax.set_ylim(low * 0.8, float(losses.max()) * 1.5)
        self.invalidate_background(static=False)
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
        path = self.run.params[: k + 1]
        self._path.set_data(path[:, 0], path[:, 1])
        self._now.set_data([path[-1, 0]], [path[-1, 1]])
        self._loss_line.set_data(self.run.epochs[: k + 1], self.run.losses[: k + 1])
        self._loss_now.set_data([self.run.epochs[k]], [self.run.losses[k]])

    def _update_status(self):
        self.status.value = (
            f"<span style='font-size: 1.05em'>{html.escape(self.status_text())}</span>"
        )

    def _show_scene(self):
        """Send the browser the still, the moving layer and the status of every update."""
        background = self.background_pixels()
        run, steps = self.run, len(self.run.params)
        layer = MovingLayer(self.figure, steps, cache=self._sprites)
        path = pixels(self._path.axes, run.params)
        layer.polyline(self._path, path, count=(1, 1))
        layer.markers(self._path, path, count=(1, 1))
        only = np.zeros(steps)
        layer.per_step(self._now, path, only, [layer.sprite(self._now)])
        losses = pixels(self._loss_ax, np.column_stack([run.epochs, run.losses]))
        layer.polyline(self._loss_line, losses, count=(1, 1))
        layer.per_step(self._loss_now, losses, only, [layer.sprite(self._loss_now)])
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

    def _on_setting(self, change=None):
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
