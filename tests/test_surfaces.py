"""gdlab.surfaces: what the surface protocol answers besides loss and gradient.

The surfaces' losses, gradients and critical points are held in
``test_math_core.py``; here the grid over a surface's window and the critical
rate at its minima.
"""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab import LinearMSE, Parabola, Saddle, TwoValleys


def test_surface_grid_spans_the_window_by_default():
    surface = TwoValleys()
    first, second, values = gdlab.surface_grid(surface, resolution=7)
    (low_1, high_1), (low_2, high_2) = surface.window()
    assert first.tolist() == np.linspace(low_1, high_1, 7).tolist()
    assert second.tolist() == np.linspace(low_2, high_2, 7).tolist()
    assert values.shape == (7, 7)
    assert values[2, 5] == surface.loss([first[5], second[2]])


def test_surface_grid_takes_its_ranges_and_refuses_a_single_point():
    first, second, values = gdlab.surface_grid(Saddle(), (0.0, 1.0), (-1.0, 1.0), 3)
    assert first.tolist() == [0.0, 0.5, 1.0] and second.tolist() == [-1.0, 0.0, 1.0]
    assert values.tolist() == Saddle().grid(first, second).tolist()
    with pytest.raises(ValueError, match="resolution"):
        gdlab.surface_grid(Saddle(), resolution=1)


def test_the_critical_rate_at_minima_is_the_steepest_valleys():
    valleys = TwoValleys()
    minima = [p.point for p in valleys.critical_points() if p.kind == "minimum"]
    local = [valleys.critical_learning_rate(point) for point in minima]
    assert len(set(local)) == 2  # the two valleys differ: the smaller one decides
    assert valleys.critical_rate_at_minima() == min(local)


def test_on_a_bowl_the_critical_rate_at_minima_is_the_exact_one():
    obs = gdlab.make_observations(n=12, seed=3)
    for bowl in (Parabola(4.0), LinearMSE(obs.x, obs.y)):
        assert bowl.critical_rate_at_minima() == bowl.critical_learning_rate()


def test_no_known_minimum_has_no_critical_rate_at_minima():
    classes = gdlab.make_classes(n=20, seed=2, separable=True, gap=2.0)

    class Unknowing(gdlab.Surface):
        def _loss(self, theta):
            return (theta**2).sum(axis=-1)

    for surface in (Saddle(), gdlab.CrossEntropy(classes.x, classes.y), Unknowing()):
        assert surface.critical_rate_at_minima() is None
