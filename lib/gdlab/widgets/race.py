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
import html
from dataclasses import dataclass, replace

import ipywidgets as widgets
import numpy as np

from ..descent import DescentRun, RuleError, descend
from ..narration import moving_words
from ..plots.race_frame import RACE_COLORS, RaceFrame
from ..rules import critical_rate_for, rule_name
from . import _controls
from ._explorer import Explorer

__all__ = ["RaceExplorer", "RaceRun", "race"]


@dataclass(frozen=True, eq=False)
class RaceRun:
    """One run of a race: its rule, legend name, colour and path.

    ``run`` is :func:`gdlab.descend`'s path or, when the rule failed at step
    ``failed_at`` (0: in ``start``), the path up to the step before, with the
    :class:`gdlab.RuleError`'s message in ``error``.
    """

    rule: object
    name: str
    color: str
    run: DescentRun
    error: str | None = None
    failed_at: int | None = None


class _Counting:
    """A rule that counts its steps, so a failure's step is known without parsing text."""

    def __init__(self, rule):
        self.rule, self.name, self.calls = rule, rule_name(rule), 0

    def start(self, theta):
        return self.rule.start(theta)

    def step(self, theta, gradient, learning_rate, state):
        self.calls += 1
        return self.rule.step(theta, gradient, learning_rate, state)


def race(surface, start, learning_rate, steps, rules) -> list[RaceRun]:
    """Run :func:`gdlab.descend` once per rule from the same start; a failure becomes a result.

    Examples
    --------
    >>> import gdlab
    >>> from gdlab.rules import GradientDescent, Momentum
    >>> runs = race(gdlab.Parabola(1.0), [2.0], 0.5, 100, [GradientDescent(), Momentum(0.5)])
    >>> [(r.name, r.run.status) for r in runs]
    [('gradient descent', 'converged'), ('momentum (β = 0.5)', 'converged')]
    """
    results = []
    for rule, color in zip(rules, RACE_COLORS):
        counted = _Counting(rule)
        try:
            run = descend(surface, start, learning_rate, steps, rule=counted)
            run, error, at = replace(run, rule=rule), None, None
        except RuleError as failure:
            error, at = str(failure), counted.calls
            run = _until(surface, start, learning_rate, at - 1, rule)
        results.append(RaceRun(rule, counted.name, color, run, error, failed_at=at))
    return results


def _until(surface, start, learning_rate, steps, rule) -> DescentRun:
    """The path of ``rule`` for ``steps`` steps, or just the start if that fails too."""
    try:
        if steps >= 1:
            return descend(surface, start, learning_rate, steps, rule=rule)
    except RuleError:
        pass  # a rule that fails differently the second time: show its start only
    return replace(descend(surface, start, learning_rate, 0), rule=rule)


def _as_rules(rules) -> list:
    """The rules as a list, each an object with ``start`` and ``step``; else a TypeError."""
    if isinstance(rules, (str, bytes)) or not hasattr(rules, "__iter__"):
        raise TypeError(
            "rules must be a list of update rules, e.g. [GradientDescent(), Momentum(0.9)]"
        )
    rules = list(rules)
    if not 1 <= len(rules) <= len(RACE_COLORS):
        raise ValueError(
            f"rules must hold 1 to {len(RACE_COLORS)} update rules; got {len(rules)}"
        )
    for i, rule in enumerate(rules):
        if isinstance(rule, type):
            raise TypeError(
                f"rules[{i}] must be an update rule object, e.g. {rule.__name__}(); "
                "got the class itself"
            )
        if not all(callable(getattr(rule, name, None)) for name in ("start", "step")):
            raise TypeError(
                f"rules[{i}] must have start(theta) and step(theta, gradient, "
                f"learning_rate, state) methods (see gdlab.rules); got {type(rule).__name__}"
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


def state_words(run: DescentRun, surface) -> list[str]:
    """The first words of :func:`describe_step` at every step of ``run``, all at once.

    Vectorised (:func:`gdlab.narration.moving_words`): a race asks for
    thousands of them per setting change.

    Examples
    --------
    >>> import gdlab
    >>> run = gdlab.descend(gdlab.Parabola(1.0), [2.0], 1.5, steps=60)
    >>> state_words(run, gdlab.Parabola(1.0))[:3], state_words(run, gdlab.Parabola(1.0))[-1]
    (['ready', 'oscillating', 'oscillating'], 'converged after 10 steps')
    """
    losses = np.asarray(run.losses, dtype=float)
    last = len(losses) - 1
    words = moving_words(run, surface)
    if run.status == "converged":
        words[last] = f"converged after {last} step{'' if last == 1 else 's'}"
    elif run.status == "diverged":
        fell = losses[-1] < losses[0]
        words[last] = (
            f"{'ran off downhill' if fell else 'diverged'} at step {run.diverged_at}"
        )
    return [str(word) for word in words]


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
    races : list of RaceRun
        One per rule: its name, colour, path, and error if it failed.
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
        self.rules = _as_rules(rules)
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
        self._words = [self._run_words(race, last) for race in self.races]
        self._update_labels()

    def _last_step(self) -> int:
        """The shared last step: the longest run's, or the step after a rule failed."""
        return max(
            race.run.steps_taken + (race.failed_at is not None) for race in self.races
        )

    def _run_words(self, race, last) -> list[str]:
        """What the status line says of one run at every shared step 0..last."""
        own = state_words(race.run, self.surface)
        end = race.run.steps_taken
        # Short forms, so that a line naming four runs fits one row of a
        # projector: a run that used every step ends at the shared last step,
        # where the step part says "out of steps" once for all (_step_part);
        # "converged at step k", as "diverged at step k".
        if race.run.status == "converged":
            own[end] = f"converged at step {end}"
        run = race.run
        if run.status == "diverged" and run.diverged_at > end:
            # θ itself stopped being a number (describe_step would read the
            # last finite loss, and may say "ran off downhill").
            own[end] = f"diverged at step {run.diverged_at}: θ is not finite"
        if race.failed_at == 0:  # no step was ever possible
            return ["failed in start: see the message above"] * (last + 1)
        if race.failed_at is not None:
            failed = f"failed at step {race.failed_at}: see the message above"
            return own + [failed] * (last - end)
        return own + [own[end]] * (last - end)

    def critical_rates(self) -> dict:
        """Each rule's critical rate (exact on a quadratic, else at the start), by name; None: none known."""
        start = np.array((self.start_m.value, self.start_b.value))
        with np.errstate(all="ignore"):
            hessian = np.asarray(self.surface.hessian(start), dtype=float)
        finite = np.isfinite(hessian).all()
        rates = {}
        for rule in self.rules:
            try:
                value = critical_rate_for(rule, hessian) if finite else None
            except Exception:  # noqa: BLE001 (a learner's critical_rate may fail: none known)
                value = None
            rates[rule_name(rule)] = None if value is None else float(value)
        return rates

    def _update_labels(self):
        """Each rule's critical rate beside η; warnings for rates above them and failed rules."""
        eta = self.learning_rate.value
        rates = self.critical_rates()
        where = "" if self.surface.quadratic else " (local, at the start)"
        known = ", ".join(
            f"{html.escape(name)} <b>{'none known' if value is None else f'{value:.3g}'}</b>"
            for name, value in rates.items()
        )
        above = [
            (rule, value)
            for rule, value in zip(self.rules, rates.values())
            if value is not None and eta > value
        ]
        diverge = self.surface.quadratic and self.surface.convex
        warnings = [
            f"η = {eta:.3g} is above the critical value of {rule_name(rule)}, "
            f"{getattr(rule, 'bound', None) or 'its bound'} = {value:.3g}: "
            f"{'this run will diverge' if diverge else 'its first steps will overshoot'}."
            for rule, value in above
        ]
        warnings += [race.error for race in self.races if race.error]
        self._show_notes(f"critical η{where}: {known}", bool(above), warnings)

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
        for slot, (race, words) in enumerate(zip(self.races, self._words), start=1):
            for k, word in enumerate(words):
                key = (slot, word)
                if key not in index:
                    index[key] = len(parts)
                    parts.append(f"{names[slot - 1]}: {word}")
                    colors.append(race.color)
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
