"""Moving artists declared once: one record draws a step and exports every step.

A record holds a moving artist, the axes it lives on and its values at every
step, in data coordinates.  The same record moves the artist for
matplotlib (``show(k)``, for a still or a PNG) and writes the browser's layer
(``export(layer, steps)``, numbers in pixels for ``explorer_view.js``), so
the two cannot drift apart: there is no second description of the artist.
Used by the race of update rules (:class:`gdlab.plots.RaceFrame`) and the
mini-batch explorer.

Kinds, named as the browser's layers are (see :mod:`gdlab.plots.moving_layer`):

- :class:`Polyline`: a line whose first ``a·k + b`` vertices show at step k;
- :class:`Markers`: markers that appear step by step (``count=(1, 1)``) or
  are all there at every step (``count=(0, n)``);
- :class:`Sprite`: one marker per step, whose shape may change with the step;
- :class:`Segment`: one straight line per step;
- :class:`Label`: a text that stays put and shows at some steps.

A run shorter than the animation keeps its last state: the records pad
their per-step values with the last row.  On a 3-D axes, give the points'
heights as ``z``: the records then move the artist in 3-D and project
through the axes' view.

Examples
--------
>>> from matplotlib.figure import Figure
>>> from matplotlib.backends.backend_agg import FigureCanvasAgg
>>> figure = Figure(figsize=(2, 2), dpi=50)
>>> ax = figure.add_axes((0, 0, 1, 1))
>>> (line,) = ax.plot([], [])
>>> record = Polyline(line, ax, [[0, 0], [1, 1], [2, 0]], count=(1, 1))
>>> record.show(1)
>>> line.get_xdata().tolist()
[0.0, 1.0]
>>> FigureCanvasAgg(figure).draw()
>>> layer = MovingLayer(figure, steps=5)
>>> record.export(layer, 5)
>>> layer.layers[0]["kind"], layer.layers[0]["count"]
('polyline', [1, 1])
"""

from __future__ import annotations

import numpy as np

from .moving_layer import MovingLayer, pixels, pixels_3d

__all__ = [
    "Label",
    "Markers",
    "MovingLayer",
    "Polyline",
    "Segment",
    "Sprite",
    "padded",
]


def _set(artist, points, z):
    """Give ``artist`` these points (and heights, on a 3-D axes)."""
    if z is None:
        artist.set_data(points[:, 0], points[:, 1])
    else:
        artist.set_data_3d(points[:, 0], points[:, 1], z)


def _project(ax, points, z) -> np.ndarray:
    """Canvas pixels of the points (through the 3-D view when there are heights)."""
    if z is None:
        return pixels(ax, points)
    return pixels_3d(ax, points[:, 0], points[:, 1], z)


def _heights(z, count):
    return None if z is None else np.asarray(z, dtype=float).reshape(count)


def padded(values, steps: int) -> np.ndarray:
    """``values`` (one row per step) made ``steps`` rows long by repeating the last row.

    >>> padded([[1, 2], [3, 4]], 3).tolist()
    [[1.0, 2.0], [3.0, 4.0], [3.0, 4.0]]
    """
    values = np.asarray(values, dtype=float)
    if len(values) >= steps:
        return values[:steps]
    tail = np.repeat(values[-1:], steps - len(values), axis=0)
    return np.concatenate([values, tail])


class Polyline:
    """A line whose first ``count[0]·k + count[1]`` vertices show at step k.

    ``points`` may hold NaN rows: gaps, as matplotlib and the browser both
    leave them out.
    """

    def __init__(self, artist, ax, points, *, count, z=None):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.z = _heights(z, len(self.points))
        self.count = (int(count[0]), int(count[1]))

    def show(self, k: int):
        n = max(0, self.count[0] * k + self.count[1])
        _set(self.artist, self.points[:n], None if self.z is None else self.z[:n])

    def export(self, layer: MovingLayer, steps: int):
        points = _project(self.ax, self.points, self.z)
        layer.polyline(self.artist, points, count=self.count)


class Markers:
    """Markers at ``points``; at step k the first ``count[0]·k + count[1]`` show.

    ``mask`` (optional) hides some for good (e.g. every dot but one in ten).
    """

    def __init__(self, artist, ax, points, *, count, mask=None, z=None):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.z = _heights(z, len(self.points))
        self.count = (int(count[0]), int(count[1]))
        self.mask = (
            np.ones(len(self.points), dtype=bool)
            if mask is None
            else np.asarray(mask, dtype=bool)
        )

    def show(self, k: int):
        n = max(0, self.count[0] * k + self.count[1])
        keep = self.mask[:n]
        z = None if self.z is None else self.z[:n][keep]
        _set(self.artist, self.points[:n][keep], z)

    def export(self, layer: MovingLayer, steps: int):
        layer.markers(
            self.artist,
            _project(self.ax, self.points, self.z),
            count=self.count,
            mask=self.mask,
        )


class Sprite:
    """One marker per step at ``points[k]``, shaped ``shapes[choice[k]]``."""

    def __init__(self, artist, ax, points, *, shapes=("o",), choice=None, z=None):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.z = _heights(z, len(self.points))
        self.shapes = tuple(shapes)
        self.choice = (
            np.zeros(len(self.points), dtype=int)
            if choice is None
            else np.asarray(choice, dtype=int)
        )

    def show(self, k: int):
        k = min(max(k, 0), len(self.points) - 1)
        _set(
            self.artist,
            self.points[k : k + 1],
            None if self.z is None else self.z[k : k + 1],
        )
        self.artist.set_marker(self.shapes[self.choice[k]])

    def export(self, layer: MovingLayer, steps: int):
        sprites = [layer.sprite(self.artist, shape) for shape in self.shapes]
        points = padded(_project(self.ax, self.points, self.z), steps)
        choice = padded(self.choice[:, None], steps)[:, 0]
        # Unrounded: the same numbers as a path through these points, sent once.
        layer.per_step(self.artist, points, choice, sprites, rounded=False)


class Segment:
    """One straight line per step: ``ends[k]`` is ``[[x0, y0], [x1, y1]]`` (NaN: none)."""

    def __init__(self, artist, ax, ends):
        self.artist, self.ax = artist, ax
        self.ends = np.asarray(ends, dtype=float).reshape(-1, 2, 2)

    def show(self, k: int):
        k = min(max(k, 0), len(self.ends) - 1)
        self.artist.set_data(self.ends[k, :, 0], self.ends[k, :, 1])

    def export(self, layer: MovingLayer, steps: int):
        flat = pixels(self.ax, self.ends.reshape(-1, 2)).reshape(-1, 4)
        layer.segment(self.artist, padded(flat, steps).reshape(-1, 2, 2))


class Label:
    """A Text that stays where it is and shows at the steps ``shown[k]`` says (a note)."""

    def __init__(self, text, shown):
        self.artist = text
        self.shown = np.asarray(shown, dtype=bool)

    def show(self, k: int):
        k = min(max(k, 0), len(self.shown) - 1)
        self.artist.set_visible(bool(self.shown[k]))

    def export(self, layer: MovingLayer, steps: int):
        text, figure = self.artist, self.artist.figure
        visible = text.get_visible()
        text.set_visible(True)  # a sprite is drawn from a visible text
        anchor = text.get_transform().transform(text.get_position())
        sprite = layer.sprite(text)
        text.set_visible(visible)
        point = [anchor[0], figure.bbox.height - anchor[1]]
        choice = np.where(padded(self.shown[:, None], steps)[:, 0] > 0, 0, -1)
        layer.per_step(text, np.tile(point, (steps, 1)), choice, [sprite])
