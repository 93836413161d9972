"""Surfaces given by a formula, not by data: a parabola, a saddle, two valleys.

:class:`Parabola` is the 1-D bowl of lesson 06; :class:`Saddle` and
:class:`TwoValleys` are the non-convex surfaces of lesson 08, where a point
with zero gradient need not be a minimum and where a run ends depends on
where it starts.  Each follows the :class:`~gdlab.surfaces.Surface`
protocol and says what it knows: its critical points, classified, its
critical rate, whether it is quadratic or convex, and a window to draw.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_finite_number, as_positive_number
from .surfaces import Surface

__all__ = ["Parabola", "Saddle", "TwoValleys"]


class Parabola(Surface):
    """The 1-D bowl ``L(θ) = (curvature/2)·θ²`` of lesson 06.

    Its second derivative is ``curvature``, so gradient descent is stable
    exactly when ``learning_rate < 2/curvature``.

    Examples
    --------
    >>> Parabola(4.0).gradient([1.5])
    array([6.])
    """

    parameter_names = ("θ",)
    quadratic = True
    convex = True

    def __init__(self, curvature: float = 1.0):
        self.curvature = as_positive_number(curvature, "curvature")

    def _loss(self, params):
        return 0.5 * self.curvature * params[..., 0] ** 2

    def _gradient(self, params):
        return self.curvature * params

    def hessian(self, theta=None):
        return np.array([[self.curvature]])

    def window(self):
        return ((-2.0, 2.0),)

    def critical_points(self):
        return [self._critical([0.0])]

    def __repr__(self) -> str:
        return f"Parabola(curvature={self.curvature:g})"


class Saddle(Surface):
    """``L(θ₁, θ₂) = (a·θ₁² − c·θ₂²)/2``: up along θ₁, down along θ₂.

    The origin is a saddle point: the gradient is zero there, but it is not
    a minimum.  A start exactly on the θ₁ axis (θ₂ = 0) with η below
    2/curvature_up slides into the saddle and stalls (above it, it overshoots
    further along θ₁ at every step); any other start escapes along θ₂, for
    every η.

    Examples
    --------
    >>> surface = Saddle()
    >>> surface.gradient([1.0, 0.5]), surface.critical_points()[0].kind
    (array([ 1. , -0.5]), 'saddle')
    """

    quadratic = True

    def __init__(self, curvature_up: float = 1.0, curvature_down: float = 1.0):
        self.curvature_up = as_positive_number(curvature_up, "curvature_up")
        self.curvature_down = as_positive_number(curvature_down, "curvature_down")

    def _loss(self, params):
        t1, t2 = params[..., 0], params[..., 1]
        return 0.5 * (self.curvature_up * t1 * t1 - self.curvature_down * t2 * t2)

    def _gradient(self, params):
        return params * np.array([self.curvature_up, -self.curvature_down])

    def hessian(self, theta=None):
        return np.diag([self.curvature_up, -self.curvature_down])

    def window(self):
        return ((-2.0, 2.0), (-2.0, 2.0))

    def critical_points(self):
        return [self._critical([0.0, 0.0])]

    def __repr__(self) -> str:
        return f"Saddle(curvature_up={self.curvature_up:g}, curvature_down={self.curvature_down:g})"


class TwoValleys(Surface):
    """``L(θ₁, θ₂) = (θ₁² − 1)² + tilt·θ₁ + θ₂²/2``: two valleys and a pass.

    With ``tilt > 0`` the valley at θ₁ < 0 is deeper (the global minimum) and
    the one at θ₁ > 0 is a local minimum; between them is a saddle.  Where
    gradient descent ends depends on where it starts.

    Examples
    --------
    >>> kinds = [p.kind for p in TwoValleys().critical_points()]
    >>> kinds
    ['minimum', 'saddle', 'minimum']
    """

    def __init__(self, tilt: float = 0.3):
        self.tilt = as_finite_number(tilt, "tilt")
        if abs(self.tilt) >= 8 / (3 * np.sqrt(3)):
            raise ValueError(
                "tilt must be smaller than 8/(3√3) ≈ 1.54 in size, or one valley vanishes; "
                f"got {self.tilt}"
            )

    def _loss(self, params):
        t1, t2 = params[..., 0], params[..., 1]
        return (t1 * t1 - 1.0) ** 2 + self.tilt * t1 + 0.5 * t2 * t2

    def _gradient(self, params):
        t1, t2 = params[..., 0], params[..., 1]
        return np.stack([4.0 * t1 * (t1 * t1 - 1.0) + self.tilt, t2], axis=-1)

    def hessian(self, theta):
        t1 = float(self._as_params(theta)[0])
        return np.array([[12.0 * t1 * t1 - 4.0, 0.0], [0.0, 1.0]])

    def window(self):
        return ((-2.0, 2.0), (-1.5, 1.5))

    def critical_points(self):
        # 4θ₁³ − 4θ₁ + tilt = 0 has three real roots while |tilt| < 8/(3√3).
        roots = np.sort(np.roots([4.0, 0.0, -4.0, self.tilt]).real)
        return [self._critical([root, 0.0]) for root in roots]

    def __repr__(self) -> str:
        return f"TwoValleys(tilt={self.tilt:g})"
