"""Lesson 05's descent explorer, driven in a real browser: in the notebook, then on its slide.

JupyterLab opens ``notebooks/05-update-rule.ipynb`` in Debian's Chromium and
runs all cells once; both tests use that page.  First the test uses the
explorer as a learner would: the sliders render, the keyboard moves the
learning-rate slider and the picture gets a new path, Play advances the step
drawn in the browser and the step slider follows, Reset returns to step 0,
and the browser console stays free of errors.  Then, at a projector's
1280×720, the lesson is presented as slides (jupyterlab-slideshow, inside
JupyterLab): the explorer's slide shows the live explorer, and Play, the
picture and Reset work there as in the notebook.  Screenshots go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import re

import pytest
from browser_lab import drawn, labelled_slider, open_notebook, run_all_cells

from .conftest import page_in
from .pages import start_slideshow_at

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/05-update-rule.ipynb"
PROJECTOR = {"width": 1280, "height": 720}
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def lesson05(lab, browser):
    """One page with lesson 05 opened and run (the tests below run in this order)."""
    with page_in(browser) as shown:
        try:
            open_notebook(shown.page, lab, NOTEBOOK)
            run_all_cells(shown.page, lab, NOTEBOOK)
        except Exception:
            shown.screenshot("lesson05-failure")
            print("JupyterLab log (last lines):\n" + lab.log_tail())
            raise
        yield lab, shown


def wait_for_new_picture(canvas, before: tuple[str, str]) -> tuple[str, str]:
    """Wait until the explorer's canvas shows a new scene or step; return it."""
    canvas.page.wait_for_function(
        "([c, before]) => c.dataset.version !== before[0] || c.dataset.step !== before[1]",
        arg=[canvas.element_handle(), list(before)],
        timeout=TIMEOUT_MS,
    )
    return drawn(canvas)


def drive_explorer(page, console, shoot, scope_name: str) -> None:
    """Use the last explorer on the page as a learner would, asserting as it goes.

    ``shoot(name)`` saves a screenshot; ``scope_name`` prefixes their names.
    """
    from playwright.sync_api import expect

    outputs = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".gdlab-explorer-view canvas")
    )
    expect(outputs.last).to_be_visible(timeout=TIMEOUT_MS)
    explorer = outputs.last
    explorer.scroll_into_view_if_needed()

    # The sliders render, each with its handle.
    sliders = explorer.locator(".widget-slider")
    expect(sliders.first).to_be_visible(timeout=TIMEOUT_MS)
    rate = labelled_slider(explorer, "learning rate")
    expect(rate.locator(".noUi-handle")).to_be_visible()
    step_readout = labelled_slider(explorer, r"^\s*step\s*$").locator(".widget-readout")
    canvas = explorer.locator(".gdlab-explorer-view canvas").first
    expect(canvas).to_have_attribute("data-version", re.compile(r"\d"))
    status = explorer.locator(".gdlab-explorer-view .gdlab-status").first
    expect(status).to_have_text(re.compile(r"^step 0 "))
    shoot(f"{scope_name}-1-rendered")

    # The keyboard moves the learning-rate slider (only its handle takes keys).
    rate_readout = rate.locator(".widget-readout")
    before_rate, before_picture = rate_readout.inner_text(), drawn(canvas)
    rate.locator(".noUi-handle").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(
        rate_readout, "arrow keys on the learning-rate handle should move it"
    ).not_to_have_text(before_rate, timeout=TIMEOUT_MS)
    after_keys = wait_for_new_picture(canvas, before_picture)
    shoot(f"{scope_name}-2-after-arrow-keys")

    # Play advances the step and the picture.
    expect(step_readout).to_have_text(re.compile(r"^\s*0\s*$"))
    explorer.locator(".widget-play button").first.click()
    # The browser draws the steps; the slider follows its reports.
    wait_for_new_picture(canvas, after_keys)
    expect(status).not_to_have_text(re.compile(r"^step 0 "), timeout=TIMEOUT_MS)
    expect(step_readout, "Play should advance the step").not_to_have_text(
        re.compile(r"^\s*0\s*$"), timeout=TIMEOUT_MS
    )
    shoot(f"{scope_name}-3-playing")

    # Reset returns the step to 0.
    # Pressed while Play runs, as a learner would; it must also *stay* at 0
    # (not lose a race with a Play tick still on its way, nor keep playing).
    explorer.get_by_role(
        "button", name=re.compile(r"reset", re.IGNORECASE)
    ).first.click()
    back_to_zero = "after Reset the step should read 0 and stay there"
    expect(step_readout, back_to_zero).to_have_text(
        re.compile(r"^\s*0\s*$"), timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(1000)
    expect(step_readout, back_to_zero).to_have_text(re.compile(r"^\s*0\s*$"), timeout=1)
    assert drawn(canvas)[1] == "0", "after Reset the picture should show step 0"
    expect(status).to_have_text(re.compile(r"^step 0 "))
    shoot(f"{scope_name}-4-reset")

    # At the fastest speed Play skips steps beyond the display rate, yet ends
    # on the last step, shows it, pauses, and the slider says where it ended.
    explorer.locator(".widget-toggle-button", has_text=re.compile(r"^fastest$")).click()
    canvas.evaluate(
        """(c) => { window.__steps = new Set();
            new MutationObserver(() => window.__steps.add(c.dataset.step))
                .observe(c, {attributes: true, attributeFilter: ["data-step"]}); }"""
    )
    explorer.locator(".widget-play button").first.click()
    page.wait_for_function(
        "(c) => c.dataset.playing === 'no' && c.dataset.step === c.dataset.last",
        arg=canvas.element_handle(),
        timeout=TIMEOUT_MS,
    )
    last = drawn(canvas)[1]
    shown = page.evaluate("window.__steps.size")
    assert 0 < shown < int(last), f"{shown} of {last} steps drawn: none skipped"
    expect(step_readout).to_have_text(re.compile(rf"^\s*{last}\s*$"))
    expect(status).to_have_text(re.compile(rf"^step {last} "))
    shoot(f"{scope_name}-5-ended")

    # The Play widget's Stop button goes back to step 0, like Reset.
    explorer.locator(".widget-play button").nth(1).click()
    expect(step_readout, "Stop should return to step 0").to_have_text(
        re.compile(r"^\s*0\s*$"), timeout=TIMEOUT_MS
    )
    expect(status).to_have_text(re.compile(r"^step 0 "), timeout=TIMEOUT_MS)
    assert drawn(canvas)[1] == "0"

    assert console.errors == [], "the browser console reported errors:\n" + "\n".join(
        console.errors
    )


def test_explorer_in_jupyterlab(lesson05):
    lab, shown = lesson05
    try:
        drive_explorer(shown.page, shown.console, shown.screenshot, "lesson05")
    except Exception:
        # What the page and the server looked like, for whoever reads the failure.
        shown.screenshot("lesson05-failure")
        print("JupyterLab log (last lines):\n" + lab.log_tail())
        raise


def _inside_viewport(box, viewport) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"] + 0.5
        and box["y"] + box["height"] <= viewport["height"] + 0.5
    )


def test_lesson05_as_slides_with_a_live_explorer(lesson05):
    from playwright.sync_api import expect

    lab, shown = lesson05
    page, console = shown.page, shown.console
    page.set_viewport_size(PROJECTOR)
    try:
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
        shown.screenshot("slides-1-explorer-slide")
        drive_explorer(page, console, shown.screenshot, "slides")
        # Still in the slideshow, on the explorer's slide, after driving it.
        expect(explorer_image).to_be_visible()
        expect(page.locator(".jp-Deck")).to_have_count(1)
    except Exception:
        shown.screenshot("slides-failure")
        print("JupyterLab log (last lines):\n" + lab.log_tail())
        raise
