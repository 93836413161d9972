"""Widget callbacks made safe: one drawing lock, and failures shown, never silent.

A control's callback that raises must not leave a frozen widget or a
traceback in the notebook: :meth:`Guarded.guarded` shows it as one plain line
until the next frame is drawn.
"""

from __future__ import annotations

import functools
import html
import logging
import threading

import ipywidgets as widgets

__all__ = ["DRAWING", "Guarded", "plain_failure"]

# Matplotlib's text machinery (mathtext's parser, FreeType's glyph cache) is
# not thread-safe, and a kernel may run widget callbacks on more than one
# thread (ipykernel 7 hands comm messages to subshell threads while the main
# thread runs a cell).  Every drawing a gdlab widget does holds this lock.
DRAWING = threading.RLock()
_LOG = logging.getLogger("gdlab.widgets")


class Guarded:
    """A base of :class:`~gdlab.widgets.LiveFigure`: callbacks that never fail silently.

    A subclass has ``image`` (the picture's widget, or None) and puts the
    widget :meth:`_new_failure_line` returns into its layout.
    """

    image = None
    failure = ""

    def _new_failure_line(self):
        """The (hidden) line a failure is shown in: put it in the layout once."""
        self._failure_line = widgets.HTML(layout=widgets.Layout(display="none"))
        self._failure_line.add_class("gdlab-failure")
        return self._failure_line

    def guarded(self, action):
        """``action`` made safe to call from a control: drawing-locked, and never silent.

        It runs holding :data:`DRAWING`.  An exception is logged (logger
        ``gdlab.widgets``) and shown as one plain line (:meth:`show_failure`)
        over the picture, left as it was and marked out of date.

        Examples
        --------
        >>> from gdlab.widgets import LiveFigure
        >>> live = LiveFigure()
        >>> box = live.present(live.image)
        >>> live.guarded(lambda: 1 / 0)()
        >>> live.failure
        'Could not draw this setting (ZeroDivisionError: division by zero). The picture shows the previous one; change a setting to try again.'
        """

        @functools.wraps(action)
        def run(*args, **kwargs):
            try:
                with DRAWING:
                    return action(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 (shown and logged, never swallowed)
                _LOG.exception("gdlab widget %s failed", type(self).__name__)
                self.show_failure(plain_failure(error))
                return None

        return run

    def show_failure(self, text: str):
        """Show ``text`` in the widget, below the picture, which is marked out of date."""
        self.failure = text
        line = getattr(self, "_failure_line", None)
        if line is not None:
            line.value = (
                "<div role='alert' style='color:#000; background:#F0E442; "
                "border-left:6px solid #D55E00; padding:2px 8px; font-weight:bold'>"
                f"⚠ {html.escape(text)}</div>"
            )
            line.layout.display = None
        if self.image is not None:
            self.image.layout.opacity = "0.35"

    def clear_failure(self):
        """Take a failure's line down again (after a frame was drawn and sent)."""
        if not self.failure:
            return
        self.failure = ""
        line = getattr(self, "_failure_line", None)
        if line is not None:
            line.value, line.layout.display = "", "none"
        if self.image is not None:
            self.image.layout.opacity = None


def plain_failure(error: BaseException) -> str:
    """One plain line saying that drawing failed, what failed, and what still works.

    Examples
    --------
    >>> plain_failure(RuntimeError("FT_Load_Glyph failed: invalid outline"))
    'Could not draw this setting (RuntimeError: FT_Load_Glyph failed: invalid outline). The picture shows the previous one; change a setting to try again.'
    """
    what = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if len(what) > 120:
        what = what[:117] + "…"
    name = type(error).__name__
    return (
        f"Could not draw this setting ({name}{': ' + what if what else ''}). "
        "The picture shows the previous one; change a setting to try again."
    )
