"""A matplotlib figure shown as a live ``ipywidgets.Image``: the base of gdlab's widgets.

Why not ``interact`` and ``plt.show()``?  Redrawing a whole figure through the
inline backend costs hundreds of milliseconds a frame on a small machine,
flickers, and under nbval leaves one output per redraw.  :class:`LiveFigure`
instead owns one Figure on an Agg canvas (never ``pyplot``, so nothing is
displayed twice), draws the parts that do not move once into a cached
background, and on each change redraws only the moving artists over it
("blitting") into a PNG; where the browser draws the moving artists (the
explorer), it takes the background's pixels instead.  Its mimebundle also
carries a static ``image/png`` of the frame (for GitHub and nbviewer) and a
short ``text_plain`` (for nbval).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import math
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from .._classroom import resolve
from ..plots import style
from ._guard import DRAWING, Guarded
from ._png import encode_png

__all__ = ["CLASSROOM_CLASS", "CONTROL_TEXT_PX", "DRAWING", "LiveFigure"]

# The CSS class a widget's layout carries in classroom mode, and the size of
# its controls' text then (a JupyterLab control's is 13 px): read from the
# back of a room on a 1280×720 projector.
CLASSROOM_CLASS = "gdlab-classroom"
CONTROL_TEXT_PX = 19
# ipywidgets draws its controls from these CSS variables; set on the widget's
# own layout, they reach its controls and nothing else on the page.
_STYLESHEET = f"""<style>
.gdlab-widget.{CLASSROOM_CLASS} {{
  --jp-widgets-font-size: {CONTROL_TEXT_PX}px;
  --jp-ui-font-size1: {CONTROL_TEXT_PX}px;
  --jp-widgets-inline-height: 36px;
  --jp-widgets-slider-handle-size: 22px;
  --jp-widgets-slider-track-thickness: 6px;
  font-size: {CONTROL_TEXT_PX}px;
}}
.gdlab-widget.{CLASSROOM_CLASS} :is(.widget-label, .widget-readout,
    .widget-html-content, .jupyter-button) {{ font-size: {CONTROL_TEXT_PX}px; }}
.gdlab-widget.{CLASSROOM_CLASS} .widget-readout {{ min-width: 4.5em; }}
/* Presenting slides in JupyterLab, the output prompt's click strip lies over
   the left of a widget (jupyterlab-slideshow hides it in Notebook 7 only). */
body[data-jp-deck-mode='presenting'] .jp-OutputArea-promptOverlay {{ display: none; }}
</style>"""

# While changes arrive from the browser faster than this after the previous
# frame finished, they are queued work: draw only the latest, at least this
# often (seconds).
_BACKLOG_GAP = 0.003
_MIN_FRAME_EVERY = 0.1
_DEFERRED_DELAY = 0.015


class LiveFigure(Guarded):
    """Base class: one matplotlib Figure shown as a live ``widgets.Image``.

    A subclass makes its artists inside :meth:`styled`, marks the moving ones
    with :meth:`animate` (those that change now and then, like an axes whose
    limits follow the data, with :meth:`layer`), builds its layout with
    :meth:`present` and moves its artists in :meth:`update_frame`; a control's
    ``observe`` calls :meth:`request_render`.

    Parameters
    ----------
    figsize : (float, float)
        Figure size in inches (at 100 pixels per inch).
    classroom : bool, optional
        Draw in gdlab's large-font classroom style (:func:`gdlab.plots.style`)
        with large controls; default the kernel's mode (``gdlab.classroom()``).
    image : bool
        Show frames as PNGs in ``self.image`` (the default).  ``False`` for a
        subclass whose browser draws the frames itself (an :class:`ExplorerView`
        fed by :meth:`background_pixels`): then ``self.image`` is None and a
        frame's PNG is drawn only when asked for (:meth:`frame_png`).

    Attributes
    ----------
    figure, canvas
        The Figure and its Agg canvas.
    widget
        The layout the notebook displays (see :meth:`present`).

    Examples
    --------
    >>> class Dot(LiveFigure):
    ...     text_plain = "Dot"
    ...     def __init__(self):
    ...         super().__init__(figsize=(2, 2))
    ...         ax = self.figure.add_subplot()
    ...         ax.set_xlim(0, 1)
    ...         (self.dot,) = ax.plot([0.5], [0.5], "o")
    ...         self.animate(self.dot)
    ...         self.widget = self.image
    ...         self.render()
    >>> dot = Dot()
    >>> dot.image.value[:4] == b"\\x89PNG"
    True
    >>> sorted(dot._repr_mimebundle_())
    ['application/vnd.jupyter.widget-view+json', 'image/png', 'text/plain']
    """

    text_plain = "LiveFigure (needs a live kernel)"

    def __init__(
        self,
        *,
        figsize=(6.0, 4.0),
        classroom: bool | None = None,
        image: bool = True,
    ):
        self.classroom = resolve(classroom)
        self.new_figure(figsize=figsize)
        self.image = self.widget = None
        if image:
            layout = widgets.Layout(max_width="100%", height="auto")
            self.image = self.widget = widgets.Image(format="png", layout=layout)
        self._png = b""  # the current frame's, b"" until drawn
        self._last_end = 0.0
        self._last_frame = 0.0
        self._deferred = None
        self._quiet = False

    # -- what subclasses use -------------------------------------------------

    def new_figure(self, *, figsize, classroom=None):
        """Start over on an empty figure in the style of ``classroom`` (if given); returns it."""
        if classroom is not None:
            self.classroom = bool(classroom)
        with style(classroom=self.classroom):
            self.figure = Figure(figsize=figsize, dpi=100)
        self.canvas = FigureCanvasAgg(self.figure)
        self._animated = []
        self._layered = []
        self._background = None
        self._static = None
        self._layout_frozen = False
        return self.figure

    _FIGURE_STATE = (
        "figure",
        "canvas",
        "classroom",
        "_animated",
        "_layered",
        "_background",
        "_static",
        "_layout_frozen",
    )

    def stash_figure(self) -> dict:
        """The current figure with its cached backgrounds, to :meth:`unstash_figure` later."""
        return {name: getattr(self, name) for name in self._FIGURE_STATE}

    def unstash_figure(self, state: dict):
        """Go back to a figure saved by :meth:`stash_figure`."""
        for name in self._FIGURE_STATE:
            setattr(self, name, state[name])

    def present(self, *rows):
        """Make ``self.widget`` a VBox of ``rows`` that obeys classroom mode; return it.

        The box carries gdlab's stylesheet (in a hidden HTML child) and, in
        classroom mode, the class that enlarges its controls.  Called again,
        it puts new rows in the same box (e.g. another layout for classroom
        mode), so the notebook's view of it stays live.

        Examples
        --------
        >>> live = LiveFigure(classroom=True)
        >>> box = live.present(widgets.Label("a control"), live.image)
        >>> sorted(box._dom_classes)
        ['gdlab-classroom', 'gdlab-widget']
        >>> live.set_classroom(False); box._dom_classes
        ('gdlab-widget',)
        """
        box = getattr(self, "_presented", None)
        if box is None:
            # Built once: a notebook keeps showing this box when rows change.
            sheet = widgets.HTML(_STYLESHEET, layout=widgets.Layout(display="none"))
            box = self._presented = widgets.VBox([self._new_failure_line(), sheet])
            box.add_class("gdlab-widget")
        box.children = (*rows, *box.children[-2:])
        self.widget = box
        self.set_classroom(self.classroom)
        return box

    def set_classroom(self, on: bool):
        """Switch the controls' classroom look (the figure is the subclass's to redraw)."""
        self.classroom = bool(on)
        if self.classroom:
            self.widget.add_class(CLASSROOM_CLASS)
        else:
            self.widget.remove_class(CLASSROOM_CLASS)

    def show_at_own_size(self):
        """Show the frame at the figure's own width: stretched to the page, it turns blurry."""
        self.image.layout.width = (
            f"{round(self.figure.get_figwidth() * self.figure.dpi)}px"
        )

    def styled(self):
        """A context manager: gdlab's figure style, large if ``self.classroom``."""
        return style(classroom=self.classroom)

    def animate(self, *artists):
        """Mark ``artists`` as moving (redrawn every frame, not in the background)."""
        for artist in artists:
            artist.set_animated(True)
            if artist not in self._animated:
                self._animated.append(artist)

    def layer(self, *artists):
        """Mark ``artists`` (typically whole Axes) as changing now and then, not every frame.

        They are drawn over the static background into a second cached layer,
        which ``invalidate_background(static=False)`` redraws alone.
        """
        for artist in artists:
            if artist not in self._layered:
                self._layered.append(artist)
        self.invalidate_background()

    @contextlib.contextmanager
    def quiet(self):
        """Change controls inside this block without their observers redrawing.

        Observers check ``self._quiet`` and return early; blocks nest.

        Examples
        --------
        >>> live = LiveFigure()
        >>> with live.quiet():
        ...     live._quiet
        True
        >>> live._quiet
        False
        """
        quiet, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = quiet

    def invalidate_background(self, static: bool = True):
        """Redraw the background on the next frame (``static=False``: only the layer)."""
        self._background = None
        if static:
            self._static = None

    def after_layout(self):
        """Called once after the first full draw has laid the figure out (override)."""

    def update_frame(self):
        """Update the moving artists for the current state (override)."""

    def render(self) -> bytes:
        """Draw the current frame and store its PNG in ``image.value``; returns the bytes."""
        with DRAWING:
            self.update_frame()
            if self._background is None:
                self._draw_background()
            else:
                self.canvas.restore_region(self._background)
            for artist in self._animated:
                if artist.get_visible() and artist.figure is not None:
                    self.figure.draw_artist(artist)
            self._png = encode_png(np.asarray(self.canvas.buffer_rgba()))
            if self.image is not None:
                self.image.value = self._png
            self.frame_sent()
            return self._png

    def request_render(self, change=None, draw=None):
        """``observe`` callback: render now, or skip to the latest state when behind.

        ``draw`` (default :meth:`render`) is what "render" means: a subclass
        whose browser draws the frames passes the method that sends them.
        """
        draw = self.guarded(self.render if draw is None else draw)
        if self._deferred is not None:
            self._deferred.cancel()  # a no-op once it has run
        from_browser = changed_in_browser((change or {}).get("owner"))
        now = time.perf_counter()
        behind = (
            now - self._last_end < _BACKLOG_GAP
            and now - self._last_frame < _MIN_FRAME_EVERY
        )
        loop = _running_loop() if (from_browser and behind) else None
        if loop is None:
            draw()
            return
        # Another change is already waiting behind this one: draw the latest later.
        self._last_end = now
        self._deferred = loop.call_later(_DEFERRED_DELAY, draw)

    def frame_sent(self):
        """A frame just went to the browser: noted for pacing, and a failure's line comes down."""
        self._last_end = self._last_frame = time.perf_counter()
        self.clear_failure()

    def frame_png(self) -> bytes:
        """The PNG bytes of the current frame, which the canvas then holds (drawn if need be)."""
        with DRAWING:
            if not self._png:
                self.render()
            return self._png

    def invalidate_frame(self):
        """The state changed: draw the frame again when its PNG is next asked for."""
        self._png = b""

    def background_pixels(self):
        """The figure without its moving artists, as two RGBA arrays (copies).

        Returns ``(static, layered, (x, y))``: the whole figure without its
        moving artists and without the artists marked with :meth:`layer`, then
        the rectangle holding those (drawn over ``static``, top left at pixel
        ``(x, y)``).  What a browser drawing the moving artists itself shows
        beneath them; only ``layered`` changes when a new run changes an axis.
        Each array is the same object until its pixels are drawn again
        (:meth:`invalidate_background`): callers may cache by it.
        """
        with DRAWING:
            if self._background is None:
                self._draw_background()
            self.invalidate_frame()  # the canvas no longer holds the frame
            kept = getattr(self, "_static_copy", (None, None))
            if kept[0] is not self._static:
                self.canvas.restore_region(self._static)
                kept = (self._static, np.asarray(self.canvas.buffer_rgba()).copy())
                self._static_copy = kept
            static = kept[1]
            self.canvas.restore_region(self._background)
            kept = getattr(self, "_layered_copy", (None, None))
            if kept[0] is not self._background:
                x0, top, x1, bottom = self._layered_box() or (0, 0, 0, 0)
                layered = np.asarray(self.canvas.buffer_rgba())[top:bottom, x0:x1]
                kept = (self._background, layered.copy(), (x0, top))
                self._layered_copy = kept
            return static, kept[1], kept[2]

    def _layered_box(self):
        """Where the layered artists are (:func:`pixel_box`, or None), measured once per still.

        The margin leaves room for tick labels that a later run makes a little wider.
        """
        kept = getattr(self, "_layered_box_of", (None, None))
        if kept[0] is self._static:
            return kept[1]
        renderer = self.canvas.get_renderer()
        boxes = [artist.get_tightbbox(renderer) for artist in self._layered]
        boxes = [box for box in boxes if box is not None]
        box = pixel_box(Bbox.union(boxes), self.figure, pad=24) if boxes else None
        self._layered_box_of = (self._static, box)
        return box

    def close(self):
        """Close the layout and every widget in it (the figure goes with the object)."""
        pending = [self.widget, self.image]
        while pending:
            widget = pending.pop()
            if widget is None:
                continue
            pending.extend(getattr(widget, "children", ()))
            widget.close()

    # -- display -----------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        key = "application/vnd.jupyter.widget-view+json"
        view = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle = {key: view[key]} if key in view else {}
        with DRAWING:
            self.frame_png()
            # Saved in the notebook: worth the slower, smaller encoding.
            still = encode_png(np.asarray(self.canvas.buffer_rgba()), level=9)
        bundle["image/png"] = base64.b64encode(still).decode("ascii")
        bundle["text/plain"] = self.text_plain
        return bundle

    def __repr__(self) -> str:
        return self.text_plain

    # -- internals -----------------------------------------------------------------

    def _draw_background(self):
        if not self._layout_frozen:
            # The first draw lays the figure out with the moving artists in
            # place (at the current state): stills and frames share one layout.
            self.update_frame()
        with style(classroom=self.classroom):
            if not self._layout_frozen:
                # Lay the figure out once, with everything in it; later frames
                # keep every panel in place.  Every artist is placed, none
                # rendered: the draw below renders the laid-out figure.
                self.figure.draw_without_rendering()
                self.figure.set_layout_engine("none")
                self._layout_frozen = True
                self.after_layout()
                self._static = None
            if self._static is None:
                shown = [artist.get_visible() for artist in self._layered]
                for artist in self._layered:
                    artist.set_visible(False)
                try:
                    self.canvas.draw()  # animated artists are left out by matplotlib
                finally:
                    for artist, visible in zip(self._layered, shown):
                        artist.set_visible(visible)
                self._static = self.canvas.copy_from_bbox(self.figure.bbox)
            else:
                self.canvas.restore_region(self._static)
            for artist in self._layered:
                if artist.get_visible():
                    self.figure.draw_artist(artist)
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)


def changed_in_browser(widget) -> bool:
    """Whether ``widget`` is applying a value sent by the browser right now.

    The one place that reads ipywidgets' private lock on the traits it sets
    from a front-end message, so a change in its internals breaks one function.
    """
    return bool(getattr(widget, "_property_lock", None))


def pixel_box(box, figure, pad: int) -> list[int]:
    """``box`` (display units) as ``[left, top, right, bottom]`` pixels from the top left.

    Grown by ``pad`` on each side, and kept inside ``figure``.
    """
    width, height = figure.bbox.width, figure.bbox.height
    return [
        max(0, math.floor(box.x0) - pad),
        max(0, math.floor(height - box.y1) - pad),
        min(math.ceil(width), math.ceil(box.x1) + pad),
        min(math.ceil(height), math.ceil(height - box.y0) + pad),
    ]


def _running_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
