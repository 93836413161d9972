"""Every number the prose of lessons 05–09, appendix A and the guide states about a claim.

Issue 19 asked that each claim carry its condition and that a test recompute
the numbers the prose gives for it.  Each test here builds the lesson's data
with the lesson's own cell (so a change of data is seen), recomputes the
numbers with numpy alone (closed forms, or its own loops; never the
library's descent engine), and checks that the text states them.  A change
to the data or to the code that falsifies a sentence fails here.

"Converged" in these recomputations is lesson 05's two-part definition,
written out here with numpy: the gap ``L − L* ≤ 10⁻⁶·(L₀ − L*)`` *and* every
parameter settled, ``|θ_k − θ*|ᵢ ≤ 10⁻³·|θ₀ − θ*|ᵢ + 10⁻⁶·wᵢ`` with ``wᵢ`` the
loss map's width in parameter i (the box around the level set that holds the
explorer's default start, :func:`_map_widths`).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import gdlab
from gdlab.widgets.presets import presets_for

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
GUIDE = ROOT / "docs" / "teaching.md"


# ---------------------------------------------------------------- helpers
def _book(stem: str):
    (path,) = NOTEBOOKS.glob(f"{stem}-*.ipynb")
    return nbformat.read(path, as_version=4)


def _outputs(stem: str) -> str:
    """All saved text output of a lesson's code cells, one string."""
    book = _book(stem)
    return "\n".join(
        "".join(o.get("text", ""))
        for c in book.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


def _prose(stem: str) -> str:
    """All markdown of a lesson, one string (LaTeX and all)."""
    return "\n".join(c.source for c in _book(stem).cells if c.cell_type == "markdown")


# The teacher's cells that tools/teacher.py writes into a lesson: a speaker note
# repeats its section's heading, so it is not a second cell making the claim.
TEACHER_MARKERS = ("<!-- gdlab-check:", "<!-- gdlab-notes:")


def _cell(stem: str, phrase: str) -> str:
    """The one markdown cell of a lesson that contains ``phrase`` (teacher's cells aside)."""
    hits = [
        c.source
        for c in _book(stem).cells
        if c.cell_type == "markdown"
        and phrase in c.source
        and not c.source.startswith(TEACHER_MARKERS)
    ]
    assert len(hits) == 1, f"{stem}: {len(hits)} cells say {phrase!r}"
    return hits[0]


def _says(text: str, *pieces: str):
    for piece in pieces:
        assert piece in text, f"the prose should say {piece!r}"


@functools.cache
def _lesson_data(stem: str, target: str):
    """Run a lesson's top-level ``target = …`` (with the cell's functions and the assignments before it)."""
    for cell in _book(stem).cells:
        if cell.cell_type != "code":
            continue
        body = ast.parse(cell.source).body
        names = [
            {n.id for n in ast.walk(node.targets[0]) if isinstance(n, ast.Name)}
            if isinstance(node, ast.Assign)
            else set()
            for node in body
        ]
        if any(target in found for found in names):
            last = next(k for k, found in enumerate(names) if target in found)
            keep = [
                node
                for node in body[: last + 1]
                if isinstance(node, (ast.Assign, ast.FunctionDef))
            ]
            scope = {"np": np, "gdlab": gdlab}
            exec(compile(ast.Module(keep, []), stem, "exec"), scope)
            return scope[target]
    raise AssertionError(f"{stem} has no cell assigning {target}")


def _quadratic(x, y):
    """(H, θ*, L*) of the MSE of ŷ = m·x + b, columns [x, 1], from numpy alone."""
    X = np.column_stack([x, np.ones_like(x)])
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    return 2 / len(x) * X.T @ X, best, float(np.mean((y - X @ best) ** 2))


def _offsets(H, best, start, rate, steps):
    """θ_k − θ* for k = 0..steps, exactly: (I − ηH)^k (θ₀ − θ*) along H's axes."""
    values, vectors = np.linalg.eigh(H)
    k = np.arange(steps + 1)[:, None]
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging rate overflows
        along = (vectors.T @ (np.asarray(start, float) - best)) * (
            1 - rate * values
        ) ** k
        return along @ vectors.T


def _map_widths(x, y, best):
    """The loss map's width in m and in b, from the level set that holds the default start.

    The map is the box around ``{θ : L − L* ≤ ℓ}``, half-widths ``√(2ℓ·(H⁻¹)ᵢᵢ)``,
    with ``ℓ`` 1.5 times a bound on the gap of a start off by ``|m*| + ¼·ptp(y)/ptp(x)``
    in slope and ``1.125·ptp(y)`` in height at x̄.  For ``H = 2·[[E x², x̄], [x̄, 1]]``,
    ``2·(H⁻¹)ᵢᵢ`` is ``1/var x`` for m and ``E x²/var x`` for b.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    slope_off = abs(best[0]) + 0.25 * np.ptp(y) / np.ptp(x)
    level = 1.5 * (slope_off**2 * x.var() + (1.125 * np.ptp(y)) ** 2)
    return 2 * np.sqrt(level * np.array([1.0, np.mean(x**2)]) / x.var())


def _steps_to_converge(x, y, start, rate, most=100_000, tolerance=1e-6):
    """First k at which the run has converged (gap and every parameter), or None within ``most``."""
    H, best, _ = _quadratic(x, y)
    e = _offsets(H, best, start, rate, most)
    root = np.sqrt(tolerance)  # 10⁻³ of the start's offset, 10⁻⁶ of the width
    allowed = root * (np.abs(e[0]) + root * _map_widths(x, y, best))
    with np.errstate(over="ignore", invalid="ignore"):
        gap = 0.5 * np.einsum("ki,ij,kj->k", e, H, e)
        settled = np.all(np.abs(e) <= allowed, axis=1)
        done = np.flatnonzero((gap <= tolerance * gap[0]) & settled)
    return int(done[0]) if done.size else None


# ------------------------------------------------------------------- 05
def _lesson05():
    obs = _lesson_data("05", "obs")
    return obs.x, obs.y


def test_05_the_valley_floor_rises_about_fourteen_times_less_than_its_walls():
    H, _, _ = _quadratic(*_lesson05())
    # The rise for a unit step from the bottom is ½ uᵀHu: from ½λ_min to ½λ_max.
    low, high = np.linalg.eigvalsh(H)
    assert round(high / low) == 14
    _says(_cell("05", "nearly flat floor"), "about fourteen times less")
    assert "curv" not in _cell("05", "nearly flat floor"), "curvature is 05b's word"


def test_05_larger_is_faster_only_up_to_a_point():
    x, y = _lesson05()
    H, _, _ = _quadratic(x, y)
    bound = 2 / np.linalg.eigvalsh(H)[-1]
    counts = {
        r: _steps_to_converge(x, y, (-1.0, -4.0), r)
        for r in (0.2, 0.3, 0.37, 0.39, 0.4, 0.41, 0.42)
    }
    assert counts == {
        0.2: 87,
        0.3: 57,
        0.37: 46,
        0.39: 46,
        0.4: 69,
        0.41: 134,
        0.42: 1346,
    }
    fine = np.arange(0.2, bound, 0.005)
    low, at = min((_steps_to_converge(x, y, (-1.0, -4.0), r), r) for r in fine)
    assert low == 44 and round(at, 2) == 0.38
    text = _cell("05", "a finer sweep puts the low")
    _says(text, "from 87 steps at η = 0.2", "46 at both 0.37 and 0.39")
    _says(text, "the low, 44 steps, near η = 0.38", "69 at 0.40")
    _says(text, "134 at 0.41", "1,346 at 0.42", f"about {bound:.4f}")
    _says(_prose("05"), "1,346 steps at 0.42 against 44 near 0.38")
    # Too small is slow: about ten times the steps of η = 0.2.
    slow = _steps_to_converge(x, y, (-1.0, -4.0), 0.02)
    assert (slow, round(slow / counts[0.2])) == (895, 10)
    _says(_cell("05", "Too small is slow"), "about ten times the steps of η = 0.2")
    # Near the bound the steep axis's factor 1 − ηλ_max is close to −1.
    assert abs(1 - 0.42 * np.linalg.eigvalsh(H)[-1]) > 0.99


def test_05_every_start_reaches_the_same_minimum_only_under_its_conditions():
    x, y = _lesson05()
    H, best, _ = _quadratic(x, y)
    bound = 2 / np.linalg.eigvalsh(H)[-1]
    starts = [(6.0, 6.0), (-1.0, -4.0), (5.0, -3.0), (-1.5, 6.0), (0.0, 0.0)]
    tight = [
        _steps_to_converge(x, y, s, 0.2, most=2000, tolerance=1e-12) for s in starts
    ]
    assert tight == [177, 186, 198, 198, 179], "the five runs of the lesson's cell"
    for start in starts:
        assert np.allclose(_offsets(H, best, start, 0.2, 2000)[-1], 0, atol=1e-6)
        # Above the bound no start reaches it, however close.
        assert np.linalg.norm(_offsets(H, best, start, 1.02 * bound, 500)[-1]) > 1
    # x all equal: no single bottom, and two starts end at two different fits.
    flat_x = np.full(10, 3.0)
    X = np.column_stack([flat_x, np.ones(10)])
    ends = []
    for start in ([0.0, 0.0], [2.0, -5.0]):
        theta = np.array(start)
        for _ in range(3000):
            theta = theta - 0.01 * 2 / 10 * X.T @ (X @ theta - 7.0)
        ends.append(theta)
    assert not np.allclose(ends[0], ends[1], atol=1e-3)
    assert np.allclose([X @ e for e in ends], 7.0)
    # Strictly convex exactly when the x are not all equal: H has no zero eigenvalue.
    assert np.linalg.eigvalsh(H)[0] > 0
    assert np.isclose(np.linalg.eigvalsh(2 / 10 * X.T @ X)[0], 0, atol=1e-12)
    _says(_prose("08"), "**strictly convex**", "as long as the $x_i$ are not all equal")
    box = _cell("05", "Common mistake [12]")
    _says(box, "not all equal", "below this data's bound", f"about {bound:.2f}")


def test_05_states_converged_once_with_both_parts():
    text = _prose("05")
    assert text.count("has **converged** when") == 1
    _says(text, "**the loss gap is small**", "**the parameters are at the minimum**")
    _says(text, "10^{-6}", "lesson 06")
    rule = _cell("05", "has **converged** when")
    _says(rule, "L(\\theta_k) - L^* \\le 10^{-6}\\,\\big(L(\\theta_0) - L^*\\big)")
    _says(rule, "|m_k - m^*| \\le 10^{-3}\\,|m_0 - m^*| + 10^{-6}\\,w_m")
    # The library's stated rule is the same one (its module docstring).
    _says(
        " ".join(gdlab.descent.__doc__.split()), "√tolerance (10⁻³)", "tolerance (10⁻⁶)"
    )


# ------------------------------------------------------------------- 06
def _lesson06():
    return _lesson_data("06", "obs"), _lesson_data("06", "wide")


def _sweep_best(x, y, start, rates):
    counts = [(_steps_to_converge(x, y, start, r, most=8000), r) for r in rates]
    return min((c, r) for c, r in counts if c is not None)


def test_06_eta_star_is_best_for_the_worst_start_and_the_fastest_depends_on_the_start():
    obs, _ = _lesson06()
    low, high = np.linalg.eigvalsh(_quadratic(obs.x, obs.y)[0])
    eta_star = 2 / (low + high)
    rates = np.concatenate([np.geomspace(0.01, 0.7, 30), np.linspace(0.71, 0.95, 13)])
    found = {
        s: _sweep_best(obs.x, obs.y, s, rates)
        for s in [(0.0, 0.0), (5.0, 5.0), (-3.0, 4.0)]
    }
    assert [round(r, 3) for _, r in found.values()] == [0.73, 0.73, 0.75]
    assert found[(0.0, 0.0)][0] == 67
    at_star = [_steps_to_converge(obs.x, obs.y, s, eta_star) for s in found]
    assert at_star == [70, 70, 69], "at η* every start takes about the same steps"
    slow, steep = np.abs(1 - 0.73 * np.array([low, high]))
    worst_star = max(abs(1 - eta_star * low), abs(1 - eta_star * high))
    assert worst_star < max(slow, steep), "η* has the smaller worst case"
    assert np.isclose(worst_star, (high / low - 1) / (high / low + 1))
    text = _cell("06", "every start takes about the same")
    _says(text, f"{eta_star:.3f}", "69 or 70 here", f"{worst_star:.3f} per step")
    _says(text, f"({steep:.3f} per step)", f"({slow:.3f}, a worse worst case)")
    _says(
        text, "From (5, 5) the sweep's fastest rate is 0.730 too", "(−3, 4) it is 0.750"
    )
    _says(_prose("06"), "0.730 from (0, 0) here, against $\\eta^* = 0.750$")
    alt = _cell("06", "*Figure: steps to converge against the learning rate")
    first = _steps_to_converge(obs.x, obs.y, (0.0, 0.0), 0.01)
    assert round(first, -3) == 5000
    _says(alt, "about 5,000 steps at η = 0.01", "a low of 67 near η = 0.73")
    _says(alt, f"2/λ_max ≈ {2 / high:.2f}", "line at 0.79")
    _says(GUIDE.read_text(), "0.730 beats 0.750 from (0, 0)")
    assert "The fastest rate is $2/(" not in _prose("06")


def _descend_by_hand(x, y, rate, steps, share):
    """θ after ``steps`` steps from (0, 0) on ``share`` × the MSE (1 for 1/n, ½ for 1/(2n))."""
    X = np.column_stack([x, np.ones_like(x)])
    theta = np.zeros(2)
    for _ in range(steps):
        theta = theta - rate * share * 2 / len(x) * X.T @ (X @ theta - y)
    return theta


def test_06_a_rate_from_a_one_over_2n_text_is_twice_as_large_under_one_over_n():
    obs, _ = _lesson06()
    H, best, _ = _quadratic(obs.x, obs.y)
    high = np.linalg.eigvalsh(H)[-1]
    rate = 1.5 * 2 / high  # 1.5 × the bound of the 1/n loss
    # The 1/(2n) loss has Hessian H/2, so its bound 4/λ_max is twice ours.
    assert np.isclose(2 / np.linalg.eigvalsh(H / 2)[-1], 2 * (2 / high))
    far_n = np.linalg.norm(_descend_by_hand(obs.x, obs.y, rate, 300, 1.0) - best)
    end_2n = _descend_by_hand(obs.x, obs.y, rate, 300, 0.5)
    far_2n = np.linalg.norm(end_2n - best)
    assert f"{far_n:.0e}" == "4e+90" and f"{far_2n:.0e}" == "8e-11"
    assert np.isclose(1 - rate * high, -2) and np.isclose(1 - rate * high / 2, -0.5)
    text = _cell("06", "**Common mistake (mixing conventions).**")
    _says(
        text,
        "$2/(\\lambda_{\\max}/2) = 4/\\lambda_{\\max}$",
        "effectively twice as large",
    )
    _says(text, "1.5 × the bound", "300 steps from (0, 0)")
    after = _cell("06", "every step doubles the overshoot")
    _says(
        after, "$1 - 1.5 \\times 2 = -2$", "about $4 \\cdot 10^{90}$ from the best fit"
    )
    _says(after, "0.75 × that loss's bound", "$1 - 0.75 \\times 2 = -0.5$")
    _says(after, "$8 \\cdot 10^{-11}$ away")
    assert np.isclose(rate, 0.75 * 4 / high)
    # The lesson's saved output says the same.
    _says(
        _outputs("06"), f"η = {rate:.3f}: after 300 steps {far_n:.1e} from the best fit"
    )
    _says(_outputs("06"), f"after 300 steps {far_2n:.1e} from the best fit")


def test_06_the_zigzag_comes_from_eta_above_one_over_lambda_max_not_from_kappa():
    _, wide = _lesson06()
    H, best, _ = _quadratic(wide.x, wide.y)
    values, vectors = np.linalg.eigh(H)
    found = []
    for share in (0.9, 0.45):
        e = _offsets(H, best, (0.0, 0.0), share * 2 / values[-1], 2000) @ vectors
        slow, steep = e[:, 0], e[:, 1]
        big = steep[np.abs(steep) > 1e-9 * abs(steep[0])]
        found.append((np.count_nonzero(np.diff(np.sign(big))), slow[-1] / slow[0]))
    (crossings, left_fast), (none, left_slow) = found
    assert crossings == 92 and none == 0
    text = _cell("06", "crossings")
    _says(
        text,
        f"{crossings} crossings",
        f"{left_fast:.0%} and {left_slow:.0%}".replace("%", " %"),
    )
    _says(
        _cell("06", "is the *condition number*"),
        "exactly when $\\eta > 1/\\lambda_{\\max}$",
    )
    assert "and gradient descent zigzags across the valley" not in _prose("06")


def _rule_stops(x, y, steps=20_000):
    """Where each practical rule stops at 0.9 × the bound from (0, 0): {rule: (k, distance)}."""
    H, best, lowest = _quadratic(x, y)
    e = _offsets(H, best, (0.0, 0.0), 0.9 * 2 / np.linalg.eigvalsh(H)[-1], steps)
    loss = lowest + 0.5 * np.einsum("ki,ij,kj->k", e, H, e)
    size = np.linalg.norm(e @ H, axis=1)
    hits = {
        "reference": loss - lowest <= 1e-6 * (loss[0] - lowest),
        "gradient": size <= 1e-3 * size[0],
        "change": np.r_[False, loss[:-1] - loss[1:] < 1e-6 * loss[1:]],
    }
    far = np.linalg.norm(e, axis=1)
    stops = {
        r: (int(np.argmax(h)), far[np.argmax(h)]) if h.any() else None
        for r, h in hits.items()
    }
    stops["budget"] = (1000, far[1000])
    return stops, far[0]


def test_06_practical_stopping_rules_and_what_each_gets_wrong():
    obs, wide = _lesson06()
    z = (wide.x - wide.x.mean()) / wide.x.std()
    unit, _ = _rule_stops(obs.x, obs.y)
    raw, raw_start = _rule_stops(wide.x, wide.y)
    scaled, scaled_start = _rule_stops(z, wide.y)
    text = _cell("06", "each rule fails in its own way")
    assert max(unit[r][1] for r in ("reference", "gradient", "change")) < 0.04
    _says(text, "within 0.04 of the minimum")
    k, far = raw["gradient"]
    _says(
        text,
        f"stops at step {k}, {far:.2f} from the minimum after starting {raw_start:.2f}",
    )
    k, far = raw["change"]
    _says(text, f"stops at step {k:,}, still {far:.2f} from the minimum")
    _says(text, f"stops at step 1,000, {raw['budget'][1]:.2f} from the minimum")
    assert raw["reference"] is None
    _says(text, "never met within 20,000 steps")
    late = [1000 - s["reference"][0] for s in (unit, scaled)]
    assert all(abs(d - 950) <= 30 for d in late), late
    _says(text, "some 950 steps later")
    k, far = scaled["gradient"]
    assert scaled["reference"][0] == k
    _says(text, f"with the reference at step {k}, {far:.2f} from the minimum")
    _says(
        text,
        f"(the start was {scaled_start:.2f} away)",
        f"rule at step {scaled['change'][0]}.",
    )
    guide = GUIDE.read_text()
    k, far = raw["gradient"]
    _says(
        guide,
        f"stops at step {k}, {far:.2f} from the minimum after starting {raw_start:.2f} away",
    )
    _says(_prose("06"), "**validation set**", "**a step budget**")


# ------------------------------------------------------------------- 07
def test_07_standardised_powers_are_far_smaller_but_not_near_one():
    x, _ = _lesson_data("07", "x"), None
    z = (x - x.mean()) / x.std()
    text = _cell("07", "Raw powers make a long, narrow bowl")
    assert round(x.max(), 1) == 5.4
    assert round(x.max() ** 5, -2) == 4500 and round(x.max() ** 6, -3) == 24000
    _says(text, "x reaches 5.4", "$x^5$ reaches about 4,500", "$x^6$ about 24,000")
    _says(text, f"between about {z.min():.1f} and {z.max():.1f}".replace("-", "−"))
    sixth = np.max(np.abs(z) ** 6)
    assert round(sixth) == 40 and sixth > 10, "powers of z are not near 1"
    _says(text, "$|z|^6$ still reaches 40")
    _says(_prose("07"), f"40 against {np.max(x**6):,.0f} for the sixth power")
    assert "keeps every power of z near 1" not in _prose("07")


def test_07_and_09_state_the_parameter_order_where_it_is_introduced():
    x, y = _lesson_data("07", "x"), _lesson_data("07", "y")
    # Degree 1 with columns [1, x] and (w0, w1) is the line with [x, 1] and (m, b).
    m, b = 0.5, 1.0
    by_power = np.column_stack([np.ones_like(x), x]) @ [b, m]
    by_line = np.column_stack([x, np.ones_like(x)]) @ [m, b]
    assert np.allclose(by_power, by_line) and np.mean((y - by_power) ** 2) > 0
    text = _cell("07", "**The order of the weights.**")
    _says(text, "$w_0 = b$ and $w_1 = m$", "$\\theta = (m, b)$ with columns $[x, 1]$")
    _says(text, "lesson 09, which fits a line again, goes back to $(m, b)$")
    _says(
        _cell("09", "## 1. The gradient of a batch"),
        "columns $[z, 1]$ so that $\\theta = (m, b)$",
    )


# ------------------------------------------------------------------- 08
def _saddle_path(rate, start, steps, up=1.0, down=1.0):
    """Descent on L = (up·θ₁² − down·θ₂²)/2, with numpy: the gradient is (up·θ₁, −down·θ₂)."""
    theta, path = np.array(start, float), [np.array(start, float)]
    with np.errstate(over="ignore", invalid="ignore"):  # an escaping θ₂ overflows
        for _ in range(steps):
            theta = theta - rate * np.array([up * theta[0], -down * theta[1]])
            path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("up", [1.0, 4.0])
def test_08_a_saddle_holds_descent_only_on_its_axis_and_below_two_over_the_curvature(
    up,
):
    for rate in (0.1 / up, 1.5 / up):
        on_axis = _saddle_path(rate, (1.5, 0.0), 300, up)
        assert abs(on_axis[-1, 0]) < 1e-6 and on_axis[-1, 1] == 0.0
        assert (np.diff(np.sign(on_axis[:6, 0])) != 0).all() == (rate * up > 1)
    assert abs(_saddle_path(2.5 / up, (1.5, 0.0), 100, up)[-1, 0]) > 1e6
    for rate in (0.01, 0.1 / up, 1.5 / up):  # any start off the axis escapes
        assert abs(_saddle_path(rate, (1.5, 1e-3), 3000, up)[-1, 1]) > 1
    text = _cell("08", "A saddle can also *hold* gradient descent")
    _says(
        text, "**exactly on the θ₁ axis**", "**below 2**", "2 divided by the curvature"
    )
    _says(text, "1 < η < 2", "for every η")
    _says(_cell("08", "With η = 1.5 θ₁ changes sign"), "η = 2.5", "diverges")
    rate = next(
        p for p in presets_for(gdlab.Saddle()) if p.name == "stalls at the saddle"
    )
    assert rate.learning_rate < 2 and rate.start[1] == 0.0
    _says(GUIDE.read_text(), f"({rate.learning_rate:g}) is below 2")


def test_08_the_two_valleys_colour_bar_is_a_true_log_scale():
    roots = np.sort(np.roots([4.0, 0.0, -4.0, 0.3]).real)  # TwoValleys(tilt=0.3)
    loss = (roots**2 - 1) ** 2 + 0.3 * roots
    floor = loss.min()
    grid = np.linspace(-2, 2, 121)
    t1, t2 = np.meshgrid(grid, np.linspace(-1.5, 1.5, 121))
    shifted = (t1**2 - 1) ** 2 + 0.3 * t1 + t2**2 / 2 - floor
    assert shifted.min() >= -1e-9, "heights above the deep floor are never negative"
    source = next(c.source for c in _book("08").cells if "heights - floor" in c.source)
    _says(source, '"L − L(deep minimum)"')
    _says(_prose("08"), "L − L(deep minimum), on a log scale")


def test_08_introduces_a_neuron_and_random_symmetric_matrices_before_using_them():
    text = _prose("08")
    assert text.index("A **neuron** is") < text.index("\\hat y = v\\,\\tanh(w\\,x)")
    _says(text, "*weighted sum*", "**squashing function**", "odd")
    assert np.allclose(
        np.tanh(-np.linspace(-3, 3, 13)), -np.tanh(np.linspace(-3, 3, 13))
    )
    assert text.index("Why random matrices?") < text.index(
        "Gaussian orthogonal ensemble"
    )
    # The k = 2 case the lesson quotes: P(both eigenvalues > 0) = (2 − √2)/4.
    rng = np.random.default_rng(0)
    G = rng.normal(size=(200_000, 2, 2))
    values = np.linalg.eigvalsh((G + G.transpose(0, 2, 1)) / 2)
    share = np.mean((values > 0).all(axis=1))
    assert abs(share - (2 - np.sqrt(2)) / 4) < 0.004
    _says(text, f"$(2 - \\sqrt2)/4 \\approx {(2 - np.sqrt(2)) / 4:.3f}$")


# ------------------------------------------------------------------- 09
def _lesson09():
    obs = _lesson_data("09", "obs")
    z = (obs.x - obs.x.mean()) / obs.x.std()
    X = np.column_stack([z, np.ones_like(z)])
    best = np.linalg.lstsq(X, obs.y, rcond=None)[0]
    return X, obs.y, best, float(np.mean((obs.y - X @ best) ** 2))


def _minibatch(X, y, start, rate, B, epochs, seed):
    """Reshuffled mini-batch descent in numpy: (loss after each update, steps above their batch's bound)."""
    rng, theta, losses, above = (
        np.random.default_rng(seed),
        np.array(start, float),
        [],
        0,
    )
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for first in range(0, len(y), B):
            Xb, yb = X[order[first : first + B]], y[order[first : first + B]]
            above += rate > 2 / np.linalg.eigvalsh(2 / len(yb) * Xb.T @ Xb)[-1]
            theta = theta - rate * 2 / len(yb) * Xb.T @ (Xb @ theta - yb)
            losses.append(np.mean((y - X @ theta) ** 2))
    return np.array(losses), int(above)


def test_09_the_explorers_epoch_is_n_over_b_steps():
    n = len(_lesson_data("09", "obs").y)
    text = _cell("09", "**Try it live.**")
    _says(text, f"with B = 8 an epoch is {n} / 8 = {-(-n // 8)} steps")


def test_09_the_jitter_grows_faster_than_eta():
    X, y, best, lowest = _lesson09()
    two = [
        _minibatch(X, y, (-4.0, 25.0), r, 1, 20, 3)[0][-64:].mean() - lowest
        for r in (0.1, 0.02)
    ]
    assert round(two[0] / two[1]) == 16
    _says(_outputs("09"), f"= {two[0]:.4f}", f"= {two[1]:.4f}")
    _says(_cell("09", "Five times smaller η"), "sixteen times smaller excess loss")
    rates = np.array([0.01, 0.02, 0.05, 0.1, 0.2])
    excess = [
        np.mean(
            [
                _minibatch(X, y, best, r, 1, 20, s)[0][-64:].mean() - lowest
                for s in range(5)
            ]
        )
        for r in rates
    ]
    slope = np.polyfit(np.log(rates), np.log(excess), 1)[0]
    assert round(slope, 1) == 1.5
    doublings = [excess[1] / excess[0], excess[3] / excess[2], excess[4] / excess[3]]
    assert all(2.5 < d < 3.5 for d in doublings), doublings
    text = _cell("09", "Each doubling of η multiplies")
    _says(
        text, "about three", "$\\eta^{1.5}$", "faster than η and slower than $\\eta^2$"
    )
    _says(
        GUIDE.read_text(),
        "Halve η: half the jitter?",
        "about a third of the excess loss",
    )
    _says(_prose("09"), "like $\\eta^{1.5}$ over the rates measured here")


def _stationary_excess(X, y, best, lowest, rate, replace, seeds=16, epochs=30):
    """Mean excess loss over the last epoch of SGD from the minimum, many seeds at once."""
    rng, n = np.random.default_rng(1), len(y)
    theta = np.tile(best, (seeds, 1))
    last = []
    for epoch in range(epochs):
        rows = (
            rng.integers(0, n, (seeds, n))
            if replace
            else rng.permuted(np.tile(np.arange(n), (seeds, 1)), axis=1)
        )
        for k in range(n):
            Xk, yk = X[rows[:, k]], y[rows[:, k]]
            theta = theta - rate * 2 * Xk * (np.sum(Xk * theta, axis=1) - yk)[:, None]
            if epoch == epochs - 1:
                last.append(np.mean((theta @ X.T - y) ** 2, axis=1))
    return float(np.mean(last) - lowest)


def test_09_reshuffling_makes_the_excess_grow_like_eta_squared_for_small_eta():
    X, y, best, lowest = _lesson09()
    small = np.array([0.0025, 0.005, 0.01])
    shuffled = [_stationary_excess(X, y, best, lowest, r, replace=False) for r in small]
    assert 1.75 < np.polyfit(np.log(small), np.log(shuffled), 1)[0] < 2.3
    wider = np.array([0.01, 0.02, 0.05])
    drawn = [_stationary_excess(X, y, best, lowest, r, replace=True) for r in wider]
    assert 0.75 < np.polyfit(np.log(wider), np.log(drawn), 1)[0] < 1.3
    _says(
        _cell("09", "Each doubling of η multiplies"),
        "for small η the excess grows like $\\eta^2$",
        "their excess grows like η",
    )


def test_09_each_batch_size_at_its_own_rate_full_batch_wins():
    X, y, _, lowest = _lesson09()
    grid = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
    best = {}
    for B in (64, 8, 1):
        ends = {
            r: _minibatch(X, y, (-4.0, 25.0), r, B, 5, 0)[0][-1] - lowest for r in grid
        }
        best[B] = min(ends.items(), key=lambda item: item[1])
    assert best[64][0] == 0.5 and best[64][1] < 5e-5
    H = 2 / len(y) * X.T @ X  # standardised columns [z, 1]: H = 2I, a round bowl
    assert np.allclose(H, 2 * np.eye(2)) and np.isclose(
        2 / np.linalg.eigvalsh(H)[-1], 1
    )
    assert (best[8][0], best[1][0]) == (0.1, 0.01)
    text = _cell("09", "Each at its own rate, full batch wins")
    _says(
        text,
        f"η = 0.1 ends {best[8][1]:.4f} above it",
        f"η = 0.01 ends {best[1][1]:.4f} above it",
    )
    _says(
        _cell("09", "One caution about this comparison"),
        "all three used η = 0.1",
        "handicaps full batch",
        "Its bound is $2/\\lambda_{\\max} = 1$",
    )


def test_09_a_bound_for_each_batch_is_neither_necessary_nor_sufficient():
    X, y, _, lowest = _lesson09()
    start = (-4.0, 25.0)
    row_bounds = 1 / (1 + X[:, 0] ** 2)  # 2/λ_max of 2·[[z², z], [z, 1]]
    assert np.allclose(
        row_bounds, [2 / np.linalg.eigvalsh(2 * np.outer(r, r))[-1] for r in X]
    )
    wild, above = _minibatch(X, y, start, 0.9, 16, 20, 0)
    assert above > len(wild) / 2 and wild.max() < np.mean((y - X @ start) ** 2)
    calm, none = _minibatch(X, y, start, 0.2, 1, 20, 0)
    assert none == 0 and row_bounds.min() > 0.2
    rises = np.count_nonzero(np.diff(calm[-65:]) > 0)
    text = _cell("09", "**Not necessary.**")
    _says(
        text, f"{above} of the {len(wild)} steps", f"never went above {wild.max():.1f}"
    )
    _says(
        text,
        f"below the start's {np.mean((y - X @ start) ** 2):.1f}",
        f"it is {wild[-4:].mean() - lowest:.2f} above",
    )
    _says(
        text,
        f"(the smallest is {row_bounds.min():.2f})",
        f"{calm[-64:].mean() - lowest:.2f} above the minimum",
    )
    _says(text, f"rose at {rises} of its 64 steps")
    _says(
        _prose("09"),
        f"from {row_bounds.min():.2f} to {row_bounds.max():.0f} here",
        "neither necessary nor sufficient",
    )


# -------------------------------------------------------------------- A
def test_A_sorts_the_fifteen_mistakes_with_4_and_8_as_conceptual():
    summary = _prose("A")[_prose("A").index("## Summary") :]
    summary = summary.split("<!-- gdlab-nav")[0]  # the generated links name lessons
    words = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}
    seen = []
    for bullet in summary.split("\n- ")[1:]:
        count = words[bullet.split()[0]]
        # Mistakes are bare numbers; lessons have two digits (04, 05), so no match.
        found = re.findall(r"(?<![\d.$])([1-9]|1[0-5])(?![\d.])", bullet)
        numbers = [int(n) for n in found]
        assert len(numbers) == count, bullet
        seen += numbers
    assert sorted(seen) == list(range(1, 16))
    notation = next(b for b in summary.split("\n- ") if "notation" in b.split("(")[0])
    assert "4" not in notation and "8" not in notation
    _says(
        _prose("A"),
        "below the stability bound $2/\\lambda_{\\max}$",
        "at least two different $x_i$",
    )


# ---------------------------------------------------------------- guide
def test_the_guide_describes_the_too_small_and_diverges_presets_truly():
    from gdlab.widgets import DescentExplorer

    x, y = _lesson05()
    H, best, lowest = _quadratic(x, y)
    explorer = DescentExplorer(x, y)
    found = {}
    for name in ("too small", "diverges"):
        explorer.apply_preset(name)
        rate, start = (
            explorer.learning_rate.value,
            (explorer.start_m.value, explorer.start_b.value),
        )
        e = _offsets(H, best, start, rate, explorer.steps.value)
        found[name] = (
            e,
            lowest + 0.5 * np.einsum("ki,ij,kj->k", e, H, e),
            explorer.run,
        )
    explorer.close()
    e, loss, _ = found["too small"]
    gone = 1 - (loss[-1] - lowest) / (loss[0] - lowest)
    covered = 1 - np.linalg.norm(e[-1]) / np.linalg.norm(e[0])
    assert round(gone, 2) in (0.44, 0.45, 0.46) and round(6 * covered) == 1
    text = GUIDE.read_text()
    _says(
        text,
        f"about {round(gone * 100 / 5) * 5} % of the\n  loss gap is gone",
        "only about a sixth of the distance",
    )
    _, loss, run = found["diverges"]
    until = run.steps_taken
    assert loss[1] < loss[0] and (np.diff(loss[1 : until + 1]) > 0).all()
    _says(
        text,
        "the loss falls at the first step, then grows at every step until it\n  diverges at step",
    )
    assert "hardly left" not in text and "the loss grows every step" not in text


def test_the_guide_says_the_good_preset_does_not_zigzag_because_eta_is_below_one_over_lambda_max():
    from gdlab.widgets import DescentExplorer

    x, y = _lesson05()
    H, best, _ = _quadratic(x, y)
    values, vectors = np.linalg.eigh(H)
    explorer = DescentExplorer(x, y)
    explorer.apply_preset("good")
    rate, start = (
        explorer.learning_rate.value,
        (explorer.start_m.value, explorer.start_b.value),
    )
    explorer.close()
    assert rate < 1 / values[-1]
    steep = (_offsets(H, best, start, rate, 200) @ vectors)[:, 1]
    above_rounding = steep[np.abs(steep) > 1e-12 * abs(steep[0])]
    assert (np.sign(above_rounding) == np.sign(steep[0])).all(), (
        "never crosses the floor"
    )
    _says(
        GUIDE.read_text(), "is just below 1/λ_max and no step crosses the valley floor"
    )


def test_the_guide_quotes_lesson_05s_larger_eta_numbers():
    x, y = _lesson05()
    counts = {r: _steps_to_converge(x, y, (-1.0, -4.0), r) for r in (0.38, 0.42)}
    assert counts == {0.38: 44, 0.42: 1346}
    _says(GUIDE.read_text(), "fastest near 0.38 (44 steps), 1,346 steps at 0.42")


def test_08_the_neurons_stars_sit_on_the_lowest_points_and_its_colour_bar_is_true():
    x = _lesson_data("08", "x")
    y = _lesson_data("08", "y")
    grid = np.linspace(-3, 3, 121)
    W, V = np.meshgrid(grid, grid)
    Z = np.mean((V[..., None] * np.tanh(W[..., None] * x) - y) ** 2, axis=-1)
    i = np.unravel_index(Z.argmin(), Z.shape)
    w, v = abs(W[i]), abs(V[i])
    # By symmetry (tanh is odd) the mirror point is as low; a finer grid agrees.
    assert np.isclose(Z[i], Z[120 - i[0], 120 - i[1]])
    fine_w, fine_v = np.meshgrid(np.linspace(0.9, 1.4, 501), np.linspace(1.3, 1.8, 501))
    fine = np.mean(
        (fine_v[..., None] * np.tanh(fine_w[..., None] * x) - y) ** 2, axis=-1
    )
    j = np.unravel_index(fine.argmin(), fine.shape)
    assert np.hypot(fine_w[j] - w, fine_v[j] - v) < 0.05
    _says(_prose("08"), f"({w:.2f}, {v:.2f}) and (−{w:.2f}, −{v:.2f})")
    source = next(c.source for c in _book("08").cells if "Z - Z.min()" in c.source)
    _says(source, '"L − lowest L"')
