"""Headless tests of LineFitter and SlopeSlider: drive the sliders, check frames and labels."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

import gdlab
from gdlab.plots import plot_fit, subplots
from gdlab.plots.data_plots import padded_limits
from gdlab.widgets import LineFitter, SlopeSlider
from gdlab.widgets.line_fitter import slider_range


@pytest.fixture
def fitter():
    obs = gdlab.make_observations(n=15, seed=4)
    return LineFitter(obs.x, obs.y)


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


class TestLineFitter:
    def test_moving_a_slider_changes_the_image_and_the_mse_label(self, fitter):
        before_png, before_label = fitter.frame_png(), fitter.mse_label.value
        fitter.m_slider.value = fitter.m_slider.value + 10 * fitter.m_slider.step
        assert fitter.frame_png() != before_png
        assert fitter.mse_label.value != before_label
        assert f"{fitter.mse:.3f}" in fitter.mse_label.value

    def test_the_label_shows_the_mse_of_the_current_line(self, fitter):
        fitter.m_slider.value, fitter.b_slider.value = 1.0, 2.0
        expected = gdlab.mse(fitter.y, gdlab.predict(fitter.x, 1.0, 2.0))
        assert fitter.mse == pytest.approx(expected)
        assert f"MSE = <b>{expected:.3f}</b>" in fitter.mse_label.value

    def test_best_fit_is_the_closed_form_and_reaching_it_is_celebrated(self, fitter):
        assert fitter.best == gdlab.best_fit(fitter.x, fitter.y)
        assert "within 5 %" not in fitter.mse_label.value
        fitter.m_slider.value, fitter.b_slider.value = fitter.best
        assert fitter.mse <= 1.05 * fitter.best_mse
        assert "within 5 %" in fitter.mse_label.value

    def test_the_best_fit_range_is_inside_the_sliders(self, fitter):
        m, b = fitter.best
        assert fitter.m_slider.min < m < fitter.m_slider.max
        assert fitter.b_slider.min < b < fitter.b_slider.max

    def test_show_best_draws_the_dashed_line(self, fitter):
        hidden = _pixels(fitter.frame_png())
        fitter.show_best.value = True
        shown = _pixels(fitter.frame_png())
        assert fitter.best_line.get_visible()
        assert (hidden != shown).any()

    def test_frame_after_blitting_matches_a_fresh_full_draw(self, fitter):
        fitter.m_slider.value = 0.5
        blitted = _pixels(fitter.frame_png())
        fitter.invalidate_background()  # drawn from scratch
        full = _pixels(fitter.render())
        assert np.abs(blitted.astype(int) - full.astype(int)).max() <= 2

    def test_mimebundle_has_static_png_and_short_text(self, fitter):
        bundle = fitter._repr_mimebundle_()
        assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"
        assert (
            bundle["text/plain"] == LineFitter.text_plain
            and len(bundle["text/plain"]) < 200
        )

    def test_start_line_is_flat_through_the_mean_unless_given(self, fitter):
        assert fitter.m_slider.value == 0.0
        assert fitter.b_slider.value == pytest.approx(
            fitter.y.mean(), abs=fitter.b_slider.step
        )
        other = LineFitter(fitter.x, fitter.y, m=1.0, b=0.0)
        assert other.line == (1.0, 0.0)

    def test_slider_ranges_follow_the_data_scale(self):
        small = gdlab.make_observations(
            n=10, slope=0.02, intercept=0.0, noise=0.01, x_range=(0, 1), seed=1
        )
        large = gdlab.make_observations(
            n=10, slope=300.0, intercept=5000.0, noise=50.0, x_range=(0, 100), seed=1
        )
        for obs in (small, large):
            widget = LineFitter(obs.x, obs.y)
            m, b = widget.best
            assert widget.m_slider.min < m < widget.m_slider.max
            assert widget.b_slider.min < b < widget.b_slider.max
            assert (
                widget.m_slider.step < (widget.m_slider.max - widget.m_slider.min) / 100
            )

    @pytest.mark.parametrize(
        "x, y, kwargs, error, named",
        [
            ([1.0, 2.0], [1.0], {}, ValueError, "same length"),
            ([1.0, 1.0, 1.0], [1.0, 2.0, 3.0], {}, ValueError, "distinct"),
            ([1.0], [2.0], {}, ValueError, "at least 2"),
            ([1.0, np.nan], [1.0, 2.0], {}, ValueError, "finite"),
            ("abc", [1.0], {}, TypeError, "x must be"),
            ([0.0, 1.0], [0.0, 1.0], {"m": "steep"}, TypeError, "m must be"),
            ([0.0, 1.0], [0.0, 1.0], {"b": np.inf}, ValueError, "b must be"),
        ],
    )
    def test_bad_input_is_named(self, x, y, kwargs, error, named):
        with pytest.raises(error, match=named):
            LineFitter(x, y, **kwargs)


class TestSliderRange:
    @pytest.mark.parametrize(
        "centre, half", [(2.0, 4.0), (-0.013, 0.002), (5000.0, 1234.5), (0.0, 1.0)]
    )
    def test_covers_the_interval_with_a_round_step(self, centre, half):
        low, high, step = slider_range(centre, half)
        assert low <= centre - half + 1e-9 and high >= centre + half - 1e-9
        mantissa = float(f"{step:.0e}".split("e")[0])
        assert mantissa in (1.0, 2.0, 5.0)
        assert 100 <= (high - low) / step <= 1000

    def test_rejects_a_non_positive_width(self):
        with pytest.raises(ValueError, match="half_width"):
            slider_range(0.0, 0.0)


class TestSlopeSlider:
    def test_moving_the_slider_turns_the_line(self):
        demo = SlopeSlider(m=1.0)
        before = demo.frame_png()
        demo.slider.value = -2.0
        assert demo.frame_png() != before
        assert demo.line.get_ydata().tolist() == [4.0, -4.0]
        assert demo.ax.get_title() == "m = -2.0"

    def test_text_fallback_says_what_to_do(self):
        assert (
            "see 'If the slider shows as text'"
            in SlopeSlider()._repr_mimebundle_()["text/plain"]
        )

    @pytest.mark.parametrize("m, error", [(5.0, ValueError), ("1", TypeError)])
    def test_bad_start_is_named(self, m, error):
        with pytest.raises(error, match="m must be"):
            SlopeSlider(m=m)


class TestDataPlots:
    def test_plot_fit_draws_residuals_from_the_line_to_each_point(self):
        _fig, ax = subplots()
        drawn = plot_fit(ax, [0.0, 1.0, 2.0], [1.0, 4.0, 3.0], m=1.0, b=1.0)
        segments = [seg.tolist() for seg in drawn.residuals.get_segments()]
        assert segments == [
            [[0.0, 1.0], [0.0, 1.0]],
            [[1.0, 2.0], [1.0, 4.0]],
            [[2.0, 3.0], [2.0, 3.0]],
        ]
        assert (
            plot_fit(ax, [0.0, 1.0], [1.0, 2.0], 1.0, 1.0, residuals=False).residuals
            is None
        )

    def test_padded_limits_rejects_negative_fraction(self):
        with pytest.raises(ValueError, match="fraction"):
            padded_limits([0.0, 1.0], fraction=-0.1)

    def test_mark_observation_labels_with_the_math_number_and_checks_the_index(self):
        from gdlab.plots import mark_observation

        _fig, ax = subplots()
        _, label = mark_observation(ax, [1.0, 2.0, 3.0], [4.0, 5.0, 6.5], 2)
        assert label.get_text() == "$(x_{3}, y_{3})$ = (3, 6.5)"
        assert label.xy == (3.0, 6.5)
        with pytest.raises(ValueError, match="index must be"):
            mark_observation(ax, [1.0, 2.0], [4.0, 5.0], 2)
