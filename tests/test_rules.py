"""Update rules (gdlab.rules) and the one engine that runs them (gdlab.descend).

Every path is checked against a loop written here, by hand, from the
textbook equations; every stated stability bound against runs on random
quadratics just below and just above it.
"""

import numpy as np
import pytest

import gdlab
from gdlab.least_squares import FeatureMSE, LinearMSE
from gdlab.rules import (
    Adam,
    GradientDescent,
    Momentum,
    Nesterov,
    RMSProp,
    critical_rate_for,
    rule_name,
)
from gdlab.toy_surfaces import Saddle, TwoValleys

from .learner_rules import HeavyBall


def hand_loop(gradient, start, eta, steps, rule):
    """The textbook equations, one rule at a time, with nothing shared with gdlab."""
    theta = np.array(start, dtype=float)
    v = np.zeros_like(theta)
    s = np.zeros_like(theta)
    path = [theta.copy()]
    for t in range(1, steps + 1):
        if isinstance(rule, GradientDescent):
            theta = theta - eta * gradient(theta)
        elif isinstance(rule, Momentum):
            v = rule.beta * v - eta * gradient(theta)
            theta = theta + v
        elif isinstance(rule, Nesterov):
            v = rule.beta * v - eta * gradient(theta + rule.beta * v)
            theta = theta + v
        elif isinstance(rule, RMSProp):
            g = gradient(theta)
            s = rule.decay * s + (1 - rule.decay) * g * g
            theta = theta - eta * g / (np.sqrt(s) + rule.eps)
        elif isinstance(rule, Adam):
            g = gradient(theta)
            v = rule.beta1 * v + (1 - rule.beta1) * g
            s = rule.beta2 * s + (1 - rule.beta2) * g * g
            v_hat = v / (1 - rule.beta1**t)
            s_hat = s / (1 - rule.beta2**t)
            theta = theta - eta * v_hat / (np.sqrt(s_hat) + rule.eps)
        path.append(theta.copy())
    return np.array(path)


def line_gradient(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)

    def gradient(theta):
        m, b = theta
        residual = y - (m * x + b)
        return np.array([-2 * np.mean(x * residual), -2 * np.mean(residual)])

    return gradient


RULES = [GradientDescent(), Momentum(0.9), Nesterov(0.8), RMSProp(0.9), Adam()]
LINE_X = [0.0, 1.0, 2.0, 3.0, 4.0]
LINE_Y = [1.2, 2.9, 5.1, 7.2, 8.8]
SURFACES = [
    # (surface, its gradient written by hand, start, learning rate)
    (LinearMSE(LINE_X, LINE_Y), line_gradient(LINE_X, LINE_Y), [0.0, 0.0], 0.02),
    (Saddle(1.0, 1.0), lambda t: np.array([t[0], -t[1]]), [1.5, 1e-3], 0.1),
    (
        TwoValleys(0.3),
        lambda t: np.array([4 * t[0] * (t[0] ** 2 - 1) + 0.3, t[1]]),
        [0.2, 1.0],
        0.05,
    ),
]


class TestPathsEqualTheEquations:
    @pytest.mark.parametrize("rule", RULES, ids=rule_name)
    @pytest.mark.parametrize("case", range(len(SURFACES)))
    def test_path(self, rule, case):
        surface, gradient, start, eta = SURFACES[case]
        run = gdlab.descend(surface, start, eta, steps=40, rule=rule, tolerance=None)
        expected = hand_loop(gradient, start, eta, run.steps_taken, rule)
        assert run.steps_taken > 0
        np.testing.assert_allclose(run.params, expected, rtol=0, atol=1e-12)

    def test_a_learner_rule_is_momentum(self):
        surface = LinearMSE(LINE_X, LINE_Y)
        mine = gdlab.descend(surface, [0, 0], 0.02, 300, rule=HeavyBall(0.7))
        built_in = gdlab.descend(surface, [0, 0], 0.02, 300, rule=Momentum(0.7))
        assert mine.status == built_in.status == "converged"
        np.testing.assert_allclose(mine.params, built_in.params, atol=1e-12)
        assert rule_name(mine.rule) == "heavy ball"

    def test_default_rule_is_plain_descent(self):
        run = gdlab.descend(gdlab.Parabola(1.0), [2.0], 0.5, 3)
        assert isinstance(run.rule, GradientDescent)
        np.testing.assert_allclose(run.params.ravel(), [2, 1, 0.5, 0.25])


def random_quadratic(rng, p):
    """A FeatureMSE whose Hessian 2XᵀX/n has eigenvalues spread over [0.1, 1]·λ_max."""
    q, _ = np.linalg.qr(rng.normal(size=(p, p)))
    curvatures = rng.uniform(0.1, 1.0, size=p) * rng.uniform(0.5, 20)
    curvatures[0] = curvatures.max() * 1.0  # keep λ_max a single, clear value
    X = np.sqrt(p / 2) * np.diag(np.sqrt(curvatures)) @ q.T
    return FeatureMSE(X, rng.normal(size=p))


class TestStabilityBounds:
    @pytest.mark.parametrize(
        "rule",
        [GradientDescent(), Momentum(0.5), Momentum(0.9), Nesterov(0.5), Nesterov(0.9)],
        ids=repr,
    )
    @pytest.mark.parametrize("seed", range(4))
    def test_bound_separates(self, rule, seed):
        rng = np.random.default_rng(seed)
        surface = random_quadratic(rng, p=int(rng.integers(2, 5)))
        hessian = surface.hessian()
        bound = critical_rate_for(rule, hessian)
        top = np.linalg.eigvalsh(hessian)[-1]
        assert bound == pytest.approx(
            {
                GradientDescent: 2 / top,
                Momentum: 2 * (1 + getattr(rule, "beta", 0)) / top,
                Nesterov: 2
                * (1 + getattr(rule, "beta", 0))
                / ((1 + 2 * getattr(rule, "beta", 0)) * top),
            }[type(rule)]
        )
        start = np.asarray(surface.minimum) + rng.normal(size=surface.n_parameters)
        below = gdlab.descend(surface, start, 0.95 * bound, 20_000, rule=rule)
        above = gdlab.descend(surface, start, 1.05 * bound, 20_000, rule=rule)
        assert below.status == "converged"
        assert above.status == "diverged"

    def test_adaptive_rules_state_no_bound(self):
        hessian = np.diag([4.0, 1.0])
        assert critical_rate_for(Adam(), hessian) is None
        assert critical_rate_for(RMSProp(), hessian) is None
        assert Adam().bound is None and Momentum().bound == "2(1+β)/λ_max"

    def test_no_bound_when_nothing_curves_up(self):
        assert Momentum(0.9).critical_rate([[-1.0, 0.0], [0.0, -2.0]]) is None

    def test_learner_rule_without_bound(self):
        class Mine:
            def start(self, theta):
                return None

            def step(self, theta, gradient, learning_rate, state):
                return theta - learning_rate * gradient(theta), state

        assert critical_rate_for(Mine(), np.eye(2)) is None


class TestAdamBiasCorrection:
    def test_first_step_moves_each_parameter_by_eta(self):
        # Without the division by (1 − β₁ᵗ) and (1 − β₂ᵗ) step 1 would move by
        # η·0.1/√0.001 ≈ 3.16·η; with it, by η·g/|g| = η.
        rule = Adam()
        theta, _ = rule.step(
            np.array([3.0, -2.0]),
            lambda t: np.array([50.0, -0.01]),
            0.1,
            rule.start([0, 0]),
        )
        np.testing.assert_allclose(theta, [2.9, -1.9], atol=1e-6)


class TestBadRules:
    def test_rule_that_raises_is_named_with_its_step(self):
        class Broken:
            name = "my rule"

            def start(self, theta):
                return 0

            def step(self, theta, gradient, learning_rate, state):
                if state == 2:
                    raise ZeroDivisionError("division by zero")
                return theta - learning_rate * gradient(theta), state + 1

        with pytest.raises(
            gdlab.RuleError, match=r"'my rule' raised ZeroDivisionError at step 3"
        ):
            gdlab.descend(gdlab.Parabola(1.0), [2.0], 0.1, 10, rule=Broken())

    def test_wrong_shape_is_named(self):
        class Flat:
            def start(self, theta):
                return None

            def step(self, theta, gradient, learning_rate, state):
                return float(theta[0]), state

        with pytest.raises(
            gdlab.RuleError, match=r"'Flat' returned shape \(\) at step 1.*shape \(2,\)"
        ):
            gdlab.descend(Saddle(), [1.0, 0.5], 0.1, 10, rule=Flat())

    def test_rule_that_returns_no_pair(self):
        class NoState:
            def start(self, theta):
                return None

            def step(self, theta, gradient, learning_rate, state):
                return theta - learning_rate * gradient(theta)

        with pytest.raises(gdlab.RuleError, match="NoState"):
            gdlab.descend(gdlab.Parabola(1.0), [2.0], 0.1, 10, rule=NoState())

    def test_nan_is_a_diverged_outcome(self):
        class Poison:
            def start(self, theta):
                return None

            def step(self, theta, gradient, learning_rate, state):
                return theta * np.nan, state

        run = gdlab.descend(gdlab.Parabola(1.0), [2.0], 0.1, 10, rule=Poison())
        assert run.status == "diverged" and run.diverged_at == 1
        assert np.isfinite(run.params).all()

    @pytest.mark.parametrize("bad", [Momentum, "adam", object()])
    def test_not_a_rule(self, bad):
        with pytest.raises(TypeError, match="rule must"):
            gdlab.descend(gdlab.Parabola(1.0), [2.0], 0.1, 10, rule=bad)

    @pytest.mark.parametrize("beta", [-0.1, 1.0, 1.5, float("nan")])
    def test_bad_beta(self, beta):
        with pytest.raises(ValueError, match="beta must be from 0"):
            Momentum(beta)

    def test_bad_eps(self):
        with pytest.raises(ValueError, match="eps"):
            Adam(eps=0.0)


class TestMiniBatchIsAGradient:
    def setup_method(self):
        rng = np.random.default_rng(3)
        x = rng.uniform(-2, 2, 30)
        self.X = np.column_stack([x, np.ones_like(x)])
        self.y = 2 * x + 1 + rng.normal(0, 0.3, 30)

    def test_full_batch_is_plain_descent(self):
        run = gdlab.minibatch_descent(
            self.X, self.y, [0, 0], 0.05, batch_size=30, epochs=50
        )
        plain = gdlab.descend(
            FeatureMSE(self.X, self.y), [0, 0], 0.05, 50, tolerance=None
        )
        np.testing.assert_allclose(run.params, plain.params, atol=1e-12)
        assert run.status == plain.status == "max_steps"

    def test_batches_by_hand(self):
        run = gdlab.minibatch_descent(
            self.X, self.y, [0, 0], 0.05, batch_size=7, epochs=2, seed=5
        )
        rng = np.random.default_rng(5)
        theta, path = np.zeros(2), [np.zeros(2)]
        for _ in range(2):
            order = rng.permutation(30)
            for first in range(0, 30, 7):
                rows = order[first : first + 7]
                g = (
                    2
                    / rows.size
                    * self.X[rows].T
                    @ (self.X[rows] @ theta - self.y[rows])
                )
                theta = theta - 0.05 * g
                path.append(theta)
        np.testing.assert_allclose(run.params, path, atol=1e-12)
        assert run.updates_per_epoch == 5
        np.testing.assert_allclose(run.epochs[-1], 2.0)

    def test_minibatch_with_momentum(self):
        run = gdlab.minibatch_descent(
            self.X, self.y, [0, 0], 0.02, batch_size=10, epochs=30, rule=Momentum(0.8)
        )
        assert isinstance(run.rule, Momentum)
        assert run.losses[-1] < 0.05 * run.losses[0]


class TestSweepRunsRules:
    @pytest.mark.parametrize(
        "rule", [GradientDescent(), Momentum(0.8), Nesterov(0.5), Adam()], ids=repr
    )
    def test_sweep_equals_descend(self, rule):
        surface = LinearMSE(LINE_X, LINE_Y)
        rates = [0.01, 0.05, 0.1, 0.2, 0.5]
        sweep = gdlab.learning_rate_sweep(
            surface, rates, [0, 0], max_steps=800, rule=rule
        )
        for rate, steps, status in zip(rates, sweep.steps, sweep.statuses):
            run = gdlab.descend(surface, [0, 0], rate, 800, rule=rule)
            assert status == run.status
            if status == "converged":
                assert steps == run.steps_taken


def test_a_stochastic_run_from_the_minimum_is_not_diverged():
    # The gap at the minimum is 0: a divergence bound of 10⁸ times the gap alone
    # would call the first noisy step "diverged".  The loss itself sets the scale.
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, 40)
    X = np.column_stack([x, np.ones_like(x)])
    y = 3 * x - 1 + rng.normal(0, 0.5, 40)
    best = FeatureMSE(X, y).minimum
    run = gdlab.minibatch_descent(X, y, best, 0.1, batch_size=1, epochs=3)
    assert run.status == "max_steps" and run.steps_taken == 120
    assert np.isfinite(run.losses).all()
