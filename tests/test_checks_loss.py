"""check_mse and check_gradient: each known mistake, written as a small wrong
function, must be named; a correct function must pass; plain failures
(crash, wrong type or shape, NaN, changed input, stub) must be said plainly."""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab import checks
from gdlab.checks import Feedback, check_gradient, check_mse


def _residuals(y, y_hat):
    return np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)


def _failed_with(feedback: Feedback, *phrases: str) -> None:
    assert isinstance(feedback, Feedback)
    assert not feedback.passed
    assert not feedback.not_yet
    for phrase in phrases:
        assert phrase in feedback.message, feedback.message


class TestCheckMse:
    def test_exported_from_checks(self):
        assert checks.check_mse is check_mse
        assert "check_mse" in checks.__all__

    @pytest.mark.parametrize(
        "correct",
        [
            lambda y, y_hat: np.mean((y - y_hat) ** 2),
            lambda y, y_hat: sum((a - c) ** 2 for a, c in zip(y, y_hat)) / len(y),
            lambda y, y_hat: gdlab.mse(y, y_hat),
            lambda y, y_hat: float(np.dot(y - y_hat, y - y_hat) / y.size),
        ],
    )
    def test_correct_versions_pass(self, correct):
        feedback = check_mse(correct)
        assert feedback.passed, feedback.message
        assert "✅" in repr(feedback)

    @pytest.mark.parametrize(
        "wrong, phrases",
        [
            (
                lambda y, y_hat: np.mean(y - y_hat),
                ("square is missing", "cancel"),
            ),
            (lambda y, y_hat: np.mean(y_hat - y), ("square is missing",)),
            (lambda y, y_hat: np.sum((y - y_hat) ** 2), ("sum", "mean")),
            (
                lambda y, y_hat: np.mean((y - y_hat) ** 2) / 2,
                ("1/(2n)", "valid convention", "this series uses 1/n"),
            ),
            (
                lambda y, y_hat: np.sqrt(np.mean((y - y_hat) ** 2)),
                ("square root", "RMSE"),
            ),
            (lambda y, y_hat: np.mean(np.abs(y - y_hat)), ("absolute", "MAE")),
            (lambda y, y_hat: np.sum(y - y_hat), ("square is missing", "sum")),
            (
                lambda y, y_hat: np.sum((y - y_hat) ** 2) / (len(y) - 1),
                ("n − 1", "divide"),
            ),
            (lambda y, y_hat: np.mean((y - y_hat) ^ 2), ("`^` is not a power", "** 2")),
            (
                lambda y, y_hat: np.mean(y - y_hat) ** 2,
                ("squared the mean", "Square each residual first"),
            ),
        ],
        ids=[
            "no-square",
            "no-square-other-sign",
            "sum",
            "half",
            "rmse",
            "mae",
            "no-square-sum",
            "n-minus-1",
            "xor",
            "square-of-mean",
        ],
    )
    def test_known_mistakes_are_named(self, wrong, phrases):
        _failed_with(check_mse(wrong), *phrases)

    def test_each_known_mistake_gets_its_own_message(self):
        wrongs = [
            lambda y, y_hat: np.mean(y - y_hat),
            lambda y, y_hat: np.sum((y - y_hat) ** 2),
            lambda y, y_hat: np.mean((y - y_hat) ** 2) / 2,
            lambda y, y_hat: np.sqrt(np.mean((y - y_hat) ** 2)),
            lambda y, y_hat: np.mean(np.abs(y - y_hat)),
            lambda y, y_hat: np.sum((y - y_hat) ** 2) / (len(y) - 1),
            lambda y, y_hat: np.mean(y - y_hat) ** 2,
        ]
        messages = {check_mse(w).message for w in wrongs}
        assert len(messages) == len(wrongs)

    def test_unknown_mistake_shows_the_numbers(self):
        feedback = check_mse(lambda y, y_hat: np.mean((y - y_hat) ** 4))
        _failed_with(feedback, "Not yet right", "expected 3.75, got")

    def test_stub_is_not_yet(self):
        def stub(y, y_hat):
            raise NotImplementedError

        feedback = check_mse(stub)
        assert not feedback.passed
        assert feedback.not_yet
        assert "Not yet" in feedback.message
        assert "✏️" in repr(feedback)

    def test_crash_is_said_plainly(self):
        _failed_with(
            check_mse(lambda y, y_hat: y.mean_squared()), "raised AttributeError"
        )

    def test_array_instead_of_number(self):
        _failed_with(
            check_mse(lambda y, y_hat: (y - y_hat) ** 2),
            "array of shape",
            "Take their mean",
        )

    def test_none_returned(self):
        _failed_with(check_mse(lambda y, y_hat: None), "returned None", "return")

    def test_wrong_type(self):
        _failed_with(check_mse(lambda y, y_hat: "0.5"), "returned a str")

    def test_nan_returned(self):
        _failed_with(check_mse(lambda y, y_hat: float("nan")), "NaN")

    def test_mutating_the_input_is_reported(self):
        def squares_in_place(y, y_hat):
            y -= y_hat
            y **= 2
            return np.mean(y)

        _failed_with(check_mse(squares_in_place), "changed an input array in place")

    def test_not_a_function(self):
        _failed_with(check_mse(3.0), "Expected a function")


def _right_gradient(x, y, m, b):
    r = y - (m * x + b)
    return np.array([-2 * np.mean(x * r), -2 * np.mean(r)])


class TestCheckGradient:
    def test_exported_from_checks(self):
        assert checks.check_gradient is check_gradient
        assert "check_gradient" in checks.__all__

    @pytest.mark.parametrize(
        "correct",
        [
            _right_gradient,
            lambda x, y, m, b: gdlab.mse_gradient(x, y, m, b),
            lambda x, y, m, b: np.array(
                [2 * np.mean(x * (m * x + b - y)), 2 * np.mean(m * x + b - y)]
            ),
        ],
    )
    def test_correct_versions_pass(self, correct):
        feedback = check_gradient(correct)
        assert feedback.passed, feedback.message

    def test_sign_flipped(self):
        _failed_with(check_gradient(lambda *a: -_right_gradient(*a)), "sign is flipped")

    def test_factor_two_missing(self):
        _failed_with(
            check_gradient(lambda *a: _right_gradient(*a) / 2), "factor 2", "1/(2n)"
        )

    def test_half_convention_is_named_as_a_valid_convention(self):
        def half_convention(x, y, m, b):
            r = y - (m * x + b)
            return np.array([-np.mean(x * r), -np.mean(r)])

        _failed_with(
            check_gradient(half_convention), "1/(2n)", "convention", "This series uses"
        )

    def test_sign_flipped_and_half(self):
        _failed_with(
            check_gradient(lambda *a: -_right_gradient(*a) / 2),
            "sign is flipped",
            "half",
        )

    def test_sum_instead_of_mean(self):
        def summed(x, y, m, b):
            r = y - (m * x + b)
            return np.array([-2 * np.sum(x * r), -2 * np.sum(r)])

        _failed_with(check_gradient(summed), "summed where the mean belongs")

    def test_order_swapped(self):
        _failed_with(
            check_gradient(lambda *a: _right_gradient(*a)[::-1]),
            "wrong order",
            "[∂L/∂m, ∂L/∂b]",
        )

    def test_the_notes_minus_m_error(self):
        def notes(x, y, m, b):
            r = y - (m * x + b)
            return np.array([2 * np.mean(r * (-m)), -2 * np.mean(r)])

        _failed_with(
            check_gradient(notes), "common mistake", "−m", "−x_i", "∂L/∂b is right"
        )

    def test_only_db_right_says_which(self):
        def dm_without_x(x, y, m, b):
            r = y - (m * x + b)
            return np.array([-2 * np.mean(r), -2 * np.mean(r)])

        _failed_with(
            check_gradient(dm_without_x),
            "∂L/∂b is right",
            "∂L/∂m is missing the factor x_i",
        )

    def test_only_dm_right_says_which(self):
        def db_sign_flipped(x, y, m, b):
            r = y - (m * x + b)
            return np.array([-2 * np.mean(x * r), 2 * np.mean(r)])

        _failed_with(
            check_gradient(db_sign_flipped),
            "∂L/∂m is right",
            "∂L/∂b has the wrong sign",
        )

    def test_only_dm_right_with_unknown_db(self):
        def db_odd(x, y, m, b):
            r = y - (m * x + b)
            return np.array([-2 * np.mean(x * r), np.mean(r) ** 3])

        _failed_with(check_gradient(db_odd), "∂L/∂m is right", "∂L/∂b is wrong")

    def test_neither_right_shows_numbers(self):
        _failed_with(
            check_gradient(lambda x, y, m, b: np.array([m, b])),
            "neither",
            "yours is",
        )

    def test_neither_right_names_each_known_part(self):
        def both_parts_wrong(x, y, m, b):
            r = y - (m * x + b)
            return np.array([-2 * np.mean(r), 2 * np.mean(r)])

        _failed_with(
            check_gradient(both_parts_wrong),
            "neither",
            "∂L/∂m is missing the factor x_i",
            "∂L/∂b has the wrong sign",
        )

    def test_stub_is_not_yet(self):
        def stub(x, y, m, b):
            raise NotImplementedError

        feedback = check_gradient(stub)
        assert feedback.not_yet and not feedback.passed
        assert "Not yet" in feedback.message

    def test_crash(self):
        _failed_with(check_gradient(lambda x, y, m, b: x @ y @ m), "raised")

    def test_tuple_is_wrong_type(self):
        _failed_with(
            check_gradient(lambda *a: tuple(_right_gradient(*a))),
            "returned a tuple",
            "np.array",
        )

    def test_wrong_shape(self):
        _failed_with(
            check_gradient(lambda *a: np.append(_right_gradient(*a), 0.0)),
            "shape (3,)",
            "shape (2,)",
        )

    def test_one_term_per_observation_is_named(self):
        def per_observation(x, y, m, b):
            r = y - (m * x + b)
            return np.array([-2 * x * r, -2 * r])

        _failed_with(
            check_gradient(per_observation),
            "shape (2,",
            "mean over the observations",
            "np.mean",
        )

    def test_scalar_is_wrong_type(self):
        _failed_with(check_gradient(lambda *a: 1.0), "returned a float")

    def test_nan(self):
        _failed_with(check_gradient(lambda *a: np.array([np.nan, 0.0])), "NaN")

    def test_mutates_x(self):
        def centres_x(x, y, m, b):
            g = _right_gradient(x, y, m, b)
            x -= x.mean()
            return g

        _failed_with(check_gradient(centres_x), "changed an input array in place")

    def test_warning_is_caught_as_a_problem(self):
        def divides_by_zero(x, y, m, b):
            return _right_gradient(x, y, m, b) / np.zeros(2)

        _failed_with(check_gradient(divides_by_zero), "raised FloatingPointError")


def test_checks_cases_separate_the_mistakes():
    # The cases must make every wrong formula differ from the right one
    # (otherwise a wrong answer could pass): residuals not averaging to 0,
    # x not symmetric, n not 2.
    from gdlab.checks import loss_checks

    for y, y_hat in loss_checks._MSE_CASES:
        assert abs(np.mean(_residuals(y, y_hat))) > 0.1
        assert y.size != 2
    for x, y, m, b in loss_checks._GRADIENT_CASES:
        r = y - (m * x + b)
        assert abs(np.mean(r)) > 0.1 and abs(np.mean(x)) > 0.1
        assert not np.isclose(np.mean(x * r), m * np.mean(r))
        assert x.size != 2
