"""Tables for lesson 11: write the cross-entropy, and write its gradient.

The cross-entropy's third case holds sure and right predictions (p = 1 for a
yes, p = 0 for a no), which add 0 to the loss but make an unguarded
``y·log(p) + (1 − y)·log(1 − p)`` take ``log(0)``.  Every wrong formula is
listed twice: as a learner writes it without a guard (it crashes on that
case, as the learner's does) and with one (``np.clip`` or ``np.where``).
The gradient's cases have labels of both kinds, x neither centred nor
symmetric, and z of both signs, so each wrong formula gives other numbers.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..logistic import cross_entropy, logistic_gradient, sigmoid
from .engine import Exercise, Mistake, Problem, run_check

__all__ = ["check_cross_entropy", "check_logistic_gradient"]

_A = np.array
# fmt: off
_CE_CASES = (
    (_A([1.0, 0.0, 1.0, 1.0, 0.0]), _A([0.9, 0.2, 0.6, 0.35, 0.45])),
    (_A([0.0, 1.0, 0.0]), _A([0.7, 0.05, 0.1])),
    (_A([1.0, 0.0, 1.0, 0.0, 1.0, 0.0]), _A([1.0, 0.0, 0.4, 0.7, 0.35, 0.6])),
)
_GRADIENT_CASES = (
    (_A([-2.0, -1.0, 0.5, 1.0, 3.0]), _A([0.0, 0.0, 1.0, 0.0, 1.0]), 0.8, -0.3),
    (_A([0.5, 1.5, 2.5, 4.0]), _A([1.0, 0.0, 1.0, 1.0]), -0.5, 1.2),
    (_A([-1.0, 2.0, 3.0, 5.0, 6.0, 7.0]), _A([0.0, 0.0, 1.0, 1.0, 0.0, 1.0]), 0.3, -1.0),
)
# fmt: on


def _read_number(value):
    """The cross-entropy is one real number; say plainly what else came back."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, np.ndarray):
        raise Problem(
            f"Your function returned an array of shape {value.shape}, but the cross-entropy is a single number: "
            "the mean of one term per observation."
        )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise Problem(
            f"Your function returned a {type(value).__name__}, but the cross-entropy is a single number (a float)."
        )
    if np.isnan(value):
        raise Problem(
            "Your function returned NaN (not a number): 0·log(0) gives NaN. A sure and right prediction adds 0; "
            "guard the log, e.g. with np.clip(p, 1e-12, 1 - 1e-12)."
        )
    return float(value)


def _log_term(weight, probability, guarded):
    """``weight · log(probability)``: as a guarded learner gets it (0 where the weight is 0), or raising on log(0)."""
    if guarded:
        with np.errstate(divide="ignore"):
            logs = np.log(np.where(weight == 0, 1.0, probability))
        return np.where(weight == 0, 0.0, weight * logs)
    with np.errstate(all="raise"):
        return weight * np.log(probability)


# Wrong cross-entropies: (what is wrong, formula of (y, p, guarded)).
# fmt: off
_CE_FORMULAS = (
    (("the two logs are swapped: a yes (y = 1) must add −log p, the log of the probability given to yes, and a no must add −log(1 − p). "
     "As written, a confident right answer costs a lot and a confident wrong one almost nothing."),
     lambda y, p, g: -np.mean(_log_term(y, 1 - p, g) + _log_term(1 - y, p, g))),
    (("the minus sign is missing: the logs of probabilities are negative, so your loss is negative and gets *lower* as the fit gets worse. "
     "Put a minus in front: L = −(1/n) Σ [y log p + (1 − y) log(1 − p)]."),
     lambda y, p, g: np.mean(_log_term(y, p, g) + _log_term(1 - y, 1 - p, g))),
    ("you took the sum over the observations, not the mean: divide by n (or use np.mean), so the loss does not grow just because there are more observations.",
     lambda y, p, g: -np.sum(_log_term(y, p, g) + _log_term(1 - y, 1 - p, g))),
    ("the minus sign is missing and you took the sum, not the mean: L = −(1/n) Σ [y log p + (1 − y) log(1 − p)].",
     lambda y, p, g: np.sum(_log_term(y, p, g) + _log_term(1 - y, 1 - p, g))),
    ("only the y·log p term is there: a no (y = 0) then costs nothing whatever p is. Add the (1 − y)·log(1 − p) term.",
     lambda y, p, g: -np.mean(_log_term(y, p, g))),
    ("you used np.log10: the cross-entropy uses the natural log, np.log (its gradient is then the simple (p − y)·x).",
     lambda y, p, g: -np.mean(_log_term(y, p, g) + _log_term(1 - y, 1 - p, g)) / np.log(10)),
)
# fmt: on


def _swapped_and_clipped(cases, answers) -> bool:
    """The swapped logs with a guard: the clip's ε sets the sure cases' cost, so match the rest."""
    swapped = _CE_FORMULAS[0][1]
    *ordinary, (y, p) = cases
    fine = all(
        np.isclose(a, swapped(*c, True), rtol=1e-7, atol=1e-9)
        for c, a in zip(ordinary, answers)
    )
    return fine and answers[-1] > 2 * cross_entropy(y, p) + 1


def _coarse_guard(case, got, want):
    """A guard with a large ε: right to about ε, on the case with sure predictions only."""
    if case is _CE_CASES[-1] and got.shape == () and 0 < abs(got - want) < 1e-3:
        return (
            f"Almost: the sure predictions (p = 1 for a yes, p = 0 for a no) should add exactly 0, and yours add "
            f"{float(got - want):.1e} in all. Your guard's ε is too large: clip with a smaller one, "
            "np.clip(p, 1e-12, 1 - 1e-12)."
        )
    return None


_NOT_GUARDED = (
    "Not yet right: a sure and right prediction (p = 1 for a yes, or p = 0 for a no) makes your function take log(0), "
    "which is −∞, and 0·log(0) is NaN. Such an observation should add 0 to the loss. Guard the log: clip p first, "
    "p = np.clip(p, 1e-12, 1 - 1e-12), or take the log of the probability given to what happened, np.where(y == 1, p, 1 - p)."
)
CROSS_ENTROPY = Exercise(
    "Cross-entropy",
    cases=_CE_CASES,
    right=cross_entropy,
    read=_read_number,
    mistakes=(
        Mistake(
            _NOT_GUARDED,
            wrong=lambda y, p: (
                -np.mean(_log_term(y, p, False) + _log_term(1 - y, 1 - p, False))
            ),
        ),
        Mistake(
            "Not yet right: " + _CE_FORMULAS[0][0],
            fits=_swapped_and_clipped,
            wrong=lambda y, p: (
                -np.mean(
                    y * np.log(1 - np.clip(p, 1e-12, 1 - 1e-12))
                    + (1 - y) * np.log(np.clip(p, 1e-12, 1 - 1e-12))
                )
            ),
        ),
        Mistake(
            "Not yet right: you called gdlab's cross-entropy, which this exercise asks you to write yourself: "
            "take np.log of the probabilities, weight them by y and 1 − y, then the mean with a minus sign.",
            wrong=lambda y, p: cross_entropy(y, p),
            uses=("cross_entropy", "cross_entropy_from_logits", "CrossEntropy"),
        ),
    )
    + tuple(
        Mistake(
            "Not yet right: " + text,
            wrong=lambda y, p, f=formula, g=guarded: f(y, p, g),
        )
        for text, formula in _CE_FORMULAS
        for guarded in (True, False)
    ),
    success=f"Right on all {len(_CE_CASES)} test cases, including sure and right predictions (which add 0).",
    hint="For each observation take −log of the probability given to what happened (p for a yes, 1 − p for a no), then the mean.",
    explain=_coarse_guard,
)


def check_cross_entropy(fn):
    """Check a learner's ``fn(y, p)`` against ``−(1/n) Σ [y log p + (1 − y) log(1 − p)]`` (lesson 11).

    Examples
    --------
    >>> def loss(y, p):
    ...     p = np.clip(p, 1e-12, 1 - 1e-12)
    ...     return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    >>> check_cross_entropy(loss).passed
    True
    >>> print(check_cross_entropy(lambda y, p: -loss(y, p)).message)  # doctest: +ELLIPSIS
    Not yet right: the minus sign is missing...
    """
    return run_check(CROSS_ENTROPY, fn)


def _read_gradient(value):
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iuf":
        raise Problem(
            f"Your function returned a {type(value).__name__}; return a numpy array of two numbers, np.array([dL_dw, dL_db])."
        )
    if value.shape != (2,):
        raise Problem(
            f"Your function returned an array of shape {value.shape}; the gradient has shape (2,): [∂L/∂w, ∂L/∂b], "
            "each a mean over the observations."
        )
    if not np.isfinite(value).all():
        raise Problem("Your function returned NaN or infinity.")
    return value.astype(float)


def _residual(x, y, w, b):
    return sigmoid(w * x + b) - y


def _both(x, factor):
    return np.array([np.mean(factor * x), np.mean(factor)])


def _gradient(x, y, w, b):
    # The right gradient, written out: the rows' examples must not call the
    # library's logistic_gradient, which the exercise forbids.
    return _both(x, _residual(x, y, w, b))


# fmt: off
_GRADIENT_MISTAKES = (
    ("the sign is flipped: (y − p)·x points downhill. The gradient of the cross-entropy is (1/n) Σ (p_i − y_i)·[x_i, 1], with p_i = σ(w·x_i + b).",
     lambda x, y, w, b: -_gradient(x, y, w, b)),
    ("you summed where the mean belongs: both partial derivatives are n times too large. Divide by n (or use np.mean).",
     lambda x, y, w, b: _gradient(x, y, w, b) * len(x)),
    ("∂L/∂w is missing its factor x_i: the inner derivative of z_i = w·x_i + b with respect to w is x_i (with respect to b it is 1).",
     lambda x, y, w, b: np.full(2, np.mean(_residual(x, y, w, b)))),
    ("the two partial derivatives are in the wrong order: return [∂L/∂w, ∂L/∂b], the order of the arguments w, b.",
     lambda x, y, w, b: _gradient(x, y, w, b)[::-1]),
    (("there is an extra factor p(1 − p) = σ'(z): that belongs to the gradient of the MSE of p. For the cross-entropy, "
     "dL/dz = p − y exactly: the σ'(z) from the chain rule cancels against the 1/p and 1/(1 − p) of the logs."),
     lambda x, y, w, b: _both(x, _residual(x, y, w, b) * sigmoid(w * x + b) * (1 - sigmoid(w * x + b)))),
    ("this is the gradient of the MSE of p, 2·(p − y)·p(1 − p)·x: for the cross-entropy the factor 2·p(1 − p) is not there; dL/dz = p − y.",
     lambda x, y, w, b: _both(x, 2 * _residual(x, y, w, b) * sigmoid(w * x + b) * (1 - sigmoid(w * x + b)))),
    ("you used z = w·x + b where the probability p = σ(z) belongs: the residual is p_i − y_i, with p_i = 1/(1 + e^(−z_i)).",
     lambda x, y, w, b: _both(x, w * x + b - y)),
)
# fmt: on
LOGISTIC_GRADIENT = Exercise(
    "Cross-entropy gradient",
    cases=_GRADIENT_CASES,
    right=logistic_gradient,
    read=_read_gradient,
    mistakes=tuple(
        Mistake("Not yet right: " + text, wrong=w) for text, w in _GRADIENT_MISTAKES
    )
    + (
        Mistake(
            "Not yet right: you called gdlab's gradient of the cross-entropy, which this exercise asks you to write "
            "yourself: p = 1/(1 + e^(−z)), then the means of (p − y)·x and of p − y.",
            wrong=lambda x, y, w, b: logistic_gradient(x, y, w, b),
            uses=("logistic_gradient", "CrossEntropy"),
        ),
    ),
    array=True,
    success=f"Both partial derivatives are right on all {len(_GRADIENT_CASES)} test cases: (1/n) Σ (p_i − y_i)·[x_i, 1].",
    hint="Compute p = σ(w·x + b) first, then the residuals p − y; ∂L/∂w is the mean of (p − y)·x and ∂L/∂b the mean of p − y.",
)


def check_logistic_gradient(fn):
    """Check a learner's ``fn(x, y, w, b)`` against ``[∂L/∂w, ∂L/∂b]`` of the cross-entropy (lesson 11).

    Examples
    --------
    >>> def gradient(x, y, w, b):
    ...     r = 1 / (1 + np.exp(-(w * x + b))) - y
    ...     return np.array([np.mean(r * x), np.mean(r)])
    >>> check_logistic_gradient(gradient).passed
    True
    >>> print(check_logistic_gradient(lambda x, y, w, b: -gradient(x, y, w, b)).message)  # doctest: +ELLIPSIS
    Not yet right: the sign is flipped...
    """
    return run_check(LOGISTIC_GRADIENT, fn)
