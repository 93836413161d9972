"""Gradient descent: θ ← θ − η·∇L(θ), on any surface.

:func:`descend` is the engine.  It walks any :class:`~gdlab.surfaces.Surface`
(a loss and its gradient over a parameter vector) and returns the whole path
as a :class:`DescentRun`.  :func:`gradient_descent` is the case the lessons
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

from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_data_vector,
    as_parameter_vector,
    as_positive_number,
    as_step_count,
)
from .surfaces import CONVERGENCE_TOLERANCE, LinearMSE, Surface

__all__ = [
    "DescentRun",
    "LearningRateSweep",
    "descend",
    "gradient_descent",
    "learning_rate_sweep",
]


@dataclass(frozen=True, eq=False)
class DescentRun:
    """The path of one run of gradient descent.

    Attributes
    ----------
    params : numpy.ndarray of shape (j + 1, p)
        θ at steps 0..j; ``params[0]`` is the start.
    losses : numpy.ndarray of shape (j + 1,)
        The loss at each row of ``params``.
    gradients : numpy.ndarray of shape (j + 1, p)
        The gradient at each row of ``params``.
    gaps : numpy.ndarray of shape (j + 1,)
        The loss still to lose at each row (:meth:`gdlab.Surface.gap`).
    status : str
        ``"converged"`` (``gaps[-1] <= tolerance * gaps[0]``),
        ``"diverged"`` (the loss became non-finite or passed the bound) or
        ``"max_steps"`` (neither, within the steps allowed).
    learning_rate : float
        The step size η.
    diverged_at : int or None
        The step at which divergence was detected.  If that step's θ was
        still finite it is the last row of ``params``; if not, it was dropped.
    """

    params: np.ndarray
    losses: np.ndarray
    gradients: np.ndarray
    gaps: np.ndarray
    status: str
    learning_rate: float
    tolerance: float
    diverged_at: int | None = None

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
            f"learning_rate={self.learning_rate:g}{where})"
        )


def descend(
    surface: Surface,
    start,
    learning_rate: float,
    steps: int,
    tolerance: float = CONVERGENCE_TOLERANCE,
    divergence_factor: float = 1e8,
) -> DescentRun:
    """Run gradient descent, θ ← θ − η·∇L(θ), on ``surface`` from ``start``.

    Every parameter is updated at once, from the gradient at the old θ.

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
    tolerance : float
        Stop, converged, once ``gap(θ_k) <= tolerance · gap(θ_0)``: the loss
        still to lose is that fraction of the start's (``L − L*`` on a bowl).
    divergence_factor : float
        Stop, diverged, once the loss has moved from the start's by more than
        ``divergence_factor`` times the start's gap, ``|L − L(θ₀)| >
        divergence_factor · gap(θ₀)``: up (overshooting) or down (running off
        a surface with no bottom).  Like "converged", free of the data's scale.

    Returns
    -------
    DescentRun

    Examples
    --------
    >>> from gdlab.surfaces import Parabola
    >>> run = descend(Parabola(curvature=1.0), start=[2.0], learning_rate=0.5, steps=3)
    >>> run.params.ravel()
    array([2.  , 1.  , 0.5 , 0.25])
    >>> descend(Parabola(1.0), [2.0], learning_rate=2.5, steps=200).status
    'diverged'
    """
    if not isinstance(surface, Surface):
        raise TypeError(
            f"surface must be a gdlab Surface (loss, gradient, gap); got {type(surface).__name__}"
        )
    theta = as_parameter_vector(start, "start", size=surface.n_parameters)
    learning_rate = as_positive_number(learning_rate, "learning_rate")
    steps = as_step_count(steps, "steps")
    tolerance = as_positive_number(tolerance, "tolerance")
    divergence_factor = as_positive_number(divergence_factor, "divergence_factor")

    params = np.empty((steps + 1, theta.size))
    losses = np.empty(steps + 1)
    gradients = np.empty((steps + 1, theta.size))
    gaps = np.empty(steps + 1)
    with np.errstate(over="ignore", invalid="ignore"):
        loss, gradient = _finite_start(surface, theta)
        params[0], losses[0], gradients[0] = theta, loss, gradient
        gaps[0] = surface.gap(theta)
        goal = tolerance * gaps[0]
        loss0, reach = loss, divergence_factor * gaps[0]
        status, diverged_at, last = "max_steps", None, 0
        for step in range(1, steps + 1):
            if gaps[last] <= goal and surface.settled(params[last], start, tolerance):
                break
            theta = theta - learning_rate * gradient
            loss, gradient, gap = surface.evaluate(theta)
            if not (np.isfinite(theta).all() and np.isfinite(loss)):
                status, diverged_at = "diverged", step
                break
            last = step
            params[last], losses[last], gradients[last], gaps[last] = (
                theta,
                loss,
                gradient,
                gap,
            )
            if abs(loss - loss0) > reach or not np.isfinite(gradient).all():
                status, diverged_at = "diverged", step
                break
        done = gaps[last] <= goal and surface.settled(params[last], start, tolerance)
        if status != "diverged" and done:
            status = "converged"
    return DescentRun(
        params=params[: last + 1].copy(),
        losses=losses[: last + 1].copy(),
        gradients=gradients[: last + 1].copy(),
        gaps=gaps[: last + 1].copy(),
        status=status,
        learning_rate=learning_rate,
        tolerance=tolerance,
        diverged_at=diverged_at,
    )


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
) -> LearningRateSweep:
    """Run gradient descent once per learning rate, all at once, and count steps.

    Each run is exactly :func:`gdlab.descend` with the same arguments (same
    stopping rules); the runs share one loop, with θ for every learning rate
    in one array, so a sweep of dozens of rates costs about as much as one run.

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

    Returns
    -------
    LearningRateSweep

    Examples
    --------
    >>> from gdlab.surfaces import Parabola
    >>> sweep = learning_rate_sweep(Parabola(1.0), [0.5, 1.0, 1.9, 2.1], start=[1.0],
    ...                             max_steps=500, tolerance=1e-6)
    >>> sweep.statuses
    ('converged', 'converged', 'converged', 'diverged')
    >>> [int(s) for s in sweep.steps[:3]]
    [10, 1, 66]
    """
    rates = as_data_vector(learning_rates, "learning_rates")
    if not np.all(rates > 0):
        raise ValueError("learning_rates must all be greater than 0")
    size = len(getattr(surface, "parameter_names", ())) or None
    theta0 = as_parameter_vector(start, "start", size=size)
    max_steps = as_step_count(max_steps, "max_steps")
    tolerance = as_positive_number(tolerance, "tolerance")
    divergence_factor = as_positive_number(divergence_factor, "divergence_factor")

    k = rates.size
    with np.errstate(over="ignore", invalid="ignore"):
        loss0 = float(surface.loss(theta0))
        gradient0 = np.asarray(surface.gradient(theta0), dtype=float)
        if not (np.isfinite(loss0) and np.isfinite(gradient0).all()):
            raise ValueError(
                f"start {tuple(theta0)} is too far out: the loss there is not finite"
            )
        reach = divergence_factor * surface.gap(theta0)
        theta = np.tile(theta0, (k, 1))
        gradient = np.tile(gradient0, (k, 1))
        steps = np.full(k, np.nan)
        statuses = np.full(k, "max_steps", dtype=object)
        active = np.ones(k, dtype=bool)
        goal = tolerance * surface.gap(theta0)
        if surface.gap(theta0) <= goal:
            steps[:] = 0
            statuses[:] = "converged"
            active[:] = False
        for step in range(1, max_steps + 1):
            if not active.any():
                break
            index = np.flatnonzero(active)
            moved = theta[index] - rates[index, None] * gradient[index]
            loss = np.asarray(surface.loss(moved), dtype=float).reshape(-1)
            new_gradient = np.asarray(surface.gradient(moved), dtype=float)
            bad = (
                ~np.isfinite(moved).all(axis=1)
                | ~np.isfinite(loss)
                | (np.abs(loss - loss0) > reach)
                | ~np.isfinite(new_gradient).all(axis=1)
            )
            theta[index] = moved
            gradient[index] = new_gradient
            statuses[index[bad]] = "diverged"
            gap = np.asarray(surface.gap(moved), dtype=float).reshape(-1)
            done = ~bad & (gap <= goal) & surface.settled(moved, theta0, tolerance)
            statuses[index[done]] = "converged"
            steps[index[done]] = step
            active[index[bad | done]] = False
    return LearningRateSweep(rates, steps, tuple(str(s) for s in statuses))
