"""Drawing for lessons 06–09: learning rates, polynomials, convexity, mini-batches.

Each function takes ``ax`` first and returns the artists it made; none sets
global matplotlib state.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_data_vector, as_finite_number, as_positive_number
from ..features import design_matrix
from .style import COLORS

__all__ = [
    "plot_parabola_descent",
    "plot_steps_vs_learning_rate",
    "plot_chord",
    "plot_minima_fraction",
    "plot_polynomial",
    "plot_train_test_loss",
    "plot_loss_per_epoch",
]


def plot_parabola_descent(ax, surface, run, *, label="path of θ", **kwargs):
    """A 1-D descent drawn on its curve L(θ): the curve, the visited points, the jumps.

    Parameters
    ----------
    ax : matplotlib Axes
    surface : Surface with one parameter, e.g. ``gdlab.Parabola``
    run : DescentRun
        From ``gdlab.descend(surface, ...)``.

    Returns
    -------
    (curve, path) : the two ``Line2D`` artists.  Introduced in lesson 06.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdlab import Parabola, descend
    >>> fig, ax = plt.subplots()
    >>> run = descend(Parabola(1.0), [1.5], learning_rate=0.5, steps=3)
    >>> curve, path = plot_parabola_descent(ax, Parabola(1.0), run)
    >>> path.get_xdata().tolist()
    [1.5, 0.75, 0.375, 0.1875]
    >>> plt.close(fig)
    """
    thetas = np.asarray(run.params, dtype=float)[:, 0]
    reach = max(float(np.max(np.abs(thetas))), 1e-12) * 1.15
    grid = np.linspace(-reach, reach, 300)
    curve_values = np.asarray(surface.loss(grid[:, None]), dtype=float)
    (curve,) = ax.plot(grid, curve_values, color=COLORS["data"], label="L(θ)")
    options = {
        "color": COLORS["path"],
        "marker": "o",
        "markersize": 5,
        "linewidth": 1.4,
        "zorder": 4,
        "label": label,
    }
    options.update(kwargs)
    (path,) = ax.plot(thetas, np.asarray(run.losses, dtype=float), **options)
    ax.scatter(
        [thetas[0]],
        [run.losses[0]],
        color=COLORS["current"],
        s=70,
        zorder=5,
        label="start",
    )
    ax.set_xlabel("θ")
    ax.set_ylabel("loss L(θ)")
    return curve, path


def plot_steps_vs_learning_rate(
    ax, sweep, bound=None, *, label="steps to converge", **kwargs
):
    """Steps to converge against η, with the stability bound marked.

    Converged runs are a line; runs that diverged are crosses and runs that
    ran out of steps are open circles.  Those have no step count, so they
    sit in a grey band along the top, above every count drawn (placed in
    axes units, not at any number of steps).

    Parameters
    ----------
    ax : matplotlib Axes
    sweep : LearningRateSweep
        From ``gdlab.learning_rate_sweep``.
    bound : float, optional
        The critical learning rate ``2/λ_max``, drawn as a dashed vertical line.

    Returns
    -------
    dict of str to artist.  Introduced in lesson 06.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdlab import Parabola, learning_rate_sweep
    >>> sweep = learning_rate_sweep(Parabola(1.0), [0.5, 1.0, 2.5], [1.0], max_steps=100)
    >>> fig, ax = plt.subplots()
    >>> sorted(plot_steps_vs_learning_rate(ax, sweep, bound=2.0))
    ['bound', 'converged', 'diverged', 'no count']
    >>> plt.close(fig)
    """
    rates = np.asarray(sweep.learning_rates, dtype=float)
    steps = np.asarray(sweep.steps, dtype=float)
    statuses = np.asarray(sweep.statuses)
    artists = {}
    ax.set_xscale("log")
    ax.set_yscale("log")
    ok = statuses == "converged"
    options = {"color": COLORS["line"], "marker": "o", "markersize": 4, "label": label}
    options.update(kwargs)
    if ok.any():
        (artists["converged"],) = ax.plot(rates[ok], steps[ok], **options)
    slow, bad = statuses == "max_steps", statuses == "diverged"
    if slow.any() or bad.any():
        artists.update(_no_count_band(ax, steps[ok]))
    # x in data units, y in axes units: inside the band, not at a step count.
    band = {"transform": ax.get_xaxis_transform(), "zorder": 5, "s": 40}
    if slow.any():
        artists["max_steps"] = ax.scatter(
            rates[slow],
            np.full(slow.sum(), 0.95),
            marker="o",
            facecolors="none",
            edgecolors=COLORS["data"],
            label="ran out of steps",
            **band,
        )
    if bad.any():
        artists["diverged"] = ax.scatter(
            rates[bad],
            np.full(bad.sum(), 0.95),
            marker="x",
            color=COLORS["gradient"],
            label="diverged",
            **band,
        )
    if bound is not None:
        bound = as_positive_number(bound, "bound")
        artists["bound"] = ax.axvline(
            bound,
            color=COLORS["minimum"],
            linestyle="--",
            linewidth=2,
            label=f"bound 2/λ_max = {bound:.3g}",
        )
    ax.set_xlabel("learning rate η")
    ax.set_ylabel("steps to converge")
    return artists


def _no_count_band(ax, counts):
    """A grey band over the top tenth of ``ax``, above the highest of ``counts`` (log y)."""
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FuncFormatter, NullFormatter

    counts = counts[np.isfinite(counts) & (counts > 0)]
    low, high = (counts.min() / 1.3, counts.max() * 1.3) if counts.size else (1.0, 10.0)
    # On a log axis, put ``high`` at 85 % of the height, below the band.
    top = low * (high / low) ** (1 / 0.85)
    ax.set_ylim(low, top)
    # No step counts are written beside the band: nothing in it is a count.
    cutoff = low * (top / low) ** 0.85  # and no label half inside it
    counts_only = ax.yaxis.get_major_formatter()
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, pos: "" if v >= cutoff else counts_only(v, pos))
    )
    ax.yaxis.set_minor_formatter(NullFormatter())
    patch = Rectangle(
        (0.0, 0.9),
        1.0,
        0.1,
        transform=ax.transAxes,
        facecolor="0.9",
        edgecolor="none",
        zorder=0,
        label="no step count",
    )
    ax.add_patch(patch)
    return {"no count": patch}


def plot_chord(ax, function, a, b, limits, *, label="f(θ)"):
    """A 1-D function with the chord between ``(a, f(a))`` and ``(b, f(b))``.

    The function is convex when every such chord lies on or above the
    graph; where the graph rises above the chord it is shaded.

    Parameters
    ----------
    ax : matplotlib Axes
    function : callable
        Takes a numpy array of θ values and returns ``f`` at each.
    a, b : float
        The chord's ends.
    limits : (float, float)
        The θ range drawn.

    Returns
    -------
    dict of str to artist (``"graph"``, ``"chord"``, ``"ends"``, and
    ``"above"`` when the graph rises above the chord).  Introduced in lesson 08.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> sorted(plot_chord(ax, lambda t: t ** 2, -1.0, 2.0, (-2.0, 2.5)))
    ['chord', 'ends', 'graph']
    >>> plt.close(fig)
    """
    a = as_finite_number(a, "a")
    b = as_finite_number(b, "b")
    low, high = (as_finite_number(v, "limits") for v in limits)
    grid = np.linspace(low, high, 400)
    values = np.asarray(function(grid), dtype=float)
    artists = {}
    (artists["graph"],) = ax.plot(grid, values, color=COLORS["data"], label=label)
    ends = np.array([a, b])
    end_values = np.asarray(function(ends), dtype=float)
    (artists["chord"],) = ax.plot(
        ends, end_values, color=COLORS["line"], linewidth=2.5, label="chord"
    )
    artists["ends"] = ax.scatter(ends, end_values, color=COLORS["line"], s=50, zorder=5)
    inside = np.linspace(min(a, b), max(a, b), 300)
    graph = np.asarray(function(inside), dtype=float)
    chord = np.interp(inside, np.sort(ends), end_values[np.argsort(ends)])
    above = graph > chord + 1e-12 * (1.0 + np.abs(chord))
    if above.any():
        artists["above"] = ax.fill_between(
            inside,
            chord,
            graph,
            where=above,
            color=COLORS["path"],
            alpha=0.5,
            label="graph above the chord",
        )
    ax.set_xlabel("θ")
    ax.set_ylabel(label)
    return artists


def plot_minima_fraction(ax, ks, simulated, trials, *, show_formula=True):
    """Fraction of random critical points that are minima, against k, on a log scale.

    Parameters
    ----------
    ax : matplotlib Axes
    ks : array_like of int
        The numbers of parameters.
    simulated : dict of str to array_like
        A label per model (e.g. ``"independent signs"``, ``"random symmetric (GOE)"``)
        and its fractions, one per k.
    trials : int
        The trials behind each fraction.  A fraction of 0 has no place on a
        log scale and no point is drawn for it: a note in the model's colour
        stands at that k along the bottom edge ("none in 20,000 trials").
    show_formula : bool
        Also draw the formula ``2^−k``.

    Returns
    -------
    list of artists.  Introduced in lesson 08.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> artists = plot_minima_fraction(ax, [1, 2, 3], {"coin flips": [0.5, 0.26, 0.0]}, 100)
    >>> len(artists), ax.get_yscale(), artists[-1].get_text()
    (3, 'log', 'none in\\n100\\ntrials')
    >>> plt.close(fig)
    """
    k_values = as_data_vector(ks, "ks")
    trials = as_positive_number(trials, "trials")
    artists = []
    if show_formula:
        fine = np.linspace(k_values.min(), k_values.max(), 100)
        (line,) = ax.plot(
            fine,
            2.0**-fine,
            color=COLORS["gradient"],
            linestyle="--",
            linewidth=1.5,
            label="2⁻ᵏ (the notes' assumption)",
        )
        artists.append(line)
    colours = [COLORS["data"], COLORS["line"], COLORS["minimum"], COLORS["current"]]
    markers = ["o", "s", "D", "^"]
    for index, (label, fractions) in enumerate(simulated.items()):
        values = as_data_vector(fractions, f"simulated[{label!r}]")
        if values.shape != k_values.shape:
            raise ValueError(f"simulated[{label!r}] must have one fraction per k")
        colour = colours[index % len(colours)]
        seen = values > 0
        (line,) = ax.plot(
            k_values[seen],
            values[seen],
            color=colour,
            marker=markers[index % len(markers)],
            label=label,
        )
        artists.append(line)
        for k in k_values[~seen]:
            artists.append(_none_seen_note(ax, k, int(trials), colour))
    ax.set_yscale("log")
    ax.set_xlabel("number of parameters k")
    ax.set_ylabel("fraction of critical points that are minima")
    return artists


def _none_seen_note(ax, k, trials, colour):
    """Text at ``k`` on the bottom edge: no point, since 0 is off a log scale."""
    # x in data units, y in axes units: the note is not at any loss value.
    return ax.text(
        k,
        0.03,
        f"none in\n{trials:,}\ntrials",
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="bottom",
        color=colour,
        fontsize="small",
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": colour},
    )


def plot_polynomial(ax, theta, x_limits, *, transform=None, label=None, **kwargs):
    """Draw ŷ = w_0 + w_1 u + w_2 u² + … across ``x_limits``.

    Parameters
    ----------
    theta : array_like
        The weights (w_0, w_1, …).
    x_limits : (float, float)
    transform : callable, optional
        Maps x to the u the weights were fitted on (e.g. ``how.apply`` from
        ``gdlab.standardize``); default u = x.

    Returns
    -------
    Line2D.  Introduced in lesson 07.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> line = plot_polynomial(ax, [1.0, 0.0, 1.0], (-1.0, 1.0))
    >>> float(line.get_ydata().max())
    2.0
    >>> plt.close(fig)
    """
    weights = as_data_vector(theta, "theta")
    low, high = (as_finite_number(v, "x_limits") for v in x_limits)
    grid = np.linspace(low, high, 300)
    inputs = grid if transform is None else transform(grid)
    values = design_matrix(inputs, weights.size - 1) @ weights
    options = {"color": COLORS["line"], "label": label or f"degree {weights.size - 1}"}
    options.update(kwargs)
    (line,) = ax.plot(grid, values, **options)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return line


def plot_train_test_loss(ax, degrees, train, held_out):
    """Training and held-out MSE against polynomial degree (log scale).

    Returns
    -------
    (train_line, held_out_line).  Introduced in lesson 07.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> lines = plot_train_test_loss(ax, [1, 2, 3], [3.0, 1.0, 0.5], [3.5, 1.2, 2.0])
    >>> [line.get_label() for line in lines]
    ['training MSE', 'held-out MSE']
    >>> plt.close(fig)
    """
    d = as_data_vector(degrees, "degrees")
    (train_line,) = ax.plot(
        d,
        as_data_vector(train, "train"),
        color=COLORS["data"],
        marker="o",
        label="training MSE",
    )
    (test_line,) = ax.plot(
        d,
        as_data_vector(held_out, "held_out"),
        color=COLORS["line"],
        marker="s",
        label="held-out MSE",
    )
    ax.set_yscale("log")
    ax.set_xlabel("polynomial degree")
    ax.set_ylabel("MSE")
    return train_line, test_line


def plot_loss_per_epoch(ax, run, *, label=None, **kwargs):
    """The loss on all the data against epochs (passes over the data), log scale.

    Parameters
    ----------
    run : MiniBatchRun
        From ``gdlab.minibatch_descent``; every update is drawn at its
        fractional epoch, so runs with different batch sizes share one axis.

    Returns
    -------
    Line2D.  Introduced in lesson 09.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdlab import minibatch_descent
    >>> run = minibatch_descent([[0.0, 1.0], [1.0, 1.0]], [1.0, 3.0], [0.0, 0.0], 0.1, 1, 2)
    >>> fig, ax = plt.subplots()
    >>> line = plot_loss_per_epoch(ax, run)
    >>> line.get_xdata().tolist(), line.get_label()
    ([0.0, 0.5, 1.0, 1.5, 2.0], 'batch size 1')
    >>> plt.close(fig)
    """
    options = {"label": label or f"batch size {run.batch_size}", "linewidth": 1.6}
    options.update(kwargs)
    (line,) = ax.plot(run.epochs, run.losses, **options)
    if np.all(np.asarray(run.losses) > 0):
        ax.set_yscale("log")
    ax.set_xlabel("epoch (passes over the data)")
    ax.set_ylabel("loss L on all the data")
    return line
