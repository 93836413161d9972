"""The moving layer of an animated figure, as numbers a browser can draw.

The browser shows a still PNG of everything that does not move and draws the
rest on a canvas over it.  :class:`MovingLayer` collects what that canvas
needs, in pixels computed by matplotlib's own transforms (so they land where
matplotlib would draw them), origin at the top left like a canvas.  Each
layer has a kind (:data:`KINDS`): the record of :mod:`.records` that writes
it and the drawer in ``explorer_view.js``'s ``DRAW`` table share its name.
Markers and labels are stamped as small RGBA "sprites" that matplotlib itself
rendered.  All numbers go into one float32 array; a layer names its slices as
``[offset, length]``.  Layers are listed in drawing order.

Examples
--------
>>> from matplotlib.figure import Figure
>>> layer = MovingLayer(Figure(figsize=(2, 2), dpi=50), steps=2)
>>> layer.array([1.5, 2.5]), layer.array([7.0]), layer.array([1.5, 2.5])
([0, 2], [2, 1], [0, 2])
>>> layer.data().tolist(), layer.spec()["width"]
([1.5, 2.5, 7.0], 100)
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import IdentityTransform

__all__ = ["KINDS", "MovingLayer", "pixels", "pixels_3d"]

# The kinds of layer: the records' kinds and explorer_view.js's drawers.
KINDS = ("polyline", "markers", "sprite", "segment", "rules", "arrow")


def pixels(ax, points) -> np.ndarray:
    """Data coordinates ``(n, 2)`` on ``ax`` → canvas pixels (origin top left)."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    height = ax.figure.bbox.height
    with np.errstate(all="ignore"):
        out = ax.transData.transform(points) if len(points) else np.empty((0, 2))
    out[:, 1] = height - out[:, 1]
    out[~np.isfinite(out)] = np.nan  # Agg leaves out non-finite vertices: a gap
    return out


def pixels_3d(ax, x, y, z) -> np.ndarray:
    """Data coordinates on a 3-D ``ax`` → canvas pixels, through its projection."""
    from mpl_toolkits.mplot3d import proj3d

    x, y, z = (np.asarray(v, dtype=float).ravel() for v in (x, y, z))
    if not len(x):
        return np.empty((0, 2))
    with np.errstate(all="ignore"):
        x, y, _ = proj3d.proj_transform(x, y, z, ax.get_proj())
    return pixels(ax, np.column_stack([x, y]))


def snapped(points, width: float) -> np.ndarray:
    """Pixel positions where Agg draws a vertical or horizontal line's ends.

    Agg snaps such a line to whole pixels (to pixel centres for an odd width):
    sent unsnapped, and rounded to a 16th of a pixel, a foot a hair from a
    half pixel could land one column beside matplotlib's.

    >>> snapped([[10.2, 5.7], [10.6, 5.49]], 3.0).tolist()
    [[10.5, 6.5], [11.5, 5.5]]
    """
    return anchor_pixels(points) + (0.5 if math.floor(width + 0.5) % 2 else 0.0)


def px(figure, length: float) -> float:
    """A length in typographic points (linewidth, marker size), in ``figure``'s pixels."""
    return float(length) * figure.dpi / 72.0


def hex_color(color, alpha=None) -> str:
    """A matplotlib colour as ``#rrggbbaa``, as a canvas takes it."""
    return to_hex(to_rgba(color, alpha), keep_alpha=True)


def _name(style) -> str:
    """A cap or join style's name, whether matplotlib gives a string or an enum."""
    return str(getattr(style, "name", style))


def _getters(artist, *names) -> dict:
    """``{name: artist.get_<name>()}``: properties to copy to another artist."""
    return {name: getattr(artist, f"get_{name}")() for name in names}


def _clip(artist):
    """The rectangle (pixels, top-left origin, rounded as Agg does) an artist is clipped to."""
    box = artist.get_clip_box()
    if not artist.get_clip_on() or box is None:
        return None
    height = artist.figure.bbox.height
    return [round(v) for v in (box.x0, height - box.y1, box.x1, height - box.y0)]


def line_strokes(line) -> list[dict]:
    """How a Line2D's line is stroked: path-effect outlines first, then the line."""
    figure = line.figure
    solid = (line.get_solid_capstyle(), line.get_solid_joinstyle())

    def stroke(color, points, dash, cap, join):
        width, cap, join = px(figure, points), _name(cap), _name(join)
        return {"color": color, "width": width, "dash": dash, "cap": cap, "join": join}

    strokes = []
    for effect in line.get_path_effects():
        # withStroke: a wider line under the real one (its keywords, in points).
        extra = getattr(effect, "_gc", {})
        color = hex_color(extra.get("foreground", "black"))
        width = extra.get("linewidth", line.get_linewidth())
        strokes.append(stroke(color, width, None, *solid))
    _, dashes = line._unscaled_dash_pattern
    if line.get_linestyle() in ("-", "solid") or dashes is None:
        dash, cap, join = None, *solid
    else:
        dash = [px(figure, d) for d in line._dash_pattern[1]]
        cap, join = line.get_dash_capstyle(), line.get_dash_joinstyle()
    color = hex_color(line.get_color(), line.get_alpha())
    strokes.append(stroke(color, line.get_linewidth(), dash, cap, join))
    return strokes


def _render(draw, width: int, height: int, dpi: float) -> np.ndarray:
    """RGBA pixels of ``draw(figure)`` (pixel coordinates) on a transparent figure."""
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    canvas = FigureCanvasAgg(figure)
    figure.patch.set_alpha(0.0)
    draw(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def marker_sprite(line, marker=None) -> dict:
    """A Line2D's marker as matplotlib draws it, with the pixel it is centred on."""
    figure = line.figure
    marker = line.get_marker() if marker is None else marker
    edge = px(figure, line.get_markeredgewidth())
    reach = px(figure, line.get_markersize()) + 2 * edge
    size = 2 * math.ceil(reach / 2 + 3)

    def draw(canvas_figure):
        # Agg puts a marker on the pixel floor(x + 0.5): here exactly size / 2.
        look = _getters(line, "markersize", "markerfacecolor", "markeredgecolor")
        look.update(_getters(line, "markeredgewidth", "alpha"), marker=marker)
        look.update(linestyle="none", transform=IdentityTransform())
        canvas_figure.add_artist(Line2D([size / 2], [size / 2], **look))

    return {"pixels": _render(draw, size, size, figure.dpi), "anchor": [size // 2] * 2}


def text_sprite(text) -> dict:
    """A Text (with its box) as matplotlib draws it, and the pixel of its anchor."""
    figure = text.figure
    string = text.get_text()
    size = px(figure, max(text.get_fontsize(), 1.0))
    width = math.ceil(size * (len(string) + 4) * 0.75) + 40
    height = math.ceil(size * 3) + 20
    anchor = [width // 2, height // 2]
    patch = text.get_bbox_patch()

    def draw(canvas_figure):
        look = _getters(text, "ha", "va", "fontproperties", "color")
        at = (anchor[0], height - anchor[1])
        made = canvas_figure.text(*at, string, **look, transform=IdentityTransform())
        if patch is not None:
            made.set_bbox(
                _getters(patch, "boxstyle", "facecolor", "edgecolor", "linewidth")
            )

    return {"pixels": _render(draw, width, height, figure.dpi), "anchor": anchor}


def anchor_pixels(points) -> np.ndarray:
    """Pixel positions rounded the way Agg places markers and text (NaN stays NaN)."""
    with np.errstate(invalid="ignore"):
        return np.floor(np.asarray(points, dtype=float) + 0.5)


class MovingLayer:
    """Collects the layers of a figure's moving artists, for a browser to draw.

    Parameters
    ----------
    figure : Figure
        The figure, already drawn once (its transforms are final).
    steps : int
        How many steps the animation has (step 0 included).
    cache : dict, optional
        Sprites already rendered for this figure (keep one per figure and pass
        it again: rendering a sprite costs milliseconds, looking it up nothing).
    """

    def __init__(self, figure, steps: int, cache=None):
        self.figure = figure
        self.steps = int(steps)
        self._cache = {} if cache is None else cache
        self.layers: list[dict] = []
        self.sprites: list[dict] = []
        self._chunks: list[np.ndarray] = []
        self._seen: dict[bytes, list[int]] = {}
        self._size = 0

    def array(self, values) -> list[int]:
        """Add numbers to the shared float32 array; returns their ``[offset, length]``.

        Numbers already added (e.g. the loss curve's vertices, which are also
        the loss marker's positions) are not added twice.
        """
        flat = np.asarray(values, dtype=np.float32).ravel()
        key = flat.tobytes()
        if key not in self._seen:
            self._chunks.append(flat)
            self._size += flat.size
            self._seen[key] = [self._size - flat.size, int(flat.size)]
        return self._seen[key]

    def add_sprite(self, artist, marker=None) -> int:
        """Add the sprite of a marker (a Line2D's) or of a Text; returns its index.

        A sprite is ``{"pixels": RGBA array, "anchor": [x, y]}``, the anchor
        being the pixel placed on the marker's centre or the text's position.
        """
        # The key: the artist and the properties that change its pixels.
        marked = hasattr(artist, "get_markersize")
        if marked:
            marker = marker or artist.get_marker()
            size = (artist.get_markersize(), artist.get_markeredgewidth())
            key = (id(artist), str(marker), *size)
        else:
            key = (id(artist), artist.get_text(), artist.get_ha(), artist.get_va())
        if key not in self._cache:
            self._cache[key] = (
                marker_sprite(artist, marker) if marked else text_sprite(artist)
            )
        self.sprites.append(self._cache[key])
        return len(self.sprites) - 1

    def data(self) -> np.ndarray:
        """All the numbers, in one float32 array."""
        return np.concatenate([np.empty(0, dtype=np.float32), *self._chunks])

    def spec(self) -> dict:
        """The JSON-ready description: figure size, steps, layers in drawing order."""
        bbox = self.figure.bbox
        return {
            "width": round(bbox.width),
            "height": round(bbox.height),
            "steps": self.steps,
            "layers": self.layers,
            "sprites": [sprite["anchor"] for sprite in self.sprites],
        }

    def add(self, record, **fields):
        """A layer of ``record``'s kind, clipped as its artist is, drawn after those before it."""
        clip = _clip(record.artist)
        self.layers.append({"kind": record.kind, "clip": clip, **fields})
