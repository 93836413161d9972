"""The linear model ŷ = m·x + b.

``m`` is the slope and ``b`` the intercept; together they are the parameter
vector θ = (m, b).  Introduced in lesson 02.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_data_vector, as_finite_number

__all__ = ["predict"]


def predict(x, m, b):
    """The line's predictions ŷ = m·x + b.

    Parameters
    ----------
    x : float or array_like of shape (n,)
        Inputs.
    m, b : float
        Slope and intercept.

    Returns
    -------
    float or numpy.ndarray
        ``m * x + b``, a float for a scalar ``x``, else a new array of shape (n,).

    Examples
    --------
    >>> predict([0.0, 1.0, 2.0], m=2.0, b=1.0)
    array([1., 3., 5.])
    >>> predict(3, 0.5, 0)
    1.5
    """
    x_arr = as_data_vector(x, "x", allow_scalar=True)
    m = as_finite_number(m, "m")
    b = as_finite_number(b, "b")
    with np.errstate(over="ignore", invalid="ignore"):
        y_hat = m * x_arr + b
    return float(y_hat) if y_hat.ndim == 0 else y_hat
