"""Drawing helpers of lessons 06–08: what they draw, and that they label it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import gdlab
from gdlab import plots


@pytest.fixture
def ax():
    fig, axes = plots.subplots()
    yield axes
    matplotlib.pyplot.close(fig)


def test_parabola_descent_draws_the_visited_points_on_the_curve(ax):
    surface = gdlab.Parabola(2.0)
    run = gdlab.descend(surface, [1.0], learning_rate=0.9, steps=5)
    curve, path = plots.plot_parabola_descent(ax, surface, run)
    np.testing.assert_allclose(path.get_ydata(), surface.loss(run.params))
    assert max(abs(curve.get_xdata())) >= max(abs(run.params[:, 0]))
    assert ax.get_xlabel() == "θ" and "L" in ax.get_ylabel()


def test_steps_plot_marks_bound_and_each_outcome(ax):
    surface = gdlab.Parabola(1.0)
    sweep = gdlab.learning_rate_sweep(
        surface, [1e-4, 0.5, 1.5, 2.5], [1.0], max_steps=50
    )
    artists = plots.plot_steps_vs_learning_rate(ax, sweep, bound=2.0)
    assert set(artists) == {"converged", "max_steps", "diverged", "bound", "no count"}
    assert artists["bound"].get_xdata()[0] == 2.0
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "learning rate η"


def test_chord_shades_only_where_the_graph_is_above(ax):
    convex = plots.plot_chord(ax, lambda t: t**2, -1.0, 1.0, (-1.5, 1.5))
    assert "above" not in convex
    wavy = plots.plot_chord(ax, lambda t: (t**2 - 1) ** 2, -1.0, 1.0, (-1.5, 1.5))
    assert "above" in wavy


def test_minima_fraction_notes_zeros_instead_of_drawing_them(ax):
    artists = plots.plot_minima_fraction(
        ax, [1, 2, 3], {"GOE": [0.5, 0.15, 0.0]}, trials=1000
    )
    drawn = artists[1]
    np.testing.assert_allclose(drawn.get_xdata(), [1.0, 2.0])
    assert "none in" in artists[-1].get_text()
    with pytest.raises(ValueError, match="one fraction per k"):
        plots.plot_minima_fraction(ax, [1, 2], {"bad": [0.5]}, trials=10)


def test_polynomial_uses_the_transform(ax):
    _z, how = gdlab.standardize([0.0, 10.0])
    line = plots.plot_polynomial(ax, [0.0, 1.0], (0.0, 10.0), transform=how.apply)
    np.testing.assert_allclose(line.get_ydata()[[0, -1]], [-1.0, 1.0])


def test_train_test_loss_is_labelled(ax):
    train, _test = plots.plot_train_test_loss(ax, [1, 2], [1.0, 0.5], [1.2, 0.9])
    assert ax.get_xlabel() == "polynomial degree" and ax.get_ylabel() == "MSE"
    assert train.get_ydata().tolist() == [1.0, 0.5]


def test_train_test_loss_without_held_out_draws_the_training_line_only(ax):
    train, held_out = plots.plot_train_test_loss(ax, [1, 2], [1.0, 0.5])
    assert held_out is None and ax.get_lines() == [train]
    assert train.get_label() == "training MSE" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "polynomial degree" and ax.get_ylabel() == "MSE"
