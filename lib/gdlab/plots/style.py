"""One look for every figure: colour-blind-safe colours, projector-sized text.

Nothing changes matplotlib's global settings: the style is applied by
:func:`style` (a context manager) or by :func:`subplots`.  Classroom mode
(``classroom=True``, ``gdlab.classroom()`` or ``GDLAB_CLASSROOM=1``) makes
everything larger.
"""

from __future__ import annotations

import contextlib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from .._classroom import resolve

__all__ = ["COLORS", "CONTOUR_CMAP", "style", "subplots", "text_overlaps"]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every
# common form of colour blindness, and in greyscale by lightness.
COLORS = {
    "data": "#0072B2",  # blue
    "line": "#D55E00",  # vermillion
    "path": "#E69F00",  # orange
    "current": "#CC79A7",  # reddish purple
    "minimum": "#009E73",  # bluish green
    "gradient": "#000000",  # black
    "residual": "#56B4E9",  # sky blue
    "other": "#F0E442",  # yellow
}
# cividis is designed to read the same with colour-vision deficiency.
CONTOUR_CMAP = "cividis"
# How much larger everything in a figure from subplots(classroom=True) is:
# 11-point tick labels become about 15 points, as the classroom style's are.
CLASSROOM_ZOOM = 1.4
# Inches (at 100 dpi) of a notebook's output area in a 1280-pixel-wide
# JupyterLab with the sidebar closed.
_PROJECTED_WIDTH = 11.5

_BASE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 11,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": plt.cycler(color=list(COLORS.values())),
    "image.cmap": CONTOUR_CMAP,
}
_CLASSROOM = {
    "font.size": 17,
    "axes.titlesize": 19,
    "axes.labelsize": 18,
    "legend.fontsize": 15,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "lines.linewidth": 3.0,
    "lines.markersize": 9,
    "grid.alpha": 0.45,
}


@contextlib.contextmanager
def style(classroom: bool | None = None):
    """A context manager that applies gdlab's figure style inside a ``with``.

    ``classroom`` (default: the kernel's classroom mode, ``gdlab.classroom()``)
    gives larger text and thicker lines, for a projector at the back of a room.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with style(classroom=True):
    ...     plt.rcParams["font.size"]
    17.0
    """
    params = dict(_BASE)
    if resolve(classroom):
        params.update(_CLASSROOM)
    # rc_context restores *every* rcParam on exit, including ``interactive``.
    # A notebook's backend switches interactive mode on when the first figure
    # is made; if that happened inside the context, restoring the old value
    # would stop every later figure from being shown.  Keep the new value.
    with plt.rc_context(params):
        yield
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)


def subplots(
    nrows: int = 1,
    ncols: int = 1,
    *,
    classroom: bool | None = None,
    figsize=None,
    **kwargs,
):
    """``plt.subplots`` in gdlab's style; returns ``(fig, ax)`` like it.

    ``classroom`` (default: the kernel's classroom mode) makes everything in
    the figure larger.  Text added after the figure is made (titles, legends,
    colour bars) would not take the style's sizes, so it draws the figure at
    ``CLASSROOM_ZOOM`` times the dots per inch on that many times fewer
    inches: everything in it, whenever drawn, is that many times larger.  The
    picture grows up to 1.25 times (``figsize`` too), to at most 11.5 inches.

    Examples
    --------
    >>> fig, ax = subplots()
    >>> ax.get_facecolor()[:3]
    (1.0, 1.0, 1.0)
    >>> plt.close(fig)
    >>> fig, ax = subplots(classroom=True, figsize=(7.0, 5.0))
    >>> [round(float(v)) for v in fig.get_size_inches() * fig.dpi]
    [875, 625]
    >>> plt.close(fig)
    """
    classroom = resolve(classroom)
    width, height = (5.2 * ncols, 4.0 * nrows) if figsize is None else figsize
    # Larger, so the panels keep room for the larger text, but no wider than a
    # projected notebook's output area, where it would be shrunk, text and all.
    scale = min(1.25, max(1.0, _PROJECTED_WIDTH / width)) if classroom else 1.0
    zoom = CLASSROOM_ZOOM if classroom else 1.0
    kwargs.setdefault("dpi", _BASE["figure.dpi"] * zoom)
    inches = (scale * width / zoom, scale * height / zoom)
    with style(classroom=False):
        return plt.subplots(nrows, ncols, figsize=inches, **kwargs)


def text_overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of visible texts in ``fig`` that run into each other, as ``(text, text)``.

    Looks at tick labels, axis labels, titles, legends, colour-bar labels
    and annotations, as drawn now.  Every lesson figure is held to an empty
    list.

    Examples
    --------
    >>> fig, ax = subplots()
    >>> _ = ax.set_xticks([0.0, 0.01], labels=["twenty", "two"])
    >>> text_overlaps(fig)
    [('twenty', 'two')]
    >>> plt.close(fig)
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in _texts_of(fig) if t.get_visible() and t.get_text().strip()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    found = []
    for i, first in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            second = boxes[j]
            # Overlap by more than a pixel both ways; touching is fine.
            wide = min(first.x1, second.x1) - max(first.x0, second.x0)
            tall = min(first.y1, second.y1) - max(first.y0, second.y0)
            if wide > 1 and tall > 1:
                found.append((texts[i].get_text(), texts[j].get_text()))
    return found


def _texts_of(fig):
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # Compare in the axis' own scale (log or linear): only ticks inside
            # the view are drawn, and Axis keeps spare Tick objects from earlier
            # draws, so only the first len(locations) are current.
            scale = axis.get_transform().transform
            low, high = sorted(scale(np.asarray(axis.get_view_interval())))
            slack = 1e-9 * (high - low)
            locations = axis.get_majorticklocs()
            places = scale(np.asarray(locations, dtype=float))
            for tick, where in zip(axis.get_major_ticks(len(locations)), places):
                if low - slack <= where <= high + slack:
                    texts += [tick.label1, tick.label2]
            texts.append(axis.label)
        texts += [ax.title, ax._left_title, ax._right_title, *ax.texts]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    return texts
