"""The one checker engine: the same treatment of stubs, crashes, None and changed inputs
for every exercise, and every row of every table of known mistakes reachable."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab import checks
from gdlab.checks import data_checks, descent_checks, loss_checks, matrix_checks
from gdlab.checks.engine import Exercise, Mistake, run_check, same

EXERCISES = {
    "square": (data_checks.SQUARE, checks.check_square),
    "pairs": (data_checks.PAIRS, checks.check_observation_pairs),
    "mean": (data_checks.MEAN, checks.check_mean),
    "predict": (data_checks.PREDICT, checks.check_predict),
    "residuals": (data_checks.RESIDUALS, checks.check_residuals),
    "mse": (loss_checks.MSE, checks.check_mse),
    "gradient": (loss_checks.GRADIENT, checks.check_gradient),
    "step": (descent_checks.STEP, checks.check_step),
    "loop": (descent_checks.LOOP, checks.check_descent_loop),
    "curvature": (matrix_checks.CURVATURE, checks.check_curvature),
    "convergence": (matrix_checks.CONVERGENCE, checks.check_convergence_prediction),
    "design": (matrix_checks.DESIGN, checks.check_design_matrix),
    "classify": (matrix_checks.CLASSIFY, checks.check_classification),
    "batch": (matrix_checks.BATCH, checks.check_batch_gradient),
}
IDS = list(EXERCISES)


def _rows():
    for name, (exercise, _) in EXERCISES.items():
        for k, mistake in enumerate(exercise.mistakes):
            yield pytest.param(exercise, mistake, id=f"{name}-{k}")


def test_every_checker_is_exported():
    for _, checker in EXERCISES.values():
        assert checker.__name__ in checks.__all__


@pytest.mark.parametrize("name", IDS)
class TestTheSameForEveryExercise:
    def test_the_stub_is_not_yet(self, name):
        def stub(*args):
            raise NotImplementedError

        feedback = EXERCISES[name][1](stub)
        assert not feedback.passed and feedback.not_yet
        assert "hint" in feedback.message and "✏️" in repr(feedback)

    def test_none_has_one_wording(self, name):
        feedback = EXERCISES[name][1](lambda *args: None)
        assert not feedback.passed and not feedback.not_yet
        assert (
            feedback.message == "Your function returned None: did you forget `return`?"
        )

    def test_a_crash_quotes_the_failing_line(self, name):
        def crashes(*args):
            table = {"a": 1}
            return table["missing key"]

        message = EXERCISES[name][1](crashes).message
        assert "raised KeyError" in message
        assert 'return table["missing key"]' in message

    def test_not_a_function(self, name):
        assert "Expected a function, but got int" in EXERCISES[name][1](42).message

    def test_the_right_answer_passes(self, name):
        exercise, checker = EXERCISES[name]
        assert checker(exercise.right).passed


def test_a_changed_input_is_named():
    def scales_in_place(x, m, b):
        x *= m
        x += b
        return x

    assert "in place" in checks.check_predict(scales_in_place).message


def test_a_warning_is_a_crash_not_printed():
    def warns(y, y_hat):
        return np.mean((y - y_hat) ** 2) + np.log(0.0)

    feedback = checks.check_mse(warns)
    assert not feedback.passed and "divide by zero" in feedback.message


@pytest.mark.parametrize("exercise, mistake", list(_rows()))
def test_every_row_of_every_table_is_reachable(exercise, mistake):
    """A mistake's own wrong function is named by that row, not caught by an earlier
    row that behaves the same: no dead or ambiguous rows. A row recognised by
    ``fits`` or ``uses`` carries an example in ``wrong``, tested the same way."""
    assert mistake.wrong is not None, "every row needs an example of its mistake"
    feedback = run_check(exercise, mistake.wrong)
    assert not feedback.passed
    assert feedback.message == mistake.message


def test_one_tolerance_for_every_comparison():
    assert same([1.0, 2.0], [1.0, 2.0 + 1e-10])
    assert not same([1.0, 2.0], [1.0, 2.0 + 1e-4])
    assert not same([1.0, 2.0], [[1.0, 2.0]])  # a shape is part of an answer
    assert same("saddle", "saddle") and not same("saddle", [1.0])


def test_a_crash_that_a_wrong_function_shares_is_named_only_with_evidence():
    exercise = Exercise(
        "Toy",
        cases=((2.0,), (3.0,)),
        right=lambda v: v + 1,
        mistakes=(Mistake("Named.", wrong=lambda v: {}["x"]),),
    )
    # Both crash with the same KeyError on every case: that is the mistake.
    assert run_check(exercise, lambda v: {}["x"]).message == "Named."
    # A different crash on every case is not evidence of it.
    assert "raised ZeroDivisionError" in run_check(exercise, lambda v: 1 / 0).message


def test_the_engine_is_short_and_each_table_fits_a_module():
    """One small engine; the rest is tables, one module per topic, none over 600 lines.

    The package grows with the lessons (a table per topic), so its total is not
    capped; what must not grow is the engine, the code every check runs.
    """
    from pathlib import Path

    folder = Path(checks.__file__).parent
    sizes = {p.name: len(p.read_text().splitlines()) for p in folder.glob("*.py")}
    assert sizes["engine.py"] <= 400, sizes["engine.py"]
    too_long = {name: n for name, n in sizes.items() if n > 600}
    assert not too_long, too_long
