"""ExplorerFrame.export_moving: every step's moving layer, in pixels, as matplotlib draws it.

The truth here is matplotlib itself: for a step k, ``show(k)`` and a draw put
the artists somewhere on the canvas; the exported numbers for step k must
say the same place (the browser test then checks the drawing, pixel by pixel).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import gdlab
from gdlab.plots import scene, style
from gdlab.plots.explorer_frame import ExplorerFrame
from gdlab.plots.scene import KINDS, MovingLayer
from gdlab.plots.scene.layer import marker_sprite
from gdlab.plots.scene.records import RECORDS
from gdlab.widgets.presets import default_start


def _frame(surface, view, classroom, start, rate, steps=60):
    with style(classroom=classroom):
        figure = Figure(figsize=(13, 4.6), dpi=100)
    FigureCanvasAgg(figure)
    frame = ExplorerFrame(figure, surface, view=view, classroom=classroom)
    frame.set_run(gdlab.descend(surface, start, learning_rate=rate, steps=steps))
    frame.show(0)
    with style(classroom=classroom):
        figure.canvas.draw()
    # Laid out once, as the explorer does: later draws keep every panel in place.
    figure.set_layout_engine("none")
    return frame


def _on_canvas(artist, points):
    """Display coordinates of ``points`` (artist's own transform) → canvas pixels."""
    out = artist.get_transform().transform(np.asarray(points, dtype=float))
    out[:, 1] = artist.figure.bbox.height - out[:, 1]
    return out


def _layer(layer, artist_kind, index=0):
    return [spec for spec in layer.layers if spec["kind"] == artist_kind][index]


def _slice(layer, where):
    offset, length = where
    return layer.data()[offset : offset + length]


def _drawn_at(frame, k):
    frame.show(k)
    frame.figure.canvas.draw()  # 3-D lines project their data while drawn


SURFACES = {
    "line": lambda: gdlab.LinearMSE(*_data()),
    "saddle": lambda: gdlab.Saddle(),
}


def _data():
    obs = gdlab.make_observations(n=30, slope=-2.0, intercept=50.0, noise=3, seed=4)
    return obs.x + 100.0, obs.y  # offset inputs: a stretched bowl


@pytest.mark.parametrize("view", ["contour", "3d"])
@pytest.mark.parametrize("classroom", [False, True])
@pytest.mark.parametrize("kind", ["line", "saddle"])
def test_path_current_point_and_loss_curve_land_where_matplotlib_draws_them(
    view, classroom, kind
):
    surface = SURFACES[kind]()
    if kind == "line":
        start, rate = surface.window()[0][0], 0.9 * surface.critical_learning_rate()
        start = (start * 0.5, float(surface.y.max()))
    else:
        start, rate = (-1.5, 0.3), 0.1
    frame = _frame(surface, view, classroom, start, rate)
    layer = frame.export_moving()
    assert layer.steps == frame.run.steps_taken + 1
    path = _layer(layer, "polyline", 0)
    loss = [s for s in layer.layers if s["kind"] == "polyline"][-1]
    current = _layer(layer, "sprite", 0)
    for k in sorted({1, 2, 5, layer.steps // 2, layer.steps - 1}):
        _drawn_at(frame, k)
        count = path["count"][0] * k + path["count"][1]
        exported = _slice(layer, path["points"]).reshape(-1, 2)[:count]
        truth = _on_canvas(frame.paths[0], frame.paths[0].get_xydata())
        np.testing.assert_allclose(exported, truth, atol=0.01, equal_nan=True)

        count = loss["count"][0] * k + loss["count"][1]
        exported = _slice(layer, loss["points"]).reshape(-1, 2)[:count]
        truth = _on_canvas(frame.loss_lines[0], frame.loss_lines[0].get_xydata())
        np.testing.assert_allclose(exported, truth, atol=0.01, equal_nan=True)

        # Markers sit on whole pixels, as Agg puts them: floor(x + 0.5).
        here = _on_canvas(frame.nows[0], frame.nows[0].get_xydata())[0]
        exported = _slice(layer, current["points"]).reshape(-1, 2)[k]
        np.testing.assert_array_equal(exported, np.floor(here + 0.5))
        # The sprite is that marker ("o" on the map, "D" pinned to its edge).
        choice = int(_slice(layer, current["sprite"])[k])
        expected = marker_sprite(frame.nows[0])["pixels"]
        np.testing.assert_array_equal(layer.sprites[choice]["pixels"], expected)


def test_the_line_its_residuals_and_the_arrow_follow_matplotlib():
    surface = gdlab.LinearMSE(*_data())
    (m_low, _), (_, b_high) = surface.window()
    frame = _frame(
        surface,
        "contour",
        False,
        (m_low * 0.7, b_high * 0.9),
        1.15 * surface.critical_learning_rate(),  # diverges: the line leaves the panel
        steps=80,
    )
    layer = frame.export_moving()
    rules, segment = _layer(layer, "rules"), _layer(layer, "segment")
    arrow = _layer(layer, "arrow")
    feet = _slice(layer, rules["feet"]).reshape(-1, 2)
    edges = _slice(layer, rules["edges"]).reshape(-1, 2)
    low, high = rules["limits"]
    (x0, x1) = rules["tips"]
    notes = _slice(layer, _layer(layer, "sprite", 2)["sprite"])
    seen_off_panel = False
    for k in range(layer.steps):
        _drawn_at(frame, k)
        # Residuals: the browser's rule ends, computed as explorer_view.js does.
        ends = np.clip(
            edges[k, 0] + (edges[k, 1] - edges[k, 0]) * (feet[:, 0] - x0) / (x1 - x0),
            low,
            high,
        )
        drawn = np.array(
            [_on_canvas(frame.residuals, s) for s in frame.residuals.get_segments()]
        )
        # Agg draws a vertical rule snapped to whole pixels (pixel centres for
        # an odd width): the feet are sent where it draws them.
        np.testing.assert_allclose(feet, drawn[:, 0], atol=0.5)
        assert np.array_equal(feet * 2, np.round(feet * 2))
        np.testing.assert_allclose(drawn[:, 1, 0], drawn[:, 0, 0])  # vertical
        finite = np.isfinite(drawn[:, 1, 1])
        # The top, on the line at the snapped foot: within half a pixel of the
        # snap, and the line's rise over the half pixel the foot moved.
        slope = abs(edges[k, 1] - edges[k, 0]) / abs(x1 - x0)
        np.testing.assert_allclose(
            ends[finite], drawn[finite, 1, 1], rtol=0, atol=0.5 + 0.5 * slope + 0.05
        )
        # The fitted line's visible part.
        exported = _slice(layer, segment["points"]).reshape(-1, 2, 2)[k]
        data = frame.fit_lines[0].get_xydata()
        if len(data) and np.all(np.isfinite(data)):
            np.testing.assert_allclose(
                exported, _on_canvas(frame.fit_lines[0], data), atol=0.01
            )
        else:
            assert np.isnan(exported).all()
            seen_off_panel |= frame.line_off_panel.get_visible()
        # The arrow: there exactly when matplotlib shows it, from θ.
        ends = _slice(layer, arrow["points"]).reshape(-1, 2, 2)[k]
        assert frame.arrow.get_visible() == bool(np.all(np.isfinite(ends))), k
        if frame.arrow.get_visible():
            tail = frame.surface_ax.transData.transform([frame.run.params[k]])
            tail[:, 1] = frame.figure.bbox.height - tail[:, 1]
            np.testing.assert_allclose(ends[0], tail[0], atol=0.01)
        # "line ŷ is above / below the panel": shown exactly when matplotlib shows it.
        assert (notes[k] >= 0) == frame.line_off_panel.get_visible(), k
    assert seen_off_panel, "a diverging run should leave the data panel"


def test_sprites_are_rendered_once_per_figure():
    surface = gdlab.LinearMSE(*_data())
    frame = _frame(
        surface, "3d", False, (0.0, 40.0), 0.5 * surface.critical_learning_rate()
    )
    first = frame.export_moving()
    frame.set_run(frame.run)  # a new path, the same figure
    frame.figure.canvas.draw()
    again = frame.export_moving()
    assert len(first.sprites) == len(again.sprites) > 0
    assert all(a["pixels"] is b["pixels"] for a, b in zip(first.sprites, again.sprites))


def test_export_needs_a_run():
    frame = ExplorerFrame(Figure(), gdlab.Saddle())
    with pytest.raises(RuntimeError, match="set_run"):
        frame.export_moving()


def _drawers():
    """The names of the browser's drawers: the keys of explorer_view.js's DRAW table."""
    source = Path(str(scene.ESM)).read_text()
    table = re.search(r"^const DRAW = \{\n(.*?)^\};", source, re.MULTILINE | re.DOTALL)
    assert table, "explorer_view.js has a DRAW table"
    return re.findall(r"^  (\w+)\(ctx, scene, layer, k\) \{", table[1], re.MULTILINE)


def test_every_kind_of_layer_has_one_drawer_in_the_browser_and_a_writer_here():
    drawers = _drawers()
    assert len(drawers) == len(set(drawers)) >= 6
    assert sorted(drawers) == sorted(KINDS)
    # Each kind is written by some record (test below: the kind it declares).
    assert sorted({record.kind for record in RECORDS}) == sorted(KINDS)


def test_the_drawer_reader_sees_a_missing_or_extra_drawer(tmp_path, monkeypatch):
    # The comparison above only means something if the table is read right.
    source = Path(str(scene.ESM)).read_text()
    changed = tmp_path / "explorer_view.js"
    changed.write_text(
        source.replace(
            "  rules(ctx, scene, layer, k) {", "  rule(ctx, scene, layer, k) {"
        )
    )
    monkeypatch.setattr(scene, "ESM", changed)
    assert "rule" in _drawers() and "rules" not in _drawers()


@pytest.mark.parametrize("view", ["contour", "3d"])
@pytest.mark.parametrize("kind", ["line", "saddle", "race"])
def test_each_moving_artist_is_one_record_that_writes_the_kind_it_declares(view, kind):
    surface = gdlab.LinearMSE(*_data()) if kind == "line" else gdlab.Saddle()
    if kind == "race":
        frame = ExplorerFrame(Figure(figsize=(13, 4.6)), surface, names="ab", view=view)
        frame.set_runs([gdlab.descend(surface, (-1.5, 0.3), r, 40) for r in (0.1, 0.6)])
    else:
        frame = ExplorerFrame(Figure(figsize=(13, 4.6)), surface, view=view)
        (m_low, _), (_, b_high) = surface.window()
        rate = (
            1.1 * surface.critical_learning_rate()
        )  # leaves the map: every note shows
        frame.set_run(gdlab.descend(surface, (0.7 * m_low, 0.9 * b_high), rate, 40))
    FigureCanvasAgg(frame.figure).draw()
    artists = [record.artist for record in frame._records]
    assert sorted(map(id, artists)) == sorted(map(id, frame.moving))
    if kind != "race":  # the single explorer: drawn in the same order everywhere
        assert artists == frame.moving
    for record in frame._records:
        layer = MovingLayer(frame.figure, frame._last + 1)
        record.export(layer, layer.steps)
        assert [spec["kind"] for spec in layer.layers] == [record.kind], record


@pytest.mark.parametrize("view", ["contour", "3d"])
def test_a_long_paths_dots_are_the_same_few_in_the_browser_and_in_matplotlib(view):
    # One record draws them both: at most about sixty dots, so the path's
    # colour shows, at every step (the browser once drew every one).
    surface = gdlab.LinearMSE(*_data())
    rate = 0.004 * surface.critical_learning_rate()
    frame = _frame(surface, view, False, default_start(surface), rate, steps=800)
    assert frame.run.steps_taken == 800
    layer = frame.export_moving()
    dots = _layer(layer, "markers", 0 if view == "contour" else 2)
    points = _slice(layer, dots["points"]).reshape(-1, 2)
    for k in (3, 200, 555, 800):
        _drawn_at(frame, k)
        shown = points[: dots["count"][0] * k + dots["count"][1]]
        shown = shown[~np.isnan(shown).any(axis=1)]
        # (On a 3-D axes, the data a draw projected.)
        truth = _on_canvas(frame.dots[0], frame.dots[0].get_xydata())
        np.testing.assert_array_equal(shown, np.floor(truth + 0.5))
        assert len(shown) <= 61
    assert len(shown) >= 50
