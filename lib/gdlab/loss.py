"""The mean squared error of a line, its gradient, and its minimum.

For observations ``(x_i, y_i)``, ``i = 1..n``, and the line ŷ = m·x + b::

    L(m, b)  = (1/n) Σ (y_i − ŷ_i)²
    ∂L/∂m    = −(2/n) Σ x_i (y_i − ŷ_i)
    ∂L/∂b    = −(2/n) Σ (y_i − ŷ_i)
    H        = 2·[[mean x², mean x], [mean x, 1]]      (the Hessian, constant)

Gradient descent on L is stable exactly when ``learning_rate < 2/λ_max(H)``.
Introduced in lessons 03 (loss), 04 (gradient) and 06 (the stability bound).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_data_vector, as_finite_number, as_paired_vectors
from .least_squares import LinearMSE
from .surfaces import critical_rate_of

__all__ = ["best_fit", "critical_learning_rate", "mse", "mse_gradient", "mse_hessian"]


def mse(y, y_hat) -> float:
    """Mean squared error, ``(1/n) Σ (y_i − ŷ_i)²``.

    Parameters
    ----------
    y : array_like of shape (n,)
        Observed values.
    y_hat : array_like of shape (n,)
        Predicted values.

    Returns
    -------
    float

    Examples
    --------
    >>> mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.3333333333333333
    """
    y_arr, y_hat_arr = as_paired_vectors(y, y_hat, "y", "y_hat")
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean((y_arr - y_hat_arr) ** 2))


def mse_gradient(x, y, m, b) -> np.ndarray:
    """Gradient of the MSE of the line ŷ = m·x + b, as ``[∂L/∂m, ∂L/∂b]``.

    ``∂L/∂m = −(2/n) Σ x_i (y_i − ŷ_i)`` and ``∂L/∂b = −(2/n) Σ (y_i − ŷ_i)``:
    the chain rule applied inside the sum, term by term.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The observations.
    m, b : float
        The line's slope and intercept.

    Returns
    -------
    numpy.ndarray of shape (2,)
        ``[∂L/∂m, ∂L/∂b]``, in the same order as the arguments ``m, b``.

    Examples
    --------
    >>> bool((mse_gradient([0.0, 1.0], [1.0, 3.0], m=2.0, b=1.0) == 0).all())  # a perfect fit
    True
    >>> mse_gradient([0.0, 1.0], [1.0, 3.0], m=0.0, b=0.0)
    array([-3., -4.])
    """
    x_arr, y_arr = as_paired_vectors(x, y)
    m = as_finite_number(m, "m")
    b = as_finite_number(b, "b")
    with np.errstate(over="ignore", invalid="ignore"):
        residuals = y_arr - (m * x_arr + b)
        return np.array([-2.0 * np.mean(x_arr * residuals), -2.0 * np.mean(residuals)])


def best_fit(x, y) -> tuple[float, float]:
    """The slope and intercept ``(m, b)`` that minimise the MSE (closed form).

    ``m = Σ (x_i − x̄)(y_i − ȳ) / Σ (x_i − x̄)²`` and ``b = ȳ − m·x̄``, from
    centred data so it stays accurate far from zero: ``LinearMSE(x, y).minimum``,
    the one place gdlab computes it.

    Parameters
    ----------
    x, y : array_like of shape (n,)
        The observations; ``x`` needs at least two distinct values.

    Returns
    -------
    (float, float)
        ``(m, b)``.

    Examples
    --------
    >>> best_fit([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    (2.0, 1.0)
    """
    return LinearMSE(x, y).minimum


def mse_hessian(x) -> np.ndarray:
    """The Hessian of the MSE over (m, b): ``2·[[mean x², mean x], [mean x, 1]]``.

    It does not depend on ``y`` or on (m, b): the MSE of a line is a quadratic
    bowl, the same shape everywhere.

    Examples
    --------
    >>> mse_hessian([0.0, 1.0, 2.0])
    array([[3.33333333, 2.        ],
           [2.        , 2.        ]])
    """
    x_arr = as_data_vector(x, "x")
    mean_x = x_arr.mean()
    mean_x2 = np.mean(x_arr * x_arr)
    return 2.0 * np.array([[mean_x2, mean_x], [mean_x, 1.0]])


def critical_learning_rate(x) -> float:
    """The largest stable learning rate for the MSE of a line, ``2 / λ_max(H)``.

    Gradient descent converges from every start when ``learning_rate`` is
    below this value and diverges from almost every start above it.  It
    depends on ``x`` alone, so scaling the inputs changes it.

    Parameters
    ----------
    x : array_like of shape (n,)
        The inputs.

    Returns
    -------
    float

    Examples
    --------
    >>> round(critical_learning_rate([0.0, 1.0]), 4)     # x in [0, 1]
    0.7639
    >>> critical_learning_rate([0.0, 100.0]) < 0.01     # x in [0, 100]: 0.01 diverges
    True
    """
    return critical_rate_of(mse_hessian(x))
