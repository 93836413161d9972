"""The mini-batch explorer of lesson 09, driven without a browser."""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab.widgets import MiniBatchExplorer


@pytest.fixture
def data():
    obs = gdlab.make_observations(n=32, slope=2.0, intercept=1.0, noise=1.0, seed=2)
    z, _ = gdlab.standardize(obs.x)
    return np.column_stack([z, np.ones_like(z)]), obs.y


@pytest.fixture
def explorer(data):
    X, y = data
    widget = MiniBatchExplorer(X, y, start=(0.0, 0.0), batch_size=8, epochs=3)
    yield widget
    widget.close()


def test_the_path_is_the_library_run_and_starts_shown_in_full(explorer, data):
    X, y = data
    expected = gdlab.minibatch_descent(X, y, (0.0, 0.0), 0.1, 8, 3, seed=0)
    np.testing.assert_array_equal(explorer.run.params, expected.params)
    assert explorer.update.value == explorer.update.max == 12


def test_batch_size_control_changes_the_number_of_updates_and_the_frame(explorer):
    before = explorer.frame_png()
    explorer.batch_size.value = 1
    assert explorer.update.max == 96 and explorer.run.batch_size == 1
    assert explorer.frame_png() != before


def test_moving_the_update_slider_moves_the_marker(explorer):
    explorer.update.value = 4
    xs, ys = explorer._now.get_data()
    np.testing.assert_allclose([xs[0], ys[0]], explorer.run.params[4])
    assert explorer.status_text().startswith("update 4 / 12 (epoch 1.00")


def test_a_too_large_rate_says_diverged_without_warnings(explorer):
    explorer.learning_rate.value = 3.0
    assert explorer.run.status == "diverged" and "diverged" in explorer.status.value
    assert explorer.frame_png()[:4] == b"\x89PNG"


def test_mimebundle_has_a_static_png_and_short_text(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] and bundle["text/plain"].startswith("MiniBatchExplorer")


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"epochs": 99}, ValueError, "epochs"),
        ({"start": (1e6, 0.0)}, ValueError, "window"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ],
)
def test_bad_input_is_named(data, kwargs, error, word):
    X, y = data
    options = {"start": (0.0, 0.0)} | kwargs
    with pytest.raises(error, match=word):
        MiniBatchExplorer(X, y, **options)


def test_needs_two_columns(data):
    X, y = data
    with pytest.raises((ValueError, TypeError)):
        MiniBatchExplorer(np.column_stack([X, X[:, :1] ** 2]), y, start=(0.0, 0.0, 0.0))


def test_step_reset_speed_and_classroom(explorer):
    explorer.reset()
    assert explorer.update.value == 0 and not explorer.play.playing
    explorer.advance()
    assert explorer.update.value == 1
    last = len(explorer.run.params) - 1
    for speed in ("slow", "medium", "fast", "fastest"):
        explorer.speed.value = speed
        ticks = range(0, explorer.play.max + 1, explorer.play.step)
        assert ticks[-1] >= last  # Play's last tick reaches the last update
    before = explorer.frame_png()
    explorer.classroom_toggle.value = True
    assert explorer.classroom and explorer.frame_png() != before
    explorer.update.value = 3  # still working after the rebuild
    xs, ys = explorer._now.get_data()
    np.testing.assert_allclose([xs[0], ys[0]], explorer.run.params[3])


def test_a_diverging_point_is_marked_off_the_map(explorer):
    explorer.learning_rate.value = 3.0
    assert explorer.run.status == "diverged"
    explorer.update.value = explorer.update.max
    final = explorer.run.params[-1]
    (m0, m1), (b0, b1) = explorer._window
    outside = not (m0 <= final[0] <= m1 and b0 <= final[1] <= b1)
    assert outside  # η = 3 throws θ far off the map before it is stopped
    assert explorer._off_map.get_visible()
    xs, ys = explorer._now.get_data()
    assert m0 <= xs[0] <= m1 and b0 <= ys[0] <= b1  # the marker stays on the map
    assert explorer._now.get_marker() == ("D" if outside else "o")


def test_path_keeps_its_outline_and_few_dots(data):
    X, y = data
    widget = MiniBatchExplorer(X, y, start=(0.0, 0.0), batch_size=1, epochs=30)
    assert widget._path.get_path_effects()  # the black outline
    assert len(widget._dots.get_xdata()) <= 61
    widget.close()
