"""Loss surfaces: a loss and its gradient over a parameter vector θ.

A *surface* is anything gradient descent can walk on.  It has

* ``loss(theta)``: the loss at ``theta``, an array whose last axis holds the
  parameters; leading axes broadcast, so a whole grid is evaluated at once;
* ``gradient(theta)``: the gradient, same shape as ``theta``;
* ``hessian(theta)``: the matrix of second derivatives, shape (p, p);
* ``parameter_names``, ``window()`` (a sensible plotting range) and
  ``critical_points()`` (the points where the gradient is zero, classified).

:class:`LinearMSE` is the MSE of a line over θ = (m, b): a convex bowl;
:class:`FeatureMSE` the MSE of any model linear in its weights, ŷ = X·θ
(lessons 06, 07, 09), a bowl too.
:class:`Parabola` is the 1-D bowl of lesson 06, and :class:`Saddle` and
:class:`TwoValleys` are the non-convex surfaces of lesson 08.  All of them
silence floating-point overflow: a diverging path gets ``inf``, not a
``RuntimeWarning``, and the descent engine reports it as an outcome.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_data_vector,
    as_finite_number,
    as_paired_vectors,
    as_parameter_vector,
    as_positive_number,
)
from .features import as_design

__all__ = [
    "CONVERGENCE_TOLERANCE",
    "CriticalPoint",
    "CriticalRate",
    "FeatureMSE",
    "LinearMSE",
    "Parabola",
    "Preset",
    "Saddle",
    "Surface",
    "TwoValleys",
    "classify_critical_point",
    "critical_rate_of",
    "loss_surface",
]


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient is zero, and what kind it is.

    ``kind`` is ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"``,
    by :func:`classify_critical_point`: a saddle whenever the Hessian has
    eigenvalues of both signs, degenerate when some are zero and the rest
    share one sign (the Hessian alone cannot tell).
    """

    point: tuple[float, ...]
    kind: str
    loss: float


def classify_critical_point(hessian, tolerance: float = 1e-12) -> str:
    """Classify a critical point by the signs of its Hessian's eigenvalues.

    One positive and one negative eigenvalue make a saddle, whatever the
    others (there is a way up and a way down).  Otherwise: all positive, a
    minimum; all negative, a maximum; some zero, degenerate (higher
    derivatives decide).  An eigenvalue counts as zero when its size is at
    most ``tolerance`` times the largest eigenvalue's size.

    Examples
    --------
    >>> classify_critical_point([[2.0, 0.0], [0.0, 1.0]])
    'minimum'
    >>> classify_critical_point([[1.0, 0.0], [0.0, -1.0]])
    'saddle'
    >>> classify_critical_point([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    'saddle'
    >>> classify_critical_point([[1.0, 0.0], [0.0, 0.0]])
    'degenerate'
    """
    matrix = np.asarray(hessian, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"hessian must be a square matrix; got shape {matrix.shape}")
    if not np.isfinite(matrix).all():
        raise ValueError("hessian must contain only finite numbers")
    eigenvalues = np.linalg.eigvalsh((matrix + matrix.T) / 2)
    zero = tolerance * float(np.abs(eigenvalues).max())
    positive, negative = eigenvalues > zero, eigenvalues < -zero
    if positive.any() and negative.any():
        return "saddle"
    if positive.all():
        return "minimum"
    if negative.all():
        return "maximum"
    return "degenerate"


def critical_rate_of(hessian) -> float | None:
    """``2 / λ_max`` of a Hessian: the largest stable learning rate (lesson 06).

    The one place gdlab computes it.  When H is positive definite, gradient
    descent on the quadratic ``½ θᵀHθ`` converges for η below it and
    diverges above it.  When H also has a negative (or zero) eigenvalue it
    promises no convergence: below 2/λ_max the steps only stop overshooting
    along the upward directions, while along a downward one θ runs off for
    every η (a saddle).  ``None`` when λ_max ≤ 0 (no direction curves
    upwards: no step is "too large").

    Examples
    --------
    >>> critical_rate_of([[4.0, 0.0], [0.0, 1.0]])
    0.5
    >>> critical_rate_of([[-1.0]]) is None
    True
    """
    matrix = np.asarray(hessian, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"hessian must be a square matrix; got shape {matrix.shape}")
    if not np.isfinite(matrix).all():
        return None
    top = float(np.linalg.eigvalsh((matrix + matrix.T) / 2)[-1])
    return 2.0 / top if top > 0 else None


@dataclass(frozen=True)
class CriticalRate:
    """A surface's critical learning rate 2/λ_max and how far it holds.

    ``kind`` is ``"exact"`` (the loss is quadratic: the same bound
    everywhere), ``"local"`` (the bound of the quadratic that matches the
    loss at one point only) or ``"none"`` (the surface does not curve
    upwards there; ``value`` is then ``None``).
    """

    value: float | None
    kind: str


@dataclass(frozen=True)
class Preset:
    """A setting of the explorer defined by what it shows.

    ``shows`` is the outcome it is offered for, one of ``"crawls"`` (too
    small: still far from the minimum when the steps run out),
    ``"converges"``, ``"oscillates"`` (zig-zags across the valley),
    ``"diverges"``, ``"stalls at a saddle"``, ``"escapes a saddle"``,
    ``"local minimum"`` and ``"global minimum"``; tests hold each preset to it.
    """

    name: str
    learning_rate: float
    start: tuple[float, ...]
    steps: int
    shows: str


# Converged (one definition, every caller): the loss still to lose has fallen to
# this fraction of what it was at the start (see Surface.gap).
CONVERGENCE_TOLERANCE = 1e-6


def _newton_inverse(hessian) -> np.ndarray:
    """``H⁻¹`` with every eigenvalue kept at least 10⁻¹² of the largest in size (sign kept).

    ``H⁻¹·∇L`` is then θ minus the critical point of the matching quadratic,
    along a downward direction too; a flat direction counts as far away.
    """
    values, vectors = np.linalg.eigh((hessian + hessian.T) / 2)
    floor = 1e-12 * float(np.abs(values).max()) or 1.0
    sized = np.where(values < 0, -1.0, 1.0) * np.maximum(np.abs(values), floor)
    return (vectors / sized) @ vectors.T


def _inverse_size(hessian) -> np.ndarray:
    """``|H|⁻¹``: H's inverse with every eigenvalue made positive.

    Eigenvalues nearer zero than 10⁻¹² of the largest are raised to that
    size, so a flat direction counts as far away, never as arrived.
    """
    values, vectors = np.linalg.eigh((hessian + hessian.T) / 2)
    sizes = np.abs(values)
    floor = 1e-12 * float(sizes.max()) or 1.0
    return (vectors / np.maximum(sizes, floor)) @ vectors.T


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

    # What a surface knows of itself; callers ask these, never isinstance().
    quadratic: bool = False  # the Hessian is the same at every θ
    # Convex: no critical point but minima, and every minimum as low as the rest.
    # One minimum when the Hessian is positive definite; a line (or plane) of
    # equal minima when it is singular (FeatureMSE with a singular XᵀX).
    convex: bool = False
    fits_a_line: bool = False  # θ = (m, b) of a line through data .x, .y

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

    @property
    def minimum(self) -> tuple[float, ...]:
        """The lowest minimum among :meth:`critical_points`."""
        minima = [p for p in self.critical_points() if p.kind == "minimum"]
        if not minima:
            raise ValueError(f"{self!r} has no minimum")
        return min(minima, key=lambda p: p.loss).point

    def critical_rate(self, theta=None) -> CriticalRate:
        """The critical learning rate 2/λ_max, exact or local (see :class:`CriticalRate`).

        A quadratic surface has one bound everywhere (``theta`` is not needed);
        any other has a local one, at ``theta``.  Below it the steps do not
        overshoot along any upward direction; convergence follows only on a
        bowl (all curvatures positive).  On :class:`Saddle` the value is exact
        and yet every η diverges from a start off the θ₁ axis: the down
        direction runs off whatever the step.

        Examples
        --------
        >>> Saddle().critical_rate()
        CriticalRate(value=2.0, kind='exact')
        >>> TwoValleys().critical_rate((0.0, 0.0))   # θ₂ curves up there, θ₁ down
        CriticalRate(value=2.0, kind='local')
        """
        p = self.n_parameters
        if self.quadratic:
            value = critical_rate_of(self.hessian(np.zeros(p)))
            return CriticalRate(value, "none" if value is None else "exact")
        if theta is None:
            raise ValueError(
                f"theta is needed: the loss of {self!r} is not quadratic, "
                "so its critical rate is local, the value at one point"
            )
        point = as_parameter_vector(theta, "theta", size=p)
        with np.errstate(all="ignore"):
            value = critical_rate_of(self.hessian(point))
        return CriticalRate(value, "none" if value is None else "local")

    def critical_learning_rate(self, theta=None) -> float | None:
        """``critical_rate(theta).value``: the number 2/λ_max alone."""
        return self.critical_rate(theta).value

    def condition_number(self, theta=None) -> float:
        """``|λ|_max / |λ|_min`` of the Hessian (at ``theta`` unless quadratic).

        1 for a round bowl, large for a long narrow valley; ``inf`` when an
        eigenvalue is zero (a flat direction).
        """
        point = np.zeros(self.n_parameters) if theta is None else theta
        if theta is None and not self.quadratic:
            raise ValueError(f"theta is needed: {self!r} is not quadratic")
        sizes = np.abs(np.linalg.eigvalsh(self.hessian(point)))
        if sizes[0] <= sizes[-1] * 1e-15:
            return float("inf")
        return float(sizes[-1] / sizes[0])

    def gap(self, theta):
        """The loss still to lose from θ: ``½ ∇Lᵀ |H|⁻¹ ∇L``.

        On a bowl (convex and quadratic) this is exactly ``L(θ) − L*``, computed
        without subtracting two large numbers.  Elsewhere it is the same for the
        quadratic that matches the surface at θ: the height above the nearest
        critical point, as the local curvature sees it (``|H|`` counts a
        downward curve as upward, so the gap is never negative and is zero
        only where the gradient is).  Gradient descent has *converged* at step
        k when ``gap(θ_k) ≤ tolerance · gap(θ_0)`` (:data:`CONVERGENCE_TOLERANCE`).

        Examples
        --------
        >>> surface = LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
        >>> surface.gap([0.0, 0.0]), surface.loss([0.0, 0.0]) - surface.minimum_loss
        (11.666666666666666, 11.666666666666666)
        """
        params = self._as_params(theta)
        if self.quadratic and self.convex:
            # A bowl: ½ dᵀHd from the minimum, exact even when H is nearly singular.
            offset = params - np.asarray(self.minimum, dtype=float)
            hessian = self.hessian(np.zeros(self.n_parameters))
            with np.errstate(all="ignore"):
                value = 0.5 * np.einsum("...i,ij,...j->...", offset, hessian, offset)
            value = np.where(np.isnan(value), np.inf, value)
            return float(value) if np.ndim(value) == 0 else value
        gradient = self.gradient(params)
        with np.errstate(all="ignore"):
            if self.quadratic:
                metric = self.__dict__.get("_gap_metric")
                if metric is None:
                    metric = _inverse_size(self.hessian(np.zeros(self.n_parameters)))
                    self._gap_metric = metric
                value = 0.5 * np.einsum("...i,ij,...j->...", gradient, metric, gradient)
            else:
                flat = params.reshape(-1, self.n_parameters)
                slopes = gradient.reshape(flat.shape)
                value = np.array(
                    [
                        0.5 * g @ _inverse_size(self.hessian(t)) @ g
                        if np.isfinite(g).all() and np.isfinite(t).all()
                        else np.inf
                        for t, g in zip(flat, slopes)
                    ]
                ).reshape(params.shape[:-1])
        value = np.where(np.isnan(value), np.inf, value)
        return float(value) if np.ndim(value) == 0 else value

    def rest_offset(self, theta) -> np.ndarray:
        """θ minus the critical point it is heading for, per parameter (same shape as θ).

        On a bowl (quadratic and convex) this is exactly ``θ − θ*`` to the
        nearest minimum (when the minima form a line or a plane, as for a
        singular XᵀX, the part of ``θ − θ*`` across it).  Elsewhere it is the
        Newton step ``H⁻¹∇L`` of the quadratic that matches the surface at
        θ: the offset from the nearest critical point as the local curvature
        sees it (a flat direction counts as far).

        Examples
        --------
        >>> LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]).rest_offset([2.5, 1.0])
        array([0.5, 0. ])
        >>> Saddle().rest_offset([1.0, 0.5])
        array([1. , 0.5])
        """
        params = self._as_params(theta)
        with np.errstate(all="ignore"):
            if self.quadratic and self.convex:
                offset = params - np.asarray(self.minimum, dtype=float)
                return offset @ self._range_projection().T
            if self.quadratic:
                inverse = _newton_inverse(self.hessian(np.zeros(self.n_parameters)))
                return self.gradient(params) @ inverse.T
            flat = params.reshape(-1, self.n_parameters)
            steps = [
                _newton_inverse(self.hessian(t)) @ g
                if np.isfinite(g).all() and np.isfinite(t).all()
                else np.full(self.n_parameters, np.inf)
                for t, g in zip(flat, self.gradient(flat))
            ]
        return np.array(steps).reshape(params.shape)

    def _range_projection(self) -> np.ndarray:
        """The projection onto the directions where a quadratic surface curves (its Hessian's range)."""
        kept = self.__dict__.get("_projection")
        if kept is None:
            values, vectors = np.linalg.eigh(self.hessian(np.zeros(self.n_parameters)))
            curved = vectors[:, np.abs(values) > 1e-12 * float(np.abs(values).max())]
            kept = self._projection = curved @ curved.T
            if curved.shape[1] == self.n_parameters:
                kept = self._projection = np.eye(self.n_parameters)
        return kept

    def settled(self, theta, start, tolerance: float = CONVERGENCE_TOLERANCE):
        """Whether θ is at the critical point on the map's own scale, in every parameter.

        The parameter half of *converged* (the other half is the gap, see
        :meth:`gap`): in each parameter i, ``|rest_offset(θ)ᵢ| ≤ √tolerance ·
        (|rest_offset(θ₀)ᵢ| + √tolerance · widthᵢ)``, with ``widthᵢ`` the
        window's.  With the default 10⁻⁶ that is a thousandth of the start's
        own distance, plus a millionth of the map: on a long flat valley a
        small gap alone can leave a parameter far from its best value
        (x spread over [0, 100]: b at −0.21 for b* = −0.39); this cannot.
        ``theta`` may hold many points (last axis = parameters).

        Examples
        --------
        >>> surface = LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
        >>> bool(surface.settled([2.0001, 1.0], start=[0.0, 0.0]))
        True
        >>> bool(surface.settled([2.0, 1.01], start=[0.0, 0.0]))
        False
        """
        root = math.sqrt(tolerance)
        start_offset = np.abs(self.rest_offset(np.asarray(start, dtype=float)))
        try:
            widths = np.array([high - low for low, high in self.window()])
        except NotImplementedError:
            widths = np.full(self.n_parameters, float(start_offset.max()))
        bound = root * (start_offset + root * widths)
        offset = np.abs(self.rest_offset(theta))
        with np.errstate(invalid="ignore"):
            return np.all(offset <= bound, axis=-1)

    def evaluate(self, theta: np.ndarray) -> tuple[float, np.ndarray, float]:
        """``(loss, gradient, gap)`` at one checked float point: the descent engine's call.

        Unchecked (callers pass a clean 1-D float array) and without its own
        ``errstate``; surfaces may override it to share work between the three.
        """
        return float(self._loss(theta)), self._gradient(theta), float(self.gap(theta))

    def default_start(self) -> tuple[float, ...]:
        """Where a run starts unless told: by default the upper left of the window."""
        (low_1, high_1), (low_2, high_2) = self.window()[:2]
        return (low_1 + 0.2 * (high_1 - low_1), low_2 + 0.85 * (high_2 - low_2))

    def presets(self) -> list[Preset]:
        """The explorer's presets that show, on this surface, what they say.

        A two-parameter bowl offers "too small", "good", "oscillates",
        "diverges" and "far start" (learning rates as multiples of the exact
        critical rate; "good" and "far start" only when they converge within
        2000 steps).  Other surfaces offer their own; by default none.
        """
        if not (self.quadratic and self.convex and self.n_parameters == 2):
            return []
        rate = self.critical_rate().value
        start = self.default_start()
        (low_1, _), (_, high_2) = self.window()
        far = (low_1, high_2)
        good, far_steps = (
            self._steps_to_converge(0.5 * rate, at) for at in (start, far)
        )
        presets = [Preset("too small", 0.004 * rate, start, 300, "crawls")]
        if good is not None:
            presets.append(
                Preset("good", 0.5 * rate, start, _round_steps(good), "converges")
            )
        presets.append(Preset("oscillates", 0.97 * rate, start, 60, "oscillates"))
        presets.append(Preset("diverges", 1.15 * rate, start, 200, "diverges"))
        if far_steps is not None:
            presets.append(
                Preset(
                    "far start", 0.5 * rate, far, _round_steps(far_steps), "converges"
                )
            )
        return presets

    def _steps_to_converge(self, learning_rate, start, most=2000) -> int | None:
        """On a bowl: the first step k at which a run has converged (as in descend), or None.

        Exact, without running: along each eigenvector of H the offset from the
        minimum is multiplied by (1 − η·λ) at every step.
        """
        values, vectors = np.linalg.eigh(self.hessian(np.zeros(self.n_parameters)))
        offset = vectors.T @ (np.asarray(start, float) - np.asarray(self.minimum))
        weights = 0.5 * values * offset**2
        if weights.sum() <= 0:
            return 0
        k = np.arange(most + 1)[:, None]
        with np.errstate(all="ignore"):
            factors = (1 - learning_rate * values) ** k
            gaps = (weights * factors**2).sum(axis=1)
            path = np.asarray(self.minimum) + (factors * offset) @ vectors.T
        done = np.flatnonzero(
            (gaps <= CONVERGENCE_TOLERANCE * weights.sum()) & self.settled(path, start)
        )
        return int(done[0]) if done.size else None


def _round_steps(needed: int) -> int:
    """A round number of steps, a fifth more than needed, at most 2000."""
    return int(min(2000, max(50, 50 * np.ceil(1.2 * needed / 50))))


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
        ``√(2ℓ·(H⁻¹)_ii)``.  The level ``ℓ`` is 1.5·``margin`` times a bound on
        :meth:`default_start`'s gap, so the start and the minimum are always in
        view, a round bowl (H ∝ I, lesson 06) gets a square window, and the
        window moves and stretches with the data: shifting y shifts it,
        scaling x or y scales it.

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
        # The default start is off by at most this much in slope and in height at x̄.
        slope_off = abs(m_star) + 0.25 * y_range / float(np.ptp(self.x))
        level = 1.5 * margin * (slope_off**2 * var_x + (1.125 * y_range) ** 2)
        half_m = math.sqrt(level / var_x)
        half_b = math.sqrt(level * (var_x + mean_x * mean_x) / var_x)
        return (
            (float(m_star - half_m), float(m_star + half_m)),
            (float(b_star - half_b), float(b_star + half_b)),
        )

    def default_start(self) -> tuple[float, float]:
        """A wrong line that is still in view: where a run starts unless told.

        Through (the middle of x, the largest y), tilted against the best fit by
        a quarter of the data's rise over their run: inside the data panel,
        clearly wrong, and off the valley floor, so a large η zig-zags visibly.
        """
        x_span, y_span = float(np.ptp(self.x)), float(np.ptp(self.y))
        if y_span == 0:
            return super().default_start()
        m = -math.copysign(0.25 * y_span / x_span, self.minimum[0])
        b = float(self.y.max()) - m * (float(self.x.min()) + float(self.x.max())) / 2
        return (float(m), b)

    def _range_projection(self) -> np.ndarray:
        # Positive definite (two distinct x), however small λ_min looks in float64.
        return np.eye(2)

    def critical_points(self):
        # With two distinct x the Hessian is positive definite, however long
        # the valley: a minimum, even when rounding could not tell it from flat.
        return [CriticalPoint(self.minimum, "minimum", self.minimum_loss)]

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

    def presets(self) -> list[Preset]:
        """Stall at the saddle (a start on the θ₁ axis), or escape it (just off)."""
        rate = 0.3 * self.critical_rate().value
        return [
            Preset("stalls at the saddle", rate, (1.5, 0.0), 100, "stalls at a saddle"),
            Preset("escapes the saddle", rate, (1.5, 0.01), 200, "escapes a saddle"),
        ]

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

    def presets(self) -> list[Preset]:
        """Two starts a little either side of the pass: where you start decides."""
        minima = [p for p in self.critical_points() if p.kind == "minimum"]
        rate = 0.4 * min(self.critical_rate(p.point).value for p in minima)
        low, high = sorted(minima, key=lambda p: p.loss)
        deep, shallow = low.point[0], high.point[0]
        saddle = next(p.point[0] for p in self.critical_points() if p.kind == "saddle")
        # 15 % of the way from the pass towards each valley, high up on θ₂.
        near = (saddle + 0.15 * (shallow - saddle), 1.2)
        far = (saddle + 0.15 * (deep - saddle), 1.2)
        return [
            Preset("ends in the shallow valley", rate, near, 300, "local minimum"),
            Preset("ends in the deep valley", rate, far, 300, "global minimum"),
        ]

    def __repr__(self) -> str:
        return f"TwoValleys(tilt={self.tilt:g})"


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
