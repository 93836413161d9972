"""The explorer's static drawing (gdlab.plots.explorer_frame), without any widget."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import gdlab
from gdlab.plots.explorer_frame import ExplorerFrame
from gdlab.plots.map_panel import clip_path
from gdlab.widgets.presets import default_start

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
    line_x, line_y = frame.fit_lines[0].get_data()
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
    steps, _values = frame.parameter_lines[0].get_data()
    assert list(steps) == list(range(51))
    # Without data, the data panel's attributes are there, and empty.
    assert frame.fit_lines == [] and frame.residuals is frame.line_off_panel is None


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


# -- drawing that stays readable (issue 8, item 7) ---------------------------------------


def _lesson_frame(**options):
    obs = gdlab.make_observations(n=30, seed=0)
    surface = gdlab.LinearMSE(obs.x, obs.y)
    return surface, ExplorerFrame(Figure(figsize=(13, 4.6)), surface, **options)


def test_minimum_and_current_point_are_drawn_after_the_arrow():
    _, frame = _lesson_frame()
    order = frame.moving
    stars = [a for a in order if getattr(a, "get_label", lambda: "")() == "minimum"]
    assert stars, "the minimum's star is redrawn with the moving artists"
    assert order.index(frame.arrow) < order.index(stars[0]) < order.index(frame.nows[0])


def test_long_paths_show_at_most_about_sixty_dots():
    surface, frame = _lesson_frame()
    rate = surface.critical_learning_rate()
    frame.set_run(gdlab.descend(surface, default_start(surface), 0.004 * rate, 800))
    frame.show(800)
    assert 10 <= len(frame.dots[0].get_xdata()) <= 61


def test_arrow_stops_short_of_the_minimum():
    surface, frame = _lesson_frame()
    m_star, b_star = surface.minimum
    width = np.array([np.ptp(frame.window[0]), np.ptp(frame.window[1])])
    # A start off the minimum, level with it: the arrow points at the star.
    run = gdlab.descend(surface, (m_star + 0.15 * width[0], b_star), 0.001, 3)
    frame.set_run(run)
    frame.show(0)
    assert frame.arrow.get_visible()
    tip = np.array(frame.arrow._posA_posB[1])
    assert np.linalg.norm((np.array([m_star, b_star]) - tip) / width) >= 0.03
    # Closer still, there is no room for an arrow that would not cover the star.
    frame.set_run(gdlab.descend(surface, (m_star + 0.04 * width[0], b_star), 0.001, 3))
    frame.show(0)
    assert not frame.arrow.get_visible()


def test_a_diverging_path_leaves_the_map_where_it_is_marked():
    surface, frame = _lesson_frame()
    rate = surface.critical_learning_rate()
    run = gdlab.descend(surface, default_start(surface), 1.15 * rate, 200)
    frame.set_run(run)
    frame.show(run.steps_taken)
    assert frame.off_map.get_visible()
    (low_1, high_1), (low_2, high_2) = frame.window
    inside = (
        (run.params[:, 0] >= low_1)
        & (run.params[:, 0] <= high_1)
        & (run.params[:, 1] >= low_2)
        & (run.params[:, 1] <= high_2)
    )
    last_in = np.flatnonzero(inside)[-1]
    # Where the segment from the last point on the map crosses the edge.
    start, end = run.params[last_in], run.params[last_in + 1]
    ts = []
    for axis, (low, high) in enumerate(frame.window):
        for edge in (low, high):
            if end[axis] != start[axis]:
                t = (edge - start[axis]) / (end[axis] - start[axis])
                point = start + t * (end - start)
                other = 1 - axis
                if (
                    0 <= t <= 1
                    and frame.window[other][0] <= point[other] <= frame.window[other][1]
                ):
                    ts.append(t)
    exit_point = start + min(ts) * (end - start)
    marker = np.array([frame.nows[0].get_xdata()[0], frame.nows[0].get_ydata()[0]])
    width = np.array([high_1 - low_1, high_2 - low_2])
    assert np.all(
        np.abs(marker - exit_point) / width <= 0.06
    )  # at the exit, inset a little
    # Segments between two points off the map are not drawn (no wedge over the map).
    segments = frame.paths[0].get_xydata()
    drawn = np.isfinite(segments).all(axis=1).sum()
    assert drawn <= 2 * (inside[:-1] | inside[1:]).sum()


def test_legend_names_every_mark():
    _, frame = _lesson_frame()
    labels = [t.get_text() for t in frame.figure.legends[0].get_texts()]
    for label in (
        "minimum",
        "path of θ",
        "θ now",
        "−∇L (downhill)",
        "line ŷ",
        "residuals",
        "lowest loss L*",
    ):
        assert label in labels


def test_equal_aspect_draws_a_round_bowl_round():
    obs = gdlab.make_observations(n=40, x_range=(0, 100), seed=6)
    z = (obs.x - obs.x.mean()) / obs.x.std()
    surface = gdlab.LinearMSE(z, obs.y)
    frame = ExplorerFrame(Figure(figsize=(13, 4.6)), surface, aspect="equal")
    (a, b), (c, d) = frame.window
    assert b - a == pytest.approx(d - c)
    assert frame.surface_ax.get_aspect() == 1.0
    with pytest.raises(ValueError, match="aspect"):
        ExplorerFrame(Figure(), surface, aspect="round")


@pytest.mark.parametrize(
    "case", ["line diverges", "far start diverges", "saddle escapes"]
)
def test_off_map_label_lies_wholly_inside_the_map(case):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if case == "line diverges":
        surface, frame = _lesson_frame()
        rate = surface.critical_learning_rate()
        run = gdlab.descend(surface, default_start(surface), 1.15 * rate, 200)
    elif case == "far start diverges":
        surface, frame = _lesson_frame()
        (low, _), (_, high) = surface.window()
        run = gdlab.descend(
            surface, (low, high), 1.15 * surface.critical_learning_rate(), 200
        )
    else:
        surface = gdlab.Saddle()
        frame = ExplorerFrame(Figure(figsize=(13, 4.6)), surface)
        run = gdlab.descend(surface, (1.5, 0.01), 0.6, 200)
    FigureCanvasAgg(frame.figure)
    frame.set_run(run)
    frame.show(run.steps_taken)
    assert frame.off_map.get_visible()
    renderer = frame.figure.canvas.get_renderer()
    frame.figure.draw(renderer)
    label = frame.off_map.get_window_extent(renderer)
    box = frame.surface_ax.get_window_extent(renderer)
    assert box.x0 <= label.x0 and label.x1 <= box.x1
    assert box.y0 <= label.y0 and label.y1 <= box.y1


@pytest.mark.parametrize("scale", [1e-9, 1.0, 1e6])
def test_arrow_shows_until_converged_whatever_the_units_of_y(scale):
    obs = gdlab.make_observations(n=30, seed=0)
    surface = gdlab.LinearMSE(obs.x, scale * obs.y)
    frame = ExplorerFrame(Figure(figsize=(13, 4.6)), surface)
    run = gdlab.descend(
        surface, default_start(surface), 0.5 * surface.critical_learning_rate(), 2000
    )
    frame.set_run(run)
    frame.show(0)
    assert frame.arrow.get_visible()  # the start is far from converged
    frame.show(run.steps_taken)
    assert run.status == "converged" and not frame.arrow.get_visible()


def _round_end(steps: int) -> float:
    """1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ at or above the last step."""
    for power in range(12):
        for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            if factor * 10**power >= max(steps, 1):
                return factor * 10**power
    raise AssertionError(steps)


@pytest.mark.parametrize(
    "offset, scale", [(0.0, 1.0), (1e4, 1.0), (0.0, 1e-3), (-50, 1e3)]
)
def test_runs_from_one_start_below_the_critical_rate_share_the_panels(offset, scale):
    # Below 2/λ_max the loss falls every step from the start's loss to no lower
    # than L*, so runs that take about as many steps change no axis: a drag of
    # η sends numbers, not a new still.  A diverging run still gets room.
    obs = gdlab.make_observations(n=30, seed=4)
    surface = gdlab.LinearMSE(obs.x * scale + offset, obs.y)
    frame = _frame(surface)
    start = default_start(surface)
    critical = surface.critical_learning_rate()
    groups = {}
    for rate in np.linspace(0.3, 0.95, 14) * critical:
        frame.set_run(gdlab.descend(surface, start, rate, 2000))
        run = frame.run
        assert run.status in ("converged", "max_steps")
        groups.setdefault(_round_end(run.steps_taken), []).append(frame.panel_limits())
        loss_panel = frame.panel_limits()[-1]
        assert loss_panel[1][0] <= surface.minimum_loss <= loss_panel[1][1]
        # The run fills at least three quarters of the axis (its end, less 3 %).
        assert run.steps_taken <= loss_panel[0][1] <= 1.03 * run.steps_taken / 0.75
    assert max(len(group) for group in groups.values()) >= 2
    for group in groups.values():
        assert all(limits == group[0] for limits in group)
    shared = next(iter(groups.values()))[0]
    frame.set_run(gdlab.descend(surface, start, 1.05 * critical, 2000))
    assert frame.run.status == "diverged"
    assert frame.panel_limits() != shared
    assert frame.panel_limits()[-1][1][1] >= frame.run.losses.max()


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_one_run_has_its_extras_and_a_race_of_one_has_none(view):
    """One code path draws each run; only the explorer's one run adds −∇L, the residuals and the notes."""
    obs = gdlab.make_observations(n=20, seed=2)
    surface = gdlab.LinearMSE(obs.x, obs.y)
    one = ExplorerFrame(Figure(figsize=(12, 4)), surface, view=view)
    race = ExplorerFrame(Figure(figsize=(12, 4)), surface, view=view, names=["GD"])
    assert (one.arrow is None) == (view == "3d")
    assert None not in (one.off_map, one.residuals, one.line_off_panel)
    assert race.arrow is race.off_map is race.residuals is race.line_off_panel is None
    for frame in (one, race):
        assert len(frame.paths) == len(frame.nows) == len(frame.loss_lines) == 1
        assert set(frame.paths + frame.nows + frame.fit_lines) <= set(frame.moving)
    # The same path colour; θ now and the loss curve in each frame's own look.
    assert one.paths[0].get_color() == race.paths[0].get_color()
    assert one.nows[0].get_color() != race.nows[0].get_color()
    assert one.loss_lines[0].get_color() != race.loss_lines[0].get_color()
    with pytest.raises(ValueError, match="one run per name"):
        race.set_runs([])
