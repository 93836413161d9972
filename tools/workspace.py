"""A learner's own copy of the lessons, kept up to date by nbgitpuller's rules.

`make lab` opens ``my-work/``, a git-ignored copy of ``notebooks/``, so answering
an exercise never edits a file the course ships, and ``git pull`` never refuses.
After the course changes, ``update`` applies nbgitpuller's rules:

- a new lesson arrives;
- a lesson the learner has not changed is refreshed;
- a lesson the learner changed is never overwritten: the course's new version is
  saved beside it (``05-update-rule.course-2026-12-02.ipynb``), said in one line.

"Changed" means changed since it was copied: ``my-work/.gdlab-manifest.json``
records, for each file, a hash of what was copied. In a notebook only what the
learner writes counts (cells' types, sources and attachments); running cells
changes outputs, and a lesson that was only run is still refreshed.

    python tools/workspace.py update            # make my-work/, or bring it up to date
    python tools/workspace.py reset 05          # lesson 05 starts over; the old copy is kept

``reset`` also removes the ``.course-<date>`` copies offered beside that lesson,
which are stale once it is the course's again, unless the learner wrote in one.

Standard library only; every problem is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "notebooks"
WORKSPACE = ROOT / "my-work"
MANIFEST = ".gdlab-manifest.json"
FORMAT = 1


class WorkspaceError(Exception):
    """A problem the learner can fix, said in one line; nothing of theirs was lost."""


def digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes.

    >>> digest(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def fingerprint(data: bytes, name: str) -> str:
    """A hash of what the learner wrote: for a notebook, its cells' types, sources
    and attachments (outputs, counts and metadata change by running it); for any
    other file, or a notebook that is not valid JSON, its bytes.

    >>> cell = {"cell_type": "code", "source": "x = 1", "outputs": []}
    >>> ran = dict(cell, outputs=[{"output_type": "stream", "text": "1"}])
    >>> nb = lambda *cells: json.dumps({"cells": list(cells)}).encode()
    >>> fingerprint(nb(cell), "a.ipynb") == fingerprint(nb(ran), "a.ipynb")
    True
    >>> fingerprint(nb(dict(cell, source="x = 2")), "a.ipynb") == fingerprint(nb(cell), "a.ipynb")
    False
    """
    if name.endswith(".ipynb"):
        try:
            cells = json.loads(data)["cells"]
            written = [
                [c["cell_type"], _text(c.get("source", "")), c.get("attachments")]
                for c in cells
            ]
            return "cells:" + digest(json.dumps(written, sort_keys=True).encode())
        except (ValueError, KeyError, TypeError):
            pass  # not a notebook we can read: compare its bytes, the safe side
    return "bytes:" + digest(data)


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def course_files(course: Path) -> dict[str, Path]:
    """Every file the course ships, by its path relative to ``course``.

    Hidden files and folders (``.ipynb_checkpoints``) and ``__pycache__`` are not
    part of the course.
    """
    if not course.is_dir():
        raise WorkspaceError(f"no course folder at {course}")
    found = {}
    for path in sorted(course.rglob("*")):
        parts = path.relative_to(course).parts
        if path.is_file() and not any(
            p.startswith(".") or p == "__pycache__" for p in parts
        ):
            found["/".join(parts)] = path
    if not any(name.endswith(".ipynb") for name in found):
        raise WorkspaceError(f"no lessons (.ipynb) in {course}")
    return found


def _entry(data: bytes, name: str) -> dict:
    return {"copied": digest(data), "work": fingerprint(data, name), "offered": None}


def load_manifest(workspace: Path) -> tuple[dict, str | None]:
    """The record of what was copied, and a note when it is missing or unreadable."""
    path = workspace / MANIFEST
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        files = record["files"]
        if record["format"] != FORMAT or not all(
            isinstance(e, dict) and {"copied", "work"} <= e.keys()
            for e in files.values()
        ):
            raise ValueError("unknown format")
        return files, None
    except FileNotFoundError:
        problem = "is missing"
    except (ValueError, KeyError, TypeError, AttributeError, OSError):
        problem = "is unreadable"
    note = (
        f"{workspace.name}/{MANIFEST} {problem}: lessons that differ from the course"
        " count as yours and are not overwritten"
    )
    return {}, note


def _save_manifest(workspace: Path, files: dict) -> None:
    text = json.dumps({"format": FORMAT, "files": files}, indent=1, sort_keys=True)
    _write(workspace / MANIFEST, text.encode("utf-8"))


def _write(target: Path, data: bytes) -> None:
    """Write through a temporary file, so a failure never leaves half a lesson."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.gdlab-tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def _beside(target: Path, label: str) -> Path:
    """A free name next to ``target``: ``05-x.ipynb`` -> ``05-x.<label>.ipynb``."""
    stem, suffix = (
        target.name.rsplit(".", 1) if "." in target.name else (target.name, "")
    )
    dot = "." if suffix else ""
    candidate, k = target.with_name(f"{stem}.{label}{dot}{suffix}"), 2
    while candidate.exists():
        candidate = target.with_name(f"{stem}.{label}-{k}{dot}{suffix}")
        k += 1
    return candidate


def _sync(name: str, source: Path, workspace: Path, files: dict, today: str) -> str:
    """Apply nbgitpuller's rules to one file; return what happened ('' for nothing)."""
    data, target, entry = source.read_bytes(), workspace / name, files.get(name)
    if not target.exists():
        _write(target, data)
        files[name] = _entry(data, name)
        return (
            f"restored  {name} (it had been deleted)" if entry else f"new       {name}"
        )
    mine = target.read_bytes()
    if mine == data:
        files[name] = _entry(data, name)
        return ""
    changed = entry is None or fingerprint(mine, name) != entry["work"]
    if not changed:
        if digest(data) == entry["copied"]:
            return ""
        _write(target, data)
        files[name] = _entry(data, name)
        return f"updated   {name}"
    if entry and digest(data) in (entry["copied"], entry.get("offered")):
        return ""  # the course has nothing newer than what the learner has seen
    beside = _beside(target, f"course-{today}")
    _write(beside, data)
    entry = entry or {"copied": None, "work": None}
    # What each copy offered held, so `reset` can tell it from the learner's work.
    offers = list(entry.get("offers") or []) + [fingerprint(data, name)]
    files[name] = dict(entry, offered=digest(data), offers=offers)
    return (
        f"kept      {name} has your changes; the course's new version is {beside.name}"
    )


def _retire(name: str, workspace: Path, files: dict, course: dict) -> str:
    """A file the course no longer ships: removed only if it is exactly as copied."""
    entry, target = files.pop(name), workspace / name
    if not target.exists():
        return ""
    # A lesson renamed by the course keeps its number: name the new file.
    number = _number(name)
    successor = [n for n in course if "/" not in n and _number(n) == number]
    now = f" (now {successor[0]})" if number is not None and len(successor) == 1 else ""
    if digest(target.read_bytes()) == entry["copied"]:
        target.unlink()
        return f"removed   {name}: the course dropped it{now}; it held nothing of yours"
    return f"kept      {name}: the course dropped it{now}; your copy stays, copy your answers across"


def update(
    course: Path = COURSE, workspace: Path = WORKSPACE, now: datetime | None = None
) -> list[str]:
    """Make ``workspace`` from ``course``, or bring it up to date; return one line per change.

    Raises
    ------
    WorkspaceError
        When the course is missing or ``workspace`` is not a folder.
    OSError
        When a file cannot be written; what was done so far is recorded.
    """
    files_in_course = course_files(course)
    if workspace.exists() and not workspace.is_dir():
        raise WorkspaceError(f"{workspace} is a file, not a folder: move it away")
    # Deleted by hand, or an empty folder: there is nothing of the learner's to keep.
    fresh = not workspace.exists() or not any(workspace.iterdir())
    files, note = ({}, None) if fresh else load_manifest(workspace)
    today = (now or datetime.now()).strftime("%Y-%m-%d")
    lines = [note] if note else []
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        for name, source in files_in_course.items():
            lines.append(_sync(name, source, workspace, files, today))
        for name in sorted(set(files) - set(files_in_course)):
            lines.append(_retire(name, workspace, files, files_in_course))
    finally:
        if workspace.is_dir():
            _save_manifest(workspace, files)
    lines = [line for line in lines if line]
    if fresh:
        lessons = sum(name.endswith(".ipynb") for name in files_in_course)
        return [
            f"made {workspace.name}/ from {course.name}/ ({lessons} lessons): your answers go there"
        ]
    return lines or [f"{workspace.name}/ is up to date with {course.name}/"]


def find_lesson(query: str, course: Path = COURSE) -> str:
    """The lesson ``query`` names: ``05``, ``5``, ``05-update-rule(.ipynb)`` or ``update-rule``.

    >>> find_lesson("5"), find_lesson("update-rule")
    ('05-update-rule.ipynb', '05-update-rule.ipynb')
    """
    lessons = sorted(
        n for n in course_files(course) if n.endswith(".ipynb") and "/" not in n
    )
    wanted = query.strip().removesuffix(".ipynb")
    if not wanted:
        raise WorkspaceError("say which lesson, e.g. make reset LESSON=05")
    matches = [n for n in lessons if n.removesuffix(".ipynb") == wanted]
    if not matches and wanted.isdigit():
        matches = [n for n in lessons if _number(n) == int(wanted)]
    elif not matches:
        matches = [n for n in lessons if wanted.lower() in n.lower()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise WorkspaceError(
            f"{query!r} names several lessons ({_numbers(matches)}); say which"
        )
    raise WorkspaceError(
        f"no lesson {query!r} in {course.name}/; the lessons are {_numbers(lessons)}"
    )


def _numbers(names: list[str]) -> str:
    return ", ".join(n.split("-", 1)[0] for n in names)


def _number(name: str) -> int | None:
    prefix = name.split("-", 1)[0]
    return int(prefix) if prefix.isdigit() else None


def reset(
    query: str,
    course: Path = COURSE,
    workspace: Path = WORKSPACE,
    now: datetime | None = None,
) -> list[str]:
    """Put the course's version of one lesson back, keeping the learner's as a backup."""
    name = find_lesson(query, course)
    if not workspace.is_dir():
        raise WorkspaceError(
            f"no workspace at {workspace} (deleted?): `make update` makes a new one"
        )
    data, target = (course / name).read_bytes(), workspace / name
    files, note = load_manifest(workspace)
    offers = files.get(name) or {}
    if target.exists() and target.read_bytes() == data:
        cleared = _clear_offers(name, workspace, data, offers)
        return [f"{name} is already as the course ships it", *cleared]
    line, kept = f"reset     {name} (it was missing)", ""
    if target.exists():
        stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
        backup = _beside(target, f"backup-{stamp}")
        os.rename(target, backup)  # the learner's bytes, untouched, under a new name
        line = f"reset     {name}; your copy is kept as {backup.name}"
        kept = f"; your copy is safe as {backup.name}"
    try:
        _write(target, data)
    except OSError as error:
        raise WorkspaceError(
            f"cannot write {target} ({error.strerror}){kept}"
        ) from error
    cleared = _clear_offers(name, workspace, data, offers)
    if note is None:  # else the next update says the record is missing, and why
        files[name] = _entry(data, name)
        _save_manifest(workspace, files)
    return [line, *cleared]


def _offered_copies(name: str, workspace: Path) -> list[Path]:
    """The ``<lesson>.course-<date>[-k].ipynb`` copies ``update`` left beside ``name``."""
    stem, _, suffix = name.rpartition(".")
    pattern = re.compile(
        rf"^{re.escape(stem)}\.course-\d{{4}}-\d{{2}}-\d{{2}}(-\d+)?\.{re.escape(suffix)}$"
    )
    return sorted(p for p in workspace.iterdir() if pattern.match(p.name))


def _clear_offers(name: str, workspace: Path, data: bytes, entry: dict) -> list[str]:
    """Remove the course's copies offered beside a lesson that is reset to the course.

    Once the lesson is the course's again, a copy the course offered beside it is
    stale. It goes only if it holds nothing of the learner's: what is written in it
    is what some update offered (``offers`` in the manifest), or what the course
    ships now; running its cells does not count. A copy the learner wrote in stays.
    """
    known = set(entry.get("offers") or []) | {fingerprint(data, name)}
    lines = []
    for copy in _offered_copies(name, workspace):
        if fingerprint(copy.read_bytes(), name) in known:
            copy.unlink()
            lines.append(
                f"removed   {copy.name}: a course version offered beside the lesson,"
                " nothing of yours"
            )
        else:
            lines.append(
                f"kept      {copy.name}: you wrote in it; delete it when you are done"
            )
    return lines


def main(argv=None) -> int:
    folders = argparse.ArgumentParser(add_help=False)
    folders.add_argument("--course", type=Path, default=COURSE)
    folders.add_argument("--workspace", type=Path, default=WORKSPACE)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "update", parents=[folders], help="make the workspace, or bring it up to date"
    )
    one = commands.add_parser(
        "reset", parents=[folders], help="start one lesson over, keeping a backup"
    )
    one.add_argument("lesson", help="05, 5, 05-update-rule or update-rule")
    args = parser.parse_args(argv)
    try:
        if args.command == "update":
            lines = update(args.course, args.workspace)
        else:
            lines = reset(args.lesson, args.course, args.workspace)
    except WorkspaceError as error:
        print(f"workspace: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = error.filename or args.workspace
        print(
            f"workspace: {where}: {error.strerror or error}; nothing of yours was"
            " lost: fix that and run the command again",
            file=sys.stderr,
        )
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
