"""Learning-rate schedules: an η that shrinks as descent goes on (lesson 10).

A *schedule* is a function of ``k``, the number of updates already made
(0 before the first), that returns the factor η is multiplied by at the next
update: 1 at ``k = 0``, then smaller.  Three common ones:

* :class:`StepDecay`: ``factor ** (k // every)``, η cut by a fixed factor
  every so many updates;
* :class:`InverseTime`: ``1 / (1 + k / scale)``, η halved after ``scale``
  updates, a third after ``2·scale``, …  (the "1/t" schedule);
* :class:`Cosine`: ``floor + (1 − floor)·½(1 + cos(π·k/total))``, from 1 down
  to ``floor`` over ``total`` updates along half a cosine, then ``floor``.

The engine (:func:`gdlab.descend`) takes one constant η.  A schedule enters
as an update rule, :class:`Scheduled`, that wraps another rule and hands it
η·schedule(k) at each step, so there is still one engine::

    >>> import gdlab
    >>> rule = Scheduled(gdlab.GradientDescent(), StepDecay(every=2, factor=0.5))
    >>> run = gdlab.descend(gdlab.Parabola(1.0), [1.0], 0.5, steps=4, rule=rule, tolerance=None)
    >>> [round(float(v), 4) for v in run.params.ravel()]
    [1.0, 0.5, 0.25, 0.1875, 0.1406]

Every schedule accepts an array of ``k`` (one factor each), and
:class:`Scheduled` works elementwise like the built-in rules, so it runs in
:func:`gdlab.learning_rate_sweep` too.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_positive_number, as_step_count
from .rules import rule_name

__all__ = ["Cosine", "InverseTime", "Scheduled", "StepDecay"]


def _updates(k) -> np.ndarray:
    """``k`` as a float array of counts >= 0, or a ValueError naming it."""
    counts = np.asarray(k, dtype=float)
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError("k must be a number of updates made so far, 0 or more")
    return counts


def _as_fraction(value, name: str, *, low_open: bool) -> float:
    """A number in (0, 1] (``low_open``) or [0, 1), or a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a number between 0 and 1")
    value = float(value)
    inside = 0.0 < value <= 1.0 if low_open else 0.0 <= value < 1.0
    if not inside:
        span = (
            "greater than 0 and at most 1"
            if low_open
            else "from 0 up to (not including) 1"
        )
        raise ValueError(f"{name} must be {span}; got {value:g}")
    return value


class StepDecay:
    """η times ``factor`` after every ``every`` updates: ``factor ** (k // every)`` (lesson 10).

    Examples
    --------
    >>> schedule = StepDecay(every=10, factor=0.5)
    >>> [float(schedule(k)) for k in (0, 9, 10, 25)]
    [1.0, 1.0, 0.5, 0.25]
    """

    def __init__(self, every: int, factor: float = 0.5):
        self.every = as_step_count(every, "every")
        if self.every == 0:
            raise ValueError("every must be a whole number >= 1; got 0")
        self.factor = _as_fraction(factor, "factor", low_open=True)

    @property
    def name(self) -> str:
        return f"step decay (×{self.factor:g} every {self.every})"

    def __call__(self, k):
        return self.factor ** np.floor(_updates(k) / self.every)

    def __repr__(self) -> str:
        return f"StepDecay(every={self.every}, factor={self.factor:g})"


class InverseTime:
    """The "1/t" schedule, ``1 / (1 + k / scale)``: η halved after ``scale`` updates (lesson 10).

    Its factors add up to infinity while their squares do not, the two
    conditions (Robbins and Monro, 1951) under which stochastic gradient
    descent on a convex bowl like lesson 09's can settle at the minimum.

    Examples
    --------
    >>> schedule = InverseTime(scale=100)
    >>> [float(schedule(k)) for k in (0, 100, 300)]
    [1.0, 0.5, 0.25]
    """

    def __init__(self, scale: float):
        self.scale = as_positive_number(scale, "scale")

    @property
    def name(self) -> str:
        return f"1/t (halved after {self.scale:g})"

    def __call__(self, k):
        return 1.0 / (1.0 + _updates(k) / self.scale)

    def __repr__(self) -> str:
        return f"InverseTime(scale={self.scale:g})"


class Cosine:
    """Half a cosine from 1 down to ``floor`` over ``total`` updates, then ``floor`` (lesson 10).

    Examples
    --------
    >>> schedule = Cosine(total=100, floor=0.1)
    >>> [round(float(schedule(k)), 4) for k in (0, 50, 100, 500)]
    [1.0, 0.55, 0.1, 0.1]
    """

    def __init__(self, total: int, floor: float = 0.0):
        self.total = as_step_count(total, "total")
        if self.total == 0:
            raise ValueError("total must be a whole number >= 1; got 0")
        self.floor = _as_fraction(floor, "floor", low_open=False)

    @property
    def name(self) -> str:
        return f"cosine (to {self.floor:g} in {self.total})"

    def __call__(self, k):
        done = np.minimum(_updates(k), self.total) / self.total
        return self.floor + (1.0 - self.floor) * 0.5 * (1.0 + np.cos(np.pi * done))

    def __repr__(self) -> str:
        return f"Cosine(total={self.total}, floor={self.floor:g})"


class Scheduled:
    """Any update rule, with η multiplied by ``schedule(k)`` at the update after ``k`` others (lesson 10).

    Its state is the wrapped rule's state and the count ``k``.  It states no
    stability bound (``critical_rate`` is ``None``): a bound proved for a
    constant η says nothing certain about an η that changes at every step,
    for momentum and Adam alike.

    Parameters
    ----------
    rule : update rule
        E.g. ``gdlab.GradientDescent()`` or ``gdlab.Momentum(0.9)``.
    schedule : callable
        ``schedule(k) -> factor``, e.g. :class:`InverseTime`.

    Examples
    --------
    >>> import gdlab
    >>> rule = Scheduled(gdlab.GradientDescent(), InverseTime(scale=1))
    >>> theta, state = rule.step(np.array([2.0]), lambda t: t, 0.5, rule.start([2.0]))
    >>> float(theta[0]), state[1]
    (1.0, 1)
    >>> theta, state = rule.step(theta, lambda t: t, 0.5, state)   # η/2 now
    >>> float(theta[0])
    0.75
    """

    bound = None

    def __init__(self, rule, schedule):
        if not (
            callable(getattr(rule, "start", None))
            and callable(getattr(rule, "step", None))
        ):
            raise TypeError(
                "rule must be an update rule with start and step methods (gdlab.rules)"
            )
        if not callable(schedule):
            raise TypeError(
                "schedule must be a function of the update count k, e.g. InverseTime(100)"
            )
        self.rule, self.schedule = rule, schedule

    @property
    def name(self) -> str:
        return f"{rule_name(self.rule)}, {rule_name(self.schedule)}"

    def start(self, theta):
        return self.rule.start(theta), 0

    def step(self, theta, gradient, learning_rate, state):
        inner, k = state
        rate = learning_rate * self.schedule(k)
        theta, inner = self.rule.step(theta, gradient, rate, inner)
        return theta, (inner, k + 1)

    def critical_rate(self, hessian) -> float | None:
        """None: no bound is claimed for an η that changes (see the class docstring)."""
        return None

    def __repr__(self) -> str:
        return f"Scheduled({self.rule!r}, {self.schedule!r})"
