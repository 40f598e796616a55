"""Temperature scaling, reliability bins and ECE against independent references: closed forms,
mpmath root finding, plain-Python loops, and torch's L-BFGS (as Guo et al. fit temperatures)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ce_book.activations import softmax
from ce_book.calibration import (
    expected_calibration_error,
    fit_temperature,
    overconfident_problem,
    reliability_bins,
)
from ce_book.torch_reference import lbfgs


def test_fit_temperature_closed_form_two_classes():
    # Margins +2, +2, -2: d/dbeta of the NLL vanishes where e^(2 beta) = 2, so T = 2 / ln 2.
    z = [[2.0, 0.0], [2.0, 0.0], [2.0, 0.0]]
    assert fit_temperature(z, [0, 0, 1]) == pytest.approx(2 / math.log(2), rel=1e-13)


def test_fit_temperature_vs_mpmath_root():
    z, y = overconfident_problem(n=150, num_classes=4, seed=11)

    def slope(t):  # derivative in T of the mean NLL, written from the definition
        total = mp.mpf(0)
        for row, label in zip(z.tolist(), y.tolist(), strict=True):
            total += mp.diff(
                lambda s, row=row, label=label: (
                    mp.log(mp.fsum(mp.exp(v / s) for v in row)) - row[label] / s
                ),
                t,
            )
        return total / len(z)

    with mp.workdps(30):
        ref = float(mp.findroot(slope, 2.5))
    assert fit_temperature(z, y) == pytest.approx(ref, rel=1e-12)


@pytest.mark.torch
def test_fit_temperature_vs_torch_lbfgs():
    import torch

    z, y = overconfident_problem(n=500)
    zt, yt = torch.tensor(z), torch.tensor(y)
    (log_t,) = lbfgs(
        lambda log_t: torch.nn.functional.cross_entropy(zt / log_t.exp(), yt),
        [np.zeros(())],
        max_iter=200,
        tolerance_change=1e-16,
    )
    assert fit_temperature(z, y) == pytest.approx(float(np.exp(log_t)), rel=1e-7)


def test_temperature_recovers_the_scale_of_an_overconfident_model():
    # The model's logits are exactly 2.5 times the true ones: the population optimum is T = 2.5.
    z, y = overconfident_problem(n=20000, scale=2.5, seed=3)
    assert fit_temperature(z, y) == pytest.approx(2.5, rel=0.03)
    z, y = overconfident_problem(n=20000, scale=0.5, seed=3)  # under-confident: T < 1
    assert fit_temperature(z, y) == pytest.approx(0.5, rel=0.03)


def test_temperature_scaling_improves_calibration_but_not_accuracy():
    z, y = overconfident_problem()
    t = fit_temperature(z, y)
    before, after = softmax(z), softmax(z / t)
    assert (before.argmax(-1) == after.argmax(-1)).all()
    assert expected_calibration_error(after, y) < expected_calibration_error(before, y) / 5


def test_fit_temperature_preserves_argmax_and_rejects_hopeless_inputs():
    with pytest.raises(ValueError, match=r"^labels:"):  # separable: T -> 0 keeps helping
        fit_temperature([[3.0, 0.0], [0.0, 3.0]], [0, 1])
    with pytest.raises(ValueError, match=r"^logits:"):  # anti-correlated: no T > 0 helps
        fit_temperature([[3.0, 0.0], [0.0, 3.0]], [1, 0])
    with pytest.raises(ValueError, match=r"^logits:"):
        fit_temperature([[3.0, np.inf]], [0])


# ---------- reliability bins and ECE against a plain loop --------------------------------------


def loop_ece(probs, labels, n_bins):
    """Guo et al. (2017), eq. (3), written as a plain loop over bins and samples."""
    total, n = 0.0, len(probs)
    for m in range(n_bins):
        lo, hi = m / n_bins, (m + 1) / n_bins
        members = [
            (max(row), int(np.argmax(row)) == label)
            for row, label in zip(probs, labels, strict=True)
            if (lo < max(row) <= hi) or (m == 0 and max(row) == 0)
        ]
        if members:
            conf = sum(c for c, _ in members) / len(members)
            acc = sum(ok for _, ok in members) / len(members)
            total += len(members) / n * abs(acc - conf)
    return total


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(2, 5), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_ece_matches_a_plain_loop(n, k, n_bins, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3.0, size=(n, k))
    probs = softmax(logits)
    labels = rng.integers(0, k, size=n)
    ref = loop_ece(probs.tolist(), labels.tolist(), n_bins)
    assert expected_calibration_error(probs, labels, n_bins) == pytest.approx(ref, abs=1e-14)
    bins = reliability_bins(probs, labels, n_bins)
    assert bins.count.sum() == n


def test_bin_edges_are_right_closed():
    probs = np.array([[0.5, 0.5], [0.6, 0.4], [0.75, 0.25], [1.0, 0.0]])
    bins = reliability_bins(probs, np.array([0, 0, 1, 0]), n_bins=4)
    # (0, .25], (.25, .5], (.5, .75], (.75, 1]: 0.5 -> bin 2, 0.6 and 0.75 -> bin 3, 1 -> bin 4
    assert bins.count.tolist() == [0, 1, 2, 1]
    assert bins.accuracy[2] == 0.5 and bins.confidence[2] == pytest.approx(0.675)
    assert np.isnan(bins.accuracy[0]) and np.isnan(bins.confidence[0])


def test_a_calibrated_predictor_has_zero_ece():
    # Confidence 0.75 on every sample and 3 of 4 correct; 0.9 with 9 of 10 correct.
    probs = np.array([[0.75, 0.25]] * 4 + [[0.1, 0.9]] * 10)
    labels = np.array([0, 0, 0, 1] + [1] * 9 + [0])
    assert expected_calibration_error(probs, labels) == pytest.approx(0.0, abs=1e-15)


def test_overconfident_problem_is_deterministic_and_shaped():
    a, b = overconfident_problem(n=50, seed=5), overconfident_problem(n=50, seed=5)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[0].shape == (50, 5) and a[1].min() >= 0 and a[1].max() <= 4


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: reliability_bins([[0.5, 0.5]], [0], n_bins=0), ValueError, "n_bins"),
        (lambda: reliability_bins([[0.5, 0.6]], [0]), ValueError, "probs"),
        (lambda: reliability_bins([0.5, 0.5], [0]), ValueError, "probs"),
        (lambda: reliability_bins(np.zeros((0, 2)), []), ValueError, "probs"),
        (lambda: reliability_bins([[0.5, 0.5]], [2]), ValueError, "labels"),
        (lambda: reliability_bins([[0.5, 0.5]], [0.0]), TypeError, "labels"),
        (lambda: reliability_bins([[0.5, 0.5]], [0, 1]), ValueError, "labels"),
        (lambda: expected_calibration_error([["a", "b"]], [0]), TypeError, "probs"),
        (lambda: fit_temperature([[1.0, np.nan]], [0]), ValueError, "logits"),
        (lambda: overconfident_problem(n=0), ValueError, "n"),
        (lambda: overconfident_problem(num_classes=1), ValueError, "num_classes"),
        (lambda: overconfident_problem(scale=0.0), ValueError, "scale"),
    ],
)
def test_bad_input_names_the_argument(call, exc, name):
    with pytest.raises(exc, match=f"^{name}:"):
        call()
