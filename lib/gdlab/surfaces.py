"""Loss surfaces: a loss and its gradient over a parameter vector θ.

A *surface* is anything gradient descent can walk on.  It has

* ``loss(theta)``: the loss at ``theta``, an array whose last axis holds the
  parameters; leading axes broadcast, so a whole grid is evaluated at once;
* ``gradient(theta)``: the gradient, same shape as ``theta``;
* ``hessian(theta)``: the matrix of second derivatives, shape (p, p);
* ``parameter_names``, ``window()`` (a sensible plotting range) and
  ``critical_points()`` (the points where the gradient is zero, classified).

:class:`LinearMSE` is the MSE of a line over θ = (m, b): a convex bowl.
:class:`Parabola` is the 1-D bowl of lesson 06, and :class:`Saddle` and
:class:`TwoValleys` are the non-convex surfaces of lesson 08.  All of them
silence floating-point overflow: a diverging path gets ``inf``, not a
``RuntimeWarning``, and the descent engine reports it as an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_data_vector,
    as_finite_number,
    as_paired_vectors,
    as_positive_number,
)

__all__ = [
    "Surface",
    "LinearMSE",
    "Parabola",
    "Saddle",
    "TwoValleys",
    "CriticalPoint",
    "classify_critical_point",
    "loss_surface",
]


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient is zero, and what kind it is.

    ``kind`` is ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"``
    (a zero eigenvalue: the Hessian alone cannot tell).
    """

    point: tuple[float, ...]
    kind: str
    loss: float


def classify_critical_point(hessian, tolerance: float = 1e-12) -> str:
    """Classify a critical point by the signs of its Hessian's eigenvalues.

    All positive: a minimum; all negative: a maximum; both signs: a saddle;
    a zero eigenvalue: degenerate (higher derivatives decide).

    Examples
    --------
    >>> classify_critical_point([[2.0, 0.0], [0.0, 1.0]])
    'minimum'
    >>> classify_critical_point([[1.0, 0.0], [0.0, -1.0]])
    'saddle'
    """
    matrix = np.asarray(hessian, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"hessian must be a square matrix; got shape {matrix.shape}")
    if not np.isfinite(matrix).all():
        raise ValueError("hessian must contain only finite numbers")
    eigenvalues = np.linalg.eigvalsh((matrix + matrix.T) / 2)
    scale = max(float(np.abs(eigenvalues).max()), 1e-300)
    if np.any(np.abs(eigenvalues) <= tolerance * scale):
        return "degenerate"
    if np.all(eigenvalues > 0):
        return "minimum"
    if np.all(eigenvalues < 0):
        return "maximum"
    return "saddle"


class Surface:
    """Base class for a differentiable loss over a parameter vector.

    Subclasses implement ``_loss`` and ``_gradient`` on arrays whose last
    axis holds the parameters; this class checks shapes and silences
    overflow so callers never see a ``RuntimeWarning``.
    """

    parameter_names: tuple[str, ...] = ("θ₁", "θ₂")

    @property
    def n_parameters(self) -> int:
        return len(self.parameter_names)

    def _as_params(self, theta) -> np.ndarray:
        params = np.asarray(theta, dtype=float)
        if params.ndim == 0 or params.shape[-1] != self.n_parameters:
            raise ValueError(
                f"theta must have {self.n_parameters} parameters "
                f"({', '.join(self.parameter_names)}) on its last axis; "
                f"got shape {params.shape}"
            )
        return params

    def loss(self, theta):
        """The loss at ``theta`` (last axis = parameters); a float for one point."""
        params = self._as_params(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            value = self._loss(params)
        return float(value) if np.ndim(value) == 0 else value

    def gradient(self, theta) -> np.ndarray:
        """The gradient at ``theta``, same shape as ``theta``."""
        params = self._as_params(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._gradient(params)

    def hessian(self, theta) -> np.ndarray:
        """The Hessian at one point ``theta``, shape (p, p).

        The base class differentiates the gradient numerically (central
        differences); quadratic surfaces override it with the exact matrix.
        """
        params = self._as_params(theta)
        step = 1e-5 * np.maximum(1.0, np.abs(params))
        columns = []
        for i in range(self.n_parameters):
            delta = np.zeros_like(params)
            delta[i] = step[i]
            columns.append(
                (self.gradient(params + delta) - self.gradient(params - delta))
                / (2 * step[i])
            )
        matrix = np.array(columns).T
        return (matrix + matrix.T) / 2

    def grid(self, first_values, second_values) -> np.ndarray:
        """The loss on a grid, shape ``(len(second_values), len(first_values))``.

        That is the layout ``matplotlib``'s ``contour(M, B, Z)`` expects, with
        ``M, B = np.meshgrid(first_values, second_values)``.
        """
        if self.n_parameters != 2:
            raise ValueError("grid() needs a surface with exactly two parameters")
        first_name, second_name = (f"{name}_values" for name in self.parameter_names)
        first = as_data_vector(first_values, first_name)
        second = as_data_vector(second_values, second_name)
        points = np.stack(np.meshgrid(first, second), axis=-1)
        return self.loss(points)

    def window(self) -> tuple[tuple[float, float], ...]:
        """A plotting range per parameter that shows the interesting part."""
        raise NotImplementedError

    def critical_points(self) -> list[CriticalPoint]:
        """The points where the gradient is zero, with their kinds."""
        raise NotImplementedError

    def _critical(self, point) -> CriticalPoint:
        point = np.asarray(point, dtype=float)
        return CriticalPoint(
            tuple(float(p) for p in point),
            classify_critical_point(self.hessian(point)),
            float(self.loss(point)),
        )


class LinearMSE(Surface):
    """The MSE of the line ŷ = m·x + b over θ = (m, b).

    The MSE of a line is a quadratic in (m, b), fixed by a few statistics of
    the data, so evaluating it costs O(1) per point after one O(n) pass, not
    O(n).  It is stored in the numerically stable form::

        L(m, b) = L_min + q_uu·dm² + 2·q_u·dm·dc + dc²

    with ``u = x − x̄``, ``dm = m − m*`` and ``dc`` the intercept's offset from
    the best fit measured at x̄.  Expanding the square instead
    (``mean y² − 2m·mean xy + …``) subtracts numbers of size ȳ² and loses every
    digit near the minimum when y sits far from zero.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The observations.

    Examples
    --------
    >>> surface = LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    >>> surface.loss([2.0, 1.0]), surface.loss([0.0, 0.0])
    (0.0, 11.666666666666666)
    >>> surface.gradient([0.0, 0.0])
    array([-8.66666667, -6.        ])
    """

    parameter_names = ("m", "b")

    def __init__(self, x, y):
        x_arr, y_arr = as_paired_vectors(x, y)
        self.x = x_arr
        self.y = y_arr
        self.n = x_arr.size
        # Anchor at the means, then fit in the anchored coordinates, where
        # every number is of the size of the data's spread, not its offset.
        x0 = x_arr.mean()
        y0 = y_arr.mean()
        u = x_arr - x0
        v = y_arr - y0
        u_mean = u.mean()
        v_mean = v.mean()
        spread = np.dot(u - u_mean, u - u_mean)
        if spread > 0:
            slope = np.dot(u - u_mean, v - v_mean) / spread
        else:  # all x equal: a valley of minima; any point on its floor will do
            slope = 0.0
        offset = v_mean - slope * u_mean
        errors = v - slope * u - offset
        self._x0, self._y0 = float(x0), float(y0)
        self._q_u = float(u_mean)
        self._q_uu = float(np.mean(u * u))
        self._slope = float(slope)
        self._offset = float(offset)
        self.minimum_loss = float(np.mean(errors * errors))

    def _deltas(self, params):
        m = params[..., 0]
        b = params[..., 1]
        dm = m - self._slope
        dc = (b - self._y0) + m * self._x0 - self._offset
        return dm, dc

    def _loss(self, params):
        dm, dc = self._deltas(params)
        return (
            self.minimum_loss
            + self._q_uu * dm * dm
            + 2.0 * self._q_u * dm * dc
            + dc * dc
        )

    def _gradient(self, params):
        dm, dc = self._deltas(params)
        d_dc = 2.0 * (self._q_u * dm + dc)
        d_dm = 2.0 * (self._q_uu * dm + self._q_u * dc) + d_dc * self._x0
        return np.stack([d_dm, d_dc], axis=-1)

    def hessian(self, theta=None) -> np.ndarray:
        """``2·[[mean x², mean x], [mean x, 1]]``, the same at every θ."""
        mean_x = self._x0 + self._q_u
        mean_x2 = self._q_uu + 2 * self._x0 * self._q_u + self._x0 * self._x0
        return 2.0 * np.array([[mean_x2, mean_x], [mean_x, 1.0]])

    @property
    def minimum(self) -> tuple[float, float]:
        """A minimising (m, b); the best fit when x has two distinct values."""
        return (self._slope, self._y0 + self._offset - self._slope * self._x0)

    def critical_learning_rate(self) -> float:
        """``2 / λ_max`` of the Hessian: the stability bound for the step size."""
        return 2.0 / float(np.linalg.eigvalsh(self.hessian())[-1])

    def window(self, margin: float = 1.0):
        """A range around the best fit sized by the data.

        The slope range is the best slope ± ``margin``·(|best slope| + spread
        of y / spread of x); the intercept range is sized the same way, so the
        window fits any data set, not one in particular.
        """
        m_star, b_star = self.minimum
        x_spread = max(np.sqrt(self._q_uu), 1e-12 * (abs(self._x0) + 1.0))
        y_spread = max(float(np.std(self.y)), np.sqrt(self.minimum_loss), 1e-12)
        half_m = margin * (abs(m_star) + y_spread / x_spread)
        half_b = margin * (abs(b_star) + y_spread + half_m * abs(self._x0))
        return ((m_star - half_m, m_star + half_m), (b_star - half_b, b_star + half_b))

    def critical_points(self):
        return [self._critical(self.minimum)]

    def __repr__(self) -> str:
        return f"LinearMSE(n={self.n})"


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

    def critical_learning_rate(self) -> float:
        return 2.0 / self.curvature

    def __repr__(self) -> str:
        return f"Parabola(curvature={self.curvature:g})"


class Saddle(Surface):
    """``L(θ₁, θ₂) = (a·θ₁² − c·θ₂²)/2``: up along θ₁, down along θ₂.

    The origin is a saddle point: the gradient is zero there, but it is not
    a minimum.  A start exactly on the θ₁ axis (θ₂ = 0) slides into the
    saddle and stalls; any other start escapes along θ₂.

    Examples
    --------
    >>> surface = Saddle()
    >>> surface.gradient([1.0, 0.5]), surface.critical_points()[0].kind
    (array([ 1. , -0.5]), 'saddle')
    """

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


def loss_surface(x, y, m_values, b_values) -> np.ndarray:
    """The MSE of the line ŷ = m·x + b at every (m, b) of a grid.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The observations.
    m_values, b_values : array_like, 1-D
        Slopes and intercepts.

    Returns
    -------
    numpy.ndarray of shape (len(b_values), len(m_values))
        ``Z[j, i]`` is the MSE at ``(m_values[i], b_values[j])``, the layout
        ``contour(M, B, Z)`` expects with ``M, B = np.meshgrid(m_values, b_values)``.
        The cost is one pass over the data plus O(1) per grid point.

    Examples
    --------
    >>> loss_surface([0.0, 1.0], [1.0, 3.0], m_values=[0.0, 2.0], b_values=[1.0])
    array([[2., 0.]])
    """
    return LinearMSE(x, y).grid(m_values, b_values)
