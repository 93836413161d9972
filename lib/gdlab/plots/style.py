"""One look for every figure: colour-blind-safe colours, projector-sized text.

Nothing here runs on import: the style is applied by :func:`style` (a
context manager) or by :func:`subplots`.  Global matplotlib settings change
only in classroom mode (``gdlab.classroom()``, or ``GDLAB_CLASSROOM=1``), so
that axis labels, titles and legends added after ``subplots`` are large too;
``gdlab.classroom(False)`` puts the previous settings back.
"""

from __future__ import annotations

import contextlib

import matplotlib
import matplotlib.pyplot as plt

from .._classroom import classroom_mode, resolve

__all__ = ["COLORS", "CONTOUR_CMAP", "style", "subplots"]

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
# Inches (at 100 dpi) of a notebook's output area in a 1280-pixel-wide
# JupyterLab with the sidebar closed.
_PROJECTED_WIDTH = 11.5
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


def style(classroom: bool | None = None):
    """A context manager that applies gdlab's figure style inside a ``with``.

    Parameters
    ----------
    classroom : bool, optional
        Larger text and thicker lines, for a projector at the back of a room.
        Default: the kernel's classroom mode (``gdlab.classroom()``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with style(classroom=True):
    ...     plt.rcParams["font.size"]
    17.0
    """
    return _styled(_params(resolve(classroom)))


def _params(classroom: bool) -> dict:
    params = dict(_BASE)
    if classroom:
        params.update(_CLASSROOM)
    return params


# matplotlib's own values of the keys classroom mode sets, while it is on.
_saved: dict = {}


def apply_classroom_rc(on: bool) -> None:
    """Set (``on``) or restore (not ``on``) matplotlib's global settings for classroom mode.

    Called by ``gdlab.classroom()``; the saved values are restored exactly,
    and calling it twice with the same value changes nothing more.

    Examples
    --------
    >>> before = plt.rcParams["font.size"]
    >>> apply_classroom_rc(True)
    >>> plt.rcParams["font.size"]
    17.0
    >>> apply_classroom_rc(False)
    >>> plt.rcParams["font.size"] == before
    True
    """
    if on and not _saved:
        params = _params(True)
        _saved.update({key: matplotlib.rcParams[key] for key in params})
        interactive = matplotlib.is_interactive()
        matplotlib.rcParams.update(params)
        matplotlib.interactive(interactive)
    elif not on and _saved:
        interactive = matplotlib.is_interactive()
        matplotlib.rcParams.update(_saved)
        matplotlib.interactive(interactive)
        _saved.clear()


@contextlib.contextmanager
def _styled(params):
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

    ``classroom`` (default: the kernel's classroom mode) draws large text
    and thick lines and makes the figure (``figsize`` too, when given) up to
    1.25 times as large, so the panels keep room for the larger text, but
    no wider than 11.5 inches, the output area of a projected notebook.

    Examples
    --------
    >>> fig, ax = subplots()
    >>> ax.get_facecolor()[:3]
    (1.0, 1.0, 1.0)
    >>> plt.close(fig)
    """
    classroom = resolve(classroom)
    if classroom and classroom_mode():
        # Labels, titles and legends are added after this call returns:
        # in classroom mode they must be large too.
        apply_classroom_rc(True)
    width, height = (5.2 * ncols, 4.0 * nrows) if figsize is None else figsize
    # Up to 1.25 times as large, but no wider than a projected notebook's
    # output area, where a wider picture would be shrunk, text and all.
    scale = min(1.25, max(1.0, _PROJECTED_WIDTH / width)) if classroom else 1.0
    figsize = (scale * width, scale * height)
    with style(classroom=classroom):
        return plt.subplots(nrows, ncols, figsize=figsize, **kwargs)
