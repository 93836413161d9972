"""Dependencies point one way: widgets → plots → math.

The math modules import numpy and each other only; plots never imports
widgets; only gdlab.widgets imports ipywidgets.  Checked from the source,
so a stray import fails here before it tangles the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lib" / "gdlab"
MATH = [
    "data",
    "model",
    "loss",
    "surfaces",
    "descent",
    "features",
    "regression",
    "critical_points",
    "calculus",
    "_validate",
]
STANDARD = {
    "__future__",
    "dataclasses",
    "math",
    "numbers",
    "typing",
    "struct",
    "zlib",
    "functools",
}


def imported_roots(path: Path) -> set[str]:
    """Top-level names of everything a module imports ('.' for relative imports)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            roots.add(
                "." + (node.module or "") if node.level else node.module.split(".")[0]
            )
    return roots


@pytest.mark.parametrize("name", MATH)
def test_math_modules_import_numpy_and_each_other_only(name):
    roots = imported_roots(PACKAGE / f"{name}.py")
    outside = {
        r for r in roots if not r.startswith(".") and r not in STANDARD | {"numpy"}
    }
    inside = {r.lstrip(".").split(".")[0] for r in roots if r.startswith(".")}
    assert outside == set(), f"{name} imports {outside}"
    assert inside <= set(MATH), f"{name} imports gdlab.{inside - set(MATH)}"


def test_plots_never_import_widgets_or_ipywidgets():
    for path in (PACKAGE / "plots").glob("*.py"):
        roots = imported_roots(path)
        assert "ipywidgets" not in roots, path.name
        assert not any("widgets" in r for r in roots if r.startswith(".")), path.name


def test_only_widgets_import_ipywidgets():
    for path in PACKAGE.rglob("*.py"):
        if "widgets" not in path.relative_to(PACKAGE).parts:
            assert "ipywidgets" not in imported_roots(path), path


def test_importing_gdlab_loads_no_drawing_or_widget_library():
    import subprocess
    import sys

    code = "import sys, gdlab; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
