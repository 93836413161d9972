"""Feedback for lesson 05: one gradient-descent step, and a loop of steps.

The learner writes two functions, with these signatures:

``step(x, y, m, b, learning_rate) -> (m, b)``
    One update of the line's parameters, θ ← θ − η·∇L(θ), where
    ``∇L = [∂L/∂m, ∂L/∂b]`` is the gradient of the MSE at the *old* (m, b).
    The function computes the gradient itself (with ``gdlab.mse_gradient`` or
    by hand), which is what lets the checker see the classic mistake of
    updating ``m`` first and then computing ``b``'s update from the new ``m``.

``descent_loop(x, y, m, b, learning_rate, steps) -> path``
    ``steps`` updates from the start (m, b), returning the whole path: an
    array of shape ``(steps + 1, 2)`` whose row 0 is the start and row k the
    parameters after k steps.

:func:`check_step` and :func:`check_descent_loop` run the learner's function
on a few small cases and return a :class:`~gdlab.checks.feedback.Feedback`
that names the mistake when it is a known one: the sign flipped (learning
rate added), parameters updated one after the other, the learning rate on one
parameter only, the gradient not multiplied by the learning rate, the notes'
own gradient errors, a loop that returns only the last point or runs one step
too many or too few.  Introduced in lesson 05.
"""

from __future__ import annotations

import numpy as np

from ..loss import mse_gradient
from .feedback import Feedback, NotYetImplemented, call_learner, not_yet

__all__ = ["check_step", "check_descent_loop"]

_STEP_TITLE = "One update step"
_LOOP_TITLE = "The descent loop"

# Small, fixed cases.  Each has mean(x) != 0 (so updating b from the new m
# gives a different b), two non-zero partial derivatives of different sizes,
# and η != 1 (so "forgot η" differs from the right answer).
_CASES = (
    # x, y, m, b, learning_rate
    ((0.0, 1.0, 2.0, 3.0), (1.0, 2.5, 5.5, 6.0), 0.5, -1.0, 0.05),
    ((-1.0, 0.5, 2.0, 4.0, 5.0), (-2.0, 2.0, 3.5, 9.0, 10.5), 3.0, 2.0, 0.01),
    ((1.0, 2.0, 4.0), (2.0, 1.0, 0.5), -0.5, 3.0, 0.2),
)
# Loop cases add a number of steps (including the edge case of none).
_LOOP_STEPS = (5, 3, 0)


def _exact_step(x, y, m, b, learning_rate):
    d_m, d_b = mse_gradient(x, y, m, b)
    return np.array([m - learning_rate * d_m, b - learning_rate * d_b])


def _exact_path(x, y, m, b, learning_rate, steps):
    path = [np.array([m, b], dtype=float)]
    for _ in range(steps):
        path.append(_exact_step(x, y, *path[-1], learning_rate))
    return np.array(path)


# --- the known mistakes, as functions of (x, y, m, b, η) -> (m, b) -----------


def _sign_flipped(x, y, m, b, eta):
    d_m, d_b = mse_gradient(x, y, m, b)
    return np.array([m + eta * d_m, b + eta * d_b])


def _m_first(x, y, m, b, eta):
    new_m = m - eta * mse_gradient(x, y, m, b)[0]
    return np.array([new_m, b - eta * mse_gradient(x, y, new_m, b)[1]])


def _b_first(x, y, m, b, eta):
    new_b = b - eta * mse_gradient(x, y, m, b)[1]
    return np.array([m - eta * mse_gradient(x, y, m, new_b)[0], new_b])


def _rate_on_m_only(x, y, m, b, eta):
    d_m, d_b = mse_gradient(x, y, m, b)
    return np.array([m - eta * d_m, b - d_b])


def _rate_on_b_only(x, y, m, b, eta):
    d_m, d_b = mse_gradient(x, y, m, b)
    return np.array([m - d_m, b - eta * d_b])


def _no_rate(x, y, m, b, eta):
    d_m, d_b = mse_gradient(x, y, m, b)
    return np.array([m - d_m, b - d_b])


def _rate_plus_gradient(x, y, m, b, eta):
    d_m, d_b = mse_gradient(x, y, m, b)
    return np.array([m - (eta + d_m), b - (eta + d_b)])


def _rate_without_gradient(x, y, m, b, eta):
    return np.array([m - eta, b - eta])


def _returned_step(x, y, m, b, eta):
    return eta * mse_gradient(x, y, m, b)


def _returned_minus_step(x, y, m, b, eta):
    return -eta * mse_gradient(x, y, m, b)


def _swapped(x, y, m, b, eta):
    return _exact_step(x, y, m, b, eta)[::-1]


def _unchanged(x, y, m, b, eta):
    return np.array([m, b], dtype=float)


def _factor_two_missing(x, y, m, b, eta):
    d_m, d_b = mse_gradient(x, y, m, b)
    return np.array([m - eta * d_m / 2, b - eta * d_b / 2])


def _sum_not_mean(x, y, m, b, eta):
    d_m, d_b = len(x) * mse_gradient(x, y, m, b)
    return np.array([m - eta * d_m, b - eta * d_b])


def _notes_gradient(x, y, m, b, eta):
    # The notes' ∂L/∂m has −m where −x_i belongs: −(2/n) Σ (y_i − ŷ_i)·m = m·∂L/∂b.
    d_b = mse_gradient(x, y, m, b)[1]
    return np.array([m - eta * m * d_b, b - eta * d_b])


_STEP_MISTAKES = (
    (
        _unchanged,
        "you returned m and b unchanged. Compute the gradient at (m, b) and "
        "move each parameter against it: m − η·∂L/∂m, b − η·∂L/∂b.",
    ),
    (
        _sign_flipped,
        "the sign is flipped: you added η·∇L, which climbs uphill. The gradient "
        "points uphill, so the update subtracts it: θ ← θ − η·∇L.",
    ),
    (
        _m_first,
        "the parameters were updated one after the other: b's update used the "
        "new m. Both partial derivatives must come from the old (m, b). Compute "
        "the gradient once, then update m and b together.",
    ),
    (
        _b_first,
        "the parameters were updated one after the other: m's update used the "
        "new b. Both partial derivatives must come from the old (m, b). Compute "
        "the gradient once, then update m and b together.",
    ),
    (
        _rate_on_m_only,
        "the learning rate was applied to m only: b moved by its whole partial "
        "derivative. Multiply both partial derivatives by η.",
    ),
    (
        _rate_on_b_only,
        "the learning rate was applied to b only: m moved by its whole partial "
        "derivative. Multiply both partial derivatives by η.",
    ),
    (
        _no_rate,
        "the gradient was not multiplied by the learning rate: you subtracted "
        "the whole gradient. The step is η·∇L, so multiply by learning_rate.",
    ),
    (
        _rate_plus_gradient,
        "the learning rate was added to the gradient instead of multiplying "
        "it. The step is η·∇L (a product), not η + ∇L.",
    ),
    (
        _rate_without_gradient,
        "you subtracted the learning rate alone: the gradient is missing. The "
        "step is η times the gradient, η·∇L.",
    ),
    (
        _returned_step,
        "you returned the step η·∇L, not the new parameters. Return "
        "(m − η·∂L/∂m, b − η·∂L/∂b).",
    ),
    (
        _returned_minus_step,
        "you returned −η·∇L, the change in the parameters, not the new "
        "parameters. Add it to (m, b) before returning.",
    ),
    (
        _swapped,
        "the values are right but in the wrong order: return (m, b), slope first.",
    ),
    (
        _factor_two_missing,
        "your gradient is half the true one: the factor 2 from differentiating "
        "the square is missing. ∂L/∂m = −(2/n) Σ x_i (y_i − ŷ_i), "
        "∂L/∂b = −(2/n) Σ (y_i − ŷ_i).",
    ),
    (
        _sum_not_mean,
        "your gradient is n times too big: it sums over the observations "
        "instead of taking the mean (the loss is a mean, so is its gradient).",
    ),
    (
        _notes_gradient,
        "your ∂L/∂m has −m where −x_i belongs, the error in the class notes "
        "(erratum 6). The inner derivative of y_i − (m·x_i + b) with respect to "
        "m is −x_i: ∂L/∂m = −(2/n) Σ x_i (y_i − ŷ_i).",
    ),
)


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop at the end."""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-7, atol=1e-10))


def _case_text(x, y, m, b, eta) -> str:
    return (
        f"x = {list(x)}, y = {list(y)}, m = {m:g}, b = {b:g}, learning_rate = {eta:g}"
    )


def _as_pair(value):
    """The learner's returned (m, b) as a float array of shape (2,), or a problem."""
    if value is None:
        return None, "your function returned None. Did you forget to return m, b?"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, (
            f"your function returned a {type(value).__name__}, not two numbers. "
            "Return the new (m, b) as two numbers, e.g. return new_m, new_b."
        )
    if array.ndim == 2 and array.shape[0] == 2 and array.shape[1] > 1:
        return None, (
            f"m and b came back as arrays of {array.shape[1]} values each, one per "
            "observation. Each partial derivative is a mean over all observations "
            "(np.mean), so it is one number."
        )
    if array.size != 2:
        return None, (
            f"expected two numbers, the new (m, b); got {array.size} "
            f"value{'s' if array.size != 1 else ''} (shape {array.shape})."
        )
    array = array.reshape(2)
    if not np.isfinite(array).all():
        return None, (
            f"your function returned {array.tolist()}: not finite numbers (NaN or "
            "infinity). Check for a division by zero or a missing value."
        )
    return array, None


def _run_step_cases(fn):
    """Run ``fn`` on every case: ``(results, None)`` or ``(None, Feedback)``."""
    results = []
    for x, y, m, b, eta in _CASES:
        value, problem = call_learner(fn, np.array(x), np.array(y), m, b, eta)
        if problem is not None:
            return None, Feedback(False, _sentence(problem), _STEP_TITLE)
        pair, problem = _as_pair(value)
        if problem is not None:
            return None, Feedback(False, _sentence(problem), _STEP_TITLE)
        results.append(pair)
    return results, None


def _name_step_mistake(step_pairs):
    """The message of the known mistake explaining every (case, result) pair, if any."""
    for mistake, message in _STEP_MISTAKES:
        if all(
            _close(result, mistake(np.array(x), np.array(y), m, b, eta))
            for (x, y, m, b, eta), result in step_pairs
        ):
            return message
    return None


_IGNORES_DATA = (
    "Your function gives the same answer whatever x and y it is given: it seems "
    "to use other data (such as obs.x and obs.y from the notebook). Compute the "
    "gradient from the x and y passed in as arguments."
)


def _ignores_data(fn, extra) -> bool:
    """Whether ``fn`` returns the same thing for two different data sets."""
    x, y, m, b, eta = _CASES[0]
    answers = []
    for xs, ys in (
        (np.array(x), np.array(y)),
        (2.0 * np.array(x) + 1.0, -3.0 * np.array(y)[::-1]),
    ):
        value, problem = call_learner(fn, xs, ys, m, b, eta, *extra)
        if problem is not None or value is None:
            return False
        try:
            answers.append(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            return False
    return answers[0].shape == answers[1].shape and _close(answers[0], answers[1])


def check_step(fn) -> Feedback:
    """Check one gradient-descent step, ``fn(x, y, m, b, learning_rate) -> (m, b)``.

    The right step moves both parameters at once, from the gradient at the
    old point: ``m − η·∂L/∂m`` and ``b − η·∂L/∂b``.

    Parameters
    ----------
    fn : callable
        The learner's step function.

    Returns
    -------
    Feedback
        ``.passed`` is True when every case matches; otherwise ``.message``
        names the mistake when it is a known one.

    Examples
    --------
    >>> import gdlab
    >>> def step(x, y, m, b, learning_rate):
    ...     d_m, d_b = gdlab.mse_gradient(x, y, m, b)
    ...     return m - learning_rate * d_m, b - learning_rate * d_b
    >>> check_step(step).passed
    True
    >>> def uphill(x, y, m, b, learning_rate):
    ...     d_m, d_b = gdlab.mse_gradient(x, y, m, b)
    ...     return m + learning_rate * d_m, b + learning_rate * d_b
    >>> print(check_step(uphill).message.split(":")[0])
    The sign is flipped
    """
    try:
        results, failure = _run_step_cases(fn)
    except NotYetImplemented:
        return not_yet(_STEP_TITLE)
    if failure is not None:
        return failure
    pairs = list(zip(_CASES, results))
    if all(
        _close(result, _exact_step(np.array(x), np.array(y), m, b, eta))
        for (x, y, m, b, eta), result in pairs
    ):
        return Feedback(
            True,
            f"Right on all {len(_CASES)} cases: both parameters moved against the "
            "gradient at the old point, θ ← θ − η·∇L.",
            _STEP_TITLE,
        )
    named = _name_step_mistake(pairs)
    if named is not None:
        return Feedback(False, _sentence(named), _STEP_TITLE)
    if _ignores_data(fn, extra=()):
        return Feedback(False, _IGNORES_DATA, _STEP_TITLE)
    for (x, y, m, b, eta), result in pairs:
        expected = _exact_step(np.array(x), np.array(y), m, b, eta)
        if not _close(result, expected):
            wrong = [
                name
                for name, got, want in zip("mb", result, expected)
                if not _close(got, want)
            ]
            which = (
                "both m and b are off"
                if len(wrong) == 2
                else f"{wrong[0]} is off (the other parameter is right)"
            )
            return Feedback(
                False,
                f"For {_case_text(x, y, m, b, eta)}: expected (m, b) = "
                f"({expected[0]:.6g}, {expected[1]:.6g}), got ({result[0]:.6g}, "
                f"{result[1]:.6g}); {which}. The step is m − η·∂L/∂m, b − η·∂L/∂b, "
                "with both partial derivatives taken at the old (m, b).",
                _STEP_TITLE,
            )
    raise AssertionError("unreachable: a mismatch was found above")  # pragma: no cover


# --- the loop ----------------------------------------------------------------


def _as_path(value, steps):
    """The learner's path as a float array, or a problem sentence."""
    if value is None:
        return None, "your function returned None. Did you forget to return the path?"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, (
            f"your function returned a {type(value).__name__} that is not a table of "
            "numbers. Return the path as a list of (m, b) pairs or an array of shape "
            "(steps + 1, 2)."
        )
    if array.ndim == 2 and array.shape == (2, steps + 1) and steps + 1 != 2:
        return None, (
            f"the path has shape {array.shape}: it is on its side. Put one (m, b) "
            f"per row, shape ({steps + 1}, 2) (np.array(path) of a list of pairs)."
        )
    return array, None


def _loop_problem_for_shape(path, reference, steps):
    """A message when ``path`` has the wrong shape, naming the likely cause."""
    if path.shape == (2,) and _close(path, reference[-1]):
        return (
            "your function returned only the final point. Return the whole path: "
            "the start and the (m, b) after every step, one row each."
        )
    if path.ndim != 2 or path.shape[1:] != (2,):
        return (
            f"expected a path of shape ({steps + 1}, 2), one (m, b) row per step "
            f"plus the start; got shape {path.shape}."
        )
    rows = path.shape[0]
    if rows == steps + 2 and _close(path[:-1], reference):
        return (
            f"the loop ran one step too many: {steps} steps give {steps + 1} rows "
            "(the start and one row per step). Loop with for _ in range(steps)."
        )
    if rows == steps and steps > 0 and _close(path, reference[1:]):
        return (
            "the start is missing: row 0 of the path must be the starting (m, b), "
            "then one row per step. Put the start in the path before the loop."
        )
    if rows == steps and steps > 0 and _close(path, reference[:-1]):
        return (
            f"the loop ran one step too few: {steps} steps give {steps + 1} rows "
            "(the start and one row per step). Loop with for _ in range(steps)."
        )
    return (
        f"with steps = {steps} the path should have {steps + 1} rows (the start and "
        f"one per step); yours has {rows}."
    )


def _loop_problem_for_values(path, reference, case, fn):
    """A message when ``path`` has the right shape but wrong values."""
    x, y, m, b, eta = case
    steps = len(reference) - 1
    if (
        steps >= 2
        and not _close(path[0], reference[0])
        and _close(path, np.repeat(path[-1:], steps + 1, axis=0))
    ):
        return (
            "every row is the same point: the path holds the same array many times, "
            "changed in place. Append a copy, theta.copy(), or a new tuple (m, b)."
        )
    if not _close(path[0], reference[0]):
        return (
            f"row 0 should be the start ({m:g}, {b:g}); yours is "
            f"({path[0][0]:.6g}, {path[0][1]:.6g})."
        )
    if steps >= 2 and _close(path, np.repeat(reference[:1], steps + 1, axis=0)):
        return (
            "the path never moves: every row is the start. Assign each step's "
            "result back to m and b (m, b = ...) so the next step starts there."
        )
    if steps >= 2 and _close(path[1:], np.repeat(reference[1:2], steps, axis=0)):
        return (
            "every step starts again from the start: all rows after the first are "
            "the same. Feed each step's result into the next (m, b = ... inside "
            "the loop)."
        )
    # Is every step the same known mistake?  Judge each transition from the
    # learner's own previous row, so one mistake is not blamed on the next.
    xa, ya = np.array(x), np.array(y)
    for mistake, message in _STEP_MISTAKES:
        if all(
            _close(path[k + 1], mistake(xa, ya, *path[k], eta)) for k in range(steps)
        ):
            return "each step is wrong in the same way: " + message
    if _ignores_data(fn, extra=(steps,)):
        return _IGNORES_DATA
    for k in range(steps):
        expected = _exact_step(xa, ya, *path[k], eta)
        if not _close(path[k + 1], expected):
            return (
                f"for {_case_text(x, y, m, b, eta)}, the path is right up to row {k} "
                f"but row {k + 1} should be ({expected[0]:.6g}, {expected[1]:.6g}); "
                f"yours is ({path[k + 1][0]:.6g}, {path[k + 1][1]:.6g})."
            )
    return (
        None  # pragma: no cover - a path that matches every step matches the reference
    )


def check_descent_loop(fn) -> Feedback:
    """Check a descent loop, ``fn(x, y, m, b, learning_rate, steps) -> path``.

    The path must have shape ``(steps + 1, 2)``: row 0 the start (m, b), row
    k the parameters after k simultaneous updates θ ← θ − η·∇L.

    Parameters
    ----------
    fn : callable
        The learner's loop.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> import numpy as np, gdlab
    >>> def descent_loop(x, y, m, b, learning_rate, steps):
    ...     path = [(m, b)]
    ...     for _ in range(steps):
    ...         d_m, d_b = gdlab.mse_gradient(x, y, m, b)
    ...         m, b = m - learning_rate * d_m, b - learning_rate * d_b
    ...         path.append((m, b))
    ...     return np.array(path)
    >>> check_descent_loop(descent_loop).passed
    True
    >>> def last_only(x, y, m, b, learning_rate, steps):
    ...     return descent_loop(x, y, m, b, learning_rate, steps)[-1]
    >>> print(check_descent_loop(last_only).message.split(".")[0])
    Your function returned only the final point
    """
    cases = [case + (steps,) for case, steps in zip(_CASES, _LOOP_STEPS)]
    try:
        for x, y, m, b, eta, steps in cases:
            reference = _exact_path(np.array(x), np.array(y), m, b, eta, steps)
            value, problem = call_learner(
                fn, np.array(x), np.array(y), m, b, eta, steps
            )
            if problem is not None:
                return Feedback(False, _sentence(problem), _LOOP_TITLE)
            path, problem = _as_path(value, steps)
            if problem is None and path.shape != reference.shape:
                problem = _loop_problem_for_shape(path, reference, steps)
            if problem is None and not np.isfinite(path).all():
                problem = (
                    "the path holds NaN or infinity. With these small cases every "
                    "step should stay finite: check the update."
                )
            if problem is None and not _close(path, reference):
                problem = _loop_problem_for_values(
                    path, reference, (x, y, m, b, eta), fn
                )
            if problem is not None:
                return Feedback(False, _sentence(problem), _LOOP_TITLE)
    except NotYetImplemented:
        return not_yet(_LOOP_TITLE)
    return Feedback(
        True,
        f"Right on all {len(cases)} cases (including steps = 0): the path starts at "
        "the start and takes one simultaneous step θ ← θ − η·∇L per row.",
        _LOOP_TITLE,
    )
