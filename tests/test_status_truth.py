"""Every status word is true at every step, on many data sets and every surface (issue 19).

Each preset of each surface is walked step by step, and the words the explorer
shows at each step (:func:`gdlab.narration.step_status`, the same function the
explorer calls) are held against numbers computed here, independently of the
library: the Hessian from its formula and its eigen-decomposition, the best
fit from centred sums, the component of θ − θ* across the valley (along the
Hessian's top eigenvector), its sign and its size, and the distance of every
parameter to θ*.

What the words must mean:

* "oscillating" exactly when the step crossed the valley floor by more than
  rounding: the across-valley component changed sign and both sizes are above
  the floor ``10⁻⁶·|c₀| + 256·eps·|θ|``.  (Cases within a factor 2 of the
  floor are not judged either way; none of the presets' comes close.)
  On a quadratic below η = 1/λ_max, never.
* "converged" only on the last step of a run, and only when the gap has
  fallen to 10⁻⁶ of the start's and every parameter is within 10⁻³ of its
  start's offset (plus 10⁻⁶ of the map's width) from θ*.
* "diverging" only while the loss has grown two steps running and is above
  the start's; never below the critical rate on a bowl, nor "bouncing".
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdlab
from gdlab.narration import step_status
from gdlab.widgets.presets import default_start, presets_for

TOL = 1e-6
EPS = np.finfo(float).eps
BASE = gdlab.make_observations(n=30, seed=0)
WIDE = gdlab.make_observations(n=50, x_range=(0.0, 100.0), seed=0)

LINES = {
    "lesson": (BASE.x, BASE.y),
    "y + 1e8": (BASE.x, BASE.y + 1e8),
    "x + 1000": (BASE.x + 1000.0, BASE.y),
    "x × 1e-3": (BASE.x * 1e-3, BASE.y),
    "x × 1e3": (BASE.x * 1e3, BASE.y),
    "negative slope": (BASE.x, -3.0 * BASE.y),
    "x over [0, 100]": (WIDE.x, WIDE.y),
}


# -- independent truth ----------------------------------------------------------


class BowlTruth:
    """θ*, the Hessian and its top eigenvector of a quadratic bowl, from formulas."""

    def __init__(self, hessian, minimum, loss, widths):
        self.hessian = np.asarray(hessian, float)
        self.minimum = np.asarray(minimum, float)
        self.loss = loss
        self.widths = np.asarray(widths, float)
        values, vectors = np.linalg.eigh(self.hessian)
        self.top_value, self.across = values[-1], vectors[:, -1]

    @classmethod
    def of_line(cls, x, y):
        x, y = np.asarray(x, float), np.asarray(y, float)
        u, v = x - x.mean(), y - y.mean()
        m = float(np.sum(u * v) / np.sum(u * u))
        b = float(y.mean() - m * x.mean())
        hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
        widths = [h - lo for lo, h in gdlab.LinearMSE(x, y).window()]
        return cls(
            hessian, (m, b), lambda t: np.mean((y - t[0] * x - t[1]) ** 2), widths
        )

    def offsets(self, params):
        return np.asarray(params, float) - self.minimum

    def component(self, params):
        return self.offsets(params) @ self.across


def _floor(c0, *points):
    size = max(float(np.max(np.abs(p))) for p in points)
    return 1e-6 * abs(c0) + 256 * EPS * size


def _crossing_truth(c, params, k):
    """True, False, or None (within a factor 2 of the floor: not judged)."""
    floor = _floor(c[0], params[k - 1], params[k], params[0])
    smaller = min(abs(c[k - 1]), abs(c[k]))
    if c[k - 1] * c[k] >= 0 or smaller < floor / 2:
        return False
    return True if smaller > 2 * floor else None


def _gap(truth, theta):
    d = truth.offsets(theta)
    return 0.5 * d @ truth.hessian @ d


def _at_minimum(truth, run, k):
    """The definition of converged, from the formulas: the gap and every parameter."""
    root = math.sqrt(TOL)
    start = np.abs(truth.offsets(run.params[0]))
    bound = root * (start + root * truth.widths) * (1 + 1e-9)
    near = np.all(np.abs(truth.offsets(run.params[k])) <= bound)
    return (
        near and _gap(truth, run.params[k]) <= TOL * _gap(truth, run.params[0]) * 1.01
    )


# -- walking a run -----------------------------------------------------------------


def _check_bowl_step(truth, run, k, c, head):
    """The status at step k of a run on a bowl, against the truth."""
    last = run.steps_taken
    eta = run.learning_rate
    if "converged" in head:
        assert k == last and run.status == "converged", head
        assert _at_minimum(truth, run, k), head
        assert "at the minimum" in head or "at a minimum" in head
        return
    if k == 0 or (k == last and run.status == "diverged"):
        return
    crossing = _crossing_truth(c, run.params, k)
    if crossing is not None:
        assert ("oscillating" in head) == crossing, (k, head, c[k - 1], c[k])
    if eta <= (1 + 1e-9) / truth.top_value:  # 1 − η·λ ≥ 0 in every direction
        assert "oscillating" not in head, (k, head)
    losses = [truth.loss(t) for t in run.params[max(k - 2, 0) : k + 1]]
    if "diverging" in head:
        assert losses[-1] > losses[-2] > losses[0] or (
            k == 1 and losses[-1] > losses[0]
        )
        assert run.losses[k] > run.losses[0]
    if eta < 2 / truth.top_value * (1 - 1e-9):
        assert not head.startswith(("diverging", "bouncing", "oscillating, growing"))
        assert losses[-1] <= losses[-2] * (1 + 1e-12) + 1e-300


def _walk_bowl(surface, truth, preset):
    run = gdlab.descend(surface, preset.start, preset.learning_rate, preset.steps)
    c = truth.component(run.params)
    heads = []
    for k in range(run.steps_taken + 1):
        head, _ = step_status(run, k, surface, can_add_steps=True)
        _check_bowl_step(truth, run, k, c, head)
        heads.append(head)
    return run, heads


def _check_outcome(preset, run, heads):
    """The last step names the preset's outcome."""
    end = heads[-1]
    if preset.shows == "converges":
        assert end.startswith("converged after") and "minimum" in end, end
    elif preset.shows == "crawls":
        assert "stopped after" in end and "converged" not in end, end
    elif preset.shows == "oscillates":
        assert end.startswith("oscillating"), end
    elif preset.shows == "diverges":
        assert end.startswith("diverged at step"), end
        # Its first step overshoots the floor by more than the start was off it.
        assert heads[1].startswith("oscillating"), heads[1]
        assert not any(h.startswith("converging") for h in heads[1:]), heads


@pytest.mark.parametrize("name", list(LINES))
def test_every_step_of_every_preset_on_a_line(name):
    x, y = LINES[name]
    surface = gdlab.LinearMSE(x, y)
    truth = BowlTruth.of_line(x, y)
    presets = presets_for(surface)
    assert {"too small", "oscillates", "diverges"} <= {p.name for p in presets}
    for preset in presets:
        run, heads = _walk_bowl(surface, truth, preset)
        _check_outcome(preset, run, heads)


def test_good_never_says_oscillating_below_one_over_lambda_max():
    """The issue's case: at η = 0.209 < 1/λ_max the across component is rounding noise."""
    surface = gdlab.LinearMSE(BASE.x, BASE.y)
    truth = BowlTruth.of_line(BASE.x, BASE.y)
    for name in ("good", "far start"):
        preset = next(p for p in presets_for(surface) if p.name == name)
        # "good" is half the critical rate: 1/λ_max itself, where 1 − η·λ_max = 0.
        assert preset.learning_rate <= (1 + 1e-9) / truth.top_value
        run, heads = _walk_bowl(surface, truth, preset)
        assert not any("oscillating" in h for h in heads), name
        # The noise is there: after a few steps the component's sign flips at random.
        c = truth.component(run.params)
        assert np.abs(c[10:]).max() < 1e-9 * abs(c[0])


def test_the_oscillates_preset_really_crosses_and_is_called_so():
    surface = gdlab.LinearMSE(BASE.x, BASE.y)
    truth = BowlTruth.of_line(BASE.x, BASE.y)
    preset = next(p for p in presets_for(surface) if p.name == "oscillates")
    run, heads = _walk_bowl(surface, truth, preset)
    c = truth.component(run.params)
    assert np.all(c[1:] * c[:-1] < 0)
    assert all(h.startswith("oscillating") for h in heads[1:])


def _feature_truth(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    hessian = 2 / len(y) * X.T @ X
    minimum = np.linalg.pinv(X) @ y  # the nearest minimum to 0 on a line of minima
    widths = [h - lo for lo, h in gdlab.FeatureMSE(X, y).window()]
    return BowlTruth(hessian, minimum, lambda t: np.mean((y - X @ t) ** 2), widths)


def test_every_step_on_a_feature_mse():
    X = np.column_stack([np.ones_like(BASE.x), BASE.x])
    surface = gdlab.FeatureMSE(X, BASE.y)
    truth = _feature_truth(X, BASE.y)
    for preset in presets_for(surface):
        run, heads = _walk_bowl(surface, truth, preset)
        _check_outcome(preset, run, heads)


def test_a_line_of_minima_is_called_a_minimum_not_the_minimum():
    """FeatureMSE with a singular XᵀX is convex with a line of minima."""
    X = np.column_stack([BASE.x, 2 * BASE.x])
    surface = gdlab.FeatureMSE(X, BASE.y)
    assert surface.convex and np.linalg.matrix_rank(X.T @ X) == 1
    rate = 2 / np.linalg.eigvalsh(2 / BASE.x.size * X.T @ X)[-1]
    run = gdlab.descend(surface, (3.0, -1.0), 0.3 * rate, 2000)
    head, detail = step_status(run, run.steps_taken, surface)
    assert run.status == "converged" and "at a minimum" in head
    assert "line of equally low minima" in detail
    # Across the line of minima (the part of θ − θ* that changes the fit),
    # every parameter is within 10⁻³ of the start's offset.
    across = np.linalg.pinv(X) @ X  # the projection onto XᵀX's range
    best = np.linalg.pinv(X) @ BASE.y
    start = np.abs(across @ (np.array([3.0, -1.0]) - best))
    assert np.all(
        np.abs(across @ (run.final - best)) <= 1e-3 * start * (1 + 1e-6) + 1e-6
    )


# -- converged means at the minimum, on x spread over [0, 100] -------------------------


def test_converged_means_every_parameter_is_at_the_minimum():
    x, y = WIDE.x, WIDE.y
    truth = BowlTruth.of_line(x, y)
    eta = 0.95 * 2 / truth.top_value
    run = gdlab.gradient_descent(
        x, y, start=(0.0, 0.0), learning_rate=eta, steps=100_000
    )
    assert run.status == "converged"
    b_star = truth.minimum[1]
    assert abs(run.final[1] - b_star) <= 1e-3 * abs(b_star) + 1e-6 * truth.widths[1]
    # A gap of 10⁻⁶ alone stops far earlier, with b still far off (the case).
    theta, gap0 = np.zeros(2), _gap(truth, np.zeros(2))
    gradient = lambda t: truth.hessian @ (t - truth.minimum)
    while _gap(truth, theta) > TOL * gap0:
        theta = theta - eta * gradient(theta)
    assert abs(theta[1] - b_star) > 50 * abs(run.final[1] - b_star)


@pytest.mark.parametrize("name", ["lesson", "x × 1e-3"])
def test_a_sweep_and_a_run_agree_on_converged(name):
    surface = gdlab.LinearMSE(*LINES[name])
    rate = surface.critical_rate().value
    rates = rate * np.array([0.05, 0.3, 0.5, 0.9, 0.99])
    start = default_start(surface)
    sweep = gdlab.learning_rate_sweep(surface, rates, start, max_steps=3000)
    for eta, steps, status in zip(rates, sweep.steps, sweep.statuses):
        run = gdlab.descend(surface, start, eta, 3000)
        assert run.status == status
        if status == "converged":
            assert run.steps_taken == steps


# -- the other surfaces ------------------------------------------------------------


def _saddle(up, down):
    return gdlab.Saddle(up, down), lambda t: np.diag([up, -down])


def _two_valleys(tilt):
    return gdlab.TwoValleys(tilt), lambda t: np.diag([12 * t[0] ** 2 - 4, 1.0])


OTHERS = {
    "Saddle()": _saddle(1.0, 1.0),
    "Saddle(2, 0.5)": _saddle(2.0, 0.5),
    "TwoValleys()": _two_valleys(0.3),
    "TwoValleys(-0.5)": _two_valleys(-0.5),
}


def _newton_offsets(surface, hessian, params):
    """θ minus the critical point of the matching quadratic, H⁻¹g, at each row."""
    rows = []
    for t in params:
        values, vectors = np.linalg.eigh(hessian(t))
        sizes = np.maximum(np.abs(values), 1e-12 * np.abs(values).max())
        signed = np.where(values < 0, -1.0, 1.0) * sizes
        rows.append(vectors @ ((vectors.T @ surface.gradient(t)) / signed))
    return np.array(rows)


@pytest.mark.parametrize("name", list(OTHERS))
def test_every_step_of_every_preset_on_other_surfaces(name):
    surface, hessian = OTHERS[name]
    for preset in presets_for(surface):
        run = gdlab.descend(surface, preset.start, preset.learning_rate, preset.steps)
        offsets = _newton_offsets(surface, hessian, run.params)
        for k in range(1, run.steps_taken + 1):
            head, _ = step_status(run, k, surface)
            assert not head.startswith("converging")  # no bowl: "descending"
            if "converged" in head:
                assert k == run.steps_taken
            elif k < run.steps_taken or run.status != "diverged":
                across = np.linalg.eigh(hessian(run.params[k]))[1][:, -1]
                crossing = _crossing_truth(offsets @ across, run.params, k)
                if crossing is not None:
                    assert ("oscillating" in head) == crossing, (name, k, head)
        end, _ = step_status(run, run.steps_taken, surface)
        expected = {
            "stalls at a saddle": "at a saddle point",
            "escapes a saddle": "ran off downhill",
            "local minimum": "at a local minimum",
            "global minimum": "at the global minimum",
        }[preset.shows]
        assert expected in end, (name, preset.name, end)


def test_a_saddle_above_two_over_the_curvature_does_not_stall():
    """Saddle's docstring: on the θ₁ axis it stalls only for η < 2/curvature_up."""
    surface = gdlab.Saddle(1.0, 1.0)
    assert gdlab.descend(surface, (1.5, 0.0), 1.5, 500).status == "converged"
    run = gdlab.descend(surface, (1.5, 0.0), 2.5, 500)
    assert run.status == "diverged"
    # Off the axis every η escapes, even far below 2/λ_max = 2.
    for eta in (0.01, 0.5, 1.9):
        escape = gdlab.descend(surface, (1.5, 0.01), eta, 5000)
        assert escape.status == "diverged" and escape.losses[-1] < escape.losses[0]


# -- the explorer shows these very words ----------------------------------------------


def test_the_explorer_sends_these_words_for_every_step():
    from gdlab.widgets import DescentExplorer

    ex = DescentExplorer(BASE.x, BASE.y)
    for name in ex.presets:
        ex.apply_preset(name)
        sent = ex.player.status_lines()
        assert len(sent) == ex.run.steps_taken + 1
        can_add = ex.steps.value < ex.steps.max
        for k, line in enumerate(sent):
            words, detail = step_status(ex.run, k, ex.surface, can_add_steps=can_add)
            shown, _, tooltip = line.partition("\t")
            assert shown.endswith(" · " + words) and tooltip == detail
    ex.close()


def _runs_of_every_kind():
    """Runs of every outcome on every surface: presets, and rules other than plain descent."""
    # Three of the lines (offsets and scales are the truth tests' business).
    lines = ("lesson", "x + 1000", "x over [0, 100]")
    surfaces = [gdlab.LinearMSE(*LINES[name]) for name in lines]
    surfaces += [surface for surface, _ in OTHERS.values()]
    parabola = gdlab.Parabola(1.0)
    for eta in (
        0.5,
        1.0,
        1.5,
        2.0,
        2.5,
    ):  # converges, in one step, crosses, cycles, grows
        yield parabola, gdlab.descend(parabola, [2.0], eta, 60)
    rules = [gdlab.Momentum(0.9), gdlab.Nesterov(0.9), gdlab.Adam(), gdlab.RMSProp()]
    for surface in surfaces:
        presets = presets_for(surface)
        for preset in presets:
            yield (
                surface,
                gdlab.descend(
                    surface, preset.start, preset.learning_rate, preset.steps
                ),
            )
        start, eta = presets[0].start, presets[0].learning_rate
        for rule in rules:
            yield surface, gdlab.descend(surface, start, eta, 300, rule=rule)


def test_every_steps_words_at_once_are_each_steps_words():
    from gdlab.narration import step_statuses

    kinds = set()
    for surface, run in _runs_of_every_kind():
        # Without a surface too: then the moves themselves are compared.
        for told, more in [(surface, True), (surface, False), (None, True)]:
            one_by_one = [
                step_status(run, k, told, can_add_steps=more)
                for k in range(run.steps_taken + 1)
            ]
            assert step_statuses(run, told, can_add_steps=more) == one_by_one
            kinds.update(head.split(" (")[0].split(":")[0] for head, _ in one_by_one)
    # The comparison covered every word a moving run can be given.
    moving = {"oscillating, growing", "diverging", "bouncing", "oscillating"}
    assert moving | {"converging", "descending", "ready"} <= kinds
