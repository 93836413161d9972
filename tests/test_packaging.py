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


def test_environment_lists_every_runtime_and_lab_dependency_with_the_same_bounds():
    project = _pyproject()["project"]
    wanted = dict(
        _parse(r)
        for r in project["dependencies"] + project["optional-dependencies"]["lab"]
    )
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


def test_parser_notices_a_disagreement():
    # The comparison above is only worth something if a changed bound shows.
    assert _parse("numpy>=1.26,<3") != _parse("numpy>=1.25,<3")
    assert _parse("numpy <3, >=1.26") == _parse("numpy>=1.26,<3")
