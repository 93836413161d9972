"""Moving artists declared once: one record draws a step and exports every step.

A record holds a moving artist, the axes it lives on and its values at every
step, in data coordinates.  The same record moves the artist for
matplotlib (``show(k)``, for a still or a PNG) and writes the browser's layer
(``export(layer, steps)``, numbers in pixels for ``explorer_view.js``), so
the two cannot drift apart: there is no second description of the artist.
Used by the race of update rules (:class:`gdlab.plots.RaceFrame`).

Kinds, named as the browser's layers are (see :mod:`gdlab.plots.moving_layer`):

- :class:`Polyline`: a line whose first ``a·k + b`` vertices show at step k;
- :class:`Markers`: markers that appear step by step (``count=(1, 1)``) or
  are all there at every step (``count=(0, n)``);
- :class:`Sprite`: one marker per step, whose shape may change with the step;
- :class:`Segment`: one straight line per step.

A run shorter than the animation keeps its last state: the records pad
their per-step values with the last row.

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

from .moving_layer import MovingLayer, pixels

__all__ = ["Markers", "MovingLayer", "Polyline", "Segment", "Sprite", "padded"]


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

    def __init__(self, artist, ax, points, *, count):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.count = (int(count[0]), int(count[1]))

    def show(self, k: int):
        n = max(0, self.count[0] * k + self.count[1])
        shown = self.points[:n]
        self.artist.set_data(shown[:, 0], shown[:, 1])

    def export(self, layer: MovingLayer, steps: int):
        layer.polyline(self.artist, pixels(self.ax, self.points), count=self.count)


class Markers:
    """Markers at ``points``; at step k the first ``count[0]·k + count[1]`` show.

    ``mask`` (optional) hides some for good (e.g. every dot but one in ten).
    """

    def __init__(self, artist, ax, points, *, count, mask=None):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.count = (int(count[0]), int(count[1]))
        self.mask = (
            np.ones(len(self.points), dtype=bool)
            if mask is None
            else np.asarray(mask, dtype=bool)
        )

    def show(self, k: int):
        n = max(0, self.count[0] * k + self.count[1])
        shown = self.points[:n][self.mask[:n]]
        self.artist.set_data(shown[:, 0], shown[:, 1])

    def export(self, layer: MovingLayer, steps: int):
        layer.markers(
            self.artist,
            pixels(self.ax, self.points),
            count=self.count,
            mask=self.mask,
        )


class Sprite:
    """One marker per step at ``points[k]``, shaped ``shapes[choice[k]]``."""

    def __init__(self, artist, ax, points, *, shapes=("o",), choice=None):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.shapes = tuple(shapes)
        self.choice = (
            np.zeros(len(self.points), dtype=int)
            if choice is None
            else np.asarray(choice, dtype=int)
        )

    def show(self, k: int):
        k = min(max(k, 0), len(self.points) - 1)
        self.artist.set_data([self.points[k, 0]], [self.points[k, 1]])
        self.artist.set_marker(self.shapes[self.choice[k]])

    def export(self, layer: MovingLayer, steps: int):
        sprites = [layer.sprite(self.artist, shape) for shape in self.shapes]
        points = padded(pixels(self.ax, self.points), steps)
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
