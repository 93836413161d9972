"""Feature columns for models that are linear in their weights.

A polynomial ŷ = w_0 + w_1·x + w_2·x² + … is curved in ``x`` but linear in
the weights θ = (w_0, w_1, …): it is the matrix product ŷ = X·θ of the
*design matrix* X = [1, x, x², …] (one row per observation, one column per
weight) with θ.  So the MSE, its gradient and the update rule of the line
carry over unchanged.  Introduced in lessons 06 (standardising x) and 07
(polynomial regression).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_data_vector, as_finite_number, as_whole_number

__all__ = ["design_matrix", "predict_features", "standardize", "Standardization"]


def design_matrix(x, degree: int) -> np.ndarray:
    """The design matrix ``[1, x, x², …, x^degree]`` of a polynomial.

    Parameters
    ----------
    x : array_like of shape (n,)
        The inputs.
    degree : int
        The highest power, >= 0.  Degree 1 is the line: columns ``[1, x]``,
        so θ = (w_0, w_1) = (b, m).

    Returns
    -------
    numpy.ndarray of shape (n, degree + 1)
        Column ``j`` holds ``x**j``; column 0 is all ones (the intercept).

    Examples
    --------
    >>> design_matrix([1.0, 2.0, 3.0], degree=2)
    array([[1., 1., 1.],
           [1., 2., 4.],
           [1., 3., 9.]])
    """
    x_arr = as_data_vector(x, "x")
    degree = as_whole_number(degree, "degree")
    with np.errstate(over="ignore", invalid="ignore"):
        return x_arr[:, None] ** np.arange(int(degree) + 1)


def predict_features(X, theta) -> np.ndarray:
    """The predictions ŷ = X·θ of a model linear in its weights.

    Parameters
    ----------
    X : array_like of shape (n, p)
        The design matrix, one row per observation.
    theta : array_like of shape (p,)
        The weights, one per column of ``X``.

    Returns
    -------
    numpy.ndarray of shape (n,)

    Examples
    --------
    >>> X = design_matrix([0.0, 1.0, 2.0], degree=1)     # columns [1, x]
    >>> predict_features(X, [1.0, 2.0])                  # ŷ = 1 + 2x
    array([1., 3., 5.])
    """
    matrix = as_design(X)
    weights = as_data_vector(theta, "theta")
    if weights.size != matrix.shape[1]:
        raise ValueError(
            f"theta must have one weight per column of X ({matrix.shape[1]}); "
            f"got {weights.size}"
        )
    with np.errstate(over="ignore", invalid="ignore"):
        return matrix @ weights


def as_design(X, name: str = "X") -> np.ndarray:
    """Check a design matrix: a finite 2-D float array of shape (n, p), n, p >= 1."""
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"{name} must be a 2-D array of numbers; got {X!r}")
    raw = np.asarray(X)
    if raw.dtype.kind not in "iuf" or raw.dtype.kind == "b":
        raise TypeError(
            f"{name} must contain real numbers; got an array of dtype {raw.dtype}"
        )
    if raw.ndim != 2 or raw.shape[0] < 1 or raw.shape[1] < 1:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n, p); got shape {raw.shape}"
        )
    matrix = np.array(raw, dtype=np.float64)
    if not np.isfinite(matrix).all():
        raise ValueError(f"{name} must contain only finite numbers")
    return matrix


@dataclass(frozen=True)
class Standardization:
    """How ``x`` was standardised: ``z = (x − mean) / scale``, and how to undo it.

    Attributes
    ----------
    mean : float
        x̄, the mean of the original inputs.
    scale : float
        Their standard deviation (1.0 when all inputs are equal).

    Examples
    --------
    >>> z, how = standardize([0.0, 50.0, 100.0])
    >>> how.undo(z)
    array([  0.,  50., 100.])
    """

    mean: float
    scale: float

    def apply(self, x):
        """Standardise new inputs the same way: ``(x − mean) / scale``."""
        return (as_data_vector(x, "x") - self.mean) / self.scale

    def undo(self, z):
        """Back to the original units: ``z·scale + mean``."""
        return as_data_vector(z, "z") * self.scale + self.mean

    def line_to_original(self, m, b) -> tuple[float, float]:
        """The line ŷ = m·z + b fitted on standardised z, written in x.

        ŷ = m·(x − mean)/scale + b, so the slope is ``m/scale`` and the
        intercept ``b − m·mean/scale``.

        Examples
        --------
        >>> how = Standardization(mean=5.0, scale=2.0)
        >>> how.line_to_original(4.0, 1.0)
        (2.0, -9.0)
        """
        m = as_finite_number(m, "m")
        b = as_finite_number(b, "b")
        return m / self.scale, b - m * self.mean / self.scale


def standardize(x):
    """Rescale inputs to mean 0 and standard deviation 1.

    Parameters
    ----------
    x : array_like of shape (n,)

    Returns
    -------
    z : numpy.ndarray of shape (n,)
        ``(x − x̄) / s`` with ``s`` the standard deviation of ``x``.
    how : Standardization
        The mean and scale used, with ``apply``, ``undo`` and
        ``line_to_original`` to convert back.  Introduced in lesson 06.

    Examples
    --------
    >>> z, how = standardize([0.0, 1.0, 2.0])
    >>> [round(float(v), 4) for v in z], round(how.mean, 4), round(how.scale, 4)
    ([-1.2247, 0.0, 1.2247], 1.0, 0.8165)
    """
    x_arr = as_data_vector(x, "x")
    mean = float(x_arr.mean())
    scale = float(x_arr.std())
    if not scale > 0:
        scale = 1.0
    how = Standardization(mean, scale)
    return (x_arr - mean) / scale, how
