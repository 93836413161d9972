"""Static matplotlib drawing for the lessons and the explorer.

Every function takes the ``ax`` to draw on first and returns the artists it
made, so callers can update them in place.  Nothing here changes global
matplotlib state: the look comes from :func:`style` / :func:`subplots`.
"""

from . import scene
from .classification_plots import plot_classes, plot_sigmoid, plot_weight_growth
from .contour_plots import (
    plot_filled_contours,
    plot_gradient_arrows,
    plot_loss_contours,
    plot_path,
    surface_grid,
)
from .data_plots import (
    FitArtists,
    mark_observation,
    padded_limits,
    plot_fit,
    plot_line,
    plot_observations,
    plot_residuals,
)
from .descent_plots import (
    plot_loss_per_epoch,
    plot_parabola_descent,
    plot_step_lengths,
    plot_steps,
    plot_steps_vs_learning_rate,
    step_lengths,
)
from .explorer_frame import VIEWS, ExplorerFrame
from .legends import add_colorbar, add_legend
from .map_panel import (
    clip_path,
    current_mark_key,
    known_critical_points,
    off_map_label,
    pin_off_map,
    plot_current_mark,
)
from .network_plots import plot_loss_curves, plot_network_fit
from .polynomial_plots import plot_polynomial, plot_train_test_loss
from .race_frame import RACE_COLORS, RaceFrame
from .rule_plots import plot_gap_per_step, plot_phase_diagram, plot_rule_paths
from .scene import MovingLayer, pixels, pixels_3d
from .style import COLORS, CONTOUR_CMAP, style, subplots, text_overlaps
from .surface_plots import (
    plot_chord,
    plot_error_vs_step,
    plot_level_curves,
    plot_loss_slice,
    plot_loss_surface_3d,
    plot_minima_fraction,
    plot_secant,
    plot_tangent,
)

__all__ = [
    "scene",
    "RACE_COLORS",
    "RaceFrame",
    "COLORS",
    "CONTOUR_CMAP",
    "style",
    "subplots",
    "text_overlaps",
    "plot_observations",
    "plot_line",
    "plot_residuals",
    "plot_loss_contours",
    "plot_filled_contours",
    "add_colorbar",
    "add_legend",
    "plot_path",
    "plot_gradient_arrows",
    "surface_grid",
    "plot_level_curves",
    "plot_loss_slice",
    "plot_loss_surface_3d",
    "plot_tangent",
    "plot_secant",
    "plot_error_vs_step",
    "FitArtists",
    "plot_fit",
    "mark_observation",
    "padded_limits",
    "plot_parabola_descent",
    "plot_steps_vs_learning_rate",
    "plot_chord",
    "plot_minima_fraction",
    "plot_polynomial",
    "plot_train_test_loss",
    "plot_classes",
    "plot_sigmoid",
    "plot_weight_growth",
    "plot_loss_curves",
    "plot_network_fit",
    "plot_loss_per_epoch",
    "plot_steps",
    "plot_step_lengths",
    "step_lengths",
    "ExplorerFrame",
    "clip_path",
    "known_critical_points",
    "pin_off_map",
    "plot_current_mark",
    "off_map_label",
    "current_mark_key",
    "VIEWS",
    "MovingLayer",
    "pixels",
    "pixels_3d",
    "plot_rule_paths",
    "plot_gap_per_step",
    "plot_phase_diagram",
]
