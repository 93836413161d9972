"""Every mistake issue 10 lists, written the way a learner writes it, is named.

The wrong functions here are written by hand from the lessons' formulas, not
taken from the checkers' tables, so a test fails if a table drifts away from
what learners actually write. Each test also checks that the message is not the
generic "expected …, got …" fallback.
"""

from __future__ import annotations

import numpy as np
import pytest

from gdlab import checks

GENERIC = "Not yet right for case"


def _named(feedback, *phrases):
    assert not feedback.passed and not feedback.not_yet, feedback.message
    assert GENERIC not in feedback.message, feedback.message
    for phrase in phrases:
        assert phrase in feedback.message, (phrase, feedback.message)


# --- lesson 00, 01 -----------------------------------------------------------


def test_square_returning_r_unchanged():
    def square(r):
        return r

    _named(checks.check_square(square), "unchanged")


def test_mean_with_a_count_typed_in():
    def mean(values):
        return sum(values) / 6  # lesson 01's six students

    _named(checks.check_mean(mean), "fixed number", "len(values)")


# --- lesson 04 ---------------------------------------------------------------


def test_gradient_of_the_loss_without_its_square():
    def my_gradient(x, y, m, b):
        # d/dm of (1/n) Σ (y_i − m x_i − b) is −mean(x); d/db is −1
        return np.array([-np.mean(x), -1.0])

    _named(checks.check_gradient(my_gradient), "without its square", "[−x̄, −1]")


# --- lesson 05 ---------------------------------------------------------------


def _gradient(x, y, m, b):
    r = y - (m * x + b)
    return -2 * np.mean(x * r), -2 * np.mean(r)


def test_loop_with_the_gradient_computed_once_before_the_loop():
    def descent_loop(x, y, m, b, learning_rate, steps):
        d_m, d_b = _gradient(x, y, m, b)
        path = [(m, b)]
        for _ in range(steps):
            m, b = m - learning_rate * d_m, b - learning_rate * d_b
            path.append((m, b))
        return np.array(path)

    _named(checks.check_descent_loop(descent_loop), "once, before the loop")


def test_loop_with_append_after_the_loop():
    def descent_loop(x, y, m, b, learning_rate, steps):
        path = [(m, b)]
        for _ in range(steps):
            d_m, d_b = _gradient(x, y, m, b)
            m, b = m - learning_rate * d_m, b - learning_rate * d_b
        path.append((m, b))
        return np.array(path)

    _named(checks.check_descent_loop(descent_loop), "`append` sits after the loop")


def test_loop_with_append_before_the_update():
    def descent_loop(x, y, m, b, learning_rate, steps):
        path = [(m, b)]
        for _ in range(steps):
            path.append((m, b))
            d_m, d_b = _gradient(x, y, m, b)
            m, b = m - learning_rate * d_m, b - learning_rate * d_b
        return np.array(path)

    _named(checks.check_descent_loop(descent_loop), "before the update")


# --- lesson 06 ---------------------------------------------------------------


def _verdict(H, learning_rate):
    return bool(learning_rate < 2 / np.linalg.eigvalsh(H)[-1])


def test_will_converge_with_sums_instead_of_means():
    def will_converge(x, learning_rate):
        H = 2 * np.array([[np.sum(x**2), np.sum(x)], [np.sum(x), len(x)]])
        return _verdict(H, learning_rate)

    _named(checks.check_convergence_prediction(will_converge), "sums", "means")


def test_will_converge_with_the_square_of_the_mean():
    def will_converge(x, learning_rate):
        H = 2 * np.array([[np.mean(x) ** 2, np.mean(x)], [np.mean(x), 1.0]])
        return _verdict(H, learning_rate)

    _named(checks.check_convergence_prediction(will_converge), "(mean x)²")


@pytest.mark.parametrize("compare", [lambda eta: eta <= 0.01, lambda eta: eta < 0.01])
def test_will_converge_with_a_fixed_rate(compare):
    _named(
        checks.check_convergence_prediction(
            lambda x, learning_rate: compare(learning_rate)
        ),
        "fixed 0.01",
    )


# --- lesson 08 ---------------------------------------------------------------


def test_classify_with_any_instead_of_all():
    def classify(hessian):
        values = np.linalg.eigvalsh(hessian)
        if np.any(np.isclose(values, 0)):
            return "degenerate"
        if np.any(values > 0):
            return "minimum"
        if np.any(values < 0):
            return "maximum"
        return "saddle"

    _named(checks.check_classification(classify), "np.all, not np.any")


def test_classify_with_the_old_any_zero_rule():
    def classify(hessian):  # a zero eigenvalue checked before the signs
        values = np.linalg.eigvalsh(hessian)
        zero = np.abs(values) <= 1e-12 * np.abs(values).max()
        if zero.any():
            return "degenerate"
        if np.all(values > 0):
            return "minimum"
        return "maximum" if np.all(values < 0) else "saddle"

    _named(checks.check_classification(classify), "saddle whatever the zeros")


def test_classify_as_the_old_solution_wrote_it():
    def classify(hessian):
        values = np.linalg.eigvalsh(hessian)
        if np.any(np.isclose(values, 0)):
            return "degenerate"
        if np.all(values > 0):
            return "minimum"
        return "maximum" if np.all(values < 0) else "saddle"

    _named(checks.check_classification(classify), "Two things", "np.isclose")


def test_the_checker_holds_a_mixed_signs_plus_zero_matrix():
    from gdlab.checks.matrix_checks import CLASSIFY

    for (hessian,) in CLASSIFY.cases:
        values = np.linalg.eigvalsh(hessian)
        if (
            (values > 1e-9).any()
            and (values < -1e-9).any()
            and (abs(values) < 1e-12).any()
        ):
            return
    raise AssertionError("no Hessian with both signs and a zero eigenvalue")


# --- lesson 09 ---------------------------------------------------------------


def test_batch_gradient_using_all_rows():
    def batch_gradient(X, y, theta, indices):
        return 2 / len(y) * X.T @ (X @ theta - y)

    _named(checks.check_batch_gradient(batch_gradient), "all the rows")


def test_batch_gradient_using_all_rows_divided_by_the_batch_size():
    def batch_gradient(X, y, theta, indices):
        return 2 / len(indices) * X.T @ (X @ theta - y)

    _named(checks.check_batch_gradient(batch_gradient), "all the rows")


def test_batch_gradient_without_the_transpose_is_explained_in_the_learners_terms():
    def batch_gradient(X, y, theta, indices):
        X_B, y_B = X[indices], y[indices]
        return 2 / len(indices) * X_B @ (X_B @ theta - y_B)

    feedback = checks.check_batch_gradient(batch_gradient)
    _named(feedback, "X_B is (B, 2)", "X_B.T @ r")


def test_batch_gradient_with_the_residuals_on_the_wrong_side_of_the_product():
    def batch_gradient(X, y, theta, indices):
        X_B, y_B = X[indices], y[indices]
        return 2 / len(indices) * (X_B @ theta - y_B) @ X_B.T

    _named(checks.check_batch_gradient(batch_gradient), "X_B is (B, 2)", "X_B.T @ r")


# --- sign, factor 2, sum for mean, order: wherever they apply ------------------


def _batch(X, y, theta, indices):
    X_B, y_B = X[indices], y[indices]
    return 2 / len(indices) * X_B.T @ (X_B @ theta - y_B)


@pytest.mark.parametrize(
    "checker, wrong, phrase",
    [
        (checks.check_batch_gradient, lambda *a: -_batch(*a), "sign is flipped"),
        (checks.check_batch_gradient, lambda *a: _batch(*a) / 2, "factor 2"),
        (checks.check_batch_gradient, lambda *a: _batch(*a) * len(a[3]), "summed"),
        (checks.check_gradient, lambda *a: -np.array(_gradient(*a)), "sign is flipped"),
        (checks.check_gradient, lambda *a: np.array(_gradient(*a)) / 2, "half"),
        (
            checks.check_gradient,
            lambda *a: np.array(_gradient(*a)) * len(a[0]),
            "summed",
        ),
        (
            checks.check_gradient,
            lambda *a: np.array(_gradient(*a))[::-1],
            "wrong order",
        ),
        (checks.check_mse, lambda y, h: np.sum((y - h) ** 2), "sum"),
        (checks.check_residuals, lambda x, y, m, b: (m * x + b) - y, "Sign flipped"),
    ],
)
def test_sign_factor_two_sum_and_order(checker, wrong, phrase):
    _named(checker(wrong), phrase)


# --- the primer ---------------------------------------------------------------


def test_curvature_right_answers_pass():
    assert checks.check_curvature(lambda H, u: u @ H @ u / (u @ u)).passed
    assert checks.check_curvature(lambda H, u: u.T @ H @ u / np.dot(u, u)).passed


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (lambda H, u: u @ H @ u, "divide by u @ u"),
        (lambda H, u: H @ u, "vector of two numbers"),
        (lambda H, u: np.sum(H * u) / (u @ u), "element by element"),
        (lambda H, u: u @ H @ u / np.linalg.norm(u), "length of u"),
    ],
)
def test_curvature_mistakes(wrong, phrase):
    _named(checks.check_curvature(wrong), phrase)


# --- the XOR mistake: named by its table row alone, however it is written --------


def test_xor_for_a_power_written_another_way():
    def my_mse(y, y_hat):
        residuals = y - y_hat
        return sum(residuals ^ 2) / len(y)

    _named(checks.check_mse(my_mse), "XOR")

    def square(r):
        result = r ^ 2
        return result

    _named(checks.check_square(square), "XOR")
