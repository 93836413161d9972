"""The classroom switch: one call (or one environment variable) for a projector.

``gdlab.classroom()`` turns on gdlab's classroom style for the rest of the
kernel: every figure drawn with :func:`gdlab.plots.subplots` and every widget
of :mod:`gdlab.widgets` is then projector-sized (large text, thick lines,
large controls) without a ``classroom=True`` on each call.

``make lab CLASSROOM=1`` starts JupyterLab with ``GDLAB_CLASSROOM=1`` in its
environment, which every kernel inherits; the variable is read when a figure
or a widget is made (never on import), so the same lessons run unchanged.
An explicit ``gdlab.classroom(...)`` call wins over the variable.

Importing gdlab changes nothing, and neither does this switch: it only
records the choice, which figures and widgets read when they are made.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["ENVIRONMENT_VARIABLE", "classroom", "classroom_mode"]

ENVIRONMENT_VARIABLE = "GDLAB_CLASSROOM"
_YES = {"1", "true", "yes", "on"}
_NO = {"", "0", "false", "no", "off"}

# None: no call yet, the environment decides.  Otherwise the last call's value.
_chosen: dict[str, bool | None] = {"on": None}


def classroom(on: bool = True) -> None:
    """Switch classroom mode on (or off) for every later figure and widget in this kernel.

    Parameters
    ----------
    on : bool
        True for projector-sized figures and widgets, False to go back to
        the normal size (and to matplotlib's settings from before).

    Examples
    --------
    >>> import gdlab
    >>> gdlab.classroom()
    >>> gdlab.classroom_mode()
    True
    >>> gdlab.classroom(False)
    >>> gdlab.classroom_mode()
    False
    """
    if not isinstance(on, (bool, np.bool_)):
        raise TypeError(f"on must be True or False; got {on!r}")
    _chosen["on"] = bool(on)


def classroom_mode() -> bool:
    """Whether classroom mode is on: the last :func:`classroom` call, else ``GDLAB_CLASSROOM``.

    The variable counts as on for ``1``, ``true``, ``yes`` or ``on`` (any
    case) and off when unset, empty, ``0``, ``false``, ``no`` or ``off``;
    anything else is a ValueError naming it.

    Examples
    --------
    >>> import os
    >>> "GDLAB_CLASSROOM" in os.environ or classroom_mode()
    False
    """
    if _chosen["on"] is not None:
        return _chosen["on"]
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(
        f"the environment variable {ENVIRONMENT_VARIABLE} must be 1 or 0 "
        f"(or true/false, yes/no, on/off); got {os.environ[ENVIRONMENT_VARIABLE]!r}"
    )


def resolve(classroom: bool | None, name: str = "classroom") -> bool:
    """``classroom`` as given, or the kernel's mode when it is None.

    Examples
    --------
    >>> resolve(True), resolve(None) == classroom_mode()
    (True, True)
    """
    if classroom is None:
        return classroom_mode()
    if not isinstance(classroom, (bool, np.bool_)):
        raise TypeError(f"{name} must be True, False or None; got {classroom!r}")
    return bool(classroom)
