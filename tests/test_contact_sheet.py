"""tools/contact_sheet.py: every saved PNG of a lesson on one page, captioned with its cell."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")

import contact_sheet  # tools/ is not a package: imported from its folder
import matplotlib.pyplot as plt
import nbformat
import pytest
from PIL import Image


def _png(width_inches: float) -> str:
    fig, ax = plt.subplots(figsize=(width_inches, 2.0), dpi=100)
    ax.plot([0, 1])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def lesson(tmp_path):
    book = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell("import gdlab")
    figure = nbformat.v4.new_code_cell("# a comment first\nfig, ax = plots.subplots()")
    figure.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": _png(4.0)}),
        nbformat.v4.new_output("display_data", data={"image/png": _png(30.0)}),
    ]
    widget = nbformat.v4.new_code_cell("widgets.LineFitter(x, y)")
    widget.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                "image/png": _png(5.0),
            },
        )
    ]
    prose = nbformat.v4.new_markdown_cell("# 99 · Test")
    book.cells = [prose, setup, figure, widget]
    path = tmp_path / "99-test.ipynb"
    nbformat.write(book, path)
    return path, book


def test_figures_are_found_with_their_cell_and_kind(lesson):
    path, book = lesson
    figures = contact_sheet.figures_of(path)
    assert [(f.index, f.widget) for f in figures] == [(2, False), (2, False), (3, True)]
    assert figures[0].cell_id == book.cells[2].id
    assert figures[0].first_line == "fig, ax = plots.subplots()"  # comments skipped
    assert (
        figures[2].caption.startswith("cell 3 (")
        and "widget still" in figures[2].caption
    )


def test_page_holds_every_figure_never_enlarged(lesson):
    path, _ = lesson
    page = contact_sheet.contact_sheet(path)
    assert page.width == contact_sheet.PAGE_WIDTH
    cell = (contact_sheet.PAGE_WIDTH - 3 * contact_sheet.MARGIN) // 2
    # Rows: the 400- and 3000-pixel figures side by side (the wide one scaled
    # to the cell width), then the 500-pixel widget still at its own size.
    first_row = max(200, round(200 * cell / 3000)) + contact_sheet.CAPTION_HEIGHT
    second_row = 200 + contact_sheet.CAPTION_HEIGHT
    expected = (
        contact_sheet.TITLE_HEIGHT + first_row + second_row + 2 * contact_sheet.MARGIN
    )
    assert page.height == expected


def test_a_lesson_without_figures_has_no_page(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("1 + 1")]
    path = tmp_path / "98-none.ipynb"
    nbformat.write(book, path)
    assert contact_sheet.contact_sheet(path) is None


def test_main_writes_pages_and_single_figures(lesson, tmp_path):
    path, _ = lesson
    out = tmp_path / "sheets"
    assert contact_sheet.main([str(path), "--out", str(out), "--cells"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["99-cell02.png", "99-cell02a.png", "99-cell03.png", "99-test.png"]
    with Image.open(out / "99-cell02a.png") as single:
        assert single.width == 3000
