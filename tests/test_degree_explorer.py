"""The degree slider of lesson 07, driven without a browser."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab.widgets import DegreeExplorer


def _curve(n, seed):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 6, n))
    return x, 2 + 1.5 * x - 0.4 * x**2 + rng.normal(0, 0.6, n)


@pytest.fixture
def explorer():
    x, y = _curve(15, 7)
    x_new, y_new = _curve(40, 8)
    widget = DegreeExplorer(x, y, x_new, y_new, max_degree=9, degree=1)
    yield widget
    widget.close()


def test_moving_the_slider_changes_the_frame_and_the_status(explorer):
    before = explorer.frame_png()
    explorer.degree.value = 4
    assert explorer.frame_png() != before
    assert explorer.status_text().startswith("degree 4: training MSE")
    assert "degree 4" in explorer.status.value


def test_each_degree_is_the_least_squares_polynomial(explorer):
    x, y = _curve(15, 7)
    for degree in (0, 2, 5):
        explorer.degree.value = degree
        curve_x, curve_y = explorer._curve.get_data()
        np.testing.assert_allclose(
            curve_y, np.polyval(np.polyfit(x, y, degree), curve_x), rtol=1e-6, atol=1e-6
        )


def test_training_loss_never_rises_with_the_degree_and_held_out_is_scored(explorer):
    assert np.all(np.diff(explorer.train_loss) <= 1e-12)
    assert explorer.held_out_loss.shape == (10,)
    assert explorer.held_out_loss[9] > explorer.held_out_loss[2]


def test_the_marker_sits_on_the_training_loss_of_the_shown_degree(explorer):
    explorer.degree.value = 3
    xs, ys = explorer._marker.get_data()
    assert list(xs) == [3] and ys[0] == pytest.approx(explorer.train_loss[3])


def test_mimebundle_has_a_static_png_and_short_text():
    x, y = _curve(8, 1)
    bundle = DegreeExplorer(x, y, max_degree=3)._repr_mimebundle_()
    assert bundle["image/png"] and bundle["text/plain"].startswith("DegreeExplorer")


def test_without_held_out_data_only_training_loss_is_drawn():
    x, y = _curve(8, 1)
    widget = DegreeExplorer(x, y, max_degree=7, degree=7)
    assert widget.held_out_loss is None and "held-out" not in widget.status_text()


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        ({"max_degree": 20}, ValueError, "max_degree"),
        ({"degree": 5, "max_degree": 3}, ValueError, "degree"),
        ({"degree": 1.0}, TypeError, "degree"),
        ({"x_held_out": [1.0, 2.0]}, ValueError, "held_out"),
    ],
)
def test_bad_input_is_named(kwargs, error, word):
    x, y = _curve(8, 1)
    with pytest.raises(error, match=word):
        DegreeExplorer(x, y, **kwargs)
