"""Binder and JupyterHub images: repo2docker must install gdlab after copying the repository.

repo2docker copies the environment file alone, installs it, and only then copies
the whole repository. An environment that installs the repository (`-e .`) runs
where there is no pyproject.toml yet. These tests read the Dockerfile repo2docker
writes for a clean copy of this repository (`--no-build`: no Docker needed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Installing "the repository": a pip argument that is a local path (., ./x, .[lab]).
LOCAL_PIP = re.compile(r"""^(-e\s+|--editable[=\s]+)?["']?\.(/|\[|["']|$)""")
PIP_INSTALLS_HERE = re.compile(r"\bpip\s+install\b[^\n#]*\s\.(\s|$|\[)", re.MULTILINE)


def _clean_copy(destination: Path) -> Path:
    """The files a clone would hold: tracked or new, never ignored (.venv, my-work)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is skipped
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def _dockerfile(repository: Path) -> str:
    # Binder's own user; the default would be whoever runs the test.
    done = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug"]
        + ["--user-id", "1000", "--user-name", "jovyan", str(repository)],
        check=False,  # a failure is reported below, with repo2docker's message
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _instructions(dockerfile: str) -> list[str]:
    """One string per Dockerfile instruction, continuation lines joined, comments out."""
    lines = [ln for ln in dockerfile.splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [ln.strip() for ln in joined.splitlines() if ln.strip()]


def _env_files(instruction: str) -> list[str]:
    return re.findall(
        r"""env (?:update|create)\b.*?--file\s+["']?([^"'\s]+)""", instruction
    )


def problems(repository: Path) -> list[str]:
    """What would break the image's build or leave it without gdlab; [] when fine."""
    steps = _instructions(_dockerfile(repository))
    copies = [i for i, s in enumerate(steps) if re.match(r"COPY\b.*\ssrc/?\s", s)]
    if len(copies) != 1:
        return [f"expected one COPY of the whole repository, found {len(copies)}"]
    found = []
    for step in steps[: copies[0]]:
        if PIP_INSTALLS_HERE.search(step):
            found.append(f"installs the repository before copying it: {step}")
        for name in _env_files(step):
            environment = yaml.safe_load((repository / name).read_text())
            for entry in environment.get("dependencies", []):
                for line in entry.get("pip", []) if isinstance(entry, dict) else []:
                    if LOCAL_PIP.match(line.strip()):
                        found.append(f"{name} installs the repository: {line}")
    scripts = [
        repository / m.group(1)
        for step in steps[copies[0] :]
        for m in [re.match(r"RUN\s+\./(\S+)$", step)]
        if m
    ]
    if not any(PIP_INSTALLS_HERE.search(s.read_text()) for s in scripts):
        found.append("nothing installs gdlab after the repository is copied")
    return found


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory):
    return _clean_copy(tmp_path_factory.mktemp("clone") / "gdlab")


def test_repo2docker_installs_gdlab_only_after_copying_the_repository(clean_copy):
    assert problems(clean_copy) == []


def test_repo2docker_builds_from_binder_with_its_python(clean_copy):
    dockerfile = _dockerfile(clean_copy)
    environment = yaml.safe_load((ROOT / "binder/environment.yml").read_text())
    (python,) = [e for e in environment["dependencies"] if str(e).startswith("python=")]
    version = python.removeprefix("python=")
    assert '--file "binder/environment.yml"' in dockerfile
    assert f"environment-2epy-2d{version.replace('.', '-2e')}-2dlinux" in dockerfile


def test_the_check_catches_the_layout_binder_used_to_fail_on(clean_copy, tmp_path):
    # Without binder/, repo2docker reads the root environment.yml, whose pip
    # section installs the repository before it is copied (issue 13).
    broken = shutil.copytree(clean_copy, tmp_path / "gdlab")
    shutil.rmtree(broken / "binder")
    found = problems(broken)
    assert any("environment.yml installs the repository" in p for p in found), found
    assert "nothing installs gdlab after the repository is copied" in found


def test_the_check_catches_a_postbuild_that_installs_nothing(clean_copy, tmp_path):
    broken = shutil.copytree(clean_copy, tmp_path / "gdlab")
    (broken / "binder/postBuild").write_text("#!/bin/bash\npython -m pip list\n")
    assert problems(broken) == ["nothing installs gdlab after the repository is copied"]


@pytest.mark.parametrize(
    "line", ["-e .", '-e ".[lab]"', ".", ".[lab]", "--editable=.", "'./'"]
)
def test_local_pip_lines_are_recognised(line):
    assert LOCAL_PIP.match(line)


@pytest.mark.parametrize(
    "line", ["numpy>=1.26", "jupyterlab-rise", "-e git+https://x/y"]
)
def test_package_pip_lines_are_not_mistaken_for_the_repository(line):
    assert not LOCAL_PIP.match(line)


def test_an_image_built_from_a_working_copy_leaves_out_venvs_and_answers(
    clean_copy, tmp_path
):
    # repo2docker filters the build context with docker's own matcher and the
    # patterns in binder/.dockerignore; a clone must keep every file it has.
    from docker.utils.build import exclude_paths

    copy = shutil.copytree(clean_copy, tmp_path / "gdlab")
    tracked = {str(p.relative_to(copy)) for p in copy.rglob("*") if p.is_file()}
    junk = [".venv/bin/python", "my-work/05-update-rule.ipynb", "test-artifacts/a.png"]
    junk += ["lib/gdlab/__pycache__/x.pyc", "notebooks/.ipynb_checkpoints/a.ipynb"]
    for name in junk:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_text("x")
    patterns = [
        line.strip()
        for line in (copy / "binder/.dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    kept = {p for p in exclude_paths(str(copy), patterns) if (copy / p).is_file()}
    assert kept == tracked


def test_the_image_gets_every_file_of_the_package(clean_copy, tmp_path):
    # binder/postBuild installs gdlab not editable, so a file that package-data
    # leaves out (a widget's .js, say) would be missing on Binder and hubs only.
    source = shutil.copytree(clean_copy, tmp_path / "src")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--quiet", "--wheel-dir", str(tmp_path / "wheel"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "wheel").glob("gdlab-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
    package = source / "lib" / "gdlab"
    shipped = {
        "gdlab/" + path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert shipped - inside == set()
