"""Slides that work: in classroom mode at 1280×720 every slide fits the screen (issue 19).

One JupyterLab started as ``make lab CLASSROOM=1`` starts it (the settings in
lab-settings/classroom, ``GDLAB_CLASSROOM=1`` for its kernels, so every
figure and widget is projector-sized) and one 1280×720 page.  For lessons 05
and 06, the 50-minute class route, the test runs all cells, presents the
lesson as slides from its first cell and presses Space to the last slide,
measuring each slide with tools/slide_heights.py: every slide is at most
the screen's height (no vertical scrollbar) and nothing scrolls sideways.
``python tools/slide_heights.py`` measures every lesson the same way.

Then, on lesson 05's explorer slide, a real mouse click at the centre of
Play starts the run: the explorer's step moves on.  Screenshots go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import json
import re

import pytest
from browser_lab import open_notebook, run_all_cells

from .conftest import ARTIFACTS, LAB_SETTINGS, ROOT, running_lab

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
TIMEOUT_MS = 30_000
LESSONS = ["05-update-rule", "06-learning-rate-and-scaling"]


@pytest.fixture(scope="module")
def classroom_page(chromium_path, tmp_path_factory):
    """A classroom JupyterLab, a 1280×720 page, the errors it raised, the lesson open."""
    from playwright.sync_api import sync_playwright

    settings = json.loads((LAB_SETTINGS / "classroom" / "overrides.json").read_text())
    base = tmp_path_factory.mktemp("slides")
    with (
        running_lab(ROOT, base, {"GDLAB_CLASSROOM": "1"}, settings) as lab,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=["--no-sandbox"]
        )
        page = browser.new_context(viewport=PROJECTOR).new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield lab, page, errors, {"open": None}
        browser.close()


def _present(classroom_page, lesson: str):
    """Present ``lesson`` as slides from its first cell (opened and run once); the page."""
    from slide_heights import start_deck, stop_deck

    lab, page, _, state = classroom_page
    if state["open"] != lesson:
        if state["open"]:
            stop_deck(page)  # or the next notebook opens presenting
        notebook = f"notebooks/{lesson}.ipynb"
        open_notebook(page, lab, notebook)
        run_all_cells(page, lab, notebook)
        start_deck(page)
        state["open"] = lesson
    return page


def _every_slide_fits(classroom_page, lesson: str) -> None:
    from slide_heights import measure_slides

    page = _present(classroom_page, lesson)
    slides = measure_slides(page, lesson[:2])  # ends on the last slide
    report = "\n".join(slide.line() for slide in slides)
    # More slides than sections: the long sections were split.
    assert len(slides) > 10, report
    assert all(slide.room == PROJECTOR["height"] for slide in slides), report
    assert [s.line() for s in slides if not s.fits] == [], report
    errors = classroom_page[2]
    assert errors == [], errors


def test_every_slide_of_lesson_05_fits_the_projector(classroom_page):
    _every_slide_fits(classroom_page, "05-update-rule")


def _explorer_slide(page):
    """Step to the slide that shows the descent explorer; return the explorer."""
    from playwright.sync_api import expect

    explorer = page.locator(
        ".jp-Cell.jp-deck-mod-onscreen .gdlab-widget",
        has=page.locator(".gdlab-explorer-view canvas"),
    )
    for _ in range(80):  # back from the last slide, where the test above ended
        if explorer.count() and explorer.first.is_visible():
            break
        page.keyboard.press("Shift+Space")
        page.wait_for_timeout(150)
    expect(explorer.first).to_be_visible(timeout=TIMEOUT_MS)
    return explorer.first


def test_play_on_the_explorer_slide_runs_from_a_mouse_click(classroom_page):
    from playwright.sync_api import expect

    page = _present(classroom_page, "05-update-rule")
    explorer = _explorer_slide(page)
    page.wait_for_timeout(500)  # the slide has faded in
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "slides-05-explorer.png"))
    whole = explorer.bounding_box()
    assert whole["y"] >= 0, f"the explorer's top is off the slide: {whole}"
    assert whole["y"] + whole["height"] <= PROJECTOR["height"], whole
    canvas = explorer.locator(".gdlab-explorer-view canvas").first
    assert canvas.get_attribute("data-step") == "0"
    play = explorer.locator(".widget-play button").first
    box = play.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(*centre)
    page.wait_for_function(
        "(c) => Number(c.dataset.step) > 0",
        arg=canvas.element_handle(),
        timeout=TIMEOUT_MS,
    )
    status = explorer.locator(".gdlab-status")
    expect(status).to_have_text(re.compile(r"^step [1-9]\d* "), timeout=TIMEOUT_MS)
    page.mouse.click(*centre)  # pause, so the run stops using the machine
    errors = classroom_page[2]
    assert errors == [], errors


def test_every_slide_of_lesson_06_fits_the_projector(classroom_page):
    _every_slide_fits(classroom_page, "06-learning-rate-and-scaling")
