"""plots.subplots must not undo what a backend set while it started (lessons 01-02 figures)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt

from gdlab import plots


def test_interactive_mode_switched_on_by_a_starting_backend_survives(monkeypatch):
    real_subplots = plt.subplots

    def subplots_that_start_a_backend(*args, **kwargs):
        matplotlib.interactive(True)  # what the inline backend does on its first figure
        return real_subplots(*args, **kwargs)

    was = matplotlib.is_interactive()
    monkeypatch.setattr(plt, "subplots", subplots_that_start_a_backend)
    try:
        matplotlib.interactive(False)
        fig, _ = plots.subplots()
        assert matplotlib.is_interactive()
        plt.close(fig)
    finally:
        matplotlib.interactive(was)


def test_style_is_still_scoped_to_the_figure():
    before = matplotlib.rcParams["font.size"]
    fig, _ = plots.subplots(classroom=True)
    assert matplotlib.rcParams["font.size"] == before
    plt.close(fig)
