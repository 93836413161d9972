"""The presenter layout: lesson 05's explorer in classroom mode fits a 1280×720 window.

JupyterLab is started as ``make lab CLASSROOM=1`` starts it (GDLAB_CLASSROOM=1),
at a projector's 1280×720 with the left sidebar closed.  From bounding boxes:
every control, the status line and the figure are inside the notebook's
visible area, the figure is drawn at ≥ 85 % of its own pixel width, and the
controls' text is large; the same after the *diverges* preset shows the
warning.  Screenshots go to ``test-artifacts/browser/``.
"""

from __future__ import annotations

import re

import pytest
from browser_lab import open_notebook, run_all_cells

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/05-update-rule.ipynb"
PROJECTOR = {"width": 1280, "height": 720}
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def classroom_lab(chromium_path, tmp_path_factory):
    """JupyterLab started as `make lab CLASSROOM=1` starts it: GDLAB_CLASSROOM=1."""
    from .conftest import ROOT, running_lab

    with running_lab(
        ROOT, tmp_path_factory.mktemp("classroom-lab"), {"GDLAB_CLASSROOM": "1"}
    ) as server:
        yield server


# The explorer's parts that must be on screen, by what a teacher reads or clicks.
PARTS = {
    "learning-rate slider": ".widget-slider >> nth=0",
    "status line": ".gdlab-status",
    "figure": ".gdlab-figure",
}


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


def test_presenter_layout_fits_a_720p_window_in_classroom_mode(
    classroom_lab, browser_page
):
    from playwright.sync_api import expect

    lab = classroom_lab
    page = browser_page.page
    page.set_viewport_size(PROJECTOR)
    try:
        open_notebook(page, lab, NOTEBOOK)
        _close_left_sidebar(page)
        run_all_cells(page, lab, NOTEBOOK)
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
        browser_page.screenshot("presenter-1-classroom")

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
        browser_page.screenshot("presenter-2-warning")

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
        browser_page.screenshot("presenter-3-after-keys")
    except Exception:
        browser_page.screenshot("presenter-failure")
        print("JupyterLab log (last lines):\n" + lab.log_tail())
        raise
