"""Yes/no data and the logistic model p = σ(w·x + b): lesson 11.

A *classification* observation is a pair ``(x_i, y_i)`` with ``y_i`` either
0 (no) or 1 (yes).  The model predicts a probability,
``p_i = σ(z_i)`` with ``z_i = w·x_i + b`` and the sigmoid
``σ(z) = 1 / (1 + e^(−z))``; its two parameters are θ = (w, b).

Two losses over (w, b):

* :class:`SigmoidMSE`, the mean squared error of p: not convex;
* :class:`CrossEntropy`, ``L = −(1/n) Σ [y_i log p_i + (1 − y_i) log(1 − p_i)]``:
  convex, with the gradient ``(1/n) Σ (p_i − y_i)·[x_i, 1]`` and the Hessian
  ``XᵀSX/n``, ``S = diag(p_i(1 − p_i))``.

Both are computed from z without ever forming ``log(0)``:
``−log σ(z) = log(1 + e^(−z))`` is ``np.logaddexp(0, −z)``, exact for any
size of z.  Numpy only, like every math module.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_data_vector, as_finite_number, as_seed, as_whole_number
from .data import Observations
from .surfaces import CriticalPoint, Surface

__all__ = [
    "CrossEntropy",
    "SigmoidMSE",
    "cross_entropy",
    "cross_entropy_from_logits",
    "logistic_gradient",
    "make_classes",
    "shuttle_launches",
    "sigmoid",
]


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), without overflow for any size of z.

    For z < 0 it uses the equal form e^z / (1 + e^z), so ``exp`` never sees a
    large positive number.  Introduced in lesson 11.

    Examples
    --------
    >>> float(sigmoid(0.0)), float(sigmoid(-1000.0)), float(sigmoid(1000.0))
    (0.5, 0.0, 1.0)
    """
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def _labels(y) -> np.ndarray:
    labels = as_data_vector(y, "y")
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError(
            f"y must hold only 0 (no) and 1 (yes); got the values {np.unique(labels).tolist()[:6]}"
        )
    return labels


def cross_entropy(y, p) -> float:
    """The cross-entropy ``−(1/n) Σ [y_i log p_i + (1 − y_i) log(1 − p_i)]``.

    Each observation adds ``−log`` of the probability the model gave to what
    happened: ``p_i`` where ``y_i = 1``, ``1 − p_i`` where ``y_i = 0``.  Only
    that log is taken, so a sure and right prediction (p = 1 for a yes) adds 0,
    never ``0·log 0``.  A sure and wrong one adds ``inf``.  Lesson 11.

    Examples
    --------
    >>> round(cross_entropy([1, 0], [0.8, 0.4]), 4)     # (−log 0.8 − log 0.6)/2
    0.367
    >>> cross_entropy([1, 0], [1.0, 0.0])
    0.0
    """
    labels = _labels(y)
    probabilities = as_data_vector(p, "p")
    if probabilities.size != labels.size:
        raise ValueError(
            f"y and p must have the same length; got {labels.size} and {probabilities.size}"
        )
    if np.any((probabilities < 0) | (probabilities > 1)):
        raise ValueError("p must hold probabilities, between 0 and 1")
    given = np.where(labels == 1, probabilities, 1.0 - probabilities)
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(given)))


def cross_entropy_from_logits(y, z) -> float:
    """The cross-entropy of p = σ(z), computed from z: ``mean(log(1 + e^z) − y·z)``.

    Equal to ``cross_entropy(y, sigmoid(z))``, but finite and exact however
    large |z| is (``−log σ(z) = log(1 + e^(−z))``, with ``np.logaddexp``).
    Lesson 11.

    Examples
    --------
    >>> round(cross_entropy_from_logits([1, 0], [0.0, 0.0]), 4)   # log 2
    0.6931
    >>> cross_entropy_from_logits([0], [800.0])                    # sure and wrong: 800, not inf
    800.0
    """
    labels = _labels(y)
    logits = as_data_vector(z, "z")
    return float(np.mean(np.logaddexp(0.0, logits) - labels * logits))


def logistic_gradient(x, y, w: float, b: float) -> np.ndarray:
    """``[∂L/∂w, ∂L/∂b]`` of the cross-entropy: ``(1/n) Σ (σ(z_i) − y_i)·[x_i, 1]`` (lesson 11).

    Examples
    --------
    >>> logistic_gradient([0.0, 2.0], [0, 1], w=0.0, b=0.0)   # p = ½ everywhere
    array([-0.5,  0. ])
    """
    surface = CrossEntropy(x, y)
    return surface.gradient([as_finite_number(w, "w"), as_finite_number(b, "b")])


class _LogisticSurface(Surface):
    """A loss of p = σ(w·x + b) over θ = (w, b), for yes/no data ``x, y``."""

    parameter_names = ("w", "b")

    def __init__(self, x, y):
        inputs = as_data_vector(x, "x")
        labels = _labels(y)
        if inputs.size != labels.size:
            raise ValueError(
                f"x and y must have the same length; got {inputs.size} and {labels.size}"
            )
        if labels.min() == labels.max():
            raise ValueError(
                "y must contain both classes (some 0 and some 1); a model cannot learn a boundary from one"
            )
        self.x, self.y, self.n = inputs, labels, inputs.size

    def _logits(self, params):
        return params[..., 0, None] * self.x + params[..., 1, None]

    @property
    def separable(self) -> bool:
        """Whether one threshold on x puts every yes on one side and every no on the other."""
        yes, no = self.x[self.y == 1], self.x[self.y == 0]
        return bool(yes.min() > no.max() or yes.max() < no.min())

    def _window_around(self, centre) -> tuple[tuple[float, float], ...]:
        """A box around ``centre`` scaled by the data: |w| up to a few per unit of x."""
        w0, b0 = centre
        spread = float(np.std(self.x)) or 1.0
        half_w = max(4.0 / spread, 1.5 * abs(w0))
        half_b = max(4.0, 1.5 * abs(b0), half_w * abs(float(np.mean(self.x))))
        return ((w0 - half_w, w0 + half_w), (b0 - half_b, b0 + half_b))


class CrossEntropy(_LogisticSurface):
    """The cross-entropy of p = σ(w·x + b) over θ = (w, b): a convex surface.

    Its Hessian ``XᵀSX/n`` (columns ``[x, 1]``, ``S = diag(p_i(1 − p_i))``)
    is positive semi-definite everywhere, so every point where the gradient
    is zero is the minimum.  When one threshold on x separates the classes
    (:attr:`separable`) there is no such point: the loss falls towards 0 as
    ``|w|`` grows, forever.  Lesson 11.

    Parameters
    ----------
    x : array_like of shape (n,)
        The inputs.
    y : array_like of shape (n,)
        The labels, each 0 or 1, both present.

    Examples
    --------
    >>> surface = CrossEntropy([0.0, 1.0, 2.0, 3.0], [0, 1, 0, 1])
    >>> round(surface.loss([0.0, 0.0]), 4)          # p = ½ everywhere: log 2
    0.6931
    >>> surface.gradient([0.0, 0.0])
    array([-0.25,  0.  ])
    >>> surface.separable, surface.critical_points()[0].kind
    (False, 'minimum')
    """

    convex = True

    def _loss(self, params):
        z = self._logits(params)
        return np.mean(np.logaddexp(0.0, z) - self.y * z, axis=-1)

    def _gradient(self, params):
        residual = sigmoid(self._logits(params)) - self.y  # p_i − y_i
        return np.stack(
            [np.mean(residual * self.x, axis=-1), np.mean(residual, axis=-1)], axis=-1
        )

    def hessian(self, theta) -> np.ndarray:
        """``XᵀSX/n`` at one θ, with columns ``[x, 1]`` and ``S = diag(p(1 − p))``."""
        p = sigmoid(self._logits(self._as_params(theta)))
        X = np.column_stack([self.x, np.ones_like(self.x)])
        return (X.T * (p * (1.0 - p))) @ X / self.n

    def _newton(self, steps: int = 100) -> np.ndarray | None:
        """The minimum by Newton's method, or None when there is none (separable data)."""
        if self.separable:
            return None
        theta = np.zeros(2)
        for _ in range(steps):
            move = np.linalg.solve(self.hessian(theta), self.gradient(theta))
            theta = theta - move
            if np.max(np.abs(move)) <= 1e-12 * (1.0 + np.max(np.abs(theta))):
                break
        return theta

    def critical_points(self) -> list[CriticalPoint]:
        """The minimum, found by Newton's method; none for separable data."""
        found = self.__dict__.get("_found")
        if found is None:
            found = self._found = self._newton()
        return [] if found is None else [self._critical(found)]

    def window(self):
        """A box around the minimum (or around θ = 0 for separable data), in the data's units."""
        points = self.critical_points()
        return self._window_around(points[0].point if points else (0.0, 0.0))

    def __repr__(self) -> str:
        return f"CrossEntropy(n={self.n})"


class SigmoidMSE(_LogisticSurface):
    """The MSE of p = σ(w·x + b) over θ = (w, b): ``(1/n) Σ (y_i − p_i)²``.

    Not convex: far from the data's boundary σ is flat, the loss flattens to
    plateaus, and there the Hessian has a negative eigenvalue.  Lesson 11
    shows it next to :class:`CrossEntropy`.

    Examples
    --------
    >>> surface = SigmoidMSE([0.0, 1.0, 2.0, 3.0], [0, 0, 1, 1])
    >>> round(surface.loss([0.0, 0.0]), 4)          # p = ½: every error is ½
    0.25
    >>> float(np.linalg.eigvalsh(surface.hessian([-3.0, 4.5]))[0]) < 0   # curves down there
    True
    """

    def _loss(self, params):
        residual = self.y - sigmoid(self._logits(params))
        return np.mean(residual * residual, axis=-1)

    def _gradient(self, params):
        p = sigmoid(self._logits(params))
        # d/dz (y − p)² = −2 (y − p) p (1 − p); then z's inner derivatives x and 1
        slope = -2.0 * (self.y - p) * p * (1.0 - p)
        return np.stack(
            [np.mean(slope * self.x, axis=-1), np.mean(slope, axis=-1)], axis=-1
        )

    def window(self):
        """The same box as the cross-entropy's on these data."""
        return CrossEntropy(self.x, self.y).window()

    def critical_points(self) -> list[CriticalPoint]:
        """Not known in closed form: the surface does not say (it has plateaus)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"SigmoidMSE(n={self.n})"


def make_classes(
    n: int = 40,
    weight: float = 2.0,
    bias: float = 0.0,
    x_range: tuple[float, float] = (-3.0, 3.0),
    seed: int | None = None,
    separable: bool = False,
    gap: float = 0.0,
) -> Observations:
    """Seeded yes/no observations: ``y_i = 1`` with probability ``σ(weight·x_i + bias)``.

    With ``separable=True`` the label is decided by the sign of
    ``weight·x_i + bias`` alone, so one threshold separates the classes, and
    every x is then moved ``gap/2`` further from that threshold, leaving an
    empty band of width ``gap`` between the classes.  Introduced in lesson 11.

    Examples
    --------
    >>> obs = make_classes(n=6, seed=0)
    >>> obs.y.tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    >>> make_classes(n=6, seed=0, separable=True).y.tolist()
    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    """
    n = as_whole_number(n, "n", low=2)
    weight = as_finite_number(weight, "weight")
    bias = as_finite_number(bias, "bias")
    low, high = (as_finite_number(v, "x_range") for v in x_range)
    if not low < high:
        raise ValueError(f"x_range must be (low, high) with low < high; got {x_range}")
    rng = np.random.default_rng(as_seed(seed))
    x = np.sort(rng.uniform(low, high, n))
    gap = as_finite_number(gap, "gap")
    if gap < 0 or (gap > 0 and not separable):
        raise ValueError(f"gap must be 0, or positive with separable=True; got {gap}")
    if weight != 0:
        x = x + np.sign(x + bias / weight) * gap / 2
    z = weight * x + bias
    chance = rng.uniform(size=n)
    y = (z > 0) if separable else (chance < sigmoid(z))
    return Observations(x, y.astype(float), name="yes/no observations")


# The 23 space-shuttle launches before the Challenger accident (STS-1 to
# STS-61C; STS-4 is not among them, its boosters were lost at sea): the
# temperature at launch in °F, and 1 if any field-joint O-ring showed thermal
# distress (erosion or blow-by), else 0.  Source: Report of the Presidential
# Commission on the Space Shuttle Challenger Accident (the Rogers Commission),
# Washington DC, 1986, vol. 1; tabulated in S. R. Dalal, E. B. Fowlkes
# and B. Hoadley, "Risk analysis of the space shuttle: pre-Challenger
# prediction of failure", J. Amer. Statist. Assoc. 84 (1989) 945-957.
# A work of the US government: in the public domain.
# fmt: off
_SHUTTLE = (
    ("STS-1", 66, 0), ("STS-2", 70, 1), ("STS-3", 69, 0), ("STS-5", 68, 0),
    ("STS-6", 67, 0), ("STS-7", 72, 0), ("STS-8", 73, 0), ("STS-9", 70, 0),
    ("41-B", 57, 1), ("41-C", 63, 1), ("41-D", 70, 1), ("41-G", 78, 0),
    ("51-A", 67, 0), ("51-C", 53, 1), ("51-D", 67, 0), ("51-B", 75, 0),
    ("51-G", 70, 0), ("51-F", 81, 0), ("51-I", 76, 0), ("51-J", 79, 0),
    ("61-A", 75, 1), ("61-B", 76, 0), ("61-C", 58, 1),
)
# fmt: on


def shuttle_launches() -> Observations:
    """The 23 shuttle launches before 28 January 1986: temperature (°F) and O-ring damage.

    ``x`` is the temperature at launch, ``y`` is 1 if an O-ring of a field
    joint showed damage (7 launches), else 0.  Challenger launched at 31 °F,
    far below every launch here.  Data from the Rogers Commission report
    (1986), public domain.  Lesson 11.

    Examples
    --------
    >>> obs = shuttle_launches()
    >>> len(obs), int(obs.y.sum()), float(obs.x.min()), float(obs.x.max())
    (23, 7, 53.0, 81.0)
    """
    x = [temperature for _, temperature, _ in _SHUTTLE]
    y = [damage for _, _, damage in _SHUTTLE]
    return Observations(x, y, name="shuttle launches, 1981-1986")
