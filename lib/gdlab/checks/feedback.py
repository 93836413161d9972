"""The :class:`Feedback` object every checker returns, and how a learner's
function is called safely."""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["Feedback", "NotYetImplemented", "call_learner", "not_yet"]


class NotYetImplemented(Exception):
    """Raised inside :func:`call_learner` when the learner left the stub as is."""


@dataclass(frozen=True)
class Feedback:
    """The verdict on one exercise.

    Attributes
    ----------
    passed : bool
        Whether the learner's function did what was asked.
    message : str
        What was right, or what is wrong and how to fix it.
    title : str
        The exercise's name, shown in bold.

    Examples
    --------
    >>> Feedback(True, "Both partial derivatives match.", title="Gradient")
    ✅ Gradient: Both partial derivatives match.
    """

    passed: bool
    message: str
    title: str = "Check"
    not_yet: bool = False

    @property
    def symbol(self) -> str:
        if self.passed:
            return "✅"
        return "✏️" if self.not_yet else "❌"

    def __repr__(self) -> str:
        return f"{self.symbol} {self.title}: {self.message}"

    def __bool__(self) -> bool:
        return self.passed

    def _repr_html_(self) -> str:
        if self.passed:
            border, background = "#009E73", "#e6f5f0"
        elif self.not_yet:
            border, background = "#56B4E9", "#eaf5fc"
        else:
            border, background = "#D55E00", "#fbece3"
        text = html.escape(self.message).replace("\n", "<br>")
        return (
            f'<div style="border-left: 6px solid {border}; background: {background}; '
            f'color: #000; padding: 0.5em 0.8em; margin: 0.3em 0; font-size: 1.05em;">'
            f"<b>{self.symbol} {html.escape(self.title)}</b><br>{text}</div>"
        )


def call_learner(function, *args):
    """Call the learner's ``function``; return ``(value, problem)``.

    ``problem`` is ``None`` on success, or a :class:`Feedback`-ready sentence
    saying plainly what went wrong: the stub is still there, it raised, or it
    warned.  Warnings are captured so a lesson never prints one.

    Examples
    --------
    >>> call_learner(lambda a: a + 1, 1)
    (2, None)
    >>> value, problem = call_learner(lambda a: 1 / 0, 1)
    >>> problem
    'your function raised ZeroDivisionError: division by zero'
    """
    if not callable(function):
        return None, f"expected a function, but got {type(function).__name__}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            try:
                value = function(*args)
            except NotImplementedError:
                raise NotYetImplemented from None
            except Exception as error:  # the learner's code may raise anything
                return None, f"your function raised {type(error).__name__}: {error}"
    return value, None


NOT_YET_MESSAGE = (
    "Not yet: the function still raises NotImplementedError. Replace that line with "
    "your code, run its cell, then run this check again. (Stuck? The solution is just below.)"
)


def not_yet(title: str) -> Feedback:
    """The friendly verdict on an exercise stub the learner has not filled in yet.

    Examples
    --------
    >>> not_yet("Gradient").not_yet
    True
    """
    return Feedback(False, NOT_YET_MESSAGE, title=title, not_yet=True)
