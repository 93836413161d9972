"""The browser's scene format, both halves in one folder: what Python writes, what JavaScript draws.

An explorer in the browser shows a still of its figure and draws the parts
that move on a canvas over it, from numbers the kernel sends once per
setting change:

- :mod:`.layer`: :class:`MovingLayer`, the scene as layers of pixels, one
  kind of layer per drawer (:data:`KINDS`);
- :mod:`.records`: each moving artist declared once, as a record that moves
  it for matplotlib and writes its layer for the browser;
- ``explorer_view.js``: the ES module that draws the scene (its ``DRAW``
  table has one drawer per kind), loaded by
  :class:`gdlab.widgets.explorer_view.ExplorerView` from :data:`ESM`.

Examples
--------
>>> sorted(KINDS) == sorted({record.kind for record in records.RECORDS})
True
>>> ESM.name
'explorer_view.js'
"""

from __future__ import annotations

from importlib import resources

from . import records
from .layer import KINDS, MovingLayer, pixels, pixels_3d

__all__ = ["ESM", "KINDS", "MovingLayer", "pixels", "pixels_3d", "records"]

# The browser's half, shipped beside this file (pyproject's package-data).
ESM = resources.files(__name__) / "explorer_view.js"
