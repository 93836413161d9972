"""Predict, then reveal: the question each explorer preset puts to the room.

The teacher's guide (``docs/teaching.md``) gives, for each preset of the
descent explorer, a question to ask *before* Play and what a class usually
answers; ``DescentExplorer(..., predict=True)`` shows it until Play reveals
the run.  The asks are the guide's own words (``tests/test_predictions.py``
holds the two together); presets the guide asks nothing about get one here.

Examples
--------
>>> QUESTIONS["good"].ask
'How will the path go: straight to the star, or zig-zag?'
>>> question_for("diverges")
'Predict: Only 15 % more than the last one: a bit more zig-zag? (yes / no, it diverges)'
>>> question_for(None)
'Predict: Where will it go? (to the minimum / back and forth / away, without bound)'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as widgets
from matplotlib.transforms import Bbox

from ._base import pixel_box

__all__ = ["QUESTIONS", "PredictFirst", "Question", "question_for"]


@dataclass(frozen=True)
class Question:
    """What to ask the room before Play, and the answers a class usually gives.

    ``choices`` holds what students say (the guide's "usually" first) and the
    other answers a show of hands needs; which one is right is left to the run.
    """

    ask: str
    choices: tuple[str, ...]

    def text(self) -> str:
        """The question as the explorer shows it."""
        return f"Predict: {self.ask} ({' / '.join(self.choices)})"


# Keyed by preset name (presets.presets_for).  The asks are the guide's, word for
# word, where it asks one; "escapes the saddle" and "ends in the shallow valley"
# come first in their pairs, and the guide asks only before the second.
QUESTIONS = {
    "good": Question(
        "How will the path go: straight to the star, or zig-zag?",
        ("straight", "zig-zag"),
    ),
    "too small": Question(
        "After 300 steps, where will it be?",
        ("at the minimum, just slower", "part of the way there"),
    ),
    "oscillates": Question("Will it converge?", ("no, it diverges", "yes, it settles")),
    "diverges": Question(
        "Only 15 % more than the last one: a bit more zig-zag?",
        ("yes", "no, it diverges"),
    ),
    "far start": Question(
        "Does it end somewhere else?",
        ("yes, another minimum", "it never arrives", "no, the same star"),
    ),
    "stalls at the saddle": Question(
        "Where will it stop?", ("it rolls off", "on the saddle point")
    ),
    "escapes the saddle": Question(
        "Moved a hair off the axis: where will it stop now?",
        ("on the saddle, as before", "it rolls off"),
    ),
    "ends in the shallow valley": Question(
        "Which valley will it end in?", ("the nearer one", "the deeper one")
    ),
    "ends in the deep valley": Question(
        "The start moves a little across the pass: same valley?",
        ("yes", "no, the other valley"),
    ),
}

# Settings that match no preset (dragged, or the cell's own).
GENERAL = Question(
    "Where will it go?", ("to the minimum", "back and forth", "away, without bound")
)


def question_for(preset: str | None) -> str:
    """The question shown for ``preset`` (a preset's name, or None for other settings)."""
    return QUESTIONS.get(preset, GENERAL).text()


class PredictFirst:
    """Predict, then reveal: an explorer's outcome hidden until Play, End or the reveal key.

    Mixed into every explorer (:class:`~gdlab.widgets._explorer.Explorer`:
    one run, a race, a mini-batch run).  While hidden, the
    picture shows step 0 with the panels a run draws over the steps (the loss
    curve; a surface without data: the parameters against the step) covered,
    the status line shows ``step k`` and the preset's question instead of
    its words, and the critical-rate note and the warning beside η are
    hidden.  Play or Step then draws the path and the loss as they come, and
    the words and notes appear when the run ends; End or the reveal key
    (:meth:`reveal`) shows everything.  A new run (any setting, a preset)
    hides again.  The explorer calls :meth:`_prepare_prediction` before it
    sends a scene and :meth:`_reveal_at_end` when the step changes.
    """

    _predict = False
    _revealed = True
    _run_seen = None

    @property
    def predict(self) -> bool:
        """Whether a new run's outcome is hidden until Play (the *predict first* button)."""
        return self._predict

    @predict.setter
    def predict(self, value: bool) -> None:
        self.predict_toggle.value = _as_predict_flag(
            value
        )  # its observer does the rest

    @property
    def revealed(self) -> bool:
        """Whether the outcome is shown (always, when ``predict`` is off)."""
        return self._revealed or not self._predict

    def current_preset(self) -> str | None:
        """The preset whose settings the explorer has now, or None.

        More steps than a preset's keep its outcome (and question), except
        for one that shows a run crawling: its question counts the steps.
        """
        sliders = (self.start_m, self.start_b)
        for name, preset in self.presets.items():
            # Read here: a mini-batch explorer has no presets and no steps slider.
            steps = self.steps.value
            # Within half a notch: the browser's sliders send back rounded values.
            rate = math.log10(
                self.learning_rate.value / self._on_grid(preset.learning_rate)
            )
            same = abs(rate) < self._log_grid[1] / 2 and all(
                abs(s.value - value) <= s.step / 2
                for s, value in zip(sliders, preset.start)
            )
            enough = steps == preset.steps or (
                steps > preset.steps and preset.shows != "crawls"
            )
            if same and enough:
                return name
        return None

    def hide(self) -> None:
        """Hide the outcome again (turning ``predict`` on): pause, back to step 0."""
        if not self._predict:
            self.predict = True  # the toggle's observer hides
            return
        self._revealed = False
        self._run_seen = self.run
        self.reset()
        self._push_prediction()

    def reveal(self) -> None:
        """Show everything: the path, the loss curve, the words and the notes."""
        self._revealed = True
        self._push_prediction()
        self._update_labels()  # the η slider's handle colour again

    def toggle_reveal(self) -> None:
        """The reveal key (V): reveal what is hidden, or hide what is shown."""
        if self._predict and not self._revealed:
            self.reveal()
        else:
            self.hide()

    def _build_predict_toggle(self, predict) -> None:
        self._predict, self._revealed = _as_predict_flag(predict), not predict
        self.predict_toggle = widgets.ToggleButton(
            value=predict,
            description="predict first",
            tooltip="hide the outcome until Play, End or V, and ask the preset's question",
            layout=widgets.Layout(width="auto"),
        )
        self.predict_toggle.observe(self._on_predict_toggle, "value")

    def _on_predict_toggle(self, change) -> None:
        self._predict = bool(change["new"])
        if self._predict:
            self.hide()
        else:
            self.reveal()

    def _prepare_prediction(self) -> None:
        """Before a scene goes to the browser: hide a new run, and say what to hide."""
        if self.run is not self._run_seen:
            self._run_seen = self.run
            if self._predict:
                self._revealed = False
                self.reset()
        self._push_prediction()

    def _reveal_at_end(self) -> None:
        """The run's last step is shown (Play ended, End, the slider): reveal."""
        if self._predict and not self._revealed and self.step.value >= self.step.max:
            self.reveal()

    def _push_prediction(self) -> None:
        revealed = self.revealed
        with self.player.hold_sync():
            if self._predict:  # ~3 ms of a figure's layout: only when it is used
                self.player.hidden_panels = self._hidden_panels()
            self.player.question = question_for(self.current_preset())
            self.player.predict = self._predict
            self.player.revealed = revealed
        for note in (self.critical_label, self.warning):
            note.layout.visibility = "visible" if revealed else "hidden"
        if not revealed:
            # Vermillion above the critical rate would give "diverges" away.
            self.learning_rate.style.handle_color = None

    def _hidden_panels(self) -> list:
        """Where the panels a run draws over the steps are, in the canvas's pixels.

        Each panel with its ticks and axis labels (their range gives a run
        away), not its title: a neighbour's long title may reach over it.
        """
        figure = self.frame.figure
        renderer = figure.canvas.get_renderer()
        rects = []
        for ax in self.frame.per_run_axes:
            parts = [ax.get_window_extent(renderer)]
            parts += [axis.get_tightbbox(renderer) for axis in (ax.xaxis, ax.yaxis)]
            box = Bbox.union([part for part in parts if part is not None])
            # pad: the spines' width reaches past the axes' box.
            rects.append(pixel_box(box, figure, pad=2))
        return rects


def _as_predict_flag(predict) -> bool:
    """``predict`` if it is True or False, else a TypeError naming it."""
    if not isinstance(predict, bool):
        raise TypeError(f"predict must be True or False; got {predict!r}")
    return predict
