"""The explorer's static drawing (gdlab.plots.explorer_frame), without any widget."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import gdlab
from gdlab.plots import ExplorerFrame, clip_path

WINDOW = ((-1.0, 2.0), (-3.0, 1.0))
coordinate = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


def test_clip_path_keeps_inside_segments_and_cuts_crossing_ones():
    points = [[0.0, 0.0], [1.0, -1.0], [5.0, -1.0], [9.0, 9.0], [0.5, 0.5]]
    out = clip_path(points, WINDOW).reshape(-1, 3, 2)
    assert out[0, :2].tolist() == [[0.0, 0.0], [1.0, -1.0]]  # inside: unchanged
    assert out[1, :2].tolist() == [[1.0, -1.0], [2.0, -1.0]]  # leaves at the right edge
    assert np.isnan(out[2]).all()  # wholly outside
    assert np.isnan(out[:, 2]).all()  # a gap after every segment
    assert clip_path([[0.0, 0.0]], WINDOW).shape == (0, 2)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate), min_size=2, max_size=6))
def test_clipped_segments_lie_in_the_window_and_on_the_original_segment(points):
    points = np.array(points)
    out = clip_path(points, WINDOW).reshape(-1, 3, 2)
    for (start, end), piece in zip(pairwise(points), out):
        if np.isnan(piece[0]).any():
            continue
        scale = 1e-9 * (1 + np.abs(points).max())
        for point in piece[:2]:
            assert WINDOW[0][0] - scale <= point[0] <= WINDOW[0][1] + scale
            assert WINDOW[1][0] - scale <= point[1] <= WINDOW[1][1] + scale
            # on the segment: the cross product with its direction is zero
            direction, offset = end - start, point - start
            cross = direction[0] * offset[1] - direction[1] * offset[0]
            assert abs(cross) <= 1e-6 * (np.hypot(*direction) * (np.hypot(*offset) + 1))


def _frame(surface, view="contour"):
    return ExplorerFrame(Figure(figsize=(12, 4)), surface, view=view)


def test_frame_needs_a_run_and_clamps_the_step():
    obs = gdlab.make_observations(n=20, seed=2)
    surface = gdlab.LinearMSE(obs.x, obs.y)
    frame = _frame(surface)
    with pytest.raises(RuntimeError, match="set_run"):
        frame.show(0)
    m_star, b_star = surface.minimum
    run = gdlab.descend(
        surface, (m_star + 0.3, b_star - 1.0), learning_rate=0.01, steps=30
    )
    frame.set_run(run)
    assert frame.show(10**6) == run.steps_taken
    assert frame.show(-5) == 0
    assert frame.per_run_axes == [frame.loss_ax]
    # The loss barely changes near the minimum: a linear axis reads better there.
    assert frame.loss_ax.get_yscale() == "linear"
    m, b = run.params[0]
    line_x, line_y = frame.fit_line.get_data()
    assert np.allclose(line_y, m * np.asarray(line_x) + b)


def test_frame_rejects_bad_input():
    with pytest.raises(TypeError, match="surface"):
        _frame(gdlab.Parabola())
    with pytest.raises(ValueError, match="view"):
        _frame(gdlab.Saddle(), view="side")


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_negative_losses_use_a_linear_scale_and_the_parameter_panel(view):
    surface = gdlab.TwoValleys()
    frame = _frame(surface, view)
    frame.set_run(gdlab.descend(surface, (-1.5, 1.0), learning_rate=0.05, steps=200))
    frame.show(50)
    assert frame.loss_ax.get_yscale() == "linear"
    assert frame.middle_ax in frame.per_run_axes
    steps, _values = frame.first_line.get_data()
    assert list(steps) == list(range(51))


def test_a_loss_falling_by_decades_gets_a_log_axis():
    obs = gdlab.make_observations(n=20, seed=2)
    surface = gdlab.LinearMSE(obs.x, obs.y)
    frame = _frame(surface)
    eta = 0.9 * surface.critical_learning_rate()
    run = gdlab.descend(surface, (0.0, 0.0), learning_rate=eta, steps=300)
    frame.set_run(run)
    assert run.losses.max() > 30 * run.losses.min()
    assert frame.loss_ax.get_yscale() == "log"
    low, high = frame.loss_ax.get_ylim()
    assert low < run.losses.min() and run.losses.max() < high
