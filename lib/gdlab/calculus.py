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

from ._validate import as_data_vector, as_finite_number, as_positive_number

__all__ = ["finite_difference", "numerical_gradient"]

_KINDS = ("central", "forward")


def _check_kind(kind) -> str:
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'central' or 'forward'; got {kind!r}")
    return kind


def finite_difference(f, x, h: float = 1e-5, kind: str = "central") -> float:
    """Approximate the derivative ``f'(x)`` of a function of one number.

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
    """Approximate the gradient of ``f(theta)`` one partial derivative at a time.

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
        raise TypeError(f"f must be a function of a parameter vector; got {type(f).__name__}")
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
