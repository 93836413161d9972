"""Lessons 05 and 06 at a projector's 1280×720, as ``make lab CLASSROOM=1`` serves them.

One JupyterLab started as ``make lab CLASSROOM=1`` starts it (the settings in
lab-settings/classroom, ``GDLAB_CLASSROOM=1`` for its kernels, so every
figure and widget is projector-sized) and one 1280×720 page, on which each
lesson is opened and run once.

* **The presenter layout** (lesson 05, in the notebook, left sidebar
  closed): from bounding boxes, every control of the explorer, its status
  line and its figure are inside the notebook's visible area, the figure is
  drawn at ≥ 85 % of its own pixel width and the controls' text is large;
  the same after the *diverges* preset shows the warning; the explorer's
  keys (End, B, Space, Home) work and JupyterLab's own stay out.
* **Every slide fits**: lessons 05 and 06, the 50-minute class route, are
  presented as slides from their first cell and Space steps to the last
  slide, measuring each slide with tools/slide_heights.py: every slide is
  at most the screen's height (no vertical scrollbar) and nothing scrolls
  sideways.  ``python tools/slide_heights.py`` measures every lesson the
  same way.
* **Play from a mouse click**: on lesson 05's explorer slide, a real click
  at the centre of Play starts the run: the explorer's step moves on.

Screenshots go to ``test-artifacts/browser/``.
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
        yield lab, page, errors, {"open": None, "presenting": False}
        browser.close()


def _opened(classroom_page, lesson: str):
    """The page with ``lesson`` open and run (once), in the notebook; the page."""
    from slide_heights import stop_deck

    lab, page, _, state = classroom_page
    if state["open"] != lesson:
        if state["presenting"]:
            stop_deck(page)  # or the next notebook opens presenting
        notebook = f"notebooks/{lesson}.ipynb"
        open_notebook(page, lab, notebook)
        run_all_cells(page, lab, notebook)
        state.update(open=lesson, presenting=False)
    return page


def _present(classroom_page, lesson: str):
    """Present ``lesson`` as slides from its first cell (opened and run once); the page."""
    from slide_heights import start_deck

    page = _opened(classroom_page, lesson)
    state = classroom_page[3]
    if not state["presenting"]:
        start_deck(page)
        state["presenting"] = True
    return page


def _close_left_sidebar(page):
    from playwright.sync_api import expect

    sidebar = page.locator("#jp-left-stack")
    if sidebar.is_visible():
        page.locator(".jp-NotebookPanel").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+b")
    expect(sidebar).to_be_hidden(timeout=TIMEOUT_MS)


def _visible_area(page):
    """The part of the notebook the window shows: the panel, clipped to the viewport."""
    box = page.locator(".jp-NotebookPanel-notebook").first.bounding_box()
    return {
        "left": max(box["x"], 0),
        "top": max(box["y"], 0),
        "right": min(box["x"] + box["width"], PROJECTOR["width"]),
        "bottom": min(box["y"] + box["height"], PROJECTOR["height"]),
    }


def _measure(page, explorer):
    """Bounding boxes of every control, the status line, the warning and the figure."""
    return explorer.evaluate(
        """(root) => {
            const box = (el) => { const r = el.getBoundingClientRect();
                return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                        width: r.width, height: r.height}; };
            const shown = (el) => el.getClientRects().length > 0 &&
                getComputedStyle(el).visibility !== 'hidden';
            const controls = Array.from(root.querySelectorAll(
                '.widget-slider, .widget-play, button, .widget-toggle-buttons, .widget-readout'))
                .filter(shown).map(el => ({name: el.textContent.trim().slice(0, 30) ||
                    el.className.slice(0, 40), ...box(el)}));
            const figure = root.querySelector('.gdlab-figure img, .gdlab-figure canvas, img.gdlab-figure, canvas.gdlab-figure, img.widget-image, canvas');
            const natural = figure.tagName === 'IMG' ? figure.naturalWidth : figure.width;
            const status = root.querySelector('.gdlab-status') || root.querySelector('.widget-html:last-of-type');
            const warning = root.querySelector('.gdlab-warning');
            // Seen, not just laid out: the page's topmost element at the
            // warning's centre belongs to the warning (not clipped, not covered).
            const seen = (el) => { const r = el.getBoundingClientRect();
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return r.height > 10 && hit !== null && el.contains(hit); };
            const fontPx = (sel) => { const el = root.querySelector(sel);
                return el ? parseFloat(getComputedStyle(el).fontSize) : null; };
            return {controls, figure: box(figure), natural,
                    status: status ? box(status) : null,
                    warning: warning && shown(warning) ? box(warning) : null,
                    warningSeen: warning ? seen(warning) : false,
                    warningClipped: warning ? warning.getBoundingClientRect().bottom >
                        warning.parentElement.getBoundingClientRect().bottom + 0.5 : false,
                    labelPx: fontPx('.widget-label'), buttonPx: fontPx('button'),
                    whole: box(root)};
        }"""
    )


def _outside(box, area):
    return (
        box["left"] < area["left"] - 0.5
        or box["top"] < area["top"] - 0.5
        or box["right"] > area["right"] + 0.5
        or box["bottom"] > area["bottom"] + 0.5
    )


def _assert_fits(page, explorer, label):
    area = _visible_area(page)
    got = _measure(page, explorer)
    off = [c["name"] for c in got["controls"] if _outside(c, area)]
    assert off == [], f"{label}: controls off screen {off}; area {area}"
    assert got["status"] and not _outside(got["status"], area), (
        f"{label}: the status line is off screen: {got['status']}, area {area}"
    )
    assert not _outside(got["figure"], area), (
        f"{label}: the figure is off screen: {got['figure']}, area {area}"
    )
    ratio = got["figure"]["width"] / got["natural"]
    assert ratio >= 0.85, f"{label}: the figure is drawn at {ratio:.0%} of its pixels"
    return got


def _shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# First: it leaves lesson 05 open in the notebook, at its cell's settings.
def test_presenter_layout_fits_a_720p_window_in_classroom_mode(classroom_page):
    from playwright.sync_api import expect

    lab = classroom_page[0]
    page = _opened(classroom_page, "05-update-rule")
    try:
        _close_left_sidebar(page)
        explorer = page.locator(".jp-OutputArea-output .gdlab-widget").last
        expect(explorer).to_be_visible(timeout=TIMEOUT_MS)
        expect(explorer).to_have_class(re.compile("gdlab-classroom"))
        explorer.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        got = _assert_fits(page, explorer, "classroom")
        assert got["labelPx"] >= 18 and got["buttonPx"] >= 18, got
        cell_rate = (
            explorer.locator(".widget-slider")
            .first.locator(".widget-readout")
            .inner_text()
        )
        _shoot(page, "presenter-1-classroom")

        # The "diverges" preset shows the warning: the figure stays on screen.
        explorer.get_by_role("button", name="diverges").click()
        expect(explorer.locator(".gdlab-warning")).to_contain_text(
            "above", timeout=TIMEOUT_MS
        )
        page.wait_for_timeout(500)
        got = _assert_fits(page, explorer, "classroom, warning shown")
        assert got["warning"] and not _outside(got["warning"], _visible_area(page))
        assert got["warningSeen"], (
            f"the warning is clipped or covered: {got['warning']}"
        )
        _shoot(page, "presenter-2-warning")

        # Keyboard: click the explorer, then End, B, Space, Home; JupyterLab's
        # own shortcuts stay out ("b" would otherwise add a cell below).
        cells = page.locator(".jp-NotebookPanel .jp-Cell").count()
        step_readout = (
            explorer.locator(".widget-slider")
            .filter(
                has=page.locator(".widget-label", has_text=re.compile(r"^\s*step\s*$"))
            )
            .locator(".widget-readout")
        )
        rate_readout = explorer.locator(".widget-slider").first.locator(
            ".widget-readout"
        )
        explorer.locator(".gdlab-status").click()
        page.keyboard.press("End")
        expect(step_readout, "End jumps to the last step").not_to_have_text(
            re.compile(r"^\s*0\s*$"), timeout=TIMEOUT_MS
        )
        page.keyboard.press("b")
        expect(rate_readout, "B restores the cell's learning rate").to_have_text(
            cell_rate, timeout=TIMEOUT_MS
        )
        expect(step_readout).to_have_text(re.compile(r"^\s*0\s*$"), timeout=TIMEOUT_MS)
        page.keyboard.press("Space")
        expect(step_readout, "Space plays").not_to_have_text(
            re.compile(r"^\s*0\s*$"), timeout=TIMEOUT_MS
        )
        page.keyboard.press("Home")
        expect(step_readout, "Home resets to step 0").to_have_text(
            re.compile(r"^\s*0\s*$"), timeout=TIMEOUT_MS
        )
        assert page.locator(".jp-NotebookPanel .jp-Cell").count() == cells
        _shoot(page, "presenter-3-after-keys")
    except Exception:
        _shoot(page, "presenter-failure")
        print("JupyterLab log (last lines):\n" + lab.log_tail())
        raise


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
