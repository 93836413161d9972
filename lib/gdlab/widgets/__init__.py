"""Live widgets for the lessons: the only part of gdlab that imports ipywidgets.

All draw on :class:`LiveFigure`, a matplotlib figure shown as a live image;
the explorers show it as an :class:`ExplorerView`, which draws the moving
parts in the browser from numbers.
"""

from ._base import LiveFigure
from .explorer import PRESETS, DescentExplorer, describe_step
from .explorer_view import ExplorerView
from .line_fitter import LineFitter
from .minibatch import MiniBatchExplorer
from .polynomial import DegreeExplorer
from .warm_up import SlopeSlider

__all__ = [
    "LiveFigure",
    "DescentExplorer",
    "describe_step",
    "ExplorerView",
    "PRESETS",
    "LineFitter",
    "SlopeSlider",
    "DegreeExplorer",
    "MiniBatchExplorer",
]
