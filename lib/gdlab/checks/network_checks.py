"""Tables for lesson 12: one backpropagation, and one pass of mini-batch steps.

Backprop's cases have two inputs and three hidden units, so W₁ is not square
and its transpose puts the numbers in another order; residuals of both signs;
pre-activations large enough that tanh' = 1 − h² is far from 1.  The pass's
cases use three batches, so a gradient carried over from one batch to the
next, or taken at the old θ, gives other numbers than the right steps.
"""

from __future__ import annotations

import numpy as np

from ..network import NetworkMSE, TanhNetwork, backprop
from .engine import Exercise, Mistake, Problem, run_check

__all__ = ["check_backprop", "check_minibatch_pass"]


def _backprop_case(seed, n):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * 1.5
    y = rng.normal(size=n)
    W1 = rng.normal(size=(2, 3))
    b1 = rng.normal(size=3) * 0.5
    W2 = rng.normal(size=(3, 1))
    b2 = rng.normal(size=1)
    return (X, y, W1, b1, W2, b2)


_BACKPROP_CASES = (_backprop_case(1, 5), _backprop_case(2, 4), _backprop_case(3, 7))
_NAMES = ("dW1", "db1", "dW2", "db2")


def _read_gradients(value):
    """Four arrays, each the size of its weight, read as one vector."""
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        raise Problem(
            f"Your function returned a {type(value).__name__}; return four arrays, (dW1, db1, dW2, db2), "
            "one gradient per weight array, in that order."
        )
    sizes = (6, 3, 3, 1)
    parts = []
    for name, part, size in zip(_NAMES, value, sizes):
        array = np.asarray(part, dtype=float)
        if array.size != size:
            raise Problem(
                f"Your {name} has {array.size} numbers; it must have the shape of its weight ({size} numbers here). "
                "Sum over the observations (axis 0) where a weight is shared by all of them."
            )
        parts.append(array.ravel())
    return np.concatenate(parts)


def _forward(X, y, W1, b1, W2, b2):
    z = X @ W1 + b1
    hidden = np.tanh(z)
    d_output = 2.0 * (hidden @ W2 + b2 - y[:, None]) / len(y)
    return z, hidden, d_output


def _variant(
    *, derivative="1 - h^2", transpose=False, bias=(True, True), scale=1.0, mean=True
):
    """A backprop with one thing changed, written as a learner would write it."""

    def wrong(X, y, W1, b1, W2, b2):
        z, hidden, d_output = _forward(X, y, W1, b1, W2, b2)
        d_output = scale * d_output * (1 if mean else len(y))
        d_hidden = d_output @ (W2 if transpose == "W2" else W2.T)
        slope = {"1 - h^2": 1 - hidden**2, "none": 1.0, "1 - z^2": 1 - z**2}[derivative]
        d_z = d_hidden * slope
        d_W1 = d_z.T @ X if transpose == "W1" else X.T @ d_z
        d_b1 = d_z.sum(axis=0) if bias[0] else np.zeros_like(b1)
        d_b2 = d_output.sum(axis=0) if bias[1] else np.zeros_like(b2)
        return d_W1, d_b1, hidden.T @ d_output, d_b2

    return wrong


# fmt: off
_BACKPROP_MISTAKES = (
    (("the activation's derivative is missing: on the way back through tanh, multiply dL/dh by tanh'(z) = 1 − h² "
     "(h the hidden values) before going on to W₁ and b₁."), _variant(derivative="none")),
    (("you used 1 − z² for the derivative of tanh, with z = X·W₁ + b₁ before the activation; it is 1 − tanh(z)² = 1 − h², "
     "with the hidden values h after it."), _variant(derivative="1 - z^2")),
    ("dW1 is transposed: it must have W₁'s shape, (inputs, hidden units). It is Xᵀ·dL/dz, not (dL/dz)ᵀ·X.",
     _variant(transpose="W1")),
    (("the weights are not transposed on the way back: dL/dh = dL/dŷ · W₂ᵀ (W2.T). Going backwards through a layer "
     "multiplies by the transpose of its weights."), _variant(transpose="W2")),
    (("the bias gradients are missing (zeros): a bias gets the sum over the observations of the gradient arriving at its "
     "layer, db1 = Σ dL/dz and db2 = Σ dL/dŷ."), _variant(bias=(False, False))),
    ("the hidden layer's bias gradient db1 is missing (zeros): it is the sum over the observations of dL/dz, axis 0.",
     _variant(bias=(False, True))),
    ("the output bias gradient db2 is missing (zero): it is the sum over the observations of dL/dŷ.",
     _variant(bias=(True, False))),
    ("the sign is flipped: dL/dŷ = 2(ŷ − y)/n, prediction minus target, for L = (1/n) Σ (ŷ − y)².",
     _variant(scale=-1.0)),
    ("every gradient is half the right size: the factor 2 from differentiating the square is missing, dL/dŷ = 2(ŷ − y)/n.",
     _variant(scale=0.5)),
)
# fmt: on


def _sum_not_mean(cases, answers) -> bool:
    """Every gradient n times too large: no division by n."""
    return all(
        np.allclose(a, len(c[1]) * _read_gradients(backprop(*c)), rtol=1e-7, atol=1e-9)
        for c, a in zip(cases, answers)
    )


BACKPROP = Exercise(
    "Backpropagation",
    cases=_BACKPROP_CASES,
    right=backprop,
    read=_read_gradients,
    mistakes=tuple(
        Mistake("Not yet right: " + text, wrong=w) for text, w in _BACKPROP_MISTAKES
    )
    + (
        Mistake(
            "Not yet right: every gradient is n times too large: the loss is a mean, so dL/dŷ = 2(ŷ − y)/n. Divide by n.",
            fits=_sum_not_mean,
            wrong=_variant(mean=False),
        ),
        Mistake(
            "Not yet right: you called gdlab's backprop, which this exercise asks you to write yourself, "
            "step by step from the loss backwards.",
            wrong=lambda X, y, W1, b1, W2, b2: backprop(X, y, W1, b1, W2, b2),
            uses=("backprop", "NetworkMSE"),
        ),
    ),
    success=f"All four gradients are right on all {len(_BACKPROP_CASES)} test cases (2 inputs, 3 hidden units).",
    hint="Go backwards: dL/dŷ = 2(ŷ − y)/n; dW2 = hᵀ·dL/dŷ; dL/dh = dL/dŷ·W₂ᵀ; dL/dz = dL/dh·(1 − h²); dW1 = Xᵀ·dL/dz; each bias gets the sum over rows.",
)


def check_backprop(fn):
    """Check a learner's ``fn(X, y, W1, b1, W2, b2) -> (dW1, db1, dW2, db2)`` (lesson 12).

    Examples
    --------
    >>> def my_backprop(X, y, W1, b1, W2, b2):
    ...     h = np.tanh(X @ W1 + b1)
    ...     d_out = 2 * (h @ W2 + b2 - y[:, None]) / len(y)
    ...     d_z = (d_out @ W2.T) * (1 - h**2)
    ...     return X.T @ d_z, d_z.sum(axis=0), h.T @ d_out, d_out.sum(axis=0)
    >>> check_backprop(my_backprop).passed
    True
    >>> def no_derivative(X, y, W1, b1, W2, b2):
    ...     h = np.tanh(X @ W1 + b1)
    ...     d_out = 2 * (h @ W2 + b2 - y[:, None]) / len(y)
    ...     d_z = d_out @ W2.T
    ...     return X.T @ d_z, d_z.sum(axis=0), h.T @ d_out, d_out.sum(axis=0)
    >>> print(check_backprop(no_derivative).message)  # doctest: +ELLIPSIS
    Not yet right: the activation's derivative is missing...
    """
    return run_check(BACKPROP, fn)


# --- one pass of mini-batch steps ---------------------------------------------


def _pass_case(seed, n, batch_size, learning_rate):
    rng = np.random.default_rng(seed)
    net = TanhNetwork(1, 2)
    x = rng.uniform(-2, 2, n)
    y = np.sin(2 * x) + 0.1 * rng.normal(size=n)
    surface = NetworkMSE(net, x, y)

    def gradient(theta, batch):
        """The MSE's gradient over the rows in ``batch`` only."""
        return NetworkMSE(net, surface.X[batch], surface.y[batch]).gradient(theta)

    order = rng.permutation(n)
    batches = tuple(order[i : i + batch_size] for i in range(0, n, batch_size))
    return (net.initial(seed=seed), batches, learning_rate, gradient)


_PASS_CASES = (
    _pass_case(4, 12, 4, 0.3),
    _pass_case(5, 15, 5, 0.2),
    _pass_case(6, 9, 3, 0.5),
)


def _right_pass(theta, batches, learning_rate, gradient):
    for batch in batches:
        theta = theta - learning_rate * gradient(theta, batch)
    return theta


def _accumulated(theta, batches, learning_rate, gradient):
    total = np.zeros_like(theta)
    for batch in batches:
        total = total + gradient(theta, batch)
        theta = theta - learning_rate * total
    return theta


def _stale(theta, batches, learning_rate, gradient):
    start = theta
    for batch in batches:
        theta = theta - learning_rate * gradient(start, batch)
    return theta


def _one_step(combine):
    def wrong(theta, batches, learning_rate, gradient):
        return theta - learning_rate * combine(
            [gradient(theta, b) for b in batches], axis=0
        )

    return wrong


def _from_start(theta, batches, learning_rate, gradient):
    start = theta
    for batch in batches:
        theta = start - learning_rate * gradient(start, batch)
    return theta


def _uphill(theta, batches, learning_rate, gradient):
    for batch in batches:
        theta = theta + learning_rate * gradient(theta, batch)
    return theta


def _read_theta(value):
    array = (
        np.asarray(value, dtype=float) if not isinstance(value, (str, bytes)) else None
    )
    if array is None or array.shape != (7,):
        raise Problem(
            "Your function must return θ after the pass: one array, the same shape as theta."
        )
    if not np.isfinite(array).all():
        raise Problem("Your function returned NaN or infinity.")
    return array


# fmt: off
_PASS_MISTAKES = (
    (("the gradient is accumulated across batches: each step used the sum of this batch's gradient and all the earlier "
     "ones. Each batch's step uses that batch's gradient alone (reset it, or do not keep a running total)."), _accumulated),
    (("every batch's gradient was taken at the starting θ (the same as one step with their sum): take each at the "
      "current θ, the one the previous step left."), _stale),
    ("you took one step with the mean of the batches' gradients: that is one full-batch step, not a step per batch.",
     _one_step(np.mean)),
    (("each step started again from the θ you were given, so only the last batch's step is left: update θ itself, and "
     "let the next batch start from there."), _from_start),
    ("the steps go uphill: θ ← θ − η·∇L_B(θ), with a minus.", _uphill),
)
# fmt: on
MINIBATCH_PASS = Exercise(
    "One pass of mini-batch steps",
    cases=_PASS_CASES,
    right=_right_pass,
    read=_read_theta,
    mistakes=tuple(
        Mistake("Not yet right: " + text, wrong=w) for text, w in _PASS_MISTAKES
    ),
    array=True,
    success=f"Right on all {len(_PASS_CASES)} test cases: one step per batch, each with that batch's gradient at the current θ.",
    hint="Loop over the batches; in the loop, compute gradient(theta, batch) at the current theta and step once.",
    describe=lambda case: f"a pass over {len(case[1])} batches with η = {case[2]}",
)


def check_minibatch_pass(fn):
    """Check a learner's ``fn(theta, batches, learning_rate, gradient)`` (lesson 12).

    Examples
    --------
    >>> def one_pass(theta, batches, learning_rate, gradient):
    ...     for batch in batches:
    ...         theta = theta - learning_rate * gradient(theta, batch)
    ...     return theta
    >>> check_minibatch_pass(one_pass).passed
    True
    """
    return run_check(MINIBATCH_PASS, fn)
