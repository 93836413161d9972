"""Saved lessons stay light: every figure is a palette PNG, a lesson ≤ 165 kB on average, none over 400 kB.

``tools/notebooks.py run`` re-encodes each figure with ``smaller_png``; these
tests read the saved files byte by byte, and check ``smaller_png`` against
colours counted here, independently.
"""

from __future__ import annotations

import base64
import io
import struct
from collections import Counter
from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools

LESSONS = nbtools.lessons()
# Bytes.  The budget grows with the course (a clone of 15 lessons downloads
# under 2.5 MB), but no one lesson may grow heavy: 400 kB is about 20 figures.
BUDGET_PER_LESSON = 165_000
MOST_FOR_ONE_LESSON = 400_000
PALETTE_COLOUR_TYPE = 3
# The cells tools/teacher.py writes into a lesson (concept checks, speaker notes).
TEACHER_MARKERS = ("<!-- gdlab-check:", "<!-- gdlab-notes:")


def _header(png: bytes) -> tuple[int, int, int, int]:
    """(width, height, bit depth, colour type) from the PNG's IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">IIBB", png[16:26])


def _figures(path: Path) -> list[bytes]:
    book = nbformat.read(path, as_version=4)
    return [
        base64.b64decode(output["data"]["image/png"])
        for cell in book.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_all_lessons_together_fit_the_budget():
    total = sum(path.stat().st_size for path in LESSONS)
    budget = BUDGET_PER_LESSON * len(LESSONS)
    assert total <= budget, (
        f"lessons weigh {total / 1e6:.2f} MB, over {budget / 1e6:.1f}"
    )


def _own_weight(path: Path) -> int:
    """Bytes of the lesson as saved, without the teacher's cells.

    ``tools/teacher.py lessons`` writes concept checks and speaker notes into
    every lesson: a dozen kB of text at most, the same in a lesson with many
    figures as in one with none.  The limit per lesson guards against heavy
    figures, so it weighs the lesson's own cells; the budget for the whole
    course counts everything.
    """
    book = nbformat.read(path, as_version=4)
    book.cells = [c for c in book.cells if not c.source.startswith(TEACHER_MARKERS)]
    return len(nbformat.writes(book).encode() + b"\n")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_lesson_is_heavy(path):
    weight = _own_weight(path)
    assert weight <= MOST_FOR_ONE_LESSON, f"{path.name}: {weight} bytes"


def test_a_lesson_weighs_its_file_without_the_teacher_cells(tmp_path):
    path = next(p for p in LESSONS if p.name.startswith("05-"))
    book = nbformat.read(path, as_version=4)
    assert any(c.source.startswith(TEACHER_MARKERS) for c in book.cells)
    book.cells = [c for c in book.cells if not c.source.startswith(TEACHER_MARKERS)]
    bare = tmp_path / path.name
    nbformat.write(book, bare)
    assert _own_weight(path) == _own_weight(bare) == bare.stat().st_size
    assert _own_weight(path) < path.stat().st_size


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_saved_figures_are_small_palette_pngs(path):
    for png in _figures(path):
        width, height, depth, colour_type = _header(png)
        assert colour_type == PALETTE_COLOUR_TYPE and depth == 8
        # Measured at most 0.13 bytes a pixel; RGBA as saved before was ~0.4.
        assert len(png) <= 0.2 * width * height


def test_the_series_has_figures_to_check():
    assert sum(len(_figures(path)) for path in LESSONS) >= 30


def _busy_figure(dpi: float = 100) -> bytes:
    """A figure with thousands of colours: smooth contours, antialiased text."""
    figure = Figure(figsize=(4, 3), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    grid = np.linspace(-2, 2, 200)
    ax.contourf(grid, grid, np.add.outer(grid**2, 0.5 * grid), levels=60)
    ax.plot(grid, np.sin(3 * grid), color="tab:orange", linewidth=2)
    ax.set_title("a busy figure")
    figure.canvas.draw()
    return _png(Image.fromarray(np.asarray(figure.canvas.buffer_rgba())))


def test_a_figure_of_few_colours_is_kept_exactly():
    rng = np.random.default_rng(0)
    few = nbtools.PALETTE - 10
    colours = rng.integers(0, 256, size=(few, 3))
    pixels = colours[rng.integers(0, few, size=(60, 80))].astype(np.uint8)
    original = _png(Image.fromarray(pixels, "RGB"))
    smaller = nbtools.smaller_png(original)
    assert _header(smaller)[3] == PALETTE_COLOUR_TYPE
    np.testing.assert_array_equal(_pixels(smaller), _pixels(original))


def test_a_busy_figure_keeps_its_common_colours_and_moves_few_pixels():
    original = _busy_figure()
    before = _pixels(original)
    counts = Counter(map(tuple, before.reshape(-1, 4)))
    assert len(counts) > 1000, "the test figure must need more than a palette"
    smaller = nbtools.smaller_png(original)
    after = _pixels(smaller)
    assert _header(smaller)[3] == PALETTE_COLOUR_TYPE
    assert len(smaller) < len(original) / 2
    error = np.abs(after - before).max(axis=-1)
    # Colours tied with the last one kept exactly may go either way: take those above it.
    threshold = counts.most_common(nbtools.EXACT)[-1][1]
    common = {colour for colour, count in counts.items() if count > threshold}
    assert len(common) > nbtools.EXACT // 2
    exact = np.array([tuple(p) in common for p in before.reshape(-1, 4)])
    error = error.ravel()
    assert error[exact].max() == 0, "the commonest colours stay exact"
    assert (error > 8).mean() < 0.01
    assert error.mean() < 0.5


def test_see_through_figures_are_left_alone():
    pixels = np.zeros((10, 10, 4), np.uint8)
    pixels[..., 3] = np.linspace(0, 255, 10).astype(np.uint8)
    original = _png(Image.fromarray(pixels, "RGBA"))
    assert nbtools.smaller_png(original) == original
