"""Concept checks: data in docs/concept_checks.yaml, put into the lessons by tools/teacher.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

import gdlab

ROOT = Path(__file__).resolve().parent.parent
import notebooks as nbtools
import teacher

CHECKS = teacher.load_checks()
QUESTIONS = [(key, q) for key, questions in CHECKS.items() for q in questions]
IDS = [f"{key}-{q['id']}" for key, q in QUESTIONS]


@pytest.mark.parametrize("key", teacher.LESSONS_WITH_CHECKS)
def test_every_lesson_has_at_least_two_concept_checks(key):
    assert any(teacher.lesson_key(p) == key for p in nbtools.lessons()), key
    assert len(CHECKS.get(key, [])) >= 2, f"lesson {key} needs two concept checks"


@pytest.mark.parametrize(("key", "question"), QUESTIONS, ids=IDS)
def test_each_check_has_one_right_choice_and_feedback_for_every_choice(key, question):
    choices = question["choices"]
    assert sum(c.get("correct") is True for c in choices) == 1
    for choice in choices:
        assert len(str(choice["feedback"]).split()) >= 4, choice
    # A wrong choice's feedback does not claim to be right.
    for choice in choices:
        if not choice.get("correct"):
            assert not str(choice["feedback"]).startswith("Right"), choice


@pytest.mark.parametrize(
    ("key", "question"),
    [(k, q) for k, q in QUESTIONS if "verify" in q],
    ids=[f"{k}-{q['id']}" for k, q in QUESTIONS if "verify" in q],
)
def test_the_numbers_in_a_check_are_what_the_library_computes(key, question):
    result = eval(question["verify"], {"np": np, "gdlab": gdlab})
    assert isinstance(result, (bool, np.bool_)) and result


@pytest.mark.parametrize(
    "bad",
    [
        {"choices": [{"text": "a", "feedback": "f", "correct": True}, {"text": "b"}]},
        {"choices": [{"text": "a", "feedback": "f"}, {"text": "b", "feedback": "g"}]},
        {
            "choices": [
                {"text": "a", "feedback": "f", "correct": True},
                {"text": "b", "feedback": "g", "correct": True},
            ]
        },
    ],
    ids=["no-feedback", "none-right", "two-right"],
)
def test_a_check_without_feedback_or_one_right_answer_is_refused(bad):
    with pytest.raises(ValueError, match="concept check"):
        teacher.validate_check({"id": "q", "question": "?", **bad})


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """The lessons, copied, with their teacher cells written twice (idempotent)."""
    folder = tmp_path_factory.mktemp("lessons")
    for path in nbtools.lessons():
        shutil.copy(path, folder / path.name)
    teacher.update_lessons(folder)
    assert teacher.update_lessons(folder) == [], "a second run changed something"
    assert teacher.update_lessons(folder, check=True) == []
    return folder


def test_each_check_is_one_cell_with_its_answer_collapsed(copies):
    for key, questions in CHECKS.items():
        path = next(p for p in nbtools.lessons(copies) if teacher.lesson_key(p) == key)
        cells = nbformat.read(path, as_version=4).cells
        for question in questions:
            mine = [c for c in cells if c.get("id") == f"gdlab-check-{question['id']}"]
            assert len(mine) == 1, (key, question["id"])
            text = mine[0].source
            # Static on GitHub: the question shows, every answer is folded.
            shown = text.split("<details>", 1)[0]
            assert "Concept check" in shown and "✓" not in shown
            assert text.count("<details>") == len(question["choices"]) + 1
            assert text.count("<details>") == text.count("</details>")
            assert "<summary>Answer</summary>" in text
            assert mine[0].metadata["slideshow"] == {"slide_type": "subslide"}


def test_a_check_goes_just_before_the_heading_it_names(copies):
    for key, questions in CHECKS.items():
        path = next(p for p in nbtools.lessons(copies) if teacher.lesson_key(p) == key)
        cells = nbformat.read(path, as_version=4).cells
        for question in questions:
            index = [c.get("id") for c in cells].index(f"gdlab-check-{question['id']}")
            after = [c for c in cells[index + 1 :] if c.get("id", "").find("check") < 0]
            if question.get("before"):
                assert after[0].source.startswith(question["before"]), question["id"]
            else:
                assert after[0].source.startswith(nbtools.MARKER), question["id"]


def test_a_heading_the_lesson_lacks_is_an_error_naming_it():
    book = nbformat.read(nbtools.lessons()[5], as_version=4)
    question = dict(QUESTIONS[0][1], before="## No such section")
    with pytest.raises(ValueError, match="No such section"):
        teacher.with_checks(book, "05", [question], "05")


def test_lessons_either_lack_teacher_cells_or_have_them_up_to_date():
    # The coordinator runs `python tools/teacher.py lessons` after merging; from
    # then on the check holds the lessons to the data.
    books = [nbformat.read(p, as_version=4) for p in nbtools.lessons()]
    marked = any(
        c.source.startswith((teacher.CHECK_MARKER, teacher.NOTES_MARKER))
        for book in books
        for c in book.cells
    )
    if marked:
        assert teacher.update_lessons(check=True) == []
    else:
        assert teacher.update_lessons(check=True) == [p.name for p in nbtools.lessons()]
