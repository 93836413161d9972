"""Live widgets for the lessons: the only part of gdlab that imports ipywidgets.

:class:`LiveFigure` is the base (a matplotlib figure shown as a live
``widgets.Image``, redrawn fast by blitting).  :class:`DescentExplorer`, the
descent explorer of lesson 05, is built on it.
"""

from ._base import LiveFigure
from .explorer import PRESETS, DescentExplorer, describe_step

__all__ = ["LiveFigure", "DescentExplorer", "describe_step", "PRESETS"]
