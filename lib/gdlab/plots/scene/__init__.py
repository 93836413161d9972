"""The browser's scene format, both halves in one folder: what Python writes, what JavaScript draws.

:mod:`.records` declares each moving artist once, moving it for matplotlib
and writing its layer of pixels (:class:`MovingLayer`, :mod:`.layer`) for
``explorer_view.js`` (:data:`ESM`), whose ``DRAW`` table has one drawer per
kind of layer (:data:`KINDS`; tests/test_moving_layer.py holds the three to it).
"""

from __future__ import annotations

from importlib import resources

from . import records
from .layer import KINDS, MovingLayer, pixels, pixels_3d

__all__ = ["ESM", "KINDS", "MovingLayer", "pixels", "pixels_3d", "records"]

# The browser's half, shipped beside this file (pyproject's package-data).
ESM = resources.files(__name__) / "explorer_view.js"
