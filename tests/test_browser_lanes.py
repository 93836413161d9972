"""The browser lanes of ``make test`` (tests/conftest.py): balanced by each file's seconds."""

from __future__ import annotations

from pathlib import Path

from .conftest import BROWSER_SECONDS, browser_lanes

BROWSER = Path(__file__).resolve().parent / "browser"


def test_every_browser_file_has_its_seconds():
    """A new or renamed browser file is in BROWSER_SECONDS, and no gone one is."""
    assert set(BROWSER_SECONDS) == {p.name for p in BROWSER.glob("test_*.py")}


def test_the_lanes_differ_by_at_most_the_shortest_file():
    """Longest first, each to the shorter lane: the lanes end within one file's time."""
    ids = [f"tests/browser/{name}::t" for name in BROWSER_SECONDS]
    lanes = browser_lanes(ids, cores=2)
    totals = {}
    for path, lane in lanes.items():
        seconds = BROWSER_SECONDS[path.removeprefix("tests/browser/")]
        totals[lane] = totals.get(lane, 0) + seconds
    assert len(totals) == 2
    assert abs(totals["browser-lane-1"] - totals["browser-lane-2"]) <= max(
        BROWSER_SECONDS.values()
    )
