"""A race of update rules on one map: the descent explorer with several runs (lesson 10).

``DescentExplorer(x, y, rules=[GradientDescent(), Momentum(0.9), Adam()])``
makes a :class:`RaceExplorer`: one run per rule from the same start and η,
each in its own colour on every panel and in the status line, all moved by
one shared step.  A rule that fails (:class:`gdlab.RuleError`: it raises, or
returns θ of the wrong shape) does not stop the race: its run ends there, the
warning above the picture quotes the error and the status line says "failed
at step k".  When the rules with a ``beta`` share one, a β slider rebuilds
them; beside η stands each rule's own critical rate, or "none known".
"""

from __future__ import annotations

import copy

import ipywidgets as widgets
import numpy as np

from ..narration import race_words
from ..plots.race_frame import RACE_COLORS, RaceFrame
from ..racing import as_rules, race, race_length
from ..rate_notes import rate_note
from ..rules import critical_rates, rule_name
from . import _controls
from ._explorer import Explorer

__all__ = ["RaceExplorer"]


def _as_raced(rules) -> list:
    """The rules (:func:`gdlab.racing.as_rules`), 1 to one per colour of the race."""
    rules = as_rules(rules)
    if not 1 <= len(rules) <= len(RACE_COLORS):
        raise ValueError(
            f"rules must hold 1 to {len(RACE_COLORS)} update rules; got {len(rules)}"
        )
    return rules


def _shared_beta(rules):
    """The β the rules with a ``beta`` share, or None (none have one, or they differ)."""
    betas = {
        float(rule.beta)
        for rule in rules
        if isinstance(getattr(rule, "beta", None), (int, float))
    }
    return betas.pop() if len(betas) == 1 else None


class RaceExplorer(Explorer):
    """The descent explorer racing several update rules: ``DescentExplorer(..., rules=[...])``.

    Parameters
    ----------
    rules : sequence of update rules
        1 to 8 rules (objects with ``start`` and ``step``, see
        :mod:`gdlab.rules`); each run starts from the same θ with the same η.
    x, y, surface, learning_rate, start, steps, view, classroom, aspect
        As for :class:`DescentExplorer`.

    Attributes
    ----------
    rules : list
        The rules raced (rebuilt when the β slider moves).
    races : list of gdlab.racing.RaceRun
        One per rule (:func:`gdlab.race`): its name, path, and error if it failed.
    colors : tuple of str
        Each run's colour, in the order of ``races``.
    beta : FloatSlider or None
        β of the rules that have one, when they share it.

    Examples
    --------
    >>> import gdlab
    >>> from gdlab.rules import Adam, GradientDescent, Momentum
    >>> from gdlab.widgets import DescentExplorer
    >>> obs = gdlab.make_observations(n=30, seed=0)
    >>> ex = DescentExplorer(obs.x, obs.y, rules=[GradientDescent(), Momentum(0.9), Adam()])
    >>> [race.name for race in ex.races]
    ['gradient descent', 'momentum (β = 0.9)', 'Adam']
    >>> ex.status_text(0)
    'step 0 · gradient descent: ready · momentum: ready · Adam: ready'
    """

    text_plain = (
        "DescentExplorer (a race of update rules): press Play (needs a live kernel)"
    )

    def __init__(self, x=None, y=None, *, rules, **options):
        self.rules = _as_raced(rules)
        self.races = []
        self._cell_beta = _shared_beta(self.rules)
        super().__init__(x, y, **options)

    # -- controls --------------------------------------------------------------------

    def _build_controls(self, eta, start, steps):
        self.beta = None
        if self._cell_beta is not None:
            self.beta = _controls.FloatSlider(
                value=self._cell_beta,
                min=0.0,
                max=0.99,
                step=0.01,
                description="momentum β",
                readout_format=".2f",
                continuous_update=False,
            )
            self.beta.observe(self.guarded(self._on_beta), "value")
        super()._build_controls(eta, start, steps)

    def _usual_rows(self):
        rows = super()._usual_rows()
        if self.beta is not None:
            rows.insert(1, widgets.HBox([self.beta]))
        return rows

    def _presenter_rows(self):
        rows = super()._presenter_rows()
        if self.beta is not None:
            rows[-1] = widgets.HBox([*rows[-1].children, self.beta])
        return rows

    def _size_controls(self):
        super()._size_controls()
        if self.beta is not None:
            # Classroom: short, to share the last row with the speed and view buttons.
            width, label = ("210px", "28px") if self.classroom else ("420px", "110px")
            self.beta.description = "β" if self.classroom else "momentum β"
            self.beta.layout = widgets.Layout(width=width, flex="0 0 auto")
            self.beta.style.description_width = label

    def _on_beta(self, change=None):
        """Rebuild the rules that have a β with the slider's, and race again."""
        if self._quiet:
            return
        rebuilt = []
        for rule in self.rules:
            if isinstance(getattr(rule, "beta", None), (int, float)):
                moved = copy.copy(rule)
                try:
                    moved.beta = float(self.beta.value)
                    rule = moved
                except (AttributeError, TypeError, ValueError):
                    pass  # a rule whose β cannot be set keeps its own
            rebuilt.append(rule)
        self.rules = rebuilt
        # The legend names each run with its β: new figures.
        self._frames, self.frame = {}, None
        self._new_frame()
        self._new_path_and_scene()

    def back_to_cell_settings(self):
        """As :meth:`DescentExplorer.back_to_cell_settings`, β included."""
        if self.beta is not None and self.beta.value != self._cell_beta:
            with self.quiet():
                self.beta.value = self._cell_beta
            self._on_beta()
        super().back_to_cell_settings()

    # -- the figure and the runs -------------------------------------------------------

    def _make_frame(self, *args, **options):
        return RaceFrame(*args, names=[rule_name(r) for r in self.rules], **options)

    def _place_runs(self):
        self.frame.set_runs([race.run for race in self.races], self._last_step())

    def _new_path(self):
        self.races = race(
            self.surface,
            (self.start_m.value, self.start_b.value),
            self.learning_rate.value,
            self.steps.value,
            self.rules,
        )
        self.run = self.races[0].run
        last = self._last_step()
        self._show_runs(last)
        self._words = [
            race_words(race.run, self.surface, last, race.failed_at)
            for race in self.races
        ]
        self._update_labels()

    @property
    def colors(self) -> tuple:
        """Each run's colour (:data:`gdlab.plots.race_frame.RACE_COLORS`), in the order of ``races``."""
        return RACE_COLORS[: len(self.rules)]

    def _last_step(self) -> int:
        return race_length(self.races)

    def critical_rates(self) -> dict:
        """Each rule's critical rate (exact on a quadratic, else at the start), by name; None: none known."""
        start = (self.start_m.value, self.start_b.value)
        rates = critical_rates(self.rules, self.surface, start)
        return {rule_name(rule): rate for rule, rate in zip(self.rules, rates)}

    def _update_labels(self):
        """Each rule's critical rate beside η; warnings for rates above them and failed rules."""
        start = (self.start_m.value, self.start_b.value)
        note = rate_note(self.surface, start, self.learning_rate.value, self.rules)
        errors = [race.error for race in self.races if race.error]
        self._show_notes(note, [*note.warnings, *errors])

    # -- the status line and the scene ---------------------------------------------------

    def status_text(self, step: int | None = None) -> str:
        """The status line: the step, then each run's name and state in words."""
        last = self._last_step()
        k = min(max(self.step.value if step is None else step, 0), last)
        runs = [
            f"{name}: {words[k]}"
            for name, words in zip(self.status_names(), self._words)
        ]
        return " · ".join([self._step_part(k).replace("{k}", str(k)), *runs])

    def _step_part(self, k: int) -> str:
        """``"step {k}"``, and at the last step, when a run used every step, ``"· out of steps"``.

        describe_step's "(stopped after k steps)", said once for the race.
        """
        ran_out = any(
            race.run.status == "max_steps" and race.failed_at is None
            for race in self.races
        )
        return (
            "step {k} · out of steps"
            if ran_out and k == self._last_step()
            else "step {k}"
        )

    def _status_style(self) -> str:
        # A line naming four runs: regular weight, so it fits one row of a
        # 1280-pixel projector in classroom mode too (the swatches mark the runs).
        return "font-size:1em; color:#000; background:#fff; padding:4px 0"

    def status_names(self) -> list[str]:
        """Each run's name in the status line: without its "(β = …)" (on the legend and slider) when unambiguous."""
        full = [race.name for race in self.races]
        short = [name.split(" (")[0] for name in full]
        return short if len(set(short)) == len(short) else full

    def _status_table(self):
        """The status of every step as parts and a table (see ExplorerView.show_table_scene)."""
        last = self._last_step()
        parts, colors, index = ["step {k}"], [""], {}
        table = np.zeros((last + 1, 1 + len(self.races)), dtype=int)
        if self._step_part(last) != parts[0]:
            parts.append(self._step_part(last))
            colors.append("")
            table[last, 0] = 1
        names = self.status_names()
        for slot, (color, words) in enumerate(zip(self.colors, self._words), start=1):
            for k, word in enumerate(words):
                key = (slot, word)
                if key not in index:
                    index[key] = len(parts)
                    parts.append(f"{names[slot - 1]}: {word}")
                    colors.append(color)
                table[k, slot] = index[key]
        return parts, colors, table

    def _send_scene(self, background, layer):
        """Every run's moving layer, and the status of every step as parts and a table."""
        parts, colors, table = self._status_table()
        self.player.show_table_scene(
            background,
            layer,
            parts,
            table,
            colors=colors,
            step=self.step.value,
            style=self._status_style(),
            label="the loss surface with one path of θ per update rule, and the loss per step",
        )
