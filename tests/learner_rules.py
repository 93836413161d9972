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
