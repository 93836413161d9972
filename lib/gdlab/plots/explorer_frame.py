"""The descent explorer's figure: three linked panels, drawn once, updated in place.

:class:`ExplorerFrame` draws what does not move once: the map of the loss
(:mod:`gdlab.plots.map_panel`), the data or the parameters and the loss per
step (:mod:`gdlab.plots.side_panels`).  Over them it draws a list of runs,
each in its :class:`RunLook`: the explorer's one run (:data:`ONE_RUN`, with
the −∇L arrow, the residuals and the notes), or a race's runs, one colour of
:data:`RACE_COLORS` each (:func:`race_look`).  Each run declares every moving
artist once, as a record (:mod:`gdlab.plots.scene.records`) that both moves
it for matplotlib (:meth:`ExplorerFrame.show`: a still, a PNG) and writes its
layer for the browser (:meth:`ExplorerFrame.export_moving`), which the live
explorer (:class:`gdlab.widgets.DescentExplorer`, one run or a race) sends.
"""

from __future__ import annotations

from typing import NamedTuple

from matplotlib.legend_handler import HandlerPatch
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from ..surfaces import Surface
from .map_panel import DOT, MapPanel, current_mark_key, expand
from .scene import MovingLayer
from .side_panels import FLOOR, SidePanels
from .style import COLORS, style

__all__ = ["ONE_RUN", "RACE_COLORS", "VIEWS", "ExplorerFrame", "RunLook", "race_look"]

VIEWS = ("contour", "3d")

# Okabe–Ito, in the order a race's runs take them: hues far apart first (orange,
# sky blue, reddish purple, vermillion), all outlined in black on the cividis
# map; blue (the data's), green (the minimum's), yellow and black last.
_COLOR_ORDER = "path residual current line data minimum other gradient"
RACE_COLORS = tuple(COLORS[name] for name in _COLOR_ORDER.split())


class RunLook(NamedTuple):
    """How one run is drawn on the map and the panels, and keyed in the legend.

    The sizes default to the explorer's one run's (:data:`ONE_RUN`); a race's
    runs are thinner (:func:`race_look`).

    >>> ONE_RUN.label, ONE_RUN.path == RACE_COLORS[0]
    ('path of θ', True)
    """

    label: str  # its path's key in the legend
    path: str  # the colour of its path of θ and its dots
    now: dict  # θ now's mark: properties over plot_current_mark's own
    line: str  # the colour of its line ŷ
    parameters: tuple  # the colours of its parameters' lines (per step)
    loss: tuple  # the colours of its loss curve and its loss now
    width: float = 1.0  # its parameters' and loss curve's width, in line widths
    loss_now: float = 0.8  # its loss now's size, in marker sizes
    dot: float = DOT  # its key's dot, in marker sizes
    outlined: bool = False  # its key outlined in black, as its path on the map


# The explorer's one run: θ now (its own orange mark) and the loss now in
# orange, the line ŷ red, the parameters blue and red.
ONE_RUN = RunLook(
    label="path of θ",
    path=COLORS["path"],
    now={},
    line=COLORS["line"],
    parameters=(COLORS["data"], COLORS["line"]),
    loss=(COLORS["line"], COLORS["current"]),
)


def race_look(color, name) -> RunLook:
    """A race's run, called ``name``: all in ``color``, thinner, θ now edged in black.

    >>> race_look(RACE_COLORS[1], "Adam").loss == (RACE_COLORS[1],) * 2
    True
    """
    return RunLook(
        label=name,
        path=color,
        now={"color": color, "markeredgecolor": "black", "markeredgewidth": 1.5},
        line=color,
        parameters=(color, color),
        loss=(color, color),
        width=0.8,
        loss_now=0.7,
        dot=0.8,
        outlined=True,
    )


def _race_looks(names) -> list:
    """One look per run of a race, in the order of :data:`RACE_COLORS`."""
    names = [str(name) for name in names]
    if not 1 <= len(names) <= len(RACE_COLORS):
        raise ValueError(
            f"names must name 1 to {len(RACE_COLORS)} runs; got {len(names)}"
        )
    return [race_look(color, name) for color, name in zip(RACE_COLORS, names)]


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
    names : sequence of str, optional
        A race: one run per name (the legend's labels), at most
        ``len(RACE_COLORS)``, each in its colour (:func:`race_look`), all
        moved by one shared step (a run that stopped earlier keeps its last
        state).  Without: one run, in :data:`ONE_RUN`'s look.

    Attributes
    ----------
    surface_ax, middle_ax, loss_ax : Axes
        The three panels.
    looks : list of RunLook
        How each run is drawn.
    racing : bool
        Whether ``names`` were given: the one flag for what a race does
        otherwise than one run, beyond the runs' looks.  A race has no −∇L
        arrow, residuals or notes, and keys only its paths in the legend; its
        loss axis is fitted to the start (the same for every η), not to the
        run; its parameters are keyed by dash; its runs are sent compact.
    moving : list of Artist
        The artists :meth:`show` changes, in drawing order (one record of
        :mod:`gdlab.plots.scene.records` each).
    paths, dots, nows, fit_lines, parameter_lines, loss_lines, loss_points : list of Line2D
        Each run's (two parameter lines a run, without data; fit lines with
        data only; else empty).
    arrow, off_map, residuals, line_off_panel : Artist or None
        The one run's extras (None in a race, or where not drawn); the last
        says in words that the whole line ŷ is above or below the data panel.
    critical_points : list of CriticalPoint
        What the surface knows of its critical points (marked on panel 1).
    per_run_axes : list of Axes
        The panels against the step, whose limits follow the run; the map and
        the data never change.
    run : DescentRun
        The first run shown (:meth:`set_runs`).

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
    >>> frame.paths[0].get_xdata().size  # 10 segments, 3 rows each
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
        names=None,
    ):
        self.racing = names is not None
        self.looks = _race_looks(names) if self.racing else [ONE_RUN]
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
        self.parameter_names = surface.parameter_names
        self.has_data = surface.fits_a_line
        self.run, self.moving, self._records = None, [], []
        # What _build draws only where it applies: the one run's extras (not in
        # a race), the data panel's lines or the parameters panel's.
        self.arrow = self.off_map = self.residuals = self.line_off_panel = None
        self.fit_lines, self.parameter_lines = [], []
        # Sprites (markers and labels as matplotlib renders them) depend on the
        # figure only: rendered once, kept for every export.
        self._sprite_cache = {}
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
        # The panels against the step, whose axes follow each run (the map and
        # the data never change).
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
        """The legend's keys for what the runs draw: each path; one run's θ now, −∇L, ŷ, residuals."""
        keys = [self._path_key(look) for look in self.looks]
        if self.racing:
            return keys
        keys.append(current_mark_key(self._marker))
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

    # -- the runs --------------------------------------------------------------------

    def set_run(self, run):
        """One run: :meth:`set_runs` with a list of one."""
        self.set_runs([run])

    def set_runs(self, runs, last=None):
        """Take one :class:`~gdlab.descent.DescentRun` per look: declare what each step draws.

        ``last``, the animation's last step, defaults to the longest run's.
        Changes axis limits, so a blitting caller must redraw its background.
        """
        runs = list(runs)
        if len(runs) != len(self.looks):
            raise ValueError(
                f"runs must hold one run per name ({len(self.looks)}); got {len(runs)}"
            )
        self.run = runs[0]
        self._last = max([run.steps_taken for run in runs] + [last or 0])
        # A stochastic run is measured in epochs (its length is set in them).
        per_epoch = getattr(self.run, "updates_per_epoch", None)
        if per_epoch:
            self.count_in_epochs(per_epoch)
        self._fit_step_axes(self.run)
        self._records = self._map_records(runs) + self._panel_records(runs)

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
        layer = MovingLayer(self.figure, self._last + 1, cache=self._sprite_cache)
        for record in self._records:
            record.export(layer, self._last + 1)
        return layer
