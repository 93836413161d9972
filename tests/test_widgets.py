"""Headless tests of gdlab.widgets: drive the widgets from Python, check the frames."""

from __future__ import annotations

import asyncio
import base64
import io
import math

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

import gdlab
import gdlab.plots
from gdlab.widgets import PRESETS, DescentExplorer, LiveFigure, describe_step
from gdlab.widgets._png import encode_png


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _full_redraw(widget: LiveFigure) -> np.ndarray:
    """The current frame drawn from scratch: every cached background drawn again."""
    widget.invalidate_background()
    return _pixels(widget.render())


class _Dot(LiveFigure):
    """A minimal subclass: one moving dot driven by a slider."""

    text_plain = "Dot widget"

    def __init__(self, classroom=False):
        super().__init__(figsize=(3, 2), classroom=classroom)
        with self.styled():
            ax = self.figure.add_subplot()
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            self.static_line = ax.plot([0, 1], [0, 1])[0]
            (self.dot,) = ax.plot([0.5], [0.5], "o", markersize=12)
        self.animate(self.dot)
        self.position = widgets.FloatSlider(
            value=0.5, min=0.0, max=1.0, description="x"
        )
        self.position.observe(self.request_render, "value")
        self.widget = widgets.VBox([self.position, self.image])
        self.render()

    def update_frame(self):
        self.dot.set_data([self.position.value], [0.5])


def test_png_encoder_round_trips_exactly():
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    assert np.array_equal(_pixels(encode_png(pixels)), pixels[:, :, :3])
    with_alpha = np.asarray(Image.open(io.BytesIO(encode_png(pixels, alpha=True))))
    assert np.array_equal(with_alpha, pixels)


@pytest.mark.parametrize(
    "bad", [np.zeros((2, 2), np.uint8), np.zeros((2, 2, 4), np.float64)]
)
def test_png_encoder_rejects_bad_pixels(bad):
    with pytest.raises(ValueError, match="pixels"):
        encode_png(bad)


def test_setting_a_slider_redraws_synchronously_and_blit_matches_full_draw():
    dot = _Dot()
    first = dot.image.value
    dot.position.value = 0.9
    moved = dot.image.value
    assert moved != first
    # The blitted frame is the same picture as drawing everything from scratch.
    blitted = _pixels(moved)
    assert np.array_equal(blitted, _full_redraw(dot))
    # The dot went right: the dot's colour now appears further right.
    dot_colour = np.array(to_rgb(dot.dot.get_color())) * 255
    columns = np.nonzero(np.all(np.abs(blitted.astype(int) - dot_colour) < 30, axis=2))[
        1
    ]
    columns_before = np.nonzero(
        np.all(np.abs(_pixels(first).astype(int) - dot_colour) < 30, axis=2)
    )[1]
    assert columns.mean() > columns_before.mean()


def test_mimebundle_has_widget_view_static_png_and_short_text():
    dot = _Dot()
    bundle = dot._repr_mimebundle_()
    assert bundle["text/plain"] == "Dot widget"
    assert (
        bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
        == dot.widget.model_id
    )
    assert np.array_equal(
        _pixels(base64.b64decode(bundle["image/png"])), _pixels(dot.image.value)
    )
    assert repr(dot) == "Dot widget"


def test_classroom_style_draws_a_different_frame():
    assert _Dot(classroom=True).image.value != _Dot().image.value
    with pytest.raises(TypeError, match="classroom"):
        _Dot(classroom="yes")


def test_changes_from_the_browser_while_behind_skip_to_the_latest(monkeypatch):
    """While the browser sends changes faster than frames are drawn, only the latest is drawn."""
    from gdlab.widgets import _base

    monkeypatch.setattr(
        _base, "_BACKLOG_GAP", 3600.0
    )  # every change counts as "behind"
    monkeypatch.setattr(_base, "_MIN_FRAME_EVERY", 3600.0)
    dot = _Dot()

    async def browser_sends_three_changes():
        first = dot.image.value
        for value in (0.1, 0.2, 0.3):
            # ipywidgets holds this lock while it applies an update from the browser
            dot.position._property_lock = {"value": value}
            dot.position.value = value
            dot.position._property_lock = {}
        queued = dot.image.value
        await asyncio.sleep(0.2)
        return first, queued, dot.image.value

    first, queued, final = asyncio.run(browser_sends_three_changes())
    assert queued == first  # nothing drawn while the changes were queued
    expected = _Dot()
    expected.position.value = 0.3
    assert _pixels(final).tolist() == _pixels(expected.image.value).tolist()
    # A change made in Python is always drawn before the assignment returns.
    dot.position.value = 0.7
    assert dot.image.value != final


# ---------------------------------------------------------------------------
# DescentExplorer
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def observations():
    return gdlab.make_observations(n=40, slope=-1.5, intercept=4.0, noise=0.8, seed=3)


@pytest.fixture
def explorer(observations):
    ex = DescentExplorer(observations.x, observations.y, steps=200)
    ex.step.value = 10
    return ex


def _critical(observations):
    return gdlab.critical_learning_rate(observations.x)


@pytest.mark.parametrize(
    "control, new_value",
    [
        ("learning_rate", lambda ex: ex.learning_rate.value * 0.5),
        ("start_m", lambda ex: ex.start_m.max),
        ("start_b", lambda ex: ex.start_b.min),
        ("steps", lambda ex: 15),
        ("step", lambda ex: 11),
        ("speed", lambda ex: None),
        ("view_toggle", lambda ex: "3d"),
        ("classroom_toggle", lambda ex: True),
    ],
)
def test_each_control_changes_the_frame(explorer, control, new_value):
    widget = getattr(explorer, control)
    before = explorer.frame_png()
    scene = explorer.player.scene
    value = new_value(explorer)
    if control == "speed":
        # Speed changes how fast Play runs in the browser, not the picture.
        old_speed = explorer.player.speed
        widget.value = "slow"
        assert 0 < explorer.player.speed < old_speed
        return
    widget.value = value
    assert explorer.frame_png() != before
    if control == "step":
        # The browser is told the step; the scene it draws from stays.
        assert explorer.player.step == 11 and explorer.player.scene is scene
    else:
        assert explorer.player.scene["version"] > scene["version"]


def test_step_and_reset_buttons_and_play_link(explorer):
    at_ten = explorer.frame_png()
    explorer.step_button.click()
    assert explorer.step.value == explorer.player.step == 11
    assert explorer.frame_png() != at_ten
    # The browser's report of the step it shows moves the step slider.
    _from_browser(explorer.player, 12, name="step")
    assert explorer.step.value == 12
    explorer.reset_button.click()
    assert explorer.step.value == 0 and explorer.play.value == 0
    assert explorer.player.step == 0 and not explorer.player.playing
    explorer.step.value = 10
    assert explorer.frame_png() == at_ten
    # Play runs in the browser's view: the Play button's state is linked to
    # it there, without a round trip per step.
    assert explorer._play_link.source == (explorer.play, "playing")
    assert explorer._play_link.target == (explorer.player, "playing")
    assert explorer.play.max == explorer.step.max == explorer.run.steps_taken
    assert explorer.player.scene["steps"] == explorer.run.steps_taken + 1


def test_blitted_frames_match_a_full_redraw(explorer):
    explorer.learning_rate.value *= 0.7
    explorer.step.value = 25
    blitted = _pixels(explorer.frame_png())
    assert np.array_equal(blitted, _full_redraw(explorer))


def test_presets_give_the_matching_status(observations):
    ex = DescentExplorer(observations.x, observations.y)
    critical = _critical(observations)

    ex.apply_preset("diverges")
    assert ex.learning_rate.value > critical
    assert "will diverge" in ex.warning.value and f"{critical:.3g}" in ex.warning.value
    assert ex.learning_rate.style.handle_color == gdlab.plots.COLORS["line"]
    assert ex.step.value == 0 and "ready" in ex.status_text()
    ex.step.value = ex.step.max
    assert ex.run.status == "diverged"
    assert f"diverged at step {ex.run.diverged_at}" in ex.status_text()
    assert f"above the critical value 2/λ_max = {critical:.3g}" in ex.status_text()

    ex.apply_preset("oscillates")
    assert ex.warning.value == "" and ex.learning_rate.style.handle_color is None
    ex.step.value = 3
    assert "oscillating" in ex.status_text()

    ex.apply_preset("good")
    ex.step.value = ex.step.max
    assert ex.status_text().endswith(
        f"converged after {ex.run.steps_taken} steps: at the minimum"
    )
    # Converged to the best fit, within a small fraction of the window the map shows.
    m_star, b_star = gdlab.best_fit(observations.x, observations.y)
    (m_low, m_high), (b_low, b_high) = ex.surface.window()
    assert abs(ex.run.final[0] - m_star) < 0.005 * (m_high - m_low)
    assert abs(ex.run.final[1] - b_star) < 0.005 * (b_high - b_low)
    assert ex.run.losses[-1] == pytest.approx(ex.surface.minimum_loss, rel=1e-2)

    ex.apply_preset("too small")
    ex.step.value = ex.step.max
    assert ex.run.status == "max_steps"
    assert "converging (stopped after" in ex.status_text()

    ex.apply_preset("far start")
    (m_low, _), (_, b_high) = ex.surface.window()
    # The map's corner, on the start sliders' grid (within half a notch).
    assert abs(ex.start_m.value - m_low) <= ex.start_m.step / 2
    assert abs(ex.start_b.value - b_high) <= ex.start_b.step / 2
    # The start sliders reach the corner (their ends are on their exact grid, a
    # step or less outside the map).
    assert ex.start_m.min <= m_low < ex.start_m.min + ex.start_m.step
    assert ex.start_b.max - ex.start_b.step < b_high <= ex.start_b.max
    with pytest.raises(ValueError, match="name"):
        ex.apply_preset("fastest")
    assert set(PRESETS) == {"too small", "good", "oscillates", "diverges", "far start"}


def test_critical_rate_is_shown_next_to_the_learning_rate(explorer, observations):
    critical = _critical(observations)
    assert explorer.critical_rate() == pytest.approx(critical)
    assert f"{critical:.3g}" in explorer.critical_label.value
    low, high = (
        explorer.learning_rate.base**v
        for v in (explorer.learning_rate.min, explorer.learning_rate.max)
    )
    assert low < critical < high


def _check_readable(ex):
    ex.frame_png()  # the matplotlib frame of the current state (drawn when asked for)
    frame = ex.frame
    for ax in ex.figure.axes:
        for low, high in (ax.get_xlim(), ax.get_ylim()):
            assert np.isfinite([low, high]).all() and low < high
    (m_low, m_high), (b_low, b_high) = frame.window
    assert frame.surface_ax.get_xlim() == pytest.approx((m_low, m_high))
    bottom, top = frame.loss_ax.get_ylim()
    assert (
        top / bottom < 1e30
        if frame.loss_ax.get_yscale() == "log"
        else abs(top - bottom) < 1e12
    )
    if ex.view == "contour":
        path = np.column_stack(frame.paths[0].get_data())
        path = path[~np.isnan(path).any(axis=1)]
        assert np.all((path[:, 0] >= m_low - 1e-9) & (path[:, 0] <= m_high + 1e-9))
        assert np.all((path[:, 1] >= b_low - 1e-9) & (path[:, 1] <= b_high + 1e-9))
        here = frame.nows[0].get_xydata()[0]
        assert m_low <= here[0] <= m_high and b_low <= here[1] <= b_high


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_extreme_settings_stay_quiet_and_readable(observations, view):
    ex = DescentExplorer(observations.x, observations.y, view=view)
    ex.steps.value = ex.steps.max
    for m, b in [(ex.start_m.min, ex.start_b.max), (ex.start_m.max, ex.start_b.min)]:
        ex.start_m.value, ex.start_b.value = m, b
        for exponent in (ex.learning_rate.max, ex.learning_rate.min):
            ex.learning_rate.value = ex.learning_rate.base**exponent
            for step in (1, ex.step.max // 2, ex.step.max):
                ex.step.value = step
                _check_readable(ex)
    ex.learning_rate.value = ex.learning_rate.base**ex.learning_rate.max
    ex.step.value = ex.step.max
    ex.frame_png()
    assert "off the map" in ex.status_text() and ex.frame.off_map.get_visible()


def test_runs_on_a_saddle(explorer):
    ex = DescentExplorer(
        surface=gdlab.Saddle(), start=(-1.8, 0.05), learning_rate=0.2, steps=300
    )
    ex.step.value = ex.step.max
    assert ex.run.status == "diverged"
    assert "ran off downhill" in ex.status_text()
    assert ex.start_m.description == "start θ₁" and ex.start_b.description == "start θ₂"
    _check_readable(ex)
    assert ex.frame.middle_ax.get_title() == "parameters per step"


@pytest.mark.parametrize("start, valley", [((1.5, 1.0), 1), ((-1.5, 1.0), -1)])
def test_runs_on_two_valleys_and_ends_in_the_valley_it_starts_in(start, valley):
    surface = gdlab.TwoValleys()
    ex = DescentExplorer(surface=surface, start=start, learning_rate=0.05, steps=1000)
    ex.step.value = ex.step.max
    assert "converged after" in ex.status_text()
    assert np.sign(ex.run.final[0]) == valley
    # The critical rate is the one at the start, and says so.
    hessian = surface.hessian(start)
    assert ex.critical_rate() == pytest.approx(2 / np.linalg.eigvalsh(hessian)[-1])
    assert "at the start" in ex.critical_label.value
    _check_readable(ex)


def test_explorer_mimebundle(explorer):
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {
        "application/vnd.jupyter.widget-view+json",
        "image/png",
        "text/plain",
    }
    assert (
        bundle["text/plain"]
        == "DescentExplorer: drag the sliders or press Play (needs a live kernel)"
    )
    assert np.array_equal(
        _pixels(base64.b64decode(bundle["image/png"])), _pixels(explorer.frame_png())
    )
    assert (
        bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
        == explorer.widget.model_id
    )
    assert explorer.player in explorer.widget.children


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        ({}, TypeError, "x and y"),
        ({"x": [1.0, 2.0], "y": [1.0]}, ValueError, "x and y"),
        ({"x": "abc", "y": [1.0]}, TypeError, "x"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate"),
        ({"learning_rate": "fast"}, TypeError, "learning_rate"),
        ({"start": (1.0, 2.0, 3.0)}, ValueError, "start"),
        ({"start": (1e6, 0.0)}, ValueError, r"start\[0\]"),
        ({"steps": 0}, ValueError, "steps"),
        ({"steps": 10.5}, TypeError, "steps"),
        ({"view": "4d"}, ValueError, "view"),
        ({"classroom": "yes"}, TypeError, "classroom"),
        ({"surface": gdlab.Parabola()}, TypeError, "surface"),
        ({"surface": gdlab.Saddle(), "x": [1.0, 2.0]}, ValueError, "surface"),
    ],
)
def test_bad_constructor_input_names_the_argument(observations, kwargs, error, name):
    arguments = dict(kwargs)
    if "x" not in arguments and "surface" not in arguments and kwargs:
        arguments.update(x=observations.x, y=observations.y)
    with pytest.raises(error, match=name):
        DescentExplorer(**arguments)


def test_close_closes_every_control(observations):
    ex = DescentExplorer(observations.x, observations.y, steps=20)
    controls = [
        ex.learning_rate,
        ex.start_m,
        ex.start_b,
        ex.steps,
        ex.step,
        ex.play,
        ex.player,
    ]
    assert all(control.comm is not None for control in controls)
    ex.close()
    assert all(control.comm is None for control in controls)


def test_switching_views_back_and_forth_keeps_each_figure(explorer):
    contour_figure, contour_frame = explorer.figure, explorer.frame_png()
    explorer.view_toggle.value = "3d"
    three_d_figure = explorer.figure
    assert three_d_figure is not contour_figure
    explorer.learning_rate.value *= 0.5  # a new path while the 3D view is shown
    explorer.view_toggle.value = "contour"
    assert explorer.figure is contour_figure
    assert explorer.frame_png() != contour_frame  # the contour view shows the new path
    blitted = _pixels(explorer.frame_png())
    assert np.array_equal(blitted, _full_redraw(explorer))
    explorer.view_toggle.value = "3d"
    assert explorer.figure is three_d_figure
    explorer.classroom_toggle.value = True
    assert explorer.figure is not three_d_figure and explorer.frame.classroom


def _from_browser(widget, value, name="value"):
    """Set a trait the way ipywidgets applies an update sent by the browser."""
    widget._property_lock = {name: value}
    try:
        setattr(widget, name, value)
    finally:
        widget._property_lock = {}


def test_reset_wins_over_play_ticks_still_in_flight(explorer, monkeypatch):
    from gdlab.widgets import _explorer as explorer_module

    monkeypatch.setattr(
        explorer_module, "_SETTLE_SECONDS", 3600.0
    )  # no timing in tests
    explorer.play.playing = True
    for k in (11, 12, 13):
        _from_browser(explorer.player, k, name="step")
    # while playing, the browser's reports move the step slider
    assert explorer.step.value == 13
    explorer.reset_button.click()
    at_zero = explorer.frame_png()
    # A report the browser sent before it heard "pause", by either route:
    _from_browser(explorer.player, 14, name="step")
    assert explorer.step.value == explorer.player.step == 0
    _from_browser(explorer.step, 15)
    assert explorer.step.value == explorer.player.step == 0
    assert explorer.play.value == 0
    assert explorer.frame_png() == at_zero
    explorer.step.value = 5  # Python (and the Step button) still move it at once
    assert explorer.step.value == explorer.player.step == 5


def test_the_play_widgets_stop_button_goes_back_to_step_0(explorer):
    explorer.play.playing = True
    _from_browser(explorer.player, 40, name="step")
    # Stop, in the browser: not playing, and the value at the Play widget's min.
    _from_browser(explorer.play, explorer.play.min)
    assert explorer.step.value == explorer.player.step == explorer.play.value == 0
    assert not explorer.play.playing and not explorer.player.playing


def test_chosen_learning_rates_sit_on_the_slider_grid(observations):
    ex = DescentExplorer(observations.x, observations.y)
    for name in PRESETS:
        ex.apply_preset(name)
        exponent = np.log10(ex.learning_rate.value)
        steps_from_min = (exponent - ex.learning_rate.min) / ex.learning_rate.step
        assert steps_from_min == pytest.approx(round(steps_from_min), abs=1e-6)
    # A rate the caller gives is kept exactly, even far outside the usual range.
    for rate in (0.0123, 1e-9, 50.0):
        ex = DescentExplorer(
            observations.x, observations.y, learning_rate=rate, steps=30
        )
        assert ex.learning_rate.value == rate and ex.run.learning_rate == rate


class _TiltedBowl(gdlab.Surface):
    """A surface a lesson might write: loss, gradient and window only."""

    def _loss(self, params):
        u, v = params[..., 0], params[..., 1]
        return (u + v) ** 2 + 0.1 * (u - v) ** 2

    def _gradient(self, params):
        u, v = params[..., 0], params[..., 1]
        return np.stack(
            [2 * (u + v) + 0.2 * (u - v), 2 * (u + v) - 0.2 * (u - v)], axis=-1
        )

    def window(self):
        return ((-3.0, 3.0), (-3.0, 3.0))


def test_runs_on_a_surface_that_knows_only_its_loss_gradient_and_window():
    ex = DescentExplorer(surface=_TiltedBowl(), learning_rate=0.2, steps=500)
    ex.step.value = ex.step.max
    assert "converged after" in ex.status_text()
    assert ex.run.final == pytest.approx([0.0, 0.0], abs=0.01)  # 0.2 % of the window
    _check_readable(ex)

    class NoWindow(_TiltedBowl):
        window = gdlab.Surface.window

    with pytest.raises(TypeError, match="window"):
        DescentExplorer(surface=NoWindow())


def test_each_preset_button_changes_the_frame(explorer):
    seen = {explorer.frame_png()}
    for name, button in explorer.preset_buttons.items():
        button.click()
        explorer.step.value = min(5, explorer.step.max)
        assert explorer.frame_png() not in seen, name
        seen.add(explorer.frame_png())


@pytest.mark.parametrize(
    "slope, x_range", [(2.0, (0.0, 2.0)), (-3.0, (5.0, 9.0)), (0.5, (0.0, 100.0))]
)
def test_the_default_start_line_is_in_view_and_against_the_data(slope, x_range):
    obs = gdlab.make_observations(
        n=30, slope=slope, intercept=1.0, noise=0.5, x_range=x_range, seed=4
    )
    ex = DescentExplorer(obs.x, obs.y)
    m, b = ex.start_m.value, ex.start_b.value
    (x_low, x_high), (y_low, y_high) = ex.frame._data_box
    ends = np.array([m * x_low + b, m * x_high + b])
    assert np.all(
        (ends >= y_low) & (ends <= y_high)
    )  # the whole line is drawn at step 0
    assert np.sign(m) == -np.sign(ex.surface.minimum[0])  # and it is clearly wrong
    # off the valley floor: well above the data's centre, so a large η zig-zags
    assert m * obs.x.mean() + b > obs.y.mean() + 0.3 * np.ptp(obs.y)
    assert not ex.frame.line_off_panel.get_visible()


def test_good_preset_runs_down_the_valley_and_oscillates_preset_zigzags(observations):
    ex = DescentExplorer(observations.x, observations.y)
    ex.apply_preset("good")
    words = [describe_step(ex.run, k) for k in range(2, 40)]
    assert not any(w.startswith("oscillating") for w in words)
    ex.apply_preset("oscillates")
    words = [describe_step(ex.run, k) for k in range(2, 12)]
    assert sum(w.startswith("oscillating") for w in words) >= 5


@pytest.mark.parametrize("shift, word", [(10.0, "above"), (-10.0, "below")])
def test_a_line_off_the_data_panel_is_said_in_words(observations, shift, word):
    ex = DescentExplorer(observations.x, observations.y)
    frame, surface = ex.frame, ex.surface
    m_star, b_star = surface.minimum
    far = (
        m_star,
        b_star + shift * np.ptp(observations.y),
    )  # the best line, moved off the panel
    frame.set_run(gdlab.descend(surface, far, learning_rate=1e-6, steps=1))
    frame.show(0)
    note = frame.line_off_panel
    assert note.get_visible() and f"is {word} the panel" in note.get_text()
    frame.set_run(gdlab.descend(surface, (m_star, b_star), learning_rate=1e-6, steps=1))
    frame.show(0)
    assert not note.get_visible()


def test_the_loss_label_clears_log_scale_tick_labels(observations):
    # Started at the minimum the loss cannot fall by a factor of 30: a linear scale.
    m_star, b_star = gdlab.LinearMSE(observations.x, observations.y).minimum
    ex = DescentExplorer(
        observations.x,
        observations.y,
        start=(m_star, b_star),
        steps=1,
        learning_rate=1e-3 * _critical(observations),
    )
    assert ex.frame.loss_ax.get_yscale() == "linear"  # laid out on a linear scale first
    ex.learning_rate.value = ex.learning_rate.base**ex.learning_rate.max
    ex.steps.value = 2000
    ex.step.value = ex.step.max
    ax = ex.frame.loss_ax
    assert ax.get_yscale() == "log"
    renderer = ex.canvas.get_renderer()
    label = ax.yaxis.label.get_window_extent(renderer)
    ticks = [
        t.get_window_extent(renderer)
        for t in ax.get_yticklabels()
        if t.get_visible() and t.get_text()
    ]
    assert ticks and label.x1 <= min(t.x0 for t in ticks)


def test_the_downhill_arrow_stays_on_the_map_at_a_far_start(observations):
    ex = DescentExplorer(observations.x, observations.y)
    for preset in ("far start", "good"):
        ex.apply_preset(preset)
        ex.frame_png()  # the matplotlib frame is drawn when asked for
        arrow = ex.frame.arrow
        if not arrow.get_visible():
            continue
        tail, tip = np.array(arrow._posA_posB)  # the arrow's two ends in data units
        (m_low, m_high), (b_low, b_high) = ex.frame.window
        assert (
            m_low - 1e-9 <= tip[0] <= m_high + 1e-9
            and b_low - 1e-9 <= tip[1] <= b_high + 1e-9
        )
        assert np.hypot(*(tip - tail)) > 0


def test_the_browser_gets_the_status_line_of_every_step(observations):
    ex = DescentExplorer(observations.x, observations.y, steps=120)
    ex.apply_preset("diverges")
    player = ex.player
    lines = player.status_lines()
    assert len(lines) == ex.run.steps_taken + 1
    # One line each (what it leaves out goes after a tab, to the tooltip): in
    # full, the status text Python gives.
    full = [
        f"{line} ({more})" if more else line
        for line, _, more in (text.partition("\t") for text in lines)
    ]
    assert full == [ex.status_text(k) for k in range(ex.run.steps_taken + 1)]
    # The words repeat: compressed, the lines take a fraction of their text.
    text = sum(len(line.encode()) + 1 for line in lines)
    assert len(player.status_parts) + len(player.status_table) < text / 4


@pytest.mark.parametrize(
    "surface",
    [
        gdlab.Saddle(),
        gdlab.TwoValleys(),
        gdlab.LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]),
    ],
    ids=repr,
)
def test_start_sliders_have_an_exact_grid_with_zero_on_it(surface):
    # The browser snaps to min + k·step in float64: with a power-of-two step and
    # ends on whole multiples of it, that sum is exact, so 0 stays 0 (a saddle's
    # axis) instead of coming back as -2.2e-16.
    ex = DescentExplorer(surface=surface)
    try:
        for slider in (ex.start_m, ex.start_b):
            step = slider.step
            assert math.log2(step) == int(math.log2(step))
            assert slider.min / step == int(slider.min / step)
            k = round((0.0 - slider.min) / step)
            assert slider.min + k * step == 0.0
    finally:
        ex.close()


def test_a_new_path_on_the_same_panels_sends_numbers_not_a_still(observations):
    # What ipywidgets sends is each synced trait that changed: with the panels'
    # axes unchanged, the stills stay and only the compressed numbers and
    # status heads go (the 20 kB a new path; the stills are ~100 kB).
    ex = DescentExplorer(observations.x, observations.y, steps=800)
    player = ex.player
    reference = ex.learning_rate.value
    sent = []
    for factor in (0.9, 0.8, 0.7):
        names = [n for n in player.trait_names(sync=True) if not n.startswith("_")]
        before = {n: getattr(player, n) for n in names}
        panels = ex.frame.panel_limits()
        ex.learning_rate.value = ex._on_grid(reference * factor)
        changed = {n for n in names if getattr(player, n) != before[n]}
        assert "data" in changed  # a new path went out
        if ex.frame.panel_limits() == panels:
            assert not changed & {"background", "overlay", "sprites"}
            sent_traits = ("data", "status_parts", "status_table")
            size = sum(len(getattr(player, n)) for n in sent_traits)
            sent.append(size)
    assert sent and max(sent) <= 20_000
    # And the browser can rebuild every step's line from what was sent.
    lines = player.status_lines()
    assert len(lines) == ex.run.steps_taken + 1
    assert lines[-1].partition("\t")[0] == ex.status_line(ex.run.steps_taken)


def test_the_background_is_the_same_array_until_it_is_drawn_again(observations):
    # ExplorerView encodes a still again only when given a new array: so
    # background_pixels gives a new one whenever its pixels may have changed.
    ex = DescentExplorer(observations.x, observations.y)
    static, layered, corner = ex.background_pixels()
    again = ex.background_pixels()
    assert again[0] is static and again[1] is layered and again[2] == corner
    ex.invalidate_background(static=False)
    redrawn = ex.background_pixels()
    assert redrawn[0] is static and redrawn[1] is not layered
    np.testing.assert_array_equal(redrawn[1], layered)  # nothing moved
    panels = ex.frame.panel_limits()
    ex.apply_preset("diverges")
    assert ex.frame.panel_limits() != panels
    moved = ex.background_pixels()
    assert moved[1] is not redrawn[1] and not np.array_equal(moved[1], layered)
    assert ex.player.overlay == encode_png(moved[1])
    ex.invalidate_background()
    assert ex.background_pixels()[0] is not static
    ex.close()


def test_the_browser_sending_a_value_back_rounded_is_no_new_setting(observations):
    # As a browser message does (set_state): the same η to its last bits, or
    # a start on the slider's grid, computes no new run and sends no new scene;
    # a notch's move does.
    ex = DescentExplorer(observations.x, observations.y)
    version = ex.player.scene["version"]
    ex.learning_rate.set_state({"value": ex.learning_rate.value * (1 + 1e-15)})
    ex.start_m.set_state({"value": ex.start_m.value})
    assert ex.player.scene["version"] == version
    ex.start_m.set_state({"value": ex.start_m.value + ex.start_m.step})
    assert ex.player.scene["version"] == version + 1
    ex.learning_rate.set_state({"value": ex.learning_rate.value * 10**0.01})
    assert ex.player.scene["version"] == version + 2
