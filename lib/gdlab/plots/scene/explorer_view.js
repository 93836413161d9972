// explorer_view.js: the explorer's picture, animated in the browser (anywidget ES module).
//
// Draws, on one <canvas>, a still PNG of the figure without its moving parts
// (`background`, and over it at scene.overlay_at the panels a new run changes,
// `overlay`), then the moving layer of step k (the layers of layer.py beside
// this file, from `scene`, `data` and `sprites`), and below it step k's status
// line (built from `status_parts` and `status_table`), one line high.  `error`,
// when not empty, is shown above the picture, which is dimmed and marked
// data-stale="yes" until the next scene arrives.  What each traitlet holds is
// written once, beside it, in ExplorerView (gdlab/widgets/explorer_view.py).
//
// Play runs here: while `playing`, requestAnimationFrame shows step
// anchor + ⌊elapsed seconds × `speed`⌋, so steps beyond the display rate are
// skipped and the last step is always shown.  The shown step goes back to the
// kernel in `step` when paused, and while playing every second step shown (at
// most every `report_every` seconds); a `step` set by the kernel is shown at once.

// One line, always: what does not fit ends in "…" (the whole line is in the tooltip).
const ONE_LINE = "white-space:nowrap; overflow:hidden; text-overflow:ellipsis;";
// The status line's box: exactly one line high, so nothing below it ever moves.
const STATUS_BOX = "line-height:1.3; height:1.3em; box-sizing:content-box;";
// A status too long for the width it has is drawn smaller (down to this share
// of its size) rather than wrapped or cut: its last words name the outcome.
const SMALLEST = 0.7;

// Shrink `text` (inside `box`) until it fits one line; measured only when the
// length of the text or the box's width changed since the last time.
function fitter(box, text) {
  let key = "";
  return () => {
    const next = `${text.textContent.length}|${box.clientWidth}`;
    if (next === key) return;
    key = next;
    text.style.fontSize = "";
    const room = Math.max(box.clientWidth, 1);
    const over = text.getBoundingClientRect().width / room;
    if (over <= 1) return;
    // Text does not scale exactly with its size (glyphs snap to pixels): step
    // down until it really fits, or the text would end in "…" for a pixel.
    let size = Math.max(SMALLEST, Math.floor(100 / over) / 100);
    text.style.fontSize = `${size}em`;
    while (size > SMALLEST && text.getBoundingClientRect().width > room) {
      size = Math.max(SMALLEST, Math.round((size - 0.01) * 100) / 100);
      text.style.fontSize = `${size}em`;
    }
  };
}

// Decoded once per message: a new scene re-sends only what changed, and the
// rest (the still, the sprites) is the same object as before.
const decoded = new WeakMap();

function decodePng(view) {
  if (!decoded.has(view)) decoded.set(view, createImageBitmap(new Blob([view], { type: "image/png" })));
  return decoded.get(view);
}

// The kernel's zlib-compressed bytes, inflated into a new (so aligned) buffer.
async function inflate(view) {
  const stream = new Blob([view]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).arrayBuffer();
}

// `data`'s numbers: int32 16ths of a pixel, each the difference from the one
// four places before; 2³¹ − 1 is NaN (see _delta_fixed in gdlab/widgets/explorer_view.py).
function undelta(buffer) {
  const deltas = new Int32Array(buffer);
  const sums = new Int32Array(deltas.length);
  const out = new Float32Array(deltas.length);
  for (let i = 0; i < deltas.length; i++) {
    sums[i] = i >= 4 ? (sums[i - 4] + deltas[i]) | 0 : deltas[i];
    out[i] = sums[i] === 2147483647 ? NaN : sums[i] / 16;
  }
  return out;
}

// The status lines: step k's is the [text, colour] parts its row of the table
// names, a part per slot, each in its slot's colour.
async function loadStatus(model) {
  const parts = new TextDecoder().decode(await inflate(model.get("status_parts"))).split("\n");
  const colors = model.get("status_colors");
  const slots = colors.length;
  const table = new Uint16Array(await inflate(model.get("status_table")));
  // Each row came as its difference from the row before (wrapping, as Uint16Array does).
  for (let i = slots; i < table.length; i++) table[i] += table[i - slots];
  return (k) =>
    Array.from(table.subarray(k * slots, (k + 1) * slots), (i, slot) => [
      (parts[i] ?? "").replaceAll("{k}", String(k)),
      colors[slot],
    ]);
}

async function loadScene(model) {
  const spec = model.get("scene");
  if (!spec || !spec.layers) return null;
  const overlay = model.get("overlay");
  const [background, still, ...sprites] = await Promise.all(
    [model.get("background"), overlay.byteLength ? overlay : null, ...model.get("sprites")].map(
      (png) => png && decodePng(png),
    ),
  );
  const status = await loadStatus(model);
  const data = undelta(await inflate(model.get("data")));
  return { spec, background, still, sprites, data, status };
}

// A status line: [text, colour] pieces joined by " · ", each coloured piece
// after a swatch of its colour (a run's colour in a race).  What follows a tab
// in a piece is not on the line but in the tooltip, in brackets after the line.
// Returns the line's tooltip.
function writeStatus(element, line) {
  const more = line.map(([part]) => part.split("\t")[1]).filter(Boolean);
  const parts = line.map(([part, color]) => [part.split("\t")[0], color]);
  const tooltip = () => element.textContent + more.map((words) => ` (${words})`).join("");
  // While Play runs, mostly the step number changes: then only its text does
  // (rebuilding the pieces costs the page a layout per frame).
  const key = parts.map(([text, color], i) => (i ? text : "") + "\u0001" + color).join("\u0002");
  if (element.dataset.pieces === key && element.firstChild) {
    element.firstChild.lastChild.textContent = parts[0][0]; // after its swatch, if any
    return tooltip();
  }
  element.dataset.pieces = key;
  const pieces = [];
  parts.forEach(([text, color], i) => {
    if (i) pieces.push(" · ");
    const piece = document.createElement("span");
    if (color) {
      const swatch = document.createElement("span");
      swatch.className = "gdlab-swatch";
      swatch.style.cssText =
        `display:inline-block; width:0.8em; height:0.8em; border-radius:50%; background:${color}; ` +
        "border:1px solid #000; margin-right:0.3em; vertical-align:-0.05em";
      piece.append(swatch);
    }
    piece.append(text);
    pieces.push(piece);
  });
  element.replaceChildren(...pieces);
  return tooltip();
}

function slice(scene, [offset, length]) {
  return scene.data.subarray(offset, offset + length);
}

function clipTo(ctx, rect) {
  if (!rect) return;
  ctx.beginPath();
  ctx.rect(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1]);
  ctx.clip();
}

function coverPanels(ctx, panels) {
  for (const [x0, y0, x1, y1] of panels) {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    ctx.fillStyle = "#767676"; // 4.5:1 on white
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const size = Math.max(12, Math.min(48, (y1 - y0) / 4));
    ctx.font = `bold ${size}px sans-serif`;
    ctx.fillText("?", (x0 + x1) / 2, (y0 + y1) / 2 - size / 2);
    ctx.font = `${Math.round(size / 2.6)}px sans-serif`;
    ctx.fillText("press Play, or V", (x0 + x1) / 2, (y0 + y1) / 2 + size / 1.6);
  }
}

// Agg snaps a path made only of horizontal and vertical segments to the pixel
// grid (to the pixel centre for an odd width); do the same so edges match.
function snapper(points, width) {
  let straight = points.length <= 2048;
  for (let i = 2; straight && i + 1 < points.length; i += 2) {
    const [x0, y0, x1, y1] = [points[i - 2], points[i - 1], points[i], points[i + 1]];
    if ([x0, y0, x1, y1].some(Number.isNaN)) continue;
    straight = x0 === x1 || y0 === y1 || Math.abs(x0 - x1) < 1e-4 || Math.abs(y0 - y1) < 1e-4;
  }
  if (!straight) return (v) => v;
  const half = Math.round(width) % 2 ? 0.5 : 0;
  return (v) => Math.floor(v + 0.5) + half;
}

function strokePath(ctx, points, strokes) {
  for (const s of strokes) {
    const snap = snapper(points, s.width);
    ctx.beginPath();
    let open = false;
    let last = null; // the vertex drawn last
    let skipped = null; // a vertex left out for now (too near the last)
    for (let i = 0; i + 1 < points.length; i += 2) {
      const x = points[i], y = points[i + 1];
      if (Number.isNaN(x) || Number.isNaN(y)) {
        if (skipped) ctx.lineTo(...skipped);
        open = false;
        skipped = null;
        continue;
      }
      const [px, py] = [snap(x), snap(y)];
      if (!open) ctx.moveTo(px, py);
      else if (Math.abs(px - last[0]) < 0.5 && Math.abs(py - last[1]) < 0.5) {
        // Within half a pixel of the last vertex: invisible, but each one costs a
        // join (a slow run piles hundreds up); Agg simplifies such paths too.
        skipped = [px, py];
        continue;
      } else ctx.lineTo(px, py);
      last = [px, py];
      skipped = null;
      open = true;
    }
    if (skipped) ctx.lineTo(...skipped);
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width;
    ctx.lineCap = { projecting: "square", butt: "butt", round: "round" }[s.cap] || "butt";
    ctx.lineJoin = { miter: "miter", round: "round", bevel: "bevel" }[s.join] || "round";
    ctx.setLineDash(s.dash || []);
    ctx.stroke();
  }
}

function stamp(ctx, scene, id, x, y) {
  if (id < 0 || Number.isNaN(x) || Number.isNaN(y)) return;
  const [ax, ay] = scene.spec.sprites[id];
  // On the pixel floor(v + 0.5), as Agg places markers (a race sends unrounded positions).
  ctx.drawImage(scene.sprites[id], Math.floor(x + 0.5) - ax, Math.floor(y + 0.5) - ay);
}

// One drawer per kind of layer (layer.py's KINDS), reading the fields the
// record of that kind in records.py writes.
const DRAW = {
  polyline(ctx, scene, layer, k) {
    const count = Math.max(0, layer.count[0] * k + layer.count[1]);
    strokePath(ctx, slice(scene, layer.points).subarray(0, 2 * count), layer.strokes);
  },
  markers(ctx, scene, layer, k) {
    const points = slice(scene, layer.points);
    const count = Math.min(points.length / 2, layer.count[0] * k + layer.count[1]);
    for (let i = 0; i < count; i++) stamp(ctx, scene, layer.sprite, points[2 * i], points[2 * i + 1]);
  },
  sprite(ctx, scene, layer, k) {
    const points = slice(scene, layer.points);
    stamp(ctx, scene, slice(scene, layer.sprite)[k], points[2 * k], points[2 * k + 1]);
  },
  segment(ctx, scene, layer, k) {
    strokePath(ctx, slice(scene, layer.points).subarray(4 * k, 4 * k + 4), layer.strokes);
  },
  rules(ctx, scene, layer, k) {
    const feet = slice(scene, layer.feet);
    const [left, right] = slice(scene, layer.edges).subarray(2 * k, 2 * k + 2);
    const [x0, x1] = layer.tips;
    const [low, high] = layer.limits;
    const points = [];
    for (let i = 0; i + 1 < feet.length; i += 2) {
      const x = feet[i];
      const y = Math.min(high, Math.max(low, left + ((right - left) * (x - x0)) / (x1 - x0)));
      points.push(x, feet[i + 1], x, y, NaN, NaN);
    }
    strokePath(ctx, points, [{ color: layer.color, width: layer.width, cap: "butt", join: "round" }]);
  },
  arrow(ctx, scene, layer, k) {
    const [x0, y0, x1, y1] = slice(scene, layer.points).subarray(4 * k, 4 * k + 4);
    if ([x0, y0, x1, y1].some(Number.isNaN)) return;
    const length = Math.hypot(x1 - x0, y1 - y0);
    const [ux, uy] = [(x1 - x0) / length, (y1 - y0) / length];
    const [tx, ty] = [x0 + ux * layer.shrink[0], y0 + uy * layer.shrink[0]];
    const [hx, hy] = [x1 - ux * layer.shrink[1], y1 - uy * layer.shrink[1]];
    const [bx, by] = [hx - ux * layer.head_length, hy - uy * layer.head_length];
    const across = (w) => [-uy * w, ux * w];
    const [tw, hw] = [across(layer.tail_width / 2), across(layer.head_width / 2)];
    ctx.beginPath();
    ctx.moveTo(tx - tw[0], ty - tw[1]);
    ctx.lineTo(bx - tw[0], by - tw[1]);
    ctx.lineTo(bx - hw[0], by - hw[1]);
    ctx.lineTo(hx, hy);
    ctx.lineTo(bx + hw[0], by + hw[1]);
    ctx.lineTo(bx + tw[0], by + tw[1]);
    ctx.lineTo(tx + tw[0], ty + tw[1]);
    ctx.closePath();
    ctx.fillStyle = layer.fill;
    ctx.fill();
    ctx.strokeStyle = layer.edge;
    ctx.lineWidth = layer.edge_width;
    ctx.lineJoin = "round";
    ctx.setLineDash([]);
    ctx.stroke();
  },
};

function render({ model, el }) {
  const canvas = document.createElement("canvas");
  const status = document.createElement("div");
  const statusText = document.createElement("span");
  status.append(statusText);
  const fit = fitter(status, statusText);
  const failure = document.createElement("div");
  const ctx = canvas.getContext("2d");
  canvas.style.cssText = "display:block; max-width:100%; height:auto";
  canvas.setAttribute("role", "img");
  status.setAttribute("role", "status");
  status.className = "gdlab-status";
  failure.setAttribute("role", "alert");
  failure.className = "gdlab-failure";
  failure.style.cssText = ONE_LINE + "display:none; color:#000; background:#F0E442; font-weight:bold;"
    + " border-left:6px solid #D55E00; padding:2px 8px";
  el.classList.add("gdlab-explorer-view");
  el.append(failure, canvas, status);
  const resized = new ResizeObserver(() => fit()); // a sidebar opened or closed
  resized.observe(status);

  let scene = null; // what is drawn: background, sprites, numbers
  let loading = 0; // the latest scene asked for (older ones finish late: dropped)
  let shown = model.get("step"); // the step on the canvas
  let reported = shown; // the step the kernel was last told (or told us)
  let frame = 0; // requestAnimationFrame handle while playing
  let anchor = null; // {time, step} Play counts from
  let lastReport = 0;

  function last() {
    return scene ? scene.spec.steps - 1 : 0;
  }

  function show(k) {
    shown = Math.max(0, Math.min(k, last()));
    if (!scene) return;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(scene.background, 0, 0);
    if (scene.still) ctx.drawImage(scene.still, ...scene.spec.overlay_at);
    for (const layer of scene.spec.layers) {
      ctx.save();
      clipTo(ctx, layer.clip);
      DRAW[layer.kind](ctx, scene, layer, shown);
      ctx.restore();
    }
    // Predict, then reveal (widgets/predictions.py): before the last step, the
    // `question` stands for the words after "step k", and step 0 covers the panels.
    const hiding = model.get("predict") && !model.get("revealed") && shown < last();
    if (hiding && shown === 0) coverPanels(ctx, model.get("hidden_panels"));
    el.dataset.revealed = hiding ? "no" : "yes";
    const line = hiding ? [[`step ${shown} · ${model.get("question")}`, ""]] : scene.status(shown);
    status.title = writeStatus(statusText, line);
    fit();
    canvas.dataset.step = String(shown);
  }

  function report(extra = {}) {
    reported = shown;
    lastReport = performance.now();
    model.set({ step: shown, ...extra });
    model.save_changes();
  }

  function tick(now) {
    frame = 0;
    if (!model.get("playing") || !scene) return;
    const speed = Math.max(model.get("speed"), 0);
    const k = Math.min(last(), anchor.step + Math.floor(((now - anchor.time) / 1000) * speed));
    if (k !== shown) show(k);
    if (shown >= last()) {
      canvas.dataset.playing = "no";
      report({ playing: false }); // the end: the last step stays shown
      return;
    }
    // Every second step shown, and not more often than report_every seconds.
    const every = Math.max(model.get("report_every"), 2 / Math.max(speed, 1e-3));
    if (now - lastReport >= 1000 * every && shown !== reported) report();
    frame = requestAnimationFrame(tick);
  }

  // Play counts its steps from the step shown now (after a start, a jump or a new speed).
  function recount() {
    if (model.get("playing")) anchor = { time: performance.now(), step: shown };
  }

  function start() {
    canvas.dataset.playing = "yes";
    if (shown >= last()) show(0); // Play at the end starts over
    recount();
    status.setAttribute("aria-live", "off"); // no flood of announcements while playing
    if (!frame) frame = requestAnimationFrame(tick);
  }

  function onPlaying() {
    if (model.get("playing")) return start();
    cancelAnimationFrame(frame);
    frame = 0;
    canvas.dataset.playing = "no";
    status.setAttribute("aria-live", "polite");
    if (model.get("step") !== reported) onStep(); // paused and moved by the kernel (Reset): obey
    else if (shown !== reported) report(); // paused here: tell the kernel where
  }

  function onStep() {
    const asked = model.get("step");
    if (asked === reported) return; // the echo of our own report
    reported = asked;
    show(asked);
    recount();
  }

  async function onScene() {
    const ticket = ++loading;
    const next = await loadScene(model);
    if (ticket !== loading || !next) return;
    scene = next;
    canvas.width = scene.spec.width;
    canvas.height = scene.spec.height;
    canvas.style.width = `${scene.spec.width}px`;
    status.style.cssText = `${model.get("status_style")}; ${ONE_LINE} ${STATUS_BOX}`;
    canvas.setAttribute("aria-label", model.get("label"));
    canvas.dataset.version = String(scene.spec.version); // which scene is drawn (tests, bench)
    canvas.dataset.last = String(last());
    const k = model.get("playing") ? shown : model.get("step");
    reported = model.get("step");
    show(k);
    if (model.get("playing")) start();
  }

  function onError() {
    const text = model.get("error");
    failure.textContent = text ? `⚠ ${text}` : "";
    failure.title = text;
    failure.style.display = text ? "block" : "none";
    canvas.style.opacity = text ? "0.35" : "";
    canvas.dataset.stale = text ? "yes" : "no";
  }

  const handlers = [
    ["change:scene", onScene],
    ["change:error", onError],
    ["change:step", onStep],
    ["change:playing", onPlaying],
    ["change:speed", recount],
    ["change:predict change:revealed change:question change:hidden_panels", () => show(shown)],
  ];
  for (const [events, handler] of handlers) model.on(events, handler);
  onScene();
  onError();
  return () => {
    resized.disconnect();
    cancelAnimationFrame(frame);
    for (const [events, handler] of handlers) model.off(events, handler);
  };
}

export default { render };
