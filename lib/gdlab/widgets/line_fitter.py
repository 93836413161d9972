"""Fit a line by hand: sliders for m and b, the residuals and a live MSE (lesson 02)."""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from .._classroom import resolve
from .._validate import as_finite_number, as_paired_vectors
from ..loss import best_fit, mse
from ..model import predict
from ..plots import COLORS, plot_fit, style
from ..plots.data_plots import padded_limits
from . import _controls
from ._base import LiveFigure

__all__ = ["LineFitter", "slider_range"]

# "Close enough" for the challenge: within this factor of the best MSE.
_CLOSE = 1.05


def slider_range(
    centre: float, half_width: float, ticks: int = 400
) -> tuple[float, float, float]:
    """``(low, high, step)`` for a slider around ``centre``, with a round step.

    The step is 1, 2 or 5 times a power of ten, near ``2·half_width / ticks``;
    ``low`` and ``high`` are whole multiples of it.

    Examples
    --------
    >>> slider_range(2.0, 4.0)
    (-2.0, 6.0, 0.02)
    """
    centre = as_finite_number(centre, "centre")
    half_width = as_finite_number(half_width, "half_width")
    if half_width <= 0:
        raise ValueError(f"half_width must be > 0; got {half_width}")
    raw = 2 * half_width / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(k * power for k in (1, 2, 5, 10) if k * power >= raw)
    step = float(f"{step:.1g}")
    low = math.floor((centre - half_width) / step) * step
    high = math.ceil((centre + half_width) / step) * step
    digits = max(0, -math.floor(math.log10(step)))
    return round(low, digits), round(high, digits), step


class LineFitter(LiveFigure):
    """Sliders for the slope ``m`` and intercept ``b`` of a line through the data.

    The figure shows the observations, the line ŷ = m·x + b and the
    residuals; the label under the sliders shows the line's MSE, the best
    MSE any line reaches on these data, and how far off the learner is.
    Introduced in lesson 02.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The observations; ``x`` needs at least two distinct values.
    m, b : float, optional
        The starting line; default the flat line through the mean of ``y``
        (``m = 0``, ``b = ȳ``).
    classroom : bool, optional
        Larger text and controls for a projector; default the kernel's
        classroom mode (``gdlab.classroom()``).

    Attributes
    ----------
    m_slider, b_slider : ipywidgets.FloatSlider
    show_best : ipywidgets.ToggleButton
        Draws the best-fit line (dashed) while pressed.
    mse_label : ipywidgets.HTML
    best : (float, float)
        ``(m, b)`` of the best fit; ``best_mse`` its MSE.

    Examples
    --------
    >>> fitter = LineFitter([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 2.5, 4.5])
    >>> round(fitter.mse, 4), round(fitter.best_mse, 4)
    (1.625, 0.1125)
    >>> fitter.m_slider.value = 1.0
    >>> round(fitter.mse, 4)
    2.375
    """

    text_plain = (
        "LineFitter: sliders for m and b, the residuals and the MSE of your line "
        "(the sliders need a running kernel)"
    )

    def __init__(self, x, y, *, m=None, b=None, classroom: bool | None = None):
        self.x, self.y = as_paired_vectors(x, y)
        if self.x.size < 2:
            raise ValueError(
                f"x and y must hold at least 2 observations to fit a line; got {self.x.size}"
            )
        self.best = best_fit(self.x, self.y)  # ValueError if x has one distinct value
        self.best_mse = mse(self.y, predict(self.x, *self.best))
        start_m = 0.0 if m is None else as_finite_number(m, "m")
        start_b = float(self.y.mean()) if b is None else as_finite_number(b, "b")
        classroom = resolve(classroom)
        super().__init__(
            figsize=(8.8, 4.6) if classroom else (6.4, 4.2), classroom=classroom
        )
        self.show_at_own_size()
        self._make_sliders(start_m, start_b)
        self._draw_static()
        for control in (self.m_slider, self.b_slider, self.show_best):
            control.observe(self.request_render, "value")
        self.present(
            widgets.HBox([self.m_slider, self.b_slider]),
            widgets.HBox([self.show_best, self.mse_label]),
            self.image,
        )
        self.render()

    # -- state -------------------------------------------------------------

    @property
    def line(self) -> tuple[float, float]:
        """The current ``(m, b)``."""
        return float(self.m_slider.value), float(self.b_slider.value)

    @property
    def mse(self) -> float:
        """The MSE of the current line on the observations."""
        return mse(self.y, predict(self.x, *self.line))

    # -- building ----------------------------------------------------------

    def _make_sliders(self, start_m, start_b):
        best_m, best_b = self.best
        # Widths from the data's own scale: a slope change of about
        # std(y)/std(x) moves the line across the whole cloud of points.
        slope_scale = float(self.y.std() / self.x.std()) or 1.0
        b_half = 2.0 * float(self.y.std()) + 1.5 * slope_scale * abs(
            float(self.x.mean())
        )
        self.m_slider = _slider("m (slope)", start_m, best_m, 2.0 * slope_scale)
        self.b_slider = _slider("b (intercept)", start_b, best_b, b_half or 1.0)
        self.show_best = widgets.ToggleButton(
            value=False,
            description="Show the best fit (dashed)",
            icon="eye",
            layout=widgets.Layout(width="auto"),
        )
        self.mse_label = widgets.HTML(layout=widgets.Layout(margin="0 0 0 1em"))

    def _draw_static(self):
        with style(classroom=self.classroom):
            ax = self.figure.add_subplot()
            self.ax = ax
            drawn = plot_fit(
                ax, self.x, self.y, *self.line, line_label="your line ŷ = m·x + b"
            )
            self.your_line, self.residual_lines = drawn.line, drawn.residuals
            (self.best_line,) = ax.plot(
                [],
                [],
                linestyle="--",
                color=COLORS["minimum"],
                label="_best fit",
                visible=False,
            )
            ax.set_ylim(padded_limits(self.y, 0.3))
            legend = ax.legend(loc="upper left", framealpha=0.9)
            # The legend is redrawn last, so the moving line never covers it.
            self.animate(
                self.your_line, self.residual_lines, self.best_line, ax.title, legend
            )

    # -- frames ------------------------------------------------------------

    def update_frame(self):
        m, b = self.line
        x_ends = np.array(self.ax.get_xlim())
        self.your_line.set_data(x_ends, predict(x_ends, m, b))
        y_hat = predict(self.x, m, b)
        self.residual_lines.set_segments(
            [[(xi, fi), (xi, yi)] for xi, fi, yi in zip(self.x, y_hat, self.y)]
        )
        self.best_line.set_data(x_ends, predict(x_ends, *self.best))
        self.best_line.set_visible(bool(self.show_best.value))
        self.ax.title.set_text(
            f"MSE of your line = {self.mse:.3f}   (best {self.best_mse:.3f})"
        )
        self._update_label()

    def _update_label(self):
        current = self.mse
        ratio = current / self.best_mse if self.best_mse > 0 else math.inf
        if current <= self.best_mse * _CLOSE + 1e-12:
            verdict = "🎯 within 5 % of the best fit!"
        else:
            verdict = (
                f"yours is {ratio:.2f} × the best"
                if math.isfinite(ratio)
                else "the best fit is exact"
            )
        self.mse_label.value = (
            f"<span style='font-size: 1.15em'>MSE = <b>{current:.3f}</b> · "
            f"best possible {self.best_mse:.3f} · {verdict}</span>"
        )


def _slider(description, value, centre, half_width) -> _controls.FloatSlider:
    """A slider of :func:`slider_range` around ``centre`` that also takes in ``value``."""
    low, high, step = slider_range(centre, half_width)
    # A starting line the caller chose outside the usual range widens it:
    # shown as asked, never quietly moved to the nearest end.
    return _controls.FloatSlider(
        value=value,
        min=min(low, value),
        max=max(high, value),
        step=step,
        description=description,
        readout_format=".2f",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="48%"),
    )
