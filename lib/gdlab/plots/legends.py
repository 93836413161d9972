"""Legends and colour bars, with tick values a reader can say aloud."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, MaxNLocator

__all__ = ["add_legend", "add_colorbar", "round_ticks"]


def add_legend(ax, *, outside: bool = False, **kwargs):
    """A legend with one entry per label, however many artists share it; returns the ``Legend``.

    Several paths of one kind (say, every run that ends in the left valley)
    can each carry the same label.  ``outside`` puts the legend under the
    figure, for maps with no free corner.  Introduced in lesson 04.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> lines = [ax.plot([0, k], label="left")[0] for k in (1, 2)] + ax.plot([1, 0], label="right")
    >>> [text.get_text() for text in add_legend(ax).get_texts()]
    ['left', 'right']
    """
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if not unique:
        raise ValueError("ax has no labelled artists to put in a legend")
    if outside:
        options = {"loc": "outside lower center", "ncols": min(len(unique), 2)}
        return ax.figure.legend(unique.values(), unique.keys(), **(options | kwargs))
    return ax.legend(unique.values(), unique.keys(), **kwargs)


def add_colorbar(ax, mappable, label):
    """A colour bar for ``mappable`` beside ``ax`` (or a list of axes); returns the ``Colorbar``.

    ``label`` says what the colours measure, e.g. ``"L(m, b)"``.  When the
    levels of ``mappable`` (e.g. a :func:`plot_loss_contours` set) are
    spaced geometrically, above the lowest value or from zero, or its norm
    is a ``LogNorm``, the label says ", log scale".  A contour set's bar is
    ticked at round values (see :func:`round_ticks`), not at its levels,
    which need not be round.  Introduced in lesson 03.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from gdlab.plots import plot_filled_contours
    >>> ax = Figure().subplots()
    >>> grid = np.linspace(-10.0, 10.0, 81)
    >>> bowl = 1.0 + np.add.outer(grid**2, grid**2)  # from 1 to 201
    >>> bar = add_colorbar(ax, plot_filled_contours(ax, grid, grid, bowl), "L(m, b)")
    >>> bar.ax.get_ylabel()
    'L(m, b), log scale'
    >>> [float(t) for t in bar.get_ticks()]
    [1.0, 2.0, 5.0, 10.0, 20.0, 100.0]
    """
    if not isinstance(label, str):
        raise TypeError(f"label must be a str; got {type(label).__name__}")
    if not label.strip():
        raise ValueError("label must say what the colours measure; got an empty str")
    levels = np.asarray(getattr(mappable, "levels", []), dtype=float)
    log_scale = isinstance(mappable.norm, LogNorm) or _geometric(levels)
    if log_scale and "log scale" not in label:
        label = f"{label}, log scale"
    if isinstance(ax, (list, tuple, np.ndarray)):
        axes = list(np.ravel(ax))
        bar = axes[0].figure.colorbar(mappable, ax=axes, label=label)
    else:
        # A bar inside the axes' own box keeps its height when equal aspect
        # shrinks the axes; one made by stealing room would not.
        holder = ax.inset_axes([1.04, 0.0, 0.05, 1.0])
        bar = ax.figure.colorbar(mappable, cax=holder, label=label)
    if levels.size >= 2:
        bar.set_ticks(round_ticks(levels))
        bar.ax.yaxis.set_major_formatter(FuncFormatter(_tick_text))
        bar.ax.minorticks_off()
    return bar


def _geometric(levels) -> bool:
    # Spaced geometrically from zero, or above the lowest level.
    if levels.size < 4 or not np.all(np.isfinite(levels)):
        return False
    for steps in (levels, levels[1:] - levels[0]):
        if np.all(steps > 0):
            ratios = steps[1:] / steps[:-1]
            if ratios[0] > 1.05 and np.allclose(ratios, ratios[0], rtol=1e-6):
                return True
    return False


def round_ticks(levels, max_ticks: int = 10) -> np.ndarray:
    """At most ``max_ticks`` round values to tick a colour bar whose bands are ``levels``.

    A colour bar gives each band the same length, so a value's place on it
    is its band index, interpolated.  The roundest candidates (1, 2 and 5
    × 10^k, then numbers with two significant digits where the bar is still
    bare) are placed first, each at least ``1/max_ticks`` of the bar from
    the others.

    Examples
    --------
    >>> round_ticks(np.geomspace(0.3, 300, 10)).tolist()
    [0.3, 1.0, 2.0, 10.0, 20.0, 100.0, 200.0]
    """
    levels = np.asarray(levels, dtype=float)
    low, high = float(levels[0]), float(levels[-1])
    places = np.linspace(0.0, 1.0, levels.size)
    top = int(np.floor(np.log10(max(abs(low), abs(high)))))
    chosen: list[float] = []
    gap = 1.0 / max_ticks
    # Roundest first (0, then 1, 2, 5 × 10^k); less round numbers only where
    # the bar is still bare around them; last, evenly stepped round numbers
    # for a bar too narrow for any of those (say from 1000 to 1001).
    tiers = [
        ([m * 10.0**k for k in range(top, top - 12, -1)], room)
        for digits, room in _TICK_TIERS
        for m in digits
    ]
    tiers.append((MaxNLocator(max_ticks).tick_values(low, high).tolist(), 1.0))
    for values, room in tiers:
        for value in values:
            for candidate in (float(f"{value:.12g}"), -float(f"{value:.12g}")):
                if len(chosen) < max_ticks and low <= candidate <= high:
                    place = np.interp(candidate, levels, places)
                    taken = np.interp(chosen, levels, places)
                    if np.all(np.abs(taken - place) >= room * gap - 1e-9):
                        chosen.append(candidate)
    return np.array(sorted(chosen))


_TICK_TIERS = (
    ([0.0, 1.0, 2.0, 5.0], 1.0),
    ([3.0, 4.0, 6.0, 7.0, 8.0, 9.0], 1.5),
    ([m / 10 for m in range(11, 100) if m % 10], 2.0),
)


def _tick_text(value, _position=None) -> str:
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value:g}"
