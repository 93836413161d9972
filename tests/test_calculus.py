"""Finite differences: right on known derivatives, central beats forward, bad input refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdlab
from gdlab.calculus import finite_difference, level_curve_points, numerical_gradient


class TestFiniteDifference:
    def test_forward_on_a_parabola_is_off_by_h(self):
        # (f(x+h) - f(x)) / h = 2x + h for f = x²: the error is exactly h.
        assert finite_difference(
            lambda t: t * t, 2.0, h=0.25, kind="forward"
        ) == pytest.approx(4.25)

    def test_central_on_a_parabola_is_exact(self):
        assert finite_difference(lambda t: t * t, 2.0, h=0.25) == pytest.approx(
            4.0, abs=1e-12
        )

    @pytest.mark.parametrize("x", [-1.3, 0.0, 0.7, 2.0])
    def test_sine(self, x):
        assert finite_difference(math.sin, x, h=1e-5) == pytest.approx(
            math.cos(x), abs=1e-9
        )

    def test_central_error_shrinks_as_h_squared_forward_as_h(self):
        exact = math.exp(1.0)
        errors = {
            kind: [
                abs(finite_difference(math.exp, 1.0, h=h, kind=kind) - exact)
                for h in (1e-2, 1e-3)
            ]
            for kind in ("forward", "central")
        }
        assert errors["forward"][0] / errors["forward"][1] == pytest.approx(
            10, rel=0.05
        )
        assert errors["central"][0] / errors["central"][1] == pytest.approx(
            100, rel=0.05
        )
        assert errors["central"][0] < errors["forward"][0] / 100

    def test_bad_kind(self):
        with pytest.raises(ValueError, match="kind must be 'central' or 'forward'"):
            finite_difference(math.sin, 0.0, kind="backward")

    @pytest.mark.parametrize("h", [0.0, -1e-3, float("nan")])
    def test_bad_step(self, h):
        with pytest.raises(ValueError, match="h must be"):
            finite_difference(math.sin, 0.0, h=h)

    def test_not_callable(self):
        with pytest.raises(TypeError, match="f must be a function"):
            finite_difference(3.0, 0.0)

    def test_bad_x(self):
        with pytest.raises(TypeError, match="x must be a real number"):
            finite_difference(math.sin, "1")


class TestNumericalGradient:
    def test_matches_the_mse_gradient(self):
        obs = gdlab.make_observations(n=20, seed=4)

        def loss(theta):
            return gdlab.mse(obs.y, gdlab.predict(obs.x, theta[0], theta[1]))

        for m, b in [(0.0, 0.0), (1.2, -3.0), (2.5, 4.0)]:
            numeric = numerical_gradient(loss, [m, b], h=1e-5)
            np.testing.assert_allclose(
                numeric, gdlab.mse_gradient(obs.x, obs.y, m, b), rtol=1e-7, atol=1e-7
            )

    def test_partial_moves_one_parameter_only(self):
        calls = []

        def f(theta):
            calls.append(theta.copy())
            return float(theta[0] * theta[1])

        numerical_gradient(f, [2.0, 3.0], h=0.5)
        moved = [int(np.count_nonzero(c - np.array([2.0, 3.0]))) for c in calls]
        assert moved == [1, 1, 1, 1]

    def test_forward_kind(self):
        gradient = numerical_gradient(lambda t: t[0] ** 2, [1.0], h=0.1, kind="forward")
        assert gradient.tolist() == pytest.approx([2.1])

    def test_does_not_change_theta(self):
        theta = np.array([1.0, 2.0])
        numerical_gradient(lambda t: float(np.sum(t**2)), theta)
        assert theta.tolist() == [1.0, 2.0]

    def test_bad_theta(self):
        with pytest.raises(ValueError, match="theta must be a 1-D array"):
            numerical_gradient(lambda t: 0.0, [[1.0, 2.0]])


class TestLevelCurvePoints:
    def test_points_lie_on_the_level_of_the_mse(self):
        obs = gdlab.make_observations(n=15, seed=5)
        surface = gdlab.LinearMSE(obs.x, obs.y)
        level = surface.minimum_loss + 3.0
        points = level_curve_points(surface.loss, surface.minimum, level, count=12)
        assert points.shape == (12, 2)
        np.testing.assert_allclose(surface.loss(points), level, rtol=1e-10)

    def test_ellipse(self):
        f = lambda t: ((t[0] - 1.0) / 3.0) ** 2 + (t[1] + 1.0) ** 2
        points = level_curve_points(f, (1.0, -1.0), 1.0, count=2)
        np.testing.assert_allclose(points, [[4.0, -1.0], [-2.0, -1.0]], atol=1e-9)

    def test_level_below_the_bottom(self):
        with pytest.raises(ValueError, match="level must be above"):
            level_curve_points(lambda t: float(t @ t) + 1.0, (0.0, 0.0), 0.5)

    def test_never_reached(self):
        with pytest.raises(ValueError, match="does not reach level"):
            level_curve_points(
                lambda t: float(np.tanh(t @ t)), (0.0, 0.0), 2.0, count=1
            )

    def test_bad_count(self):
        with pytest.raises(ValueError, match="count must be"):
            level_curve_points(lambda t: float(t @ t), (0.0, 0.0), 1.0, count=0)
