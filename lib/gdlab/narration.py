"""A run of gradient descent at one step, in words: the explorer's status line (lesson 05).

:func:`step_status` says what a :class:`~gdlab.descent.DescentRun` is doing at
step k, as a short headline and a longer explanation; :func:`describe_step`
joins the two.  Every word is decided from numbers, and each holds at that
step, not only at the end:

* **oscillating**: step k carried θ across the valley floor, by more than
  rounding.  "Across the valley" is the Hessian's steepest direction v at θ_k
  and the floor is the critical point θ is heading for
  (:meth:`gdlab.Surface.rest_offset`): the component ``c = v·(θ − θ*)``
  changes sign from step k − 1 to step k, and both sizes exceed
  :func:`rounding_floor`.  On a quadratic this happens exactly when
  η > 1/λ_max (the factor 1 − η·λ_max is negative), never below it.
* **converged**: the run stopped because it converged, with the meaning of
  :func:`gdlab.descend` (the gap and every parameter, see
  :meth:`gdlab.Surface.settled`); only the last step of such a run says so.
* **oscillating, growing**: as oscillating, and each of the last crossings
  overshoots further than the one before (η above 2/λ_max on a quadratic).
* **diverging**: the loss rose over the last two steps (or the only one) and
  is above the start's.
* **bouncing**: θ is back where it was two or four steps ago, or the loss
  rises and falls in turn.

:func:`state_words` gives the first words at every step at once;
:func:`race_words` says them of one run of a race (:func:`gdlab.race`), and
:func:`minibatch_status` says what is true of a run of mini-batch descent,
which never converges but takes every step.  What η above the critical rate
does is said by :mod:`gdlab.rate_notes`.

Math layer: numpy only, never a print or a plot.
"""

from __future__ import annotations

import numpy as np

from .rate_notes import above_critical

__all__ = [
    "crossing",
    "crossings",
    "describe_step",
    "minibatch_status",
    "moving_words",
    "race_words",
    "rounding_floor",
    "state_words",
    "step_status",
    "step_statuses",
]

# What counts as "more than rounding" across the valley, relative to the start's
# own component, and in units of float64's precision times the size of θ.
_RELATIVE_FLOOR = 1e-6
_ROUNDING_UNITS = 256


def _steps(k: int) -> str:
    return f"{k} step" if k == 1 else f"{k} steps"


def rounding_floor(start_component: float, *points) -> float:
    """The size below which a component across the valley is rounding, not a position.

    ``10⁻⁶·|c₀|`` (a millionth of the start's own distance across) plus 256
    units of float64 precision times the size of the points compared.

    Examples
    --------
    >>> bool(rounding_floor(2.0, [1.0, 5.0]) > 2e-6)
    True
    """
    size = max((float(np.max(np.abs(p))) for p in points), default=0.0)
    return (
        _RELATIVE_FLOOR * abs(start_component)
        + _ROUNDING_UNITS * np.finfo(float).eps * size
    )


def crossing(run, k: int, surface=None) -> tuple[bool, bool]:
    """Whether step k crossed the valley floor by more than rounding, and whether further out.

    Returns ``(crossed, growing)``: the component across the valley
    changed sign from step k − 1 to k with both sizes above
    :func:`rounding_floor`; and ``|c_k| > |c_{k−1}| > |c_{k−2}|`` (each
    overshoot larger than the last, not a cycle).  Without a surface the moves themselves are compared
    (two moves in opposite directions, each larger than rounding).

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> run = descend(Parabola(1.0), [2.0], learning_rate=1.5, steps=5)
    >>> crossing(run, 1, Parabola(1.0)), crossing(run, 1, None)
    ((True, False), (False, False))
    >>> crossing(descend(Parabola(1.0), [2.0], 0.5, steps=5), 3, Parabola(1.0))
    (False, False)
    """
    if k < 1 or k >= len(run.params):
        return False, False
    params = run.params
    if surface is None:
        if k < 2:
            return False, False
        moves = np.diff(params[k - 2 : k + 1], axis=0)
        floor = rounding_floor(0.0, *params[k - 2 : k + 1])
        real = min(float(np.linalg.norm(m)) for m in moves) > floor
        return bool(real and float(np.dot(moves[0], moves[1])) < 0), False
    with np.errstate(all="ignore"):
        hessian = np.asarray(surface.hessian(params[k]), dtype=float)
        if not np.isfinite(hessian).all():
            return False, False
        across = np.linalg.eigh((hessian + hessian.T) / 2)[1][:, -1]
        rows = [0, max(k - 2, 0), k - 1, k]
        offsets = surface.rest_offset(np.asarray(params[rows]))
        first, earlier, before, after = (float(c) for c in offsets @ across)
    if not all(np.isfinite([first, earlier, before, after])):
        return False, False
    floor = rounding_floor(first, params[k - 1], params[k], params[0])
    crossed = before * after < 0 and min(abs(before), abs(after)) > floor
    # Growing: each of the last overshoots larger than the one before (not a cycle).
    growing = abs(after) > abs(before) and (k < 2 or abs(before) > abs(earlier))
    return bool(crossed), bool(crossed and growing)


def step_status(run, step: int, surface=None, *, can_add_steps=True):
    """``(headline, detail)``: the state of ``run`` at ``step``, short and in full.

    The headline is a few words (one line on a projector: it names the
    outcome); the detail explains it (a tooltip), or is ``""``.
    See :func:`describe_step` for the words and :mod:`gdlab.narration` for
    when each is used.
    """
    last = run.steps_taken
    k = min(max(int(step), 0), last)
    if k == last and run.status == "converged":
        head, detail = _arrival(run.final, surface)
        return f"converged after {_steps(k)}: {head}", detail
    if run.status == "diverged" and k == last:
        return _divergence(run, surface)
    if k == 0:
        return "ready: press Play or Step", ""
    head, detail, overshooting = _moving(run, k, surface)
    if k == last and run.status == "max_steps":
        if can_add_steps:
            return (
                f"{head} (stopped after {_steps(k)})",
                _join(detail, "add steps to go on"),
            )
        return (
            f"{head} (stopped after {_steps(k)}, the most allowed)",
            _join(detail, _advice(run, surface, overshooting)),
        )
    return head, detail


def step_statuses(run, surface=None, *, can_add_steps=True) -> list[tuple[str, str]]:
    """:func:`step_status` at every step of ``run``, at once (what an explorer sends).

    The steps between the first and the last take their words from
    :func:`moving_words` (the same tests, vectorised: a thousand steps cost
    about what one Hessian per step would); the first and the last are
    :func:`step_status`'s own.

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> run = descend(Parabola(1.0), [2.0], learning_rate=1.5, steps=2)
    >>> step_statuses(run, Parabola(1.0))[1]
    ('oscillating', 'each step overshoots the valley floor')
    >>> step_statuses(run, Parabola(1.0))[1:] == [step_status(run, k, Parabola(1.0)) for k in (1, 2)]
    True
    """
    last = run.steps_taken
    words = moving_words(run, surface)
    statuses = [(word, _MOVING_DETAIL.get(word, "")) for word in words[: last + 1]]
    for k in {0, last}:
        statuses[k] = step_status(run, k, surface, can_add_steps=can_add_steps)
    return statuses


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def _moving(run, k, surface):
    """Headline, detail and "overshooting" of a run still moving at step k."""
    losses = run.losses
    growing = losses[k] > losses[k - 1] and (k < 2 or losses[k - 1] > losses[k - 2])
    crossed, wider = crossing(run, k, surface)
    changes = np.diff(losses[max(k - 4, 0) : k + 1])
    ups = changes > 1e-9 * abs(losses[k])
    cycling = _cycling(run.params[max(k - 4, 0) : k + 1]) or (
        len(changes) >= 3 and ups.any() and not ups.all()
    )
    for head, happening in (
        ("oscillating, growing", crossed and wider),
        ("diverging", growing and losses[k] > losses[0]),
        ("bouncing", cycling),
        ("oscillating", crossed),
    ):
        if happening:
            return head, _MOVING_DETAIL[head], True
    bowl = surface is not None and surface.convex
    return ("converging" if bowl else "descending"), "", False


# The explanation of each headline of a run still moving ("overshooting" ones).
_MOVING_DETAIL = {
    "oscillating, growing": "each step overshoots the valley floor by more than the last",
    "diverging": "the loss is growing and is above where it started",
    "bouncing": "the steps overshoot back and forth and the loss no longer falls",
    "oscillating": "each step overshoots the valley floor",
}


def describe_step(run, step: int, surface=None, *, can_add_steps=True) -> str:
    """The state of a run at ``step``, in words: :func:`step_status`'s headline and detail.

    One of "ready", "converging" (on a bowl) or "descending" (elsewhere: it may
    yet reach a saddle or a local minimum), "oscillating" (this step crossed
    the valley floor by more than rounding), "oscillating, growing",
    "bouncing" (back and forth with a loss that no longer falls),
    "diverging", "converged after k steps: …" (saying where: the minimum of
    a bowl, a minimum of a non-convex surface, or a saddle, which is not a
    minimum), "diverged at step k: …", "ran off downhill at step k: …", or
    any of the moving states with "(stopped after k steps)".

    Parameters
    ----------
    run : DescentRun
    step : int
        The step shown (clamped to the run).
    surface : Surface, optional
        The surface walked on; it says whether it is a bowl, its critical rate
        and its critical points.  Without it, less is said.
    can_add_steps : bool
        Whether more steps can be asked for; if not, a run that ran out of
        steps is told what else to change.

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> run = descend(Parabola(1.0), [2.0], learning_rate=2.5, steps=100)
    >>> describe_step(run, 10**6, Parabola(1.0))
    'diverged at step 23: η = 2.5 is above the critical value 2/λ_max = 2'
    >>> describe_step(run, 3)
    'diverging: the loss is growing and is above where it started'
    >>> describe_step(descend(Parabola(1.0), [2.0], 1.0, steps=5), 1, Parabola(1.0))
    'converged after 1 step: at the minimum'
    """
    head, detail = step_status(run, step, surface, can_add_steps=can_add_steps)
    if not detail:
        return head
    return f"{head} ({detail})" if ": " in head else f"{head}: {detail}"


def _advice(run, surface, overshooting) -> str:
    """What to change when the steps ran out: the learning rate, or the data."""
    rate = None
    if surface is not None and surface.convex and surface.quadratic:
        rate = surface.critical_rate().value
    if rate is None:
        # Overshooting calls for smaller steps; a steady descent, for larger ones.
        return f"try {'a smaller' if overshooting else 'a larger'} learning rate"
    if run.learning_rate <= 0.9 * rate:
        return "try a larger learning rate, below the critical value"
    if getattr(surface, "fits_a_line", False):
        return (
            "η is near its limit, so only a rounder bowl goes faster: "
            "standardise x (subtract its mean, divide by its spread)"
        )
    return "η is near its limit, so only a rounder bowl goes faster"


def _cycling(params) -> bool:
    """Whether θ is back where it was 2 or 4 steps ago while still taking real steps."""
    if len(params) < 3:
        return False
    step = float(np.linalg.norm(params[-1] - params[-2]))
    back = [
        float(np.linalg.norm(params[-1] - params[-1 - p]))
        for p in (2, 4)
        if p < len(params)
    ]
    return step > 0 and min(back) < 1e-3 * step


def _arrival(theta, surface) -> tuple[str, str]:
    """Where a converged run ended: which critical point, what kind (headline, detail)."""
    points = [] if surface is None else surface.known_critical_points() or []
    if not points:
        return "the gradient is almost zero here", ""
    nearest = min(
        points, key=lambda p: float(np.linalg.norm(np.subtract(p.point, theta)))
    )
    if surface.convex and nearest.kind == "degenerate":
        # A convex surface with a flat direction: its minima form a line (or plane).
        return "at a minimum", "one of a line of equally low minima"
    if nearest.kind == "minimum":
        if surface.convex:
            return "at the minimum", ""
        lowest = min(p.loss for p in points if p.kind == "minimum")
        if nearest.loss <= lowest:
            # Short: the headline must fit one classroom line beside the numbers.
            return "at the global minimum", "no other minimum of this surface is lower"
        return "at a local minimum", f"another minimum is lower (L = {lowest:.3g})"
    if nearest.kind == "saddle":
        return (
            "at a saddle point",
            "the gradient is zero here, but this is not a minimum",
        )
    what = "a maximum" if nearest.kind == "maximum" else "a flat critical point"
    return f"at {what}", "the gradient is zero here, but this is not a minimum"


def _divergence(run, surface) -> tuple[str, str]:
    """Headline and detail of a run that stopped diverging (up) or running off (down)."""
    where = run.diverged_at
    if run.losses[-1] < run.losses[0]:
        return (
            f"ran off downhill at step {where}",
            "the loss falls without bound this way (there is no minimum to find)",
        )
    rate = None if surface is None else surface.critical_rate(run.params[0])
    eta = run.learning_rate
    head = f"diverged at step {where}"
    if rate is not None and rate.value is not None and eta > rate.value:
        value = "2/λ_max" if rate.kind == "exact" else "2/λ_max at the start (local)"
        return head, above_critical(eta, f"critical value {value}", rate.value)
    if rate is not None and rate.kind == "local":
        return head, (
            f"each step overshoots further (the local critical value at the start, "
            f"{rate.value:.3g}, holds only near it); try a smaller learning rate"
        )
    return head, "each step overshoots further; try a smaller learning rate"


def crossings(run, surface=None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`crossing` at every step at once: two boolean arrays (crossed, growing).

    The same tests, vectorised, for callers that need every step (a race of
    several runs asks for thousands per setting change).

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> crossed, growing = crossings(descend(Parabola(1.0), [2.0], 1.5, steps=4), Parabola(1.0))
    >>> crossed.tolist(), growing.tolist()
    ([False, True, True, True, True], [False, False, False, False, False])
    """
    params = np.asarray(run.params, dtype=float)
    count = len(params)
    crossed = np.zeros(count, dtype=bool)
    growing = np.zeros(count, dtype=bool)
    if count < 2:
        return crossed, growing
    if surface is None:
        for k in range(2, count):
            crossed[k] = crossing(run, k, None)[0]
        return crossed, growing
    with np.errstate(all="ignore"):
        across = _steepest_directions(params, surface)
        offsets = np.asarray(surface.rest_offset(params), dtype=float)
        k = np.arange(1, count)
        before = np.einsum("ij,ij->i", offsets[k - 1], across[k])
        after = np.einsum("ij,ij->i", offsets[k], across[k])
        earlier = np.einsum("ij,ij->i", offsets[np.maximum(k - 2, 0)], across[k])
        first = offsets[0] @ across[k].T
        size = np.maximum.reduce(
            [np.abs(params[k - 1]).max(axis=1), np.abs(params[k]).max(axis=1)]
        )
        size = np.maximum(size, np.abs(params[0]).max())
        floor = (
            _RELATIVE_FLOOR * np.abs(first)
            + _ROUNDING_UNITS * np.finfo(float).eps * size
        )
        finite = np.isfinite(before) & np.isfinite(after) & np.isfinite(earlier)
        cross = (
            finite
            & (before * after < 0)
            & (np.minimum(abs(before), abs(after)) > floor)
        )
        wider = (abs(after) > abs(before)) & ((k < 2) | (abs(before) > abs(earlier)))
    crossed[1:] = cross
    growing[1:] = cross & wider
    return crossed, growing


def _steepest_directions(params, surface) -> np.ndarray:
    """The Hessian's steepest direction at each point (NaN where it is not finite)."""
    if surface.quadratic:
        hessian = np.asarray(surface.hessian(params[0]), dtype=float)
        top = np.linalg.eigh((hessian + hessian.T) / 2)[1][:, -1]
        return np.tile(top, (len(params), 1))
    hessians = np.array([np.asarray(surface.hessian(p), dtype=float) for p in params])
    finite = np.isfinite(hessians).all(axis=(1, 2))
    directions = np.full(params.shape, np.nan)
    if finite.any():
        good = hessians[finite]
        directions[finite] = np.linalg.eigh((good + np.swapaxes(good, 1, 2)) / 2)[1][
            ..., -1
        ]
    return directions


def moving_words(run, surface=None) -> list[str]:
    """The headline of :func:`step_status` at every step of a moving run, all at once.

    "ready" at step 0, then the words of a run still moving ("converging" or
    "descending", "oscillating", "oscillating, growing", "diverging",
    "bouncing"), decided by the same tests in the same order, vectorised.
    The last step of a run that stopped gets its outcome from
    :func:`step_status`.

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> moving_words(descend(Parabola(1.0), [2.0], 1.5, steps=3), Parabola(1.0))
    ['ready', 'oscillating', 'oscillating', 'oscillating']
    """
    losses = np.asarray(run.losses, dtype=float)
    params = np.asarray(run.params, dtype=float)
    count = len(losses)
    crossed, wider = crossings(run, surface)
    with np.errstate(all="ignore"):
        up = np.zeros(count, dtype=bool)
        up[1:] = losses[1:] > losses[:-1]
        previous_up = np.r_[True, True, up[1:-1]][:count]
        diverging = up & previous_up & (losses > losses[0])
        cycling = _cycling_all(params) | _rising_and_falling(losses)
    calm = "converging" if surface is not None and surface.convex else "descending"
    words = np.select(
        [wider, diverging, cycling, crossed],
        ["oscillating, growing", "diverging", "bouncing", "oscillating"],
        default=calm,
    ).astype(object)
    words[0] = "ready"
    return [str(word) for word in words]


def _cycling_all(params) -> np.ndarray:
    """Per step: :func:`_cycling` on the last five points."""
    count = len(params)
    out = np.zeros(count, dtype=bool)
    if count < 3:
        return out
    step = np.full(count, np.nan)
    step[1:] = np.linalg.norm(params[1:] - params[:-1], axis=1)
    back = np.full(count, np.inf)
    back[2:] = np.linalg.norm(params[2:] - params[:-2], axis=1)
    four = np.full(count, np.inf)
    four[4:] = np.linalg.norm(params[4:] - params[:-4], axis=1)
    out[2:] = (step[2:] > 0) & (np.minimum(back, four)[2:] < 1e-3 * step[2:])
    return out


def _rising_and_falling(losses) -> np.ndarray:
    """Per step k ≥ 3: among the last (up to 4) changes of the loss, some rose and some fell."""
    count = len(losses)
    changes = np.diff(losses)
    any_up = np.zeros(count, dtype=bool)
    all_up = np.ones(count, dtype=bool)
    for back in range(1, 5):
        k = np.arange(back, count)
        rose = changes[k - back] > 1e-9 * np.abs(losses[k])
        any_up[k] |= rose
        all_up[k] &= rose
    out = any_up & ~all_up
    out[:3] = False
    return out


def state_words(run, surface=None) -> list[str]:
    """The first words of :func:`describe_step` at every step of ``run``, all at once.

    Vectorised (:func:`moving_words`): a race asks for thousands of them per
    setting change.

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> run = descend(Parabola(1.0), [2.0], 1.5, steps=60)
    >>> state_words(run, Parabola(1.0))[:3], state_words(run, Parabola(1.0))[-1]
    (['ready', 'oscillating', 'oscillating'], 'converged after 10 steps')
    """
    losses = np.asarray(run.losses, dtype=float)
    last = len(losses) - 1
    words = moving_words(run, surface)
    if run.status == "converged":
        words[last] = f"converged after {_steps(last)}"
    elif run.status == "diverged":
        fell = losses[-1] < losses[0]
        words[last] = (
            f"{'ran off downhill' if fell else 'diverged'} at step {run.diverged_at}"
        )
    return [str(word) for word in words]


def race_words(run, surface, last: int, failed_at: int | None = None) -> list[str]:
    """What a race's status line says of one run at every shared step 0..``last``.

    :func:`state_words` in short forms, so that a line naming four runs fits
    one row of a projector: "converged at step k" (as "diverged at step k");
    after its end a run keeps its last words, or, when its rule failed at
    step ``failed_at`` (0: in ``start``), says so.

    Examples
    --------
    >>> from gdlab import Parabola, descend
    >>> run = descend(Parabola(1.0), [2.0], 1.0, steps=5)
    >>> race_words(run, Parabola(1.0), 3)
    ['ready', 'converged at step 1', 'converged at step 1', 'converged at step 1']
    >>> race_words(descend(Parabola(1.0), [2.0], 1.0, 0), Parabola(1.0), 1, failed_at=1)
    ['ready', 'failed at step 1: see the message above']
    """
    if failed_at == 0:  # no step was ever possible
        return ["failed in start: see the message above"] * (last + 1)
    own = state_words(run, surface)
    end = run.steps_taken
    if run.status == "converged":
        own[end] = f"converged at step {end}"
    if run.status == "diverged" and run.diverged_at > end:
        # θ itself stopped being a number (describe_step would read the
        # last finite loss, and may say "ran off downhill").
        own[end] = f"diverged at step {run.diverged_at}: θ is not finite"
    if failed_at is not None:
        failed = f"failed at step {failed_at}: see the message above"
        return own + [failed] * (last - end)
    return own + [own[end]] * (last - end)


def minibatch_status(run, step: int, n: int, epochs: int, learning_rate: float):
    """``(headline, detail)`` true of a run of mini-batch descent at ``step``.

    It never says "converged" (the run takes every step): "ready", whether
    the loss on all ``n`` observations rose, fell or stayed level, "stopped
    after ``epochs`` epochs", or "diverged at step k".

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab import minibatch_descent
    >>> z = np.linspace(-1.0, 1.0, 8)
    >>> X = np.column_stack([z, np.ones_like(z)])
    >>> run = minibatch_descent(X, 2 * z, (0.0, 0.0), 0.1, batch_size=4, epochs=2)
    >>> minibatch_status(run, 1, 8, 2, 0.1)
    ('loss fell', 'this step followed one batch; L is the loss on all 8 observations')
    >>> minibatch_status(run, 4, 8, 2, 0.1)
    ('stopped after 2 epochs', '4 steps on batches of 4')
    """
    batch, last = f"batches of {run.batch_size}", run.steps_taken
    if run.status == "diverged" and step == last:
        return (
            f"diverged at step {run.diverged_at}",
            f"η = {learning_rate:.3g} is too large for {batch}",
        )
    if step == 0:
        return "ready: press Play or Step", ""
    if step == last:
        return f"stopped after {epochs} epochs", f"{step} steps on {batch}"
    change = run.losses[step] - run.losses[step - 1]
    level = abs(change) <= 1e-12 * abs(run.losses[step - 1])
    word = "level" if level else ("rose" if change > 0 else "fell")
    return (
        f"loss {word}",
        f"this step followed one batch; L is the loss on all {n} observations",
    )
