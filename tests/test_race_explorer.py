"""The descent explorer racing several update rules on one map (issue 21, item 2).

Each run's path must be gdlab.descend's for its rule (computed here
independently of the explorer); the colours differ; the status line names
every run and says its outcome at every step; a rule that fails or diverges
is reported, naming the rule and the step, while the other runs keep going.
"""

from __future__ import annotations

import html
import inspect
import re
import zlib

import numpy as np
import pytest

import gdlab
from gdlab.plots.explorer_frame import RACE_COLORS
from gdlab.rules import Adam, GradientDescent, Momentum, Nesterov, rule_name
from gdlab.widgets import DescentExplorer, describe_step
from gdlab.widgets.explorer_view import PER_PIXEL, _delta_fixed

from .learner_rules import BreaksAt, GoesNaN, HeavyBall

OBS = gdlab.make_observations(n=40, slope=-1.5, intercept=30.0, noise=2.0, seed=3)


def _rules():
    return [GradientDescent(), Momentum(0.9), Nesterov(0.5), Adam()]


class NoStart:
    name = "no start"

    def start(self, theta):
        raise RuntimeError("forgot to return a state")

    def step(self, theta, gradient, learning_rate, state):
        return theta, state


class WrongShape:
    name = "wrong shape"

    def start(self, theta):
        return None

    def step(self, theta, gradient, learning_rate, state):
        return np.append(theta, 1.0), state


SURFACES = [
    gdlab.LinearMSE(OBS.x, OBS.y),
    gdlab.Saddle(),
    gdlab.TwoValleys(),
    gdlab.TwoValleys(tilt=-0.5),
]


@pytest.mark.parametrize("surface", SURFACES, ids=repr)
def test_each_path_is_descends_path_for_its_rule(surface):
    ex = DescentExplorer(surface=surface, rules=_rules(), steps=300)
    assert isinstance(ex, DescentExplorer) and ex.rules is not None
    start = (ex.start_m.value, ex.start_b.value)
    for race, rule in zip(ex.races, _rules()):
        alone = gdlab.descend(
            surface, start, ex.learning_rate.value, 300, rule=type(rule)(*_args(rule))
        )
        assert race.run.status == alone.status
        np.testing.assert_allclose(race.run.params, alone.params, rtol=0, atol=1e-12)
        assert race.name == rule_name(rule)
    ex.close()


def _args(rule):
    return [rule.beta] if hasattr(rule, "beta") else []


def test_colours_are_distinct_okabe_ito_and_in_the_legend():
    ex = DescentExplorer(OBS.x, OBS.y, rules=_rules())
    colours = ex.colors
    assert len(set(colours)) == 4
    assert set(colours) <= set(gdlab.plots.COLORS.values())
    assert tuple(colours) == RACE_COLORS[:4]
    labels = [text.get_text() for text in ex.frame.figure.legends[0].get_texts()]
    for race in ex.races:
        assert race.name in labels
    # Each run's artists carry its colour: path on the map, loss curve.
    for i, colour in enumerate(ex.colors):
        assert ex.frame.paths[i].get_color() == colour
        assert ex.frame.loss_lines[i].get_color() == colour
    ex.close()


def test_status_names_each_run_and_its_outcome_at_every_step():
    surface = gdlab.LinearMSE(OBS.x, OBS.y)
    ex = DescentExplorer(OBS.x, OBS.y, rules=_rules(), steps=400)
    last = ex.step.max
    names = ex.status_names()
    assert names == ["gradient descent", "momentum", "Nesterov", "Adam"]
    for k in (0, 1, 7, 60, last):
        text = ex.status_text(k)
        assert text.startswith(f"step {k} · ")
        for name, race in zip(names, ex.races):
            assert f"{name}: " in text
            # The run's own words, which describe_step (the one narration) says first.
            j = min(k, race.run.steps_taken)
            words = describe_step(race.run, j, surface).split(":")[0].split(" (")[0]
            # The race's short form of "converged after k steps".
            words = re.sub(
                r"converged after (\d+) steps?", r"converged at step \1", words
            )
            assert f"{name}: {words}" in text
    for name, race in zip(names, ex.races):
        if race.run.status == "converged":
            end = f"converged at step {race.run.steps_taken}"
            assert f"{name}: {end}" in ex.status_text(last)
    ex.close()


def test_a_learners_rule_works_unchanged_and_beta_slider_rebuilds_it():
    ex = DescentExplorer(OBS.x, OBS.y, rules=[GradientDescent(), HeavyBall(0.5)])
    start = (ex.start_m.value, ex.start_b.value)
    alone = gdlab.descend(
        gdlab.LinearMSE(OBS.x, OBS.y),
        start,
        ex.learning_rate.value,
        ex.steps.value,
        rule=HeavyBall(0.5),
    )
    np.testing.assert_allclose(ex.races[1].run.params, alone.params, atol=1e-12)
    assert ex.beta is not None and ex.beta.value == 0.5
    ex.beta.value = 0.8
    assert ex.rules[1].beta == 0.8 and isinstance(ex.rules[1], HeavyBall)
    moved = gdlab.descend(
        gdlab.LinearMSE(OBS.x, OBS.y),
        start,
        ex.learning_rate.value,
        ex.steps.value,
        rule=HeavyBall(0.8),
    )
    np.testing.assert_allclose(ex.races[1].run.params, moved.params, atol=1e-12)
    ex.back_to_cell_settings()
    assert ex.beta.value == 0.5 and ex.rules[1].beta == 0.5
    ex.close()


def test_momentum_names_follow_the_beta_slider():
    ex = DescentExplorer(OBS.x, OBS.y, rules=[Momentum(0.9), Nesterov(0.9)])
    ex.beta.value = 0.5
    assert [race.name for race in ex.races] == [
        "momentum (β = 0.5)",
        "Nesterov (β = 0.5)",
    ]
    labels = [text.get_text() for text in ex.frame.figure.legends[0].get_texts()]
    assert "momentum (β = 0.5)" in labels
    assert "momentum: ready" in ex.status_text(0)
    ex.close()


def test_no_beta_slider_without_a_shared_beta():
    assert DescentExplorer(OBS.x, OBS.y, rules=[GradientDescent(), Adam()]).beta is None
    mixed = DescentExplorer(OBS.x, OBS.y, rules=[Momentum(0.5), Momentum(0.9)])
    assert mixed.beta is None
    # Two runs of one rule: the status keeps their full names apart.
    assert "momentum (β = 0.5): ready · momentum (β = 0.9): ready" in mixed.status_text(
        0
    )


@pytest.mark.parametrize(
    "broken, at, words",
    [
        (BreaksAt(5), 5, "raised ZeroDivisionError at step 5"),
        (BreaksAt(1), 1, "raised ZeroDivisionError at step 1"),
        (WrongShape(), 1, "returned shape (3,) at step 1"),
    ],
)
def test_a_failing_rule_is_reported_and_the_others_keep_going(broken, at, words):
    ex = DescentExplorer(OBS.x, OBS.y, rules=[GradientDescent(), broken])
    failed = ex.races[1]
    assert failed.failed_at == at and words in failed.error
    assert failed.run.steps_taken == max(at - 1, 0)
    # The warning quotes the error with the rule's name; the status says where.
    shown = html.unescape(ex.warning.value)
    assert repr(broken.name) in shown and words in shown
    assert f"{broken.name}: failed at step {at}" in ex.status_text(ex.step.max)
    assert ex.races[0].run.steps_taken > 10  # the other run went on
    ex.step.value = ex.step.max
    assert ex.frame_png()[:4] == b"\x89PNG"
    ex.close()


def test_a_rule_failing_in_start_shows_its_start_and_says_so():
    ex = DescentExplorer(OBS.x, OBS.y, rules=[Momentum(0.9), NoStart()])
    failed = ex.races[1]
    assert failed.failed_at == 0 and failed.run.steps_taken == 0
    assert "raised RuntimeError at start" in html.unescape(ex.warning.value)
    assert "no start: failed in start" in ex.status_text(0)
    assert "no start: failed in start" in ex.status_text(ex.step.max)
    ex.beta.value = 0.5  # the other run goes on with the slider
    assert ex.races[0].name == "momentum (β = 0.5)" and ex.races[1].error
    ex.close()


def test_a_rule_that_goes_nan_has_diverged():
    ex = DescentExplorer(OBS.x, OBS.y, rules=[GradientDescent(), GoesNaN()])
    race = ex.races[1]
    assert race.run.status == "diverged" and race.run.diverged_at == 5
    assert "goes NaN: diverged at step 5: θ is not finite" in ex.status_text(
        ex.step.max
    )
    ex.close()


def test_critical_rates_are_each_rules_own():
    ex = DescentExplorer(OBS.x, OBS.y, rules=_rules())
    plain = gdlab.LinearMSE(OBS.x, OBS.y).critical_rate().value
    rates = ex.critical_rates()
    assert rates["gradient descent"] == pytest.approx(plain)
    assert rates["momentum (β = 0.9)"] == pytest.approx(1.9 * plain)
    assert rates["Nesterov (β = 0.5)"] == pytest.approx(plain * 1.5 / 2.0)
    assert rates["Adam"] is None
    assert "Adam <b>none known</b>" in ex.critical_label.value
    # Between plain descent's bound and momentum's: only plain descent is warned of.
    ex.learning_rate.value = ex._on_grid(1.3 * plain)
    assert "critical value of gradient descent" in ex.warning.value
    assert "critical value of momentum" not in ex.warning.value
    assert ex.learning_rate.style.handle_color is not None
    ex.close()


def test_two_runs_of_one_rule_each_get_their_own_rate_and_warning():
    # Two rules of one name: the note lists each, and a warning names the rule
    # whose rate η is above (it once paired the rates with the wrong rules).
    ex = DescentExplorer(
        OBS.x, OBS.y, rules=[Momentum(0.5), Momentum(0.5), GradientDescent()]
    )
    plain = gdlab.LinearMSE(OBS.x, OBS.y).critical_rate().value
    ex.learning_rate.value = ex._on_grid(1.3 * plain)
    label = html.unescape(ex.critical_label.value)
    assert label.count("momentum (β = 0.5)") == 2 and "gradient descent" in label
    shown = html.unescape(ex.warning.value)
    assert "critical value of gradient descent, 2/λ_max" in shown
    assert "critical value of momentum" not in shown
    ex.close()


def test_the_scene_carries_every_step_and_its_status():
    ex = DescentExplorer(OBS.x, OBS.y, rules=_rules(), steps=300)
    player = ex.player
    lines = player.status_lines()
    assert len(lines) == player.scene["steps"] == ex.step.max + 1
    assert lines == [ex.status_text(k) for k in range(len(lines))]
    # The step, then each run after a swatch of its colour.
    assert player.status_colors == ["", *ex.colors]
    # Every run's numbers, as whole 16ths of a pixel, delta-coded and compressed.
    sent = np.frombuffer(zlib.decompress(player.data), "<i4")
    assert np.array_equal(sent, _delta_fixed(ex.frame.export_moving().data()))


def test_delta_fixed_round_trips():
    values = np.array([1.0, 2.0, np.nan, 5.25, -3.125, 1e12, 7.0, np.nan, 0.0])
    deltas = _delta_fixed(values).astype(np.int64)
    sums = np.zeros_like(deltas)
    for i, d in enumerate(deltas):
        total = (sums[i - 4] if i >= 4 else 0) + d
        sums[i] = (total + 2**31) % 2**32 - 2**31
    decoded = np.where(sums == 2**31 - 1, np.nan, sums / PER_PIXEL)
    finite = np.isfinite(values) & (np.abs(values) < 1e7)
    np.testing.assert_array_equal(decoded[finite], values[finite])
    assert np.isnan(decoded[~np.isfinite(values)]).all()


def test_status_rows_go_as_differences_and_come_back_whole():
    # show_scene sends each row of the table minus the row before (uint16,
    # wrapping): a part that goes back to an earlier one comes back right.
    ex = DescentExplorer(OBS.x, OBS.y, steps=30)
    layer = ex.frame.export_moving()
    parts = ["step {k}", "a\tits tooltip", "b", "c"]
    table = np.zeros((layer.steps, 2), dtype=int)
    table[:, 1] = [3 - k % 3 for k in range(layer.steps)]
    ex.player.show_scene(
        ex.background_pixels(), layer, parts, table, colors=["", "#000"], step=0
    )
    lines = ex.player.status_lines()
    assert lines[:4] == [
        "step 0 · c",
        "step 1 · b",
        "step 2 · a\tits tooltip",
        "step 3 · c",
    ]
    assert len(lines) == layer.steps
    with pytest.raises(ValueError, match="a column per colour"):
        ex.player.show_scene(
            ex.background_pixels(), layer, parts, table, step=0, colors=[""]
        )
    ex.close()


def test_the_default_explorer_is_unchanged_and_bad_rules_are_refused():
    plain = DescentExplorer(OBS.x, OBS.y)
    assert type(plain) is DescentExplorer
    # One run: no rules raced, no β slider, no rates by rule.
    assert plain.rules is None and plain.races == [] and plain.beta is None
    assert plain.critical_rates() == {} and plain.colors == ()
    plain.close()
    # Help shows the explorer's parameters, rules among them.
    shown = inspect.signature(DescentExplorer).parameters
    assert {"x", "y", "surface", "learning_rate", "rules"} <= set(shown)
    with pytest.raises(TypeError, match=r"rules\[1\] must be an update rule object"):
        DescentExplorer(OBS.x, OBS.y, rules=[GradientDescent(), Momentum])
    with pytest.raises(TypeError, match=r"rules\[0\] must have start"):
        DescentExplorer(OBS.x, OBS.y, rules=[object()])
    with pytest.raises(ValueError, match="1 to 8"):
        DescentExplorer(OBS.x, OBS.y, rules=[])
    with pytest.raises(ValueError, match="view must be one of"):
        DescentExplorer(OBS.x, OBS.y, rules=_rules(), view="map")


@pytest.mark.parametrize("classroom", [False, True])
def test_the_3d_view_moves_every_run_on_the_surface(classroom):
    surface = gdlab.TwoValleys()
    ex = DescentExplorer(
        surface=surface, rules=_rules(), view="3d", classroom=classroom, steps=200
    )
    ex.step.value = 9
    ex.frame_png()
    for i, race in enumerate(ex.races):
        x, y, z = ex.frame.nows[i].get_data_3d()
        k = min(9, race.run.steps_taken)
        np.testing.assert_allclose([x[0], y[0]], race.run.params[k])
        assert z[0] == pytest.approx(surface.loss(race.run.params[k]))
    layer = ex.frame.export_moving()
    assert layer.steps == ex.step.max + 1
    assert sum(spec["kind"] == "sprite" for spec in layer.layers) == 8  # θ now, L now
    ex.view_toggle.value = "contour"  # and back: the race keeps its runs
    assert ex.frame.view == "contour" and ex.status_text(9).startswith("step 9 · ")
    ex.close()
