"""Update rules: how one step of descent moves θ (lessons 05 and 10).

An *update rule* is a small object with two methods, run by one engine,
:func:`gdlab.descend`:

``start(theta) -> state``
    What the rule remembers at step 0 (``None`` for plain gradient descent,
    a velocity of zeros for momentum, running averages for Adam).
``step(theta, gradient, learning_rate, state) -> (theta, state)``
    One update.  ``gradient`` is a *function* θ ↦ ∇L(θ), not a number, so a
    rule that looks ahead (Nesterov) can ask for the gradient somewhere else.
    Return new arrays; never change ``theta`` or ``state`` in place.

and an optional ``name`` for legends and status lines.  A rule may also say
how large a step it can take on a quadratic, ``critical_rate(hessian)``:
the learning rate above which it diverges on ``½ θᵀHθ`` (``None`` when no
such bound is known).  A rule written in a notebook works wherever a
built-in one does::

    >>> import numpy as np
    >>> import gdlab
    >>> class HeavyBall:
    ...     name = "heavy ball"
    ...     def __init__(self, beta=0.9):
    ...         self.beta = beta
    ...     def start(self, theta):                  # the rule's state at step 0
    ...         return np.zeros_like(theta)
    ...     def step(self, theta, gradient, learning_rate, state):
    ...         velocity = self.beta * state - learning_rate * gradient(theta)
    ...         return theta + velocity, velocity
    >>> bowl = gdlab.Parabola(curvature=1.0)
    >>> run = gdlab.descend(bowl, [2.0], learning_rate=0.5, steps=500, rule=HeavyBall(0.5))
    >>> run.status
    'converged'

The built-in rules follow the standard equations line for line, in the
notation of the lessons (η the learning rate, g = ∇L(θ), β the momentum):

* :class:`GradientDescent`: θ ← θ − η·g (lesson 05).
* :class:`Momentum` (heavy ball): v ← β·v − η·g;  θ ← θ + v.
* :class:`Nesterov`: v ← β·v − η·∇L(θ + β·v);  θ ← θ + v.
* :class:`RMSProp`: s ← ρ·s + (1 − ρ)·g²;  θ ← θ − η·g / (√s + ε).
* :class:`Adam`: m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;
  m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  θ ← θ − η·m̂ / (√v̂ + ε).

Every built-in rule works elementwise, so it also steps a whole stack of θ at
once (one row per learning rate), which is how :func:`gdlab.learning_rate_sweep`
runs it.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_positive_number
from .surfaces import critical_rate_of

__all__ = [
    "Adam",
    "GradientDescent",
    "Momentum",
    "Nesterov",
    "RMSProp",
    "critical_rate_for",
    "critical_rates",
    "rule_name",
]


def _as_decay(value, name: str) -> float:
    """A rate of forgetting, 0 ≤ value < 1, or a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a number from 0 up to (not including) 1")
    value = float(value)
    if not 0.0 <= value < 1.0:
        raise ValueError(
            f"{name} must be from 0 up to (not including) 1; got {value:g}"
        )
    return value


def rule_name(rule) -> str:
    """The rule's ``name`` if it has one, else its class name.

    Examples
    --------
    >>> rule_name(Momentum(0.9))
    'momentum (β = 0.9)'
    >>> class Mine:
    ...     pass
    >>> rule_name(Mine())
    'Mine'
    """
    name = getattr(rule, "name", None)
    return str(name) if name else type(rule).__name__


def critical_rate_for(rule, hessian) -> float | None:
    """The rule's stability bound on the quadratic ``½ θᵀHθ``, or ``None``.

    ``None`` when the rule states no bound (adaptive rules; a learner's rule
    without a ``critical_rate`` method) or when no direction curves upwards.

    Examples
    --------
    >>> critical_rate_for(GradientDescent(), [[4.0, 0.0], [0.0, 1.0]])
    0.5
    >>> critical_rate_for(Adam(), [[4.0, 0.0], [0.0, 1.0]]) is None
    True
    """
    bound = getattr(rule, "critical_rate", None)
    return None if bound is None else bound(hessian)


def critical_rates(rules, surface, theta) -> list[float | None]:
    """Each rule's critical rate on ``surface`` at ``theta`` (exact on a quadratic); None: none known.

    A rule whose ``critical_rate`` raises (a learner's, mid-way) knows none,
    as does every rule where the Hessian is not finite.

    Examples
    --------
    >>> from gdlab import Parabola
    >>> critical_rates([GradientDescent(), Momentum(0.5), Adam()], Parabola(2.0), [1.0])
    [1.0, 1.5, None]
    """
    with np.errstate(all="ignore"):
        hessian = np.asarray(
            surface.hessian(np.asarray(theta, dtype=float)), dtype=float
        )
    finite = bool(np.isfinite(hessian).all())
    rates = []
    for rule in rules:
        try:
            value = critical_rate_for(rule, hessian) if finite else None
        except Exception:  # noqa: BLE001 (a learner's critical_rate may fail: none known)
            value = None
        rates.append(None if value is None else float(value))
    return rates


class GradientDescent:
    """Plain gradient descent, θ ← θ − η·∇L(θ) (lesson 05).

    On a quadratic with largest curvature λ_max > 0 it converges for
    0 < η < 2/λ_max and diverges above (lesson 06).

    Examples
    --------
    >>> rule = GradientDescent()
    >>> theta, state = rule.step(np.array([2.0]), lambda t: 2 * t, 0.25, rule.start([2.0]))
    >>> float(theta[0])
    1.0
    """

    name = "gradient descent"
    bound = "2/λ_max"

    def start(self, theta):
        return None

    def step(self, theta, gradient, learning_rate, state):
        return theta - learning_rate * gradient(theta), state

    def critical_rate(self, hessian) -> float | None:
        """``2 / λ_max``; ``None`` when λ_max ≤ 0 (:func:`gdlab.surfaces.critical_rate_of`)."""
        return critical_rate_of(hessian)

    def __repr__(self) -> str:
        return "GradientDescent()"


class Momentum:
    """Heavy-ball momentum: v ← β·v − η·∇L(θ);  θ ← θ + v (lesson 10).

    v is a running, decaying sum of past steps.  On a quadratic with
    largest curvature λ_max > 0 and 0 ≤ β < 1, each eigen-direction follows
    the two-term recurrence ``u_{k+1} = (1 + β − ηλ)·u_k − β·u_{k−1}``,
    which converges exactly when 0 < η < 2(1 + β)/λ_max.

    Parameters
    ----------
    beta : float
        How much of the last step is kept, 0 ≤ β < 1; β = 0 is plain descent.

    Examples
    --------
    >>> Momentum(0.5).critical_rate([[2.0, 0.0], [0.0, 1.0]])
    1.5
    """

    bound = "2(1+β)/λ_max"

    def __init__(self, beta: float = 0.9):
        self.beta = _as_decay(beta, "beta")

    @property
    def name(self) -> str:
        return f"momentum (β = {self.beta:g})"

    def start(self, theta):
        return np.zeros_like(np.asarray(theta, dtype=float))

    def step(self, theta, gradient, learning_rate, state):
        velocity = self.beta * state - learning_rate * gradient(theta)
        return theta + velocity, velocity

    def critical_rate(self, hessian) -> float | None:
        """``2(1 + β) / λ_max``: (1 + β) times plain descent's; ``None`` when λ_max ≤ 0."""
        plain = critical_rate_of(hessian)
        return None if plain is None else (1.0 + self.beta) * plain

    def __repr__(self) -> str:
        return f"Momentum(beta={self.beta:g})"


class Nesterov:
    """Nesterov momentum: v ← β·v − η·∇L(θ + β·v);  θ ← θ + v (lesson 10).

    The gradient is taken where the velocity is about to carry θ.  On a
    quadratic (0 ≤ β < 1, λ_max > 0) each eigen-direction follows
    ``u_{k+1} = (1 + β)(1 − ηλ)·u_k − β(1 − ηλ)·u_{k−1}``, which converges
    exactly when 0 < η < 2(1 + β) / ((1 + 2β)·λ_max).

    Examples
    --------
    >>> round(Nesterov(0.5).critical_rate([[1.0]]), 6)
    1.5
    """

    bound = "2(1+β)/((1+2β)λ_max)"

    def __init__(self, beta: float = 0.9):
        self.beta = _as_decay(beta, "beta")

    @property
    def name(self) -> str:
        return f"Nesterov (β = {self.beta:g})"

    def start(self, theta):
        return np.zeros_like(np.asarray(theta, dtype=float))

    def step(self, theta, gradient, learning_rate, state):
        velocity = self.beta * state - learning_rate * gradient(
            theta + self.beta * state
        )
        return theta + velocity, velocity

    def critical_rate(self, hessian) -> float | None:
        """``2(1 + β) / ((1 + 2β)·λ_max)``; ``None`` when λ_max ≤ 0."""
        plain = critical_rate_of(hessian)
        return (
            None
            if plain is None
            else plain * (1.0 + self.beta) / (1.0 + 2.0 * self.beta)
        )

    def __repr__(self) -> str:
        return f"Nesterov(beta={self.beta:g})"


class RMSProp:
    """RMSProp: s ← ρ·s + (1 − ρ)·g²;  θ ← θ − η·g / (√s + ε) (lesson 10).

    Each parameter gets its own step size, η divided by the recent size of
    its own gradient.  Its steps do not scale with the curvature, so it has
    no bound of the form c/λ_max: ``critical_rate`` says none is known.

    Parameters
    ----------
    decay : float
        ρ, how slowly the average of g² forgets, 0 ≤ ρ < 1.
    eps : float
        ε > 0, keeps the division finite where g has been 0.

    Examples
    --------
    >>> rule = RMSProp(decay=0.0)
    >>> theta, _ = rule.step(np.array([3.0, -3.0]), lambda t: 10 * t, 0.1, rule.start([3.0, -3.0]))
    >>> [round(float(v), 6) for v in theta]      # each moved by η, whatever its gradient
    [2.9, -2.9]
    """

    bound = None
    name = "RMSProp"

    def __init__(self, decay: float = 0.9, eps: float = 1e-8):
        self.decay = _as_decay(decay, "decay")
        self.eps = as_positive_number(eps, "eps")

    def start(self, theta):
        return np.zeros_like(np.asarray(theta, dtype=float))

    def step(self, theta, gradient, learning_rate, state):
        g = gradient(theta)
        mean_square = self.decay * state + (1.0 - self.decay) * g**2
        return theta - learning_rate * g / (
            np.sqrt(mean_square) + self.eps
        ), mean_square

    def critical_rate(self, hessian) -> float | None:
        """None: no stability bound of the form c/λ_max is known."""
        return None

    def __repr__(self) -> str:
        return f"RMSProp(decay={self.decay:g}, eps={self.eps:g})"


class Adam:
    """Adam: running averages of g and g², bias-corrected (lesson 10).

    m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  m̂ = m / (1 − β₁ᵗ);
    v̂ = v / (1 − β₂ᵗ);  θ ← θ − η·m̂ / (√v̂ + ε), with t the step number
    from 1.  The averages start at 0, so early on they are too small, by
    the factors 1 − β₁ᵗ and 1 − β₂ᵗ; dividing these out, step 1 moves every
    parameter by η·g/(|g| + ε), about η.  (Without either division it would
    move by η·(1 − β₁)/√(1 − β₂), 3.16·η for the defaults.)  No bound
    c/λ_max is known.

    Examples
    --------
    >>> rule = Adam()
    >>> theta, state = rule.step(np.array([1.0, -5.0]), lambda t: 100 * t, 0.01, rule.start([1.0, -5.0]))
    >>> [round(float(v), 6) for v in theta]      # step 1: each parameter moves by η
    [0.99, -4.99]
    """

    bound = None
    name = "Adam"

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.beta1 = _as_decay(beta1, "beta1")
        self.beta2 = _as_decay(beta2, "beta2")
        self.eps = as_positive_number(eps, "eps")

    def start(self, theta):
        zeros = np.zeros_like(np.asarray(theta, dtype=float))
        return zeros, zeros.copy(), 0

    def step(self, theta, gradient, learning_rate, state):
        mean, mean_square, t = state
        g = gradient(theta)
        t += 1
        mean = self.beta1 * mean + (1.0 - self.beta1) * g
        mean_square = self.beta2 * mean_square + (1.0 - self.beta2) * g**2
        mean_hat = mean / (1.0 - self.beta1**t)
        mean_square_hat = mean_square / (1.0 - self.beta2**t)
        theta = theta - learning_rate * mean_hat / (np.sqrt(mean_square_hat) + self.eps)
        return theta, (mean, mean_square, t)

    def critical_rate(self, hessian) -> float | None:
        """None: no stability bound of the form c/λ_max is known."""
        return None

    def __repr__(self) -> str:
        return f"Adam(beta1={self.beta1:g}, beta2={self.beta2:g}, eps={self.eps:g})"
