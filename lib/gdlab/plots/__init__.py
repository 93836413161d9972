"""Static matplotlib drawing for the lessons and the explorer.

Every function takes the ``ax`` to draw on first and returns the artists it
made, so callers can update them in place.  Nothing here changes global
matplotlib state: the look comes from :func:`style` / :func:`subplots`.
"""

from .basic import (
    plot_gradient_arrows,
    plot_line,
    plot_loss_contours,
    plot_loss_curve,
    plot_observations,
    plot_path,
    plot_residuals,
)
from .descent_plots import plot_step_lengths, plot_steps, step_lengths
from .explorer import ExplorerFrame, clip_path, known_critical_points
from .style import COLORS, CONTOUR_CMAP, style, subplots

__all__ = [
    "COLORS",
    "CONTOUR_CMAP",
    "style",
    "subplots",
    "plot_observations",
    "plot_line",
    "plot_residuals",
    "plot_loss_contours",
    "plot_path",
    "plot_loss_curve",
    "plot_gradient_arrows",
    "plot_steps",
    "plot_step_lengths",
    "step_lengths",
    "ExplorerFrame",
    "clip_path",
    "known_critical_points",
]
