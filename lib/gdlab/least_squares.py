"""Least-squares surfaces: the MSE of a model over its parameters, fixed by data.

:class:`LinearMSE` is the MSE of a line ŷ = m·x + b over θ = (m, b)
(lessons 03–06); :class:`FeatureMSE` the MSE of any model linear in its
weights, ŷ = X·θ (lessons 06, 07, 09).  Both are quadratic and convex: a
bowl, whose Hessian, minimum and critical rate are known exactly.  They
follow the :class:`~gdlab.surfaces.Surface` protocol, and
:func:`loss_surface` evaluates a line's MSE on a whole grid of (m, b).
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import as_data_vector, as_paired_vectors, as_positive_number
from .features import as_design
from .surfaces import CriticalPoint, Surface, _inverse_size

__all__ = ["FeatureMSE", "LinearMSE", "loss_surface"]


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
    quadratic = True
    convex = True
    fits_a_line = True

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
        if not spread > 1e-28 * float(np.dot(x_arr, x_arr)):
            raise ValueError(
                "x must contain at least two distinct values to fit a line: when every x "
                f"is the same the slope is undetermined; its {x_arr.size} values are all "
                "equal (to within rounding). Collect inputs that differ."
            )
        slope = np.dot(u - u_mean, v - v_mean) / spread
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

    def gap(self, theta):
        """``L(θ) − L*``, from the offsets to the best fit (never ``L − L*`` subtracted)."""
        dm, dc = self._deltas(self._as_params(theta))
        with np.errstate(all="ignore"):
            value = self._q_uu * dm * dm + 2.0 * self._q_u * dm * dc + dc * dc
        value = np.where(np.isnan(value), np.inf, value)
        return float(value) if np.ndim(value) == 0 else value

    def evaluate(self, theta):
        dm, dc = self._deltas(theta)
        gap = self._q_uu * dm * dm + 2.0 * self._q_u * dm * dc + dc * dc
        d_dc = 2.0 * (self._q_u * dm + dc)
        d_dm = 2.0 * (self._q_uu * dm + self._q_u * dc) + d_dc * self._x0
        gap = np.inf if math.isnan(gap) else float(gap)  # nan (inf − inf) counts as far
        return self.minimum_loss + gap, np.array([d_dm, d_dc]), gap

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
        """The best fit (m, b): the slope and intercept of least MSE."""
        return (
            float(self._slope),
            float(self._y0 + self._offset - self._slope * self._x0),
        )

    def window(self, margin: float = 1.0):
        """A range around the best fit that follows the data: a box around a level set.

        The box is the smallest one holding every (m, b) whose loss is at most
        ``ℓ`` above the lowest, ``L − L* = ½ dᵀHd ≤ ℓ``: half-widths
        ``√(2ℓ·(H⁻¹)_ii)``.  The level ``ℓ`` is 1.5·``margin`` times the largest
        gap of a clearly wrong line drawn across the data: slope off the best
        fit's by up to ``|m*| + ¼·(range of y)/(range of x)`` (flat, or tilted
        the wrong way by a quarter of the data's rise over their run), height
        at x̄ off by up to 9/8 of the range of y.  So every such line is in
        view with the minimum, a round bowl (H ∝ I, lesson 06) gets a square
        window, and the window moves and stretches with the data: shifting y
        shifts it, scaling x or y scales it.

        Examples
        --------
        >>> [[round(v, 3) for v in r] for r in LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]).window()]
        [[-5.412, 9.412], [-8.569, 10.569]]
        """
        margin = as_positive_number(margin, "margin")
        m_star, b_star = self.minimum
        var_x = self._q_uu - self._q_u * self._q_u
        mean_x = self._x0 + self._q_u
        y_range = float(np.ptp(self.y)) or (abs(self._y0) or 1.0)
        # How far off such a wrong line is: in slope, and (below) in height at x̄.
        slope_off = abs(m_star) + 0.25 * y_range / float(np.ptp(self.x))
        level = 1.5 * margin * (slope_off**2 * var_x + (1.125 * y_range) ** 2)
        half_m = math.sqrt(level / var_x)
        half_b = math.sqrt(level * (var_x + mean_x * mean_x) / var_x)
        return (
            (float(m_star - half_m), float(m_star + half_m)),
            (float(b_star - half_b), float(b_star + half_b)),
        )

    def _range_projection(self) -> np.ndarray:
        # Positive definite (two distinct x), however small λ_min looks in float64.
        return np.eye(2)

    def critical_points(self):
        # With two distinct x the Hessian is positive definite, however long
        # the valley: a minimum, even when rounding could not tell it from flat.
        return [CriticalPoint(self.minimum, "minimum", self.minimum_loss)]

    def __repr__(self) -> str:
        return f"LinearMSE(n={self.n})"


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class FeatureMSE(Surface):
    """The MSE of ŷ = X·θ over the weights θ, for any number of weights.

    Parameters
    ----------
    X : array_like of shape (n, p)
        The design matrix, e.g. ``gdlab.design_matrix(x, degree)``.
    y : array_like of shape (n,)
        The observed outputs.
    parameter_names : sequence of str, optional
        One name per column; default ``w₀, w₁, …``.

    Examples
    --------
    >>> X = [[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]          # columns [1, x]
    >>> surface = FeatureMSE(X, [1.0, 3.0, 5.0])           # y = 1 + 2x exactly
    >>> surface.loss([1.0, 2.0]), surface.loss([0.0, 0.0])
    (0.0, 11.666666666666666)
    >>> surface.gradient([0.0, 0.0])
    array([-6.        , -8.66666667])
    >>> [round(float(w), 6) for w in surface.minimum]
    [1.0, 2.0]
    """

    quadratic = True
    convex = True

    def __init__(self, X, y, parameter_names=None):
        matrix = as_design(X)
        targets = as_data_vector(y, "y")
        if targets.size != matrix.shape[0]:
            raise ValueError(
                f"X and y must have the same number of rows; got {matrix.shape[0]} and {targets.size}"
            )
        self.X = matrix
        self.y = targets
        self.n = matrix.shape[0]
        p = matrix.shape[1]
        if parameter_names is None:
            names = tuple(f"w{str(j).translate(_SUBSCRIPTS)}" for j in range(p))
        else:
            names = tuple(str(name) for name in parameter_names)
            if len(names) != p:
                raise ValueError(
                    f"parameter_names must have one name per column of X ({p}); got {len(names)}"
                )
        self.parameter_names = names
        self._hessian = (2.0 / self.n) * (matrix.T @ matrix)
        solution, _, _, _ = np.linalg.lstsq(matrix, targets, rcond=None)
        self._minimum = solution
        residuals = matrix @ solution - targets
        self.minimum_loss = float(np.mean(residuals * residuals))

    def _loss(self, params):
        residuals = params @ self.X.T - self.y
        return np.mean(residuals * residuals, axis=-1)

    def _gradient(self, params):
        residuals = params @ self.X.T - self.y
        return (2.0 / self.n) * (residuals @ self.X)

    def hessian(self, theta=None) -> np.ndarray:
        """``(2/n)·XᵀX``, the same at every θ."""
        return self._hessian.copy()

    def eigenvalues(self) -> np.ndarray:
        """The Hessian's eigenvalues, smallest first."""
        return np.linalg.eigvalsh(self._hessian)

    @property
    def minimum(self) -> np.ndarray:
        """The least-squares weights (``np.linalg.lstsq``), a copy."""
        return self._minimum.copy()

    def window(self, margin: float = 1.0):
        """A range per weight around the minimum that follows the data.

        The smallest box holding every θ whose loss is at most ``ℓ`` above the
        lowest (``½ dᵀHd ≤ ℓ``, half-widths ``√(2ℓ·(H⁻¹)_jj)``), with
        ``ℓ = 1.5·margin·(range of y)²``: shifting y moves the box, scaling y or
        a column scales it, and a round bowl gets a square.
        """
        margin = as_positive_number(margin, "margin")
        y_range = float(np.ptp(self.y)) or (abs(float(self.y.mean())) or 1.0)
        level = 1.5 * margin * y_range**2
        inverse = np.diag(_inverse_size(self._hessian))
        half = np.sqrt(2.0 * level * inverse)
        return tuple(
            (float(centre - h), float(centre + h))
            for centre, h in zip(self._minimum, half)
        )

    def critical_points(self):
        return [self._critical(self._minimum)]

    def __repr__(self) -> str:
        return f"FeatureMSE(n={self.n}, p={len(self.parameter_names)})"


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
