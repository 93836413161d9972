"""The explorers' picture, animated in the browser: a still plus numbers, not a PNG per frame.

:class:`ExplorerView` is an anywidget (its front end is ``explorer_view.js``,
one small ES module beside this file).  Once per setting change the kernel
sends it a still of the figure without its moving parts and the moving
layer as numbers (:class:`gdlab.plots.moving_layer.MovingLayer`), with the
status line of every step; the browser then draws any step, and Play runs
there at display rate with nothing on the wire but a throttled report of
the step shown.

Examples
--------
>>> view = ExplorerView()
>>> view.step, view.playing, view.speed
(0, False, 10.0)
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

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

    _esm = Path(__file__).with_name("explorer_view.js")

    background = traitlets.Bytes(b"").tag(sync=True)
    overlay = traitlets.Bytes(b"").tag(sync=True)
    scene = traitlets.Dict().tag(sync=True)
    data = traitlets.Bytes(b"").tag(sync=True)
    sprites = traitlets.List(traitlets.Bytes()).tag(sync=True)
    # The status line of step k is status[k] + status_tails[status_tail[k]]:
    # the words after the last " · " repeat over many steps, sent once each.
    # What follows a tab is not on the line (kept one line high) but in its tooltip.
    status = traitlets.List(traitlets.Unicode()).tag(sync=True)
    status_tails = traitlets.List(traitlets.Unicode()).tag(sync=True)
    status_tail = traitlets.List(traitlets.Int()).tag(sync=True)
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

    _static_sent = None
    _static_png = b""

    def _sprite_png(self, sprite) -> bytes:
        """A sprite's PNG, encoded once (sprites are kept for the figure's life)."""
        cache = self.__dict__.setdefault("_sprite_pngs", {})
        key = id(sprite["pixels"])
        if key not in cache or cache[key][0] is not sprite["pixels"]:
            cache[key] = (sprite["pixels"], encode_png(sprite["pixels"], alpha=True))
        return cache[key][1]

    def show_scene(self, background, layer, status, *, step, style="", label=""):
        """Send a new scene in one message.

        Parameters
        ----------
        background : (ndarray, ndarray, (int, int))
            The figure without its moving artists, as
            :meth:`LiveFigure.background_pixels` gives it: the RGBA pixels of
            what never changes (sent again only when they do), those of the
            panels a new run changes, and where those go.
        layer : MovingLayer
            The moving artists at every step.
        status : list of str
            The status line of every step.
        step : int
            The step to show (when not playing).
        style, label : str
            CSS of the status line; the picture's text alternative.
        """
        if len(status) != layer.steps:
            raise ValueError(
                f"status must hold one line per step ({layer.steps}); got {len(status)}"
            )
        static, layered, corner = background
        spec = layer.spec()
        spec["version"] = self.scene.get("version", 0) + 1
        spec["overlay_at"] = [int(corner[0]), int(corner[1])]
        if static is not self._static_sent:
            # Encoded when the still changes (a view or style), not per run.
            self._static_sent, self._static_png = static, encode_png(static)
        with self.hold_sync():
            self.background = self._static_png  # opaque: RGB
            self.overlay = encode_png(layered) if layered.size else b""
            self.data = layer.data().astype("<f4").tobytes()
            self.sprites = [self._sprite_png(sprite) for sprite in layer.sprites]
            self.status, self.status_tails, self.status_tail = _split_status(status)
            self.status_style = style
            self.label = label
            self.step = int(step)
            self.scene = spec


def _split_status(lines):
    """Status lines as heads, the distinct tails (from the last " · " on), and which.

    Examples
    --------
    >>> _split_status(["step 1 · L = 2 · converging", "step 2 · L = 1 · converging", "ready"])
    (['step 1 · L = 2', 'step 2 · L = 1', 'ready'], [' · converging', ''], [0, 0, 1])
    """
    heads, tails, which = [], {}, []
    for line in lines:
        head, separator, tail = line.rpartition(" · ")
        if not separator:
            head, tail = line, ""
        heads.append(head)
        which.append(tails.setdefault(separator + tail, len(tails)))
    return heads, list(tails), which
