"""The student edition of a lesson: no solution text, exercises and checkers kept."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools
import teacher

LESSONS = [p for p in nbtools.lessons() if teacher.lesson_key(p) != "A"]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _solutions(book) -> list[tuple[str, str]]:
    """(stub, solution code) of every exercise in the course's lesson."""
    cells, found = book.cells, []
    for i, cell in enumerate(cells):
        if "exercise" in cell.metadata.get("tags", []):
            code = re.search(r"```python\n(.*?)```", cells[i + 2].source, re.DOTALL)
            found.append((cell.source, code[1]))
    return found


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_the_student_edition_has_no_line_of_any_solution(path, tmp_path):
    key = teacher.lesson_key(path)
    warnings = []
    target = teacher.write_assignment(key, tmp_path, log=warnings.append)
    student = nbformat.read(target, as_version=4)
    # A lesson cell that itself shows a solution's line is reported by number
    # (the lesson's author must mend it); it must be lesson code, never a hint.
    reported = {int(re.search(r"cell (\d+)", w)[1]) for w in warnings}
    for number in reported:
        cell = student.cells[number - 1]
        assert cell.cell_type == "code" and not cell.metadata.get("tags"), number
    text = _squeezed(
        "\n".join(c.source for n, c in enumerate(student.cells, 1) if n not in reported)
    )
    course = nbformat.read(path, as_version=4)
    solutions = _solutions(course)
    assert solutions, "every lesson but A has an exercise"
    for stub, code in solutions:
        for line in code.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if (
                not line
                or line.startswith("def ")
                or _squeezed(line) in _squeezed(stub)
            ):
                continue
            # A solution line shorter than this is too common to grep for.
            if len(_squeezed(line)) >= 12:
                assert _squeezed(line) not in text, (path.name, line)
    assert "<summary>Solution</summary>" not in target.read_text()
    tags = [c.metadata.get("tags", []) for c in student.cells]
    assert sum("exercise" in t for t in tags) == len(solutions)
    assert sum("checker" in t for t in tags) == len(solutions)


def test_a_hint_that_gives_no_line_away_stays():
    book = nbformat.read(LESSONS[1], as_version=4)  # 01: hints without code
    student = teacher.student_edition(book, "01", {})
    assert any("<summary>Hint</summary>" in c.source for c in student.cells)


def test_lesson_05s_edition_asks_for_the_largest_stable_rate(tmp_path):
    target = teacher.write_assignment("05", tmp_path)
    cells = nbformat.read(target, as_version=4).cells
    record = [c for c in cells if "record" in c.metadata.get("tags", [])]
    assert [c.source.splitlines()[1] for c in record] == [
        "largest_stable_learning_rate = None  # your value here"
    ]
    summary = next(i for i, c in enumerate(cells) if c.source.startswith("## Summary"))
    assert cells.index(record[0]) == summary - 1


def test_the_make_target_writes_into_build(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "teacher.py"), "assignments", "05b"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "student edition written" in done.stdout
    assert (out / "05b-vectors-and-matrices.ipynb").exists()
    bad = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "teacher.py"), "assignments", "99"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "lesson must be one of" in bad.stderr
