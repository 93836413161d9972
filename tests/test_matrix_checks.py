"""The checkers of lessons 06–08 pass right answers and name each known mistake."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab import checks


def _hessian(x):
    x = np.asarray(x, dtype=float)
    return 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def _eigs(x):
    return np.linalg.eigvalsh(_hessian(x))


def stub(*args):
    raise NotImplementedError


class TestConvergencePrediction:
    def test_right_answer_passes(self):
        feedback = checks.check_convergence_prediction(
            lambda x, eta: eta < 2 / _eigs(x)[-1]
        )
        assert feedback.passed, feedback.message

    def test_stub_is_not_yet(self):
        feedback = checks.check_convergence_prediction(stub)
        assert (
            not feedback.passed and feedback.not_yet and "Not yet" in feedback.message
        )

    @pytest.mark.parametrize(
        "wrong, phrase",
        [
            (lambda x, eta: eta < 1 / _eigs(x)[-1], "1/λ_max"),
            (lambda x, eta: eta < 2 / _eigs(x)[0], "λ_min"),
            (lambda x, eta: eta < 4 / _eigs(x)[-1], "factor 2"),
            (lambda x, eta: eta > 2 / _eigs(x)[-1], "wrong way round"),
            (lambda x, eta: eta <= 0.01, "fixed 0.01"),
            (lambda x, eta: eta < 0.01, "fixed 0.01"),
            (lambda x, eta: True, "always says True"),
        ],
    )
    def test_named_mistakes(self, wrong, phrase):
        feedback = checks.check_convergence_prediction(wrong)
        assert not feedback.passed and phrase in feedback.message, feedback.message

    def test_returning_the_bound_instead_of_a_verdict(self):
        feedback = checks.check_convergence_prediction(lambda x, eta: 2 / _eigs(x)[-1])
        assert "True (converges) or False" in feedback.message

    def test_crash_and_none_are_said_plainly(self):
        assert (
            "raised ZeroDivisionError"
            in checks.check_convergence_prediction(lambda x, eta: 1 / 0).message
        )
        assert (
            "forget `return`"
            in checks.check_convergence_prediction(lambda x, eta: None).message
        )

    def test_a_nan_producing_function_is_caught(self):
        feedback = checks.check_convergence_prediction(
            lambda x, eta: eta < np.float64(0.0) / 0.0
        )
        assert not feedback.passed and "raised" in feedback.message


class TestDesignMatrix:
    def right(self, x, degree):
        return np.asarray(x, dtype=float)[:, None] ** np.arange(degree + 1)

    def test_right_answer_passes(self):
        assert checks.check_design_matrix(self.right).passed

    def test_stub_is_not_yet(self):
        assert checks.check_design_matrix(stub).not_yet

    @pytest.mark.parametrize(
        "wrong, phrase",
        [
            (
                lambda x, d: np.asarray(x)[:, None] ** np.arange(1, d + 1),
                "column of ones is missing",
            ),
            (lambda x, d: np.vander(x, d + 1), "reverse order"),
            (lambda x, d: np.asarray(x)[:, None] ** np.arange(d), "one power short"),
            (
                lambda x, d: (np.asarray(x)[:, None] ** np.arange(d + 1)).T,
                "Rows and columns are swapped",
            ),
            (
                lambda x, d: np.asarray(x)[:, None] * np.arange(d + 1),
                "multiplied x by j",
            ),
            (
                lambda x, d: np.column_stack(
                    [np.zeros_like(x)] + [np.asarray(x) ** j for j in range(1, d + 1)]
                ),
                "Column 0 must be all ones",
            ),
            (lambda x, d: np.full((len(x), d + 1), np.nan), "NaN"),
            (lambda x, d: np.asarray(x) ** d, "shape"),
            (lambda x, d: "matrix", "text"),
        ],
    )
    def test_named_mistakes(self, wrong, phrase):
        feedback = checks.check_design_matrix(wrong)
        assert not feedback.passed and phrase in feedback.message, feedback.message

    def test_a_list_of_lists_is_named_though_its_numbers_are_right(self):
        feedback = checks.check_design_matrix(
            lambda x, d: [[xi**j for j in range(d + 1)] for xi in x]
        )
        assert not feedback.passed and "returned a list" in feedback.message


class TestClassification:
    @staticmethod
    def right(hessian):
        # Mixed signs first (a saddle whatever the zeros); "zero" relative to the
        # largest |eigenvalue|, as lesson 08 teaches.
        values = np.linalg.eigvalsh(hessian)
        zero = np.abs(values) <= 1e-12 * np.abs(values).max()
        up, down = (values > 0) & ~zero, (values < 0) & ~zero
        if up.any() and down.any():
            return "saddle"
        if up.all():
            return "minimum"
        return "maximum" if down.all() else "degenerate"

    def test_right_answer_passes(self):
        assert checks.check_classification(self.right).passed

    def test_capitals_and_spaces_are_forgiven(self):
        assert checks.check_classification(lambda h: " " + self.right(h).upper()).passed

    def test_stub_is_not_yet(self):
        assert checks.check_classification(stub).not_yet

    def test_zero_eigenvalue_taken_for_a_minimum(self):
        def wrong(h):
            values = np.linalg.eigvalsh(h)
            if np.all(values >= 0):
                return "minimum"
            return "maximum" if np.all(values <= 0) else "saddle"

        assert "zero" in checks.check_classification(wrong).message

    def test_diagonal_entries_taken_for_eigenvalues(self):
        def wrong(h):
            return self.right(np.diag(np.diag(h)))

        assert "diagonal" in checks.check_classification(wrong).message

    def test_two_by_two_determinant_test_on_three_parameters(self):
        def wrong(h):
            det = np.linalg.det(h)
            if np.isclose(det, 0):
                return "degenerate"
            if det < 0:
                return "saddle"
            return "minimum" if h[0][0] > 0 else "maximum"

        assert (
            "determinant test is for 2×2 only"
            in checks.check_classification(wrong).message
        )

    def test_minimum_and_maximum_swapped(self):
        swap = {"minimum": "maximum", "maximum": "minimum"}
        feedback = checks.check_classification(
            lambda h: swap.get(self.right(h), self.right(h))
        )
        assert "swapped" in feedback.message

    def test_exact_zero_comparison_is_named(self):
        def wrong(h):
            values = np.linalg.eigvalsh(h)
            if np.all(values > 0):
                return "minimum"
            return "maximum" if np.all(values < 0) else "saddle"

        assert "degenerate" in checks.check_classification(wrong).message

    def test_wrong_word_and_crash(self):
        assert (
            "one of the words" in checks.check_classification(lambda h: "min").message
        )
        assert "raised" in checks.check_classification(lambda h: h.nope).message


class TestBatchGradient:
    @staticmethod
    def right(X, y, theta, indices):
        Xb, yb = X[indices], y[indices]
        return 2 / len(indices) * Xb.T @ (Xb @ theta - yb)

    def test_right_answer_passes_and_stub_is_not_yet(self):
        assert checks.check_batch_gradient(self.right).passed
        assert checks.check_batch_gradient(stub).not_yet

    @pytest.mark.parametrize(
        "wrong, phrase",
        [
            (lambda X, y, t, i: 2 / len(y) * X.T @ (X @ t - y), "used all the rows"),
            (
                lambda X, y, t, i: 2 / len(y) * X[i].T @ (X[i] @ t - y[i]),
                "divided by n",
            ),
            (lambda X, y, t, i: 1 / len(i) * X[i].T @ (X[i] @ t - y[i]), "factor 2"),
            (
                lambda X, y, t, i: 2 / len(i) * X[i].T @ (y[i] - X[i] @ t),
                "sign is flipped",
            ),
            (lambda X, y, t, i: 2 * X[i].T @ (X[i] @ t - y[i]), "summed"),
            (lambda X, y, t, i: np.zeros(3), "shape"),
            (lambda X, y, t, i: np.full(2, np.nan), "NaN"),
        ],
    )
    def test_named_mistakes(self, wrong, phrase):
        feedback = checks.check_batch_gradient(wrong)
        assert not feedback.passed and phrase in feedback.message, feedback.message
