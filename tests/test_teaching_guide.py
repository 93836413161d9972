"""The teacher's guide: linked from the README and 00, a 50-minute route for every lesson."""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "teaching.md"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SPAN = re.compile(r"^\| (\d+)–(\d+) \|", re.MULTILINE)


def _sections(text: str) -> dict[str, str]:
    """The guide's ``### NN · Title`` sections, by lesson number."""
    parts = re.split(r"^### (\d\d) · .*$", text, flags=re.MULTILINE)
    # The last lesson's section ends at the next "## " heading.
    return {
        parts[i]: re.split(r"^## ", parts[i + 1], flags=re.MULTILINE)[0]
        for i in range(1, len(parts), 2)
    }


def _headings(path: Path) -> list[str]:
    book = nbformat.read(path, as_version=4)
    return [
        line.lstrip("#").strip()
        for cell in book.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith(("## ", "### "))
    ]


def _plain(text: str) -> str:
    """Headings as the guide writes them: 1/n for a LaTeX fraction, no dollars."""
    text = re.sub(r"\\frac\{([^}]*)\}\{([^}]*)\}", r"\1/\2", text)
    return re.sub(r"[$\\{}]", "", text)


def test_the_guide_is_linked_from_the_readme_and_from_00():
    assert "(docs/teaching.md)" in (ROOT / "README.md").read_text()
    book = nbformat.read(ROOT / "notebooks" / "00-start-here.ipynb", as_version=4)
    assert any("(../docs/teaching.md)" in c.source for c in book.cells)


@pytest.mark.parametrize("path", LESSONS[1:], ids=[p.stem for p in LESSONS[1:]])
def test_every_lesson_has_a_50_minute_route_through_its_own_sections(path):
    section = _sections(GUIDE.read_text())[path.name[:2]]
    spans = [(int(a), int(b)) for a, b in SPAN.findall(section)]
    assert spans and spans[0][0] == 0 and spans[-1][1] == 50
    assert all(a < b for a, b in spans)
    assert all(b == a2 for (_, b), (a2, _) in itertools.pairwise(spans)), (
        "gaps or overlaps"
    )
    # Every section the route's second column names in *italics* is a heading
    # of that lesson (or of the lesson it names first, as in "00 · …").
    for row in re.findall(r"^\| \d+–\d+ \|([^|]*)\|", section, re.MULTILINE):
        other = re.match(r"\s*(\d\d) ·", row)
        lesson = next(p for p in LESSONS if p.name[:2] == other[1]) if other else path
        headings = [_plain(h) for h in _headings(lesson)]
        for name in re.findall(r"\*([^*]+)\*", row):
            named = _plain(name)
            assert any(h.startswith(named) for h in headings), (
                f"{path.name}: the route names a section '{name}' "
                f"that {lesson.name} has not"
            )
    assert "Homework" in section


def test_the_guide_has_the_single_class_plan_checklist_and_shortcuts():
    text = GUIDE.read_text()
    plan = text[text.index("## One class from 05 and 06") :]
    spans = [(int(a), int(b)) for a, b in SPAN.findall(plan)]
    assert spans[0][0] == 0 and spans[-1][1] == 50
    for needed in ("Restart & Run All", "Ctrl+B", "gdlab.classroom()", "zoom"):
        assert needed in text
    assert "## Keyboard shortcuts" in text


def _lesson05_observations():
    """Lesson 05's data, made by the lesson's own cell."""
    import gdlab

    book = nbformat.read(ROOT / "notebooks" / "05-update-rule.ipynb", as_version=4)
    source = next(
        c.source
        for c in book.cells
        if c.cell_type == "code" and "make_observations(" in c.source
    )
    assign = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "obs"
    )
    scope = {"gdlab": gdlab}
    exec(ast.get_source_segment(source, assign), scope)
    return scope["obs"]


def test_the_numbers_quoted_for_lesson_05s_presets_are_what_the_explorer_shows():
    from gdlab.widgets import DescentExplorer

    text = GUIDE.read_text()
    presets = text[
        text.index("The explorer's presets") : text.index("Homework: Exercise 2")
    ]
    obs = _lesson05_observations()
    explorer = DescentExplorer(obs.x, obs.y)
    critical = explorer.critical_rate()
    assert f"is {critical:.3f}" in presets
    for name in ("good", "too small", "oscillates", "diverges", "far start"):
        bullet = presets[presets.index(f"**{name}**") :].split("\n- ")[0]
        explorer.apply_preset(name)
        run = explorer.run
        if run.status in ("converged", "diverged"):
            assert (
                f" {run.steps_taken})" in bullet
                or f" {run.steps_taken} " in bullet
                or (f"step {run.steps_taken}" in bullet)
            ), f"{name}: the guide should quote {run.steps_taken} steps ({run.status})"
        else:
            assert "add steps" in bullet or "still" in bullet, name
    explorer.close()
