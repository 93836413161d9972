"""The MSE of any model linear in its weights, and how fast descent crosses it.

For a design matrix X (n rows, p columns) and weights θ (p numbers) the
prediction is ŷ = X·θ and::

    L(θ)  = (1/n) Σ (y_i − (Xθ)_i)²  = mean((Xθ − y)²)
    ∇L(θ) = (2/n) Xᵀ (Xθ − y)
    H     = (2/n) XᵀX                       (the Hessian: the same everywhere)

so L is a quadratic bowl, convex, with its minimum at the least-squares
solution.  The line is the case X = [1, x] (θ = (b, m) in that column order).
Gradient descent on it is stable exactly when η < 2/λ_max(H).

:class:`FeatureMSE` is that surface (lessons 06 and 07);
:func:`learning_rate_sweep` counts the steps gradient descent takes to converge
for many learning rates at once (lesson 06); :func:`minibatch_descent` estimates
each step's gradient from a few observations at a time (lesson 09).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_data_vector,
    as_parameter_vector,
    as_positive_number,
    as_seed,
    as_step_count,
)
from .features import as_design
from .surfaces import CONVERGENCE_TOLERANCE, Surface, _inverse_size

__all__ = [
    "FeatureMSE",
    "LearningRateSweep",
    "MiniBatchRun",
    "learning_rate_sweep",
    "minibatch_descent",
    "minibatch_gradient",
]

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class FeatureMSE(Surface):
    """The MSE of ŷ = X·θ over the weights θ, for any number of weights.

    Parameters
    ----------
    X : array_like of shape (n, p)
        The design matrix, e.g. ``gdlab.design_matrix(x, degree)``.
    y : array_like of shape (n,)
        The observed outputs.
    parameter_names : sequence of str, optional
        One name per column; default ``w₀, w₁, …``.

    Examples
    --------
    >>> X = [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]          # columns [1, x]
    >>> surface = FeatureMSE(X, [1.0, 3.0, 5.0])           # y = 1 + 2x exactly
    >>> surface.loss([1.0, 2.0]), surface.loss([0.0, 0.0])
    (0.0, 11.666666666666666)
    >>> surface.gradient([0.0, 0.0])
    array([-6.        , -8.66666667])
    >>> [round(float(w), 6) for w in surface.minimum]
    [1.0, 2.0]
    """

    quadratic = True
    convex = True

    def __init__(self, X, y, parameter_names=None):
        matrix = as_design(X)
        targets = as_data_vector(y, "y")
        if targets.size != matrix.shape[0]:
            raise ValueError(
                f"X and y must have the same number of rows; got {matrix.shape[0]} and {targets.size}"
            )
        self.X = matrix
        self.y = targets
        self.n = matrix.shape[0]
        p = matrix.shape[1]
        if parameter_names is None:
            names = tuple(f"w{str(j).translate(_SUBSCRIPTS)}" for j in range(p))
        else:
            names = tuple(str(name) for name in parameter_names)
            if len(names) != p:
                raise ValueError(
                    f"parameter_names must have one name per column of X ({p}); got {len(names)}"
                )
        self.parameter_names = names
        self._hessian = (2.0 / self.n) * (matrix.T @ matrix)
        solution, _, _, _ = np.linalg.lstsq(matrix, targets, rcond=None)
        self._minimum = solution
        residuals = matrix @ solution - targets
        self.minimum_loss = float(np.mean(residuals * residuals))

    def _loss(self, params):
        residuals = params @ self.X.T - self.y
        return np.mean(residuals * residuals, axis=-1)

    def _gradient(self, params):
        residuals = params @ self.X.T - self.y
        return (2.0 / self.n) * (residuals @ self.X)

    def hessian(self, theta=None) -> np.ndarray:
        """``(2/n)·XᵀX``, the same at every θ."""
        return self._hessian.copy()

    def eigenvalues(self) -> np.ndarray:
        """The Hessian's eigenvalues, smallest first."""
        return np.linalg.eigvalsh(self._hessian)

    @property
    def minimum(self) -> np.ndarray:
        """The least-squares weights (``np.linalg.lstsq``), a copy."""
        return self._minimum.copy()

    def window(self, margin: float = 1.0):
        """A range per weight around the minimum that follows the data.

        The smallest box holding every θ whose loss is at most ``ℓ`` above the
        lowest (``½ dᵀHd ≤ ℓ``, half-widths ``√(2ℓ·(H⁻¹)_jj)``), with
        ``ℓ = 1.5·margin·(range of y)²``: shifting y moves the box, scaling y or
        a column scales it, and a round bowl gets a square.
        """
        margin = as_positive_number(margin, "margin")
        y_range = float(np.ptp(self.y)) or (abs(float(self.y.mean())) or 1.0)
        level = 1.5 * margin * y_range**2
        inverse = np.diag(_inverse_size(self._hessian))
        half = np.sqrt(2.0 * level * inverse)
        return tuple(
            (float(centre - h), float(centre + h))
            for centre, h in zip(self._minimum, half)
        )

    def critical_points(self):
        return [self._critical(self._minimum)]

    def __repr__(self) -> str:
        return f"FeatureMSE(n={self.n}, p={len(self.parameter_names)})"


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
            done = ~bad & (gap <= goal)
            statuses[index[done]] = "converged"
            steps[index[done]] = step
            active[index[bad | done]] = False
    return LearningRateSweep(rates, steps, tuple(str(s) for s in statuses))


@dataclass(frozen=True, eq=False)
class MiniBatchRun:
    """The path of one run of mini-batch gradient descent.

    Attributes
    ----------
    params : numpy.ndarray of shape (updates + 1, p)
        θ after each update; ``params[0]`` is the start.
    losses : numpy.ndarray of shape (updates + 1,)
        The loss on *all* the data at each row of ``params`` (what the run
        is really minimising; each update only saw one batch).
    batch_size, learning_rate : the settings.
    updates_per_epoch : int
        ``ceil(n / batch_size)``: one epoch is one pass over the data.
    status : str
        ``"finished"`` or ``"diverged"``.
    """

    params: np.ndarray
    losses: np.ndarray
    batch_size: int
    learning_rate: float
    updates_per_epoch: int
    status: str

    @property
    def epochs(self) -> np.ndarray:
        """The epoch (passes over the data, fractional) at each row of ``params``."""
        return np.arange(len(self.params)) / self.updates_per_epoch


def minibatch_gradient(X, y, theta, indices) -> np.ndarray:
    """The MSE gradient estimated from the rows ``indices`` alone: ``(2/B)·X_Bᵀ(X_Bθ − y_B)``.

    With all rows it is the full gradient; averaged over the batches of one
    shuffled pass (equal sizes) it is the full gradient too.  Lesson 09.

    Examples
    --------
    >>> X = [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]       # columns [x, 1]: θ = (m, b)
    >>> minibatch_gradient(X, [1.0, 3.0, 5.0], [0.0, 0.0], [2])
    array([-20., -10.])
    """
    matrix = as_design(X)
    targets = as_data_vector(y, "y")
    weights = as_data_vector(theta, "theta")
    rows = np.asarray(indices)
    if rows.ndim != 1 or rows.size == 0 or rows.dtype.kind not in "iu":
        raise ValueError("indices must be a non-empty 1-D array of row numbers")
    batch, answers = matrix[rows], targets[rows]
    with np.errstate(over="ignore", invalid="ignore"):
        return (2.0 / rows.size) * batch.T @ (batch @ weights - answers)


def minibatch_descent(
    X,
    y,
    start,
    learning_rate,
    batch_size,
    epochs,
    seed=0,
    divergence_factor: float = 1e8,
) -> MiniBatchRun:
    """Gradient descent where each update uses the gradient of one batch.

    Each epoch shuffles the rows (seeded) and cuts them into batches of
    ``batch_size`` (the last one may be smaller); each batch gives one
    update θ ← θ − η·∇L_batch(θ).  ``batch_size = n`` is plain (full-batch)
    gradient descent, ``batch_size = 1`` is stochastic gradient descent.

    Parameters
    ----------
    X : array_like of shape (n, p)
        The design matrix.
    y : array_like of shape (n,)
    start : sequence of p floats
    learning_rate : float
    batch_size : int
        From 1 to n.
    epochs : int
        Passes over the data.
    seed : int or None
        Seed of the shuffling.

    Returns
    -------
    MiniBatchRun

    Examples
    --------
    >>> X = [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]
    >>> run = minibatch_descent(X, [1.0, 3.0, 5.0, 7.0], [0.0, 0.0], 0.05, batch_size=2, epochs=3)
    >>> run.params.shape, run.updates_per_epoch, run.status
    ((7, 2), 2, 'finished')
    """
    surface = FeatureMSE(X, y)
    n = surface.n
    theta = as_parameter_vector(start, "start", size=surface.X.shape[1])
    learning_rate = as_positive_number(learning_rate, "learning_rate")
    batch_size = as_step_count(batch_size, "batch_size")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be from 1 to n = {n}; got {batch_size}")
    epochs = as_step_count(epochs, "epochs")
    seed = as_seed(seed)
    rng = np.random.default_rng(seed)
    per_epoch = -(-n // batch_size)
    params = [theta]
    with np.errstate(over="ignore", invalid="ignore"):
        losses = [float(surface.loss(theta))]
        # Diverged: the loss moved by more than the factor times the start's loss
        # (no "+ 1": that would depend on the units of y).
        reach = divergence_factor * losses[0]
        status = "finished"
        for _ in range(epochs):
            order = rng.permutation(n)
            for first in range(0, n, batch_size):
                rows = order[first : first + batch_size]
                batch = surface.X[rows]
                gradient = (
                    (2.0 / rows.size) * batch.T @ (batch @ theta - surface.y[rows])
                )
                theta = theta - learning_rate * gradient
                loss = float(surface.loss(theta))
                if (
                    not (np.isfinite(theta).all() and np.isfinite(loss))
                    or abs(loss - losses[0]) > reach
                ):
                    status = "diverged"
                    break
                params.append(theta)
                losses.append(loss)
            if status == "diverged":
                break
    return MiniBatchRun(
        np.array(params), np.array(losses), batch_size, learning_rate, per_epoch, status
    )
