"""The :class:`Feedback` object every checker returns."""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Feedback", "NotYetImplemented"]


class NotYetImplemented(Exception):
    """The learner left the exercise stub (``raise NotImplementedError``) as it was."""


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
    not_yet : bool
        True for the untouched stub: nothing is wrong yet, nothing is written.

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
