"""Mini-batch gradient descent on the MSE of a model linear in its weights (lesson 09).

For a design matrix X (n rows, p columns) and weights θ the loss is
L(θ) = mean((Xθ − y)²), the surface :class:`gdlab.FeatureMSE` (in
:mod:`gdlab.least_squares`, with the line's MSE).  Here, :func:`minibatch_descent`
estimates each step's gradient from a few observations at a time, and
:func:`minibatch_gradient` is one such estimate and :class:`MiniBatchGradient`
the sequence of them that :func:`gdlab.descend` takes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ._validate import as_data_vector, as_seed, as_step_count
from .descent import DescentRun, descend
from .features import as_design
from .least_squares import FeatureMSE

__all__ = [
    "MiniBatchGradient",
    "MiniBatchRun",
    "minibatch_descent",
    "minibatch_gradient",
]


@dataclass(frozen=True, eq=False)
class MiniBatchRun(DescentRun):
    """The path of one run of mini-batch descent: a :class:`gdlab.DescentRun` and its batches.

    ``losses`` is the loss on *all* the data at each row of ``params`` (what
    the run is really minimising; each update only saw one batch).  The
    status has the meanings of :class:`gdlab.DescentRun`; a run takes every
    update it was given unless it diverges (``"max_steps"``).

    Attributes
    ----------
    batch_size : int
    updates_per_epoch : int
        ``ceil(n / batch_size)``: one epoch is one pass over the data.
    """

    batch_size: int = 1
    updates_per_epoch: int = 1

    @property
    def epochs(self) -> np.ndarray:
        """The epoch (passes over the data, fractional) at each row of ``params``."""
        return np.arange(len(self.params)) / self.updates_per_epoch


class MiniBatchGradient:
    """The gradient of one batch per update: shuffled batches, epoch after epoch (lesson 09).

    A way of computing the gradient for :func:`gdlab.descend`, not another
    engine: ``gradient(theta, step)`` is :func:`minibatch_gradient` on the
    rows of update ``step`` (1, 2, …).  Each epoch shuffles the rows (seeded)
    and cuts them into batches of ``batch_size``; the last may be smaller.

    Examples
    --------
    >>> X = [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]
    >>> source = MiniBatchGradient(X, [1.0, 3.0, 5.0, 7.0], batch_size=4)
    >>> source([0.0, 0.0], step=1)                # a batch of all rows: the full gradient
    array([-17.,  -8.])
    """

    def __init__(self, X, y, batch_size: int, seed=0):
        self.surface = FeatureMSE(X, y)
        n = self.surface.n
        batch_size = as_step_count(batch_size, "batch_size")
        if not 1 <= batch_size <= n:
            raise ValueError(f"batch_size must be from 1 to n = {n}; got {batch_size}")
        self.batch_size = batch_size
        self.updates_per_epoch = -(-n // batch_size)
        self._rng = np.random.default_rng(as_seed(seed))
        self._orders: list[np.ndarray] = []

    def rows(self, step: int) -> np.ndarray:
        """The row numbers of update ``step``'s batch."""
        epoch, batch = divmod(step - 1, self.updates_per_epoch)
        while len(self._orders) <= epoch:
            self._orders.append(self._rng.permutation(self.surface.n))
        first = batch * self.batch_size
        return self._orders[epoch][first : first + self.batch_size]

    def __call__(self, theta, step: int) -> np.ndarray:
        return minibatch_gradient(
            self.surface.X, self.surface.y, theta, self.rows(step)
        )


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
    rule=None,
) -> MiniBatchRun:
    """Descent where each update uses the gradient of one batch (lesson 09).

    Each epoch shuffles the rows (seeded) and cuts them into batches of
    ``batch_size`` (the last one may be smaller); each batch gives one
    update, by default θ ← θ − η·∇L_batch(θ).  ``batch_size = n`` is plain
    (full-batch) gradient descent, ``batch_size = 1`` is stochastic gradient
    descent.  It is :func:`gdlab.descend` with a :class:`MiniBatchGradient`,
    taking every update (no early stop).

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
    divergence_factor : float
        As in :func:`gdlab.descend`.
    rule : update rule, optional
        As in :func:`gdlab.descend` (lesson 10).

    Returns
    -------
    MiniBatchRun

    Examples
    --------
    >>> X = [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]]
    >>> run = minibatch_descent(X, [1.0, 3.0, 5.0, 7.0], [0.0, 0.0], 0.05, batch_size=2, epochs=3)
    >>> run.params.shape, run.updates_per_epoch, run.status
    ((7, 2), 2, 'max_steps')
    """
    source = MiniBatchGradient(X, y, batch_size, seed)
    epochs = as_step_count(epochs, "epochs")
    run = descend(
        source.surface,
        start,
        learning_rate,
        steps=epochs * source.updates_per_epoch,
        rule=rule,
        tolerance=None,
        divergence_factor=divergence_factor,
        gradient=source,
    )
    fields = {f.name: getattr(run, f.name) for f in dataclasses.fields(DescentRun)}
    return MiniBatchRun(
        **fields,
        batch_size=source.batch_size,
        updates_per_epoch=source.updates_per_epoch,
    )
