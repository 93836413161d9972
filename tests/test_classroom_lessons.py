"""Lessons run unchanged in classroom mode (GDLAB_CLASSROOM=1, as `make lab CLASSROOM=1`).

Two lessons with many figures and widgets run top to bottom in a kernel
started with the variable set: no error, nothing on stderr (a warning from
a crowded layout would land there), and the static figures come out larger
than in the saved lesson, which is the usual mode's run (the explorer's still
is sized to fit a 720p screen: tests/browser).
"""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import nbformat
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def _run(name: str, classroom: bool):
    from nbclient import NotebookClient

    book = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    saved = os.environ.get("GDLAB_CLASSROOM")
    os.environ["GDLAB_CLASSROOM"] = "1" if classroom else "0"
    try:
        NotebookClient(
            book,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(ROOT / "notebooks")}},
        ).execute()
    finally:
        if saved is None:
            os.environ.pop("GDLAB_CLASSROOM", None)
        else:
            os.environ["GDLAB_CLASSROOM"] = saved
    return book


def _outputs(book):
    for index, cell in enumerate(book.cells):
        for output in cell.get("outputs", []):
            yield index, output


@pytest.mark.parametrize(
    "name", ["05-update-rule.ipynb", "07-polynomial-regression.ipynb"]
)
def test_a_lesson_runs_in_classroom_mode_without_warnings_and_draws_larger(name):
    large = _run(name, classroom=True)
    problems = [
        f"cell {i}: {o.get('ename') or o.get('text', '')[:200]}"
        for i, o in _outputs(large)
        if o.output_type == "error"
        or (o.output_type == "stream" and o.name == "stderr")
    ]
    assert problems == []
    # The saved lesson is the usual mode's run (tools/notebooks.py run saves
    # it from a fresh kernel, GDLAB_CLASSROOM unset): its figures are the
    # usual sizes, so the lesson need not run a second time here.
    normal = nbformat.read(ROOT / "notebooks" / name, as_version=4)

    def sizes(book):
        return [
            Image.open(io.BytesIO(base64.b64decode(o["data"]["image/png"]))).size
            for _, o in _outputs(book)
            # Static figures; a widget's still is sized to fit the screen instead.
            if "image/png" in o.get("data", {})
            and "application/vnd.jupyter.widget-view+json" not in o["data"]
        ]

    big, small = sizes(large), sizes(normal)
    assert len(big) == len(small) > 0
    # Every picture at least as large, and most larger (a wide one keeps its width).
    assert all(b[0] * b[1] >= 0.9 * s[0] * s[1] for b, s in zip(big, small))
    assert sum(b[0] * b[1] > s[0] * s[1] for b, s in zip(big, small)) >= len(big) / 2
