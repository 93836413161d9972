"""The descent explorer: watch gradient descent walk across a loss surface (lesson 05).

Pick a learning rate η and a starting point, press Play, and see θ move over
the loss surface while the line and the loss curve move in step.  Every
setting change computes the whole path once with :func:`gdlab.descend` and
sends the browser a still of the figure and its moving parts as numbers
(:class:`ExplorerView`); Play then runs in the browser, at display rate.
Matplotlib still draws every frame asked for in Python (:meth:`frame_png`, the
saved notebook's picture).
"""

from __future__ import annotations

import html
import math
import time

import ipywidgets as widgets
import numpy as np

from .._validate import as_parameter_vector, as_positive_number, as_step_count
from ..descent import DescentRun, descend
from ..plots import COLORS, VIEWS, ExplorerFrame, known_critical_points
from ..surfaces import LinearMSE, Surface
from ._base import LiveFigure, changed_in_browser
from .explorer_view import ExplorerView

__all__ = ["DescentExplorer", "describe_step", "PRESETS"]

# name: (learning rate as a multiple of the reference critical rate, where to start, steps).
# "good" is half the critical rate: on a bowl the steep direction is then settled
# in one step and the path runs down the valley floor without zig-zag (lesson 05's
# η = 0.2); from 0.5 up to 1 the path zig-zags across the valley ("oscillates").
PRESETS = {
    "too small": (0.004, "default", 300),
    "good": (0.5, "default", 1500),
    "oscillates": (0.97, "default", 60),
    "diverges": (1.15, "default", 200),
    "far start": (0.5, "far", 1500),
}

# Steps per second of Play in the browser; beyond the display rate steps are skipped.
_SPEEDS = {"slow": 2.5, "medium": 8.0, "fast": 25.0, "fastest": 120.0}
# The Play button only says "playing" (the browser's view animates): its own timer never fires.
_PLAY_TIMER_OFF = 10**9
_MAX_STEPS = 2000
_SETTLE_SECONDS = 0.6


def describe_step(
    run: DescentRun,
    step: int,
    critical: float | None = None,
    *,
    exact: bool = True,
    convex: bool = True,
) -> str:
    """The state of a run at ``step``, in words.

    One of "converging", "oscillating", "diverging", "converged after k steps",
    "diverged at step k: …", "ran off downhill at step k: …", "stopped after k
    steps: …", or "ready" at step 0.

    Parameters
    ----------
    run : DescentRun
    step : int
        The step shown (clamped to the run).
    critical : float, optional
        The critical learning rate 2/λ_max, quoted when the run diverged.
    exact : bool
        Whether ``critical`` is exact (a quadratic surface) or the value at the
        start only.
    convex : bool
        Whether the surface is a bowl with one minimum; if not, a falling loss
        is called "descending", not "converging" (it may yet reach a saddle,
        a local minimum, or fall without bound).

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> run = descend(Parabola(1.0), [2.0], learning_rate=2.5, steps=100)
    >>> describe_step(run, 10**6, critical=2.0)
    'diverged at step 25: the learning rate η = 2.5 is above the critical value 2/λ_max = 2'
    >>> describe_step(run, 3, critical=2.0)
    'diverging: the loss grows every step'
    """
    last = len(run.params) - 1
    k = min(max(int(step), 0), last)
    eta = run.learning_rate
    if k == last and run.status == "converged":
        return f"converged after {k} steps"
    if run.status == "diverged" and k == last:
        where = run.diverged_at
        if run.losses[-1] < run.losses[0]:
            return (
                f"ran off downhill at step {where}: the loss falls without bound this way "
                "(there is no minimum to find)"
            )
        if critical is not None and eta > critical:
            value = "2/λ_max" if exact else "2/λ_max at the start"
            return (
                f"diverged at step {where}: the learning rate η = {eta:.3g} is above the "
                f"critical value {value} = {critical:.3g}"
            )
        return f"diverged at step {where}: each step overshoots further; try a smaller learning rate"
    if k == 0:
        return "ready: press Play or Step"
    losses = run.losses
    moves = np.diff(run.params[: k + 1], axis=0)
    growing = losses[k] > losses[k - 1] and (k < 2 or losses[k - 1] > losses[k - 2])
    reversing = len(moves) >= 2 and float(np.dot(moves[-1], moves[-2])) < 0
    if growing and losses[k] > losses[0]:
        state = "diverging: the loss grows every step"
    elif reversing:
        state = "oscillating: each step overshoots the valley floor"
    else:
        state = "converging" if convex else "descending"
    if k == last and run.status == "max_steps":
        return f"{state} (stopped after {k} steps: add steps to go on)"
    return state


class DescentExplorer(LiveFigure):
    """Sliders and Play that animate gradient descent on a loss surface.

    Parameters
    ----------
    x, y : array_like of shape (n,), optional
        Observations: the explorer walks the MSE of the line ŷ = m·x + b.
    surface : Surface, optional
        Instead of ``x, y``: any two-parameter surface (``gdlab.Saddle()``,
        ``gdlab.TwoValleys()``, ``gdlab.LinearMSE(x, y)``).
    learning_rate : float, optional
        η at the start; default the "good" preset's (half the critical rate
        on a line's MSE).
    start : (float, float), optional
        θ at step 0.  Default for a line's MSE: a line tilted against the
        data along their top edge, in view and clearly wrong; for other
        surfaces a point in the upper left of the window.
    steps : int, optional
        The most steps (1 to 2000); default 800.
    view : {"contour", "3d"}
        Panel 1 as contours or as a 3-D surface.
    classroom : bool
        Large fonts, thick lines, high contrast.

    Attributes
    ----------
    learning_rate, start_m, start_b, steps : sliders
        The settings.  ``start_m`` and ``start_b`` set the first and second
        parameter whatever the surface calls them.
    step : IntSlider
        The step shown.  Set it in Python to show that step; while Play runs
        in the browser it follows the step shown (about once a second).
    play : widgets.Play
        Its Play / Pause state is linked to ``player.playing`` in the browser.
    player : ExplorerView
        The picture: the browser draws every step from numbers sent once per
        setting change.  :meth:`frame_png` gives matplotlib's frame of the
        current state.
    run : DescentRun
        The current path.

    Examples
    --------
    >>> import gdlab
    >>> obs = gdlab.make_observations(n=30, seed=0)
    >>> ex = DescentExplorer(obs.x, obs.y)
    >>> ex.step.value = 5
    >>> ex.status_text()[:7]
    'step 5 '
    """

    text_plain = "DescentExplorer: drag the sliders or press Play (needs a live kernel)"

    def __init__(
        self,
        x=None,
        y=None,
        *,
        surface=None,
        learning_rate=None,
        start=None,
        steps=None,
        view: str = "contour",
        classroom: bool = False,
    ):
        self.surface = _as_surface(x, y, surface)
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}; got {view!r}")
        super().__init__(
            figsize=self._figsize(classroom), classroom=classroom, image=False
        )
        self.view = view
        self._quiet = False
        self._frames = {}
        self.frame = None
        window = self.surface.window()
        self._window = window
        self._reference = _reference_critical_rate(self.surface)
        self._default_start = _default_start(self.surface, window)
        self._far_start = (window[0][0], window[1][1])
        corners = np.array([[a, b] for a in window[0] for b in window[1]], dtype=float)
        sizes = np.linalg.norm(self.surface.gradient(corners), axis=1)
        sizes = sizes[np.isfinite(sizes) & (sizes > 0)]
        # "Converged" once the gradient is 10⁻⁴ of its size at the window's corners.
        self._tolerance = 1e-4 * float(sizes.max()) if sizes.size else 1e-6

        # A "good" rate: the preset's on a bowl, half the reference on a non-convex surface.
        gentle = PRESETS["good"][0] if isinstance(self.surface, LinearMSE) else 0.5
        eta = (
            gentle * self._reference
            if learning_rate is None
            else as_positive_number(learning_rate, "learning_rate")
        )
        self._snap_default = learning_rate is None
        self._settle_until = 0.0
        start = (
            self._default_start
            if start is None
            else tuple(as_parameter_vector(start, "start", size=2))
        )
        steps = 800 if steps is None else as_step_count(steps, "steps")
        if not 1 <= steps <= _MAX_STEPS:
            raise ValueError(f"steps must be from 1 to {_MAX_STEPS}; got {steps}")
        for value, (low, high), name in zip(start, window, ("start[0]", "start[1]")):
            if not low <= value <= high:
                raise ValueError(
                    f"{name} must lie in the window [{low:.4g}, {high:.4g}]; got {value}"
                )

        self._build_controls(eta, start, steps)
        self._new_frame()
        self._new_path()
        self._show_scene()

    # -- construction ------------------------------------------------------------

    @staticmethod
    def _figsize(classroom):
        return (14.0, 5.6) if classroom else (13.0, 4.6)

    def _build_controls(self, eta, start, steps):
        names = self.surface.parameter_names
        (m_low, m_high), (b_low, b_high) = self._window
        # Exponents on a grid of 0.01 (so 0.01, 0.1, … are on it), and the
        # rates we choose snapped to it, so the browser's slider keeps them as they are.
        log_ref = math.log10(self._reference)
        # The range also takes in a rate the caller chose outside the usual one.
        log_eta = math.log10(eta)
        low = math.floor((min(log_ref - 3, log_eta) * 100)) / 100
        high = math.ceil((max(log_ref + 0.6, log_eta) * 100)) / 100
        self._log_grid = (low, 0.01)
        if self._snap_default:
            eta = self._on_grid(eta)
        wide = widgets.Layout(width="420px")
        style = {"description_width": "110px"}
        self.learning_rate = widgets.FloatLogSlider(
            value=eta,
            base=10,
            min=low,
            max=high,
            step=0.01,
            description="learning rate η",
            readout_format=".3g",
            layout=wide,
            style=style,
        )
        self.start_m = widgets.FloatSlider(
            value=start[0],
            min=m_low,
            max=m_high,
            step=(m_high - m_low) / 200,
            description=f"start {names[0]}",
            readout_format=".3g",
            layout=wide,
            style=style,
        )
        self.start_b = widgets.FloatSlider(
            value=start[1],
            min=b_low,
            max=b_high,
            step=(b_high - b_low) / 200,
            description=f"start {names[1]}",
            readout_format=".3g",
            layout=wide,
            style=style,
        )
        self.steps = widgets.IntSlider(
            value=steps,
            min=1,
            max=_MAX_STEPS,
            description="steps",
            layout=wide,
            style=style,
        )
        self.step = widgets.IntSlider(
            value=0, min=0, max=1, description="step", layout=wide, style=style
        )
        # Its value stays 0; its Stop button sets it to min = -1: see _on_stop.
        self.play = widgets.Play(
            value=0,
            min=-1,
            max=1,
            interval=_PLAY_TIMER_OFF,
            description="Play / Pause",
            show_repeat=False,
        )
        # The picture: drawn and played in the browser from numbers sent once per change.
        self.player = ExplorerView(layout=widgets.Layout(max_width="100%"))
        # The Play button's state is linked in the browser; the step goes through
        # the kernel (a link there would echo stale steps back and forth).
        self._play_link = widgets.jslink(
            (self.play, "playing"), (self.player, "playing")
        )
        self.step_button = widgets.Button(
            description="Step",
            tooltip="one more step",
            layout=widgets.Layout(width="80px"),
        )
        self.reset_button = widgets.Button(
            description="Reset",
            tooltip="back to step 0",
            layout=widgets.Layout(width="80px"),
        )
        self.speed = widgets.ToggleButtons(
            options=list(_SPEEDS),
            value="medium",
            tooltips=[f"{rate:g} steps per second" for rate in _SPEEDS.values()],
            style={"button_width": "78px"},
        )
        self.view_toggle = widgets.ToggleButtons(
            options=[("contour", "contour"), ("3D", "3d")],
            value=self.view,
            style={"button_width": "78px"},
        )
        self.classroom_toggle = widgets.ToggleButton(
            value=self.classroom,
            description="classroom mode",
            tooltip="large text, thick lines, high contrast",
        )
        self.preset_buttons = {
            name: widgets.Button(description=name, layout=widgets.Layout(width="auto"))
            for name in PRESETS
        }
        self.critical_label = widgets.HTML()
        self.warning = widgets.HTML()
        self.status = widgets.HTML()

        for control in (self.learning_rate, self.start_m, self.start_b, self.steps):
            control.observe(self._on_setting, "value")
        self.step.observe(self._on_step, "value")
        self.player.observe(self._on_player_step, "step")
        self.play.observe(self._on_stop, "value")
        self.step_button.on_click(lambda _: self.advance())
        self.reset_button.on_click(lambda _: self.reset())
        self.speed.observe(self._on_speed, "value")
        self.view_toggle.observe(self._on_view, "value")
        self.classroom_toggle.observe(self._on_classroom, "value")
        for name, button in self.preset_buttons.items():
            button.on_click(lambda _, name=name: self.apply_preset(name))
        self._on_speed()

        def label(text):
            return widgets.Label(text, layout=widgets.Layout(width="110px"))

        self.widget = widgets.VBox(
            [
                widgets.HBox([self.learning_rate, self.critical_label]),
                self.warning,
                widgets.HBox([self.start_m, self.start_b]),
                widgets.HBox([self.steps, label("animation speed"), self.speed]),
                widgets.HBox(
                    [
                        label("Play / Pause"),
                        self.play,
                        self.step,
                        self.step_button,
                        self.reset_button,
                    ]
                ),
                widgets.HBox([label("presets"), *self.preset_buttons.values()]),
                widgets.HBox([label("view"), self.view_toggle, self.classroom_toggle]),
                self.player,
            ]
        )

    def _new_frame(self):
        """Show the figure for the current view and style: built once, then kept."""
        key = (self.view, self.classroom)
        if getattr(self, "frame", None) is not None:
            self._frames[self._frame_key] = (self.stash_figure(), self.frame)
        if key in self._frames:
            state, self.frame = self._frames.pop(key)
            self.unstash_figure(state)
        else:
            figure = self.new_figure(
                figsize=self._figsize(self.classroom), classroom=self.classroom
            )
            self.frame = ExplorerFrame(
                figure, self.surface, view=self.view, classroom=self.classroom
            )
            self.animate(*self.frame.moving)
            self.layer(*self.frame.per_run_axes)
        self._frame_key = key
        if getattr(self, "run", None) is not None:
            self.frame.set_run(self.run)
            self.invalidate_background(static=False)

    # -- the path ------------------------------------------------------------------

    def critical_rate(self) -> float | None:
        """2/λ_max: exact for a line's MSE; at the start for other surfaces; None if λ_max ≤ 0."""
        start = (self.start_m.value, self.start_b.value)
        memo = getattr(self, "_critical_memo", None)
        if memo is None or memo[0] != start:
            # Asked by the status line of every step: computed once per start.
            self._critical_memo = (start, self._critical_rate_at(start))
        return self._critical_memo[1]

    def _critical_rate_at(self, start) -> float | None:
        if isinstance(self.surface, LinearMSE):
            return self.surface.critical_learning_rate()
        with np.errstate(all="ignore"):
            hessian = np.asarray(self.surface.hessian(list(start)), dtype=float)
        if not np.all(np.isfinite(hessian)):
            return None
        top = float(np.linalg.eigvalsh((hessian + hessian.T) / 2)[-1])
        return 2.0 / top if top > 0 else None

    def _new_path(self):
        self.run = descend(
            self.surface,
            (self.start_m.value, self.start_b.value),
            learning_rate=self.learning_rate.value,
            steps=self.steps.value,
            tolerance=self._tolerance,
        )
        self.frame.set_run(self.run)
        self.invalidate_background(static=False)
        last = self.run.steps_taken
        with self.quiet():
            if self.step.value > last:
                self.step.value = last
            self.step.max = self.play.max = max(last, 1)
            if self.play.value > last:
                self.play.value = self.step.value
        self._update_labels()

    def _update_labels(self):
        critical = self.critical_rate()
        exact = isinstance(self.surface, LinearMSE)
        big = "1.35em" if self.classroom else "1em"
        if critical is None:
            self.learning_rate.style.handle_color = None
            self.critical_label.value = (
                f"<span style='font-size:{big}'>no critical rate here: the surface curves "
                "downwards at the start</span>"
            )
            self.warning.value = ""
            return
        name = "2/λ_max" if exact else "2/λ_max at the start"
        self.critical_label.value = (
            f"<span style='font-size:{big}'>critical value {name} = <b>{critical:.3g}</b> "
            f"(η now {'above' if self.learning_rate.value > critical else 'below'} it)</span>"
        )
        above = self.learning_rate.value > critical
        # Mark it on the control too: the slider's handle turns vermillion above the critical rate.
        self.learning_rate.style.handle_color = COLORS["line"] if above else None
        if above:
            outcome = (
                "this run will diverge" if exact else "the first steps will overshoot"
            )
            self.warning.value = (
                f"<div style='font-size:{big}; font-weight:bold; color:#000; background:#F0E442; "
                f"padding:2px 8px; border-left:6px solid #D55E00'>⚠ η = {self.learning_rate.value:.3g} "
                f"is above the critical value {name} = {critical:.3g}: {outcome}.</div>"
            )
        else:
            self.warning.value = ""

    # -- frames --------------------------------------------------------------------

    def after_layout(self):
        self.frame.freeze_text_positions()

    def update_frame(self):
        shown = self.frame.show(self.step.value)
        self.status.value = (
            f"<div style='{self._status_style()}'>"
            f"{html.escape(self.status_text(shown))}</div>"
        )

    def _status_style(self) -> str:
        big = self.classroom
        font = "font-size:1.5em; font-weight:bold;" if big else "font-size:1.1em;"
        return f"{font} color:#000; background:#fff; padding:4px 0"

    def status_text(self, step: int | None = None) -> str:
        """The status line: step, parameters, loss and the state in words."""
        k = min(self.step.value if step is None else step, self.run.steps_taken)
        first, second = self.surface.parameter_names
        theta = self.run.params[k]
        exact = isinstance(self.surface, LinearMSE)
        words = describe_step(
            self.run, k, self.critical_rate(), exact=exact, convex=exact
        )
        inside = all(
            low <= v <= high for v, (low, high) in zip(theta, self.frame.window)
        )
        where = "" if inside else " (off the map)"
        return (
            f"step {k} · {first} = {theta[0]:.4g} · {second} = {theta[1]:.4g} · "
            f"L = {self.run.losses[k]:.4g}{where} · {words}"
        )

    def close(self):
        """Close the Play link, every control and the picture."""
        self._play_link.close()
        super().close()

    # -- actions -------------------------------------------------------------------

    def advance(self):
        """One more step (the Step button)."""
        if self.step.value < self.step.max:
            self.step.value += 1

    def _on_grid(self, rate: float) -> float:
        """``rate`` moved to the nearest value the learning-rate slider can show."""
        low, step = self._log_grid
        return 10 ** (low + round((math.log10(rate) - low) / step) * step)

    def _settle(self):
        # Play may still be ticking in the browser until it hears "pause":
        # for a moment, steps it sends are overruled (see _on_step).
        self._settle_until = time.perf_counter() + _SETTLE_SECONDS

    def reset(self):
        """Pause and go back to step 0 (the Reset button)."""
        self._settle()
        with self.player.hold_sync():
            self.player.playing = False
            self.player.step = 0
        self.play.playing = False
        self.play.value = 0
        self.step.value = 0

    def apply_preset(self, name: str):
        """Apply a preset by name: one of :data:`PRESETS`."""
        if name not in PRESETS:
            raise ValueError(f"name must be one of {tuple(PRESETS)}; got {name!r}")
        factor, where, steps = PRESETS[name]
        start = self._far_start if where == "far" else self._default_start
        self._settle()
        self.play.playing = self.player.playing = False
        with self.quiet():
            self.learning_rate.value = self._on_grid(factor * self._reference)
            self.start_m.value, self.start_b.value = start
            self.steps.value = steps
            self.step.value = 0
            self.play.value = 0
        self._new_path()
        self._show_scene()

    def _on_setting(self, change=None):
        if self._quiet:
            return
        # While a drag sends values faster than paths are computed, compute
        # only the latest (request_render skips the ones overtaken).
        self.request_render(change, draw=self._new_path_and_scene)

    def _new_path_and_scene(self):
        self._new_path()
        self._show_scene()

    def _show_scene(self):
        """Send the browser the still, the moving layer and the status of every step."""
        background = self.background_pixels()
        layer = self.frame.export_moving()
        status = [self.status_text(k) for k in range(layer.steps)]
        self.player.show_scene(
            background,
            layer,
            status,
            step=self.step.value,
            style=self._status_style(),
            label="the loss surface with the path of θ, and the loss per step",
        )
        self.frame_sent()
        self.invalidate_frame()

    def _on_player_step(self, change):
        """The browser reports the step it shows (paused, or now and then while playing)."""
        if self._quiet:
            return
        late = (
            change["new"] != 0
            and not self.play.playing
            and time.perf_counter() < self._settle_until
            and changed_in_browser(self.player)
        )
        if late:
            # A report sent before the browser heard Reset or a preset: overrule it.
            self.player.step = self.step.value
            return
        self.step.value = change["new"]

    def _on_step(self, change=None):
        if self._quiet:
            return
        late_tick = (
            change is not None
            and change["new"] != 0
            and not self.play.playing
            and time.perf_counter() < self._settle_until
            and changed_in_browser(self.step)
        )
        if late_tick:
            # A Play tick sent before the browser heard Reset or a preset: undo it.
            with self.quiet():
                self.play.value = 0
                self.step.value = 0
        self.player.step = self.step.value
        self.invalidate_frame()

    def _on_stop(self, change):
        """The Play widget's Stop button (it sets the value to its min): back to step 0."""
        if change["new"] < 0 and changed_in_browser(self.play):
            self.reset()

    def _on_speed(self, change=None):
        self.player.speed = _SPEEDS[self.speed.value]

    def _on_view(self, change=None):
        self.view = self.view_toggle.value
        self._new_frame()
        self._show_scene()

    def _on_classroom(self, change=None):
        self.classroom = bool(self.classroom_toggle.value)
        self._new_frame()
        self._update_labels()
        self._show_scene()


def _as_surface(x, y, surface) -> Surface:
    if surface is not None:
        if x is not None or y is not None:
            raise ValueError("pass either x and y, or surface, not both")
        if not isinstance(surface, Surface) or surface.n_parameters != 2:
            raise TypeError(
                "surface must be a two-parameter gdlab Surface (LinearMSE, Saddle, TwoValleys, …); "
                f"got {type(surface).__name__}"
            )
        try:
            surface.window()
        except NotImplementedError:
            raise TypeError(
                f"surface must define window(), the range to draw; {type(surface).__name__} does not"
            ) from None
        return surface
    if x is None or y is None:
        raise TypeError(
            "DescentExplorer needs x and y (the observations), or surface=..."
        )
    return LinearMSE(x, y)


def _default_start(surface: Surface, window) -> tuple[float, float]:
    """Where a run starts unless told: a wrong line that is still in view.

    For a line's MSE, a line through (the middle of x, the largest y), tilted
    against the best fit by a quarter of the data's rise over their run: it
    stays inside the data panel (the data's y-range plus a margin), it is
    clearly wrong, and it lies well above the data's centre, off the valley
    floor, so a large η zig-zags visibly.  Other surfaces: the upper left of
    the window.
    """
    (m_low, m_high), (b_low, b_high) = window
    corner = (m_low + 0.2 * (m_high - m_low), b_low + 0.85 * (b_high - b_low))
    if not isinstance(surface, LinearMSE):
        return corner
    x, y = surface.x, surface.y
    x_span, y_span = float(np.ptp(x)), float(np.ptp(y))
    if not (x_span > 0 and y_span > 0):
        return corner
    m = -math.copysign(0.25 * y_span / x_span, surface.minimum[0])
    b = float(y.max()) - m * (float(x.min()) + float(x.max())) / 2
    inner = 0.05
    return (
        float(
            np.clip(
                m, m_low + inner * (m_high - m_low), m_high - inner * (m_high - m_low)
            )
        ),
        float(
            np.clip(
                b, b_low + inner * (b_high - b_low), b_high - inner * (b_high - b_low)
            )
        ),
    )


def _reference_critical_rate(surface: Surface) -> float:
    """A critical rate that sets the learning-rate slider's range."""
    if isinstance(surface, LinearMSE):
        return surface.critical_learning_rate()
    tops = []
    for point in known_critical_points(surface):
        hessian = np.asarray(surface.hessian(point.point), dtype=float)
        tops.append(
            float(np.max(np.abs(np.linalg.eigvalsh((hessian + hessian.T) / 2))))
        )
    top = max(tops, default=0.0)
    return 2.0 / top if top > 0 else 1.0
