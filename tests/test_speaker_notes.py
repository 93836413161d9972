"""Speaker notes: generated from docs/teaching.md, so guide and slides never disagree."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools
import teacher

GUIDE = (ROOT / "docs" / "teaching.md").read_text()
SECTIONS = teacher.guide_sections(GUIDE)


def _words(text: str) -> str:
    """Text without markdown emphasis and line breaks, to compare wording."""
    return re.sub(
        r"\s+", " ", re.sub(r"\*\*|^- ", "", text, flags=re.MULTILINE)
    ).strip()


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lessons")
    for path in nbtools.lessons():
        shutil.copy(path, folder / path.name)
    teacher.update_lessons(folder)
    return folder


def _rows(section: str) -> list[tuple[str, ...]]:
    return [m.groups() for m in map(teacher.ROW.match, section.splitlines()) if m]


def _notes(folder: Path, key: str) -> list:
    path = next(p for p in nbtools.lessons(folder) if teacher.lesson_key(p) == key)
    return [
        c
        for c in nbformat.read(path, as_version=4).cells
        if c.source.startswith(teacher.NOTES_MARKER)
    ]


def test_every_lesson_in_the_guide_gets_one_note_per_route_row(copies):
    assert set(SECTIONS) >= {f"{n:02d}" for n in range(1, 10)}
    for key, section in SECTIONS.items():
        rows = _rows(section)
        notes = _notes(copies, key)
        assert len(notes) == len(rows), key
        assert all(c.metadata["slideshow"] == {"slide_type": "notes"} for c in notes)


def test_every_question_and_minute_of_the_guide_is_in_the_notes_word_for_word(copies):
    for key, section in SECTIONS.items():
        notes = _words("\n".join(c.source for c in _notes(copies, key)))
        for start, end, _, what in _rows(section):
            assert f"{start}–{end} min" in notes
            for sentence in re.split(r"(?<=[.?!\"])\s+", what.strip()):
                assert _words(sentence) in notes, (key, sentence)
        # The presets' questions and the homework, wrapped lines and all.
        for line in section.splitlines():
            if line.startswith(("- **", "Homework:")):
                assert _words(line) in notes, (key, line)


def test_a_note_sits_under_the_heading_of_its_section_and_is_folded(copies):
    for key, section in SECTIONS.items():
        path = next(p for p in nbtools.lessons(copies) if teacher.lesson_key(p) == key)
        cells = nbformat.read(path, as_version=4).cells
        for note in teacher.notes_of(section):
            if note["other"]:
                continue
            name = teacher._plain(note["sections"][0])
            heading = next(
                i
                for i, c in enumerate(cells)
                if any(
                    teacher._plain(line.lstrip("#")).startswith(name)
                    for line in c.source.splitlines()
                    if line.startswith("#")
                )
            )
            following = cells[heading + 1 : heading + 6]
            assert any(note["minutes"] in c.source for c in following), (key, name)
    text = _notes(copies, "05")[0].source
    assert "<details><summary>For the teacher" in text and text.endswith("</details>")


def test_changing_the_guide_makes_the_notes_stale(copies, tmp_path, monkeypatch):
    guide = tmp_path / "teaching.md"
    guide.write_text(GUIDE.replace('Usually: "straight"', 'Usually: "a spiral"'))
    monkeypatch.setattr(teacher, "GUIDE", guide)
    assert "05-update-rule.ipynb" in teacher.update_lessons(copies, check=True)
    teacher.update_lessons(copies)
    assert '"a spiral"' in "\n".join(c.source for c in _notes(copies, "05"))
