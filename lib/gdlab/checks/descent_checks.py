"""Tables for lesson 05: one gradient-descent step, and a loop of steps.

Every wrong step is also a wrong loop (the same mistake at each step); the loop
has mistakes of its own (the gradient computed once before it, ``append`` after it).
"""

from __future__ import annotations

import numpy as np

from ..loss import mse_gradient
from .engine import Exercise, Mistake, Problem, as_numbers, run_check

__all__ = ["check_descent_loop", "check_step"]

# mean(x) ≠ 0 (so b from the new m differs), partials of different sizes, η ≠ 1.
# fmt: off
_CASES = (
    (np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.5, 5.5, 6.0]), 0.5, -1.0, 0.05),
    (np.array([-1.0, 0.5, 2.0, 4.0, 5.0]), np.array([-2.0, 2.0, 3.5, 9.0, 10.5]), 3.0, 2.0, 0.01),
    (np.array([1.0, 2.0, 4.0]), np.array([2.0, 1.0, 0.5]), -0.5, 3.0, 0.2),
)
# fmt: on
_LOOP_STEPS = (5, 3, 0)


def _g(x, y, m, b):
    return mse_gradient(x, y, m, b)


def _step(x, y, m, b, eta):
    return np.array([m, b]) - eta * _g(x, y, m, b)


def _m_first(x, y, m, b, eta):
    new_m = m - eta * _g(x, y, m, b)[0]
    return np.array([new_m, b - eta * _g(x, y, new_m, b)[1]])


def _b_first(x, y, m, b, eta):
    new_b = b - eta * _g(x, y, m, b)[1]
    return np.array([m - eta * _g(x, y, m, new_b)[0], new_b])


def _with(change):
    """A wrong step: ``change(gradient, η)`` is subtracted from (m, b)."""
    return lambda x, y, m, b, eta: np.array([m, b]) - change(_g(x, y, m, b), eta)


_SIMULTANEOUS = "Both partial derivatives must come from the old (m, b): compute the gradient once, then update m and b together."
# fmt: off
_STEP_MISTAKES = (
    ("you returned m and b unchanged. Compute the gradient at (m, b) and move each parameter against it: m − η·∂L/∂m, b − η·∂L/∂b.", lambda x, y, m, b, eta: np.array([m, b])),
    ("the sign is flipped: you added η·∇L, which climbs uphill. The gradient points uphill, so the update subtracts it: θ ← θ − η·∇L.", _with(lambda g, eta: -eta * g)),
    ("the parameters were updated one after the other: b's update used the new m. " + _SIMULTANEOUS, _m_first),
    ("the parameters were updated one after the other: m's update used the new b. " + _SIMULTANEOUS, _b_first),
    ("the learning rate was applied to m only: b moved by its whole partial derivative. Multiply both partial derivatives by η.", _with(lambda g, eta: g * [eta, 1.0])),
    ("the learning rate was applied to b only: m moved by its whole partial derivative. Multiply both partial derivatives by η.", _with(lambda g, eta: g * [1.0, eta])),
    ("the gradient was not multiplied by the learning rate: you subtracted the whole gradient. The step is η·∇L.", _with(lambda g, eta: g)),
    ("you divided the gradient by the learning rate: the step is η times the gradient, η·∇L, small when η is small.", _with(lambda g, eta: g / eta)),
    ("the learning rate was added to the gradient instead of multiplying it. The step is η·∇L (a product), not η + ∇L.", _with(lambda g, eta: eta + g)),
    ("you subtracted the learning rate alone: the gradient is missing. The step is η times the gradient, η·∇L.", _with(lambda g, eta: eta + 0 * g)),
    ("you returned the step η·∇L, not the new parameters. Return (m − η·∂L/∂m, b − η·∂L/∂b).", lambda x, y, m, b, eta: eta * _g(x, y, m, b)),
    ("you returned −η·∇L, the change in the parameters, not the new parameters. Add it to (m, b) before returning.", lambda x, y, m, b, eta: -eta * _g(x, y, m, b)),
    ("the values are right but in the wrong order: return (m, b), slope first.", lambda *c: _step(*c)[::-1]),
    ("your gradient is half the true one: the factor 2 from differentiating the square is missing. ∂L/∂m = −(2/n) Σ x_i (y_i − ŷ_i), ∂L/∂b = −(2/n) Σ (y_i − ŷ_i).", _with(lambda g, eta: eta * g / 2)),
    ("your gradient is n times too big: it sums over the observations instead of taking the mean (the loss is a mean, so is its gradient).", lambda x, y, m, b, eta: np.array([m, b]) - eta * len(x) * _g(x, y, m, b)),
    (
        "your ∂L/∂m has −m where −x_i belongs, a common mistake: the inner derivative of y_i − (m·x_i + b) with respect to m is −x_i, so ∂L/∂m = −(2/n) Σ x_i (y_i − ŷ_i).",
        lambda x, y, m, b, eta: np.array(
            [m - eta * m * _g(x, y, m, b)[1], b - eta * _g(x, y, m, b)[1]]
        ),
    ),
    ("you used ∂L/∂m for both parameters: b moved by ∂L/∂m. Each parameter moves by its own partial derivative: m − η·∂L/∂m, b − η·∂L/∂b.", _with(lambda g, eta: eta * g[[0, 0]])),
    ("you used ∂L/∂b for both parameters: m moved by ∂L/∂b. Each parameter moves by its own partial derivative: m − η·∂L/∂m, b − η·∂L/∂b.", _with(lambda g, eta: eta * g[[1, 1]])),
    ("your gradient has its two partial derivatives swapped: ∂L/∂b moved m and ∂L/∂m moved b. The gradient is [∂L/∂m, ∂L/∂b].", _with(lambda g, eta: eta * g[::-1])),
)
# fmt: on


def _sentence(text):
    return text[0].upper() + text[1:]


def _read_pair(value):
    array = as_numbers(value)
    if array.ndim == 2 and array.shape[0] == 2 and array.shape[1] > 1:
        raise Problem(
            f"m and b came back as arrays of {array.shape[1]} values each, one per observation. Each partial derivative is a mean over all observations (np.mean), so it is one number."
        )
    if array.size != 2:
        raise Problem(
            f"Expected two numbers, the new (m, b); got {array.size} value(s), shape "
            f"{array.shape}. Return them as: return new_m, new_b."
        )
    if not np.isfinite(array).all():
        raise Problem(
            "Your function returned NaN or infinity: check for a division by zero."
        )
    return array.reshape(2)


def _one_off(case, got, want):
    """Say which of m and b is off when only one is."""
    off = [name for name, g, w in zip("mb", got, want) if not np.isclose(g, w)]
    if got.shape != want.shape or len(off) != 1:
        return None
    right = "b" if off == ["m"] else "m"
    return (
        f"{right} is right but {off[0]} is off: for {_case_text(case)} expected "
        f"(m, b) = {np.round(want, 4).tolist()}, got {np.round(got, 4).tolist()}. The step is m − η·∂L/∂m, b − η·∂L/∂b, both partials taken at the old (m, b)."
    )


def _case_text(case):
    x, y, m, b, eta = case[:5]
    return f"x = {x.tolist()}, y = {y.tolist()}, m = {m:g}, b = {b:g}, η = {eta:g}"


def _other_data(case):
    x, y, m, b, eta = case[:5]
    return (2.0 * x + 1.0, -3.0 * y[::-1], m, b, eta, *case[5:])


_IGNORES_DATA = "Your function gives the same answer whatever x and y it is given: it seems to use other data (such as obs.x and obs.y from the notebook). Compute the gradient from the x and y passed in as arguments."

# fmt: off
STEP = Exercise(
    "One update step",
    cases=_CASES,
    right=_step,
    read=_read_pair,
    mistakes=tuple(Mistake(_sentence(msg), wrong=w) for msg, w in _STEP_MISTAKES),
    success=f"Right on all {len(_CASES)} cases: both parameters moved against the gradient at the old point, θ ← θ − η·∇L.",
    hint="The step is m − η·∂L/∂m, b − η·∂L/∂b, with both partial derivatives taken at the old (m, b).",
    explain=_one_off,
    probes=((_CASES[0], _other_data(_CASES[0]), _IGNORES_DATA),),
)
# fmt: on


def check_step(fn):
    """Check one gradient-descent step, ``fn(x, y, m, b, learning_rate) -> (m, b)`` (lesson 05).

    Examples
    --------
    >>> check_step(lambda x, y, m, b, rate: _step(x, y, m, b, rate)).passed
    True
    >>> print(check_step(lambda x, y, m, b, rate: _step(x, y, m, b, -rate)).message[:19])
    The sign is flipped
    """
    return run_check(STEP, fn)


# --- the loop ----------------------------------------------------------------


def _loop(step):
    """The path of ``steps`` applications of ``step``, start included."""

    def path(x, y, m, b, eta, steps):
        rows = [np.array([m, b], dtype=float)]
        for _ in range(steps):
            rows.append(np.asarray(step(x, y, *rows[-1], eta), dtype=float))
        return np.array(rows)

    return path


_right_path = _loop(_step)


def _gradient_once(x, y, m, b, eta, steps):
    g = _g(x, y, m, b)
    return np.array([m, b]) - eta * np.arange(steps + 1)[:, None] * g


def _rows(pick):
    """A wrong path made from the right one by ``pick(path, steps)``."""
    return lambda x, y, m, b, eta, steps: pick(
        _right_path(x, y, m, b, eta, steps), steps
    )


# fmt: off
_LOOP_MISTAKES = (
    ("your function returned only the final point. Return the whole path: the start and the (m, b) after every step, one row each.", _rows(lambda p, k: p[-1])),
    ("`append` sits after the loop: the path holds the start and the end only. Append (m, b) inside the loop, once per step.", _rows(lambda p, k: p[[0, -1]])),
    ("the gradient is computed once, before the loop, and every step reuses it. Compute it again inside the loop, at the current (m, b).", _gradient_once),
    ("every row is the same point: the path holds one array many times, changed in place. Append a copy, theta.copy(), or a new tuple (m, b).", _rows(lambda p, k: np.repeat(p[-1:], k + 1, axis=0))),
    ("the path never moves: every row is the start. Assign each step's result back to m and b (m, b = ...) so the next step starts there.", _rows(lambda p, k: np.repeat(p[:1], k + 1, axis=0))),
    ("every step starts again from the start: all rows after the first are the same. Feed each step's result into the next (m, b = ... inside the loop).", _rows(lambda p, k: np.vstack([p[:1], np.repeat(p[1:2], k, axis=0)]))),
    ("the start is missing: row 0 of the path must be the starting (m, b), then one row per step. Put the start in the path before the loop.", _rows(lambda p, k: p[1:])),
    ("`append` comes before the update: the start appears twice and the last step is missing. Update (m, b) first, then append.", _rows(lambda p, k: np.vstack([p[:1], p[:-1]]))),
    ("the loop ran one step too many: steps updates give steps + 1 rows. Loop with for _ in range(steps).", lambda x, y, m, b, eta, k: _right_path(x, y, m, b, eta, k + 1)),
    ("the loop ran one step too few: steps updates give steps + 1 rows (the start and one row per step). Loop with for _ in range(steps).", _rows(lambda p, k: p[:-1] if k else p)),
    ("the path is on its side: one (m, b) per row, shape (steps + 1, 2). Build a list of pairs and call np.array on it.", _rows(lambda p, k: p.T)),
)
# fmt: on


def _loop_shape(case, got, want):
    if got.shape == want.shape:
        k = int(np.flatnonzero(~np.isclose(got, want).all(axis=1))[0])
        if k == 0:
            return f"Row 0 should be the start (m, b) = ({case[2]:g}, {case[3]:g}); yours is {np.round(got[0], 4).tolist()}."
        return (
            f"The path is right up to row {k - 1}, but row {k} should be "
            f"{np.round(want[k], 4).tolist()}; yours is {np.round(got[k], 4).tolist()}. Each row is one step θ ← θ − η·∇L from the row before."
        )
    return (
        f"With steps = {case[5]} the path should have shape {want.shape}: the start and one "
        f"(m, b) row per step; yours has shape {got.shape}."
    )


# fmt: off
LOOP = Exercise(
    "The descent loop",
    cases=tuple(c + (k,) for c, k in zip(_CASES, _LOOP_STEPS)),
    right=_right_path,
    array=True,
    mistakes=tuple(Mistake(_sentence(msg), wrong=w) for msg, w in _LOOP_MISTAKES)
    + tuple(
        Mistake("Each step is wrong in the same way: " + msg, wrong=_loop(w))
        for msg, w in _STEP_MISTAKES[1:]  # "unchanged" at every step: the path never moves
    ),
    success=f"Right on all {len(_CASES)} cases (including steps = 0): the path starts at the start and takes one simultaneous step θ ← θ − η·∇L per row.",
    hint="path = [(m, b)]; then steps times: the gradient at the current (m, b), the update, append.",
    explain=_loop_shape,
    probes=((_CASES[0] + (5,), _other_data(_CASES[0] + (5,)), _IGNORES_DATA),),
)
# fmt: on


def check_descent_loop(fn):
    """Check a descent loop, ``fn(x, y, m, b, learning_rate, steps) -> path`` (lesson 05).

    Examples
    --------
    >>> check_descent_loop(_right_path).passed
    True
    >>> print(check_descent_loop(lambda *c: _right_path(*c)[-1]).message[:43])
    Your function returned only the final point
    """
    return run_check(LOOP, fn)
