"""The two ways of installing gdlab must ask for the same things."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")


def _parse(requirement: str) -> tuple[str, str]:
    name, spec = REQUIREMENT.match(requirement).groups()
    parts = sorted(part.strip() for part in spec.split(",") if part.strip())
    return name.lower().replace("_", "-"), ",".join(parts)


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda_requirements() -> dict[str, str]:
    """Every package environment.yml names: conda's, and those its pip section names."""
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, str) and not entry.startswith(("python", "pip")):
            name, spec = _parse(entry)
            found[name] = spec
        elif isinstance(entry, dict):
            for line in entry["pip"]:
                if not line.startswith("-"):  # not gdlab's own `-e .[lab]`
                    name, spec = _parse(line)
                    found[name] = spec
    return found


def _runtime_and_lab_requirements() -> dict:
    """{name: bounds} of what pyproject.toml installs for the lessons."""
    project = _pyproject()["project"]
    return dict(
        _parse(r)
        for r in project["dependencies"] + project["optional-dependencies"]["lab"]
    )


def test_environment_lists_every_runtime_and_lab_dependency_with_the_same_bounds():
    wanted = _runtime_and_lab_requirements()
    assert _conda_requirements() == wanted


def test_environment_installs_gdlab_itself_with_the_lab_extra():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [
        e["pip"] for e in environment["dependencies"] if isinstance(e, dict)
    ]
    assert pip_sections and any(
        re.fullmatch(r'-e\s+"?\.\[lab\]"?', line) for line in pip_sections[0]
    )


def test_environment_python_matches_requires_python():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pythons = [
        e
        for e in environment["dependencies"]
        if isinstance(e, str) and e.startswith("python")
    ]
    assert pythons == ["python" + _pyproject()["project"]["requires-python"]]


# What a hub's image needs beyond the lessons: nbgitpuller serves the class link.
HUB_ONLY = {"nbgitpuller"}


def _binder():
    return yaml.safe_load((ROOT / "binder/environment.yml").read_text())


def _binder_requirements() -> dict[str, str]:
    """Every package binder/environment.yml names, from conda-forge or its pip section."""
    found = {}
    for entry in _binder()["dependencies"]:
        lines = entry["pip"] if isinstance(entry, dict) else [entry]
        for line in lines:
            if not re.match(r"pip$|python\b", line):
                name, spec = _parse(line)
                found[name] = spec
    return found


def test_binder_environment_lists_every_runtime_and_lab_dependency_with_the_same_bounds():
    wanted = _runtime_and_lab_requirements()
    found = _binder_requirements()
    assert {k: v for k, v in found.items() if k not in HUB_ONLY} == wanted
    assert HUB_ONLY <= set(found)


def test_binder_environment_pins_a_python_that_requires_python_allows():
    pythons = [
        e
        for e in _binder()["dependencies"]
        if isinstance(e, str) and e.startswith("python")
    ]
    assert len(pythons) == 1 and re.fullmatch(r"python=3\.\d+", pythons[0]), pythons
    lowest = re.fullmatch(r">=(\d+)\.(\d+)", _pyproject()["project"]["requires-python"])
    pinned = tuple(int(p) for p in pythons[0].removeprefix("python=").split("."))
    assert pinned >= (int(lowest[1]), int(lowest[2]))


def test_binder_environment_leaves_installing_gdlab_to_postbuild():
    # repo2docker installs this file before the repository is copied in: its pip
    # section may name packages, never a path (tests/test_binder.py runs repo2docker).
    pip = [e["pip"] for e in _binder()["dependencies"] if isinstance(e, dict)]
    named = [line for lines in pip for line in lines]
    assert all(re.match(r"[A-Za-z]", line) for line in named), named
    post_build = ROOT / "binder/postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert re.search(
        r"^python -m pip install --no-deps [^\n]*\.$",
        post_build.read_text(),
        re.MULTILINE,
    )


def test_parser_notices_a_disagreement():
    # The comparison above is only worth something if a changed bound shows.
    assert _parse("numpy>=1.26,<3") != _parse("numpy>=1.25,<3")
    assert _parse("numpy <3, >=1.26") == _parse("numpy>=1.26,<3")


def test_package_data_ships_every_file_of_the_package_that_is_not_python():
    # A front-end module (an explorer's .js) left out here would be missing
    # from a wheel only: found at home, a blank widget on Binder.
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["gdlab"]
    package = ROOT / "lib" / "gdlab"
    others = [
        path.relative_to(package)
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    ]
    assert others, "the package has front-end files (the explorer's .js)"
    left_out = [p for p in others if not any(p.match(glob) for glob in patterns)]
    assert left_out == []
