"""The explorer tells the truth on any data and any surface (issue 8).

A matrix: data sets (offsets, scales, a perfect line, two points, n = 5000) and
the other surfaces × η at 0.5, 0.95 and 1.1 × the critical rate × every preset
a surface offers.  Every status line, critical label and map is held against
a computation written here from the definitions, not the library's code: the
best fit from centred sums, the Hessian from its formula, gradient descent
stepped by hand, and "converged" as L − L* ≤ 10⁻⁶ (L₀ − L*) (on a non-convex
surface, the same gap measured by the local curvature, ½ gᵀ|H|⁻¹g) and every
parameter within 10⁻³ of the start's own offset plus 10⁻⁶ of the map's width
(the offset θ − θ*, or on a non-convex surface the Newton step H⁻¹g).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdlab
from gdlab.widgets import DescentExplorer
from gdlab.widgets.presets import default_start

TOL = 1e-6
BASE = gdlab.make_observations(n=30, seed=0)
LINE_X = np.linspace(-3.0, 7.0, 12)


def _datasets():
    x, y = BASE.x, BASE.y
    big = gdlab.make_observations(n=5000, seed=3)
    return {
        "lesson": (x, y),
        "y + 1e3": (x, y + 1e3),
        "y + 1e8": (x, y + 1e8),
        "x × 1e-9": (x * 1e-9, y),
        "x × 1e6": (x * 1e6, y),
        "x + 1e4": (x + 1e4, y),
        "negative slope, y × 1000": (x, -1000.0 * y),
        "perfect line": (LINE_X, 2.0 * LINE_X + 1.0),
        "two points": (np.array([0.0, 1.0]), np.array([1.0, 3.0])),
        "n = 5000": (big.x, big.y),
    }


DATA = _datasets()


# -- independent truth for a line's MSE -------------------------------------------


class LineTruth:
    """Best fit, Hessian and gradient descent of a line's MSE, from the formulas."""

    def __init__(self, x, y):
        self.x, self.y = np.asarray(x, float), np.asarray(y, float)
        # The map's widths: what "on the map's own scale" is measured against.
        self.widths = np.array([h - lo for lo, h in gdlab.LinearMSE(x, y).window()])
        xc, yc = self.x.mean(), self.y.mean()
        u, v = self.x - xc, self.y - yc
        self.m = float(np.sum(u * v) / np.sum(u * u))
        self.b = float(yc - self.m * xc)
        self.hessian = 2 * np.array(
            [[np.mean(self.x**2), np.mean(self.x)], [np.mean(self.x), 1.0]]
        )
        values, self.vectors = np.linalg.eigh(self.hessian)
        self.critical = 2.0 / values[-1]
        # κ from the centred form (the raw matrix loses λ_min to rounding).
        self.kappa = _kappa_of_line(self.x)

    def loss(self, m, b):
        return float(np.mean((self.y - (m * self.x + b)) ** 2))

    def gap(self, theta):
        d = np.asarray(theta, float) - (self.m, self.b)
        return float(0.5 * d @ self.hessian @ d)

    def gradient(self, theta):
        m, b = theta
        r = (m * self.x + b) - self.y
        return np.array([2 * np.mean(self.x * r), 2 * np.mean(r)])

    def descend(self, start, eta, steps):
        """(status, steps taken) by hand: same stopping rules, written again."""
        theta = np.asarray(start, float)
        gap0, loss0 = self.gap(theta), self.loss(*theta)
        bound = _settled_bound(theta - (self.m, self.b), self.widths)
        for k in range(steps + 1):
            offset = np.abs(theta - (self.m, self.b))
            if self.gap(theta) <= TOL * gap0 and np.all(offset <= bound):
                return "converged", k
            if k == steps:
                return "max_steps", k
            theta = theta - eta * self.gradient(theta)
            if (
                not np.isfinite(theta).all()
                or abs(self.loss(*theta) - loss0) > 1e8 * gap0
            ):
                return "diverged", k + 1
        raise AssertionError("unreachable")


def _settled_bound(start_offset, widths):
    """Per parameter: how close to the minimum counts as there (√TOL = 10⁻³)."""
    root = math.sqrt(TOL)
    return root * (np.abs(start_offset) + root * np.asarray(widths))


def _kappa_of_line(x):
    # H = 2[[E x², x̄], [x̄, 1]]: trace and determinant, det = 2²·var(x) exactly.
    trace = 2 * (np.mean(x**2) + 1)
    det = 4 * np.var(x)
    low = det / (trace / 2 + math.sqrt(max((trace / 2) ** 2 - det, 0.0)))
    high = trace - low
    return high / low


@pytest.fixture(scope="module", params=list(DATA), ids=list(DATA))
def line_case(request):
    x, y = DATA[request.param]
    return request.param, LineTruth(x, y), DescentExplorer(x, y, steps=2000)


# -- the map ------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATA))
def test_map_holds_the_minimum_and_the_start(name):
    truth = LineTruth(*DATA[name])
    surface = gdlab.LinearMSE(*DATA[name])
    (m_low, m_high), (b_low, b_high) = surface.window()
    for m, b in [(truth.m, truth.b), default_start(surface)]:
        assert m_low <= m <= m_high and b_low <= b <= b_high
    # The minimum is well inside, not on an edge: at least a quarter in from each.
    assert (
        m_low + 0.25 * (m_high - m_low) <= truth.m <= m_high - 0.25 * (m_high - m_low)
    )
    # The window is sized by the data's spread, not by how far they are from 0.
    spread = np.ptp(truth.y) + abs(truth.m) * np.ptp(truth.x)
    height = b_high - b_low - (m_high - m_low) * abs(np.mean(truth.x))
    assert height <= 10 * spread


@pytest.mark.parametrize(
    "name, transform",
    [
        ("y + 1e8", lambda x, y: (x, y + 1e8)),
        ("y × 1000", lambda x, y: (x, 1000 * y)),
        ("y × −3", lambda x, y: (x, -3 * y)),
        ("x × 1e-9", lambda x, y: (x * 1e-9, y)),
        ("x × 1e6", lambda x, y: (x * 1e6, y)),
    ],
)
def test_map_of_transformed_data_is_the_transformed_map(name, transform):
    x, y = BASE.x, BASE.y
    (m0, m1), (b0, b1) = gdlab.LinearMSE(x, y).window()
    (n0, n1), (c0, c1) = gdlab.LinearMSE(*transform(x, y)).window()
    # Map the original window's corners through the same change of data.
    if name.startswith("y + "):
        expected = ((m0, m1), (b0 + 1e8, b1 + 1e8))
    elif name.startswith("y × "):
        factor = 1000.0 if "1000" in name else -3.0
        ms, bs = sorted([m0 * factor, m1 * factor]), sorted([b0 * factor, b1 * factor])
        expected = (tuple(ms), tuple(bs))
    else:
        scale = 1e-9 if "-9" in name else 1e6
        expected = ((m0 / scale, m1 / scale), (b0, b1))
    np.testing.assert_allclose([n0, n1], expected[0], rtol=1e-6)
    np.testing.assert_allclose([c0, c1], expected[1], rtol=1e-6, atol=1e-6 * (b1 - b0))


def test_explorer_map_shows_the_minimum_and_start(line_case):
    _, truth, ex = line_case
    (m_low, m_high), (b_low, b_high) = ex.frame.window
    for m, b in [(truth.m, truth.b), ex._default_start]:
        assert m_low <= m <= m_high and b_low <= b <= b_high


# -- status lines and critical labels over η ------------------------------------------


@pytest.mark.parametrize("factor", [0.5, 0.95, 1.1])
def test_status_and_label_at_each_learning_rate(line_case, factor):
    name, truth, ex = line_case
    start = ex._default_start
    with ex.quiet():
        ex.start_m.value, ex.start_b.value = start
        ex.steps.value = 2000
    ex.learning_rate.value = factor * truth.critical
    eta = ex.learning_rate.value
    assert eta == pytest.approx(factor * truth.critical, rel=1e-9)

    # The critical label: the true 2/λ_max, called exact, and η's side of it.
    label = ex.critical_label.value
    assert f"{truth.critical:.3g}" in label and "2/λ_max =" in label
    assert ("above" if factor > 1 else "below") in label

    status, taken = truth.descend(start, eta, 2000)
    assert ex.run.status == status, name
    assert abs(ex.run.steps_taken - taken) <= 1
    ex.step.value = ex.step.max
    text = ex.status_text()
    k = ex.run.steps_taken
    assert text.startswith(f"step {k} ")
    # The loss shown is the loss at that θ (4 significant digits).
    shown = float(text.split("L = ")[1].split()[0])
    assert shown == pytest.approx(truth.loss(*ex.run.params[k]), rel=1e-3)
    if status == "converged":
        assert text.endswith(
            f"converged after {k} step{'s' * (k != 1)}: at the minimum"
        )
        assert truth.gap(ex.run.final) <= TOL * truth.gap(start) * 1.01
    elif status == "diverged":
        assert f"diverged at step {ex.run.diverged_at}" in text
        assert f"critical value 2/λ_max = {truth.critical:.3g}" in text
    else:
        assert "converged" not in text and "(stopped after 2000 steps" in text
        # Steps are at their maximum: never "add steps", but a larger η while
        # there is room below the critical rate, else a rounder bowl.
        assert "add steps" not in text
        if eta <= 0.9 * truth.critical:
            assert "larger learning rate, below the critical value" in text
        else:
            assert "standardise x" in text and "lesson" not in text
        assert truth.gap(ex.run.final) > TOL * truth.gap(start)


def test_kappa_warning_when_the_valley_is_too_long(line_case):
    _, truth, ex = line_case
    ex.learning_rate.value = 0.5 * truth.critical
    warned = "Standardise" in ex.warning.value
    if truth.kappa > 1e9:
        assert warned
    elif truth.kappa < 1e7:
        assert not warned


# -- presets: each shows what it says -------------------------------------------------


def _oscillates(params, centre, vector):
    side = np.sign((params - centre) @ vector)
    return bool(np.all(side[1:] * side[:-1] < 0))


def test_every_preset_shows_what_it_says_on_a_line(line_case):
    name, truth, ex = line_case
    offered = set(ex.presets)
    assert {"too small", "oscillates", "diverges"} <= offered
    if truth.kappa < 200:  # a round-enough bowl converges within 2000 steps
        assert {"good", "far start"} <= offered
    top = truth.vectors[:, -1]
    for preset in ex.presets.values():
        ex.apply_preset(preset.name)
        run = ex.run
        start = run.params[0]
        status, taken = truth.descend(start, run.learning_rate, preset.steps)
        assert run.status == status and abs(run.steps_taken - taken) <= 1
        ex.step.value = ex.step.max
        text = ex.status_text()
        if preset.shows == "converges":
            assert status == "converged" and "at the minimum" in text
        elif preset.shows == "crawls":
            assert status == "max_steps" and np.all(np.diff(run.losses) < 0)
            assert truth.gap(run.final) > 1e-3 * truth.gap(start)
        elif preset.shows == "oscillates":
            assert status != "diverged"
            assert _oscillates(run.params, (truth.m, truth.b), top)
            assert run.learning_rate < truth.critical
        elif preset.shows == "diverges":
            assert status == "diverged" and run.learning_rate > truth.critical
            assert "above the critical value" in text
        else:
            raise AssertionError(f"{name}: unexpected preset {preset}")


# -- the other surfaces ---------------------------------------------------------------


def _two_valleys_truth(tilt):
    def gradient(t):
        return np.array([4 * t[0] * (t[0] ** 2 - 1) + tilt, t[1]])

    def hessian(t):
        return np.diag([12 * t[0] ** 2 - 4, 1.0])

    def loss(t):
        return (t[0] ** 2 - 1) ** 2 + tilt * t[0] + 0.5 * t[1] ** 2

    # Critical points: θ₂ = 0 and the cubic's roots, by bisection on each bracket.
    roots = []
    grid = np.linspace(-2, 2, 4001)
    values = 4 * grid * (grid**2 - 1) + tilt
    for i in np.flatnonzero(np.sign(values[1:]) != np.sign(values[:-1])):
        lo, hi = grid[i], grid[i + 1]
        for _ in range(80):
            mid = (lo + hi) / 2
            if np.sign(4 * mid * (mid**2 - 1) + tilt) == np.sign(
                4 * lo * (lo**2 - 1) + tilt
            ):
                lo = mid
            else:
                hi = mid
        roots.append(np.array([(lo + hi) / 2, 0.0]))
    return loss, gradient, hessian, roots


def _saddle_truth(up, down):
    return (
        lambda t: 0.5 * (up * t[0] ** 2 - down * t[1] ** 2),
        lambda t: np.array([up * t[0], -down * t[1]]),
        lambda t: np.diag([up, -down]),
        [np.zeros(2)],
    )


OTHERS = {
    "Saddle()": (gdlab.Saddle(), _saddle_truth(1.0, 1.0), True),
    "Saddle(2, 0.5)": (gdlab.Saddle(2.0, 0.5), _saddle_truth(2.0, 0.5), True),
    "TwoValleys()": (gdlab.TwoValleys(), _two_valleys_truth(0.3), False),
    "TwoValleys(-0.5)": (gdlab.TwoValleys(-0.5), _two_valleys_truth(-0.5), False),
}


def _local_gap(gradient, hessian, t):
    g = gradient(t)
    values, vectors = np.linalg.eigh(hessian(t))
    sizes = np.maximum(np.abs(values), 1e-12 * np.abs(values).max())
    return 0.5 * float(((vectors.T @ g) ** 2 / sizes).sum())


def _newton_step(gradient, hessian, t):
    """θ minus the critical point of the quadratic matching the surface at θ: H⁻¹g."""
    values, vectors = np.linalg.eigh(hessian(t))
    sizes = np.maximum(np.abs(values), 1e-12 * np.abs(values).max())
    return vectors @ (
        (vectors.T @ gradient(t)) / (np.where(values < 0, -1.0, 1.0) * sizes)
    )


def _walk(truth, start, eta, steps, widths):
    loss, gradient, hessian, _ = truth
    theta = np.asarray(start, float)
    gap0, loss0 = _local_gap(gradient, hessian, theta), loss(theta)
    bound = _settled_bound(_newton_step(gradient, hessian, theta), widths)
    for k in range(steps + 1):
        near = np.all(np.abs(_newton_step(gradient, hessian, theta)) <= bound)
        if _local_gap(gradient, hessian, theta) <= TOL * gap0 and near:
            return "converged", k, theta
        if k == steps:
            return "max_steps", k, theta
        with np.errstate(all="ignore"):
            theta = theta - eta * gradient(theta)
            value = loss(theta)
        if not np.isfinite(theta).all() or not abs(value - loss0) <= 1e8 * gap0:
            return "diverged", k + 1, theta
    raise AssertionError("unreachable")


@pytest.fixture(scope="module", params=list(OTHERS), ids=list(OTHERS))
def other_case(request):
    surface, truth, quadratic = OTHERS[request.param]
    return (
        request.param,
        surface,
        truth,
        quadratic,
        DescentExplorer(surface=surface, steps=500),
    )


@pytest.mark.parametrize("factor", [0.5, 0.95, 1.1])
def test_other_surfaces_status_and_label(other_case, factor):
    name, _surface, truth, quadratic, ex = other_case
    loss, _gradient, hessian, critical_points = truth
    start = np.array(ex._default_start)
    with ex.quiet():
        ex.start_m.value, ex.start_b.value = start
    top = np.linalg.eigvalsh(hessian(start))[-1]
    critical = 2 / top
    ex.learning_rate.value = factor * critical
    label = ex.critical_label.value
    assert f"{critical:.3g}" in label
    assert ("local" in label) == (not quadratic)
    widths = [high - low for low, high in _surface.window()]
    status, taken, end = _walk(truth, start, ex.learning_rate.value, 500, widths)
    assert ex.run.status == status and abs(ex.run.steps_taken - taken) <= 1, name
    ex.step.value = ex.step.max
    text = ex.status_text()
    assert "the minimum" not in text  # never "the" minimum off a bowl
    assert "converging" not in text  # a falling loss is "descending" here
    if status == "converged":
        nearest = min(critical_points, key=lambda p: np.linalg.norm(p - end))
        kind = np.linalg.eigvalsh(hessian(nearest))
        if kind.min() > 0:
            lowest = min(
                loss(p)
                for p in critical_points
                if np.linalg.eigvalsh(hessian(p)).min() > 0
            )
            if loss(nearest) <= lowest + 1e-12:
                assert "at the global minimum" in text
            else:
                assert "local minimum" in text
        else:
            assert "saddle point" in text and "not a minimum" in text
    elif status == "diverged":
        falling = loss(ex.run.params[-1]) < loss(start)
        assert ("ran off downhill" in text) == falling


def test_other_surfaces_presets_show_what_they_say(other_case):
    name, _surface, truth, _, ex = other_case
    loss, _gradient, hessian, critical_points = truth
    assert ex.presets, f"{name} offers no preset"
    assert "diverges" not in ex.presets  # a saddle or two valleys are no bowl
    minima = [p for p in critical_points if np.linalg.eigvalsh(hessian(p)).min() > 0]
    for preset in ex.presets.values():
        ex.apply_preset(preset.name)
        widths = [high - low for low, high in _surface.window()]
        status, _, end = _walk(
            truth, ex.run.params[0], ex.run.learning_rate, preset.steps, widths
        )
        assert ex.run.status == status
        ex.step.value = ex.step.max
        text = ex.status_text()
        if preset.shows == "stalls at a saddle":
            assert status == "converged" and np.linalg.norm(end) < 1e-2
            assert "saddle point" in text and "not a minimum" in text
        elif preset.shows == "escapes a saddle":
            assert status == "diverged" and "ran off downhill" in text
        elif preset.shows in ("local minimum", "global minimum"):
            assert status == "converged"
            nearest = min(minima, key=lambda p: np.linalg.norm(p - end))
            deepest = min(minima, key=loss)
            assert (nearest is deepest) == (preset.shows == "global minimum")
            assert ("local minimum" in text) == (preset.shows == "local minimum")
        else:
            raise AssertionError(f"{name}: unexpected preset {preset}")


def test_bowl_of_features_is_a_bowl_too():
    z = (BASE.x - BASE.x.mean()) / BASE.x.std()
    surface = gdlab.FeatureMSE(np.column_stack([np.ones_like(z), z]), BASE.y)
    ex = DescentExplorer(surface=surface)
    assert set(ex.presets) == {
        "too small",
        "good",
        "oscillates",
        "diverges",
        "far start",
    }
    ex.apply_preset("good")
    ex.step.value = ex.step.max
    assert ex.status_text().endswith("at the minimum")
    ex.close()


# -- words -----------------------------------------------------------------------------


def test_plural_and_singular_steps():
    surface = gdlab.Parabola(1.0)
    one = gdlab.descend(surface, [2.0], learning_rate=1.0, steps=5)
    assert (
        gdlab.widgets.describe_step(one, 1, surface)
        == "converged after 1 step: at the minimum"
    )


def test_add_steps_only_below_the_maximum():
    ex = DescentExplorer(BASE.x, BASE.y, steps=50)
    ex.learning_rate.value = ex.learning_rate.value / 100
    ex.step.value = ex.step.max
    assert "add steps to go on" in ex.status_text()
    ex.steps.value = ex.steps.max
    ex.step.value = ex.step.max
    assert "add steps" not in ex.status_text()
    ex.close()


# -- the saddle rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    "eigenvalues, kind",
    [
        ([1.0, 2.0, 3.0], "minimum"),
        ([-1.0, -2.0], "maximum"),
        ([1.0, -1.0], "saddle"),
        ([1.0, -1.0, 0.0], "saddle"),  # mixed signs: a saddle whatever the zeros
        ([0.0, 5.0, -1e-3], "saddle"),
        ([1.0, 0.0], "degenerate"),
        ([-1.0, 0.0, 0.0], "degenerate"),
        ([1.0, 1e-14], "degenerate"),  # zero relative to the largest |eigenvalue|
        ([1e-20, 2e-20], "minimum"),  # tiny but all positive: still a minimum
    ],
)
def test_critical_points_are_classified_by_the_saddle_rule(eigenvalues, kind):
    rng = np.random.default_rng(len(eigenvalues))
    rotation, _ = np.linalg.qr(rng.standard_normal((len(eigenvalues),) * 2))
    hessian = rotation @ np.diag(eigenvalues) @ rotation.T
    assert gdlab.classify_critical_point(hessian) == kind


@pytest.mark.parametrize("eta", [0.25, 0.3, 0.35])
def test_a_run_that_bounces_is_not_called_descending(eta):
    # TwoValleys with a large η: the path never settles nor blows up.
    loss, gradient, _, _ = _two_valleys_truth(0.3)
    theta, losses = np.array([-1.3, 0.5]), []
    for _ in range(2001):
        losses.append(loss(theta))
        theta = theta - eta * gradient(theta)
    changes = np.diff(losses[-5:])
    assert (changes > 0).any() and (changes < 0).any()  # the loss rises and falls
    surface = gdlab.TwoValleys(0.3)
    run = gdlab.descend(surface, (-1.3, 0.5), eta, 2000)
    assert run.status == "max_steps"
    text = gdlab.widgets.describe_step(run, 2000, surface, can_add_steps=False)
    assert text.startswith("bouncing") and "smaller learning rate" in text


def test_feature_bowl_map_follows_the_data():
    z = (BASE.x - BASE.x.mean()) / BASE.x.std()
    X = np.column_stack([z, np.ones_like(z)])
    (m0, m1), (b0, b1) = gdlab.FeatureMSE(X, BASE.y).window()
    (n0, n1), (c0, c1) = gdlab.FeatureMSE(X, BASE.y + 1e8).window()
    np.testing.assert_allclose([n0, n1], [m0, m1], rtol=1e-6)
    np.testing.assert_allclose([c0 - 1e8, c1 - 1e8], [b0, b1], atol=1e-6 * (b1 - b0))
    (n0, n1), (c0, c1) = gdlab.FeatureMSE(X, 1000 * BASE.y).window()
    np.testing.assert_allclose([n0, n1, c0, c1], [1000 * v for v in (m0, m1, b0, b1)])
    # Standardised z: H = 2I, a round bowl, a square window.
    assert m1 - m0 == pytest.approx(b1 - b0)
