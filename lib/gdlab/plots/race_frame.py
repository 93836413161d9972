"""A race of update rules on one map (lesson 10): the explorer's figure with one run per name.

:class:`RaceFrame` is :class:`gdlab.plots.ExplorerFrame` given ``names``: each
run drawn by the frame's one code path, in its colour of :data:`RACE_COLORS`
(Okabe–Ito), all moved by one shared step.
"""

from __future__ import annotations

from .explorer_frame import RACE_COLORS, ExplorerFrame

__all__ = ["RACE_COLORS", "RaceFrame"]


class RaceFrame(ExplorerFrame):
    """The explorer's figure racing several runs, one colour each: ``names`` is required.

    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> from gdlab.rules import GradientDescent, Momentum
    >>> surface = gdlab.Saddle()
    >>> runs = [gdlab.descend(surface, (-1.5, 0.3), 0.2, 40, rule=rule)
    ...         for rule in (GradientDescent(), Momentum(0.5))]
    >>> frame = RaceFrame(Figure(figsize=(12, 4)), surface, names=["GD", "momentum"])
    >>> frame.set_runs(runs)
    >>> frame.show(5)
    5
    >>> [line.get_color() for line in frame.paths] == list(RACE_COLORS[:2])
    True
    """

    def __init__(self, figure, surface, *, names, **options):
        super().__init__(figure, surface, names=names, **options)
