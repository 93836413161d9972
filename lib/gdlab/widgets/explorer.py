"""The descent explorer: gradient descent walking a loss surface, or a race of update rules on it.

One run (lesson 05): every setting change computes the whole path once with
:func:`gdlab.descend` and sends the browser a still of the figure and its
moving parts as numbers (:class:`ExplorerView`), which Play runs at display
rate; matplotlib draws the frames asked for in Python (:meth:`frame_png`,
the saved notebook's).

A race (lesson 10): ``DescentExplorer(x, y, rules=[GradientDescent(),
Momentum(0.9), Adam()])`` runs each rule from the same start and η
(:func:`gdlab.race`), each in its own colour on every panel and in the status
line, all moved by one shared step.  A rule that fails (:class:`gdlab.RuleError`:
it raises, or returns θ of the wrong shape) does not stop the race: its run
ends there, the warning above the picture quotes the error and the status
line says "failed at step k".  When the rules with a ``beta`` share one, a β
slider rebuilds them; beside η stands each rule's own critical rate, or
"none known".

Sliders, Play, keys and presets: :class:`gdlab.widgets._explorer.Explorer`.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..descent import descend
from ..narration import describe_step, race_words, step_status, step_statuses
from ..plots.explorer_frame import RACE_COLORS, ExplorerFrame
from ..racing import race, race_length, shared_beta, with_beta
from ..rate_notes import rate_note, valley_warning
from ..rules import critical_rates, rule_name
from . import _controls
from ._explorer import SHORTCUTS, Explorer

__all__ = ["PRESETS", "SHORTCUTS", "DescentExplorer", "describe_step"]

# The presets of a bowl (what a line's MSE offers); presets_for (presets.py)
# works out which presets a surface gets, and what each must show.
PRESETS = ("too small", "good", "oscillates", "diverges", "far start")


class DescentExplorer(Explorer):
    """Sliders and Play that animate gradient descent on a loss surface, or race update rules on it.

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
    feature : str
        The input's name on the data panel (default ``"x"``; ``"z"`` for
        standardised inputs): its axis and its title, ŷ = m·z + b.
    rules : sequence of update rules, optional
        Race these rules (1 to 8: :mod:`gdlab.rules`, or a learner's own
        objects with ``start`` and ``step``) on one map, one run and one
        colour each, from the same θ with the same η and one shared step.
        Default: one run of plain gradient descent.
    predict : bool
        Predict first: hide each new run's outcome (the words of the status
        line, the loss curve, the path beyond step 0, the notes beside η) and
        show its preset's question until Play, End or the key V
        (:class:`gdlab.widgets.predictions.PredictFirst`).  Default False.

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
        The picture, drawn in the browser from numbers sent once per setting
        change (:meth:`frame_png`: matplotlib's frame of the current state).
    run : DescentRun
        The current path (in a race, the first rule's).
    rules : list or None
        The rules raced (rebuilt when the β slider moves); None for one run.
    races : list of gdlab.racing.RaceRun
        In a race, one per rule (:func:`gdlab.race`): its name, path, and
        error if it failed; empty for one run.
    colors : tuple of str
        Each raced run's colour, in the order of ``races``.
    beta : FloatSlider or None
        In a race, β of the rules that have one, when they share it.

    Examples
    --------
    >>> import gdlab
    >>> from gdlab.rules import Adam, GradientDescent, Momentum
    >>> obs = gdlab.make_observations(n=30, seed=0)
    >>> ex = DescentExplorer(obs.x, obs.y)
    >>> ex.step.value = 5
    >>> ex.status_text()[:7]
    'step 5 '
    >>> ex = DescentExplorer(obs.x, obs.y, rules=[GradientDescent(), Momentum(0.9), Adam()])
    >>> [race.name for race in ex.races]
    ['gradient descent', 'momentum (β = 0.9)', 'Adam']
    >>> ex.status_text(0)
    'step 0 · gradient descent: ready · momentum: ready · Adam: ready'
    """

    # Whether the note beside η speaks of full batches' 2/λ_max (a mini-batch run).
    _full_batch = False

    @property
    def text_plain(self) -> str:
        """What a notebook shows without a live kernel."""
        if self.rules is None:
            return (
                "DescentExplorer: drag the sliders or press Play (needs a live kernel)"
            )
        return (
            "DescentExplorer (a race of update rules): press Play (needs a live kernel)"
        )

    # -- a race's β slider -------------------------------------------------------------

    def _build_controls(self, eta, start, steps):
        self._cell_beta = shared_beta(self.rules or [])
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
        self.rules = with_beta(self.rules, self.beta.value)
        # The legend names each run with its β: new figures.
        self._frames, self.frame = {}, None
        self._new_frame()
        self._new_path_and_scene()

    def back_to_cell_settings(self):
        """The settings this explorer was made with (β too), at step 0 (the *↺* button, key B)."""
        if self.beta is not None and self.beta.value != self._cell_beta:
            with self.quiet():
                self.beta.value = self._cell_beta
            self._on_beta()
        super().back_to_cell_settings()

    # -- the frame and the runs --------------------------------------------------------

    def _make_frame(self, *args, **options):
        """The frame this explorer draws in: one run's, or a race's (a colour per rule)."""
        names = None if self.rules is None else [rule_name(r) for r in self.rules]
        return ExplorerFrame(*args, names=names, **options)

    def _place_runs(self):
        if self.rules is None:
            self.frame.set_run(self.run)
        else:
            self.frame.set_runs([race.run for race in self.races], self._last_step())

    def _start(self) -> tuple[float, float]:
        return (self.start_m.value, self.start_b.value)

    def _run(self):
        """The path of one run for the current settings."""
        return descend(
            self.surface,
            self._start(),
            learning_rate=self.learning_rate.value,
            steps=self.steps.value,
        )

    def _new_path(self):
        if self.rules is None:
            self.run = self._run()
        else:
            self._new_race()
        self._show_runs(self._last_step())
        self._update_labels()

    def _new_race(self):
        """One run per rule (:func:`gdlab.race`), and each run's words at every step."""
        eta, steps = self.learning_rate.value, self.steps.value
        self.races = race(self.surface, self._start(), eta, steps, self.rules)
        self.run = self.races[0].run
        last = self._last_step()
        self._race_words = [
            race_words(race.run, self.surface, last, race.failed_at)
            for race in self.races
        ]

    def _last_step(self) -> int:
        """The last step shown: the run's, or the race's (:func:`gdlab.racing.race_length`)."""
        return self.run.steps_taken if self.rules is None else race_length(self.races)

    @property
    def colors(self) -> tuple:
        """Each raced run's colour (:data:`gdlab.plots.explorer_frame.RACE_COLORS`), in the order of ``races``."""
        return RACE_COLORS[: len(self.races)]

    def critical_rate(self) -> float | None:
        """2/λ_max: exact on a quadratic surface, else at the start; None if λ_max ≤ 0."""
        return self.surface.critical_rate(self._start()).value

    def critical_rates(self) -> dict:
        """Each raced rule's critical rate (exact on a quadratic, else at the start), by name; None: none known.

        Empty for one run (:meth:`critical_rate` is its 2/λ_max).
        """
        rules = self.rules or []
        rates = critical_rates(rules, self.surface, self._start())
        return {rule_name(rule): rate for rule, rate in zip(rules, rates)}

    # -- the notes beside η ------------------------------------------------------------

    def _update_labels(self):
        """The critical rate(s) beside η, its handle's colour, and the warnings above the picture."""
        eta = self.learning_rate.value
        runs = [self.run] if self.rules is None else [r.run for r in self.races]
        note = rate_note(
            self.surface,
            self._start(),
            eta,
            self.rules,
            full_batch=self._full_batch,
            runs=runs,
        )
        # After η's: one run's bowl too long to walk, or the race's failed rules.
        if self.rules is None:
            more = [valley_warning(self.surface)]
        else:
            more = [race.error for race in self.races]
        self._show_notes(note, [*note.warnings, *filter(None, more)])

    # -- the status line and the scene -------------------------------------------------

    def status_text(self, step: int | None = None) -> str:
        """The status line in full: the step, then θ, the loss and the state in words, or each raced run's name and state."""
        head, detail = self._status_parts(step)
        return f"{head} ({detail})" if detail else head

    def status_line(self, step: int | None = None) -> str:
        """The status as the picture shows it: one line, its explanation left to a tooltip."""
        return self._status_parts(step)[0]

    def _status_parts(self, step: int | None = None, said=None) -> tuple[str, str]:
        """The one-line status and the words it leaves to a tooltip (``said``: the step's words, if known)."""
        if self.rules is not None:
            return self._race_status(step), ""
        k = min(self.step.value if step is None else step, self.run.steps_taken)
        first, second = self.surface.parameter_names
        theta = self.run.params[k]
        words, detail = self._words(k) if said is None else said
        inside = all(
            low <= v <= high for v, (low, high) in zip(theta, self.frame.window)
        )
        where = "" if inside else " (off the map)"
        return (
            # "#.4g" keeps trailing zeros, as the start sliders' readouts do.
            f"{self._step_label(k)} · {first} = {theta[0]:#.4g} · "
            f"{second} = {theta[1]:#.4g} · L = {self.run.losses[k]:.4g}{where} · {words}"
        ), detail

    def _step_label(self, k: int) -> str:
        return f"step {k}"

    def _words(self, k: int) -> tuple[str, str]:
        """The state at step ``k`` in words: a headline and its explanation."""
        more = self.steps.value < self.steps.max
        return step_status(self.run, k, self.surface, can_add_steps=more)

    def _every_steps_words(self) -> list[tuple[str, str]]:
        """:meth:`_words` at every step of the run, at once."""
        more = self.steps.value < self.steps.max
        return step_statuses(self.run, self.surface, can_add_steps=more)

    def _status_style(self) -> str:
        """The status line's CSS: one line whatever it says (the browser draws a long one smaller)."""
        if self.rules is not None:
            # A line naming four runs: regular weight, so it fits one row of a
            # 1280-pixel projector in classroom mode too (the swatches mark the runs).
            return "font-size:1em; color:#000; background:#fff; padding:4px 0"
        # Classroom: bold (the words after a tab go to the line's tooltip).
        font = "font-size:1.1em;" + (" font-weight:bold;" if self.classroom else "")
        return f"{font} color:#000; background:#fff; padding:4px 0"

    def _send_scene(self, background, layer):
        """Every run's moving layer, and the status of every step as parts and a table (see ExplorerView.show_scene)."""
        if self.rules is None:
            # A slot of one part per step: its line, and after a tab the words
            # the browser shows as its tooltip.
            said = self._every_steps_words()
            parts = [
                "\t".join(self._status_parts(k, said[k])) for k in range(layer.steps)
            ]
            table = np.arange(layer.steps)[:, np.newaxis]
            colors = [""]
            label = "the loss surface with the path of θ, and the loss per step"
        else:
            parts, table = self._status_table()
            colors = ["", *self.colors]  # the step, then each run after its colour
            label = "the loss surface with one path of θ per update rule, and the loss per step"
        self.player.show_scene(
            background,
            layer,
            parts,
            table,
            colors=colors,
            step=self.step.value,
            style=self._status_style(),
            label=label,
        )

    # -- a race's status line and scene --------------------------------------------------

    def _race_status(self, step: int | None = None) -> str:
        """The step, then each run's name and state in words."""
        last = self._last_step()
        k = min(max(self.step.value if step is None else step, 0), last)
        runs = [
            f"{name}: {words[k]}"
            for name, words in zip(self.status_names(), self._race_words)
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

    def status_names(self) -> list[str]:
        """Each raced run's name in the status line: without its "(β = …)" (on the legend and slider) when unambiguous."""
        full = [race.name for race in self.races]
        short = [name.split(" (")[0] for name in full]
        return short if len(set(short)) == len(short) else full

    def _status_table(self):
        """A race's status of every step as parts and a table: the step, then a slot per run (see ExplorerView.show_scene)."""
        last = self._last_step()
        parts, index = ["step {k}"], {}
        table = np.zeros((last + 1, 1 + len(self.races)), dtype=int)
        if self._step_part(last) != parts[0]:
            parts.append(self._step_part(last))
            table[last, 0] = 1
        names = self.status_names()
        for slot, told in enumerate(self._race_words, start=1):
            for k, word in enumerate(told):
                key = (slot, word)
                if key not in index:
                    index[key] = len(parts)
                    parts.append(f"{names[slot - 1]}: {word}")
                table[k, slot] = index[key]
        return parts, table
