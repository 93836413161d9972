"""Every lesson presents as slides: each cell carries a slide type, kept by tools/notebooks.py."""

from __future__ import annotations

import base64
import shutil
import struct
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


def _type(cell):
    """The slide type: "-" (go on with the slide above) has no slide_type written."""
    entry = cell.metadata.get("slideshow")
    if entry is None:
        return None
    # "-" written out hides the cell in jupyterlab-slideshow.
    assert entry.get("slide_type") != "-", "write '-' as no slide_type"
    return entry.get("slide_type", "-")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_cell_has_a_slide_type_and_every_section_is_a_slide(path):
    book = nbformat.read(path, as_version=4)
    assert all(_type(cell) in TYPES for cell in book.cells)
    nav = [c for c in book.cells if c.source.startswith("<!-- gdlab-nav")]
    content = [c for c in book.cells if c not in nav]
    assert nav and all(_type(c) == "skip" for c in nav), "navigation is not a slide"
    assert _type(content[0]) == "slide" and content[0].source.startswith("# ")
    sections = [
        c for c in content if c.cell_type == "markdown" and c.source.startswith("## ")
    ]
    assert sections and all(_type(c) == "slide" for c in sections)
    # No slide but the ones a heading opens: the headings are the slide titles.
    slides = [c for c in content if _type(c) == "slide"]
    assert len(slides) == len(sections) + 1


def test_the_check_passes_on_the_lessons():
    assert nbtools.update_slides(check=True) == []


def test_the_check_fails_on_a_lesson_without_slides_and_the_verb_fills_them_in(
    tmp_path,
):
    source = ROOT / "notebooks" / "05-update-rule.ipynb"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    book = nbformat.read(copy, as_version=4)
    for cell in book.cells:
        cell.metadata.pop("slideshow", None)
    nbformat.write(book, copy)

    assert nbtools.update_slides(check=True, folder=tmp_path) == [source.name]
    assert nbformat.read(copy, as_version=4).cells[1].metadata.get("slideshow") is None
    assert nbtools.update_slides(folder=tmp_path) == [source.name]
    assert nbtools.update_slides(check=True, folder=tmp_path) == []
    filled = nbformat.read(copy, as_version=4)
    original = nbformat.read(source, as_version=4)
    assert [_type(c) for c in filled.cells] == [_type(c) for c in original.cells]


def test_a_dash_written_out_is_rewritten_as_no_slide_type(tmp_path):
    source = ROOT / "notebooks" / "03-mse.ipynb"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    book = nbformat.read(copy, as_version=4)
    index = next(i for i, c in enumerate(book.cells) if _type(c) == "-")
    book.cells[index].metadata["slideshow"] = {"slide_type": "-"}
    nbformat.write(book, copy)
    assert nbtools.update_slides(check=True, folder=tmp_path) == [source.name]
    nbtools.update_slides(folder=tmp_path)
    assert nbformat.read(copy, as_version=4).cells[index].metadata["slideshow"] == {}


def test_a_hand_tuned_slide_type_is_kept_unless_reset(tmp_path):
    source = ROOT / "notebooks" / "02-linear-model.ipynb"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    book = nbformat.read(copy, as_version=4)
    book.cells[2].metadata["slideshow"] = {"slide_type": "notes"}
    nbformat.write(book, copy)
    assert nbtools.update_slides(folder=tmp_path) == []
    assert _type(nbformat.read(copy, as_version=4).cells[2]) == "notes"
    assert nbtools.update_slides(folder=tmp_path, reset=True) == [source.name]
    assert _type(nbformat.read(copy, as_version=4).cells[2]) != "notes"


def test_every_section_of_every_lesson_is_its_own_slide():
    assert nbtools.unsplit_sections() == {}


def test_the_section_check_catches_a_heading_below_the_first_line(tmp_path):
    source = ROOT / "notebooks" / "05-update-rule.ipynb"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    assert nbtools.unsplit_sections(folder=tmp_path) == {}
    book = nbformat.read(copy, as_version=4)
    index = next(
        i
        for i, c in enumerate(book.cells)
        if i > 2 and c.cell_type == "markdown" and c.source.startswith("## ")
    )
    # Prose above the heading in its cell, as in lesson 06's cell 16; and a
    # heading-like line inside fenced code, which is no section.
    book.cells[index].source = (
        "Some prose first.\n\n"
        + book.cells[index].source
        + "\n\n```python\n## a comment\n```"
    )
    heading = book.cells[index].source.splitlines()[2]
    nbformat.write(book, copy)
    found = nbtools.unsplit_sections(folder=tmp_path)
    assert found == {source.name: [f"cell {index}, line 3: {heading[:60]}"]}
    # A heading that opens its cell but is not a slide is caught too.
    book.cells[index].source = book.cells[index].source.split("\n\n", 1)[1]
    book.cells[index].metadata["slideshow"] = {"slide_type": "subslide"}
    nbformat.write(book, copy)
    found = nbtools.unsplit_sections(folder=tmp_path)
    assert found == {source.name: [f"cell {index}, line 1: {heading[:60]}"]}
    assert nbtools.main(["slides", "--check"]) == 0  # the lessons themselves pass


def _lesson(*cells):
    """A tiny lesson: a title, a section heading, then ``cells``."""
    from nbformat.v4 import new_markdown_cell

    return [
        new_markdown_cell("# 99 · Title"),
        new_markdown_cell("## A section"),
    ] + list(cells)


def _figure(source="plots.draw()"):
    from nbformat.v4 import new_code_cell, new_output

    cell = new_code_cell(source)
    cell.outputs = [
        new_output(
            "display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"}
        )
    ]
    return cell


def test_a_figure_opens_a_slide_below_with_its_caption_and_what_follows_another():
    from nbformat.v4 import new_code_cell, new_markdown_cell

    cells = _lesson(
        new_markdown_cell("Some prose."),
        _figure(),
        new_markdown_cell("*Figure: a curve.*"),
        new_markdown_cell("<!-- gdlab-notes:x -->\nnotes"),
        new_code_cell("print(1)"),
        new_markdown_cell("More prose."),
    )
    cells[5].metadata["slideshow"] = {"slide_type": "notes"}
    wanted = nbtools.wanted_slide_types(cells)
    assert wanted == ["slide", "slide", "-", "subslide", "-", "notes", "subslide", "-"]


def test_a_mistake_box_after_its_anchor_opens_a_slide_below():
    from nbformat.v4 import new_markdown_cell

    box = new_markdown_cell('<a id="mistake-8"></a>\n\n> **Common mistake 8.** Text.')
    assert nbtools.wanted_slide_types(_lesson(box))[-1] == "subslide"
    anchored_heading = new_markdown_cell('<a id="mistake-1"></a>\n### 1. A mistake')
    assert nbtools.wanted_slide_types(_lesson(anchored_heading))[-1] == "subslide"


def test_a_section_too_tall_for_the_screen_goes_on_below_and_a_caption_stays():
    from nbformat.v4 import new_code_cell, new_markdown_cell

    # Four 7-line code cells with 4 printed lines each: about 300 px each,
    # two to a slide, and the first beside the heading.
    printing = "\n".join(f"print({i})" for i in range(7))
    cell = new_code_cell(printing)
    cell.outputs = [{"output_type": "stream", "name": "stdout", "text": "1\n2\n3\n4\n"}]
    cells = _lesson(*[nbformat.from_dict(dict(cell)) for _ in range(4)])
    wanted = nbtools.wanted_slide_types(cells)
    heights = [nbtools.slide_height(c) for c in cells[1:]]
    assert 250 < heights[1] < nbtools.SLIDE_ROOM / 2
    assert wanted == ["slide", "slide", "-", "subslide", "-", "subslide"]
    # A caption of five lines still stays with its figure.
    caption = new_markdown_cell("*Figure: " + "a long caption " * 35 + "*")
    assert nbtools.wanted_slide_types(_lesson(_figure(), caption))[-1] == "-"


def test_the_height_estimate_counts_what_a_slide_shows():
    from nbformat.v4 import new_markdown_cell

    line = nbtools.slide_height(new_markdown_cell("one line"))
    assert nbtools.slide_height(new_markdown_cell("word " * 100)) > 3 * line - 40
    folded = "<details><summary>Hint</summary>\n\n" + "hidden\n\n" * 30 + "</details>"
    assert nbtools.slide_height(new_markdown_cell(folded)) < 2 * line
    assert nbtools.slide_height(new_markdown_cell("<!-- a\ncomment\n-->")) < line
    assert nbtools.slide_height(_figure("a\n" * 40)) == nbtools.PICTURE + nbtools.CELL


def test_a_widget_s_caption_is_left_out_and_a_long_caption_goes_below():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

    widget = new_code_cell("Explorer()")
    view = {"model_id": "x", "version_major": 2, "version_minor": 0}
    widget.outputs = [
        new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": view, "image/png": "i"},
        )
    ]
    cells = _lesson(widget, new_markdown_cell("*Figure (saved): the frame.*"))
    cells.append(new_markdown_cell("Prose after it."))
    assert nbtools.wanted_slide_types(cells)[2:] == ["subslide", "skip", "subslide"]
    # Eleven lines of caption do not fit under a figure at 720 px.
    long = new_markdown_cell("*Figure: " + "word " * 240 + "*")
    assert nbtools.wanted_slide_types(_lesson(_figure(), long))[-1] == "subslide"


def test_a_figure_too_tall_to_share_the_screen_leaves_its_caption_below():
    from nbformat.v4 import new_markdown_cell

    caption = new_markdown_cell("*Figure: a short caption.*")
    # A saved PNG 600 wide and 560 tall: 700 px tall in classroom mode.
    header = base64.b64encode(
        b"\x89PNG\r\n\x1a\n" + bytes(8) + struct.pack(">II", 600, 560)
    )
    tall = _figure()
    tall.outputs[0]["data"]["image/png"] = header.decode() + "AAAA"
    assert nbtools.classroom_height(tall) == 700
    assert nbtools.wanted_slide_types(_lesson(tall, caption))[-1] == "subslide"
    short = nbformat.from_dict(dict(tall))
    short.outputs = [nbformat.from_dict(dict(tall.outputs[0]))]
    header = base64.b64encode(
        b"\x89PNG\r\n\x1a\n" + bytes(8) + struct.pack(">II", 600, 400)
    )
    short.outputs[0]["data"] = {"image/png": header.decode() + "AAAA"}
    assert nbtools.classroom_height(short) == 500
    assert nbtools.wanted_slide_types(_lesson(short, caption))[-1] == "-"
