"""Headless tests of gdlab.widgets: drive the widgets from Python, check the frames."""

from __future__ import annotations

import base64
import io

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from gdlab._png import encode_png
from gdlab.widgets import LiveFigure


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


class _Dot(LiveFigure):
    """A minimal subclass: one moving dot driven by a slider."""

    text_plain = "Dot widget"

    def __init__(self, classroom=False):
        super().__init__(figsize=(3, 2), classroom=classroom)
        ax = self.figure.add_subplot()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        self.static_line = ax.plot([0, 1], [0, 1])[0]
        (self.dot,) = ax.plot([0.5], [0.5], "o", markersize=12)
        self.animate(self.dot)
        self.position = widgets.FloatSlider(value=0.5, min=0.0, max=1.0, description="x")
        self.position.observe(self.request_render, "value")
        self.widget = widgets.VBox([self.position, self.image])
        self.render(full=True)

    def update_frame(self):
        self.dot.set_data([self.position.value], [0.5])


def test_png_encoder_round_trips_exactly():
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    assert np.array_equal(_pixels(encode_png(pixels)), pixels[:, :, :3])
    with_alpha = np.asarray(Image.open(io.BytesIO(encode_png(pixels, alpha=True))))
    assert np.array_equal(with_alpha, pixels)


@pytest.mark.parametrize("bad", [np.zeros((2, 2), np.uint8), np.zeros((2, 2, 4), np.float64)])
def test_png_encoder_rejects_bad_pixels(bad):
    with pytest.raises(ValueError, match="pixels"):
        encode_png(bad)


def test_setting_a_slider_redraws_synchronously_and_blit_matches_full_draw():
    dot = _Dot()
    first = dot.image.value
    dot.position.value = 0.9
    moved = dot.image.value
    assert moved != first
    # The blitted frame is the same picture as drawing everything from scratch.
    blitted = _pixels(moved)
    assert np.array_equal(blitted, _pixels(dot.render(full=True)))
    # The dot went right: the dot's colour now appears further right.
    dot_colour = np.array(to_rgb(dot.dot.get_color())) * 255
    columns = np.nonzero(np.all(np.abs(blitted.astype(int) - dot_colour) < 30, axis=2))[1]
    columns_before = np.nonzero(np.all(np.abs(_pixels(first).astype(int) - dot_colour) < 30, axis=2))[1]
    assert columns.mean() > columns_before.mean()


def test_mimebundle_has_widget_view_static_png_and_short_text():
    dot = _Dot()
    bundle = dot._repr_mimebundle_()
    assert bundle["text/plain"] == "Dot widget"
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == dot.widget.model_id
    assert base64.b64decode(bundle["image/png"]) == dot.image.value
    assert repr(dot) == "Dot widget"


def test_classroom_style_draws_a_different_frame():
    assert _Dot(classroom=True).image.value != _Dot().image.value
    with pytest.raises(TypeError, match="classroom"):
        _Dot(classroom="yes")
