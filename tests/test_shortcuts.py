"""Keyboard shortcuts: keys map to actions, messages from the browser reach the callback."""

from __future__ import annotations

import pytest

from gdlab.widgets.shortcuts import KeyboardShortcuts, describe_shortcuts

ACTIONS = {"play_pause": ("Space", "p"), "step": ("ArrowRight",), "reset": ("r",)}


def test_every_key_is_bound_to_its_action_and_the_widget_is_hidden():
    keys = KeyboardShortcuts(ACTIONS, lambda action: None)
    assert keys.bindings == {
        "Space": "play_pause",
        "p": "play_pause",
        "ArrowRight": "step",
        "r": "reset",
    }
    assert keys.layout.display == "none"
    keys.close()


def test_a_message_from_the_browser_calls_back_with_its_action():
    pressed = []
    keys = KeyboardShortcuts(ACTIONS, pressed.append)
    keys._handle_custom_msg({"action": "step"}, [])
    keys._handle_custom_msg({"action": "reset"}, [])
    # Unknown or malformed messages are ignored, not raised in the kernel.
    keys._handle_custom_msg({"action": "format the disk"}, [])
    keys._handle_custom_msg("step", [])
    assert pressed == ["step", "reset"]
    keys.close()


def test_bad_bindings_are_refused_by_name():
    with pytest.raises(ValueError, match="two actions"):
        KeyboardShortcuts({"a": ("x",), "b": ("x",)}, print)
    with pytest.raises(TypeError, match="keys must be non-empty strings"):
        KeyboardShortcuts({"a": ("",)}, print)
    with pytest.raises(TypeError, match="callback must be callable"):
        KeyboardShortcuts(ACTIONS, "not a function")


def test_help_names_each_key_as_it_reads_on_the_keyboard():
    text = describe_shortcuts(
        ACTIONS, {"play_pause": "Play / Pause", "step": "Step", "reset": "Reset"}
    )
    assert text == "Space or P: Play / Pause · →: Step · R: Reset"
