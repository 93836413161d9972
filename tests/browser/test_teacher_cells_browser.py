"""Concept checks and speaker notes in JupyterLab: folded until clicked, notes off the slides.

Runs on a copy of lesson 05 with the cells ``tools/teacher.py lessons`` writes
(the coordinator writes them into the lessons themselves), at a projector's
1280×720.  A concept check shows its question and choices with every answer
folded, and opening a choice shows that choice's feedback only; a speaker
note is folded in the notebook, and when the lesson is presented with
jupyterlab-slideshow its cell is not on the slide of its section.
"""

from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT
from .pages import SCRATCH, open_notebook

pytestmark = pytest.mark.browser

NOTEBOOK = "05-update-rule.ipynb"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def teacher_lesson(lab):
    """Lesson 05's path in JupyterLab: a copy of the lessons, with their teacher cells written."""
    import teacher

    served = SCRATCH / "teacher"
    shutil.rmtree(served, ignore_errors=True)
    served.mkdir(parents=True)
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, served / path.name)
    teacher.update_lessons(served)
    return (served / NOTEBOOK).relative_to(ROOT).as_posix()


def test_checks_fold_their_answers_and_notes_stay_off_the_slides(
    lab, teacher_lesson, browser_page
):
    from playwright.sync_api import expect

    page = browser_page.page
    page.set_viewport_size({"width": 1280, "height": 720})
    open_notebook(page, lab, teacher_lesson)
    check = page.locator(
        ".jp-MarkdownCell .jp-RenderedMarkdown", has_text="What is m after one step"
    ).first
    check.scroll_into_view_if_needed()
    expect(check.get_by_text("Concept check.")).to_be_visible(timeout=TIMEOUT_MS)
    uphill = check.get_by_text("a step along the gradient, uphill")
    expect(uphill).to_be_hidden()
    expect(check.get_by_text("— Right:")).to_be_hidden()
    check.locator("summary", has_text="B").click()
    expect(uphill).to_be_visible()
    expect(check.get_by_text("— Right:")).to_be_hidden()  # the answer stays folded
    browser_page.screenshot("teacher-1-check-open")

    heading = page.locator(
        ".jp-MarkdownCell .jp-RenderedMarkdown", has_text="A few steps, drawn as arrows"
    ).first
    note = page.locator(
        ".jp-MarkdownCell .jp-RenderedMarkdown",
        has_text="For the teacher: minutes 18–24",
    ).first
    note.scroll_into_view_if_needed()
    expect(note).to_be_visible()  # its summary line, in the notebook
    expect(note.get_by_text("Usually:")).to_be_hidden()  # the rest folded for a learner
    heading.click()
    page.keyboard.press("Escape")
    page.locator(".jp-NotebookPanel-toolbar [title='Toggle Deck']").first.click()
    # The deck shows the heading's slide, then its figure on the slide below...
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Go to next fragment or subslide in Deck").click()
    figure = page.locator(".jp-Cell.jp-deck-mod-onscreen .jp-RenderedImage img")
    expect(figure.first).to_be_in_viewport(timeout=TIMEOUT_MS)
    browser_page.screenshot("teacher-2-slide")
    # ... and the note that sits right under the heading is not on it.
    expect(note).to_be_hidden()
