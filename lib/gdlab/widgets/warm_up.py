"""A tiny widget that proves sliders work in this notebook (lesson 00).

If :class:`SlopeSlider` moves when dragged, widgets work; if the notebook
shows its text instead of a slider, the widget manager is missing.
"""

from __future__ import annotations

import numpy as np

from .._classroom import resolve
from .._validate import as_finite_number
from ..model import predict
from ..plots import COLORS
from . import _controls
from ._base import LiveFigure

__all__ = ["SlopeSlider"]


class SlopeSlider(LiveFigure):
    """One slider for the slope ``m`` of the line ŷ = m·x, drawn live.

    Introduced in lesson 00 as a check that widgets work.

    Parameters
    ----------
    m : float
        The starting slope, between -3 and 3.
    classroom : bool, optional
        Larger text and controls for a projector; default the kernel's
        classroom mode (``gdlab.classroom()``).

    Examples
    --------
    >>> demo = SlopeSlider(m=1.0)
    >>> demo.slider.value = -2.0
    >>> demo.line.get_ydata().tolist()
    [4.0, -4.0]
    """

    text_plain = (
        "[A slider and a small plot belong here. If you are reading this text in "
        "JupyterLab, widgets are not running: see 'If the slider shows as text' below.]"
    )

    def __init__(self, m: float = 1.0, *, classroom: bool | None = None):
        m = as_finite_number(m, "m")
        if not -3.0 <= m <= 3.0:
            raise ValueError(f"m must be between -3 and 3; got {m}")
        classroom = resolve(classroom)
        super().__init__(
            figsize=(5.6, 4.0) if classroom else (4.2, 3.0), classroom=classroom
        )
        self.show_at_own_size()
        with self.styled():
            self.ax = self.figure.add_subplot()
            self.ax.set(xlim=(-2, 2), ylim=(-6, 6), xlabel="x", ylabel="ŷ = m·x")
            self.ax.axhline(0, color="grey", linewidth=0.8)
            self.ax.axvline(0, color="grey", linewidth=0.8)
            (self.line,) = self.ax.plot([], [], color=COLORS["line"], linewidth=3)
        self.animate(self.line, self.ax.title)
        self.slider = _controls.FloatSlider(
            value=m,
            min=-3.0,
            max=3.0,
            step=0.1,
            description="m",
            readout_format=".1f",
        )
        self.slider.observe(self.request_render, "value")
        self.present(self.slider, self.image)
        self.render()

    def update_frame(self):
        ends = np.array([-2.0, 2.0])
        self.line.set_data(ends, predict(ends, float(self.slider.value), 0.0))
        self.ax.title.set_text(f"m = {self.slider.value:.1f}")
