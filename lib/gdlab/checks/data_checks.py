"""Tables for the first exercises: the square (00), pairs and the mean (01), the line (02)."""

from __future__ import annotations

import math

import numpy as np

from .engine import Exercise, Mistake, Problem, as_numbers, run_check

__all__ = [
    "check_mean",
    "check_observation_pairs",
    "check_predict",
    "check_residuals",
    "check_square",
]

_A = np.array  # the cases below are many small arrays

# fmt: off
SQUARE = Exercise(
    "Warm-up: square",
    cases=((3.0,), (-2.0,), (0.5,), (_A([1.0, -2.0, 0.5, 4.0]),)),
    right=np.square,
    array=True,
    mistakes=(
        Mistake("You returned r unchanged. The square multiplies r by itself: r ** 2, or r * r.", wrong=lambda r: r),
        Mistake("You doubled r (r * 2 is r + r). The square is r ** 2, or r * r.", wrong=lambda r: r * 2),
        Mistake("In Python `^` is not a power: it is bitwise XOR, which floats do not have. Write r ** 2.", wrong=lambda r: r ^ 2),
        Mistake("You wrote 2 ** r (two to the power r). The square is r ** 2.", wrong=lambda r: 2.0**r),
        Mistake("abs(r) gives the size of r, not its square. Use r ** 2.", wrong=np.abs),
        Mistake("That is the cube, r³ (r * r * r, or r ** 3). The square multiplies r by itself once: r * r, or r ** 2.", wrong=lambda r: r * r * r),
        Mistake("You added up the squares and returned one number. The square of an array is an array: each element squared, one per element, r ** 2 (no sum).", wrong=lambda r: np.sum(r**2)),
        Mistake("math.pow works on one number but not on a numpy array. Use r ** 2, which numpy applies to every element.", wrong=lambda r: math.pow(r, 2)),
    ),
    success="r ** 2 squares a number and every element of an array.",
    hint="The square of r is r times r; Python writes a power with **.",
)
# fmt: on


def check_square(function):
    """Check the warm-up ``square(r)`` that returns ``r²`` (lesson 00).

    Examples
    --------
    >>> check_square(lambda r: r ** 2).passed
    True
    >>> print(check_square(lambda r: r * 2).message)
    You doubled r (r * 2 is r + r). The square is r ** 2, or r * r.
    """
    return run_check(SQUARE, function)


def _read_pairs(value):
    if hasattr(value, "__next__"):  # zip, map, a generator: read once, then empty
        raise Problem(
            f"You returned a {type(value).__name__} object, which can be read only once. Turn it into a list: list(zip(x, y))."
        )
    return as_numbers(value)


def _pairs_shape(case, got, want):
    n = case[0].size
    if got.shape == want.shape:
        return None
    if got.shape == (2, n):
        return (
            f"You returned the two arrays as they were (shape (2, n) = {got.shape}), "
            f"not n = {n} pairs. Pair the i-th x with the i-th y: list(zip(x, y))."
        )
    return (
        f"Expected n = {n} pairs (shape ({n}, 2)), one per observation; got shape "
        f"{got.shape}."
    )


# fmt: off
PAIRS = Exercise(
    "Observation pairs",
    cases=(
        (_A([0.5, 1.5, 2.5, 4.0]), _A([1.2, 3.9, 5.1, 8.8])),
        (_A([-3.0, 7.0, 2.0]), _A([0.25, -1.0, 6.5])),
        (_A([2.0]), _A([-4.0])),
    ),
    right=lambda x, y: np.column_stack([x, y]),
    read=_read_pairs,
    mistakes=(
        Mistake("Each pair is (y_i, x_i), turned round. An observation is (x_i, y_i): the input first, then the output.", wrong=lambda x, y: np.column_stack([y, x])),
        Mistake("The first pair is missing. Python counts from 0, so (x_1, y_1) is (x[0], y[0]): use range(len(x)), not range(1, len(x)).", wrong=lambda x, y: list(zip(x, y))[1:]),
        Mistake("The last pair is missing: range(len(x)) already runs i = 0, 1, …, n − 1; range(len(x) - 1) stops one early.", wrong=lambda x, y: list(zip(x, y))[:-1]),
    ),
    success="One pair (x_i, y_i) per observation, in order.",
    hint="zip(x, y) walks through both arrays side by side; list(...) keeps the pairs.",
    explain=_pairs_shape,
)
# fmt: on


def check_observation_pairs(function):
    """Check ``observation_pairs(x, y)``: the list of pairs ``(x_i, y_i)`` (lesson 01).

    Examples
    --------
    >>> check_observation_pairs(lambda x, y: list(zip(x, y))).passed
    True
    >>> print(check_observation_pairs(lambda x, y: zip(x, y)).message)
    You returned a zip object, which can be read only once. Turn it into a list: list(zip(x, y)).
    """
    return run_check(PAIRS, function)


def _fixed_count(cases, answers):
    """The sum divided by one fixed number on every case, not by each case's n."""
    if any(np.ndim(a) or not a for a in answers):
        return False
    return len({round(float(np.sum(c[0]) / a), 6) for c, a in zip(cases, answers)}) == 1


def _mean_shape(case, got, want):
    if got.shape == want.shape:
        return None
    if got.shape == case[0].shape:
        return "You returned one number per value: perhaps each value divided by n, but not added up. The mean is one number: add them all, then divide by n."
    return f"The mean is one number, but your function returned shape {got.shape}."


# fmt: off
MEAN = Exercise(
    "Mean",
    cases=(
        (_A([2.0, 4.0, 9.0]),),
        (_A([1.5]),),
        (_A([-1.0, 0.5, 3.0, 8.5, 10.0]),),
        (_A([4.0, 6.0]),),
    ),
    right=lambda values: np.sum(values) / len(values),
    mistakes=(
        Mistake("You called a ready-made mean (np.mean, values.mean() or np.average), which this exercise asks you not to use: the point is to build it yourself. Add the values with sum(values), then divide by len(values).", wrong=lambda values: np.mean(values), uses=("mean", "average", "fmean")),
        Mistake("The first value is missing: your loop starts at index 1. Python counts from 0, so the formula's first value, values_1, is values[0]: loop over range(len(values)), or over the values themselves (for value in values).", wrong=lambda v: np.sum(v[1:]) / len(v)),
        Mistake("The first value is missing and you divided by n − 1: a loop over range(1, len(values)) skips values[0], since Python counts from 0. Loop over range(len(values)) and divide by len(values).", wrong=lambda v: float(np.sum(v[1:])) / (len(v) - 1)),
        Mistake("Your loop runs i = 1, …, n, as in the formula, but Python counts from 0: the formula's values_1 is values[0], and values[n] does not exist. Loop over range(len(values)), which gives i = 0, …, n − 1.", wrong=lambda v: sum(v[i] for i in range(1, len(v) + 1)) / len(v)),
        Mistake("You returned the sum Σ x_i. The mean divides it by n: (1/n) Σ x_i.", wrong=np.sum),
        Mistake("You divided by n − 1 (it fails for a single value). The mean divides by n, the number of values.", wrong=lambda v: float(np.sum(v)) / (len(v) - 1)),
        Mistake("You used `//`, floor division, which rounds down to a whole number. Divide with a single `/`: sum(values) / len(values).", wrong=lambda v: np.sum(v) // len(v)),
        Mistake("That is the median (the middle value), not the mean: add the values, divide by n.", wrong=np.median),
        Mistake("You divided the count by the sum, n / Σ x_i: the wrong way up. The mean is the sum divided by the count: sum(values) / len(values).", wrong=lambda v: len(v) / np.sum(v)),
        Mistake("You divided by the same fixed number for every input: a count typed in for one data set. Divide by len(values), so it works for any n.", wrong=lambda values: sum(values) / 6, fits=_fixed_count),
    ),
    success="(1/n) Σ x_i, as one number.",
    hint="Add the values with sum(values), then divide by how many there are, len(values).",
    explain=_mean_shape,
)
# fmt: on


def check_mean(function):
    """Check ``mean(values)``: ``(1/n) Σ values_i`` as one number (lesson 01).

    Examples
    --------
    >>> check_mean(lambda v: sum(v) / len(v)).passed
    True
    >>> print(check_mean(lambda v: sum(v)).message)
    You returned the sum Σ x_i. The mean divides it by n: (1/n) Σ x_i.
    """
    return run_check(MEAN, function)


def _one_per_observation(case, got, want):
    n = case[0].size
    if got.shape == want.shape:
        return None
    if got.ndim == 0:
        return (
            f"You returned one number: a sum or a mean? Keep one value per observation, "
            f"an array of shape ({n},): work on the whole array x at once."
        )
    return f"Expected one value per observation, shape ({n},); got shape {got.shape}."


_X = (_A([-1.0, 0.0, 2.0, 3.5]), _A([0.0, 1.0, 5.0]), _A([10.0, 20.0]))
_LINES = ((2.0, -0.5), (-0.3, 4.0), (0.75, 1.25))
_Y = (_A([-3.0, 0.2, 3.0, 6.0]), _A([4.5, 3.0, 2.0]), _A([8.0, 17.0]))

# fmt: off
PREDICT = Exercise(
    "Predict",
    cases=tuple((x, m, b) for x, (m, b) in zip(_X, _LINES)),
    right=lambda x, m, b: m * x + b,
    array=True,
    mistakes=(
        Mistake("You swapped m and b: you computed b·x + m. The slope m multiplies x; the intercept b is added.", wrong=lambda x, m, b: b * x + m),
        Mistake("The intercept b is missing: you returned m·x. The line is ŷ = m·x + b.", wrong=lambda x, m, b: m * x),
        Mistake("Brackets: you computed m·(x + b). Multiply first, then add: m * x + b.", wrong=lambda x, m, b: m * (x + b)),
        Mistake("The sign of b is flipped: you subtracted it. The line is ŷ = m·x + b.", wrong=lambda x, m, b: m * x - b),
        Mistake("You multiplied b by x too: only the slope m multiplies x; the intercept b is added as it is, ŷ = m·x + b.", wrong=lambda x, m, b: m * x + b * x),
    ),
    success="ŷ = m·x + b for every x_i at once.",
    hint="numpy does arithmetic on a whole array at once: m * x multiplies every x_i.",
    explain=_one_per_observation,
)
# fmt: on


def check_predict(function):
    """Check ``predict(x, m, b)``: the line's predictions ``ŷ = m·x + b`` (lesson 02).

    Examples
    --------
    >>> check_predict(lambda x, m, b: m * x + b).passed
    True
    >>> print(check_predict(lambda x, m, b: m * x).message)
    The intercept b is missing: you returned m·x. The line is ŷ = m·x + b.
    """
    return run_check(PREDICT, function)


# fmt: off
RESIDUALS = Exercise(
    "Residuals",
    cases=tuple((x, y, m, b) for x, y, (m, b) in zip(_X, _Y, _LINES)),
    right=lambda x, y, m, b: y - (m * x + b),
    array=True,
    mistakes=(
        Mistake("Sign flipped: you computed ŷ_i − y_i. A residual is observed minus predicted, y_i − ŷ_i, so a point above the line has a positive residual.", wrong=lambda x, y, m, b: (m * x + b) - y),
        Mistake("You squared the residuals. That is the next step (the loss, lesson 03); a residual keeps its sign: y_i − ŷ_i.", wrong=lambda x, y, m, b: (y - (m * x + b)) ** 2),
        Mistake("You took the absolute value, which loses the sign. A residual is y_i − ŷ_i: positive above the line, negative below.", wrong=lambda x, y, m, b: np.abs(y - (m * x + b))),
        Mistake("The intercept b is missing from ŷ: you computed y − m·x. Use ŷ = m·x + b.", wrong=lambda x, y, m, b: y - m * x),
        Mistake("Brackets: y − m·x + b adds b. Subtract the whole prediction: y − (m * x + b).", wrong=lambda x, y, m, b: y - m * x + b),
        Mistake("You swapped m and b in ŷ: the slope m multiplies x, the intercept b is added.", wrong=lambda x, y, m, b: y - (b * x + m)),
        Mistake("You multiplied b by x too: in ŷ = m·x + b only the slope m multiplies x. The residual is y − (m * x + b).", wrong=lambda x, y, m, b: y - (m * x + b * x)),
    ),
    success="y_i − ŷ_i for every observation: positive above the line.",
    hint="First the predictions m * x + b, then subtract them from y.",
    explain=_one_per_observation,
)
# fmt: on


def check_residuals(function):
    """Check ``residuals(x, y, m, b)``: ``y_i − ŷ_i`` for each observation (lesson 02).

    Examples
    --------
    >>> check_residuals(lambda x, y, m, b: y - (m * x + b)).passed
    True
    >>> print(check_residuals(lambda x, y, m, b: (m * x + b) - y).message)
    Sign flipped: you computed ŷ_i − y_i. A residual is observed minus predicted, y_i − ŷ_i, so a point above the line has a positive residual.
    """
    return run_check(RESIDUALS, function)
