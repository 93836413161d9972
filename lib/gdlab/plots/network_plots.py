"""Figures for the small neural network of lesson 12."""

from __future__ import annotations

import numpy as np

from ..rules import rule_name
from .style import COLORS

__all__ = ["plot_loss_curves", "plot_network_fit"]

_RULE_COLOURS = (COLORS["gradient"], COLORS["line"], COLORS["data"], COLORS["minimum"])
_RULE_STYLES = (":", "--", "-", "-.")


def plot_loss_curves(ax, runs, *, floor=None):
    """The loss per step of several runs, on a log scale; returns the lines.

    ``runs`` maps a label to a :class:`gdlab.DescentRun`; a label of ``None``
    uses the run's rule name and learning rate.  ``floor``, if given, is drawn
    as a dotted level (e.g. the noise in the data).  Introduced in lesson 12.

    Examples
    --------
    >>> import gdlab
    >>> from matplotlib.figure import Figure
    >>> run = gdlab.descend(gdlab.Parabola(1.0), [2.0], 0.5, steps=5)
    >>> ax = Figure().subplots()
    >>> [line.get_label() for line in plot_loss_curves(ax, {"plain": run})]
    ['plain']
    """
    made = []
    for k, (label, run) in enumerate(runs.items()):
        if label is None:
            label = f"{rule_name(run.rule)}, η = {run.learning_rate:g}"
        made += ax.plot(
            np.arange(len(run.losses)),
            run.losses,
            color=_RULE_COLOURS[k % 4],
            linestyle=_RULE_STYLES[k % 4],
            linewidth=2.2,
            label=label,
        )
    if floor is not None:
        look = {"color": COLORS["residual"], "linestyle": ":", "linewidth": 1.5}
        made.append(ax.axhline(floor, **look, label="noise level"))
    ax.set(yscale="log", xlabel="step", ylabel="loss L (log scale)")
    return made


def plot_network_fit(ax, network, theta, x_limits, *, label="network", **kwargs):
    """The network's prediction ŷ(x) across ``x_limits``, for one input; returns the ``Line2D``.

    Introduced in lesson 12.

    Examples
    --------
    >>> import gdlab
    >>> from matplotlib.figure import Figure
    >>> net = gdlab.TanhNetwork(1, 2)
    >>> ax = Figure().subplots()
    >>> line = plot_network_fit(ax, net, net.initial(seed=0), (-1.0, 1.0))
    >>> len(line.get_xdata())
    201
    """
    grid = np.linspace(*x_limits, 201)
    options = {"color": COLORS["minimum"], "linewidth": 2.4, "zorder": 4, **kwargs}
    (line,) = ax.plot(
        grid, network.predict(theta, grid[:, None]), label=label, **options
    )
    return line
