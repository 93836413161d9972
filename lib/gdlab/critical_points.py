"""How often is a random critical point a minimum?  A simulation (lesson 08).

At a critical point (∇L = 0) the Hessian's eigenvalues decide: all positive
is a minimum.  The notes argue that with ``k`` parameters each direction
curves up or down with probability 1/2, independently, so a critical point is
a minimum with probability ``2^−k``.  That is a *heuristic*: real Hessians
are not made of independent coin flips.  A second model draws the whole
Hessian at random as a symmetric matrix with Gaussian entries (the Gaussian
orthogonal ensemble, GOE); its eigenvalues repel each other, and all ``k``
being positive is far rarer than ``2^−k``.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_seed, as_whole_number

__all__ = ["KINDS", "fraction_of_minima", "random_hessians"]

KINDS = ("independent", "goe")


def _check(k, trials, seed, kind):
    as_whole_number(k, "k", low=1)
    as_whole_number(trials, "trials", low=1)
    as_seed(seed)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")


def random_hessians(
    k: int, trials: int, seed: int | None = 0, kind: str = "goe"
) -> np.ndarray:
    """Draw ``trials`` random k×k Hessians; shape ``(trials, k, k)``.

    ``kind="independent"``: diagonal matrices whose entries are ±1 with
    probability 1/2 each, independently (the notes' coin flips).
    ``kind="goe"``: ``(G + Gᵀ)/2`` with ``G`` standard Gaussian, a random
    symmetric matrix.

    Examples
    --------
    >>> H = random_hessians(3, trials=2, seed=0)
    >>> H.shape, bool(np.allclose(H, np.swapaxes(H, 1, 2)))
    ((2, 3, 3), True)
    """
    _check(k, trials, seed, kind)
    rng = np.random.default_rng(seed)
    if kind == "independent":
        signs = rng.choice(np.array([-1.0, 1.0]), size=(trials, k))
        return signs[:, :, None] * np.eye(k)
    gaussian = rng.standard_normal((trials, k, k))
    return (gaussian + np.swapaxes(gaussian, 1, 2)) / 2.0


def fraction_of_minima(
    k: int, trials: int = 10_000, seed: int | None = 0, kind: str = "independent"
) -> float:
    """The fraction of ``trials`` random critical points that are minima.

    Parameters
    ----------
    k : int
        The number of parameters (the Hessian is k×k), >= 1.
    trials : int
        How many random Hessians to draw.
    seed : int or None
        Seed of the random generator; the same seed gives the same answer.
    kind : {"independent", "goe"}
        The model of a random Hessian, see :func:`random_hessians`.

    Returns
    -------
    float
        The share whose eigenvalues are all positive.  Under
        ``"independent"`` it estimates ``2^−k``.

    Examples
    --------
    >>> fraction_of_minima(1, trials=20_000, seed=0) == fraction_of_minima(1, 20_000, seed=0)
    True
    >>> abs(fraction_of_minima(3, trials=20_000, seed=1) - 2 ** -3) < 0.01
    True
    """
    hessians = random_hessians(k, trials, seed, kind)
    eigenvalues = np.linalg.eigvalsh(hessians)
    return float(np.mean(np.all(eigenvalues > 0, axis=1)))
