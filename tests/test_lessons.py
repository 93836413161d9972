"""The lessons' shape: what every notebook must have, and every exercise's solution.

nbval (run by `make test` on notebooks/) checks that the saved outputs are
reproduced; these tests check what nbval cannot see.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools

LESSONS = nbtools.lessons()
SOLUTION = re.compile(
    r"<details>\s*<summary>.*?</summary>.*?```python\n(.*?)```.*?</details>", re.DOTALL
)


def _read(path):
    return nbformat.read(path, as_version=4)


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _content_cells(book):
    """The lesson's cells without navigation and speaker notes (both generated)."""
    return [
        c
        for c in book.cells
        if not c.source.startswith((nbtools.MARKER, "<!-- gdlab-notes:"))
    ]


def _exercises(book):
    """Yield (exercise, checker, solution_code) triples, in order."""
    cells = _content_cells(book)
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and "exercise" in _tags(cell):
            checker, solution = cells[i + 1], cells[i + 2]
            match = (
                SOLUTION.search(solution.source)
                if solution.cell_type == "markdown"
                else None
            )
            yield cell, checker, (match.group(1) if match else None)


def _exercise_ids():
    for path in LESSONS:
        for k, _ in enumerate(_exercises(_read(path))):
            yield pytest.param(path, k, id=f"{path.stem}-exercise-{k + 1}")


def test_the_series_is_complete():
    names = [p.name for p in LESSONS]
    for number, slug in [
        ("00", "start-here"),
        ("01", "observations"),
        ("02", "linear-model"),
        ("03", "mse"),
        ("04", "derivatives"),
        ("05", "update-rule"),
        ("06", "learning-rate-and-scaling"),
        ("07", "polynomial-regression"),
        ("08", "convexity-and-saddle-points"),
        ("09", "mini-batch-gradient-descent"),
        ("05b", "vectors-and-matrices"),
        ("A", "original-notes-mistakes"),
    ]:
        assert f"{number}-{slug}.ipynb" in names


def test_every_notebook_in_the_folder_is_a_named_lesson():
    stray = [p.name for p in (ROOT / "notebooks").glob("*.ipynb") if p not in LESSONS]
    assert stray == []


def test_navigation_is_generated_and_up_to_date():
    assert nbtools.update_navigation(check=True) == []


def test_readme_lists_every_lesson():
    assert not nbtools.update_readme(check=True), "run: python tools/notebooks.py nav"
    readme = (ROOT / "README.md").read_text()
    for path in LESSONS:
        assert f"(notebooks/{path.name})" in readme


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
class TestLessonShape:
    def test_title_purpose_objectives_summary(self, path):
        book = _read(path)
        cells = _content_cells(book)
        first = cells[0]
        assert first.cell_type == "markdown" and first.source.startswith("# "), (
            "the lesson opens with its title"
        )
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        objectives = re.search(
            r"^## Learning objectives\s*\n(.*?)(?=^#|\Z)",
            text,
            re.MULTILINE | re.DOTALL,
        )
        assert objectives, "a '## Learning objectives' section"
        assert (
            3 <= len(re.findall(r"^[-*] ", objectives.group(1), re.MULTILINE)) <= 5
        ), "3 to 5 objectives"
        assert re.search(r"^## Summary", text, re.MULTILINE), "a '## Summary' section"

    def test_setup_cell_imports_only(self, path):
        setups = [c for c in _read(path).cells if "setup" in _tags(c)]
        assert len(setups) == 1, "exactly one cell tagged 'setup'"
        tree = ast.parse(setups[0].source)
        assert all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)
        assert "*" not in setups[0].source

    def test_saved_run_top_to_bottom_without_errors_or_warnings(self, path):
        book = _read(path)
        code = [c for c in book.cells if c.cell_type == "code" and c.source.strip()]
        assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
        for cell in code:
            assert not re.search(r"^\s*[!%]", cell.source, re.MULTILINE), (
                "no shell or magic commands"
            )
            for output in cell.outputs:
                assert output.output_type != "error"
                assert output.get("name") != "stderr", (
                    f"stderr output in: {cell.source[:60]}"
                )
        assert "widgets" not in book.metadata, "no widget state in the metadata"
        assert not re.search(r"/(work|tmp|root|home)/", path.read_text()), (
            "no absolute paths"
        )

    def test_every_exercise_has_a_checker_and_a_solution(self, path):
        book = _read(path)
        checkers = [c for c in book.cells if "checker" in _tags(c)]
        assert len(checkers) == len(list(_exercises(book))), "one checker each"
        for exercise, checker, solution in _exercises(book):
            assert "NotImplementedError" in exercise.source, (
                "the stub is left for the learner"
            )
            assert "checker" in _tags(checker)
            assert solution, "a collapsed <details> solution right below the checker"
            assert len(checker.outputs) == 1, "the checker shows one result"
            saved = checker.outputs[0].get("data", {}).get("text/plain", "")
            assert saved.startswith("✏️") and "not yet" in saved.lower(), (
                "the saved checker output is the friendly 'not yet'"
            )

    def test_code_cells_are_short(self, path):
        # Logical lines, so that the formatter wrapping a long call does not
        # count against a cell: the rule is about how much a cell does.
        for cell in _read(path).cells:
            if cell.cell_type == "code":
                count = _logical_lines(cell.source)
                assert count <= 14, (
                    f"a code cell of {count} statements belongs in the library"
                )


def _logical_lines(source: str) -> int:
    """Count the logical lines (statements and comments) of ``source``."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    ends = {tokenize.NEWLINE, tokenize.COMMENT}
    return sum(1 for token in tokens if token.type in ends)


def _namespace_after_setup(book):
    namespace: dict = {}
    setup = next(c for c in book.cells if "setup" in _tags(c))
    exec(compile(setup.source, "<setup>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("path, index", list(_exercise_ids()))
def test_solution_passes_and_stub_is_not_yet(path, index):
    book = _read(path)
    exercise, checker, solution = list(_exercises(book))[index]
    namespace = _namespace_after_setup(book)
    exec(compile(exercise.source, "<stub>", "exec"), namespace)
    stub_feedback = eval(checker.source.strip(), namespace)
    assert not stub_feedback.passed and stub_feedback.not_yet
    exec(compile(solution, "<solution>", "exec"), namespace)
    feedback = eval(checker.source.strip(), namespace)
    assert feedback.passed, feedback.message


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_exercise_has_a_collapsed_hint_before_its_solution(path):
    cells = _content_cells(_read(path))
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and "exercise" in _tags(cell):
            below = cells[i + 2].source
            hint = re.search(
                r"<details><summary>Hint</summary>(.*?)</details>", below, re.DOTALL
            )
            assert hint and hint.group(1).strip(), "a collapsed hint"
            assert "```" not in hint.group(1), (
                "a hint is a first step, not code to copy"
            )
            assert below.index("Hint") < below.index("<summary>Solution</summary>")


LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)(?:#([\w-]+))?\)")


def test_every_link_between_notebooks_resolves_to_a_cell_followed_by_its_check():
    """Boxes link to appendix A, A links back to each box; a box has code right below."""
    books = {p.name: _content_cells(_read(p)) for p in LESSONS}
    anchors = {
        name: {
            m: i
            for i, c in enumerate(cells)
            if c.cell_type == "markdown"
            for m in re.findall(r'<a id="([\w-]+)"></a>', c.source)
        }
        for name, cells in books.items()
    }
    for name, cells in books.items():
        for cell in cells:
            if cell.cell_type != "markdown":
                continue
            for target, anchor in LINK.findall(cell.source):
                assert target in books, f"{name} links to a missing {target}"
                if anchor:
                    assert anchor in anchors[target], f"{name} → {target}#{anchor}"
    appendix = books["A-original-notes-mistakes.ipynb"]
    targets = LINK.findall("\n".join(c.source for c in appendix))
    for number in range(1, 16):
        assert f"mistake-{number}" in anchors["A-original-notes-mistakes.ipynb"]
    for target, anchor in targets:
        if target != "A-original-notes-mistakes.ipynb" and anchor:
            cells, i = books[target], anchors[target][anchor]
            assert any(c.cell_type == "code" for c in cells[i + 1 : i + 3]), (
                target,
                anchor,
            )


def test_no_lesson_mentions_an_erratum_or_the_notes_without_a_link():
    for path in LESSONS:
        for cell in _content_cells(_read(path)):
            if cell.cell_type != "markdown" or path.name.startswith("A-"):
                continue
            assert "erratum" not in cell.source.lower(), (path.name, cell.id)
            bare = re.findall(r"(?<!\[)\b(?:class )?notes\b(?!'?\]\()", cell.source)
            linked = "A-original-notes-mistakes.ipynb" in cell.source
            assert not bare or linked, (path.name, cell.id)


def test_there_are_exercises():
    assert len(list(_exercise_ids())) >= 8
