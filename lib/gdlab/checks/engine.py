"""The one engine behind every checker: run the learner's function, then name the mistake.

An :class:`Exercise` is data: the cases, the right answer, and a table of
:class:`Mistake` rows, each a small *wrong* function with the message that
names it.  :func:`run_check` treats every exercise the same way:

1. run the learner's function on copies of each case's inputs: the stub is
   "not yet", a changed input or ``None`` gets a message of its own;
2. read each answer: where the exercise asks for an array (``Exercise.array``)
   a Python list or tuple is named by one rule; then ``Exercise.read``;
3. a shortcut the exercise forbids (a row with ``uses``) is named, even when
   the answers are right;
4. compare with the right answers; if wrong, walk the table: a mistake is
   named when the learner's function behaves like the wrong one on *every*
   case (the same answer, or a crash where the wrong function crashes too);
5. otherwise a crash is quoted with its failing line, and a wrong answer is
   shown next to the expected one.
"""

from __future__ import annotations

import dis
import inspect
import sysconfig
import traceback
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .feedback import Feedback, NotYetImplemented

__all__ = ["Exercise", "Mistake", "Problem", "as_numbers", "run_check", "same"]

RTOL, ATOL = 1e-7, 1e-9  # one comparison tolerance for every exercise
NOT_YET = "Not yet: the function still raises NotImplementedError. Replace that line with your code, run its cell, then run this check again. (Stuck? Open the hint below, then the solution.)"
_NONE = "Your function returned None: did you forget `return`?"
_LIST = "Your function returned a {kind} where a numpy array is asked for. The numbers are right, but a Python list or tuple does no arithmetic on its numbers (2 * [1.0, 3.0] is the list twice, [1.0, 3.0, 1.0, 3.0], and [3.0] - [1.0] is an error), so the steps that use your answer would break. Compute with the numpy arrays themselves, or wrap your {kind} at the end: return np.array(...)."
_ALSO_LIST = "\nAlso: your function returned a {kind} where a numpy array is asked for; wrap it at the end, return np.array(...)."
_CHANGED = "Your function changed an input array in place (e.g. with `x *= m`, `-=` or sort()). Compute a new array instead (`m * x`), so the data stay as they were."


class Problem(Exception):
    """Raised by a reader with the sentence to show the learner."""


@dataclass(frozen=True)
class Mistake:
    """A known mistake: ``wrong`` takes the learner's arguments and answers wrongly.

    ``fits(cases, answers)`` recognises a family of mistakes that no single
    function describes (e.g. "divided by one fixed count every time"); ``uses``
    names a shortcut the exercise forbids (``("mean",)`` for ``np.mean`` or
    ``values.mean()``), named whenever the learner's code reads one of those
    names, right answers or not. With either, ``wrong`` is one example of the
    mistake, as a learner writes it (the tests check that it is recognised).
    """

    message: str
    wrong: Callable | None = None
    fits: Callable | None = None
    uses: tuple = ()


@dataclass(frozen=True)
class Exercise:
    """What one exercise asks for, and the mistakes it knows by name."""

    title: str
    cases: tuple
    right: Callable
    mistakes: tuple = ()
    array: bool = False  # the answer is a numpy array: a list or tuple is named
    read: Callable = field(default=lambda value: as_numbers(value))
    success: str = "Right on every case."
    hint: str = ""
    describe: Callable = field(default=lambda case: _case_text(case))
    explain: Callable | None = None  # (case, got, want) -> a message, or None
    crash_hints: tuple = ()  # (text in the error, what it means) pairs
    probes: tuple = ()  # (case, other case, message): alike where they must differ


def as_numbers(value):
    """The learner's answer as a float array, or :class:`Problem` saying why not.

    Examples
    --------
    >>> as_numbers([1, 2.5]).tolist()
    [1.0, 2.5]
    """
    if isinstance(value, (str, bytes)):
        raise Problem(f"Your function returned text ({value!r}), not numbers.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Problem(
            f"Your function returned a {type(value).__name__}, which is not an array of numbers."
        ) from None
    if np.isnan(array).any():
        raise Problem("Your function returned NaN (not a number) for some inputs.")
    return array


def same(a, b) -> bool:
    """Whether two answers agree: equal words, or numbers of one shape within tolerance.

    Examples
    --------
    >>> same([1.0, 2.0], np.array([1.0, 2.0 + 1e-12])), same("saddle", "minimum")
    (True, False)
    """
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


def _call(function, args, strict=True):
    """``("ok", value)`` or ``("error", exception)``; strictly, a warning is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error" if strict else "ignore")
        with np.errstate(all="raise" if strict else "ignore"):
            try:
                return "ok", function(*args)
            except NotImplementedError:
                if strict:
                    raise NotYetImplemented from None
                return "error", NotImplementedError()
            except Exception as error:  # noqa: BLE001 - the learner's code may raise anything
                return "error", error


def _read(exercise, outcome):
    if outcome[0] != "ok":
        return outcome
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            value = outcome[1]
            if exercise.array and isinstance(value, (list, tuple)):
                value = as_numbers(value)  # compared as numbers, named in run_check
            return "ok", exercise.read(value)
        except Problem as problem:
            return "problem", problem


def _run_all(exercise, function):
    """Every case's outcome and the type of a list or tuple answered where an array is
    asked for (or None); or a message for what stops the check at once."""
    outcomes, listed = [], None
    for case in exercise.cases:
        copies = [_copy(a) for a in case]
        outcome = _call(function, copies)
        if any(
            isinstance(a, np.ndarray) and not np.array_equal(a, c)
            for a, c in zip(case, copies)
        ):
            return None, None, _CHANGED
        if outcome[0] == "ok" and outcome[1] is None:
            return None, None, _NONE
        if exercise.array and isinstance(outcome[1], (list, tuple)):
            listed = listed or type(outcome[1]).__name__
        outcome = _read(exercise, outcome)
        if outcome[0] == "problem":
            return None, None, str(outcome[1])
        outcomes.append(outcome)
    return outcomes, listed, None


def _alike(mine, theirs, strict) -> bool:
    """Same answer; or both crashed (with the same error when no answer is evidence)."""
    if mine[0] != theirs[0]:
        return False
    if mine[0] == "error":
        same_error = type(mine[1]) is type(theirs[1]) and str(mine[1]) == str(theirs[1])
        return same_error or not strict
    return same(mine[1], theirs[1])


def _named(exercise, outcomes):
    """The message of the first mistake that behaves like the learner on every case."""
    answers = [o[1] if o[0] == "ok" else None for o in outcomes]
    strict = all(a is None for a in answers)
    for mistake in exercise.mistakes:
        if mistake.uses:
            continue  # a forbidden shortcut is found by its name, in _shortcut
        if mistake.fits is not None:
            if all(a is not None for a in answers) and mistake.fits(
                exercise.cases, answers
            ):
                return mistake.message
            continue
        theirs = [
            _read(exercise, _call(mistake.wrong, [_copy(a) for a in c], strict=False))
            for c in exercise.cases
        ]
        if all(_alike(m, t, strict) for m, t in zip(outcomes, theirs)):
            return mistake.message
    return None


def _names(function, seen) -> set:
    """The names ``function`` calls or reads: ``np.mean`` and ``values.mean()`` read ``mean``.

    Inner functions count, and so do the helpers it calls from its own module (the
    notebook's other functions, itself included), by what they read, not by their
    own names. An alias (``from numpy import mean as avg``) adds the name of what it
    stands for. Read from the bytecode, so that an attribute ``np.mean`` is never
    mistaken for the learner's own function ``mean``.

    Examples
    --------
    >>> sorted(_names(lambda v: np.mean(v) + v.std(), set()))
    ['mean', 'np', 'std']
    """
    code = getattr(function, "__code__", None)
    if not isinstance(code, types.CodeType):  # np.mean itself, say: its own name
        return {getattr(function, "__name__", "")}
    if code in seen:
        return set()
    seen.add(code)
    names, scope = set(), getattr(function, "__globals__", {})
    for step in (s for c in _codes(code) for s in dis.get_instructions(c)):
        if step.opname in ("LOAD_ATTR", "LOAD_METHOD", "IMPORT_NAME", "IMPORT_FROM"):
            names.add(step.argval)
        elif step.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            value = scope.get(step.argval)
            if inspect.isfunction(value) and value.__module__ == function.__module__:
                names |= _names(value, seen)
            else:
                names.add(step.argval)
                if callable(value):  # an alias counts by the name of what it is
                    names.add(getattr(value, "__name__", step.argval))
    return names


def _codes(code):
    """``code`` and the code of every function or comprehension written inside it."""
    inner = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return [code, *(c for i in inner for c in _codes(i))]


def _shortcut(exercise, function):
    """The message of the first forbidden shortcut the learner's code uses, or None."""
    names = _names(function, set())
    rows = (m for m in exercise.mistakes if m.uses and names & set(m.uses))
    return next((m.message for m in rows), None)


_LIBRARY = tuple(
    str(Path(p).resolve())
    for p in (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"])
) + (str(Path(__file__).resolve().parent.parent),)


def _crash(exercise, error) -> str:
    """A crash in plain words, quoting the learner's own line that failed."""
    text = f"{type(error).__name__}: {error}"
    frames = traceback.extract_tb(error.__traceback__)[1:]  # [0] is _call itself
    own = [
        f for f in frames if not str(Path(f.filename).resolve()).startswith(_LIBRARY)
    ]
    line = own[-1].line.strip() if own and own[-1].line else ""
    where = f", at the line\n    {line}\n" if line else ". "
    advice = next(
        (meaning for clue, meaning in exercise.crash_hints if clue in text),
        "Read the error, fix that line, run its cell and check again.",
    )
    return f"Your function raised {text}{where}{advice}"


def _case_text(case) -> str:
    return "the inputs (" + ", ".join(_show(a) for a in case) + ")"


def _show(answer) -> str:
    if isinstance(answer, (str, bool, np.bool_)):
        return repr(answer) if isinstance(answer, str) else str(bool(answer))
    return str(np.round(np.asarray(answer, dtype=float), 4).tolist())


def _mismatch(exercise, outcomes, rights) -> str:
    k = next(i for i, (o, r) in enumerate(zip(outcomes, rights)) if not same(o[1], r))
    case, got, want = exercise.cases[k], outcomes[k][1], rights[k]
    if exercise.explain is not None:
        message = exercise.explain(case, np.asarray(got), np.asarray(want))
        if message:
            return message
    where = exercise.describe(case)
    if np.shape(got) != np.shape(want):
        return f"For {where} the answer has shape {np.shape(want)}; yours has shape {np.shape(got)}."
    return (
        f"Not yet right for case {k + 1} of {len(rights)}, {where}: expected "
        f"{_show(want)}, got {_show(got)}. {exercise.hint}"
    ).strip()


def _probe(exercise, function, first, second) -> bool:
    """Whether ``function`` answers two cases alike although their right answers differ."""
    a, b = (_read(exercise, _call(function, c, strict=False)) for c in (first, second))
    rights = [exercise.read(exercise.right(*c)) for c in (first, second)]
    return a[0] == b[0] == "ok" and same(a[1], b[1]) and not same(*rights)


def _diagnose(exercise, function, outcomes):
    """What is wrong, in words: None when every answer is right."""
    rights = [exercise.read(exercise.right(*map(_copy, c))) for c in exercise.cases]
    if all(o[0] == "ok" and same(o[1], r) for o, r in zip(outcomes, rights)):
        return None
    named = _named(exercise, outcomes)
    if named is not None:
        return named
    crash = next((o[1] for o in outcomes if o[0] == "error"), None)
    if crash is not None:
        return _crash(exercise, crash)
    shapes_right = all(np.shape(o[1]) == np.shape(r) for o, r in zip(outcomes, rights))
    for first, second, message in exercise.probes if shapes_right else ():
        if _probe(exercise, function, first, second):
            return message
    return _mismatch(exercise, outcomes, rights)


def run_check(exercise: Exercise, function) -> Feedback:
    """Run the learner's ``function`` through ``exercise``; say what is right or wrong.

    Examples
    --------
    >>> double = Exercise(
    ...     "Double",
    ...     cases=((1.0,), (2.5,)),
    ...     right=lambda v: 2 * v,
    ...     mistakes=(Mistake("You squared v.", wrong=lambda v: v * v),),
    ... )
    >>> run_check(double, lambda v: v + v).passed
    True
    >>> print(run_check(double, lambda v: v**2).message)
    You squared v.
    """

    def verdict(passed, message, not_yet=False):
        return Feedback(passed, message, title=exercise.title, not_yet=not_yet)

    if not callable(function):
        return verdict(
            False, f"Expected a function, but got {type(function).__name__}."
        )
    try:
        outcomes, listed, stop = _run_all(exercise, function)
    except NotYetImplemented:
        return verdict(False, NOT_YET, not_yet=True)
    message = stop or _shortcut(exercise, function)
    if message is None:
        message = _diagnose(exercise, function, outcomes)
        if message is None and listed is None:
            return verdict(True, exercise.success)
        if message is None:
            message = _LIST.format(kind=listed)
        elif listed is not None:
            message += _ALSO_LIST.format(kind=listed)
    return verdict(False, message)
