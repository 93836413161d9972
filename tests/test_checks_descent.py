"""The lesson-05 checkers pass right answers and name each known mistake.

Every wrong function here is written the way a learner would write it (by
hand, from the formulas), not built from the checker's own catalogue, so a
test fails if the checker's idea of a mistake drifts from what learners do.
"""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab import checks
from gdlab.checks import check_descent_loop, check_step


def grad(x, y, m, b):
    residuals = y - (m * x + b)
    return -2 * np.mean(x * residuals), -2 * np.mean(residuals)


# --- check_step ----------------------------------------------------------------


def good_step(x, y, m, b, learning_rate):
    d_m, d_b = grad(x, y, m, b)
    return m - learning_rate * d_m, b - learning_rate * d_b


def test_checks_are_exported_from_the_package():
    assert checks.check_step is check_step
    assert checks.check_descent_loop is check_descent_loop


class TestCheckStep:
    def test_a_right_step_passes(self):
        feedback = check_step(good_step)
        assert feedback.passed and not feedback.not_yet
        assert "θ ← θ − η·∇L" in feedback.message

    def test_a_step_using_the_library_gradient_and_returning_an_array_passes(self):
        def step(x, y, m, b, learning_rate):
            theta = np.array([m, b])
            return theta - learning_rate * gdlab.mse_gradient(x, y, m, b)

        assert check_step(step).passed

    def test_the_stub_is_not_yet(self):
        def step(x, y, m, b, learning_rate):
            raise NotImplementedError

        feedback = check_step(step)
        assert not feedback.passed and feedback.not_yet
        assert feedback.message.startswith("Not yet")
        assert feedback.symbol == "✏️"

    def test_sign_flipped(self):
        def step(x, y, m, b, learning_rate):
            d_m, d_b = grad(x, y, m, b)
            return m + learning_rate * d_m, b + learning_rate * d_b

        feedback = check_step(step)
        assert not feedback.passed and not feedback.not_yet
        assert "sign is flipped" in feedback.message.lower()

    def test_m_updated_first_and_b_from_the_new_m(self):
        def step(x, y, m, b, learning_rate):
            m = m - learning_rate * (-2 * np.mean(x * (y - (m * x + b))))
            b = b - learning_rate * (-2 * np.mean(y - (m * x + b)))
            return m, b

        feedback = check_step(step)
        assert not feedback.passed
        assert "one after the other" in feedback.message.lower()
        assert "b's update used the new m" in feedback.message.lower()

    def test_b_updated_first_and_m_from_the_new_b(self):
        def step(x, y, m, b, learning_rate):
            b = b - learning_rate * grad(x, y, m, b)[1]
            m = m - learning_rate * grad(x, y, m, b)[0]
            return m, b

        feedback = check_step(step)
        assert "one after the other" in feedback.message.lower()
        assert "m's update used the new b" in feedback.message.lower()

    @pytest.mark.parametrize("only", ["m", "b"])
    def test_learning_rate_on_one_parameter_only(self, only):
        def step(x, y, m, b, learning_rate):
            d_m, d_b = grad(x, y, m, b)
            if only == "m":
                return m - learning_rate * d_m, b - d_b
            return m - d_m, b - learning_rate * d_b

        feedback = check_step(step)
        assert f"learning rate was applied to {only} only" in feedback.message.lower()

    def test_gradient_not_multiplied_by_the_learning_rate(self):
        def step(x, y, m, b, learning_rate):
            d_m, d_b = grad(x, y, m, b)
            return m - d_m, b - d_b

        assert "not multiplied by the learning rate" in check_step(step).message

    def test_learning_rate_added_to_the_gradient(self):
        def step(x, y, m, b, learning_rate):
            d_m, d_b = grad(x, y, m, b)
            return m - (learning_rate + d_m), b - (learning_rate + d_b)

        assert (
            "added to the gradient instead of multiplying" in check_step(step).message
        )

    def test_learning_rate_alone(self):
        def step(x, y, m, b, learning_rate):
            return m - learning_rate, b - learning_rate

        assert "the gradient is missing" in check_step(step).message

    def test_returned_the_step_not_the_parameters(self):
        def step(x, y, m, b, learning_rate):
            d_m, d_b = grad(x, y, m, b)
            return learning_rate * d_m, learning_rate * d_b

        assert "returned the step" in check_step(step).message

    def test_returned_unchanged(self):
        assert (
            "unchanged" in check_step(lambda x, y, m, b, learning_rate: (m, b)).message
        )

    def test_swapped_order(self):
        def step(x, y, m, b, learning_rate):
            new_m, new_b = good_step(x, y, m, b, learning_rate)
            return new_b, new_m

        assert "wrong order" in check_step(step).message

    def test_factor_two_missing_in_the_gradient(self):
        def step(x, y, m, b, learning_rate):
            residuals = y - (m * x + b)
            return (
                m + learning_rate * np.mean(x * residuals),
                b + learning_rate * np.mean(residuals),
            )

        assert "factor 2" in check_step(step).message

    def test_sum_instead_of_mean_in_the_gradient(self):
        def step(x, y, m, b, learning_rate):
            residuals = y - (m * x + b)
            return (
                m + 2 * learning_rate * np.sum(x * residuals),
                b + 2 * learning_rate * np.sum(residuals),
            )

        assert "instead of taking the mean" in check_step(step).message

    def test_the_notes_gradient_with_minus_m_for_minus_x(self):
        def step(x, y, m, b, learning_rate):
            residuals = y - (m * x + b)
            d_m = 2 * np.mean(residuals * (-m))
            d_b = -2 * np.mean(residuals)
            return m - learning_rate * d_m, b - learning_rate * d_b

        message = check_step(step).message
        assert "common mistake" in message and "−x_i" in message

    def test_an_unknown_mistake_in_b_says_m_is_right(self):
        def step(x, y, m, b, learning_rate):
            d_m, d_b = grad(x, y, m, b)
            return m - learning_rate * d_m, b - learning_rate * d_b + 0.1

        feedback = check_step(step)
        assert not feedback.passed
        assert "m is right but b is off" in feedback.message
        assert "expected (m, b)" in feedback.message.lower()

    def test_a_crash_is_reported_plainly(self):
        def step(x, y, m, b, learning_rate):
            return m - learning_rate * gradient_i_forgot_to_define  # noqa: F821

        feedback = check_step(step)
        assert not feedback.passed and not feedback.not_yet
        assert feedback.message.startswith("Your function raised NameError")

    def test_none_is_reported(self):
        def step(x, y, m, b, learning_rate):
            good_step(x, y, m, b, learning_rate)

        assert "returned None" in check_step(step).message

    @pytest.mark.parametrize("value", [(1.0, 2.0, 3.0), 5.0, [[1.0, 2.0, 3.0]]])
    def test_wrong_shape(self, value):
        feedback = check_step(lambda x, y, m, b, learning_rate: value)
        assert not feedback.passed
        assert "expected two numbers" in feedback.message.lower()

    def test_per_observation_arrays_are_explained(self):
        def step(x, y, m, b, learning_rate):
            residuals = y - (m * x + b)
            return (
                m + 2 * learning_rate * x * residuals,
                b + 2 * learning_rate * residuals,
            )

        assert "one per observation" in check_step(step).message

    def test_nan_is_reported(self):
        feedback = check_step(lambda x, y, m, b, learning_rate: (float("nan"), b))
        assert not feedback.passed and "nan" in feedback.message.lower()

    def test_not_a_function(self):
        feedback = check_step(3)
        assert (
            not feedback.passed
            and "expected a function" in feedback.message.lower().lower()
        )

    def test_a_warning_is_caught_not_printed(self):
        def step(x, y, m, b, learning_rate):
            return np.array([m, b]) / np.zeros(2)

        feedback = check_step(step)
        assert not feedback.passed and "raised" in feedback.message.lower()


# --- check_descent_loop ------------------------------------------------------


def good_loop(x, y, m, b, learning_rate, steps):
    path = [(m, b)]
    for _ in range(steps):
        m, b = good_step(x, y, m, b, learning_rate)
        path.append((m, b))
    return np.array(path)


class TestCheckDescentLoop:
    def test_a_right_loop_passes(self):
        feedback = check_descent_loop(good_loop)
        assert feedback.passed and "steps = 0" in feedback.message.lower()

    def test_a_list_of_tuples_is_named_though_its_numbers_are_right(self):
        feedback = check_descent_loop(lambda *args: good_loop(*args).tolist())
        assert not feedback.passed and "returned a list" in feedback.message
        assert "np.array" in feedback.message

    def test_it_agrees_with_the_library_engine(self):
        def loop(x, y, m, b, learning_rate, steps):
            run = gdlab.gradient_descent(
                x, y, (m, b), learning_rate, steps, tolerance=1e-300
            )
            return run.params

        assert check_descent_loop(loop).passed

    def test_the_stub_is_not_yet(self):
        def loop(x, y, m, b, learning_rate, steps):
            raise NotImplementedError

        feedback = check_descent_loop(loop)
        assert feedback.not_yet and not feedback.passed

    def test_only_the_final_point(self):
        feedback = check_descent_loop(lambda *args: good_loop(*args)[-1])
        assert "only the final point" in feedback.message.lower()

    def test_one_step_too_many(self):
        def loop(x, y, m, b, learning_rate, steps):
            return good_loop(x, y, m, b, learning_rate, steps + 1)

        assert "one step too many" in check_descent_loop(loop).message.lower()

    def test_one_step_too_few(self):
        def loop(x, y, m, b, learning_rate, steps):
            return good_loop(x, y, m, b, learning_rate, max(steps - 1, 0))

        assert "one step too few" in check_descent_loop(loop).message.lower()

    def test_start_missing(self):
        def loop(x, y, m, b, learning_rate, steps):
            return good_loop(x, y, m, b, learning_rate, steps)[1:]

        assert "start is missing" in check_descent_loop(loop).message.lower()

    def test_never_moves(self):
        def loop(x, y, m, b, learning_rate, steps):
            path = [(m, b)]
            for _ in range(steps):
                good_step(x, y, m, b, learning_rate)  # result thrown away
                path.append((m, b))
            return path

        assert "never moves" in check_descent_loop(loop).message.lower()

    def test_every_step_from_the_start(self):
        def loop(x, y, m, b, learning_rate, steps):
            path = [(m, b)]
            for _ in range(steps):
                path.append(good_step(x, y, m, b, learning_rate))
            return path

        assert "starts again from the start" in check_descent_loop(loop).message.lower()

    def test_same_array_appended_and_changed_in_place(self):
        def loop(x, y, m, b, learning_rate, steps):
            theta = np.array([m, b], dtype=float)
            path = [theta]
            for _ in range(steps):
                theta -= learning_rate * gdlab.mse_gradient(x, y, *theta)
                path.append(theta)
            return path

        assert "changed in place" in check_descent_loop(loop).message.lower()

    def test_sequential_updates_inside_the_loop(self):
        def loop(x, y, m, b, learning_rate, steps):
            path = [(m, b)]
            for _ in range(steps):
                m = m - learning_rate * grad(x, y, m, b)[0]
                b = b - learning_rate * grad(x, y, m, b)[1]
                path.append((m, b))
            return path

        message = check_descent_loop(loop).message
        assert "each step is wrong in the same way" in message.lower()
        assert "one after the other" in message

    def test_sign_flipped_inside_the_loop(self):
        def loop(x, y, m, b, learning_rate, steps):
            path = [(m, b)]
            for _ in range(steps):
                d_m, d_b = grad(x, y, m, b)
                m, b = m + learning_rate * d_m, b + learning_rate * d_b
                path.append((m, b))
            return path

        assert "sign is flipped" in check_descent_loop(loop).message.lower()

    def test_learning_rate_on_m_only_inside_the_loop(self):
        def loop(x, y, m, b, learning_rate, steps):
            path = [(m, b)]
            for _ in range(steps):
                d_m, d_b = grad(x, y, m, b)
                m, b = m - learning_rate * d_m, b - d_b
                path.append((m, b))
            return path

        assert "applied to m only" in check_descent_loop(loop).message.lower()

    def test_wrong_start_row(self):
        def loop(x, y, m, b, learning_rate, steps):
            path = good_loop(x, y, m, b, learning_rate, steps)
            path[0] = (0.0, 0.0)
            return path

        assert "row 0 should be the start" in check_descent_loop(loop).message.lower()

    def test_an_unknown_slip_is_located(self):
        def loop(x, y, m, b, learning_rate, steps):
            path = good_loop(x, y, m, b, learning_rate, steps)
            if steps > 2:
                path[3] += 0.5
            return path

        message = check_descent_loop(loop).message
        assert "right up to row 2" in message and "row 3 should be" in message

    def test_transposed_path(self):
        assert (
            "on its side"
            in check_descent_loop(lambda *args: good_loop(*args).T).message
        )

    def test_crash_none_and_nan(self):
        def crash(x, y, m, b, learning_rate, steps):
            empty = []
            return empty[0]

        def nothing(x, y, m, b, learning_rate, steps):
            good_loop(x, y, m, b, learning_rate, steps)

        def nan(x, y, m, b, learning_rate, steps):
            return np.full((steps + 1, 2), np.nan)

        assert check_descent_loop(crash).message.startswith(
            "Your function raised IndexError"
        )
        assert "returned None" in check_descent_loop(nothing).message
        assert "NaN" in check_descent_loop(nan).message

    def test_a_generic_wrong_shape(self):
        feedback = check_descent_loop(lambda *args: np.zeros((4, 3)))
        assert (
            not feedback.passed
            and "should have shape (6, 2)" in feedback.message.lower()
        )


def test_step_using_the_notebooks_data_instead_of_its_arguments():
    other = gdlab.make_observations(n=10, seed=1)

    def step(x, y, m, b, learning_rate):
        d_m, d_b = gdlab.mse_gradient(other.x, other.y, m, b)
        return m - learning_rate * d_m, b - learning_rate * d_b

    assert "whatever x and y it is given" in check_step(step).message


def test_loop_using_the_notebooks_data_instead_of_its_arguments():
    other = gdlab.make_observations(n=10, seed=1)

    def loop(x, y, m, b, learning_rate, steps):
        return good_loop(other.x, other.y, m, b, learning_rate, steps)

    assert "whatever x and y it is given" in check_descent_loop(loop).message
