"""The classroom switch: one call (or GDLAB_CLASSROOM=1) makes figures and widgets projector-sized."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdlab
from gdlab import _classroom, plots
from gdlab.widgets import (
    DegreeExplorer,
    DescentExplorer,
    LineFitter,
    MiniBatchExplorer,
    SlopeSlider,
)
from gdlab.widgets._base import CLASSROOM_CLASS, CONTROL_TEXT_PX


@pytest.fixture(autouse=True)
def fresh_switch(monkeypatch):
    """Every test starts with no call made and no variable set, and leaves none."""
    monkeypatch.delenv("GDLAB_CLASSROOM", raising=False)
    before = dict(matplotlib.rcParams)
    _classroom._chosen["on"] = None
    yield
    gdlab.classroom(False)
    _classroom._chosen["on"] = None
    assert dict(matplotlib.rcParams) == before, "classroom(False) must restore rcParams"


def _data(n=12, offset=100.0, scale=50.0):
    x = offset + scale * np.linspace(-1, 1, n)
    return x, 0.3 * x - 7.0 + np.sin(np.arange(n))


def _every_widget():
    x, y = _data()
    z = np.linspace(-1.5, 1.5, 16)
    X = np.column_stack([z, np.ones_like(z)])
    return {
        "SlopeSlider": lambda **kw: SlopeSlider(**kw),
        "LineFitter": lambda **kw: LineFitter(x, y, **kw),
        "DegreeExplorer": lambda **kw: DegreeExplorer(x, y, max_degree=4, **kw),
        "MiniBatchExplorer": lambda **kw: MiniBatchExplorer(
            X, 2 * z + 1, start=(-1.0, 3.0), batch_size=4, epochs=2, **kw
        ),
        "DescentExplorer": lambda **kw: DescentExplorer(x, y, steps=50, **kw),
    }


def _text_sizes(figure):
    """The median font size of the figure's non-empty texts (ticks, labels, titles)."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in figure.findobj(Text) if t.get_text().strip()]
    return float(np.median(sizes))


def _has_class(widget) -> bool:
    return CLASSROOM_CLASS in widget.widget._dom_classes


def test_importing_gdlab_changes_no_matplotlib_setting_even_with_the_variable_set():
    code = (
        "import json, matplotlib; before = {k: repr(v) for k, v in matplotlib.rcParams.items()}; "
        "import gdlab, gdlab.plots, gdlab.widgets; "
        "after = {k: repr(v) for k, v in matplotlib.rcParams.items()}; "
        "print(json.dumps(sorted(k for k in after if after[k] != before[k])))"
    )
    env = dict(os.environ, GDLAB_CLASSROOM="1")
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(result.stdout) == []


def test_the_switch_and_the_variable_decide_the_mode(monkeypatch):
    assert gdlab.classroom_mode() is False
    for value in ("1", "true", "YES", " on "):
        monkeypatch.setenv("GDLAB_CLASSROOM", value)
        assert gdlab.classroom_mode() is True
    for value in ("", "0", "False", "off"):
        monkeypatch.setenv("GDLAB_CLASSROOM", value)
        assert gdlab.classroom_mode() is False
    monkeypatch.setenv("GDLAB_CLASSROOM", "1")
    gdlab.classroom(False)  # an explicit call beats the variable
    assert gdlab.classroom_mode() is False
    gdlab.classroom(True)
    monkeypatch.setenv("GDLAB_CLASSROOM", "0")
    assert gdlab.classroom_mode() is True


def test_bad_values_are_refused_by_name(monkeypatch):
    with pytest.raises(TypeError, match="on must be True or False"):
        gdlab.classroom("yes")
    monkeypatch.setenv("GDLAB_CLASSROOM", "loud")
    with pytest.raises(ValueError, match="GDLAB_CLASSROOM"):
        gdlab.classroom_mode()
    with pytest.raises(TypeError, match="classroom"):
        LineFitter(*_data(), classroom="yes")


def _pixels(text, fig):
    """The height of ``text``'s font in pixels, as the figure draws it."""
    return text.get_fontsize() * fig.dpi / 72


def test_a_figure_drawn_after_the_call_has_large_text_everywhere():
    fig, ax = plots.subplots(figsize=(6.0, 4.0))
    normal_label = _pixels(ax.set_xlabel("x"), fig)
    normal_ticks = _pixels(ax.xaxis.get_ticklabels()[0], fig)
    line = ax.plot([0, 1], label="line")
    normal_legend = _pixels(ax.legend(handles=line).get_texts()[0], fig)
    normal_size = fig.get_size_inches() * fig.dpi
    plt.close(fig)

    gdlab.classroom()
    fig, ax = plots.subplots(figsize=(6.0, 4.0))
    # The label is made after subplots() returned: it is large all the same.
    label = _pixels(ax.set_xlabel("x"), fig)
    ticks = _pixels(ax.xaxis.get_ticklabels()[0], fig)
    legend = ax.legend(handles=ax.plot([0, 1], label="line")).get_texts()[0]
    assert label >= 1.3 * normal_label
    assert ticks >= 1.3 * normal_ticks
    assert _pixels(legend, fig) >= 1.3 * normal_legend
    # The picture grows by 1.25, the text by more.
    assert fig.get_size_inches() * fig.dpi == pytest.approx(1.25 * normal_size)
    plt.close(fig)

    # A wide figure grows only up to the projected output area (1150 pixels).
    fig, _ = plots.subplots(1, 3, figsize=(11.0, 4.0))
    assert fig.get_figwidth() * fig.dpi == pytest.approx(1150)
    plt.close(fig)
    fig, _ = plots.subplots(1, 4, figsize=(15.0, 3.8))
    assert fig.get_figwidth() * fig.dpi == pytest.approx(1500)
    plt.close(fig)


def test_the_variable_alone_makes_figures_large(monkeypatch):
    fig, ax = plots.subplots()
    normal = _pixels(ax.set_title("t"), fig)
    plt.close(fig)
    monkeypatch.setenv("GDLAB_CLASSROOM", "1")
    fig, ax = plots.subplots()
    assert _pixels(ax.set_title("t"), fig) >= 1.3 * normal
    plt.close(fig)


def test_an_explicit_classroom_figure_leaves_global_settings_alone():
    before = dict(matplotlib.rcParams)
    fig, _ = plots.subplots(classroom=True)
    plt.close(fig)
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("name", list(_every_widget()))
def test_every_widget_follows_the_switch(name):
    make = _every_widget()[name]
    normal = make()
    assert normal.classroom is False
    gdlab.classroom()
    large = make()
    assert large.classroom is True
    # The figure is drawn in the classroom style: larger text, other pixels.
    assert _text_sizes(large.figure) > _text_sizes(normal.figure)
    assert large.frame_png() != normal.frame_png()
    # An explicit argument still wins over the switch.
    assert make(classroom=False).classroom is False
    for widget in (normal, large):
        widget.close()


@pytest.mark.parametrize(
    "name", ["SlopeSlider", "LineFitter", "DegreeExplorer", "MiniBatchExplorer"]
)
def test_classroom_widgets_enlarge_their_controls(name):
    make = _every_widget()[name]
    normal, large = make(classroom=False), make(classroom=True)
    assert not _has_class(normal) and _has_class(large)
    for widget in (normal, large):
        assert "gdlab-widget" in widget.widget._dom_classes
        sheets = [
            child
            for child in widget.widget.children
            if "<style>" in str(getattr(child, "value", ""))
        ]
        assert len(sheets) == 1 and sheets[0].layout.display == "none"
        assert f"--jp-widgets-font-size: {CONTROL_TEXT_PX}px" in sheets[0].value
    large.set_classroom(False)
    assert not _has_class(large)
    assert CONTROL_TEXT_PX >= 18


@pytest.mark.parametrize("classroom", [False, True])
@pytest.mark.parametrize("as_line", [False, True], ids=["design", "line"])
def test_the_minibatch_explorer_draws_data_a_line_fits_exactly(classroom, as_line):
    # The minimum loss is then ~1e-31: on the log axis (and its dotted floor,
    # drawn for a line's data) it must not warn (pytest turns warnings into
    # errors), in either size.
    z = np.linspace(-2.0, 3.0, 20)
    X = np.column_stack([z, np.ones_like(z)])
    y = -3 * z + 40
    window = gdlab.FeatureMSE(X, y).window()
    start = tuple(low + 0.25 * (high - low) for low, high in window)
    explorer = MiniBatchExplorer(
        z if as_line else X, y, start=start, batch_size=5, epochs=3, classroom=classroom
    )
    assert explorer.surface.minimum_loss < 1e-20
    explorer.step.value = 4
    assert explorer.frame_png()[:4] == b"\x89PNG"
    explorer.close()
