"""The explorer's presenter features: jump to end, back to the cell's settings, keys, layout."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab import TwoValleys
from gdlab.widgets import DescentExplorer
from gdlab.widgets._base import CLASSROOM_CLASS
from gdlab.widgets.explorer import SHORTCUTS


def _data(offset=-300.0, scale=20.0, n=25):
    x = offset + scale * np.linspace(0.0, 1.0, n)
    return x, -0.7 * x + 12.0 + np.cos(3.0 * np.arange(n))


@pytest.fixture(params=["line", "two valleys"])
def explorer(request):
    made = (
        DescentExplorer(*_data(), learning_rate=1e-3, steps=120)
        if request.param == "line"
        else DescentExplorer(surface=TwoValleys(), start=(0.3, 1.0), steps=90)
    )
    yield made
    made.close()


def test_jump_to_end_pauses_on_the_last_step(explorer):
    explorer.play.playing = True
    explorer.jump_to_end()
    assert explorer.play.playing is False
    assert explorer.step.value == explorer.step.max == max(explorer.run.steps_taken, 1)
    assert explorer.status_text().startswith(f"step {explorer.run.steps_taken} ")


def test_back_to_the_cells_settings_undoes_presets_and_dragging(explorer):
    first = (
        explorer.learning_rate.value,
        explorer.start_m.value,
        explorer.start_b.value,
        explorer.steps.value,
    )
    first_path = explorer.run.params.copy()
    explorer.apply_preset(list(explorer.preset_buttons)[-1])
    explorer.start_m.value = explorer.start_m.min
    explorer.step.value = 3
    explorer.back_to_cell_settings()
    assert (
        explorer.learning_rate.value,
        explorer.start_m.value,
        explorer.start_b.value,
        explorer.steps.value,
    ) == first
    assert explorer.step.value == 0 and explorer.play.playing is False
    # The path is the cell's again, computed afresh.
    np.testing.assert_allclose(explorer.run.params, first_path)


def test_each_key_does_what_its_button_does(explorer):
    explorer.press("step")
    explorer.press("step")
    assert explorer.step.value == 2
    explorer.press("play_pause")
    assert explorer.play.playing is True
    explorer.press("play_pause")
    assert explorer.play.playing is False
    explorer.press("end")
    assert explorer.step.value == explorer.step.max
    explorer.press("reset")
    assert explorer.step.value == 0
    # From the browser: the hidden shortcuts widget's message.
    explorer.shortcuts._handle_custom_msg({"action": "end"}, [])
    assert explorer.step.value == explorer.step.max
    with pytest.raises(ValueError, match="action must be one of"):
        explorer.press("fly")


def test_the_help_lists_every_shortcut():
    explorer = DescentExplorer(*_data())
    help_text = explorer.keys_help.value
    for keys in SHORTCUTS.values():
        for key in keys:
            shown = {"ArrowRight": "→"}.get(key, key.upper() if len(key) == 1 else key)
            assert shown in help_text
    for words in ("Play / Pause", "jump to the end", "back to this cell"):
        assert words in help_text
    assert set(explorer.shortcuts.bindings.values()) == set(SHORTCUTS)
    explorer.close()


def _control_rows(explorer):
    return [
        child
        for child in explorer.widget.children
        if child.__class__.__name__ == "HBox"
    ]


def test_classroom_mode_lays_the_controls_out_compactly_in_the_same_box():
    explorer = DescentExplorer(*_data(), classroom=False)
    box = explorer.widget
    normal_rows = len(_control_rows(explorer))
    explorer.classroom_toggle.value = True
    assert explorer.widget is box, "the notebook's view must stay the same box"
    assert CLASSROOM_CLASS in box._dom_classes
    assert len(_control_rows(explorer)) < normal_rows
    # Every slider has a Layout of its own: resizing one leaves the others.
    sliders = [
        explorer.learning_rate,
        explorer.start_m,
        explorer.start_b,
        explorer.steps,
        explorer.step,
    ]
    assert len({id(s.layout) for s in sliders}) == len(sliders)
    assert explorer.learning_rate.layout.width != explorer.start_m.layout.width
    explorer.classroom_toggle.value = False
    assert CLASSROOM_CLASS not in box._dom_classes
    assert len(_control_rows(explorer)) == normal_rows
    explorer.close()


def test_in_classroom_mode_the_warning_takes_the_critical_values_slot():
    x, y = _data(offset=5.0, scale=4.0)  # a bowl without the long-valley warning
    explorer = DescentExplorer(x, y, classroom=True)
    critical = explorer.critical_rate()
    assert explorer.warning.value == ""
    assert explorer.critical_label.layout.display is None
    explorer.learning_rate.value = explorer._on_grid(1.2 * critical)
    assert "above the critical value" in explorer.warning.value
    assert explorer.critical_label.layout.display == "none"
    # The slot has a fixed height: the figure below never moves.
    assert explorer._notes.layout.height == "46px"
    explorer.learning_rate.value = explorer._on_grid(0.5 * critical)
    assert explorer.warning.value == ""
    assert explorer.critical_label.layout.display is None
    explorer.close()
