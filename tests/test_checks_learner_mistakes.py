"""Every wrong answer issue 20 lists, written as a learner writes it, is named.

Each wrong function below is typed the way the lessons' exercise cells invite
(the stub's names, the hint's first step, a loop where a learner without numpy
habits writes one), not taken from the checkers' tables, so a test fails when a
table drifts away from what learners write. Each asserts a key phrase of the
message and that it is neither the generic "expected …, got …" fallback nor a
raw traceback. The right answers, written several ways, still pass.
"""

from __future__ import annotations

import statistics

import numpy as np
import pytest
from numpy import mean as average_of  # as a notebook's setup cell might

import gdlab
from gdlab import checks

GENERIC = "Not yet right for case"


def _named(feedback, *phrases):
    assert not feedback.passed and not feedback.not_yet, feedback.message
    assert GENERIC not in feedback.message, feedback.message
    assert "Your function raised" not in feedback.message, feedback.message
    for phrase in phrases:
        assert phrase in feedback.message, (phrase, feedback.message)
    return feedback.message


# --- a Python list where a numpy array is asked for: one rule, one wording ----


def square_by_list(r):
    if isinstance(r, float):
        return r**2
    return [value**2 for value in r]


def predict_by_loop(x, m, b):
    predictions = []
    for xi in x:
        predictions.append(m * xi + b)
    return predictions


def residuals_by_loop(x, y, m, b):
    return [yi - (m * xi + b) for xi, yi in zip(x, y)]


def descent_loop_returning_the_list(x, y, m, b, learning_rate, steps):
    path = [(m, b)]
    for _ in range(steps):
        d_m, d_b = gdlab.mse_gradient(x, y, m, b)
        m, b = m - learning_rate * d_m, b - learning_rate * d_b
        path.append((m, b))
    return path


def gradient_as_a_list(x, y, m, b):
    residuals = y - (m * x + b)
    return [-2 * np.mean(x * residuals), -2 * np.mean(residuals)]


LISTS = [
    (checks.check_square, square_by_list),
    (checks.check_predict, predict_by_loop),
    (checks.check_residuals, residuals_by_loop),
    (checks.check_descent_loop, descent_loop_returning_the_list),
    (checks.check_gradient, gradient_as_a_list),
]


@pytest.mark.parametrize("checker, answer", LISTS, ids=[f.__name__ for _, f in LISTS])
def test_a_list_where_an_array_is_asked_for_is_named(checker, answer):
    _named(checker(answer), "returned a list where a numpy array is asked for")


def test_a_list_is_named_in_the_same_words_by_every_exercise():
    messages = {checker(answer).message for checker, answer in LISTS}
    assert len(messages) == 1, messages


def test_a_list_with_a_wrong_number_names_the_mistake_and_then_the_list():
    def predict(x, m, b):
        return [m * xi for xi in x]  # b forgotten, and a list

    message = _named(checks.check_predict(predict), "intercept b is missing")
    assert message.endswith("wrap it at the end, return np.array(...).")


def test_the_exercises_that_ask_for_a_list_or_a_pair_still_take_one():
    assert checks.check_observation_pairs(lambda x, y: list(zip(x, y))).passed

    def update_step(x, y, m, b, learning_rate):
        d_m, d_b = gdlab.mse_gradient(x, y, m, b)
        return [m - learning_rate * d_m, b - learning_rate * d_b]

    assert checks.check_step(update_step).passed


# --- 01: the mean without np.mean ---------------------------------------------


def helper_total_over_count(values):
    return np.mean(values)


@pytest.mark.parametrize(
    "mean",
    [
        lambda values: np.mean(values),
        lambda values: values.mean(),
        lambda values: np.average(values),
        lambda values: statistics.fmean(values),
        np.mean,  # mean = np.mean
        lambda values: helper_total_over_count(values),  # a helper of the notebook
    ],
    ids=["np.mean", "values.mean()", "np.average", "fmean", "alias", "helper"],
)
def test_the_mean_with_a_forbidden_shortcut_is_named(mean):
    _named(checks.check_mean(mean), "ready-made mean", "sum(values)")


def test_an_alias_of_the_shortcut_is_seen_through():
    def mean(values):
        return average_of(values)

    _named(checks.check_mean(mean), "ready-made mean")


def _notebook(source):
    """The names a notebook's cells define, run as a kernel runs them (in __main__)."""
    namespace = {"__name__": "__main__"}
    exec("import numpy as np\n" + source, namespace)  # a learner's cell
    return namespace


@pytest.mark.parametrize(
    "cell",
    [
        "def mean(values):\n    return np.mean(values)",
        "def mean(values):\n    return values.mean()",
        "from numpy import mean as avg\ndef mean(values):\n    return avg(values)",
        "def total(v):\n    return np.average(v)\ndef mean(values):\n    return total(values)",
        "mean = np.mean",
    ],
)
def test_the_shortcut_is_named_in_a_notebook_where_the_function_is_called_mean(cell):
    """In the notebook the learner's own function is the global ``mean``: the
    attribute ``np.mean`` must not be taken for it."""
    _named(checks.check_mean(_notebook(cell)["mean"]), "ready-made mean")


def test_a_recursive_mean_in_a_notebook_is_not_a_shortcut():
    cell = "def mean(values):\n    if len(values) == 1:\n        return float(values[0])\n    return (values[0] + (len(values) - 1) * mean(values[1:])) / len(values)"
    assert checks.check_mean(_notebook(cell)["mean"]).passed


def test_a_variable_called_mean_or_average_is_not_a_shortcut():
    def mean(values):
        total = 0.0
        for value in values:
            total += value
        average = total / len(values)
        return average

    assert checks.check_mean(mean).passed


def test_the_mean_with_a_loop_from_index_1():
    def mean(values):
        total = 0
        for i in range(1, len(values)):
            total += values[i]
        return total / len(values)

    _named(checks.check_mean(mean), "first value is missing", "index 1")


def test_the_mean_with_a_loop_from_1_to_n_as_in_the_formula():
    def mean(values):
        total = 0
        for i in range(1, len(values) + 1):
            total += values[i]
        return total / len(values)

    _named(checks.check_mean(mean), "Python counts from 0", "range(len(values))")


# --- 04: the gradient ------------------------------------------------------------


def test_gradient_with_an_inner_derivative_x_squared():
    def my_gradient(x, y, m, b):
        residuals = y - (m * x + b)
        dL_dm = -2 * np.mean(x**2 * residuals)
        dL_db = -2 * np.mean(residuals)
        return np.array([dL_dm, dL_db])

    _named(checks.check_gradient(my_gradient), "x_i²", "∂L/∂b is right")


def test_gradient_divided_by_n_minus_1():
    def my_gradient(x, y, m, b):
        n = len(x)
        residuals = y - (m * x + b)
        dL_dm = -2 * np.sum(x * residuals) / (n - 1)
        dL_db = -2 * np.sum(residuals) / (n - 1)
        return np.array([dL_dm, dL_db])

    _named(checks.check_gradient(my_gradient), "n − 1")


# --- 05: ∂L/∂m used for b --------------------------------------------------------


def test_step_with_dL_dm_used_for_b():
    def update_step(x, y, m, b, learning_rate):
        d_m, d_b = gdlab.mse_gradient(x, y, m, b)  # noqa: RUF059 - d_b forgotten
        return m - learning_rate * d_m, b - learning_rate * d_m

    _named(checks.check_step(update_step), "b moved by ∂L/∂m")


def test_loop_with_dL_dm_used_for_b():
    def descent_loop(x, y, m, b, learning_rate, steps):
        path = [(m, b)]
        for _ in range(steps):
            d_m, d_b = gdlab.mse_gradient(x, y, m, b)  # noqa: RUF059 - d_b forgotten
            m, b = m - learning_rate * d_m, b - learning_rate * d_m
            path.append((m, b))
        return np.array(path)

    _named(checks.check_descent_loop(descent_loop), "b moved by ∂L/∂m")


# --- 05b: u * H * u ----------------------------------------------------------------


@pytest.mark.parametrize(
    "curvature",
    [
        lambda H, u: u * H * u / (u @ u),
        lambda H, u: u.T * H * u / (u.T @ u),
        lambda H, u: u * H * u,
        lambda H, u: np.sum(u * H * u) / (u @ u),
    ],
    ids=["u*H*u/(u@u)", "u.T*H*u", "no division", "summed"],
)
def test_curvature_with_star_for_the_matrix_product(curvature):
    _named(checks.check_curvature(curvature), "element by element", "u @ H @ u")


def test_curvature_divided_by_u_times_u_crashes_into_a_named_cause():
    def curvature(H, u):
        return u.T * H * u / (u.T * u)

    message = checks.check_curvature(curvature).message
    assert "u * u" in message and "u @ u" in message, message


# --- 06: np.linalg.eig does not sort -------------------------------------------


def _hessian(x):
    return 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


@pytest.mark.parametrize(
    "largest",
    [
        lambda H: np.linalg.eig(H)[0][0],
        lambda H: np.linalg.eig(H)[0][-1],
        lambda H: np.linalg.eigvals(H)[0],
    ],
    ids=["eig[0][0]", "eig[0][-1]", "eigvals[0]"],
)
def test_will_converge_with_unsorted_eig(largest):
    def will_converge(x, learning_rate):
        lambda_max = largest(_hessian(x))
        return bool(learning_rate < 2 / lambda_max)

    _named(checks.check_convergence_prediction(will_converge), "eigvalsh")


def test_eig_message_states_the_true_eigenvalues():
    values = np.linalg.eigvalsh(gdlab.mse_hessian(np.linspace(-1, 1, 9)))
    listed = f"[{values[0]:.4f}, {values[1]:.1f}]"
    message = checks.check_convergence_prediction(
        lambda x, rate: bool(rate < 2 / np.linalg.eig(_hessian(x))[0][0])
    ).message
    assert f"x in [-1, 1] gives {listed}" in message, (listed, message)


def test_will_converge_dividing_by_a_zero_eigenvalue_is_explained():
    def will_converge(x, learning_rate):
        H = 2 * np.array([[np.mean(x) ** 2, np.mean(x)], [np.mean(x), 1.0]])
        lambda_min = np.linalg.eigvalsh(H)[0]
        return bool(learning_rate < 2 / lambda_min)

    message = checks.check_convergence_prediction(will_converge).message
    assert "eigenvalue of your H is 0" in message, message


def test_eig_returns_the_largest_first_for_one_hidden_case_and_last_for_another():
    """The eig mistake is caught by its order alone, not by luck of one platform."""
    from gdlab.checks.matrix_checks import CONVERGENCE

    firsts = set()
    for x in {c[0].tobytes(): c[0] for c in CONVERGENCE.cases}.values():
        values = np.linalg.eig(_hessian(x))[0]
        firsts.add(bool(values[0] == values.max()))
    assert firsts == {True, False}


# --- 07: the design matrix on degree 0 ------------------------------------------


def test_design_matrix_with_an_off_by_one_loop():
    def my_design_matrix(x, degree):
        return np.column_stack([x**j for j in range(degree)])

    message = _named(checks.check_design_matrix(my_design_matrix), "range(degree + 1)")
    assert "ValueError" not in message and "one power short" in message


def test_design_matrix_with_an_off_by_one_loop_of_appends():
    def my_design_matrix(x, degree):
        columns = []
        for j in range(degree):
            columns.append(x**j)
        return np.column_stack(columns)

    _named(checks.check_design_matrix(my_design_matrix), "one power short")


def test_design_matrix_without_the_column_of_ones():
    def my_design_matrix(x, degree):
        return np.column_stack([x**j for j in range(1, degree + 1)])

    message = _named(checks.check_design_matrix(my_design_matrix), "column of ones")
    assert "ValueError" not in message


def test_design_matrix_with_vander_as_it_comes():
    def my_design_matrix(x, degree):
        return np.vander(x, degree)

    _named(checks.check_design_matrix(my_design_matrix), "increasing=True")


def test_design_matrix_with_an_empty_list_otherwise_is_explained():
    def my_design_matrix(x, degree):  # right for degree ≥ 1, not a known mistake
        return np.column_stack([x**j for j in range(degree + 1) if j or degree])

    message = checks.check_design_matrix(my_design_matrix).message
    assert "degree 0 still has one column" in message, message


# --- 08: no tolerance at all ---------------------------------------------------------


def test_classify_with_v_equal_zero():
    def classify(hessian):
        values = np.linalg.eigvalsh(hessian)
        zero = values == 0
        positive = (values > 0) & ~zero
        negative = (values < 0) & ~zero
        if positive.any() and negative.any():
            return "saddle"
        if positive.all():
            return "minimum"
        if negative.all():
            return "maximum"
        return "degenerate"

    _named(checks.check_classification(classify), "exactly 0", "rounding")


def test_classify_with_no_zero_test_at_all():
    def classify(hessian):
        values = np.linalg.eigvalsh(hessian)
        if np.any(values > 0) and np.any(values < 0):
            return "saddle"
        if np.all(values > 0):
            return "minimum"
        if np.all(values < 0):
            return "maximum"
        return "degenerate"

    _named(checks.check_classification(classify), "exactly 0")


def test_classify_with_a_fixed_absolute_tolerance():
    def classify(hessian):
        values = np.linalg.eigvalsh(hessian)
        zero = np.abs(values) <= 1e-12
        positive, negative = (values > 0) & ~zero, (values < 0) & ~zero
        if positive.any() and negative.any():
            return "saddle"
        if positive.all():
            return "minimum"
        return "maximum" if negative.all() else "degenerate"

    _named(checks.check_classification(classify), "fixed size", "max |λ|")


def test_the_rounding_cases_are_rounding_level_and_degenerate():
    from gdlab.checks.matrix_checks import _LARGE, _ROUNDING

    for hessian in (*_ROUNDING, _LARGE):
        values = np.linalg.eigvalsh(hessian)
        small = np.abs(values).min()
        assert 0 < small <= 1e-12 * np.abs(values).max()
        assert gdlab.classify_critical_point(hessian) == "degenerate"


# --- 09: the first B rows ---------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [lambda X, y, indices: (X[: len(indices)], y[: len(indices)])],
)
def test_batch_gradient_with_the_first_B_rows(rows):
    def batch_gradient(X, y, theta, indices):
        X_B, y_B = rows(X, y, indices)
        B = len(indices)
        return 2 / B * X_B.T @ (X_B @ theta - y_B)

    _named(checks.check_batch_gradient(batch_gradient), "first B rows", "X[indices]")


# --- every exercise's right answer, as the lessons write it and otherwise ------------


def _loop(x, y, m, b, learning_rate, steps):
    path = [(m, b)]
    for _ in range(steps):
        d_m, d_b = gdlab.mse_gradient(x, y, m, b)
        m, b = m - learning_rate * d_m, b - learning_rate * d_b
        path.append((m, b))
    return np.array(path)


def _mean_by_loop(values):
    total = 0.0
    for i in range(len(values)):
        total += values[i]
    return total / len(values)


def _classify(hessian):
    values = np.linalg.eigvalsh(np.asarray(hessian, dtype=float))
    zero = np.abs(values) <= 1e-12 * np.abs(values).max()
    positive, negative = (values > 0) & ~zero, (values < 0) & ~zero
    if positive.any() and negative.any():
        return "saddle"
    if positive.all():
        return "minimum"
    return "maximum" if negative.all() else "degenerate"


def _will_converge(x, learning_rate):
    return bool(learning_rate < 2 / np.linalg.eigvalsh(_hessian(x))[-1])


RIGHT = [
    (checks.check_square, lambda r: r**2),
    (checks.check_square, lambda r: r * r),
    (checks.check_observation_pairs, lambda x, y: list(zip(x, y))),
    (checks.check_mean, lambda values: sum(values) / len(values)),
    (checks.check_mean, _mean_by_loop),
    (checks.check_predict, lambda x, m, b: m * x + b),
    (checks.check_predict, lambda x, m, b: np.array([m * xi + b for xi in x])),
    (checks.check_residuals, lambda x, y, m, b: y - (m * x + b)),
    (checks.check_mse, lambda y, y_hat: float(np.mean((y - y_hat) ** 2))),
    (checks.check_gradient, gdlab.mse_gradient),
    (checks.check_step, lambda x, y, m, b, rate: _loop(x, y, m, b, rate, 1)[1]),
    (checks.check_descent_loop, _loop),
    (checks.check_curvature, lambda H, u: u @ H @ u / (u @ u)),
    (checks.check_convergence_prediction, _will_converge),
    (
        checks.check_convergence_prediction,
        lambda x, rate: rate < 2 / max(np.linalg.eig(_hessian(x))[0]),
    ),
    (
        checks.check_design_matrix,
        lambda x, d: np.column_stack([x**j for j in range(d + 1)]),
    ),
    (checks.check_design_matrix, lambda x, d: np.vander(x, d + 1, increasing=True)),
    (checks.check_classification, _classify),
    (
        checks.check_batch_gradient,
        lambda X, y, t, i: 2 / len(i) * X[i].T @ (X[i] @ t - y[i]),
    ),
]


@pytest.mark.parametrize("checker, answer", RIGHT)
def test_every_right_answer_passes(checker, answer):
    feedback = checker(answer)
    assert feedback.passed, feedback.message
