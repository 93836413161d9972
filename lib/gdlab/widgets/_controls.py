"""Sliders that refuse what they cannot show, instead of quietly clamping it.

ipywidgets' sliders clamp a value outside their range to the nearest end and
keep NaN as it is: ``slider.value = -0.1`` on a learning-rate slider would
silently become its smallest rate, and the figure would show a run nobody
asked for.  The sliders here raise a ``ValueError`` that names the control
(its description) and its range when Python sets such a value, and leave the
slider as it was, so the widget keeps working.  A value sent by the browser
(Play's last tick may overshoot ``max``) is still clamped, as that is the
browser's own rounding, not a request.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
from traitlets import validate

from ._base import changed_in_browser

__all__ = [
    "FloatLogSlider",
    "FloatSlider",
    "IntSlider",
    "learning_rate_slider",
    "log_rate_range",
]


def log_rate_range(reference: float, rates) -> tuple[float, float]:
    """Exponents (base 10) from 3 decades below ``reference`` to 0.6 above it.

    The range is widened to take in every one of ``rates`` and its ends are
    rounded outwards to a grid of 0.01, so 0.01, 0.1, … stay on the slider's grid.

    >>> log_rate_range(0.1, [0.5])
    (-4.0, -0.3)
    >>> log_rate_range(0.1, [100.0])
    (-4.0, 2.0)
    """
    logs = [math.log10(rate) for rate in rates]
    log_ref = math.log10(reference)
    low = math.floor(min(log_ref - 3, *logs) * 100) / 100
    high = math.ceil(max(log_ref + 0.6, *logs) * 100) / 100
    return low, high


class _Refusing:
    """Mixin: check ``value`` against the range before the slider's own clamping."""

    def _bounds(self) -> tuple[float, float]:
        return self.min, self.max

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if not changed_in_browser(self):
            low, high = self._bounds()
            if not (math.isfinite(value) and low <= value <= high):
                name = self.description or type(self).__name__
                raise ValueError(
                    f"{name} must be a finite number from {low:.4g} to {high:.4g}; "
                    f"got {value!r} (the slider keeps {self.value:.4g})"
                )
        return min(max(value, self._bounds()[0]), self._bounds()[1])


class FloatSlider(_Refusing, widgets.FloatSlider):
    """``ipywidgets.FloatSlider`` that refuses out-of-range and non-finite values.

    Examples
    --------
    >>> s = FloatSlider(value=0.5, min=0.0, max=1.0, description="m")
    >>> s.value = 2.0
    Traceback (most recent call last):
        ...
    ValueError: m must be a finite number from 0 to 1; got 2.0 (the slider keeps 0.5)
    >>> s.value
    0.5
    """


class FloatLogSlider(_Refusing, widgets.FloatLogSlider):
    """``ipywidgets.FloatLogSlider`` that refuses out-of-range and non-finite values."""

    def _bounds(self) -> tuple[float, float]:
        return self.base**self.min, self.base**self.max


class IntSlider(_Refusing, widgets.IntSlider):
    """``ipywidgets.IntSlider`` that refuses out-of-range values."""


def learning_rate_slider(value, low, high, **extra) -> FloatLogSlider:
    """The learning rate η on a log scale, 10**low to 10**high in steps of 0.01.

    >>> slider = learning_rate_slider(0.1, *log_rate_range(0.1, [0.1]))
    >>> slider.description, slider.min, slider.max
    ('learning rate η', -4.0, -0.4)
    """
    return FloatLogSlider(
        value=value,
        base=10,
        min=low,
        max=high,
        step=0.01,
        description="learning rate η",
        readout_format=".3g",
        **extra,
    )
