"""The naive counter-examples: right where the textbook formula is safe, wrong exactly where
the stability chapter says, against mpmath at 50 digits (and PyTorch for the log-of-sum)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ce_book import naive
from ce_book.reference import mp_cross_entropy

moderate = st.lists(st.floats(-30, 30), min_size=2, max_size=6)


def mp_logsumexp(z) -> mpmath.mpf:
    return mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in z))


def rel(value: float, exact: mpmath.mpf) -> float:
    return float(abs((mpmath.mpf(value) - exact) / exact))


@settings(max_examples=60, deadline=None)
@given(moderate)
def test_softmax_and_logsumexp_are_right_for_moderate_logits(z) -> None:
    lse = mp_logsumexp(z)
    for got, v in zip(naive.softmax(z), z, strict=True):
        exact = mpmath.exp(mpmath.mpf(v) - lse)
        assert rel(float(got), exact) < 1e-13
    assert abs(float(naive.logsumexp(z)) - float(lse)) < 1e-13 * max(1.0, abs(float(lse)))


@pytest.mark.parametrize(("dtype", "threshold"), [(np.float64, 709.79), (np.float32, 88.73)])
def test_exp_overflows_just_above_log_of_the_largest_float(dtype, threshold) -> None:
    largest = mpmath.mpf(float(np.finfo(dtype).max))
    assert abs(float(mpmath.log(largest)) - threshold) < 0.01
    below, above = dtype(threshold - 0.1), dtype(threshold + 0.1)
    assert np.isfinite(naive.softmax(np.array([below, 0], dtype=dtype))).all()
    assert np.isnan(naive.softmax(np.array([above, 0], dtype=dtype))[0])
    assert np.isposinf(naive.logsumexp(np.array([above, above], dtype=dtype)))


def test_log_softmax_is_minus_inf_where_the_truth_is_finite() -> None:
    z = [-800.0, 0.0]
    exact = mpmath.mpf(-800) - mp_logsumexp(z)
    assert float(exact) == pytest.approx(-800.0)
    assert np.isneginf(naive.log_softmax(z)[0])


def test_the_product_of_probabilities_underflows_but_the_sum_of_logs_does_not() -> None:
    exact_log = 1000 * mpmath.log(mpmath.mpf("0.4"))  # about -916, a small number of nats
    smallest = mpmath.mpf(float(np.finfo(np.float64).smallest_subnormal))
    assert mpmath.exp(exact_log) < smallest  # the true product is below every positive float
    assert float(naive.likelihood([0.4] * 1000)) == 0.0
    assert np.isneginf(naive.log_likelihood([0.4] * 1000))
    # The first n at which 0.4**n is no longer representable, from mpmath: the product of the
    # first 800 factors is still positive.
    assert float(naive.likelihood([0.4] * 800)) > 0


@pytest.mark.parametrize(("dtype", "z"), [(np.float64, 37.0), (np.float32, 17.0)])
def test_sigmoid_rounds_to_one_and_bce_becomes_infinite(dtype, z) -> None:
    z = dtype(z)
    assert mpmath.mpf(1) / (1 + mpmath.exp(-mpmath.mpf(float(z)))) < 1
    assert naive.sigmoid(z) == 1.0
    exact = float(mpmath.log(1 + mpmath.exp(mpmath.mpf(float(z)))))  # loss for label 0
    assert np.isfinite(exact)
    assert np.isposinf(naive.binary_cross_entropy(naive.sigmoid(z), dtype(0)))


def test_bce_nan_from_zero_times_log_zero() -> None:
    # The loss of predicting 0 for label 0 is 0 in the mathematics (0 log 0 = 0).
    assert np.isnan(naive.binary_cross_entropy(0.0, 0.0))
    assert np.isnan(naive.binary_cross_entropy(1.0, 1.0))


@pytest.mark.parametrize("eps", [1e-7, 1e-12])
def test_clipping_caps_the_loss_and_charges_confident_correct_predictions(eps) -> None:
    cap = -mpmath.log(mpmath.mpf(eps))
    z = 50.0  # label 0: the true loss is log(1 + e^50), about 50
    exact = mpmath.log(1 + mpmath.exp(mpmath.mpf(z)))
    got = float(naive.binary_cross_entropy_clipped(naive.sigmoid(z), 0.0, eps=eps))
    assert rel(got, cap) < 1e-6
    assert got < float(exact) - 20
    # label 1 and the same logit: the true loss is log(1 + e^-50), about 2e-22
    floor = float(naive.binary_cross_entropy_clipped(naive.sigmoid(z), 1.0, eps=eps))
    true_tiny = mpmath.log(1 + mpmath.exp(-mpmath.mpf(z)))
    assert floor > 1e8 * float(true_tiny)
    assert rel(floor, -mpmath.log(1 - mpmath.mpf(eps))) < 1e-3


@settings(max_examples=60, deadline=None)
@given(moderate, st.integers(0, 5))
def test_log_of_sum_is_right_when_the_loss_is_not_tiny(z, k) -> None:
    k = k % len(z)
    exact = mp_cross_entropy(z, k)
    if exact > 1e-3:
        assert rel(float(naive.cross_entropy_log_sum(z, k)), exact) < 1e-12


@pytest.mark.parametrize(("gap", "worst"), [(20.0, 1e-6), (30.0, 1e-2)])
def test_log_of_sum_loses_digits_in_the_tiny_loss_regime(gap, worst) -> None:
    z = [gap, 0.0, 0.0]
    err = rel(float(naive.cross_entropy_log_sum(z, 0)), mp_cross_entropy(z, 0))
    assert 1e-12 < err < worst


@pytest.mark.parametrize(("dtype", "gap"), [(np.float64, 40.0), (np.float32, 20.0)])
def test_log_of_sum_is_exactly_zero_for_a_large_gap(dtype, gap) -> None:
    z = np.array([gap, 0.0, 0.0], dtype=dtype)
    assert mp_cross_entropy(z, 0) > 0
    assert naive.cross_entropy_log_sum(z, 0) == 0.0


def test_log_of_sum_takes_a_batch() -> None:
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    got = naive.cross_entropy_log_sum(z, np.array([0, 2]))
    expected = [float(mp_cross_entropy(z[0], 0)), float(mpmath.log(3))]
    np.testing.assert_allclose(got, expected, rtol=1e-14)


@pytest.mark.torch
def test_log_of_sum_loses_what_pytorch_loses() -> None:
    """Both round the sum to a float near 1 before the log: their errors are absolute, a few
    units of 2**-52, so tiny losses keep few or no correct digits in either."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    z = rng.normal(size=(64, 5)) * 3
    z[:32, 0] += np.linspace(0, 60, 32)  # confident correct predictions, tiny losses
    target = np.zeros(64, dtype=np.int64)
    theirs = torch.nn.functional.cross_entropy(
        torch.from_numpy(z), torch.from_numpy(target), reduction="none"
    ).numpy()
    ours = naive.cross_entropy_log_sum(z, target)
    exact = np.array([float(mp_cross_entropy(row, 0)) for row in z])
    ulp = 2.0**-52
    assert np.abs(ours - exact).max() < 4 * ulp * np.maximum(1, exact).max()
    assert np.abs(theirs - exact).max() < 4 * ulp * np.maximum(1, exact).max()
    lost = exact < ulp / 4  # below a quarter of the spacing at 1: rounded away entirely
    assert lost.sum() >= 5
    assert (ours[lost] == 0).all()
    assert (theirs[lost] == 0).all()
