"""A widget that fails to draw says so, in the widget; drawing from two threads is safe (issue 19).

In class the *diverges* preset sometimes did nothing: matplotlib raised
inside the kernel while two threads drew at once, JupyterLab showed a badge
in its status bar and Notebook 7 nothing at all.  Every drawing a gdlab
widget does now holds one lock, and any exception from a control's callback
is logged and shown inside the widget as one plain line, with the picture
marked out of date.
"""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import gdlab
from gdlab.widgets import DescentExplorer, SlopeSlider
from gdlab.widgets._base import DRAWING

OBS = gdlab.make_observations(n=30, seed=0)


@pytest.fixture()
def explorer():
    ex = DescentExplorer(OBS.x, OBS.y)
    yield ex
    ex.close()


def _break(monkeypatch, ex, message):
    def fail(*args, **kwargs):
        raise ValueError(message)

    # On the class: a new view or style makes a new frame, and it fails too.
    monkeypatch.setattr(type(ex.frame), "export_moving", fail)


def test_a_failure_while_drawing_is_shown_in_the_explorer_and_logged(
    explorer, monkeypatch, caplog
):
    ex = explorer
    before = ex.player.scene["version"]
    _break(monkeypatch, ex, "Unknown symbol: \\mathdefault")
    with caplog.at_level(logging.ERROR, logger="gdlab.widgets"):
        ex.preset_buttons["diverges"].click()  # as the browser's click does
    # Shown: one plain line on the picture, which keeps the previous scene.
    text = ex.player.error
    assert text.startswith("Could not draw this setting (ValueError: Unknown symbol")
    assert "previous one" in text and "\n" not in text
    assert ex.player.scene["version"] == before
    # ... and below it, in the widget's own failure line, visible.
    assert "Could not draw this setting" in ex._failure_line.value
    assert ex._failure_line.layout.display is None
    # Logged, with the traceback: never swallowed.
    record = next(r for r in caplog.records if r.name == "gdlab.widgets")
    assert record.exc_info and "Unknown symbol" in str(record.exc_info[1])
    # The explorer keeps working: the next setting draws and clears the line.
    monkeypatch.undo()
    ex.preset_buttons["good"].click()
    assert ex.player.error == "" and ex.player.scene["version"] == before + 1
    assert ex._failure_line.layout.display == "none"


def test_every_control_of_the_explorer_is_guarded(explorer, monkeypatch):
    """Each control whose change draws in the kernel shows the failure, none raises."""
    ex = explorer
    _break(monkeypatch, ex, "broken on purpose")
    for act in (
        lambda: setattr(ex.learning_rate, "value", ex.learning_rate.value * 0.9),
        lambda: setattr(ex.start_b, "value", ex.start_b.value * 0.9),
        lambda: ex.preset_buttons["oscillates"].click(),
        lambda: ex.back_button.click(),
        lambda: setattr(ex.view_toggle, "value", "3d"),
        lambda: setattr(ex.classroom_toggle, "value", not ex.classroom_toggle.value),
    ):
        ex.player.error = ""
        act()  # never raises into the kernel's comm handler
        assert "broken on purpose" in ex.player.error


def test_an_image_widget_shows_its_failure_too(monkeypatch, caplog):
    demo = SlopeSlider()

    def fail():
        raise RuntimeError("FT_Load_Glyph failed: invalid outline")

    monkeypatch.setattr(demo, "update_frame", fail)
    with caplog.at_level(logging.ERROR, logger="gdlab.widgets"):
        demo.slider.value = 2.0
    assert "RuntimeError: FT_Load_Glyph failed" in demo.failure
    assert "FT_Load_Glyph" in demo._failure_line.value
    assert demo.image.layout.opacity == "0.35"  # the previous picture, marked stale
    monkeypatch.undo()
    demo.slider.value = 1.0
    assert demo.failure == "" and demo.image.layout.opacity is None


def test_two_threads_drawing_never_overlap_and_draw_the_same_pixels(monkeypatch):
    """Matplotlib's text layout is not thread-safe: every draw must hold the lock."""
    inside, overlaps = [0], []
    draw = FigureCanvasAgg.draw

    def watched(canvas, *args, **kwargs):
        inside[0] += 1
        if inside[0] > 1:
            overlaps.append(threading.current_thread().name)
        time.sleep(0.002)  # widen the window in which a second draw could enter
        try:
            return draw(canvas, *args, **kwargs)
        finally:
            inside[0] -= 1

    explorers = [DescentExplorer(OBS.x, OBS.y) for _ in range(2)]
    expected = [ex.frame_png() for ex in explorers]
    monkeypatch.setattr(FigureCanvasAgg, "draw", watched)
    errors = []

    def hammer(ex, want):
        try:
            for _ in range(6):
                ex.invalidate_background()
                ex.invalidate_frame()
                assert ex.frame_png() == want
                ex.background_pixels()
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [
        threading.Thread(target=hammer, args=(ex, want))
        for ex, want in zip(explorers, expected, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and not overlaps
    for ex in explorers:
        ex.close()


def test_the_lock_is_reentrant_and_shared():
    # A guarded callback that renders (taking the lock again) does not deadlock.
    demo = SlopeSlider()
    with DRAWING:
        demo.guarded(demo.render)()
    assert demo.failure == ""
    assert np.frombuffer(demo.image.value[:8], dtype=np.uint8)[1:4].tobytes() == b"PNG"


def test_classroom_mode_back_and_forth_keeps_its_look(explorer):
    """Going back to a figure kept from before must not bring back the old mode."""
    ex = explorer
    for on in (True, False, True, False):
        ex.classroom_toggle.value = on
        assert ex.classroom is on
        assert ("font-weight:bold" in ex.player.status_style) is on


def test_a_race_switched_back_and_forth_keeps_its_look_and_its_feature():
    """The race builds its frame through the explorer's own path: same fixes, no copy."""
    from gdlab.rules import GradientDescent, Momentum

    ex = DescentExplorer(
        OBS.x, OBS.y, rules=[GradientDescent(), Momentum(0.5)], feature="z"
    )
    try:
        for on in (True, False, True, False):
            ex.classroom_toggle.value = on
            assert ex.classroom is on
            assert ex.frame.classroom is on  # the figure of the mode asked for
        assert ex.frame.feature == "z"
    finally:
        ex.close()
