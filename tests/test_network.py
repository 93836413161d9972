"""Lesson 12's network (gdlab.network) and its checkers (checks.network_checks).

Backprop is checked against central differences of the loss, computed here
with a forward pass written out independently (loops over units), on several
shapes of network; the symmetries and the saddle against their derivations.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import gdlab
from gdlab import checks

GENERIC = "Not yet right for case"


def _loss_by_loops(X, y, W1, b1, W2, b2):
    total = 0.0
    for row, target in zip(X, y):
        out = b2[0]
        for j in range(W1.shape[1]):
            out += W2[j, 0] * math.tanh(
                sum(row[k] * W1[k, j] for k in range(len(row))) + b1[j]
            )
        total += (out - target) ** 2
    return total / len(y)


@pytest.mark.parametrize(
    "d, h, n, seed", [(1, 3, 10, 0), (2, 3, 7, 1), (3, 2, 5, 2), (1, 1, 4, 3)]
)
def test_backprop_agrees_with_finite_differences_of_an_independent_loss(d, h, n, seed):
    rng = np.random.default_rng(seed)
    net = gdlab.TanhNetwork(d, h)
    X, y = rng.normal(size=(n, d)), rng.normal(size=n)
    theta = rng.normal(size=net.n_parameters)

    def loss(t):
        return _loss_by_loops(X, y, *net.unpack(t))

    numeric = np.array(
        [
            (loss(theta + e * 1e-6) - loss(theta - e * 1e-6)) / 2e-6
            for e in np.eye(net.n_parameters)
        ]
    )
    exact = net.pack(*gdlab.backprop(X, y, *net.unpack(theta)))
    assert np.allclose(exact, numeric, rtol=1e-6, atol=1e-8)
    surface = gdlab.NetworkMSE(net, X, y)
    assert np.isclose(surface.loss(theta), loss(theta))
    assert np.allclose(surface.gradient(theta), exact)


def test_the_surface_takes_a_stack_of_theta():
    data = gdlab.make_wave(n=12, seed=3)
    net = gdlab.TanhNetwork(1, 3)
    surface = gdlab.NetworkMSE(net, data.x, data.y)
    stack = np.random.default_rng(4).normal(size=(2, 5, net.n_parameters))
    losses, gradients = surface.loss(stack), surface.gradient(stack)
    assert losses.shape == (2, 5) and gradients.shape == stack.shape
    assert np.isclose(losses[1, 3], surface.loss(stack[1, 3]))
    assert np.allclose(gradients[1, 3], surface.gradient(stack[1, 3]))


def test_permutations_and_sign_flips_keep_the_function():
    data = gdlab.make_wave(n=15, seed=5)
    net = gdlab.TanhNetwork(1, 3)
    theta = np.random.default_rng(6).normal(size=net.n_parameters)
    prediction = net.predict(theta, data.x[:, None])
    copies = set()
    for order in itertools.permutations(range(3)):
        for signs in itertools.product((1, -1), repeat=3):
            other = net.flip(net.permute(theta, order), signs)
            assert np.allclose(net.predict(other, data.x[:, None]), prediction)
            copies.add(tuple(np.round(other, 12)))
    assert len(copies) == 48  # all different weight vectors


def test_zero_weights_are_a_saddle_with_eigenvalues_plus_minus_c():
    data = gdlab.make_wave(n=30, seed=9)
    for h in (1, 2, 4):
        net = gdlab.TanhNetwork(1, h)
        surface = gdlab.NetworkMSE(net, data.x, data.y)
        point = net.pack(
            np.zeros((1, h)), np.zeros(h), np.zeros((h, 1)), [data.y.mean()]
        )
        assert np.abs(surface.gradient(point)).max() < 1e-15
        c = abs(2 * np.mean((data.y - data.y.mean()) * data.x))
        expected = np.sort(np.r_[[-c] * h, [0.0] * h, [c] * h, 2.0])
        assert np.allclose(
            np.linalg.eigvalsh(surface.hessian(point)), expected, atol=1e-6
        )
        assert (
            gdlab.classify_critical_point(surface.hessian(point), tolerance=1e-6)
            == "saddle"
        )


def test_filter_normalised_blocks_have_the_weights_norms():
    net = gdlab.TanhNetwork(2, 4)
    theta = np.random.default_rng(0).normal(size=net.n_parameters) * 3
    d = gdlab.filter_normalised_direction(net, theta, seed=5)
    W1, _b1, W2, _ = net.unpack(theta)
    dW1, db1, dW2, db2 = net.unpack(d)
    assert np.allclose(np.linalg.norm(dW1, axis=0), np.linalg.norm(W1, axis=0))
    assert np.isclose(np.linalg.norm(dW2), np.linalg.norm(W2))
    assert not db1.any() and not db2.any()
    assert not np.allclose(d, gdlab.filter_normalised_direction(net, theta, seed=6))


def test_training_with_each_rule_lowers_the_loss_below_the_line():
    data = gdlab.make_wave(n=40, seed=0)
    net = gdlab.TanhNetwork(1, 3)
    surface = gdlab.NetworkMSE(net, data.x, data.y)
    line = gdlab.LinearMSE(data.x, data.y).minimum_loss
    for rule, eta in [
        (gdlab.GradientDescent(), 0.1),
        (gdlab.Momentum(0.9), 0.01),
        (gdlab.Adam(), 0.02),
    ]:
        run = gdlab.descend(
            surface, net.initial(seed=0), eta, steps=3000, rule=rule, tolerance=None
        )
        assert run.losses[-1] < line / 20


def test_bad_input_is_refused_by_name():
    net = gdlab.TanhNetwork(1, 3)
    with pytest.raises(ValueError, match="theta must have 10"):
        net.unpack(np.zeros(9))
    with pytest.raises(ValueError, match="order must be a permutation"):
        net.permute(np.zeros(10), [0, 0, 1])
    with pytest.raises(ValueError, match="signs"):
        net.flip(np.zeros(10), [1, 2, 1])
    with pytest.raises(ValueError, match="X must have shape"):
        gdlab.NetworkMSE(net, np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(TypeError, match="TanhNetwork"):
        gdlab.NetworkMSE("net", [1.0], [1.0])
    with pytest.raises(TypeError, match="TanhNetwork"):
        gdlab.filter_normalised_direction("net", np.zeros(10))
    with pytest.raises(ValueError, match="noise"):
        gdlab.make_wave(noise=-1.0)


# --- the checkers ---------------------------------------------------------------


def stub(*args):
    raise NotImplementedError


def _named(feedback, phrase):
    assert not feedback.passed and not feedback.not_yet, feedback.message
    assert GENERIC not in feedback.message, feedback.message
    assert phrase in feedback.message, (phrase, feedback.message)


def _learner(
    derivative=True,
    transpose_w1=False,
    transpose_w2=False,
    db1=True,
    db2=True,
    factor=2.0,
    mean=True,
):
    def backprop(X, y, W1, b1, W2, b2):
        h = np.tanh(X @ W1 + b1)
        d_out = factor * (h @ W2 + b2 - y[:, None]) / (len(y) if mean else 1)
        d_h = d_out @ (W2 if transpose_w2 else W2.T)
        d_z = d_h * (1 - h**2) if derivative else d_h
        d_W1 = d_z.T @ X if transpose_w1 else X.T @ d_z
        return (
            d_W1,
            d_z.sum(axis=0) if db1 else np.zeros(3),
            h.T @ d_out,
            d_out.sum(axis=0) if db2 else np.zeros(1),
        )

    return backprop


def test_backprop_checker_passes_the_right_answer_and_stub_is_not_yet():
    assert checks.check_backprop(_learner()).passed
    assert checks.check_backprop(stub).not_yet


@pytest.mark.parametrize(
    "options, phrase",
    [
        ({"derivative": False}, "activation's derivative is missing"),
        ({"transpose_w1": True}, "dW1 is transposed"),
        ({"transpose_w2": True}, "not transposed on the way back"),
        ({"db1": False, "db2": False}, "bias gradients are missing"),
        ({"db1": False}, "db1 is missing"),
        ({"db2": False}, "db2 is missing"),
        ({"factor": -2.0}, "sign is flipped"),
        ({"factor": 1.0}, "factor 2"),
        ({"mean": False}, "n times too large"),
    ],
)
def test_backprop_checker_names_each_mistake(options, phrase):
    _named(checks.check_backprop(_learner(**options)), phrase)


def _right_pass(theta, batches, learning_rate, gradient):
    for batch in batches:
        theta = theta - learning_rate * gradient(theta, batch)
    return theta


def _accumulating_pass(theta, batches, learning_rate, gradient):
    grad = 0
    for batch in batches:
        grad += gradient(theta, batch)  # never reset: the batches' gradients pile up
        theta = theta - learning_rate * grad
    return theta


def _stale_pass(theta, batches, learning_rate, gradient):
    grads = [gradient(theta, batch) for batch in batches]
    for g in grads:
        theta = theta - learning_rate * g
    return theta


def _mean_pass(theta, batches, learning_rate, gradient):
    return theta - learning_rate * np.mean(
        [gradient(theta, b) for b in batches], axis=0
    )


def _restart_pass(theta, batches, learning_rate, gradient):
    for batch in batches:
        new = theta - learning_rate * gradient(theta, batch)
    return new


def _uphill_pass(theta, batches, learning_rate, gradient):
    for batch in batches:
        theta = theta + learning_rate * gradient(theta, batch)
    return theta


def test_pass_checker_passes_the_right_answer_and_stub_is_not_yet():
    assert checks.check_minibatch_pass(_right_pass).passed
    assert checks.check_minibatch_pass(stub).not_yet


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (_accumulating_pass, "accumulated across batches"),
        (_stale_pass, "starting θ"),
        (_mean_pass, "mean of the batches' gradients"),
        (_restart_pass, "only the last batch"),
        (_uphill_pass, "uphill"),
    ],
)
def test_pass_checker_names_each_mistake(wrong, phrase):
    _named(checks.check_minibatch_pass(wrong), phrase)
