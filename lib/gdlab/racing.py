"""A race of update rules: one run of :func:`gdlab.descend` per rule, from one start (lesson 10).

:func:`race` runs each rule from the same θ with the same η and returns one
:class:`RaceRun` per rule.  A rule that fails (:class:`gdlab.RuleError`: it
raises, or returns θ of the wrong shape) does not stop the race: its result
keeps the path up to the step before, the error's message and the step it
failed at.  :func:`race_length` is the step every run can be shown at;
:func:`shared_beta` and :func:`with_beta` read and set the β the raced
rules share.

Math layer: numpy only, never a print or a plot.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

from ._validate import as_update_rule
from .descent import DescentRun, RuleError, descend
from .rules import rule_name

__all__ = ["RaceRun", "as_rules", "race", "race_length", "shared_beta", "with_beta"]


@dataclass(frozen=True, eq=False)
class RaceRun:
    """One run of a race: its rule, name and path.

    ``run`` is :func:`gdlab.descend`'s path or, when the rule failed at step
    ``failed_at`` (0: in ``start``), the path up to the step before, with the
    :class:`gdlab.RuleError`'s message in ``error``.
    """

    rule: object
    name: str
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


def as_rules(rules, most: int | None = None) -> list:
    """The rules as a list, each an object with ``start`` and ``step``; else a TypeError.

    ``most``: how many rules a race may hold (e.g. one per colour of its
    picture); then 1 to ``most`` rules, else a ValueError.

    Examples
    --------
    >>> from gdlab.rules import GradientDescent, Momentum
    >>> as_rules([GradientDescent(), Momentum])
    Traceback (most recent call last):
        ...
    TypeError: rules[1] must be an update rule object, e.g. Momentum(); got the class itself
    >>> as_rules([], most=8)
    Traceback (most recent call last):
        ...
    ValueError: rules must hold 1 to 8 update rules; got 0
    """
    if isinstance(rules, (str, bytes)) or not hasattr(rules, "__iter__"):
        raise TypeError(
            "rules must be a list of update rules, e.g. [GradientDescent(), Momentum(0.9)]"
        )
    rules = [as_update_rule(rule, f"rules[{i}]") for i, rule in enumerate(rules)]
    if most is not None and not 1 <= len(rules) <= most:
        raise ValueError(f"rules must hold 1 to {most} update rules; got {len(rules)}")
    return rules


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
    for rule in as_rules(rules):
        counted = _Counting(rule)
        try:
            run = descend(surface, start, learning_rate, steps, rule=counted)
            run, error, at = replace(run, rule=rule), None, None
        except RuleError as failure:
            error, at = str(failure), counted.calls
            run = _until(surface, start, learning_rate, at - 1, rule)
        results.append(RaceRun(rule, counted.name, run, error, failed_at=at))
    return results


def _until(surface, start, learning_rate, steps, rule) -> DescentRun:
    """The path of ``rule`` for ``steps`` steps, or just the start if that fails too."""
    try:
        if steps >= 1:
            return descend(surface, start, learning_rate, steps, rule=rule)
    except RuleError:
        pass  # a rule that fails differently the second time: show its start only
    return replace(descend(surface, start, learning_rate, 0), rule=rule)


def race_length(runs) -> int:
    """The race's last step: the longest run's, or the step after a rule failed.

    Examples
    --------
    >>> import gdlab
    >>> runs = race(gdlab.Parabola(1.0), [2.0], 0.5, 100, [gdlab.GradientDescent()])
    >>> race_length(runs) == runs[0].run.steps_taken
    True
    """
    return max(run.run.steps_taken + (run.failed_at is not None) for run in runs)


def _has_beta(rule) -> bool:
    return isinstance(getattr(rule, "beta", None), (int, float))


def shared_beta(rules) -> float | None:
    """The β the rules with a ``beta`` share, or None (none have one, or theirs differ).

    Examples
    --------
    >>> from gdlab.rules import Adam, GradientDescent, Momentum, Nesterov
    >>> shared_beta([GradientDescent(), Momentum(0.9), Nesterov(0.9), Adam()])
    0.9
    >>> shared_beta([Momentum(0.5), Momentum(0.9)]) is None
    True
    """
    betas = {float(rule.beta) for rule in rules if _has_beta(rule)}
    return betas.pop() if len(betas) == 1 else None


def with_beta(rules, beta: float) -> list:
    """The rules, each that has a ``beta`` copied with this one (a rule that refuses it is kept as it is).

    Examples
    --------
    >>> from gdlab.rules import GradientDescent, Momentum
    >>> [rule_name(rule) for rule in with_beta([GradientDescent(), Momentum(0.9)], 0.5)]
    ['gradient descent', 'momentum (β = 0.5)']
    """
    rebuilt = []
    for rule in rules:
        if _has_beta(rule):
            moved = copy.copy(rule)
            try:
                moved.beta = float(beta)
                rule = moved
            except (AttributeError, TypeError, ValueError):
                pass  # a rule whose β cannot be set keeps its own
        rebuilt.append(rule)
    return rebuilt
