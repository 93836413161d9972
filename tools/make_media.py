"""`make media`: redraw the README's animation of the descent explorer.

The frames come from :class:`gdlab.widgets.DescentExplorer` itself (the same
drawing code a learner sees), driven from Python: first a run with a good
learning rate from a far start, then the same start with a learning rate
above the critical value 2/λ_max, which diverges.  Under each frame is the
explorer's status line.  Writes ``docs/explorer.gif`` (kept under 1.5 MB).

    python tools/make_media.py [--frames DIR]   # DIR: also save every frame as PNG
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

import gdlab
from gdlab.plots import COLORS
from gdlab.widgets import DescentExplorer

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "explorer.gif"
LIMIT_BYTES = 1_500_000
SCALE = 0.72  # of the explorer's 1300-pixel-wide frame
CAPTION = 56  # pixels for two lines of status under each frame
LINE_HEIGHT = 21


def _steps_to_show(last: int, count: int) -> list[int]:
    """Every early step (where most happens), then ever larger strides to the end."""
    early = list(range(min(last, 24) + 1))
    late = np.unique(
        np.geomspace(25, max(last, 25), max(count - len(early), 2)).round().astype(int)
    )
    return early + [int(k) for k in late if 24 < k <= last]


def _caption_font():
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return ImageFont.truetype(path, 15)


def _frame(explorer: DescentExplorer, font, title: str) -> Image.Image:
    picture = Image.open(io.BytesIO(explorer.frame_png())).convert("RGB")
    width, height = picture.size
    size = (round(width * SCALE), round(height * SCALE))
    picture = picture.resize(size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (size[0], size[1] + CAPTION), "white")
    canvas.paste(picture, (0, 0))
    draw = ImageDraw.Draw(canvas)
    colour = COLORS["line"] if "diverg" in explorer.status_text() else "black"
    lines = _wrap(f"{title} · {explorer.status_text()}", font, size[0] - 20)
    for row, line in enumerate(lines[:2]):
        draw.text((10, size[1] + 6 + row * LINE_HEIGHT), line, fill=colour, font=font)
    return canvas


def _wrap(text: str, font, width: int) -> list[str]:
    """Break the status line between words so it fits the frame's width."""
    lines, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + [current]


def _scene(explorer, preset, title, font, count):
    explorer.apply_preset(preset)
    explorer.start_m.value, explorer.start_b.value = explorer.presets["far start"].start
    frames, durations = [], []
    for k in _steps_to_show(explorer.step.max, count):
        explorer.step.value = k
        frames.append(_frame(explorer, font, title))
        durations.append(90)
    durations[0] = 900
    durations[-1] = 2200
    return frames, durations


def main(argv=None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--frames", type=Path, help="also save every frame as a PNG here"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    obs = gdlab.make_observations(n=50, seed=0)
    explorer = DescentExplorer(obs.x, obs.y)
    font = _caption_font()
    good, good_times = _scene(explorer, "good", "η = half of 2/λ_max", font, 70)
    bad, bad_times = _scene(explorer, "diverges", "η above 2/λ_max", font, 40)
    frames, durations = good + bad, good_times + bad_times

    if args.frames:
        args.frames.mkdir(parents=True, exist_ok=True)
        for i, frame in enumerate(frames):
            frame.save(args.frames / f"frame-{i:03d}.png")

    # One palette for all frames, so colours do not flicker between them,
    # taken from frames of both scenes so every marker keeps its colour.
    samples = [
        frames[i] for i in np.linspace(0, len(frames) - 1, 6).round().astype(int)
    ]
    montage = Image.new("RGB", (samples[0].width, samples[0].height * len(samples)))
    for i, sample in enumerate(samples):
        montage.paste(sample, (0, i * sample.height))
    palette = montage.quantize(colors=255, method=Image.Quantize.MAXCOVERAGE)
    indexed = [
        frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    indexed[0].save(
        args.output,
        save_all=True,
        append_images=indexed[1:],
        duration=durations,
        loop=0,
        optimize=True,
        disposal=1,
    )
    size = args.output.stat().st_size
    print(
        f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}: "
        f"{len(frames)} frames, {size / 1e6:.2f} MB"
    )
    if size > LIMIT_BYTES:
        raise SystemExit(
            f"{args.output.name} is {size / 1e6:.2f} MB, over the {LIMIT_BYTES / 1e6:.1f} MB limit"
        )
    return args.output


if __name__ == "__main__":
    main()
