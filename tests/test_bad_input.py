"""Every bad input gets a ValueError or TypeError that names the argument."""

from __future__ import annotations

import re

import numpy as np
import pytest

import gdlab

X = [0.0, 1.0, 2.0, 3.0]
Y = [1.0, 2.0, 2.5, 4.0]
NAN, INF = float("nan"), float("inf")


def descent(**changes):
    arguments = {"x": X, "y": Y, "start": (0.0, 0.0), "learning_rate": 0.1, "steps": 10}
    arguments.update(changes)
    return lambda: gdlab.gradient_descent(**arguments)


CASES = [
    # (id, call, exception, words the message must contain)
    (
        "lengths differ",
        lambda: gdlab.mse_gradient([1.0, 2.0], [1.0], 0, 0),
        ValueError,
        "same length",
    ),
    ("lengths differ, descent", descent(y=Y[:3]), ValueError, "x and y"),
    (
        "lengths differ, mse",
        lambda: gdlab.mse([1.0, 2.0], [1.0]),
        ValueError,
        "y and y_hat",
    ),
    ("empty x", lambda: gdlab.best_fit([], []), ValueError, "x must hold at least one"),
    ("empty y_hat", lambda: gdlab.mse([1.0], []), ValueError, "y_hat"),
    (
        "nan in x",
        lambda: gdlab.mse_gradient([0.0, NAN], [1.0, 2.0], 0, 0),
        ValueError,
        "x must contain only finite",
    ),
    (
        "inf in y",
        lambda: gdlab.best_fit([0.0, 1.0], [1.0, INF]),
        ValueError,
        "y must contain only finite",
    ),
    ("nan in y, descent", descent(y=[1.0, NAN, 2.0, 3.0]), ValueError, "y"),
    (
        "nan in grid",
        lambda: gdlab.loss_surface(X, Y, [0.0, NAN], [0.0]),
        ValueError,
        "m_values",
    ),
    (
        "text data",
        lambda: gdlab.best_fit(["a", "b"], [1.0, 2.0]),
        TypeError,
        "x must contain real numbers",
    ),
    (
        "object data",
        lambda: gdlab.mse([1.0, None], [1.0, 2.0]),
        TypeError,
        "y must contain only real numbers",
    ),
    (
        "string as data",
        lambda: gdlab.critical_learning_rate("0123"),
        TypeError,
        "x must be an array",
    ),
    (
        "boolean data",
        lambda: gdlab.mse([True, False], [1.0, 0.0]),
        TypeError,
        "y must contain real numbers",
    ),
    ("complex data", lambda: gdlab.mse([1j, 2.0], [1.0, 0.0]), TypeError, "y"),
    (
        "2-D x",
        lambda: gdlab.mse_gradient(np.ones((2, 2)), np.ones((2, 2)), 0, 0),
        ValueError,
        "x must be a 1-D array",
    ),
    (
        "2-D y",
        lambda: gdlab.best_fit(X, np.ones((4, 1))),
        ValueError,
        "y must be a 1-D array",
    ),
    (
        "2-D b_values",
        lambda: gdlab.loss_surface(X, Y, [0.0], [[0.0]]),
        ValueError,
        "b_values must be a 1-D",
    ),
    ("scalar x", lambda: gdlab.best_fit(3.0, 2.0), ValueError, "x must be a 1-D"),
    (
        "learning rate zero",
        descent(learning_rate=0.0),
        ValueError,
        "learning_rate must be a finite number greater than 0",
    ),
    (
        "learning rate negative",
        descent(learning_rate=-0.1),
        ValueError,
        "learning_rate",
    ),
    ("learning rate nan", descent(learning_rate=NAN), ValueError, "learning_rate"),
    ("learning rate inf", descent(learning_rate=INF), ValueError, "learning_rate"),
    (
        "learning rate text",
        descent(learning_rate="0.1"),
        TypeError,
        "learning_rate must be a real number",
    ),
    (
        "steps negative",
        descent(steps=-1),
        ValueError,
        "steps must be a whole number >= 0",
    ),
    ("steps fractional", descent(steps=2.5), TypeError, "steps must be a whole number"),
    ("steps float", descent(steps=10.0), TypeError, "steps"),
    ("steps bool", descent(steps=True), TypeError, "steps"),
    (
        "start one number",
        descent(start=1.0),
        TypeError,
        "start must be a sequence of 2 numbers",
    ),
    (
        "start three numbers",
        descent(start=(1.0, 2.0, 3.0)),
        ValueError,
        "start must be 2 finite numbers",
    ),
    (
        "start nan",
        descent(start=(NAN, 0.0)),
        ValueError,
        "start must contain only finite",
    ),
    ("start inf", descent(start=(0.0, INF)), ValueError, "start"),
    ("start text", descent(start="ab"), TypeError, "start"),
    ("start none", descent(start=None), TypeError, "start"),
    (
        "m nan",
        lambda: gdlab.predict(X, NAN, 0.0),
        ValueError,
        "m must be a finite number",
    ),
    (
        "b text",
        lambda: gdlab.mse_gradient(X, Y, 0.0, "1"),
        TypeError,
        "b must be a real number",
    ),
    (
        "m array",
        lambda: gdlab.predict(X, np.array([1.0, 2.0]), 0.0),
        TypeError,
        "m must be a real number",
    ),
    (
        "n zero",
        lambda: gdlab.make_observations(n=0),
        ValueError,
        "n must be a whole number >= 1",
    ),
    (
        "n float",
        lambda: gdlab.make_observations(n=5.5),
        TypeError,
        "n must be a whole number",
    ),
    (
        "noise negative",
        lambda: gdlab.make_observations(noise=-1.0),
        ValueError,
        "noise must be >= 0",
    ),
    (
        "x_range reversed",
        lambda: gdlab.make_observations(x_range=(5.0, 1.0)),
        ValueError,
        "x_range must have low < high",
    ),
    (
        "x_range not a pair",
        lambda: gdlab.make_observations(x_range=3.0),
        TypeError,
        "x_range must be a pair",
    ),
    ("seed text", lambda: gdlab.make_observations(seed="s"), TypeError, "seed"),
    ("tolerance zero", descent(tolerance=0.0), ValueError, "tolerance"),
]


@pytest.mark.parametrize(
    "call, exception, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_named(call, exception, words):
    with pytest.raises(exception) as info:
        call()
    assert words in str(info.value)


def test_callers_arrays_are_not_modified():
    x = np.array([3.0, 1.0, 2.0, 0.0])
    y = np.array([4.0, 2.0, 2.5, 1.0])
    x_before, y_before = x.copy(), y.copy()
    start = np.array([0.5, 0.5])
    gdlab.gradient_descent(x, y, start=start, learning_rate=0.05, steps=20)
    gdlab.best_fit(x, y)
    gdlab.mse_gradient(x, y, 1.0, 0.0)
    gdlab.loss_surface(x, y, x, y)
    gdlab.Observations(x, y)
    gdlab.LinearMSE(x, y)
    gdlab.mse(y, x)
    gdlab.predict(x, 1.0, 2.0)
    assert np.array_equal(x, x_before) and np.array_equal(y, y_before)
    assert np.array_equal(start, [0.5, 0.5])


def test_integer_and_list_input_is_accepted():
    m, b = gdlab.best_fit([0, 1, 2], [1, 3, 5])
    assert (m, b) == (2.0, 1.0)
    run = gdlab.gradient_descent(
        [0, 1, 2], [1, 3, 5], start=[0, 0], learning_rate=0.1, steps=np.int64(5)
    )
    assert run.params.dtype == np.float64


# -- one validation layer: the same mistake, the same error, everywhere ------------------

SEEDS = [
    ("make_observations", lambda seed: gdlab.make_observations(seed=seed)),
    ("fraction_of_minima", lambda seed: gdlab.fraction_of_minima(2, 10, seed=seed)),
    (
        "minibatch_descent",
        lambda seed: gdlab.minibatch_descent(
            [[0.0, 1.0], [1.0, 1.0]], [1.0, 2.0], [0.0, 0.0], 0.1, 1, 1, seed=seed
        ),
    ),
]


@pytest.mark.parametrize("name, call", SEEDS, ids=[s[0] for s in SEEDS])
def test_every_seed_is_checked_alike(name, call):
    with pytest.raises(ValueError, match="seed must be None or a whole number >= 0"):
        call(-1)
    with pytest.raises(TypeError, match="seed must be None or a whole number"):
        call(1.5)
    call(np.int64(3))  # numpy's integers are whole numbers too


def test_whole_numbers_take_numpy_integers_and_refuse_floats():
    assert gdlab.design_matrix([1.0, 2.0], np.int64(1)).shape == (2, 2)
    assert len(gdlab.make_observations(n=np.int32(4))) == 4
    for call in (
        lambda: gdlab.design_matrix([1.0, 2.0], 1.0),
        lambda: gdlab.make_observations(n=4.0),
        lambda: gdlab.fraction_of_minima(2.0),
    ):
        with pytest.raises(TypeError, match="whole number"):
            call()


# -- plots ---------------------------------------------------------------------------


def test_mark_observation_takes_an_index_from_numpy():
    from gdlab import plots

    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 5.0, 2.0])
    fig, ax = plots.subplots()
    ring, _label = plots.mark_observation(ax, x, y, np.argmax(y))
    assert ring.get_offsets().tolist() == [[1.0, 5.0]]
    with pytest.raises(TypeError, match="index must be a whole number"):
        plots.mark_observation(ax, x, y, 1.0)
    with pytest.raises(ValueError, match="index must be a whole number from 0 to 2"):
        plots.mark_observation(ax, x, y, 3)
    fig.clf()


# -- widgets: refused visibly, and still working ---------------------------------------

OBS = gdlab.make_observations(n=20, seed=4)


def _widgets():
    from gdlab.widgets import (
        DegreeExplorer,
        DescentExplorer,
        LineFitter,
        MiniBatchExplorer,
        SlopeSlider,
    )

    z = (OBS.x - OBS.x.mean()) / OBS.x.std()
    X = np.column_stack([z, np.ones_like(z)])
    return [
        (
            "explorer η",
            lambda: DescentExplorer(OBS.x, OBS.y),
            "learning_rate",
            "learning rate",
        ),
        ("explorer start", lambda: DescentExplorer(OBS.x, OBS.y), "start_m", "start m"),
        ("explorer steps", lambda: DescentExplorer(OBS.x, OBS.y), "steps", "steps"),
        ("line fitter", lambda: LineFitter(OBS.x, OBS.y), "m_slider", "m (slope)"),
        ("slope slider", lambda: SlopeSlider(), "slider", "m"),
        (
            "degree",
            lambda: DegreeExplorer(OBS.x, OBS.y, max_degree=5),
            "degree",
            "degree",
        ),
        (
            "mini-batch η",
            lambda: MiniBatchExplorer(X, OBS.y, start=(0.0, 0.0)),
            "learning_rate",
            "learning rate",
        ),
        (
            "mini-batch B",
            lambda: MiniBatchExplorer(X, OBS.y, start=(0.0, 0.0)),
            "batch_size",
            "batch size",
        ),
    ]


def _drawn(widget):
    """What the widget shows: the still, and an explorer's path as the browser gets it.

    (At step 0 two runs from one start can look alike: the path is in the numbers.)
    """
    player = getattr(widget, "player", None)
    return widget.frame_png(), None if player is None else player.data


@pytest.mark.parametrize(
    "make, control, name", [w[1:] for w in _widgets()], ids=[w[0] for w in _widgets()]
)
def test_widgets_refuse_bad_values_by_name_and_keep_working(make, control, name):
    widget = make()
    slider = getattr(widget, control)
    before, png = slider.value, _drawn(widget)
    integer = isinstance(slider.value, int)
    low, high = (
        (slider.base**slider.min, slider.base**slider.max)
        if hasattr(slider, "base")
        else (slider.min, slider.max)
    )
    span = high - low
    bad = [int(low - span - 1), int(high + span + 1)]
    if not integer:
        bad += [-0.1 if low > 0 else low - span, 1e308, float("inf"), float("nan")]
    for value in bad:
        with pytest.raises(ValueError, match=re.escape(name)):
            slider.value = value
        assert slider.value == before  # nothing moved, nothing drawn
        assert _drawn(widget) == png
    # Still working: a good value is taken and drawn.
    good = slider.min if slider.value != slider.min else slider.max
    if not integer and hasattr(slider, "base"):  # a log slider: its ends are powers
        good = slider.base**slider.min
    slider.value = good
    assert slider.value == pytest.approx(good)
    assert _drawn(widget) != png
    widget.close()


def test_explorer_refuses_constant_x_naming_x():
    from gdlab.widgets import DescentExplorer

    with pytest.raises(ValueError, match="x must contain at least two distinct values"):
        DescentExplorer([2.0, 2.0, 2.0], [1.0, 2.0, 3.0])


@pytest.mark.parametrize("speed", ["slow", "medium", "fast", "fastest"])
def test_play_reaches_the_last_step_at_every_speed(speed):
    from gdlab.widgets import DescentExplorer

    ex = DescentExplorer(OBS.x, OBS.y, steps=39)
    ex.speed.value = speed
    last = ex.run.steps_taken
    # Play ticks 0, step, 2·step, … while ≤ max: its last tick must reach the last step.
    ticks = range(0, ex.play.max + 1, ex.play.step)
    assert ticks[-1] >= last
    ex.close()
