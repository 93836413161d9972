"""The math core: formulas, closed forms, stability and descent outcomes."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gdlab
from gdlab import LinearMSE, Parabola, Saddle, TwoValleys

# Data that a lesson could meet: moderate sizes, some spread in x.
finite = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)


@st.composite
def datasets(draw, min_size=2, max_size=30):
    n = draw(st.integers(min_size, max_size))
    x = np.array(draw(st.lists(finite, min_size=n, max_size=n)))
    y = np.array(draw(st.lists(finite, min_size=n, max_size=n)))
    assume(np.ptp(x) > 1e-3)
    return x, y


params = st.floats(min_value=-20, max_value=20, allow_nan=False, allow_infinity=False)


@st.composite
def well_conditioned_datasets(draw):
    """Data whose MSE bowl is not too elongated, so descent ends in a practical number of steps."""
    n = draw(st.integers(3, 30))
    unit = np.array(draw(st.lists(st.floats(-1, 1), min_size=n, max_size=n)))
    assume(np.ptp(unit) >= 1)
    x = draw(st.floats(-3, 3)) + draw(st.floats(1, 20)) * unit
    y = np.array(draw(st.lists(finite, min_size=n, max_size=n)))
    low, high = np.linalg.eigvalsh(gdlab.mse_hessian(x))
    assume(high / low < 500)
    return x, y


def direct_mse(x, y, m, b):
    return float(np.mean((y - (m * x + b)) ** 2))


class TestObservations:
    def test_shape_dtype_and_pairs(self):
        obs = gdlab.make_observations(
            n=50, slope=2.0, intercept=1.0, noise=1.0, x_range=(0.0, 10.0), seed=0
        )
        assert obs.x.shape == obs.y.shape == (50,)
        assert obs.x.dtype == obs.y.dtype == np.float64
        assert len(obs) == 50
        assert obs[7] == (obs.x[7], obs.y[7])
        assert list(obs)[3] == obs[3]

    def test_same_seed_same_data_other_seed_other_data(self):
        first = gdlab.make_observations(seed=5)
        again = gdlab.make_observations(seed=5)
        other = gdlab.make_observations(seed=6)
        assert np.array_equal(first.x, again.x) and np.array_equal(first.y, again.y)
        assert not np.array_equal(first.y, other.y)

    def test_seed_zero_reproduces_known_values(self):
        # PCG64 is specified bit for bit; these are the first draws for seed 0.
        rng = np.random.default_rng(0)
        x = np.sort(rng.uniform(0, 10, 3))
        obs = gdlab.make_observations(n=3, seed=0)
        assert np.array_equal(obs.x, x)

    def test_x_inside_range_and_noise_free_data_on_the_line(self):
        obs = gdlab.make_observations(
            n=200, slope=-3.0, intercept=4.0, noise=0.0, x_range=(-2.0, 5.0), seed=1
        )
        assert obs.x.min() >= -2.0 and obs.x.max() <= 5.0
        np.testing.assert_allclose(obs.y, -3.0 * obs.x + 4.0)

    def test_noise_level_is_the_standard_deviation(self):
        obs = gdlab.make_observations(n=20000, noise=2.0, seed=3)
        residuals = obs.y - (2.0 * obs.x + 1.0)
        assert abs(residuals.std() - 2.0) < 0.05

    def test_arrays_are_read_only_copies(self):
        x = np.array([1.0, 2.0])
        obs = gdlab.Observations(x, [3.0, 4.0])
        x[0] = 99.0
        assert obs.x[0] == 1.0
        with pytest.raises(ValueError):
            obs.x[0] = 5.0

    def test_anscombe_quartet_shares_one_best_fit(self):
        quartet = gdlab.anscombe_quartet()
        assert sorted(quartet) == ["I", "II", "III", "IV"]
        for obs in quartet.values():
            m, b = gdlab.best_fit(obs.x, obs.y)
            assert len(obs) == 11
            assert m == pytest.approx(0.500, abs=0.001)
            assert b == pytest.approx(3.00, abs=0.01)
            assert obs.x.mean() == pytest.approx(9.0)
            assert obs.y.mean() == pytest.approx(7.50, abs=0.01)


class TestFormulas:
    def test_predict(self):
        np.testing.assert_array_equal(
            gdlab.predict(np.array([0.0, 1.0, 2.0]), 2.0, 1.0), [1.0, 3.0, 5.0]
        )
        assert gdlab.predict(2.0, 3.0, -1.0) == 5.0

    def test_mse_is_mean_of_squares_not_sum_and_not_unsquared(self):
        y = np.array([1.0, 2.0, 3.0, 4.0])
        y_hat = np.array([2.0, 2.0, 1.0, 4.0])
        # residuals 1 - 2 = -1, 0, 2, 0: squares 1, 0, 4, 0
        assert gdlab.mse(y, y_hat) == 5.0 / 4.0

    def test_mse_of_cancelling_residuals_is_positive(self):
        # The notes' unsquared formula (erratum 1) gives 0 here.
        assert gdlab.mse([0.0, 0.0], [1.0, -1.0]) == 1.0

    def test_gradient_hand_computed(self):
        # x = (0, 1, 2), y = (1, 1, 4), m = 1, b = 0: residuals (1, 0, 2)
        # dL/dm = -(2/3)(0·1 + 1·0 + 2·2) = -8/3, dL/db = -(2/3)(1 + 0 + 2) = -2
        gradient = gdlab.mse_gradient([0.0, 1.0, 2.0], [1.0, 1.0, 4.0], 1.0, 0.0)
        np.testing.assert_allclose(gradient, [-8.0 / 3.0, -2.0])

    @settings(max_examples=150, deadline=None)
    @given(datasets(), params, params)
    def test_gradient_matches_central_differences(self, data, m, b):
        x, y = data
        h = 1e-5 * (1 + abs(m) + abs(b))
        numeric = np.array(
            [
                (direct_mse(x, y, m + h, b) - direct_mse(x, y, m - h, b)) / (2 * h),
                (direct_mse(x, y, m, b + h) - direct_mse(x, y, m, b - h)) / (2 * h),
            ]
        )
        analytic = gdlab.mse_gradient(x, y, m, b)
        scale = 1 + np.abs(analytic).max() + direct_mse(x, y, m, b)
        np.testing.assert_allclose(analytic, numeric, atol=1e-6 * scale)

    @settings(max_examples=150, deadline=None)
    @given(datasets(), params, params)
    def test_surface_matches_direct_loss_and_gradient(self, data, m, b):
        x, y = data
        surface = LinearMSE(x, y)
        direct = direct_mse(x, y, m, b)
        assert surface.loss([m, b]) == pytest.approx(direct, rel=1e-9, abs=1e-9)
        np.testing.assert_allclose(
            surface.gradient([m, b]),
            gdlab.mse_gradient(x, y, m, b),
            rtol=1e-8,
            atol=1e-8 * (1 + direct),
        )

    @settings(max_examples=150, deadline=None)
    @given(datasets())
    def test_best_fit_matches_polyfit(self, data):
        x, y = data
        m, b = gdlab.best_fit(x, y)
        m_ref, b_ref = np.polyfit(x, y, 1)
        scale = 1 + np.abs(y).max()
        assert m == pytest.approx(m_ref, abs=1e-7 * scale / max(np.ptp(x), 1e-3))
        assert b == pytest.approx(
            b_ref, abs=1e-6 * scale * (1 + np.abs(x).max() / max(np.ptp(x), 1e-3))
        )

    @settings(max_examples=100, deadline=None)
    @given(datasets())
    def test_gradient_is_zero_at_the_best_fit(self, data):
        x, y = data
        m, b = gdlab.best_fit(x, y)
        gradient = gdlab.mse_gradient(x, y, m, b)
        assert np.abs(gradient).max() <= 1e-9 * (1 + np.abs(x).max()) * (
            1 + np.abs(y).max()
        )

    def test_best_fit_needs_two_distinct_x(self):
        with pytest.raises(
            ValueError, match="x must contain at least two distinct values"
        ):
            gdlab.best_fit([3.0, 3.0, 3.0], [1.0, 2.0, 3.0])

    @settings(max_examples=100, deadline=None)
    @given(datasets())
    def test_hessian_is_twice_the_moment_matrix(self, data):
        x, _ = data
        expected = 2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
        np.testing.assert_allclose(gdlab.mse_hessian(x), expected)
        rate = gdlab.critical_learning_rate(x)
        assert rate == pytest.approx(2 / np.linalg.eigvalsh(expected).max())

    def test_critical_learning_rate_examples_from_erratum_9(self):
        wide = gdlab.make_observations(n=200, x_range=(0.0, 100.0), seed=0).x
        narrow = gdlab.make_observations(n=200, x_range=(0.0, 1.0), seed=0).x
        # Far below the 0.01 that suits x in [0, 1]: this data diverges at 0.01.
        assert 2e-4 < gdlab.critical_learning_rate(wide) < 4e-4
        assert gdlab.critical_learning_rate(narrow) == pytest.approx(0.79, abs=0.06)


class TestLossSurface:
    def test_layout_matches_contour_convention(self):
        x, y = np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 2.0])
        m_values, b_values = np.linspace(-1, 2, 4), np.linspace(0, 1, 3)
        grid = gdlab.loss_surface(x, y, m_values, b_values)
        assert grid.shape == (3, 4)
        for j, b in enumerate(b_values):
            for i, m in enumerate(m_values):
                assert grid[j, i] == pytest.approx(direct_mse(x, y, m, b), rel=1e-12)

    @settings(max_examples=60, deadline=None)
    @given(datasets(), st.integers(1, 12), st.integers(1, 12))
    def test_equals_direct_computation_point_for_point(self, data, rows, cols):
        x, y = data
        m_values = np.linspace(-10, 10, cols)
        b_values = np.linspace(-30, 30, rows)
        grid = gdlab.loss_surface(x, y, m_values, b_values)
        direct = np.mean(
            (y - (m_values[None, :, None] * x + b_values[:, None, None])) ** 2, axis=-1
        )
        np.testing.assert_allclose(
            grid, direct, rtol=1e-9, atol=1e-9 * (1 + np.abs(y).max() ** 2)
        )

    @pytest.mark.parametrize("offset", [1e6, 1e8])
    def test_stable_when_y_is_far_from_zero(self, offset):
        obs = gdlab.make_observations(n=40, seed=4)
        y = obs.y + offset
        m_star, b_star = gdlab.best_fit(obs.x, y)
        m_values = m_star + np.array([-1e-3, 0.0, 2e-3])
        b_values = b_star + np.array([-1e-2, 0.0, 5e-3])
        grid = gdlab.loss_surface(obs.x, y, m_values, b_values)
        xs = [Fraction(v) for v in obs.x]
        ys = [Fraction(v) for v in y]
        for j, b in enumerate(b_values):
            for i, m in enumerate(m_values):
                fm, fb = Fraction(m), Fraction(b)
                exact = sum((yi - (fm * xi + fb)) ** 2 for xi, yi in zip(xs, ys)) / len(
                    xs
                )
                assert grid[j, i] == pytest.approx(float(exact), rel=1e-9)

    def test_naive_expanded_quadratic_would_fail_that_test(self):
        # Keeps the test above honest: the textbook expansion really does lose the digits.
        obs = gdlab.make_observations(n=40, seed=4)
        x, y = obs.x, obs.y + 1e8
        m, b = gdlab.best_fit(x, y)
        naive = (
            np.mean(y * y)
            - 2 * m * np.mean(x * y)
            - 2 * b * np.mean(y)
            + m * m * np.mean(x * x)
            + 2 * m * b * np.mean(x)
            + b * b
        )
        exact = float(gdlab.LinearMSE(x, y).minimum_loss)
        assert abs(naive - exact) / exact > 1e-3

    def test_does_not_depend_on_n_per_grid_point(self):
        # O(1) per grid point: the surface object holds a few numbers, not the data.
        surface = LinearMSE(np.arange(1000.0), np.arange(1000.0) * 2)
        stats = [v for k, v in vars(surface).items() if k.startswith("_")]
        assert all(np.ndim(v) == 0 for v in stats)


class TestDescent:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.filter_too_much],
    )
    @given(well_conditioned_datasets(), params, params, st.floats(0.3, 0.95))
    def test_below_the_critical_rate_converges_to_best_fit(
        self, data, m0, b0, fraction
    ):
        x, y = data
        rate = fraction * gdlab.critical_learning_rate(x)
        run = gdlab.gradient_descent(
            x, y, start=(m0, b0), learning_rate=rate, steps=400_000, tolerance=1e-9
        )
        assert run.status == "converged"
        # Converged means L − L* <= tolerance·(L₀ − L*); L − L* from polyfit's
        # minimum and the Hessian, not from the library.
        m, b = np.polyfit(x, y, 1)
        hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])

        def gap(theta):
            d = np.asarray(theta) - (m, b)
            return 0.5 * d @ hessian @ d

        assert gap(run.final) <= 1e-9 * gap((m0, b0)) * 1.001 + 1e-20
        # ... and every parameter is within √tolerance of the start's own offset
        # (plus √tolerance of the map): not only the loss, θ itself has arrived.
        widths = np.array([high - low for low, high in gdlab.LinearMSE(x, y).window()])
        start_offset = np.abs(np.subtract((m0, b0), (m, b)))

        def settled(theta, slack):
            bound = 10**-4.5 * (start_offset + 10**-4.5 * widths)
            return np.all(np.abs(np.subtract(theta, (m, b))) <= bound * slack + 1e-12)

        assert settled(run.final, 1.001)
        if (
            run.steps_taken
        ):  # the step before had not converged, by one rule or the other
            previous = run.params[-2]
            assert gap(previous) > 1e-9 * gap((m0, b0)) * 0.999 or not settled(
                previous, 0.999
            )

    @settings(max_examples=40, deadline=None)
    @given(datasets(min_size=3), st.floats(1.02, 1.5))
    def test_just_above_the_critical_rate_diverges(self, data, factor):
        x, y = data
        m, b = gdlab.best_fit(x, y)
        rate = factor * gdlab.critical_learning_rate(x)
        # Start off the minimum along the steepest direction, so the unstable mode is excited.
        direction = np.linalg.eigh(gdlab.mse_hessian(x))[1][:, -1]
        start = (m + direction[0], b + direction[1])
        run = gdlab.gradient_descent(
            x, y, start=start, learning_rate=rate, steps=100_000
        )
        assert run.status == "diverged"
        assert (
            run.diverged_at is not None
            and np.isfinite(run.params).all()
            and np.isfinite(run.losses).all()
        )

    def test_path_shape_start_and_update_rule(self):
        x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 4.0])
        run = gdlab.gradient_descent(
            x, y, start=(0.5, -1.0), learning_rate=0.05, steps=7
        )
        assert run.params.shape == (8, 2) and run.losses.shape == (8,)
        assert tuple(run.params[0]) == (0.5, -1.0)
        for before, after in zip(run.params[:-1], run.params[1:]):
            expected = before - 0.05 * gdlab.mse_gradient(x, y, *before)
            np.testing.assert_allclose(after, expected, rtol=1e-12)
        np.testing.assert_allclose(
            run.losses, [direct_mse(x, y, *p) for p in run.params], rtol=1e-12
        )
        assert run.status == "max_steps"

    def test_zero_steps_and_start_at_minimum(self):
        x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0])
        assert gdlab.gradient_descent(x, y, (0.0, 0.0), 0.1, 0).params.shape == (1, 2)
        run = gdlab.gradient_descent(x, y, (2.0, 1.0), 0.1, 50)
        assert run.status == "converged" and run.steps_taken == 0

    def test_divergence_keeps_the_finite_path_and_warns_nothing(self):
        obs = gdlab.make_observations(n=30, x_range=(0.0, 100.0), seed=2)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            run = gdlab.gradient_descent(
                obs.x, obs.y, (0.0, 0.0), learning_rate=1e6, steps=10_000
            )
        assert run.status == "diverged"
        assert np.isfinite(run.params).all() and np.isfinite(run.losses).all()
        assert run.steps_taken <= run.diverged_at

    def test_overflow_to_infinity_is_reported_not_raised(self):
        # A learning rate so large that the second iterate overflows float64.
        run = gdlab.descend(Parabola(1.0), [1e150], learning_rate=1e200, steps=5)
        assert run.status == "diverged" and run.diverged_at == 1
        assert run.params.shape == (1, 1)

    def test_generic_engine_on_a_parabola_matches_the_closed_form(self):
        # θ_k = (1 − η a)^k θ_0 on L = a θ²/2.
        run = gdlab.descend(
            Parabola(curvature=3.0), [2.0], learning_rate=0.1, steps=10, tolerance=1e-12
        )
        np.testing.assert_allclose(run.params[:, 0], 2.0 * 0.7 ** np.arange(11))

    def test_parabola_bound_is_two_over_curvature(self):
        surface = Parabola(curvature=4.0)
        assert surface.critical_learning_rate() == 0.5
        assert gdlab.descend(surface, [1.0], 0.49, 5000).status == "converged"
        assert gdlab.descend(surface, [1.0], 0.51, 5000).status == "diverged"

    def test_saddle_start_on_axis_stalls_elsewhere_escapes(self):
        on_axis = gdlab.descend(
            Saddle(), [1.5, 0.0], learning_rate=0.1, steps=2000, tolerance=1e-12
        )
        assert on_axis.status == "converged"
        np.testing.assert_allclose(on_axis.final, [0.0, 0.0], atol=1e-5)
        off_axis = gdlab.descend(Saddle(), [1.5, 1e-3], learning_rate=0.1, steps=2000)
        assert off_axis.status == "diverged"
        assert abs(off_axis.final[1]) > 1e3

    def test_two_valleys_start_decides_destination(self):
        surface = TwoValleys()
        minima = [p for p in surface.critical_points() if p.kind == "minimum"]
        left = gdlab.descend(surface, [-0.5, 1.0], 0.05, 5000, tolerance=1e-12)
        right = gdlab.descend(surface, [0.5, 1.0], 0.05, 5000, tolerance=1e-12)
        np.testing.assert_allclose(left.final, minima[0].point, atol=1e-5)
        np.testing.assert_allclose(right.final, minima[1].point, atol=1e-5)
        assert minima[0].loss < minima[1].loss

    def test_descend_checks_its_surface(self):
        with pytest.raises(TypeError, match="surface must be a gdlab Surface"):
            gdlab.descend(object(), [0.0, 0.0], 0.1, 10)

    def test_start_where_loss_is_not_finite(self):
        with pytest.raises(ValueError, match="start"):
            gdlab.descend(Parabola(1.0), [1e300], 0.1, 10)


class TestSurfaces:
    @pytest.mark.parametrize(
        "surface", [Saddle(2.0, 0.5), TwoValleys(0.4), LinearMSE([0, 1, 3], [1, 0, 2])]
    )
    def test_gradient_matches_finite_differences(self, surface):
        rng = np.random.default_rng(0)
        for theta in rng.uniform(-1.5, 1.5, size=(10, 2)):
            h = 1e-6
            numeric = [
                (surface.loss(theta + e) - surface.loss(theta - e)) / (2 * h)
                for e in np.eye(2) * h
            ]
            np.testing.assert_allclose(
                surface.gradient(theta), numeric, rtol=1e-6, atol=1e-6
            )

    def test_grid_broadcasts_and_matches_pointwise(self):
        surface = TwoValleys()
        first, second = np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)
        grid = surface.grid(first, second)
        assert grid.shape == (3, 5)
        assert grid[2, 1] == surface.loss([first[1], second[2]])

    def test_critical_points_have_zero_gradient_and_right_kinds(self):
        for surface, kinds in [
            (Saddle(), ["saddle"]),
            (TwoValleys(), ["minimum", "saddle", "minimum"]),
        ]:
            points = surface.critical_points()
            assert [p.kind for p in points] == kinds
            for p in points:
                np.testing.assert_allclose(surface.gradient(p.point), 0.0, atol=1e-10)

    def test_known_critical_points_or_none_when_not_known(self):
        obs = gdlab.make_observations(n=12, seed=3)
        classes = gdlab.make_classes(n=20, seed=2, separable=True, gap=2.0)
        knowing = [
            Saddle(),
            TwoValleys(),
            LinearMSE(obs.x, obs.y),
            gdlab.CrossEntropy(classes.x, classes.y),  # knows it has none
        ]
        for surface in knowing:
            assert surface.known_critical_points() == surface.critical_points()
        assert gdlab.CrossEntropy(classes.x, classes.y).known_critical_points() == []

        class Unknowing(gdlab.Surface):
            def _loss(self, theta):
                return (theta**2).sum(axis=-1)

        assert Unknowing().known_critical_points() is None

    def test_classify_degenerate_and_maximum(self):
        assert gdlab.classify_critical_point([[1.0, 0.0], [0.0, 0.0]]) == "degenerate"
        assert gdlab.classify_critical_point([[-1.0, 0.2], [0.2, -3.0]]) == "maximum"

    def test_window_contains_the_minimum_for_any_data(self):
        for seed, (lo, hi) in enumerate([(0, 1), (0, 100), (-50, -40), (1e3, 1e3 + 5)]):
            obs = gdlab.make_observations(
                n=30, slope=-7.0, intercept=300.0, x_range=(lo, hi), seed=seed
            )
            surface = LinearMSE(obs.x, obs.y)
            (m_lo, m_hi), (b_lo, b_hi) = surface.window()
            m, b = surface.minimum
            assert m_lo < m < m_hi and b_lo < b < b_hi
            # the window's corner is visibly higher than the bottom
            assert surface.loss([m_hi, b_hi]) > 2 * surface.minimum_loss
