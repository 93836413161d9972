"""Plot helpers of lessons 03–04: what they draw, and bad input refused by name."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdlab
from gdlab import plots


@pytest.fixture
def surface():
    obs = gdlab.make_observations(n=25, seed=2)
    return gdlab.LinearMSE(obs.x, obs.y)


@pytest.fixture
def ax():
    fig, axes = plots.subplots()
    yield axes
    plt.close(fig)


def test_slice_over_b_matches_the_loss(surface, ax):
    m_star, b_star = surface.minimum
    bs = np.linspace(b_star - 2, b_star + 2, 9)
    line, marker = plots.plot_loss_slice(ax, surface, bs, fixed=m_star, vary=1)
    expected = [gdlab.mse(surface.y, gdlab.predict(surface.x, m_star, b)) for b in bs]
    np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-10)
    assert marker is None
    assert ax.get_xlabel() == "b"


def test_slice_bad_vary(surface, ax):
    with pytest.raises(ValueError, match="vary must be 0"):
        plots.plot_loss_slice(ax, surface, [0.0, 1.0], fixed=0.0, vary=2)


def test_slice_needs_a_surface(ax):
    with pytest.raises(TypeError, match="surface must be a gdlab Surface"):
        plots.plot_loss_slice(ax, [1, 2, 3], [0.0, 1.0], fixed=0.0)


def test_surface_3d_star_sits_at_the_lowest_point(surface):
    fig, ax3 = plots.subplots(subplot_kw={"projection": "3d"})
    _mesh, star = plots.plot_loss_surface_3d(ax3, surface, resolution=30)
    x, y, z = star._offsets3d
    assert (float(x[0]), float(y[0])) == pytest.approx(
        gdlab.best_fit(surface.x, surface.y)
    )
    assert (
        float(z[0])
        <= surface.grid(*[np.linspace(*r, 30) for r in surface.window()]).min()
    )
    plt.close(fig)


def test_surface_3d_needs_3d_axes(surface, ax):
    with pytest.raises(TypeError, match="3-D axes"):
        plots.plot_loss_surface_3d(ax, surface)


def test_secant_slope_is_the_finite_difference(ax):
    from gdlab.calculus import finite_difference

    f = np.exp
    for kind in ("forward", "central"):
        line, _points = plots.plot_secant(ax, f, 0.5, 0.3, kind=kind)
        xs, ys = line.get_xdata(), line.get_ydata()
        slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
        assert slope == pytest.approx(finite_difference(f, 0.5, h=0.3, kind=kind))


def test_secant_bad_kind(ax):
    with pytest.raises(ValueError, match="kind must be"):
        plots.plot_secant(ax, np.exp, 0.0, 0.1, kind="backward")


def test_tangent_default_slope_is_the_derivative(ax):
    line, _ = plots.plot_tangent(ax, np.sin, 0.3, half_width=0.1)
    xs, ys = line.get_xdata(), line.get_ydata()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(np.cos(0.3), rel=1e-8)


def test_error_vs_step_leaves_out_zeros(ax):
    line = plots.plot_error_vs_step(ax, [1e-1, 1e-2, 1e-3], [1e-3, 0.0, 1e-7])
    assert line.get_xdata().tolist() == [1e-1, 1e-3]


def test_error_vs_step_refuses_non_positive_steps(ax):
    with pytest.raises(ValueError, match="steps must all be > 0"):
        plots.plot_error_vs_step(ax, [0.0, 1.0], [1.0, 1.0])


def test_style_keeps_interactive_mode_switched_on_inside_it():
    # A notebook backend turns interactive mode on when the first figure is
    # made; leaving the style context must not turn it off again, or every
    # later figure in the lesson would go unshown.
    before = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        with plots.style():
            matplotlib.interactive(True)
        assert matplotlib.is_interactive()
        with plots.style(classroom=True):
            assert plt.rcParams["font.size"] == 17
        assert plt.rcParams["font.size"] != 17
    finally:
        matplotlib.interactive(before)


def test_level_curves_are_drawn_at_the_levels_asked(surface, ax):
    levels = surface.minimum_loss + np.array([2.0, 0.5])
    lines = plots.plot_level_curves(ax, surface, levels, resolution=80)
    np.testing.assert_allclose(lines.levels, np.sort(levels))


def test_level_curves_bad_resolution(surface, ax):
    with pytest.raises(ValueError, match="resolution must be"):
        plots.plot_level_curves(ax, surface, [1.0], resolution=1)
