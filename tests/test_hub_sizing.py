"""The README's hub figures: made by tools/hub_sizing.py, in the form it writes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
import hub_sizing


def test_the_readme_holds_a_table_the_script_wrote_for_both_lessons():
    text = (ROOT / "README.md").read_text()
    block = text[text.index(hub_sizing.START) : text.index(hub_sizing.END)]
    rows = [line for line in block.splitlines() if line.startswith("| 0")]
    assert {row.split("|")[1].strip() for row in rows} == {"05", "06"}
    header = hub_sizing.table([]).splitlines()[0]
    assert header in block
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[3].endswith(" %") and cells[4].endswith(" MB"), row
        # A kernel with numpy and matplotlib needs more than 50 MB, a lesson far less than 1 GB.
        assert 50 < float(cells[4].removesuffix(" MB")) < 1024


def test_the_meter_finds_a_kernel_by_its_connection_file_and_measures_it():
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)", "kernel-abc123.json"]
    )
    try:
        # Until the child has exec'd, its command line is still its parent's.
        deadline = time.monotonic() + 10
        while True:
            try:
                found = hub_sizing.kernel_pid("abc123")
                break
            except LookupError:
                assert time.monotonic() < deadline, "the child never showed up"
                time.sleep(0.05)
        assert found == child.pid
        rss, peak, cpu = hub_sizing.sample(child.pid)
        assert 0 < rss <= peak and cpu >= 0
    finally:
        child.kill()
        child.wait()
    assert hub_sizing.sample(os.getpid())[0] > 0
