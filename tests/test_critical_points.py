"""The simulation behind erratum 13: how often a random critical point is a minimum."""

from __future__ import annotations

import numpy as np
import pytest
from gdlab import fraction_of_minima, random_hessians


@pytest.mark.parametrize("k", [1, 2, 4])
def test_independent_signs_give_two_to_the_minus_k(k):
    trials = 40_000
    estimate = fraction_of_minima(k, trials, seed=k, kind="independent")
    p = 2.0**-k
    assert abs(estimate - p) < 5 * np.sqrt(p * (1 - p) / trials)


def test_goe_two_by_two_matches_the_exact_value():
    # For (G + Gᵀ)/2 with Gaussian G, P(both eigenvalues > 0) = (2 − √2)/4.
    trials = 100_000
    p = (2 - np.sqrt(2)) / 4
    estimate = fraction_of_minima(2, trials, seed=11, kind="goe")
    assert abs(estimate - p) < 5 * np.sqrt(p * (1 - p) / trials)


def test_goe_minima_are_rarer_than_the_coin_flip_model_from_three_parameters_on():
    for k in (3, 4, 5):
        assert fraction_of_minima(k, 20_000, seed=0, kind="goe") < 0.5 * 2.0**-k


def test_one_parameter_is_a_fair_coin_in_both_models():
    for kind in ("independent", "goe"):
        assert fraction_of_minima(1, 20_000, seed=5, kind=kind) == pytest.approx(
            0.5, abs=0.02
        )


def test_same_seed_same_answer_and_different_seed_different_draws():
    assert fraction_of_minima(3, 5000, seed=1, kind="goe") == fraction_of_minima(
        3, 5000, seed=1, kind="goe"
    )
    assert not np.array_equal(
        random_hessians(3, 10, seed=1), random_hessians(3, 10, seed=2)
    )


def test_hessians_are_symmetric_with_the_requested_shape():
    for kind in ("independent", "goe"):
        H = random_hessians(4, 7, seed=0, kind=kind)
        assert H.shape == (7, 4, 4)
        np.testing.assert_array_equal(H, np.swapaxes(H, 1, 2))
    diagonal = random_hessians(3, 50, seed=0, kind="independent")
    assert set(np.unique(diagonal)) <= {-1.0, 0.0, 1.0}


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        ({"k": 0}, ValueError, "k"),
        ({"k": 2.0}, TypeError, "k"),
        ({"k": 2, "trials": 0}, ValueError, "trials"),
        ({"k": 2, "kind": "gue"}, ValueError, "kind"),
        ({"k": 2, "seed": -1}, ValueError, "seed"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, word):
    with pytest.raises(error, match=word):
        fraction_of_minima(**kwargs)
