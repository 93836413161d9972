"""Predict, then reveal: the explorer hides a run's outcome until Play, End or V.

The questions (``gdlab.widgets.predictions.QUESTIONS``) are the teacher's
guide's: this file reads ``docs/teaching.md`` and holds the table to it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import gdlab
from gdlab.rules import GradientDescent, Momentum
from gdlab.widgets import DescentExplorer
from gdlab.widgets.explorer import SHORTCUTS
from gdlab.widgets.explorer_view import ExplorerView
from gdlab.widgets.predictions import GENERAL, QUESTIONS, question_for
from gdlab.widgets.presets import presets_for

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "teaching.md").read_text()


def _surfaces():
    obs = gdlab.make_observations(n=30, seed=3)
    offset = gdlab.make_observations(n=12, seed=8)
    return {
        "a line's MSE": gdlab.LinearMSE(obs.x, obs.y),
        "a line's MSE, other data": gdlab.LinearMSE(offset.x + 40.0, 3 * offset.y),
        "saddle": gdlab.Saddle(),
        "two valleys": gdlab.TwoValleys(),
    }


def _preset_names():
    return {p.name for s in _surfaces().values() for p in presets_for(s)}


def _guide_bullets():
    """The guide's preset bullets: each "- **…" item that names a preset and asks."""
    items = re.findall(
        r"^- \*\*.*?(?=^\S|^\s*$)", GUIDE, flags=re.MULTILINE | re.DOTALL
    )
    names = _preset_names()
    bullets = []
    for item in items:
        text = " ".join(item.split())
        named = [n for n in re.findall(r"\*\*(.+?)\*\*", text) if n in names]
        ask = re.search(r"Ask(, before the second)?: \"(.+?)\"", text)
        if not named or not ask:
            continue
        usually = re.search(r"Usually: ((?:\"[^\"]+\"(?: or )?)+)", text)
        answers = re.findall(r"\"([^\"]+)\"", usually.group(1)) if usually else []
        asked = named[1] if ask.group(1) else named[0]
        bullets.append((named, asked, ask.group(2), answers))
    return bullets


def test_the_guide_states_its_preset_questions_as_read_here():
    bullets = _guide_bullets()
    asked = [asked for _, asked, _, _ in bullets]
    # Lesson 05's five presets, the saddle's and the two valleys' (second).
    assert asked == [
        "good",
        "too small",
        "oscillates",
        "diverges",
        "far start",
        "stalls at the saddle",
        "ends in the deep valley",
    ]
    named = {name for names, *_ in bullets for name in names}
    assert named == _preset_names(), "every preset is in the guide's lists"


def test_every_question_asked_in_the_guide_is_the_explorers():
    for _, name, ask, answers in _guide_bullets():
        question = QUESTIONS[name]
        assert question.ask == ask, name
        assert answers, f"the guide gives no usual answer for {name!r}"
        for answer in answers:
            assert answer in question.choices, (name, answer)
        assert len(question.choices) >= 2, name


def test_every_preset_of_every_surface_has_a_question_and_no_other():
    names = _preset_names()
    assert set(QUESTIONS) == names
    for name in names:
        text = question_for(name)
        assert text.startswith("Predict: ") and QUESTIONS[name].ask in text
    assert question_for("no such preset") == question_for(None) == GENERAL.text()


def test_the_view_has_the_traits_off_by_default():
    view = ExplorerView()
    assert (view.predict, view.revealed, view.question, view.hidden_panels) == (
        False,
        True,
        "",
        [],
    )
    for name in ("predict", "revealed", "question", "hidden_panels"):
        assert view.trait_metadata(name, "sync"), name


def _explorer(predict=True, **options):
    obs = gdlab.make_observations(n=30, seed=3)
    return DescentExplorer(obs.x, obs.y, predict=predict, **options)


def _hidden(ex):
    notes = (ex.critical_label.layout.visibility, ex.warning.layout.visibility)
    return (
        not ex.revealed
        and ex.player.predict
        and not ex.player.revealed
        and notes == ("hidden", "hidden")
    )


def test_off_by_default_nothing_is_hidden():
    ex = _explorer(predict=False)
    assert ex.predict is False and ex.revealed
    assert (ex.player.predict, ex.player.revealed) == (False, True)
    assert ex.warning.layout.visibility != "hidden"
    ex.close()


def test_a_preset_is_hidden_with_its_question_until_the_end():
    ex = _explorer()
    ex.apply_preset("diverges")
    assert _hidden(ex) and ex.step.value == 0 and not ex.player.playing
    assert ex.player.question == question_for("diverges")
    # The η handle would turn vermillion above the critical rate: not yet.
    assert ex.learning_rate.style.handle_color is None
    assert "will diverge" in ex.warning.value  # written, just not shown
    # Stepping shows the path as it goes, the words only at the end.
    ex.advance()
    assert not ex.revealed
    ex.step.value = ex.step.max
    assert ex.revealed and ex.player.revealed
    assert ex.warning.layout.visibility == "visible"
    assert ex.learning_rate.style.handle_color is not None
    ex.close()


def test_the_preset_is_known_within_half_a_notch_of_its_settings():
    ex = _explorer()
    ex.apply_preset("diverges")
    # As the browser's sliders send them back: rounded.
    ex.learning_rate.value = float(f"{ex.learning_rate.value:.6g}")
    ex.start_m.value += 0.4 * ex.start_m.step
    assert ex.current_preset() == "diverges"
    assert ex.player.question == question_for("diverges")
    # The start sliders hold values on their grid (GridSlider): a notch away
    # is another setting.
    ex.start_m.value += ex.start_m.step
    assert ex.current_preset() is None
    ex.apply_preset("too small")
    assert ex.current_preset() == "too small"
    ex.steps.value += 1  # its question counts the steps
    assert ex.current_preset() is None
    ex.apply_preset("oscillates")
    ex.steps.value += 100  # more steps: the same outcome
    assert ex.current_preset() == "oscillates"
    ex.close()


def test_end_and_the_key_reveal_and_the_key_hides_again():
    ex = _explorer()
    ex.apply_preset("good")
    ex.press("end")
    assert ex.revealed and ex.step.value == ex.step.max
    ex.press("reveal")  # V on a revealed run: hide again, back at step 0
    assert _hidden(ex) and ex.step.value == 0
    ex.press("reveal")
    assert ex.revealed and ex.step.value == 0  # everything, without moving
    assert ex.shortcuts.bindings["v"] == "reveal" and "reveal" in SHORTCUTS
    assert "V: reveal" in ex.keys_help.value
    ex.close()


def test_a_new_setting_or_preset_hides_again_and_a_new_view_does_not():
    ex = _explorer()
    ex.apply_preset("oscillates")
    ex.reveal()
    ex.view_toggle.value = "3d"
    assert ex.revealed, "another view of the same run stays revealed"
    ex.learning_rate.value = ex.learning_rate.value * 0.9
    assert _hidden(ex) and ex.current_preset() is None
    assert ex.player.question == GENERAL.text()
    ex.reveal()
    ex.apply_preset("far start")
    assert _hidden(ex) and ex.player.question == question_for("far start")
    ex.reveal()
    ex.back_to_cell_settings()
    assert _hidden(ex)
    ex.close()


def test_the_toggle_turns_predict_on_and_off():
    ex = _explorer(predict=False)
    ex.step.value = 5
    ex.predict_toggle.value = True
    assert ex.predict and _hidden(ex) and ex.step.value == 0
    ex.predict = False
    assert ex.revealed and not ex.player.predict and ex.player.revealed
    assert ex.warning.layout.visibility == "visible"
    with pytest.raises(TypeError, match="predict must be True or False"):
        ex.predict = "yes"
    ex.close()
    with pytest.raises(TypeError, match="predict must be True or False"):
        _explorer(predict=1)


@pytest.mark.parametrize("view", ["contour", "3d"])
@pytest.mark.parametrize("classroom", [False, True])
def test_the_hidden_panels_cover_the_loss_panel(view, classroom):
    ex = _explorer(view=view, classroom=classroom)
    height = ex.frame.figure.bbox.height
    box = ex.frame.loss_ax.get_window_extent()
    (x0, y0, x1, y1) = ex.player.hidden_panels[-1]
    assert x0 <= box.x0 and x1 >= box.x1
    assert y0 <= height - box.y1 and y1 >= height - box.y0
    assert 0 <= x0 < x1 <= ex.player.scene["width"]
    assert 0 <= y0 < y1 <= ex.player.scene["height"]
    surface = box.x0 - ex.frame.surface_ax.get_window_extent().x1
    assert surface > 0 and x0 > ex.frame.surface_ax.get_window_extent().x1
    ex.close()


def test_without_data_the_parameter_panel_is_hidden_too():
    ex = DescentExplorer(surface=gdlab.Saddle(), predict=True)
    assert len(ex.player.hidden_panels) == 2
    ex.apply_preset("stalls at the saddle")
    assert ex.player.question == question_for("stalls at the saddle")
    ex.close()


def test_the_race_hides_and_reveals_too():
    obs = gdlab.make_observations(n=30, seed=3)
    ex = DescentExplorer(
        obs.x, obs.y, rules=[GradientDescent(), Momentum(0.9)], predict=True
    )
    assert ex.races and _hidden(ex)
    ex.jump_to_end()
    assert ex.revealed
    ex.beta.value = 0.5
    assert _hidden(ex), "a new β is a new race: hidden again"
    ex.apply_preset("diverges")
    assert _hidden(ex) and ex.player.question == question_for("diverges")
    ex.close()
