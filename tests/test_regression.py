"""The vector-θ least-squares surface, design matrices and the learning-rate sweep."""

from __future__ import annotations

import gdlab
import numpy as np
import pytest
from gdlab import (
    FeatureMSE,
    design_matrix,
    learning_rate_sweep,
    predict_features,
    standardize,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


def _data(seed, n=12, degree=2, low=-2.0, high=3.0):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(low, high, n))
    y = 1.0 - 2.0 * x + 0.5 * x**2 + rng.normal(0, 0.3, n)
    return x, y, design_matrix(x, degree)


class TestDesignMatrix:
    def test_columns_are_increasing_powers_with_ones_first(self):
        X = design_matrix([2.0, -1.0], degree=3)
        assert X.tolist() == [[1, 2, 4, 8], [1, -1, 1, -1]]

    def test_degree_zero_is_a_column_of_ones(self):
        assert design_matrix([5.0, 7.0], 0).tolist() == [[1.0], [1.0]]

    def test_matches_numpy_vander_increasing(self):
        x = np.linspace(-1, 2, 7)
        np.testing.assert_array_equal(
            design_matrix(x, 4), np.vander(x, 5, increasing=True)
        )

    @pytest.mark.parametrize(
        "degree, error", [(-1, ValueError), (2.0, TypeError), (True, TypeError)]
    )
    def test_bad_degree_names_the_argument(self, degree, error):
        with pytest.raises(error, match="degree"):
            design_matrix([1.0, 2.0], degree)

    def test_predict_features_is_the_matrix_product(self):
        X = design_matrix([0.0, 1.0, 2.0], 2)
        np.testing.assert_allclose(
            predict_features(X, [1.0, -1.0, 0.5]), [1.0, 0.5, 1.0]
        )

    def test_predict_features_refuses_wrong_number_of_weights(self):
        with pytest.raises(ValueError, match="theta"):
            predict_features(np.ones((3, 2)), [1.0, 2.0, 3.0])

    def test_predict_features_refuses_a_vector_for_X(self):
        with pytest.raises(ValueError, match="X must be a 2-D"):
            predict_features([1.0, 2.0], [1.0, 2.0])


class TestStandardize:
    @given(arrays(float, st.integers(2, 20), elements=st.floats(-1e3, 1e3)))
    def test_mean_zero_unit_spread_and_undo(self, x):
        z, how = standardize(x)
        np.testing.assert_allclose(how.undo(z), x, atol=1e-9 * (1 + np.abs(x).max()))
        if np.ptp(x) > 1e-6 * (1 + np.abs(x).max()):
            assert abs(z.mean()) < 1e-9
            assert z.std() == pytest.approx(1.0)

    def test_constant_input_is_shifted_not_divided_by_zero(self):
        z, how = standardize([3.0, 3.0])
        assert z.tolist() == [0.0, 0.0] and how.scale == 1.0

    def test_line_fitted_on_z_converts_to_the_best_fit_in_x(self):
        obs = gdlab.make_observations(n=30, x_range=(0, 100), seed=2)
        z, how = standardize(obs.x)
        m_z, b_z = gdlab.best_fit(z, obs.y)
        assert how.line_to_original(m_z, b_z) == pytest.approx(
            gdlab.best_fit(obs.x, obs.y)
        )

    def test_apply_matches_the_original_transform(self):
        z, how = standardize([1.0, 2.0, 6.0])
        np.testing.assert_allclose(how.apply([1.0, 2.0, 6.0]), z)


class TestFeatureMSE:
    @settings(max_examples=40, deadline=None)
    @given(st.integers(0, 10_000), arrays(float, 3, elements=finite))
    def test_gradient_matches_central_differences(self, seed, theta):
        _, _, X = _data(seed)
        surface = FeatureMSE(X, _data(seed)[1])
        h = 1e-6
        numeric = np.array(
            [
                (surface.loss(theta + h * e) - surface.loss(theta - h * e)) / (2 * h)
                for e in np.eye(3)
            ]
        )
        np.testing.assert_allclose(
            surface.gradient(theta), numeric, rtol=1e-5, atol=1e-4
        )

    def test_gradient_is_two_over_n_X_transpose_residuals(self):
        x, y, X = _data(1)
        theta = np.array([0.3, -0.2, 1.1])
        expected = (2 / len(y)) * X.T @ (X @ theta - y)
        np.testing.assert_allclose(FeatureMSE(X, y).gradient(theta), expected)

    def test_exact_hessian_matches_numeric_differentiation_of_the_gradient(self):
        x, y, X = _data(3)
        surface = FeatureMSE(X, y)
        numeric = gdlab.Surface.hessian(surface, np.array([0.5, 0.5, 0.5]))
        np.testing.assert_allclose(surface.hessian(), numeric, rtol=1e-6)

    @settings(max_examples=25, deadline=None)
    @given(st.integers(0, 10_000), st.integers(0, 4))
    def test_closed_form_minimum_matches_np_polyfit(self, seed, degree):
        x, y, _ = _data(seed, n=15)
        surface = FeatureMSE(design_matrix(x, degree), y)
        np.testing.assert_allclose(
            surface.minimum, np.polyfit(x, y, degree)[::-1], rtol=1e-6, atol=1e-8
        )
        np.testing.assert_allclose(surface.gradient(surface.minimum), 0.0, atol=1e-8)

    def test_degree_one_is_the_line_surface_with_the_parameters_swapped(self):
        obs = gdlab.make_observations(n=20, seed=4)
        line = gdlab.LinearMSE(obs.x, obs.y)
        features = FeatureMSE(design_matrix(obs.x, 1), obs.y)
        for m, b in [(0.0, 0.0), (1.5, -2.0), (3.0, 4.0)]:
            assert features.loss([b, m]) == pytest.approx(line.loss([m, b]))
            np.testing.assert_allclose(
                features.gradient([b, m])[::-1], line.gradient([m, b])
            )
        assert features.critical_learning_rate() == pytest.approx(
            gdlab.critical_learning_rate(obs.x)
        )

    def test_loss_and_gradient_broadcast_over_a_stack_of_points(self):
        x, y, X = _data(5)
        surface = FeatureMSE(X, y)
        stack = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, -1.0]])
        np.testing.assert_allclose(
            surface.loss(stack), [surface.loss(row) for row in stack]
        )
        assert surface.gradient(stack).shape == (2, 3)

    @settings(max_examples=20, deadline=None)
    @given(st.integers(0, 10_000), st.floats(0.1, 0.95), st.floats(1.05, 1.6))
    def test_descent_converges_below_two_over_lambda_max_and_diverges_above(
        self, seed, below, above
    ):
        x, y, _ = _data(seed, n=10, degree=1)
        z, _ = standardize(x)
        surface = FeatureMSE(design_matrix(z, 2), y)
        bound = surface.critical_learning_rate()
        start = np.zeros(3) + 1.0
        good = gdlab.descend(
            surface, start, below * bound, steps=20_000, tolerance=1e-6
        )
        bad = gdlab.descend(surface, start, above * bound, steps=20_000)
        assert good.status == "converged"
        # Converged: L − L* at most 10⁻⁶ of the start's, L* from numpy's lstsq.
        X = design_matrix(z, 2)
        best = np.linalg.lstsq(X, y, rcond=None)[0]
        floor = np.mean((X @ best - y) ** 2)
        gap = np.mean((X @ good.final - y) ** 2) - floor
        assert gap <= 1e-6 * (np.mean((X @ start - y) ** 2) - floor) * 1.001 + 1e-12
        assert bad.status == "diverged"

    def test_condition_number_is_eigenvalue_ratio_and_inf_when_singular(self):
        x, y, X = _data(6)
        values = np.linalg.eigvalsh((2 / len(y)) * X.T @ X)
        assert FeatureMSE(X, y).condition_number() == pytest.approx(
            values[-1] / values[0]
        )
        singular = np.column_stack([np.ones(4), np.ones(4)])
        assert FeatureMSE(singular, [1.0, 2.0, 3.0, 4.0]).condition_number() == float(
            "inf"
        )

    def test_scaling_x_makes_the_polynomial_bowl_far_rounder(self):
        x = np.linspace(0, 10, 20)
        y = np.sin(x)
        z, _ = standardize(x)
        raw = FeatureMSE(design_matrix(x, 4), y).condition_number()
        scaled = FeatureMSE(design_matrix(z, 4), y).condition_number()
        assert raw > 1e4 * scaled

    def test_window_contains_the_minimum_and_names_parameters(self):
        x, y, X = _data(7)
        surface = FeatureMSE(X, y)
        assert surface.parameter_names == ("w₀", "w₁", "w₂")
        for (low, high), w in zip(surface.window(), surface.minimum):
            assert low < w < high
        assert surface.critical_points()[0].kind == "minimum"

    def test_bad_input_names_the_argument(self):
        with pytest.raises(ValueError, match="same number of rows"):
            FeatureMSE(np.ones((3, 2)), [1.0, 2.0])
        with pytest.raises(ValueError, match="parameter_names"):
            FeatureMSE(np.ones((3, 2)), [1.0, 2.0, 3.0], parameter_names=["a"])
        with pytest.raises(ValueError, match="theta must have 2 parameters"):
            FeatureMSE(np.ones((3, 2)), [1.0, 2.0, 3.0]).loss([1.0, 2.0, 3.0])


class TestLearningRateSweep:
    @settings(max_examples=15, deadline=None)
    @given(st.integers(0, 10_000))
    def test_each_run_agrees_with_descend(self, seed):
        x, y, _ = _data(seed, n=8, degree=1)
        surface = gdlab.LinearMSE(x, y)
        bound = surface.critical_learning_rate()
        rates = bound * np.array([0.05, 0.3, 0.9, 0.999, 1.2])
        sweep = learning_rate_sweep(surface, rates, start=(0.0, 0.0), max_steps=400)
        for rate, steps, status in zip(rates, sweep.steps, sweep.statuses):
            run = gdlab.descend(surface, (0.0, 0.0), rate, steps=400)
            assert status == run.status
            if status == "converged":
                assert steps == run.steps_taken
            else:
                assert np.isnan(steps)

    def test_best_rate_is_below_the_bound_and_near_two_over_sum_of_eigenvalues(self):
        obs = gdlab.make_observations(n=30, x_range=(0, 1), seed=0)
        surface = gdlab.LinearMSE(obs.x, obs.y)
        low, high = np.linalg.eigvalsh(surface.hessian())
        rates = np.linspace(0.05, 1.2, 200) * surface.critical_learning_rate()
        best_rate, _ = learning_rate_sweep(
            surface, rates, (0.0, 0.0), max_steps=5000
        ).best()
        assert best_rate < surface.critical_learning_rate()
        assert best_rate == pytest.approx(2 / (low + high), rel=0.1)

    def test_start_at_the_minimum_converges_in_zero_steps(self):
        sweep = learning_rate_sweep(gdlab.Parabola(2.0), [0.1, 5.0], start=[0.0])
        assert sweep.steps.tolist() == [0.0, 0.0] and sweep.converged.all()

    def test_best_raises_when_nothing_converged(self):
        sweep = learning_rate_sweep(gdlab.Parabola(1.0), [3.0], start=[1.0])
        with pytest.raises(ValueError, match="converged"):
            sweep.best()

    def test_bad_learning_rates_are_refused(self):
        with pytest.raises(ValueError, match="learning_rates"):
            learning_rate_sweep(gdlab.Parabola(1.0), [0.1, -0.1], start=[1.0])


class TestMiniBatch:
    def _data(self, n=24, seed=0):
        rng = np.random.default_rng(seed)
        x = rng.uniform(-1, 1, n)
        return np.column_stack([x, np.ones(n)]), 2 * x + 1 + rng.normal(0, 0.2, n)

    def test_full_batch_is_plain_gradient_descent(self):
        X, y = self._data()
        run = gdlab.minibatch_descent(
            X, y, [0.0, 0.0], 0.3, batch_size=len(y), epochs=7
        )
        plain = gdlab.descend(
            FeatureMSE(X, y), [0.0, 0.0], 0.3, steps=7, tolerance=1e-300
        )
        np.testing.assert_allclose(run.params, plain.params)
        np.testing.assert_allclose(run.losses, plain.losses)

    def test_batch_gradients_of_one_shuffled_pass_average_to_the_full_gradient(self):
        X, y = self._data()
        theta = np.array([0.4, -0.3])
        order = np.random.default_rng(1).permutation(len(y))
        parts = [
            gdlab.minibatch_gradient(X, y, theta, order[i : i + 6])
            for i in range(0, len(y), 6)
        ]
        np.testing.assert_allclose(
            np.mean(parts, axis=0), FeatureMSE(X, y).gradient(theta)
        )

    def test_spread_of_the_estimate_shrinks_like_one_over_root_b(self):
        X, y = self._data(n=200)
        theta, rng = np.zeros(2), np.random.default_rng(2)
        spread = {
            B: np.std(
                [
                    gdlab.minibatch_gradient(
                        X, y, theta, rng.choice(200, B, replace=False)
                    )[0]
                    for _ in range(3000)
                ]
            )
            for B in (1, 16)
        }
        expected = spread[1] / 4 * np.sqrt((200 - 16) / 199)
        assert spread[16] == pytest.approx(expected, rel=0.1)

    def test_updates_per_epoch_and_epoch_axis(self):
        X, y = self._data(n=10)
        run = gdlab.minibatch_descent(X, y, [0.0, 0.0], 0.1, batch_size=4, epochs=2)
        assert run.updates_per_epoch == 3 and len(run.params) == 7
        assert run.epochs[-1] == pytest.approx(2.0)

    def test_small_batches_get_near_the_minimum_but_keep_jittering(self):
        X, y = self._data(n=50)
        surface = FeatureMSE(X, y)
        run = gdlab.minibatch_descent(
            X, y, [3.0, -3.0], 0.05, batch_size=1, epochs=30, seed=4
        )
        last = run.losses[-run.updates_per_epoch :]
        assert last.mean() < 1.5 * surface.minimum_loss
        assert np.all(last > surface.minimum_loss)

    def test_seed_makes_runs_repeatable(self):
        X, y = self._data()
        a = gdlab.minibatch_descent(X, y, [0.0, 0.0], 0.1, 3, 2, seed=5)
        b = gdlab.minibatch_descent(X, y, [0.0, 0.0], 0.1, 3, 2, seed=5)
        np.testing.assert_array_equal(a.params, b.params)

    def test_too_large_a_rate_diverges(self):
        X, y = self._data()
        run = gdlab.minibatch_descent(X, y, [0.0, 0.0], 50.0, batch_size=4, epochs=50)
        assert run.status == "diverged" and np.isfinite(run.params).all()

    @pytest.mark.parametrize(
        "kwargs, word",
        [
            ({"batch_size": 0}, "batch_size"),
            ({"batch_size": 99}, "batch_size"),
            ({"learning_rate": -1.0}, "learning_rate"),
            ({"seed": -2}, "seed"),
        ],
    )
    def test_bad_arguments_are_named(self, kwargs, word):
        X, y = self._data()
        options = {"learning_rate": 0.1, "batch_size": 4, "epochs": 1} | kwargs
        with pytest.raises((ValueError, TypeError), match=word):
            gdlab.minibatch_descent(X, y, [0.0, 0.0], **options)

    def test_minibatch_gradient_refuses_empty_indices(self):
        X, y = self._data()
        with pytest.raises(ValueError, match="indices"):
            gdlab.minibatch_gradient(X, y, [0.0, 0.0], [])
