"""The lesson-10 checkers pass right answers and name each known mistake.

Every wrong function here is written by hand, the way a learner would write
it from the formulas, not taken from the checkers' tables, so a test fails
if a table drifts away from what learners actually write.
"""

from __future__ import annotations

import numpy as np
import pytest

from gdlab import checks
from gdlab.checks import check_adam_step, check_momentum_step

GENERIC = "Not yet right for case"


def _named(feedback, *phrases):
    assert not feedback.passed and not feedback.not_yet, feedback.message
    assert GENERIC not in feedback.message, feedback.message
    for phrase in phrases:
        assert phrase in feedback.message, (phrase, feedback.message)


def test_the_checkers_are_exported():
    assert checks.check_momentum_step is check_momentum_step
    assert checks.check_adam_step is check_adam_step


# --- momentum ----------------------------------------------------------------------


class TestMomentumStep:
    def test_the_right_step_passes(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            new_velocity = beta * velocity - learning_rate * gradient
            return theta + new_velocity, new_velocity

        feedback = check_momentum_step(momentum_step)
        assert feedback.passed, feedback.message

    def test_a_list_pair_and_a_written_out_loop_pass_too(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            new_v = [beta * v - learning_rate * g for v, g in zip(velocity, gradient)]
            return [t + v for t, v in zip(theta, new_v)], new_v

        assert check_momentum_step(momentum_step).passed

    def test_the_stub_is_not_yet(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            raise NotImplementedError

        assert check_momentum_step(momentum_step).not_yet

    def test_velocity_sign(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity = beta * velocity + learning_rate * gradient
            return theta + velocity, velocity

        _named(check_momentum_step(momentum_step), "wrong sign", "climbs uphill")

    def test_the_other_sign_convention(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity = beta * velocity + learning_rate * gradient
            return theta - velocity, velocity

        _named(check_momentum_step(momentum_step), "other sign convention")

    def test_beta_on_the_gradient_instead_of_the_velocity(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity = velocity - beta * learning_rate * gradient
            return theta + velocity, velocity

        _named(
            check_momentum_step(momentum_step),
            "β multiplies the gradient instead of the velocity",
        )

    def test_theta_moved_by_the_old_velocity(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            theta = theta + velocity
            velocity = beta * velocity - learning_rate * gradient
            return theta, velocity

        _named(check_momentum_step(momentum_step), "θ moved by the old velocity")

    def test_forgetting_the_learning_rate(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity = beta * velocity - gradient
            return theta + velocity, velocity

        _named(check_momentum_step(momentum_step), "learning rate is missing")

    def test_forgetting_beta(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity = velocity - learning_rate * gradient
            return theta + velocity, velocity

        _named(check_momentum_step(momentum_step), "β is missing")

    def test_the_averaged_form(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity = beta * velocity - (1 - beta) * learning_rate * gradient
            return theta + velocity, velocity

        _named(check_momentum_step(momentum_step), "averaged form")

    def test_returning_the_old_velocity(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            new_velocity = beta * velocity - learning_rate * gradient
            return theta + new_velocity, velocity

        _named(
            check_momentum_step(momentum_step), "velocity you returned is the old one"
        )

    def test_swapped_order(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity = beta * velocity - learning_rate * gradient
            return velocity, theta + velocity

        _named(check_momentum_step(momentum_step), "wrong order")

    def test_returning_theta_alone_says_to_return_the_pair(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            return theta + beta * velocity - learning_rate * gradient

        message = check_momentum_step(momentum_step).message
        assert "Return 2 arrays, (new_theta, new_velocity)" in message

    def test_changing_an_input_in_place_is_named(self):
        def momentum_step(theta, velocity, gradient, learning_rate, beta):
            velocity *= beta
            velocity -= learning_rate * gradient
            return theta + velocity, velocity

        assert "in place" in check_momentum_step(momentum_step).message


# --- Adam ---------------------------------------------------------------------------


def right_adam(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * gradient
    v = beta2 * v + (1 - beta2) * gradient**2
    m_hat = m / (1 - beta1 ** (t + 1))
    v_hat = v / (1 - beta2 ** (t + 1))
    return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v


class TestAdamStep:
    def test_the_right_step_passes(self):
        feedback = check_adam_step(right_adam)
        assert feedback.passed, feedback.message
        assert "t = 0" in feedback.message

    def test_a_step_counting_t_first_passes(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            t = t + 1
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * np.square(gradient)
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
            step = learning_rate * m_hat / (v_hat**0.5 + eps)
            return theta - step, m, v

        assert check_adam_step(adam_step).passed

    def test_the_stub_is_not_yet(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            raise NotImplementedError

        assert check_adam_step(adam_step).not_yet

    def test_missing_bias_correction(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * gradient**2
            return theta - learning_rate * m / (np.sqrt(v) + eps), m, v

        _named(check_adam_step(adam_step), "bias correction is missing")

    @pytest.mark.parametrize("only", ["m", "v"])
    def test_one_average_corrected(self, only):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * gradient**2
            m_hat = m / (1 - beta1 ** (t + 1)) if only == "m" else m
            v_hat = v / (1 - beta2 ** (t + 1)) if only == "v" else v
            return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v

        _named(check_adam_step(adam_step), f"Only {only} is bias-corrected")

    def test_eps_inside_the_square_root(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * gradient**2
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return theta - learning_rate * m_hat / np.sqrt(v_hat + eps), m, v

        _named(check_adam_step(adam_step), "ε is inside the square root")

    def test_second_average_of_g_not_g_squared(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * gradient
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v

        _named(check_adam_step(adam_step), "uses g, not g²")

    def test_bias_correction_with_t_starting_at_0(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * gradient**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            t += 1
            return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v

        _named(
            check_adam_step(adam_step), "t before this update is counted", "1 − β₁⁰ = 0"
        )

    def test_a_zero_division_elsewhere_still_explains_t(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * gradient**2
            m_hat = m / (1 - beta1**t)  # t = 0 at the first update
            v_hat = v / (1 - beta2 ** (t + 1))
            return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v

        message = check_adam_step(adam_step).message
        assert "1 − β₁⁰ = 0" in message

    def test_sums_instead_of_averages(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + gradient
            v = beta2 * v + (1 - beta2) * gradient**2
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v

        _named(check_adam_step(adam_step), "miss the factors (1 − β₁)")

    def test_sign_flipped(self):
        def adam_step(*args):
            theta, m, v = right_adam(*args)
            return 2 * args[0] - theta, m, v

        _named(check_adam_step(adam_step), "sign is flipped")

    def test_square_root_missing(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * gradient
            v = beta2 * v + (1 - beta2) * gradient**2
            m_hat = m / (1 - beta1 ** (t + 1))
            v_hat = v / (1 - beta2 ** (t + 1))
            return theta - learning_rate * m_hat / (v_hat + eps), m, v

        _named(check_adam_step(adam_step), "square root is missing")

    def test_old_averages_returned(self):
        def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
            new_theta, _, _ = right_adam(
                theta, m, v, t, gradient, learning_rate, beta1, beta2, eps
            )
            return new_theta, m, v

        _named(check_adam_step(adam_step), "came back as they were passed in")

    def test_returning_theta_alone_says_what_to_return(self):
        def adam_step(*args):
            return right_adam(*args)[0]

        assert (
            "Return 3 arrays, (new_theta, new_m, new_v)"
            in check_adam_step(adam_step).message
        )


def test_every_table_names_at_least_four_mistakes():
    from gdlab.checks import rule_checks

    assert len(rule_checks.MOMENTUM.mistakes) >= 4
    assert len(rule_checks.ADAM.mistakes) >= 4
    messages = [
        m.message for m in rule_checks.MOMENTUM.mistakes + rule_checks.ADAM.mistakes
    ]
    assert len(set(messages)) == len(messages), "one message per mistake"


def test_an_unnamed_wrong_answer_says_which_array_is_off():
    def adam_step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
        theta, m, v = right_adam(
            theta, m, v, t, gradient, learning_rate, beta1, beta2, eps
        )
        return theta * 1.01, m, v  # an unknown slip in θ only

    message = check_adam_step(adam_step).message
    assert "new_theta should be" in message and "(new_m and new_v right.)" in message
    assert GENERIC not in message

    def momentum_step(theta, velocity, gradient, learning_rate, beta):
        velocity = beta * velocity - 2 * learning_rate * gradient
        return theta + velocity, velocity

    message = check_momentum_step(momentum_step).message
    assert "new_theta should be" in message and "new_velocity should be" in message
