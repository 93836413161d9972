"""Observations: the pairs (x_i, y_i) that every lesson fits.

An *observation* is one pair ``(x_i, y_i)``; a *data set* is ``n`` of them.
This module makes seeded synthetic data sets and ships one small real one,
Anscombe's quartet.  Introduced in lesson 01.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_finite_number, as_paired_vectors, as_seed, as_whole_number

__all__ = ["Observations", "make_observations", "anscombe_quartet"]


@dataclass(frozen=True, eq=False)
class Observations:
    """A data set of ``n`` observations ``(x_i, y_i)``.

    The arrays are read-only copies, so a lesson cannot change a data set
    that later cells rely on by accident.

    Parameters
    ----------
    x, y : array_like
        The inputs and the observed outputs, 1-D, finite, same length.
    name : str, optional
        A short label for plots and tables.

    Examples
    --------
    >>> obs = Observations([0, 1, 2], [1, 3, 5])
    >>> len(obs), obs[1]
    (3, (1.0, 3.0))
    >>> [pair for pair in obs]
    [(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]
    """

    x: np.ndarray
    y: np.ndarray
    name: str = ""

    def __post_init__(self):
        x, y = as_paired_vectors(self.x, self.y)
        x.flags.writeable = False
        y.flags.writeable = False
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    @property
    def n(self) -> int:
        """The number of observations."""
        return int(self.x.size)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        return (float(self.x[i]), float(self.y[i]))

    def __iter__(self):
        for i in range(self.n):
            yield self[i]

    def __repr__(self) -> str:
        label = f"{self.name!r}, " if self.name else ""
        return f"Observations({label}n={self.n})"


def make_observations(
    n: int = 50,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 1.0,
    x_range: tuple[float, float] = (0.0, 10.0),
    seed: int | None = 0,
) -> Observations:
    """Make ``n`` noisy observations of the line ``y = slope·x + intercept``.

    ``x`` is drawn uniformly from ``x_range`` and sorted; each ``y_i`` is the
    line's value plus Gaussian noise with standard deviation ``noise``.

    Parameters
    ----------
    n : int
        Number of observations, at least 1.
    slope, intercept : float
        The true line the data scatter around.
    noise : float
        Standard deviation of the noise, >= 0.
    x_range : (float, float)
        ``(low, high)`` with ``low < high``.
    seed : int or None
        The same seed gives the same data on every machine (NumPy's PCG64
        generator); ``None`` draws fresh data each call.

    Returns
    -------
    Observations

    Examples
    --------
    >>> obs = make_observations(n=5, seed=1)
    >>> len(obs), obs.x.dtype
    (5, dtype('float64'))
    >>> bool((make_observations(seed=3).y == make_observations(seed=3).y).all())
    True
    """
    n = as_whole_number(n, "n", low=1)
    slope = as_finite_number(slope, "slope")
    intercept = as_finite_number(intercept, "intercept")
    noise = as_finite_number(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0 (a standard deviation); got {noise}")
    try:
        low, high = x_range
    except (TypeError, ValueError):
        raise TypeError(
            f"x_range must be a pair (low, high); got {x_range!r}"
        ) from None
    low = as_finite_number(low, "x_range[0]")
    high = as_finite_number(high, "x_range[1]")
    if not low < high:
        raise ValueError(f"x_range must have low < high; got ({low}, {high})")
    seed = as_seed(seed)

    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(low, high, size=int(n)))
    y = slope * x + intercept + noise * rng.standard_normal(int(n))
    return Observations(
        x, y, name=f"line y = {slope:g}x + {intercept:g}, noise {noise:g}"
    )


# Anscombe, F. J. (1973). "Graphs in Statistical Analysis". The American
# Statistician 27 (1): 17-21.  The four tables are facts printed in that paper
# and are in the public domain.  They share mean, variance, correlation and
# least-squares line to two decimals, yet look nothing alike when plotted.
_ANSCOMBE_X = (10.0, 8.0, 13.0, 9.0, 11.0, 14.0, 6.0, 4.0, 12.0, 7.0, 5.0)
_ANSCOMBE = {
    "I": (
        _ANSCOMBE_X,
        (8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68),
    ),
    "II": (
        _ANSCOMBE_X,
        (9.14, 8.14, 8.74, 8.77, 9.26, 8.10, 6.13, 3.10, 9.13, 7.26, 4.74),
    ),
    "III": (
        _ANSCOMBE_X,
        (7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73),
    ),
    "IV": (
        (8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 19.0, 8.0, 8.0, 8.0),
        (6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.50, 5.56, 7.91, 6.89),
    ),
}


def anscombe_quartet() -> dict[str, Observations]:
    """Anscombe's quartet: four data sets of 11 observations each.

    Source: F. J. Anscombe, "Graphs in Statistical Analysis", *The American
    Statistician* 27(1), 1973, pp. 17-21.  Public domain.  All four have the
    same best-fit line, ``y ≈ 0.5x + 3``, which is why one plots data.

    Returns
    -------
    dict of str to Observations
        Keys ``"I"``, ``"II"``, ``"III"``, ``"IV"``.

    Examples
    --------
    >>> quartet = anscombe_quartet()
    >>> sorted(quartet), len(quartet["IV"])
    (['I', 'II', 'III', 'IV'], 11)
    """
    return {
        key: Observations(x, y, name=f"Anscombe {key}")
        for key, (x, y) in _ANSCOMBE.items()
    }
