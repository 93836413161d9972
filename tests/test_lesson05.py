"""Lesson 05 as shipped: stubs say "not yet", and every solution passes its checker."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

LESSON = Path(__file__).resolve().parent.parent / "notebooks" / "05-update-rule.ipynb"
SOLUTION = re.compile(
    r"<details><summary>Solution</summary>\s*```python\n(.*?)```", re.DOTALL
)


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(LESSON, as_version=4)


def _tagged(notebook, tag):
    return [
        i
        for i, cell in enumerate(notebook.cells)
        if tag in cell.metadata.get("tags", [])
    ]


def test_the_lesson_has_one_setup_cell_and_two_exercises(notebook):
    assert len(_tagged(notebook, "setup")) == 1
    assert len(_tagged(notebook, "exercise")) == len(_tagged(notebook, "checker")) == 2
    assert "widgets" not in notebook.metadata


def test_each_checker_was_saved_showing_not_yet(notebook):
    for index in _tagged(notebook, "checker"):
        outputs = notebook.cells[index].outputs
        assert len(outputs) == 1
        assert outputs[0].data["text/plain"].startswith("✏️")
        assert "Not yet" in outputs[0].data["text/plain"]


def test_each_solution_passes_its_checker_and_each_stub_does_not(notebook):
    namespace: dict = {}
    exec(notebook.cells[_tagged(notebook, "setup")[0]].source, namespace)
    for index in _tagged(notebook, "checker"):
        stub, checker = notebook.cells[index - 1], notebook.cells[index]
        assert "exercise" in stub.metadata["tags"]
        exec(stub.source, namespace)
        assert eval(checker.source, namespace).not_yet
        solution = SOLUTION.search(notebook.cells[index + 1].source)
        assert solution, f"no collapsed solution right after cell {index}"
        exec(solution.group(1), namespace)
        feedback = eval(checker.source, namespace)
        assert feedback.passed, feedback.message
