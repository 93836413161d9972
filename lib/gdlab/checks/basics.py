"""Feedback for the first exercises: squaring, pairs, the mean, the line, residuals.

Each checker runs the learner's function on a few small cases of its own,
compares the result with the right answer and, when it is wrong, with the
answers of known mistakes, so the message can name the mistake.

===========================  =========  ===================================
checker                      lesson     the learner writes
===========================  =========  ===================================
:func:`check_square`         00         ``square(r)`` → ``r²``
:func:`check_observation_pairs`  01     ``observation_pairs(x, y)`` → ``[(x_i, y_i), …]``
:func:`check_mean`           01         ``mean(values)`` → ``(1/n) Σ values_i``
:func:`check_predict`        02         ``predict(x, m, b)`` → ``m·x + b``
:func:`check_residuals`      02         ``residuals(x, y, m, b)`` → ``y − ŷ``
===========================  =========  ===================================
"""

from __future__ import annotations

import numpy as np

from .feedback import Feedback, NotYetImplemented, call_learner, not_yet

__all__ = [
    "check_square",
    "check_observation_pairs",
    "check_mean",
    "check_predict",
    "check_residuals",
]


class _Stop(Exception):
    """Carries the Feedback that ends a check early."""

    def __init__(self, feedback: Feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def _call(function, title, *args):
    """Run the learner's function on copies of ``args``; stop with Feedback on trouble."""
    copies = [
        np.array(a, dtype=float) if isinstance(a, np.ndarray) else a for a in args
    ]
    try:
        value, problem = call_learner(function, *copies)
    except NotYetImplemented:
        raise _Stop(not_yet(title)) from None
    if problem is not None:
        raise _Stop(
            Feedback(False, problem[0].upper() + problem[1:] + ".", title=title)
        )
    for original, copy in zip(args, copies):
        if isinstance(original, np.ndarray) and not np.array_equal(original, copy):
            raise _Stop(
                Feedback(
                    False,
                    "Your function changed its input array in place (e.g. with `x *= m`). "
                    "Compute a new array instead (`m * x`), so the data stay as they were.",
                    title=title,
                )
            )
    if value is None:
        raise _Stop(
            Feedback(
                False,
                "Your function returned None: is the `return` statement missing?",
                title=title,
            )
        )
    return value


def _as_numbers(value, title, what):
    """The learner's answer as a float array, or stop with a plain message."""
    if isinstance(value, (str, bytes)):
        raise _Stop(
            Feedback(
                False, f"Your function returned text ({value!r}); {what}.", title=title
            )
        )
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Stop(
            Feedback(
                False,
                f"Your function returned a {type(value).__name__} that is not a regular array of numbers; {what}.",
                title=title,
            )
        ) from None
    if np.isnan(array).any():
        raise _Stop(
            Feedback(
                False,
                f"Your function returned NaN (not a number) for some inputs; {what}.",
                title=title,
            )
        )
    return array


def _matches(array, expected):
    expected = np.asarray(expected, dtype=float)
    return array.shape == expected.shape and bool(
        np.allclose(array, expected, rtol=1e-9, atol=1e-12)
    )


def _diagnose(function, title, cases, right, mistakes, what, shape_hint):
    """The common loop: run every case, name the first known mistake that fits.

    ``cases`` are argument tuples, ``right(*case)`` the correct answer,
    ``mistakes`` a list of ``(wrong_function, message)``: a mistake is named
    when the learner's answers equal the wrong function's on every case.
    """
    answers = []
    for case in cases:
        answer = _as_numbers(_call(function, title, *case), title, what)
        expected = np.asarray(right(*case), dtype=float)
        if answer.shape != expected.shape:
            raise _Stop(
                Feedback(False, shape_hint(case, answer, expected), title=title)
            )
        answers.append(answer)
    if all(_matches(a, right(*c)) for a, c in zip(answers, cases)):
        return None
    for wrong, message in mistakes:
        with np.errstate(all="ignore"):
            if all(_matches(a, wrong(*c)) for a, c in zip(answers, cases)):
                return Feedback(False, message, title=title)
    first = next(
        i for i, (a, c) in enumerate(zip(answers, cases)) if not _matches(a, right(*c))
    )
    return Feedback(
        False,
        f"Not the expected answer for case {first + 1} of {len(cases)}: "
        f"{_describe_case(cases[first])} gave {_short(answers[first])}, "
        f"expected {_short(right(*cases[first]))}.",
        title=title,
    )


def _short(value):
    array = np.round(np.asarray(value, dtype=float), 4)
    return str(array.tolist())


def _describe_case(case):
    return "(" + ", ".join(_short(a) for a in case) + ")"


def _checked(run):
    try:
        return run()
    except _Stop as stop:
        return stop.feedback


# --------------------------------------------------------------------- 00


def check_square(function) -> Feedback:
    """Check a warm-up ``square(r)`` that returns ``r²`` (lesson 00).

    It must work on one number and on a numpy array (element by element).
    Named mistakes: ``r * 2`` (doubling), ``r ^ 2`` (XOR, not a power),
    ``2 ** r``, ``abs(r)``, and ``math.pow``, which fails on arrays.

    Examples
    --------
    >>> check_square(lambda r: r ** 2).passed
    True
    >>> print(check_square(lambda r: r * 2).message)
    You doubled r (r * 2 is r + r). The square is r ** 2, or r * r.
    """
    title = "Warm-up: square"

    def run():
        try:
            value, problem = call_learner(function, 3.0)
        except NotYetImplemented:
            return not_yet(title)
        if problem is not None and "^" in problem:
            return Feedback(
                False,
                "In Python `^` is not a power: it is bitwise XOR, which floats do not have. "
                "Write r ** 2.",
                title=title,
            )
        cases = [(3.0,), (-2.0,), (0.5,), (np.array([1.0, -2.0, 0.5, 4.0]),)]
        for case in cases:
            try:
                value, problem = call_learner(function, *case)
            except NotYetImplemented:
                return not_yet(title)
            if problem is not None and not isinstance(case[0], np.ndarray):
                break  # a plain crash: _diagnose below reports it
            if problem is not None:
                return Feedback(
                    False,
                    f"It works on one number but not on a numpy array ({problem}). Use r ** 2, "
                    "which numpy applies to every element; math.pow and loops over floats do not.",
                    title=title,
                )
        result = _diagnose(
            function,
            title,
            cases,
            lambda r: np.square(r),
            [
                (
                    lambda r: r * 2,
                    "You doubled r (r * 2 is r + r). The square is r ** 2, or r * r.",
                ),
                (
                    lambda r: 2.0**r,
                    "You wrote 2 ** r (two to the power r). The square is r ** 2.",
                ),
                (
                    lambda r: np.abs(r),
                    "abs(r) gives the size of r, not its square. Use r ** 2.",
                ),
            ],
            "return r squared",
            lambda case, got, want: (
                f"Wrong shape: for an input of shape {np.shape(case[0])} your function returned "
                f"shape {got.shape}. The square of an array is an array of the same shape."
            ),
        )
        if result is not None:  # a Feedback is falsy when it fails
            return result
        return Feedback(
            True, "r ** 2 squares a number and every element of an array.", title=title
        )

    return _checked(run)


# --------------------------------------------------------------------- 01

_PAIR_CASES = [
    (np.array([0.5, 1.5, 2.5, 4.0]), np.array([1.2, 3.9, 5.1, 8.8])),
    (np.array([-3.0, 7.0, 2.0]), np.array([0.25, -1.0, 6.5])),
    (np.array([2.0]), np.array([-4.0])),
]


def check_observation_pairs(function) -> Feedback:
    """Check ``observation_pairs(x, y)``: the list of pairs ``(x_i, y_i)`` (lesson 01).

    Named mistakes: pairs turned round ``(y_i, x_i)``; the two arrays
    returned as they were (shape (2, n), not (n, 2)); the first or the
    last observation dropped; a lazy ``zip`` object not turned into a list.

    Examples
    --------
    >>> check_observation_pairs(lambda x, y: list(zip(x, y))).passed
    True
    >>> print(check_observation_pairs(lambda x, y: list(zip(y, x))).message)
    Each pair is (y_i, x_i), turned round. An observation is (x_i, y_i): the input first, then the output.
    """
    title = "Observation pairs"

    def shape_hint(case, got, want):
        n = case[0].size
        if got.shape == (2, n) and n != 2:
            return (
                f"You returned the two arrays as they were (shape (2, n) = {got.shape}), "
                f"not n = {n} pairs. Pair the i-th x with the i-th y: list(zip(x, y))."
            )
        if got.ndim == 2 and got.shape[1] == 2 and got.shape[0] == n - 1:
            if _matches(got, want[1:]):
                return (
                    f"You returned {n - 1} pairs for n = {n} observations: the first one is missing. "
                    "Python counts from 0, so (x_1, y_1) is (x[0], y[0]): use range(len(x)), "
                    "not range(1, len(x))."
                )
            if _matches(got, want[:-1]):
                return (
                    f"You returned {n - 1} pairs for n = {n} observations: the last one is missing. "
                    "range(len(x)) already runs i = 0, 1, …, n − 1."
                )
            return (
                f"You returned {n - 1} pairs for n = {n} observations: one is missing."
            )
        if got.ndim == 2 and got.shape[1] == 2:
            return f"You returned {got.shape[0]} pairs for n = {n} observations; expected one pair per observation."
        return (
            f"Wrong shape: expected n = {n} pairs (shape ({n}, 2)), got shape {got.shape}. "
            "Each observation is one pair (x_i, y_i)."
        )

    def run():
        value = _call(function, title, *_PAIR_CASES[0])
        if hasattr(value, "__next__"):  # zip, map, a generator: read once, then empty
            return Feedback(
                False,
                f"You returned a {type(value).__name__} object, which can be read only once. "
                "Turn it into a list: list(zip(x, y)).",
                title=title,
            )
        result = _diagnose(
            function,
            title,
            _PAIR_CASES,
            lambda x, y: np.column_stack([x, y]),
            [
                (
                    lambda x, y: np.column_stack([y, x]),
                    "Each pair is (y_i, x_i), turned round. An observation is (x_i, y_i): "
                    "the input first, then the output.",
                )
            ],
            "return a list of pairs (x_i, y_i)",
            shape_hint,
        )
        if result is not None:  # a Feedback is falsy when it fails
            return result
        return Feedback(
            True, "One pair (x_i, y_i) per observation, in order.", title=title
        )

    return _checked(run)


_MEAN_CASES = [
    (np.array([2.0, 4.0, 9.0]),),
    (np.array([1.5]),),
    (np.array([-1.0, 0.5, 3.0, 8.5, 10.0]),),
]


def check_mean(function) -> Feedback:
    """Check ``mean(values)``: ``(1/n) Σ values_i`` as one number (lesson 01).

    Named mistakes: the sum (no division by n); division by n − 1;
    each value divided by n but not added up; floor division ``//``;
    the median.

    Examples
    --------
    >>> check_mean(lambda v: sum(v) / len(v)).passed
    True
    >>> print(check_mean(lambda v: sum(v)).message)
    You returned the sum Σ x_i. The mean divides it by n: (1/n) Σ x_i.
    """
    title = "Mean"

    def shape_hint(case, got, want):
        n = case[0].size
        if got.shape == (n,) and n > 1:
            return (
                f"You returned {n} numbers, one per value: perhaps each value divided by n, "
                "but not added up. The mean is one number: add them all, then divide by n."
            )
        return f"Wrong shape: the mean is one number, but your function returned shape {got.shape}."

    def run():
        # Division by n − 1 fails on a single value; name it before the general message.
        try:
            _, problem = call_learner(function, np.array([1.5]))
        except NotYetImplemented:
            return not_yet(title)
        if problem is not None and (
            "ZeroDivision" in problem or "divide by zero" in problem
        ):
            return Feedback(
                False,
                "Your function divides by zero for a single value: did you divide by n − 1? "
                "The mean divides by n, the number of values.",
                title=title,
            )
        result = _diagnose(
            function,
            title,
            _MEAN_CASES,
            lambda v: np.mean(v),
            [
                (
                    lambda v: np.sum(v),
                    "You returned the sum Σ x_i. The mean divides it by n: (1/n) Σ x_i.",
                ),
                (
                    lambda v: np.sum(v) / (v.size - 1),
                    "You divided by n − 1. The mean divides by n, the number of values.",
                ),
                (
                    lambda v: np.sum(v) // v.size,
                    "You used `//`, floor division, which rounds the result down to a whole "
                    "number. Divide with a single `/`: sum(values) / len(values).",
                ),
                (
                    lambda v: np.median(v),
                    "That is the median (the middle value), not the mean: add the values, divide by n.",
                ),
            ],
            "return one number, the mean",
            shape_hint,
        )
        if result is not None:  # a Feedback is falsy when it fails
            return result
        return Feedback(True, "(1/n) Σ x_i, as one number.", title=title)

    return _checked(run)


# --------------------------------------------------------------------- 02

_LINE_CASES = [
    (np.array([-1.0, 0.0, 2.0, 3.5]), 2.0, -0.5),
    (np.array([0.0, 1.0, 5.0]), -0.3, 4.0),
    (np.array([10.0, 20.0]), 0.75, 1.25),
]
_RESIDUAL_CASES = [
    (np.array([-1.0, 0.0, 2.0, 3.5]), np.array([-3.0, 0.2, 3.0, 6.0]), 2.0, -0.5),
    (np.array([0.0, 1.0, 5.0]), np.array([4.5, 3.0, 2.0]), -0.3, 4.0),
    (np.array([10.0, 20.0]), np.array([8.0, 17.0]), 0.75, 1.25),
]


def _one_per_observation(case, got, want):
    n = case[0].size
    if got.ndim == 0:
        return (
            f"You returned one number; expected one value per observation, an array of shape ({n},). "
            "Work on the whole array x at once (m * x + b), or collect one value per x_i."
        )
    return f"Wrong shape: expected one value per observation, shape ({n},); got shape {got.shape}."


def check_predict(function) -> Feedback:
    """Check ``predict(x, m, b)``: the line's predictions ``ŷ = m·x + b`` (lesson 02).

    Named mistakes: ``m`` and ``b`` swapped (``b·x + m``); ``b`` missing
    (``m·x``); ``m·(x + b)``; ``m·x − b``; one number instead of ``n``.

    Examples
    --------
    >>> check_predict(lambda x, m, b: m * x + b).passed
    True
    >>> print(check_predict(lambda x, m, b: m * x).message)
    The intercept b is missing: you returned m·x. The line is ŷ = m·x + b.
    """
    title = "Predict"

    def run():
        result = _diagnose(
            function,
            title,
            _LINE_CASES,
            lambda x, m, b: m * x + b,
            [
                (
                    lambda x, m, b: b * x + m,
                    "You swapped m and b: you computed b·x + m. The slope m multiplies x; "
                    "the intercept b is added.",
                ),
                (
                    lambda x, m, b: m * x,
                    "The intercept b is missing: you returned m·x. The line is ŷ = m·x + b.",
                ),
                (
                    lambda x, m, b: m * (x + b),
                    "Brackets: you computed m·(x + b). Multiply first, then add: m * x + b.",
                ),
                (
                    lambda x, m, b: m * x - b,
                    "You subtracted b. The line is ŷ = m·x + b.",
                ),
            ],
            "return one prediction per observation",
            _one_per_observation,
        )
        if result is not None:  # a Feedback is falsy when it fails
            return result
        return Feedback(True, "ŷ = m·x + b for every x_i at once.", title=title)

    return _checked(run)


def check_residuals(function) -> Feedback:
    """Check ``residuals(x, y, m, b)``: ``y_i − ŷ_i`` for each observation (lesson 02).

    Named mistakes: sign flipped (``ŷ − y``); squared; absolute value;
    ``b`` forgotten in ŷ; ``m`` and ``b`` swapped in ŷ; one number (a sum
    or mean) instead of ``n``.

    Examples
    --------
    >>> check_residuals(lambda x, y, m, b: y - (m * x + b)).passed
    True
    >>> print(check_residuals(lambda x, y, m, b: (m * x + b) - y).message)
    Sign flipped: you computed ŷ_i − y_i. A residual is observed minus predicted, y_i − ŷ_i, so a point above the line has a positive residual.
    """
    title = "Residuals"

    def shape_hint(case, got, want):
        if got.ndim == 0:
            return (
                "You returned one number: a sum or mean of the residuals? Keep one residual per "
                "observation, shape (n,). (Added up, positive and negative residuals cancel: that "
                "is why lesson 03 squares them first.)"
            )
        return _one_per_observation(case, got, want)

    def run():
        result = _diagnose(
            function,
            title,
            _RESIDUAL_CASES,
            lambda x, y, m, b: y - (m * x + b),
            [
                (
                    lambda x, y, m, b: (m * x + b) - y,
                    "Sign flipped: you computed ŷ_i − y_i. A residual is observed minus predicted, "
                    "y_i − ŷ_i, so a point above the line has a positive residual.",
                ),
                (
                    lambda x, y, m, b: (y - (m * x + b)) ** 2,
                    "You squared the residuals. That is the next step (the loss, lesson 03); "
                    "a residual keeps its sign: y_i − ŷ_i.",
                ),
                (
                    lambda x, y, m, b: np.abs(y - (m * x + b)),
                    "You took the absolute value, which loses the sign. A residual is y_i − ŷ_i: "
                    "positive above the line, negative below.",
                ),
                (
                    lambda x, y, m, b: y - m * x,
                    "The intercept b is missing from ŷ: you computed y − m·x. Use ŷ = m·x + b.",
                ),
                (
                    lambda x, y, m, b: y - m * x + b,
                    "Brackets: y − m·x + b adds b. Subtract the whole prediction: y − (m * x + b).",
                ),
                (
                    lambda x, y, m, b: y - (b * x + m),
                    "You swapped m and b in ŷ: the slope m multiplies x, the intercept b is added.",
                ),
            ],
            "return one residual per observation",
            shape_hint,
        )
        if result is not None:  # a Feedback is falsy when it fails
            return result
        return Feedback(
            True,
            "y_i − ŷ_i for every observation: positive above the line.",
            title=title,
        )

    return _checked(run)
