"""Live widgets for the lessons: the only part of gdlab that imports ipywidgets.

:class:`LiveFigure` is the base (a matplotlib figure shown as a live
``widgets.Image``, redrawn fast by blitting).  :class:`DescentExplorer`, the
descent explorer of lesson 05, is built on it.
"""

from ._base import LiveFigure

__all__ = ["LiveFigure"]
