"""The descent explorer's figure: three linked panels, drawn once, updated in place.

:class:`ExplorerFrame` draws what does not move once: the map of the loss
(:mod:`gdlab.plots.map_panel`), the data or the parameters and the loss per
step (:mod:`gdlab.plots.side_panels`).  Each run declares every moving
artist once, as a record (:mod:`gdlab.plots.scene.records`) that both moves
it for matplotlib (:meth:`ExplorerFrame.show`: a still, a PNG) and writes its
layer for the browser (:meth:`ExplorerFrame.export_moving`), which the live
explorer (:class:`gdlab.widgets.DescentExplorer`) sends.
"""

from __future__ import annotations

import numpy as np
from matplotlib.legend_handler import HandlerPatch
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from ..surfaces import Surface
from .map_panel import MapPanel, current_mark_key, expand
from .scene import MovingLayer
from .side_panels import FLOOR, SidePanels
from .style import COLORS, style

__all__ = ["VIEWS", "ExplorerFrame"]

VIEWS = ("contour", "3d")


def _square(window):
    """The window widened about its centre to equal ranges."""
    half = max(high - low for low, high in window) / 2
    return tuple(
        ((low + high) / 2 - half, (low + high) / 2 + half) for low, high in window
    )


class ExplorerFrame(MapPanel, SidePanels):
    """The explorer's three-panel figure on a given ``figure``.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        An empty figure (object-oriented API; no pyplot needed).
    surface : Surface
        Any two-parameter surface, e.g. ``gdlab.LinearMSE(x, y)``.
    view : {"contour", "3d"}
        Panel 1 as filled contours or as a 3-D surface.
    classroom : bool
        Thicker lines and bigger markers for a projector (use it with a
        figure made under ``gdlab.plots.style(classroom=True)``).
    aspect : {"auto", "equal"}
        ``"equal"`` draws panel 1 to scale (the window widened to a square),
        so a round bowl looks round.
    feature : str
        For a line's MSE: the name of the input on the data panel's axis and
        in its title, ŷ = m·feature + b (``"z"`` for standardised inputs).

    Attributes
    ----------
    surface_ax, middle_ax, loss_ax : Axes
        The three panels.
    moving : list of Artist
        The artists :meth:`show` changes, in drawing order (one record of
        :mod:`gdlab.plots.scene.records` each).
    critical_points : list of CriticalPoint
        What the surface knows of its critical points (marked on panel 1).
    line_off_panel : Text
        For a line's MSE: says in words that the whole line ŷ is above or
        below the data panel (a far start, a divergence).
    per_run_axes : list of Axes
        The panels whose limits follow the run; the others never change.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> import gdlab
    >>> obs = gdlab.make_observations(n=20, seed=1)
    >>> surface = gdlab.LinearMSE(obs.x, obs.y)
    >>> frame = ExplorerFrame(Figure(figsize=(12, 4)), surface)
    >>> frame.set_run(gdlab.descend(surface, (0.0, 0.0), learning_rate=0.01, steps=50))
    >>> frame.show(10)
    10
    >>> frame.path_line.get_xdata().size  # 10 segments, 3 rows each
    30
    >>> from matplotlib.backends.backend_agg import FigureCanvasAgg
    >>> FigureCanvasAgg(frame.figure).draw()
    >>> layer = frame.export_moving()
    >>> layer.steps, [spec["kind"] for spec in layer.layers][:3]
    (51, ['polyline', 'markers', 'arrow'])
    """

    def __init__(
        self,
        figure,
        surface: Surface,
        *,
        view: str = "contour",
        classroom: bool = False,
        aspect: str = "auto",
        feature: str = "x",
    ):
        if not isinstance(feature, str) or not feature.strip():
            raise TypeError(f"feature must be a non-empty name; got {feature!r}")
        self.feature = feature
        if not isinstance(surface, Surface) or surface.n_parameters != 2:
            raise TypeError(
                f"surface must be a two-parameter gdlab Surface (e.g. LinearMSE(x, y)); got {surface!r}"
            )
        if view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}; got {view!r}")
        if aspect not in ("auto", "equal"):
            raise ValueError(f"aspect must be 'auto' or 'equal'; got {aspect!r}")
        self.figure, self.surface = figure, surface
        self.view, self.aspect, self.classroom = view, aspect, bool(classroom)
        try:
            # The map shows the surface's window widened by 8 % on each side.
            self.window = expand(surface.window(), 0.08)
        except NotImplementedError:
            raise TypeError(
                f"surface must define window(), the range to draw; {type(surface).__name__} does not"
            ) from None
        if aspect == "equal":
            self.window = _square(self.window)
        self.critical_points = surface.known_critical_points() or []
        self.names = surface.parameter_names
        self.has_data = surface.fits_a_line
        self.run, self.moving, self._records = None, [], []
        with style(classroom=self.classroom):
            self._build()

    # -- building ----------------------------------------------------------------

    def _build(self):
        fig = self.figure
        fig.set_layout_engine("constrained")
        # The map is the panel a class watches: in classroom mode, where the
        # figure is only as tall as a 720-pixel screen leaves, it gets more width.
        first_width = 1.35 if self.view == "3d" else 1.2
        grid = fig.add_gridspec(
            1, 3, width_ratios=[first_width * (1.4 if self.classroom else 1.0), 1, 1]
        )
        self._lw = 3.2 if self.classroom else 2.0
        self._marker = 14 if self.classroom else 10
        self.surface_ax = self._build_map(grid[0, 0])
        self.middle_ax = fig.add_subplot(grid[0, 1])
        if self.has_data:
            self._build_data(self.middle_ax)
        else:
            self._build_parameters(self.middle_ax)
        self.loss_ax = fig.add_subplot(grid[0, 2])
        self._build_loss_panel(self.loss_ax)
        # The panels whose axes follow each run (the rest never change).
        self.per_run_axes = (
            [self.loss_ax] if self.has_data else [self.middle_ax, self.loss_ax]
        )
        self._add_legend()

    def _add_legend(self):
        """One legend for the three panels, under them."""
        handles = self._critical_point_keys() + self._run_keys()
        if self.has_data:
            handles.append(Line2D([], [], label="lowest loss L*", **FLOOR))
        arrow_key = HandlerPatch(patch_func=self._draw_arrow_key)
        self.figure.legend(
            handles=handles,
            loc="outside lower center",
            # Classroom: two rows, so the larger keys fit a projected notebook's width.
            ncols=-(-len(handles) // 2) if self.classroom else len(handles),
            frameon=False,
            handler_map={FancyArrowPatch: arrow_key},
        )

    def _run_keys(self):
        """The legend's keys for what a run draws: its path, θ now, −∇L, ŷ and the residuals."""
        keys = [
            self._path_key(COLORS["path"], "path of θ"),
            current_mark_key(self._marker),
        ]
        if self.view == "contour":
            # The same white arrow as on the map (a proxy drawn by _draw_arrow_key).
            arrow = self._arrow_style(1)
            keys.append(
                FancyArrowPatch((0, 0), (1, 0), **arrow, label="−∇L (downhill)")
            )
        if self.has_data:
            line, residual = COLORS["line"], COLORS["residual"]
            keys += [
                Line2D([], [], color=line, linewidth=self._lw, label="line ŷ"),
                Line2D([], [], color=residual, linewidth=2, label="residuals"),
            ]
        return keys

    def _draw_arrow_key(
        self, legend, orig_handle, xdescent, ydescent, width, height, fontsize
    ):
        """The legend's picture of −∇L: the map's arrow, scaled to the legend's row."""
        style = self._arrow_style(fontsize * 0.9)
        middle = height / 2 - ydescent
        return FancyArrowPatch((-xdescent, middle), (width - xdescent, middle), **style)

    def freeze_text_positions(self):
        """Fix titles and axis labels where they are now (call after a first draw).

        Else matplotlib re-measures every tick label to place them on each
        draw: the main cost of panels redrawn on every new path.
        """
        for ax in (self.surface_ax, self.middle_ax, self.loss_ax):
            if self.view == "3d" and ax is self.surface_ax:
                continue
            ax.set_title(ax.get_title(), y=ax.title.get_position()[1])
            to_axes = ax.transAxes.inverted()
            for axis in (ax.xaxis, ax.yaxis):
                label = axis.label
                anchor = label.get_transform().transform(label.get_position())
                axis.set_label_coords(*to_axes.transform(anchor))

    # -- one run -------------------------------------------------------------------

    def set_run(self, run):
        """Take a new :class:`~gdlab.descent.DescentRun`: declare what each step draws.

        Changes axis limits, so a blitting caller must redraw its background.
        """
        self.run = run
        self._last = run.steps_taken
        # A stochastic run is measured in epochs (its length is set in them).
        per_epoch = getattr(run, "updates_per_epoch", None)
        if per_epoch:
            self.count_in_epochs(per_epoch)
        self._fit_step_axes(np.asarray(run.losses, dtype=float))
        self._records = self._map_records(run) + self._panel_records(run)

    def show(self, step: int) -> int:
        """Move every moving artist to ``step`` (clamped to the run); returns the step shown."""
        if self.run is None:
            raise RuntimeError("call set_run(run) before show(step)")
        k = int(min(max(step, 0), self._last))
        for record in self._records:
            record.show(k)
        return k

    # -- the moving layer as numbers -------------------------------------------

    def export_moving(self) -> MovingLayer:
        """Every moving artist at every step of the run, in pixels, for a browser to draw.

        The records :meth:`show` moves the artists by, through matplotlib's
        own transforms (3-D included).  Call it after the figure was drawn
        with the current run, so that every transform is final (example: the
        class's).
        """
        if self.run is None:
            raise RuntimeError("call set_run(run) before export_moving()")
        # Sprites (markers and labels as matplotlib renders them) depend on the
        # figure only: rendered once, kept with the frame.
        cache = self.__dict__.setdefault("_sprite_cache", {})
        layer = MovingLayer(self.figure, self._last + 1, cache=cache)
        for record in self._records:
            record.export(layer, self._last + 1)
        return layer
