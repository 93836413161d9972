"""How tall is every slide of a lesson, presented in classroom mode at 1280×720?

    python tools/slide_heights.py                 # every lesson
    python tools/slide_heights.py 05 06           # lessons by number
    python tools/slide_heights.py 05 --shots DIR  # and a screenshot of each slide

Starts a throwaway JupyterLab as ``make lab CLASSROOM=1`` does (the
settings in lab-settings/classroom, ``GDLAB_CLASSROOM=1`` for its kernels),
opens each lesson in Debian's Chromium at 1280×720, runs all its cells,
starts the slideshow (jupyterlab-slideshow's ``deck:toggle``) on the first
cell and presses Space until the last slide, measuring at each new slide:

* its height: the slideshow shows a slide's cells (``.jp-deck-mod-onscreen``)
  in the notebook's scrolling box, one screen high; the height is that box's
  ``scrollHeight``, and a slide fits when it is at most the box's own height
  (720 px: no vertical scrollbar);
* whether anything in the notebook scrolls sideways.

Prints one line per slide and exits 1 when a slide does not fit.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECTOR = {"width": 1280, "height": 720}
TIMEOUT_MS = 30_000

# One slide as the browser shows it: the scrolling box, the cells on screen.
MEASURE = """() => {
  const notebook = document.querySelector('.jp-Deck .jp-Notebook');
  const scroller = notebook.querySelector('.jp-WindowedPanel-outer') || notebook;
  const cells = Array.from(notebook.querySelectorAll('.jp-Cell'));
  const onscreen = cells.map((cell, i) => [cell, i])
    .filter(([cell]) => cell.classList.contains('jp-deck-mod-onscreen'));
  const boxes = onscreen.map(([cell]) => cell.getBoundingClientRect());
  const top = Math.min(...boxes.map((b) => b.top));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  const sideways = [notebook, ...notebook.querySelectorAll('*')]
    .filter((el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 &&
            ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .map((el) => el.className.toString().slice(0, 60));
  const active = cells.findIndex((cell) => cell.classList.contains('jp-mod-active'));
  const heading = onscreen.map(([cell]) => cell.querySelector('h1, h2, h3'))
    .find((h) => h) || (onscreen.length ? onscreen[0][0] : null);
  return {
    active, cells: onscreen.map(([, i]) => i),
    scrollHeight: scroller.scrollHeight, clientHeight: scroller.clientHeight,
    cellsHeight: boxes.length ? bottom - top : 0,
    heights: boxes.map((b) => Math.round(b.height)),
    figures: onscreen.flatMap(([cell]) => Array.from(
        cell.querySelectorAll('.jp-OutputArea .jp-RenderedImage img')))
      .filter((img) => img.naturalHeight > 0)
      .map((img) => [img.naturalHeight, Math.round(img.getBoundingClientRect().height)]),
    sideways, viewport: innerHeight,
    title: heading ? heading.innerText.replace('¶', '').trim().split('\\n')[0].slice(0, 40) : '',
  };
}"""


@dataclass
class Slide:
    """One slide's measurements."""

    lesson: str
    number: int
    title: str
    cells: list
    height: float
    room: float
    sideways: list
    heights: list
    figures: list  # [height drawn, height shown] of each figure, in pixels

    @property
    def fits(self) -> bool:
        return self.height <= self.room + 0.5 and not self.sideways

    def line(self) -> str:
        mark = "ok " if self.fits else "TOO"
        side = f"  scrolls sideways: {self.sideways}" if self.sideways else ""
        side += "".join(f"  figure {a}→{b} px" for a, b in self.figures if a != b)
        return (
            f"{mark} {self.lesson} slide {self.number:2d} {self.height:6.0f} px "
            f"(room {self.room:.0f}) cells {self.cells[0]}–{self.cells[-1]} "
            f"{self.title!r}{side}"
        )


def start_deck(page) -> None:
    """Present the open notebook as slides from its first cell."""
    from playwright.sync_api import expect

    first = page.locator(".jp-NotebookPanel .jp-Cell").first
    first.click(position={"x": 2, "y": 2})
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Home")
    page.locator("[data-command='deck:toggle']").first.click()
    onscreen = page.locator(".jp-Cell.jp-deck-mod-onscreen")
    expect(onscreen.first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)


def stop_deck(page) -> None:
    """Leave the slideshow (the deck button at the bottom right)."""
    page.locator("[data-command='deck:toggle']").first.click()
    page.locator(".jp-Deck").first.wait_for(state="detached", timeout=TIMEOUT_MS)


def measure_slides(page, lesson: str, shots: Path | None = None) -> list[Slide]:
    """Step through the presented notebook with Space; one :class:`Slide` per slide."""
    slides: list[Slide] = []
    seen = set()
    for _ in range(400):
        got = page.evaluate(MEASURE)
        key = tuple(got["cells"])
        if key not in seen:
            seen.add(key)
            slide = Slide(
                lesson,
                len(slides) + 1,
                got["title"],
                got["cells"],
                got["scrollHeight"],
                min(got["clientHeight"], got["viewport"])
                if got["scrollHeight"] > got["clientHeight"]
                else got["viewport"],
                got["sideways"],
                got["heights"],
                got["figures"],
            )
            slides.append(slide)
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"{lesson}-{slide.number:02d}.png"))
        if not _next_slide(page, got["active"]):
            break
    return slides


# After Space: the active cell has moved on (on the last slide it stays).
MOVED_ON = """(before) => Array.from(document.querySelectorAll('.jp-Deck .jp-Notebook .jp-Cell'))
  .findIndex((cell) => cell.classList.contains('jp-mod-active')) !== before"""
# Every picture on the slide has loaded (a slide measured before its figures
# arrive would look shorter than it is).
LOADED = """() => Array.from(document.querySelectorAll('.jp-deck-mod-onscreen img'))
  .every((img) => img.complete)"""


def _next_slide(page, active: int) -> bool:
    """Press Space; wait for the next slide, drawn.  False on the last slide."""
    from browser_lab import next_frames
    from playwright.sync_api import Error

    page.keyboard.press("Space")
    try:
        page.wait_for_function(MOVED_ON, arg=active, timeout=3_000)
    except Error:  # nothing came after: this was the last slide
        return False
    page.wait_for_function(LOADED, timeout=TIMEOUT_MS)
    next_frames(page)
    return True


def run_all(page, lab, path: str) -> None:
    """Run → Run All Cells; wait until every code cell with code in it has run."""
    import re

    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    # An empty cell never gets a number; every other one shows [n]: once run.
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell'))
            .filter((cell) => cell.querySelector('.cm-content').textContent.trim())
            .every((cell) => /\\[\\d+\\]/.test(
                cell.querySelector('.jp-InputPrompt').textContent))""",
        timeout=120_000,
    )
    lab.wait_for_kernel(path)


def close_kernel(page, lab, path: str) -> None:
    """Shut down ``path``'s kernel, so a run of every lesson keeps one kernel at a time."""
    for session in lab.sessions():
        if session.get("path") == path:
            # From the page, which holds the cookie the server's XSRF check wants.
            page.evaluate(
                """(id) => fetch(`/api/sessions/${id}`, {method: 'DELETE',
                    headers: {'X-XSRFToken': (document.cookie.match(/_xsrf=([^;]+)/)
                                              || [])[1] || ''}})""",
                session["id"],
            )


def lesson_paths(numbers: list[str]) -> list[str]:
    """The lessons' paths from the repository root, all of them without numbers."""
    from notebooks import lessons

    paths = [p for p in lessons() if not numbers or p.name.split("-")[0] in numbers]
    return [str(p.relative_to(ROOT)) for p in paths]


def measure(numbers: list[str], shots: Path | None = None) -> list[Slide]:
    """Every slide of the lessons ``numbers``, in one classroom JupyterLab."""
    from browser_lab import (
        CHROMIUM,
        CHROMIUM_ARGS,
        LAB_SETTINGS,
        open_notebook,
        running_lab,
    )
    from playwright.sync_api import sync_playwright

    settings = json.loads((LAB_SETTINGS / "classroom" / "overrides.json").read_text())
    slides = []
    with (
        tempfile.TemporaryDirectory(prefix="gdlab-slides-") as scratch,
        running_lab(ROOT, Path(scratch), {"GDLAB_CLASSROOM": "1"}, settings) as lab,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_context(viewport=PROJECTOR).new_page()
        for path in lesson_paths(numbers):
            open_notebook(page, lab, path)
            run_all(page, lab, path)
            start_deck(page)
            lesson = Path(path).name.split("-")[0]
            found = measure_slides(page, lesson, shots)
            for slide in found:
                print(slide.line(), flush=True)
            slides += found
            stop_deck(page)
            close_kernel(page, lab, path)
        browser.close()
    return slides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers, e.g. 05 06")
    parser.add_argument("--shots", type=Path, help="folder for a PNG of each slide")
    parser.add_argument("--json", type=Path, help="write every slide's numbers here")
    args = parser.parse_args(argv)
    slides = measure(args.lessons, args.shots)
    if args.json:
        args.json.write_text(json.dumps([vars(s) for s in slides], indent=1))
    too = [s for s in slides if not s.fits]
    print(f"{len(slides) - len(too)} of {len(slides)} slides fit 1280×720")
    return 1 if too else 0


if __name__ == "__main__":
    sys.exit(main())
