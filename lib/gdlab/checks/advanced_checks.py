"""Feedback for the exercises of lessons 06–09.

* :func:`check_convergence_prediction` (lesson 06): predict from λ_max of the
  Hessian whether gradient descent on a line converges for a given η.
* :func:`check_design_matrix` (lesson 07): build the columns [1, x, x², …].
* :func:`check_classification` (lesson 08): classify a critical point from
  its Hessian's eigenvalues.
* :func:`check_batch_gradient` (lesson 09): the gradient of one mini-batch.

Each runs the learner's function on cases it chooses and names the known
mistakes: 1/λ_max for 2/λ_max, λ_min for λ_max, a Hessian without its factor
2, "0.01 is always fine" (erratum 9); a missing column of ones, columns in
the wrong order; a zero eigenvalue taken for a minimum, diagonal entries
taken for eigenvalues, the 2×2 determinant test used on a 3×3 matrix.
"""

from __future__ import annotations

import numpy as np

from ..surfaces import classify_critical_point
from .feedback import Feedback, NotYetImplemented, call_learner, not_yet

__all__ = [
    "check_convergence_prediction",
    "check_design_matrix",
    "check_classification",
    "check_batch_gradient",
]


def _call(title, function, *args):
    """Run the learner's function; ``(value, feedback)`` with feedback set on a problem."""
    try:
        value, problem = call_learner(function, *args)
    except NotYetImplemented:
        return None, not_yet(title)
    if problem is not None:
        return None, Feedback(
            False, problem[0].upper() + problem[1:] + ".", title=title
        )
    return value, None


# --------------------------------------------------------------------------- lesson 06

_CONVERGENCE = "Convergence prediction"


def _line_hessian(x):
    x = np.asarray(x, dtype=float)
    return 2.0 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def _convergence_cases():
    data = {
        "x in [0, 1]": np.linspace(0.0, 1.0, 11),
        "x in [0, 100]": np.linspace(0.0, 100.0, 11),
        "x in [-2, 2]": np.linspace(-2.0, 2.0, 9),
        "x in [2, 4]": np.linspace(2.0, 4.0, 7),
    }
    cases = []
    for name, x in data.items():
        low, high = np.linalg.eigvalsh(_line_hessian(x))
        bound = 2.0 / high
        for factor in (0.2, 0.75, 0.97, 1.03, 1.5, 2.5):
            cases.append((name, x, factor * bound, low, high))
        if 2.0 / low > 3.0 * bound:  # an η above the bound but below 2/λ_min
            cases.append((name, x, np.sqrt(bound * 2.0 / low), low, high))
    for name in ("x in [0, 1]", "x in [0, 100]"):
        x = data[name]
        low, high = np.linalg.eigvalsh(_line_hessian(x))
        cases.append((name, x, 0.01, low, high))
    return cases


_CONVERGENCE_RULES = {
    "one_over": (
        lambda eta, low, high: eta < 1.0 / high,
        "You used η < 1/λ_max. The bound is 2/λ_max: on a quadratic each step multiplies the "
        "error along the steepest direction by (1 − η·λ_max), and that shrinks while "
        "−1 < 1 − η·λ_max, that is while η < 2/λ_max.",
    ),
    "lambda_min": (
        lambda eta, low, high: eta < 2.0 / low,
        "You used λ_min, the smallest eigenvalue. The steepest direction is the one that "
        "blows up first: the bound is 2/λ_max, with the largest eigenvalue.",
    ),
    "no_factor_two": (
        lambda eta, low, high: eta < 4.0 / high,
        "Your bound is twice too large: the Hessian of the MSE is "
        "H = 2·[[mean x², mean x], [mean x, 1]], with the factor 2 from differentiating the square.",
    ),
    "reversed": (
        lambda eta, low, high: not eta < 2.0 / high,
        "Your answers are the wrong way round: descent converges for η *below* 2/λ_max "
        "and diverges above it.",
    ),
}


def check_convergence_prediction(function) -> Feedback:
    """Check ``function(x, learning_rate) -> bool``: will descent on a line converge?

    The right answer is ``learning_rate < 2/λ_max`` of the Hessian
    ``H = 2·[[mean x², mean x], [mean x, 1]]``.  Introduced in lesson 06.

    Examples
    --------
    >>> import numpy as np
    >>> def will_converge(x, learning_rate):
    ...     x = np.asarray(x, dtype=float)
    ...     H = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    ...     return learning_rate < 2 / np.linalg.eigvalsh(H)[-1]
    >>> check_convergence_prediction(will_converge).passed
    True
    >>> check_convergence_prediction(lambda x, learning_rate: learning_rate <= 0.01).message[:30]
    'For x in [0, 100] and η = 0.01'
    """
    cases = _convergence_cases()
    answers = []
    for name, x, eta, low, high in cases:
        value, problem = _call(_CONVERGENCE, function, x.copy(), float(eta))
        if problem is not None:
            return problem
        if value is None:
            return Feedback(
                False,
                "Your function returned None: did you forget `return`?",
                title=_CONVERGENCE,
            )
        if not isinstance(value, (bool, np.bool_)):
            return Feedback(
                False,
                f"Your function returned {type(value).__name__} {value!r} for {name} and "
                f"η = {eta:.4g}; it should return True (converges) or False (diverges), e.g. "
                "`return learning_rate < bound`.",
                title=_CONVERGENCE,
            )
        answers.append(bool(value))
    truth = [bool(eta < 2.0 / high) for _, _, eta, _, high in cases]
    if answers == truth:
        return Feedback(
            True,
            f"All {len(cases)} predictions right: descent on the MSE of a line converges exactly "
            "when η < 2/λ_max(H).",
            title=_CONVERGENCE,
        )
    for rule, message in _CONVERGENCE_RULES.values():
        if answers == [bool(rule(eta, low, high)) for _, _, eta, low, high in cases]:
            return Feedback(False, message, title=_CONVERGENCE)
    if len(set(answers)) == 1:
        return Feedback(
            False,
            f"Your function always says {answers[0]}. Compute λ_max of "
            "H = 2·[[mean x², mean x], [mean x, 1]] from x and compare η with 2/λ_max.",
            title=_CONVERGENCE,
        )
    erratum = next(
        i
        for i, case in enumerate(cases)
        if case[0] == "x in [0, 100]" and case[2] == 0.01
    )
    if answers[erratum]:
        high = cases[erratum][4]
        return Feedback(
            False,
            f"For x in [0, 100] and η = 0.01 you said 'converges', but 2/λ_max = {2 / high:.3g} "
            "there, so 0.01 diverges. No learning rate is good for every data set "
            "(erratum 9): compute λ_max from x.",
            title=_CONVERGENCE,
        )
    index = next(i for i, (a, t) in enumerate(zip(answers, truth)) if a != t)
    name, _, eta, _, high = cases[index]
    verdict = "converges" if truth[index] else "diverges"
    return Feedback(
        False,
        f"For {name} and η = {eta:.4g}: 2/λ_max = {2 / high:.4g}, so descent {verdict}, "
        f"but your function said {answers[index]}. Check H = 2·[[mean x², mean x], [mean x, 1]] "
        "and the bound η < 2/λ_max.",
        title=_CONVERGENCE,
    )


# --------------------------------------------------------------------------- lesson 07

_DESIGN = "Design matrix"


def _design(x, degree):
    return np.asarray(x, dtype=float)[:, None] ** np.arange(degree + 1)


def check_design_matrix(function) -> Feedback:
    """Check ``function(x, degree)``: the matrix with columns ``[1, x, x², …, x^degree]``.

    Introduced in lesson 07.

    Examples
    --------
    >>> import numpy as np
    >>> def my_design_matrix(x, degree):
    ...     x = np.asarray(x, dtype=float)
    ...     return np.column_stack([x ** j for j in range(degree + 1)])
    >>> check_design_matrix(my_design_matrix).passed
    True
    >>> print(check_design_matrix(lambda x, degree: np.vander(x, degree + 1)).message[:37])
    Your columns are in the reverse order
    """
    cases = [
        (np.array([0.5, 1.0, 2.0, 3.0, -1.5]), 3),
        (np.array([2.0, -1.0, 0.5]), 1),
        (np.array([1.5, 2.5, 4.0, -2.0]), 0),
        (np.array([-0.5, 0.25, 3.0, 1.5, 2.0, -2.5]), 5),
    ]
    for x, degree in cases:
        expected = _design(x, degree)
        value, problem = _call(_DESIGN, function, x.copy(), degree)
        if problem is not None:
            return problem
        if value is None:
            return Feedback(
                False,
                "Your function returned None: did you forget `return`?",
                title=_DESIGN,
            )
        try:
            got = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return Feedback(
                False,
                f"Your function returned {type(value).__name__}, which is not "
                "an array of numbers.",
                title=_DESIGN,
            )
        where = f"x = {x.tolist()}, degree = {degree}"
        n, p = expected.shape
        if got.shape != expected.shape:
            if got.shape == (n, p - 1) and p > 1 and np.allclose(got, expected[:, 1:]):
                message = (
                    "The column of ones is missing: it carries the intercept w_0, so the "
                    "first column must be x⁰ = 1."
                )
            elif (
                got.shape == (n, p - 1) and p > 1 and np.allclose(got, expected[:, :-1])
            ):
                message = (
                    f"You stopped one power short: degree {degree} needs the powers "
                    f"0, 1, …, {degree}, that is range(degree + 1)."
                )
            elif got.shape == (p, n) and np.allclose(got, expected.T):
                message = (
                    "Rows and columns are swapped: one row per observation, one column per "
                    f"power, shape (n, degree + 1) = {expected.shape}; you returned {got.shape}."
                )
            else:
                message = (
                    f"For {where} the matrix should have shape (n, degree + 1) = "
                    f"{expected.shape}; yours has shape {got.shape}."
                )
            return Feedback(False, message, title=_DESIGN)
        if not np.isfinite(got).all():
            return Feedback(
                False,
                f"Your matrix contains NaN or infinity for {where}.",
                title=_DESIGN,
            )
        if np.allclose(got, expected):
            continue
        if np.allclose(got, expected[:, ::-1]):
            message = (
                "Your columns are in the reverse order: column j must hold x^j, so the ones "
                "come first and the weights read w_0, w_1, …. (np.vander puts the highest "
                "power first unless you pass increasing=True.)"
            )
        elif np.allclose(got, x[:, None] * np.arange(degree + 1)):
            message = (
                "You multiplied x by j; column j must be x raised to the power j, x**j."
            )
        elif np.allclose(got[:, 1:], expected[:, 1:]):
            message = (
                "Column 0 must be all ones (x⁰ = 1): it multiplies the intercept w_0."
            )
        else:
            bad = int(np.flatnonzero(~np.isclose(got, expected).all(axis=0))[0])
            message = (
                f"For {where}, column {bad} should be x**{bad} = "
                f"{np.round(expected[:, bad], 4).tolist()}; yours is "
                f"{np.round(got[:, bad], 4).tolist()}."
            )
        return Feedback(False, message, title=_DESIGN)
    return Feedback(
        True,
        "Right: one row per observation, columns [1, x, x², …], in that order, "
        "so ŷ = X·θ with θ = (w_0, w_1, …).",
        title=_DESIGN,
    )


# --------------------------------------------------------------------------- lesson 08

_CLASSIFY = "Classifying critical points"
_KINDS = ("minimum", "maximum", "saddle", "degenerate")


_CLASSIFY_CASES = (
    ("plain_min", [[2.0, 0.0], [0.0, 1.0]]),
    ("plain_max", [[-1.0, 0.0], [0.0, -3.0]]),
    ("plain_saddle", [[1.0, 0.0], [0.0, -1.0]]),
    ("positive_diagonal_saddle", [[1.0, 2.0], [2.0, 1.0]]),
    ("zero_eigenvalue", [[2.0, 0.0], [0.0, 0.0]]),
    ("coupled_max", [[-2.0, 1.0], [1.0, -2.0]]),
    ("det_positive_3d_saddle", [[2.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]]),
    ("coupled_min", [[3.0, 1.0], [1.0, 3.0]]),
    ("chain_min_3d", [[2.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]]),
    ("zero_and_negative", [[0.0, 0.0], [0.0, -1.0]]),
)


def check_classification(function) -> Feedback:
    """Check ``function(hessian) -> str``: ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"``.

    All eigenvalues positive: minimum; all negative: maximum; both signs:
    saddle; a zero eigenvalue: degenerate (the Hessian alone cannot tell).
    Introduced in lesson 08.

    Examples
    --------
    >>> import numpy as np
    >>> def classify(hessian):
    ...     values = np.linalg.eigvalsh(hessian)
    ...     if np.any(np.isclose(values, 0.0)):
    ...         return "degenerate"
    ...     if np.all(values > 0):
    ...         return "minimum"
    ...     return "maximum" if np.all(values < 0) else "saddle"
    >>> check_classification(classify).passed
    True
    """
    answers = {}
    for name, matrix in _CLASSIFY_CASES:
        hessian = np.array(matrix)
        value, problem = _call(_CLASSIFY, function, hessian.copy())
        if problem is not None:
            return problem
        if not isinstance(value, str) or value.strip().lower() not in _KINDS:
            return Feedback(
                False,
                f"Your function returned {value!r} for the Hessian {hessian.tolist()}; it should "
                f"return one of the words {', '.join(repr(k) for k in _KINDS)}.",
                title=_CLASSIFY,
            )
        answers[name] = value.strip().lower()
    truth = {name: classify_critical_point(matrix) for name, matrix in _CLASSIFY_CASES}
    if answers == truth:
        return Feedback(
            True,
            f"All {len(truth)} Hessians classified right, from the signs of "
            "their eigenvalues.",
            title=_CLASSIFY,
        )
    wrong = {name for name in truth if answers[name] != truth[name]}
    if {"plain_min", "plain_max"} <= wrong and answers["plain_min"] == "maximum":
        message = (
            "Minimum and maximum are swapped: positive eigenvalues mean the loss curves "
            "*up* in every direction, which is a minimum."
        )
    elif "zero_eigenvalue" in wrong and answers["zero_eigenvalue"] == "minimum":
        message = (
            "You called [[2, 0], [0, 0]] a minimum, but one eigenvalue is 0: along that "
            "direction the Hessian sees no curve at all, and higher derivatives decide "
            "(θ₂⁴ is a minimum, θ₂³ is not). A zero eigenvalue is 'degenerate'."
        )
    elif (
        "positive_diagonal_saddle" in wrong
        and answers["positive_diagonal_saddle"] == "minimum"
    ):
        message = (
            "[[1, 2], [2, 1]] has a positive diagonal but eigenvalues 3 and −1: a saddle. "
            "The diagonal only shows the curvature along the axes; use the eigenvalues "
            "(np.linalg.eigvalsh), which see every direction."
        )
    elif wrong == {"det_positive_3d_saddle"}:
        message = (
            "Right for every 2×2 matrix, but diag(2, −1, −1) is a saddle: its determinant "
            "is positive and its first entry too, yet two directions curve down. The "
            "determinant test is for 2×2 only; use the signs of all eigenvalues."
        )
    elif wrong <= {"zero_eigenvalue", "zero_and_negative"}:
        message = (
            "A Hessian with a zero eigenvalue must be 'degenerate': compare each "
            "eigenvalue with 0 using a small tolerance, e.g. np.isclose(values, 0)."
        )
    else:
        name = sorted(wrong, key=[n for n, _ in _CLASSIFY_CASES].index)[0]
        matrix = dict(_CLASSIFY_CASES)[name]
        values = np.round(np.linalg.eigvalsh(np.array(matrix)), 4).tolist()
        message = (
            f"For the Hessian {matrix} (eigenvalues {values}) the answer is "
            f"{truth[name]!r}; yours was {answers[name]!r}."
        )
    return Feedback(False, message, title=_CLASSIFY)


# --------------------------------------------------------------------------- lesson 09

_BATCH = "Mini-batch gradient"


def _batch_cases():
    rng = np.random.default_rng(9)
    x = rng.uniform(-2, 3, 12)
    X = np.column_stack([x, np.ones_like(x)])
    y = 1.5 * x - 0.5 + rng.normal(0, 0.5, 12)
    return [
        (X, y, np.array([0.3, -0.2]), np.array([2, 7, 5])),
        (X, y, np.array([-1.0, 2.0]), np.array([4])),
        (X, y, np.array([0.5, 0.5]), np.array([0, 3, 6, 9, 10, 11])),
    ]


def check_batch_gradient(function) -> Feedback:
    """Check ``function(X, y, theta, indices)``: the gradient from the rows ``indices`` only.

    The answer is ``(2/B)·X_Bᵀ(X_Bθ − y_B)`` with ``B = len(indices)``.
    Introduced in lesson 09.

    Examples
    --------
    >>> import numpy as np
    >>> def batch_gradient(X, y, theta, indices):
    ...     Xb, yb = X[indices], y[indices]
    ...     return 2 / len(indices) * Xb.T @ (Xb @ theta - yb)
    >>> check_batch_gradient(batch_gradient).passed
    True
    """
    for X, y, theta, rows in _batch_cases():
        value, problem = _call(
            _BATCH, function, X.copy(), y.copy(), theta.copy(), rows.copy()
        )
        if problem is not None:
            return problem
        if value is None:
            return Feedback(
                False,
                "Your function returned None: did you forget `return`?",
                title=_BATCH,
            )
        try:
            got = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return Feedback(
                False,
                f"Your function returned {type(value).__name__}, not an array of "
                "numbers.",
                title=_BATCH,
            )
        if got.shape != theta.shape:
            return Feedback(
                False,
                f"The gradient must have one number per parameter, shape {theta.shape}; "
                f"yours has shape {got.shape}.",
                title=_BATCH,
            )
        if not np.isfinite(got).all():
            return Feedback(
                False, "Your gradient contains NaN or infinity.", title=_BATCH
            )
        Xb, yb, B, n = X[rows], y[rows], rows.size, len(y)
        right = 2.0 / B * Xb.T @ (Xb @ theta - yb)
        if np.allclose(got, right):
            continue
        full = 2.0 / n * X.T @ (X @ theta - y)
        if np.allclose(got, full):
            message = (
                "You used all the rows: a mini-batch gradient uses only the rows in `indices`, "
                "X[indices] and y[indices]."
            )
        elif np.allclose(got, 2.0 / n * Xb.T @ (Xb @ theta - yb)):
            message = (
                f"You divided by n = {n}, the size of the whole data set; the batch's mean needs "
                f"its own size B = len(indices) = {B}."
            )
        elif np.allclose(got, right / 2):
            message = "The factor 2 from differentiating the square is missing: (2/B)·X_Bᵀ(X_Bθ − y_B)."
        elif np.allclose(got, -right):
            message = (
                "The sign is flipped: with residuals X_Bθ − y_B the gradient is +(2/B)·X_Bᵀ(X_Bθ − y_B) "
                "(or −(2/B)·X_Bᵀ(y_B − X_Bθ))."
            )
        elif np.allclose(got, right * B):
            message = "You summed over the batch instead of taking the mean: divide by B = len(indices)."
        else:
            message = (
                f"For θ = {theta.tolist()} and indices {rows.tolist()} the batch gradient is "
                f"{np.round(right, 4).tolist()}; yours is {np.round(got, 4).tolist()}."
            )
        return Feedback(False, message, title=_BATCH)
    return Feedback(
        True,
        "Right: the mean over the batch's rows, (2/B)·X_Bᵀ(X_Bθ − y_B).",
        title=_BATCH,
    )
