"""Dependencies point one way: widgets → plots → math, and checks → math.

The layers are read from the package's folders, so every module is held to
them, a new one included: the math is every top-level module of ``gdlab``,
and each subpackage (``plots``, ``widgets``, ``checks``) is a layer of its
own.  Imports are read from the source, so a stray one fails here before it
tangles the layers.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lib" / "gdlab"
MATH = "math"
# What each layer may import from gdlab: itself and the layers named here.
MAY_USE = {
    MATH: set(),
    "plots": {MATH},
    "checks": {MATH},
    "widgets": {"plots", MATH},
}
# Third-party packages each layer may import, besides the standard library.
THIRD_PARTY = {
    MATH: {"numpy"},
    "checks": {"numpy"},
    # mpl_toolkits ships inside matplotlib (the 3-D axes).
    "plots": {"numpy", "matplotlib", "mpl_toolkits"},
    # traitlets comes with ipywidgets: the traits a widget declares.
    "widgets": {
        "numpy",
        "matplotlib",
        "mpl_toolkits",
        "ipywidgets",
        "traitlets",
        "anywidget",
    },
}


def module_name(path: Path) -> str:
    """``gdlab.plots.data_plots`` for lib/gdlab/plots/data_plots.py; packages by their folder."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(name: str) -> str:
    """The layer a ``gdlab...`` module belongs to: its subpackage, or math."""
    parts = name.split(".")
    if len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return MATH


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """Every import in ``path`` as (absolute module, names taken from it)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(path.read_text(), package)


def imports_in(source: str, package: str) -> list[tuple[str, list[str]]]:
    """The imports of code living in ``package``, relative ones made absolute."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.append((target, [alias.name for alias in node.names]))
    return found


def gdlab_modules_used(path: Path) -> set[str]:
    """The gdlab modules ``path`` imports, ``from pkg import submodule`` included."""
    used = set()
    for target, names in imports_of(path):
        if target.split(".")[0] != "gdlab":
            continue
        used.add(target)
        used.update(f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES)
    return used


def public_names(package: str) -> set[str]:
    tree = ast.parse(MODULES[package].read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "__all__" for t in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError(f"{package} has no __all__")


def test_the_layers_are_the_package_folders():
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages == set(MAY_USE) - {MATH}, (
        "a new subpackage needs its place in MAY_USE and THIRD_PARTY"
    )
    assert {layer_of(m) for m in MODULES} == set(MAY_USE)
    # Every module found is checked below: none is left out by a hand-written list.
    assert len(MODULES) == len(list(PACKAGE.rglob("*.py"))) > 20


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_imports_only_from_layers_below(name):
    layer = layer_of(name)
    used = {layer_of(m) for m in gdlab_modules_used(MODULES[name])}
    assert used <= MAY_USE[layer] | {layer}, (
        f"{name} ({layer}) imports from {used - MAY_USE[layer] - {layer}}"
    )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_imports_only_its_layers_libraries(name):
    layer = layer_of(name)
    roots = {t.split(".")[0] for t, _ in imports_of(MODULES[name])}
    outside = roots - {"gdlab"} - set(sys.stdlib_module_names) - THIRD_PARTY[layer]
    assert outside == set(), f"{name} ({layer}) imports {outside}"


@pytest.mark.parametrize("name", sorted(m for m in MODULES if layer_of(m) == "widgets"))
def test_widgets_use_public_plot_names_only(name):
    # gdlab.plots' own __all__ is what lessons call; the explorer's figure is
    # built by public modules beside it, imported by their own __all__.
    for target, names in imports_of(MODULES[name]):
        if target.startswith("gdlab.plots"):
            private = [part for part in target.split(".") if part.startswith("_")]
            assert not private, f"{name} reaches into {target}"
            allowed = public_names(target) | {
                n for n in names if f"{target}.{n}" in MODULES
            }
            assert set(names) <= allowed, f"{name} imports {set(names) - allowed}"


def test_plots_public_names_are_what_lessons_call():
    # Each name gdlab.plots offers is used by a lesson, the docs or a tool.
    root = PACKAGE.parent.parent
    used = "\n".join(
        path.read_text()
        for pattern in ("notebooks/*.ipynb", "docs/*.md", "README.md", "tools/*.py")
        for path in root.glob(pattern)
    )
    returned = {"FitArtists"}  # what plot_fit returns: a lesson reads its fields
    unused = {
        n
        for n in public_names("gdlab.plots") - returned
        if not re.search(rf"\b{n}\b", used)
    }
    assert unused == set(), f"gdlab.plots offers {unused}, which no lesson calls"


def test_a_subpackage_private_module_is_used_only_inside_it():
    for name, path in MODULES.items():
        for used in gdlab_modules_used(path):
            private = used.split(".")[-1].startswith("_") and used in MODULES
            if private and layer_of(used) != MATH:
                assert layer_of(name) == layer_of(used), f"{name} imports {used}"


# Words of the explorer (its presets, panels and controls) that the math layer
# never needs: a surface says what it knows, the widgets choose what to offer.
EXPLORER_WORDS = ("preset", "panel", "slider", "button")


@pytest.mark.parametrize("name", sorted(m for m in MODULES if layer_of(m) == MATH))
def test_the_math_layer_speaks_no_explorer_vocabulary(name):
    text = MODULES[name].read_text().lower()
    assert not [w for w in EXPLORER_WORDS if w in text], (
        f"{name} uses the explorer's words {[w for w in EXPLORER_WORDS if w in text]}"
    )


@pytest.mark.parametrize("name", sorted(m for m in MODULES if layer_of(m) == MATH))
def test_a_math_module_stays_under_600_lines(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= 600, f"{name} has {lines} lines: split it where that clarifies"


def test_png_encoder_lives_with_its_only_user():
    assert "gdlab.widgets._png" in MODULES
    users = {
        n for n, p in MODULES.items() if "gdlab.widgets._png" in gdlab_modules_used(p)
    }
    assert users and {layer_of(u) for u in users} == {"widgets"}


def test_the_reader_of_imports_resolves_relative_and_absolute_forms():
    # The rules above are only worth something if imports are read right.
    source = (
        "import numpy as np\n"
        "from .. import loss\n"
        "from ..plots import COLORS, style\n"
        "from ._png import encode_png\n"
        "from gdlab.plots.data_plots import plot_line\n"
        "def later():\n"
        "    from . import _base\n"
    )
    assert sorted(imports_in(source, "gdlab.widgets")) == [
        ("gdlab", ["loss"]),
        ("gdlab.plots", ["COLORS", "style"]),
        ("gdlab.plots.data_plots", ["plot_line"]),
        ("gdlab.widgets", ["_base"]),
        ("gdlab.widgets._png", ["encode_png"]),
        ("numpy", []),
    ]
    assert imports_in("from .style import COLORS", "gdlab.plots") == [
        ("gdlab.plots.style", ["COLORS"])
    ]
    assert layer_of("gdlab.loss") == MATH and layer_of("gdlab") == MATH
    assert layer_of("gdlab.checks.data_checks") == "checks"
    assert "gdlab.surfaces" in gdlab_modules_used(PACKAGE / "descent.py")


def test_importing_gdlab_loads_no_drawing_or_widget_library():
    code = (
        "import sys, gdlab; "
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_modules_import_each_other_one_way_only():
    # Imports inside functions count: a lazy import that closes a circle
    # (the explorer once made its race that way) is a circle still.
    graph = {
        name: {
            used
            for used in gdlab_modules_used(path)
            if used in MODULES and MODULES[used].name != "__init__.py"
        }
        for name, path in MODULES.items()
        if path.name != "__init__.py"
    }
    done, path = set(), []

    def visit(name):
        if name in path:
            raise AssertionError(" → ".join(path[path.index(name) :] + [name]))
        if name in done:
            return
        path.append(name)
        for used in sorted(graph.get(name, ())):
            visit(used)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
