"""Tables for the exercises of the primer (05b) and lessons 06–09.

* :func:`check_curvature` (05b): the curvature of a 2×2 Hessian along a direction.
* :func:`check_convergence_prediction` (06): will descent on a line converge for η?
* :func:`check_design_matrix` (07): the columns [1, x, x², …].
* :func:`check_classification` (08): a critical point's kind from its Hessian.
* :func:`check_batch_gradient` (09): the gradient of one mini-batch.
"""

from __future__ import annotations

import numpy as np

from ..loss import mse_hessian
from ..surfaces import classify_critical_point
from .engine import Exercise, Mistake, Problem, run_check

__all__ = [
    "check_batch_gradient",
    "check_classification",
    "check_convergence_prediction",
    "check_curvature",
    "check_design_matrix",
]

_A = np.array

# --------------------------------------------------------------------------- 05b


def _curvature_shape(case, got, want):
    if got.shape == want.shape:
        return None
    if got.shape == case[0].shape:
        return _ELEMENTWISE
    if got.shape == (2,):
        return "You returned a vector of two numbers: H @ u is a vector. The curvature is one number: multiply by u once more, u @ H @ u, then divide by u @ u."
    return f"The curvature is one number; your function returned shape {got.shape}."


_ELEMENTWISE = "You multiplied with `*`, element by element: u * H * u scales each entry of H by a u_j² and gives a 2×2 array (or, summed, another number). uᵀHu is a matrix product, written @: u @ H @ u / (u @ u)."

# fmt: off
CURVATURE = Exercise(
    "Curvature along a direction",
    cases=(
        (_A([[3.0, 1.0], [1.0, 2.0]]), _A([1.0, 0.0])),
        (_A([[3.0, 1.0], [1.0, 2.0]]), _A([1.0, 2.0])),
        (_A([[2.0, -1.5], [-1.5, -1.0]]), _A([-3.0, 1.0])),
        (_A([[5.0, 0.5], [0.5, 4.0]]), _A([2.0, 2.0])),
    ),
    right=lambda H, u: u @ H @ u / (u @ u),
    mistakes=(
        Mistake("You did not divide by u @ u, the squared length of u: the curvature along a direction must not depend on how long the arrow u is.", wrong=lambda H, u: u @ H @ u),
        Mistake("You divided by the length of u, √(u @ u); u appears twice in u @ H @ u, so divide by its length twice: u @ u.", wrong=lambda H, u: u @ H @ u / np.sqrt(u @ u)),
        Mistake("You returned a diagonal entry of H: that is the curvature along an axis only. Use the direction u: u @ H @ u / (u @ u).", wrong=lambda H, u: H[0, 0]),
        Mistake("H is missing: u @ u / (u @ u) is always 1. The curvature is u @ H @ u / (u @ u).", wrong=lambda H, u: 1.0),
        Mistake("You multiplied element by element (H * u, or np.sum of it) instead of the matrix product @. Write u @ H @ u / (u @ u).", wrong=lambda H, u: np.sum(H * u) / (u @ u)),
        Mistake(_ELEMENTWISE, wrong=lambda H, u: u * H * u / (u @ u)),
        Mistake(_ELEMENTWISE, wrong=lambda H, u: np.sum(u * H * u) / (u @ u)),
        Mistake("You returned λ_max, the largest curvature over all directions. The exercise asks for the curvature along the given u, which lies between λ_min and λ_max: u @ H @ u / (u @ u).", wrong=lambda H, u: np.linalg.eigvalsh(H)[-1]),
    ),
    success="u @ H @ u / (u @ u): the curvature along u, between λ_min and λ_max.",
    hint="Both products are matrix products, written @: first H @ u, then u @ (that).",
    explain=_curvature_shape,
    crash_hints=(("encountered in divide", "Something was divided by 0. If it was u * u: with `*` that is a vector, with a 0 wherever u has one (u = [1, 0]). The squared length of u is one number, u @ u, and uᵀHu is a matrix product too: u @ H @ u / (u @ u)."),),
)
# fmt: on


def check_curvature(function):
    """Check ``function(H, u)``: the curvature ``uᵀHu / uᵀu`` of H along u (primer 05b).

    Examples
    --------
    >>> check_curvature(lambda H, u: u @ H @ u / (u @ u)).passed
    True
    >>> print(check_curvature(lambda H, u: H @ u).message.split(":")[0])
    You returned a vector of two numbers
    """
    return run_check(CURVATURE, function)


# --------------------------------------------------------------------------- 06


def _convergence_cases():
    cases = []
    # mean x = 0 exactly for [-2, 2] and [-1, 1]: H is diagonal, and np.linalg.eig
    # lists its eigenvalues in the diagonal's order, λ_max first for one, λ_min
    # first for the other, whatever LAPACK numpy uses.
    for low_x, high_x, n in (
        (0, 1, 11),
        (0, 100, 11),
        (-2, 2, 9),
        (-1, 1, 9),
        (2, 4, 7),
    ):
        x = np.linspace(low_x, high_x, n)
        low, high = np.linalg.eigvalsh(mse_hessian(x))
        for factor in (0.2, 0.75, 0.97, 1.03, 1.5, 2.5):
            cases.append((x, float(factor * 2 / high)))
        if 2 / low > 6 / high:  # an η above the bound but below 2/λ_min
            cases.append((x, float(np.sqrt(4 / (high * low)))))
        cases.append((x, 0.01))
    return tuple(cases)


def _read_verdict(value):
    if not isinstance(value, (bool, np.bool_)):
        raise Problem(
            f"Your function returned {type(value).__name__} {value!r}; it should return True (converges) or False (diverges), e.g. `return learning_rate < bound`."
        )
    return bool(value)


def _bound_with(hessian, rule=lambda low, high: 2 / high):
    def will_converge(x, eta):
        low, high = np.linalg.eigvalsh(hessian(np.asarray(x, dtype=float)))
        return eta < rule(low, high)

    return will_converge


def _sums(x):
    return 2 * np.array([[np.sum(x * x), np.sum(x)], [np.sum(x), len(x)]])


def _square_of_mean(x):
    return 2 * np.array([[np.mean(x) ** 2, np.mean(x)], [np.mean(x), 1.0]])


_H_TEXT = "H = 2·[[mean x², mean x], [mean x, 1]]"
_EIG = "np.linalg.eig lists the eigenvalues in no particular order: its first (or last) is λ_max for some x and λ_min for others (x in [-1, 1] gives [0.8333, 2.0]). Use np.linalg.eigvalsh(H), which sorts them smallest first, and take the last: λ_max = np.linalg.eigvalsh(H)[-1] (or max of eig's)."

# fmt: off
CONVERGENCE = Exercise(
    "Convergence prediction",
    cases=_convergence_cases(),
    right=_bound_with(mse_hessian),
    read=_read_verdict,
    mistakes=(
        Mistake("You used η < 1/λ_max. The bound is 2/λ_max: each step multiplies the error along the steepest axis by (1 − η·λ_max), which shrinks while η < 2/λ_max.", wrong=_bound_with(mse_hessian, lambda low, high: 1 / high)),
        Mistake("You used λ_min, the smallest eigenvalue. The steepest axis blows up first: the bound is 2/λ_max, with the largest eigenvalue.", wrong=_bound_with(mse_hessian, lambda low, high: 2 / low)),
        Mistake(_EIG, wrong=lambda x, eta: eta < 2 / np.linalg.eig(mse_hessian(x))[0][0]),
        Mistake(_EIG, wrong=lambda x, eta: eta < 2 / np.linalg.eig(mse_hessian(x))[0][-1]),
        Mistake(f"Your bound is twice too large: the factor 2 of the Hessian is missing. {_H_TEXT}, the 2 coming from differentiating the square.", wrong=_bound_with(mse_hessian, lambda low, high: 4 / high)),
        Mistake("Your answers are the wrong way round: descent converges for η *below* 2/λ_max and diverges above it.", wrong=lambda x, eta: not _bound_with(mse_hessian)(x, eta)),
        Mistake(f"You built H from sums, Σx_i² and Σx_i, where it has means: {_H_TEXT}. With sums the bound shrinks by the factor n.", wrong=_bound_with(_sums)),
        Mistake(f"You wrote (mean x)² where H has the mean of the squares, mean x²: {_H_TEXT}. np.mean(x ** 2) is not np.mean(x) ** 2.", wrong=_bound_with(_square_of_mean)),
        Mistake("You used the largest diagonal entry of H instead of its largest eigenvalue; the off-diagonal mean x tilts the bowl. Use np.linalg.eigvalsh(H)[-1].", wrong=lambda x, eta: eta < 2 / np.max(np.diag(mse_hessian(x)))),
        Mistake("You compared η with a fixed 0.01, a common mistake: no rate is good for every data set. With x in [0, 100] the bound is about 3e-4. Compute λ_max from x.", wrong=lambda x, eta: eta <= 0.01),
        Mistake("You compared η with a fixed 0.01, a common mistake: no rate is good for every data set. With x in [0, 100] the bound is about 3e-4. Compute λ_max from x.", wrong=lambda x, eta: eta < 0.01),
        Mistake(f"Your function always says True. Compute λ_max of {_H_TEXT} from x and compare η with 2/λ_max.", wrong=lambda x, eta: True),
        Mistake(f"Your function always says False. Compute λ_max of {_H_TEXT} from x and compare η with 2/λ_max.", wrong=lambda x, eta: False),
    ),
    success="Every prediction right: descent on the MSE of a line converges exactly when η < 2/λ_max(H).",
    hint=f"Check {_H_TEXT} and the bound η < 2/λ_max.",
    describe=lambda case: f"x in [{case[0].min():g}, {case[0].max():g}], η = {case[1]:.4g}",
    crash_hints=(("divide by zero", f"An eigenvalue of your H is 0, so 2/λ divides by zero. With {_H_TEXT} (the mean of the squares, not the square of the mean) both eigenvalues are positive whenever the x_i are not all equal; the bound uses the largest, λ_max."),),
)
# fmt: on


def check_convergence_prediction(function):
    """Check ``function(x, learning_rate) -> bool``: will descent on a line converge? (lesson 06)

    The right answer is ``learning_rate < 2/λ_max`` of ``H = 2·[[mean x², mean x],
    [mean x, 1]]``.

    Examples
    --------
    >>> def will_converge(x, learning_rate):
    ...     x = np.asarray(x, dtype=float)
    ...     H = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    ...     return learning_rate < 2 / np.linalg.eigvalsh(H)[-1]
    >>> check_convergence_prediction(will_converge).passed
    True
    >>> check_convergence_prediction(lambda x, learning_rate: True).message[:31]
    'Your function always says True.'
    """
    return run_check(CONVERGENCE, function)


# --------------------------------------------------------------------------- 07


def _design(x, degree):
    return x[:, None] ** np.arange(degree + 1)


def _columns(x, powers):
    """The columns ``x ** j`` side by side, as a learner stacks them: with no power at
    all (degree 0 and one of the mistakes below) np.column_stack raises ValueError."""
    return np.column_stack([x**j for j in powers])


_EMPTY = "With degree = 0 your list of columns is empty: degree 0 still has one column, x ** 0 = 1, the intercept's. The powers are range(degree + 1): 0, 1, …, degree."


def _design_shape(case, got, want):
    if got.shape == want.shape:
        bad = int(np.flatnonzero(~np.isclose(got, want).all(axis=0))[0])
        return (
            f"For x = {case[0].tolist()}, column {bad} should be x ** {bad} = "
            f"{np.round(want[:, bad], 4).tolist()}; yours is {np.round(got[:, bad], 4).tolist()}."
        )
    if got.shape == want.T.shape:
        return (
            "Rows and columns are swapped: one row per observation, one column per power, "
            f"shape (n, degree + 1) = {want.shape}; you returned {got.shape}."
        )
    return (
        f"For degree = {case[1]} the matrix should have shape (n, degree + 1) = "
        f"{want.shape}; yours has shape {got.shape}."
    )


_NO_ONES = "The column of ones is missing: it carries the intercept w_0, so the first column must be x⁰ = 1. Your powers start at 1; they run over range(degree + 1), from 0 (with degree = 0 that column of ones is the only one)."
_SHORT = "You stopped one power short, an off-by-one: degree d needs the d + 1 powers 0, 1, …, d, that is range(degree + 1), not range(degree) (with degree = 0, range(0) gives no column at all)."

# fmt: off
DESIGN = Exercise(
    "Design matrix",
    cases=(
        (_A([0.5, 1.0, 2.0, 3.0, -1.5]), 3),
        (_A([2.0, -1.0, 0.5]), 1),
        (_A([1.5, 2.5, 4.0, -2.0]), 0),
        (_A([-0.5, 0.25, 3.0, 1.5, 2.0, -2.5]), 5),
    ),
    right=_design,
    array=True,
    mistakes=(
        Mistake("Your columns are in the reverse order: column j must hold x^j, so the ones come first and the weights read w_0, w_1, …. (np.vander puts the highest power first unless you pass increasing=True.)", wrong=lambda x, d: _design(x, d)[:, ::-1]),
        Mistake(_NO_ONES, wrong=lambda x, d: _design(x, d)[:, 1:]),
        Mistake(_NO_ONES, wrong=lambda x, d: _columns(x, range(1, d + 1))),
        Mistake(_SHORT, wrong=lambda x, d: _design(x, d)[:, :-1]),
        Mistake(_SHORT, wrong=lambda x, d: _columns(x, range(d))),
        Mistake("You went one power too far: degree d needs the powers 0, 1, …, d only.", wrong=lambda x, d: _design(x, d + 1)),
        Mistake("You multiplied x by j; column j must be x raised to the power j, x ** j.", wrong=lambda x, d: x[:, None] * np.arange(d + 1)),
        Mistake("np.vander(x, N) makes N columns with the highest power first: degree d needs N = degree + 1 columns, lowest power first, np.vander(x, degree + 1, increasing=True).", wrong=lambda x, d: np.vander(x, d)),
        Mistake("Column 0 must be all ones (x⁰ = 1): it multiplies the intercept w_0.", wrong=lambda x, d: np.column_stack([0 * x, _design(x, d)[:, 1:]])),
    ),
    success="Right: one row per observation, columns [1, x, x², …], in that order, so ŷ = X @ θ with θ = (w_0, w_1, …).",
    hint="Column j is x ** j for j = 0, 1, …, degree: np.column_stack of a list of them.",
    explain=_design_shape,
    crash_hints=(("need at least one array", _EMPTY),),
)
# fmt: on


def check_design_matrix(function):
    """Check ``function(x, degree)``: the matrix with columns ``[1, x, …, x^degree]`` (lesson 07).

    Examples
    --------
    >>> def my_design_matrix(x, degree):
    ...     return np.column_stack([x ** j for j in range(degree + 1)])
    >>> check_design_matrix(my_design_matrix).passed
    True
    >>> print(check_design_matrix(lambda x, degree: np.vander(x, degree + 1)).message[:37])
    Your columns are in the reverse order
    """
    return run_check(DESIGN, function)


# --------------------------------------------------------------------------- 08

_KINDS = ("minimum", "maximum", "saddle", "degenerate")
_MIXED_ZERO = _A([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
_TINY = _A([[1e-9, 0.0], [0.0, 3e-9]])


def _turned(*eigenvalues):
    """A 2×2 Hessian with these eigenvalues along axes turned by 30°: its entries are
    rounded, so an eigenvalue of size 1e-14 is rounding-level next to 3."""
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    turn = _A([[c, -s], [s, c]])
    return turn @ np.diag(eigenvalues) @ turn.T


# A flat direction as computed: λ = ±1e-14 next to 3 (or 5e-9 next to 3e6, the scale of
# unscaled inputs), at most 1e-12·max |λ|: "zero" by the lesson's rule.
_ROUNDING = (_turned(3.0, 1e-14), _turned(-2.0, 1e-14))
_LARGE = _turned(3e6, 5e-9)
# fmt: off
_MATRICES = (
    _A([[2.0, 0.0], [0.0, 1.0]]),
    _A([[-1.0, 0.0], [0.0, -3.0]]),
    _A([[1.0, 0.0], [0.0, -1.0]]),
    _A([[1.0, 2.0], [2.0, 1.0]]),  # positive diagonal, eigenvalues 3 and −1
    _A([[2.0, 0.0], [0.0, 0.0]]),
    _A([[-2.0, 1.0], [1.0, -2.0]]),
    _A([[2.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]]),  # det > 0, a saddle
    _A([[3.0, 1.0], [1.0, 3.0]]),
    _A([[2.0, -1.0, 0.0], [-1.0, 2.0, -1.0], [0.0, -1.0, 2.0]]),
    _A([[0.0, 0.0], [0.0, -1.0]]),
    _A([[4.0, 2.0], [2.0, 1.0]]),  # eigenvalues 0 and 5, no zero on the diagonal
    _MIXED_ZERO,
    _TINY,
    *_ROUNDING,
    _LARGE,
)
# fmt: on


def _read_kind(value):
    if not isinstance(value, str) or value.strip().lower() not in _KINDS:
        raise Problem(
            f"Your function returned {value!r}; it should return one of the words "
            f"{', '.join(repr(k) for k in _KINDS)}."
        )
    return value.strip().lower()


def _truths(cases):
    return [classify_critical_point(c[0]) for c in cases]


def _wrong_exactly_on(*matrices):
    """Right on every case except exactly these matrices."""

    def fits(cases, answers):
        wrong = {
            c[0].tobytes() for c, a, t in zip(cases, answers, _truths(cases)) if a != t
        }
        return wrong == {m.tobytes() for m in matrices}

    return fits


def _like(wrong):
    """Answers as ``wrong`` gives them, on every case but those about 'zero' (a
    learner may add the zero mistakes below to this one)."""
    skip = {m.tobytes() for m in (_MIXED_ZERO, _TINY, *_ROUNDING, _LARGE)}

    def fits(cases, answers):
        return all(
            a == wrong(c[0])
            for c, a in zip(cases, answers)
            if c[0].tobytes() not in skip
        )

    return fits


def _saddle_called(cases, answers):
    """Right on every minimum and maximum (but the tiny one), some saddle called one."""
    pairs = [
        (a, t) for c, a, t in zip(cases, answers, _truths(cases)) if c[0] is not _TINY
    ]
    return all(a == t for a, t in pairs if t in ("minimum", "maximum")) and any(
        t == "saddle" and a in ("minimum", "maximum") for a, t in pairs
    )


def _zero_called_extreme(cases, answers):
    return any(
        a in ("minimum", "maximum") and t == "degenerate"
        for a, t in zip(answers, _truths(cases))
    )


def _determinant_test(h):
    det = np.linalg.det(h)
    if np.isclose(det, 0):
        return "degenerate"
    return "saddle" if det < 0 else ("minimum" if h[0, 0] > 0 else "maximum")


_SWAP = {"minimum": "maximum", "maximum": "minimum"}


def _by_signs(is_zero, zeros_first=False):
    """A classifier by the eigenvalues' signs, as a learner writes it: ``is_zero``
    marks the zeros (by the lesson's rule, np.isclose, or v == 0), checked before
    the mixed signs or, rightly, after them."""

    def classify(h):
        values = np.linalg.eigvalsh(h)
        zero = is_zero(values)
        if zeros_first and zero.any():
            return "degenerate"
        positive, negative = (values > 0) & ~zero, (values < 0) & ~zero
        if positive.any() and negative.any():
            return "saddle"
        if positive.all():
            return "minimum"
        return "maximum" if negative.all() else "degenerate"

    return classify


def _relative(values):
    return np.abs(values) <= 1e-12 * np.abs(values).max()


def _swapped(h):
    return _SWAP.get(classify_critical_point(h), classify_critical_point(h))


def _diagonal(h):
    return classify_critical_point(np.diag(np.diag(h)))


# fmt: off
CLASSIFY = Exercise(
    "Classifying critical points",
    cases=tuple((m,) for m in _MATRICES),
    right=classify_critical_point,
    read=_read_kind,
    mistakes=(
        Mistake("Minimum and maximum are swapped: positive eigenvalues mean the loss curves *up* in every direction, which is a minimum.", wrong=_swapped, fits=_like(_swapped)),
        Mistake("You used the diagonal entries of H as if they were its eigenvalues. [[1, 2], [2, 1]] has a positive diagonal but eigenvalues 3 and −1: a saddle. Use np.linalg.eigvalsh(H), which sees every direction.", wrong=_diagonal, fits=_like(_diagonal)),
        Mistake("You used the 2×2 determinant test (det > 0 and H[0, 0] > 0: minimum) on a 3×3 matrix: diag(2, −1, −1) has det > 0 yet two directions curve down. The determinant test is for 2×2 only; use the signs of all the eigenvalues.", wrong=_determinant_test, fits=_like(_determinant_test)),
        Mistake("You called a saddle a minimum or a maximum: one positive eigenvalue is not enough. A minimum needs *all* eigenvalues positive (np.all, not np.any); with both signs it is a saddle.", wrong=lambda h: "minimum" if (np.linalg.eigvalsh(h) > 0).any() else classify_critical_point(h), fits=_saddle_called),
        Mistake("With one positive and one negative eigenvalue the point is a saddle whatever the zeros: diag(1, −1, 0) curves up along one axis and down along another. Check for mixed signs first; only without them does a zero make the point degenerate.", wrong=_by_signs(_relative, zeros_first=True), fits=_wrong_exactly_on(_MIXED_ZERO)),
        Mistake("np.isclose(values, 0) treats anything below 1e-8 as zero, so the tiny but positive eigenvalues of [[1e-9, 0], [0, 3e-9]] look like zeros. Judge 'zero' against the largest |eigenvalue| instead: np.abs(values) <= 1e-12 * np.abs(values).max().", wrong=_by_signs(lambda v: np.isclose(v, 0)), fits=_wrong_exactly_on(_TINY)),
        Mistake("Two things: with both signs the point is a saddle whatever the zeros (diag(1, −1, 0)), and np.isclose(values, 0) calls the tiny positive eigenvalues of [[1e-9, 0], [0, 3e-9]] zero. Check mixed signs first, and judge 'zero' against the largest |eigenvalue|.", wrong=_by_signs(lambda v: np.isclose(v, 0), zeros_first=True), fits=_wrong_exactly_on(_MIXED_ZERO, _TINY)),
        Mistake("Only an eigenvalue of exactly 0 counts as zero in your function (v == 0, or > 0 and < 0 with no tolerance). Computed eigenvalues carry rounding errors: a flat direction comes out as a tiny number such as 1e-14 (its sign is rounding's choice), not 0, and then looks like a curve up or down. Count |λ| ≤ 1e-12·max |λ| as zero, as the lesson says.", wrong=_by_signs(lambda v: v == 0)),
        Mistake("You judged 'zero' by a fixed size, |λ| ≤ 1e-12, whatever the Hessian's scale. With entries near a million (unscaled inputs, lesson 06) a flat direction comes out as about 5e-9: far above 1e-12, yet at rounding level next to λ_max = 3e6 (1e-12·3e6 = 3e-6). Judge against the largest: |λ| ≤ 1e-12·max |λ|.", wrong=_by_signs(lambda v: np.abs(v) <= 1e-12), fits=_wrong_exactly_on(_LARGE)),
        Mistake("You called a Hessian with a zero eigenvalue (and no mixed signs) a minimum or a maximum. Along that direction the Hessian sees no curve at all and higher derivatives decide (θ⁴ is a minimum, θ³ is not): 'degenerate'.", wrong=lambda h: classify_critical_point(h).replace("degenerate", "minimum"), fits=_zero_called_extreme),
    ),
    success="Every Hessian classified right, from the signs of its eigenvalues.",
    hint="Mixed signs: saddle. All positive: minimum. All negative: maximum. Otherwise degenerate.",
    describe=lambda case: f"the Hessian {case[0].tolist()} (eigenvalues {np.round(np.linalg.eigvalsh(case[0]), 4).tolist()})",
)
# fmt: on


def check_classification(function):
    """Check ``function(hessian) -> str``: ``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"``.

    The rule (lesson 08), the same as :func:`gdlab.classify_critical_point`:
    at least one positive and one negative eigenvalue: saddle, whatever the
    zeros; all positive: minimum; all negative: maximum; otherwise
    degenerate ("zero" relative to the largest |eigenvalue|).

    Examples
    --------
    >>> def classify(hessian):
    ...     values = np.linalg.eigvalsh(hessian)
    ...     zero = np.abs(values) <= 1e-12 * np.abs(values).max()
    ...     positive, negative = (values > 0) & ~zero, (values < 0) & ~zero
    ...     if positive.any() and negative.any():
    ...         return "saddle"
    ...     if positive.all():
    ...         return "minimum"
    ...     return "maximum" if negative.all() else "degenerate"
    >>> check_classification(classify).passed
    True
    """
    return run_check(CLASSIFY, function)


# --------------------------------------------------------------------------- 09


def _batch_cases():
    rng = np.random.default_rng(9)
    x = rng.uniform(-2, 3, 12)
    X = np.column_stack([x, np.ones_like(x)])
    y = 1.5 * x - 0.5 + rng.normal(0, 0.5, 12)
    return (
        (X, y, _A([0.3, -0.2]), _A([2, 7, 5])),
        (X, y, _A([-1.0, 2.0]), _A([4])),
        (X, y, _A([0.5, 0.5]), _A([0, 3, 6, 9, 10, 11])),
    )


def _batch(X, y, theta, rows, divide=None):
    Xb, yb = X[rows], y[rows]
    return 2 / (divide or len(rows)) * Xb.T @ (Xb @ theta - yb)


_TRANSPOSE = "X_B is (B, 2), one row per observation in the batch, and the residuals r are (B,). To get one number per parameter, multiply by the transpose: X_B.T @ r, which is (2,)."

# fmt: off
BATCH = Exercise(
    "Mini-batch gradient",
    cases=_batch_cases(),
    right=_batch,
    array=True,
    mistakes=(
        Mistake("You took the first B rows, X[:B] and y[:B], not the rows the batch names: use X[indices] and y[indices]. The indices are shuffled row numbers, so each batch is a random sample of the data.", wrong=lambda X, y, t, rows: _batch(X, y, t, np.arange(len(rows)))),
        Mistake("You used all the rows: a mini-batch gradient uses only the rows in `indices`, X[indices] and y[indices].", wrong=lambda X, y, t, rows: _batch(X, y, t, np.arange(len(y)))),
        Mistake("You used all the rows (and divided by the batch size): use only the rows in `indices`, X[indices] and y[indices].", wrong=lambda X, y, t, rows: _batch(X, y, t, np.arange(len(y)), len(rows))),
        Mistake("You divided by n, the size of the whole data set; the batch's mean needs its own size B = len(indices).", wrong=lambda X, y, t, rows: _batch(X, y, t, rows, len(y))),
        Mistake("The factor 2 from differentiating the square is missing: (2/B)·X_Bᵀ(X_Bθ − y_B).", wrong=lambda *c: _batch(*c) / 2),
        Mistake("The sign is flipped: with residuals X_Bθ − y_B the gradient is +(2/B)·X_Bᵀ(X_Bθ − y_B), or −(2/B)·X_Bᵀ(y_B − X_Bθ).", wrong=lambda *c: -_batch(*c)),
        Mistake("You summed over the batch instead of taking the mean: divide by B = len(indices).", wrong=lambda *c: _batch(*c, divide=1)),
        Mistake("The transpose is missing. " + _TRANSPOSE, wrong=lambda X, y, t, rows: 2 / len(rows) * X[rows] @ (X[rows] @ t - y[rows])),
    ),
    success="Right: the mean over the batch's rows, (2/B)·X_Bᵀ(X_Bθ − y_B).",
    hint="X_B = X[indices], y_B = y[indices], r = X_B @ theta − y_B, then (2/B)·X_B.T @ r.",
    explain=lambda case, got, want: None if got.shape == want.shape else f"The gradient has one number per parameter, shape {want.shape}; yours has shape {got.shape}. {_TRANSPOSE}",
    crash_hints=(("matmul", _TRANSPOSE),),
)
# fmt: on


def check_batch_gradient(function):
    """Check ``function(X, y, theta, indices)``: the gradient from the rows ``indices`` (lesson 09).

    The answer is ``(2/B)·X_Bᵀ(X_Bθ − y_B)`` with ``B = len(indices)``.

    Examples
    --------
    >>> def batch_gradient(X, y, theta, indices):
    ...     Xb, yb = X[indices], y[indices]
    ...     return 2 / len(indices) * Xb.T @ (Xb @ theta - yb)
    >>> check_batch_gradient(batch_gradient).passed
    True
    """
    return run_check(BATCH, function)
