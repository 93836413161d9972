"""Keyboard shortcuts for a gdlab widget: press a key, the kernel acts.

:class:`KeyboardShortcuts` is a hidden anywidget placed inside a widget's
layout; its front end (``shortcuts.js``, beside this file) sends the keys
pressed in that widget to the kernel as action names, JupyterLab's own
notebook shortcuts switched off there (so "b" does not add a cell).

Examples
--------
>>> keys = KeyboardShortcuts({"step": ("ArrowRight", "s")}, print)
>>> sorted(keys.bindings.items())
[('ArrowRight', 'step'), ('s', 'step')]
>>> describe_shortcuts({"step": ("ArrowRight", "s")}, {"step": "one more step"})
'→ or S: one more step'
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import ipywidgets as widgets
import traitlets

__all__ = ["KeyboardShortcuts", "describe_shortcuts"]

# How a key name reads in help text (a letter reads in capitals, others as named).
_SHOWN = {"ArrowRight": "→", "ArrowLeft": "←", "ArrowUp": "↑", "ArrowDown": "↓"}


class KeyboardShortcuts(anywidget.AnyWidget):
    """A hidden widget that turns key presses inside its gdlab widget into callbacks.

    Parameters
    ----------
    actions : dict of str to tuple of str
        Action name → the keys that trigger it, as the browser names them
        (``"Space"``, ``"ArrowRight"``, ``"End"``, or one lower-case letter).
    callback : callable
        Called with the action name, in the kernel, for each key press.
    """

    _esm = Path(__file__).with_name("shortcuts.js")
    bindings = traitlets.Dict().tag(sync=True)

    def __init__(self, actions, callback):
        if not callable(callback):
            raise TypeError(f"callback must be callable; got {callback!r}")
        keys = {}
        for action, names in dict(actions).items():
            for name in names:
                if not isinstance(name, str) or not name:
                    raise TypeError(f"keys must be non-empty strings; got {name!r}")
                if name in keys:
                    raise ValueError(f"key {name!r} is given to two actions")
                keys[name] = action
        super().__init__(bindings=keys, layout=widgets.Layout(display="none"))
        self._callback = callback
        self.on_msg(self._received)

    def _received(self, _widget, content, _buffers):
        action = content.get("action") if isinstance(content, dict) else None
        # A message naming no known action (an older front end) is ignored.
        if action in set(self.bindings.values()):
            self._callback(action)


def describe_shortcuts(actions, meanings) -> str:
    """One line of help: each action's keys and what it does, in ``actions``' order."""
    parts = []
    for action, names in actions.items():
        shown = " or ".join(
            _SHOWN.get(n, n.upper() if len(n) == 1 else n) for n in names
        )
        parts.append(f"{shown}: {meanings[action]}")
    return " · ".join(parts)
