"""Tables for lesson 10: one step of heavy-ball momentum, and one step of Adam.

* :func:`check_momentum_step`: ``v ← β·v − η·g;  θ ← θ + v`` (as :class:`gdlab.Momentum`).
* :func:`check_adam_step`: the averages of g and g², bias-corrected with the
  number of this update (as :class:`gdlab.Adam`).

The right answers come from the library's own rules, run for one step.
"""

from __future__ import annotations

import numpy as np

from ..rules import Adam, Momentum
from .engine import Exercise, Mistake, Problem, as_numbers, run_check, same

__all__ = ["check_adam_step", "check_momentum_step"]

_A = np.array

# --------------------------------------------------------------------------- momentum

# v ≠ 0 in two cases (so the old velocity matters), β and η never 1 and
# never equal, gradients of both signs, two and three parameters.
# fmt: off
_MOMENTUM_CASES = (
    (_A([1.0, -2.0]), _A([0.5, 0.25]), _A([3.0, -1.0]), 0.1, 0.9),
    (_A([0.0, 4.0, -1.0]), _A([-0.2, 0.0, 0.3]), _A([1.0, 2.0, -4.0]), 0.05, 0.5),
    (_A([-1.5, 0.5]), _A([0.0, 0.0]), _A([-2.0, 5.0]), 0.2, 0.8),
)
# fmt: on


def _momentum(theta, velocity, g, eta, beta):
    """One step of the library's Momentum from this θ and velocity."""
    moved, new_velocity = Momentum(beta).step(theta, lambda _: g, eta, velocity)
    return moved, new_velocity


def _moved_by(velocity_rule, theta_sign=1.0, old=False):
    """A wrong step: v from ``velocity_rule``; θ ± (the new, or the old, v)."""

    def step(theta, velocity, g, eta, beta):
        new = velocity_rule(velocity, g, eta, beta)
        return theta + theta_sign * (velocity if old else new), new

    return step


_RIGHT_V = "v ← β·v − η·g, then θ ← θ + v"
# fmt: off
_MOMENTUM_MISTAKES = (
    Mistake(f"The velocity has the wrong sign: you added η·g (v ← β·v + η·g), so θ + v climbs uphill. The gradient points uphill; the step goes against it: {_RIGHT_V}.",
            wrong=_moved_by(lambda v, g, eta, beta: beta * v + eta * g)),
    Mistake(f"You used the other sign convention, v ← β·v + η·g and θ ← θ − v. Both describe a heavy ball, but here v is the step θ moves by (the velocity passed in has that sign, as in gdlab.Momentum): {_RIGHT_V}.",
            wrong=_moved_by(lambda v, g, eta, beta: beta * v + eta * g, theta_sign=-1.0)),
    Mistake(f"β multiplies the gradient instead of the velocity (v ← v − β·η·g): the old velocity never fades and the new gradient is shrunk. β is how much of the last step is kept: {_RIGHT_V}.",
            wrong=_moved_by(lambda v, g, eta, beta: v - beta * eta * g)),
    Mistake(f"θ moved by the old velocity: you updated θ before v (θ ← θ + v, then v ← β·v − η·g), so each step lags one behind. Update v first, then move θ by the new v: {_RIGHT_V}.",
            wrong=_moved_by(lambda v, g, eta, beta: beta * v - eta * g, old=True)),
    Mistake(f"The learning rate is missing: v ← β·v − g moves by the whole gradient. Multiply the gradient by η: {_RIGHT_V}.",
            wrong=_moved_by(lambda v, g, eta, beta: beta * v - g)),
    Mistake(f"β is missing: v ← v − η·g keeps the whole old velocity, so the ball never slows down. Multiply the old velocity by β: {_RIGHT_V}.",
            wrong=_moved_by(lambda v, g, eta, beta: v - eta * g)),
    Mistake(f"You wrote the averaged form, v ← β·v − (1 − β)·η·g: a fair rule too, but its steps are (1 − β) times this lesson's heavy ball's, so its bound on η differs. Here: {_RIGHT_V}.",
            wrong=_moved_by(lambda v, g, eta, beta: beta * v - (1 - beta) * eta * g)),
    Mistake(f"θ is right but the velocity you returned is the old one. Return the new v, the one θ moved by: {_RIGHT_V}.",
            wrong=lambda theta, v, g, eta, beta: (_momentum(theta, v, g, eta, beta)[0], v)),
    Mistake("The two are in the wrong order: return (new_theta, new_velocity), θ first.",
            wrong=lambda *case: _momentum(*case)[::-1]),
)
# fmt: on


def _read_pairs(count, names):
    """A reader: ``count`` arrays of one shape, stacked, or a Problem naming them."""

    def read(value):
        if not isinstance(value, (tuple, list)) or len(value) != count:
            got = (
                f"{len(value)} values"
                if isinstance(value, (tuple, list))
                else f"one {type(value).__name__}"
            )
            raise Problem(
                f"Return {count} arrays, ({', '.join(names)}); your function returned {got}."
            )
        parts = [as_numbers(part) for part in value]
        if len({part.shape for part in parts}) != 1:
            raise Problem(
                f"{', '.join(names)} must all have the shape of theta; yours have shapes {[p.shape for p in parts]}."
            )
        if not all(np.isfinite(part).all() for part in parts):
            raise Problem(
                "Your function returned infinity: check for a division by zero."
            )
        return np.stack(parts)

    return read


def _which_part(names, inputs, hint):
    """An ``explain``: say which of the returned arrays are off, each with its expected value."""

    def explain(case, got, want):
        if got.shape != want.shape:
            return None
        off = [(n, g, w) for n, g, w in zip(names, got, want) if not same(g, w)]
        right = [n for n in names if n not in {o[0] for o in off}]
        shown = "; ".join(
            f"{n} should be {_show(w)}, yours is {_show(g)}" for n, g, w in off
        )
        fine = f" ({' and '.join(right)} right.)" if right else ""
        return f"For {_case_text(case, inputs)}: {shown}.{fine} {hint}"

    return explain


def _case_text(case, names):
    return ", ".join(f"{name} = {_show(value)}" for name, value in zip(names, case))


def _show(value):
    if isinstance(value, np.ndarray):
        return str(np.round(value, 4).tolist())
    return f"{value:g}"


_MOMENTUM_NAMES = ("theta", "velocity", "gradient", "learning_rate", "beta")

MOMENTUM = Exercise(
    "One momentum step",
    cases=_MOMENTUM_CASES,
    right=_momentum,
    mistakes=_MOMENTUM_MISTAKES,
    read=_read_pairs(2, ("new_theta", "new_velocity")),
    success=f"Right on all {len(_MOMENTUM_CASES)} cases: {_RIGHT_V}, the heavy ball of gdlab.Momentum.",
    hint=f"The step is {_RIGHT_V}; return (new_theta, new_velocity).",
    describe=lambda case: _case_text(case, _MOMENTUM_NAMES),
    explain=_which_part(
        ("new_theta", "new_velocity"), _MOMENTUM_NAMES, f"The step is {_RIGHT_V}."
    ),
)


def check_momentum_step(fn):
    """Check ``fn(theta, velocity, gradient, learning_rate, beta) -> (theta, velocity)`` (lesson 10).

    ``gradient`` is ∇L at ``theta`` (an array); the right step is
    ``v ← β·v − η·g;  θ ← θ + v``.

    Examples
    --------
    >>> def step(theta, velocity, gradient, learning_rate, beta):
    ...     velocity = beta * velocity - learning_rate * gradient
    ...     return theta + velocity, velocity
    >>> check_momentum_step(step).passed
    True
    >>> print(check_momentum_step(lambda t, v, g, eta, beta: (t + v, beta * v - eta * g)).message[:30])
    θ moved by the old velocity: y
    """
    return run_check(MOMENTUM, fn)


# --------------------------------------------------------------------------- Adam

# t = 0 (the first update), 1 and 4; ε large enough that where it sits
# shows (ε inside the root differs beyond the tolerance); g of both signs
# where v is large, so that averaging g instead of g² stays real.
# fmt: off
_ADAM_CASES = (
    (_A([1.0, -2.0]), _A([0.0, 0.0]), _A([0.0, 0.0]), 0, _A([0.5, 2.0]), 0.1, 0.9, 0.999, 0.01),
    (_A([0.5, 1.5, -1.0]), _A([0.2, -0.1, 0.05]), _A([0.3, 0.5, 0.2]), 1, _A([1.0, -2.0, 0.5]), 0.05, 0.8, 0.99, 0.1),
    (_A([-3.0, 2.0]), _A([-0.4, 0.6]), _A([0.9, 1.2]), 4, _A([-1.5, 0.8]), 0.2, 0.9, 0.95, 0.001),
)
# fmt: on


def _adam(theta, m, v, t, g, eta, beta1, beta2, eps):
    """One step of the library's Adam from this state (t updates made before)."""
    moved, (m, v, _) = Adam(beta1, beta2, eps).step(theta, lambda _: g, eta, (m, v, t))
    return moved, m, v


def _adam_with(
    correct_m=True,
    correct_v=True,
    count=1,
    eps_inside=False,
    square=True,
    one_minus=True,
    sign=-1.0,
    root=True,
):
    """Adam with one thing changed; ``count`` is added to t before correcting."""

    def step(theta, m, v, t, g, eta, beta1, beta2, eps):
        n = t + count
        if n == 0:
            raise ZeroDivisionError("float division by zero")  # 1 − β⁰ = 0
        m = beta1 * m + ((1 - beta1) if one_minus else 1.0) * g
        v = beta2 * v + (1 - beta2) * (g**2 if square else g)
        m_hat = m / (1 - beta1**n) if correct_m else m
        v_hat = v / (1 - beta2**n) if correct_v else v
        size = (
            np.sqrt(v_hat + eps)
            if eps_inside
            else (np.sqrt(v_hat) if root else v_hat) + eps
        )
        return theta + sign * eta * m_hat / size, m, v

    return step


_RIGHT_ADAM = "m ← β₁·m + (1 − β₁)·g;  v ← β₂·v + (1 − β₂)·g²;  t ← t + 1;  m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ);  θ ← θ − η·m̂/(√v̂ + ε)"
_ZERO_T = "With t = 0 (the first update) 1 − β₁⁰ = 0. Count this update first, t + 1, and correct with it: m̂ = m/(1 − β₁^(t+1))."
# fmt: off
_ADAM_MISTAKES = (
    Mistake(f"The bias correction is missing: you divided m by √v + ε as they are. Both averages start at 0, so early on they are too small, by the factors 1 − β₁ᵗ and 1 − β₂ᵗ; divide them out. {_RIGHT_ADAM}.", wrong=_adam_with(correct_m=False, correct_v=False)),
    Mistake(f"Only v is bias-corrected: m̂ = m/(1 − β₁ᵗ) is missing, so the first steps are too short (by the factor 1 − β₁ᵗ). {_RIGHT_ADAM}.", wrong=_adam_with(correct_m=False)),
    Mistake(f"Only m is bias-corrected: v̂ = v/(1 − β₂ᵗ) is missing, so the first steps are too long. {_RIGHT_ADAM}.", wrong=_adam_with(correct_v=False)),
    Mistake(f"ε is inside the square root, √(v̂ + ε): it belongs outside, √v̂ + ε, where it keeps the division finite when v̂ is 0. {_RIGHT_ADAM}.", wrong=_adam_with(eps_inside=True)),
    Mistake(f"The second average uses g, not g²: v must be a running mean of the squared gradient, so that √v̂ is the gradient's size. {_RIGHT_ADAM}.", wrong=_adam_with(square=False)),
    Mistake(f"The bias correction uses t before this update is counted (β₁ᵗ with t starting at 0). {_ZERO_T}", wrong=_adam_with(count=0)),
    Mistake(f"The averages miss the factors (1 − β₁) and (1 − β₂): m ← β₁·m + g sums the gradients instead of averaging them. {_RIGHT_ADAM}.", wrong=_adam_with(one_minus=False)),
    Mistake(f"The sign is flipped: θ + η·m̂/(√v̂ + ε) climbs uphill. {_RIGHT_ADAM}.", wrong=_adam_with(sign=1.0)),
    Mistake(f"The square root is missing: divide by √v̂ + ε (the gradient's size), not by v̂ + ε. {_RIGHT_ADAM}.", wrong=_adam_with(root=False)),
    Mistake(f"θ is right, but m and v came back as they were passed in: return the updated averages, so the next step can use them. {_RIGHT_ADAM}.",
            wrong=lambda theta, m, v, *rest: (_adam(theta, m, v, *rest)[0], m, v)),
)
# fmt: on

_ADAM_NAMES = (
    "theta",
    "m",
    "v",
    "t",
    "gradient",
    "learning_rate",
    "beta1",
    "beta2",
    "eps",
)

ADAM = Exercise(
    "One Adam step",
    cases=_ADAM_CASES,
    right=_adam,
    mistakes=_ADAM_MISTAKES,
    read=_read_pairs(3, ("new_theta", "new_m", "new_v")),
    success=f"Right on all {len(_ADAM_CASES)} cases, the first update (t = 0) included: {_RIGHT_ADAM}.",
    hint=f"The step is {_RIGHT_ADAM}.",
    describe=lambda case: _case_text(case, _ADAM_NAMES),
    explain=_which_part(
        ("new_theta", "new_m", "new_v"), _ADAM_NAMES, f"The step is {_RIGHT_ADAM}."
    ),
    crash_hints=(
        ("divide by zero", _ZERO_T),
        ("division by zero", _ZERO_T),
        (
            "invalid value encountered in sqrt",
            "A square root of a negative number: v must average g², which is never negative.",
        ),
    ),
)


def check_adam_step(fn):
    """Check ``fn(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps) -> (theta, m, v)`` (lesson 10).

    ``t`` is the number of updates made before this one (0 at the first);
    the right step is :class:`gdlab.Adam`'s.

    Examples
    --------
    >>> def step(theta, m, v, t, gradient, learning_rate, beta1, beta2, eps):
    ...     m = beta1 * m + (1 - beta1) * gradient
    ...     v = beta2 * v + (1 - beta2) * gradient**2
    ...     m_hat, v_hat = m / (1 - beta1 ** (t + 1)), v / (1 - beta2 ** (t + 1))
    ...     return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v
    >>> check_adam_step(step).passed
    True
    """
    return run_check(ADAM, fn)
