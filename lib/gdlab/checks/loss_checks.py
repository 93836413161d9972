"""Tables for lesson 03 (write the MSE) and lesson 04 (write the gradient).

The cases are chosen so that every wrong formula below gives other numbers
than the right one: residuals of both signs that do not average to zero,
``x`` neither centred nor symmetric, ``n`` never 2, ``m`` unlike any ``x_i``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..loss import mse_gradient
from .engine import ATOL, RTOL, Exercise, Mistake, Problem, run_check

__all__ = ["check_gradient", "check_mse"]

_A = np.array
# fmt: off
_MSE_CASES = (
    (_A([3.0, -1.0, 4.0, 1.5, 5.0]), _A([2.0, 0.5, 1.0, 2.0, 2.5])),
    (_A([0.2, 1.7, -2.3]), _A([1.0, 1.0, -0.3])),
    (_A([10.0, 12.5, 9.0, 14.0, 11.0, 8.5]), _A([9.0, 13.0, 9.5, 11.0, 11.5, 7.0])),
)
_GRADIENT_CASES = (
    (_A([0.5, 1.0, 2.0, 4.0, 7.0]), _A([1.0, 2.5, 2.0, 6.0, 9.5]), 0.5, -1.0),
    (_A([-1.0, 2.0, 3.0]), _A([0.0, 4.0, 1.0]), 1.5, 0.5),
    (_A([1.0, 2.0, 3.5, 4.0, 6.0, 8.0, 9.0]), _A([5.0, 3.0, 4.5, 1.0, 0.5, -2.0, -1.5]), -0.7, 2.0),
)
# fmt: on


def _read_number(value):
    """The MSE is one real number; say plainly what else came back."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.ndarray):
        hint = " One squared residual per observation? Take their mean." * (
            value.ndim == 1
        )
        raise Problem(
            f"Your function returned an array of shape {value.shape}, but the MSE is a single number.{hint}"
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise Problem(
            f"Your function returned a {type(value).__name__}, but the MSE is a single number (a float)."
        )
    if np.isnan(value):
        raise Problem("Your function returned NaN (not a number). Look for a 0/0.")
    return float(value)


# fmt: off
_MSE_MISTAKES = (
    ("the square is missing: positive and negative residuals cancel, so a bad line can score 0. Square each residual before averaging.",
     lambda y, h: np.mean(y - h), lambda y, h: np.mean(h - y)),
    ("you took the sum of the squared residuals, not their mean: divide by n (len(y)), so the loss does not grow just because there are more observations.", lambda y, h: np.sum((y - h) ** 2)),
    ("you used the 1/(2n) convention. It is a valid convention (its gradient has no factor 2), but this series uses 1/n: drop the 2.", lambda y, h: np.mean((y - h) ** 2) / 2),
    ("you took the square root of the mean squared error: that is the RMSE. The MSE is the mean itself, without the square root.", lambda y, h: np.sqrt(np.mean((y - h) ** 2))),
    ("you averaged the absolute values of the residuals: that is the mean absolute error (MAE), a different loss. Square the residuals instead of taking abs().", lambda y, h: np.mean(np.abs(y - h))),
    ("you squared the mean of the residuals, (mean of y − ŷ)². The residuals cancel before the square. Square each residual first, then take the mean.", lambda y, h: np.mean(y - h) ** 2),
    ("you divided by n − 1 (as for a sample variance). The MSE is a mean: divide the sum of the squared residuals by n.", lambda y, h: np.sum((y - h) ** 2) / (len(y) - 1)),
    ("the square is missing and you took the sum, not the mean: square each residual, then divide the total by n.",
     lambda y, h: np.sum(y - h), lambda y, h: np.sum(h - y)),
    ("you multiplied each residual by 2 instead of squaring it: (y − ŷ) * 2 doubles it, (y − ŷ) ** 2 squares it.", lambda y, h: np.mean((y - h) * 2)),
    ("you subtracted the squares, y² − ŷ². Square the difference instead: first the residual y − ŷ, then its square, (y - y_hat) ** 2.", lambda y, h: np.mean(y**2 - h**2)),
    ("in Python `^` is not a power: it is bitwise XOR, which floats do not have. Square with ** 2, e.g. (y - y_hat) ** 2.", lambda y, h: np.mean((y - h) ^ 2)),
)
MSE = Exercise(
    "MSE",
    cases=_MSE_CASES,
    right=lambda y, h: np.mean((y - h) ** 2),
    read=_read_number,
    mistakes=tuple(Mistake("Not yet right: " + text, wrong=w) for text, *ws in _MSE_MISTAKES for w in ws),
    success=f"Right on all {len(_MSE_CASES)} test cases: the mean of the squared residuals.",
    hint="Compute the residuals y − ŷ, square each one, then take their mean.",
)
# fmt: on


def check_mse(fn):
    """Check a learner's ``fn(y, y_hat)`` against ``(1/n) Σ (y_i − ŷ_i)²`` (lesson 03).

    Examples
    --------
    >>> check_mse(lambda y, y_hat: np.mean((y - y_hat) ** 2)).passed
    True
    >>> print(check_mse(lambda y, y_hat: np.mean(y - y_hat)).message)  # doctest: +ELLIPSIS
    Not yet right: the square is missing...
    """
    return run_check(MSE, fn)


def _read_gradient(value):
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iuf":
        raise Problem(
            f"Your function returned a {type(value).__name__}; return a numpy array of two numbers, np.array([dL_dm, dL_db]), so that later steps can compute θ − η·∇L with it."
        )
    if value.shape != (2,):
        raise Problem(
            f"Your function returned an array of shape {value.shape}; the gradient has shape (2,): one partial derivative per parameter, [∂L/∂m, ∂L/∂b]. Each is a mean over the observations (np.mean), so one number."
        )
    if not np.isfinite(value).all():
        raise Problem("Your function returned NaN or infinity. Look for a 0/0.")
    return value.astype(float)


def _dm(x, y, m, b):
    return mse_gradient(x, y, m, b)[0]


def _db(x, y, m, b):
    return mse_gradient(x, y, m, b)[1]


def _mean_r(x, y, m, b):
    return np.mean(y - (m * x + b))


# Wrong versions of one partial derivative: (what is wrong, wrong ∂L/∂m or ∂L/∂b).
# fmt: off
_PARTIAL_M = (
    ("has the wrong sign (the inner derivative of y_i − (m·x_i + b) is −x_i)", lambda *c: -_dm(*c)),
    ("is half the right value (the factor 2 from the chain rule is missing)", lambda *c: _dm(*c) / 2),
    ("uses the sum where the mean belongs (divide by n)", lambda *c: _dm(*c) * len(c[0])),
    ("multiplies by −m where the inner derivative is −x_i, a common mistake: ∂(m·x_i + b)/∂m = x_i", lambda x, y, m, b: -2 * m * _mean_r(x, y, m, b)),
    ("is missing the factor x_i inside the sum (that is ∂L/∂b's formula)", _db),
    ("multiplies by x̄ outside the sum: the chain rule works term by term, x_i stays inside", lambda x, y, m, b: -2 * np.mean(x) * _mean_r(x, y, m, b)),
    ("multiplies each residual by x_i² where the inner derivative is x_i: ∂(m·x_i + b)/∂m = x_i (the derivative of m·x_i, not of (m·x_i)²)", lambda x, y, m, b: -2 * np.mean(x**2 * (y - (m * x + b)))),
)
_PARTIAL_B = (
    ("has the wrong sign (the inner derivative with respect to b is −1)", lambda *c: -_db(*c)),
    ("is half the right value (the factor 2 from the chain rule is missing)", lambda *c: _db(*c) / 2),
    ("uses the sum where the mean belongs (divide by n)", lambda *c: _db(*c) * len(c[0])),
    ("has a factor x_i inside the sum (that is ∂L/∂m's formula; ∂(m·x_i + b)/∂b = 1)", _dm),
)
# fmt: on
_RIGHT_M = "∂L/∂m = −(2/n) Σ x_i (y_i − ŷ_i)"
_RIGHT_B = "∂L/∂b = −(2/n) Σ (y_i − ŷ_i)"


def _one_partial(case, got, want):
    """Say which partial derivative is right when only one is."""
    ok = np.isclose(got, want, rtol=RTOL, atol=ATOL)
    if got.shape != (2,) or ok.all():
        return None
    x, y, m, b = case
    where = f"For x = {x.tolist()}, y = {y.tolist()}, m = {m:g}, b = {b:g}"
    numbers = f"the gradient is {np.round(want, 4).tolist()}; yours is {np.round(got, 4).tolist()}."
    if not ok.any():
        return f"Not yet right: neither partial derivative is right. {where} {numbers} Use {_RIGHT_M} and {_RIGHT_B}."
    if ok[0]:
        return f"Not yet right: ∂L/∂m is right, ∂L/∂b is wrong. {where} {numbers} Use {_RIGHT_B}."
    return f"Not yet right: ∂L/∂b is right, ∂L/∂m is wrong. {where} {numbers} Use {_RIGHT_M}."


def _pair(dm, db):
    return lambda *c: np.array([dm(*c), db(*c)])


# fmt: off
_WHOLE = (
    ("the sign is flipped: this vector points downhill. The chain rule gives ∂(y_i − (m·x_i + b))/∂m = −x_i and ∂/∂b = −1; keep those minus signs.", lambda *c: -mse_gradient(*c)),
    ("both partial derivatives are half the right size: the factor 2 from differentiating the square is missing, or you used the 1/(2n) convention. This series uses L = (1/n) Σ (y_i − ŷ_i)², so the gradient keeps its 2.", lambda *c: mse_gradient(*c) / 2),
    ("you summed where the mean belongs: both partials are n times too large. Divide by n (or use np.mean).", lambda *c: mse_gradient(*c) * len(c[0])),
    ("the two partial derivatives are in the wrong order. Return [∂L/∂m, ∂L/∂b], the same order as the arguments m, b.", lambda *c: mse_gradient(*c)[::-1]),
    ("two things at once: the sign is flipped and both partials are half the right size. Keep the minus signs from the chain rule, and keep the factor 2.", lambda *c: -mse_gradient(*c) / 2),
    ("you divided by n − 1 (as for a sample variance). The MSE is a mean over all n observations, and so is each partial derivative: divide by n (or use np.mean).", lambda *c: mse_gradient(*c) * len(c[0]) / (len(c[0]) - 1)),
    ("you differentiated the loss without its square, (1/n) Σ (y_i − ŷ_i): that gives [−x̄, −1], whatever m and b. Differentiate the square: 2·r_i times the inner derivative.", lambda x, y, m, b: np.array([-np.mean(x), -1.0])),
)
GRADIENT = Exercise(
    "Gradient",
    cases=_GRADIENT_CASES,
    right=mse_gradient,
    array=True,
    read=_read_gradient,
    mistakes=tuple(Mistake("Not yet right: " + msg, wrong=w) for msg, w in _WHOLE)
    + tuple(Mistake(f"Not yet right: ∂L/∂b is right, but ∂L/∂m {what}; it should be {_RIGHT_M}.", wrong=_pair(w, _db)) for what, w in _PARTIAL_M)
    + tuple(Mistake(f"Not yet right: ∂L/∂m is right, but ∂L/∂b {what}; it should be {_RIGHT_B}.", wrong=_pair(_dm, w)) for what, w in _PARTIAL_B)
    + tuple(
        Mistake(f"Not yet right: neither partial derivative is right. ∂L/∂m {what_m}, and ∂L/∂b {what_b}.",
                wrong=_pair(wrong_m, wrong_b))
        for i, (what_m, wrong_m) in enumerate(_PARTIAL_M)
        for j, (what_b, wrong_b) in enumerate(_PARTIAL_B)
        if not (i == j < 3 or (i, j) == (4, 3))  # those are whole-gradient mistakes above
    ),
    success=f"Both partial derivatives are right on all {len(_GRADIENT_CASES)} test cases, in the order [∂L/∂m, ∂L/∂b].",
    hint=f"Compute r = y − (m·x + b) first; then {_RIGHT_M} and {_RIGHT_B}.",
    explain=_one_partial,
)
# fmt: on


def check_gradient(fn):
    """Check a learner's ``fn(x, y, m, b)`` against ``[∂L/∂m, ∂L/∂b]`` of the MSE (lesson 04).

    Examples
    --------
    >>> def gradient(x, y, m, b):
    ...     r = y - (m * x + b)
    ...     return np.array([-2 * np.mean(x * r), -2 * np.mean(r)])
    >>> check_gradient(gradient).passed
    True
    >>> print(check_gradient(lambda x, y, m, b: -gradient(x, y, m, b)).message)  # doctest: +ELLIPSIS
    Not yet right: the sign is flipped...
    """
    return run_check(GRADIENT, fn)
