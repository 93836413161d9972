"""Feedback for the exercises of lessons 03 (write the MSE) and 04 (write the gradient).

Each checker runs the learner's function on a few cases chosen so that the
known wrong formulas give different numbers there (the residuals do not
average to zero, ``x`` is not symmetric about zero, ``n`` is not 2, and so
on), then compares the answer with the right formula and with each wrong
one.  When a wrong formula matches on every case, the feedback names it.
"""

from __future__ import annotations

import numbers

import numpy as np

from .feedback import Feedback, NotYetImplemented, call_learner, not_yet

__all__ = ["check_mse", "check_gradient"]

_RTOL = 1e-7
_ATOL = 1e-9

# (y, y_hat): residuals of both signs whose mean is not 0, unequal sizes, n = 5, 3, 6.
_MSE_CASES = (
    (np.array([3.0, -1.0, 4.0, 1.5, 5.0]), np.array([2.0, 0.5, 1.0, 2.0, 2.5])),
    (np.array([0.2, 1.7, -2.3]), np.array([1.0, 1.0, -0.3])),
    (
        np.array([10.0, 12.5, 9.0, 14.0, 11.0, 8.5]),
        np.array([9.0, 13.0, 9.5, 11.0, 11.5, 7.0]),
    ),
)

# (x, y, m, b): x not centred or symmetric, residuals not averaging to 0,
# m different from every x_i, n = 5, 3, 7.
_GRADIENT_CASES = (
    (
        np.array([0.5, 1.0, 2.0, 4.0, 7.0]),
        np.array([1.0, 2.5, 2.0, 6.0, 9.5]),
        0.5,
        -1.0,
    ),
    (np.array([-1.0, 2.0, 3.0]), np.array([0.0, 4.0, 1.0]), 1.5, 0.5),
    (
        np.array([1.0, 2.0, 3.5, 4.0, 6.0, 8.0, 9.0]),
        np.array([5.0, 3.0, 4.5, 1.0, 0.5, -2.0, -1.5]),
        -0.7,
        2.0,
    ),
)


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=_RTOL, atol=_ATOL))


def _mutated(originals, copies) -> list[int]:
    return [
        i for i, (a, c) in enumerate(zip(originals, copies)) if not np.array_equal(a, c)
    ]


def _fmt(value) -> str:
    return f"{float(value):.6g}"


def _call_all(function, cases, names, title):
    """Run ``function`` on every case; return (outputs, None) or (None, Feedback)."""
    outputs = []
    for case in cases:
        arrays = [np.array(a) if isinstance(a, np.ndarray) else a for a in case]
        try:
            value, problem = call_learner(function, *arrays)
        except NotYetImplemented:
            return None, not_yet(title)
        if problem is not None and "bitwise_xor" in problem:
            return None, Feedback(
                False,
                "In Python `^` is not a power: it is bitwise XOR, which floats do not have. "
                "Square with ** 2, e.g. (y - y_hat) ** 2.",
                title=title,
            )
        if problem is not None:
            return None, Feedback(
                False, f"{problem[0].upper()}{problem[1:]}.", title=title
            )
        changed = [
            names[i] for i in _mutated(case, arrays) if isinstance(case[i], np.ndarray)
        ]
        if changed:
            return None, Feedback(
                False,
                f"Your function changed its input {' and '.join(changed)}. Compute new "
                "arrays (e.g. residuals = y - y_hat) instead of editing the ones passed in "
                "(no in-place operations such as -=, += or sort()).",
                title=title,
            )
        outputs.append(value)
    return outputs, None


# ---------------------------------------------------------------- check_mse


def _mse_mistakes(y, y_hat):
    r = y - y_hat
    return (
        (
            "the square is missing: positive and negative residuals cancel, so a bad line "
            "can score 0. Square each residual before averaging (erratum 1 of the notes).",
            (np.mean(r), np.mean(-r)),
        ),
        (
            "you took the sum of the squared residuals, not their mean: divide by n "
            "(len(y)), so the loss does not grow just because there are more observations.",
            (np.sum(r * r),),
        ),
        (
            "you used the 1/(2n) convention, (1/(2n)) Σ (y_i − ŷ_i)². That is a valid "
            "convention (its gradient has no factor 2), but this series uses 1/n: drop the 2.",
            (np.mean(r * r) / 2.0,),
        ),
        (
            "you took the square root of the mean squared error: that is the RMSE. It has "
            "the same minimum, but the MSE is the mean itself, without the square root.",
            (np.sqrt(np.mean(r * r)),),
        ),
        (
            "you averaged the absolute values of the residuals: that is the mean absolute "
            "error (MAE), a different loss. Square the residuals instead of taking abs().",
            (np.mean(np.abs(r)),),
        ),
        (
            "you squared the mean of the residuals, (mean of y − ŷ)². Positive and negative "
            "residuals cancel before the square. Square each residual first, then take the "
            "mean: np.mean((y - y_hat) ** 2).",
            (np.mean(r) ** 2,),
        ),
        (
            "you divided by n − 1 (as for a sample variance). The MSE is a mean: divide "
            "the sum of the squared residuals by n, the number of observations.",
            (np.sum(r * r) / (r.size - 1),),
        ),
        (
            "the square is missing and you took the sum, not the mean: square each "
            "residual, then divide the total by n.",
            (np.sum(r), np.sum(-r)),
        ),
    )


def _answers(function, cases, names, title, convert):
    """Run the learner's function on every case and convert each answer.

    Returns ``(answers, None)``, or ``(None, Feedback)`` for the first problem:
    a crash, the untouched stub, or an answer ``convert`` cannot read.
    """
    outputs, failure = _call_all(function, cases, names, title)
    if failure is not None:
        return None, failure
    answers = []
    for value in outputs:
        answer, problem = convert(value)
        if problem is not None:
            return None, Feedback(False, problem, title=title)
        answers.append(answer)
    return answers, None


def _as_real_number(value):
    """Return (float, None) or (None, a plain sentence saying what is wrong)."""
    if value is None:
        return None, "Your function returned None: did you forget the `return` line?"
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, np.ndarray):
        hint = (
            " That looks like one squared residual per observation: take their mean."
            if value.ndim == 1 and value.size > 1
            else ""
        )
        return None, (
            f"Your function returned an array of shape {value.shape}, but the MSE is a "
            f"single number.{hint}"
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None, (
            f"Your function returned a {type(value).__name__}, but the MSE is a single "
            "number (a float)."
        )
    number = float(value)
    if np.isnan(number):
        return (
            None,
            "Your function returned NaN (not a number). Look for a 0/0 or an empty mean.",
        )
    if not np.isfinite(number):
        return (
            None,
            "Your function returned infinity; the MSE of these data is a finite number.",
        )
    return number, None


def check_mse(fn) -> Feedback:
    """Check a learner's ``fn(y, y_hat)`` against ``(1/n) Σ (y_i − ŷ_i)²``.

    The exercise of lesson 03.  A failure names the mistake when it is a known
    one: the square missing (erratum 1), a sum instead of the mean, the
    1/(2n) convention, the square of the mean, division by n − 1, the square root (RMSE), the absolute
    value (MAE), ``^`` written for a power; or says plainly that the function crashed, returned the wrong type or NaN,
    or changed its input.

    Examples
    --------
    >>> import numpy as np
    >>> check_mse(lambda y, y_hat: np.mean((y - y_hat) ** 2)).passed
    True
    >>> print(check_mse(lambda y, y_hat: np.mean(y - y_hat)).message)  # doctest: +ELLIPSIS
    Not yet right: the square is missing...
    """
    title = "MSE"
    numbers_, failure = _answers(fn, _MSE_CASES, ("y", "y_hat"), title, _as_real_number)
    if failure is not None:
        return failure
    expected = [float(np.mean((y - y_hat) ** 2)) for y, y_hat in _MSE_CASES]
    if _close(numbers_, expected):
        return Feedback(
            True,
            f"Right on all {len(_MSE_CASES)} test cases: the mean of the squared residuals.",
            title=title,
        )
    mistakes = [_mse_mistakes(y, y_hat) for y, y_hat in _MSE_CASES]
    for index, (message, _) in enumerate(mistakes[0]):
        if any(
            all(
                _close(got, per_case[index][1][variant])
                for got, per_case in zip(numbers_, mistakes)
            )
            for variant in range(len(mistakes[0][index][1]))
        ):
            return Feedback(False, "Not yet right: " + message, title=title)
    y, y_hat = _MSE_CASES[0]
    return Feedback(
        False,
        f"Not yet right. For y = {y.tolist()} and y_hat = {y_hat.tolist()} the MSE is "
        f"{_fmt(expected[0])}, but your function returned {_fmt(numbers_[0])}. Compute the "
        "residuals y − ŷ, square each one, then take their mean.",
        title=title,
    )


# ----------------------------------------------------------- check_gradient


def _partials(x, y, m, b):
    r = y - (m * x + b)
    return -2.0 * np.mean(x * r), -2.0 * np.mean(r), r


def _component_variants(x, y, m, b, which):
    """Known wrong versions of one partial derivative, as (description, value)."""
    dm, db, r = _partials(x, y, m, b)
    n = x.size
    right = dm if which == "m" else db
    variants = [
        (
            "has the wrong sign (the inner derivative of y_i − (m·x_i + b) brings a minus)",
            -right,
        ),
        (
            "is half the right value (the factor 2 from the chain rule is missing)",
            right / 2.0,
        ),
        ("uses the sum where the mean belongs (divide by n)", right * n),
    ]
    if which == "m":
        variants += [
            (
                "multiplies by −m where the inner derivative is −x_i (erratum 6 of the notes)",
                -2.0 * np.mean(r) * m,
            ),
            ("is missing the factor x_i inside the sum (that is ∂L/∂b's formula)", db),
            (
                "multiplies by x_i outside the sum, or uses x̄ in place of each x_i",
                -2.0 * np.mean(x) * np.mean(r),
            ),
        ]
    else:
        variants += [
            (
                "has a factor x_i inside the sum (that is ∂L/∂m's formula; ∂(m·x_i + b)/∂b = 1)",
                dm,
            ),
        ]
    return variants


def _as_gradient(value):
    """Return (array of shape (2,), None) or (None, a plain sentence saying what is wrong)."""
    if value is None:
        return None, "Your function returned None: did you forget the `return` line?"
    if isinstance(value, (list, tuple)):
        return None, (
            f"Your function returned a {type(value).__name__}; return a numpy array, "
            "np.array([dL_dm, dL_db]), so that later steps can compute θ − η·∇L with it."
        )
    if not isinstance(value, np.ndarray):
        return None, (
            f"Your function returned a {type(value).__name__}; return a numpy array of two "
            "numbers, np.array([dL_dm, dL_db])."
        )
    if value.shape != (2,):
        hint = (
            " It looks like one term per observation: each partial derivative is a mean "
            "over the observations, (2/n) Σ …, so take np.mean (or sum and divide by n)."
            if value.ndim == 2 and 2 in value.shape and max(value.shape) > 2
            else ""
        )
        return None, (
            f"Your function returned an array of shape {value.shape}; the gradient has "
            f"shape (2,): one partial derivative per parameter, [∂L/∂m, ∂L/∂b].{hint}"
        )
    if value.dtype.kind not in "iuf":
        return (
            None,
            f"Your function returned an array of dtype {value.dtype}; it must hold real numbers.",
        )
    gradient = value.astype(float)
    if np.isnan(gradient).any():
        return (
            None,
            "Your function returned NaN (not a number). Look for a 0/0 or an empty mean.",
        )
    if not np.isfinite(gradient).all():
        return (
            None,
            "Your function returned infinity; the gradient here is a finite number.",
        )
    return gradient, None


def _matches(got, wanted) -> bool:
    return all(_close(g, w) for g, w in zip(got, wanted))


def check_gradient(fn) -> Feedback:
    """Check a learner's ``fn(x, y, m, b)`` against ``[∂L/∂m, ∂L/∂b]`` of the MSE.

    The exercise of lesson 04; the right answer is
    ``[−(2/n) Σ x_i (y_i − ŷ_i), −(2/n) Σ (y_i − ŷ_i)]``.  A failure names the
    mistake when it is a known one: sign flipped, factor 2 missing or the
    1/(2n) convention, a sum instead of the mean, the notes' −m in place of
    −x_i (erratum 6), the two partials in the wrong order, or only one of the
    two right (saying which, and what is wrong with the other).

    Examples
    --------
    >>> import numpy as np
    >>> def gradient(x, y, m, b):
    ...     r = y - (m * x + b)
    ...     return np.array([-2 * np.mean(x * r), -2 * np.mean(r)])
    >>> check_gradient(gradient).passed
    True
    >>> print(check_gradient(lambda x, y, m, b: -gradient(x, y, m, b)).message)  # doctest: +ELLIPSIS
    Not yet right: the sign is flipped...
    """
    title = "Gradient"
    got, failure = _answers(fn, _GRADIENT_CASES, ("x", "y"), title, _as_gradient)
    if failure is not None:
        return failure
    right = [np.array(_partials(*case)[:2]) for case in _GRADIENT_CASES]
    if _matches(got, right):
        return Feedback(
            True,
            f"Both partial derivatives are right on all {len(_GRADIENT_CASES)} test cases, "
            "in the order [∂L/∂m, ∂L/∂b].",
            title=title,
        )
    sizes = [case[0].size for case in _GRADIENT_CASES]
    whole = (
        (
            "the sign is flipped: this vector points downhill. The chain rule gives "
            "∂(y_i − (m·x_i + b))/∂m = −x_i and ∂/∂b = −1; keep those minus signs.",
            [-g for g in right],
        ),
        (
            "both partial derivatives are half the right size. Either the factor 2 from "
            "differentiating the square is missing, or you differentiated the 1/(2n) "
            "convention, (1/(2n)) Σ (y_i − ŷ_i)². That convention is valid, but this series "
            "uses L = (1/n) Σ (y_i − ŷ_i)², so the gradient keeps its 2.",
            [g / 2.0 for g in right],
        ),
        (
            "you summed where the mean belongs: both partials are n times too large. Divide "
            "by n (or use np.mean).",
            [g * n for g, n in zip(right, sizes)],
        ),
        (
            "the two partial derivatives are in the wrong order. Return [∂L/∂m, ∂L/∂b], the "
            "same order as the arguments m, b.",
            [g[::-1] for g in right],
        ),
        (
            "two things at once: the sign is flipped (this vector points downhill) and both "
            "partials are half the right size. Keep the minus signs from the chain rule, and "
            "keep the factor 2: this series uses L = (1/n) Σ (y_i − ŷ_i)², not 1/(2n).",
            [-g / 2.0 for g in right],
        ),
    )
    for message, wanted in whole:
        if _matches(got, wanted):
            return Feedback(False, "Not yet right: " + message, title=title)
    notes_error = [
        np.array([-2.0 * np.mean(_partials(*case)[2]) * case[2], g[1]])
        for case, g in zip(_GRADIENT_CASES, right)
    ]
    if _matches(got, notes_error):
        return Feedback(
            False,
            "Not yet right: ∂L/∂m has the notes' error (erratum 6): it multiplies by −m "
            "where the chain rule gives −x_i, the derivative of m·x_i + b with respect to m. "
            "∂L/∂m = −(2/n) Σ x_i (y_i − ŷ_i). Your ∂L/∂b is right.",
            title=title,
        )
    names = {"m": ("∂L/∂m", 0), "b": ("∂L/∂b", 1)}
    verdicts = {}
    for which, (_, index) in names.items():
        if _matches([g[index] for g in got], [g[index] for g in right]):
            verdicts[which] = None
            continue
        variants = [_component_variants(*case, which) for case in _GRADIENT_CASES]
        verdicts[which] = "is wrong"
        for k, (description, _) in enumerate(variants[0]):
            if _matches([g[index] for g in got], [v[k][1] for v in variants]):
                verdicts[which] = description
                break
    formulas = {"m": "−(2/n) Σ x_i (y_i − ŷ_i)", "b": "−(2/n) Σ (y_i − ŷ_i)"}
    wrong = [w for w in ("m", "b") if verdicts[w] is not None]
    parts = [f"{names[w][0]} {verdicts[w]}; it should be {formulas[w]}." for w in wrong]
    if len(wrong) == 1:
        fine = "b" if wrong[0] == "m" else "m"
        head = f"Not yet right: only one of the two partial derivatives is right. {names[fine][0]} is right; "
        return Feedback(False, head + parts[0], title=title)
    x, y, m, b = _GRADIENT_CASES[0]
    detail = " ".join(parts)
    return Feedback(
        False,
        f"Not yet right: neither partial derivative is right. {detail} For x = {x.tolist()}, "
        f"y = {y.tolist()}, m = {m}, b = {b} the gradient is [{_fmt(right[0][0])}, "
        f"{_fmt(right[0][1])}], but your function returned [{_fmt(got[0][0])}, {_fmt(got[0][1])}].",
        title=title,
    )
