"""Lesson 05 as a teacher uses it at 1280×720: every preset ends on its own verdict (issue 19).

One JupyterLab (with lab-settings/classroom, as ``make lab CLASSROOM=1``
starts it; shared with the other files that need it) and one browser page
serve every case, to keep CI time down.  With
the left sidebar closed and open, and the explorer's classroom mode on and
off, the test clicks every preset, jumps to the end and asserts:

* the status line names the preset's outcome (converged at the minimum,
  still converging when the steps ran out, oscillating, diverged);
* the status line is one line: its box is one line-height high and its text
  is not wider than the box;
* the explorer lies inside the notebook's visible area (sideways always; in
  classroom mode with the sidebar closed, the whole explorer at once).

Then lesson 05 presented as slides: the prose and the code are at the
classroom sizes (measured in the browser), no slide scrolls sideways, and
the left of the Play button is Play's own (JupyterLab's output strip used to
lie over it and swallow the click).  Screenshots of the five presets in classroom
mode and of the slide go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import re

import pytest
from browser_lab import next_frames

from .pages import open_and_run, start_readout_problems, start_slideshow_at

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/05-update-rule.ipynb"
PROJECTOR = {"width": 1280, "height": 720}
TIMEOUT_MS = 30_000
# What the status line says at the end of each preset (the explorer's own words).
OUTCOMES = {
    "too small": r"· converging \(stopped after \d+ steps\)$",
    "good": r"· converged after \d+ steps: at the minimum$",
    "oscillates": r"· oscillating \(stopped after \d+ steps\)$",
    "diverges": r"· diverged at step \d+$",
    "far start": r"· converged after \d+ steps: at the minimum$",
}


@pytest.fixture(scope="module")
def route(classroom_settings_lab, browser):
    """The classroom JupyterLab and one 1280×720 page with lesson 05 run through."""
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_and_run(page, classroom_settings_lab, NOTEBOOK)
    yield classroom_settings_lab, page, errors
    context.close()


def _shoot(page, name):
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _explorer(page):
    return (
        page.locator(".jp-OutputArea-output .gdlab-widget")
        .filter(has=page.locator(".gdlab-explorer-view canvas"))
        .last
    )


def _set_sidebar(page, open_: bool):
    from playwright.sync_api import expect

    sidebar = page.locator("#jp-left-stack")
    if sidebar.is_visible() != open_:
        page.locator(".jp-NotebookPanel").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+b")
    if open_:
        expect(sidebar).to_be_visible(timeout=TIMEOUT_MS)
    else:
        expect(sidebar).to_be_hidden(timeout=TIMEOUT_MS)


def _set_classroom(explorer, on: bool):
    from playwright.sync_api import expect

    toggle = explorer.get_by_role("button", name="classroom mode")
    if ("mod-active" in (toggle.get_attribute("class") or "")) != on:
        toggle.click()
    pattern = re.compile("gdlab-classroom")
    if on:
        expect(explorer).to_have_class(pattern, timeout=TIMEOUT_MS)
    else:
        expect(explorer).not_to_have_class(pattern, timeout=TIMEOUT_MS)


MEASURE = """(root) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const shown = (el) => el.getClientRects().length > 0;
  const panel = document.querySelector('.jp-NotebookPanel-notebook').getBoundingClientRect();
  const status = root.querySelector('.gdlab-status');
  const text = status.firstElementChild;
  const style = getComputedStyle(status);
  const parts = Array.from(root.querySelectorAll(
      '.widget-slider, .widget-play, button, .widget-toggle-buttons, canvas, .gdlab-status'))
    .filter(shown).map((el) => ({name: (el.textContent || el.tagName).trim().slice(0, 24), ...box(el)}));
  return {
    area: {left: Math.max(panel.left, 0), top: Math.max(panel.top, 0),
           right: Math.min(panel.right, innerWidth), bottom: Math.min(panel.bottom, innerHeight)},
    parts, whole: box(root), status: box(status),
    canvas: box(root.querySelector('.gdlab-explorer-view canvas')),
    lineHeight: parseFloat(style.lineHeight),
    height: status.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
    textWidth: text.getBoundingClientRect().width, boxWidth: status.clientWidth,
    text: text.textContent, title: status.title,
  };
}"""


def _off(box, area, sideways_only):
    sideways = box["left"] < area["left"] - 0.5 or box["right"] > area["right"] + 0.5
    upright = box["top"] < area["top"] - 0.5 or box["bottom"] > area["bottom"] + 0.5
    return sideways or (not sideways_only and upright)


def run_to_end(page, explorer, click, whole):
    """Click ``click`` (a preset, or Reset), then *jump to end*; wait for the last step; measure.

    Measured with the explorer scrolled to the top of the notebook (``whole``),
    or else its picture: where a teacher scrolls to watch the run.
    """
    from playwright.sync_api import expect

    canvas = explorer.locator(".gdlab-explorer-view canvas").first
    version = canvas.get_attribute("data-version")
    explorer.get_by_role("button", name=click, exact=True).click()
    if click != "Reset":  # a preset makes a new scene; Reset keeps it
        page.wait_for_function(
            "([c, v]) => c.dataset.version !== v",
            arg=[canvas.element_handle(), version],
            timeout=TIMEOUT_MS,
        )
    status = explorer.locator(".gdlab-status")
    expect(status).to_have_text(re.compile(r"^step 0 "), timeout=TIMEOUT_MS)
    explorer.get_by_role("button", name="jump to end").click()
    page.wait_for_function(
        "(c) => c.dataset.step === c.dataset.last && c.dataset.last !== '0'",
        arg=canvas.element_handle(),
        timeout=TIMEOUT_MS,
    )
    expect(status).to_have_text(re.compile(r"^step \d+ "), timeout=TIMEOUT_MS)
    (explorer if whole else canvas).evaluate(
        "el => el.scrollIntoView({block: 'start'})"
    )
    next_frames(page)  # the status line refits after a layout change
    return explorer.evaluate(MEASURE)


@pytest.mark.parametrize("sidebar", ["closed", "open"])
@pytest.mark.parametrize("classroom", ["classroom", "usual"])
def test_every_preset_ends_on_its_verdict_in_one_line_on_screen(
    route, sidebar, classroom
):
    _, page, errors = route
    _set_sidebar(page, sidebar == "open")
    explorer = _explorer(page)
    explorer.scroll_into_view_if_needed()
    _set_classroom(explorer, classroom == "classroom")
    label = f"{classroom}, sidebar {sidebar}"
    assert start_readout_problems(page, explorer, label, names={"m", "b"}) == []
    for preset, outcome in OUTCOMES.items():
        label = f"{classroom}, sidebar {sidebar}, {preset}"
        whole = classroom == "classroom" and sidebar == "closed"
        got = run_to_end(page, explorer, preset, whole)
        assert re.search(outcome, got["text"]), f"{label}: {got['text']!r}"
        assert got["height"] <= got["lineHeight"] + 1, f"{label}: {got}"
        assert got["textWidth"] <= got["boxWidth"] + 1, f"{label}: text wider: {got}"
        assert got["title"].startswith(got["text"]), f"{label}: {got['title']!r}"
        off = [p["name"] for p in got["parts"] if _off(p, got["area"], not whole)]
        assert off == [], f"{label}: off the visible area: {off}; {got}"
        if not whole:  # too tall for 720 px at once: the picture and status fit
            for part in (got["canvas"], got["status"]):
                assert not _off(part, got["area"], False), f"{label}: {got}"
        if classroom == "classroom" and sidebar == "closed":
            _shoot(page, f"route-{preset.replace(' ', '-')}")
    assert errors == [], errors


# Last: it leaves the page presenting slides.
def test_a_slide_at_720p_plays_from_a_click_at_the_left_of_play(route):
    from playwright.sync_api import expect

    _, page, errors = route
    _set_sidebar(page, False)
    _set_classroom(_explorer(page), True)
    expect(_explorer(page).locator(".gdlab-status")).to_have_attribute(
        "style", re.compile("font-weight: bold"), timeout=TIMEOUT_MS
    )  # the classroom scene has arrived
    start_slideshow_at(page, "Free play")
    # The explorer is the slide below the section's prose.
    page.get_by_role("button", name="Go to next fragment or subslide in Deck").click()
    explorer = _explorer(page)
    canvas = explorer.locator(".gdlab-explorer-view canvas").first
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    sizes = page.evaluate(
        """() => {
          const px = (sel) => { const el = document.querySelector(sel);
            return el ? parseFloat(getComputedStyle(el).fontSize) : null; };
          const sideways = Array.from(document.querySelectorAll('.jp-Notebook, .jp-Notebook *'))
            .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) &&
                            el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
            .map((el) => el.className.toString().slice(0, 50));
          return {prose: px('.jp-Deck .jp-RenderedMarkdown p'),
                  code: px('.jp-CodeCell .cm-content'), sideways};
        }"""
    )
    assert sizes["prose"] >= 18 and sizes["code"] >= 17, sizes
    assert sizes["sideways"] == [], f"scrolls sideways: {sizes['sideways']}"
    _shoot(page, "route-slide-720p")
    # What a click a few pixels from the left edge of Play lands on.
    play = explorer.locator(".widget-play button").first
    box = play.bounding_box()
    assert box and box["x"] >= 0
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.widget-play') !== null",
        [box["x"] + 4, box["y"] + box["height"] / 2],
    )
    assert hit, "something lies over the left of the Play button"
    assert errors == [], errors
