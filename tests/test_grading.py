"""The grader: made-up submissions of lesson 05, each run alone, under small limits."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
import grade

HEADER = "# 05 · The update rule\n\nA made-up submission."
SETUP = "import numpy as np\n\nimport gdlab\nfrom gdlab import checks"
STEP = """def update_step(x, y, m, b, learning_rate):
    d_m, d_b = gdlab.mse_gradient(x, y, m, b)
    return m - learning_rate * d_m, b - learning_rate * d_b"""
LOOP = """def descent_loop(x, y, m, b, learning_rate, steps):
    path = [(m, b)]
    for _ in range(steps):
        d_m, d_b = gdlab.mse_gradient(x, y, m, b)
        m, b = m - learning_rate * d_m, b - learning_rate * d_b
        path.append((m, b))
    return np.array(path)"""
# One parameter at a time: b's slope taken at the new m (common mistake 8).
LOOP_WRONG = LOOP.replace(
    "        m, b = m - learning_rate * d_m, b - learning_rate * d_b",
    "        m = m - learning_rate * d_m\n"
    "        b = b - learning_rate * gdlab.mse_gradient(x, y, m, b)[1]",
)
SNOOP = """import glob, os
mine = os.path.basename(glob.glob("*.ipynb")[0])
others = [p for pattern in ("*", "../*", "../*/*", "../../*", "../../*/*", "../../*/*/*",
          "../notebooks/*.ipynb", "../../notebooks/*.ipynb", "../../../notebooks/*",
          os.path.expanduser("~/*"), os.path.expanduser("~/../*"))
          for p in glob.glob(pattern)
          if p.endswith((".ipynb", ".csv")) and os.path.basename(p) != mine]
others += [v for v in os.environ.values() if "submissions" in v or "notebooks" in v]


def update_step(x, y, m, b, learning_rate):
    # Copy another student's answer, if it can be found.
    exec(open("../alice.ipynb").read())"""
DELETE = """import os, shutil
for name in os.listdir("."):
    path = os.path.join(".", name)
    shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
for target in ("../alice.ipynb", "../../alice.ipynb"):
    try:
        os.remove(target)
    except OSError:
        pass"""


def _notebook(*cells: tuple[str, str]):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell(HEADER)]
    for tag, source in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = [tag] if tag else []
        book.cells.append(cell)
    return book


def _submission(step=STEP, loop=LOOP, extra=(), record="0.41"):
    return _notebook(
        ("setup", SETUP),
        ("exercise", step),
        ("checker", "checks.check_step(update_step)"),
        ("exercise", loop),
        ("checker", "checks.check_descent_loop(descent_loop)"),
        *[("", source) for source in extra],
        ("record", f"largest_stable_learning_rate = {record}"),
    )


SUBMISSIONS = {
    "alice": _submission(),
    "bob": _submission(loop=LOOP_WRONG, record="0.3"),
    "carol": _submission(
        extra=['raise RuntimeError("my own bug")'],
        loop=LOOP.replace("path = [(m, b)]", "path = [(m, b)]\n    1 / 0"),
    ),
    "dave": _submission(
        loop=LOOP.replace("for _ in range(steps):", "while True:"),
        # A cell that never ends (asleep: the limit is on time, and a busy
        # loop would only take 4 s of CPU from the tests running beside it).
        extra=["import time\n\nwhile True:\n    time.sleep(0.1)"],
        record="0.5",
    ),
    # Asks for address space without touching it (np.empty): the limit is on
    # address space, and writing 600 MB of zeros took past the cell's 4 s on
    # a busy CI machine, which then reported a time-out, not the memory limit.
    "erin": _submission(
        extra=[
            (
                "def fill():\n    hog = []\n    while True:\n"
                "        hog.append(np.empty(64 * 1024 * 1024, dtype=np.uint8))\n\n\nfill()"
            )
        ]
    ),
    "frank": _submission(step=SNOOP, record="float(len(others))"),
    "gina": _submission(extra=[DELETE], record="0.42"),
    # Swallows the interrupt: only the notebook's wall-clock limit stops it.
    # (Asleep, not spinning: the same for the limits, and it leaves the CPU
    # to the other tests running beside it.)
    "hank": _submission(
        extra=[
            (
                "import time\n\nwhile True:\n    try:\n        time.sleep(3600)\n"
                "    except KeyboardInterrupt:\n        pass"
            )
        ]
    ),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class") / "submissions"
    folder.mkdir()
    for student, book in SUBMISSIONS.items():
        nbformat.write(book, folder / f"{student}.ipynb")
    (folder / "broken.ipynb").write_text("{ not a notebook")
    out = folder.parent / "grades.csv"
    limits = grade.Limits(timeout=15, cell_timeout=4, memory_mb=600, check_seconds=3)
    started = time.monotonic()
    grade.grade(folder, out, limits, log=lambda line: None)
    seconds = time.monotonic() - started
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    return folder, out, rows, seconds


def _rows(rows, student):
    return {row["item"]: row for row in rows if row["student"] == student}


def test_grading_is_bounded_and_gives_one_row_per_student_and_item(graded):
    folder, _, rows, seconds = graded
    # 9 notebooks, the slowest stopped by its limits: well under 2 minutes.
    assert seconds < 120
    students = {row["student"] for row in rows}
    assert students == {*SUBMISSIONS, "broken"}
    for student in SUBMISSIONS:
        assert set(_rows(rows, student)) == {
            "update_step",
            "descent_loop",
            "largest_stable_learning_rate",
        }
    # Nothing the submissions did reached the folder they came from.
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{s}.ipynb" for s in SUBMISSIONS] + ["broken.ipynb"]
    )


def test_right_wrong_and_recorded_values(graded):
    rows = graded[2]
    alice, bob = _rows(rows, "alice"), _rows(rows, "bob")
    assert alice["update_step"]["passed"] == "True"
    assert alice["descent_loop"]["passed"] == "True"
    assert alice["update_step"]["run"] == "completed"
    assert alice["largest_stable_learning_rate"]["value"] == "0.41"
    assert bob["update_step"]["passed"] == "True"
    assert bob["descent_loop"]["passed"] == "False"
    # The checker's own message, naming the mistake (b's slope at the new m).
    assert "new" in bob["descent_loop"]["message"].lower()
    assert bob["largest_stable_learning_rate"]["value"] == "0.3"


def test_a_raising_submission_fails_alone_with_its_reason(graded):
    carol = _rows(graded[2], "carol")
    assert carol["update_step"]["passed"] == "True"
    assert carol["descent_loop"]["passed"] == "False"
    assert "ZeroDivisionError" in carol["descent_loop"]["message"]
    assert carol["update_step"]["run"].startswith("raised RuntimeError in cell")
    assert "my own bug" in carol["update_step"]["run"]


def test_loops_are_stopped_by_the_limits(graded):
    dave = _rows(graded[2], "dave")
    assert dave["update_step"]["passed"] == "True"
    assert dave["descent_loop"]["passed"] == "False"
    assert "ran past 3 s" in dave["descent_loop"]["message"]
    assert dave["update_step"]["run"].startswith("timed out in cell")
    assert dave["largest_stable_learning_rate"]["value"] == "0.5"


def test_unbounded_allocation_is_stopped_by_the_memory_limit(graded):
    erin = _rows(graded[2], "erin")
    assert erin["update_step"]["run"].startswith("out of memory (MemoryError")
    assert erin["update_step"]["passed"] == "True"


def test_a_kernel_that_ignores_interrupts_is_killed_at_the_notebooks_limit(graded):
    hank = _rows(graded[2], "hank")
    assert hank["update_step"]["run"] == "timed out: stopped after 15 s"
    assert hank["update_step"]["passed"] == "False"
    assert hank["update_step"]["message"].startswith("not graded: timed out")
    # No kernel outlives the grading: none still works in a grading folder.
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cwd = os.readlink(entry / "cwd")
            except OSError:
                continue
            assert "gdlab-grading-" not in cwd, (entry.name, cwd)


def test_a_submission_sees_no_other_submission_nor_the_answer_key(graded):
    frank = _rows(graded[2], "frank")
    assert frank["update_step"]["passed"] == "False"
    assert "FileNotFoundError" in frank["update_step"]["message"]
    # It found nothing by relative path, in its home or in its environment.
    assert frank["largest_stable_learning_rate"]["value"] == "0.0"


def test_deleting_files_hurts_only_the_deleter(graded):
    gina = _rows(graded[2], "gina")
    assert gina["update_step"]["passed"] == "True"
    assert gina["largest_stable_learning_rate"]["value"] == "0.42"
    assert (graded[0] / "alice.ipynb").exists()


def test_a_file_that_is_not_a_notebook_gets_a_row_saying_so(graded):
    broken = _rows(graded[2], "broken")
    assert broken["notebook"]["passed"] == "False" and broken["notebook"]["message"]


def test_a_kernel_that_cannot_start_is_tried_twice_and_reported_alone(
    monkeypatch, tmp_path
):
    # A stand-in for the kernel launcher that says why it fails, then exits.
    launcher = tmp_path / "failing_kernel.py"
    tries = tmp_path / "tries"
    launcher.write_text(
        "import sys\n"
        f"with open({str(tries)!r}, 'a') as f:\n"
        "    f.write('x')\n"
        "sys.exit('no kernel today: the launcher refused')\n"
    )
    monkeypatch.setattr(grade, "KERNEL", launcher)
    folder = tmp_path / "submissions"
    folder.mkdir()
    nbformat.write(_submission(), folder / "ann.ipynb")
    limits = grade.Limits(timeout=15, cell_timeout=4, memory_mb=600, check_seconds=3)
    area = tmp_path / "area"
    area.mkdir()
    rows = grade.grade_one(folder / "ann.ipynb", limits, str(area))
    exercises = [row for row in rows if row["kind"] == "exercise"]
    assert exercises and not any(row["passed"] for row in exercises)
    runs = {row["run"] for row in rows}
    assert runs == {"kernel did not start: no kernel today: the launcher refused"}
    assert tries.read_text() == "xx"


def test_the_kernel_gets_limits_and_a_cut_down_environment(monkeypatch, tmp_path):
    import grade_kernel

    monkeypatch.setenv("SECRET_TOKEN", "x")
    env = grade_kernel.kernel_environment(str(tmp_path))
    assert "SECRET_TOKEN" not in env and env["HOME"] == str(tmp_path)
    assert env["OPENBLAS_NUM_THREADS"] == "1"
    assert os.environ["SECRET_TOKEN"] == "x"


@pytest.mark.parametrize(
    "bad", [{"timeout": 0}, {"cell_timeout": -1}, {"memory_mb": 64}]
)
def test_limits_refuse_nonsense(bad):
    with pytest.raises(ValueError):
        grade.Limits(**bad)


def test_the_class_results_notebook_runs_on_the_grades(graded, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("GDLAB_GRADES", str(graded[1]))
    book = nbformat.read(ROOT / "docs" / "class-results.ipynb", as_version=4)
    NotebookClient(
        book,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": "docs"}},
    ).execute()
    text = "".join(
        out.get("text", "") for cell in book.cells for out in cell.get("outputs", [])
    )
    # The made-up class: 8 notebooks of lesson 05 (the broken file is none),
    # 7 with a number (hank's never ran); only dave's 0.5 is above 2/λ_max = 0.421.
    assert "8 students in grades.csv" in text
    assert "2/λ_max = 0.421;  7 values recorded, 1 at or above it" in text
    assert "   carol: raised RuntimeError" in text
    assert not any(
        out.get("output_type") == "error"
        for c in book.cells
        for out in c.get("outputs", [])
    )


def test_a_folder_without_notebooks_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="folder of notebooks"):
        grade.grade(tmp_path, tmp_path / "grades.csv", grade.Limits())
    assert not (tmp_path / "grades.csv").exists()
