"""`make figures`: one contact-sheet PNG per lesson, for reviewing figures at a glance.

Every PNG a saved lesson shows (matplotlib figures and the still image a
widget saves for readers on GitHub) is laid out on one page per lesson,
each captioned with its cell: position in the notebook, cell id and the
cell's first line of code.  The pages are a build artefact, written to a
git-ignored folder.  By default nothing is executed, so run ``make
notebooks`` (or ``tools/notebooks.py run``) first if the saved outputs may
be stale.

    python tools/contact_sheet.py [NB ...] [--out DIR] [--cells] [--classroom] [--check]

``--cells`` also writes every figure on its own, full size, as
``DIR/NN-cellCC.png``, for a closer look at one figure.

``--classroom`` runs each lesson in a fresh kernel with every
``plots.subplots`` figure in classroom mode and writes those pages as
``DIR/classroom/NN-….png`` (the saved notebooks are not touched).

``--check`` runs each lesson (in classroom mode too with ``--classroom``)
and lists every figure in which two labels run into each other
(:func:`gdlab.plots.text_overlaps`); it exits with status 1 if any do.
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent

from notebooks import lessons

OUTPUT = ROOT / "build" / "figures"
PAGE_WIDTH = 2400  # pixels; two figures side by side at up to 1180 pixels each
COLUMNS = 2
MARGIN = 20
CAPTION_HEIGHT = 58  # two lines of caption under each figure
TITLE_HEIGHT = 60


@dataclass(frozen=True)
class Figure:
    """One saved PNG output of a lesson, with where it came from."""

    lesson: str
    index: int  # the cell's position in the notebook, counting from 0
    cell_id: str
    first_line: str
    widget: bool
    png: bytes

    @property
    def caption(self) -> str:
        kind = "widget still" if self.widget else "figure"
        return f"cell {self.index} ({self.cell_id}) · {kind}\n{self.first_line}"


def figures_of(path: Path, book=None) -> list[Figure]:
    """Every PNG output saved in the notebook at ``path`` (or in ``book``), in cell order."""
    book = nbformat.read(path, as_version=4) if book is None else book
    found = []
    for index, cell in enumerate(book.cells):
        if cell.cell_type != "code":
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        first = next((line for line in lines if not line.startswith("#")), "")
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            widget = "application/vnd.jupyter.widget-view+json" in data
            found.append(
                Figure(
                    lesson=path.stem,
                    index=index,
                    cell_id=cell.get("id", "?"),
                    first_line=first.strip()[:110],
                    widget=widget,
                    png=base64.b64decode(data["image/png"]),
                )
            )
    return found


# Injected after a lesson's setup cell: wrap the inline backend's PNG
# formatter so each figure is checked for overlapping labels as it is shown.
_REVIEW_CELL = """
import functools as _functools
from gdlab import plots as _plots
from matplotlib.figure import Figure as _Figure
if {classroom}:
    _plots.subplots = _functools.partial(_plots.subplots, classroom=True)
_gdlab_overlaps, _gdlab_cell = [], [None]
get_ipython().events.register(
    "pre_run_cell", lambda info: _gdlab_cell.__setitem__(0, info.raw_cell)
)
get_ipython().run_line_magic("matplotlib", "inline")  # registers the formatter
_png = get_ipython().display_formatter.formatters["image/png"]
_show_png = _png.lookup_by_type(_Figure)
def _checked_png(fig, *args, **kwargs):
    found = _plots.text_overlaps(fig)
    if found:
        _gdlab_overlaps.append((_gdlab_cell[0], found))
    return _show_png(fig, *args, **kwargs)
_png.for_type(_Figure, _checked_png)
"""
_REPORT_CELL = "import json as _json; print(_json.dumps(_gdlab_overlaps))"


def run_for_review(path: Path, classroom: bool):
    """Execute a copy of a lesson; return it and ``[(cell index, overlaps)]``."""
    import json

    from nbclient import NotebookClient

    book = nbformat.read(path, as_version=4)
    setup = next(i for i, c in enumerate(book.cells) if c.cell_type == "code")
    review = nbformat.v4.new_code_cell(_REVIEW_CELL.format(classroom=classroom))
    book.cells.insert(setup + 1, review)
    book.cells.append(nbformat.v4.new_code_cell(_REPORT_CELL))
    NotebookClient(
        book,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    report = json.loads(book.cells.pop().outputs[0]["text"])
    del book.cells[setup + 1]
    # Each report names its cell by the source that ran; find it again.
    index_of = {c.source: i for i, c in enumerate(book.cells) if c.cell_type == "code"}
    return book, [(index_of.get(cell, "?"), found) for cell, found in report]


def _font(size: int, bold: bool = False):
    weight = "bold" if bold else "normal"
    properties = font_manager.FontProperties(family="DejaVu Sans", weight=weight)
    return ImageFont.truetype(font_manager.findfont(properties), size)


def _rows(figures: list[Figure], cell_width: int):
    """Scaled images in rows of ``COLUMNS``; a row is as tall as its tallest image."""
    rows = []
    for start in range(0, len(figures), COLUMNS):
        row = []
        for figure in figures[start : start + COLUMNS]:
            image = Image.open(io.BytesIO(figure.png)).convert("RGB")
            # Never enlarge: a figure is shown at most at its saved size.
            scale = min(1.0, cell_width / image.width)
            size = (round(image.width * scale), round(image.height * scale))
            row.append((figure, image.resize(size, Image.Resampling.LANCZOS)))
        rows.append(row)
    return rows


def contact_sheet(path: Path, book=None, note: str = "") -> Image.Image | None:
    """One page with every figure of the lesson at ``path``; ``None`` if it has none.

    ``book``: an executed copy of the lesson to take the figures from instead.
    """
    figures = figures_of(path, book)
    if not figures:
        return None
    cell_width = (PAGE_WIDTH - (COLUMNS + 1) * MARGIN) // COLUMNS
    rows = _rows(figures, cell_width)
    heights = [max(img.height for _, img in row) + CAPTION_HEIGHT for row in rows]
    page = Image.new(
        "RGB", (PAGE_WIDTH, TITLE_HEIGHT + sum(heights) + MARGIN * len(rows)), "white"
    )
    draw = ImageDraw.Draw(page)
    title = f"{path.stem}: {len(figures)} saved figures{note}"
    draw.text((MARGIN, 14), title, fill="black", font=_font(30, bold=True))
    caption_font = _font(19)
    top = TITLE_HEIGHT
    for row, height in zip(rows, heights):
        for column, (figure, image) in enumerate(row):
            left = MARGIN + column * (cell_width + MARGIN)
            page.paste(image, (left, top))
            draw.rectangle(
                (left - 1, top - 1, left + image.width, top + image.height),
                outline="#bbbbbb",
            )
            draw.multiline_text(
                (left, top + image.height + 6),
                figure.caption,
                fill="#333333",
                font=caption_font,
                spacing=4,
            )
        top += height + MARGIN
    return page


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument(
        "--cells", action="store_true", help="also write each figure on its own"
    )
    parser.add_argument(
        "--classroom", action="store_true", help="also run and draw classroom mode"
    )
    parser.add_argument(
        "--check", action="store_true", help="run and list overlapping labels"
    )
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or lessons()
    args.out.mkdir(parents=True, exist_ok=True)
    pages = _write_pages(paths, args.out, args.cells)
    where = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"wrote {pages} contact sheets to {where}/")
    if not (args.classroom or args.check):
        return 0
    overlaps = 0
    modes = ([False] if args.check else []) + ([True] if args.classroom else [])
    for classroom in modes:
        for path in paths:
            book, found = run_for_review(path, classroom)
            if classroom:
                page = contact_sheet(path, book, note=" (classroom mode)")
                if page is not None:
                    (args.out / "classroom").mkdir(exist_ok=True)
                    page.save(args.out / "classroom" / f"{path.stem}.png")
            for index, pairs in found if args.check else []:
                overlaps += 1
                mode = "classroom" if classroom else "normal"
                shown = "; ".join(f"{a!r} × {b!r}" for a, b in pairs[:4])
                print(f"{path.stem} cell {index} ({mode}): labels overlap: {shown}")
    if args.check:
        print(f"{overlaps} figures with overlapping labels")
    return 1 if overlaps else 0


def _write_pages(paths, out: Path, cells: bool) -> int:
    pages = 0
    for path in paths:
        page = contact_sheet(path)
        if page is None:
            continue
        page.save(out / f"{path.stem}.png", optimize=True)
        pages += 1
        seen: dict[int, int] = {}
        for figure in figures_of(path) if cells else []:
            # A cell may save more than one PNG: a, b, … after the first.
            count = seen[figure.index] = seen.get(figure.index, -1) + 1
            suffix = "" if count == 0 else chr(ord("a") + count - 1)
            name = f"{path.stem[:2]}-cell{figure.index:02d}{suffix}.png"
            (out / name).write_bytes(figure.png)
    return pages


if __name__ == "__main__":
    sys.exit(main())
