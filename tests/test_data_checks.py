"""Each checker of gdlab.checks.data_checks: right answers pass, each known mistake is named."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdlab import checks
from gdlab.checks import Feedback


def _stub(*args):
    raise NotImplementedError


def _fails_with(feedback, *phrases):
    assert isinstance(feedback, Feedback)
    assert not feedback.passed and not feedback.not_yet, feedback.message
    for phrase in phrases:
        assert phrase in feedback.message, (phrase, feedback.message)


ALL_CHECKERS = [
    checks.check_square,
    checks.check_observation_pairs,
    checks.check_mean,
    checks.check_predict,
    checks.check_residuals,
]


@pytest.mark.parametrize("checker", ALL_CHECKERS)
class TestEveryChecker:
    def test_the_untouched_stub_gets_a_friendly_not_yet(self, checker):
        feedback = checker(_stub)
        assert not feedback.passed and feedback.not_yet
        assert "Not yet" in feedback.message and "✏️" in repr(feedback)

    def test_a_crash_is_reported_plainly(self, checker):
        def crashes(*args):
            raise KeyError("oops")

        _fails_with(checker(crashes), "raised KeyError")

    def test_a_missing_return_is_named(self, checker):
        _fails_with(checker(lambda *args: None), "returned None", "return")

    def test_nan_is_named(self, checker):
        _fails_with(checker(lambda *args: float("nan")), "NaN")

    def test_something_that_is_not_a_function(self, checker):
        _fails_with(checker(42), "xpected a function, but got int")


class TestSquare:
    @pytest.mark.parametrize("right", [lambda r: r**2, lambda r: r * r, np.square])
    def test_right_answers_pass(self, right):
        assert checks.check_square(right).passed

    @pytest.mark.parametrize(
        "wrong, named",
        [
            (lambda r: r * 2, "doubled"),
            (lambda r: r ^ 2, "XOR"),
            (lambda r: 2**r, "2 ** r"),
            (lambda r: abs(r), "abs(r)"),
            (lambda r: math.pow(r, 2), "not on a numpy array"),
            (lambda r: r**3, "cube"),
            (lambda r: r**4, "expected"),
        ],
    )
    def test_mistakes_are_named(self, wrong, named):
        _fails_with(checks.check_square(wrong), named)

    def test_wrong_shape_is_named(self):
        _fails_with(checks.check_square(lambda r: np.array([r, r])), "has shape ()")


class TestObservationPairs:
    @pytest.mark.parametrize(
        "right",
        [
            lambda x, y: list(zip(x, y)),
            lambda x, y: [(x[i], y[i]) for i in range(len(x))],
            lambda x, y: np.column_stack([x, y]),
        ],
    )
    def test_right_answers_pass(self, right):
        assert checks.check_observation_pairs(right).passed

    @pytest.mark.parametrize(
        "wrong, named",
        [
            (lambda x, y: list(zip(y, x)), "(y_i, x_i)"),
            (lambda x, y: [x, y], "shape (2, n)"),
            (
                lambda x, y: [(x[i], y[i]) for i in range(len(x) - 1)],
                "last pair is missing",
            ),
            (
                lambda x, y: [(x[i], y[i]) for i in range(1, len(x))],
                "first pair is missing",
            ),
            (lambda x, y: zip(x, y), "zip object"),
            (lambda x, y: [(x[0], y[0])], "got shape (1, 2)"),
            (lambda x, y: list(x), "one per observation"),
            (lambda x, y: [(x[i], y[i], i) for i in range(len(x))], "shape (4, 2)"),
            (lambda x, y: [(x[i], 2 * y[i]) for i in range(len(x))], "case 1"),
        ],
    )
    def test_mistakes_are_named(self, wrong, named):
        _fails_with(checks.check_observation_pairs(wrong), named)

    def test_changing_the_input_in_place_is_named(self):
        def sorts_in_place(x, y):
            y.sort()
            return list(zip(x, y))

        _fails_with(checks.check_observation_pairs(sorts_in_place), "in place")

    def test_a_pair_dropped_from_the_middle_is_not_called_first_or_last(self):
        feedback = checks.check_observation_pairs(
            lambda x, y: list(zip(x, y))[:1] + list(zip(x, y))[2:]
        )
        _fails_with(feedback, "got shape (3, 2)")
        assert "first" not in feedback.message and "last" not in feedback.message


class TestMean:
    @pytest.mark.parametrize(
        "right", [lambda v: sum(v) / len(v), lambda v: np.sum(v) / v.size]
    )
    def test_right_answers_pass(self, right):
        assert checks.check_mean(right).passed

    @pytest.mark.parametrize("shortcut", [np.mean, lambda v: v.mean()])
    def test_the_forbidden_shortcut_is_named_though_its_numbers_are_right(
        self, shortcut
    ):
        _fails_with(checks.check_mean(shortcut), "ready-made mean")

    @pytest.mark.parametrize(
        "wrong, named",
        [
            (lambda v: sum(v), "sum Σ x_i"),
            (lambda v: sum(v) / (len(v) - 1), "n − 1"),
            (lambda v: np.sum(v) / (v.size - 1), "n − 1"),
            (np.median, "median"),
            (lambda v: sum(v) // len(v), "floor division"),
            (lambda v: v / len(v), "not added up"),
            (
                lambda v: sum(v) / 6,
                "fixed number",
            ),  # the count of lesson 01's data, typed in
            (lambda v: (v[0] + v[1] + v[2]) / 3, "case"),
            (lambda v: [sum(v) / len(v)], "one number"),
            (lambda v: "five", "text"),
            (lambda v: max(v), "expected"),
        ],
    )
    def test_mistakes_are_named(self, wrong, named):
        _fails_with(checks.check_mean(wrong), named)


class TestPredict:
    @pytest.mark.parametrize(
        "right",
        [
            lambda x, m, b: m * x + b,
            lambda x, m, b: np.array([m * xi + b for xi in x]),
            lambda x, m, b: b + x * m,
        ],
    )
    def test_right_answers_pass(self, right):
        assert checks.check_predict(right).passed

    @pytest.mark.parametrize(
        "wrong, named",
        [
            (lambda x, m, b: b * x + m, "swapped m and b"),
            (lambda x, m, b: m * x, "intercept b is missing"),
            (lambda x, m, b: m * (x + b), "Brackets"),
            (lambda x, m, b: m * x - b, "subtracted it"),
            (lambda x, m, b: m * x[0] + b, "one number"),
            (lambda x, m, b: [m * xi + b for xi in x], "returned a list"),
            (lambda x, m, b: np.outer(x, [m, b]), "got shape (4, 2)"),
            (lambda x, m, b: m * x**2 + b, "case 1"),
        ],
    )
    def test_mistakes_are_named(self, wrong, named):
        _fails_with(checks.check_predict(wrong), named)

    def test_changing_x_in_place_is_named(self):
        def scales_in_place(x, m, b):
            x *= m
            x += b
            return x

        _fails_with(checks.check_predict(scales_in_place), "in place")


class TestResiduals:
    @pytest.mark.parametrize(
        "right",
        [
            lambda x, y, m, b: y - (m * x + b),
            lambda x, y, m, b: np.array([yi - (m * xi + b) for xi, yi in zip(x, y)]),
        ],
    )
    def test_right_answers_pass(self, right):
        assert checks.check_residuals(right).passed

    @pytest.mark.parametrize(
        "wrong, named",
        [
            (lambda x, y, m, b: (m * x + b) - y, "Sign flipped"),
            (lambda x, y, m, b: (y - (m * x + b)) ** 2, "squared"),
            (lambda x, y, m, b: np.abs(y - (m * x + b)), "absolute value"),
            (lambda x, y, m, b: y - m * x, "intercept b is missing"),
            (lambda x, y, m, b: y - m * x + b, "Brackets"),
            (lambda x, y, m, b: y - (b * x + m), "swapped m and b"),
            (lambda x, y, m, b: np.sum(y - (m * x + b)), "one number"),
            (lambda x, y, m, b: np.mean(y - (m * x + b)), "a sum or a mean?"),
            (lambda x, y, m, b: y - (m * x + b) + 1, "case 1"),
        ],
    )
    def test_mistakes_are_named(self, wrong, named):
        _fails_with(checks.check_residuals(wrong), named)
