"""The surface protocol: a loss and its gradient over a parameter vector θ.

A *surface* is anything gradient descent can walk on.  It has

* ``loss(theta)``: the loss at ``theta``, an array whose last axis holds the
  parameters; leading axes broadcast, so a whole grid is evaluated at once;
* ``gradient(theta)``: the gradient, same shape as ``theta``;
* ``hessian(theta)``: the matrix of second derivatives, shape (p, p);
* ``parameter_names``, ``window()`` (a sensible plotting range) and
  ``critical_points()`` (the points where the gradient is zero, classified).

Subclass :class:`Surface` and it answers the rest from these: its critical
rate 2/λ_max (:meth:`Surface.critical_rate`), the loss still to lose
(:meth:`Surface.gap`), whether a run has settled, and on a bowl how many
steps gradient descent needs (:meth:`Surface.steps_to_converge`);
:func:`surface_grid` samples one over its window.  It also
silences floating-point overflow: a diverging path gets ``inf``, not a
``RuntimeWarning``, and the descent engine reports it as an outcome.

The surfaces themselves live beside this module: the least-squares ones
(:class:`~gdlab.least_squares.LinearMSE`, the MSE of a line over θ = (m, b),
and :class:`~gdlab.least_squares.FeatureMSE`) in :mod:`gdlab.least_squares`;
the parabola, the saddle and the two valleys of lessons 06 and 08 in
:mod:`gdlab.toy_surfaces`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_data_vector,
    as_parameter_vector,
    as_positive_number,
    as_whole_number,
)

__all__ = [
    "CONVERGENCE_TOLERANCE",
    "CriticalPoint",
    "CriticalRate",
    "Surface",
    "classify_critical_point",
    "critical_rate_of",
    "surface_grid",
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
    # θ = (m, b) are the slope and intercept of a line ŷ = m·x + b, and the
    # loss is its MSE over the observations .x, .y (so a caller may draw the
    # line through them, and standardising x makes the bowl rounder).
    fits_a_line: bool = False

    def window(self) -> tuple[tuple[float, float], ...]:
        """A plotting range per parameter that shows the interesting part."""
        raise NotImplementedError

    def critical_points(self) -> list[CriticalPoint]:
        """The points where the gradient is zero, with their kinds."""
        raise NotImplementedError

    def known_critical_points(self) -> list[CriticalPoint] | None:
        """:meth:`critical_points`, or ``None`` when the surface does not know them.

        ``[]`` says there are none (a separable cross-entropy falls forever);
        ``None`` that the surface cannot tell (a network's loss).

        Examples
        --------
        >>> from gdlab.toy_surfaces import Saddle
        >>> [p.kind for p in Saddle().known_critical_points()]
        ['saddle']
        >>> Surface().known_critical_points() is None
        True
        """
        try:
            return list(self.critical_points())
        except NotImplementedError:
            return None

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
        bowl (all curvatures positive).  On a :class:`~gdlab.toy_surfaces.Saddle`
        the value is exact and yet every η diverges from a start off the θ₁
        axis: the down direction runs off whatever the step.

        Examples
        --------
        >>> from gdlab.toy_surfaces import Saddle, TwoValleys
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

    def critical_rate_at_minima(self) -> float | None:
        """The smallest critical rate 2/λ_max among the minima the surface knows.

        The steepest valley decides: below this learning rate no known
        minimum is overshot by a run that comes near it; above it the
        steepest one is.  On a quadratic surface with a minimum it is the
        exact critical rate.  ``None`` when the surface knows no minimum.

        Examples
        --------
        >>> from gdlab.toy_surfaces import Parabola, Saddle, TwoValleys
        >>> Parabola(4.0).critical_rate_at_minima()
        0.5
        >>> round(TwoValleys().critical_rate_at_minima(), 4)
        0.2255
        >>> Saddle().critical_rate_at_minima() is None
        True
        """
        rates = [
            self.critical_rate(p.point).value
            for p in self.known_critical_points() or []
            if p.kind == "minimum"
        ]
        rates = [rate for rate in rates if rate is not None]
        return min(rates) if rates else None

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
        >>> from gdlab.least_squares import LinearMSE
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
        >>> from gdlab.least_squares import LinearMSE
        >>> from gdlab.toy_surfaces import Saddle
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
        >>> from gdlab.least_squares import LinearMSE
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

    def steps_to_converge(self, learning_rate, start, most: int = 2000) -> int | None:
        """On a bowl: the step at which gradient descent from ``start`` has converged.

        The first k at which a run of :func:`gdlab.descend` (plain gradient
        descent, learning rate η) says *converged*: the gap has fallen to
        :data:`CONVERGENCE_TOLERANCE` of the start's and θ has
        :meth:`settled`.  ``None`` when that takes more than ``most`` steps (or
        never comes: η at or above the critical rate).  Exact, without
        running: along each eigenvector of H (eigenvalue λ) the offset from
        the minimum is multiplied by (1 − η·λ) at every step.  Only a bowl
        (quadratic and convex) has such a closed form; any other surface
        raises ``ValueError``.

        Examples
        --------
        >>> from gdlab.least_squares import LinearMSE
        >>> surface = LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
        >>> surface.steps_to_converge(0.2, start=(0.0, 0.0))
        48
        >>> surface.steps_to_converge(0.2, start=(0.0, 0.0), most=10) is None
        True
        """
        if not (self.quadratic and self.convex):
            raise ValueError(
                f"steps_to_converge needs a bowl (a quadratic, convex surface); {self!r} is not"
            )
        learning_rate = as_positive_number(learning_rate, "learning_rate")
        start = as_parameter_vector(start, "start", size=self.n_parameters)
        most = as_whole_number(most, "most")
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


def surface_grid(
    surface: Surface, first_range=None, second_range=None, resolution: int = 120
):
    """Sample a two-parameter surface on a grid: ``(first, second, values)``.

    ``first_range`` and ``second_range`` default to ``surface.window()``;
    ``values`` has shape ``(resolution, resolution)``, rows along ``second``
    (:meth:`Surface.grid`'s layout, what ``contour(first, second, values)``
    expects).  Introduced in lesson 08.

    Examples
    --------
    >>> from gdlab.toy_surfaces import Saddle
    >>> first, second, values = surface_grid(Saddle(), resolution=3)
    >>> first.tolist(), values.shape
    ([-2.0, 0.0, 2.0], (3, 3))
    """
    resolution = as_whole_number(resolution, "resolution", low=2)
    window = surface.window()
    first_range = window[0] if first_range is None else first_range
    second_range = window[1] if second_range is None else second_range
    first = np.linspace(*first_range, resolution)
    second = np.linspace(*second_range, resolution)
    return first, second, surface.grid(first, second)
