"""A degree slider for polynomial regression (lesson 07).

Every fit is computed once, up front, from the closed form on standardised
x; a slider change only moves two artists (see :class:`LiveFigure`).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .._classroom import resolve
from .._validate import as_paired_vectors, as_whole_number
from ..features import design_matrix, predict_features, standardize
from ..least_squares import FeatureMSE
from ..loss import mse
from ..plots import COLORS, plot_observations, plot_train_test_loss, style
from . import _controls
from ._base import LiveFigure

__all__ = ["DegreeExplorer"]


class DegreeExplorer(LiveFigure):
    """A slider for the degree of a polynomial fit, with its training and held-out loss.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The training observations.
    x_held_out, y_held_out : array_like, optional
        Observations kept out of the fit, scored with the same weights.
    max_degree : int
        The largest degree on the slider (at most n − 1).
    degree : int
        The degree shown first.
    classroom : bool, optional
        Larger text and controls for a projector; default the kernel's
        classroom mode (``gdlab.classroom()``).

    Attributes
    ----------
    degree : IntSlider
        Setting ``degree.value`` in Python updates ``image.value`` at once.
    weights : dict of int to numpy.ndarray
        The least-squares weights per degree, for powers of standardised x.
    train_loss, held_out_loss : numpy.ndarray
        The MSE per degree (``held_out_loss`` is None without held-out data).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(0, 6, 12)
    >>> explorer = DegreeExplorer(x, np.sin(x), max_degree=5, degree=1)
    >>> before = explorer.frame_png()
    >>> explorer.degree.value = 3
    >>> explorer.frame_png() != before, explorer.status_text()[:8]
    (True, 'degree 3')
    """

    text_plain = "DegreeExplorer: move the degree slider (needs a live kernel)"

    def __init__(
        self,
        x,
        y,
        x_held_out=None,
        y_held_out=None,
        *,
        max_degree: int = 9,
        degree: int = 1,
        classroom: bool | None = None,
    ):
        x_arr, y_arr, held = _checked_data(x, y, x_held_out, y_held_out)
        max_degree, degree = _checked_degrees(max_degree, degree, x_arr.size)
        classroom = resolve(classroom)
        super().__init__(
            figsize=(11.5, 4.8) if classroom else (11.0, 4.2), classroom=classroom
        )
        self._fit_every_degree(x_arr, y_arr, held, max_degree)
        with style(classroom=self.classroom):
            fit_ax, loss_ax = self.figure.subplots(
                1, 2, gridspec_kw={"width_ratios": [1.3, 1]}
            )
            self._build_fit_panel(fit_ax, x_arr, y_arr, held)
            self._build_loss_panel(loss_ax, np.arange(max_degree + 1))
        self.animate(self._curve, self._marker)

        self.degree = _controls.IntSlider(
            value=degree,
            min=0,
            max=max_degree,
            description="degree",
        )
        self.status = widgets.HTML()
        self.degree.observe(self.request_render, "value")
        self.present(widgets.HBox([self.degree, self.status]), self.image)
        self.render()

    def _fit_every_degree(self, x_arr, y_arr, held, max_degree):
        """The least-squares weights and the losses of every degree up to the most."""
        z, self._how = standardize(x_arr)
        self.weights = {
            d: FeatureMSE(design_matrix(z, d), y_arr).minimum
            for d in range(max_degree + 1)
        }

        def losses(z, y):
            return np.array([mse(y, self._predict(z, d)) for d in self.weights])

        self.train_loss = losses(z, y_arr)
        self.held_out_loss = (
            None if held is None else losses(self._how.apply(held[0]), held[1])
        )

    def _predict(self, z, d):
        """ŷ = X·w of the degree-``d`` fit at standardised inputs ``z``."""
        return predict_features(design_matrix(z, d), self.weights[d])

    def _build_fit_panel(self, fit_ax, x_arr, y_arr, held):
        """Panel 1: the data (held-out points hollow) and the fitted curve."""
        plot_observations(fit_ax, x_arr, y_arr, label="training data")
        if held is not None:
            plot_observations(
                fit_ax,
                held[0],
                held[1],
                label="held-out data",
                facecolors="none",
                edgecolors=COLORS["data"],
                color=None,
                alpha=0.7,
            )
        every_x = x_arr if held is None else np.concatenate([x_arr, held[0]])
        every_y = y_arr if held is None else np.concatenate([y_arr, held[1]])
        x_pad = 0.03 * (np.ptp(every_x) or 1.0)
        y_pad = 0.25 * (np.ptp(every_y) or 1.0)
        self._grid = np.linspace(every_x.min() - x_pad, every_x.max() + x_pad, 300)
        fit_ax.set_xlim(self._grid[0], self._grid[-1])
        fit_ax.set_ylim(every_y.min() - y_pad, every_y.max() + y_pad)
        (self._curve,) = fit_ax.plot(
            [], [], color=COLORS["line"], label="fitted polynomial"
        )
        fit_ax.legend(loc="best")
        fit_ax.set_title("the fit")

    def _build_loss_panel(self, loss_ax, degrees):
        """Panel 2: training (and held-out) loss per degree, the shown one ringed."""
        plot_train_test_loss(loss_ax, degrees, self.train_loss, self.held_out_loss)
        (self._marker,) = loss_ax.plot(
            [],
            [],
            "o",
            markersize=14,
            markerfacecolor="none",
            markeredgecolor=COLORS["current"],
            markeredgewidth=2.5,
            label="shown degree",
        )
        loss_ax.legend(loc="best")
        loss_ax.set_title("loss per degree")

    def status_text(self) -> str:
        """One line: the degree and its losses."""
        d = self.degree.value
        text = f"degree {d}: training MSE {self.train_loss[d]:.4g}"
        if self.held_out_loss is not None:
            text += f", held-out MSE {self.held_out_loss[d]:.4g}"
        return text

    def update_frame(self):
        d = self.degree.value
        self._curve.set_data(self._grid, self._predict(self._how.apply(self._grid), d))
        self._marker.set_data([d], [self.train_loss[d]])
        self.status.value = (
            f"<span style='font-size: 1.1em'>{html.escape(self.status_text())}</span>"
        )


def _checked_data(x, y, x_held_out, y_held_out):
    """The training pairs and the held-out pairs (or None), as float arrays."""
    x_arr, y_arr = as_paired_vectors(x, y)
    if (x_held_out is None) != (y_held_out is None):
        raise ValueError("pass both x_held_out and y_held_out, or neither")
    held = None
    if x_held_out is not None:
        held = as_paired_vectors(x_held_out, y_held_out, "x_held_out", "y_held_out")
    return x_arr, y_arr, held


def _checked_degrees(max_degree, degree, n):
    """``max_degree`` from 0 to n − 1 and ``degree`` from 0 to it, as ints."""
    max_degree = as_whole_number(max_degree, "max_degree")
    degree = as_whole_number(degree, "degree")
    if not 0 <= max_degree <= n - 1:
        raise ValueError(
            f"max_degree must be from 0 to n − 1 = {n - 1}; got {max_degree}"
        )
    if not 0 <= degree <= max_degree:
        raise ValueError(
            f"degree must be from 0 to max_degree = {max_degree}; got {degree}"
        )
    return max_degree, degree
