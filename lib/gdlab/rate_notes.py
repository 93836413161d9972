"""η against the critical rate, in words: the note beside η and the warnings above it.

:func:`rate_note` says where η stands against the critical rate 2/λ_max of
one run (exact on a quadratic, else local, at the start) or against each
rule's own in a race, and warns when η is above one: on a bowl the run will
diverge (given enough steps: told the run, the warning says whether this one
gets there within its steps), elsewhere its first steps will overshoot.  :func:`above_critical`
is that sentence's one phrasing ("η = … is above the critical value … = …"),
which :func:`gdlab.narration.describe_step` also says of a diverged run.
:func:`valley_warning` warns of a bowl too long to walk.

Math layer: numpy only, never a print or a plot.  The words come in plain
text; which parts are bold is said beside them (:attr:`RateNote.pieces`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .rules import critical_rates, rule_name

__all__ = ["RateNote", "above_critical", "rate_note", "valley_warning"]

# Above this condition number the bowl is a valley too long to walk: say so.
ILL_CONDITIONED = 1e8


@dataclass(frozen=True)
class RateNote:
    """What to say of η against the critical rate(s).

    Attributes
    ----------
    pieces : tuple of (str, bool)
        The note beside η in pieces, each with whether it is bold (the numbers).
    above : bool
        Whether η is above a critical rate.
    warnings : tuple of str
        A warning for each critical rate η is above.
    """

    pieces: tuple[tuple[str, bool], ...]
    above: bool
    warnings: tuple[str, ...]

    @property
    def text(self) -> str:
        """The note beside η as plain text."""
        return "".join(piece for piece, _ in self.pieces)


def above_critical(learning_rate: float, what: str, value: float) -> str:
    """``"η = … is above the <what> = …"``: every note's words for η above a critical rate.

    Examples
    --------
    >>> above_critical(0.25, "critical value 2/λ_max", 0.2)
    'η = 0.25 is above the critical value 2/λ_max = 0.2'
    """
    return f"η = {learning_rate:.3g} is above the {what} = {value:.3g}"


def rate_note(
    surface,
    theta,
    learning_rate: float,
    rules=None,
    *,
    full_batch: bool = False,
    runs=None,
) -> RateNote:
    """The note beside η and its warnings, for one run of plain descent or a race of ``rules``.

    Parameters
    ----------
    surface : Surface
    theta : array_like
        The start: where a critical rate that is local is taken.
    learning_rate : float
        η.
    rules : sequence of update rules, optional
        A race: each rule's own critical rate (:func:`gdlab.rules.critical_rates`),
        "none known" where it states none.  Default: one run, 2/λ_max.
    full_batch : bool
        The run is mini-batch descent: 2/λ_max is full batch's critical value,
        and above it full batches would diverge.
    runs : sequence of DescentRun, optional
        The runs the note is about (one, or one per rule).  On a bowl, η above
        the critical rate makes a run diverge only given enough steps: with
        its run, a warning says "this run will diverge" only of a run that
        does within its steps, and of one that stops first, only that each
        overshoot grows (along the steepest direction).

    Examples
    --------
    >>> import gdlab
    >>> from gdlab import Momentum, Adam, Parabola, TwoValleys
    >>> rate_note(Parabola(1.0), [1.0], 2.5).text
    'critical value 2/λ_max = 2 (η now above it)'
    >>> rate_note(Parabola(1.0), [1.0], 2.5).warnings
    ('η = 2.5 is above the critical value 2/λ_max = 2: this run will diverge.',)
    >>> rate_note(TwoValleys(), [0.0, 0.0], 0.5).text
    'local critical value 2/λ_max at the start = 2 (η now below it)'
    >>> note = rate_note(Parabola(1.0), [1.0], 2.5, [Momentum(0.5), Adam()])
    >>> note.text
    'critical η: momentum (β = 0.5) 3, Adam none known'
    >>> note.pieces[2]
    ('3', True)
    >>> short = gdlab.descend(Parabola(1.0), [1.0], 2.01, steps=10)
    >>> rate_note(Parabola(1.0), [1.0], 2.01, runs=[short]).warnings[0]
    'η = 2.01 is above the critical value 2/λ_max = 2: each overshoot grows.'
    """
    runs = [None] * (1 if rules is None else len(rules)) if runs is None else runs
    if rules is not None:
        return _race_note(surface, theta, learning_rate, rules, runs)
    rate = surface.critical_rate(theta)
    if rate.value is None:
        words = "no critical rate at the start: the surface curves downwards in every direction there"
        return RateNote(((words, False),), False, ())
    exact = rate.kind == "exact"
    critical = "full-batch critical value" if full_batch else "critical value"
    name = f"{critical} 2/λ_max{'' if exact else ' at the start'}"
    above = learning_rate > rate.value
    pieces = (
        (f"{'' if exact else 'local '}{name} = ", False),
        (f"{rate.value:.3g}", True),
        (f" (η now {'above' if above else 'below'} it)", False),
    )
    if not above:
        return RateNote(pieces, False, ())
    outcome = (
        "full batches would diverge"
        if full_batch
        else _outcome(surface, "the", runs[0])
    )
    warning = f"{above_critical(learning_rate, name, rate.value)}: {outcome}."
    return RateNote(pieces, True, (warning,))


def _race_note(surface, theta, learning_rate, rules, runs) -> RateNote:
    """:func:`rate_note` of a race: each rule's critical rate, and a warning for each η is above."""
    rates = critical_rates(rules, surface, theta)
    where = "" if surface.quadratic else " (local, at the start)"
    pieces = [(f"critical η{where}: ", False)]
    warnings = []
    for i, (rule, value, run) in enumerate(zip(rules, rates, runs)):
        name = rule_name(rule)
        pieces += [(", ", False)] if i else []
        pieces += [(f"{name} ", False), (_known(value), True)]
        if value is not None and learning_rate > value:
            bound = getattr(rule, "bound", None) or "its bound"
            what = f"critical value of {name}, {bound}"
            outcome = _outcome(surface, "its", run)
            warnings.append(f"{above_critical(learning_rate, what, value)}: {outcome}.")
    return RateNote(tuple(pieces), bool(warnings), tuple(warnings))


def _known(value) -> str:
    return "none known" if value is None else f"{value:.3g}"


def _outcome(surface, whose: str, run=None) -> str:
    """What η above a critical rate does: on a bowl the run diverges (given enough steps), elsewhere ``whose`` first steps overshoot."""
    if not (surface.quadratic and surface.convex):
        return f"{whose} first steps will overshoot"
    if run is None or run.status == "diverged":
        return "this run will diverge"
    # Along the steepest direction each overshoot grows by |1 − ηλ_max| > 1,
    # but from close to the valley's floor (or from rounding alone) it may
    # take longer than the run has to pass the divergence limit, while the
    # other directions still converge.
    return "each overshoot grows"


def valley_warning(surface) -> str | None:
    """A warning when the bowl is a valley too long to walk (κ > 10⁸: standardise x), else None.

    Examples
    --------
    >>> import numpy as np
    >>> from gdlab import LinearMSE
    >>> x = 1000.0 + np.linspace(-1.0, 1.0, 20)
    >>> valley_warning(LinearMSE(x, 2 * x))[:14]
    'κ = 2.7e+12: t'
    >>> valley_warning(LinearMSE(np.linspace(-1.0, 1.0, 20), np.zeros(20))) is None
    True
    """
    kappa = surface.condition_number() if surface.quadratic else 0.0
    if not kappa > ILL_CONDITIONED:
        return None
    size = (
        f"κ = {kappa:.2g}: the valley is that many times longer than it is wide"
        if math.isfinite(kappa)
        else "κ is too large for float64 to tell: the valley is flat along its floor"
    )
    advice = (
        "Gradient descent crawls along it and rounding decides the rest. "
        "Standardise x first (subtract its mean, divide by its spread)."
    )
    return f"{size}. {advice}"
