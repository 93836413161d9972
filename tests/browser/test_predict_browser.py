"""Predict, then reveal, in a real browser: hidden until Play, then shown.

A throwaway notebook makes a classroom explorer with ``predict=True`` on the
"diverges" preset.  Before Play the status line shows the preset's question
and no verdict, the loss panel of the canvas holds no pixel of the loss
curve's colour (nor any colour), and the warning beside η is hidden; while Play runs the
words stay hidden until the last step; after it the verdict is there, the
loss curve is drawn and the warning shows.  A new preset hides again, and
the key V reveals.  Screenshots at 1280×720 go to ``test-artifacts/browser/``
(``predict-1-hidden.png``, ``predict-2-revealed.png``).
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import page_in
from .pages import open_and_run, scratch_notebook

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
SETUP = (
    "import json\nimport gdlab\nfrom gdlab.widgets import DescentExplorer\n"
    "from gdlab.widgets.predictions import question_for\n"
    "obs = gdlab.make_observations(n=50, seed=0)"
)
EXPLORER = (
    "ex = DescentExplorer(obs.x, obs.y, classroom=True, predict=True)\n"
    'ex.apply_preset("diverges")\n'
    "open('hidden.json', 'w').write(json.dumps({'panels': ex.player.hidden_panels, "
    "'questions': {n: question_for(n) for n in ex.presets}}))\n"
    "ex"
)
RACE = (
    "from gdlab.rules import GradientDescent, Momentum\n"
    "race = DescentExplorer(obs.x, obs.y, classroom=True, predict=True,\n"
    "                       rules=[GradientDescent(), Momentum(0.9)])\n"
    'race.apply_preset("oscillates")\n'
    "open('race.json', 'w').write(json.dumps({'panels': race.player.hidden_panels, "
    "'question': question_for('oscillates')}))\n"
    "race"
)
# Pixels of the loss curve's colour (vermillion, #D55E00) in a rectangle of the canvas.
COUNT_VERMILLION = """(c, r) => {
    const d = c.getContext("2d").getImageData(r[0], r[1], r[2] - r[0], r[3] - r[1]).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
        if (Math.abs(d[i] - 213) < 40 && Math.abs(d[i + 1] - 94) < 40 && d[i + 2] < 50) n++;
    return n;
}"""
# Pixels of any colour (not white, grey or black) in a rectangle: a race's loss curves.
COUNT_COLOURED = """(c, r) => {
    const d = c.getContext("2d").getImageData(r[0], r[1], r[2] - r[0], r[3] - r[1]).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
        if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
    return n;
}"""
# Each step drawn while Play runs: the step, data-revealed and the status line.
RECORD = """(c) => {
    window.__shown = [];
    const root = c.closest(".gdlab-explorer-view");
    const status = root.querySelector(".gdlab-status");
    new MutationObserver(() => window.__shown.push(
        [Number(c.dataset.step), root.dataset.revealed, status.textContent]
    )).observe(c, {attributes: true, attributeFilter: ["data-step"]});
}"""


@pytest.fixture(scope="module")
def predicted(lab, browser):
    """One 1280×720 page with the notebook run, for both tests; and the folder it writes to.

    The first test drives only the first explorer, the second only the race:
    neither sees what the other did.  Console errors are counted over both.
    """
    folder, notebook = scratch_notebook("predict", [SETUP, EXPLORER, RACE])
    with page_in(browser, {"width": 1280, "height": 720}) as shown:
        page = shown.page
        open_and_run(page, lab, notebook)
        page.wait_for_function(
            "() => document.querySelectorAll('.gdlab-explorer-view canvas[data-version]')"
            ".length === 2",
            timeout=TIMEOUT_MS,
        )
        lab.wait_for_kernel(notebook)
        # As on a projector: the left sidebar closed (Ctrl+B).
        sidebar = page.locator("#jp-left-stack")
        if sidebar.is_visible():
            page.locator(".jp-NotebookPanel").first.click(position={"x": 5, "y": 5})
            page.keyboard.press("Control+b")
        sidebar.wait_for(state="hidden", timeout=TIMEOUT_MS)
        yield shown, folder


def _explorer_parts(page, *, first: bool):
    """The first or last explorer's output, its view, canvas and status line."""
    outputs = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".gdlab-explorer-view canvas")
    )
    explorer = outputs.first if first else outputs.last
    view = explorer.locator(".gdlab-explorer-view")
    return explorer, view, view.locator("canvas"), view.locator(".gdlab-status")


def _screenshot(page, explorer, shoot, name):
    explorer.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    return shoot(name)


def test_hidden_until_play_then_shown(predicted):
    from playwright.sync_api import expect

    browser_page, folder = predicted
    page = browser_page.page
    hidden = json.loads((folder / "hidden.json").read_text())
    loss_panel = hidden["panels"][-1]
    explorer, view, canvas, status = _explorer_parts(page, first=True)
    warning = explorer.locator(".gdlab-warning")

    # Hidden: the question, no verdict, no loss curve, no warning.
    expect(view).to_have_attribute("data-revealed", "no", timeout=TIMEOUT_MS)
    question = hidden["questions"]["diverges"]
    expect(status).to_have_text(f"step 0 · {question}")
    # Not even step 0's loss point or the line of the lowest loss.
    assert canvas.evaluate(COUNT_COLOURED, loss_panel) == 0
    assert canvas.evaluate(COUNT_VERMILLION, loss_panel) == 0
    expect(warning).to_be_hidden()
    _screenshot(page, explorer, browser_page.screenshot, "predict-1-hidden")

    # Play: the path and the loss come step by step, the words at the end.
    canvas.evaluate(RECORD)
    explorer.locator(".widget-play button").first.click()
    page.wait_for_function(
        "(c) => c.dataset.playing === 'no' && c.dataset.step === c.dataset.last",
        arg=canvas.element_handle(),
        timeout=TIMEOUT_MS,
    )
    last = int(canvas.get_attribute("data-last"))
    shown = page.evaluate("window.__shown")
    before_end = [s for s in shown if 0 < s[0] < last]
    assert len(before_end) > 5, shown
    assert all(r == "no" and t == f"step {k} · {question}" for k, r, t in before_end)
    expect(view).to_have_attribute("data-revealed", "yes")
    expect(status).to_have_text(re.compile(rf"^step {last} · .*diverged at step"))
    curve = canvas.evaluate(COUNT_VERMILLION, loss_panel)
    assert curve > 50, f"only {curve} pixels of the loss curve after Play"
    expect(warning, "the kernel reveals the η warning at the end").to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(warning).to_contain_text("will diverge")
    _screenshot(page, explorer, browser_page.screenshot, "predict-2-revealed")

    # A new preset hides again; the key V reveals everything at once.
    explorer.get_by_role("button", name="good", exact=True).click()
    expect(status).to_have_text(
        f"step 0 · {hidden['questions']['good']}", timeout=TIMEOUT_MS
    )
    expect(view).to_have_attribute("data-revealed", "no")
    status.click()
    page.keyboard.press("v")
    expect(view).to_have_attribute("data-revealed", "yes", timeout=TIMEOUT_MS)
    expect(status).to_have_text(re.compile(r"^step 0 · m = .*ready"))
    assert canvas.get_attribute("data-step") == "0"
    assert browser_page.console.errors == [], "\n".join(browser_page.console.errors)


def test_the_race_is_hidden_until_the_end_too(predicted):
    from playwright.sync_api import expect

    browser_page, folder = predicted
    page = browser_page.page
    hidden = json.loads((folder / "race.json").read_text())
    loss_panel = hidden["panels"][-1]
    explorer, view, canvas, status = _explorer_parts(page, first=False)
    explorer.scroll_into_view_if_needed()
    expect(view).to_have_attribute("data-revealed", "no", timeout=TIMEOUT_MS)
    expect(status).to_have_text(f"step 0 · {hidden['question']}")
    assert canvas.evaluate(COUNT_COLOURED, loss_panel) == 0
    explorer.get_by_role("button", name="jump to end").click()
    expect(view).to_have_attribute("data-revealed", "yes", timeout=TIMEOUT_MS)
    expect(status).to_contain_text("gradient descent: ")
    expect(status).to_contain_text("momentum: ")
    coloured = canvas.evaluate(COUNT_COLOURED, loss_panel)
    assert coloured > 50, f"only {coloured} coloured pixels in the race's loss panel"
    assert browser_page.console.errors == [], "\n".join(browser_page.console.errors)
