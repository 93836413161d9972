"""Titles and times have one source, each lesson's header; every table of lessons agrees with it.

The headers are read here with a regular expression of this test's own, and
each table (README, 00's index, the teacher's guide) is parsed row by row,
so a generator that copied a wrong number would fail, not just a stale file.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools

# Every notebook in the folder, found here rather than by the tool under test.
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ROW = re.compile(
    r"^\| (\d\db?|[A-Z]) \| \[([^\]]+)\]\(([^)]+)\) \| .+ \| (\d+) min \| (\d+) min \|$",
    re.MULTILINE,
)


def _header(path):
    book = nbformat.read(path, as_version=4)
    return next(
        c.source
        for c in book.cells
        if c.cell_type == "markdown" and not c.source.startswith("<!-- gdlab-nav")
    )


def _truth():
    """{number: (title, teacher minutes, alone minutes, file name)} from the headers."""
    truth = {}
    for path in LESSONS:
        header = _header(path)
        # Lessons are numbered NN, a primer NNb, an appendix a capital letter.
        title = re.search(r"^# (\d\db?|[A-Z]) · (.+)$", header, re.MULTILINE)
        time = re.search(
            r"^\*Time: about (\d+) minutes with a teacher, (\d+) minutes alone\.\*$",
            header,
            re.MULTILINE,
        )
        assert title and time, f"{path.name}: header without a title or a time line"
        assert path.name.startswith(title[1] + "-")
        truth[title[1]] = (title[2], int(time[1]), int(time[2]), path.name)
    return truth


def _rows(text):
    return {
        number: (title, int(teacher), int(alone), link)
        for number, title, link, teacher, alone in ROW.findall(text)
    }


def _index_text():
    book = nbformat.read(ROOT / "notebooks" / "00-start-here.ipynb", as_version=4)
    return "\n".join(c.source for c in book.cells if c.cell_type == "markdown")


@pytest.mark.parametrize(
    ("where", "text", "prefix"),
    [
        ("README.md", lambda: (ROOT / "README.md").read_text(), "notebooks/"),
        ("00-start-here", _index_text, ""),
        (
            "docs/teaching.md",
            lambda: (ROOT / "docs" / "teaching.md").read_text(),
            "../notebooks/",
        ),
    ],
)
def test_every_table_of_lessons_agrees_with_the_headers(where, text, prefix):
    truth, rows = _truth(), _rows(text())
    assert sorted(rows) == sorted(truth), f"{where} lists other lessons"
    assert "09" in rows, f"{where} leaves out lesson 09"
    for number, (title, teacher, alone, name) in truth.items():
        assert rows[number] == (title, teacher, alone, prefix + name), (
            f"{where}, lesson {number}"
        )


def test_no_other_lesson_times_are_written_by_hand():
    # The README's prose and 00's prose quote no minutes of their own.
    readme = (ROOT / "README.md").read_text()
    outside = re.sub(
        r"<!-- lessons:start.*?<!-- lessons:end -->", "", readme, flags=re.DOTALL
    )
    assert not re.search(r"\d+\s*(?:–|-|to)\s*\d+ minutes", outside)
    index = re.sub(
        r"<!-- lessons(?:-summary)?:start.*?<!-- lessons(?:-summary)?:end -->",
        "",
        _index_text(),
        flags=re.DOTALL,
    )
    assert not re.search(r"\b\d+ min\b", index)


def test_the_index_summary_names_every_lesson_and_the_total():
    text = _index_text()
    summary = text[text.index("<!-- lessons-summary:start") :]
    truth = _truth()
    for number, (title, *_rest) in truth.items():
        if number != "00":
            assert f"{number} · {title}" in summary
    teacher = sum(t for n, (_, t, _a, _f) in truth.items() if n != "00")
    alone = sum(a for n, (_, _t, a, _f) in truth.items() if n != "00")
    assert f"about {teacher} minutes with a teacher, {alone} alone" in summary


def test_generated_tables_are_up_to_date():
    assert not nbtools.update_readme(check=True)
    assert not nbtools.update_index(check=True)
    assert not nbtools.update_guide(check=True)


def test_a_header_without_a_time_line_is_refused():
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# 10 · New\n\nA purpose.")]
    with pytest.raises(ValueError, match=r"\*Time: about T minutes"):
        nbtools.times_of(book)
    with pytest.raises(ValueError, match="In short"):
        nbtools.short_of(book)
