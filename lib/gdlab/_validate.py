"""Argument checks shared by the math modules.

Every public function of gdlab turns bad input into a ``ValueError`` or
``TypeError`` whose message names the argument and says what was expected,
so a lesson never shows a traceback from deep inside numpy.  The helpers here
return clean float64 *copies*: nothing the caller passed in is ever modified.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "as_data_vector",
    "as_finite_number",
    "as_paired_vectors",
    "as_parameter_vector",
    "as_positive_number",
    "as_seed",
    "as_step_count",
    "as_update_rule",
    "as_whole_number",
]


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_data_vector(value, name: str, *, allow_scalar: bool = False) -> np.ndarray:
    """Return ``value`` as a new finite float64 array of shape (n,), n >= 1.

    Parameters
    ----------
    value : array_like
        The data to check.
    name : str
        The argument's name, used in error messages.
    allow_scalar : bool, optional
        Accept a single number and return it as a 0-d array.

    Examples
    --------
    >>> as_data_vector([1, 2, 3], "x")
    array([1., 2., 3.])
    >>> as_data_vector([[1, 2]], "x")
    Traceback (most recent call last):
        ...
    ValueError: x must be a 1-D array of shape (n,); got a 2-D array of shape (1, 2)
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers; got {_describe(value)}")
    raw = np.asarray(value)
    if raw.dtype.kind == "b" or raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O":
            # astype(float) would turn None into nan and accept "1.5": refuse both.
            if not all(
                isinstance(item, numbers.Real)
                and not isinstance(item, (bool, np.bool_))
                for item in raw.ravel()
            ):
                raise TypeError(
                    f"{name} must contain only real numbers; got {_describe(value)}"
                )
            raw = raw.astype(np.float64)
        else:
            raise TypeError(
                f"{name} must contain real numbers; got an array of dtype {raw.dtype}"
            )
    if raw.ndim == 0 and allow_scalar:
        array = np.array(raw, dtype=np.float64)
    elif raw.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of shape (n,); "
            f"got a {raw.ndim}-D array of shape {raw.shape}"
        )
    else:
        array = np.array(raw, dtype=np.float64)  # always a copy
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one value; got an empty array")
    finite = np.isfinite(array)
    if not finite.all():
        where = int(np.flatnonzero(~finite.ravel())[0])
        raise ValueError(
            f"{name} must contain only finite numbers; "
            f"found {array.ravel()[where]} at index {where}"
        )
    return array


def as_paired_vectors(x, y, x_name: str = "x", y_name: str = "y"):
    """Check two data vectors and that they have the same length.

    Examples
    --------
    >>> as_paired_vectors([1, 2], [3, 4, 5])
    Traceback (most recent call last):
        ...
    ValueError: x and y must have the same length; got 2 and 3
    """
    x_arr = as_data_vector(x, x_name)
    y_arr = as_data_vector(y, y_name)
    if x_arr.shape != y_arr.shape:
        raise ValueError(
            f"{x_name} and {y_name} must have the same length; "
            f"got {x_arr.size} and {y_arr.size}"
        )
    return x_arr, y_arr


def _as_real(value, name: str) -> float:
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {_describe(value)}")
    return float(value)


def as_finite_number(value, name: str) -> float:
    """Return ``value`` as a finite Python float.

    Examples
    --------
    >>> as_finite_number(2, "m")
    2.0
    >>> as_finite_number(float("nan"), "m")
    Traceback (most recent call last):
        ...
    ValueError: m must be a finite number; got nan
    """
    number = _as_real(value, name)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {number}")
    return number


def as_positive_number(value, name: str) -> float:
    """Return ``value`` as a finite float greater than zero.

    Examples
    --------
    >>> as_positive_number(0, "learning_rate")
    Traceback (most recent call last):
        ...
    ValueError: learning_rate must be a finite number greater than 0; got 0.0
    """
    number = _as_real(value, name)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a finite number greater than 0; got {number}")
    return number


def as_whole_number(value, name: str, low: int = 0, high: int | None = None) -> int:
    """Return ``value`` as an int from ``low`` to ``high`` (no upper bound if None).

    Any integer type (``int``, ``np.int64`` from ``np.argmax``) is accepted;
    ``bool`` and floats are refused with a ``TypeError`` even when whole, and a
    number out of range gets a ``ValueError``: the same mistake, the same error.

    Examples
    --------
    >>> as_whole_number(np.int64(3), "index", high=4)
    3
    >>> as_whole_number(5, "index", high=4)
    Traceback (most recent call last):
        ...
    ValueError: index must be a whole number from 0 to 4; got 5
    >>> as_whole_number(2.0, "degree")
    Traceback (most recent call last):
        ...
    TypeError: degree must be a whole number (an int); got 2.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number (an int); got {_describe(value)}"
        )
    number = int(value)
    if number < low or (high is not None and number > high):
        what = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be a whole number {what}; got {number}")
    return number


def as_seed(value, name: str = "seed") -> int | None:
    """Return a random seed: ``None`` or a whole number >= 0.

    Examples
    --------
    >>> as_seed(None), as_seed(np.int64(7))
    (None, 7)
    >>> as_seed(-1)
    Traceback (most recent call last):
        ...
    ValueError: seed must be None or a whole number >= 0; got -1
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be None or a whole number (an int); got {_describe(value)}"
        )
    if value < 0:
        raise ValueError(
            f"{name} must be None or a whole number >= 0; got {int(value)}"
        )
    return int(value)


def as_step_count(value, name: str = "steps") -> int:
    """Return ``value`` as a non-negative int.

    Floats are refused even when whole (``10.0``): a step count is a count.

    Examples
    --------
    >>> as_step_count(5)
    5
    >>> as_step_count(-1)
    Traceback (most recent call last):
        ...
    ValueError: steps must be a whole number >= 0; got -1
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number (an int); got {_describe(value)}"
        )
    count = int(value)
    if count < 0:
        raise ValueError(f"{name} must be a whole number >= 0; got {count}")
    return count


def as_parameter_vector(
    value, name: str = "start", size: int | None = None
) -> np.ndarray:
    """Return a parameter vector as a new finite float64 array.

    Parameters
    ----------
    value : array_like
        The parameters, e.g. ``(m, b)``.
    name : str
        The argument's name, used in error messages.
    size : int, optional
        The number of parameters expected.

    Examples
    --------
    >>> as_parameter_vector((1, 2), size=2)
    array([1., 2.])
    >>> as_parameter_vector((1, 2, 3), size=2)
    Traceback (most recent call last):
        ...
    ValueError: start must be 2 finite numbers, like (m, b); got 3 values
    """
    what = "like (m, b)" if size == 2 else "one per parameter"
    if isinstance(value, (str, bytes)) or value is None or np.ndim(value) == 0:
        raise TypeError(
            f"{name} must be a sequence of {size or 'some'} numbers, {what}; "
            f"got {_describe(value)}"
        )
    vector = as_data_vector(value, name)
    if size is not None and vector.size != size:
        raise ValueError(
            f"{name} must be {size} finite numbers, {what}; got {vector.size} values"
        )
    return vector


def as_update_rule(value, name: str = "rule"):
    """Return ``value`` if it is an update rule object (``start`` and ``step``), else a TypeError.

    Examples
    --------
    >>> class Still:
    ...     def start(self, theta):
    ...         return None
    >>> as_update_rule(Still(), "rules[0]")
    Traceback (most recent call last):
        ...
    TypeError: rules[0] must have start(theta) and step(theta, gradient, learning_rate, state) methods (see gdlab.rules); Still lacks step
    """
    if isinstance(value, type):
        raise TypeError(
            f"{name} must be an update rule object, e.g. {value.__name__}(); "
            "got the class itself"
        )
    missing = [
        method
        for method in ("start", "step")
        if not callable(getattr(value, method, None))
    ]
    if missing:
        raise TypeError(
            f"{name} must have start(theta) and step(theta, gradient, learning_rate, state) "
            f"methods (see gdlab.rules); {type(value).__name__} lacks {' and '.join(missing)}"
        )
    return value
