"""The figure rules the helpers enforce (issue 14): labelled colour bars that
say when they are logarithmic and tick round values, colours really on a log
scale, equal aspect on request, a legend entry for every kind of mark, arrow
scales stated, and nothing drawn at a data position that is not data."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import LogNorm

matplotlib.use("Agg")

# gdlab in a block of its own: sorted alike whether isort files it as first-
# or third-party.
import gdlab
from gdlab import plots
from gdlab.plots.legends import round_ticks


@pytest.fixture
def ax():
    fig, axes = plots.subplots()
    yield axes
    plt.close(fig)


def _surfaces():
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 100, 30)
    return {
        "small line": gdlab.LinearMSE([0, 1, 2, 3], [1, 3, 4, 9]),
        "wide x, offset y": gdlab.LinearMSE(x, 5000 + 0.5 * x + rng.normal(0, 4, 30)),
        "tiny values": gdlab.LinearMSE(x * 1e-3, 1e-3 * x + rng.normal(0, 1e-4, 30)),
        "two valleys": gdlab.TwoValleys(),
    }


def _significant_digits(value: float) -> int:
    digits = f"{abs(value):.12e}".split("e")[0].replace(".", "").rstrip("0")
    return max(len(digits), 1)


@pytest.mark.parametrize("name", list(_surfaces()))
def test_log_colour_bar_says_so_and_ticks_round_values(name, ax):
    surface = _surfaces()[name]
    bands, _ = plots.plot_loss_contours(ax, surface, colorbar="the loss")
    bar = bands.colorbar
    assert bar is not None and bar.ax.get_ylabel() == "the loss, log scale"
    ticks = np.asarray(bar.get_ticks(), dtype=float)
    low, high = float(bands.levels[0]), float(bands.levels[-1])
    assert ticks.size >= 3
    assert np.all((ticks >= low) & (ticks <= high))
    assert all(_significant_digits(t) <= 2 for t in ticks), ticks
    # The labels show the same round numbers, not an offset or 1e3 factor.
    plt.gcf().canvas.draw()
    shown = [t.get_text() for t in bar.ax.yaxis.get_ticklabels()]
    assert [float(t.replace(",", "")) for t in shown] == pytest.approx(ticks.tolist())


def test_linear_colour_bar_does_not_claim_a_log_scale(ax):
    # A saddle has no minimum to space levels above: even levels by default.
    bands, _ = plots.plot_loss_contours(ax, gdlab.Saddle(), colorbar=True)
    assert bands.colorbar.ax.get_ylabel() == "L(θ₁, θ₂)"
    np.testing.assert_allclose(np.diff(bands.levels), np.diff(bands.levels)[0])
    ticks = np.asarray(bands.colorbar.get_ticks(), dtype=float)
    assert ticks.size >= 3 and all(_significant_digits(t) <= 2 for t in ticks)


def test_colour_bar_of_a_log_norm_image_says_log_scale(ax):
    image = ax.imshow(np.geomspace(1, 1000, 16).reshape(4, 4), norm=LogNorm())
    assert plots.add_colorbar(ax, image, "count").ax.get_ylabel() == (
        "count, log scale"
    )


@pytest.mark.parametrize("label", [None, "", "   "])
def test_colour_bar_needs_a_label(label, ax):
    bands, _ = plots.plot_loss_contours(ax, gdlab.Saddle())
    error = TypeError if label is None else ValueError
    with pytest.raises(error, match="label"):
        plots.add_colorbar(ax, bands, label)


@pytest.mark.parametrize(
    "low, high", [(0.8, 111.0), (50.0, 5000.0), (-0.3, 12.0), (0.0, 2.0), (1e-5, 3e6)]
)
def test_round_ticks_are_round_inside_and_apart(low, high):
    levels = low + np.concatenate(
        [[0.0], np.geomspace((high - low) * 1e-3, high - low, 19)]
    )
    ticks = round_ticks(levels, max_ticks=8)
    places = np.interp(ticks, levels, np.linspace(0, 1, levels.size))
    assert 3 <= ticks.size <= 8
    assert all(_significant_digits(t) <= 2 for t in ticks)
    assert np.all(np.diff(places) >= 1 / 8 - 1e-9)


def test_log_levels_spread_the_colours_evenly_over_the_bands(ax):
    grid = np.linspace(-3, 3, 61)
    values = np.add.outer(grid**2, 4 * grid**2)
    bands = plots.plot_filled_contours(ax, grid, grid, values, levels=12)
    middles = (bands.levels[:-1] + bands.levels[1:]) / 2
    shares = bands.norm(middles) / (bands.cmap.N - 1)
    # Band k of 11 gets colour k/10 of the map; a linear norm would crowd
    # all but the top bands into the darkest tenth.
    np.testing.assert_allclose(shares, np.linspace(0, 1, middles.size), atol=0.01)


def test_equal_aspect_on_request(ax):
    plots.plot_loss_contours(ax, gdlab.TwoValleys(), equal_aspect=True)
    assert ax.get_aspect() == 1.0


def test_gradient_arrows_state_their_scale(ax):
    surface = gdlab.Saddle()
    points = [[1.0, 1.0], [2.0, 0.0]]
    plots.plot_gradient_arrows(ax, surface, points, scale=0.15)
    plots.plot_gradient_arrows(ax, surface, points, negative=True)
    window = surface.window()
    width = max(hi - lo for lo, hi in window)
    longest = max(np.hypot(*surface.gradient(np.array(p))) for p in points)
    texts = [t.get_text() for t in ax.legend().get_texts()]
    assert texts == [
        "∇L (arrows 0.15 × true length)",
        f"−∇L (arrows {0.1 * width / longest:.2g} × true length)",
    ]


def test_legend_has_one_entry_per_label_and_refuses_none(ax):
    for k in range(3):
        plots.plot_path(ax, [[0, k], [1, k]], label="ends left")
    plots.plot_path(ax, [[0, 5], [1, 6]], label="ends right")
    assert [t.get_text() for t in plots.add_legend(ax).get_texts()] == [
        "ends left",
        "ends right",
    ]
    fig, empty = plots.subplots()
    with pytest.raises(ValueError, match="no labelled artists"):
        plots.add_legend(empty)
    plt.close(fig)


def test_slice_dot_has_a_legend_entry(ax):
    surface = gdlab.LinearMSE([0, 1], [1, 3])
    _, dot = plots.plot_loss_slice(ax, surface, [0.0, 3.0], fixed=1.0, mark_at=2.0)
    assert dot.get_label() == "m = 2"


def _points_at(ax, k):
    """Every data-position mark (line vertex or scatter point) at x = k."""
    found = []
    for line in ax.get_lines():
        xs = np.asarray(line.get_xdata(), dtype=float)
        found += list(np.asarray(line.get_ydata(), dtype=float)[np.isclose(xs, k)])
    for collection in ax.collections:
        if collection.get_offset_transform() == ax.transData:
            offsets = np.asarray(collection.get_offsets())
            found += list(offsets[np.isclose(offsets[:, 0], k), 1])
    return found


def test_minima_fraction_draws_no_point_where_none_was_seen(ax):
    artists = plots.plot_minima_fraction(
        ax, [1, 2, 3], {"GOE": [0.5, 0.15, 0.0]}, trials=1000, show_formula=False
    )
    assert _points_at(ax, 3.0) == []
    note = artists[-1]
    assert note.get_text() == "none in\n1,000\ntrials"
    assert note.get_position()[0] == 3.0
    assert note.get_transform() == ax.get_xaxis_transform()  # y is not a fraction


def test_runs_without_a_step_count_sit_in_a_band_above_every_count(ax):
    sweep = gdlab.learning_rate_sweep(
        gdlab.Parabola(1.0), [1e-4, 0.5, 1.0, 2.5], [1.0], max_steps=50
    )
    artists = plots.plot_steps_vs_learning_rate(ax, sweep)
    fig = ax.figure
    fig.canvas.draw()
    band = artists["no count"].get_window_extent()
    counts = ax.transData.transform(
        np.column_stack([sweep.learning_rates, sweep.steps])[
            np.asarray(sweep.statuses) == "converged"
        ]
    )
    assert np.all(counts[:, 1] < band.y0)  # every real count is below the band
    for key in ("diverged", "max_steps"):
        marks = artists[key]
        assert marks.get_offset_transform() == ax.get_xaxis_transform()
        places = marks.get_offset_transform().transform(marks.get_offsets())
        assert np.all((places[:, 1] > band.y0) & (places[:, 1] < band.y1))
    assert _points_at(ax, 2.5) == [] and _points_at(ax, 1e-4) == []
    # No count is written beside the band.
    for tick in ax.yaxis.get_ticklabels():
        if tick.get_text() and tick.get_visible():
            assert tick.get_window_extent().y1 <= band.y0


def test_level_curves_have_a_legend_entry(ax):
    surface = gdlab.LinearMSE([0, 1, 2], [1, 3, 4])
    plots.plot_level_curves(ax, surface, [0.5, 2.0], label="L = 0.5, 2")
    assert [t.get_text() for t in ax.legend().get_texts()] == ["L = 0.5, 2"]


def test_paths_and_steps_carry_a_dark_outline(ax):
    line = plots.plot_path(ax, [[0, 0], [1, 1]], linewidth=2.0)
    arrows, _ = plots.plot_steps(ax, [[0, 0], [1, 1]], linewidth=2.0)
    for artist in (line, arrows[0]):
        stroke = artist.get_path_effects()[0]
        # The edge is wider than the line and black, whatever the line's colour.
        assert stroke._gc["linewidth"] > 2.0
        assert matplotlib.colors.to_hex(stroke._gc["foreground"]) == "#000000"


def _title_height(classroom):
    fig, ax = plots.subplots(classroom=classroom, figsize=(6.0, 4.0))
    ax.set_title("made after subplots")  # outside any style context
    legend = ax.legend(handles=ax.plot([0, 1], label="a line"))
    fig.canvas.draw()
    sizes = (
        ax.title.get_window_extent().height,
        legend.get_window_extent().height,
        tuple(np.round(fig.get_size_inches() * fig.dpi)),
    )
    plt.close(fig)
    return sizes


def test_classroom_figures_enlarge_text_made_after_subplots_too():
    title, legend, pixels = _title_height(classroom=False)
    big_title, big_legend, big_pixels = _title_height(classroom=True)
    assert pixels == (600.0, 400.0)
    assert big_pixels == (750.0, 500.0)  # 1.25 times, room for the text
    assert big_title >= 1.35 * title and big_legend >= 1.35 * legend


def test_overlap_check_finds_crowded_labels_and_ignores_undrawn_ticks():
    fig, ax = plots.subplots(figsize=(4.0, 3.0))
    ax.set_xticks(np.arange(0, 30), labels=[f"{v * 1000}" for v in range(30)])
    assert plots.text_overlaps(fig)  # thirty five-digit labels on four inches
    plt.close(fig)
    # A log axis whose locator proposes a decade outside the view: not drawn.
    fig, ax = plots.subplots(figsize=(6.0, 4.4))
    ax.loglog([2.7e-13, 1.0], [1e-13, 0.5])
    ax.set_ylabel("error")
    assert plots.text_overlaps(fig) == []
    plt.close(fig)


@pytest.mark.parametrize("classroom", [False, True])
@pytest.mark.parametrize("name", list(_surfaces()))
def test_contour_maps_with_bar_and_legend_have_no_overlapping_labels(name, classroom):
    fig, ax = plots.subplots(classroom=classroom, figsize=(6.0, 5.0))
    surface = _surfaces()[name]
    spans = [high - low for low, high in surface.window()]
    # To scale only where the window is near square; a 1:1000 window drawn
    # to scale is a sliver whatever the helper does.
    square = max(spans) < 3 * min(spans)
    plots.plot_loss_contours(ax, surface, colorbar=True, equal_aspect=square)
    plots.plot_path(ax, np.array(surface.window()).T, label="a path")
    ax.set_title(f"{name}: a map")
    plots.add_legend(ax, outside=True)
    assert plots.text_overlaps(fig) == []
    plt.close(fig)
