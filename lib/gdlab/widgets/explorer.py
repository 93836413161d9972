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
import inspect
import math
import time

import ipywidgets as widgets

from .._classroom import resolve
from .._validate import as_parameter_vector, as_positive_number, as_step_count
from ..descent import descend
from ..least_squares import LinearMSE
from ..narration import describe_step, step_status
from ..plots import COLORS, VIEWS, ExplorerFrame, known_critical_points
from ..surfaces import Surface
from . import _controls
from ._base import DRAWING, LiveFigure, changed_in_browser
from ._controls import learning_rate_slider, log_rate_range
from .explorer_view import ExplorerView
from .predictions import PredictFirst
from .presets import default_start, presets_for
from .shortcuts import KeyboardShortcuts, describe_shortcuts

__all__ = ["PRESETS", "SHORTCUTS", "DescentExplorer", "describe_step"]

# The presets of a bowl (what a line's MSE offers); presets_for (presets.py)
# works out which presets a surface gets, and what each must show.
PRESETS = ("too small", "good", "oscillates", "diverges", "far start")

# Steps per second of Play in the browser; beyond the display rate steps are skipped.
_SPEEDS = {"slow": 2.5, "medium": 8.0, "fast": 25.0, "fastest": 120.0}
# The Play button only says "playing" (the browser's view animates): its own timer never fires.
_PLAY_TIMER_OFF = 10**9
_MAX_STEPS = 2000
# Keys that drive the explorer once it has been clicked (see KeyboardShortcuts).
SHORTCUTS = {
    "play_pause": ("Space", "p"),
    "step": ("ArrowRight", "s"),
    "reset": ("Home", "r"),
    "end": ("End", "e"),
    "back": ("b",),
    "reveal": ("v",),
}
_SHORTCUT_MEANINGS = {
    "play_pause": "Play / Pause",
    "step": "one step",
    "reset": "Reset to step 0",
    "end": "jump to the end",
    "back": "back to this cell's settings",
    "reveal": "reveal / hide the outcome (predict first)",
}
_SETTLE_SECONDS = 0.6
# Above this condition number the bowl is a valley too long to walk: say so.
_ILL_CONDITIONED = 1e8


class DescentExplorer(PredictFirst, LiveFigure):
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
    classroom : bool, optional
        Large fonts, thick lines, high contrast; default the kernel's
        classroom mode (``gdlab.classroom()``).
    aspect : {"auto", "equal"}
        ``"equal"`` draws the loss surface to scale (a round bowl looks round).
    rules : sequence of update rules, optional
        Race these rules (:mod:`gdlab.rules`, or a learner's own) on one map,
        one run and one colour each, with one shared step: the explorer is
        then a :class:`gdlab.widgets.race.RaceExplorer`.  Default: one run of
        plain gradient descent, as described here.
    predict : bool
        Predict first: hide each new run's outcome (the words of the status
        line, the loss curve, the path beyond step 0, the notes beside η) and
        show its preset's question until Play, End or the key V
        (:class:`gdlab.widgets.predictions.PredictFirst`).  Default False.
    feature : str
        The input's name on the data panel (default ``"x"``; ``"z"`` for
        standardised inputs): its axis and its title, ŷ = m·z + b.

    Attributes
    ----------
    learning_rate, start_m, start_b, steps : sliders
        The settings.  ``start_m`` and ``start_b`` set the first and second
        parameter whatever the surface calls them.
    step : IntSlider
        The step shown.  Set it in Python to show that step; while Play runs
        in the browser it follows the step shown (within two steps).
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

    def __new__(cls, *args, rules=None, **options):
        # With rules, the same explorer racing them (widgets/race.py).
        if rules is not None and cls is DescentExplorer:
            from .race import RaceExplorer

            return super().__new__(RaceExplorer)
        return super().__new__(cls)

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
        classroom: bool | None = None,
        aspect: str = "auto",
        rules=None,
        feature: str = "x",
        predict: bool = False,
    ):
        self.surface = _as_surface(x, y, surface)
        self.feature = _as_feature(feature)
        if aspect not in ("auto", "equal"):
            raise ValueError(f"aspect must be 'auto' or 'equal'; got {aspect!r}")
        self.aspect = aspect
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}; got {view!r}")
        classroom = resolve(classroom)
        super().__init__(
            figsize=self._figsize(classroom), classroom=classroom, image=False
        )
        self.view = view
        self._quiet = False
        self._frames = {}
        self.frame = None
        window = self.surface.window()
        self._window = window
        self._reference = _reference_rate(self.surface)
        self._default_start = tuple(default_start(self.surface))
        self._far_start = (window[0][0], window[1][1])  # the map's upper-left corner
        self.presets = {preset.name: preset for preset in presets_for(self.surface)}
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

        with DRAWING:  # no other thread draws while this one lays the figure out
            self._first_scene(eta, start, steps, predict)

    def _first_scene(self, eta, start, steps, predict=False):
        self._build_predict_toggle(predict)
        self._build_controls(eta, start, steps)
        # What *back to this cell's settings* restores.
        self._cell_settings = (self.learning_rate.value, start, steps)
        self._new_frame()
        self._new_path()
        self._show_scene()

    # -- construction ------------------------------------------------------------

    @staticmethod
    def _figsize(classroom):
        # Classroom: as wide as a 1280-pixel window's notebook shows without
        # shrinking it, and low enough to fit under the controls on 720 pixels.
        return (11.0, 3.5) if classroom else (13.0, 4.6)

    def _build_controls(self, eta, start, steps):
        self._build_sliders(eta, start, steps)
        self._build_player()
        self._build_buttons()
        self._connect_controls()
        self.shortcuts = KeyboardShortcuts(SHORTCUTS, self.guarded(self.press))
        keys = html.escape(describe_shortcuts(SHORTCUTS, _SHORTCUT_MEANINGS))
        self.keys_help = widgets.HTML(
            f"<span title='Keys, after a click on the explorer: {keys}'>⌨ keys</span>"
        )
        # Names the browser test finds these parts by (the status line, inside
        # the player, is the player's own .gdlab-status).
        self.warning.add_class("gdlab-warning")
        self.player.add_class("gdlab-figure")
        self._arrange()

    def _build_sliders(self, eta, start, steps):
        """The learning rate, the start's two coordinates, the steps and the step."""
        names = self.surface.parameter_names
        # Exponents on a grid of 0.01 (so 0.01, 0.1, … are on it), and the
        # rates we choose snapped to it, so the browser's slider keeps them as
        # they are.  The range also takes in every preset's rate.
        low, high = log_rate_range(
            self._reference, [eta] + [p.learning_rate for p in self.presets.values()]
        )
        self._log_grid = (low, 0.01)
        if self._snap_default:
            eta = self._on_grid(eta)
        wide = widgets.Layout(width="420px")
        style = {"description_width": "110px"}
        self.learning_rate = learning_rate_slider(
            eta, low, high, layout=wide, style=style
        )
        self.start_m, self.start_b = (
            _controls.FloatSlider(
                value=value,
                **_start_grid(low_end, high_end),
                description=f"start {name}",
                readout_format=".4g",
                layout=wide,
                style=style,
            )
            for value, (low_end, high_end), name in zip(start, self._window, names)
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

    def _build_player(self):
        """Play, the picture played in the browser, and the link between them."""
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

    def _build_buttons(self):
        """Step, Reset, speed, view, classroom mode, the presets and the notes."""
        self.step_button = _button("Step", "one more step", "80px")
        self.reset_button = _button("Reset", "back to step 0", "80px")
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
            name: _button(name, f"shows: {preset.shows}")
            for name, preset in self.presets.items()
        }
        self.end_button = _button("jump to end", "pause and show the last step (End)")
        self.back_button = _button(
            "↺ this cell's settings",
            "back to the learning rate, start and steps this cell began with (B)",
        )
        self.critical_label = widgets.HTML()
        self.warning = widgets.HTML()
        self.status = widgets.HTML()

    def _connect_controls(self):
        """Every control to what it changes; a failure shows in the explorer (guarded)."""
        guard = self.guarded
        for control in (self.learning_rate, self.start_m, self.start_b, self.steps):
            control.observe(guard(self._on_setting), "value")
        self.step.observe(guard(self._on_step), "value")
        self.player.observe(guard(self._on_player_step), "step")
        self.play.observe(guard(self._on_stop), "value")
        self.step_button.on_click(guard(lambda _: self.advance()))
        self.reset_button.on_click(guard(lambda _: self.reset()))
        self.speed.observe(guard(self._on_speed), "value")
        self.view_toggle.observe(guard(self._on_view), "value")
        self.classroom_toggle.observe(guard(self._on_classroom), "value")
        for name, button in self.preset_buttons.items():
            button.on_click(guard(lambda _, name=name: self.apply_preset(name)))
        self.end_button.on_click(guard(lambda _: self.jump_to_end()))
        self.back_button.on_click(guard(lambda _: self.back_to_cell_settings()))
        self._on_speed()

    def show_failure(self, text: str):
        """Show ``text`` on the picture (it is marked out of date) and below it."""
        super().show_failure(text)
        self.player.error = text

    def clear_failure(self):
        super().clear_failure()
        self.player.error = ""

    def _arrange(self):
        """Lay the controls out: the usual rows, or the presenter's compact ones."""
        self._size_controls()
        # The critical value and the warning share one slot of fixed height, so a
        # warning never pushes the figure down (in classroom mode: off the screen).
        self._notes = getattr(self, "_notes", None) or widgets.VBox(
            [self.critical_label, self.warning]
        )
        # Beside the slider, it takes the rest of the row (basis 0: it never
        # wraps below it, which would push the figure down).
        self._notes.layout = widgets.Layout(
            height="46px" if self.classroom else "auto",
            overflow="auto",
            width="auto",
            flex="1 1 0",
            min_width="0",
        )
        for note in (self.critical_label, self.warning):
            note.layout.min_height = "0px"
        rows = self._presenter_rows() if self.classroom else self._usual_rows()
        self.present(*rows, self.player, self.shortcuts)

    def _size_controls(self):
        big = self.classroom
        # (width, description width) per slider; each gets a Layout of its own.
        sizes = {
            self.learning_rate: ("460px", "165px") if big else ("420px", "110px"),
            self.start_m: ("355px", "85px") if big else ("420px", "110px"),
            self.start_b: ("355px", "85px") if big else ("420px", "110px"),
            self.steps: ("355px", "85px") if big else ("420px", "110px"),
            self.step: ("330px", "50px") if big else ("420px", "110px"),
        }
        for control, (width, description) in sizes.items():
            # flex "0 0 auto": a slider keeps its width beside long text.
            control.layout = widgets.Layout(width=width, flex="0 0 auto")
            control.style.description_width = description
        self.speed.style.button_width = "100px" if big else "78px"
        self.view_toggle.style.button_width = "100px" if big else "78px"
        self.classroom_toggle.layout.width = "auto"

    def _usual_rows(self):
        def label(text):
            return widgets.Label(text, layout=widgets.Layout(width="110px"))

        return [
            _row([self.learning_rate, self._notes]),
            _row([self.start_m, self.start_b]),
            _row([self.steps, label("animation speed"), self.speed]),
            _row(
                [
                    label("Play / Pause"),
                    self.play,
                    self.step,
                    self.step_button,
                    self.reset_button,
                    self.end_button,
                ]
            ),
            _row(
                [
                    label("presets"),
                    *self.preset_buttons.values(),
                    self.back_button,
                    self.predict_toggle,
                ]
            ),
            _row(
                [label("view"), self.view_toggle, self.classroom_toggle, self.keys_help]
            ),
        ]

    def _presenter_rows(self):
        """Five rows without labels: with the figure, 1280×720 with the sidebar closed."""
        return [
            _row([self.learning_rate, self._notes]),
            _row([self.start_m, self.start_b, self.steps]),
            _row(
                [
                    self.play,
                    self.step,
                    self.step_button,
                    self.reset_button,
                    self.end_button,
                ]
            ),
            _row(
                [self.back_button, *self.preset_buttons.values(), self.predict_toggle]
            ),
            _row([self.speed, self.view_toggle, self.classroom_toggle, self.keys_help]),
        ]

    def _new_frame(self):
        """Show the figure for the current view and style: built once, then kept."""
        key = (self.view, self.classroom)
        if getattr(self, "frame", None) is not None:
            self._frames[self._frame_key] = (self.stash_figure(), self.frame)
        if key in self._frames:
            state, self.frame = self._frames.pop(key)
            self.unstash_figure(state)
            # The stash kept the mode the explorer had when it left this figure
            # (already switched by then): the mode asked for is the key's.
            self.classroom = key[1]
        else:
            figure = self.new_figure(
                figsize=self._figsize(self.classroom), classroom=self.classroom
            )
            self.frame = self._make_frame(figure)
            self.animate(*self.frame.moving)
            self.layer(*self.frame.per_run_axes)
        self._frame_key = key
        self._put_runs_on_frame()

    def _make_frame(self, figure):
        """The frame this explorer draws in (a race draws one run per rule)."""
        return ExplorerFrame(
            figure,
            self.surface,
            view=self.view,
            classroom=self.classroom,
            aspect=self.aspect,
            feature=self.feature,
        )

    def _put_runs_on_frame(self):
        """Give a new or recovered frame the current run, if there is one yet."""
        if getattr(self, "run", None) is not None:
            self.frame.set_run(self.run)
            self.invalidate_background(static=False)

    # -- the path ------------------------------------------------------------------

    def critical_rate(self) -> float | None:
        """2/λ_max: exact on a quadratic surface, else at the start; None if λ_max ≤ 0."""
        return self._critical().value

    def _critical(self):
        start = (self.start_m.value, self.start_b.value)
        memo = getattr(self, "_critical_memo", None)
        if memo is None or memo[0] != start:
            # Asked by the status line of every step: computed once per start.
            self._critical_memo = (start, self.surface.critical_rate(start))
        return self._critical_memo[1]

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
            self.play.max = max(last, 1)
            if self.play.value > last:
                self.play.value = self.step.value
        self._update_labels()

    def _update_labels(self):
        rate = self._critical()
        # In classroom mode the slot beside η has room for two lines of this size.
        big = "16px" if self.classroom else "1em"
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
                "rest. Standardise x first (subtract its mean, divide by its spread)."
            )
        eta = self.learning_rate.value
        above = rate.value is not None and eta > rate.value
        if rate.value is None:
            self.critical_label.value = (
                f"<span style='font-size:{big}; line-height:1.25'>no critical rate at the start: the "
                "surface curves downwards in every direction there</span>"
            )
        else:
            name = (
                "critical value 2/λ_max"
                if rate.kind == "exact"
                else "local critical value 2/λ_max at the start"
            )
            self.critical_label.value = (
                f"<span style='font-size:{big}; line-height:1.25'>{name} = "
                f"<b>{rate.value:.3g}</b> (η now {'above' if above else 'below'} it)</span>"
            )
        # Mark it on the control too: the slider's handle turns vermillion above the critical rate.
        self.learning_rate.style.handle_color = COLORS["line"] if above else None
        # In classroom mode the warning takes the critical value's place in its slot.
        self.critical_label.layout.display = (
            "none" if (above and self.classroom) else None
        )
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
        pad = "0 8px" if self.classroom else "2px 8px"
        self.warning.value = "".join(
            f"<div style='font-size:{big}; line-height:1.25; font-weight:bold; color:#000; "
            f"background:#F0E442; padding:{pad}; border-left:6px solid #D55E00'>"
            f"⚠ {html.escape(text)}</div>"
            for text in warnings
        )

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
        # Classroom: bold.  One line whatever it says (the browser draws a long
        # one smaller, and the words after a tab go to its tooltip).
        font = "font-size:1.1em;" + (" font-weight:bold;" if self.classroom else "")
        return f"{font} color:#000; background:#fff; padding:4px 0"

    def status_text(self, step: int | None = None) -> str:
        """The status line: step, parameters, loss and the state in words (in full)."""
        head, detail = self._status_parts(step)
        return f"{head} ({detail})" if detail else head

    def status_line(self, step: int | None = None) -> str:
        """The status as the picture shows it: one line, its explanation left to a tooltip."""
        return self._status_parts(step)[0]

    def _status_parts(self, step: int | None = None) -> tuple[str, str]:
        """The one-line status (numbers and headline) and the words it leaves to a tooltip."""
        k = min(self.step.value if step is None else step, self.run.steps_taken)
        first, second = self.surface.parameter_names
        theta = self.run.params[k]
        words, detail = step_status(
            self.run, k, self.surface, can_add_steps=self.steps.value < self.steps.max
        )
        inside = all(
            low <= v <= high for v, (low, high) in zip(theta, self.frame.window)
        )
        where = "" if inside else " (off the map)"
        return (
            # "#.4g" keeps trailing zeros, as the start sliders' readouts do.
            f"step {k} · {first} = {theta[0]:#.4g} · {second} = {theta[1]:#.4g} · "
            f"L = {self.run.losses[k]:.4g}{where} · {words}"
        ), detail

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

    def jump_to_end(self):
        """Pause and show the last step of the run (the *jump to end* button, key End)."""
        self._settle()
        self.play.playing = self.player.playing = False
        self.step.value = self.step.max

    def back_to_cell_settings(self):
        """The learning rate, start and steps this explorer was made with, at step 0.

        The *↺ this cell's settings* button (key B): after presets and
        dragging, back to what the lesson's cell asked for.
        """
        eta, start, steps = self._cell_settings
        self._settle()
        self.play.playing = self.player.playing = False
        with self.quiet():
            self.learning_rate.value = eta
            self.start_m.value, self.start_b.value = start
            self.steps.value = steps
            self.step.value = 0
            self.play.value = 0
        self._new_path()
        self._show_scene()

    def press(self, action: str):
        """Do what a keyboard shortcut does: one of the keys of :data:`SHORTCUTS`.

        Space or P plays and pauses, → or S takes one step, Home or R resets,
        End jumps to the end, B goes back to this cell's settings, V reveals
        or hides the outcome (keys work after a click on the explorer).
        """
        if action not in SHORTCUTS:
            raise ValueError(
                f"action must be one of {tuple(SHORTCUTS)}; got {action!r}"
            )
        if action == "play_pause":
            self.play.playing = self.player.playing = not self.player.playing
        else:
            {
                "step": self.advance,
                "reset": self.reset,
                "end": self.jump_to_end,
                "back": self.back_to_cell_settings,
                "reveal": self.toggle_reveal,
            }[action]()

    def apply_preset(self, name: str):
        """Apply a preset by name: one of ``self.presets``, those the surface offers."""
        if name not in self.presets:
            raise ValueError(
                f"name must be one of the presets {self.surface!r} offers, "
                f"{tuple(self.presets)}; got {name!r}"
            )
        preset = self.presets[name]
        self._settle()
        self.play.playing = self.player.playing = False
        with self.quiet():
            self.learning_rate.value = self._on_grid(preset.learning_rate)
            self.start_m.value, self.start_b.value = preset.start
            self.steps.value = preset.steps
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
        # One line each; after a tab, the words the browser shows as its tooltip.
        status = ["\t".join(self._status_parts(k)) for k in range(layer.steps)]
        self._prepare_prediction()
        self.player.show_scene(
            background,
            layer,
            status,
            step=self.step.value,
            style=self._status_style(),
            label="the loss surface with the path of θ, and the loss per step",
        )
        self.clear_failure()
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
        self._reveal_at_end()

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
        self._arrange()
        self._new_frame()
        self._update_labels()
        self._show_scene()


# Help (Shift+Tab, help()) shows __init__'s parameters, not __new__'s *args.
DescentExplorer.__signature__ = inspect.signature(DescentExplorer.__init__).replace(
    parameters=list(inspect.signature(DescentExplorer.__init__).parameters.values())[1:]
)


def _start_grid(low: float, high: float) -> dict:
    """``min``, ``max`` and ``step`` of a start slider spanning [low, high].

    The browser snaps a slider to ``min + k·step`` and may send that back; the
    grid must be fine enough that this never shows in the readout or the status
    line's four digits (ten million steps across), and exact: a power-of-two step
    and ends on whole multiples of it, so that 0 (a saddle's axis, a start at
    the origin) is exactly 0 in the browser too, not −2.2e-16.
    """
    step = 2.0 ** math.floor(math.log2((high - low) * 1e-7))
    return {
        "min": math.floor(low / step) * step,
        "max": math.ceil(high / step) * step,
        "step": step,
    }


def _row(children) -> widgets.HBox:
    """A row of controls that wraps where the notebook is narrower (a sidebar open)."""
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))


def _button(description: str, tooltip: str, width: str = "auto") -> widgets.Button:
    """A button with its own Layout (a shared one would resize them all together)."""
    return widgets.Button(
        description=description, tooltip=tooltip, layout=widgets.Layout(width=width)
    )


def _as_feature(feature) -> str:
    if not isinstance(feature, str) or not feature.strip():
        raise TypeError(f"feature must be a non-empty name, e.g. 'z'; got {feature!r}")
    return feature


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
