"""plots.descent_plots: arrows that run exactly from θ_k to θ_(k+1), the step-length figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdlab
from gdlab import plots


@pytest.fixture
def ax():
    fig, axes = plots.subplots()
    yield axes
    plt.close(fig)


def test_each_arrow_joins_consecutive_points(ax):
    path = np.array([[0.0, 0.0], [2.0, 1.0], [2.5, 1.5], [2.6, 1.4]])
    arrows, start = plots.plot_steps(ax, path)
    assert len(arrows) == len(path) - 1
    for k, arrow in enumerate(arrows):
        tail, head = arrow._posA_posB  # the two ends, in data coordinates
        assert np.allclose(tail, path[k]) and np.allclose(head, path[k + 1])
    assert np.allclose(start.get_offsets(), path[:1])
    labels = [a.get_label() or "" for a in arrows]
    assert labels[0].startswith("steps") and all(
        label.startswith("_") or not label for label in labels[1:]
    )


@pytest.mark.parametrize(
    "bad", [[1.0, 2.0], [[1.0, 2.0, 3.0]], [[0.0, np.nan], [1.0, 1.0]]]
)
def test_plot_steps_refuses_a_bad_path(ax, bad):
    with pytest.raises(ValueError, match="params"):
        plots.plot_steps(ax, bad)


def test_step_length_curve_is_eta_times_gradient_curve(ax):
    obs = gdlab.make_observations(n=20, x_range=(0.0, 2.0), seed=3)
    run = gdlab.gradient_descent(obs.x, obs.y, (0.0, 0.0), 0.1, 15)
    gradient_line, step_line = plots.plot_step_lengths(
        ax, run.params, run.gradients, 0.1
    )
    assert np.allclose(step_line.get_ydata(), 0.1 * gradient_line.get_ydata())
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step k"


def test_plot_step_lengths_needs_matching_shapes_and_a_step(ax):
    with pytest.raises(ValueError, match="gradients"):
        plots.plot_step_lengths(ax, [[0.0, 0.0], [1.0, 1.0]], [[0.0, 0.0]], 0.1)
    with pytest.raises(ValueError, match="at least one step"):
        plots.plot_step_lengths(ax, [[0.0, 0.0]], [[1.0, 1.0]], 0.1)
