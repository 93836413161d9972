"""gdlab.paths: measures of a descent path (lesson 05)."""

from __future__ import annotations

import numpy as np
import pytest

import gdlab


def test_step_lengths_are_euclidean_distances():
    assert gdlab.step_lengths([[0.0, 0.0], [3.0, 4.0], [3.0, 4.0]]).tolist() == [
        5.0,
        0.0,
    ]


def test_step_lengths_of_plain_descent_are_eta_times_the_gradient_size():
    obs = gdlab.make_observations(n=20, x_range=(0.0, 2.0), seed=3)
    run = gdlab.gradient_descent(obs.x, obs.y, (0.0, 0.0), 0.1, 15)
    sizes = np.linalg.norm(run.gradients[:-1], axis=1)
    assert np.allclose(gdlab.step_lengths(run.params), 0.1 * sizes)


@pytest.mark.parametrize("bad", [[1.0, 2.0], [[[1.0]]], np.zeros((0, 2))])
def test_step_lengths_refuse_what_is_not_a_path(bad):
    with pytest.raises(ValueError, match=r"params must have shape \(steps \+ 1, p\)"):
        gdlab.step_lengths(bad)
