"""The widgets' sliders and buttons, and the checks of an explorer's settings.

ipywidgets' sliders clamp a value outside their range to the nearest end and
keep NaN: ``slider.value = -0.1`` on a learning-rate slider would silently
show a run at its smallest rate.  The sliders here refuse such a value set
from Python with a ``ValueError`` naming the control and its range, and keep
their value.  One sent by the browser (Play's last tick may overshoot
``max``) is still clamped: that is the browser's own rounding, not a request.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets
from traitlets import validate

from .._validate import as_parameter_vector
from ..least_squares import LinearMSE
from ..surfaces import Surface
from ._base import changed_in_browser

__all__ = [
    "FloatLogSlider",
    "FloatSlider",
    "GridSlider",
    "IntSlider",
    "as_feature",
    "as_start",
    "as_surface",
    "browser_rounding",
    "button",
    "learning_rate_slider",
    "log_rate_range",
    "reference_rate",
    "row",
    "start_grid",
    "warning_boxes",
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
        value, (low, high) = proposal["value"], self._bounds()
        refused = not (math.isfinite(value) and low <= value <= high)
        if refused and not changed_in_browser(self):
            name = self.description or type(self).__name__
            raise ValueError(
                f"{name} must be a finite number from {low:.4g} to {high:.4g}; "
                f"got {value!r} (the slider keeps {self.value:.4g})"
            )
        return min(max(value, low), high)


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


class GridSlider(FloatSlider):
    """A :class:`FloatSlider` whose value is always on its grid ``min + k·step``.

    The browser puts a slider's value on that grid and sends it back; a value
    the kernel set between two grid points would come back changed, as if the
    learner had moved it.  On the grid from the start, it comes back equal.

    Examples
    --------
    >>> s = GridSlider(value=0.3, min=0.0, max=1.0, step=0.25, description="m")
    >>> s.value
    0.25
    >>> s.value = 0.9
    >>> s.value
    1.0
    """

    @validate("value")
    def _validate_value(self, proposal):
        value = super()._validate_value(proposal)
        if self.step > 0:
            k = round((value - self.min) / self.step)
            value = min(max(self.min + k * self.step, self.min), self.max)
        return value


class FloatLogSlider(_Refusing, widgets.FloatLogSlider):
    """``ipywidgets.FloatLogSlider`` that refuses out-of-range and non-finite values."""

    def _bounds(self) -> tuple[float, float]:
        return self.base**self.min, self.base**self.max


class IntSlider(_Refusing, widgets.IntSlider):
    """``ipywidgets.IntSlider`` that refuses out-of-range values."""


def learning_rate_slider(value, low, high) -> FloatLogSlider:
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
    )


def reference_rate(surface) -> float:
    """The learning rate a slider's range is built around.

    The exact critical rate where there is one; elsewhere the smallest local
    one at a minimum (:meth:`gdlab.Surface.critical_rate_at_minima`, the
    steepest valley a run can end in); 1 if neither.

    >>> import gdlab
    >>> reference_rate(gdlab.Parabola(4.0))
    0.5
    """
    exact = surface.critical_rate().value if surface.quadratic else None
    if exact is not None:
        return exact
    local = surface.critical_rate_at_minima()
    return 1.0 if local is None else local


def start_grid(low: float, high: float) -> dict:
    """``min``, ``max`` and ``step`` of a start slider spanning [low, high].

    The browser snaps a slider to ``min + k·step`` and may send that back; the
    grid must be fine enough that this never shows in the readout or the status
    line's four digits (ten million steps across), and exact: a power-of-two step
    and ends on whole multiples of it, so that 0 (a saddle's axis, a start at
    the origin) is exactly 0 in the browser too, not −2.2e-16.

    >>> grid = start_grid(-1.0, 1.0)
    >>> grid["min"] == -1.0 and grid["step"] == 2.0**-23
    True
    """
    step = 2.0 ** math.floor(math.log2((high - low) * 1e-7))
    return {
        "min": math.floor(low / step) * step,
        "max": math.ceil(high / step) * step,
        "step": step,
    }


def row(children) -> widgets.HBox:
    """A row of controls that wraps where the notebook is narrower (a sidebar open)."""
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))


def button(description: str, tooltip: str, width: str = "auto") -> widgets.Button:
    """A button with its own Layout (a shared one would resize them all together)."""
    return widgets.Button(
        description=description, tooltip=tooltip, layout=widgets.Layout(width=width)
    )


def as_feature(feature) -> str:
    """The input's name on the data panel, or a TypeError."""
    if not isinstance(feature, str) or not feature.strip():
        raise TypeError(f"feature must be a non-empty name, e.g. 'z'; got {feature!r}")
    return feature


def as_start(start, window) -> tuple:
    """θ at step 0 as two floats inside ``window``, or an error naming ``start``.

    >>> as_start((1, 2), ((0, 5), (0, 5)))
    (1.0, 2.0)
    """
    start = tuple(float(v) for v in as_parameter_vector(start, "start", size=2))
    for value, (low, high), name in zip(start, window, ("start[0]", "start[1]")):
        if not low <= value <= high:
            raise ValueError(
                f"{name} must lie in the window [{low:.4g}, {high:.4g}]; got {value}"
            )
    return start


def as_surface(x, y, surface) -> Surface:
    """The surface an explorer walks: ``surface``, or a line's MSE of ``x, y``."""
    if surface is not None:
        if x is not None or y is not None:
            raise ValueError("pass either x and y, or surface, not both")
        if not isinstance(surface, Surface) or surface.n_parameters != 2:
            raise TypeError(
                "surface must be a two-parameter gdlab Surface (LinearMSE, Saddle, TwoValleys, …); "
                f"got {type(surface).__name__}"
            )
        try:
            surface.window()
        except NotImplementedError:
            raise TypeError(
                f"surface must define window(), the range to draw; {type(surface).__name__} does not"
            ) from None
        return surface
    if x is None or y is None:
        raise TypeError(
            "DescentExplorer needs x and y (the observations), or surface=..."
        )
    return LinearMSE(x, y)


def warning_boxes(texts, classroom: bool) -> str:
    """HTML for warnings above an explorer's picture: one yellow box each.

    >>> warning_boxes(["η is large"], classroom=False).count("⚠")
    1
    """
    size = "16px" if classroom else "1em"
    pad = "0 8px" if classroom else "2px 8px"
    return "".join(
        f"<div style='font-size:{size}; line-height:1.25; font-weight:bold; color:#000; "
        f"background:#F0E442; padding:{pad}; border-left:6px solid #D55E00'>"
        f"⚠ {html.escape(text)}</div>"
        for text in texts
    )


def browser_rounding(change) -> bool:
    """Whether a slider's new value is its old one after the browser's float32 round trip.

    Not a new setting: a new run would cost a scene, and a mini-batch run
    (shown in full when new) would leave the step the cell set.
    """
    widget, old, new = change["owner"], change["old"], change["new"]
    if not changed_in_browser(widget) or not isinstance(new, float):
        return False
    if not (math.isfinite(old) and math.isfinite(new)):
        return False
    # A real move is at least one step of the slider (a hundredth of a decade
    # on the log scale of η); float32's rounding of a value within the
    # slider's range is below a ten-thousandth of one.
    tolerance = 1e-3 * getattr(widget, "step", 0.0)
    if hasattr(widget, "base"):
        return old > 0 and new > 0 and abs(math.log10(new / old)) <= tolerance
    return abs(new - old) <= tolerance
