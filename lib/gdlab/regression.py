"""Mini-batch gradient descent on the MSE of a model linear in its weights (lesson 09).

For a design matrix X (n rows, p columns) and weights θ the loss is
L(θ) = mean((Xθ − y)²), the surface :class:`gdlab.FeatureMSE` (in
:mod:`gdlab.surfaces`, with the other surfaces).  Here, :func:`minibatch_descent`
estimates each step's gradient from a few observations at a time, and
:func:`minibatch_gradient` is one such estimate.
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
from .surfaces import FeatureMSE

__all__ = [
    "MiniBatchRun",
    "minibatch_descent",
    "minibatch_gradient",
]


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
