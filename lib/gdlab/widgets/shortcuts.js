// shortcuts.js: keyboard shortcuts for one gdlab widget (anywidget ES module).
//
// The widget is hidden; on render it finds the gdlab widget it sits in (the
// nearest `.gdlab-widget`), makes that box focusable (a click anywhere on it
// gives it the keyboard) and tells JupyterLab to leave the keys pressed inside
// it alone (`data-lm-suppress-shortcuts`: JupyterLab's notebook would
// otherwise read "b" as "insert a cell below").  A key listed in `bindings`
// (key name → action) is then sent to the kernel as {action}; the kernel does
// the rest.  Keys a control needs stay with it: typing in a text box, Space
// or Enter on a focused button, arrows and Home/End on a slider's handle.
//
// Traitlets read: bindings.  Messages sent: {action: "<name>"}.

const OWN_KEYS = {
  button: new Set(["Space", "Enter"]),
  slider: new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"]),
};

function keyName(event) {
  if (event.key === " ") return "Space";
  return event.key.length === 1 ? event.key.toLowerCase() : event.key;
}

function belongsToControl(target, name) {
  if (!(target instanceof Element)) return false;
  if (target.closest("input, textarea, select, [contenteditable='true']")) return true;
  if (target.closest("button, [role='button']")) return OWN_KEYS.button.has(name);
  if (target.closest(".noUi-handle, [role='slider']")) return OWN_KEYS.slider.has(name);
  return false;
}

function render({ model, el }) {
  let box = null;
  const onKey = (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const name = keyName(event);
    const action = (model.get("bindings") || {})[name];
    if (!action || belongsToControl(event.target, name)) return;
    event.preventDefault();
    event.stopPropagation();
    model.send({ action });
  };
  // The box exists once the widget is attached to the page.
  const attach = () => {
    box = el.closest(".gdlab-widget");
    if (!box) return false;
    if (!box.hasAttribute("tabindex")) box.tabIndex = 0;
    box.setAttribute("data-lm-suppress-shortcuts", "true");
    box.addEventListener("keydown", onKey);
    return true;
  };
  // Not attached yet: try again every 100 ms until it is.
  const timer = attach() ? null : setInterval(() => attach() && clearInterval(timer), 100);
  return () => {
    clearInterval(timer);
    if (box) box.removeEventListener("keydown", onKey);
  };
}

export default { render };
