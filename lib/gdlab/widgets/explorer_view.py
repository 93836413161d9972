"""The explorers' picture, animated in the browser: a still plus numbers, not a PNG per frame.

Once per setting change the kernel sends :class:`ExplorerView` a still of the
figure without its moving parts, the moving layer as numbers and every step's
status line (:mod:`gdlab.plots.scene`, which also holds the front end,
``explorer_view.js``); Play then runs in the browser, at display rate, with
nothing on the wire but a throttled report of the step shown.

Examples
--------
>>> view = ExplorerView()
>>> view.step, view.playing, view.speed
(0, False, 10.0)
"""

from __future__ import annotations

import zlib
from pathlib import Path

import anywidget
import numpy as np
import traitlets

from ..plots import scene
from ._png import encode_png

__all__ = ["ExplorerView"]


class ExplorerView(anywidget.AnyWidget):
    """A canvas that draws step ``step`` of a scene, and plays it at ``speed`` steps/s.

    Attributes
    ----------
    step : int
        The step shown.  Set it in Python to show that step; the browser sets
        it when paused and, at most every ``report_every`` seconds, while playing.
    playing : bool
        Whether Play runs (link it to a ``widgets.Play``'s ``playing``).
    speed : float
        Steps per second while playing; beyond the display rate steps are skipped.
    """

    _esm = Path(str(scene.ESM))

    background = traitlets.Bytes(b"").tag(sync=True)
    overlay = traitlets.Bytes(b"").tag(sync=True)
    scene = traitlets.Dict().tag(sync=True)
    # The moving layer's numbers (MovingLayer.data) as int32 16ths of a pixel,
    # each the difference from the number four places before (x from x, y from
    # y), NOT_A_NUMBER for NaN, zlib-compressed: see _delta_fixed.
    data = traitlets.Bytes(b"").tag(sync=True)
    sprites = traitlets.List(traitlets.Bytes()).tag(sync=True)
    # Every step's status line, built in the browser from parts (show_scene):
    # step k's line is the parts row k of status_table names, one per slot,
    # joined by " · ".  status_parts: the distinct parts, zlib of their UTF-8
    # text one per line; "{k}" in a part stands for the step, and what follows
    # a tab is not on the line (kept one line high) but in its tooltip.
    # status_table: zlib of uint16 rows (steps × slots), each row sent as its
    # difference from the row before.  status_colors: each slot's colour (""
    # for none), drawn as a swatch before the slot's part (a run's, in a race).
    status_parts = traitlets.Bytes(b"").tag(sync=True)
    status_table = traitlets.Bytes(b"").tag(sync=True)
    status_colors = traitlets.List(traitlets.Unicode()).tag(sync=True)
    status_style = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    # A failure to draw, in plain words ("" when none): shown over the picture,
    # which is then marked out of date (see LiveFigure.guarded).
    error = traitlets.Unicode("").tag(sync=True)
    # The browser's reports are for the kernel: no echo of them to the browser
    # (ipywidgets echoes every update by default, doubling the bytes of a report).
    step = traitlets.Int(0).tag(sync=True, echo_update=False)
    playing = traitlets.Bool(False).tag(sync=True, echo_update=False)
    speed = traitlets.Float(10.0).tag(sync=True)
    # While playing, the kernel hears the step every second step shown, and at
    # most every ``report_every`` seconds: the step slider stays within two
    # steps of the picture at the usual speeds, and a report (about 2 kB with
    # the kernel's replies) costs about 1 kB per step shown (make bench).
    report_every = traitlets.Float(0.25).tag(sync=True)
    # Predict, then reveal (widgets/predictions.py): while predict and not revealed,
    # the status line is "step k · " + question until the last step, and at
    # step 0 the hidden_panels (canvas pixels x0, y0, x1, y1) are covered.
    predict = traitlets.Bool(False).tag(sync=True)
    revealed = traitlets.Bool(True).tag(sync=True)
    question = traitlets.Unicode("").tag(sync=True)
    hidden_panels = traitlets.List(traitlets.List(traitlets.Int())).tag(sync=True)

    _static_sent = None
    _static_png = b""
    _overlay_sent = None
    _overlay_png = b""

    def _sprite_png(self, sprite) -> bytes:
        """A sprite's PNG, encoded once (sprites are kept for the figure's life)."""
        cache = self.__dict__.setdefault("_sprite_pngs", {})
        key = id(sprite["pixels"])
        if key not in cache or cache[key][0] is not sprite["pixels"]:
            cache[key] = (sprite["pixels"], encode_png(sprite["pixels"], alpha=True))
        return cache[key][1]

    def show_scene(
        self, background, layer, parts, table, *, step, colors=None, style="", label=""
    ):
        """Send a new scene in one message, with the status line of every step.

        Parameters
        ----------
        background : (ndarray, ndarray, (int, int))
            The figure without its moving artists, as
            :meth:`LiveFigure.background_pixels` gives it (each still is
            encoded again only when it is a new array).
        layer : MovingLayer
            The moving artists at every step.
        parts : list of str
            The distinct pieces of the status lines, one line each; ``"{k}"``
            in a piece stands for the step, and what follows a tab goes to
            the line's tooltip (in brackets after the line).
        table : array of int, shape (layer.steps, slots)
            Which piece goes in each slot of step k's line (joined by " · ").
        step : int
            The step to show (when not playing).
        colors : list of str, optional
            A colour per slot: the browser draws a swatch of it before the
            slot's piece ("" for none; the default: no swatch).
        style, label : str
            CSS of the status line; the picture's text alternative.
        """
        table = np.asarray(table)
        colors = [""] * table.shape[-1] if colors is None else list(colors)
        if table.shape != (layer.steps, len(colors)):
            raise ValueError(
                f"table must have one row per step ({layer.steps}) and a column per "
                f"colour ({len(colors)}); got shape {table.shape}"
            )
        if len(parts) > 2**16 or any("\n" in part for part in parts):
            raise ValueError("at most 65536 parts, each one line (no newline)")
        # Row k minus row k - 1 (wrapping): a run's table is then mostly ones
        # (a line per step) or zeros (a race's words that stay), a few bytes.
        rows = table.astype("<u2")
        rows[1:] -= table[:-1].astype("<u2")
        with self.hold_sync():  # one message, with what _put_scene sets
            self.status_parts = zlib.compress("\n".join(parts).encode(), 6)
            self.status_table = zlib.compress(rows.tobytes(), 6)
            self.status_colors = colors
            self._put_scene(background, layer, step, style, label)

    def _put_scene(self, background, layer, step, style, label):
        """The still and the moving layer, with the status line's style."""
        static, layered, corner = background
        spec = layer.spec()
        spec["version"] = self.scene.get("version", 0) + 1
        spec["overlay_at"] = [int(corner[0]), int(corner[1])]
        if static is not self._static_sent:
            # Encoded when the still changes (a view or style), not per run.
            self._static_sent, self._static_png = static, encode_png(static)
        if layered is not self._overlay_sent:
            # Encoded when the panels are drawn again (a run moved their limits).
            self._overlay_sent = layered
            self._overlay_png = encode_png(layered) if layered.size else b""
        # Numbers and lines go compressed: with the still unchanged, they are
        # all a new path sends (under 20 kB, where the floats and text were ~120).
        self.background = self._static_png  # opaque: RGB
        self.overlay = self._overlay_png
        self.data = zlib.compress(_delta_fixed(layer.data()).tobytes(), 6)
        self.sprites = [self._sprite_png(sprite) for sprite in layer.sprites]
        self.status_style = style
        self.label = label
        self.step = int(step)
        self.scene = spec

    def status_lines(self) -> list[str]:
        """The status line of every step, as the browser builds it (a part's tooltip after a tab).

        Examples
        --------
        >>> from gdlab.widgets.explorer_view import ExplorerView
        >>> view = ExplorerView()
        >>> view.status_parts = zlib.compress("step {k}\\nL = 2\\nL = 1".encode())
        >>> rows = np.array([[0, 1], [0, 1]], dtype="<u2")  # row 1 minus row 0
        >>> view.status_table = zlib.compress(rows.tobytes())
        >>> view.status_colors = ["", "#0072B2"]
        >>> view.status_lines()
        ['step 0 · L = 2', 'step 1 · L = 1']
        """
        if not self.status_parts:
            return []
        parts = zlib.decompress(self.status_parts).decode().split("\n")
        rows = np.frombuffer(zlib.decompress(self.status_table), "<u2")
        table = np.cumsum(
            rows.reshape(-1, len(self.status_colors)), axis=0, dtype="<u2"
        )
        return [
            " · ".join(parts[i].replace("{k}", str(k)) for i in row)
            for k, row in enumerate(table)
        ]


NOT_A_NUMBER = 2**31 - 1
# Numbers go as whole 16ths of a pixel: finer than antialiasing shows (eighths
# moved a hundred edge pixels of a 520,000-pixel picture, 16ths do not).
PER_PIXEL = 16


def _delta_fixed(values) -> np.ndarray:
    """Numbers as int32 16ths of a pixel, each minus the one four places before (wrapping).

    Four places back is the same coordinate one step earlier in a segment's
    ``x0 y0 x1 y1`` and two steps earlier in a path's ``x y``: small differences
    that repeat, which compress several times better than the floats.

    >>> _delta_fixed([1.0, 2.0, 1.5, float("nan"), 3.0]).tolist()
    [16, 32, 24, 2147483647, 32]
    """
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    limit = NOT_A_NUMBER - 1
    fixed = np.full(values.shape, NOT_A_NUMBER, dtype=np.int64)
    fixed[finite] = np.clip(np.round(values[finite] * PER_PIXEL), -limit, limit)
    delta = fixed.copy()
    delta[4:] -= fixed[:-4]
    # Wrap to int32 as the browser's (a + b) | 0 does.
    return ((delta + 2**31) % 2**32 - 2**31).astype("<i4")
