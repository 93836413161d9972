"""Descent on any surface, under any update rule: θ ← θ − η·∇L(θ) and its kin.

:func:`descend` is the engine.  It walks any :class:`~gdlab.surfaces.Surface`
(a loss and its gradient over a parameter vector) with any update rule of
:mod:`gdlab.rules` (plain gradient descent unless told), and returns the
whole path as a :class:`DescentRun`.  :func:`gradient_descent` is the case the lessons
start with: the MSE of a line, θ = (m, b).  Introduced in lesson 05.
:func:`learning_rate_sweep` runs it for many learning rates at once, with the
same rules (lesson 06).

**Converged** has one meaning everywhere in gdlab (this module, the explorer,
the lessons): the loss still to lose has fallen to ``tolerance`` times what it
was at the start, ``gap(θ_k) ≤ tolerance · gap(θ_0)``, with
``gap = L − L*`` on a bowl (see :meth:`gdlab.Surface.gap`; elsewhere the same
measured by the local curvature), *and* every parameter is at the minimum on
the map's own scale: within √tolerance (10⁻³) of its start's offset, plus
tolerance (10⁻⁶) of the window's width (:meth:`gdlab.Surface.settled`); a small gap alone
can leave θ far off along a flat valley.  It does not depend on the data's
offset or scale.  Default ``tolerance = 10⁻⁶``.

Divergence is an outcome, not a crash: when the loss stops being finite or
grows past a bound, the run stops, keeps the finite path so far and reports
``status == "diverged"`` with the step at which it happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import (
    as_data_vector,
    as_parameter_vector,
    as_positive_number,
    as_step_count,
    as_update_rule,
)
from .least_squares import LinearMSE
from .rules import GradientDescent, rule_name
from .surfaces import CONVERGENCE_TOLERANCE, Surface

__all__ = [
    "DescentRun",
    "RuleError",
    "LearningRateSweep",
    "descend",
    "gradient_descent",
    "learning_rate_sweep",
]


@dataclass(frozen=True, eq=False)
class DescentRun:
    """The path of one run of descent, under one update rule.

    Attributes
    ----------
    params : numpy.ndarray of shape (j + 1, p)
        θ at steps 0..j; ``params[0]`` is the start.
    losses : numpy.ndarray of shape (j + 1,)
        The loss at each row of ``params`` (on all the data, also when each
        step saw only a batch).
    gradients : numpy.ndarray of shape (j + 1, p)
        The (full) gradient at each row of ``params``.
    gaps : numpy.ndarray of shape (j + 1,)
        The loss still to lose at each row (:meth:`gdlab.Surface.gap`).
    status : str
        ``"converged"`` (``gaps[-1] <= tolerance * gaps[0]``),
        ``"diverged"`` (the loss became non-finite or passed the bound) or
        ``"max_steps"`` (neither, within the steps allowed).
    learning_rate : float
        The step size η.
    tolerance : float or None
        The stop rule's fraction; ``None`` when the run was told to take
        every step.
    diverged_at : int or None
        The step at which divergence was detected.  If that step's θ was
        still finite it is the last row of ``params``; if not, it was dropped.
    rule : object
        The update rule that made the path (:mod:`gdlab.rules`).
    """

    params: np.ndarray
    losses: np.ndarray
    gradients: np.ndarray
    gaps: np.ndarray
    status: str
    learning_rate: float
    tolerance: float | None
    diverged_at: int | None = None
    rule: object = field(default_factory=GradientDescent)

    @property
    def steps_taken(self) -> int:
        """j, the number of updates in the path."""
        return len(self.params) - 1

    @property
    def final(self) -> np.ndarray:
        """The last finite θ."""
        return self.params[-1]

    def __repr__(self) -> str:
        where = (
            f", diverged_at={self.diverged_at}" if self.diverged_at is not None else ""
        )
        return (
            f"DescentRun(status={self.status!r}, steps_taken={self.steps_taken}, "
            f"learning_rate={self.learning_rate:g}, rule={rule_name(self.rule)!r}{where})"
        )


class RuleError(ValueError):
    """An update rule failed: it raised, or returned θ of the wrong shape.

    The message names the rule and the step, so a learner's rule that breaks
    is reported as theirs, not as a traceback from deep inside the engine.
    """


def descend(
    surface: Surface,
    start,
    learning_rate: float,
    steps: int,
    rule=None,
    tolerance: float | None = CONVERGENCE_TOLERANCE,
    divergence_factor: float = 1e8,
    gradient=None,
) -> DescentRun:
    """Run descent on ``surface`` from ``start``, one update rule, one stop rule.

    The engine of every path in gdlab (lessons 05, 09, 10).  At each step it
    hands the rule θ, a gradient function and η, and checks the new θ.

    Parameters
    ----------
    surface : Surface
        A :class:`gdlab.Surface` (it has ``loss``, ``gradient`` and ``gap``).
    start : sequence of float
        θ at step 0, one number per parameter.
    learning_rate : float
        The step size η > 0.
    steps : int
        The most updates to make, >= 0.
    rule : update rule, optional
        Any object with ``start(theta)`` and ``step(theta, gradient,
        learning_rate, state)`` (see :mod:`gdlab.rules`); by default
        :class:`gdlab.rules.GradientDescent`, θ ← θ − η·∇L(θ).
    tolerance : float or None
        Stop, converged, once ``gap(θ_k) <= tolerance · gap(θ_0)``: the loss
        still to lose is that fraction of the start's (``L − L*`` on a bowl).
        ``None``: take every step (a fixed budget, as lesson 09 does).
    divergence_factor : float
        Stop, diverged, once the loss has moved from the start's by more than
        ``divergence_factor`` times the start's gap, ``|L − L(θ₀)| >
        divergence_factor · max(gap(θ₀), |L(θ₀)|)``: up (overshooting) or down
        (running off a surface with no bottom).  Like "converged", free of the
        data's scale.  (The ``|L(θ₀)|`` keeps a run that starts at the minimum,
        with a gap of 0, from counting its first noisy step as divergence.)
        A θ or loss that is not finite is diverged too.
    gradient : callable, optional
        ``gradient(theta, step) -> ∇``: the gradient the rule sees at update
        ``step`` (1, 2, …).  By default the surface's exact gradient; a
        mini-batch estimate (:class:`gdlab.MiniBatchGradient`) is a way of
        computing the gradient, not another engine.

    Returns
    -------
    DescentRun

    Raises
    ------
    RuleError
        When the rule raises or returns θ of another shape (naming both).

    Examples
    --------
    >>> from gdlab.toy_surfaces import Parabola
    >>> run = descend(Parabola(curvature=1.0), start=[2.0], learning_rate=0.5, steps=3)
    >>> run.params.ravel()
    array([2.  , 1.  , 0.5 , 0.25])
    >>> descend(Parabola(1.0), [2.0], learning_rate=2.5, steps=200).status
    'diverged'
    >>> from gdlab.rules import Momentum
    >>> descend(Parabola(1.0), [2.0], learning_rate=2.5, steps=500, rule=Momentum(0.5)).status
    'converged'
    """
    if not isinstance(surface, Surface):
        raise TypeError(
            f"surface must be a gdlab Surface (loss, gradient, gap); got {type(surface).__name__}"
        )
    theta = as_parameter_vector(start, "start", size=surface.n_parameters)
    learning_rate = as_positive_number(learning_rate, "learning_rate")
    steps = as_step_count(steps, "steps")
    rule = _as_rule(rule)
    if tolerance is not None:
        tolerance = as_positive_number(tolerance, "tolerance")
    divergence_factor = as_positive_number(divergence_factor, "divergence_factor")
    if gradient is not None and not callable(gradient):
        raise TypeError("gradient must be a function gradient(theta, step) -> array")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        path = _Path(surface, theta, steps)
        status, diverged_at = path.walk(
            rule, learning_rate, gradient, tolerance, divergence_factor
        )
    return DescentRun(
        params=path.params[: path.last + 1].copy(),
        losses=path.losses[: path.last + 1].copy(),
        gradients=path.gradients[: path.last + 1].copy(),
        gaps=path.gaps[: path.last + 1].copy(),
        status=status,
        learning_rate=learning_rate,
        tolerance=tolerance,
        diverged_at=diverged_at,
        rule=rule,
    )


def _as_rule(rule):
    """The rule, or GradientDescent() for None; a TypeError if it is not one."""
    return GradientDescent() if rule is None else as_update_rule(rule)


class _Path:
    """The arrays of one run, filled row by row as the engine walks."""

    def __init__(self, surface: Surface, theta: np.ndarray, steps: int):
        self.surface = surface
        self.params = np.empty((steps + 1, theta.size))
        self.losses = np.empty(steps + 1)
        self.gradients = np.empty((steps + 1, theta.size))
        self.gaps = np.empty(steps + 1)
        loss, slope = _finite_start(surface, theta)
        self.params[0], self.losses[0], self.gradients[0] = theta, loss, slope
        self.gaps[0] = surface.gap(theta)
        self.last = 0

    def walk(self, rule, learning_rate, gradient, tolerance, divergence_factor):
        """Step until converged, diverged or out of steps; return (status, diverged_at)."""
        surface, name = self.surface, rule_name(rule)
        goal = -np.inf if tolerance is None else tolerance * self.gaps[0]
        reach = _divergence_reach(divergence_factor, self.gaps[0], self.losses[0])
        theta = self.params[0].copy()
        state = _call_rule(rule.start, name, 0, theta.copy())
        for step in range(1, len(self.params)):
            if self._converged(goal, tolerance):
                return "converged", None
            slope = self._gradient_at(step, theta, gradient)
            result = _call_rule(
                rule.step, name, step, theta, slope, learning_rate, state
            )
            moved, state = _as_pair(result, name, step)
            moved = _checked_theta(moved, theta.shape, name, step)
            loss, exact_slope, gap = surface.evaluate(moved)
            if not (np.isfinite(moved).all() and np.isfinite(loss)):
                return "diverged", step
            theta, self.last = moved, step
            row = (theta, loss, exact_slope, gap)
            (
                self.params[step],
                self.losses[step],
                self.gradients[step],
                self.gaps[step],
            ) = row
            if abs(loss - self.losses[0]) > reach or not np.isfinite(exact_slope).all():
                return "diverged", step
        return ("converged" if self._converged(goal, tolerance) else "max_steps"), None

    def _converged(self, goal, tolerance) -> bool:
        """Both halves of *converged*: the gap, and every parameter settled."""
        last = self.last
        return bool(
            self.gaps[last] <= goal
            and self.surface.settled(self.params[last], self.params[0], tolerance)
        )

    def _gradient_at(self, step, theta, gradient):
        """The gradient function the rule gets at ``step``.

        The exact gradient at the current θ was already computed for the
        record: a rule that asks for it there gets that array back, not a
        second evaluation.
        """
        if gradient is not None:
            return lambda point: np.asarray(gradient(point, step), dtype=float)
        known, surface = self.gradients[self.last], self.surface

        def exact(point):
            if point is theta or np.array_equal(point, theta):
                return known.copy()
            return np.asarray(surface.gradient(point), dtype=float)

        return exact


def _divergence_reach(factor: float, gap0: float, loss0: float) -> float:
    """How far the loss may move from the start's before the run counts as diverged."""
    return factor * max(gap0, abs(loss0))


def _call_rule(method, name, step, *args):
    """Call a rule's method; anything it raises becomes a RuleError naming it."""
    try:
        return method(*args)
    except Exception as error:  # a learner's rule may raise anything
        where = "start" if step == 0 else f"step {step}"
        raise RuleError(
            f"the update rule {name!r} raised {type(error).__name__} at {where}: {error}"
        ) from error


def _as_pair(result, name, step):
    """The rule's (theta, state), or a RuleError saying step must return a pair."""
    if not (isinstance(result, tuple) and len(result) == 2):
        raise RuleError(
            f"the update rule {name!r} returned {type(result).__name__} at step {step}; "
            "step(...) must return a pair (theta, state)"
        )
    return result


def _checked_theta(moved, shape, name, step) -> np.ndarray:
    """The rule's new θ as a float array of the old shape, or a RuleError."""
    try:
        array = np.asarray(moved, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.shape != shape:
        got = (
            "something that is not an array of numbers"
            if array is None
            else f"shape {array.shape}"
        )
        raise RuleError(
            f"the update rule {name!r} returned {got} at step {step}; "
            f"step(...) must return (theta, state) with theta of shape {shape}"
        )
    return array


def _finite_start(surface, theta: np.ndarray) -> tuple[float, np.ndarray]:
    """The loss and gradient at the start, refused when either is not finite."""
    loss = float(surface.loss(theta))
    gradient = np.asarray(surface.gradient(theta), dtype=float)
    if not (np.isfinite(loss) and np.isfinite(gradient).all()):
        raise ValueError(
            f"start {theta.tolist()} is too far out: the loss there is not finite"
        )
    return loss, gradient


def gradient_descent(
    x, y, start, learning_rate, steps, tolerance: float = CONVERGENCE_TOLERANCE
) -> DescentRun:
    """Gradient descent on the MSE of the line ŷ = m·x + b.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The observations.
    start : (float, float)
        ``(m0, b0)``, the line at step 0.
    learning_rate : float
        The step size η > 0.
    steps : int
        The most updates to make.
    tolerance : float
        Stop once ``L − L*`` is at most this fraction of its value at the start.

    Returns
    -------
    DescentRun
        ``run.params`` has shape (j + 1, 2), columns m and b.

    Examples
    --------
    >>> x, y = [0.0, 1.0, 2.0], [1.0, 3.0, 5.0]
    >>> run = gradient_descent(x, y, start=(0.0, 0.0), learning_rate=0.1, steps=2000)
    >>> run.status, [round(float(value), 2) for value in run.final]
    ('converged', [2.0, 1.0])
    """
    return descend(
        LinearMSE(x, y),
        start,
        learning_rate=learning_rate,
        steps=steps,
        tolerance=tolerance,
    )


@dataclass(frozen=True, eq=False)
class LearningRateSweep:
    """Steps to converge for each learning rate of a sweep.

    Attributes
    ----------
    learning_rates : numpy.ndarray of shape (k,)
    steps : numpy.ndarray of shape (k,)
        The number of updates until the run converged (as in
        :func:`gdlab.descend`); ``nan`` where that did not happen.
    statuses : tuple of str
        ``"converged"``, ``"diverged"`` or ``"max_steps"`` per learning rate,
        with the meanings of :class:`gdlab.DescentRun`.
    """

    learning_rates: np.ndarray
    steps: np.ndarray
    statuses: tuple

    @property
    def converged(self) -> np.ndarray:
        """A boolean mask: which learning rates converged."""
        return np.array([status == "converged" for status in self.statuses])

    def best(self) -> tuple[float, int]:
        """The learning rate that converged in the fewest steps, and that count."""
        if not self.converged.any():
            raise ValueError("no learning rate of the sweep converged")
        index = int(np.nanargmin(self.steps))
        return float(self.learning_rates[index]), int(self.steps[index])


def learning_rate_sweep(
    surface: Surface,
    learning_rates,
    start,
    max_steps: int = 1000,
    tolerance: float = CONVERGENCE_TOLERANCE,
    divergence_factor: float = 1e8,
    rule=None,
) -> LearningRateSweep:
    """Run descent once per learning rate, all at once, and count steps.

    Each run is :func:`gdlab.descend` with the same arguments (same rule,
    same stopping rules); the runs share one loop, with θ for every learning
    rate in one array (one row each), so a sweep of dozens of rates costs
    about as much as one run.  Lessons 06 and 10.

    Parameters
    ----------
    surface : Surface
        Whose ``loss`` and ``gradient`` accept a stack of points (all of
        gdlab's surfaces do).
    learning_rates : array_like of shape (k,)
        The step sizes η > 0 to try.
    start : sequence of float
        θ at step 0, the same for every run.
    max_steps : int
        The most updates per run.
    tolerance, divergence_factor : float
        As in :func:`gdlab.descend`.
    rule : update rule, optional
        As in :func:`gdlab.descend`.  It is handed the whole stack of θ, one
        row per rate, and η as a column of shape (k, 1); every built-in rule
        works elementwise, so it steps each row as it would step one θ.

    Returns
    -------
    LearningRateSweep

    Examples
    --------
    >>> from gdlab.toy_surfaces import Parabola
    >>> sweep = learning_rate_sweep(Parabola(1.0), [0.5, 1.0, 1.9, 2.1], start=[1.0],
    ...                             max_steps=500, tolerance=1e-6)
    >>> sweep.statuses
    ('converged', 'converged', 'converged', 'diverged')
    >>> [int(s) for s in sweep.steps[:3]]
    [10, 1, 66]
    >>> from gdlab.rules import Momentum
    >>> learning_rate_sweep(Parabola(1.0), [2.1, 2.9, 3.1], [1.0], rule=Momentum(0.5)).statuses
    ('converged', 'converged', 'diverged')
    """
    rates = as_data_vector(learning_rates, "learning_rates")
    if not np.all(rates > 0):
        raise ValueError("learning_rates must all be greater than 0")
    size = len(getattr(surface, "parameter_names", ())) or None
    theta0 = as_parameter_vector(start, "start", size=size)
    max_steps = as_step_count(max_steps, "max_steps")
    tolerance = as_positive_number(tolerance, "tolerance")
    divergence_factor = as_positive_number(divergence_factor, "divergence_factor")
    rule = _as_rule(rule)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        steps, statuses = _sweep(
            surface, rates, theta0, max_steps, tolerance, divergence_factor, rule
        )
    return LearningRateSweep(rates, steps, tuple(str(s) for s in statuses))


def _sweep(surface, rates, theta0, max_steps, tolerance, divergence_factor, rule):
    """The stacked loop of :func:`learning_rate_sweep`: (steps, statuses)."""
    k = rates.size
    loss0 = float(surface.loss(theta0))
    gradient0 = np.asarray(surface.gradient(theta0), dtype=float)
    if not (np.isfinite(loss0) and np.isfinite(gradient0).all()):
        raise ValueError(
            f"start {tuple(theta0)} is too far out: the loss there is not finite"
        )
    gap0 = surface.gap(theta0)
    goal, reach = tolerance * gap0, _divergence_reach(divergence_factor, gap0, loss0)
    theta = np.tile(theta0, (k, 1))
    steps = np.full(k, np.nan)
    statuses = np.full(k, "max_steps", dtype=object)
    active = np.ones(k, dtype=bool)
    if gap0 <= goal:
        return np.zeros(k), np.full(k, "converged", dtype=object)
    name, column = rule_name(rule), rates[:, None]
    state = _call_rule(rule.start, name, 0, theta.copy())
    for step in range(1, max_steps + 1):
        if not active.any():
            break
        # Every row steps (finished rows too, so the rule's state keeps one
        # row per rate); only the active rows' results are kept.
        result = _call_rule(
            rule.step, name, step, theta, surface.gradient, column, state
        )
        moved, state = _as_pair(result, name, step)
        moved = _checked_theta(moved, theta.shape, name, step)
        loss = np.asarray(surface.loss(moved), dtype=float).reshape(-1)
        bad = (
            ~np.isfinite(moved).all(axis=1)
            | ~np.isfinite(loss)
            | (np.abs(loss - loss0) > reach)
            | ~np.isfinite(np.asarray(surface.gradient(moved))).all(axis=1)
        )
        gap = np.asarray(surface.gap(moved), dtype=float).reshape(-1)
        done = ~bad & (gap <= goal) & surface.settled(moved, theta0, tolerance)
        for mask, outcome in ((bad, "diverged"), (done, "converged")):
            statuses[active & mask] = outcome
        steps[active & done] = step
        theta = np.where(active[:, None], moved, theta)
        active &= ~(bad | done)
    return steps, statuses
