"""The explorers of lessons 08, 10 and 11 at 1280×720: every preset ends on its own verdict.

Issue 19 asks that every preset of every surface end on its own verdict, in
classroom mode and out of it.  Lesson 05's bowl is covered by
``test_class_route_browser``; this file drives the other surfaces the same
way: one JupyterLab (with lab-settings/classroom, as ``make lab CLASSROOM=1``
starts it) and one 1280×720 page per lesson, all cells run once.  With the
left sidebar closed and open and the explorer's classroom mode on and off,
for every explorer the test clicks each preset the surface offers
(``gdlab.widgets.presets.presets_for``), jumps to the end and asserts:

* the status names the preset's ``shows`` in the explorer's words (a table
  below: what a teacher reads for "stalls at a saddle", …);
* it is the very line the library computes: the test runs ``gdlab.descend``
  with the preset (its rate on the slider's grid of 0.01 in log10) and
  ``gdlab.narration.step_status`` in its own process, and the browser's
  status must end on that headline, at that step, with those parameters;
* the status is one line (its box one line-height high, its text no wider
  than the box), and the explorer lies inside the notebook's visible area
  sideways (and the picture and status wholly on screen).

An explorer without presets (lesson 11's cross-entropy) is run from its
cell's own settings to the end and must say "converged".  Screenshots of
each surface after a preset, in classroom mode, go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import math
import re

import pytest

import gdlab
from gdlab.narration import step_status
from gdlab.widgets.presets import MOST_STEPS, presets_for

from .pages import open_and_run, start_readout_problems
from .test_class_route_browser import (
    PROJECTOR,
    _off,
    _set_classroom,
    _set_sidebar,
    _shoot,
    run_to_end,
)

pytestmark = pytest.mark.browser

# The explorer's words for each outcome a preset may be offered for.
SHOWS = {
    "crawls": r"· converging \(stopped after \d+ steps\)$",
    "converges": r"· converged after \d+ steps: at the minimum$",
    "oscillates": r"· oscillating \(stopped after \d+ steps\)$",
    "diverges": r"· diverged at step \d+$",
    "stalls at a saddle": r"· converged after \d+ steps: at a saddle point$",
    "escapes a saddle": r"· ran off downhill at step \d+$",
    "local minimum": r"· converged after \d+ steps: at a local minimum$",
    "global minimum": r"· converged after \d+ steps: at the global minimum$",
}
# A race's words for the gradient-descent run of each preset a bowl offers
# (when a run used every step, the line says "out of steps" once, after the step).
RACE_SHOWS = {
    "crawls": r"converging",
    "converges": r"converged at step \d+",
    "oscillates": r"oscillating",
    "diverges": r"diverged at step \d+",
}


def _wide():
    """Lesson 10's data: x over [0, 100], a long thin valley."""
    return gdlab.make_observations(
        n=40, slope=0.5, intercept=3.0, noise=4.0, x_range=(0, 100), seed=6
    )


def _race_wide():
    data = _wide()
    return gdlab.LinearMSE(data.x, data.y), [
        gdlab.Momentum(0.98),
        gdlab.GradientDescent(),
        gdlab.Adam(),
    ]


def _race_z():
    data = _wide()
    z, _ = gdlab.standardize(data.x)
    return gdlab.LinearMSE(z, data.y), [
        gdlab.GradientDescent(),
        gdlab.Momentum(0.9),
        gdlab.Adam(),
    ]


# Per lesson, its explorers in page order: a name, and what the cell builds
# (the test builds the same): a surface, or a race's (surface, rules); None
# when the test does not rebuild it (it has no presets to check).
LESSONS = {
    "notebooks/08-convexity-and-saddle-points.ipynb": [
        ("saddle", gdlab.Saddle),
        ("two-valleys", gdlab.TwoValleys),
    ],
    "notebooks/10-momentum-and-adam.ipynb": [
        ("race-wide", _race_wide),
        ("race-z", _race_z),
    ],
    "notebooks/11-logistic-loss.ipynb": [("cross-entropy", None)],
}


@pytest.fixture(scope="module")
def projector_page(browser):
    """One 1280×720 page for every lesson (JupyterLab's code compiled once), its errors."""
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    context.close()


@pytest.fixture(scope="module", params=list(LESSONS))
def lesson(request, classroom_settings_lab, projector_page):
    """The page with the lesson run through (tests run grouped by lesson).

    In the classroom JupyterLab (lab-settings/classroom), as ``make lab
    CLASSROOM=1`` starts it.  The errors are this lesson's.
    """
    page, errors = projector_page
    errors.clear()
    open_and_run(page, classroom_settings_lab, request.param)
    yield request.param, page, errors


def _explorers(page):
    return page.locator(".jp-OutputArea-output .gdlab-widget").filter(
        has=page.locator(".gdlab-explorer-view canvas")
    )


def _on_grid(rate):
    """``rate`` as the explorer runs it: on its slider's grid of exponents (steps of 0.01)."""
    return 10 ** round(math.log10(rate), 2)


def _expected_end(surface, preset):
    """Last step, θ, loss and headline of ``preset`` as the library computes them."""
    eta = _on_grid(preset.learning_rate)
    run = gdlab.descend(surface, preset.start, learning_rate=eta, steps=preset.steps)
    k = run.steps_taken
    head, _ = step_status(run, k, surface, can_add_steps=preset.steps < MOST_STEPS)
    return k, run.params[k], run.losses[k], head


def _check_race(text, surface, rules, preset, label):
    """A race's status names the preset's outcome for plain descent, as the library has it.

    Every rule is run by ``gdlab.descend``: the shared last step is the
    longest run's; plain descent's words start as ``step_status`` does.
    """
    eta = _on_grid(preset.learning_rate)
    runs = [
        gdlab.descend(surface, preset.start, eta, steps=preset.steps, rule=rule)
        for rule in rules
    ]
    k = max(run.steps_taken for run in runs)
    assert text.startswith(f"step {k} · "), f"{label}: {text!r}, library: step {k}"
    words = re.search(r"gradient descent: ([^·]+?)(?: ·|$)", text)
    assert words, f"{label}: {text!r}"
    assert re.fullmatch(RACE_SHOWS[preset.shows], words[1]), f"{label}: {text!r}"
    plain = runs[[type(rule) for rule in rules].index(gdlab.GradientDescent)]
    head, _ = step_status(plain, plain.steps_taken, surface)
    # The race's short form: "converged at step k" for "converged after k
    # steps: at …", and "converging" for "converging (stopped after k steps)".
    first = [said.split()[0] for said in (head, words[1])]
    assert first[0] == first[1], f"{label}: {text!r}, library: {head!r}"
    ran_out = any(run.status == "max_steps" for run in runs)
    assert text.startswith(f"step {k} · out of steps · ") == ran_out, label
    if plain.status != "max_steps":
        at = plain.diverged_at if plain.status == "diverged" else plain.steps_taken
        number = int(re.search(r"\d+", words[1])[0])
        assert number == at, f"{label}: {text!r}, library: {head!r}"


def _titles(locator):
    return locator.evaluate_all("els => els.map((el) => el.title)")


def _numbers(text):
    """The values after each "= " in the status line, as floats."""
    return [float(v.replace("−", "-")) for v in re.findall(r"= (\S+)", text)]


def _layout_problems(got, label, whole):
    """What is wrong with the explorer's layout, as lines of text (none: all well)."""
    problems = []
    if got["height"] > got["lineHeight"] + 1:
        problems.append(f"{label}: status not one line: {got['height']} px high")
    if got["textWidth"] > got["boxWidth"] + 1:
        problems.append(
            f"{label}: status text {got['textWidth']:.0f} px wide in a "
            f"{got['boxWidth']} px box (its end is cut): {got['text']!r}"
        )
    off = [p["name"] for p in got["parts"] if _off(p, got["area"], not whole)]
    off += [
        name for name in ("canvas", "status") if _off(got[name], got["area"], False)
    ]
    if off:
        problems.append(f"{label}: off the visible area: {off}; {got['area']}")
    return problems


def _check_preset(got, surface, preset, label):
    text = got["text"]
    assert re.search(SHOWS[preset.shows], text), f"{label}: {text!r}"
    k, theta, loss, head = _expected_end(surface, preset)
    assert text.startswith(f"step {k} · "), f"{label}: {text!r}, library: step {k}"
    assert text.endswith(f" · {head}"), f"{label}: {text!r}, library: {head!r}"
    shown = _numbers(text)
    assert shown[:3] == pytest.approx([*theta, loss], rel=1e-3, abs=1e-12), (
        f"{label}: {text!r}, library: θ = {theta}, L = {loss}"
    )


@pytest.mark.parametrize("sidebar", ["closed", "open"])
@pytest.mark.parametrize("classroom", ["classroom", "usual"])
def test_every_preset_of_every_surface_ends_on_its_verdict(lesson, classroom, sidebar):
    notebook, page, errors = lesson
    _set_sidebar(page, sidebar == "open")
    explorers = _explorers(page)
    assert explorers.count() == len(LESSONS[notebook]), notebook
    whole = classroom == "classroom" and sidebar == "closed"
    problems = []
    for index, (name, make) in enumerate(LESSONS[notebook]):
        explorer = explorers.nth(index)
        explorer.scroll_into_view_if_needed()
        _set_classroom(explorer, classroom == "classroom")
        built = make() if make else None
        surface, rules = built if isinstance(built, tuple) else (built, None)
        presets = presets_for(surface) if surface else []
        offered = explorer.locator("button[title^='shows: ']")
        buttons = list(zip(offered.all_inner_texts(), _titles(offered)))
        assert buttons == [(p.name, f"shows: {p.shows}") for p in presets], name
        if not rules and classroom == "usual" and sidebar == "closed":
            problems += start_readout_problems(page, explorer, name)
        for preset in presets:
            label = f"{name}, {classroom}, sidebar {sidebar}, {preset.name}"
            got = run_to_end(page, explorer, preset.name, whole)
            if rules:
                _check_race(got["text"], surface, rules, preset, label)
            else:
                _check_preset(got, surface, preset, label)
            problems += _layout_problems(got, label, whole)
            if whole:
                _shoot(page, f"surfaces-{name}-{preset.name.replace(' ', '-')}")
        if not presets:  # the cell's own settings, from step 0 to the end
            label = f"{name}, {classroom}, sidebar {sidebar}"
            explorer.get_by_role("button", name="↺ this cell's settings").click()
            got = run_to_end(page, explorer, "Reset", whole)
            assert re.search(r"· converged after \d+ steps", got["text"]), label
            problems += _layout_problems(got, label, whole)
            if whole:
                _shoot(page, f"surfaces-{name}")
    assert problems == [], "\n".join(problems)
    assert errors == [], errors
