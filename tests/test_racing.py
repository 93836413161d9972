"""A race of update rules (gdlab.racing): one run per rule from one start, a failure a result."""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab.racing import as_rules, race, race_length, shared_beta, with_beta
from gdlab.rules import Adam, GradientDescent, Momentum, rule_name

from .learner_rules import BreaksAt


def test_each_run_is_descends_path_for_its_rule():
    surface = gdlab.TwoValleys()
    rules = [GradientDescent(), Momentum(0.9), Adam()]
    runs = race(surface, (-1.5, 1.0), 0.05, 300, rules)
    assert gdlab.race is race
    for result, rule in zip(runs, rules):
        alone = gdlab.descend(surface, (-1.5, 1.0), 0.05, 300, rule=rule)
        assert result.rule is rule and result.name == rule_name(rule)
        assert result.error is None and result.failed_at is None
        np.testing.assert_array_equal(result.run.params, alone.params)
        assert result.run.rule is rule
    assert race_length(runs) == max(r.run.steps_taken for r in runs)


@pytest.mark.parametrize("at", [1, 2, 5])
def test_a_failing_rule_becomes_a_result_and_the_others_go_on(at):
    bowl = gdlab.Parabola(1.0)
    runs = race(bowl, [2.0], 0.1, 200, [GradientDescent(), BreaksAt(at)])
    failed = runs[1]
    assert failed.failed_at == at
    assert "'broken' raised ZeroDivisionError at step" in failed.error
    assert failed.run.steps_taken == at - 1
    assert runs[0].run.status == "converged"
    # The step after the failure is shown too (it says "failed at step k").
    assert race_length(runs) == max(runs[0].run.steps_taken, at)


def test_a_rule_failing_in_start_keeps_its_start():
    class NoStart:
        def start(self, theta):
            raise RuntimeError("forgot to return a state")

        def step(self, theta, gradient, learning_rate, state):
            return theta, state

    (result,) = race(gdlab.Parabola(1.0), [2.0], 0.1, 50, [NoStart()])
    assert result.failed_at == 0 and result.run.steps_taken == 0
    assert "raised RuntimeError at start" in result.error


def test_rules_that_are_not_rules_are_refused_by_name():
    with pytest.raises(TypeError, match=r"rules\[1\] must be an update rule object"):
        as_rules([GradientDescent(), Momentum])
    with pytest.raises(TypeError, match=r"rules\[0\] must have start.*object lacks"):
        race(gdlab.Parabola(1.0), [2.0], 0.1, 5, [object()])
    with pytest.raises(TypeError, match="rules must be a list"):
        as_rules("gradient descent")


def test_a_race_holds_one_rule_to_most():
    rules = [GradientDescent(), Momentum(0.5)]
    assert as_rules(rules, most=2) == rules
    assert as_rules([]) == []  # no limit asked for
    for many in ([], rules * 2):
        with pytest.raises(ValueError, match=f"1 to 3 update rules; got {len(many)}"):
            as_rules(many, most=3)


def test_the_rules_shared_beta_is_read_and_set_on_copies():
    class Fixed:
        """A learner's rule whose β is read-only: it keeps its own."""

        name = "fixed"
        beta = property(lambda self: 0.9)

        def start(self, theta):
            return None

        def step(self, theta, gradient, learning_rate, state):
            return theta - learning_rate * gradient(theta), state

    rules = [GradientDescent(), Momentum(0.9), Fixed(), Adam()]
    assert shared_beta(rules) == 0.9
    assert shared_beta([Momentum(0.5), Momentum(0.9)]) is None
    assert shared_beta([GradientDescent(), Adam()]) is None
    moved = with_beta(rules, 0.5)
    assert [getattr(rule, "beta", None) for rule in moved] == [None, 0.5, 0.9, None]
    assert moved[0] is rules[0] and moved[2] is rules[2] and moved[3] is rules[3]
    assert rules[1].beta == 0.9, "the rule given is left as it was"
    assert rule_name(moved[1]) == "momentum (β = 0.5)"
