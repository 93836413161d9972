"""Update rules written as a learner writes them in lesson 10, for the tests.

Plain classes with ``start`` and ``step``, no gdlab base class: that a rule
like this works everywhere a built-in one does is what the tests check.
"""

from __future__ import annotations

import numpy as np


class HeavyBall:
    """Polyak's heavy ball, the issue's learner-written rule, unchanged."""

    name = "heavy ball"

    def __init__(self, beta=0.9):
        self.beta = beta

    def start(self, theta):
        return np.zeros_like(theta)

    def step(self, theta, gradient, learning_rate, state):
        velocity = self.beta * state - learning_rate * gradient(theta)
        return theta + velocity, velocity


class BreaksAt:
    """A rule that raises at a given step (a learner's bug)."""

    name = "broken"

    def __init__(self, step):
        self.when = step

    def start(self, theta):
        return 0

    def step(self, theta, gradient, learning_rate, state):
        if state + 1 == self.when:
            raise ZeroDivisionError("division by zero")
        return theta - learning_rate * gradient(theta), state + 1


class GoesNaN:
    """A rule whose θ becomes NaN at its fifth step (a learner's bug)."""

    name = "goes NaN"

    def start(self, theta):
        return 0

    def step(self, theta, gradient, learning_rate, state):
        if state == 4:
            return theta * np.nan, state + 1
        return theta - learning_rate * gradient(theta), state + 1
