"""Grade a folder of submitted lessons: each in a fresh kernel, alone, under limits.

    python tools/grade.py SUBMISSIONS/ [--out build/grades.csv]
                          [--timeout 120] [--cell-timeout 30] [--memory-mb 1024]

``SUBMISSIONS/`` holds one notebook per student, named after the student
(``alice.ipynb``); each is a copy of a lesson (the student edition of
``tools/teacher.py assignments``, or the lesson itself).  For each one:

1. the lesson is found from the notebook's header (``# 05 · …``);
2. the notebook is copied, without its outputs and without its checker cells,
   into a new temporary folder that holds nothing else, and a last cell is
   added that runs the *course's* checkers (from ``notebooks/``) on the
   student's functions and reads the values the lesson asks to record
   (``docs/assignments.yaml``);
3. it runs in a fresh kernel started in that folder by
   ``tools/grade_kernel.py``, which limits memory, CPU time and file size and
   hands the kernel a cut-down environment; a cell that runs past
   ``--cell-timeout`` is interrupted, a notebook past ``--timeout`` is stopped
   and its kernel killed; the folder is deleted afterwards;
4. one CSV row per student and exercise (``passed`` and the checker's
   message) and per recorded value is written, with how the run ended
   (``run``): ``completed``, ``raised …``, ``out of memory``, ``timed out …``,
   ``kernel died``, ``kernel did not start: …`` (after a second try).

What this isolates, and what it does not: see "Grading" in the README.  In
short, each submission sees only its own folder *by relative path* and no
other submission is on disk in a folder it is told about; it runs as the same
user as the grader, so code that searches the disk by absolute path can read
what that user can read (run the grader as a user who can read nothing else, or
in a container, for more).
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import csv
import json
import math
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import notebooks as nbtools
import teacher

ROOT = nbtools.ROOT
KERNEL = Path(__file__).resolve().parent / "grade_kernel.py"
RESULT = "GDLAB-GRADER-RESULT "
NOT_STARTED = "kernel did not start"
FIELDS = ("student", "lesson", "item", "kind", "passed", "value", "message", "run")


def exercises_of(lesson) -> list[tuple[str, str]]:
    """(function name, checker expression) of each exercise, from the course's lesson.

    Examples
    --------
    >>> path = next(p for p in nbtools.lessons() if p.name.startswith("05-"))
    >>> exercises_of(nbformat.read(path, as_version=4))[0]
    ('update_step', 'checks.check_step(update_step)')
    """
    cells, found = lesson.cells, []
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and "exercise" in cell.metadata.get("tags", []):
            name = re.search(r"^def (\w+)\(", cell.source, re.MULTILINE)
            checker = cells[index + 1]
            if name and "checker" in checker.metadata.get("tags", []):
                found.append((name[1], checker.source.strip()))
    return found


def course_lesson(key: str):
    """The course's own lesson ``key`` (``05``, ``05b``, ``A``): the answer key."""
    for path in nbtools.lessons():
        if teacher.lesson_key(path) == key:
            return nbformat.read(path, as_version=4)
    raise ValueError(f"no lesson {key!r} in {nbtools.NOTEBOOKS}")


def lesson_of(book) -> str:
    """The lesson a submission is a copy of, from its ``# NN · Title`` header."""
    key = book.metadata.get("gdlab", {}).get("lesson")
    if key:
        return str(key)
    return nbtools.title_of(book).split(" · ", 1)[0].strip()


GRADING_CELL = """\
def _gdlab_grade(exercises, records, seconds):
    import json, math, signal
    from gdlab import checks

    class CheckTimeout(BaseException):
        # Not an Exception: the checkers' engine, which reports crashes, lets it by.
        pass

    def _stop(signum, frame):
        raise CheckTimeout(f"the check ran past {seconds} s: does it loop for ever?")

    signal.signal(signal.SIGALRM, _stop)
    found, scope = {"exercises": {}, "records": {}}, dict(globals(), checks=checks)
    for name, expression in exercises:
        signal.alarm(seconds)
        try:
            if name not in scope:
                raise NameError(f"`{name}` is not defined: its cell did not run")
            feedback = eval(expression, scope)
            found["exercises"][name] = [bool(feedback.passed), str(feedback.message)]
        except BaseException as error:
            found["exercises"][name] = [False, f"{type(error).__name__}: {error}"]
        finally:
            signal.alarm(0)
    for name in records:
        value = scope.get(name)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        found["records"][name] = float(value) if ok and math.isfinite(value) else None
    print(MARK + json.dumps(found))


_gdlab_grade(EXERCISES, RECORDS, SECONDS)
"""


def grading_cell(exercises, records, seconds: int):
    """The cell appended to a submission: the course's checkers, then the records."""
    source = (
        GRADING_CELL.replace("MARK", repr(RESULT))
        .replace("EXERCISES", repr(exercises))
        .replace("RECORDS", repr(records))
        .replace("SECONDS", str(int(seconds)))
    )
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["gdlab-grader"]
    return cell


def prepared(book, exercises, records, seconds: int):
    """The submission as it runs: no outputs, no checker cells, the grading cell last."""
    copy = nbformat.from_dict(book)
    cells = []
    for cell in copy.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and "gdlab-grader" in tags:
            continue
        if cell.cell_type == "code" and "checker" in tags:
            # Kept, emptied, so that cell numbers in the grades are the student's.
            cell.source = "# The grader runs the course's checker at the end."
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    copy.cells = [*cells, grading_cell(exercises, records, seconds)]
    return copy


def kernel_spec(folder: Path, memory_mb: int, cpu_seconds: int) -> str:
    """Write the grading kernel's spec into ``folder``; return the kernel's name.

    The kernel's home is ``folder/home``, beside the submission's own folder.
    """
    name = "gdlab-grading"
    spec, home = folder / name, folder / "home"
    spec.mkdir(parents=True, exist_ok=True)
    home.mkdir(exist_ok=True)
    argv = [sys.executable, str(KERNEL), "--memory-mb", str(memory_mb)]
    argv += ["--cpu-seconds", str(cpu_seconds), "--home", str(home)]
    argv += ["-f", "{connection_file}"]
    spec_json = {"argv": argv, "display_name": "gdlab grading", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(spec_json))
    return name


class Limits:
    """How long and how much one submission may take.

    Examples
    --------
    >>> Limits(timeout=60, cell_timeout=20, memory_mb=512).cpu_seconds
    120
    """

    def __init__(self, timeout=120, cell_timeout=30, memory_mb=1024, check_seconds=10):
        for name, value in (("timeout", timeout), ("cell_timeout", cell_timeout)):
            if not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds")
        if memory_mb < 256:
            raise ValueError("memory_mb must be at least 256 (a kernel needs ~200 MB)")
        self.timeout, self.cell_timeout = float(timeout), float(cell_timeout)
        self.memory_mb, self.check_seconds = int(memory_mb), int(check_seconds)
        # A backstop, above the wall-clock limit (which decides): it stops a
        # busy kernel even if the grader itself were killed and left it behind.
        self.cpu_seconds = 2 * math.ceil(self.timeout)


def _cell_timeout(limits: Limits, checks: int):
    """Seconds each cell may run: the grading cell gets a budget per check."""

    def timeout(cell) -> int:
        if "gdlab-grader" in cell.get("metadata", {}).get("tags", []):
            return int(limits.check_seconds * (checks + 1) + 10)
        return int(limits.cell_timeout)

    return timeout


async def _execute(book, workdir: Path, specs: Path, limits: Limits, checks, stderr):
    """Run ``book`` in a limited kernel in ``workdir``; return how the run ended.

    The kernel's output goes nowhere, its errors to the open file ``stderr``.
    """
    import subprocess

    import zmq.asyncio
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    name = kernel_spec(specs, limits.memory_mb, limits.cpu_seconds)
    context = zmq.asyncio.Context()  # ours, so that every socket is closed after
    km = AsyncKernelManager(
        context=context,
        kernel_name=name,
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]),
        # Unix sockets in the private folder, not TCP ports: a port found free
        # can be taken by another process before the kernel binds it (tests
        # and JupyterLab start kernels in parallel), and the kernel then dies.
        transport="ipc",
        ip=str(specs / "kernel"),
    )
    client = NotebookClient(
        book,
        km=km,
        timeout_func=_cell_timeout(limits, checks),
        interrupt_on_timeout=True,
        allow_errors=True,
        startup_timeout=60,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(workdir)}},
        store_widget_state=False,
        record_timing=False,
    )
    try:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": stderr}
        # cleanup_kc: we own the client and close it below.
        running = asyncio.ensure_future(client.async_execute(cleanup_kc=True, **quiet))
        done, _ = await asyncio.wait({running}, timeout=limits.timeout)
        if not done:
            # Cancelling makes nbclient stop the kernel, which it may then
            # report as dead: past the limit, that is a time-out all the same.
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
            return f"timed out: stopped after {limits.timeout:g} s"
        running.result()
    except DeadKernelError:
        return "kernel died (killed at its memory or CPU limit, or it exited)"
    except RuntimeError as error:  # jupyter_client: the kernel never answered
        if "kernel" not in str(error).lower():
            raise
        # nbclient leaves its exit-time clean-up registered when the start
        # fails, and that clean-up then fails at exit on the manager it reset.
        atexit.unregister(client._cleanup_kernel)
        return f"{NOT_STARTED}: {error}"
    finally:
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
        if getattr(client, "kc", None) is not None:
            client.kc.stop_channels()
        context.destroy(linger=0)
    return "completed"


def _last_line(path: Path) -> str:
    """The last non-blank line of a text file, or "" if there is none."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def outcome(book, ended: str) -> str:
    """How a run ended, in words: the first error a cell raised, if any."""
    if ended != "completed":
        return ended
    for number, cell in enumerate(book.cells, 1):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            kind, text = output.get("ename", "Error"), output.get("evalue", "")
            if kind == "MemoryError":
                return f"out of memory (MemoryError in cell {number})"
            if kind == "KeyboardInterrupt":
                return f"timed out in cell {number} (interrupted)"
            return f"raised {kind} in cell {number}: {text}"[:300]
    return "completed"


def results_of(book) -> dict | None:
    """What the grading cell printed, or None if it did not get that far."""
    for output in book.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(RESULT):
                return json.loads(line[len(RESULT) :])
    return None


def grade_one(path: Path, limits: Limits, area: str) -> list[dict]:
    """Grade one submission in a folder made inside ``area``; return its rows."""
    student = path.stem
    try:
        book = nbformat.read(path, as_version=4)
        key = lesson_of(book)
        lesson = course_lesson(key)
    except (OSError, ValueError, KeyError) as error:  # fails alone, with its reason
        return [_row(student, "?", "notebook", "exercise", False, "", str(error), "")]
    exercises = exercises_of(lesson)
    spec = teacher.load_assignments().get(key, {})
    records = [r["name"] for r in spec.get("records", [])]
    runnable = prepared(book, exercises, records, limits.check_seconds)
    # The submission's folder holds only its notebook, inside a private folder
    # of its own inside the grading's private area (``area``): what it finds
    # by relative path is itself.  The kernel's spec and home are elsewhere.
    own = Path(tempfile.mkdtemp(prefix="submission-", dir=area))
    workdir = own / "work"
    workdir.mkdir(mode=0o700)
    nbformat.write(runnable, workdir / path.name)
    for _attempt in range(2):  # a kernel that fails to start gets one more try
        with tempfile.TemporaryDirectory(prefix="gdlab-kernel-") as specs:
            # What the kernel says before it dies is the only reason a failed
            # start can give.
            said = Path(specs) / "kernel-stderr.txt"
            with said.open("wb") as stderr:
                run = _execute(
                    runnable, workdir, Path(specs), limits, len(exercises), stderr
                )
                ended = asyncio.run(run)
            if ended.startswith(NOT_STARTED) and _last_line(said):
                ended = f"{NOT_STARTED}: {_last_line(said)}"
        if not ended.startswith(NOT_STARTED):
            break
    # The submission may have changed its folder's permissions or contents.
    shutil.rmtree(own, ignore_errors=True)
    return rows_for(student, key, exercises, records, runnable, ended)


def rows_for(student, key, exercises, records, book, ended) -> list[dict]:
    """The CSV rows of one graded submission."""
    run, found = outcome(book, ended), results_of(book)
    rows = []
    for name, _ in exercises:
        if found is None:
            passed, message = False, f"not graded: {run}"
        else:
            passed, message = found["exercises"].get(name, [False, "not graded"])
        rows.append(_row(student, key, name, "exercise", passed, "", message, run))
    for name in records:
        value = None if found is None else found["records"].get(name)
        text = "" if value is None else repr(value)
        message = "" if value is not None else "no number recorded"
        rows.append(_row(student, key, name, "record", "", text, message, run))
    return rows


def _row(student, lesson, item, kind, passed, value, message, run) -> dict:
    values = (student, lesson, item, kind, passed, value, message, run)
    return dict(zip(FIELDS, values))


def grade(folder: Path, out: Path, limits: Limits, log=print) -> list[dict]:
    """Grade every ``*.ipynb`` in ``folder``, one at a time; write the CSV ``out``."""
    if not folder.is_dir() or not any(folder.glob("*.ipynb")):
        raise ValueError(
            f"submissions must be a folder of notebooks (*.ipynb); got {folder}"
        )
    rows = []
    area = tempfile.mkdtemp(prefix="gdlab-grading-")  # private: mode 0700
    for path in sorted(folder.glob("*.ipynb")):
        started = time.monotonic()
        mine = grade_one(path, limits, area)
        rows += mine
        log(
            f"{path.stem}: {mine[0]['run'] or mine[0]['message']} "
            f"({time.monotonic() - started:.0f} s)"
        )
    shutil.rmtree(area, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    with partial.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    partial.replace(out)  # written only once every submission has run
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "grades.csv")
    parser.add_argument(
        "--timeout", type=float, default=120, help="seconds per notebook"
    )
    parser.add_argument(
        "--cell-timeout", type=float, default=30, help="seconds per cell"
    )
    parser.add_argument("--memory-mb", type=int, default=1024)
    args = parser.parse_args(argv)
    try:
        limits = Limits(args.timeout, args.cell_timeout, args.memory_mb)
        grade(args.submissions.resolve(), args.out.resolve(), limits)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"grades written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
