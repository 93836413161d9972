"""η against the critical rate in words (gdlab.rate_notes): one phrasing for every note."""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab.narration import describe_step
from gdlab.rate_notes import above_critical, rate_note, valley_warning
from gdlab.rules import Adam, GradientDescent, Momentum, critical_rates

OBS = gdlab.make_observations(n=40, slope=-1.5, intercept=30.0, noise=2.0, seed=3)


def test_one_run_on_a_bowl_above_and_below():
    bowl = gdlab.LinearMSE(OBS.x, OBS.y)
    rate = bowl.critical_rate().value
    below = rate_note(bowl, (0.0, 0.0), 0.5 * rate)
    assert not below.above and below.warnings == ()
    assert below.text == f"critical value 2/λ_max = {rate:.3g} (η now below it)"
    assert [text for text, bold in below.pieces if bold] == [f"{rate:.3g}"]
    above = rate_note(bowl, (0.0, 0.0), 1.5 * rate)
    assert above.above
    assert above.warnings == (
        (
            f"η = {1.5 * rate:.3g} is above the critical value 2/λ_max = {rate:.3g}: "
            "this run will diverge."
        ),
    )


def test_full_batch_and_local_and_none():
    bowl = gdlab.LinearMSE(OBS.x, OBS.y)
    rate = bowl.critical_rate().value
    batches = rate_note(bowl, (0.0, 0.0), 2 * rate, full_batch=True)
    assert batches.text.startswith("full-batch critical value 2/λ_max = ")
    assert batches.warnings[0].endswith(": full batches would diverge.")
    valleys = rate_note(gdlab.TwoValleys(), (0.0, 0.0), 3.0)
    assert (
        valleys.text == "local critical value 2/λ_max at the start = 2 (η now above it)"
    )
    assert valleys.warnings[0].endswith(
        "at the start = 2: the first steps will overshoot."
    )
    saddle = rate_note(gdlab.Saddle(), (1.0, 1.0), 3.0)  # exact, but not a bowl
    assert saddle.warnings[0].endswith(": the first steps will overshoot.")


def test_a_race_names_each_rules_own_rate_and_warns_of_each_it_is_above():
    bowl = gdlab.Parabola(1.0)
    rules = [GradientDescent(), Momentum(0.5), Momentum(0.5), Adam()]
    assert critical_rates(rules, bowl, [1.0]) == [2.0, 3.0, 3.0, None]
    note = rate_note(bowl, [1.0], 2.5, rules)
    assert note.text == (
        "critical η: gradient descent 2, momentum (β = 0.5) 3, "
        "momentum (β = 0.5) 3, Adam none known"
    )
    assert [text for text, bold in note.pieces if bold] == ["2", "3", "3", "none known"]
    # Each rule with its own rate (two of one name too), its bound's name from the rule.
    assert note.warnings == (
        (
            "η = 2.5 is above the critical value of gradient descent, 2/λ_max = 2: "
            "this run will diverge."
        ),
    )
    local = rate_note(gdlab.TwoValleys(), (0.0, 0.0), 2.5, rules[:1])
    assert local.text == "critical η (local, at the start): gradient descent 2"
    assert local.warnings[0].endswith(": its first steps will overshoot.")


def test_a_learners_critical_rate_that_raises_knows_none():
    class Raises(GradientDescent):
        def critical_rate(self, hessian):
            raise ValueError("oops")

    assert critical_rates([Raises()], gdlab.Parabola(1.0), [1.0]) == [None]


def test_describe_step_phrases_eta_above_the_critical_value_the_same_way():
    bowl = gdlab.Parabola(1.0)
    run = gdlab.descend(bowl, [2.0], 2.5, 100)
    said = describe_step(run, run.steps_taken, bowl)
    assert said.endswith(above_critical(2.5, "critical value 2/λ_max", 2.0))


@pytest.mark.parametrize(
    "offset, words",
    [(1e3, "κ = 2.7e+12: the valley"), (1e9, "κ is too large for float64 to tell")],
)
def test_valley_warning_when_the_bowl_is_too_long(offset, words):
    x = offset + np.linspace(-1.0, 1.0, 20)
    warning = valley_warning(gdlab.LinearMSE(x, 2 * x))
    assert warning.startswith(words)
    assert warning.endswith(
        "Standardise x first (subtract its mean, divide by its spread)."
    )
    assert valley_warning(gdlab.TwoValleys()) is None


@pytest.mark.parametrize("offset, scale", [(0.0, 1.0), (50.0, 1.0), (0.0, 0.01)])
@pytest.mark.parametrize("factor", [1.0005, 1.01, 1.2])
@pytest.mark.parametrize("steps", [10, 300])
def test_a_warning_of_divergence_agrees_with_how_the_run_ends(
    offset, scale, factor, steps
):
    # η above 2/λ_max on a bowl: the overshoot along the steepest direction
    # grows by |1 − ηλ_max| each step, which may take more steps than the run.
    x = offset + scale * OBS.x
    bowl = gdlab.LinearMSE(x, OBS.y)
    rate = bowl.critical_rate().value
    eigenvalues, vectors = np.linalg.eigh(bowl.hessian(bowl.minimum))
    steepest = vectors[:, -1]
    for start in (bowl.minimum + 1e-3 * vectors[:, 0], np.array(bowl.window())[:, 0]):
        run = gdlab.descend(bowl, start, factor * rate, steps)
        (warning,) = rate_note(bowl, start, factor * rate, runs=[run]).warnings
        last = run.steps_taken
        ends = describe_step(run, last, bowl)
        if warning.endswith("this run will diverge."):
            assert ends.startswith("diverged at step")
        else:
            assert warning.endswith(": each overshoot grows.")
            assert "diverged" not in ends and last == steps
            # ... and each overshoot along the steepest direction did grow
            # (where the start has one beyond rounding).
            along = np.abs((np.asarray(run.params) - bowl.minimum) @ steepest)
            if along[0] > 1e-9 * np.linalg.norm(bowl.minimum):
                assert np.all(np.diff(along) > 0)
        assert abs(1 - factor * rate * eigenvalues[-1]) > 1


@pytest.mark.parametrize("rules", [None, [GradientDescent(), Momentum(0.5)]])
def test_the_explorers_warning_and_its_last_status_agree(rules):
    from gdlab.widgets import DescentExplorer

    bowl = gdlab.LinearMSE(OBS.x, OBS.y)
    eta = 1.01 * bowl.critical_rate().value
    for steps in (10, 2000):
        ex = DescentExplorer(OBS.x, OBS.y, rules=rules, learning_rate=eta, steps=steps)
        said = ex.warning.value
        last = ex.status_text(ex.step.max)
        if "diverged at step" in last.split(" · ")[-1 if rules is None else 1]:
            assert "this run will diverge" in said
        else:
            assert "this run will diverge" not in said
            assert ": each overshoot grows." in said
        ex.close()
