"""Every number the prose of lessons 11 and 12 states, recomputed.

nbval checks the printed outputs; these tests check the numbers written in
the markdown (and in the figures' alt text), so that a change of data or
seed that moves them fails here, not silently in the prose.
"""

from __future__ import annotations

import math

import numpy as np

import gdlab

# --- lesson 11 ----------------------------------------------------------------


def _shuttle_fit():
    shuttle = gdlab.shuttle_launches()
    return shuttle, gdlab.CrossEntropy(shuttle.x, shuttle.y).minimum


def test_11_shuttle_facts_in_the_prose():
    shuttle, _ = _shuttle_fit()
    damaged = np.sort(shuttle.x[shuttle.y == 1])
    coldest_four = np.sort(shuttle.x)[:4]
    assert np.all(
        shuttle.y[np.isin(shuttle.x, coldest_four)] == 1
    )  # the four coldest had damage
    assert coldest_four.tolist() == [53, 57, 58, 63]
    assert np.all(shuttle.y[shuttle.x < 65] == 1)  # every launch below 65 °F
    warm = shuttle.x > 63
    assert warm.sum() == 19 and shuttle.y[warm].sum() == 3  # three in nineteen
    assert damaged.size == 7 and 53 - 31 == 22


def test_11_sigmoid_curves_cross_one_half_where_the_prose_says():
    for w, b in [(2.0, -1.0), (8.0, -4.0)]:
        assert -b / w == 0.5
    assert float(gdlab.sigmoid(0.0) * (1 - gdlab.sigmoid(0.0))) == 0.25


def test_11_shuttle_fit_numbers():
    shuttle, (w, b) = _shuttle_fit()
    assert round(w, 3) == -0.232 and round(b, 2) == 15.04
    p = lambda t: float(gdlab.sigmoid(w * t + b))
    assert round(p(31), 4) == 0.9996
    assert abs(p(65) - 0.5) < 0.05  # "through ½ near 65 °F"
    assert round(p(80), 2) == 0.03 and p(50) > 0.95
    t, how = gdlab.standardize(shuttle.x)
    launches = gdlab.CrossEntropy(t, shuttle.y)
    raw = gdlab.CrossEntropy(shuttle.x, shuttle.y)
    assert 800_000 < raw.condition_number(raw.minimum) < 850_000  # "about 826,000"
    assert 1.5 < launches.condition_number(launches.minimum) < 2.5  # "about 2"
    assert round(launches.critical_learning_rate(launches.minimum), 1) == 12.8
    run = gdlab.descend(launches, (0.0, 0.0), 2.0, steps=2000, tolerance=1e-12)
    assert run.status == "converged"
    assert np.allclose(how.line_to_original(*run.final), (w, b), rtol=1e-4)


def test_11_separable_run_numbers():
    sep = gdlab.make_classes(
        n=20, weight=1.0, bias=0.0, seed=2, separable=True, gap=2.0
    )
    run = gdlab.descend(gdlab.CrossEntropy(sep.x, sep.y), (0.0, 0.0), 1.0, steps=10000)
    assert run.status == "max_steps"
    norms = np.linalg.norm(run.params, axis=1)
    assert (
        round(norms[1], 1) == 1.2 and round(norms[-1]) == 6
    )  # "about 1.2 ... about 6"
    assert round(run.losses[1], 2) == 0.08 and 4e-5 < run.losses[-1] < 6e-5
    per_decade = np.diff(norms[[10, 100, 1000, 10000]])
    assert per_decade.round(2).tolist() == [1.16, 1.39, 1.5]
    x_minus, x_plus = sep.x[sep.y == 0].max(), sep.x[sep.y == 1].min()
    margin = np.array([2, -(x_plus + x_minus)]) / (x_plus - x_minus)
    limit = np.linalg.norm(margin) * math.log(10)
    assert round(limit, 2) == 1.66 and np.all(per_decade < limit)  # "creeps up towards"
    # loss roughly like 1/t: about a tenth per tenfold of steps
    ratios = run.losses[[100, 1000, 10000]] / run.losses[[10, 100, 1000]]
    assert np.all((ratios > 0.08) & (ratios < 0.16))


# --- lesson 12 ----------------------------------------------------------------


def _lesson_12():
    data = gdlab.make_wave(n=40, noise=0.1, seed=0)
    net = gdlab.TanhNetwork(1, 3)
    surface = gdlab.NetworkMSE(net, data.x, data.y)
    theta0 = net.initial(seed=0)
    runs = {
        name: gdlab.descend(surface, theta0, eta, steps=3000, rule=rule, tolerance=None)
        for name, rule, eta in [
            ("plain", gdlab.GradientDescent(), 0.1),
            ("momentum", gdlab.Momentum(0.9), 0.01),
            ("adam", gdlab.Adam(), 0.02),
        ]
    }
    return data, net, surface, runs


_CACHE = {}


def _cached():
    if not _CACHE:
        _CACHE["value"] = _lesson_12()
    return _CACHE["value"]


def test_12_the_line_barely_beats_the_mean_and_the_network_reaches_the_noise():
    data, net, _surface, runs = _cached()
    line = gdlab.LinearMSE(data.x, data.y).minimum_loss
    assert 0.95 * np.var(data.y) < line < np.var(data.y)
    assert net.n_parameters == 10
    assert abs(runs["adam"].losses[-1] - 0.01) < 0.001  # "lies on the noise level"


def test_12_training_numbers():
    _, _, _surface, runs = _cached()
    first = {k: int(np.argmax(r.losses < 0.02)) for k, r in runs.items()}
    assert first == {"plain": 2389, "momentum": 1682, "adam": 118}
    adam, plain, momentum = (
        runs["adam"].losses,
        runs["plain"].losses,
        runs["momentum"].losses,
    )
    assert np.all(
        np.abs(adam[500:] - 0.01) < 0.0015
    )  # on the noise level from about step 500
    assert (
        0.02 < plain[1200] < 0.03 and 0.02 < momentum[1200] < 0.03
    )  # "about 0.025 by step 1,200"
    spike = 1200 + int(np.argmax(plain[1200:]))
    assert (
        1235 <= spike <= 1260 and 0.35 < plain[spike] < 0.45
    )  # "around step 1,240 ... about 0.4"
    assert np.all(np.diff(momentum[1000:]) <= 1e-12)  # momentum keeps falling smoothly
    assert (
        plain[-1] > 0.011 and momentum[-1] > 0.011
    )  # both still above the noise level


def test_12_curvature_meets_the_bound():
    _, _, surface, runs = _cached()
    plain = runs["plain"]
    top = {
        k: np.linalg.eigvalsh(surface.hessian(plain.params[k]))[-1]
        for k in (200, 1000, 1236, 2999)
    }
    assert round(top[200]) == 5 and 20 < top[1000] < 21 and top[1236] > 22
    assert abs(top[2999] - 20) < 1  # back near 20
    momentum = runs["momentum"]
    worst = max(
        np.linalg.eigvalsh(surface.hessian(momentum.params[k]))[-1]
        for k in range(0, 3001, 250)
    )
    assert worst < 2 * (1 + 0.9) / 0.01 / 10  # far below 380


def test_12_landscape_numbers():
    data, net, surface, runs = _cached()
    best = runs["adam"].final
    d1 = gdlab.filter_normalised_direction(net, best, seed=1)
    minimum = surface.loss(best)
    assert (
        round(surface.loss(best - d1)) == 11
        and surface.loss(best - d1) > 1000 * minimum
    )
    assert round(surface.loss(best + d1)) == 4
    renumbered = net.permute(best, [2, 0, 1])
    t = np.linspace(0, 1, 101)[:, None]
    hump = surface.loss((1 - t) * best + t * renumbered).max()
    assert hump > 200 * minimum
    saddle = net.pack(np.zeros((1, 3)), np.zeros(3), np.zeros((3, 1)), [data.y.mean()])
    ratio = surface.loss(saddle) / minimum
    assert (
        round(surface.loss(saddle), 2) == 0.45 and 45 < ratio < 50
    )  # "nearly fifty times"


def test_11_the_max_margin_separator_has_both_nearest_points_on_the_margin():
    # The shortest (w, b) with y-signed z_i ≥ 1 for all i is decided by the two
    # nearest points: either both constraints are active, or one alone. Check every
    # candidate independently and keep the shortest feasible one.
    sep = gdlab.make_classes(
        n=20, weight=1.0, bias=0.0, seed=2, separable=True, gap=2.0
    )
    signs = 2 * sep.y - 1
    rows = np.column_stack([sep.x, np.ones_like(sep.x)]) * signs[:, None]
    x_minus, x_plus = sep.x[sep.y == 0].max(), sep.x[sep.y == 1].min()
    both = np.array([2, -(x_plus + x_minus)]) / (x_plus - x_minus)
    candidates = [both] + [row / (row @ row) for row in rows]
    feasible = [c for c in candidates if np.all(rows @ c >= 1 - 1e-12)]
    shortest = min(feasible, key=np.linalg.norm)
    assert np.allclose(shortest, both)


def test_11_the_explorer_walks_the_cross_entropy():
    from gdlab.widgets import DescentExplorer

    shuttle = gdlab.shuttle_launches()
    t, _ = gdlab.standardize(shuttle.x)
    explorer = DescentExplorer(
        surface=gdlab.CrossEntropy(t, shuttle.y),
        learning_rate=2.0,
        start=(0.0, 0.0),
        steps=400,
    )
    assert explorer.run.status == "converged"


def test_12_the_trained_weights_are_the_lowest_point_of_both_slices():
    _data, net, surface, runs = _cached()
    best = runs["adam"].final
    d1 = gdlab.filter_normalised_direction(net, best, seed=1)
    d2 = gdlab.filter_normalised_direction(net, best, seed=2)
    alphas = np.linspace(-1, 1, 201)
    assert int(np.argmin(surface.loss(best + alphas[:, None] * d1))) == 100
    grid = np.linspace(-1, 1, 61)
    A, B = np.meshgrid(grid, grid)
    values = surface.loss(best + A[..., None] * d1 + B[..., None] * d2)
    assert np.unravel_index(values.argmin(), values.shape) == (30, 30)


def test_11_descent_crawls_on_the_mse_plateau_but_not_on_the_cross_entropy():
    obs = gdlab.make_classes(n=40, weight=2.0, bias=-1.0, seed=3)
    mse, ce = gdlab.SigmoidMSE(obs.x, obs.y), gdlab.CrossEntropy(obs.x, obs.y)
    runs = [
        gdlab.descend(s, (-6.0, 3.0), learning_rate=1.0, steps=100, tolerance=None)
        for s in (mse, ce)
    ]
    slopes = [np.linalg.norm(r.gradients[0]) for r in runs]
    assert 0.008 < slopes[0] / slopes[1] < 0.012  # "about a hundredth"
    assert runs[0].losses[0] - runs[0].losses[-1] < 0.02  # "barely move it"
    assert (
        round(runs[1].losses[-1], 3) == round(ce.critical_points()[0].loss, 3) == 0.304
    )
