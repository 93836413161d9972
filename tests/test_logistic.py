"""Lesson 11's math (gdlab.logistic) and its checkers (checks.logistic_checks).

The truth is computed here independently: losses by plain sums over the
observations, gradients and Hessians by central differences, the minimum by
a fine grid, the shuttle fit against the textbook values (Agresti's
*Categorical Data Analysis*: logit p = 15.043 − 0.2322·temperature).
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest

import gdlab
from gdlab import checks

GENERIC = "Not yet right for case"


def _central_gradient(f, theta, h=1e-6):
    theta = np.asarray(theta, dtype=float)
    out = np.zeros_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        out[i] = (f(theta + step) - f(theta - step)) / (2 * h)
    return out


def _loss_by_hand(x, y, w, b):
    total = 0.0
    for xi, yi in zip(x, y):
        p = 1 / (1 + math.exp(-(w * xi + b)))
        total += -(yi * math.log(p) + (1 - yi) * math.log(1 - p))
    return total / len(x)


DATA = [
    gdlab.make_classes(n=40, weight=2.0, bias=-1.0, seed=3),
    gdlab.make_classes(n=15, weight=-0.5, bias=3.0, x_range=(0, 10), seed=8),
    gdlab.shuttle_launches(),
]


class TestSigmoid:
    def test_values_symmetry_and_no_overflow(self):
        z = np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            s = gdlab.sigmoid(z)
        assert s[3] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
        assert np.allclose(s + gdlab.sigmoid(-z), 1.0)
        assert np.isclose(s[4], 1 / (1 + math.exp(-1)))

    def test_derivative_is_sigma_times_one_minus_sigma(self):
        z = np.linspace(-8, 8, 33)
        numeric = (gdlab.sigmoid(z + 1e-6) - gdlab.sigmoid(z - 1e-6)) / 2e-6
        assert np.allclose(
            numeric, gdlab.sigmoid(z) * (1 - gdlab.sigmoid(z)), atol=1e-9
        )


class TestCrossEntropy:
    @pytest.mark.parametrize("obs", DATA, ids=["synthetic", "falling", "shuttle"])
    def test_loss_matches_a_plain_sum(self, obs):
        surface = gdlab.CrossEntropy(obs.x, obs.y)
        for w, b in [(0.0, 0.0), (0.3, -1.0), (-0.2, 14.0)]:
            assert np.isclose(surface.loss([w, b]), _loss_by_hand(obs.x, obs.y, w, b))

    @pytest.mark.parametrize("obs", DATA, ids=["synthetic", "falling", "shuttle"])
    def test_gradient_agrees_with_finite_differences(self, obs):
        surface = gdlab.CrossEntropy(obs.x, obs.y)
        rng = np.random.default_rng(1)
        scale = np.array([1 / np.std(obs.x), 3.0])
        for theta in rng.normal(size=(10, 2)) * scale:
            numeric = _central_gradient(surface.loss, theta)
            assert np.allclose(surface.gradient(theta), numeric, rtol=1e-5, atol=1e-7)
            assert np.allclose(
                surface.gradient(theta),
                gdlab.logistic_gradient(obs.x, obs.y, *theta),
            )

    @pytest.mark.parametrize("obs", DATA, ids=["synthetic", "falling", "shuttle"])
    def test_hessian_is_xtsx_and_never_negative(self, obs):
        surface = gdlab.CrossEntropy(obs.x, obs.y)
        rng = np.random.default_rng(2)
        for theta in rng.normal(size=(20, 2)) * np.array([1 / np.std(obs.x), 3.0]):
            exact = surface.hessian(theta)
            numeric = np.array(
                [
                    _central_gradient(lambda t, i=i: surface.gradient(t)[i], theta)
                    for i in range(2)
                ]
            )
            assert np.allclose(exact, numeric, rtol=1e-5, atol=1e-8)
            assert np.linalg.eigvalsh(exact)[0] > -1e-12

    def test_large_logits_give_no_warning_and_exact_values(self):
        surface = gdlab.CrossEntropy([-1.0, 1.0], [1, 0])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            loss = surface.loss([-500.0, 0.0])  # both sure and right
            gradient = surface.gradient([-500.0, 0.0])
        assert loss == pytest.approx(0.0, abs=1e-12)
        assert np.all(np.isfinite(gradient))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert surface.loss([500.0, 0.0]) == pytest.approx(
                500.0
            )  # both sure and wrong
            assert gdlab.cross_entropy_from_logits([0, 1], [800.0, -800.0]) == 800.0

    def test_from_p_and_from_z_agree_and_sure_right_costs_zero(self):
        y = np.array([1, 0, 1, 0])
        z = np.array([2.0, -1.0, -0.5, 0.3])
        assert np.isclose(
            gdlab.cross_entropy(y, gdlab.sigmoid(z)),
            gdlab.cross_entropy_from_logits(y, z),
        )
        assert gdlab.cross_entropy([1, 0], [1.0, 0.0]) == 0.0
        assert gdlab.cross_entropy([1], [0.0]) == math.inf

    def test_minimum_is_the_lowest_point_of_a_fine_grid(self):
        obs = DATA[0]
        surface = gdlab.CrossEntropy(obs.x, obs.y)
        w_star, b_star = surface.minimum
        grid = np.stack(
            np.meshgrid(
                np.linspace(w_star - 0.5, w_star + 0.5, 101),
                np.linspace(b_star - 0.5, b_star + 0.5, 101),
            ),
            -1,
        )
        assert surface.loss([w_star, b_star]) <= surface.loss(grid).min() + 1e-12
        assert np.allclose(surface.gradient([w_star, b_star]), 0, atol=1e-10)

    def test_shuttle_fit_is_the_textbook_one(self):
        obs = gdlab.shuttle_launches()
        w, b = gdlab.CrossEntropy(obs.x, obs.y).minimum
        assert round(w, 4) == -0.2322 and round(b, 3) == 15.043

    def test_separable_data_have_no_minimum(self):
        obs = gdlab.make_classes(
            n=20, weight=1.0, bias=0.0, seed=2, separable=True, gap=2.0
        )
        surface = gdlab.CrossEntropy(obs.x, obs.y)
        assert surface.separable and surface.critical_points() == []
        assert obs.x[obs.y == 1].min() - obs.x[obs.y == 0].max() >= 2.0
        # Scaling a separating θ up always lowers the loss: no bottom.
        losses = [surface.loss([s, 0.0]) for s in (1, 2, 4, 8, 16)]
        assert all(a > b > 0 for a, b in itertools.pairwise(losses))

    def test_bad_input_is_refused_by_name(self):
        with pytest.raises(ValueError, match="y must hold only 0"):
            gdlab.CrossEntropy([1.0, 2.0], [0, 2])
        with pytest.raises(ValueError, match="both classes"):
            gdlab.CrossEntropy([1.0, 2.0], [1, 1])
        with pytest.raises(ValueError, match="same length"):
            gdlab.cross_entropy([1, 0], [0.5])
        with pytest.raises(ValueError, match="gap"):
            gdlab.make_classes(gap=1.0)


class TestSigmoidMSE:
    def test_gradient_agrees_with_finite_differences(self):
        obs = DATA[0]
        surface = gdlab.SigmoidMSE(obs.x, obs.y)
        for theta in ([0.0, 0.0], [-2.0, 3.0], [4.0, -1.0]):
            assert np.allclose(
                surface.gradient(theta),
                _central_gradient(surface.loss, theta),
                atol=1e-8,
            )

    def test_it_is_not_convex(self):
        obs = DATA[0]
        surface = gdlab.SigmoidMSE(obs.x, obs.y)
        assert np.linalg.eigvalsh(surface.hessian([-2.0, 3.0]))[0] < 0
        a, c = np.array([-6.0, 3.0]), np.array([2.0, 3.0])
        assert surface.loss((a + c) / 2) > (surface.loss(a) + surface.loss(c)) / 2


class TestData:
    def test_shuttle_launches(self):
        obs = gdlab.shuttle_launches()
        assert len(obs) == 23 and obs.y.sum() == 7
        assert sorted(obs.x[obs.y == 1].tolist()) == [53, 57, 58, 63, 70, 70, 75]
        assert sorted(obs.x.tolist())[:5] == [53, 57, 58, 63, 66] and obs.x.max() == 81

    def test_make_classes_is_seeded_and_follows_the_probability(self):
        a = gdlab.make_classes(n=4000, weight=1.5, bias=-0.5, seed=11)
        b = gdlab.make_classes(n=4000, weight=1.5, bias=-0.5, seed=11)
        assert np.array_equal(a.y, b.y)
        # The share of yes matches the mean of σ(w x + b) to within sampling noise.
        expected = gdlab.sigmoid(1.5 * a.x - 0.5).mean()
        assert abs(a.y.mean() - expected) < 4 * math.sqrt(0.25 / 4000)


def stub(*args):
    raise NotImplementedError


def _named(feedback, phrase):
    assert not feedback.passed and not feedback.not_yet, feedback.message
    assert GENERIC not in feedback.message, feedback.message
    assert phrase in feedback.message, (phrase, feedback.message)


def _clip(p):
    return np.clip(p, 1e-12, 1 - 1e-12)


class TestCrossEntropyChecker:
    def test_right_answers_pass_and_stub_is_not_yet(self):
        for fn in (
            lambda y, p: (
                -np.mean(y * np.log(_clip(p)) + (1 - y) * np.log(1 - _clip(p)))
            ),
            lambda y, p: -np.mean(np.log(np.where(y == 1, p, 1 - p))),
        ):
            assert checks.check_cross_entropy(fn).passed
        assert checks.check_cross_entropy(stub).not_yet

    @pytest.mark.parametrize(
        "wrong, phrase",
        [
            (lambda y, p: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), "log(0)"),
            (lambda y, p: -np.mean(y * np.log(1 - p) + (1 - y) * np.log(p)), "swapped"),
            (
                lambda y, p: (
                    -np.mean(y * np.log(1 - _clip(p)) + (1 - y) * np.log(_clip(p)))
                ),
                "swapped",
            ),
            (
                lambda y, p: np.mean(
                    y * np.log(_clip(p)) + (1 - y) * np.log(1 - _clip(p))
                ),
                "minus sign",
            ),
            (
                lambda y, p: np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)),
                "minus sign",
            ),
            (
                lambda y, p: (
                    -np.sum(y * np.log(_clip(p)) + (1 - y) * np.log(1 - _clip(p)))
                ),
                "sum",
            ),
            (lambda y, p: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)), "sum"),
            (lambda y, p: -np.mean(y * np.log(_clip(p))), "only the y·log p"),
            (
                lambda y, p: (
                    -np.mean(y * np.log10(_clip(p)) + (1 - y) * np.log10(1 - _clip(p)))
                ),
                "log10",
            ),
            (
                lambda y, p: (
                    -np.mean(
                        y * np.log(np.clip(p, 1e-4, 1 - 1e-4))
                        + (1 - y) * np.log(1 - np.clip(p, 1e-4, 1 - 1e-4))
                    )
                ),
                "ε is too large",
            ),
        ],
    )
    def test_each_mistake_is_named(self, wrong, phrase):
        _named(checks.check_cross_entropy(wrong), phrase)


def _sig(z):
    return 1 / (1 + np.exp(-z))


class TestGradientChecker:
    def test_right_answer_passes_and_stub_is_not_yet(self):
        def right(x, y, w, b):
            r = _sig(w * x + b) - y
            return np.array([np.mean(r * x), np.mean(r)])

        assert checks.check_logistic_gradient(right).passed
        assert checks.check_logistic_gradient(stub).not_yet

    @pytest.mark.parametrize(
        "wrong, phrase",
        [
            (
                lambda x, y, w, b: np.array(
                    [np.mean((y - _sig(w * x + b)) * x), np.mean(y - _sig(w * x + b))]
                ),
                "sign is flipped",
            ),
            (
                lambda x, y, w, b: np.array(
                    [np.sum((_sig(w * x + b) - y) * x), np.sum(_sig(w * x + b) - y)]
                ),
                "summed",
            ),
            (
                lambda x, y, w, b: np.array(
                    [np.mean(_sig(w * x + b) - y), np.mean(_sig(w * x + b) - y)]
                ),
                "factor x_i",
            ),
            (
                lambda x, y, w, b: np.array(
                    [np.mean(_sig(w * x + b) - y), np.mean((_sig(w * x + b) - y) * x)]
                ),
                "wrong order",
            ),
            (
                lambda x, y, w, b: np.array(
                    [np.mean((w * x + b - y) * x), np.mean(w * x + b - y)]
                ),
                "p = σ(z) belongs",
            ),
            (
                lambda x, y, w, b: np.array(
                    [
                        np.mean(
                            (_sig(w * x + b) - y)
                            * _sig(w * x + b)
                            * (1 - _sig(w * x + b))
                            * x
                        ),
                        np.mean(
                            (_sig(w * x + b) - y)
                            * _sig(w * x + b)
                            * (1 - _sig(w * x + b))
                        ),
                    ]
                ),
                "σ'(z)",
            ),
        ],
    )
    def test_each_mistake_is_named(self, wrong, phrase):
        _named(checks.check_logistic_gradient(wrong), phrase)


# --- the engine's rules, for lesson 11's and 12's tables ------------------------

from gdlab.checks import logistic_checks, network_checks
from gdlab.checks.engine import run_check

TABLES = {
    "cross-entropy": (logistic_checks.CROSS_ENTROPY, checks.check_cross_entropy),
    "logistic-gradient": (
        logistic_checks.LOGISTIC_GRADIENT,
        checks.check_logistic_gradient,
    ),
    "backprop": (network_checks.BACKPROP, checks.check_backprop),
    "minibatch-pass": (network_checks.MINIBATCH_PASS, checks.check_minibatch_pass),
}


@pytest.mark.parametrize(
    "exercise, mistake",
    [
        pytest.param(exercise, mistake, id=f"{name}-{k}")
        for name, (exercise, _) in TABLES.items()
        for k, mistake in enumerate(exercise.mistakes)
    ],
)
def test_every_row_is_named_by_its_own_example(exercise, mistake):
    assert mistake.wrong is not None, "every row needs an example of its mistake"
    feedback = run_check(exercise, mistake.wrong)
    assert not feedback.passed and feedback.message == mistake.message


@pytest.mark.parametrize("name", list(TABLES))
def test_stub_none_and_checker_export_are_treated_alike(name):
    _exercise, checker = TABLES[name]
    assert checker.__name__ in checks.__all__
    assert checker(stub).not_yet
    assert (
        checker(lambda *args: None).message
        == "Your function returned None: did you forget `return`?"
    )


def test_calling_the_library_instead_is_named():
    # As a learner writes it in the notebook, where `gdlab` is imported.
    def my_cross_entropy(y, p):
        return gdlab.cross_entropy(y, p)

    def my_gradient(x, y, w, b):
        return gdlab.logistic_gradient(x, y, w, b)

    def my_backprop(X, y, W1, b1, W2, b2):
        return gdlab.backprop(X, y, W1, b1, W2, b2)

    for checker, fn in (
        (checks.check_cross_entropy, my_cross_entropy),
        (checks.check_logistic_gradient, my_gradient),
        (checks.check_backprop, my_backprop),
    ):
        assert "you called gdlab's" in checker(fn).message


def test_a_list_where_an_array_is_asked_for_is_named():
    def as_list(x, y, w, b):
        p = 1 / (1 + np.exp(-(w * x + b)))
        return [np.mean((p - y) * x), np.mean(p - y)]

    assert "numpy array is asked for" in checks.check_logistic_gradient(as_list).message
