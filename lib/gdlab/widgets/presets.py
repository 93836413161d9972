"""The explorer's presets and its default start, worked out from what a surface says.

A preset is a setting of :class:`~gdlab.widgets.DescentExplorer` offered for
what it shows: "too small" crawls, "diverges" diverges.  Presets are the
explorer's vocabulary, not the surface's: :func:`presets_for` reads them from
what a surface knows (quadratic, convex, critical points and their kinds,
critical rate, window), never from its class, so a surface a lesson writes
gets the presets its shape deserves:

* a bowl (quadratic and convex): learning rates as multiples of the exact
  critical rate, from :func:`default_start` and from the window's far corner;
* a saddle with no minimum: a start on its upward axis (stalls) and one a
  hair off it (escapes);
* two minima and a pass: a start either side of the pass (where you start
  decides where you end);
* anything else: none (the explorer runs the cell's own settings).

Tests hold every preset to what it says it shows, on every surface.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["MOST_STEPS", "Preset", "default_start", "presets_for"]

# The explorer's step limit: the longest run its steps slider and a preset ask for.
MOST_STEPS = 2000


@dataclass(frozen=True)
class Preset:
    """A setting of the explorer defined by what it shows.

    ``shows`` is the outcome it is offered for, one of ``"crawls"`` (too
    small: still far from the minimum when the steps run out),
    ``"converges"``, ``"oscillates"`` (zig-zags across the valley),
    ``"diverges"``, ``"stalls at a saddle"``, ``"escapes a saddle"``,
    ``"local minimum"`` and ``"global minimum"``; tests hold each preset to it.
    """

    name: str
    learning_rate: float
    start: tuple[float, ...]
    steps: int
    shows: str


def default_start(surface) -> tuple[float, ...]:
    """Where the explorer starts a run unless told.

    For a surface that fits a line (``surface.fits_a_line``): a wrong line
    that is still in view, through (the middle of x, the largest y) and
    tilted against the best fit by a quarter of the data's rise over their
    run: inside the data panel, clearly wrong, and off the valley floor, so
    a large η zig-zags visibly (the line's window is made to hold it).  For
    any other surface, or when every y is the same: the upper left of the
    window.

    Examples
    --------
    >>> from gdlab import LinearMSE, Saddle
    >>> default_start(LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]))
    (-0.5, 5.5)
    >>> default_start(Saddle())
    (-1.2, 1.4)
    """
    if surface.fits_a_line:
        x, y = surface.x, surface.y
        x_span, y_span = float(np.ptp(x)), float(np.ptp(y))
        if y_span != 0:
            m = -math.copysign(0.25 * y_span / x_span, surface.minimum[0])
            b = float(y.max()) - m * (float(x.min()) + float(x.max())) / 2
            return (float(m), b)
    (low_1, high_1), (low_2, high_2) = surface.window()[:2]
    return (low_1 + 0.2 * (high_1 - low_1), low_2 + 0.85 * (high_2 - low_2))


def presets_for(surface) -> list[Preset]:
    """The explorer's presets for ``surface``, each showing there what it says.

    Read from what the surface says of itself (see the module's text); a
    surface with other than two parameters, or whose critical points are not
    known, gets none.

    Examples
    --------
    >>> from gdlab import LinearMSE, Saddle, TwoValleys
    >>> [p.name for p in presets_for(LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]))]
    ['too small', 'good', 'oscillates', 'diverges', 'far start']
    >>> [(p.name, p.start) for p in presets_for(Saddle())]
    [('stalls at the saddle', (1.5, 0.0)), ('escapes the saddle', (1.5, 0.01))]
    >>> [p.shows for p in presets_for(TwoValleys())]
    ['local minimum', 'global minimum']
    """
    if surface.n_parameters != 2:
        return []
    if surface.quadratic and surface.convex:
        return _bowl_presets(surface)
    points = surface.known_critical_points() or []
    minima = [p for p in points if p.kind == "minimum"]
    saddles = [p for p in points if p.kind == "saddle"]
    if len(minima) == 2 and len(saddles) == 1:
        return _two_valley_presets(surface, minima, saddles[0])
    if saddles and not minima:
        return _saddle_presets(surface, saddles[0])
    return []


def _bowl_presets(surface) -> list[Preset]:
    """The bowl's presets; "good" and "far start" only if they converge within the step limit."""
    rate = surface.critical_rate().value
    good_rate = 0.5 * rate
    start = default_start(surface)
    (low_1, _), (_, high_2) = surface.window()
    far = (low_1, high_2)
    good_steps = surface.steps_to_converge(good_rate, start, most=MOST_STEPS)
    far_steps = surface.steps_to_converge(good_rate, far, most=MOST_STEPS)
    presets = [Preset("too small", 0.004 * rate, start, 300, "crawls")]
    if good_steps is not None:
        presets.append(
            Preset("good", good_rate, start, _round_steps(good_steps), "converges")
        )
    presets.append(Preset("oscillates", 0.97 * rate, start, 60, "oscillates"))
    presets.append(Preset("diverges", 1.15 * rate, start, 200, "diverges"))
    if far_steps is not None:
        presets.append(
            Preset("far start", good_rate, far, _round_steps(far_steps), "converges")
        )
    return presets


def _saddle_presets(surface, saddle) -> list[Preset]:
    """Stall at the saddle (a start on the axis that curves up), or escape it (a hair off)."""
    point = np.asarray(saddle.point, dtype=float)
    rate = 0.3 * surface.critical_rate(point).value  # well below critical: no overshoot
    # The directions of least and greatest curvature: H's end eigenvectors.
    _, vectors = np.linalg.eigh(surface.hessian(point))
    down, up = _signed(vectors[:, 0]), _signed(vectors[:, -1])
    reach = _reach(surface.window(), point, up)
    on_axis = point + (3 * reach / 4) * up
    off_axis = on_axis + (reach / 200) * down
    return [
        Preset(
            "stalls at the saddle", rate, _point(on_axis), 100, "stalls at a saddle"
        ),
        Preset("escapes the saddle", rate, _point(off_axis), 200, "escapes a saddle"),
    ]


def _two_valley_presets(surface, minima, saddle) -> list[Preset]:
    """Two starts a little either side of the pass, high up the side: where you start decides."""
    rate = 0.4 * surface.critical_rate_at_minima()
    low, high = sorted(minima, key=lambda p: p.loss)
    deep, shallow = np.asarray(low.point), np.asarray(high.point)
    pass_point = np.asarray(saddle.point, dtype=float)
    along = deep - shallow
    across = _signed(np.array([-along[1], along[0]]) / np.hypot(*along))
    height = 4 * _reach(surface.window(), pass_point, across) / 5
    near = pass_point + 0.15 * (shallow - pass_point) + height * across
    far = pass_point + 0.15 * (deep - pass_point) + height * across
    return [
        Preset("ends in the shallow valley", rate, _point(near), 300, "local minimum"),
        Preset("ends in the deep valley", rate, _point(far), 300, "global minimum"),
    ]


def _signed(direction) -> np.ndarray:
    """``direction`` with its largest component made positive (one of its two signs)."""
    return direction if direction[np.argmax(np.abs(direction))] > 0 else -direction


def _reach(window, point, direction) -> float:
    """How far from ``point`` along ``direction`` the window's edge is."""
    steps = [
        ((high if d > 0 else low) - p) / d
        for (low, high), p, d in zip(window, point, direction)
        if d != 0
    ]
    return float(min(steps))


def _point(values) -> tuple[float, ...]:
    """``values`` as a preset's start: a tuple of Python floats."""
    return tuple(float(v) for v in values)


def _round_steps(needed: int) -> int:
    """A round number of steps, a fifth more than needed, at most the step limit."""
    return int(min(MOST_STEPS, max(50, 50 * np.ceil(1.2 * needed / 50))))
