"""Figures comparing update rules (gdlab.plots.rule_plots, lesson 10)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdlab
from gdlab import plots
from gdlab.plots.explorer_frame import RACE_COLORS


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


@pytest.fixture(scope="module")
def runs():
    bowl = gdlab.LinearMSE([0.0, 1.0, 2.0, 4.0], [1.0, 2.5, 5.5, 8.0])
    rules = (gdlab.GradientDescent(), gdlab.Momentum(0.8), gdlab.Adam())
    return [gdlab.descend(bowl, (0, 0), 0.05, 300, rule=r) for r in rules]


def test_paths_and_gaps_share_one_colour_per_run(ax, runs):
    fig, other = plt.subplots()
    paths = plots.plot_rule_paths(ax, runs)
    gaps = plots.plot_gap_per_step(other, runs, labels=["a", "b", "c"])
    assert [p.get_color() for p in paths] == [g.get_color() for g in gaps]
    assert [p.get_color() for p in paths] == list(RACE_COLORS[:3])
    assert [g.get_label() for g in gaps] == ["a", "b", "c"]
    assert np.allclose(paths[1].get_xydata(), runs[1].params)
    plt.close(fig)


def test_gap_per_step_leaves_out_exact_zeros(ax):
    run = gdlab.descend(gdlab.Parabola(1.0), [1.0], 1.0, steps=3, tolerance=None)
    (line,) = plots.plot_gap_per_step(ax, [run])
    assert line.get_xdata().tolist() == [0]  # one step lands exactly on the minimum


def test_labels_must_match_the_runs(ax, runs):
    with pytest.raises(ValueError, match="labels"):
        plots.plot_rule_paths(ax, runs, labels=["only one"])


def test_the_phase_diagram_draws_the_formula_and_marks_outcomes(ax):
    rates, betas = np.geomspace(0.2, 5.0, 12), np.linspace(0.0, 0.9, 4)
    sweeps = [
        gdlab.learning_rate_sweep(
            gdlab.Parabola(1.0), rates, [1.0], max_steps=200, rule=gdlab.Momentum(b)
        )
        for b in betas
    ]
    drawn = plots.plot_phase_diagram(
        ax, rates, betas, sweeps, boundary=lambda b: 2 * (1 + b), boundary_label="bound"
    )
    line = drawn["boundary"]
    assert np.allclose(line.get_xdata(), 2 * (1 + line.get_ydata()))
    assert line.get_ydata()[0] == betas[0] and line.get_ydata()[-1] == betas[-1]
    assert "diverged" in drawn and drawn["diverged"].get_width() == 0
    mesh = drawn["steps"].get_array()
    steps = np.array([s.steps for s in sweeps])
    assert np.array_equal(
        np.ma.getmaskarray(mesh).reshape(steps.shape), np.isnan(steps)
    )
    assert ax.get_xscale() == "log"
    labels = [t.get_text() for t in plots.add_legend(ax).get_texts()]
    assert "diverged" in labels and "bound" in labels


def test_the_phase_diagram_wants_one_sweep_per_beta(ax):
    sweep = gdlab.learning_rate_sweep(gdlab.Parabola(1.0), [0.5], [1.0])
    with pytest.raises(ValueError, match="one sweep per β"):
        plots.plot_phase_diagram(ax, [0.5], [0.0, 0.5], [sweep])
