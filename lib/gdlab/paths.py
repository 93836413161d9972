"""Measures of a descent path θ_0, θ_1, …, θ_j: how far each step went.

A path is an array of shape (steps + 1, p), one θ per row, e.g. ``run.params``
of a :class:`gdlab.DescentRun`.  Introduced in lesson 05, where the steps of
plain gradient descent shrink exactly as fast as the gradient does.
"""

from __future__ import annotations

import numpy as np

__all__ = ["step_lengths"]


def step_lengths(params) -> np.ndarray:
    """The length of each step, ``‖θ_(k+1) − θ_k‖``, for a path of parameters.

    ``params`` is the path, of shape (steps + 1, p), e.g. ``run.params`` of a
    :class:`gdlab.DescentRun`.  Introduced in lesson 05.

    Examples
    --------
    >>> step_lengths([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]]).tolist()
    [5.0, 1.0]
    """
    path = np.asarray(params, dtype=float)
    if path.ndim != 2 or path.shape[0] < 1:
        raise ValueError(f"params must have shape (steps + 1, p); got {path.shape}")
    return np.linalg.norm(np.diff(path, axis=0), axis=1)
