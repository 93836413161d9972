"""Words of a run at every step (gdlab.narration): a race's, and a mini-batch run's.

The single run's words are tested through the explorer (test_status_truth,
test_truth_matrix); here the words a race and a stochastic run say, called
as a lesson would, from the math layer.
"""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab.narration import (
    describe_step,
    minibatch_status,
    race_words,
    state_words,
)
from gdlab.rules import Adam, GradientDescent, Momentum, Nesterov, RMSProp
from gdlab.widgets.presets import default_start

from .learner_rules import GoesNaN

OBS = gdlab.make_observations(n=40, slope=-1.5, intercept=30.0, noise=2.0, seed=3)
SURFACES = [
    gdlab.LinearMSE(OBS.x, OBS.y),
    gdlab.Saddle(),
    gdlab.TwoValleys(),
    gdlab.TwoValleys(tilt=-0.5),
]


@pytest.mark.parametrize("surface", SURFACES + [gdlab.Parabola(2.0)], ids=repr)
@pytest.mark.parametrize(
    "rule", [GradientDescent(), Momentum(0.9), Nesterov(0.7), Adam(), RMSProp()]
)
@pytest.mark.parametrize("factor", [0.3, 0.95, 1.3, 3.0])
def test_state_words_agree_with_describe_step(surface, rule, factor):
    start = (
        default_start(surface) if surface.n_parameters == 2 else [1.5]
    )  # every surface, its own start
    rate = surface.critical_rate(start).value or 1.0
    run = gdlab.descend(surface, start, factor * rate, 200, rule=rule)
    expected = [
        describe_step(run, k, surface).split(":")[0].split(" (")[0]
        for k in range(run.steps_taken + 1)
    ]
    assert state_words(run, surface) == expected


def test_race_words_keep_a_runs_end_until_the_shared_last_step():
    bowl = gdlab.Parabola(1.0)
    run = gdlab.descend(bowl, [2.0], 0.5, 100)
    end = run.steps_taken
    words = race_words(run, bowl, end + 5)
    assert len(words) == end + 6
    assert words[:end] == state_words(run, bowl)[:end]
    assert words[end:] == [f"converged at step {end}"] * 6


def test_race_words_of_a_failed_rule_say_where_it_failed():
    bowl = gdlab.Parabola(1.0)
    before = gdlab.descend(bowl, [2.0], 0.5, 3)
    words = race_words(before, bowl, 10, failed_at=4)
    assert words[:4] == state_words(before, bowl)[:4]
    assert words[4:] == ["failed at step 4: see the message above"] * 7
    start = gdlab.descend(bowl, [2.0], 0.5, 0)
    assert (
        race_words(start, bowl, 2, failed_at=0)
        == ["failed in start: see the message above"] * 3
    )


def test_race_words_say_when_theta_itself_stopped_being_a_number():
    bowl = gdlab.Parabola(1.0)
    run = gdlab.descend(bowl, [2.0], 0.1, 50, rule=GoesNaN())
    assert run.status == "diverged" and run.diverged_at == 5
    assert race_words(run, bowl, 8)[-1] == "diverged at step 5: θ is not finite"


def _minibatch(learning_rate):
    z = np.linspace(-1.5, 1.5, 16)
    X = np.column_stack([z, np.ones_like(z)])
    return gdlab.minibatch_descent(
        X, 2 * z + 1, (-1.0, 3.0), learning_rate, batch_size=4, epochs=2, seed=0
    )


def test_minibatch_status_never_says_converged():
    run = _minibatch(0.1)
    statuses = [minibatch_status(run, k, 16, 2, 0.1) for k in range(9)]
    assert statuses[0] == ("ready: press Play or Step", "")
    assert statuses[-1] == ("stopped after 2 epochs", "8 steps on batches of 4")
    for k in range(1, 8):
        rose = run.losses[k] > run.losses[k - 1]
        assert statuses[k][0] == f"loss {'rose' if rose else 'fell'}"
        assert statuses[k][1].endswith("L is the loss on all 16 observations")
    assert not any("converged" in " ".join(status) for status in statuses)


def test_minibatch_status_of_a_diverged_run_names_eta_and_the_batches():
    run = _minibatch(50.0)
    assert run.status == "diverged"
    head, detail = minibatch_status(run, run.steps_taken, 16, 2, 50.0)
    assert head == f"diverged at step {run.diverged_at}"
    assert detail == "η = 50 is too large for batches of 4"
