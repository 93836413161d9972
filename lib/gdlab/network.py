"""A small neural network, its backpropagation and its loss landscape: lesson 12.

One hidden layer of ``H`` tanh units between ``d`` inputs and one output::

    h = tanh(X·W₁ + b₁)        X (n, d), W₁ (d, H), b₁ (H,): the hidden layer
    ŷ = h·W₂ + b₂              W₂ (H, 1), b₂ (1,): the output

and the loss ``L = (1/n) Σ (ŷ_i − y_i)²``, the MSE of lesson 03.  All the
weights, flattened in the order W₁, b₁, W₂, b₂, are one parameter vector θ,
so gradient descent and every update rule of :mod:`gdlab.rules` walk on
:class:`NetworkMSE` like on any other surface.  :func:`backprop` is the chain
rule of lesson 04 applied layer by layer.  Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_data_vector, as_finite_number, as_seed, as_whole_number
from .data import Observations
from .surfaces import Surface

__all__ = [
    "NetworkMSE",
    "TanhNetwork",
    "backprop",
    "filter_normalised_direction",
    "make_wave",
]


def _t(matrix):
    """The transpose of the last two axes (a stack of matrices transposes one by one)."""
    return np.swapaxes(matrix, -1, -2)


def backprop(X, y, W1, b1, W2, b2):
    """The gradient of the MSE of the one-hidden-layer tanh network, by the chain rule.

    Going backwards from the loss: ``dL/dŷ = 2(ŷ − y)/n``; the output
    layer's ``dW₂ = hᵀ·dL/dŷ`` and ``db₂ = Σ dL/dŷ``; back through W₂,
    ``dL/dh = dL/dŷ·W₂ᵀ``; through tanh, whose derivative is ``1 − h²``,
    ``dL/dz = dL/dh ⊙ (1 − h²)``; and the hidden layer's ``dW₁ = Xᵀ·dL/dz``,
    ``db₁ = Σ dL/dz``.  Each gradient has the shape of its weight.  Lesson 12.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,)
    W1, b1, W2, b2 : arrays of shapes (d, H), (H,), (H, 1), (1,)

    Returns
    -------
    tuple of arrays
        ``(dW1, db1, dW2, db2)``, shaped like ``(W1, b1, W2, b2)``.

    Examples
    --------
    >>> X, y = np.array([[0.0], [1.0]]), np.array([1.0, -1.0])
    >>> W1, b1, W2, b2 = np.ones((1, 2)), np.zeros(2), np.ones((2, 1)), np.zeros(1)
    >>> [np.round(g, 4).tolist() for g in backprop(X, y, W1, b1, W2, b2)]
    [[[1.0597, 1.0597]], [0.0597, 0.0597], [[1.9216], [1.9216]], [1.5232]]
    """
    X = np.asarray(X, dtype=float)
    hidden = np.tanh(X @ W1 + b1)
    output = hidden @ W2 + b2
    d_output = 2.0 * (output - np.asarray(y, dtype=float)[:, None]) / X.shape[0]
    d_W2 = _t(hidden) @ d_output
    d_b2 = d_output.sum(axis=-2)
    d_hidden = d_output @ _t(W2)
    d_z = d_hidden * (1.0 - hidden * hidden)
    d_W1 = X.T @ d_z
    d_b1 = d_z.sum(axis=-2)
    return d_W1, d_b1, d_W2, d_b2


@dataclass(frozen=True)
class TanhNetwork:
    """The shapes of a network with ``n_inputs`` inputs, ``n_hidden`` tanh units, one output.

    It turns a flat θ into the four weight arrays and back, and runs the
    network.  θ holds W₁ (row by row), b₁, W₂, b₂: ``d·H + H + H + 1``
    numbers.  Lesson 12.

    Examples
    --------
    >>> net = TanhNetwork(n_inputs=1, n_hidden=3)
    >>> net.n_parameters
    10
    >>> theta = net.initial(seed=0)
    >>> np.allclose(net.pack(*net.unpack(theta)), theta)
    True
    >>> net.predict(np.zeros(net.n_parameters), [[0.5], [2.0]]).tolist()
    [0.0, 0.0]
    """

    n_inputs: int = 1
    n_hidden: int = 4

    def __post_init__(self):
        as_whole_number(self.n_inputs, "n_inputs", low=1)
        as_whole_number(self.n_hidden, "n_hidden", low=1)

    @property
    def n_parameters(self) -> int:
        return (self.n_inputs + 2) * self.n_hidden + 1

    def unpack(self, theta):
        """``(W1, b1, W2, b2)`` from θ; leading axes of a stack of θ are kept."""
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.n_parameters:
            raise ValueError(
                f"theta must have {self.n_parameters} numbers on its last axis for "
                f"{self.n_inputs} input(s) and {self.n_hidden} hidden units; got shape {theta.shape}"
            )
        d, h, lead = self.n_inputs, self.n_hidden, theta.shape[:-1]
        cuts = np.cumsum([d * h, h, h])
        W1, b1, W2, b2 = np.split(theta, cuts, axis=-1)
        return W1.reshape(*lead, d, h), b1, W2.reshape(*lead, h, 1), b2

    def pack(self, W1, b1, W2, b2) -> np.ndarray:
        """θ from the four arrays (the inverse of :meth:`unpack`)."""
        lead = np.shape(b1)[:-1]
        parts = [np.reshape(a, (*lead, -1)) for a in (W1, b1, W2, b2)]
        return np.concatenate(parts, axis=-1)

    def initial(self, seed=None, scale: float = 1.0) -> np.ndarray:
        """Seeded random weights (normal, W₁ scaled by 1/√d and W₂ by 1/√H), zero biases."""
        rng = np.random.default_rng(as_seed(seed))
        d, h = self.n_inputs, self.n_hidden
        W1 = rng.normal(size=(d, h)) * scale / np.sqrt(d)
        W2 = rng.normal(size=(h, 1)) * scale / np.sqrt(h)
        return self.pack(W1, np.zeros(h), W2, np.zeros(1))

    def hidden(self, theta, X) -> np.ndarray:
        """The hidden units' values ``tanh(X·W₁ + b₁)``, shape (…, n, H)."""
        W1, b1, _, _ = self.unpack(theta)
        return np.tanh(_as_inputs(X, self.n_inputs) @ W1 + b1[..., None, :])

    def predict(self, theta, X) -> np.ndarray:
        """The output ŷ for each row of X, shape (…, n)."""
        _, _, W2, b2 = self.unpack(theta)
        return (self.hidden(theta, X) @ W2)[..., 0] + b2

    def permute(self, theta, order) -> np.ndarray:
        """θ with the hidden units renumbered by ``order``: the same function, another θ."""
        order = np.asarray(order)
        if sorted(order.tolist()) != list(range(self.n_hidden)):
            raise ValueError(
                f"order must be a permutation of 0..{self.n_hidden - 1}; got {order.tolist()}"
            )
        W1, b1, W2, b2 = self.unpack(theta)
        return self.pack(W1[..., order], b1[..., order], W2[..., order, :], b2)

    def flip(self, theta, signs) -> np.ndarray:
        """θ with the units where ``signs`` is −1 turned over: tanh(−z) = −tanh(z), so the same function."""
        signs = np.asarray(signs, dtype=float)
        if signs.shape != (self.n_hidden,) or not np.all(np.abs(signs) == 1):
            raise ValueError(f"signs must be {self.n_hidden} numbers, each 1 or −1")
        W1, b1, W2, b2 = self.unpack(theta)
        return self.pack(W1 * signs, b1 * signs, W2 * signs[:, None], b2)


def _as_inputs(X, d) -> np.ndarray:
    inputs = np.asarray(X, dtype=float)
    if inputs.ndim == 1 and d == 1:
        inputs = inputs[:, None]
    if inputs.ndim != 2 or inputs.shape[1] != d:
        raise ValueError(f"X must have shape (n, {d}); got {inputs.shape}")
    return inputs


class NetworkMSE(Surface):
    """The MSE of a :class:`TanhNetwork` on data ``X, y``, over its flat θ.

    A Surface like any other: :func:`gdlab.descend` trains the network with
    any update rule of :mod:`gdlab.rules`, and ``hessian`` (the base class's
    central differences of the gradient) finds saddles.  The loss still to
    lose (``gap``) is taken to be the loss itself: the MSE is never
    negative, and the lowest value is not known.  Lesson 12.

    Examples
    --------
    >>> data = make_wave(n=20, seed=0)
    >>> surface = NetworkMSE(TanhNetwork(1, 3), data.x, data.y)
    >>> theta = surface.network.initial(seed=1)
    >>> from gdlab.calculus import numerical_gradient
    >>> bool(np.allclose(surface.gradient(theta), numerical_gradient(surface.loss, theta), atol=1e-7))
    True
    """

    def __init__(self, network: TanhNetwork, X, y):
        if not isinstance(network, TanhNetwork):
            raise TypeError(
                f"network must be a TanhNetwork; got {type(network).__name__}"
            )
        self.network = network
        self.X = _as_inputs(X, network.n_inputs)
        self.y = as_data_vector(y, "y")
        if self.y.size != self.X.shape[0]:
            raise ValueError(
                f"X and y must have the same number of rows; got {self.X.shape[0]} and {self.y.size}"
            )
        d, h = network.n_inputs, network.n_hidden
        names = [f"W1[{i},{j}]" for i in range(d) for j in range(h)]
        names += (
            [f"b1[{j}]" for j in range(h)] + [f"W2[{j}]" for j in range(h)] + ["b2"]
        )
        self.parameter_names = tuple(names)

    def _loss(self, params):
        residual = self.network.predict(params, self.X) - self.y
        return np.mean(residual * residual, axis=-1)

    def _gradient(self, params):
        W1, b1, W2, b2 = self.network.unpack(params)
        grads = backprop(self.X, self.y, W1, b1[..., None, :], W2, b2[..., None, :])
        d_W1, d_b1, d_W2, d_b2 = grads
        return self.network.pack(d_W1, d_b1, d_W2, d_b2)

    def gap(self, theta):
        """The loss itself: an upper bound on what is left to lose (the MSE is ≥ 0)."""
        return self.loss(theta)

    def evaluate(self, theta):
        loss = float(self._loss(theta))
        return loss, self._gradient(theta), loss

    def window(self):
        return tuple((-3.0, 3.0) for _ in self.parameter_names)

    def critical_points(self):
        """Not known in closed form: there are many (lesson 12 finds some)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"NetworkMSE(n={self.y.size}, hidden={self.network.n_hidden})"


def filter_normalised_direction(network: TanhNetwork, theta, seed=None) -> np.ndarray:
    """A random direction in θ-space, each unit's weights scaled like θ's (Li et al., 2018).

    A Gaussian direction d, then for every unit (each hidden unit's incoming
    weights, a column of W₁, and the output's incoming weights W₂) that block
    of d is rescaled to the norm of the same block of θ.  So a step of size 1
    along d changes every unit by as much as its own size, whatever the scale
    of its weights.  The biases' part of d is 0.  Lesson 12.

    Examples
    --------
    >>> net = TanhNetwork(1, 2)
    >>> theta = net.pack([[3.0, -0.5]], [0.1, 0.2], [[1.0], [2.0]], [0.0])
    >>> W1, b1, W2, b2 = net.unpack(filter_normalised_direction(net, theta, seed=0))
    >>> np.abs(W1).round(4).tolist(), b1.tolist(), round(float(np.linalg.norm(W2)), 4)
    ([[3.0, 0.5]], [0.0, 0.0], 2.2361)
    """
    if not isinstance(network, TanhNetwork):
        raise TypeError(f"network must be a TanhNetwork; got {type(network).__name__}")
    rng = np.random.default_rng(as_seed(seed))
    W1, _, W2, _ = network.unpack(theta)
    d_W1 = rng.normal(size=W1.shape)
    d_W2 = rng.normal(size=W2.shape)
    d_W1 *= np.linalg.norm(W1, axis=0) / np.linalg.norm(d_W1, axis=0)
    d_W2 *= np.linalg.norm(W2) / np.linalg.norm(d_W2)
    zeros = np.zeros(network.n_hidden)
    return network.pack(d_W1, zeros, d_W2, np.zeros(1))


def make_wave(n: int = 40, noise: float = 0.1, seed=None) -> Observations:
    """Seeded observations of a wave, ``y = sin(2x) + noise``, x in [−2, 2]: a curve no line fits.

    ``noise`` is the standard deviation of the normal noise added to each y.
    Lesson 12.

    Examples
    --------
    >>> data = make_wave(n=5, noise=0.0, seed=0)
    >>> bool(np.allclose(data.y, np.sin(2 * data.x)))
    True
    """
    n = as_whole_number(n, "n", low=2)
    noise = as_finite_number(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be 0 or more (a standard deviation); got {noise}")
    rng = np.random.default_rng(as_seed(seed))
    x = np.sort(rng.uniform(-2.0, 2.0, n))
    y = np.sin(2.0 * x) + noise * rng.normal(size=n)
    return Observations(x, y, name="a wave")
