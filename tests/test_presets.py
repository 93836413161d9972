"""The explorer's presets are read from what a surface says, never from its class.

``gdlab.widgets.presets.presets_for`` works out a surface's presets from its
shape (bowl, saddle, two valleys) and :meth:`gdlab.Surface.steps_to_converge`
is the closed form the bowl's presets count steps with.  Here both are held
to the truth on surfaces gdlab has never seen: ones written in this file, as
a lesson would write its own, turned and moved away from the origin.  The
outcome of each preset is checked by running :func:`gdlab.descend` and
comparing its end with critical points computed here, not by gdlab.
"""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab.widgets.presets import Preset, default_start, presets_for

RNG = np.random.default_rng(2026)


class ShiftedValleys(gdlab.Surface):
    """Two valleys along θ₂ (not θ₁), centred away from 0: ``(u² − 1)² + tilt·u + v²/2``.

    With ``u = θ₂ − c₂`` and ``v = θ₁ − c₁``: the surface of lesson 08 turned a
    quarter and moved, written the way a lesson would write its own.
    """

    def __init__(self, tilt=-0.4, centre=(2.0, -1.0)):
        self.tilt, self.centre = tilt, np.asarray(centre, float)

    def _uv(self, params):
        return params[..., 1] - self.centre[1], params[..., 0] - self.centre[0]

    def _loss(self, params):
        u, v = self._uv(params)
        return (u * u - 1.0) ** 2 + self.tilt * u + 0.5 * v * v

    def _gradient(self, params):
        u, v = self._uv(params)
        return np.stack([v, 4.0 * u * (u * u - 1.0) + self.tilt], axis=-1)

    def hessian(self, theta):
        u, _ = self._uv(self._as_params(theta))
        return np.array([[1.0, 0.0], [0.0, 12.0 * u * u - 4.0]])

    def window(self):
        (c1, c2) = self.centre
        return ((c1 - 1.5, c1 + 1.5), (c2 - 2.0, c2 + 2.0))

    def roots(self):
        return np.sort(np.roots([4.0, 0.0, -4.0, self.tilt]).real)

    def critical_points(self):
        return [self._critical(self.centre + [0.0, r]) for r in self.roots()]


class ShiftedSaddle(gdlab.Surface):
    """``(up·v² − down·u²)/2`` around ``centre``, in a window not centred on it."""

    quadratic = True

    def __init__(self, up=3.0, down=0.5, centre=(1.0, -0.5)):
        self.up, self.down, self.centre = up, down, np.asarray(centre, float)

    def _loss(self, params):
        d = params - self.centre
        return 0.5 * (self.up * d[..., 0] ** 2 - self.down * d[..., 1] ** 2)

    def _gradient(self, params):
        return (params - self.centre) * np.array([self.up, -self.down])

    def hessian(self, theta=None):
        return np.diag([self.up, -self.down])

    def window(self):
        return ((-1.0, 3.0), (-2.5, 1.0))

    def critical_points(self):
        return [self._critical(self.centre)]


def _nearest(points, theta):
    return min(points, key=lambda p: np.linalg.norm(np.asarray(p) - theta))


@pytest.mark.parametrize("tilt", [-0.4, 0.6])
def test_a_lessons_own_two_valleys_get_presets_that_end_where_they_say(tilt):
    surface = ShiftedValleys(tilt)
    u = surface.roots()  # minima at the outer roots, the pass between them
    height = (u * u - 1.0) ** 2 + tilt * u
    deep, shallow = (
        surface.centre + [0.0, u[i]] for i in np.argsort(height[[0, 2]]) * 2
    )
    presets = presets_for(surface)
    assert [p.shows for p in presets] == ["local minimum", "global minimum"]
    for preset in presets:
        low, high = surface.window()[0]
        assert low <= preset.start[0] <= high
        run = gdlab.descend(surface, preset.start, preset.learning_rate, preset.steps)
        assert run.status == "converged", (preset.name, run.status)
        aim = shallow if preset.shows == "local minimum" else deep
        assert _nearest([deep, shallow], run.final) is aim
        # Converged: within a thousandth of the start's own distance (Surface.settled).
        reach = np.abs(np.asarray(preset.start) - aim)
        assert np.all(np.abs(run.final - aim) <= 1.01e-3 * reach + 1e-9)
        # Each start lies on its valley's side of the pass, and only just.
        pass_u = surface.centre[1] + u[1]
        side = np.sign(aim[1] - pass_u)
        offset = preset.start[1] - pass_u
        assert np.sign(offset) == side and abs(offset) < 0.2 * abs(aim[1] - pass_u)


def test_a_lessons_own_saddle_gets_a_stall_and_an_escape():
    surface = ShiftedSaddle()
    stall, escape = presets_for(surface)
    assert (stall.shows, escape.shows) == ("stalls at a saddle", "escapes a saddle")
    # Both on the up axis's side, inside the window; η below 2/up, the bound along it.
    for preset in (stall, escape):
        assert 0 < preset.learning_rate < 2 / surface.up
        for value, (low, high) in zip(preset.start, surface.window()):
            assert low <= value <= high
    assert stall.start[1] == surface.centre[1] != escape.start[1]
    run = gdlab.descend(surface, stall.start, stall.learning_rate, stall.steps)
    assert run.status == "converged"
    assert np.allclose(run.final, surface.centre, atol=1e-3)
    run = gdlab.descend(surface, escape.start, escape.learning_rate, escape.steps)
    assert run.status == "diverged" and run.losses[-1] < run.losses[0]


def test_surfaces_with_another_shape_get_no_preset():
    classes = gdlab.make_classes(seed=3)
    separable = gdlab.make_classes(seed=3, separable=True)
    for surface in (
        gdlab.Parabola(2.0),  # one parameter
        gdlab.FeatureMSE(np.vander(np.arange(5.0), 3), np.arange(5.0)),  # three
        gdlab.CrossEntropy(classes.x, classes.y),  # one minimum, not quadratic
        gdlab.CrossEntropy(separable.x, separable.y),  # no critical point at all
        gdlab.SigmoidMSE(classes.x, classes.y),  # critical points not known
    ):
        assert presets_for(surface) == [], surface


def test_any_two_weight_bowl_gets_the_bowls_presets():
    x = RNG.normal(50.0, 3.0, 12)
    surface = gdlab.FeatureMSE(np.column_stack([np.ones_like(x), x]), 2 - x)
    presets = presets_for(surface)
    assert all(isinstance(p, Preset) for p in presets)
    assert {"too small", "oscillates", "diverges"} <= {p.name for p in presets}
    rate = 2 / np.linalg.eigvalsh(surface.hessian())[-1]
    by_name = {p.name: p for p in presets}
    assert (
        by_name["diverges"].learning_rate > rate > by_name["oscillates"].learning_rate
    )


def test_default_start_is_in_view_on_every_surface():
    classes = gdlab.make_classes(seed=3)
    x = RNG.uniform(-1e3, 1e3, 9)
    for surface in (
        gdlab.LinearMSE(x, 0.01 * x + 7e4 + RNG.normal(0, 1, 9)),
        # Flat y: the window's corner.
        gdlab.LinearMSE([0.0, 1.0, 2.0], [3.0, 3.0, 3.0]),
        gdlab.Saddle(),
        gdlab.TwoValleys(),
        ShiftedSaddle(),
        gdlab.CrossEntropy(classes.x, classes.y),
    ):
        start = default_start(surface)
        for value, (low, high) in zip(start, surface.window(), strict=True):
            assert low <= value <= high, surface


# -- steps_to_converge: the closed form against the engine -----------------------------


def _bowls():
    for _ in range(6):
        n = int(RNG.integers(3, 30))
        x = RNG.normal(RNG.normal(0, 30), 10 ** RNG.uniform(-1, 2), n)
        y = RNG.normal() * x + RNG.normal(0, 50) + RNG.normal(0, 3, n)
        yield gdlab.LinearMSE(x, y)
    X = np.column_stack([np.ones(8), np.linspace(-1, 1, 8), np.linspace(-1, 1, 8) ** 2])
    yield gdlab.FeatureMSE(X, RNG.normal(0, 1, 8))
    yield gdlab.Parabola(3.0)


@pytest.mark.parametrize("surface", list(_bowls()), ids=repr)
def test_steps_to_converge_is_the_step_descend_stops_at(surface):
    rate = 2 / np.linalg.eigvalsh(surface.hessian(np.zeros(surface.n_parameters)))[-1]
    windows = surface.window()
    start = [low + 0.1 * (high - low) for low, high in windows]
    for factor in (0.05, 0.3, 0.5, 0.9, 1.2):
        run = gdlab.descend(surface, start, factor * rate, 3000)
        counted = surface.steps_to_converge(factor * rate, start, most=3000)
        if run.status == "converged":
            assert counted == run.steps_taken, factor
        else:
            assert counted is None, (factor, run.status)


def test_steps_to_converge_needs_a_bowl_and_says_so():
    with pytest.raises(ValueError, match="bowl"):
        gdlab.Saddle().steps_to_converge(0.1, (1.0, 1.0))
    surface = gdlab.LinearMSE([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    with pytest.raises(ValueError, match="learning_rate"):
        surface.steps_to_converge(-0.1, (0.0, 0.0))
    with pytest.raises(ValueError, match="start"):
        surface.steps_to_converge(0.1, (0.0, 0.0, 0.0))
