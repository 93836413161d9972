"""The mini-batch explorer: the descent explorer with each step's gradient from a batch (lesson 09).

:class:`MiniBatchExplorer` walks a path of :func:`gdlab.minibatch_descent`
(one batch of B observations per step, reshuffled, seeded, every epoch).  It
adds only what a stochastic run needs: batch-size and epochs sliders in place
of the steps slider, the epoch in the status line, and true words: it never
says "converged" (it takes every step); between steps, whether the loss on all
the data rose or fell.  No presets: theirs are outcomes of full-batch descent.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_seed, as_step_count
from ..least_squares import FeatureMSE, LinearMSE
from ..narration import minibatch_status
from ..regression import minibatch_descent
from . import _controls
from .explorer import DescentExplorer

__all__ = ["MiniBatchExplorer"]

_MAX_EPOCHS = 30


class MiniBatchExplorer(DescentExplorer):
    """The descent explorer on a path of mini-batch gradient descent.

    Parameters
    ----------
    x : array_like of shape (n,) or (n, 2)
        The inputs of a line's data (the data panel shows the line
        ŷ = m·x + b), or a design matrix with two columns (e.g. ``[z, 1]``;
        the middle panel then shows both parameters against the step).
    y : array_like of shape (n,)
    batch_size : int
        B, from 1 (stochastic) to n (full batch); default 8.
    epochs : int
        Passes over the data, 1 to 30; default 5.  The run makes
        ``epochs · ceil(n / B)`` steps.
    seed : int or None
        Seed of the shuffling: the same settings give the same path (None:
        one seed drawn now, kept).
    rule : update rule, optional
        As for :func:`gdlab.descend`, a learner's own too; default plain
        gradient descent.
    parameter_names : (str, str)
        With a design matrix: the names of its two weights.
    learning_rate : float, optional
        Default a tenth of full batch's critical rate 2/λ_max.
    start, view, classroom, aspect, feature, predict
        As for :class:`DescentExplorer`.

    Attributes
    ----------
    batch_size, epochs : IntSlider
        Moving either computes a new path (as do η and the start).
    run : MiniBatchRun

    Examples
    --------
    >>> import numpy as np
    >>> z = np.linspace(-1.5, 1.5, 16)
    >>> X = np.column_stack([z, np.ones_like(z)])
    >>> ex = MiniBatchExplorer(X, 2 * z + 1, start=(-1.0, 3.0), batch_size=4, epochs=2)
    >>> ex.step.max, ex.status_text(4)[:22]
    (8, 'step 4 · epoch 1.00 · ')
    """

    text_plain = (
        "MiniBatchExplorer: change the batch size or press Play (needs a live kernel)"
    )
    _full_batch = True
    _default_fraction = 0.1

    def __init__(
        self,
        x,
        y,
        *,
        batch_size: int = 8,
        epochs: int = 5,
        seed: int | None = 0,
        rule=None,
        parameter_names=("m", "b"),
        learning_rate=None,
        start=None,
        view: str = "contour",
        classroom: bool | None = None,
        aspect: str = "auto",
        feature: str = "x",
        predict: bool = False,
    ):
        surface, self._design = _surface_and_design(x, y, parameter_names)
        n = surface.n
        batch_size = as_step_count(batch_size, "batch_size")
        if not 1 <= batch_size <= n:
            raise ValueError(f"batch_size must be from 1 to n = {n}; got {batch_size}")
        epochs = as_step_count(epochs, "epochs")
        if not 1 <= epochs <= _MAX_EPOCHS:
            raise ValueError(f"epochs must be from 1 to {_MAX_EPOCHS}; got {epochs}")
        seed = as_seed(seed)
        self.seed = (
            int(np.random.default_rng().integers(2**31)) if seed is None else seed
        )
        self.rule, self._asked = rule, (batch_size, epochs)
        super().__init__(
            surface=surface,
            learning_rate=learning_rate,
            start=start,
            view=view,
            classroom=classroom,
            aspect=aspect,
            feature=feature,
            predict=predict,
        )

    def _presets(self) -> list:
        return []  # a preset's outcome is full-batch descent's

    def _build_length(self, steps) -> list:
        """The batch size and the epochs, in place of the most steps."""
        batch_size, epochs = self._asked
        self.batch_size = _controls.IntSlider(
            value=batch_size, min=1, max=self.surface.n, description="batch size B"
        )
        self.epochs = _controls.IntSlider(
            value=epochs, min=1, max=_MAX_EPOCHS, description="epochs"
        )
        return [self.batch_size, self.epochs]

    def _size_controls(self):
        super()._size_controls()
        if self.classroom:
            # The start, B and the epochs in one row of a projector.
            for control, width, label in (
                (self.start_m, "250px", "85px"),
                (self.start_b, "250px", "85px"),
                (self.batch_size, "310px", "125px"),
                (self.epochs, "260px", "85px"),
            ):
                control.layout.width, control.style.description_width = width, label

    def _run(self):
        return minibatch_descent(
            self._design,
            self.surface.y,
            self._start(),
            self.learning_rate.value,
            self.batch_size.value,
            self.epochs.value,
            seed=self.seed,
            rule=self.rule,
        )

    def _new_path(self):
        super()._new_path()
        # The whole path at once (the saved notebook's still shows it); Play
        # starts over from step 0.
        with self.quiet():
            self.step.value = self.step.max

    def _step_label(self, k: int) -> str:
        return f"step {k} · epoch {k / self.run.updates_per_epoch:.2f}"

    def _every_steps_words(self) -> list[tuple[str, str]]:
        return [self._words(k) for k in range(self.run.steps_taken + 1)]

    def _words(self, k: int) -> tuple[str, str]:
        """True of a stochastic run at step ``k`` (:func:`gdlab.narration.minibatch_status`)."""
        return minibatch_status(
            self.run,
            k,
            self.surface.n,
            self.epochs.value,
            self.learning_rate.value,
        )


def _surface_and_design(x, y, parameter_names):
    """The surface a run walks and the design matrix its batches are drawn from."""
    if np.ndim(x) == 2:
        if np.shape(x)[1] != 2:
            raise ValueError(
                "x must have exactly two columns (or be one input per observation); "
                f"got {np.shape(x)[1]}"
            )
        surface = FeatureMSE(x, y, parameter_names=parameter_names)
        return surface, surface.X
    surface = LinearMSE(x, y)
    return surface, np.column_stack([surface.x, np.ones_like(surface.x)])
