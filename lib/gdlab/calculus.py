"""Numerical derivatives: finite differences, to check a derivative by computing it.

A derivative is the limit of a slope between two nearby points.  Taking
the points a small distance ``h`` apart, instead of letting ``h`` go to 0,
gives a *finite difference*:

* forward:  ``(f(x + h) − f(x)) / h``,           error about ``h·f''(x)/2``;
* central:  ``(f(x + h) − f(x − h)) / (2h)``,    error about ``h²·f'''(x)/6``.

The central difference cancels the ``h`` term, so at the same ``h`` it is far
more accurate.  For too small an ``h`` both are spoiled by rounding, since
``f(x + h) − f(x)`` subtracts two nearly equal numbers.

Introduced in lesson 04 (derivatives), where they check ``∂L/∂m`` and
``∂L/∂b`` against the chain-rule formulas.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    as_data_vector,
    as_finite_number,
    as_positive_number,
    as_whole_number,
)

__all__ = ["finite_difference", "numerical_gradient", "level_curve_points"]

_KINDS = ("central", "forward")


def _check_kind(kind) -> str:
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'central' or 'forward'; got {kind!r}")
    return kind


def finite_difference(f, x, h: float = 1e-5, kind: str = "central") -> float:
    """Approximate the derivative ``f'(x)`` of a function of one number (lesson 04).

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, a function of one real number.
    x : float
        Where to take the derivative.
    h : float
        The step, > 0.
    kind : {'central', 'forward'}
        ``'central'``: ``(f(x + h) − f(x − h)) / (2h)``, error O(h²).
        ``'forward'``: ``(f(x + h) − f(x)) / h``, error O(h).

    Returns
    -------
    float

    Examples
    --------
    >>> square = lambda t: t * t               # f'(3) = 6
    >>> finite_difference(square, 3.0, h=0.1, kind="forward")   # 6 + h
    6.1
    >>> round(finite_difference(square, 3.0, h=0.1), 12)       # exact for a parabola
    6.0
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one number; got {type(f).__name__}")
    x = as_finite_number(x, "x")
    h = as_positive_number(h, "h")
    kind = _check_kind(kind)
    if kind == "central":
        return float((f(x + h) - f(x - h)) / (2.0 * h))
    return float((f(x + h) - f(x)) / h)


def numerical_gradient(f, theta, h: float = 1e-6, kind: str = "central") -> np.ndarray:
    """Approximate the gradient of ``f(theta)`` one partial derivative at a time (lesson 04).

    Each partial derivative moves one parameter by ``h`` and holds the
    others fixed: that is what "partial" means.

    Parameters
    ----------
    f : callable
        ``f(theta) -> float`` for a parameter vector ``theta``.
    theta : array_like of shape (p,)
        Where to take the gradient, e.g. ``(m, b)``.
    h : float
        The step, > 0.
    kind : {'central', 'forward'}
        As in :func:`finite_difference`.

    Returns
    -------
    numpy.ndarray of shape (p,)
        The partial derivatives, in the order of ``theta``.

    Examples
    --------
    >>> f = lambda t: t[0] ** 2 + 3 * t[0] * t[1]     # gradient (2m + 3b, 3m)
    >>> [round(float(v), 6) for v in numerical_gradient(f, [1.0, 2.0])]
    [8.0, 3.0]
    """
    if not callable(f):
        raise TypeError(
            f"f must be a function of a parameter vector; got {type(f).__name__}"
        )
    point = as_data_vector(theta, "theta")
    h = as_positive_number(h, "h")
    kind = _check_kind(kind)
    gradient = np.empty_like(point)
    for i in range(point.size):
        step = np.zeros_like(point)
        step[i] = h
        if kind == "central":
            gradient[i] = (f(point + step) - f(point - step)) / (2.0 * h)
        else:
            gradient[i] = (f(point + step) - f(point)) / h
    return gradient


def level_curve_points(f, center, level: float, count: int = 8) -> np.ndarray:
    """Points where a bowl-shaped ``f`` of two parameters equals ``level``.

    From ``center`` (the bottom of the bowl), walk out along ``count`` evenly
    spaced directions and find, by bisection, where ``f`` reaches ``level``.
    ``f`` must rise along every such ray, as a convex loss does away from its
    minimum.  Lesson 04 starts gradient arrows on these points, so that each
    arrow visibly leaves its contour line.

    Parameters
    ----------
    f : callable
        ``f(theta) -> float`` for ``theta`` of shape (2,).
    center : array_like of shape (2,)
        The minimum; ``f(center)`` must be below ``level``.
    level : float
        The value of ``f`` on the contour.
    count : int
        How many points, at angles 0, 2π/count, …

    Returns
    -------
    numpy.ndarray of shape (count, 2)

    Examples
    --------
    >>> bowl = lambda t: t[0] ** 2 + t[1] ** 2          # circles around (0, 0)
    >>> points = level_curve_points(bowl, (0.0, 0.0), level=4.0, count=4)
    >>> [round(float(v), 6) + 0.0 for v in points.ravel()]
    [2.0, 0.0, 0.0, 2.0, -2.0, 0.0, 0.0, -2.0]
    """
    if not callable(f):
        raise TypeError(
            f"f must be a function of a parameter vector; got {type(f).__name__}"
        )
    middle = as_data_vector(center, "center")
    if middle.size != 2:
        raise ValueError(f"center must hold 2 numbers, like (m, b); got {middle.size}")
    level = as_finite_number(level, "level")
    count = as_whole_number(count, "count", low=1)
    bottom = float(f(middle))
    if not bottom < level:
        raise ValueError(f"level must be above f(center) = {bottom}; got {level}")
    angles = 2.0 * np.pi * np.arange(count) / count
    points = np.empty((count, 2))
    for k, angle in enumerate(angles):
        direction = np.array([np.cos(angle), np.sin(angle)])
        low, high = 0.0, 1.0
        for _ in range(200):  # grow until the ray has passed the level
            if f(middle + high * direction) >= level:
                break
            low, high = high, 2.0 * high
        else:
            raise ValueError(
                f"f does not reach level {level} along the direction at angle {angle:.3f}"
            )
        for _ in range(100):  # bisection: 100 halvings reach float precision
            mid = 0.5 * (low + high)
            if f(middle + mid * direction) < level:
                low = mid
            else:
                high = mid
        points[k] = middle + 0.5 * (low + high) * direction
    return points
