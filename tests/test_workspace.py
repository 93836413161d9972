"""A learner's workspace (tools/workspace.py): answers survive course updates.

Each test copies the real lessons into a temporary course folder, plays a learner
in a temporary workspace, then changes the course the way `git pull` would.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
import workspace as ws

WHEN = datetime(2026, 12, 2, 9, 30, 15)


@pytest.fixture
def course(tmp_path):
    return Path(shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks"))


@pytest.fixture
def mine(tmp_path, course):
    folder = tmp_path / "my-work"
    ws.update(course, folder, now=WHEN)
    return folder


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _save(path, book):
    path.write_text(json.dumps(book, indent=1), encoding="utf-8")


def _answer(path, answer="def my_answer():\n    return 42\n"):
    """The learner fills in the first exercise, as JupyterLab would save it."""
    book = _load(path)
    cell = next(c for c in book["cells"] if "exercise" in c["metadata"].get("tags", []))
    cell["source"] = answer
    _save(path, book)
    return path.read_bytes()


def _run_only(path):
    """The learner runs every code cell and edits nothing: new outputs and counts."""
    book = _load(path)
    for k, cell in enumerate(c for c in book["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = 100 + k
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "ran\n"}]
    _save(path, book)


def _course_changes(path, sentence="A sentence the course added."):
    book = _load(path)
    book["cells"][1]["source"] = "".join(book["cells"][1]["source"]) + "\n" + sentence
    _save(path, book)
    return path.read_bytes()


def _snapshot(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_run_copies_every_lesson_byte_for_byte_and_says_so_once(course, tmp_path):
    lines = ws.update(course, tmp_path / "my-work", now=WHEN)
    lessons = sorted(course.glob("*.ipynb"))
    assert lines == [
        f"made my-work/ from notebooks/ ({len(lessons)} lessons): your answers go there"
    ]
    for lesson in lessons:
        assert (tmp_path / "my-work" / lesson.name).read_bytes() == lesson.read_bytes()
    assert (tmp_path / "my-work" / ws.MANIFEST).is_file()
    assert ws.update(course, tmp_path / "my-work", now=WHEN) == [
        "my-work/ is up to date with notebooks/"
    ]


def test_a_course_update_keeps_answers_refreshes_the_rest_and_brings_new_lessons(
    course, mine
):
    answered = _answer(mine / "05-update-rule.ipynb")
    _run_only(mine / "03-mse.ipynb")
    shipped = {
        n: _course_changes(course / n)
        for n in ["05-update-rule.ipynb", "03-mse.ipynb", "02-linear-model.ipynb"]
    }
    shutil.copy(
        course / "09-mini-batch-gradient-descent.ipynb", course / "10-new-lesson.ipynb"
    )
    before = _snapshot(mine)

    lines = ws.update(course, mine, now=WHEN)

    beside = mine / "05-update-rule.course-2026-12-02.ipynb"
    assert (mine / "05-update-rule.ipynb").read_bytes() == answered  # every answer kept
    assert beside.read_bytes() == shipped["05-update-rule.ipynb"]
    assert (mine / "03-mse.ipynb").read_bytes() == shipped[
        "03-mse.ipynb"
    ]  # only run: refreshed
    assert (mine / "02-linear-model.ipynb").read_bytes() == shipped[
        "02-linear-model.ipynb"
    ]
    assert (mine / "10-new-lesson.ipynb").read_bytes() == (
        course / "10-new-lesson.ipynb"
    ).read_bytes()
    assert sorted(lines) == sorted(
        [
            "updated   02-linear-model.ipynb",
            "updated   03-mse.ipynb",
            f"kept      05-update-rule.ipynb has your changes; the course's new version is {beside.name}",
            "new       10-new-lesson.ipynb",
        ]
    )
    untouched = [
        p for p in before if p.name[:2] in {"00", "01", "04", "06", "07", "08", "09"}
    ]
    assert all(p.read_bytes() == before[p] for p in untouched)


def test_the_new_version_is_offered_once_and_a_later_one_again_beside_the_first(
    course, mine
):
    answered = _answer(mine / "05-update-rule.ipynb")
    _course_changes(course / "05-update-rule.ipynb", "First change.")
    ws.update(course, mine, now=WHEN)
    assert ws.update(course, mine, now=WHEN) == [
        "my-work/ is up to date with notebooks/"
    ]
    second = _course_changes(course / "05-update-rule.ipynb", "Second change.")
    lines = ws.update(course, mine, now=WHEN)
    newer = mine / "05-update-rule.course-2026-12-02-2.ipynb"
    assert lines == [
        f"kept      05-update-rule.ipynb has your changes; the course's new version is {newer.name}"
    ]
    assert newer.read_bytes() == second
    assert (mine / "05-update-rule.ipynb").read_bytes() == answered
    assert len(list(mine.glob("05-update-rule.course-*"))) == 2


def test_an_answered_lesson_the_course_did_not_change_is_left_alone_silently(
    course, mine
):
    answered = _answer(mine / "04-derivatives.ipynb")
    _course_changes(course / "02-linear-model.ipynb")
    assert ws.update(course, mine, now=WHEN) == ["updated   02-linear-model.ipynb"]
    assert (mine / "04-derivatives.ipynb").read_bytes() == answered
    assert not list(mine.glob("04-*.course-*"))


def test_reset_keeps_the_learners_copy_as_a_backup_and_puts_the_course_back(
    course, mine
):
    answered = _answer(mine / "05-update-rule.ipynb")
    lines = ws.reset("05", course, mine, now=WHEN)
    backup = mine / "05-update-rule.backup-2026-12-02-093015.ipynb"
    assert lines == [
        f"reset     05-update-rule.ipynb; your copy is kept as {backup.name}"
    ]
    assert backup.read_bytes() == answered
    assert (mine / "05-update-rule.ipynb").read_bytes() == (
        course / "05-update-rule.ipynb"
    ).read_bytes()
    # After a reset the lesson is the course's again: the next course change refreshes it.
    shipped = _course_changes(course / "05-update-rule.ipynb")
    assert ws.update(course, mine, now=WHEN) == ["updated   05-update-rule.ipynb"]
    assert (mine / "05-update-rule.ipynb").read_bytes() == shipped
    assert backup.read_bytes() == answered


def test_a_second_reset_the_same_second_keeps_both_backups(course, mine):
    first = _answer(mine / "05-update-rule.ipynb", "a = 1\n")
    ws.reset("05", course, mine, now=WHEN)
    second = _answer(mine / "05-update-rule.ipynb", "a = 2\n")
    ws.reset("05", course, mine, now=WHEN)
    backups = sorted(mine.glob("05-update-rule.backup-*"), key=lambda p: len(p.name))
    assert [p.read_bytes() for p in backups] == [first, second]


def test_reset_of_an_untouched_or_missing_lesson(course, mine):
    assert ws.reset("3", course, mine) == [
        "03-mse.ipynb is already as the course ships it"
    ]
    (mine / "03-mse.ipynb").unlink()
    assert ws.reset("mse", course, mine) == ["reset     03-mse.ipynb (it was missing)"]
    assert (mine / "03-mse.ipynb").read_bytes() == (
        course / "03-mse.ipynb"
    ).read_bytes()


@pytest.mark.parametrize(
    "query",
    ["05", "5", "05-update-rule", "05-update-rule.ipynb", "update-rule", " 05 "],
)
def test_a_lesson_can_be_named_several_ways(course, query):
    assert ws.find_lesson(query, course) == "05-update-rule.ipynb"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "42",
            "no lesson '42' in notebooks/; the lessons are 00, 01, 02",
        ),
        ("", "say which lesson, e.g. make reset LESSON=05"),
        ("05-the-update-rule", "no lesson '05-the-update-rule'"),
        ("ion", "'ion' names several lessons (01, 07); say which"),
    ],
)
def test_a_lesson_name_that_fits_none_or_several_is_one_clear_line(
    course, mine, query, message
):
    before = _snapshot(mine)
    with pytest.raises(ws.WorkspaceError, match="^" + re.escape(message)) as caught:
        ws.reset(query, course, mine)
    assert "\n" not in str(caught.value)
    assert _snapshot(mine) == before


def test_a_workspace_deleted_by_hand_is_made_again_and_reset_says_what_to_do(
    course, mine
):
    shutil.rmtree(mine)
    with pytest.raises(
        ws.WorkspaceError, match="no workspace at .*my-work .*make update"
    ):
        ws.reset("05", course, mine)
    assert not mine.exists()
    assert ws.update(course, mine)[0].startswith("made my-work/ from notebooks/")
    assert (mine / "05-update-rule.ipynb").read_bytes() == (
        course / "05-update-rule.ipynb"
    ).read_bytes()


def test_an_emptied_workspace_is_made_again_without_a_warning(course, mine):
    for path in mine.iterdir():
        path.unlink()
    assert ws.update(course, mine)[0].startswith("made my-work/ from notebooks/")
    assert ws.update(course, mine) == ["my-work/ is up to date with notebooks/"]


def test_a_lesson_deleted_by_hand_comes_back(course, mine):
    (mine / "02-linear-model.ipynb").unlink()
    assert ws.update(course, mine) == [
        "restored  02-linear-model.ipynb (it had been deleted)"
    ]
    assert (mine / "02-linear-model.ipynb").read_bytes() == (
        course / "02-linear-model.ipynb"
    ).read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        None,
        "{ not json",
        '{"format": 1, "files": {"05-update-rule.ipynb": "abc"}}',
        "[]",
    ],
)
def test_without_its_manifest_a_workspace_loses_nothing(course, mine, damage):
    answered = _answer(mine / "05-update-rule.ipynb")
    if damage is None:
        (mine / ws.MANIFEST).unlink()
    else:
        (mine / ws.MANIFEST).write_text(damage, encoding="utf-8")
    shipped = _course_changes(course / "02-linear-model.ipynb")
    lines = ws.update(course, mine, now=WHEN)
    assert lines[0].startswith(f"my-work/{ws.MANIFEST} is ")
    assert "count as yours and are not overwritten" in lines[0]
    assert (mine / "05-update-rule.ipynb").read_bytes() == answered
    # Unknown history: a lesson that differs from the course is the learner's.
    assert (mine / "02-linear-model.ipynb").read_bytes() != shipped
    assert (mine / "02-linear-model.course-2026-12-02.ipynb").read_bytes() == shipped
    assert ws.update(course, mine, now=WHEN) == [
        "my-work/ is up to date with notebooks/"
    ]


def test_a_lesson_the_course_renamed(course, mine):
    answered = _answer(mine / "05-update-rule.ipynb")
    (course / "05-update-rule.ipynb").rename(course / "05-the-update-rule.ipynb")
    (course / "06-learning-rate-and-scaling.ipynb").rename(
        course / "06-learning-rate.ipynb"
    )
    (course / "00-start-here.ipynb").rename(course / "00-welcome.ipynb")
    (course / "09-mini-batch-gradient-descent.ipynb").unlink()
    lines = ws.update(course, mine)
    assert sorted(lines) == sorted(
        [
            "new       00-welcome.ipynb",
            "kept      05-update-rule.ipynb: the course dropped it (now 05-the-update-rule.ipynb); your copy stays, copy your answers across",
            "new       05-the-update-rule.ipynb",
            "new       06-learning-rate.ipynb",
            "removed   00-start-here.ipynb: the course dropped it (now 00-welcome.ipynb); it held nothing of yours",
            "removed   06-learning-rate-and-scaling.ipynb: the course dropped it (now 06-learning-rate.ipynb); it held nothing of yours",
            "removed   09-mini-batch-gradient-descent.ipynb: the course dropped it; it held nothing of yours",
        ]
    )
    assert (mine / "05-update-rule.ipynb").read_bytes() == answered
    assert not (mine / "06-learning-rate-and-scaling.ipynb").exists()
    assert ws.update(course, mine) == ["my-work/ is up to date with notebooks/"]


def test_a_folder_that_cannot_be_written_is_one_line_and_nothing_is_lost(
    course, mine, monkeypatch, capsys
):
    # Root ignores file permissions, and CI runs as root: the refusal a read-only
    # folder gives is simulated where every write goes through.
    answered = _answer(mine / "05-update-rule.ipynb")
    shipped = {
        n: _course_changes(course / n)
        for n in ["02-linear-model.ipynb", "05-update-rule.ipynb"]
    }

    def refuse(source, target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(ws.os, "replace", refuse)
    assert ws.main(["update", "--course", str(course), "--workspace", str(mine)]) == 1
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1
        and "Permission denied" in err
        and "nothing of yours was lost" in err
    )
    assert (mine / "05-update-rule.ipynb").read_bytes() == answered
    assert not list(mine.glob(".*.gdlab-tmp"))
    monkeypatch.undo()
    # Once the folder is writable again, the update finishes as if nothing happened.
    lines = ws.update(course, mine, now=WHEN)
    assert "updated   02-linear-model.ipynb" in lines
    assert (mine / "02-linear-model.ipynb").read_bytes() == shipped[
        "02-linear-model.ipynb"
    ]
    assert (mine / "05-update-rule.course-2026-12-02.ipynb").read_bytes() == shipped[
        "05-update-rule.ipynb"
    ]
    assert (mine / "05-update-rule.ipynb").read_bytes() == answered


def test_reset_that_cannot_write_says_where_the_learners_copy_is(
    course, mine, monkeypatch
):
    answered = _answer(mine / "05-update-rule.ipynb")

    def refuse(source, target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(ws.os, "replace", refuse)
    with pytest.raises(
        ws.WorkspaceError, match=r"your copy is safe as 05-update-rule\.backup-"
    ) as caught:
        ws.reset("05", course, mine, now=WHEN)
    assert "\n" not in str(caught.value)
    assert (
        mine / "05-update-rule.backup-2026-12-02-093015.ipynb"
    ).read_bytes() == answered


def test_a_workspace_path_that_is_a_file_is_refused(course, tmp_path, capsys):
    blocker = tmp_path / "my-work"
    blocker.write_text("my notes", encoding="utf-8")
    assert (
        ws.main(["update", "--course", str(course), "--workspace", str(blocker)]) == 1
    )
    assert (
        capsys.readouterr().err
        == f"workspace: {blocker} is a file, not a folder: move it away\n"
    )
    assert blocker.read_text(encoding="utf-8") == "my notes"


def test_a_missing_course_is_refused(tmp_path):
    with pytest.raises(ws.WorkspaceError, match="no course folder at"):
        ws.update(tmp_path / "nowhere", tmp_path / "my-work")
    assert not (tmp_path / "my-work").exists()


def test_checkpoints_and_hidden_files_are_not_lessons(course, tmp_path):
    (course / ".ipynb_checkpoints").mkdir()
    (course / ".ipynb_checkpoints" / "05-update-rule-checkpoint.ipynb").write_text("{}")
    ws.update(course, tmp_path / "my-work")
    assert not (tmp_path / "my-work" / ".ipynb_checkpoints").exists()


def test_running_cells_is_not_a_change_but_editing_one_is(course, tmp_path):
    lesson = course / "05-update-rule.ipynb"
    original = ws.fingerprint(lesson.read_bytes(), lesson.name)
    _run_only(lesson)
    assert ws.fingerprint(lesson.read_bytes(), lesson.name) == original
    _answer(lesson)
    assert ws.fingerprint(lesson.read_bytes(), lesson.name) != original
    broken = b'{"cells": [ half a notebook'
    assert ws.fingerprint(broken, "x.ipynb") == "bytes:" + ws.digest(broken)


def _make(*args, check=True):
    # A clean MAKEFLAGS: under `make test` the outer make's flags would leak in.
    return subprocess.run(
        ["make", "-s", "-C", str(ROOT), f"PYTHON={sys.executable}", *args],
        capture_output=True,
        text=True,
        check=check,
        env=dict(os.environ, MAKEFLAGS=""),
    )


def test_make_update_and_reset_work_on_the_workspace_given(tmp_path):
    folder = f"WORKSPACE={tmp_path / 'learner'}"
    assert _make("update", folder).stdout.startswith("made learner/ from notebooks/")
    refused = _make("reset", "LESSON=42", folder, check=False)
    assert refused.returncode != 0
    assert refused.stderr.splitlines()[0].startswith(
        "workspace: no lesson '42' in notebooks/"
    )
    assert _make("reset", "LESSON=05", folder).stdout == (
        "05-update-rule.ipynb is already as the course ships it\n"
    )


def test_make_lab_opens_the_workspace_after_updating_it_and_make_test_checks_the_course():
    dry = _make("-n", "lab", "test", "WORKSPACE=somewhere").stdout.splitlines()
    update = [
        i for i, x in enumerate(dry) if "workspace.py update --workspace somewhere" in x
    ]
    lab = [
        i for i, x in enumerate(dry) if " lab " in x and "somewhere/00-start-here" in x
    ]
    assert len(update) == len(lab) == 1 and update[0] < lab[0]
    tests = [line for line in dry if "pytest" in line]
    assert any("notebooks" in line for line in tests)
    assert not any("somewhere" in line or "my-work" in line for line in tests)
    assert "my-work/" in (ROOT / ".gitignore").read_text().splitlines()


def test_examples_in_the_docstrings_run():
    result = doctest.testmod(ws)
    assert result.attempted >= 3 and result.failed == 0


def test_reset_without_a_manifest_leaves_the_next_update_to_say_so(course, mine):
    answered = _answer(mine / "04-derivatives.ipynb")
    (mine / ws.MANIFEST).unlink()
    ws.reset("04", course, mine, now=WHEN)
    assert (
        mine / "04-derivatives.backup-2026-12-02-093015.ipynb"
    ).read_bytes() == answered
    assert not (mine / ws.MANIFEST).exists()
    lines = ws.update(course, mine, now=WHEN)
    assert lines == [lines[0]] and "is missing" in lines[0]


def test_reset_removes_the_course_copies_offered_beside_the_lesson(course, mine):
    _answer(mine / "05-update-rule.ipynb")
    _course_changes(course / "05-update-rule.ipynb", "First change.")
    ws.update(course, mine, now=WHEN)
    _course_changes(course / "05-update-rule.ipynb", "Second change.")
    ws.update(course, mine, now=WHEN)
    offered = sorted(mine.glob("05-update-rule.course-*"))
    assert len(offered) == 2
    _run_only(offered[0])  # opened and run, nothing written: still the course's

    lines = ws.reset("05", course, mine, now=WHEN)

    assert not list(mine.glob("05-update-rule.course-*"))
    assert lines[1:] == [
        f"removed   {p.name}: a course version offered beside the lesson, nothing of yours"
        for p in offered
    ]
    assert (mine / "05-update-rule.ipynb").read_bytes() == (
        course / "05-update-rule.ipynb"
    ).read_bytes()
    assert len(list(mine.glob("05-update-rule.backup-*"))) == 1
    assert ws.update(course, mine, now=WHEN) == [
        "my-work/ is up to date with notebooks/"
    ]


def test_reset_keeps_a_course_copy_the_learner_wrote_in(course, mine):
    _answer(mine / "05-update-rule.ipynb")
    _course_changes(course / "05-update-rule.ipynb")
    ws.update(course, mine, now=WHEN)
    (offered,) = mine.glob("05-update-rule.course-*")
    written = _answer(offered, "def my_answer():\n    return 43\n")
    # Another lesson's offered copy is not this reset's business.
    other = mine / "04-derivatives.course-2026-12-01.ipynb"
    shutil.copy(course / "04-derivatives.ipynb", other)

    lines = ws.reset("05", course, mine, now=WHEN)

    assert offered.read_bytes() == written and other.exists()
    assert lines[1:] == [
        f"kept      {offered.name}: you wrote in it; delete it when you are done"
    ]


def test_reset_of_a_lesson_already_as_shipped_still_clears_its_offered_copy(
    course, mine
):
    stale = mine / "03-mse.course-2026-11-30.ipynb"
    shutil.copy(course / "03-mse.ipynb", stale)
    assert ws.reset("03", course, mine) == [
        "03-mse.ipynb is already as the course ships it",
        f"removed   {stale.name}: a course version offered beside the lesson, nothing of yours",
    ]
    assert not stale.exists()
