"""The descent explorer: watch gradient descent walk across a loss surface (lesson 05).

Every setting change computes the whole path once with :func:`gdlab.descend`
and sends the browser a still of the figure and its moving parts as numbers
(:class:`ExplorerView`), which Play runs at display rate; matplotlib draws
the frames asked for in Python (:meth:`frame_png`, the saved notebook's).
Sliders, Play, keys and presets: :class:`gdlab.widgets._explorer.Explorer`.
"""

from __future__ import annotations

import inspect
from inspect import Parameter

from ..descent import descend
from ..narration import describe_step, step_status, step_statuses
from ..plots.explorer_frame import ExplorerFrame
from ..rate_notes import rate_note, valley_warning
from ._explorer import SHORTCUTS, Explorer
from .race import RaceExplorer

__all__ = ["PRESETS", "SHORTCUTS", "DescentExplorer", "describe_step"]

# The presets of a bowl (what a line's MSE offers); presets_for (presets.py)
# works out which presets a surface gets, and what each must show.
PRESETS = ("too small", "good", "oscillates", "diverges", "far start")


class DescentExplorer(Explorer):
    """Sliders and Play that animate gradient descent on a loss surface.

    Parameters
    ----------
    x, y : array_like of shape (n,), optional
        Observations: the explorer walks the MSE of the line ŷ = m·x + b.
    surface : Surface, optional
        Instead of ``x, y``: any two-parameter surface (``gdlab.Saddle()``,
        ``gdlab.TwoValleys()``, ``gdlab.LinearMSE(x, y)``).
    learning_rate : float, optional
        η at the start; default the "good" preset's (half the critical rate
        on a line's MSE).
    start : (float, float), optional
        θ at step 0.  Default for a line's MSE: a line tilted against the
        data along their top edge, in view and clearly wrong; for other
        surfaces a point in the upper left of the window.
    steps : int, optional
        The most steps (1 to 2000); default 800.
    view : {"contour", "3d"}
        Panel 1 as contours or as a 3-D surface.
    classroom : bool, optional
        Large fonts, thick lines, high contrast; default the kernel's
        classroom mode (``gdlab.classroom()``).
    aspect : {"auto", "equal"}
        ``"equal"`` draws the loss surface to scale (a round bowl looks round).
    rules : sequence of update rules, optional
        Race these rules (:mod:`gdlab.rules`, or a learner's own) on one map,
        one run and one colour each, with one shared step
        (:class:`gdlab.widgets.race.RaceExplorer`).  Default: one run of
        plain gradient descent.
    predict : bool
        Predict first: hide each new run's outcome (the words of the status
        line, the loss curve, the path beyond step 0, the notes beside η) and
        show its preset's question until Play, End or the key V
        (:class:`gdlab.widgets.predictions.PredictFirst`).  Default False.
    feature : str
        The input's name on the data panel (default ``"x"``; ``"z"`` for
        standardised inputs): its axis and its title, ŷ = m·z + b.

    Attributes
    ----------
    learning_rate, start_m, start_b, steps : sliders
        The settings.  ``start_m`` and ``start_b`` set the first and second
        parameter whatever the surface calls them.
    step : IntSlider
        The step shown.  Set it in Python to show that step; while Play runs
        in the browser it follows the step shown (within two steps).
    play : widgets.Play
        Its Play / Pause state is linked to ``player.playing`` in the browser.
    player : ExplorerView
        The picture, drawn in the browser from numbers sent once per setting
        change (:meth:`frame_png`: matplotlib's frame of the current state).
    run : DescentRun
        The current path.

    Examples
    --------
    >>> import gdlab
    >>> obs = gdlab.make_observations(n=30, seed=0)
    >>> ex = DescentExplorer(obs.x, obs.y)
    >>> ex.step.value = 5
    >>> ex.status_text()[:7]
    'step 5 '
    """

    text_plain = "DescentExplorer: drag the sliders or press Play (needs a live kernel)"

    # Whether the note beside η speaks of full batches' 2/λ_max (a mini-batch run).
    _full_batch = False

    def __new__(cls, *args, rules=None, **options):
        if rules is None or cls is not DescentExplorer:
            return super().__new__(cls)
        # A race: the shared machinery with one run per rule.  It is made here
        # in full (Python calls __init__ only on an instance of cls).
        return RaceExplorer(*args, rules=rules, **options)

    # -- the frame and the run -------------------------------------------------------

    def _make_frame(self, *args, **options):
        """The frame this explorer draws in: one run's (a race draws one per rule)."""
        return ExplorerFrame(*args, **options)

    def _place_runs(self):
        self.frame.set_run(self.run)

    def critical_rate(self) -> float | None:
        """2/λ_max: exact on a quadratic surface, else at the start; None if λ_max ≤ 0."""
        return self._critical().value

    def _critical(self):
        return self.surface.critical_rate((self.start_m.value, self.start_b.value))

    def _run(self):
        """The path for the current settings."""
        return descend(
            self.surface,
            (self.start_m.value, self.start_b.value),
            learning_rate=self.learning_rate.value,
            steps=self.steps.value,
        )

    def _new_path(self):
        self.run = self._run()
        self._show_runs(self.run.steps_taken)
        self._update_labels()

    # -- the notes beside η ------------------------------------------------------------

    def _update_labels(self):
        """The critical rate beside η, its handle's colour, and the warnings above the picture."""
        start = (self.start_m.value, self.start_b.value)
        note = rate_note(
            self.surface, start, self.learning_rate.value, full_batch=self._full_batch
        )
        warnings = list(note.warnings)
        valley = valley_warning(self.surface)
        if valley:
            warnings.append(valley)
        self._show_notes(note, warnings)

    # -- the status line and the scene -------------------------------------------------

    def status_text(self, step: int | None = None) -> str:
        """The status line: step, parameters, loss and the state in words (in full)."""
        head, detail = self._status_parts(step)
        return f"{head} ({detail})" if detail else head

    def status_line(self, step: int | None = None) -> str:
        """The status as the picture shows it: one line, its explanation left to a tooltip."""
        return self._status_parts(step)[0]

    def _status_parts(self, step: int | None = None, said=None) -> tuple[str, str]:
        """The one-line status and the words it leaves to a tooltip (``said``: the step's words, if known)."""
        k = min(self.step.value if step is None else step, self.run.steps_taken)
        first, second = self.surface.parameter_names
        theta = self.run.params[k]
        words, detail = self._words(k) if said is None else said
        inside = all(
            low <= v <= high for v, (low, high) in zip(theta, self.frame.window)
        )
        where = "" if inside else " (off the map)"
        return (
            # "#.4g" keeps trailing zeros, as the start sliders' readouts do.
            f"{self._step_label(k)} · {first} = {theta[0]:#.4g} · "
            f"{second} = {theta[1]:#.4g} · L = {self.run.losses[k]:.4g}{where} · {words}"
        ), detail

    def _step_label(self, k: int) -> str:
        return f"step {k}"

    def _words(self, k: int) -> tuple[str, str]:
        """The state at step ``k`` in words: a headline and its explanation."""
        more = self.steps.value < self.steps.max
        return step_status(self.run, k, self.surface, can_add_steps=more)

    def _every_steps_words(self) -> list[tuple[str, str]]:
        """:meth:`_words` at every step of the run, at once."""
        more = self.steps.value < self.steps.max
        return step_statuses(self.run, self.surface, can_add_steps=more)

    def _send_scene(self, background, layer):
        # One line each; after a tab, the words the browser shows as its tooltip.
        said = self._every_steps_words()
        status = ["\t".join(self._status_parts(k, said[k])) for k in range(layer.steps)]
        self.player.show_scene(
            background,
            layer,
            status,
            step=self.step.value,
            style=self._status_style(),
            label="the loss surface with the path of θ, and the loss per step",
        )


# Help (Shift+Tab, help()) shows the explorer's parameters and rules, not
# __new__'s *args.
DescentExplorer.__signature__ = inspect.signature(Explorer.__init__).replace(
    parameters=[
        *list(inspect.signature(Explorer.__init__).parameters.values())[1:],
        Parameter("rules", Parameter.KEYWORD_ONLY, default=None),
    ]
)
