"""Learning-rate schedules and the Scheduled rule (gdlab.schedules, lesson 10)."""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab.schedules import Cosine, InverseTime, Scheduled, StepDecay


class TestStepDecay:
    def test_factors(self):
        schedule = StepDecay(every=3, factor=0.1)
        assert np.allclose(schedule(np.arange(10)), 0.1 ** (np.arange(10) // 3))

    def test_scalar_in_scalar_out(self):
        assert float(StepDecay(every=1, factor=0.5)(4)) == 0.0625

    @pytest.mark.parametrize("bad", [0, -2])
    def test_every_must_be_positive(self, bad):
        with pytest.raises(ValueError, match="every"):
            StepDecay(every=bad)

    def test_every_must_be_whole(self):
        with pytest.raises(TypeError, match="every"):
            StepDecay(every=2.5)

    @pytest.mark.parametrize("bad", [0.0, 1.5, -0.5])
    def test_factor_in_0_1(self, bad):
        with pytest.raises(ValueError, match="factor"):
            StepDecay(every=2, factor=bad)


class TestInverseTime:
    def test_halved_after_scale_updates(self):
        schedule = InverseTime(scale=7.0)
        assert np.allclose(schedule([0, 7, 14, 70]), [1, 1 / 2, 1 / 3, 1 / 11])

    def test_scale_positive(self):
        with pytest.raises(ValueError, match="scale"):
            InverseTime(scale=0)

    def test_negative_counts_are_refused(self):
        with pytest.raises(ValueError, match="k must be"):
            InverseTime(scale=1)(-1)


class TestCosine:
    def test_ends_and_middle(self):
        schedule = Cosine(total=10, floor=0.2)
        values = schedule(np.array([0, 5, 10, 11, 1000]))
        assert np.allclose(values, [1.0, 0.6, 0.2, 0.2, 0.2])

    def test_monotone_down(self):
        values = Cosine(total=50)(np.arange(60))
        assert np.all(np.diff(values) <= 1e-15) and values[0] == 1.0

    def test_floor_must_be_below_1(self):
        with pytest.raises(ValueError, match="floor"):
            Cosine(total=5, floor=1.0)


class TestScheduled:
    def test_plain_descent_with_a_schedule_by_hand(self):
        schedule = InverseTime(scale=2)
        run = gdlab.descend(
            gdlab.Parabola(3.0),
            [1.0],
            0.2,
            steps=6,
            rule=Scheduled(gdlab.GradientDescent(), schedule),
            tolerance=None,
        )
        theta = 1.0
        expected = [theta]
        for k in range(6):
            theta -= 0.2 / (1 + k / 2) * 3.0 * theta
            expected.append(theta)
        assert np.allclose(run.params.ravel(), expected)

    def test_a_factor_of_one_changes_nothing(self):
        bowl = gdlab.LinearMSE([0.0, 1.0, 3.0], [1.0, 2.0, 2.5])
        for rule in (gdlab.Momentum(0.7), gdlab.Adam(), gdlab.Nesterov(0.5)):
            plain = gdlab.descend(bowl, (0, 0), 0.05, 40, rule=rule, tolerance=None)
            wrapped = gdlab.descend(
                bowl,
                (0, 0),
                0.05,
                40,
                rule=Scheduled(rule, lambda k: 1.0),
                tolerance=None,
            )
            assert np.allclose(plain.params, wrapped.params)

    def test_it_runs_in_a_sweep_elementwise(self):
        rule = Scheduled(gdlab.GradientDescent(), InverseTime(scale=20))
        rates = [0.1, 0.5, 1.0, 2.5]
        sweep = gdlab.learning_rate_sweep(
            gdlab.Parabola(1.0), rates, [1.0], max_steps=400, rule=rule
        )
        runs = [
            gdlab.descend(gdlab.Parabola(1.0), [1.0], eta, 400, rule=rule)
            for eta in rates
        ]
        assert sweep.statuses == tuple(run.status for run in runs)
        done = [k for k, run in enumerate(runs) if run.status == "converged"]
        assert len(done) >= 2
        assert [sweep.steps[k] for k in done] == [runs[k].steps_taken for k in done]

    def test_a_geometric_decay_can_stop_short(self):
        # Step decay's factors add up to a finite sum: η·Σ factors bounds the distance.
        rule = Scheduled(gdlab.GradientDescent(), StepDecay(every=5, factor=0.5))
        run = gdlab.descend(gdlab.Parabola(1.0), [1.0], 0.1, 400, rule=rule)
        assert run.status == "max_steps"
        factors = 0.1 * 0.5 ** (np.arange(400) // 5)
        assert np.isclose(run.final[0], np.prod(1 - factors))
        assert (
            run.final[0] > 0.3
        )  # however many steps: the product of (1 − η_k) stays above it

    def test_name_and_no_bound(self):
        rule = Scheduled(gdlab.Momentum(0.9), InverseTime(100))
        assert rule.name == "momentum (β = 0.9), 1/t (halved after 100)"
        assert gdlab.rules.critical_rate_for(rule, [[1.0]]) is None

    def test_bad_arguments(self):
        with pytest.raises(TypeError, match="rule"):
            Scheduled(object(), InverseTime(1))
        with pytest.raises(TypeError, match="schedule"):
            Scheduled(gdlab.GradientDescent(), 0.5)

    def test_sgd_with_1_over_t_settles_where_a_constant_rate_does_not(self):
        rng = np.random.default_rng(4)
        x = rng.normal(size=50)
        X = np.column_stack([x, np.ones(50)])
        y = 1.5 * x - 0.5 + rng.normal(size=50)
        best = np.mean((X @ np.linalg.lstsq(X, y, rcond=None)[0] - y) ** 2)
        final = {}
        for name, rule in (
            ("constant", None),
            ("1/t", Scheduled(gdlab.GradientDescent(), InverseTime(50))),
        ):
            run = gdlab.minibatch_descent(
                X, y, (0, 0), 0.1, 1, epochs=30, seed=1, rule=rule
            )
            final[name] = run.losses[-50:].mean() - best
        assert final["1/t"] < final["constant"] / 10
