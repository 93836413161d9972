"""Moving artists declared once: one record draws a step and exports every step.

A record holds a moving artist, the axes it lives on and its values at every
step, in data coordinates.  The same record moves the artist for matplotlib
(``show(k)``, for a still or a PNG) and writes the browser's layer of its
``kind`` (``export(layer, steps)``, in pixels: the fields that kind's drawer
in ``explorer_view.js`` reads), so the two cannot drift apart.  Every moving
artist of the explorer's frame is one of these.

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

from .layer import (
    MovingLayer,
    anchor_pixels,
    hex_color,
    line_strokes,
    pixels,
    pixels_3d,
    px,
    snapped,
)

__all__ = [
    "RECORDS",
    "Arrow",
    "Label",
    "Markers",
    "Polyline",
    "Rules",
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


def _at(values, k: int) -> int:
    """Step ``k`` clamped to the steps ``values`` has (a shorter run keeps its end)."""
    return min(max(k, 0), len(values) - 1)


def _choice(choice, count):
    return np.zeros(count, dtype=int) if choice is None else np.asarray(choice, int)


def _heights(z, count):
    return None if z is None else np.asarray(z, dtype=float).reshape(count)


def _sprite_layer(layer, record, points, choice, sprites, rounded=True):
    """One sprite per step: ``sprites[choice[k]]`` at ``points[k]`` (NaN or -1: none)."""
    points = np.asarray(points, dtype=float)
    points = (anchor_pixels(points) if rounded else points).reshape(layer.steps, 2)
    ids = np.array([*sprites, -1], dtype=float)
    choice = np.asarray(choice, dtype=int).ravel()
    if np.all((choice < 0) | np.isnan(points).any(axis=1)):
        return  # never shown in this run (a label for runs that leave the map)
    layer.add(record, points=layer.array(points), sprite=layer.array(ids[choice]))


def padded(values, steps: int) -> np.ndarray:
    """``values`` (one value or row per step) made ``steps`` long by repeating the last.

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

    kind = "polyline"

    def __init__(self, artist, ax, points, *, count, z=None):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.z = _heights(z, len(self.points))
        self.count = (int(count[0]), int(count[1]))
        self.mask = np.ones(len(self.points), dtype=bool)

    def show(self, k: int):
        n = max(0, self.count[0] * k + self.count[1])
        keep = self.mask[:n]
        z = None if self.z is None else self.z[:n][keep]
        _set(self.artist, self.points[:n][keep], z)

    def export(self, layer: MovingLayer, steps: int):
        line = self.artist
        if not line.get_visible() or line.get_linestyle() in ("None", "none", ""):
            return
        points = layer.array(_project(self.ax, self.points, self.z))
        strokes = line_strokes(line)
        layer.add(self, points=points, count=list(self.count), strokes=strokes)


class Markers(Polyline):
    """Markers at ``points``; at step k the first ``count[0]·k + count[1]`` show.

    ``mask`` (optional) hides some for good (e.g. every dot but one in ten).
    """

    kind = "markers"

    def __init__(self, artist, ax, points, *, count, mask=None, z=None):
        super().__init__(artist, ax, points, count=count, z=z)
        if mask is not None:
            self.mask = np.asarray(mask, dtype=bool)

    def export(self, layer: MovingLayer, steps: int):
        placed = anchor_pixels(_project(self.ax, self.points, self.z))
        placed[~self.mask] = np.nan
        sprite = layer.add_sprite(self.artist)
        points = layer.array(placed)
        layer.add(self, points=points, count=list(self.count), sprite=sprite)


class Sprite:
    """One marker per step at ``points[k]``, shaped ``shapes[choice[k]]``.

    ``rounded=False`` sends the positions as they are (the browser rounds them
    as Agg does), so a path's own vertices serve as its marker's, sent once.
    """

    kind = "sprite"

    def __init__(
        self, artist, ax, points, *, shapes=("o",), choice=None, z=None, rounded=False
    ):
        self.artist, self.ax = artist, ax
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.z = _heights(z, len(self.points))
        self.shapes = tuple(shapes)
        self.rounded = rounded
        self.choice = _choice(choice, len(self.points))

    def show(self, k: int):
        k = _at(self.points, k)
        z = None if self.z is None else self.z[k : k + 1]
        _set(self.artist, self.points[k : k + 1], z)
        self.artist.set_marker(self.shapes[self.choice[k]])

    def export(self, layer: MovingLayer, steps: int):
        sprites = [layer.add_sprite(self.artist, shape) for shape in self.shapes]
        points = padded(_project(self.ax, self.points, self.z), steps)
        choice = padded(self.choice, steps)
        _sprite_layer(layer, self, points, choice, sprites, rounded=self.rounded)


class Segment:
    """One straight line per step: ``ends[k]`` is ``[[x0, y0], [x1, y1]]`` (NaN: none)."""

    kind = "segment"

    def __init__(self, artist, ax, ends):
        self.artist, self.ax = artist, ax
        self.ends = np.asarray(ends, dtype=float).reshape(-1, 2, 2)

    def show(self, k: int):
        k = _at(self.ends, k)
        self.artist.set_data(self.ends[k, :, 0], self.ends[k, :, 1])

    def export(self, layer: MovingLayer, steps: int):
        flat = pixels(self.ax, self.ends.reshape(-1, 2)).reshape(-1, 4)
        ends = layer.array(padded(flat, steps))
        layer.add(self, points=ends, strokes=line_strokes(self.artist))


class Label:
    """A Text shown at the steps ``shown[k]`` says, as variant ``choice[k]``.

    ``variants`` are Text properties set for each variant (e.g. ``{"text":
    "above ↑", "y": 0.9}``; the default, one ``{}``, is the text as it is).
    The text stays where its variant puts it, or, given ``points`` (data
    coordinates on ``ax``, one row per step), follows them.
    """

    kind = "sprite"

    def __init__(
        self, text, shown, *, choice=None, variants=({},), ax=None, points=None
    ):
        self.artist, self.ax = text, ax
        self.shown = np.asarray(shown, dtype=bool)
        self.choice = _choice(choice, len(self.shown))
        self.variants = [dict(variant) for variant in variants]
        self.points = None if points is None else np.asarray(points, dtype=float)

    def show(self, k: int):
        k = _at(self.shown, k)
        self.artist.set_visible(bool(self.shown[k]))
        if self.shown[k]:
            self.artist.update(self.variants[self.choice[k]])
            if self.points is not None:
                self.artist.set_position(tuple(self.points[k]))

    def export(self, layer: MovingLayer, steps: int):
        text, height = self.artist, self.artist.figure.bbox.height
        kept = {"text": text.get_text(), "position": text.get_position()}
        kept.update(ha=text.get_ha(), va=text.get_va())
        shown = padded(self.shown, steps) > 0
        choice = padded(self.choice, steps).astype(int)
        points = np.full((steps, 2), np.nan)
        if self.points is not None:
            points[shown] = padded(pixels(self.ax, self.points), steps)[shown]
        sprites, which = [], np.full(steps, -1)
        for number, variant in enumerate(self.variants):
            here = shown & (choice == number)
            if not here.any():
                continue
            text.update(variant)
            if self.points is None:
                anchor = text.get_transform().transform(text.get_position())
                points[here] = [anchor[0], height - anchor[1]]
            which[here] = len(sprites)
            sprites.append(layer.add_sprite(text))
        text.update(kept)
        _sprite_layer(layer, self, points, which, sprites)


class Rules:
    """Vertical lines (a LineCollection) from ``feet`` to a line that moves with the step.

    ``edges[k]`` holds that line's heights at ``x = at[0]`` and ``x = at[1]``
    at step k; each rule ends at the line's height over its foot, kept
    within ``limits`` (data y).  The residuals of a line ŷ.
    """

    kind = "rules"

    def __init__(self, collection, ax, feet, edges, *, at, limits):
        self.artist, self.ax = collection, ax
        self.feet = np.asarray(feet, dtype=float).reshape(-1, 2)
        self.edges = np.asarray(edges, dtype=float).reshape(-1, 2)
        self.at, self.limits = tuple(at), tuple(limits)

    def show(self, k: int):
        (left, right), (x0, x1) = self.edges[_at(self.edges, k)], self.at
        x = self.feet[:, 0]
        with np.errstate(invalid="ignore"):
            y = np.clip(left + (right - left) * (x - x0) / (x1 - x0), *self.limits)
        self.artist.set_segments(np.stack([self.feet, np.column_stack([x, y])], axis=1))

    def export(self, layer: MovingLayer, steps: int):
        ax, (x0, x1), (low, high) = self.ax, self.at, self.limits
        heights = padded(self.edges, steps).ravel()
        edges = pixels(ax, np.column_stack([np.full(heights.size, x0), heights]))
        tips = pixels(ax, [[x0, low], [x1, low]])[:, 0]
        limits = pixels(ax, [[x0, low], [x0, high]])[:, 1]
        width = px(self.artist.figure, self.artist.get_linewidth()[0])
        layer.add(
            self,
            feet=layer.array(snapped(pixels(ax, self.feet), width)),
            edges=layer.array(edges[:, 1]),
            tips=[float(tips[0]), float(tips[1])],
            limits=[float(min(limits)), float(max(limits))],
            color=hex_color(self.artist.get_edgecolor()[0]),
            width=width,
        )


class Arrow:
    """A FancyArrowPatch from ``tails[k]`` to ``tips[k]`` at step k (a NaN tip: none)."""

    kind = "arrow"

    def __init__(self, patch, ax, tails, tips):
        self.artist, self.ax = patch, ax
        self.tails = np.asarray(tails, dtype=float).reshape(-1, 2)
        self.tips = np.asarray(tips, dtype=float).reshape(-1, 2)

    def show(self, k: int):
        k = _at(self.tips, k)
        shown = not np.isnan(self.tips[k]).any()
        self.artist.set_visible(shown)
        if shown:
            self.artist.set_positions(tuple(self.tails[k]), tuple(self.tips[k]))

    def export(self, layer: MovingLayer, steps: int):
        ends = np.stack([self.tails, self.tips], axis=1).reshape(-1, 2)
        flat = pixels(self.ax, ends).reshape(-1, 4)
        patch, figure = self.artist, self.artist.figure
        style, scale = patch.get_arrowstyle(), px(figure, patch.get_mutation_scale())
        layer.add(
            self,
            points=layer.array(padded(flat, steps)),
            head_length=style.head_length * scale,
            head_width=style.head_width * scale,
            tail_width=style.tail_width * scale,
            shrink=[px(figure, patch.shrinkA), px(figure, patch.shrinkB)],
            fill=hex_color(patch.get_facecolor()),
            edge=hex_color(patch.get_edgecolor()),
            edge_width=px(figure, patch.get_linewidth()),
        )


# Every kind of record, for the test that each has a drawer in the browser.
RECORDS = (Polyline, Markers, Sprite, Label, Segment, Rules, Arrow)
