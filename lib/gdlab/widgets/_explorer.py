"""What every explorer shares: its sliders, Play, keys, presets, frames and scene.

:class:`Explorer` is the machinery of :class:`gdlab.widgets.DescentExplorer`
(one run, lesson 05, or a race of update rules, lesson 10) and so of
:class:`gdlab.widgets.MiniBatchExplorer` (lesson 09).  They say what their
runs are and how they are told, in the hooks ``_make_frame``,
``_place_runs``, ``_new_path``, ``_update_labels``, ``status_text``
and ``_send_scene``.  The browser (:class:`ExplorerView`) draws the frame's
moving parts from numbers and plays them.
"""

from __future__ import annotations

import html
import math
import time

import ipywidgets as widgets

from .._classroom import resolve
from .._validate import as_positive_number, as_step_count
from ..plots import COLORS
from ..plots.explorer_frame import RACE_COLORS, VIEWS
from ..racing import as_rules
from . import _controls
from ._base import DRAWING, LiveFigure, changed_in_browser
from ._controls import (
    as_feature,
    as_start,
    as_surface,
    browser_rounding,
    button,
    learning_rate_slider,
    log_rate_range,
    row,
)
from .explorer_view import ExplorerView
from .predictions import PredictFirst
from .presets import MOST_STEPS, default_start, presets_for
from .shortcuts import KeyboardShortcuts, describe_shortcuts

__all__ = ["SHORTCUTS", "Explorer"]

# Steps per second of Play in the browser; beyond the display rate steps are skipped.
_SPEEDS = {"slow": 2.5, "medium": 8.0, "fast": 25.0, "fastest": 120.0}
# The Play button only says "playing" (the browser's view animates): its own timer never fires.
_PLAY_TIMER_OFF = 10**9
# Keys that drive the explorer once it has been clicked (see KeyboardShortcuts),
# and what each action does (the "keys" note's tooltip).
_ACTIONS = {
    "play_pause": (("Space", "p"), "Play / Pause"),
    "step": (("ArrowRight", "s"), "one step"),
    "reset": (("Home", "r"), "Reset to step 0"),
    "end": (("End", "e"), "jump to the end"),
    "back": (("b",), "back to this cell's settings"),
    "reveal": (("v",), "reveal / hide the outcome (predict first)"),
}
SHORTCUTS = {action: keys for action, (keys, _) in _ACTIONS.items()}
_SHORTCUT_MEANINGS = {action: meaning for action, (_, meaning) in _ACTIONS.items()}
_SETTLE_SECONDS = 0.6


class Explorer(PredictFirst, LiveFigure):
    """Sliders, Play, keys and presets over a frame of runs on a loss surface.

    The parameters are :class:`gdlab.widgets.DescentExplorer`'s; a subclass
    supplies the runs through the hooks named in :mod:`gdlab.widgets._explorer`.
    """

    # η when none is given and no "good" preset names one: this fraction of
    # the reference rate (the critical rate where there is one).
    _default_fraction = 0.5

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
        feature: str = "x",
        predict: bool = False,
        rules=None,
    ):
        # None: one run of plain descent; else a race, one run (and colour) per rule.
        self.rules = None if rules is None else as_rules(rules, most=len(RACE_COLORS))
        self.races = []
        self.surface = as_surface(x, y, surface)
        self.feature = as_feature(feature)
        if aspect not in ("auto", "equal"):
            raise ValueError(f"aspect must be 'auto' or 'equal'; got {aspect!r}")
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}; got {view!r}")
        self.aspect, self.view = aspect, view
        classroom = resolve(classroom)
        super().__init__(
            figsize=self._figsize(classroom), classroom=classroom, image=False
        )
        self._frames, self.frame = {}, None
        self._window = self.surface.window()
        self._reference = _controls.reference_rate(self.surface)
        self._default_start = tuple(default_start(self.surface))
        self.presets = {preset.name: preset for preset in self._presets()}
        good = self.presets.get("good")
        eta = (
            (good.learning_rate if good else self._default_fraction * self._reference)
            if learning_rate is None
            else as_positive_number(learning_rate, "learning_rate")
        )
        self._snap_default = learning_rate is None
        self._settle_until = 0.0
        start = self._default_start if start is None else as_start(start, self._window)
        steps = 800 if steps is None else as_step_count(steps, "steps")
        if not 1 <= steps <= MOST_STEPS:
            raise ValueError(f"steps must be from 1 to {MOST_STEPS}; got {steps}")
        with DRAWING:  # no other thread draws while this one lays the figure out
            self._build_predict_toggle(predict)
            self._build_controls(eta, start, steps)
            # What *back to this cell's settings* restores.
            self._cell_settings = {c: c.value for c in self._settings()}
            self._new_frame()
            self._new_path_and_scene()

    def _presets(self) -> list:
        """The presets offered: those of the surface (a subclass may offer none)."""
        return presets_for(self.surface)

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
        """The learning rate, the start's two coordinates, the run's length and the step."""
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
        self.learning_rate = learning_rate_slider(eta, low, high)
        self.start_m, self.start_b = (
            _controls.GridSlider(
                value=value,
                **_controls.start_grid(low_end, high_end),
                description=f"start {name}",
                readout_format=".4g",
            )
            for value, (low_end, high_end), name in zip(start, self._window, names)
        )
        self._length_controls = self._build_length(steps)
        self.step = _controls.IntSlider(value=0, min=0, max=1, description="step")

    def _build_length(self, steps) -> list:
        """The controls that set how long a run is: here, the most steps."""
        self.steps = _controls.IntSlider(
            value=steps, min=1, max=MOST_STEPS, description="steps"
        )
        return [self.steps]

    def _settings(self) -> list:
        """The controls whose change makes a new run."""
        return [self.learning_rate, self.start_m, self.start_b, *self._length_controls]

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
        self.step_button = button("Step", "one more step", "80px")
        self.reset_button = button("Reset", "back to step 0", "80px")
        # Their buttons' width is set with the others' (_size_controls).
        self.speed = widgets.ToggleButtons(
            options=list(_SPEEDS),
            value="medium",
            tooltips=[f"{rate:g} steps per second" for rate in _SPEEDS.values()],
        )
        self.view_toggle = widgets.ToggleButtons(
            options=[("contour", "contour"), ("3D", "3d")], value=self.view
        )
        self.classroom_toggle = widgets.ToggleButton(
            value=self.classroom,
            description="classroom mode",
            tooltip="large text, thick lines, high contrast",
        )
        self.preset_buttons = {
            name: button(name, f"shows: {preset.shows}")
            for name, preset in self.presets.items()
        }
        self.end_button = button("jump to end", "pause and show the last step (End)")
        self.back_button = button(
            "↺ this cell's settings",
            "back to the settings this cell began with (B)",
        )
        self.critical_label = widgets.HTML()
        self.warning = widgets.HTML()

    def _connect_controls(self):
        """Every control to what it changes; a failure shows in the explorer (guarded)."""
        guard = self.guarded
        for control in self._settings():
            control.observe(guard(self._on_setting), "value")
        self.step.observe(guard(self._on_step), "value")
        self.player.observe(guard(self._on_player_step), "step")
        self.play.observe(guard(self._on_stop), "value")
        self.step_button.on_click(guard(lambda _: self.advance()))
        self.reset_button.on_click(guard(lambda _: self.reset()))
        self.speed.observe(guard(self._on_speed), "value")
        self.view_toggle.observe(guard(self._on_view), "value")
        self.classroom_toggle.observe(guard(self._on_classroom), "value")
        for name, preset_button in self.preset_buttons.items():
            preset_button.on_click(guard(lambda _, name=name: self.apply_preset(name)))
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
        short = ("355px", "85px")  # classroom: the start and the length share a row
        usual = ("420px", "110px")
        # (width, description width) per slider; each gets a Layout of its own.
        sizes = {
            self.learning_rate: ("460px", "165px") if big else usual,
            self.start_m: short if big else usual,
            self.start_b: short if big else usual,
            **{control: short if big else usual for control in self._length_controls},
            self.step: ("330px", "50px") if big else usual,
        }
        for control, (width, description) in sizes.items():
            # flex "0 0 auto": a slider keeps its width beside long text.
            control.layout = widgets.Layout(width=width, flex="0 0 auto")
            control.style.description_width = description
        for toggle in (self.speed, self.view_toggle):
            toggle.style.button_width = "100px" if big else "78px"
        self.classroom_toggle.layout.width = "auto"

    def _usual_rows(self):
        def label(text):
            return widgets.Label(text, layout=widgets.Layout(width="110px"))

        player = [self.play, self.step, self.step_button, self.reset_button]
        length, speed = self._length_controls, [label("animation speed"), self.speed]
        # One control of the run's length shares its row with the speed.
        together = len(length) == 1
        return [
            row([self.learning_rate, self._notes]),
            row([self.start_m, self.start_b]),
            *([row(length + speed)] if together else [row(length), row(speed)]),
            row([label("Play / Pause"), *player, self.end_button]),
            row(
                [
                    label("presets"),
                    *self.preset_buttons.values(),
                    self.back_button,
                    self.predict_toggle,
                ]
            ),
            row(
                [label("view"), self.view_toggle, self.classroom_toggle, self.keys_help]
            ),
        ]

    def _presenter_rows(self):
        """Five rows without labels: with the figure, 1280×720 with the sidebar closed."""
        player = [self.play, self.step, self.step_button, self.reset_button]
        return [
            row([self.learning_rate, self._notes]),
            row([self.start_m, self.start_b, *self._length_controls]),
            row([*player, self.end_button]),
            row([self.back_button, *self.preset_buttons.values(), self.predict_toggle]),
            row([self.speed, self.view_toggle, self.classroom_toggle, self.keys_help]),
        ]

    def _show_notes(self, rate, warnings: list):
        """The note beside η (a :class:`gdlab.rate_notes.RateNote`), and the warnings above the picture.

        η above a critical rate (``rate.above``) turns the slider's handle
        vermillion, and in classroom mode gives the note's slot to the warning.
        """
        above = rate.above
        note = "".join(
            f"<b>{html.escape(text)}</b>" if bold else html.escape(text)
            for text, bold in rate.pieces
        )
        big = "16px" if self.classroom else "1em"
        span = f"<span style='font-size:{big}; line-height:1.25'>{note}</span>"
        self.critical_label.value = span
        self.learning_rate.style.handle_color = COLORS["line"] if above else None
        hide = above and self.classroom
        self.critical_label.layout.display = "none" if hide else None
        self.warning.value = _controls.warning_boxes(warnings, self.classroom)

    # -- frames --------------------------------------------------------------------

    def _new_frame(self):
        """Show the figure for the current view and style: built once, then kept."""
        key = (self.view, self.classroom)
        if self.frame is not None:
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
            self.frame = self._make_frame(
                figure,
                self.surface,
                view=self.view,
                classroom=self.classroom,
                aspect=self.aspect,
                feature=self.feature,
            )
            self.animate(*self.frame.moving)
            self.layer(*self.frame.per_run_axes)
        self._frame_key = key
        if getattr(self, "run", None) is not None:
            self._place_runs()
            self.invalidate_background(static=False)

    def _show_runs(self, last: int):
        """Put new runs on the frame, ending at step ``last``; redraw its panels only if their limits moved."""
        before = self.frame.panel_limits()
        self._place_runs()
        if self.frame.panel_limits() != before:
            # Only then: redrawing the panels is most of a new path's cost.
            self.invalidate_background(static=False)
        with self.quiet():
            self.step.value = min(self.step.value, last)
            self.step.max = max(last, 1)
            self.play.max = max(last, 1)
            if self.play.value > last:
                self.play.value = self.step.value

    def after_layout(self):
        self.frame.freeze_text_positions()

    def update_frame(self):
        self.frame.show(self.step.value)

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

    def _pause(self):
        # Play may still be ticking in the browser until it hears "pause":
        # for a moment, steps it sends are overruled (see _late).
        self._settle_until = time.perf_counter() + _SETTLE_SECONDS
        self.play.playing = self.player.playing = False

    def reset(self):
        """Pause and go back to step 0 (the Reset button)."""
        with self.player.hold_sync():
            self._pause()
            self.player.step = 0
        self.play.value = 0
        self.step.value = 0

    def jump_to_end(self):
        """Pause and show the last step of the run (the *jump to end* button, key End)."""
        self._pause()
        self.step.value = self.step.max

    def back_to_cell_settings(self):
        """The settings this explorer was made with, at step 0 (the *↺* button, key B)."""
        self._go_to(self._cell_settings)

    def _go_to(self, settings: dict):
        """Pause, set each control to its value, and show the new run from step 0."""
        self._pause()
        with self.quiet():
            for control, value in settings.items():
                control.value = value
            self.step.value = 0
            self.play.value = 0
        self._new_path_and_scene()

    def press(self, action: str):
        """Do what a keyboard shortcut does: ``action`` is one of :data:`SHORTCUTS`."""
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
        self._go_to(
            {
                self.learning_rate: self._on_grid(preset.learning_rate),
                self.start_m: preset.start[0],
                self.start_b: preset.start[1],
                self.steps: preset.steps,
            }
        )

    def _on_setting(self, change=None):
        if self._quiet or (change is not None and browser_rounding(change)):
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
        self._prepare_prediction()
        self._send_scene(background, layer)
        self.frame_sent()
        self.invalidate_frame()

    def _late(self, change) -> bool:
        """Whether the browser sent this step before it heard Reset or a preset."""
        return (
            change["new"] != 0
            and not self.play.playing
            and time.perf_counter() < self._settle_until
            and changed_in_browser(change["owner"])
        )

    def _on_player_step(self, change):
        """The browser reports the step it shows (paused, or now and then while playing)."""
        if self._quiet:
            return
        if self._late(change):
            # A report sent before the browser heard Reset or a preset: overrule it.
            self.player.step = self.step.value
            return
        self.step.value = change["new"]

    def _on_step(self, change=None):
        if self._quiet:
            return
        if change is not None and self._late(change):
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
