"""The classroom edition in a real browser, at a projector's 1280×720.

Lesson 05 presented as slides (jupyterlab-slideshow, inside JupyterLab): the
explorer's slide shows the live explorer, and Play, the picture and Reset
work there as in the notebook.  Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import re

import pytest

from .pages import open_and_run, start_slideshow_at
from .test_explorer_browser import drive_explorer

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/05-update-rule.ipynb"
PROJECTOR = {"width": 1280, "height": 720}
TIMEOUT_MS = 30_000


def _inside_viewport(box, viewport) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"] + 0.5
        and box["y"] + box["height"] <= viewport["height"] + 0.5
    )


def test_lesson05_as_slides_with_a_live_explorer(lab, browser_page):
    from playwright.sync_api import expect

    page, console = browser_page.page, browser_page.console
    page.set_viewport_size(PROJECTOR)
    try:
        open_and_run(page, lab, NOTEBOOK)
        # Start the slideshow on the explorer's section, as a teacher would.
        start_slideshow_at(page, "Free play")
        onscreen = page.locator(".jp-Cell.jp-deck-mod-onscreen")
        expect(onscreen.locator("h2").first).to_have_text(re.compile("Free play"))
        # Only this slide is shown: the title slide and the summary are not.
        for other in ("Summary", "The rule"):
            expect(
                page.locator(".jp-Cell.jp-deck-mod-onscreen h2", has_text=other)
            ).to_have_count(0)
        # The explorer is the slide below the section's prose.
        page.get_by_role(
            "button", name="Go to next fragment or subslide in Deck"
        ).click()
        explorer_image = onscreen.locator(".gdlab-explorer-view canvas").first
        expect(explorer_image).to_be_visible(timeout=TIMEOUT_MS)
        explorer_image.scroll_into_view_if_needed()
        box = explorer_image.bounding_box()
        assert _inside_viewport(box, PROJECTOR), f"the explorer is off the slide: {box}"
        browser_page.screenshot("slides-1-explorer-slide")
        drive_explorer(page, console, browser_page.screenshot, "slides")
        # Still in the slideshow, on the explorer's slide, after driving it.
        expect(explorer_image).to_be_visible()
        expect(page.locator(".jp-Deck")).to_have_count(1)
    except Exception:
        browser_page.screenshot("slides-failure")
        print("JupyterLab log (last lines):\n" + lab.log_tail())
        raise
