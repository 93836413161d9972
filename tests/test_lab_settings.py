"""`make lab` runs a quiet JupyterLab from this project's own settings, never ~/.jupyter's."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "lab-settings"
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def _lab_command(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.fail("make is needed to read the lab target")
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(ROOT), "lab", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return next(line for line in result.stdout.splitlines() if " lab " in line)


@pytest.mark.parametrize("flavour", ["quiet", "classroom"])
def test_settings_turn_off_the_news_and_the_update_check(flavour):
    overrides = json.loads((SETTINGS / flavour / "overrides.json").read_text())
    assert overrides[NOTIFICATION] == {"fetchNews": "false", "checkForUpdates": False}


def test_classroom_settings_only_add_larger_text_to_the_quiet_ones():
    quiet = json.loads((SETTINGS / "quiet" / "overrides.json").read_text())
    classroom = json.loads((SETTINGS / "classroom" / "overrides.json").read_text())
    assert {k: classroom[k] for k in quiet} == quiet
    sizes = classroom["@jupyterlab/apputils-extension:themes"]["overrides"]
    assert all(int(v.removesuffix("px")) >= 16 for v in sizes.values())
    # JupyterLab applies theme overrides from user settings only, never from
    # overrides.json: the same sizes go in through jupyterlab-fonts' styles,
    # which it does apply (measured in tests/browser/test_class_route_browser.py).
    body = classroom["@deathbeds/jupyterlab-fonts:fonts"]["styles"]["body"]
    assert body == {f"--jp-{key}": value for key, value in sizes.items()}


@pytest.mark.parametrize(
    ("args", "flavour", "classroom"),
    [
        ((), "quiet", False),
        (("CLASSROOM=1",), "classroom", True),
        (("CLASSROOM=0",), "quiet", False),
    ],
)
def test_make_lab_passes_the_project_settings_on_the_command_line(
    args, flavour, classroom
):
    command = _lab_command(*args)
    assert f"--LabApp.app_settings_dir={SETTINGS / flavour}" in command
    assert ("GDLAB_CLASSROOM=1" in command) is classroom
    assert str(Path.home() / ".jupyter") not in command


def test_classroom_slide_rules_apply_only_while_presenting():
    """Hidden code and capped figures are for slides: a notebook read normally is unchanged."""
    classroom = json.loads((SETTINGS / "classroom" / "overrides.json").read_text())
    styles = classroom["@deathbeds/jupyterlab-fonts:fonts"]["styles"]
    deck = [key for key in styles if key != "body"]
    assert deck, "no slide rules"
    assert all(
        key.startswith("body[data-jp-deck-mode='presenting'] .jp-Deck ") for key in deck
    )
    # Only the inputs of cells that show a picture are hidden, never all code.
    hidden = [key for key in deck if styles[key] == {"display": "none"}]
    assert hidden and all(":has(" in key for key in hidden)
    # The usual settings (make lab without CLASSROOM=1) present every cell whole.
    quiet = json.loads((SETTINGS / "quiet" / "overrides.json").read_text())
    assert "data-jp-deck-mode" not in json.dumps(quiet)
