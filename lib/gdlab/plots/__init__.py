"""Static matplotlib drawing for the lessons and the explorer.

Every ``plot_x(ax, ...)`` draws on ``ax`` and returns the artists it made, to
update in place; the look comes from :func:`style` / :func:`subplots`, never
from global matplotlib state.  ``__all__`` is what a lesson calls; the widgets
import the explorer's figures from their modules (``explorer_frame``,
``map_panel``, and ``scene``, the browser's scene format).
"""

from .classification_plots import plot_classes, plot_sigmoid, plot_weight_growth
from .contour_plots import (
    plot_filled_contours,
    plot_gradient_arrows,
    plot_loss_contours,
    plot_path,
)
from .data_plots import (
    FitArtists,
    mark_observation,
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
)
from .legends import add_colorbar, add_legend
from .network_plots import plot_loss_curves, plot_network_fit
from .polynomial_plots import plot_polynomial, plot_train_test_loss
from .rule_plots import plot_gap_per_step, plot_phase_diagram, plot_rule_paths
from .style import COLORS, style, subplots, text_overlaps
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
    "COLORS",
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
    "plot_level_curves",
    "plot_loss_slice",
    "plot_loss_surface_3d",
    "plot_tangent",
    "plot_secant",
    "plot_error_vs_step",
    "FitArtists",
    "plot_fit",
    "mark_observation",
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
    "plot_rule_paths",
    "plot_gap_per_step",
    "plot_phase_diagram",
]
