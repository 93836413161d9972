"""The descent explorer: watch gradient descent walk across a loss surface (lesson 05).

Pick a learning rate η and a starting point, press Play, and see θ move over
the loss surface while the line and the loss curve move in step.  Every
setting change computes the whole path once with :func:`gdlab.descend`;
a Play tick only moves the drawn artists (see :class:`LiveFigure`).
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
from . import _controls
from ._base import LiveFigure, changed_in_browser

__all__ = ["PRESETS", "DescentExplorer", "describe_step"]

# The presets of a bowl (what a line's MSE offers); every surface says which
# presets it offers, and what each must show, in Surface.presets().
PRESETS = ("too small", "good", "oscillates", "diverges", "far start")

_SPEEDS = {"slow": (400, 1), "medium": (150, 1), "fast": (60, 1), "fastest": (50, 5)}
_MAX_STEPS = 2000
_SETTLE_SECONDS = 0.6
# Above this condition number the bowl is a valley too long to walk: say so.
_ILL_CONDITIONED = 1e8


def _steps(k: int) -> str:
    return f"{k} step" if k == 1 else f"{k} steps"


def describe_step(
    run: DescentRun, step: int, surface: Surface | None = None, *, can_add_steps=True
) -> str:
    """The state of a run at ``step``, in words.

    One of "ready", "converging" (on a bowl) or "descending" (elsewhere: it may
    yet reach a saddle or a local minimum), "oscillating" (zig-zagging across
    the valley), "bouncing" (back and forth with a loss that no longer falls),
    "diverging",
    "converged after k steps: …" (saying where: the minimum of a bowl, a
    minimum of a non-convex surface, or a saddle, which is not a minimum),
    "diverged at step k: …", "ran off downhill at step k: …" or
    "stopped after k steps: …".

    Parameters
    ----------
    run : DescentRun
    step : int
        The step shown (clamped to the run).
    surface : Surface, optional
        The surface walked on; it says whether it is a bowl, its critical rate
        and its critical points.  Without it, less is said.
    can_add_steps : bool
        Whether more steps can be asked for; if not, a run that ran out of
        steps is told to take larger ones instead.

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> run = descend(Parabola(1.0), [2.0], learning_rate=2.5, steps=100)
    >>> describe_step(run, 10**6, Parabola(1.0))
    'diverged at step 23: the learning rate η = 2.5 is above the critical value 2/λ_max = 2'
    >>> describe_step(run, 3)
    'diverging: the loss grows every step'
    >>> describe_step(descend(Parabola(1.0), [2.0], 1.0, steps=5), 1, Parabola(1.0))
    'converged after 1 step: at the minimum'
    """
    last = run.steps_taken
    k = min(max(int(step), 0), last)
    if k == last and run.status == "converged":
        return f"converged after {_steps(k)}: {_arrival(run.final, surface)}"
    if run.status == "diverged" and k == last:
        return _divergence(run, surface)
    if k == 0:
        return "ready: press Play or Step"
    losses = run.losses
    growing = losses[k] > losses[k - 1] and (k < 2 or losses[k - 1] > losses[k - 2])
    reversing = _reversing(run.params[max(k - 2, 0) : k + 1], surface)
    # Back and forth: θ returns where it was, or the loss rises and falls in turn
    # (on a bowl below the critical rate the loss falls at every step).
    changes = np.diff(losses[max(k - 4, 0) : k + 1])
    ups = changes > 1e-9 * abs(losses[k])
    cycling = _cycling(run.params[max(k - 4, 0) : k + 1]) or (
        len(changes) >= 3 and ups.any() and not ups.all()
    )
    if growing and losses[k] > losses[0]:
        state = "diverging: the loss grows every step"
    elif cycling:
        state = (
            "bouncing: the steps overshoot back and forth and the loss no longer falls"
        )
    elif reversing:
        state = "oscillating: each step overshoots the valley floor"
    else:
        state = "converging" if surface is not None and surface.convex else "descending"
    if k == last and run.status == "max_steps":
        if can_add_steps:
            return f"{state} (stopped after {_steps(k)}: add steps to go on)"
        return (
            f"{state} (stopped after {_steps(k)}, the most there can be: "
            f"{_advice(run, surface, reversing or growing or cycling)})"
        )
    return state


def _advice(run, surface, overshooting) -> str:
    """What to change when the steps ran out: the learning rate, or the data."""
    rate = None
    if surface is not None and surface.convex and surface.quadratic:
        rate = surface.critical_rate().value
    if rate is None:
        # Overshooting calls for smaller steps; a steady descent, for larger ones.
        return f"try {'a smaller' if overshooting else 'a larger'} learning rate"
    if run.learning_rate <= 0.9 * rate:
        return "try a larger learning rate, below the critical value"
    return (
        "η is near its limit, so only a rounder bowl goes faster: "
        "standardise x (lesson 06)"
    )


def _cycling(params) -> bool:
    """Whether θ is back where it was 2 or 4 steps ago while still taking real steps."""
    if len(params) < 3:
        return False
    step = float(np.linalg.norm(params[-1] - params[-2]))
    back = [
        float(np.linalg.norm(params[-1] - params[-1 - p]))
        for p in (2, 4)
        if p < len(params)
    ]
    return step > 0 and min(back) < 1e-3 * step


def _reversing(params, surface) -> bool:
    """Whether the last two moves went opposite ways across the valley.

    "Across the valley" is along the Hessian's steepest direction at the
    latest θ (where the surface says); without a surface, the moves themselves.
    """
    moves = np.diff(params, axis=0)
    if len(moves) < 2:
        return False
    if surface is not None:
        with np.errstate(all="ignore"):
            hessian = np.asarray(surface.hessian(params[-1]), dtype=float)
        if np.isfinite(hessian).all():
            steepest = np.linalg.eigh((hessian + hessian.T) / 2)[1][:, -1]
            moves = moves @ steepest
    return float(np.dot(np.atleast_1d(moves[-1]), np.atleast_1d(moves[-2]))) < 0


def _arrival(theta, surface) -> str:
    """Where a converged run ended, in words: which critical point, and what kind."""
    points = [] if surface is None else known_critical_points(surface)
    if not points:
        return "the gradient is almost zero here"
    nearest = min(
        points, key=lambda p: float(np.linalg.norm(np.subtract(p.point, theta)))
    )
    if nearest.kind == "minimum":
        if surface.convex:
            return "at the minimum"
        lowest = min(p.loss for p in points if p.kind == "minimum")
        if nearest.loss <= lowest:
            return "at a minimum, the lowest this surface has"
        return f"at a local minimum; another minimum is lower (L = {lowest:.3g})"
    what = {"saddle": "a saddle point", "maximum": "a maximum"}.get(
        nearest.kind, "a flat (degenerate) critical point"
    )
    return f"at {what}: the gradient is zero here, but this is not a minimum"


def _divergence(run, surface) -> str:
    where = run.diverged_at
    if run.losses[-1] < run.losses[0]:
        return (
            f"ran off downhill at step {where}: the loss falls without bound this way "
            "(there is no minimum to find)"
        )
    rate = None
    if surface is not None:
        rate = surface.critical_rate(run.params[0])
    eta = run.learning_rate
    if rate is not None and rate.value is not None and eta > rate.value:
        value = "2/λ_max" if rate.kind == "exact" else "2/λ_max at the start (local)"
        return (
            f"diverged at step {where}: the learning rate η = {eta:.3g} is above the "
            f"critical value {value} = {rate.value:.3g}"
        )
    if rate is not None and rate.kind == "local":
        return (
            f"diverged at step {where}: each step overshoots further (the local critical "
            f"value at the start, {rate.value:.3g}, holds only near it); try a smaller "
            "learning rate"
        )
    return f"diverged at step {where}: each step overshoots further; try a smaller learning rate"


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
    aspect : {"auto", "equal"}
        ``"equal"`` draws the loss surface to scale (a round bowl looks round).

    Attributes
    ----------
    learning_rate, start_m, start_b, steps : sliders
        The settings.  ``start_m`` and ``start_b`` set the first and second
        parameter whatever the surface calls them.
    step : IntSlider
        The step shown; ``play`` drives it (linked in the browser).
    play : widgets.Play
    image : widgets.Image
        The PNG of the current frame.  Setting any slider's ``value`` in
        Python updates it before the assignment returns.
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
        aspect: str = "auto",
    ):
        self.surface = _as_surface(x, y, surface)
        if aspect not in ("auto", "equal"):
            raise ValueError(f"aspect must be 'auto' or 'equal'; got {aspect!r}")
        self.aspect = aspect
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}; got {view!r}")
        super().__init__(figsize=self._figsize(classroom), classroom=classroom)
        self.view = view
        self._quiet = False
        self._frames = {}
        self.frame = None
        window = self.surface.window()
        self._window = window
        self._reference = _reference_rate(self.surface)
        self._default_start = tuple(self.surface.default_start())
        self._far_start = (window[0][0], window[1][1])  # the map's upper-left corner
        self.presets = {preset.name: preset for preset in self.surface.presets()}
        good = self.presets.get("good")
        eta = (
            (good.learning_rate if good else 0.5 * self._reference)
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
        self.render(full=True)

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
        # The range also takes in a rate the caller chose, and every preset's.
        logs = [math.log10(eta)] + [
            math.log10(p.learning_rate) for p in self.presets.values()
        ]
        low = math.floor(min(log_ref - 3, *logs) * 100) / 100
        high = math.ceil(max(log_ref + 0.6, *logs) * 100) / 100
        self._log_grid = (low, 0.01)
        if self._snap_default:
            eta = self._on_grid(eta)
        wide = widgets.Layout(width="420px")
        style = {"description_width": "110px"}
        self.learning_rate = _controls.FloatLogSlider(
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
        self.start_m = _controls.FloatSlider(
            value=start[0],
            min=m_low,
            max=m_high,
            step=(m_high - m_low) / 200,
            description=f"start {names[0]}",
            readout_format=".3g",
            layout=wide,
            style=style,
        )
        self.start_b = _controls.FloatSlider(
            value=start[1],
            min=b_low,
            max=b_high,
            step=(b_high - b_low) / 200,
            description=f"start {names[1]}",
            readout_format=".3g",
            layout=wide,
            style=style,
        )
        self.steps = _controls.IntSlider(
            value=steps,
            min=1,
            max=_MAX_STEPS,
            description="steps",
            layout=wide,
            style=style,
        )
        self.step = _controls.IntSlider(
            value=0, min=0, max=1, description="step", layout=wide, style=style
        )
        self.play = widgets.Play(
            value=0,
            min=0,
            max=1,
            interval=150,
            description="Play / Pause",
            show_repeat=False,
        )
        self._link = widgets.jslink((self.play, "value"), (self.step, "value"))
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
            tooltips=[
                "one step every 0.4 s",
                "every 0.15 s",
                "every 0.06 s",
                "five steps every 0.05 s",
            ],
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
            name: widgets.Button(
                description=name,
                tooltip=f"shows: {preset.shows}",
                layout=widgets.Layout(width="auto"),
            )
            for name, preset in self.presets.items()
        }
        self.critical_label = widgets.HTML()
        self.warning = widgets.HTML()
        self.status = widgets.HTML()

        for control in (self.learning_rate, self.start_m, self.start_b, self.steps):
            control.observe(self._on_setting, "value")
        self.step.observe(self._on_step, "value")
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
                self.image,
                self.status,
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
                figure,
                self.surface,
                view=self.view,
                classroom=self.classroom,
                aspect=self.aspect,
            )
            self.animate(*self.frame.moving)
            self.layer(*self.frame.per_run_axes)
        self._frame_key = key
        if getattr(self, "run", None) is not None:
            self.frame.set_run(self.run)
            self.invalidate_background(static=False)

    # -- the path ------------------------------------------------------------------

    def critical_rate(self) -> float | None:
        """2/λ_max: exact on a quadratic surface, else at the start; None if λ_max ≤ 0."""
        return self._critical().value

    def _critical(self):
        return self.surface.critical_rate((self.start_m.value, self.start_b.value))

    def _new_path(self):
        self.run = descend(
            self.surface,
            (self.start_m.value, self.start_b.value),
            learning_rate=self.learning_rate.value,
            steps=self.steps.value,
        )
        self.frame.set_run(self.run)
        self.invalidate_background(static=False)
        last = self.run.steps_taken
        with self.quiet():
            self.step.value = min(self.step.value, last)
            self.step.max = max(last, 1)
            self._fit_play()
            if self.play.value > last:
                self.play.value = self.step.value
        self._update_labels()

    def _update_labels(self):
        rate = self._critical()
        big = "1.35em" if self.classroom else "1em"
        warnings = []
        kappa = self.surface.condition_number() if self.surface.quadratic else 0.0
        if kappa > _ILL_CONDITIONED:
            size = (
                f"κ = {kappa:.2g}: the valley is that many times longer than it is wide"
                if math.isfinite(kappa)
                else "κ is too large for float64 to tell: the valley is flat along its floor"
            )
            warnings.append(
                f"{size}. Gradient descent crawls along it and rounding decides the "
                "rest. Standardise x first (lesson 06)."
            )
        eta = self.learning_rate.value
        above = rate.value is not None and eta > rate.value
        if rate.value is None:
            self.critical_label.value = (
                f"<span style='font-size:{big}'>no critical rate at the start: the "
                "surface curves downwards in every direction there</span>"
            )
        else:
            name = (
                "critical value 2/λ_max"
                if rate.kind == "exact"
                else "local critical value 2/λ_max at the start"
            )
            self.critical_label.value = (
                f"<span style='font-size:{big}'>{name} = "
                f"<b>{rate.value:.3g}</b> (η now {'above' if above else 'below'} it)</span>"
            )
        # Mark it on the control too: the slider's handle turns vermillion above the critical rate.
        self.learning_rate.style.handle_color = COLORS["line"] if above else None
        if above:
            name = "2/λ_max" if rate.kind == "exact" else "2/λ_max at the start"
            outcome = (
                "this run will diverge"
                if rate.kind == "exact" and self.surface.convex
                else "the first steps will overshoot"
            )
            warnings.insert(
                0,
                f"η = {eta:.3g} is above the critical value {name} = {rate.value:.3g}: "
                f"{outcome}.",
            )
        self.warning.value = "".join(
            f"<div style='font-size:{big}; font-weight:bold; color:#000; background:#F0E442; "
            f"padding:2px 8px; border-left:6px solid #D55E00'>⚠ {html.escape(text)}</div>"
            for text in warnings
        )

    # -- frames --------------------------------------------------------------------

    def after_layout(self):
        self.frame.freeze_text_positions()

    def update_frame(self):
        shown = self.frame.show(self.step.value)
        big = self.classroom
        font = "font-size:1.5em; font-weight:bold;" if big else "font-size:1.1em;"
        self.status.value = (
            f"<div style='{font} color:#000; background:#fff; padding:4px 0'>"
            f"{html.escape(self.status_text(shown))}</div>"
        )

    def status_text(self, step: int | None = None) -> str:
        """The status line: step, parameters, loss and the state in words."""
        k = min(self.step.value if step is None else step, self.run.steps_taken)
        first, second = self.surface.parameter_names
        theta = self.run.params[k]
        words = describe_step(
            self.run, k, self.surface, can_add_steps=self.steps.value < self.steps.max
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
        """Close the Play link, every control and the image."""
        self._link.close()
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
        self.play.playing = False
        self.play.value = 0
        self.step.value = 0

    def apply_preset(self, name: str):
        """Apply a preset by name: one of ``self.presets``, those the surface offers."""
        if name not in self.presets:
            raise ValueError(
                f"name must be one of the presets {self.surface!r} offers, "
                f"{tuple(self.presets)}; got {name!r}"
            )
        preset = self.presets[name]
        self._settle()
        self.play.playing = False
        with self.quiet():
            self.learning_rate.value = self._on_grid(preset.learning_rate)
            self.start_m.value, self.start_b.value = preset.start
            self.steps.value = preset.steps
            self.step.value = 0
            self.play.value = 0
        self._new_path()
        self.render()

    def _on_setting(self, change=None):
        if self._quiet:
            return
        self._new_path()
        self.request_render(change)

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
        self.request_render(change)

    def _on_speed(self, change=None):
        interval, jump = _SPEEDS[self.speed.value]
        self.play.interval = interval
        self.play.step = jump
        self._fit_play()

    def _fit_play(self):
        """Play's range: the last step, rounded up to a whole number of jumps.

        Play stops before a tick that would pass its ``max``; with jumps of 5
        and 39 steps it would stop at 35 and never show the verdict.  Rounded
        up, its last tick passes the last step and the step slider (which the
        browser clamps) shows the last step.
        """
        if getattr(self, "run", None) is None:
            return
        jump = max(int(self.play.step), 1)
        last = max(self.run.steps_taken, 1)
        self.play.max = jump * math.ceil(last / jump)

    def _on_view(self, change=None):
        self.view = self.view_toggle.value
        self._new_frame()
        self.render()

    def _on_classroom(self, change=None):
        self.classroom = bool(self.classroom_toggle.value)
        self._new_frame()
        self._update_labels()
        self.render()


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


def _reference_rate(surface: Surface) -> float:
    """The learning rate the slider's range is built around.

    The exact critical rate where there is one; elsewhere the smallest local
    one at a minimum (the steepest valley a run can end in); 1 if neither.
    """
    rate = surface.critical_rate() if surface.quadratic else None
    if rate is not None and rate.value is not None:
        return rate.value
    local = [
        surface.critical_rate(p.point).value
        for p in known_critical_points(surface)
        if p.kind == "minimum"
    ]
    local = [value for value in local if value is not None]
    return min(local) if local else 1.0
