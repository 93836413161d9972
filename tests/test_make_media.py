"""tools/make_media.py (`make media`): the README's animation is drawn from the explorer itself."""

from __future__ import annotations

import make_media
import numpy as np
import pytest
from PIL import ImageFont

import gdlab
from gdlab.widgets import DescentExplorer


@pytest.mark.parametrize("preset", ["good", "diverges"])
def test_a_scene_runs_its_preset_from_the_far_start_with_the_status_under_it(preset):
    obs = gdlab.make_observations(n=50, seed=0)
    explorer = DescentExplorer(obs.x, obs.y)
    far = explorer.presets["far start"].start
    font = ImageFont.load_default()
    frames, durations = make_media._scene(explorer, preset, preset, font, 2)
    # The start sliders hold the far start to their grid.
    grid = (explorer.start_m.step, explorer.start_b.step)
    start = (explorer.start_m.value, explorer.start_b.value)
    assert all(abs(s - f) <= g / 2 for s, f, g in zip(start, far, grid))
    shown = make_media._steps_to_show(explorer.step.max, 2)
    assert len(frames) == len(durations) == len(shown)
    assert explorer.step.value == shown[-1]
    # Under each frame, the caption: dark text on white.
    caption = np.asarray(frames[-1])[-make_media.CAPTION :]
    assert (caption.min(axis=2) < 100).sum() > 200
    if preset == "diverges":
        assert "diverg" in explorer.status_text(explorer.step.max)
    explorer.close()
