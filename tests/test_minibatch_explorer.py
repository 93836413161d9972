"""The mini-batch explorer of lesson 09, driven without a browser."""

from __future__ import annotations

import numpy as np
import pytest

import gdlab
from gdlab.plots.explorer_frame import ExplorerFrame
from gdlab.widgets import DescentExplorer, ExplorerView, MiniBatchExplorer

from .learner_rules import HeavyBall


def _shown_status(player) -> list[str]:
    """The status line of every step as the browser puts it together."""
    return player.status_lines()


@pytest.fixture
def data():
    obs = gdlab.make_observations(n=32, slope=2.0, intercept=1.0, noise=1.0, seed=2)
    z, _ = gdlab.standardize(obs.x)
    return np.column_stack([z, np.ones_like(z)]), obs.y


@pytest.fixture
def explorer(data):
    X, y = data
    widget = MiniBatchExplorer(X, y, start=(0.0, 0.0), batch_size=8, epochs=3)
    yield widget
    widget.close()


def test_the_path_is_the_library_run_and_starts_shown_in_full(explorer, data):
    X, y = data
    expected = gdlab.minibatch_descent(X, y, (0.0, 0.0), 0.1, 8, 3, seed=0)
    np.testing.assert_array_equal(explorer.run.params, expected.params)
    assert explorer.step.value == explorer.step.max == 12


def test_batch_size_control_changes_the_number_of_updates_and_the_frame(explorer):
    before = explorer.frame_png()
    explorer.batch_size.value = 1
    assert explorer.step.max == 96 and explorer.run.batch_size == 1
    assert explorer.frame_png() != before


def test_moving_the_step_slider_moves_the_marker(explorer):
    explorer.step.value = 4
    assert explorer.player.step == 4  # the browser draws it
    explorer.frame_png()  # matplotlib's frame, drawn when asked for
    xs, ys = explorer.frame.nows[0].get_data()
    np.testing.assert_allclose([xs[0], ys[0]], explorer.run.params[4])
    assert explorer.status_text().startswith("step 4 · epoch 1.00 · ")


def test_a_too_large_rate_says_diverged_without_warnings(explorer):
    explorer.learning_rate.value = 3.0
    assert explorer.run.status == "diverged" and "diverged" in explorer.status_text()
    # what the browser shows at the last step
    assert "diverged at step" in _shown_status(explorer.player)[-1]
    assert explorer.frame_png()[:4] == b"\x89PNG"


def test_mimebundle_has_a_static_png_and_short_text(explorer):
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] and bundle["text/plain"].startswith("MiniBatchExplorer")


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 33}, ValueError, "batch_size must be from 1 to n = 32"),
        ({"batch_size": 4.0}, TypeError, "batch_size must be a whole number"),
        ({"batch_size": True}, TypeError, "batch_size"),
        ({"epochs": 99}, ValueError, "epochs"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"epochs": 2.5}, TypeError, "epochs"),
        ({"seed": -1}, ValueError, "seed"),
        ({"steps": 10}, TypeError, "steps"),
        ({"start": (1e6, 0.0)}, ValueError, "window"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate"),
    ],
)
def test_bad_input_is_named(data, kwargs, error, word):
    X, y = data
    options = {"start": (0.0, 0.0)} | kwargs
    with pytest.raises(error, match=word):
        MiniBatchExplorer(X, y, **options)


def test_needs_two_columns(data):
    X, y = data
    with pytest.raises(ValueError, match="x must have exactly two columns"):
        MiniBatchExplorer(np.column_stack([X, X[:, :1] ** 2]), y, start=(0.0, 0.0, 0.0))


def test_step_reset_speed_and_classroom(explorer):
    explorer.reset()
    assert explorer.step.value == 0 and not explorer.play.playing
    explorer.advance()
    assert explorer.step.value == 1
    last = len(explorer.run.params) - 1
    for speed in ("slow", "medium", "fast", "fastest"):
        explorer.speed.value = speed
        ticks = range(0, explorer.play.max + 1, explorer.play.step)
        assert ticks[-1] >= last  # Play's last tick reaches the last update
    before = explorer.frame_png()
    explorer.classroom_toggle.value = True
    assert explorer.classroom and explorer.frame_png() != before
    explorer.step.value = 3  # still working after the rebuild
    explorer.frame_png()  # matplotlib's frame, drawn when asked for
    xs, ys = explorer.frame.nows[0].get_data()
    np.testing.assert_allclose([xs[0], ys[0]], explorer.run.params[3])


def test_a_diverging_point_is_marked_off_the_map(explorer):
    explorer.learning_rate.value = 3.0
    assert explorer.run.status == "diverged"
    explorer.step.value = explorer.step.max
    final = explorer.run.params[-1]
    (m0, m1), (b0, b1) = explorer.frame.window  # the map's
    outside = not (m0 <= final[0] <= m1 and b0 <= final[1] <= b1)
    assert outside  # η = 3 throws θ far off the map before it is stopped
    explorer.frame_png()  # matplotlib's frame, drawn when asked for
    assert explorer.frame.off_map.get_visible()
    xs, ys = explorer.frame.nows[0].get_data()
    assert m0 <= xs[0] <= m1 and b0 <= ys[0] <= b1  # the marker stays on the map
    assert explorer.frame.nows[0].get_marker() == ("D" if outside else "o")
    assert "(off the map)" in explorer.status_text()


def test_path_keeps_its_outline_and_few_dots(data):
    X, y = data
    widget = MiniBatchExplorer(X, y, start=(0.0, 0.0), batch_size=1, epochs=30)
    assert widget.step.value == 960
    widget.frame_png()  # matplotlib's frame of the whole path
    assert widget.frame.paths[0].get_path_effects()  # the black outline
    assert 0 < len(widget.frame.dots[0].get_xdata()) <= 61
    widget.close()


# -- one explorer: the descent explorer's frame, player and scene -----------------


def test_it_is_the_descent_explorer_with_its_frame_player_and_scene(data):
    X, y = data
    z = X[:, 0]
    same = {"feature": "z", "start": (0.0, 0.0), "learning_rate": 0.1}
    batches = MiniBatchExplorer(z, y, batch_size=32, **same)
    plain = DescentExplorer(z, y, steps=5, **same)
    plain.step.value = 5  # as the mini-batch explorer shows a new path: in full
    assert isinstance(batches, DescentExplorer)
    assert type(batches.frame) is type(plain.frame) is ExplorerFrame
    assert isinstance(batches.player, ExplorerView)
    assert isinstance(plain.player, ExplorerView)
    # One player, one scene export: the same code, not a copy.
    for name in ("_show_scene", "_send_scene", "_new_frame", "reset", "press"):
        assert getattr(MiniBatchExplorer, name) is getattr(DescentExplorer, name), name
    # Full batches (B = n) for 5 epochs are 5 steps of plain descent, drawn alike.
    np.testing.assert_allclose(batches.run.params, plain.run.params, atol=1e-12)
    kinds = [
        [spec["kind"] for spec in ex.player.scene["layers"]] for ex in (batches, plain)
    ]
    assert kinds[0] == kinds[1] and "polyline" in kinds[0]
    assert batches.player.label == plain.player.label
    assert len(_shown_status(batches.player)) == len(_shown_status(plain.player)) == 6
    assert batches.frame.has_data  # a line's data: the data panel with ŷ = m·z + b
    batches.close()
    plain.close()


def _heavy_ball_by_hand(X, y, start, rate, B, epochs, seed, beta):
    """Reshuffled batches and a heavy ball, in plain numpy (not gdlab's engine)."""
    rng, theta = np.random.default_rng(seed), np.array(start, dtype=float)
    velocity, path = np.zeros(2), [theta]
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for first in range(0, len(y), B):
            rows = order[first : first + B]
            grad = 2 / len(rows) * X[rows].T @ (X[rows] @ theta - y[rows])
            velocity = beta * velocity - rate * grad
            theta = theta + velocity
            path.append(theta)
    return np.array(path)


def test_a_rule_written_in_a_notebook_works_in_it(data):
    X, y = data
    ex = MiniBatchExplorer(
        X, y, start=(0.0, 0.0), batch_size=8, epochs=3, rule=HeavyBall(0.5)
    )
    by_hand = _heavy_ball_by_hand(X, y, (0.0, 0.0), 0.1, 8, 3, 0, 0.5)
    np.testing.assert_allclose(ex.run.params, by_hand, rtol=0, atol=1e-12)
    ex.batch_size.value = 5  # the last batch of each epoch is smaller (32 = 6·5 + 2)
    by_hand = _heavy_ball_by_hand(X, y, (0.0, 0.0), 0.1, 5, 3, 0, 0.5)
    np.testing.assert_allclose(ex.run.params, by_hand, rtol=0, atol=1e-12)
    assert ex.step.max == 21 and ex.frame.run is ex.run
    ex.close()


class _Breaks(HeavyBall):
    name = "my rule"

    def step(self, theta, gradient, learning_rate, state):
        if learning_rate > 0.5:
            raise ZeroDivisionError("oops")
        return super().step(theta, gradient, learning_rate, state)


def test_a_failing_rule_is_named_with_its_step_and_the_explorer_keeps_working(data):
    X, y = data
    with pytest.raises(
        gdlab.RuleError, match=r"'my rule' raised ZeroDivisionError at step 1"
    ):
        MiniBatchExplorer(X, y, start=(0.0, 0.0), learning_rate=0.8, rule=_Breaks())
    ex = MiniBatchExplorer(X, y, start=(0.0, 0.0), learning_rate=0.1, rule=_Breaks())
    ex.learning_rate.value = 0.8  # the rule fails: said in the explorer, no traceback
    assert "my rule" in ex.failure and "step 1" in ex.failure
    assert ex.player.error == ex.failure
    ex.learning_rate.value = 0.2  # and it still works
    assert ex.failure == "" and ex.run.learning_rate == pytest.approx(0.2, rel=0.02)
    ex.close()


@pytest.mark.parametrize("batch_size", [1, 4, 32])
def test_the_status_is_true_of_a_stochastic_run_at_every_step(data, batch_size):
    X, y = data
    # η = 0.5 on full batches lands on the minimum of this round-ish bowl: even
    # then the run took the steps it was given, and says so, not "converged".
    ex = MiniBatchExplorer(
        X, y, start=(0.0, 0.0), learning_rate=0.5, batch_size=batch_size, epochs=2
    )
    run, last = ex.run, ex.run.steps_taken
    assert run.status == "max_steps" and last == 2 * -(-32 // batch_size)
    lines = [ex.status_text(k) for k in range(last + 1)]
    assert all("converg" not in line for line in lines)
    assert "ready" in lines[0] and f"stopped after 2 epochs ({last} steps" in lines[-1]
    for k in range(1, last):
        change = run.losses[k] - run.losses[k - 1]
        assert lines[k].startswith(
            f"step {k} · epoch {k / run.updates_per_epoch:.2f} · "
        )
        if abs(change) > 1e-12 * run.losses[k - 1]:
            assert ("loss rose" if change > 0 else "loss fell") in lines[k]
        else:
            assert "loss level" in lines[k]
    # The words the browser shows at each step are these.
    assert [s.split("\t")[0] for s in _shown_status(ex.player)] == [
        ex.status_line(k) for k in range(last + 1)
    ]
    ex.close()


def test_no_presets_and_the_notes_speak_of_full_batches(data):
    X, y = data
    ex = MiniBatchExplorer(X, y, start=(0.0, 0.0), batch_size=4, epochs=2)
    assert ex.presets == {} and ex.preset_buttons == {}
    with pytest.raises(ValueError, match="presets"):
        ex.apply_preset("good")
    critical = ex.surface.critical_learning_rate()
    assert (
        f"full-batch critical value 2/λ_max = <b>{critical:.3g}</b>"
        in ex.critical_label.value
    )
    ex.learning_rate.value = 1.2 * critical
    assert "full batches would diverge" in ex.warning.value
    assert "this run will diverge" not in ex.warning.value
    ex.batch_size.value, ex.epochs.value = 2, 4
    ex.back_to_cell_settings()  # B, epochs and η as the cell made them
    assert (ex.batch_size.value, ex.epochs.value, ex.step.max) == (4, 2, 16)
    assert ex.learning_rate.value == pytest.approx(0.1 * critical, rel=0.03)
    ex.close()


def _shown_ticks(ax) -> list[tuple[float, str]]:
    """The step axis's ticks inside its view, with their labels, as drawn."""
    ax.figure.canvas.draw()
    low, high = sorted(ax.get_xlim())
    return [
        (tick.get_loc(), tick.label1.get_text())
        for tick in ax.xaxis.get_major_ticks()
        if low <= tick.get_loc() <= high and tick.label1.get_visible()
    ]


@pytest.mark.parametrize("line", [False, True])
def test_the_loss_panel_counts_epochs_of_the_runs_own_length(data, line):
    """Ticks on whole epochs, labelled in epochs; the label says how many steps make one."""
    X, y = data
    x = X[:, 0] if line else X
    ex = MiniBatchExplorer(x, y, start=(0.0, 0.0), batch_size=8, epochs=3)
    for batch_size, epochs in [(8, 3), (5, 12), (32, 4), (3, 2)]:
        ex.batch_size.value, ex.epochs.value = batch_size, epochs
        per_epoch = -(-len(y) // batch_size)  # ceil(n / batch)
        axes = [ex.frame.loss_ax] + ([] if line else [ex.frame.middle_ax])
        for ax in axes:
            step_word = "1 step" if per_epoch == 1 else f"{per_epoch} steps"
            assert ax.get_xlabel() == f"epoch ({step_word} each)"
            ticks = _shown_ticks(ax)
            assert len(ticks) >= 2
            for place, label in ticks:
                assert place % per_epoch == 0 and float(label) == place / per_epoch
            # The last epoch is on the axis.
            assert max(ax.get_xlim()) >= epochs * per_epoch
    ex.close()


def test_the_same_number_of_steps_in_other_epochs_redraws_the_panels(data):
    X, y = data
    ex = MiniBatchExplorer(X, y, start=(0.0, 0.0), batch_size=8, epochs=6)  # 4 × 6
    before = ex.frame.panel_limits()
    with ex.quiet():
        ex.epochs.value = 3
    ex.batch_size.value = 4  # 8 steps an epoch × 3: 24 steps again
    assert ex.run.steps_taken == 24
    assert ex.frame.panel_limits() != before
    assert ex.frame.loss_ax.get_xlabel() == "epoch (8 steps each)"
    ex.close()
